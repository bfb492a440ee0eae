/* welcome.c — Welcome messages (RFC 9420 §12.4.3.1): encrypting GroupSecrets
 * and the GroupInfo to the members a commit adds, and joining a group from
 * one (decrypt, verify the GroupInfo and the tree, set our path secrets,
 * key schedule, confirmation tag). */
#include <stdlib.h>
#include <string.h>

#include "group_internal.h"

/* welcome_key / welcome_nonce from welcome_secret. */
static mimi_err welcome_key_nonce(const mimi_suite *s, const uint8_t *welcome_secret,
                                  uint8_t *key, uint8_t *nonce) {
  MIMI_TRY(mls_expand_with_label(s->id, welcome_secret, s->hash_len, MLS_LABEL("key"), NULL, 0,
                                 key, s->aead_key_len));
  return mls_expand_with_label(s->id, welcome_secret, s->hash_len, MLS_LABEL("nonce"), NULL, 0,
                               nonce, s->aead_nonce_len);
}

static mimi_err seal_group_info(const mls_group *next, bool with_tree, mimi_bytes *out) {
  const mimi_suite *s = next->suite;
  mls_group_info gi;
  MIMI_TRY(group_sign_group_info(next, with_tree, false, &gi));
  mimi_bytes pt;
  mimi_err err = mls_group_info_encode(&gi, &pt);
  mls_group_info_free(&gi);
  MIMI_TRY(err);
  uint8_t key[MIMI_MAX_AEAD_KEY], nonce[MIMI_MAX_AEAD_NONCE];
  err = welcome_key_nonce(s, next->secrets.welcome_secret, key, nonce);
  if (err == MIMI_OK) err = mimi_bytes_alloc(out, pt.len + MIMI_AEAD_TAG);
  if (err == MIMI_OK) {
    err = mimi_aead_seal(s->aead, key, nonce, NULL, 0, pt.data, pt.len, out->data);
    if (err != MIMI_OK) mimi_bytes_free(out);
  }
  mimi_secure_zero(key, sizeof key);
  mimi_bytes_free(&pt);
  return err;
}

/* GroupSecrets for the member at leaf `to`, sealed to its init key. */
static mimi_err seal_secrets(const mls_group *next, const group_proposal_list *list,
                             const mls_key_package *kp, uint32_t to, bool path,
                             const mimi_bytes *egi, const mimi_rng *rng,
                             mls_encrypted_group_secrets *out) {
  const mimi_suite *s = next->suite;
  mls_group_secrets gs;
  memset(&gs, 0, sizeof gs);
  mls_path_secret ps;
  uint8_t secret[MIMI_MAX_HASH];
  mimi_err err = MIMI_OK;
  if (path) {
    uint32_t node;
    err = mls_tree_common_ancestor(2 * to, 2 * next->own_leaf, mls_rtree_leaf_count(next->tree),
                                   &node);
    if (err == MIMI_OK) err = mls_treekem_private_path_secret(next->priv, node, secret);
    ps.path_secret = (mimi_bytes){secret, s->hash_len};
    gs.path_secret = &ps;
  }
  gs.joiner_secret = (mimi_bytes){(uint8_t *)next->secrets.joiner_secret, s->hash_len};
  const mls_pre_shared_key_id **ids = NULL;
  size_t n_ids = 0;
  if (err == MIMI_OK) err = group_list_psks(list, &ids, &n_ids);
  mls_pre_shared_key_id *psks = n_ids > 0 ? calloc(n_ids, sizeof *psks) : NULL;
  if (n_ids > 0 && psks == NULL) err = MIMI_ERR_NOMEM;
  for (size_t i = 0; err == MIMI_OK && i < n_ids; i++) psks[i] = *ids[i]; /* shallow */
  gs.psks = psks;
  gs.psks_count = n_ids;
  mimi_bytes pt = {NULL, 0};
  if (err == MIMI_OK) err = mls_group_secrets_encode(&gs, &pt);
  uint8_t ref[MIMI_MAX_HASH];
  if (err == MIMI_OK) err = mls_key_package_ref(kp, ref);
  if (err == MIMI_OK) err = mimi_bytes_copy(&out->new_member, ref, s->hash_len);
  if (err == MIMI_OK)
    err = mls_encrypt_with_label(s->id, kp->init_key.data, kp->init_key.len, MLS_LABEL("Welcome"),
                                 egi->data, egi->len, pt.data, pt.len, rng,
                                 &out->encrypted_group_secrets.kem_output,
                                 &out->encrypted_group_secrets.ciphertext);
  mimi_bytes_free(&pt);
  free(psks);
  free(ids);
  mimi_secure_zero(secret, sizeof secret);
  return err;
}

