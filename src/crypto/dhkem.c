/*
 * dhkem.c — DHKEM of RFC 9180 §4.1 over P-256, P-384, P-521, X25519 and
 * X448: DeriveKeyPair (§7.1.3), Encap/Decap and AuthEncap/AuthDecap.
 */
#include <string.h>

#include <openssl/err.h>

#include "crypto_internal.h"

static const mimi_kem_info kems[] = {
    {MIMI_KEM_P256_SHA256, MIMI_KDF_HKDF_SHA256, MIMI_CURVE_P256, 32, 65, 32, 0xff},
    {MIMI_KEM_P384_SHA384, MIMI_KDF_HKDF_SHA384, MIMI_CURVE_P384, 48, 97, 48, 0xff},
    {MIMI_KEM_P521_SHA512, MIMI_KDF_HKDF_SHA512, MIMI_CURVE_P521, 64, 133, 66, 0x01},
    {MIMI_KEM_X25519_SHA256, MIMI_KDF_HKDF_SHA256, MIMI_CURVE_X25519, 32, 32, 32, 0},
    {MIMI_KEM_X448_SHA512, MIMI_KDF_HKDF_SHA512, MIMI_CURVE_X448, 64, 56, 56, 0},
};

const mimi_kem_info *mimi_kem_info_get(uint16_t kem) {
  for (size_t i = 0; i < sizeof kems / sizeof kems[0]; i++)
    if (kems[i].id == kem) return &kems[i];
  return NULL;
}

static void kem_suite(const mimi_kem_info *k, mimi_hpke_suite_id *s) {
  mimi_suite_id_kem(s, k->id, k->kdf);
}

/* §7.1.3: X25519/X448 take the expanded bytes as the key; the NIST curves
 * mask the top byte and retry until the candidate is a valid scalar. */
static mimi_err derive_raw(const mimi_kem_info *k, const uint8_t *ikm, size_t ikm_len,
                           uint8_t *sk, uint8_t *pk) {
  mimi_hpke_suite_id s;
  kem_suite(k, &s);
  uint8_t prk[MIMI_MAX_HASH];
  size_t nh = mimi_kdf_hash_len(k->kdf);
  mimi_err err = mimi_labeled_extract(&s, NULL, 0, "dkp_prk", ikm, ikm_len, prk);
  if (err != MIMI_OK) goto done;
  if (!mimi_curve_is_nist(k->curve)) {
    err = mimi_labeled_expand(&s, prk, nh, "sk", NULL, 0, sk, k->priv_len);
  } else {
    err = MIMI_ERR_KEY_DERIVATION;
    for (unsigned counter = 0; counter <= 255; counter++) {
      uint8_t c = (uint8_t)counter;
      mimi_err e = mimi_labeled_expand(&s, prk, nh, "candidate", &c, 1, sk, k->priv_len);
      if (e != MIMI_OK) {
        err = e;
        break;
      }
      sk[0] &= k->bitmask;
      e = mimi_ec_scalar_check(k->curve, sk);
      if (e != MIMI_ERR_BAD_KEY) {
        err = e;
        break;
      }
    }
  }
  if (err == MIMI_OK) err = mimi_curve_pub_from_priv(k->curve, sk, k->priv_len, pk);
done:
  mimi_secure_zero(prk, sizeof prk);
  if (err != MIMI_OK) mimi_secure_zero(sk, k->priv_len);
  return err;
}

static mimi_err to_bytes_pair(const mimi_kem_info *k, uint8_t *sk_buf, const uint8_t *pk_buf,
                              mimi_bytes *sk, mimi_bytes *pk) {
  mimi_bytes s = {NULL, 0}, p = {NULL, 0};
  mimi_err err = mimi_bytes_copy(&s, sk_buf, k->priv_len);
  if (err == MIMI_OK) err = mimi_bytes_copy(&p, pk_buf, k->enc_len);
  mimi_secure_zero(sk_buf, k->priv_len);
  if (err != MIMI_OK) {
    mimi_bytes_free(&s);
    return err;
  }
  *sk = s;
  *pk = p;
  return MIMI_OK;
}

mimi_err mimi_kem_derive_key_pair(uint16_t kem, const uint8_t *ikm, size_t ikm_len,
                                  mimi_bytes *sk, mimi_bytes *pk) {
  const mimi_kem_info *k = mimi_kem_info_get(kem);
  if (k == NULL) return MIMI_ERR_UNSUPPORTED_SUITE;
  if (ikm == NULL && ikm_len > 0) return MIMI_ERR_INVALID_ARG;
  uint8_t skb[MIMI_MAX_KEM_PRIV], pkb[MIMI_MAX_KEM_PUB];
  MIMI_TRY(derive_raw(k, ikm, ikm_len, skb, pkb));
  return to_bytes_pair(k, skb, pkb, sk, pk);
}

