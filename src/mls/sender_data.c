/* sender_data.c — the key and nonce protecting a PrivateMessage's
 * SenderData (RFC 9420 §6.3.2), derived from sender_data_secret and a
 * sample of the content ciphertext. */
#include "mls_internal.h"

mimi_err mls_sender_data_key_nonce(uint16_t suite, const uint8_t *sender_data_secret,
                                   size_t secret_len, const uint8_t *ciphertext,
                                   size_t ciphertext_len, mls_key_nonce *out) {
  const mimi_suite *s;
  MIMI_TRY(mls_suite_lookup(suite, &s));
  size_t sample = ciphertext_len < s->hash_len ? ciphertext_len : s->hash_len;
  mls_key_nonce k = {0, s->aead_key_len, s->aead_nonce_len, {0}, {0}};
  mimi_err err = mls_expand_with_label(suite, sender_data_secret, secret_len, MLS_LABEL("key"),
                                       ciphertext, sample, k.key, k.key_len);
  if (err == MIMI_OK)
    err = mls_expand_with_label(suite, sender_data_secret, secret_len, MLS_LABEL("nonce"),
                                ciphertext, sample, k.nonce, k.nonce_len);
  if (err == MIMI_OK) *out = k;
  mls_key_nonce_clear(&k);
  return err;
}
