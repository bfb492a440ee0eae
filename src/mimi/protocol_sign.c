/* protocol_sign.c — the signatures and the encryption inside MIMI protocol
 * messages (KeyMaterialRequest, GroupInfoRequest/Response, the encrypted
 * GroupInfo + ratchet tree, PseudonymousCredential), each over its TBS
 * struct with the RFC 9420 labelled operations. */
#include <stddef.h>
#include <string.h>

#include "mimi/crypto.h"
#include "mimi/mls.h"
#include "mimi/protocol.h"

#define LABEL(s) (const uint8_t *)(s), sizeof(s) - 1

/* Where a message is its TBS followed by a final opaque<V> signature, the
 * TBS is the message encoded with an empty signature, minus that field's
 * single 0x00 length byte. `scratch` is a shallow copy the caller made with
 * the signature field emptied. */
static mimi_err tbs_by_truncation(const mimi_type *t, const void *scratch, mimi_bytes *out) {
  MIMI_TRY(mimi_encode_alloc(t, scratch, out));
  if (out->len == 0 || out->data[out->len - 1] != 0) {
    mimi_bytes_free(out);
    return MIMI_ERR_INTERNAL;
  }
  out->len--;
  return MIMI_OK;
}

/* A message that carries a signature over its own TBS: how to build the
 * TBS (and pick the suite), where the verification key and the signature
 * live, and the label. */
typedef struct {
  const char *label;
  mimi_err (*tbs)(const void *msg, uint16_t *suite, mimi_bytes *tbs);
  size_t key_offset; /* of the verification key (mimi_bytes) in the message */
  size_t sig_offset; /* of the signature (mimi_bytes) */
} signed_kind;

static const mimi_bytes *field(const void *msg, size_t offset) {
  return (const mimi_bytes *)(const void *)((const uint8_t *)msg + offset);
}

static mimi_err sign_msg(const signed_kind *k, void *msg, const uint8_t *priv, size_t priv_len) {
  if (msg == NULL || priv == NULL) return MIMI_ERR_INVALID_ARG;
  uint16_t suite;
  mimi_bytes tbs, sig;
  MIMI_TRY(k->tbs(msg, &suite, &tbs));
  mimi_err err = mls_sign_with_label(suite, priv, priv_len, (const uint8_t *)k->label,
                                     strlen(k->label), tbs.data, tbs.len, &sig);
  mimi_bytes_free(&tbs);
  if (err != MIMI_OK) return err;
  mimi_bytes *dst = (mimi_bytes *)(void *)((uint8_t *)msg + k->sig_offset);
  mimi_bytes_free(dst);
  *dst = sig;
  return MIMI_OK;
}

static mimi_err verify_msg(const signed_kind *k, const void *msg) {
  if (msg == NULL) return MIMI_ERR_INVALID_ARG;
  uint16_t suite;
  mimi_bytes tbs;
  MIMI_TRY(k->tbs(msg, &suite, &tbs));
  const mimi_bytes *pub = field(msg, k->key_offset), *sig = field(msg, k->sig_offset);
  mimi_err err = mls_verify_with_label(suite, pub->data, pub->len, (const uint8_t *)k->label,
                                       strlen(k->label), tbs.data, tbs.len, sig->data, sig->len);
  mimi_bytes_free(&tbs);
  return err;
}

/* --- KeyMaterialRequest: under the first acceptable suite ------------------- */

static mimi_err km_tbs(const void *msg, uint16_t *suite, mimi_bytes *tbs) {
  const mimi_key_material_request *req = msg;
  if (req->protocol != MIMI_PROTOCOL_MLS10) return MIMI_ERR_BAD_TAG;
  if (req->mls10.acceptable_ciphersuites_count == 0) return MIMI_ERR_PROTO_INCONSISTENT;
  *suite = req->mls10.acceptable_ciphersuites[0];
  if (mimi_suite_get(*suite) == NULL) return MIMI_ERR_UNSUPPORTED_SUITE;
  mimi_key_material_request scratch = *req;
  memset(&scratch.mls10.key_material_request_signature, 0, sizeof(mimi_bytes));
  return tbs_by_truncation(mimi_key_material_request_type(), &scratch, tbs);
}
static const signed_kind km_kind = {
    "KeyMaterialRequestTBS", km_tbs,
    offsetof(mimi_key_material_request, mls10.requester_signature_key),
    offsetof(mimi_key_material_request, mls10.key_material_request_signature)};

