/* reader.c — bounds-checked decoding of the TLS presentation language as
 * RFC 9420 §2.1 uses it. Every read checks remaining length before touching
 * memory; out-params are written only on success. */
#include <string.h>

#include "mimi/base.h"

static mimi_err take(mimi_reader *r, size_t n, const uint8_t **p) {
  if (mimi_reader_remaining(r) < n) return MIMI_ERR_TRUNCATED;
  *p = r->data + r->pos;
  r->pos += n;
  return MIMI_OK;
}

static uint64_t be(const uint8_t *p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; i++) v = v << 8 | p[i];
  return v;
}

mimi_err mimi_read_u8(mimi_reader *r, uint8_t *v) {
  const uint8_t *p;
  MIMI_TRY(take(r, 1, &p));
  *v = p[0];
  return MIMI_OK;
}

mimi_err mimi_read_u16(mimi_reader *r, uint16_t *v) {
  const uint8_t *p;
  MIMI_TRY(take(r, 2, &p));
  *v = (uint16_t)be(p, 2);
  return MIMI_OK;
}

mimi_err mimi_read_u32(mimi_reader *r, uint32_t *v) {
  const uint8_t *p;
  MIMI_TRY(take(r, 4, &p));
  *v = (uint32_t)be(p, 4);
  return MIMI_OK;
}

mimi_err mimi_read_u64(mimi_reader *r, uint64_t *v) {
  const uint8_t *p;
  MIMI_TRY(take(r, 8, &p));
  *v = be(p, 8);
  return MIMI_OK;
}

mimi_err mimi_read_varint(mimi_reader *r, uint32_t *v) {
  size_t save = r->pos;
  const uint8_t *p;
  MIMI_TRY(take(r, 1, &p));
  unsigned prefix = p[0] >> 6;
  if (prefix == 3) {
    r->pos = save;
    return MIMI_ERR_VARINT_RANGE;
  }
  size_t n = (size_t)1 << prefix; /* 1, 2 or 4 bytes */
  r->pos = save;
  mimi_err err = take(r, n, &p);
  if (err != MIMI_OK) return err;
  uint32_t value = (uint32_t)be(p, n) & ((n == 1) ? 0x3fu : (n == 2) ? 0x3fffu : 0x3fffffffu);
  /* Minimal: the value must not fit the next shorter form. */
  if ((n == 2 && value < 0x40) || (n == 4 && value < 0x4000)) {
    r->pos = save;
    return MIMI_ERR_VARINT_NON_MINIMAL;
  }
  *v = value;
  return MIMI_OK;
}

mimi_err mimi_read_view(mimi_reader *r, size_t n, const uint8_t **out) {
  return take(r, n, out);
}

mimi_err mimi_read_vec(mimi_reader *r, mimi_reader *body) {
  size_t save = r->pos;
  uint32_t n;
  MIMI_TRY(mimi_read_varint(r, &n));
  const uint8_t *p;
  mimi_err err = take(r, n, &p);
  if (err != MIMI_OK) {
    r->pos = save;
    return err;
  }
  *body = mimi_reader_init(p, n);
  return MIMI_OK;
}

mimi_err mimi_read_opaque(mimi_reader *r, mimi_bytes *out) {
  mimi_reader body;
  MIMI_TRY(mimi_read_vec(r, &body));
  return mimi_bytes_copy(out, body.data, body.len);
}

mimi_err mimi_reader_done(const mimi_reader *r) {
  return mimi_reader_remaining(r) == 0 ? MIMI_OK : MIMI_ERR_TRAILING_DATA;
}
