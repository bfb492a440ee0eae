/*
 * attachment.c — sealing files for upload and opening downloads for an
 * ExternalPart (draft-ietf-mimi-content-09 §4.5), and building / reading
 * the external NestedPart that carries the key, nonce and hash.
 *
 * On download the cheap public checks (size, hash of the blob) run before
 * the AEAD, so a swapped or truncated blob is reported as such rather than
 * as an authentication failure.
 */
#include <stdlib.h>
#include <string.h>

#include "cbor_strict.h"
#include "mimi/attachment.h"
#include "mimi/crypto.h"

/* IANA AEAD Algorithms number -> crypto layer AEAD id (0 if unknown). */
static uint16_t aead_of(uint16_t enc_alg) {
  switch (enc_alg) {
  case MIMI_ENC_AES_128_GCM: return MIMI_AEAD_AES128GCM;
  case MIMI_ENC_AES_256_GCM: return MIMI_AEAD_AES256GCM;
  case MIMI_ENC_CHACHA20_POLY1305: return MIMI_AEAD_CHACHA20POLY1305;
  default: return 0;
  }
}

/* Named Information hash id -> the crypto layer's hash selector (0 if unknown). */
static uint16_t hash_of(uint8_t hash_alg) {
  switch (hash_alg) {
  case MIMI_NI_SHA_256: return MIMI_KDF_HKDF_SHA256;
  case MIMI_NI_SHA_384: return MIMI_KDF_HKDF_SHA384;
  case MIMI_NI_SHA_512: return MIMI_KDF_HKDF_SHA512;
  default: return 0;
  }
}

void mimi_attachment_params_default(mimi_attachment_params *p) {
  memset(p, 0, sizeof *p);
  p->enc_alg = MIMI_ENC_AES_128_GCM;
  p->hash_alg = MIMI_NI_SHA_256;
}

void mimi_attachment_info_free(mimi_attachment_info *info) {
  if (!info) return;
  mimi_bytes_free(&info->key);
  mimi_bytes_free(&info->nonce);
  mimi_bytes_free(&info->aad);
  mimi_bytes_free(&info->content_hash);
  memset(info, 0, sizeof *info);
}

static mimi_err random_bytes(const mimi_rng *rng, size_t n, mimi_bytes *out) {
  MIMI_TRY(mimi_bytes_alloc(out, n));
  mimi_err err = n ? mimi_rng_fill(rng, out->data, n) : MIMI_OK;
  if (err != MIMI_OK) mimi_bytes_free(out);
  return err;
}

static mimi_err hash_blob(uint16_t kdf, const uint8_t *blob, size_t len, mimi_bytes *out) {
  MIMI_TRY(mimi_bytes_alloc(out, mimi_kdf_hash_len(kdf)));
  mimi_err err = mimi_hash(kdf, blob, len, out->data);
  if (err != MIMI_OK) mimi_bytes_free(out);
  return err;
}

mimi_err mimi_attachment_seal(const uint8_t *content, size_t len, const mimi_attachment_params *p,
                              const mimi_rng *rng, mimi_attachment_info *info, mimi_bytes *blob) {
  mimi_attachment_params defaults;
  if (!p) {
    mimi_attachment_params_default(&defaults);
    p = &defaults;
  }
  if ((!content && len) || !rng || !info || !blob || (!p->aad && p->aad_len))
    return MIMI_ERR_INVALID_ARG;
  uint16_t aead = aead_of(p->enc_alg), kdf = hash_of(p->hash_alg);
  if ((p->enc_alg != MIMI_ENC_NONE && !aead) || !kdf) return MIMI_ERR_UNSUPPORTED;
  if (p->enc_alg == MIMI_ENC_NONE && p->aad_len) return MIMI_ERR_INVALID_ARG;
  if (len > SIZE_MAX - MIMI_AEAD_TAG) return MIMI_ERR_TOO_LARGE;

  mimi_attachment_info inf;
  memset(&inf, 0, sizeof inf);
  inf.enc_alg = p->enc_alg;
  inf.hash_alg = p->hash_alg;
  mimi_bytes out = {NULL, 0};
  mimi_err err;
  if (p->enc_alg == MIMI_ENC_NONE) {
    err = mimi_bytes_copy(&out, content, len);
    if (err == MIMI_OK) err = mimi_bytes_alloc(&inf.key, 0);
    if (err == MIMI_OK) err = mimi_bytes_alloc(&inf.nonce, 0);
    if (err == MIMI_OK) err = mimi_bytes_alloc(&inf.aad, 0);
  } else {
    err = random_bytes(rng, mimi_aead_key_len(aead), &inf.key);
    if (err == MIMI_OK) err = random_bytes(rng, mimi_aead_nonce_len(aead), &inf.nonce);
    if (err == MIMI_OK) err = mimi_bytes_copy(&inf.aad, p->aad, p->aad_len);
    if (err == MIMI_OK) err = mimi_bytes_alloc(&out, len + MIMI_AEAD_TAG);
    if (err == MIMI_OK)
      err = mimi_aead_seal(aead, inf.key.data, inf.nonce.data, inf.aad.data, inf.aad.len,
                           content, len, out.data);
  }
  if (err == MIMI_OK) err = hash_blob(kdf, out.data, out.len, &inf.content_hash);
  if (err != MIMI_OK) {
    mimi_attachment_info_free(&inf);
    mimi_bytes_free(&out);
    return err;
  }
  inf.size = out.len;
  *info = inf;
  *blob = out;
  return MIMI_OK;
}

