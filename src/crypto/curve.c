/*
 * curve.c — key plumbing for the seven curves signatures and DHKEM use:
 * scalar validation, public-from-private, and EVP_PKEYs built from the wire
 * encodings (big-endian scalar + uncompressed point for the NIST curves,
 * raw bytes for X25519/X448/Ed25519/Ed448).
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#include "crypto_internal.h"

typedef struct {
  int nid;              /* NIST curves */
  const char *group;    /* NIST curves: OSSL group name */
  int evp_type;         /* raw-key curves */
  const char *evp_name; /* raw-key curves: OSSL key type name */
  size_t priv_len, pub_len;
} curve_info;

static const curve_info curves[] = {
    [MIMI_CURVE_P256] = {NID_X9_62_prime256v1, "P-256", 0, NULL, 32, 65},
    [MIMI_CURVE_P384] = {NID_secp384r1, "P-384", 0, NULL, 48, 97},
    [MIMI_CURVE_P521] = {NID_secp521r1, "P-521", 0, NULL, 66, 133},
    [MIMI_CURVE_X25519] = {0, NULL, EVP_PKEY_X25519, "X25519", 32, 32},
    [MIMI_CURVE_X448] = {0, NULL, EVP_PKEY_X448, "X448", 56, 56},
    [MIMI_CURVE_ED25519] = {0, NULL, EVP_PKEY_ED25519, "ED25519", 32, 32},
    [MIMI_CURVE_ED448] = {0, NULL, EVP_PKEY_ED448, "ED448", 57, 57},
};

size_t mimi_curve_priv_len(mimi_curve c) { return curves[c].priv_len; }
size_t mimi_curve_pub_len(mimi_curve c) { return curves[c].pub_len; }
bool mimi_curve_is_nist(mimi_curve c) { return curves[c].nid != 0; }

/* a < b for equal-length big-endian byte strings, without branching on a. */
static bool ct_less(const uint8_t *a, const uint8_t *b, size_t len) {
  /* Scan from the least significant byte: the most significant difference
   * seen last decides. borrow = (a - b) < 0 at each prefix. */
  unsigned borrow = 0;
  for (size_t i = len; i-- > 0;) {
    unsigned diff = (unsigned)a[i] - (unsigned)b[i] - borrow;
    borrow = (diff >> 8) & 1;
  }
  return borrow == 1;
}

/* Group orders n (SEC 2 §2.4.2, §2.5.1, §2.6.1), big-endian at the scalar
 * size. Kept as constants: building an EC_GROUP costs more than the check. */
static const uint8_t order_p256[32] = {
    0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51};
static const uint8_t order_p384[48] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc7, 0x63, 0x4d, 0x81, 0xf4, 0x37, 0x2d, 0xdf,
    0x58, 0x1a, 0x0d, 0xb2, 0x48, 0xb0, 0xa7, 0x7a, 0xec, 0xec, 0x19, 0x6a, 0xcc, 0xc5, 0x29, 0x73};
static const uint8_t order_p521[66] = {
    0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xfa, 0x51, 0x86, 0x87, 0x83, 0xbf, 0x2f, 0x96, 0x6b, 0x7f, 0xcc, 0x01, 0x48, 0xf7, 0x09,
    0xa5, 0xd0, 0x3b, 0xb5, 0xc9, 0xb8, 0x89, 0x9c, 0x47, 0xae, 0xbb, 0x6f, 0xb7, 0x1e, 0x91, 0x38,
    0x64, 0x09};

mimi_err mimi_ec_scalar_check(mimi_curve c, const uint8_t *priv) {
  const uint8_t *order = c == MIMI_CURVE_P256   ? order_p256
                         : c == MIMI_CURVE_P384 ? order_p384
                         : c == MIMI_CURVE_P521 ? order_p521
                                                : NULL;
  if (order == NULL) return MIMI_ERR_INVALID_ARG;
  size_t len = curves[c].priv_len;
  uint8_t acc = 0;
  for (size_t i = 0; i < len; i++) acc |= priv[i];
  bool valid = (acc != 0) & ct_less(priv, order, len);
  return valid ? MIMI_OK : MIMI_ERR_BAD_KEY;
}

/* d*G as an uncompressed point. */
static mimi_err ec_pub_from_priv(const curve_info *ci, const uint8_t *priv, uint8_t *pub) {
  mimi_err err = MIMI_ERR_CRYPTO;
  EC_GROUP *g = EC_GROUP_new_by_curve_name(ci->nid);
  EC_POINT *p = g ? EC_POINT_new(g) : NULL;
  BIGNUM *d = BN_secure_new();
  BN_CTX *bctx = BN_CTX_new();
  if (p == NULL || d == NULL || bctx == NULL) goto done;
  BN_set_flags(d, BN_FLG_CONSTTIME);
  if (BN_bin2bn(priv, (int)ci->priv_len, d) == NULL) goto done;
  if (EC_POINT_mul(g, p, d, NULL, NULL, bctx) != 1) goto done;
  if (EC_POINT_point2oct(g, p, POINT_CONVERSION_UNCOMPRESSED, pub, ci->pub_len, bctx) !=
      ci->pub_len)
    goto done;
  err = MIMI_OK;
done:
  BN_clear_free(d);
  BN_CTX_free(bctx);
  EC_POINT_free(p);
  EC_GROUP_free(g);
  return err;
}

