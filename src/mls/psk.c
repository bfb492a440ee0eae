/* psk.c — psk_secret of RFC 9420 §8.4: each PSK is extracted, expanded
 * with its PSKLabel (its id and position in the list), and the results are
 * chained through KDF.Extract, starting from Nh zero bytes. */
#include <string.h>

#include "mls_internal.h"

/* psk_input = ExpandWithLabel(Extract(0, psk), "derived psk", PSKLabel, Nh)
 * with struct { PreSharedKeyID id; uint16 index; uint16 count; } PSKLabel,
 * written here around the declared PreSharedKeyID codec. */
static mimi_err psk_input(const mimi_suite *s, uint16_t suite, const mls_psk_entry *e,
                          uint16_t index, uint16_t count, uint8_t *out) {
  static const uint8_t zeros[MIMI_MAX_HASH];
  if (e->id == NULL || (e->psk == NULL && e->psk_len != 0)) return MIMI_ERR_INVALID_ARG;
  mimi_writer w;
  mimi_writer_init(&w);
  mimi_encode(mls_pre_shared_key_id_type(), e->id, &w);
  mimi_write_u16(&w, index);
  mimi_write_u16(&w, count);
  mimi_bytes label;
  MIMI_TRY(mimi_writer_finish(&w, &label));

  uint8_t extracted[MIMI_MAX_HASH];
  mimi_err err = mimi_hkdf_extract(s->kdf, zeros, s->hash_len, e->psk, e->psk_len, extracted);
  if (err == MIMI_OK)
    err = mls_expand_with_label(suite, extracted, s->hash_len, MLS_LABEL("derived psk"),
                                label.data, label.len, out, s->hash_len);
  mimi_secure_zero(extracted, sizeof extracted);
  mimi_bytes_free(&label);
  return err;
}

mimi_err mls_psk_secret(uint16_t suite, const mls_psk_entry *psks, size_t count, uint8_t *out) {
  const mimi_suite *s;
  MIMI_TRY(mls_suite_lookup(suite, &s));
  if (count > UINT16_MAX) return MIMI_ERR_TOO_LARGE;
  if (count > 0 && psks == NULL) return MIMI_ERR_INVALID_ARG;

  uint8_t secret[MIMI_MAX_HASH] = {0}, input[MIMI_MAX_HASH], next[MIMI_MAX_HASH];
  mimi_err err = MIMI_OK;
  /* psk_secret_[i+1] = Extract(salt = psk_input_[i], ikm = psk_secret_[i]) */
  for (size_t i = 0; err == MIMI_OK && i < count; i++) {
    err = psk_input(s, suite, &psks[i], (uint16_t)i, (uint16_t)count, input);
    if (err == MIMI_OK)
      err = mimi_hkdf_extract(s->kdf, input, s->hash_len, secret, s->hash_len, next);
    if (err == MIMI_OK) memcpy(secret, next, s->hash_len);
  }
  if (err == MIMI_OK) memcpy(out, secret, s->hash_len);
  mimi_secure_zero(secret, sizeof secret);
  mimi_secure_zero(input, sizeof input);
  mimi_secure_zero(next, sizeof next);
  return err;
}
