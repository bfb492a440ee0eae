/* test_codec.c — the declared-once struct machinery: encode/decode/free/
 * equal/clone for every field form, against encodings written out by hand
 * from the TLS presentation language rules of RFC 9420 §2.1, and rejection
 * of malformed input with no leak (run under ASan in CI). */
#include <stdlib.h>

#include "harness.h"

/* struct { uint16 extension_type; opaque extension_data<V>; } Extension; */
#define EXT_FIELDS(F) F##_U16(extension_type) F##_OPAQUE(extension_data)
MIMI_STRUCT_DECLARE(t_ext, EXT_FIELDS)
MIMI_STRUCT_DEFINE(t_ext, EXT_FIELDS)

/* select (sender_type) { member: uint32; external: uint32; new_member: {} } */
#define SENDER_CASES(C) C(1, mimi_u32, member) C(2, mimi_u32, external) C(3, mimi_empty, new_member)
MIMI_VARIANT_DECLARE(t_sender, U8, sender_type, SENDER_CASES)
MIMI_VARIANT_DEFINE(t_sender, U8, sender_type, SENDER_CASES)

struct t_msg;
static bool t_msg_has_tag(const void *p);

#define MSG_FIELDS(F)                 \
  F##_U16(version)                    \
  F##_STRUCT(t_sender, sender)        \
  F##_FIXED(nonce, 4)                 \
  F##_VEC(t_ext, extensions)          \
  F##_VEC(mimi_u16, versions)         \
  F##_OPT(mimi_bytes, maybe)          \
  F##_COND(mimi_bytes, tag, t_msg_has_tag) \
  F##_U64(epoch)
MIMI_STRUCT_DECLARE(t_msg, MSG_FIELDS)
MIMI_STRUCT_DEFINE(t_msg, MSG_FIELDS)

/* the tag is on the wire only for members, like RFC 9420's membership_tag */
static bool t_msg_has_tag(const void *p) {
  return ((const t_msg *)p)->sender.sender_type == 1;
}

static const char *msg_hex =
    "0001"             /* version */
    "01" "00000007"    /* sender: member 7 */
    "a1a2a3a4"         /* nonce[4] */
    "0b"               /* extensions<V>: 11 bytes */
    "0003" "02" "beef" /*   ext 3, data 2 bytes */
    "0005" "03" "010203" /* ext 5, 3 bytes */
    "04" "0001" "0002" /* versions<V> */
    "01" "01" "ff"     /* optional present, opaque<V> 1 byte */
    "02" "cafe"        /* tag (member) */
    "0000000000000009"; /* epoch */

static void build_msg(t_msg *m) {
  memset(m, 0, sizeof *m);
  m->version = 1;
  m->sender.sender_type = 1;
  m->sender.member = 7;
  memcpy(m->nonce, "\xa1\xa2\xa3\xa4", 4);
  m->extensions = calloc(2, sizeof(t_ext));
  m->extensions_count = 2;
  m->extensions[0].extension_type = 3;
  CHECK_OK(mimi_bytes_copy(&m->extensions[0].extension_data, (const uint8_t *)"\xbe\xef", 2));
  m->extensions[1].extension_type = 5;
  CHECK_OK(mimi_bytes_copy(&m->extensions[1].extension_data, (const uint8_t *)"\x01\x02\x03", 3));
  m->versions = calloc(2, sizeof(uint16_t));
  m->versions_count = 2;
  m->versions[0] = 1;
  m->versions[1] = 2;
  m->maybe = calloc(1, sizeof(mimi_bytes));
  CHECK_OK(mimi_bytes_copy(m->maybe, (const uint8_t *)"\xff", 1));
  CHECK_OK(mimi_bytes_copy(&m->tag, (const uint8_t *)"\xca\xfe", 2));
  m->epoch = 9;
}

static void test_roundtrip(void) {
  t_msg m, d, c;
  build_msg(&m);
  mimi_bytes enc, want;
  CHECK_OK(t_msg_encode(&m, &enc));
  CHECK_OK(mimi_bytes_from_hex(&want, msg_hex));
  CHECK_BYTES(enc, want);
  CHECK_OK(t_msg_decode(enc.data, enc.len, &d));
  CHECK(t_msg_equal(&m, &d));
  CHECK(d.extensions_count == 2 && d.extensions[1].extension_data.len == 3);
  CHECK(d.maybe != NULL && d.maybe->len == 1);
  CHECK_OK(mimi_clone(t_msg_type(), &c, &d));
  CHECK(t_msg_equal(&c, &m));
  c.extensions[0].extension_data.data[0] ^= 1;
  CHECK(!t_msg_equal(&c, &m));
  t_msg_free(&c);
  t_msg_free(&d);
  t_msg_free(&m);
  CHECK(m.extensions == NULL && m.maybe == NULL);
  mimi_bytes_free(&enc);
  mimi_bytes_free(&want);
  mimi_test_case();
}

static void test_cond_absent(void) {
  /* new_member sender: no tag on the wire, empty case body, optional absent */
  const char *hex = "0001" "03" "00000000" "00" "00" "00" "0000000000000001";
  mimi_bytes in;
  CHECK_OK(mimi_bytes_from_hex(&in, hex));
  t_msg d;
  CHECK_OK(t_msg_decode(in.data, in.len, &d));
  CHECK(d.sender.sender_type == 3 && d.tag.len == 0 && d.maybe == NULL);
  CHECK(d.extensions_count == 0 && d.epoch == 1);
  mimi_bytes re;
  CHECK_OK(t_msg_encode(&d, &re));
  CHECK_BYTES(re, in);
  t_msg_free(&d);
  mimi_bytes_free(&re);
  mimi_bytes_free(&in);
  mimi_test_case();
}

