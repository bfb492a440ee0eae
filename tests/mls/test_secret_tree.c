/* test_secret_tree.c — the secret tree and sender ratchets of RFC 9420 §9
 * and the sender data keys of §6.3.2 against the mlswg secret-tree.json
 * vectors (every leaf and generation, in several access orders, through
 * both the receive and the send API), then the out-of-order window: too
 * far ahead, consumed, evicted, reordered within the window; and the
 * two-phase receive: a peek without consume, or a stale ticket, leaves the
 * tree behaving exactly like an untouched twin. */
#include <stdlib.h>

#include "harness.h"
#include "mimi/mls.h"

static const mls_ratchet_type types[2] = {MLS_RATCHET_HANDSHAKE, MLS_RATCHET_APPLICATION};
static const char *key_names[2] = {"handshake_key", "application_key"};
static const char *nonce_names[2] = {"handshake_nonce", "application_nonce"};

/* Field by field: struct padding is not part of the value. */
static bool same_kn(const mls_key_nonce *a, const mls_key_nonce *b) {
  return a->generation == b->generation && a->key_len == b->key_len &&
         a->nonce_len == b->nonce_len && memcmp(a->key, b->key, a->key_len) == 0 &&
         memcmp(a->nonce, b->nonce, a->nonce_len) == 0;
}

/* Receiving a key for good: peek, then consume the ticket. */
static mimi_err take(mls_secret_tree *st, uint32_t leaf, mls_ratchet_type type, uint32_t gen,
                     mls_key_nonce *out) {
  mls_secret_tree_ticket *t = NULL;
  mimi_err err = mls_secret_tree_peek(st, leaf, type, gen, out, &t);
  if (err == MIMI_OK) CHECK_OK(mls_secret_tree_consume(st, t));
  return err;
}

static void check_kn(const mls_key_nonce *k, json_t *gen, int t) {
  mimi_bytes key = mimi_vec_hex(gen, key_names[t]), nonce = mimi_vec_hex(gen, nonce_names[t]);
  CHECK(k->generation == (uint32_t)mimi_vec_int(gen, "generation"));
  CHECK_MEM(k->key, k->key_len, key.data, key.len);
  CHECK_MEM(k->nonce, k->nonce_len, nonce.data, nonce.len);
  mimi_bytes_free(&key);
  mimi_bytes_free(&nonce);
}

static void check_sender_data(uint16_t suite, json_t *sd) {
  mimi_bytes secret = mimi_vec_hex(sd, "sender_data_secret"), ct = mimi_vec_hex(sd, "ciphertext"),
             key = mimi_vec_hex(sd, "key"), nonce = mimi_vec_hex(sd, "nonce");
  mls_key_nonce k;
  CHECK_OK(mls_sender_data_key_nonce(suite, secret.data, secret.len, ct.data, ct.len, &k));
  CHECK_MEM(k.key, k.key_len, key.data, key.len);
  CHECK_MEM(k.nonce, k.nonce_len, nonce.data, nonce.len);
  /* Only the first Nh bytes are sampled. */
  CHECK(ct.len > secret.len);
  ct.data[secret.len] ^= 0xff;
  mls_key_nonce k2;
  CHECK_OK(mls_sender_data_key_nonce(suite, secret.data, secret.len, ct.data, ct.len, &k2));
  CHECK(same_kn(&k, &k2));
  /* A ciphertext shorter than Nh is sampled whole. */
  uint8_t want[MIMI_MAX_AEAD_KEY];
  CHECK_OK(mls_sender_data_key_nonce(suite, secret.data, secret.len, ct.data, 5, &k2));
  CHECK_OK(mls_expand_with_label(suite, secret.data, secret.len, (const uint8_t *)"key", 3,
                                 ct.data, 5, want, k2.key_len));
  CHECK_MEM(k2.key, k2.key_len, want, k2.key_len);
  CHECK_ERR(mls_sender_data_key_nonce(suite, secret.data, secret.len - 1, ct.data, ct.len, &k2),
            MIMI_ERR_BAD_LENGTH);
  mls_key_nonce_clear(&k);
  mls_key_nonce_clear(&k2);
  mimi_bytes_free(&secret);
  mimi_bytes_free(&ct);
  mimi_bytes_free(&key);
  mimi_bytes_free(&nonce);
}