mimi_err group_make_welcome(const mls_group *next, const group_proposal_list *list,
                            const uint32_t *added, size_t n_added, bool path, bool with_tree,
                            const mimi_rng *rng, mls_welcome *out) {
  mls_welcome w;
  memset(&w, 0, sizeof w);
  w.cipher_suite = next->suite->id;
  mimi_err err = seal_group_info(next, with_tree, &w.encrypted_group_info);
  if (err == MIMI_OK) {
    w.secrets = calloc(n_added, sizeof *w.secrets);
    if (w.secrets == NULL) err = MIMI_ERR_NOMEM;
  }
  /* the k-th Add of the list went to added[k] */
  size_t k = 0;
  for (size_t i = 0; err == MIMI_OK && i < list->n && k < n_added; i++) {
    if (list->props[i].proposal_type != MLS_PROPOSAL_ADD) continue;
    err = seal_secrets(next, list, &list->props[i].add.key_package, added[k], path,
                       &w.encrypted_group_info, rng, &w.secrets[k]);
    w.secrets_count = ++k;
  }
  if (err != MIMI_OK) {
    mls_welcome_free(&w);
    return err;
  }
  *out = w;
  return MIMI_OK;
}

/* ---- joining ------------------------------------------------------------ */

mimi_err group_load_group_info(const mls_group_info *gi, const mls_ratchet_tree *given,
                               mls_rtree **out) {
  const mls_group_context *gc = &gi->group_context;
  const mimi_suite *s = mimi_suite_get(gc->cipher_suite);
  if (s == NULL || gc->version != MLS_VERSION_MLS10) return MIMI_ERR_BAD_WELCOME;
  if (gc->tree_hash.len != s->hash_len) return MIMI_ERR_BAD_WELCOME;
  const mls_extension *e =
      group_find_extension(gi->extensions, gi->extensions_count, MLS_EXT_RATCHET_TREE);
  mls_rtree *t = NULL;
  if (e != NULL) {
    MIMI_TRY(mls_rtree_decode(&t, s->id, e->extension_data.data, e->extension_data.len));
  } else if (given != NULL) {
    MIMI_TRY(mls_rtree_from_wire(&t, s->id, given));
  } else {
    return MIMI_ERR_BAD_WELCOME;
  }
  mimi_err err = group_verify_group_info(gi, t);
  mls_required_capabilities rc;
  bool have_rc = false;
  const mls_extension *rce =
      group_find_extension(gc->extensions, gc->extensions_count, MLS_EXT_REQUIRED_CAPABILITIES);
  if (err == MIMI_OK && rce != NULL) {
    err = mls_required_capabilities_decode(rce->extension_data.data, rce->extension_data.len, &rc);
    have_rc = err == MIMI_OK;
  }
  if (err == MIMI_OK)
    err = mls_rtree_validate(t, gc->group_id.data, gc->group_id.len, have_rc ? &rc : NULL,
                             gc->tree_hash.data);
  if (have_rc) mls_required_capabilities_free(&rc);
  if (err != MIMI_OK) {
    mls_rtree_free(t);
    return err;
  }
  *out = t;
  return MIMI_OK;
}

/* Our entry of the Welcome, opened with our init key. */
static mimi_err open_secrets(const mls_welcome *w, const mls_key_package_bundle *kp,
                             mls_group_secrets *gs) {
  const mimi_suite *s = mimi_suite_get(kp->key_package.cipher_suite);
  if (s == NULL || w->cipher_suite != s->id) return MIMI_ERR_BAD_WELCOME;
  uint8_t ref[MIMI_MAX_HASH];
  MIMI_TRY(mls_key_package_ref(&kp->key_package, ref));
  const mls_encrypted_group_secrets *mine = NULL;
  for (size_t i = 0; i < w->secrets_count && mine == NULL; i++)
    if (w->secrets[i].new_member.len == s->hash_len &&
        memcmp(w->secrets[i].new_member.data, ref, s->hash_len) == 0)
      mine = &w->secrets[i];
  if (mine == NULL) return MIMI_ERR_BAD_WELCOME;
  mimi_bytes pt;
  MIMI_TRY(mls_decrypt_with_label(
      s->id, kp->init_priv.data, kp->init_priv.len, MLS_LABEL("Welcome"),
      w->encrypted_group_info.data, w->encrypted_group_info.len,
      mine->encrypted_group_secrets.kem_output.data, mine->encrypted_group_secrets.kem_output.len,
      mine->encrypted_group_secrets.ciphertext.data, mine->encrypted_group_secrets.ciphertext.len,
      &pt));
  mimi_err err = mls_group_secrets_decode(pt.data, pt.len, gs);
  mimi_bytes_free(&pt);
  MIMI_TRY(err);
  if (gs->joiner_secret.len != s->hash_len ||
      (gs->path_secret != NULL && gs->path_secret->path_secret.len != s->hash_len)) {
    mls_group_secrets_free(gs);
    return MIMI_ERR_BAD_WELCOME;
  }
  return MIMI_OK;
}

