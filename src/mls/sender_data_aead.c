/* sender_data_aead.c — RFC 9420 §6.3.2: SenderData sealed under the key and
 * nonce mls_sender_data_key_nonce derives from a sample of the content
 * ciphertext, so the sender stays hidden yet bound to that ciphertext. */
#include "framing_internal.h"
#include "mimi/mls.h"

mimi_err mls_sender_data_seal(const mimi_suite *s, const uint8_t *sender_data_secret,
                              const mls_sender_data_aad *aad, const mls_sender_data *sd,
                              const mimi_bytes *ciphertext, mimi_bytes *encrypted) {
  mls_key_nonce kn;
  mimi_bytes pt = {NULL, 0}, ad = {NULL, 0}, ct = {NULL, 0};
  MIMI_TRY(mls_sender_data_key_nonce(s->id, sender_data_secret, s->hash_len, ciphertext->data,
                                     ciphertext->len, &kn));
  mimi_err err = mls_sender_data_encode(sd, &pt);
  if (err == MIMI_OK) err = mls_sender_data_aad_encode(aad, &ad);
  if (err == MIMI_OK) err = mimi_bytes_alloc(&ct, pt.len + MIMI_AEAD_TAG);
  if (err == MIMI_OK)
    err = mimi_aead_seal(s->aead, kn.key, kn.nonce, ad.data, ad.len, pt.data, pt.len, ct.data);
  mls_key_nonce_clear(&kn);
  mimi_bytes_free(&pt);
  mimi_bytes_free(&ad);
  if (err != MIMI_OK) {
    mimi_bytes_free(&ct);
    return err;
  }
  *encrypted = ct;
  return MIMI_OK;
}

mimi_err mls_sender_data_open(const mimi_suite *s, const uint8_t *sender_data_secret,
                              const mls_sender_data_aad *aad, const mimi_bytes *encrypted,
                              const mimi_bytes *ciphertext, mls_sender_data *sd) {
  if (encrypted->len < MIMI_AEAD_TAG) return MIMI_ERR_AEAD_OPEN;
  mls_key_nonce kn;
  mimi_bytes ad = {NULL, 0}, pt = {NULL, 0};
  MIMI_TRY(mls_sender_data_key_nonce(s->id, sender_data_secret, s->hash_len, ciphertext->data,
                                     ciphertext->len, &kn));
  size_t pt_len = encrypted->len - MIMI_AEAD_TAG;
  mimi_err err = mls_sender_data_aad_encode(aad, &ad);
  /* +1 so an empty plaintext still gets a buffer */
  if (err == MIMI_OK) err = mimi_bytes_alloc(&pt, pt_len + 1);
  if (err == MIMI_OK)
    err = mimi_aead_open(s->aead, kn.key, kn.nonce, ad.data, ad.len, encrypted->data,
                         encrypted->len, pt.data);
  if (err == MIMI_OK) err = mls_sender_data_decode(pt.data, pt_len, sd);
  mls_key_nonce_clear(&kn);
  mimi_bytes_free(&ad);
  mimi_bytes_free(&pt);
  return err;
}