/* Receive API, leaves visited forward or backward. */
static void run_receive(uint16_t suite, const mimi_bytes *enc, json_t *leaves, bool reverse) {
  uint32_t n = (uint32_t)json_array_size(leaves);
  mls_secret_tree *st = NULL;
  CHECK_OK(mls_secret_tree_new(&st, suite, enc->data, enc->len, n, NULL));
  for (uint32_t j = 0; j < n && st != NULL; j++) {
    uint32_t leaf = reverse ? n - 1 - j : j;
    size_t g;
    json_t *gen;
    json_array_foreach(json_array_get(leaves, leaf), g, gen) {
      for (int t = 0; t < 2; t++) {
        uint32_t want = (uint32_t)mimi_vec_int(gen, "generation");
        mls_key_nonce k;
        mls_secret_tree_ticket *ticket = NULL;
        /* a peek gives the same key and changes nothing */
        CHECK_OK(mls_secret_tree_peek(st, leaf, types[t], want, &k, &ticket));
        check_kn(&k, gen, t);
        mls_secret_tree_discard(ticket);
        mls_key_nonce_clear(&k);
        CHECK_OK(take(st, leaf, types[t], want, &k));
        check_kn(&k, gen, t);
        mls_key_nonce_clear(&k);
      }
    }
  }
  mls_secret_tree_free(st);
}

/* Send API: step with next() up to each listed generation. */
static void run_send(uint16_t suite, const mimi_bytes *enc, json_t *leaves) {
  uint32_t n = (uint32_t)json_array_size(leaves);
  mls_secret_tree *st = NULL;
  CHECK_OK(mls_secret_tree_new(&st, suite, enc->data, enc->len, n, NULL));
  for (uint32_t leaf = 0; leaf < n && st != NULL; leaf++) {
    size_t g;
    json_t *gen;
    json_array_foreach(json_array_get(leaves, leaf), g, gen) {
      uint32_t want = (uint32_t)mimi_vec_int(gen, "generation");
      for (int t = 0; t < 2; t++) {
        mls_key_nonce k = {0};
        do {
          mls_key_nonce_clear(&k);
          CHECK_OK(mls_secret_tree_next(st, leaf, types[t], &k));
        } while (k.generation < want);
        check_kn(&k, gen, t);
        mls_key_nonce_clear(&k);
      }
    }
  }
  mls_secret_tree_free(st);
}

static void test_vectors(void) {
  json_t *root = mimi_vec_load("mls/secret-tree.json");
  size_t i;
  json_t *c;
  json_array_foreach(root, i, c) {
    uint16_t suite = (uint16_t)mimi_vec_int(c, "cipher_suite");
    check_sender_data(suite, json_object_get(c, "sender_data"));
    mimi_bytes enc = mimi_vec_hex(c, "encryption_secret");
    json_t *leaves = json_object_get(c, "leaves");
    run_receive(suite, &enc, leaves, false);
    run_receive(suite, &enc, leaves, true);
    run_send(suite, &enc, leaves);
    mimi_bytes_free(&enc);
    mimi_test_case();
  }
  json_decref(root);
}

/* The window tests' trees: suite 1, 4 leaves, an arbitrary secret. */
static void window_secret(uint8_t enc[32]) {
  for (size_t i = 0; i < 32; i++) enc[i] = (uint8_t)(i * 7 + 1);
}

static mls_secret_tree *tree4(const uint8_t *enc, const mls_secret_tree_config *cfg) {
  mls_secret_tree *st = NULL;
  CHECK_OK(mls_secret_tree_new(&st, 1, enc, 32, 4, cfg));
  return st;
}

