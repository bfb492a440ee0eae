/*
 * hpke.c — HPKE (RFC 9180 §5-§6): the key schedule for the four modes, the
 * sender/receiver contexts with their sequence-numbered nonces, the secret
 * exporter and the single-shot wrappers.
 */
#include <string.h>

#include "crypto_internal.h"

/* §5.1 VerifyPSKInputs, plus: auth modes need the sender key, others not. */
static mimi_err check_params(const mimi_hpke_params *p, const mimi_kem_info **k) {
  if (p == NULL) return MIMI_ERR_INVALID_ARG;
  *k = mimi_kem_info_get(p->kem);
  if (*k == NULL || mimi_kdf_hash_len(p->kdf) == 0 ||
      (p->aead != MIMI_AEAD_EXPORT_ONLY && mimi_aead_key_len(p->aead) == 0))
    return MIMI_ERR_UNSUPPORTED_SUITE;
  if ((p->info == NULL && p->info_len > 0) || (p->psk == NULL && p->psk_len > 0) ||
      (p->psk_id == NULL && p->psk_id_len > 0))
    return MIMI_ERR_INVALID_ARG;
  bool got_psk = p->psk_len > 0, got_psk_id = p->psk_id_len > 0;
  bool psk_mode = p->mode == MIMI_HPKE_MODE_PSK || p->mode == MIMI_HPKE_MODE_AUTH_PSK;
  bool auth_mode = p->mode == MIMI_HPKE_MODE_AUTH || p->mode == MIMI_HPKE_MODE_AUTH_PSK;
  if (p->mode > MIMI_HPKE_MODE_AUTH_PSK) return MIMI_ERR_INVALID_ARG;
  if (got_psk != got_psk_id) return MIMI_ERR_INVALID_ARG; /* inconsistent PSK inputs */
  if (got_psk != psk_mode) return MIMI_ERR_INVALID_ARG;   /* PSK missing or not needed */
  if ((p->auth_key != NULL && p->auth_key_len > 0) != auth_mode) return MIMI_ERR_INVALID_ARG;
  return MIMI_OK;
}

/* §5.1 KeySchedule; fills *ctx entirely. */
static mimi_err key_schedule(mimi_hpke_ctx *ctx, const mimi_hpke_params *p,
                             const uint8_t *shared_secret, size_t ss_len) {
  mimi_hpke_suite_id s;
  mimi_suite_id_hpke(&s, p->kem, p->kdf, p->aead);
  size_t nh = mimi_kdf_hash_len(p->kdf);
  bool export_only = p->aead == MIMI_AEAD_EXPORT_ONLY;
  size_t nk = export_only ? 0 : mimi_aead_key_len(p->aead);
  size_t nn = export_only ? 0 : mimi_aead_nonce_len(p->aead);
  uint8_t ksc[1 + 2 * MIMI_MAX_HASH], secret[MIMI_MAX_HASH];
  ksc[0] = (uint8_t)p->mode;
  memset(ctx, 0, sizeof *ctx);
  ctx->kem = p->kem;
  ctx->kdf = p->kdf;
  ctx->aead = p->aead;
  mimi_err err = mimi_labeled_extract(&s, NULL, 0, "psk_id_hash", p->psk_id, p->psk_id_len,
                                      ksc + 1);
  if (err == MIMI_OK)
    err = mimi_labeled_extract(&s, NULL, 0, "info_hash", p->info, p->info_len, ksc + 1 + nh);
  if (err == MIMI_OK)
    err = mimi_labeled_extract(&s, shared_secret, ss_len, "secret", p->psk, p->psk_len, secret);
  if (err == MIMI_OK && nk > 0)
    err = mimi_labeled_expand(&s, secret, nh, "key", ksc, 1 + 2 * nh, ctx->key, nk);
  if (err == MIMI_OK && nn > 0)
    err = mimi_labeled_expand(&s, secret, nh, "base_nonce", ksc, 1 + 2 * nh, ctx->base_nonce,
                              nn);
  if (err == MIMI_OK)
    err = mimi_labeled_expand(&s, secret, nh, "exp", ksc, 1 + 2 * nh, ctx->exporter_secret, nh);
  mimi_secure_zero(secret, sizeof secret);
  if (err != MIMI_OK) mimi_hpke_ctx_clear(ctx);
  return err;
}

