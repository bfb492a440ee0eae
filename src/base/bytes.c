/* bytes.c — owned byte strings; every free zeroizes. */
#include <stdlib.h>
#include <string.h>

#include "mimi/base.h"

mimi_err mimi_bytes_alloc(mimi_bytes *out, size_t len) {
  /* calloc(0) may return NULL; keep a real allocation so data != NULL. */
  uint8_t *p = calloc(len ? len : 1, 1);
  if (p == NULL) return MIMI_ERR_NOMEM;
  out->data = p;
  out->len = len;
  return MIMI_OK;
}

mimi_err mimi_bytes_copy(mimi_bytes *out, const uint8_t *data, size_t len) {
  mimi_bytes b;
  MIMI_TRY(mimi_bytes_alloc(&b, len));
  if (len) memcpy(b.data, data, len);
  *out = b;
  return MIMI_OK;
}

mimi_err mimi_bytes_dup(mimi_bytes *out, const mimi_bytes *in) {
  return mimi_bytes_copy(out, in->data, in->len);
}

mimi_err mimi_bytes_append(mimi_bytes *b, const uint8_t *data, size_t len) {
  if (len == 0) return MIMI_OK;
  if (b->len > SIZE_MAX - len) return MIMI_ERR_TOO_LARGE;
  mimi_bytes n;
  MIMI_TRY(mimi_bytes_alloc(&n, b->len + len));
  if (b->len) memcpy(n.data, b->data, b->len);
  memcpy(n.data + b->len, data, len);
  mimi_bytes_free(b);
  *b = n;
  return MIMI_OK;
}

void mimi_bytes_free(mimi_bytes *b) {
  if (b->data != NULL) {
    mimi_secure_zero(b->data, b->len);
    free(b->data);
  }
  b->data = NULL;
  b->len = 0;
}

bool mimi_bytes_eq(const mimi_bytes *a, const mimi_bytes *b) {
  return a->len == b->len && mimi_ct_eq(a->data, b->data, a->len);
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

mimi_err mimi_bytes_from_hex(mimi_bytes *out, const char *hex) {
  size_t n = strlen(hex);
  if (n % 2 != 0) return MIMI_ERR_INVALID_ARG;
  mimi_bytes b;
  MIMI_TRY(mimi_bytes_alloc(&b, n / 2));
  for (size_t i = 0; i < n / 2; i++) {
    int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      mimi_bytes_free(&b);
      return MIMI_ERR_INVALID_ARG;
    }
    b.data[i] = (uint8_t)(hi << 4 | lo);
  }
  *out = b;
  return MIMI_OK;
}

mimi_err mimi_bytes_to_hex(const mimi_bytes *in, char **out_hex) {
  static const char digits[] = "0123456789abcdef";
  char *s = malloc(2 * in->len + 1);
  if (s == NULL) return MIMI_ERR_NOMEM;
  for (size_t i = 0; i < in->len; i++) {
    s[2 * i] = digits[in->data[i] >> 4];
    s[2 * i + 1] = digits[in->data[i] & 15];
  }
  s[2 * in->len] = '\0';
  *out_hex = s;
  return MIMI_OK;
}
