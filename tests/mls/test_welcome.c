/* test_welcome.c — the mlswg welcome.json vectors: find our entry of the
 * Welcome by KeyPackageRef, decrypt the GroupSecrets with init_priv and the
 * GroupInfo with the welcome key, verify the GroupInfo signature with
 * signer_pub, and the confirmation tag from a key schedule run from the
 * joiner_secret without PSKs. Then the same Welcome with each part broken
 * gives its exact error. Expected values: the vectors. */
#include <stdlib.h>

#include "harness.h"
#include "mimi/mls.h"

static mimi_bytes hpke_priv(json_t *v, const char *key, uint16_t suite) {
  mimi_bytes b = mimi_vec_hex(v, key);
  size_t nsk = mimi_suite_get(suite)->kem_priv_len;
  if (b.len >= nsk) return b;
  mimi_bytes p; /* a leading zero the generator dropped (P-521) */
  if (mimi_bytes_alloc(&p, nsk) != MIMI_OK) exit(2);
  memcpy(p.data + (nsk - b.len), b.data, b.len);
  mimi_bytes_free(&b);
  return p;
}

static void check_confirmation(uint16_t suite, const mls_group_secrets *gs,
                               const mls_group_info *gi) {
  mimi_bytes gc;
  mls_epoch_secrets es;
  CHECK_OK(mls_group_context_encode(&gi->group_context, &gc));
  CHECK_OK(mls_key_schedule_from_joiner(&es, suite, gs->joiner_secret.data, gs->joiner_secret.len,
                                        NULL, 0, gc.data, gc.len));
  CHECK_OK(mls_confirmation_tag_verify(suite, es.confirmation_key,
                                       gi->group_context.confirmed_transcript_hash.data,
                                       &gi->confirmation_tag));
  mls_epoch_secrets_clear(&es);
  mimi_bytes_free(&gc);
}

static void run_case(json_t *v) {
  uint16_t suite = (uint16_t)mimi_vec_int(v, "cipher_suite");
  mimi_bytes kpb = mimi_vec_hex(v, "key_package"), wb = mimi_vec_hex(v, "welcome");
  mimi_bytes signer = mimi_vec_hex(v, "signer_pub");
  mls_message kpm, wm;
  CHECK_OK(mls_message_decode(kpb.data, kpb.len, &kpm));
  CHECK_OK(mls_message_decode(wb.data, wb.len, &wm));
  mls_key_package_bundle kp;
  memset(&kp, 0, sizeof kp);
  kp.key_package = kpm.body.key_package;
  kp.init_priv = hpke_priv(v, "init_priv", suite);
  mls_group_secrets gs;
  mls_group_info gi;
  mimi_err err = mls_welcome_open(&wm.body.welcome, &kp, NULL, &gs, &gi);
  CHECK_OK(err);
  if (err == MIMI_OK) {
    CHECK(gi.group_context.cipher_suite == suite);
    CHECK_OK(mls_group_info_verify(&gi, signer.data, signer.len));
    check_confirmation(suite, &gs, &gi);
    /* a flipped signature bit */
    gi.signature.data[gi.signature.len / 2] ^= 1;
    CHECK_ERR(mls_group_info_verify(&gi, signer.data, signer.len), MIMI_ERR_BAD_SIGNATURE);
    gi.signature.data[gi.signature.len / 2] ^= 1;
    /* the tag of another transcript */
    gi.group_context.confirmed_transcript_hash.data[0] ^= 1;
    mimi_bytes gc;
    mls_epoch_secrets es;
    CHECK_OK(mls_group_context_encode(&gi.group_context, &gc));
    CHECK_OK(mls_key_schedule_from_joiner(&es, suite, gs.joiner_secret.data, gs.joiner_secret.len,
                                          NULL, 0, gc.data, gc.len));
    CHECK_ERR(mls_confirmation_tag_verify(suite, es.confirmation_key,
                                          gi.group_context.confirmed_transcript_hash.data,
                                          &gi.confirmation_tag),
              MIMI_ERR_BAD_MAC);
    mls_epoch_secrets_clear(&es);
    mimi_bytes_free(&gc);
    mls_group_secrets_free(&gs);
    mls_group_info_free(&gi);
    mimi_test_case();
  }
  mls_welcome *w = &wm.body.welcome;
  /* not for us: the KeyPackageRef matches no entry */
  w->secrets[0].new_member.data[0] ^= 1;
  CHECK_ERR(mls_welcome_open(w, &kp, NULL, &gs, &gi), MIMI_ERR_BAD_WELCOME);
  w->secrets[0].new_member.data[0] ^= 1;
  /* GroupSecrets ciphertext broken */
  mimi_bytes *ct = &w->secrets[0].encrypted_group_secrets.ciphertext;
  ct->data[0] ^= 1;
  CHECK_ERR(mls_welcome_open(w, &kp, NULL, &gs, &gi), MIMI_ERR_AEAD_OPEN);
  ct->data[0] ^= 1;
  /* GroupInfo ciphertext broken (also the GroupSecrets' context) */
  w->encrypted_group_info.data[0] ^= 1;
  CHECK_ERR(mls_welcome_open(w, &kp, NULL, &gs, &gi), MIMI_ERR_AEAD_OPEN);
  w->encrypted_group_info.data[0] ^= 1;
  /* another suite */
  w->cipher_suite = suite == 1 ? 2 : 1;
  CHECK_ERR(mls_welcome_open(w, &kp, NULL, &gs, &gi), MIMI_ERR_BAD_WELCOME);
  w->cipher_suite = suite;
  mimi_bytes_free(&kp.init_priv);
  mls_message_free(&kpm);
  mls_message_free(&wm);
  mimi_bytes_free(&kpb);
  mimi_bytes_free(&wb);
  mimi_bytes_free(&signer);
}

int main(void) {
  json_t *root = mimi_vec_load("mls/welcome.json");
  for (size_t i = 0; i < json_array_size(root); i++) run_case(json_array_get(root, i));
  json_decref(root);
  return mimi_test_summary("test_welcome");
}