mimi_err mimi_key_material_request_sign(mimi_key_material_request *req, const uint8_t *priv,
                                        size_t priv_len) {
  return sign_msg(&km_kind, req, priv, priv_len);
}
mimi_err mimi_key_material_request_verify(const mimi_key_material_request *req) {
  return verify_msg(&km_kind, req);
}

/* --- GroupInfoRequest: the TBS has an optional joining code ------------------ */

static mimi_err gir_tbs(const void *msg, uint16_t *suite, mimi_bytes *tbs) {
  const mimi_group_info_request *req = msg;
  if (req->protocol != MIMI_PROTOCOL_MLS10) return MIMI_ERR_BAD_TAG;
  const mimi_group_info_request_mls *r = &req->mls10;
  *suite = r->cipher_suite;
  if (mimi_suite_get(*suite) == NULL) return MIMI_ERR_UNSUPPORTED_SUITE;
  /* shallow view: encoded, never freed */
  mimi_group_info_request_tbs t;
  memset(&t, 0, sizeof t);
  t.protocol = MIMI_PROTOCOL_MLS10;
  t.mls10.cipher_suite = r->cipher_suite;
  t.mls10.requesting_signature_key = r->requesting_signature_key;
  t.mls10.requesting_credential = r->requesting_credential;
  t.mls10.group_info_public_key = r->group_info_public_key;
  mimi_bytes code = r->joining_code;
  t.mls10.joining_code = r->joining_code.len > 0 ? &code : NULL;
  return mimi_encode_alloc(mimi_group_info_request_tbs_type(), &t, tbs);
}
static const signed_kind gir_kind = {
    "GroupInfoRequestTBS", gir_tbs, offsetof(mimi_group_info_request, mls10.requesting_signature_key),
    offsetof(mimi_group_info_request, mls10.signature)};

mimi_err mimi_group_info_request_sign(mimi_group_info_request *req, const uint8_t *priv,
                                      size_t priv_len) {
  return sign_msg(&gir_kind, req, priv, priv_len);
}
mimi_err mimi_group_info_request_verify(const mimi_group_info_request *req) {
  return verify_msg(&gir_kind, req);
}

/* --- GroupInfoResponse: signed by the hub's external sender key -------------- */

static mimi_err gires_tbs(const void *msg, uint16_t *suite, mimi_bytes *tbs) {
  const mimi_group_info_response *resp = msg;
  if (resp->version != MIMI_PROTOCOL_MLS10) return MIMI_ERR_BAD_TAG;
  if (resp->mls10.status != MIMI_GROUP_INFO_SUCCESS) return MIMI_ERR_INVALID_ARG;
  *suite = resp->mls10.success.cipher_suite;
  if (mimi_suite_get(*suite) == NULL) return MIMI_ERR_UNSUPPORTED_SUITE;
  mimi_group_info_response scratch = *resp;
  memset(&scratch.mls10.success.signature, 0, sizeof(mimi_bytes));
  return tbs_by_truncation(mimi_group_info_response_type(), &scratch, tbs);
}
static const signed_kind gires_kind = {
    "GroupInfoResponseTBS", gires_tbs,
    offsetof(mimi_group_info_response, mls10.success.hub_sender.signature_key),
    offsetof(mimi_group_info_response, mls10.success.signature)};

mimi_err mimi_group_info_response_sign(mimi_group_info_response *resp, const uint8_t *priv,
                                       size_t priv_len) {
  return sign_msg(&gires_kind, resp, priv, priv_len);
}
mimi_err mimi_group_info_response_verify(const mimi_group_info_response *resp) {
  return verify_msg(&gires_kind, resp);
}

