/* protocol_test_util.h — helpers shared by the MIMI protocol tests: hex
 * written out from the TLS presentation rules (with a test-side varint
 * length prefix, RFC 9420 §2.1.2), and the encode/decode/truncate checks
 * every struct goes through. */
#ifndef MIMI_PROTOCOL_TEST_UTIL_H
#define MIMI_PROTOCOL_TEST_UTIL_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "mimi/protocol.h"

/* Strings built by the helpers below live until the test ends. */
#define PT_MAX_STRINGS 4096
static char *pt_strings[PT_MAX_STRINGS];
static size_t pt_nstrings;

static char *pt_keep(char *s) {
  if (s == NULL || pt_nstrings == PT_MAX_STRINGS) abort();
  pt_strings[pt_nstrings++] = s;
  return s;
}

static MIMI_MAYBE_UNUSED void pt_cleanup(void) {
  for (size_t i = 0; i < pt_nstrings; i++) free(pt_strings[i]);
  pt_nstrings = 0;
}

/* Concatenation of hex pieces. */
static char *pt_cat(const char *first, ...) {
  va_list ap;
  size_t n = 0;
  va_start(ap, first);
  for (const char *s = first; s != NULL; s = va_arg(ap, const char *)) n += strlen(s);
  va_end(ap);
  char *out = malloc(n + 1), *p = out;
  if (out == NULL) abort();
  va_start(ap, first);
  for (const char *s = first; s != NULL; s = va_arg(ap, const char *)) {
    size_t l = strlen(s);
    memcpy(p, s, l);
    p += l;
  }
  va_end(ap);
  *p = '\0';
  return pt_keep(out);
}
#define HX(...) pt_cat(__VA_ARGS__, (const char *)NULL)

/* <V> vector: minimal varint of the byte length, then the body. */
static MIMI_MAYBE_UNUSED char *V(const char *body_hex) {
  size_t len = strlen(body_hex) / 2;
  char prefix[12];
  unsigned long l = (unsigned long)len;
  if (l < 64) snprintf(prefix, sizeof prefix, "%02lx", l);
  else if (l < 16384) snprintf(prefix, sizeof prefix, "%04lx", 0x4000ul | l);
  else snprintf(prefix, sizeof prefix, "%08lx", (0x80000000ul | l) & 0xfffffffful);
  return HX(prefix, body_hex);
}

/* Hex of an ASCII string. */
static MIMI_MAYBE_UNUSED char *A(const char *ascii) {
  size_t n = strlen(ascii);
  char *out = malloc(2 * n + 1);
  if (out == NULL) abort();
  for (size_t i = 0; i < n; i++) snprintf(out + 2 * i, 3, "%02x", (unsigned char)ascii[i]);
  out[2 * n] = '\0';
  return pt_keep(out);
}

static MIMI_MAYBE_UNUSED void set_str(mimi_bytes *b, const char *ascii) {
  CHECK_OK(mimi_bytes_copy(b, (const uint8_t *)ascii, strlen(ascii)));
}
static MIMI_MAYBE_UNUSED void set_hex(mimi_bytes *b, const char *hex) {
  CHECK_OK(mimi_bytes_from_hex(b, hex));
}
static MIMI_MAYBE_UNUSED void set_uri(mimi_identifier_uri *u, const char *ascii) {
  set_str(&u->uri, ascii);
}

/* An MLS piece (tested in the mls layer) from its hand-written hex. */
static MIMI_MAYBE_UNUSED void load(const mimi_type *t, const char *hex, void *out) {
  mimi_bytes b;
  CHECK_OK(mimi_bytes_from_hex(&b, hex));
  CHECK_OK(mimi_decode_exact(t, b.data, b.len, out));
  mimi_bytes_free(&b);
}

static MIMI_MAYBE_UNUSED void *zalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size);
  if (p == NULL) abort();
  return p;
}

static bool pt_is_zero(const void *p, size_t n) {
  const uint8_t *b = p;
  for (size_t i = 0; i < n; i++)
    if (b[i]) return false;
  return true;
}

/* Decoding `hex` must fail with `code` and leave *out zeroed. */
static MIMI_MAYBE_UNUSED void check_decode_err(const mimi_type *t, const char *hex,
                                               mimi_err code) {
  mimi_bytes b;
  CHECK_OK(mimi_bytes_from_hex(&b, hex));
  void *out = zalloc(1, t->size);
  mimi_err err = mimi_proto_decode(t, b.data, b.len, out);
  if (err != code)
    mimi_test_fail(__FILE__, __LINE__, "%s: decode -> %s, expected %s", t->name,
                   mimi_errname(err), mimi_errname(code));
  mimi_test_checks++;
  if (err == MIMI_OK) mimi_free(t, out);
  else CHECK(pt_is_zero(out, t->size));
  free(out);
  mimi_bytes_free(&b);
}

/* value (hand-built) encodes to exactly hex (hand-written), hex decodes to a
 * value equal to it, every strict prefix is refused with *out zeroed (the
 * empty prefix as TRUNCATED), and one more byte is TRAILING_DATA. */
static MIMI_MAYBE_UNUSED void check_codec_at(const char *file, int line, const mimi_type *t,
                                             const void *value, const char *hex) {
  mimi_bytes want, enc = {0};
  CHECK_OK(mimi_bytes_from_hex(&want, hex));
  CHECK_OK(mimi_proto_encode(t, value, &enc));
  if (enc.len != want.len || memcmp(enc.data, want.data, enc.len) != 0) {
    char *got = NULL;
    if (mimi_bytes_to_hex(&enc, &got) != MIMI_OK) got = NULL;
    mimi_test_fail(file, line, "%s encodes to\n  %s\nexpected\n  %s", t->name,
                   got ? got : "?", hex);
    free(got);
  }
  mimi_test_checks++;
  void *dec = zalloc(1, t->size);
  CHECK_OK(mimi_proto_decode(t, want.data, want.len, dec));
  if (!mimi_equal(t, dec, value)) mimi_test_fail(file, line, "%s: decoded value differs", t->name);
  mimi_test_checks++;
  mimi_free(t, dec);
  for (size_t n = 0; n < want.len; n++) {
    mimi_err err = mimi_proto_decode(t, want.data, n, dec);
    if (err == MIMI_OK || (n == 0 && err != MIMI_ERR_TRUNCATED))
      mimi_test_fail(file, line, "%s: prefix of %zu/%zu bytes -> %s", t->name, n, want.len,
                     mimi_errname(err));
    mimi_test_checks++;
    if (err == MIMI_OK) mimi_free(t, dec);
    if (!pt_is_zero(dec, t->size)) mimi_test_fail(file, line, "%s: out not zeroed", t->name);
  }
  CHECK_OK(mimi_bytes_append(&want, (const uint8_t *)"\x00", 1));
  mimi_err err = mimi_proto_decode(t, want.data, want.len, dec);
  if (err != MIMI_ERR_TRAILING_DATA)
    mimi_test_fail(file, line, "%s: trailing byte -> %s", t->name, mimi_errname(err));
  mimi_test_checks++;
  if (err == MIMI_OK) mimi_free(t, dec);
  free(dec);
  mimi_bytes_free(&want);
  mimi_bytes_free(&enc);
  mimi_test_case();
}
#define check_codec(t, value, hex) check_codec_at(__FILE__, __LINE__, t, value, hex)

#endif