mimi_err mimi_attachment_open(const mimi_attachment_info *info, const uint8_t *blob,
                              size_t blob_len, mimi_bytes *content) {
  if (!info || (!blob && blob_len) || !content) return MIMI_ERR_INVALID_ARG;
  uint16_t aead = aead_of(info->enc_alg), kdf = hash_of(info->hash_alg);
  bool encrypted = info->enc_alg != MIMI_ENC_NONE;
  if (encrypted && !aead) return MIMI_ERR_UNSUPPORTED;
  /* Without a hash only the AEAD tag vouches for the blob; without either
   * nothing does. */
  if (info->hash_alg != MIMI_NI_NONE ? !kdf : !encrypted) return MIMI_ERR_UNSUPPORTED;

  size_t key_len = encrypted ? mimi_aead_key_len(aead) : 0;
  size_t nonce_len = encrypted ? mimi_aead_nonce_len(aead) : 0;
  if (info->key.len != key_len || info->nonce.len != nonce_len ||
      (!encrypted && info->aad.len != 0))
    return MIMI_ERR_BAD_LENGTH;
  if (info->size != 0 && info->size != blob_len) return MIMI_ERR_BAD_LENGTH;

  if (kdf) {
    uint8_t h[MIMI_MAX_HASH];
    size_t hlen = mimi_kdf_hash_len(kdf);
    MIMI_TRY(mimi_hash(kdf, blob, blob_len, h));
    if (info->content_hash.len != hlen || !mimi_ct_eq(h, info->content_hash.data, hlen))
      return MIMI_ERR_HASH_MISMATCH;
  } else if (info->content_hash.len != 0) {
    return MIMI_ERR_BAD_LENGTH;
  }

  if (!encrypted) return mimi_bytes_copy(content, blob, blob_len);
  if (blob_len < MIMI_AEAD_TAG) return MIMI_ERR_AEAD_OPEN;
  mimi_bytes pt;
  MIMI_TRY(mimi_bytes_alloc(&pt, blob_len - MIMI_AEAD_TAG));
  mimi_err err = mimi_aead_open(aead, info->key.data, info->nonce.data, info->aad.data,
                                info->aad.len, blob, blob_len, pt.data);
  if (err != MIMI_OK) {
    mimi_bytes_free(&pt);
    return err;
  }
  *content = pt;
  return MIMI_OK;
}

/* Copies a NUL-terminated UTF-8 text (NULL = "") into a mimi_bytes. */
static mimi_err copy_text(const char *s, bool required, mimi_bytes *out) {
  size_t n = s ? strlen(s) : 0;
  if (required && n == 0) return MIMI_ERR_BAD_CONTENT;
  if (n && !mimi_cbor_utf8_valid((const uint8_t *)s, n)) return MIMI_ERR_BAD_CONTENT;
  return mimi_bytes_copy(out, (const uint8_t *)(s ? s : ""), n);
}

mimi_err mimi_attachment_to_part(const mimi_attachment_info *info, const char *language,
                                 const char *content_type, const char *url, uint32_t expires,
                                 const char *description,
                                 const char *filename, mimi_nested_part *out) {
  if (!info || !out) return MIMI_ERR_INVALID_ARG;
  mimi_nested_part p;
  memset(&p, 0, sizeof p);
  p.disposition = MIMI_DISP_ATTACHMENT;
  p.cardinality = MIMI_PART_EXTERNAL;
  mimi_external_part *x = &p.external;
  x->expires = expires;
  x->size = info->size;
  x->enc_alg = info->enc_alg;
  x->hash_alg = info->hash_alg;
  mimi_err err = copy_text(language, false, &p.language);
  if (err == MIMI_OK) err = copy_text(content_type, true, &p.content_type);
  if (err == MIMI_OK) err = copy_text(url, true, &x->url);
  if (err == MIMI_OK) err = copy_text(description, false, &x->description);
  if (err == MIMI_OK) err = copy_text(filename, false, &x->filename);
  if (err == MIMI_OK) err = mimi_bytes_dup(&x->key, &info->key);
  if (err == MIMI_OK) err = mimi_bytes_dup(&x->nonce, &info->nonce);
  if (err == MIMI_OK) err = mimi_bytes_dup(&x->aad, &info->aad);
  if (err == MIMI_OK) err = mimi_bytes_dup(&x->content_hash, &info->content_hash);
  if (err != MIMI_OK) {
    mimi_nested_part_free(&p);
    return err;
  }
  *out = p;
  return MIMI_OK;
}

mimi_err mimi_attachment_open_part(const mimi_nested_part *part, const uint8_t *blob,
                                   size_t blob_len, mimi_bytes *content) {
  if (!part || part->cardinality != MIMI_PART_EXTERNAL) return MIMI_ERR_INVALID_ARG;
  const mimi_external_part *x = &part->external;
  /* a borrowed view: nothing here is freed */
  mimi_attachment_info view = {x->enc_alg, x->key,          x->nonce, x->aad,
                               x->hash_alg, x->content_hash, x->size};
  return mimi_attachment_open(&view, blob, blob_len, content);
}
