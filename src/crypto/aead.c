/* aead.c — AES-128-GCM, AES-256-GCM and ChaCha20-Poly1305 (RFC 9180 §7.3). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "crypto_internal.h"

static const EVP_CIPHER *aead_cipher(uint16_t aead) {
  switch (aead) {
  case MIMI_AEAD_AES128GCM: return EVP_aes_128_gcm();
  case MIMI_AEAD_AES256GCM: return EVP_aes_256_gcm();
  case MIMI_AEAD_CHACHA20POLY1305: return EVP_chacha20_poly1305();
  default: return NULL;
  }
}

size_t mimi_aead_key_len(uint16_t aead) {
  const EVP_CIPHER *c = aead_cipher(aead);
  return c ? (size_t)EVP_CIPHER_get_key_length(c) : 0;
}

size_t mimi_aead_nonce_len(uint16_t aead) { return aead_cipher(aead) ? 12 : 0; }

/* Runs the cipher over aad and in (encrypting or decrypting per `enc`),
 * writing len bytes to out. The tag is fetched (enc) or checked (!enc) by
 * the caller around EVP_CipherFinal_ex. */
static mimi_err aead_start(EVP_CIPHER_CTX *ctx, uint16_t aead, int enc, const uint8_t *key,
                           const uint8_t *nonce, const uint8_t *aad, size_t aad_len,
                           const uint8_t *in, size_t len, uint8_t *out) {
  const EVP_CIPHER *cipher = aead_cipher(aead);
  if (cipher == NULL) return MIMI_ERR_UNSUPPORTED_SUITE;
  if (key == NULL || nonce == NULL || (aad == NULL && aad_len > 0) ||
      (in == NULL && len > 0))
    return MIMI_ERR_INVALID_ARG;
  if (aad_len > INT_MAX || len > INT_MAX) return MIMI_ERR_TOO_LARGE;
  int outl = 0;
  if (EVP_CipherInit_ex(ctx, cipher, NULL, key, nonce, enc) != 1) return MIMI_ERR_CRYPTO;
  if (aad_len > 0 && EVP_CipherUpdate(ctx, NULL, &outl, aad, (int)aad_len) != 1)
    return MIMI_ERR_CRYPTO;
  if (len > 0 && (EVP_CipherUpdate(ctx, out, &outl, in, (int)len) != 1 || (size_t)outl != len))
    return MIMI_ERR_CRYPTO;
  return MIMI_OK;
}

mimi_err mimi_aead_seal(uint16_t aead, const uint8_t *key, const uint8_t *nonce,
                        const uint8_t *aad, size_t aad_len, const uint8_t *pt, size_t pt_len,
                        uint8_t *out) {
  EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
  if (ctx == NULL) return MIMI_ERR_NOMEM;
  mimi_err err = aead_start(ctx, aead, 1, key, nonce, aad, aad_len, pt, pt_len, out);
  int outl = 0;
  if (err == MIMI_OK && (EVP_CipherFinal_ex(ctx, out + pt_len, &outl) != 1 ||
                         EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, MIMI_AEAD_TAG,
                                             out + pt_len) != 1))
    err = MIMI_ERR_CRYPTO;
  EVP_CIPHER_CTX_free(ctx);
  return err;
}

mimi_err mimi_aead_open(uint16_t aead, const uint8_t *key, const uint8_t *nonce,
                        const uint8_t *aad, size_t aad_len, const uint8_t *ct, size_t ct_len,
                        uint8_t *out) {
  if (aead_cipher(aead) == NULL) return MIMI_ERR_UNSUPPORTED_SUITE;
  /* No valid ciphertext is shorter than its tag. */
  if (ct == NULL || ct_len < MIMI_AEAD_TAG) return MIMI_ERR_AEAD_OPEN;
  size_t pt_len = ct_len - MIMI_AEAD_TAG;
  /* Decrypt into scratch so a forgery never reaches the caller's buffer. */
  uint8_t *tmp = malloc(pt_len > 0 ? pt_len : 1);
  EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
  mimi_err err = MIMI_ERR_NOMEM;
  if (tmp == NULL || ctx == NULL) goto done;
  err = aead_start(ctx, aead, 0, key, nonce, aad, aad_len, ct, pt_len, tmp);
  if (err != MIMI_OK) goto done;
  uint8_t tag[MIMI_AEAD_TAG];
  memcpy(tag, ct + pt_len, sizeof tag);
  int outl = 0;
  if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, MIMI_AEAD_TAG, tag) != 1) {
    err = MIMI_ERR_CRYPTO;
    goto done;
  }
  if (EVP_CipherFinal_ex(ctx, tmp + pt_len, &outl) != 1) {
    err = MIMI_ERR_AEAD_OPEN;
    goto done;
  }
  if (pt_len > 0) memcpy(out, tmp, pt_len);
done:
  if (tmp != NULL) {
    mimi_secure_zero(tmp, pt_len);
    free(tmp);
  }
  EVP_CIPHER_CTX_free(ctx);
  return err;
}