/* --- GroupInfo + ratchet tree encryption ------------------------------------- */

#define TBE_LABEL "GroupInfo and ratchet_tree encryption"

mimi_err mimi_group_info_tbe_seal(uint16_t suite, const uint8_t *pub, size_t pub_len,
                                  const mimi_bytes *room_id,
                                  const mimi_group_info_ratchet_tree_tbe *tbe,
                                  const mimi_rng *rng, mls_hpke_ciphertext *out) {
  if (pub == NULL || room_id == NULL || tbe == NULL || rng == NULL || out == NULL)
    return MIMI_ERR_INVALID_ARG;
  mimi_bytes pt;
  MIMI_TRY(mimi_proto_encode(mimi_group_info_ratchet_tree_tbe_type(), tbe, &pt));
  mls_hpke_ciphertext ct;
  memset(&ct, 0, sizeof ct);
  mimi_err err = mls_encrypt_with_label(suite, pub, pub_len, LABEL(TBE_LABEL), room_id->data,
                                        room_id->len, pt.data, pt.len, rng, &ct.kem_output,
                                        &ct.ciphertext);
  mimi_bytes_free(&pt);
  if (err == MIMI_OK) *out = ct;
  return err;
}

mimi_err mimi_group_info_tbe_open(uint16_t suite, const uint8_t *priv, size_t priv_len,
                                  const mimi_bytes *room_id, const mls_hpke_ciphertext *ct,
                                  mimi_group_info_ratchet_tree_tbe *out) {
  if (priv == NULL || room_id == NULL || ct == NULL || out == NULL) return MIMI_ERR_INVALID_ARG;
  mimi_bytes pt;
  MIMI_TRY(mls_decrypt_with_label(suite, priv, priv_len, LABEL(TBE_LABEL), room_id->data,
                                  room_id->len, ct->kem_output.data, ct->kem_output.len,
                                  ct->ciphertext.data, ct->ciphertext.len, &pt));
  mimi_err err = mimi_proto_decode(mimi_group_info_ratchet_tree_tbe_type(), pt.data, pt.len, out);
  mimi_bytes_free(&pt);
  return err;
}

/* --- PseudonymousCredential --------------------------------------------------- */

static mimi_err pseudo_tbs(const mimi_pseudonymous_credential *cred, mimi_bytes *tbs) {
  mimi_pseudonymous_credential scratch = *cred;
  memset(&scratch.identity_link_ciphertext, 0, sizeof(mimi_bytes));
  return tbs_by_truncation(mimi_pseudonymous_credential_type(), &scratch, tbs);
}

mimi_err mimi_pseudonymous_credential_sign(uint16_t suite, const uint8_t *priv, size_t priv_len,
                                           const mimi_pseudonymous_credential *cred,
                                           mimi_bytes *signature) {
  if (priv == NULL || cred == NULL || signature == NULL) return MIMI_ERR_INVALID_ARG;
  mimi_bytes tbs;
  MIMI_TRY(pseudo_tbs(cred, &tbs));
  mimi_err err = mls_sign_with_label(suite, priv, priv_len, LABEL("PseudonymousCredentialTBS"),
                                     tbs.data, tbs.len, signature);
  mimi_bytes_free(&tbs);
  return err;
}

mimi_err mimi_pseudonymous_credential_verify(uint16_t suite, const uint8_t *pub, size_t pub_len,
                                             const mimi_pseudonymous_credential *cred,
                                             const mimi_bytes *signature) {
  if (pub == NULL || cred == NULL || signature == NULL) return MIMI_ERR_INVALID_ARG;
  mimi_bytes tbs;
  MIMI_TRY(pseudo_tbs(cred, &tbs));
  mimi_err err = mls_verify_with_label(suite, pub, pub_len, LABEL("PseudonymousCredentialTBS"),
                                       tbs.data, tbs.len, signature->data, signature->len);
  mimi_bytes_free(&tbs);
  return err;
}