mimi_err mimi_hpke_setup_sender(mimi_hpke_ctx *ctx, mimi_bytes *enc, const mimi_hpke_params *p,
                                const uint8_t *pk_r, size_t pk_r_len, const mimi_rng *rng) {
  const mimi_kem_info *k = NULL;
  MIMI_TRY(check_params(p, &k));
  uint8_t encb[MIMI_MAX_KEM_PUB], ss[MIMI_MAX_KEM_SECRET];
  mimi_hpke_ctx tmp;
  mimi_bytes e = {NULL, 0};
  const uint8_t *sk_s = p->auth_key_len > 0 ? p->auth_key : NULL;
  mimi_err err = mimi_kem_encap(k, pk_r, pk_r_len, sk_s, p->auth_key_len, rng, encb, ss);
  if (err == MIMI_OK) err = key_schedule(&tmp, p, ss, k->secret_len);
  mimi_secure_zero(ss, sizeof ss);
  if (err != MIMI_OK) return err;
  err = mimi_bytes_copy(&e, encb, k->enc_len);
  if (err == MIMI_OK) {
    *ctx = tmp;
    *enc = e;
  }
  mimi_hpke_ctx_clear(&tmp);
  return err;
}

mimi_err mimi_hpke_setup_receiver(mimi_hpke_ctx *ctx, const mimi_hpke_params *p,
                                  const uint8_t *enc, size_t enc_len, const uint8_t *sk_r,
                                  size_t sk_r_len) {
  const mimi_kem_info *k = NULL;
  MIMI_TRY(check_params(p, &k));
  uint8_t ss[MIMI_MAX_KEM_SECRET];
  mimi_hpke_ctx tmp;
  const uint8_t *pk_s = p->auth_key_len > 0 ? p->auth_key : NULL;
  mimi_err err = mimi_kem_decap(k, enc, enc_len, sk_r, sk_r_len, pk_s, p->auth_key_len, ss);
  if (err == MIMI_OK) err = key_schedule(&tmp, p, ss, k->secret_len);
  mimi_secure_zero(ss, sizeof ss);
  if (err == MIMI_OK) *ctx = tmp;
  mimi_hpke_ctx_clear(&tmp);
  return err;
}

/* §5.2: nonce = base_nonce XOR I2OSP(seq, Nn). The RFC's limit is
 * 2^(8*Nn) - 1 messages; a 64-bit counter stops earlier, at 2^64 - 1. */
static mimi_err next_nonce(const mimi_hpke_ctx *ctx, uint8_t *nonce) {
  if (ctx->aead == MIMI_AEAD_EXPORT_ONLY) return MIMI_ERR_UNSUPPORTED_SUITE;
  if (ctx->seq == UINT64_MAX) return MIMI_ERR_HPKE_SEQ_OVERFLOW;
  size_t nn = mimi_aead_nonce_len(ctx->aead);
  if (nn == 0) return MIMI_ERR_UNSUPPORTED_SUITE;
  memcpy(nonce, ctx->base_nonce, nn);
  for (size_t i = 0; i < 8; i++) nonce[nn - 1 - i] ^= (uint8_t)(ctx->seq >> (8 * i));
  return MIMI_OK;
}

mimi_err mimi_hpke_seal(mimi_hpke_ctx *ctx, const uint8_t *aad, size_t aad_len,
                        const uint8_t *pt, size_t pt_len, mimi_bytes *ct) {
  uint8_t nonce[MIMI_MAX_AEAD_NONCE];
  MIMI_TRY(next_nonce(ctx, nonce));
  if (pt_len > SIZE_MAX - MIMI_AEAD_TAG) return MIMI_ERR_TOO_LARGE;
  mimi_bytes out = {NULL, 0};
  MIMI_TRY(mimi_bytes_alloc(&out, pt_len + MIMI_AEAD_TAG));
  mimi_err err = mimi_aead_seal(ctx->aead, ctx->key, nonce, aad, aad_len, pt, pt_len, out.data);
  if (err != MIMI_OK) {
    mimi_bytes_free(&out);
    return err;
  }
  ctx->seq++;
  *ct = out;
  return MIMI_OK;
}

