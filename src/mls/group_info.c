/* group_info.c — GroupInfo (RFC 9420 §12.4.3): signing our epoch's, with
 * the ratchet_tree and external_pub extensions on request (and the
 * application's own, e.g. an app_data_dictionary), and verifying a
 * received one against the signer's leaf. */
#include <stdlib.h>
#include <string.h>

#include "group_internal.h"

static mimi_err group_info_tbs(const mls_group_info *gi, mimi_bytes *out) {
  return group_tbs_encode(mls_group_info_type(), gi, &gi->signature, out);
}

static mimi_err add_extension(mls_group_info *gi, uint16_t type, mimi_bytes *data) {
  mls_extension *e = realloc(gi->extensions, (gi->extensions_count + 1) * sizeof *e);
  if (e == NULL) {
    mimi_bytes_free(data);
    return MIMI_ERR_NOMEM;
  }
  gi->extensions = e;
  e[gi->extensions_count].extension_type = type;
  e[gi->extensions_count].extension_data = *data;
  gi->extensions_count++;
  return MIMI_OK;
}

static mimi_err build(const mls_group *g, bool with_tree, bool with_external_pub,
                      const mls_extension *extra, size_t n_extra, mls_group_info *gi) {
  MIMI_TRY(mimi_clone(mls_group_context_type(), &gi->group_context, &g->ctx));
  for (size_t i = 0; i < n_extra; i++) {
    mimi_bytes data;
    MIMI_TRY(mimi_bytes_dup(&data, &extra[i].extension_data));
    MIMI_TRY(add_extension(gi, extra[i].extension_type, &data));
  }
  MIMI_TRY(mimi_bytes_dup(&gi->confirmation_tag, &g->confirmation_tag));
  gi->signer = g->own_leaf;
  mimi_bytes data;
  if (with_tree) {
    MIMI_TRY(mls_rtree_encode(g->tree, &data));
    MIMI_TRY(add_extension(gi, MLS_EXT_RATCHET_TREE, &data));
  }
  if (with_external_pub) {
    mimi_bytes priv;
    mls_external_pub ep;
    MIMI_TRY(mls_epoch_external_key_pair(&g->secrets, &priv, &ep.external_pub));
    mimi_bytes_free(&priv);
    mimi_err err = mls_external_pub_encode(&ep, &data);
    mimi_bytes_free(&ep.external_pub);
    MIMI_TRY(err);
    MIMI_TRY(add_extension(gi, MLS_EXT_EXTERNAL_PUB, &data));
  }
  mimi_bytes tbs;
  MIMI_TRY(group_info_tbs(gi, &tbs));
  mimi_err err = mls_sign_with_label(g->suite->id, g->sig_priv.data, g->sig_priv.len,
                                     MLS_LABEL("GroupInfoTBS"), tbs.data, tbs.len,
                                     &gi->signature);
  mimi_bytes_free(&tbs);
  return err;
}

static mimi_err sign_group_info(const mls_group *g, bool with_tree, bool with_external_pub,
                                const mls_extension *extra, size_t n_extra,
                                mls_group_info *out) {
  mls_group_info gi;
  memset(&gi, 0, sizeof gi);
  mimi_err err = build(g, with_tree, with_external_pub, extra, n_extra, &gi);
  if (err != MIMI_OK) {
    mls_group_info_free(&gi);
    return err;
  }
  *out = gi;
  return MIMI_OK;
}

mimi_err group_sign_group_info(const mls_group *g, bool with_tree, bool with_external_pub,
                               mls_group_info *out) {
  return sign_group_info(g, with_tree, with_external_pub, NULL, 0, out);
}

mimi_err mls_group_group_info(const mls_group *g, bool with_tree, bool with_external_pub,
                              mls_group_info *out) {
  if (!g->active) return MIMI_ERR_BAD_GROUP_STATE;
  return group_sign_group_info(g, with_tree, with_external_pub, out);
}

/* ext §AppData: the application's GroupInfo extensions (an
 * app_data_dictionary for the joiners, say) before ours. */
mimi_err mls_group_group_info_with(const mls_group *g, bool with_tree, bool with_external_pub,
                                   const mls_extension *exts, size_t n, mls_group_info *out) {
  if (!g->active) return MIMI_ERR_BAD_GROUP_STATE;
  if (n > 0 && exts == NULL) return MIMI_ERR_INVALID_ARG;
  for (size_t i = 0; i < n; i++) {
    uint16_t t = exts[i].extension_type;
    if ((with_tree && t == MLS_EXT_RATCHET_TREE) || (with_external_pub && t == MLS_EXT_EXTERNAL_PUB))
      return MIMI_ERR_INVALID_ARG;
    for (size_t k = 0; k < i; k++)
      if (exts[k].extension_type == t) return MIMI_ERR_INVALID_ARG;
  }
  MIMI_TRY(group_check_dictionary(exts, n));
  return sign_group_info(g, with_tree, with_external_pub, exts, n, out);
}

mimi_err group_info_verify_key(const mls_group_info *gi, const uint8_t *pub, size_t pub_len) {
  mimi_bytes tbs;
  MIMI_TRY(group_info_tbs(gi, &tbs));
  mimi_err err = mls_verify_with_label(gi->group_context.cipher_suite, pub, pub_len,
                                       MLS_LABEL("GroupInfoTBS"), tbs.data, tbs.len,
                                       gi->signature.data, gi->signature.len);
  mimi_bytes_free(&tbs);
  return err;
}

mimi_err group_verify_group_info(const mls_group_info *gi, const mls_rtree *tree) {
  const mls_leaf_node *signer = mls_rtree_leaf(tree, gi->signer);
  if (signer == NULL) return MIMI_ERR_BAD_WELCOME;
  return group_info_verify_key(gi, signer->signature_key.data, signer->signature_key.len);
}