mimi_err mimi_kem_generate_key_pair(uint16_t kem, const mimi_rng *rng, mimi_bytes *sk,
                                    mimi_bytes *pk) {
  const mimi_kem_info *k = mimi_kem_info_get(kem);
  if (k == NULL) return MIMI_ERR_UNSUPPORTED_SUITE;
  uint8_t ikm[MIMI_MAX_KEM_PRIV];
  mimi_err err = mimi_rng_fill(rng, ikm, k->priv_len);
  if (err == MIMI_OK) err = mimi_kem_derive_key_pair(kem, ikm, k->priv_len, sk, pk);
  mimi_secure_zero(ikm, sizeof ikm);
  return err;
}

mimi_err mimi_kem_public_key(uint16_t kem, const uint8_t *sk, size_t sk_len, mimi_bytes *pk) {
  const mimi_kem_info *k = mimi_kem_info_get(kem);
  if (k == NULL) return MIMI_ERR_UNSUPPORTED_SUITE;
  uint8_t pkb[MIMI_MAX_KEM_PUB];
  MIMI_TRY(mimi_curve_pub_from_priv(k->curve, sk, sk_len, pkb));
  return mimi_bytes_copy(pk, pkb, k->enc_len);
}

/* DH(sk, pk) into out (Ndh bytes); *out_len gets Ndh. own_pub is sk's
 * public key when known (NULL otherwise). The peer key is validated; an
 * all-zero X25519/X448 result means a small-order peer point and is refused
 * (RFC 9180 §7.1.4). */
static mimi_err dh(const mimi_kem_info *k, const uint8_t *sk, size_t sk_len,
                   const uint8_t *own_pub, const uint8_t *pk, size_t pk_len, uint8_t *out,
                   size_t *out_len) {
  EVP_PKEY *mine = NULL, *peer = NULL;
  EVP_PKEY_CTX *ctx = NULL;
  mimi_err err = mimi_curve_pkey_pub(k->curve, pk, pk_len, &peer);
  if (err == MIMI_OK) err = mimi_curve_pkey_priv(k->curve, sk, sk_len, own_pub, &mine);
  if (err != MIMI_OK) goto done;
  err = MIMI_ERR_CRYPTO;
  size_t n = MIMI_MAX_KEM_PRIV;
  ctx = EVP_PKEY_CTX_new_from_pkey(NULL, mine, NULL);
  if (ctx == NULL || EVP_PKEY_derive_init(ctx) != 1) goto done;
  /* Not validate_peer: mimi_curve_pkey_pub already checked the point, and
   * OpenSSL's full check adds an n*Q multiplication that proves nothing on
   * these prime-order curves. */
  if (EVP_PKEY_derive_set_peer_ex(ctx, peer, 0) != 1) {
    err = MIMI_ERR_BAD_KEY;
    goto done;
  }
  if (EVP_PKEY_derive(ctx, out, &n) != 1) {
    /* OpenSSL's X25519/X448 fail exactly on an all-zero output. */
    err = mimi_curve_is_nist(k->curve) ? MIMI_ERR_CRYPTO : MIMI_ERR_BAD_KEY;
    goto done;
  }
  uint8_t acc = 0;
  for (size_t i = 0; i < n; i++) acc |= out[i];
  if (acc == 0) {
    err = MIMI_ERR_BAD_KEY;
    goto done;
  }
  *out_len = n;
  err = MIMI_OK;
done:
  if (err != MIMI_OK) ERR_clear_error();
  EVP_PKEY_CTX_free(ctx);
  EVP_PKEY_free(mine);
  EVP_PKEY_free(peer);
  return err;
}

/* §4.1 ExtractAndExpand. */
static mimi_err extract_and_expand(const mimi_kem_info *k, const uint8_t *dh_out, size_t dh_len,
                                   const uint8_t *ctx, size_t ctx_len, uint8_t *secret) {
  mimi_hpke_suite_id s;
  kem_suite(k, &s);
  uint8_t prk[MIMI_MAX_HASH];
  mimi_err err = mimi_labeled_extract(&s, NULL, 0, "eae_prk", dh_out, dh_len, prk);
  if (err == MIMI_OK)
    err = mimi_labeled_expand(&s, prk, mimi_kdf_hash_len(k->kdf), "shared_secret", ctx,
                              ctx_len, secret, k->secret_len);
  mimi_secure_zero(prk, sizeof prk);
  return err;
}

