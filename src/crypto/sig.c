/*
 * sig.c — Ed25519, Ed448 and ECDSA (P-256/384/521, DER signatures) for the
 * TLS SignatureScheme values RFC 9420 suites use.
 */
#include <openssl/err.h>
#include <string.h>

#include "crypto_internal.h"

typedef struct {
  mimi_curve curve;
  const EVP_MD *(*md)(void); /* NULL for EdDSA (hashes internally) */
} sig_scheme;

static bool scheme_get(uint16_t scheme, sig_scheme *s) {
  switch (scheme) {
  case MIMI_SIG_ECDSA_P256_SHA256: *s = (sig_scheme){MIMI_CURVE_P256, EVP_sha256}; return true;
  case MIMI_SIG_ECDSA_P384_SHA384: *s = (sig_scheme){MIMI_CURVE_P384, EVP_sha384}; return true;
  case MIMI_SIG_ECDSA_P521_SHA512: *s = (sig_scheme){MIMI_CURVE_P521, EVP_sha512}; return true;
  case MIMI_SIG_ED25519: *s = (sig_scheme){MIMI_CURVE_ED25519, NULL}; return true;
  case MIMI_SIG_ED448: *s = (sig_scheme){MIMI_CURVE_ED448, NULL}; return true;
  default: return false;
  }
}

/* RFC 9420 leaves signature private key encodings to implementations, and
 * some (the mlswg vectors among them) write ECDSA scalars without leading
 * zero bytes: a P-521 key can come as 65 bytes. Accept any shorter scalar by
 * left-padding it into `wide`; EdDSA seeds have no such freedom. */
static mimi_err widen_scalar(const sig_scheme *s, const uint8_t **priv, size_t *priv_len,
                             uint8_t wide[MIMI_MAX_KEM_PRIV]) {
  size_t want = mimi_curve_priv_len(s->curve);
  if (s->md == NULL || *priv == NULL || *priv_len == 0 || *priv_len >= want) return MIMI_OK;
  memset(wide, 0, want - *priv_len);
  memcpy(wide + want - *priv_len, *priv, *priv_len);
  *priv = wide;
  *priv_len = want;
  return MIMI_OK;
}

mimi_err mimi_sig_public_key(uint16_t scheme, const uint8_t *priv, size_t priv_len,
                             mimi_bytes *pub) {
  sig_scheme s;
  if (!scheme_get(scheme, &s)) return MIMI_ERR_UNSUPPORTED_SUITE;
  uint8_t buf[MIMI_MAX_KEM_PUB], wide[MIMI_MAX_KEM_PRIV];
  MIMI_TRY(widen_scalar(&s, &priv, &priv_len, wide));
  mimi_err err = mimi_curve_pub_from_priv(s.curve, priv, priv_len, buf);
  mimi_secure_zero(wide, sizeof wide);
  MIMI_TRY(err);
  return mimi_bytes_copy(pub, buf, mimi_curve_pub_len(s.curve));
}

mimi_err mimi_sig_generate(uint16_t scheme, const mimi_rng *rng, mimi_bytes *priv,
                           mimi_bytes *pub) {
  sig_scheme s;
  if (!scheme_get(scheme, &s)) return MIMI_ERR_UNSUPPORTED_SUITE;
  size_t n = mimi_curve_priv_len(s.curve);
  uint8_t sk[MIMI_MAX_KEM_PRIV];
  mimi_bytes sk_b = {NULL, 0}, pk_b = {NULL, 0};
  mimi_err err = mimi_curve_random_priv(s.curve, rng, sk);
  if (err == MIMI_OK) err = mimi_sig_public_key(scheme, sk, n, &pk_b);
  if (err == MIMI_OK) err = mimi_bytes_copy(&sk_b, sk, n);
  mimi_secure_zero(sk, sizeof sk);
  if (err != MIMI_OK) {
    mimi_bytes_free(&pk_b);
    return err;
  }
  *priv = sk_b;
  *pub = pk_b;
  return MIMI_OK;
}

mimi_err mimi_sign(uint16_t scheme, const uint8_t *priv, size_t priv_len, const uint8_t *msg,
                   size_t msg_len, mimi_bytes *sig) {
  sig_scheme s;
  if (!scheme_get(scheme, &s)) return MIMI_ERR_UNSUPPORTED_SUITE;
  if (msg == NULL && msg_len > 0) return MIMI_ERR_INVALID_ARG;
  EVP_PKEY *pkey = NULL;
  uint8_t wide[MIMI_MAX_KEM_PRIV];
  MIMI_TRY(widen_scalar(&s, &priv, &priv_len, wide));
  mimi_err err = mimi_curve_pkey_priv(s.curve, priv, priv_len, NULL, &pkey);
  mimi_secure_zero(wide, sizeof wide);
  MIMI_TRY(err);
  err = MIMI_ERR_CRYPTO;
  mimi_bytes out = {NULL, 0};
  EVP_MD_CTX *mctx = EVP_MD_CTX_new();
  size_t len = 0;
  if (mctx == NULL ||
      EVP_DigestSignInit(mctx, NULL, s.md ? s.md() : NULL, NULL, pkey) != 1 ||
      EVP_DigestSign(mctx, NULL, &len, msg, msg_len) != 1)
    goto done;
  if ((err = mimi_bytes_alloc(&out, len)) != MIMI_OK) goto done;
  err = MIMI_ERR_CRYPTO;
  if (EVP_DigestSign(mctx, out.data, &len, msg, msg_len) != 1) goto done;
  out.len = len; /* DER length varies below the maximum */
  *sig = out;
  out = (mimi_bytes){NULL, 0};
  err = MIMI_OK;
done:
  mimi_bytes_free(&out);
  EVP_MD_CTX_free(mctx);
  EVP_PKEY_free(pkey);
  return err;
}

mimi_err mimi_verify(uint16_t scheme, const uint8_t *pub, size_t pub_len, const uint8_t *msg,
                     size_t msg_len, const uint8_t *sig, size_t sig_len) {
  sig_scheme s;
  if (!scheme_get(scheme, &s)) return MIMI_ERR_UNSUPPORTED_SUITE;
  if ((msg == NULL && msg_len > 0) || (sig == NULL && sig_len > 0)) return MIMI_ERR_INVALID_ARG;
  EVP_PKEY *pkey = NULL;
  MIMI_TRY(mimi_curve_pkey_pub(s.curve, pub, pub_len, &pkey));
  mimi_err err = MIMI_ERR_CRYPTO;
  EVP_MD_CTX *mctx = EVP_MD_CTX_new();
  if (mctx != NULL && EVP_DigestVerifyInit(mctx, NULL, s.md ? s.md() : NULL, NULL, pkey) == 1) {
    /* 0 is a bad signature, negative a malformed one: both are forgeries. */
    err = EVP_DigestVerify(mctx, sig, sig_len, msg, msg_len) == 1 ? MIMI_OK
                                                                  : MIMI_ERR_BAD_SIGNATURE;
  }
  ERR_clear_error();
  EVP_MD_CTX_free(mctx);
  EVP_PKEY_free(pkey);
  return err;
}
