/* external_init.c — RFC 9420 §8.3 external initialization: the group's
 * external key pair derived from external_secret, and the init_secret an
 * external joiner and the group agree on through an HPKE export. */
#include <string.h>

#include "mls_internal.h"

static const char export_label[] = "MLS 1.0 external init secret";

mimi_err mls_epoch_external_key_pair(const mls_epoch_secrets *s, mimi_bytes *priv,
                                     mimi_bytes *pub) {
  const mimi_suite *suite;
  MIMI_TRY(mls_epoch_suite(s, &suite));
  return mimi_kem_derive_key_pair(suite->kem, s->external_secret, s->hash_len, priv, pub);
}

mimi_err mls_external_init_join(uint16_t suite, const uint8_t *external_pub,
                                size_t external_pub_len, const mimi_rng *rng,
                                mimi_bytes *kem_output, uint8_t *init_secret) {
  const mimi_suite *s;
  MIMI_TRY(mls_suite_lookup(suite, &s));
  mimi_hpke_params p = mls_hpke_base_params(s, NULL, 0);
  mimi_hpke_ctx ctx;
  mimi_bytes enc = {0};
  MIMI_TRY(mimi_hpke_setup_sender(&ctx, &enc, &p, external_pub, external_pub_len, rng));
  uint8_t secret[MIMI_MAX_HASH];
  mimi_err err = mimi_hpke_export(&ctx, (const uint8_t *)export_label, sizeof export_label - 1,
                                  secret, s->hash_len);
  mimi_hpke_ctx_clear(&ctx);
  if (err == MIMI_OK) {
    memcpy(init_secret, secret, s->hash_len);
    *kem_output = enc;
  } else {
    mimi_bytes_free(&enc);
  }
  mimi_secure_zero(secret, sizeof secret);
  return err;
}

mimi_err mls_external_init_receive(const mls_epoch_secrets *s, const uint8_t *kem_output,
                                   size_t kem_output_len, uint8_t *init_secret) {
  const mimi_suite *suite;
  MIMI_TRY(mls_epoch_suite(s, &suite));
  mimi_bytes priv = {0}, pub = {0};
  MIMI_TRY(mls_epoch_external_key_pair(s, &priv, &pub));
  mimi_hpke_params p = mls_hpke_base_params(suite, NULL, 0);
  mimi_hpke_ctx ctx;
  uint8_t secret[MIMI_MAX_HASH];
  mimi_err err = mimi_hpke_setup_receiver(&ctx, &p, kem_output, kem_output_len, priv.data,
                                          priv.len);
  if (err == MIMI_OK) {
    err = mimi_hpke_export(&ctx, (const uint8_t *)export_label, sizeof export_label - 1,
                           secret, s->hash_len);
    mimi_hpke_ctx_clear(&ctx);
  }
  if (err == MIMI_OK) memcpy(init_secret, secret, s->hash_len);
  mimi_secure_zero(secret, sizeof secret);
  mimi_bytes_free(&priv);
  mimi_bytes_free(&pub);
  return err;
}