/* Keys of one ratchet in order, from a fresh tree's send API. */
static void reference_keys(const uint8_t *enc, uint32_t leaf, mls_key_nonce *keys, size_t n) {
  mls_secret_tree *st = tree4(enc, NULL);
  for (size_t i = 0; i < n && st != NULL; i++)
    CHECK_OK(mls_secret_tree_next(st, leaf, MLS_RATCHET_APPLICATION, &keys[i]));
  mls_secret_tree_free(st);
}

static void expect_key(mls_secret_tree *st, uint32_t gen, const mls_key_nonce *ref) {
  mls_key_nonce k;
  memset(&k, 0, sizeof k);
  CHECK_OK(take(st, 1, MLS_RATCHET_APPLICATION, gen, &k));
  CHECK(same_kn(&k, &ref[gen]));
  mls_key_nonce_clear(&k);
}

static void expect_err(mls_secret_tree *st, uint32_t gen, mimi_err want) {
  mls_key_nonce k;
  memset(&k, 0x5a, sizeof k);
  mls_secret_tree_ticket *t = (mls_secret_tree_ticket *)&k;
  CHECK_ERR(mls_secret_tree_peek(st, 1, MLS_RATCHET_APPLICATION, gen, &k, &t), want);
  CHECK(t == (mls_secret_tree_ticket *)&k);
  for (size_t i = 0; i < sizeof k.key; i++) CHECK(k.key[i] == 0x5a);
}

static void test_window(void) {
  uint8_t enc[32];
  window_secret(enc);
  mls_key_nonce ref[16];
  reference_keys(enc, 1, ref, 16);

  mls_secret_tree_config cfg = {4, 2};
  mls_secret_tree *st = tree4(enc, &cfg);
  expect_err(st, 5, MIMI_ERR_GENERATION_TOO_FAR); /* 5 past next = 0 */
  expect_err(st, 0xffffffffu, MIMI_ERR_GENERATION_TOO_FAR);
  expect_key(st, 4, ref);                       /* skips 0..3, keeps 2, 3 */
  expect_err(st, 4, MIMI_ERR_GENERATION_TOO_OLD); /* consumed */
  expect_err(st, 0, MIMI_ERR_GENERATION_TOO_OLD); /* skipped beyond max_retained */
  expect_err(st, 1, MIMI_ERR_GENERATION_TOO_OLD);
  expect_key(st, 3, ref);                       /* out of order, within window */
  expect_err(st, 3, MIMI_ERR_GENERATION_TOO_OLD);
  expect_err(st, 10, MIMI_ERR_GENERATION_TOO_FAR); /* next is 5 */
  expect_key(st, 5, ref);                       /* state intact after the errors */
  expect_key(st, 9, ref);                       /* keeps 7, 8; evicts 2 and 6 */
  expect_err(st, 2, MIMI_ERR_GENERATION_TOO_OLD);
  expect_err(st, 6, MIMI_ERR_GENERATION_TOO_OLD);
  expect_key(st, 8, ref);
  expect_key(st, 7, ref);

  mls_secret_tree_free(st);

  /* The handshake ratchet of the same leaf and other leaves are separate. */
  st = tree4(enc, &cfg);
  expect_key(st, 2, ref);
  mls_key_nonce k;
  CHECK_OK(take(st, 1, MLS_RATCHET_HANDSHAKE, 0, &k));
  CHECK(memcmp(k.key, ref[0].key, k.key_len) != 0);
  mls_key_nonce_clear(&k);
  CHECK_OK(take(st, 0, MLS_RATCHET_APPLICATION, 4, &k));
  mls_key_nonce_clear(&k);
  expect_key(st, 0, ref);
  mls_secret_tree_free(st);

  /* max_forward = max_retained = 0: strictly in order */
  mls_secret_tree_config strict = {0, 0};
  st = tree4(enc, &strict);
  expect_err(st, 1, MIMI_ERR_GENERATION_TOO_FAR);
  expect_key(st, 0, ref);
  expect_key(st, 1, ref);
  mls_secret_tree_free(st);
  for (size_t i = 0; i < 16; i++) mls_key_nonce_clear(&ref[i]);
  mimi_test_case();
}

