/*
 * mimi/crypto.h — the cryptographic layer: hashes, HMAC, HKDF, AEAD, DHKEM,
 * signatures and HPKE (RFC 9180), for every algorithm the seven RFC 9420
 * cipher suites use. OpenSSL 3 libcrypto does the primitives; HPKE is ours.
 *
 * Algorithms are named by their IANA code points (HPKE KEM/KDF/AEAD ids, TLS
 * SignatureScheme), so HPKE can be driven with any combination the RFC 9180
 * vectors use, and an MLS cipher suite is just a row naming one of each.
 *
 * Key encodings are the ones RFC 9420 and RFC 9180 put on the wire:
 *   KEM public keys:   SerializePublicKey (uncompressed SEC1 point / raw X25519, X448)
 *   KEM private keys:  SerializePrivateKey (big-endian scalar of Nsk bytes / raw)
 *   Signature keys:    public = uncompressed SEC1 point (ECDSA) or raw (EdDSA);
 *                      private = big-endian scalar of the curve size (ECDSA) or raw seed (EdDSA)
 *   ECDSA signatures:  DER (RFC 9420 §5.1.2)
 */
#ifndef MIMI_CRYPTO_H
#define MIMI_CRYPTO_H

#include "mimi/base.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MIMI_MAX_HASH 64     /* SHA-512 */
#define MIMI_MAX_AEAD_KEY 32
#define MIMI_MAX_AEAD_NONCE 12
#define MIMI_AEAD_TAG 16     /* all three AEADs */

/* HPKE KEM ids (RFC 9180 §7.1) */
enum {
  MIMI_KEM_P256_SHA256 = 0x0010,
  MIMI_KEM_P384_SHA384 = 0x0011,
  MIMI_KEM_P521_SHA512 = 0x0012,
  MIMI_KEM_X25519_SHA256 = 0x0020,
  MIMI_KEM_X448_SHA512 = 0x0021,
};
/* HPKE KDF ids (RFC 9180 §7.2); also select the hash of an MLS suite. */
enum {
  MIMI_KDF_HKDF_SHA256 = 0x0001,
  MIMI_KDF_HKDF_SHA384 = 0x0002,
  MIMI_KDF_HKDF_SHA512 = 0x0003,
};
/* HPKE AEAD ids (RFC 9180 §7.3) */
enum {
  MIMI_AEAD_AES128GCM = 0x0001,
  MIMI_AEAD_AES256GCM = 0x0002,
  MIMI_AEAD_CHACHA20POLY1305 = 0x0003,
  MIMI_AEAD_EXPORT_ONLY = 0xffff,
};
/* TLS SignatureScheme values used by RFC 9420 suites */
enum {
  MIMI_SIG_ECDSA_P256_SHA256 = 0x0403,
  MIMI_SIG_ECDSA_P384_SHA384 = 0x0503,
  MIMI_SIG_ECDSA_P521_SHA512 = 0x0603,
  MIMI_SIG_ED25519 = 0x0807,
  MIMI_SIG_ED448 = 0x0808,
};

/* ------------------------------------------------------------------------ */
/* MLS cipher suites (RFC 9420 §17.1): a constant table row per suite. */

typedef struct mimi_suite {
  uint16_t id;   /* 1..7 */
  const char *name; /* "MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519" */
  uint16_t kem, kdf, aead, sig;
  size_t hash_len;       /* Nh, also KDF output size */
  size_t aead_key_len;   /* Nk */
  size_t aead_nonce_len; /* Nn */
  size_t kem_pub_len;    /* Npk */
  size_t kem_priv_len;   /* Nsk */
  size_t kem_enc_len;    /* Nenc */
} mimi_suite;

/* NULL for an unknown or unsupported suite id. */
const mimi_suite *mimi_suite_get(uint16_t id);

/* ------------------------------------------------------------------------ */
/* Default randomness: OpenSSL's DRBG. The returned object is constant. */
const mimi_rng *mimi_rng_system(void);

/* ------------------------------------------------------------------------ */
/* Hash / HMAC / HKDF, chosen by KDF id (the hash of HKDF-SHA256 is SHA-256…). */

