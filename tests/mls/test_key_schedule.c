/* test_key_schedule.c — the RFC 9420 §8 epoch key schedule against the
 * mlswg key-schedule.json vectors: all seven suites, every epoch chained
 * through init_secret, the GroupContext encoding, every derived secret, the
 * external key pair and the exporter; then bad inputs. */
#include <stdlib.h>

#include "harness.h"
#include "mimi/mls.h"

#define CHECK_FIELD(arr, v, key)                                                \
  do {                                                                          \
    mimi_bytes want_ = mimi_vec_hex(v, key);                                    \
    CHECK_MEM(arr, ks.hash_len, want_.data, want_.len);                         \
    mimi_bytes_free(&want_);                                                    \
  } while (0)

static void check_epoch(uint16_t suite, const mimi_bytes *group_id, uint64_t epoch,
                        mimi_bytes *init_secret, json_t *v) {
  mls_group_context gc;
  memset(&gc, 0, sizeof gc);
  gc.version = 1;
  gc.cipher_suite = suite;
  gc.group_id = *group_id;
  gc.epoch = epoch;
  gc.tree_hash = mimi_vec_hex(v, "tree_hash");
  gc.confirmed_transcript_hash = mimi_vec_hex(v, "confirmed_transcript_hash");
  mimi_bytes gc_bytes, want_gc = mimi_vec_hex(v, "group_context");
  CHECK_OK(mls_group_context_encode(&gc, &gc_bytes));
  CHECK_BYTES(gc_bytes, want_gc);

  mimi_bytes commit = mimi_vec_hex(v, "commit_secret"), psk = mimi_vec_hex(v, "psk_secret");
  mls_epoch_secrets ks;
  memset(&ks, 0, sizeof ks);
  CHECK_OK(mls_key_schedule_epoch(&ks, suite, init_secret->data, init_secret->len, commit.data,
                                  commit.len, psk.data, psk.len, gc_bytes.data, gc_bytes.len));
  CHECK(ks.suite == suite && ks.hash_len == init_secret->len);
  CHECK_FIELD(ks.joiner_secret, v, "joiner_secret");
  CHECK_FIELD(ks.welcome_secret, v, "welcome_secret");
  CHECK_FIELD(ks.init_secret, v, "init_secret");
  CHECK_FIELD(ks.sender_data_secret, v, "sender_data_secret");
  CHECK_FIELD(ks.encryption_secret, v, "encryption_secret");
  CHECK_FIELD(ks.exporter_secret, v, "exporter_secret");
  CHECK_FIELD(ks.external_secret, v, "external_secret");
  CHECK_FIELD(ks.confirmation_key, v, "confirmation_key");
  CHECK_FIELD(ks.membership_key, v, "membership_key");
  CHECK_FIELD(ks.resumption_psk, v, "resumption_psk");
  CHECK_FIELD(ks.epoch_authenticator, v, "epoch_authenticator");

  /* The joiner path reaches the same secrets. */
  uint8_t joiner[MIMI_MAX_HASH];
  mls_epoch_secrets from_joiner;
  CHECK_OK(mls_key_schedule_joiner(suite, init_secret->data, init_secret->len, commit.data,
                                   commit.len, gc_bytes.data, gc_bytes.len, joiner));
  CHECK_OK(mls_key_schedule_from_joiner(&from_joiner, suite, joiner, ks.hash_len, psk.data,
                                        psk.len, gc_bytes.data, gc_bytes.len));
  CHECK(memcmp(&from_joiner, &ks, sizeof ks) == 0);
  mls_epoch_secrets_clear(&from_joiner);

  json_t *ex = json_object_get(v, "exporter");
  /* The label is used as the text of the JSON string (README: "string"),
   * even though that text happens to be hex digits. */
  const char *label = json_string_value(json_object_get(ex, "label"));
  mimi_bytes ctx = mimi_vec_hex(ex, "context"),
             want_ex = mimi_vec_hex(ex, "secret");
  size_t len = (size_t)mimi_vec_int(ex, "length");
  uint8_t exported[256];
  CHECK(len <= sizeof exported);
  CHECK_OK(mls_epoch_export(&ks, (const uint8_t *)label, strlen(label), ctx.data, ctx.len, exported, len));
  CHECK_MEM(exported, len, want_ex.data, want_ex.len);


  mimi_bytes ext_priv = {0}, ext_pub = {0}, want_pub = mimi_vec_hex(v, "external_pub");
  CHECK_OK(mls_epoch_external_key_pair(&ks, &ext_priv, &ext_pub));
  CHECK_BYTES(ext_pub, want_pub);

  /* External init: a joiner encapsulating to the vector's external_pub and
   * the group decapsulating with the derived private key agree. */
  mimi_bytes kem_output = {0};
  uint8_t joiner_init[MIMI_MAX_HASH], group_init[MIMI_MAX_HASH];
  CHECK_OK(mls_external_init_join(suite, want_pub.data, want_pub.len, mimi_rng_system(),
                                  &kem_output, joiner_init));
  CHECK_OK(mls_external_init_receive(&ks, kem_output.data, kem_output.len, group_init));
  CHECK_MEM(joiner_init, ks.hash_len, group_init, ks.hash_len);
  mls_epoch_secrets other = ks;
  other.external_secret[0] ^= 1; /* another epoch's key cannot recover it */
  mimi_err err = mls_external_init_receive(&other, kem_output.data, kem_output.len, group_init);
  CHECK(err != MIMI_OK || memcmp(joiner_init, group_init, ks.hash_len) != 0);
  mls_epoch_secrets_clear(&other);
  mimi_bytes_free(&kem_output);

  mimi_bytes_free(init_secret);
  CHECK_OK(mimi_bytes_copy(init_secret, ks.init_secret, ks.hash_len));
  mls_epoch_secrets_clear(&ks);
  CHECK(ks.hash_len == 0 && ks.init_secret[0] == 0);
  mimi_bytes *frees[] = {&gc.tree_hash, &gc.confirmed_transcript_hash, &gc_bytes, &want_gc,
                         &commit, &psk, &ctx, &want_ex, &ext_priv, &ext_pub, &want_pub};
  for (size_t i = 0; i < sizeof frees / sizeof frees[0]; i++) mimi_bytes_free(frees[i]);
}