/* Runs one script of receives and sends on both trees and checks that they
 * answer alike: same error or same key, every step. Trees have 4 leaves. */
static void check_twins(mls_secret_tree *a, mls_secret_tree *b) {
  static const uint32_t script[] = {6, 0, 1, 2, 3, 4, 5, 6, 7, 9, 8, 30, 12, 10, 11};
  for (uint32_t leaf = 0; leaf < 4; leaf++) {
    for (int t = 0; t < 2; t++) {
      for (size_t i = 0; i < sizeof script / sizeof script[0]; i++) {
        mls_key_nonce ka, kb;
        memset(&ka, 0, sizeof ka);
        memset(&kb, 0, sizeof kb);
        mimi_err ea = take(a, leaf, types[t], script[i], &ka);
        mimi_err eb = take(b, leaf, types[t], script[i], &kb);
        CHECK(ea == eb);
        if (ea == MIMI_OK && eb == MIMI_OK) CHECK(same_kn(&ka, &kb));
        mls_key_nonce_clear(&ka);
        mls_key_nonce_clear(&kb);
      }
      mls_key_nonce ka, kb;
      CHECK_OK(mls_secret_tree_next(a, leaf, types[t], &ka));
      CHECK_OK(mls_secret_tree_next(b, leaf, types[t], &kb));
      CHECK(same_kn(&ka, &kb));
      mls_key_nonce_clear(&ka);
      mls_key_nonce_clear(&kb);
    }
  }
}

static void peek_and_drop(const mls_secret_tree *st, uint32_t leaf, mls_ratchet_type type,
                          uint32_t gen, mimi_err want) {
  mls_key_nonce k;
  mls_secret_tree_ticket *t = NULL;
  CHECK_ERR(mls_secret_tree_peek(st, leaf, type, gen, &k, &t), want);
  if (want == MIMI_OK) {
    mls_key_nonce_clear(&k);
    mls_secret_tree_discard(t);
  }
}

/* A peek without consume, of every kind (far ahead on a fresh tree whose
 * leaf was never split, far ahead on a used ratchet, a retained key, past
 * the window), leaves the tree answering exactly like an untouched twin. */
