/* test_secret_tree.c — the secret tree and sender ratchets of RFC 9420 §9
 * and the sender data keys of §6.3.2 against the mlswg secret-tree.json
 * vectors (every leaf and generation, in several access orders, through
 * both the receive and the send API), then the out-of-order window: too
 * far ahead, consumed, evicted, reordered within the window, returned keys,
 * and no state change after an error. */
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
        mls_key_nonce k;
        CHECK_OK(mls_secret_tree_get(st, leaf, types[t],
                                     (uint32_t)mimi_vec_int(gen, "generation"), &k));
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

/* Keys of one ratchet in order, from a fresh tree's send API. */
static void reference_keys(const uint8_t *enc, uint32_t leaf, mls_key_nonce *keys, size_t n) {
  mls_secret_tree *st = NULL;
  CHECK_OK(mls_secret_tree_new(&st, 1, enc, 32, 4, NULL));
  for (size_t i = 0; i < n && st != NULL; i++)
    CHECK_OK(mls_secret_tree_next(st, leaf, MLS_RATCHET_APPLICATION, &keys[i]));
  mls_secret_tree_free(st);
}

static void expect_key(mls_secret_tree *st, uint32_t gen, const mls_key_nonce *ref) {
  mls_key_nonce k;
  memset(&k, 0, sizeof k);
  CHECK_OK(mls_secret_tree_get(st, 1, MLS_RATCHET_APPLICATION, gen, &k));
  CHECK(same_kn(&k, &ref[gen]));
  mls_key_nonce_clear(&k);
}

static void expect_err(mls_secret_tree *st, uint32_t gen, mimi_err want) {
  mls_key_nonce k;
  memset(&k, 0x5a, sizeof k);
  CHECK_ERR(mls_secret_tree_get(st, 1, MLS_RATCHET_APPLICATION, gen, &k), want);
  for (size_t i = 0; i < sizeof k.key; i++) CHECK(k.key[i] == 0x5a);
}

static void test_window(void) {
  uint8_t enc[32];
  for (size_t i = 0; i < sizeof enc; i++) enc[i] = (uint8_t)(i * 7 + 1);
  mls_key_nonce ref[16];
  reference_keys(enc, 1, ref, 16);

  mls_secret_tree_config cfg = {4, 2};
  mls_secret_tree *st = NULL;
  CHECK_OK(mls_secret_tree_new(&st, 1, enc, sizeof enc, 4, &cfg));
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

  /* A key whose message failed to decrypt can be given back once. */
  mls_key_nonce k;
  CHECK_OK(mls_secret_tree_get(st, 1, MLS_RATCHET_APPLICATION, 12, &k)); /* keeps 10, 11 */
  mls_key_nonce copy = k;
  CHECK_OK(mls_secret_tree_return_key(st, 1, MLS_RATCHET_APPLICATION, &k));
  CHECK(k.key_len == 0); /* wiped */
  /* full (10, 11): 10 was evicted for 12 */
  expect_err(st, 10, MIMI_ERR_GENERATION_TOO_OLD);
  expect_key(st, 12, ref);
  k = copy;
  CHECK_OK(mls_secret_tree_return_key(st, 1, MLS_RATCHET_APPLICATION, &k));
  k = copy;
  CHECK_ERR(mls_secret_tree_return_key(st, 1, MLS_RATCHET_APPLICATION, &k),
            MIMI_ERR_INVALID_ARG); /* already held */
  k = copy;
  k.generation = 13;
  CHECK_ERR(mls_secret_tree_return_key(st, 1, MLS_RATCHET_APPLICATION, &k),
            MIMI_ERR_INVALID_ARG); /* never handed out: next is 13 */
  k = copy;
  k.generation = 9;
  CHECK_ERR(mls_secret_tree_return_key(st, 1, MLS_RATCHET_APPLICATION, &k),
            MIMI_ERR_GENERATION_TOO_OLD); /* full (11, 12) and older than both */
  expect_key(st, 12, ref);
  expect_key(st, 11, ref);
  mls_key_nonce_clear(&copy);
  mls_secret_tree_free(st);

  /* The handshake ratchet of the same leaf and other leaves are separate. */
  CHECK_OK(mls_secret_tree_new(&st, 1, enc, sizeof enc, 4, &cfg));
  expect_key(st, 2, ref);
  CHECK_OK(mls_secret_tree_get(st, 1, MLS_RATCHET_HANDSHAKE, 0, &k));
  CHECK(memcmp(k.key, ref[0].key, k.key_len) != 0);
  mls_key_nonce_clear(&k);
  CHECK_OK(mls_secret_tree_get(st, 0, MLS_RATCHET_APPLICATION, 4, &k));
  mls_key_nonce_clear(&k);
  expect_key(st, 0, ref);
  mls_secret_tree_free(st);

  /* max_forward = max_retained = 0: strictly in order */
  mls_secret_tree_config strict = {0, 0};
  CHECK_OK(mls_secret_tree_new(&st, 1, enc, sizeof enc, 4, &strict));
  expect_err(st, 1, MIMI_ERR_GENERATION_TOO_FAR);
  expect_key(st, 0, ref);
  expect_key(st, 1, ref);
  mls_secret_tree_free(st);
  for (size_t i = 0; i < 16; i++) mls_key_nonce_clear(&ref[i]);
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
  CHECK_ERR(mls_secret_tree_get(st, 4, MLS_RATCHET_APPLICATION, 0, &k), MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mls_secret_tree_next(st, 0xffffffffu, MLS_RATCHET_HANDSHAKE, &k),
            MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mls_secret_tree_get(st, 0, (mls_ratchet_type)2, 0, &k), MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mls_secret_tree_get(NULL, 0, MLS_RATCHET_APPLICATION, 0, &k), MIMI_ERR_INVALID_ARG);
  /* returning a key never handed out */
  memset(&k, 0, sizeof k);
  k.key_len = 16;
  k.nonce_len = 12;
  CHECK_ERR(mls_secret_tree_return_key(st, 0, MLS_RATCHET_APPLICATION, &k),
            MIMI_ERR_INVALID_ARG); /* leaf not started */
  CHECK_OK(mls_secret_tree_next(st, 0, MLS_RATCHET_APPLICATION, &k));
  k.generation = 1;
  CHECK_ERR(mls_secret_tree_return_key(st, 0, MLS_RATCHET_APPLICATION, &k),
            MIMI_ERR_INVALID_ARG); /* not yet reached */
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
  test_errors();
  return mimi_test_summary("secret_tree");
}
