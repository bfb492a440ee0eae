/* encrypt_with_label.c — EncryptWithLabel / DecryptWithLabel of RFC 9420
 * §5.1.3: HPKE base mode with EncryptContext {"MLS 1.0 " + label, context}
 * as info and an empty aad. */
#include <string.h>

#include "mls_internal.h"

mimi_hpke_params mls_hpke_base_params(const mimi_suite *s, const uint8_t *info,
                                      size_t info_len) {
  mimi_hpke_params p;
  memset(&p, 0, sizeof p);
  p.kem = s->kem;
  p.kdf = s->kdf;
  p.aead = s->aead;
  p.mode = MIMI_HPKE_MODE_BASE;
  p.info = info;
  p.info_len = info_len;
  return p;
}

mimi_err mls_encrypt_with_label(uint16_t suite, const uint8_t *pub, size_t pub_len,
                                const uint8_t *label, size_t label_len, const uint8_t *context,
                                size_t context_len, const uint8_t *plaintext,
                                size_t plaintext_len, const mimi_rng *rng,
                                mimi_bytes *kem_output, mimi_bytes *ciphertext) {
  const mimi_suite *s;
  MIMI_TRY(mls_suite_lookup(suite, &s));
  mimi_bytes info;
  MIMI_TRY(mls_label_pair(label, label_len, context, context_len, &info));
  mimi_hpke_params p = mls_hpke_base_params(s, info.data, info.len);
  mimi_err err = mimi_hpke_seal_once(&p, pub, pub_len, NULL, 0, plaintext, plaintext_len, rng,
                                     kem_output, ciphertext);
  mimi_bytes_free(&info);
  return err;
}

mimi_err mls_decrypt_with_label(uint16_t suite, const uint8_t *priv, size_t priv_len,
                                const uint8_t *label, size_t label_len, const uint8_t *context,
                                size_t context_len, const uint8_t *kem_output,
                                size_t kem_output_len, const uint8_t *ciphertext,
                                size_t ciphertext_len, mimi_bytes *plaintext) {
  const mimi_suite *s;
  MIMI_TRY(mls_suite_lookup(suite, &s));
  mimi_bytes info;
  MIMI_TRY(mls_label_pair(label, label_len, context, context_len, &info));
  mimi_hpke_params p = mls_hpke_base_params(s, info.data, info.len);
  mimi_err err = mimi_hpke_open_once(&p, kem_output, kem_output_len, priv, priv_len, NULL, 0,
                                     ciphertext, ciphertext_len, plaintext);
  mimi_bytes_free(&info);
  return err;
}
