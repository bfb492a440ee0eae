/* cbor_diag.c — RFC 8949 §8 diagnostic notation of a strictly valid CBOR
 * item, for tools and error messages. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "content_internal.h"

#define DIAG_DEPTH 64

static void out_str(mimi_writer *w, const char *s) { mimi_write_raw(w, (const uint8_t *)s, strlen(s)); }

static void out_fmt_u64(mimi_writer *w, const char *prefix, uint64_t v) {
  char buf[32];
  snprintf(buf, sizeof buf, "%s%llu", prefix, (unsigned long long)v);
  out_str(w, buf);
}

static void out_float(mimi_writer *w, uint8_t info, uint64_t raw) {
  double d;
  uint64_t bits = mimi_cbor_float_to_double_bits(info, raw);
  memcpy(&d, &bits, 8);
  char buf[40];
  if (isnan(d))
    snprintf(buf, sizeof buf, "NaN");
  else if (isinf(d))
    snprintf(buf, sizeof buf, d > 0 ? "Infinity" : "-Infinity");
  else {
    snprintf(buf, sizeof buf, "%.17g", d);
    if (!strpbrk(buf, ".eE")) strcat(buf, ".0");
  }
  out_str(w, buf);
}

static void out_text(mimi_writer *w, const uint8_t *p, size_t n) {
  mimi_write_u8(w, '"');
  for (size_t i = 0; i < n; i++) {
    uint8_t c = p[i];
    if (c == '"' || c == '\\') {
      mimi_write_u8(w, '\\');
      mimi_write_u8(w, c);
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      snprintf(buf, sizeof buf, "\\u%04x", c);
      out_str(w, buf);
    } else {
      mimi_write_u8(w, c);
    }
  }
  mimi_write_u8(w, '"');
}

static void out_hex(mimi_writer *w, const uint8_t *p, size_t n) {
  static const char digits[] = "0123456789abcdef";
  out_str(w, "h'");
  for (size_t i = 0; i < n; i++) {
    mimi_write_u8(w, (uint8_t)digits[p[i] >> 4]);
    mimi_write_u8(w, (uint8_t)digits[p[i] & 15]);
  }
  mimi_write_u8(w, '\'');
}

/* Input already validated, so reads cannot fail here. */
static void out_item(mimi_writer *w, mimi_reader *r) {
  mimi_cbor_head h;
  if (mimi_cbor_read_head(r, &h) != MIMI_OK) return;
  const uint8_t *p;
  switch (h.major) {
    case MIMI_CBOR_UINT:
      out_fmt_u64(w, "", h.arg);
      break;
    case MIMI_CBOR_NEGINT:
      if (h.arg == UINT64_MAX)
        out_str(w, "-18446744073709551616");
      else
        out_fmt_u64(w, "-", h.arg + 1);
      break;
    case MIMI_CBOR_BYTES:
    case MIMI_CBOR_TEXT:
      if (mimi_read_view(r, (size_t)h.arg, &p) != MIMI_OK) return;
      if (h.major == MIMI_CBOR_BYTES)
        out_hex(w, p, (size_t)h.arg);
      else
        out_text(w, p, (size_t)h.arg);
      break;
    case MIMI_CBOR_ARRAY:
    case MIMI_CBOR_MAP:
      mimi_write_u8(w, h.major == MIMI_CBOR_ARRAY ? '[' : '{');
      for (uint64_t i = 0; i < h.arg; i++) {
        if (i) out_str(w, ", ");
        out_item(w, r);
        if (h.major == MIMI_CBOR_MAP) {
          out_str(w, ": ");
          out_item(w, r);
        }
      }
      mimi_write_u8(w, h.major == MIMI_CBOR_ARRAY ? ']' : '}');
      break;
    case MIMI_CBOR_TAG:
      out_fmt_u64(w, "", h.arg);
      mimi_write_u8(w, '(');
      out_item(w, r);
      mimi_write_u8(w, ')');
      break;
    default:
      if (h.info >= 25) {
        out_float(w, h.info, h.arg);
      } else {
        static const char *names[] = {"false", "true", "null", "undefined"};
        if (h.arg >= MIMI_CBOR_FALSE && h.arg <= MIMI_CBOR_UNDEFINED)
          out_str(w, names[h.arg - MIMI_CBOR_FALSE]);
        else
          out_fmt_u64(w, "simple(", h.arg), mimi_write_u8(w, ')');
      }
  }
}

mimi_err mimi_cbor_to_diag(const uint8_t *item, size_t len, char **out) {
  mimi_reader r = mimi_reader_init(item, len);
  const uint8_t *view;
  size_t n;
  MIMI_TRY(mimi_cbor_read_item(&r, DIAG_DEPTH, 0, &view, &n));
  MIMI_TRY(mimi_reader_done(&r));
  mimi_writer w;
  mimi_writer_init(&w);
  r = mimi_reader_init(item, len);
  out_item(&w, &r);
  mimi_write_u8(&w, 0);
  mimi_bytes b;
  MIMI_TRY(mimi_writer_finish(&w, &b));
  char *s = malloc(b.len);
  if (s == NULL) {
    mimi_bytes_free(&b);
    return MIMI_ERR_NOMEM;
  }
  memcpy(s, b.data, b.len);
  mimi_bytes_free(&b);
  *out = s;
  return MIMI_OK;
}