static mimi_err open_group_info(const mimi_suite *s, const mls_welcome *w,
                                const uint8_t *welcome_secret, mls_group_info *gi) {
  if (w->encrypted_group_info.len < MIMI_AEAD_TAG) return MIMI_ERR_AEAD_OPEN;
  uint8_t key[MIMI_MAX_AEAD_KEY], nonce[MIMI_MAX_AEAD_NONCE];
  mimi_bytes pt = {NULL, 0};
  mimi_err err = welcome_key_nonce(s, welcome_secret, key, nonce);
  if (err == MIMI_OK) err = mimi_bytes_alloc(&pt, w->encrypted_group_info.len - MIMI_AEAD_TAG);
  if (err == MIMI_OK)
    err = mimi_aead_open(s->aead, key, nonce, NULL, 0, w->encrypted_group_info.data,
                         w->encrypted_group_info.len, pt.data);
  if (err == MIMI_OK) err = mls_group_info_decode(pt.data, pt.len, gi);
  mimi_secure_zero(key, sizeof key);
  mimi_bytes_free(&pt);
  return err;
}

/* Our leaf: the one holding our KeyPackage's encryption and signature keys. */
static mimi_err find_own_leaf(const mls_rtree *t, const mls_leaf_node *own, uint32_t *out) {
  uint32_t n = mls_rtree_leaf_count(t);
  for (uint32_t i = 0; i < n; i++) {
    const mls_leaf_node *l = mls_rtree_leaf(t, i);
    if (l != NULL && mimi_bytes_eq(&l->encryption_key, &own->encryption_key) &&
        mimi_bytes_eq(&l->signature_key, &own->signature_key)) {
      *out = i;
      return MIMI_OK;
    }
  }
  return MIMI_ERR_BAD_WELCOME;
}

/* Our GroupSecrets, the psk_secret and the decrypted GroupInfo (unverified). */
static mimi_err welcome_open(mls_group *g, const mls_welcome *w, const mls_key_package_bundle *kp,
                             mls_group_secrets *gs, mls_group_info *gi, uint8_t *psk_secret) {
  const mimi_suite *s = g->suite;
  size_t nh = s->hash_len;
  MIMI_TRY(open_secrets(w, kp, gs));
  const mls_pre_shared_key_id **ids = NULL;
  mimi_err err = MIMI_OK;
  if (gs->psks_count > 0) {
    ids = calloc(gs->psks_count, sizeof *ids);
    if (ids == NULL) err = MIMI_ERR_NOMEM;
    for (size_t i = 0; err == MIMI_OK && i < gs->psks_count; i++) ids[i] = &gs->psks[i];
  }
  if (err == MIMI_OK) err = group_psk_secret(g, ids, gs->psks_count, psk_secret);
  free(ids);
  /* welcome_secret does not depend on the GroupContext, still unknown */
  mls_epoch_secrets es;
  memset(&es, 0, sizeof es);
  if (err == MIMI_OK)
    err = mls_key_schedule_from_joiner(&es, s->id, gs->joiner_secret.data, nh, psk_secret, nh,
                                       NULL, 0);
  if (err == MIMI_OK) err = open_group_info(s, w, es.welcome_secret, gi);
  mls_epoch_secrets_clear(&es);
  if (err != MIMI_OK) {
    mimi_secure_zero(psk_secret, MIMI_MAX_HASH);
    mls_group_secrets_free(gs);
  }
  return err;
}