static void test_vectors(void) {
  json_t *root = mimi_vec_load("mls/key-schedule.json");
  size_t i;
  json_t *c;
  json_array_foreach(root, i, c) {
    uint16_t suite = (uint16_t)mimi_vec_int(c, "cipher_suite");
    mimi_bytes group_id = mimi_vec_hex(c, "group_id");
    mimi_bytes init = mimi_vec_hex(c, "initial_init_secret");
    size_t e;
    json_t *ep;
    json_array_foreach(json_object_get(c, "epochs"), e, ep) {
      check_epoch(suite, &group_id, (uint64_t)e, &init, ep);
      mimi_test_case();
    }
    mimi_bytes_free(&group_id);
    mimi_bytes_free(&init);
  }
  json_decref(root);
}

static void test_errors(void) {
  uint8_t s[64] = {7}, gc[4] = {0};
  mls_epoch_secrets ks, before;
  memset(&ks, 0xab, sizeof ks);
  before = ks;
  CHECK_ERR(mls_key_schedule_epoch(&ks, 0, s, 32, s, 32, NULL, 0, gc, 4),
            MIMI_ERR_UNSUPPORTED_SUITE);
  CHECK_ERR(mls_key_schedule_epoch(&ks, 1, s, 31, s, 32, NULL, 0, gc, 4), MIMI_ERR_BAD_LENGTH);
  CHECK_ERR(mls_key_schedule_epoch(&ks, 1, s, 32, s, 64, NULL, 0, gc, 4), MIMI_ERR_BAD_LENGTH);
  CHECK_ERR(mls_key_schedule_epoch(&ks, 1, s, 32, s, 32, s, 48, gc, 4), MIMI_ERR_BAD_LENGTH);
  CHECK_ERR(mls_key_schedule_epoch(&ks, 7, s, 32, NULL, 0, NULL, 0, gc, 4), MIMI_ERR_BAD_LENGTH);
  CHECK_ERR(mls_key_schedule_epoch(&ks, 1, NULL, 0, NULL, 0, NULL, 0, gc, 4),
            MIMI_ERR_BAD_LENGTH);
  CHECK_ERR(mls_key_schedule_from_joiner(&ks, 1, s, 64, NULL, 0, gc, 4), MIMI_ERR_BAD_LENGTH);
  CHECK(memcmp(&ks, &before, sizeof ks) == 0);

  /* Absent commit/psk secrets are Nh zero bytes, as the RFC's "0". */
  uint8_t zeros[64] = {0};
  mls_epoch_secrets a, b;
  CHECK_OK(mls_key_schedule_epoch(&a, 4, s, 64, NULL, 0, NULL, 0, gc, 4));
  CHECK_OK(mls_key_schedule_epoch(&b, 4, s, 64, zeros, 64, zeros, 64, gc, 4));
  CHECK(memcmp(&a, &b, sizeof a) == 0);
  /* External init with a bad suite or a truncated kem_output. */
  mimi_bytes kem = {0};
  uint8_t init_out[64];
  memset(init_out, 0x77, sizeof init_out);
  CHECK_ERR(mls_external_init_join(0, s, 32, mimi_rng_system(), &kem, init_out),
            MIMI_ERR_UNSUPPORTED_SUITE);
  CHECK(mls_external_init_receive(&a, s, 3, init_out) != MIMI_OK);
  CHECK(kem.data == NULL && init_out[0] == 0x77 && init_out[63] == 0x77);
  /* A struct claiming another suite's length is rejected, not overread. */
  a.hash_len = 32;
  uint8_t out[32];
  CHECK_ERR(mls_epoch_export(&a, s, 1, s, 1, out, 32), MIMI_ERR_INVALID_ARG);
  a.suite = 9;
  CHECK_ERR(mls_epoch_export(&a, s, 1, s, 1, out, 32), MIMI_ERR_UNSUPPORTED_SUITE);
  mls_epoch_secrets_clear(&a);
  mls_epoch_secrets_clear(&b);
  mimi_test_case();
}

int main(void) {
  test_vectors();
  test_errors();
  return mimi_test_summary("key_schedule");
}