size_t mimi_kdf_hash_len(uint16_t kdf); /* 0 if unknown */
MIMI_MUST_CHECK mimi_err mimi_hash(uint16_t kdf, const uint8_t *in, size_t len,
                                   uint8_t *out /* hash_len */);
MIMI_MUST_CHECK mimi_err mimi_hmac(uint16_t kdf, const uint8_t *key, size_t key_len,
                                   const uint8_t *data, size_t len,
                                   uint8_t *out /* hash_len */);
MIMI_MUST_CHECK mimi_err mimi_hkdf_extract(uint16_t kdf, const uint8_t *salt, size_t salt_len,
                                           const uint8_t *ikm, size_t ikm_len,
                                           uint8_t *prk /* hash_len */);
MIMI_MUST_CHECK mimi_err mimi_hkdf_expand(uint16_t kdf, const uint8_t *prk, size_t prk_len,
                                          const uint8_t *info, size_t info_len,
                                          uint8_t *out, size_t out_len);

/* ------------------------------------------------------------------------ */
/* AEAD. out must hold pt_len + MIMI_AEAD_TAG (seal) or ct_len - MIMI_AEAD_TAG
 * (open). open returns AEAD_OPEN on a bad tag and then writes nothing. */

size_t mimi_aead_key_len(uint16_t aead);   /* 0 if unknown */
size_t mimi_aead_nonce_len(uint16_t aead); /* 0 if unknown */
MIMI_MUST_CHECK mimi_err mimi_aead_seal(uint16_t aead, const uint8_t *key, const uint8_t *nonce,
                                        const uint8_t *aad, size_t aad_len,
                                        const uint8_t *pt, size_t pt_len, uint8_t *out);
MIMI_MUST_CHECK mimi_err mimi_aead_open(uint16_t aead, const uint8_t *key, const uint8_t *nonce,
                                        const uint8_t *aad, size_t aad_len,
                                        const uint8_t *ct, size_t ct_len, uint8_t *out);

/* ------------------------------------------------------------------------ */
/* Signatures. ECDSA nonces come from OpenSSL's DRBG (OpenSSL 3.0 has no
 * RFC 6979); EdDSA is deterministic. */

MIMI_MUST_CHECK mimi_err mimi_sig_generate(uint16_t scheme, const mimi_rng *rng,
                                           mimi_bytes *priv, mimi_bytes *pub);
MIMI_MUST_CHECK mimi_err mimi_sig_public_key(uint16_t scheme, const uint8_t *priv,
                                             size_t priv_len, mimi_bytes *pub);
MIMI_MUST_CHECK mimi_err mimi_sign(uint16_t scheme, const uint8_t *priv, size_t priv_len,
                                   const uint8_t *msg, size_t msg_len, mimi_bytes *sig);
/* MIMI_OK if valid, BAD_SIGNATURE if not, BAD_KEY for an unusable key. */
MIMI_MUST_CHECK mimi_err mimi_verify(uint16_t scheme, const uint8_t *pub, size_t pub_len,
                                     const uint8_t *msg, size_t msg_len,
                                     const uint8_t *sig, size_t sig_len);

/* ------------------------------------------------------------------------ */
/* DHKEM (RFC 9180 §4.1). GenerateKeyPair is DeriveKeyPair(rng(Nsk bytes)), so
 * a test RNG that returns the vectors' ikmE reproduces them. */

MIMI_MUST_CHECK mimi_err mimi_kem_derive_key_pair(uint16_t kem, const uint8_t *ikm,
                                                  size_t ikm_len, mimi_bytes *sk,
                                                  mimi_bytes *pk);
MIMI_MUST_CHECK mimi_err mimi_kem_generate_key_pair(uint16_t kem, const mimi_rng *rng,
                                                    mimi_bytes *sk, mimi_bytes *pk);
MIMI_MUST_CHECK mimi_err mimi_kem_public_key(uint16_t kem, const uint8_t *sk, size_t sk_len,
                                             mimi_bytes *pk);

