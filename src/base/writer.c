/* writer.c — growable output with sticky errors and back-patched <V>
 * lengths (the picotls push_block idea, with minimal varints). */
#include <stdlib.h>
#include <string.h>

#include "mimi/base.h"

void mimi_writer_init(mimi_writer *w) { memset(w, 0, sizeof *w); }

void mimi_writer_free(mimi_writer *w) {
  if (w->data) {
    mimi_secure_zero(w->data, w->cap);
    free(w->data);
  }
  memset(w, 0, sizeof *w);
}

/* Ensures room for n more bytes; returns a pointer to them or NULL (error set). */
static uint8_t *reserve(mimi_writer *w, size_t n) {
  if (w->err != MIMI_OK) return NULL;
  if (n > SIZE_MAX - w->len) {
    w->err = MIMI_ERR_TOO_LARGE;
    return NULL;
  }
  if (w->len + n > w->cap) {
    size_t cap = w->cap ? w->cap : 64;
    while (cap < w->len + n) {
      if (cap > SIZE_MAX / 2) {
        w->err = MIMI_ERR_TOO_LARGE;
        return NULL;
      }
      cap *= 2;
    }
    /* Not realloc: the old block may hold secrets and must be wiped. */
    uint8_t *p = malloc(cap);
    if (p == NULL) {
      w->err = MIMI_ERR_NOMEM;
      return NULL;
    }
    if (w->len) memcpy(p, w->data, w->len);
    if (w->data) {
      mimi_secure_zero(w->data, w->cap);
      free(w->data);
    }
    w->data = p;
    w->cap = cap;
  }
  uint8_t *out = w->data + w->len;
  w->len += n;
  return out;
}

static void put_be(mimi_writer *w, uint64_t v, size_t n) {
  uint8_t *p = reserve(w, n);
  if (p == NULL) return;
  for (size_t i = 0; i < n; i++) p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

void mimi_write_u8(mimi_writer *w, uint8_t v) { put_be(w, v, 1); }
void mimi_write_u16(mimi_writer *w, uint16_t v) { put_be(w, v, 2); }
void mimi_write_u32(mimi_writer *w, uint32_t v) { put_be(w, v, 4); }
void mimi_write_u64(mimi_writer *w, uint64_t v) { put_be(w, v, 8); }

static size_t varint_size(uint32_t v) { return v < 0x40 ? 1 : v < 0x4000 ? 2 : 4; }

static void encode_varint(uint8_t *p, uint32_t v, size_t n) {
  if (n == 1) {
    p[0] = (uint8_t)v;
  } else if (n == 2) {
    p[0] = (uint8_t)(0x40 | v >> 8);
    p[1] = (uint8_t)v;
  } else {
    p[0] = (uint8_t)(0x80 | v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
  }
}

void mimi_write_varint(mimi_writer *w, uint32_t v) {
  if (w->err != MIMI_OK) return;
  if (v > MIMI_VARINT_MAX) {
    w->err = MIMI_ERR_TOO_LARGE;
    return;
  }
  size_t n = varint_size(v);
  uint8_t *p = reserve(w, n);
  if (p) encode_varint(p, v, n);
}

void mimi_write_raw(mimi_writer *w, const uint8_t *data, size_t len) {
  if (len == 0) return;
  uint8_t *p = reserve(w, len);
  if (p) memcpy(p, data, len);
}

void mimi_write_opaque(mimi_writer *w, const uint8_t *data, size_t len) {
  if (len > MIMI_VARINT_MAX) {
    if (w->err == MIMI_OK) w->err = MIMI_ERR_TOO_LARGE;
    return;
  }
  mimi_write_varint(w, (uint32_t)len);
  mimi_write_raw(w, data, len);
}

size_t mimi_write_vec_begin(mimi_writer *w) {
  /* Reserve the largest header; vec_end slides the body left if shorter. */
  reserve(w, 4);
  return w->len;
}

void mimi_write_vec_end(mimi_writer *w, size_t mark) {
  if (w->err != MIMI_OK) return;
  size_t body = w->len - mark;
  if (body > MIMI_VARINT_MAX) {
    w->err = MIMI_ERR_TOO_LARGE;
    return;
  }
  size_t n = varint_size((uint32_t)body);
  uint8_t *hdr = w->data + mark - 4;
  if (n < 4) memmove(hdr + n, w->data + mark, body);
  encode_varint(hdr, (uint32_t)body, n);
  w->len -= 4 - n;
}

mimi_err mimi_writer_finish(mimi_writer *w, mimi_bytes *out) {
  if (w->err != MIMI_OK) {
    mimi_err err = w->err;
    mimi_writer_free(w);
    return err;
  }
  mimi_err err = mimi_bytes_copy(out, w->data, w->len);
  mimi_writer_free(w);
  return err;
}
