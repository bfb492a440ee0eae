/*
 * crypto_internal.h — helpers shared by the crypto layer's files: algorithm
 * lookup tables, the EC scalar/point plumbing that signatures and DHKEM both
 * need, and RFC 9180's labeled HKDF.
 */
#ifndef MIMI_CRYPTO_INTERNAL_H
#define MIMI_CRYPTO_INTERNAL_H

#include <openssl/evp.h>

#include "mimi/crypto.h"

/* The digest behind an HPKE KDF id; NULL if unknown. */
const EVP_MD *mimi_kdf_md(uint16_t kdf);

/* A borrowed byte range: HMAC and HKDF-Expand inputs are concatenations of
 * several fields, passed as a list so no temporary buffer is built. */
typedef struct {
  const uint8_t *p;
  size_t n;
} mimi_span;

MIMI_MUST_CHECK mimi_err mimi_hmac_parts(uint16_t kdf, const uint8_t *key, size_t key_len,
                                         const mimi_span *parts, size_t n_parts,
                                         uint8_t *out /* hash_len */);
MIMI_MUST_CHECK mimi_err mimi_hkdf_expand_parts(uint16_t kdf, const uint8_t *prk,
                                                size_t prk_len, const mimi_span *info,
                                                size_t n_info, uint8_t *out, size_t out_len);

/* ---- elliptic-curve keys (NIST curves) --------------------------------- */

typedef enum {
  MIMI_CURVE_P256,
  MIMI_CURVE_P384,
  MIMI_CURVE_P521,
  MIMI_CURVE_X25519,
  MIMI_CURVE_X448,
  MIMI_CURVE_ED25519,
  MIMI_CURVE_ED448,
} mimi_curve;

/* Sizes of a curve's serialized keys: scalar / raw private, and public. */
size_t mimi_curve_priv_len(mimi_curve c);
size_t mimi_curve_pub_len(mimi_curve c);
bool mimi_curve_is_nist(mimi_curve c);

/* NIST curves: is `priv` (priv_len bytes, big-endian) a scalar in [1, n-1]? */
MIMI_MUST_CHECK mimi_err mimi_ec_scalar_check(mimi_curve c, const uint8_t *priv);
/* Public key of a private key, in the curve's wire encoding; pub has
 * mimi_curve_pub_len bytes. BAD_KEY for an invalid private key. */
MIMI_MUST_CHECK mimi_err mimi_curve_pub_from_priv(mimi_curve c, const uint8_t *priv,
                                                  size_t priv_len, uint8_t *pub);
/* EVP_PKEY for a private key or a public key; the public key is validated
 * (exact length, on the curve, not infinity). `pub` of a private key is
 * optional: when the caller already has it, passing it saves OpenSSL a
 * scalar multiplication (it must then be the key's own public key). Without
 * it, NIST-curve keys carry no public part, which signing and ECDH ignore. */
MIMI_MUST_CHECK mimi_err mimi_curve_pkey_priv(mimi_curve c, const uint8_t *priv,
                                              size_t priv_len, const uint8_t *pub,
                                              EVP_PKEY **out);
MIMI_MUST_CHECK mimi_err mimi_curve_pkey_pub(mimi_curve c, const uint8_t *pub,
                                             size_t pub_len, EVP_PKEY **out);
/* Draws a private key from rng by rejection sampling (NIST curves) or as raw
 * bytes (the others); priv has mimi_curve_priv_len bytes. */
MIMI_MUST_CHECK mimi_err mimi_curve_random_priv(mimi_curve c, const mimi_rng *rng,
                                                uint8_t *priv);

/* ---- RFC 9180 §4 labeled HKDF ------------------------------------------ */

/* suite_id is "KEM" || kem_id or "HPKE" || kem_id || kdf_id || aead_id. */
typedef struct {
  uint16_t kdf;
  uint8_t id[10];
  size_t id_len;
} mimi_hpke_suite_id;

void mimi_suite_id_kem(mimi_hpke_suite_id *s, uint16_t kem, uint16_t kdf);
void mimi_suite_id_hpke(mimi_hpke_suite_id *s, uint16_t kem, uint16_t kdf, uint16_t aead);

MIMI_MUST_CHECK mimi_err mimi_labeled_extract(const mimi_hpke_suite_id *s, const uint8_t *salt,
                                              size_t salt_len, const char *label,
                                              const uint8_t *ikm, size_t ikm_len,
                                              uint8_t *prk /* Nh */);
MIMI_MUST_CHECK mimi_err mimi_labeled_expand(const mimi_hpke_suite_id *s, const uint8_t *prk,
                                             size_t prk_len, const char *label,
                                             const uint8_t *info, size_t info_len,
                                             uint8_t *out, size_t out_len);

/* ---- DHKEM internals used by HPKE -------------------------------------- */

#define MIMI_MAX_KEM_SECRET 64
#define MIMI_MAX_KEM_PUB 133
#define MIMI_MAX_KEM_PRIV 66

typedef struct {
  uint16_t id;
  uint16_t kdf;
  mimi_curve curve;
  size_t secret_len; /* Nsecret */
  size_t enc_len;    /* Nenc = Npk */
  size_t priv_len;   /* Nsk */
  uint8_t bitmask;   /* §7.1.3, NIST curves */
} mimi_kem_info;

const mimi_kem_info *mimi_kem_info_get(uint16_t kem);

/* Encap / AuthEncap (sk_s != NULL) with an ephemeral key drawn from rng.
 * enc has enc_len bytes, secret secret_len bytes. */
MIMI_MUST_CHECK mimi_err mimi_kem_encap(const mimi_kem_info *k, const uint8_t *pk_r,
                                        size_t pk_r_len, const uint8_t *sk_s, size_t sk_s_len,
                                        const mimi_rng *rng, uint8_t *enc, uint8_t *secret);
/* Decap / AuthDecap (pk_s != NULL). */
MIMI_MUST_CHECK mimi_err mimi_kem_decap(const mimi_kem_info *k, const uint8_t *enc,
                                        size_t enc_len, const uint8_t *sk_r, size_t sk_r_len,
                                        const uint8_t *pk_s, size_t pk_s_len, uint8_t *secret);

#endif