/* dh = DH(a) [|| DH(b)], kem_context = enc || pkRm [|| pkSm]. */
typedef struct {
  uint8_t dh[2 * MIMI_MAX_KEM_PRIV];
  size_t dh_len;
  uint8_t context[3 * MIMI_MAX_KEM_PUB];
  size_t context_len;
} kem_material;

static void context_add(kem_material *m, const uint8_t *p, size_t n) {
  memcpy(m->context + m->context_len, p, n);
  m->context_len += n;
}

static mimi_err dh_add(const mimi_kem_info *k, kem_material *m, const uint8_t *sk, size_t sk_len,
                       const uint8_t *own_pub, const uint8_t *pk, size_t pk_len) {
  size_t n = 0;
  MIMI_TRY(dh(k, sk, sk_len, own_pub, pk, pk_len, m->dh + m->dh_len, &n));
  m->dh_len += n;
  return MIMI_OK;
}

mimi_err mimi_kem_encap(const mimi_kem_info *k, const uint8_t *pk_r, size_t pk_r_len,
                        const uint8_t *sk_s, size_t sk_s_len, const mimi_rng *rng, uint8_t *enc,
                        uint8_t *secret) {
  uint8_t ikm[MIMI_MAX_KEM_PRIV], sk_e[MIMI_MAX_KEM_PRIV], pk_e[MIMI_MAX_KEM_PUB];
  uint8_t pk_s[MIMI_MAX_KEM_PUB];
  kem_material m = {.dh_len = 0, .context_len = 0};
  mimi_err err = MIMI_ERR_BAD_KEY;
  if (pk_r == NULL || pk_r_len != k->enc_len) goto done;
  if ((err = mimi_rng_fill(rng, ikm, k->priv_len)) != MIMI_OK) goto done;
  if ((err = derive_raw(k, ikm, k->priv_len, sk_e, pk_e)) != MIMI_OK) goto done;
  if ((err = dh_add(k, &m, sk_e, k->priv_len, pk_e, pk_r, pk_r_len)) != MIMI_OK) goto done;
  context_add(&m, pk_e, k->enc_len);
  context_add(&m, pk_r, k->enc_len);
  if (sk_s != NULL) {
    if ((err = mimi_curve_pub_from_priv(k->curve, sk_s, sk_s_len, pk_s)) != MIMI_OK) goto done;
    if ((err = dh_add(k, &m, sk_s, sk_s_len, pk_s, pk_r, pk_r_len)) != MIMI_OK) goto done;
    context_add(&m, pk_s, k->enc_len);
  }
  if ((err = extract_and_expand(k, m.dh, m.dh_len, m.context, m.context_len, secret)) !=
      MIMI_OK)
    goto done;
  memcpy(enc, pk_e, k->enc_len);
done:
  mimi_secure_zero(ikm, sizeof ikm);
  mimi_secure_zero(sk_e, sizeof sk_e);
  mimi_secure_zero(&m, sizeof m);
  return err;
}

mimi_err mimi_kem_decap(const mimi_kem_info *k, const uint8_t *enc, size_t enc_len,
                        const uint8_t *sk_r, size_t sk_r_len, const uint8_t *pk_s,
                        size_t pk_s_len, uint8_t *secret) {
  uint8_t pk_r[MIMI_MAX_KEM_PUB];
  kem_material m = {.dh_len = 0, .context_len = 0};
  /* Validate enc before spending a scalar multiplication on pk_r. */
  mimi_err err = enc != NULL && enc_len == k->enc_len ? MIMI_OK : MIMI_ERR_BAD_KEY;
  if (err != MIMI_OK) goto done;
  if ((err = mimi_curve_pub_from_priv(k->curve, sk_r, sk_r_len, pk_r)) != MIMI_OK) goto done;
  if ((err = dh_add(k, &m, sk_r, sk_r_len, pk_r, enc, enc_len)) != MIMI_OK) goto done;
  context_add(&m, enc, k->enc_len);
  context_add(&m, pk_r, k->enc_len);
  if (pk_s != NULL) {
    if ((err = dh_add(k, &m, sk_r, sk_r_len, pk_r, pk_s, pk_s_len)) != MIMI_OK) goto done;
    context_add(&m, pk_s, k->enc_len);
  }
  err = extract_and_expand(k, m.dh, m.dh_len, m.context, m.context_len, secret);
done:
  mimi_secure_zero(&m, sizeof m);
  return err;
}
