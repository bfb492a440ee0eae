/* labels.c — RFC 9420's labelled uses of the suite primitives (§5.1.2
 * SignWithLabel, §5.2 RefHash, §8 ExpandWithLabel, DeriveSecret,
 * DeriveTreeSecret). The small input structs KDFLabel, SignContent,
 * EncryptContext and RefHashInput exist only as bytes fed to a primitive, so
 * they are written with mimi_writer here rather than declared as wire
 * structs. EncryptWithLabel, which needs HPKE, is in encrypt_with_label.c. */
#include "mls_internal.h"

static const uint8_t label_prefix[] = "MLS 1.0 ";
#define LABEL_PREFIX_LEN (sizeof label_prefix - 1)

mimi_err mls_suite_lookup(uint16_t id, const mimi_suite **out) {
  const mimi_suite *s = mimi_suite_get(id);
  if (s == NULL) return MIMI_ERR_UNSUPPORTED_SUITE;
  *out = s;
  return MIMI_OK;
}

/* opaque label<V> = "MLS 1.0 " + label */
static void write_prefixed_label(mimi_writer *w, const uint8_t *label, size_t label_len) {
  size_t mark = mimi_write_vec_begin(w);
  mimi_write_raw(w, label_prefix, LABEL_PREFIX_LEN);
  mimi_write_raw(w, label, label_len);
  mimi_write_vec_end(w, mark);
}

mimi_err mls_label_pair(const uint8_t *label, size_t label_len, const uint8_t *second,
                           size_t second_len, mimi_bytes *out) {
  mimi_writer w;
  mimi_writer_init(&w);
  write_prefixed_label(&w, label, label_len);
  mimi_write_opaque(&w, second, second_len);
  return mimi_writer_finish(&w, out);
}

mimi_err mls_expand_with_label(uint16_t suite, const uint8_t *secret, size_t secret_len,
                               const uint8_t *label, size_t label_len, const uint8_t *context,
                               size_t context_len, uint8_t *out, size_t out_len) {
  const mimi_suite *s;
  MIMI_TRY(mls_suite_lookup(suite, &s));
  if (secret_len != s->hash_len) return MIMI_ERR_BAD_LENGTH;
  if (out_len == 0) return MIMI_ERR_INVALID_ARG;
  if (out_len > UINT16_MAX || out_len > 255 * s->hash_len) return MIMI_ERR_TOO_LARGE;

  /* struct { uint16 length; opaque label<V>; opaque context<V>; } KDFLabel */
  mimi_writer w;
  mimi_writer_init(&w);
  mimi_write_u16(&w, (uint16_t)out_len);
  write_prefixed_label(&w, label, label_len);
  mimi_write_opaque(&w, context, context_len);
  mimi_bytes info;
  MIMI_TRY(mimi_writer_finish(&w, &info));
  mimi_err err = mimi_hkdf_expand(s->kdf, secret, secret_len, info.data, info.len, out, out_len);
  mimi_bytes_free(&info);
  return err;
}

mimi_err mls_derive_secret(uint16_t suite, const uint8_t *secret, size_t secret_len,
                           const uint8_t *label, size_t label_len, uint8_t *out) {
  const mimi_suite *s;
  MIMI_TRY(mls_suite_lookup(suite, &s));
  return mls_expand_with_label(suite, secret, secret_len, label, label_len, NULL, 0, out,
                               s->hash_len);
}

mimi_err mls_derive_tree_secret(uint16_t suite, const uint8_t *secret, size_t secret_len,
                                const uint8_t *label, size_t label_len, uint32_t generation,
                                uint8_t *out, size_t out_len) {
  const uint8_t ctx[4] = {(uint8_t)(generation >> 24), (uint8_t)(generation >> 16),
                          (uint8_t)(generation >> 8), (uint8_t)generation};
  return mls_expand_with_label(suite, secret, secret_len, label, label_len, ctx, sizeof ctx,
                               out, out_len);
}

mimi_err mls_sign_with_label(uint16_t suite, const uint8_t *priv, size_t priv_len,
                             const uint8_t *label, size_t label_len, const uint8_t *content,
                             size_t content_len, mimi_bytes *signature) {
  const mimi_suite *s;
  MIMI_TRY(mls_suite_lookup(suite, &s));
  mimi_bytes tbs;
  MIMI_TRY(mls_label_pair(label, label_len, content, content_len, &tbs));
  mimi_err err = mimi_sign(s->sig, priv, priv_len, tbs.data, tbs.len, signature);
  mimi_bytes_free(&tbs);
  return err;
}

mimi_err mls_verify_with_label(uint16_t suite, const uint8_t *pub, size_t pub_len,
                               const uint8_t *label, size_t label_len, const uint8_t *content,
                               size_t content_len, const uint8_t *signature,
                               size_t signature_len) {
  const mimi_suite *s;
  MIMI_TRY(mls_suite_lookup(suite, &s));
  mimi_bytes tbs;
  MIMI_TRY(mls_label_pair(label, label_len, content, content_len, &tbs));
  mimi_err err = mimi_verify(s->sig, pub, pub_len, tbs.data, tbs.len, signature, signature_len);
  mimi_bytes_free(&tbs);
  return err;
}

mimi_err mls_hash_written(const mimi_suite *s, mimi_writer *w, uint8_t *out) {
  mimi_bytes input;
  MIMI_TRY(mimi_writer_finish(w, &input));
  mimi_err err = mimi_hash(s->kdf, input.data, input.len, out);
  mimi_bytes_free(&input);
  return err;
}

mimi_err mls_ref_hash(uint16_t suite, const uint8_t *label, size_t label_len,
                      const uint8_t *value, size_t value_len, uint8_t *out) {
  const mimi_suite *s;
  MIMI_TRY(mls_suite_lookup(suite, &s));
  /* struct { opaque label<V>; opaque value<V>; } RefHashInput */
  mimi_writer w;
  mimi_writer_init(&w);
  mimi_write_opaque(&w, label, label_len);
  mimi_write_opaque(&w, value, value_len);
  return mls_hash_written(s, &w, out);
}

mimi_err mls_make_key_package_ref(uint16_t suite, const uint8_t *key_package, size_t len,
                                  uint8_t *out) {
  return mls_ref_hash(suite, MLS_LABEL("MLS 1.0 KeyPackage Reference"), key_package, len, out);
}

mimi_err mls_make_proposal_ref(uint16_t suite, const uint8_t *authenticated_content, size_t len,
                               uint8_t *out) {
  return mls_ref_hash(suite, MLS_LABEL("MLS 1.0 Proposal Reference"), authenticated_content,
                      len, out);
}