/* ------------------------------------------------------------------------ */
/* HPKE (RFC 9180): all four modes, single-shot and context APIs, export. */

typedef enum {
  MIMI_HPKE_MODE_BASE = 0,
  MIMI_HPKE_MODE_PSK = 1,
  MIMI_HPKE_MODE_AUTH = 2,
  MIMI_HPKE_MODE_AUTH_PSK = 3,
} mimi_hpke_mode;

typedef struct {
  uint16_t kem, kdf, aead;
  mimi_hpke_mode mode;
  const uint8_t *info;
  size_t info_len;
  const uint8_t *psk, *psk_id; /* PSK modes */
  size_t psk_len, psk_id_len;
  const uint8_t *auth_key; /* AUTH modes: sender's private key (setup_sender)
                              or sender's public key (setup_receiver) */
  size_t auth_key_len;
} mimi_hpke_params;

/* Errors: BAD_KEY for any unusable key or enc (wrong length, not on the
 * curve, scalar out of range, all-zero X25519/X448 DH output); AEAD_OPEN when
 * open fails authentication; INVALID_ARG when mode, PSK and auth_key do not
 * match (RFC 9180 §5.1); UNSUPPORTED_SUITE for unknown ids; seal/open on an
 * export-only (0xFFFF) context is UNSUPPORTED_SUITE. */

/* Caller-allocated; holds secrets until mimi_hpke_ctx_clear. */
typedef struct {
  uint16_t kem, kdf, aead; /* kem: the export label's suite_id names it */
  uint8_t key[MIMI_MAX_AEAD_KEY];
  uint8_t base_nonce[MIMI_MAX_AEAD_NONCE];
  uint8_t exporter_secret[MIMI_MAX_HASH];
  uint64_t seq;
} mimi_hpke_ctx;

MIMI_MUST_CHECK mimi_err mimi_hpke_setup_sender(mimi_hpke_ctx *ctx, mimi_bytes *enc,
                                                const mimi_hpke_params *p,
                                                const uint8_t *pk_r, size_t pk_r_len,
                                                const mimi_rng *rng);
MIMI_MUST_CHECK mimi_err mimi_hpke_setup_receiver(mimi_hpke_ctx *ctx, const mimi_hpke_params *p,
                                                  const uint8_t *enc, size_t enc_len,
                                                  const uint8_t *sk_r, size_t sk_r_len);
MIMI_MUST_CHECK mimi_err mimi_hpke_seal(mimi_hpke_ctx *ctx, const uint8_t *aad, size_t aad_len,
                                        const uint8_t *pt, size_t pt_len, mimi_bytes *ct);
MIMI_MUST_CHECK mimi_err mimi_hpke_open(mimi_hpke_ctx *ctx, const uint8_t *aad, size_t aad_len,
                                        const uint8_t *ct, size_t ct_len, mimi_bytes *pt);
MIMI_MUST_CHECK mimi_err mimi_hpke_export(const mimi_hpke_ctx *ctx, const uint8_t *exporter_ctx,
                                          size_t exporter_ctx_len, uint8_t *out, size_t out_len);
void mimi_hpke_ctx_clear(mimi_hpke_ctx *ctx);

/* Single-shot base/psk/auth seal and open (setup + one seal/open). */
MIMI_MUST_CHECK mimi_err mimi_hpke_seal_once(const mimi_hpke_params *p, const uint8_t *pk_r,
                                             size_t pk_r_len, const uint8_t *aad, size_t aad_len,
                                             const uint8_t *pt, size_t pt_len,
                                             const mimi_rng *rng, mimi_bytes *enc,
                                             mimi_bytes *ct);
MIMI_MUST_CHECK mimi_err mimi_hpke_open_once(const mimi_hpke_params *p, const uint8_t *enc,
                                             size_t enc_len, const uint8_t *sk_r,
                                             size_t sk_r_len, const uint8_t *aad, size_t aad_len,
                                             const uint8_t *ct, size_t ct_len, mimi_bytes *pt);

#ifdef __cplusplus
}
#endif
#endif /* MIMI_CRYPTO_H */
