/* hash.c — SHA-2 digests, HMAC and HKDF (RFC 5869) selected by HPKE KDF id. */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/params.h>

#include "crypto_internal.h"

const EVP_MD *mimi_kdf_md(uint16_t kdf) {
  switch (kdf) {
  case MIMI_KDF_HKDF_SHA256: return EVP_sha256();
  case MIMI_KDF_HKDF_SHA384: return EVP_sha384();
  case MIMI_KDF_HKDF_SHA512: return EVP_sha512();
  default: return NULL;
  }
}

size_t mimi_kdf_hash_len(uint16_t kdf) {
  const EVP_MD *md = mimi_kdf_md(kdf);
  return md ? (size_t)EVP_MD_get_size(md) : 0;
}

mimi_err mimi_hash(uint16_t kdf, const uint8_t *in, size_t len, uint8_t *out) {
  const EVP_MD *md = mimi_kdf_md(kdf);
  if (md == NULL) return MIMI_ERR_UNSUPPORTED_SUITE;
  if (in == NULL && len > 0) return MIMI_ERR_INVALID_ARG;
  return EVP_Digest(in, len, out, NULL, md, NULL) == 1 ? MIMI_OK : MIMI_ERR_CRYPTO;
}

mimi_err mimi_hmac_parts(uint16_t kdf, const uint8_t *key, size_t key_len,
                         const mimi_span *parts, size_t n_parts, uint8_t *out) {
  const EVP_MD *md = mimi_kdf_md(kdf);
  if (md == NULL) return MIMI_ERR_UNSUPPORTED_SUITE;
  size_t hlen = (size_t)EVP_MD_get_size(md);
  /* HMAC pads short keys with zeros, so an empty key (HKDF's default salt)
   * equals a zero block; OpenSSL wants a non-empty key. */
  static const uint8_t zero_key[MIMI_MAX_HASH] = {0};
  if (key_len == 0) {
    key = zero_key;
    key_len = hlen;
  }
  EVP_MAC *mac = EVP_MAC_fetch(NULL, OSSL_MAC_NAME_HMAC, NULL);
  EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
  mimi_err err = MIMI_ERR_CRYPTO;
  if (ctx == NULL) goto done;
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)EVP_MD_get0_name(md), 0),
      OSSL_PARAM_construct_end(),
  };
  if (EVP_MAC_init(ctx, key, key_len, params) != 1) goto done;
  for (size_t i = 0; i < n_parts; i++)
    if (parts[i].n > 0 && EVP_MAC_update(ctx, parts[i].p, parts[i].n) != 1) goto done;
  size_t outl = 0;
  if (EVP_MAC_final(ctx, out, &outl, hlen) != 1 || outl != hlen) goto done;
  err = MIMI_OK;
done:
  EVP_MAC_CTX_free(ctx);
  EVP_MAC_free(mac);
  return err;
}

mimi_err mimi_hmac(uint16_t kdf, const uint8_t *key, size_t key_len, const uint8_t *data,
                   size_t len, uint8_t *out) {
  mimi_span part = {data, len};
  return mimi_hmac_parts(kdf, key, key_len, &part, 1, out);
}

mimi_err mimi_hkdf_extract(uint16_t kdf, const uint8_t *salt, size_t salt_len,
                           const uint8_t *ikm, size_t ikm_len, uint8_t *prk) {
  return mimi_hmac(kdf, salt, salt_len, ikm, ikm_len, prk);
}

mimi_err mimi_hkdf_expand_parts(uint16_t kdf, const uint8_t *prk, size_t prk_len,
                                const mimi_span *info, size_t n_info, uint8_t *out,
                                size_t out_len) {
  size_t hlen = mimi_kdf_hash_len(kdf);
  if (hlen == 0) return MIMI_ERR_UNSUPPORTED_SUITE;
  if (out_len > 255 * hlen) return MIMI_ERR_TOO_LARGE;
  enum { MAX_INFO_PARTS = 8 };
  if (n_info > MAX_INFO_PARTS) return MIMI_ERR_INVALID_ARG;
  /* T(i) = HMAC(PRK, T(i-1) || info || i) */
  mimi_span parts[MAX_INFO_PARTS + 2];
  uint8_t t[MIMI_MAX_HASH];
  uint8_t counter = 0;
  size_t done = 0;
  mimi_err err = MIMI_OK;
  while (done < out_len) {
    size_t n = 0;
    if (counter > 0) parts[n++] = (mimi_span){t, hlen};
    for (size_t i = 0; i < n_info; i++) parts[n++] = info[i];
    counter++;
    parts[n++] = (mimi_span){&counter, 1};
    err = mimi_hmac_parts(kdf, prk, prk_len, parts, n, t);
    if (err != MIMI_OK) break;
    size_t take = out_len - done < hlen ? out_len - done : hlen;
    memcpy(out + done, t, take);
    done += take;
  }
  mimi_secure_zero(t, sizeof t);
  if (err != MIMI_OK) mimi_secure_zero(out, out_len);
  return err;
}

mimi_err mimi_hkdf_expand(uint16_t kdf, const uint8_t *prk, size_t prk_len, const uint8_t *info,
                          size_t info_len, uint8_t *out, size_t out_len) {
  mimi_span part = {info, info_len};
  return mimi_hkdf_expand_parts(kdf, prk, prk_len, &part, 1, out, out_len);
}