static void test_peek_is_pure(void) {
  uint8_t enc[32];
  window_secret(enc);
  static const mls_secret_tree_config cfgs[] = {{8, 2}, {8, 0}, {1024, 64}, {0, 0}};
  for (size_t c = 0; c < sizeof cfgs / sizeof cfgs[0]; c++) {
    const mls_secret_tree_config *cfg = &cfgs[c];
    uint32_t far = cfg->max_forward; /* the furthest a peek may go */
    for (int used = 0; used < 2; used++) {
      mls_secret_tree *a = tree4(enc, cfg), *b = tree4(enc, cfg);
      if (a == NULL || b == NULL) return;
      if (used) {
        /* the same history on both: leaf 1 skipped ahead, leaf 0 started */
        mls_key_nonce k;
        uint32_t g = cfg->max_forward < 3 ? cfg->max_forward : 3;
        CHECK_OK(take(a, 1, MLS_RATCHET_APPLICATION, g, &k));
        CHECK_OK(take(b, 1, MLS_RATCHET_APPLICATION, g, &k));
        CHECK_OK(take(a, 0, MLS_RATCHET_HANDSHAKE, 0, &k));
        CHECK_OK(take(b, 0, MLS_RATCHET_HANDSHAKE, 0, &k));
        mls_key_nonce_clear(&k);
        if (cfg->max_retained > 0 && g > 0)
          peek_and_drop(a, 1, MLS_RATCHET_APPLICATION, g - 1, MIMI_OK);
        peek_and_drop(a, 1, MLS_RATCHET_APPLICATION, g + 1 + far, MIMI_OK);
        peek_and_drop(a, 1, MLS_RATCHET_APPLICATION, g, MIMI_ERR_GENERATION_TOO_OLD);
        peek_and_drop(a, 1, MLS_RATCHET_APPLICATION, g + 2 + far,
                      MIMI_ERR_GENERATION_TOO_FAR);
      }
      peek_and_drop(a, 2, MLS_RATCHET_APPLICATION, far, MIMI_OK);
      peek_and_drop(a, 3, MLS_RATCHET_HANDSHAKE, 0, MIMI_OK);
      peek_and_drop(a, 2, MLS_RATCHET_HANDSHAKE, far + 1, MIMI_ERR_GENERATION_TOO_FAR);
      check_twins(a, b);
      mls_secret_tree_free(a);
      mls_secret_tree_free(b);
    }
  }

  /* The brief's attack on the tree alone: with nothing retained, a peek of
   * a far-ahead generation still lets every earlier one be received, in
   * order, with the right keys. */
  mls_key_nonce ref[10];
  reference_keys(enc, 1, ref, 10);
  mls_secret_tree_config strict = {9, 0};
  mls_secret_tree *st = tree4(enc, &strict);
  peek_and_drop(st, 1, MLS_RATCHET_APPLICATION, 9, MIMI_OK);
  for (uint32_t g = 0; g < 10; g++) expect_key(st, g, ref);
  mls_secret_tree_free(st);
  for (size_t i = 0; i < 10; i++) mls_key_nonce_clear(&ref[i]);
  mimi_test_case();
}

/* A ticket is good for the tree state it was peeked from only. */
static void test_tickets(void) {
  uint8_t enc[32];
  window_secret(enc);
  mls_key_nonce ref[8];
  reference_keys(enc, 1, ref, 8);
  mls_secret_tree_config cfg = {8, 4};
  mls_secret_tree *st = tree4(enc, &cfg), *twin = tree4(enc, &cfg), *other = tree4(enc, &cfg);
  if (st == NULL || twin == NULL || other == NULL) return;

  /* two tickets in flight: the first consumed makes the second stale */
  mls_key_nonce k2, k0;
  mls_secret_tree_ticket *t2 = NULL, *t0 = NULL;
  CHECK_OK(mls_secret_tree_peek(st, 1, MLS_RATCHET_APPLICATION, 2, &k2, &t2));
  CHECK_OK(mls_secret_tree_peek(st, 1, MLS_RATCHET_APPLICATION, 0, &k0, &t0));
  CHECK(same_kn(&k2, &ref[2]) && same_kn(&k0, &ref[0]));
  CHECK_OK(mls_secret_tree_consume(st, t2));
  CHECK_ERR(mls_secret_tree_consume(st, t0), MIMI_ERR_INVALID_ARG);
  mls_key_nonce k;
  CHECK_OK(take(twin, 1, MLS_RATCHET_APPLICATION, 2, &k));
  /* peeked again, generation 0 comes from the retained keys */
  expect_key(st, 0, ref);
  expect_key(twin, 0, ref);

  /* any change to the tree, even for another leaf, makes a ticket stale */
  CHECK_OK(mls_secret_tree_peek(st, 1, MLS_RATCHET_APPLICATION, 5, &k, &t2));
  CHECK_OK(mls_secret_tree_next(st, 3, MLS_RATCHET_HANDSHAKE, &k0));
  CHECK_OK(mls_secret_tree_next(twin, 3, MLS_RATCHET_HANDSHAKE, &k0));
  CHECK_ERR(mls_secret_tree_consume(st, t2), MIMI_ERR_INVALID_ARG);

  /* a ticket from another tree, even one in the same state, is refused */
  CHECK_OK(mls_secret_tree_peek(other, 1, MLS_RATCHET_APPLICATION, 1, &k, &t2));
  CHECK_ERR(mls_secret_tree_consume(st, t2), MIMI_ERR_INVALID_ARG);
  check_twins(st, twin);

  mls_key_nonce_clear(&k);
  mls_key_nonce_clear(&k0);
  mls_key_nonce_clear(&k2);
  for (size_t i = 0; i < 8; i++) mls_key_nonce_clear(&ref[i]);
  mls_secret_tree_free(st);
  mls_secret_tree_free(twin);
  mls_secret_tree_free(other);
  mimi_test_case();
}

