/*
 * harness.h — the tiny test framework: CHECK macros that record a failure
 * with file:line and carry on, and a summary line CTest shows.
 *
 * A test program defines `int main(void)` that calls its cases and ends with
 * `return mimi_test_summary("name");`. Vector-driven tests count cases with
 * mimi_test_case() so the summary says how many vector entries passed.
 */
#ifndef MIMI_TEST_HARNESS_H
#define MIMI_TEST_HARNESS_H

#include <stdio.h>
#include <string.h>

#include "mimi/base.h"

extern int mimi_test_failures;
extern int mimi_test_checks;
extern int mimi_test_cases;

void mimi_test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int mimi_test_summary(const char *name);
/* Counts a completed vector case / scenario. */
static inline void mimi_test_case(void) { mimi_test_cases++; }

#define CHECK(cond)                                                             \
  do {                                                                          \
    mimi_test_checks++;                                                         \
    if (!(cond)) mimi_test_fail(__FILE__, __LINE__, "CHECK(%s)", #cond);        \
  } while (0)

#define CHECK_OK(expr)                                                          \
  do {                                                                          \
    mimi_test_checks++;                                                         \
    mimi_err check_err_ = (expr);                                               \
    if (check_err_ != MIMI_OK)                                                  \
      mimi_test_fail(__FILE__, __LINE__, "%s -> %s", #expr,                     \
                     mimi_errname(check_err_));                                 \
  } while (0)

#define CHECK_ERR(expr, code)                                                   \
  do {                                                                          \
    mimi_test_checks++;                                                         \
    mimi_err check_err_ = (expr);                                               \
    if (check_err_ != (code))                                                   \
      mimi_test_fail(__FILE__, __LINE__, "%s -> %s, expected %s", #expr,        \
                     mimi_errname(check_err_), mimi_errname(code));             \
  } while (0)

#define CHECK_MEM(a, alen, b, blen)                                             \
  do {                                                                          \
    mimi_test_checks++;                                                         \
    size_t check_la_ = (alen), check_lb_ = (blen);                              \
    if (check_la_ != check_lb_ || memcmp((a), (b), check_la_) != 0)             \
      mimi_test_fail(__FILE__, __LINE__, "%s (%zu bytes) != %s (%zu bytes)",    \
                     #a, check_la_, #b, check_lb_);                             \
  } while (0)

#define CHECK_BYTES(x, y) CHECK_MEM((x).data, (x).len, (y).data, (y).len)

/* ---- test RNG: replays given bytes, then fails (RNG) ------------------- */
typedef struct {
  const uint8_t *data;
  size_t len, pos;
} mimi_test_rng_state;
mimi_rng mimi_test_rng_fixed(mimi_test_rng_state *st, const uint8_t *data, size_t len);
/* Deterministic xorshift stream for property tests. */
typedef struct {
  uint64_t s;
} mimi_test_prng;
mimi_rng mimi_test_rng_prng(mimi_test_prng *st, uint64_t seed);
uint64_t mimi_test_prng_next(mimi_test_prng *st);

/* ---- JSON test vectors (jansson) --------------------------------------- */
#include <jansson.h>
/* Loads MIMI_VECTOR_DIR/<relpath>; aborts the test program on failure. */
json_t *mimi_vec_load(const char *relpath);
/* Hex string field `key` of obj into *out (empty string -> empty bytes).
 * Aborts on a missing key or bad hex: a broken vector file is a test bug. */
mimi_bytes mimi_vec_hex(json_t *obj, const char *key);
/* Integer field. */
long long mimi_vec_int(json_t *obj, const char *key);
/* Reads MIMI_VECTOR_DIR/<relpath> whole (for CBOR / EDN vectors), with a NUL
 * after the *len bytes; free() it. Aborts the test program on failure. */
char *mimi_vec_read(const char *relpath, size_t *len);

#endif
