/* harness.c — failure reporting, summaries, test RNGs, JSON vector access. */
#include "harness.h"

#include <stdarg.h>
#include <stdlib.h>

int mimi_test_failures = 0;
int mimi_test_checks = 0;
int mimi_test_cases = 0;

void mimi_test_fail(const char *file, int line, const char *fmt, ...) {
  va_list ap;
  mimi_test_failures++;
  if (mimi_test_failures > 50) return; /* keep logs readable */
  fprintf(stderr, "FAIL %s:%d: ", file, line);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

int mimi_test_summary(const char *name) {
  printf("%s: %d cases, %d checks, %d failures\n", name, mimi_test_cases, mimi_test_checks,
         mimi_test_failures);
  return mimi_test_failures == 0 ? 0 : 1;
}

static mimi_err fixed_fill(void *ctx, uint8_t *out, size_t len) {
  mimi_test_rng_state *st = ctx;
  if (st->len - st->pos < len) return MIMI_ERR_RNG;
  memcpy(out, st->data + st->pos, len);
  st->pos += len;
  return MIMI_OK;
}

mimi_rng mimi_test_rng_fixed(mimi_test_rng_state *st, const uint8_t *data, size_t len) {
  st->data = data;
  st->len = len;
  st->pos = 0;
  mimi_rng r = {fixed_fill, st};
  return r;
}

uint64_t mimi_test_prng_next(mimi_test_prng *st) {
  /* xorshift64* */
  uint64_t x = st->s;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  st->s = x;
  return x * 0x2545F4914F6CDD1DULL;
}

static mimi_err prng_fill(void *ctx, uint8_t *out, size_t len) {
  for (size_t i = 0; i < len; i++) out[i] = (uint8_t)(mimi_test_prng_next(ctx) >> 56);
  return MIMI_OK;
}

mimi_rng mimi_test_rng_prng(mimi_test_prng *st, uint64_t seed) {
  st->s = seed ? seed : 0x9E3779B97F4A7C15ULL;
  mimi_rng r = {prng_fill, st};
  return r;
}

json_t *mimi_vec_load(const char *relpath) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", MIMI_VECTOR_DIR, relpath);
  json_error_t e;
  json_t *j = json_load_file(path, 0, &e);
  if (j == NULL) {
    fprintf(stderr, "cannot load %s: %s (line %d)\n", path, e.text, e.line);
    exit(2);
  }
  return j;
}

char *mimi_vec_read(const char *relpath, size_t *len) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", MIMI_VECTOR_DIR, relpath);
  FILE *f = fopen(path, "rb");
  long n = -1;
  if (f != NULL && fseek(f, 0, SEEK_END) == 0) n = ftell(f);
  char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
  if (buf == NULL || fseek(f, 0, SEEK_SET) != 0 || fread(buf, 1, (size_t)n, f) != (size_t)n) {
    fprintf(stderr, "cannot read %s\n", path);
    exit(2);
  }
  fclose(f);
  buf[n] = '\0';
  *len = (size_t)n;
  return buf;
}

mimi_bytes mimi_vec_hex(json_t *obj, const char *key) {
  json_t *v = json_object_get(obj, key);
  mimi_bytes b = {NULL, 0};
  if (!json_is_string(v) || mimi_bytes_from_hex(&b, json_string_value(v)) != MIMI_OK) {
    fprintf(stderr, "vector field '%s' missing or not hex\n", key);
    exit(2);
  }
  return b;
}

long long mimi_vec_int(json_t *obj, const char *key) {
  json_t *v = json_object_get(obj, key);
  if (!json_is_integer(v)) {
    fprintf(stderr, "vector field '%s' missing or not an integer\n", key);
    exit(2);
  }
  return json_integer_value(v);
}