mimi_err mls_welcome_open(const mls_welcome *w, const mls_key_package_bundle *kp,
                          const mls_psk_store *psks, mls_group_secrets *gs, mls_group_info *gi) {
  const mimi_suite *s = mimi_suite_get(w->cipher_suite);
  if (s == NULL) return MIMI_ERR_BAD_WELCOME;
  mls_group_config cfg = mls_group_config_default();
  cfg.psks = psks;
  mls_group *g;
  MIMI_TRY(group_alloc(&g, s, &cfg, NULL, 0));
  uint8_t psk_secret[MIMI_MAX_HASH];
  mimi_err err = welcome_open(g, w, kp, gs, gi, psk_secret);
  mimi_secure_zero(psk_secret, sizeof psk_secret);
  mls_group_free(g);
  return err;
}

mimi_err mls_group_info_verify(const mls_group_info *gi, const uint8_t *pub, size_t pub_len) {
  return group_info_verify_key(gi, pub, pub_len);
}

static mimi_err join_state(mls_group *g, const mls_welcome *w, const mls_key_package_bundle *kp,
                           const mls_ratchet_tree *tree, mls_group_secrets *gs,
                           mls_group_info *gi) {
  const mimi_suite *s = g->suite;
  size_t nh = s->hash_len;
  uint8_t psk_secret[MIMI_MAX_HASH];
  MIMI_TRY(welcome_open(g, w, kp, gs, gi, psk_secret));
  mimi_err err = MIMI_OK;
  const mls_group_context *gc = &gi->group_context;
  if (gc->cipher_suite != s->id || gc->confirmed_transcript_hash.len != nh ||
      gi->confirmation_tag.len != nh)
    err = MIMI_ERR_BAD_WELCOME;
  if (err == MIMI_OK && group_check_dictionary(gc->extensions, gc->extensions_count) != MIMI_OK)
    err = MIMI_ERR_BAD_WELCOME;
  if (err == MIMI_OK) err = group_load_group_info(gi, tree, &g->tree);
  if (err == MIMI_OK) err = find_own_leaf(g->tree, &kp->key_package.leaf_node, &g->own_leaf);
  if (err == MIMI_OK)
    err = mls_treekem_private_new(&g->priv, s->id, g->own_leaf, kp->encryption_priv.data,
                                  kp->encryption_priv.len);
  if (err == MIMI_OK && gs->path_secret != NULL) {
    if (gi->signer == g->own_leaf) err = MIMI_ERR_BAD_WELCOME;
    if (err == MIMI_OK)
      err = mls_treekem_private_join(g->priv, g->tree, gi->signer,
                                     gs->path_secret->path_secret.data, nh);
  }
  if (err == MIMI_OK) err = mimi_clone(mls_group_context_type(), &g->ctx, gc);
  mimi_bytes gcb = {NULL, 0};
  if (err == MIMI_OK) err = mls_group_context_encode(gc, &gcb);
  if (err == MIMI_OK)
    err = mls_key_schedule_from_joiner(&g->secrets, s->id, gs->joiner_secret.data, nh,
                                       psk_secret, nh, gcb.data, gcb.len);
  mimi_bytes_free(&gcb);
  mimi_secure_zero(psk_secret, sizeof psk_secret);
  if (err == MIMI_OK)
    err = mls_confirmation_tag_verify(s->id, g->secrets.confirmation_key,
                                      gc->confirmed_transcript_hash.data, &gi->confirmation_tag);
  if (err == MIMI_OK) err = mimi_bytes_dup(&g->confirmation_tag, &gi->confirmation_tag);
  if (err == MIMI_OK)
    err = group_interim(s, gc->confirmed_transcript_hash.data, nh, &gi->confirmation_tag,
                        g->interim);
  if (err == MIMI_OK) err = group_enter_epoch(g, NULL, 0);
  return err;
}

mimi_err mls_group_join(mls_group **out, const mls_welcome *welcome,
                        const mls_key_package_bundle *kp, const uint8_t *sig_priv,
                        size_t sig_priv_len, const mls_ratchet_tree *tree,
                        const mls_group_config *cfg) {
  mls_group_secrets gs;
  memset(&gs, 0, sizeof gs);
  if (mimi_suite_get(welcome->cipher_suite) == NULL) return MIMI_ERR_BAD_WELCOME;
  mls_group *g = NULL;
  mls_group_info gi;
  memset(&gi, 0, sizeof gi);
  mimi_err err = group_alloc(&g, mimi_suite_get(welcome->cipher_suite), cfg, sig_priv,
                             sig_priv_len);
  if (err == MIMI_OK) err = join_state(g, welcome, kp, tree, &gs, &gi);
  mls_group_secrets_free(&gs);
  mls_group_info_free(&gi);
  if (err != MIMI_OK) {
    mls_group_free(g);
    return err;
  }
  *out = g;
  return MIMI_OK;
}