mimi_err mimi_curve_pub_from_priv(mimi_curve c, const uint8_t *priv, size_t priv_len,
                                  uint8_t *pub) {
  const curve_info *ci = &curves[c];
  if (priv == NULL || priv_len != ci->priv_len) return MIMI_ERR_BAD_KEY;
  if (ci->nid != 0) {
    MIMI_TRY(mimi_ec_scalar_check(c, priv));
    return ec_pub_from_priv(ci, priv, pub);
  }
  EVP_PKEY *pk = EVP_PKEY_new_raw_private_key(ci->evp_type, NULL, priv, priv_len);
  if (pk == NULL) return MIMI_ERR_CRYPTO;
  size_t n = ci->pub_len;
  int ok = EVP_PKEY_get_raw_public_key(pk, pub, &n) == 1 && n == ci->pub_len;
  EVP_PKEY_free(pk);
  return ok ? MIMI_OK : MIMI_ERR_CRYPTO;
}

/* Key from OSSL params: the EC group or the raw-key type, optional private
 * key (a BIGNUM scalar or raw octets), optional public key. */
static mimi_err pkey_fromdata(const curve_info *ci, const uint8_t *priv, const uint8_t *pub,
                              EVP_PKEY **out) {
  mimi_err err = MIMI_ERR_CRYPTO;
  OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
  OSSL_PARAM *params = NULL;
  BIGNUM *d = NULL;
  EVP_PKEY_CTX *pctx = NULL;
  EVP_PKEY *pkey = NULL;
  if (bld == NULL) goto done;
  if (ci->group != NULL &&
      OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, ci->group, 0) != 1)
    goto done;
  if (pub != NULL &&
      OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, ci->pub_len) != 1)
    goto done;
  if (priv != NULL && ci->nid != 0) {
    d = BN_secure_new();
    if (d == NULL || BN_bin2bn(priv, (int)ci->priv_len, d) == NULL ||
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d) != 1)
      goto done;
  } else if (priv != NULL && OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PRIV_KEY,
                                                              priv, ci->priv_len) != 1) {
    goto done;
  }
  params = OSSL_PARAM_BLD_to_param(bld);
  pctx = EVP_PKEY_CTX_new_from_name(NULL, ci->nid != 0 ? "EC" : ci->evp_name, NULL);
  if (params == NULL || pctx == NULL || EVP_PKEY_fromdata_init(pctx) != 1 ||
      EVP_PKEY_fromdata(pctx, &pkey, priv ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params) != 1)
    goto done;
  *out = pkey;
  err = MIMI_OK;
done:
  EVP_PKEY_CTX_free(pctx);
  OSSL_PARAM_free(params); /* clears the secure-heap part holding the key */
  OSSL_PARAM_BLD_free(bld);
  BN_clear_free(d);
  return err;
}

mimi_err mimi_curve_pkey_priv(mimi_curve c, const uint8_t *priv, size_t priv_len,
                              const uint8_t *pub, EVP_PKEY **out) {
  const curve_info *ci = &curves[c];
  if (priv == NULL || priv_len != ci->priv_len) return MIMI_ERR_BAD_KEY;
  if (ci->nid != 0) {
    MIMI_TRY(mimi_ec_scalar_check(c, priv));
  } else if (pub == NULL) {
    EVP_PKEY *pk = EVP_PKEY_new_raw_private_key(ci->evp_type, NULL, priv, priv_len);
    if (pk == NULL) return MIMI_ERR_CRYPTO;
    *out = pk;
    return MIMI_OK;
  }
  return pkey_fromdata(ci, priv, pub, out);
}

mimi_err mimi_curve_pkey_pub(mimi_curve c, const uint8_t *pub, size_t pub_len, EVP_PKEY **out) {
  const curve_info *ci = &curves[c];
  if (pub == NULL || pub_len != ci->pub_len) return MIMI_ERR_BAD_KEY;
  if (ci->nid != 0) {
    /* Uncompressed SEC1 only (RFC 9180 §7.1.1, RFC 9420 §5.1.1). OpenSSL's
     * import decodes with EC_POINT_oct2point, which refuses points off the
     * curve; (0, 0) is off every curve and infinity has no 0x04 form. */
    if (pub[0] != 0x04) return MIMI_ERR_BAD_KEY;
    if (pkey_fromdata(ci, NULL, pub, out) != MIMI_OK) {
      ERR_clear_error();
      return MIMI_ERR_BAD_KEY;
    }
    return MIMI_OK;
  }
  EVP_PKEY *pk = EVP_PKEY_new_raw_public_key(ci->evp_type, NULL, pub, pub_len);
  if (pk == NULL) return MIMI_ERR_BAD_KEY;
  *out = pk;
  return MIMI_OK;
}

mimi_err mimi_curve_random_priv(mimi_curve c, const mimi_rng *rng, uint8_t *priv) {
  const curve_info *ci = &curves[c];
  if (ci->nid == 0) return mimi_rng_fill(rng, priv, ci->priv_len);
  /* P-521 scalars have 521 bits in 66 bytes; the others fill whole bytes. */
  uint8_t mask = c == MIMI_CURVE_P521 ? 0x01 : 0xff;
  for (int tries = 0; tries < 256; tries++) {
    MIMI_TRY(mimi_rng_fill(rng, priv, ci->priv_len));
    priv[0] &= mask;
    mimi_err err = mimi_ec_scalar_check(c, priv);
    if (err != MIMI_ERR_BAD_KEY) return err;
  }
  mimi_secure_zero(priv, ci->priv_len);
  return MIMI_ERR_RNG;
}