static void test_errors(void) {
  uint8_t enc[64] = {3};
  mls_secret_tree *st = (mls_secret_tree *)&enc; /* must stay untouched */
  CHECK_ERR(mls_secret_tree_new(&st, 0, enc, 32, 4, NULL), MIMI_ERR_UNSUPPORTED_SUITE);
  CHECK_ERR(mls_secret_tree_new(&st, 1, enc, 64, 4, NULL), MIMI_ERR_BAD_LENGTH);
  CHECK_ERR(mls_secret_tree_new(&st, 4, enc, 32, 4, NULL), MIMI_ERR_BAD_LENGTH);
  CHECK_ERR(mls_secret_tree_new(&st, 1, enc, 32, 3, NULL), MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mls_secret_tree_new(&st, 1, enc, 32, 0, NULL), MIMI_ERR_INVALID_ARG);
  CHECK(st == (mls_secret_tree *)&enc);
  CHECK_OK(mls_secret_tree_new(&st, 1, enc, 32, 4, NULL));
  mls_key_nonce k;
  mls_secret_tree_ticket *t = NULL;
  CHECK_ERR(mls_secret_tree_peek(st, 4, MLS_RATCHET_APPLICATION, 0, &k, &t),
            MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mls_secret_tree_next(st, 0xffffffffu, MLS_RATCHET_HANDSHAKE, &k),
            MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mls_secret_tree_peek(st, 0, (mls_ratchet_type)2, 0, &k, &t), MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mls_secret_tree_peek(NULL, 0, MLS_RATCHET_APPLICATION, 0, &k, &t),
            MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mls_secret_tree_peek(st, 0, MLS_RATCHET_APPLICATION, 0, NULL, &t),
            MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mls_secret_tree_peek(st, 0, MLS_RATCHET_APPLICATION, 0, &k, NULL),
            MIMI_ERR_INVALID_ARG);
  CHECK(t == NULL);
  CHECK_ERR(mls_secret_tree_consume(st, NULL), MIMI_ERR_INVALID_ARG);
  CHECK_OK(mls_secret_tree_peek(st, 0, MLS_RATCHET_APPLICATION, 0, &k, &t));
  CHECK_ERR(mls_secret_tree_consume(NULL, t), MIMI_ERR_INVALID_ARG); /* frees t */
  mls_secret_tree_discard(NULL);
  mls_key_nonce_clear(&k);
  mls_secret_tree_free(st);
  mls_secret_tree_free(NULL);

  uint8_t nonce_in[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  mls_key_nonce g = {0, 16, 12, {0}, {0}};
  memcpy(g.nonce, nonce_in, 12);
  const uint8_t guard[4] = {0xff, 0x00, 0x0f, 0xf0};
  mls_key_nonce_apply_reuse_guard(&g, guard);
  const uint8_t want[12] = {0xfe, 0x02, 0x0c, 0xf4, 5, 6, 7, 8, 9, 10, 11, 12};
  CHECK_MEM(g.nonce, 12, want, 12);
  mls_key_nonce_apply_reuse_guard(&g, guard);
  CHECK_MEM(g.nonce, 12, nonce_in, 12);
  mimi_test_case();
}

int main(void) {
  test_vectors();
  test_window();
  test_peek_is_pure();
  test_tickets();
  test_errors();
  return mimi_test_summary("secret_tree");
}