mimi_err mimi_hpke_open(mimi_hpke_ctx *ctx, const uint8_t *aad, size_t aad_len,
                        const uint8_t *ct, size_t ct_len, mimi_bytes *pt) {
  uint8_t nonce[MIMI_MAX_AEAD_NONCE];
  MIMI_TRY(next_nonce(ctx, nonce));
  if (ct_len < MIMI_AEAD_TAG) return MIMI_ERR_AEAD_OPEN;
  mimi_bytes out = {NULL, 0};
  MIMI_TRY(mimi_bytes_alloc(&out, ct_len - MIMI_AEAD_TAG));
  mimi_err err = mimi_aead_open(ctx->aead, ctx->key, nonce, aad, aad_len, ct, ct_len, out.data);
  if (err != MIMI_OK) {
    mimi_bytes_free(&out);
    return err;
  }
  ctx->seq++;
  *pt = out;
  return MIMI_OK;
}

mimi_err mimi_hpke_export(const mimi_hpke_ctx *ctx, const uint8_t *exporter_ctx,
                          size_t exporter_ctx_len, uint8_t *out, size_t out_len) {
  size_t nh = mimi_kdf_hash_len(ctx->kdf);
  if (nh == 0) return MIMI_ERR_UNSUPPORTED_SUITE;
  if (exporter_ctx == NULL && exporter_ctx_len > 0) return MIMI_ERR_INVALID_ARG;
  if (out_len > 255 * nh) return MIMI_ERR_TOO_LARGE;
  mimi_hpke_suite_id s;
  mimi_suite_id_hpke(&s, ctx->kem, ctx->kdf, ctx->aead);
  return mimi_labeled_expand(&s, ctx->exporter_secret, nh, "sec", exporter_ctx,
                             exporter_ctx_len, out, out_len);
}

void mimi_hpke_ctx_clear(mimi_hpke_ctx *ctx) {
  if (ctx != NULL) mimi_secure_zero(ctx, sizeof *ctx);
}

mimi_err mimi_hpke_seal_once(const mimi_hpke_params *p, const uint8_t *pk_r, size_t pk_r_len,
                             const uint8_t *aad, size_t aad_len, const uint8_t *pt,
                             size_t pt_len, const mimi_rng *rng, mimi_bytes *enc,
                             mimi_bytes *ct) {
  mimi_hpke_ctx ctx;
  mimi_bytes e = {NULL, 0}, c = {NULL, 0};
  MIMI_TRY(mimi_hpke_setup_sender(&ctx, &e, p, pk_r, pk_r_len, rng));
  mimi_err err = mimi_hpke_seal(&ctx, aad, aad_len, pt, pt_len, &c);
  mimi_hpke_ctx_clear(&ctx);
  if (err != MIMI_OK) {
    mimi_bytes_free(&e);
    return err;
  }
  *enc = e;
  *ct = c;
  return MIMI_OK;
}

mimi_err mimi_hpke_open_once(const mimi_hpke_params *p, const uint8_t *enc, size_t enc_len,
                             const uint8_t *sk_r, size_t sk_r_len, const uint8_t *aad,
                             size_t aad_len, const uint8_t *ct, size_t ct_len, mimi_bytes *pt) {
  mimi_hpke_ctx ctx;
  MIMI_TRY(mimi_hpke_setup_receiver(&ctx, p, enc, enc_len, sk_r, sk_r_len));
  mimi_err err = mimi_hpke_open(&ctx, aad, aad_len, ct, ct_len, pt);
  mimi_hpke_ctx_clear(&ctx);
  return err;
}
