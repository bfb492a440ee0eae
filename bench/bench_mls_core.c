/* bench_mls_core.c — the MLS key-derivation core per cipher suite: one
 * epoch step of the key schedule, the next application key+nonce from the
 * secret tree, ExpandWithLabel, and a raw HKDF-Expand of the same size to
 * show what the KDFLabel encoding adds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mimi/mls.h"
#include "util.h"

typedef struct {
  uint16_t suite;
  size_t nh;
  uint8_t init[MIMI_MAX_HASH], commit[MIMI_MAX_HASH], gc[128];
  mls_epoch_secrets ks;
  mls_secret_tree *st;
} bench_state;

static int op_epoch(void *arg) {
  bench_state *b = arg;
  mimi_err err = mls_key_schedule_epoch(&b->ks, b->suite, b->init, b->nh, b->commit, b->nh,
                                        NULL, 0, b->gc, sizeof b->gc);
  if (err == MIMI_OK) memcpy(b->init, b->ks.init_secret, b->nh);
  return err != MIMI_OK;
}

static int op_next_key(void *arg) {
  bench_state *b = arg;
  mls_key_nonce k;
  mimi_err err = mls_secret_tree_next(b->st, 0, MLS_RATCHET_APPLICATION, &k);
  mls_key_nonce_clear(&k);
  return err != MIMI_OK;
}

static int op_expand(void *arg) {
  bench_state *b = arg;
  uint8_t out[MIMI_MAX_HASH];
  return mls_expand_with_label(b->suite, b->init, b->nh, (const uint8_t *)"epoch", 5, b->gc,
                               sizeof b->gc, out, b->nh) != MIMI_OK;
}

static int op_hkdf_expand(void *arg) {
  bench_state *b = arg;
  const mimi_suite *s = mimi_suite_get(b->suite);
  uint8_t out[MIMI_MAX_HASH];
  return mimi_hkdf_expand(s->kdf, b->init, b->nh, b->gc, sizeof b->gc, out, b->nh) != MIMI_OK;
}

static void row(const char *op, uint16_t suite, int (*fn)(void *), bench_state *b) {
  double ops = bench_ops_per_sec(fn, b, bench_seconds());
  printf("| %-44s | %5u | %12.0f | %9.2f |\n", op, suite, ops, 1e6 / ops);
}

int main(void) {
  printf("| %-44s | %5s | %12s | %9s |\n", "operation", "suite", "ops/s", "us/op");
  printf("|----------------------------------------------|-------|--------------|-----------|\n");
  for (uint16_t suite = 1; suite <= 7; suite++) {
    const mimi_suite *s = mimi_suite_get(suite);
    if (s == NULL) continue;
    bench_state b;
    memset(&b, 0, sizeof b);
    b.suite = suite;
    b.nh = s->hash_len;
    for (size_t i = 0; i < sizeof b.init; i++) {
      b.init[i] = (uint8_t)i;
      b.commit[i] = (uint8_t)(3 * i + 1);
    }
    for (size_t i = 0; i < sizeof b.gc; i++) b.gc[i] = (uint8_t)(i ^ 0x5a);
    if (mls_secret_tree_new(&b.st, suite, b.init, b.nh, 64, NULL) != MIMI_OK) return 1;
    row("key schedule epoch step (all epoch secrets)", suite, op_epoch, &b);
    row("secret tree next application key+nonce", suite, op_next_key, &b);
    row("ExpandWithLabel (Nh out, 128 B context)", suite, op_expand, &b);
    row("raw HKDF-Expand (Nh out, 128 B info)", suite, op_hkdf_expand, &b);
    mls_secret_tree_free(b.st);
    mls_epoch_secrets_clear(&b.ks);
  }
  return 0;
}