/* Mutations of the valid message, each with the error it must produce. */
static void test_rejections(void) {
  static const struct {
    const char *hex;
    mimi_err err;
  } bad[] = {
      {"", MIMI_ERR_TRUNCATED},
      {"0001" "09" "00000007", MIMI_ERR_BAD_TAG},            /* unknown sender type */
      {"0001" "01" "00000007" "a1a2a3a4" "0c" "0003" "02" "beef" "0005" "03" "010203",
       MIMI_ERR_TRUNCATED},                                   /* vector longer than input */
      {"0001" "01" "00000007" "a1a2a3a4" "0a" "0003" "02" "beef" "0005" "03" "010203",
       MIMI_ERR_TRUNCATED},                                   /* element crosses vector end */
      {"0001" "01" "00000007" "a1a2a3a4" "400b" "0003" "02" "beef" "0005" "03" "010203",
       MIMI_ERR_VARINT_NON_MINIMAL},
      {"0001" "01" "00000007" "a1a2a3a4" "00" "03" "000100", MIMI_ERR_TRUNCATED}, /* odd u16 vec */
      {"0001" "01" "00000007" "a1a2a3a4" "00" "00" "02", MIMI_ERR_BAD_OPTIONAL},
      {"0001" "01" "00000007" "a1a2a3a4" "00" "00" "00" "02" "ca", MIMI_ERR_TRUNCATED},
      {"0001" "01" "00000007" "a1a2a3a4" "00" "00" "00" "02" "cafe" "0000000000000009" "00",
       MIMI_ERR_TRAILING_DATA},
      {"0001" "01" "00000007" "a1a2a3a4" "00" "00" "00" "c0", MIMI_ERR_VARINT_RANGE},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    mimi_bytes in;
    CHECK_OK(mimi_bytes_from_hex(&in, bad[i].hex));
    t_msg d;
    memset(&d, 0x5a, sizeof d);
    CHECK_ERR(t_msg_decode(in.data, in.len, &d), bad[i].err);
    /* no partial struct: everything zero (and ASan checks nothing leaked) */
    static const t_msg zero;
    CHECK(memcmp(&d, &zero, sizeof d) == 0);
    mimi_bytes_free(&in);
    mimi_test_case();
  }
  /* every truncation of the valid encoding fails cleanly */
  mimi_bytes full;
  CHECK_OK(mimi_bytes_from_hex(&full, msg_hex));
  for (size_t n = 0; n < full.len; n++) {
    t_msg d;
    mimi_err err = t_msg_decode(full.data, n, &d);
    CHECK(err != MIMI_OK);
  }
  mimi_bytes_free(&full);
}

static void test_encode_errors(void) {
  t_msg m;
  build_msg(&m);
  m.sender.sender_type = 42; /* no such case */
  mimi_bytes out = {NULL, 0};
  CHECK_ERR(t_msg_encode(&m, &out), MIMI_ERR_BAD_TAG);
  CHECK(out.data == NULL);
  m.sender.sender_type = 1;
  t_msg_free(&m);
}

/* A select on a tag carried elsewhere: only the case body is on the wire. */
static void test_variant_body(void) {
  t_sender s;
  memset(&s, 0, sizeof s);
  s.sender_type = 2;
  s.external = 0x01020304;
  mimi_writer w;
  mimi_writer_init(&w);
  mimi_encode_variant_body(t_sender_type(), &s, &w);
  mimi_bytes out, want;
  CHECK_OK(mimi_writer_finish(&w, &out));
  CHECK_OK(mimi_bytes_from_hex(&want, "01020304"));
  CHECK_BYTES(out, want);

  t_sender d;
  mimi_reader r = mimi_reader_init(out.data, out.len);
  CHECK_OK(mimi_decode_variant_body(t_sender_type(), 2, &r, &d));
  CHECK(d.sender_type == 2 && d.external == 0x01020304 && mimi_reader_remaining(&r) == 0);
  r = mimi_reader_init(out.data, out.len);
  CHECK_OK(mimi_decode_variant_body(t_sender_type(), 3, &r, &d)); /* empty body */
  CHECK(d.sender_type == 3 && r.pos == 0);

  static const t_sender zero;
  memset(&d, 0x5a, sizeof d);
  r = mimi_reader_init(out.data, out.len);
  CHECK_ERR(mimi_decode_variant_body(t_sender_type(), 9, &r, &d), MIMI_ERR_BAD_TAG);
  CHECK(memcmp(&d, &zero, sizeof d) == 0 && r.pos == 0);
  CHECK_ERR(mimi_decode_variant_body(t_sender_type(), 0x101, &r, &d), MIMI_ERR_BAD_TAG);
  r = mimi_reader_init(out.data, 3);
  CHECK_ERR(mimi_decode_variant_body(t_sender_type(), 1, &r, &d), MIMI_ERR_TRUNCATED);
  CHECK(memcmp(&d, &zero, sizeof d) == 0 && r.pos == 0);
  CHECK_ERR(mimi_decode_variant_body(t_ext_type(), 1, &r, &d), MIMI_ERR_INVALID_ARG);

  s.sender_type = 7;
  mimi_writer_init(&w);
  mimi_encode_variant_body(t_sender_type(), &s, &w);
  mimi_bytes none = {NULL, 0};
  CHECK_ERR(mimi_writer_finish(&w, &none), MIMI_ERR_BAD_TAG);
  mimi_bytes_free(&out);
  mimi_bytes_free(&want);
  mimi_test_case();
}

int main(void) {
  test_variant_body();
  test_roundtrip();
  test_cond_absent();
  test_rejections();
  test_encode_errors();
  return mimi_test_summary("codec");
}
