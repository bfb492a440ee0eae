/* group.c — one member's state of an MLS group (RFC 9420 §8, §11): its
 * lifecycle, creating a one-member group, entering a new epoch, the PSKs it
 * can use, and the accessors. */
#include <stdlib.h>
#include <string.h>

#include "group_internal.h"

mls_group_config mls_group_config_default(void) {
  mls_group_config c;
  memset(&c, 0, sizeof c);
  c.resumption_psk_epochs = 8;
  c.secret_tree.max_forward = MLS_SECRET_TREE_DEFAULT_MAX_FORWARD;
  c.secret_tree.max_retained = MLS_SECRET_TREE_DEFAULT_MAX_RETAINED;
  return c;
}

mimi_err group_alloc(mls_group **out, const mimi_suite *s, const mls_group_config *cfg,
                     const uint8_t *sig_priv, size_t sig_priv_len) {
  mls_group *g = calloc(1, sizeof *g);
  if (g == NULL) return MIMI_ERR_NOMEM;
  g->suite = s;
  g->cfg = cfg != NULL ? *cfg : mls_group_config_default();
  if (g->cfg.psks != NULL) {
    g->psk_store = *g->cfg.psks;
    g->cfg.psks = &g->psk_store;
  }
  g->active = true;
  g->own_leaf = GROUP_NO_LEAF;
  g->secrets.suite = s->id;
  g->secrets.hash_len = s->hash_len;
  mimi_err err = mimi_bytes_copy(&g->sig_priv, sig_priv, sig_priv_len);
  if (err != MIMI_OK) {
    free(g);
    return err;
  }
  *out = g;
  return MIMI_OK;
}

static void drop_proposals(mls_group *g) {
  for (size_t i = 0; i < g->n_props; i++) mls_proposal_free(&g->props[i].proposal);
  free(g->props);
  g->props = NULL;
  g->n_props = 0;
  for (size_t i = 0; i < g->n_own_updates; i++) mimi_bytes_free(&g->own_updates[i].encryption_priv);
  free(g->own_updates);
  g->own_updates = NULL;
  g->n_own_updates = 0;
}

void group_clear(mls_group *g) {
  mls_staged_commit_free(g->pending);
  g->pending = NULL;
  mls_group_context_free(&g->ctx);
  mls_rtree_free(g->tree);
  mls_treekem_private_free(g->priv);
  mls_epoch_secrets_clear(&g->secrets);
  mls_secret_tree_free(g->st);
  mimi_bytes_free(&g->sig_priv);
  mimi_bytes_free(&g->confirmation_tag);
  if (g->reinit != NULL) mls_reinit_free(g->reinit);
  free(g->reinit);
  if (g->successor_id != NULL) mls_pre_shared_key_id_free(g->successor_id);
  free(g->successor_id);
  drop_proposals(g);
  if (g->res != NULL) mimi_secure_zero(g->res, g->n_res * sizeof *g->res);
  free(g->res);
  mimi_secure_zero(g, sizeof *g);
}

void mls_group_free(mls_group *g) {
  if (g == NULL) return;
  group_clear(g);
  free(g);
}

void mls_staged_commit_free(mls_staged_commit *sc) {
  if (sc == NULL) return;
  mls_group_free(sc->next);
  for (size_t i = 0; i < sc->n_ephemeral; i++) mls_app_ephemeral_free(&sc->ephemeral[i]);
  free(sc->ephemeral);
  free(sc);
}

const mls_app_ephemeral *mls_staged_commit_app_ephemeral(const mls_staged_commit *sc, size_t *n) {
  *n = sc->n_ephemeral;
  return sc->ephemeral;
}

bool mls_staged_commit_removes_self(const mls_staged_commit *sc) { return sc->removed; }

/* The successor takes over the parent's place; its own pending commit (none
 * in practice) and the parent's go. */
void mls_group_merge(mls_group *g, mls_staged_commit *sc) {
  mls_group *next = sc->next;
  sc->next = NULL;
  mls_staged_commit_free(sc);
  group_clear(g);
  *g = *next;
  mimi_secure_zero(next, sizeof *next);
  free(next);
  if (g->cfg.psks != NULL) g->cfg.psks = &g->psk_store;
}

mimi_err group_interim(const mimi_suite *s, const uint8_t *confirmed, size_t confirmed_len,
                       const mimi_bytes *tag, uint8_t *out) {
  mimi_writer w;
  mimi_writer_init(&w);
  mimi_write_raw(&w, confirmed, confirmed_len);
  mimi_write_opaque(&w, tag->data, tag->len);
  return mls_hash_written(s, &w, out);
}

mimi_err group_enter_epoch(mls_group *g, const group_resumption *history, size_t n_history) {
  mls_secret_tree *st;
  MIMI_TRY(mls_secret_tree_new(&st, g->suite->id, g->secrets.encryption_secret,
                               g->suite->hash_len, mls_rtree_leaf_count(g->tree),
                               &g->cfg.secret_tree));
  size_t keep = g->cfg.resumption_psk_epochs;
  size_t n = 0;
  group_resumption *res = NULL;
  if (keep > 0) {
    res = calloc(keep, sizeof *res);
    if (res == NULL) {
      mls_secret_tree_free(st);
      return MIMI_ERR_NOMEM;
    }
    res[0].epoch = g->ctx.epoch;
    memcpy(res[0].secret, g->secrets.resumption_psk, g->suite->hash_len);
    n = 1;
    for (size_t i = 0; i < n_history && n < keep; i++)
      if (history[i].epoch < g->ctx.epoch) res[n++] = history[i];
  }
  mls_secret_tree_free(g->st);
  g->st = st;
  if (g->res != NULL) mimi_secure_zero(g->res, g->n_res * sizeof *g->res);
  free(g->res);
  g->res = res;
  g->n_res = n;
  return MIMI_OK;
}

mimi_err group_psk_value(const mls_group *g, const mls_pre_shared_key_id *id,
                         const uint8_t **psk, size_t *psk_len) {
  if (id->psk_nonce.len != g->suite->hash_len) return MIMI_ERR_BAD_PSK;
  if (g->successor_id != NULL && mls_pre_shared_key_id_equal(g->successor_id, id)) {
    *psk = g->successor_psk;
    *psk_len = g->successor_psk_len;
    return MIMI_OK;
  }
  if (id->source.psktype == MLS_PSK_RESUMPTION) {
    const mls_resumption_psk *r = &id->source.resumption;
    /* our own history first; other groups' (or a joiner's) from the store */
    bool ours = mimi_bytes_eq(&r->psk_group_id, &g->ctx.group_id);
    for (size_t i = 0; ours && i < g->n_res; i++)
      if (g->res[i].epoch == r->psk_epoch) {
        *psk = g->res[i].secret;
        *psk_len = g->suite->hash_len;
        return MIMI_OK;
      }
  }
  if (g->cfg.psks == NULL) return MIMI_ERR_BAD_PSK;
  return g->cfg.psks->get(g->cfg.psks->ctx, id, psk, psk_len) == MIMI_OK ? MIMI_OK
                                                                        : MIMI_ERR_BAD_PSK;
}

mimi_err group_psk_secret(const mls_group *g, const mls_pre_shared_key_id *const *ids,
                          size_t n, uint8_t *out) {
  if (n == 0) return mls_psk_secret(g->suite->id, NULL, 0, out);
  mls_psk_entry *e = calloc(n, sizeof *e);
  if (e == NULL) return MIMI_ERR_NOMEM;
  mimi_err err = MIMI_OK;
  for (size_t i = 0; err == MIMI_OK && i < n; i++) {
    e[i].id = ids[i];
    err = group_psk_value(g, ids[i], &e[i].psk, &e[i].psk_len);
  }
  if (err == MIMI_OK) err = mls_psk_secret(g->suite->id, e, n, out);
  free(e);
  return err;
}

const mls_extension *group_find_extension(const mls_extension *exts, size_t n, uint16_t type) {
  for (size_t i = 0; i < n; i++)
    if (exts[i].extension_type == type) return &exts[i];
  return NULL;
}


/* §11.1: a member must support every required extension, proposal and
 * credential type (default extension and proposal types are implied). */
mimi_err group_check_required(const mls_extension *exts, size_t n, const mls_capabilities *caps) {
  const mls_extension *e = group_find_extension(exts, n, MLS_EXT_REQUIRED_CAPABILITIES);
  if (e == NULL) return MIMI_OK;
  mls_required_capabilities rc;
  if (mls_required_capabilities_decode(e->extension_data.data, e->extension_data.len, &rc) !=
      MIMI_OK)
    return MIMI_ERR_BAD_PROPOSAL;
  mimi_err err = MIMI_OK;
  for (size_t i = 0; err == MIMI_OK && i < rc.extension_types_count; i++) {
    uint16_t t = rc.extension_types[i];
    if (!group_default_extension(t) && !group_u16_in(caps->extensions, caps->extensions_count, t))
      err = MIMI_ERR_BAD_PROPOSAL;
  }
  for (size_t i = 0; err == MIMI_OK && i < rc.proposal_types_count; i++) {
    uint16_t t = rc.proposal_types[i];
    if (!group_default_proposal(t) && !group_u16_in(caps->proposals, caps->proposals_count, t))
      err = MIMI_ERR_BAD_PROPOSAL;
  }
  for (size_t i = 0; err == MIMI_OK && i < rc.credential_types_count; i++)
    if (!group_u16_in(caps->credentials, caps->credentials_count, rc.credential_types[i]))
      err = MIMI_ERR_BAD_PROPOSAL;
  mls_required_capabilities_free(&rc);
  return err;
}

static mimi_err clone_exts(mls_group_context *ctx, const mls_extension *e, size_t n) {
  if (n == 0) return MIMI_OK;
  ctx->extensions = calloc(n, sizeof *e);
  if (ctx->extensions == NULL) return MIMI_ERR_NOMEM;
  for (size_t i = 0; i < n; i++) {
    MIMI_TRY(mimi_clone(mls_extension_type(), &ctx->extensions[i], &e[i]));
    ctx->extensions_count = i + 1;
  }
  return MIMI_OK;
}

/* §11: epoch 0 with a random epoch secret (as a random joiner_secret: the
 * epoch secret derived from it is as unpredictable), and the interim
 * transcript hash from the confirmation tag over the empty confirmed hash. */
static mimi_err create_state(mls_group *g, const uint8_t *group_id, size_t group_id_len,
                             const mls_key_package_bundle *own, const mls_extension *exts,
                             size_t n_exts, const mimi_rng *rng) {
  const mimi_suite *s = g->suite;
  const mls_leaf_node *leaf = &own->key_package.leaf_node;
  MIMI_TRY(group_check_required(exts, n_exts, &leaf->capabilities));
  MIMI_TRY(group_check_dictionary(exts, n_exts));
  MIMI_TRY(group_check_required_components(&(mls_group_context){.extensions = (mls_extension *)exts,
                                                                .extensions_count = n_exts},
                                           NULL, leaf));
  MIMI_TRY(mls_rtree_new(&g->tree, s->id, leaf));
  MIMI_TRY(mls_treekem_private_new(&g->priv, s->id, 0, own->encryption_priv.data,
                                   own->encryption_priv.len));
  g->own_leaf = 0;
  g->ctx.version = MLS_VERSION_MLS10;
  g->ctx.cipher_suite = s->id;
  MIMI_TRY(mimi_bytes_copy(&g->ctx.group_id, group_id, group_id_len));
  MIMI_TRY(clone_exts(&g->ctx, exts, n_exts));
  MIMI_TRY(mimi_bytes_alloc(&g->ctx.tree_hash, s->hash_len));
  MIMI_TRY(mls_rtree_root_hash(g->tree, g->ctx.tree_hash.data));
  mimi_bytes gc;
  MIMI_TRY(mls_group_context_encode(&g->ctx, &gc));
  uint8_t joiner[MIMI_MAX_HASH];
  mimi_err err = mimi_rng_fill(rng, joiner, s->hash_len);
  if (err == MIMI_OK)
    err = mls_key_schedule_from_joiner(&g->secrets, s->id, joiner, s->hash_len, NULL, 0, gc.data,
                                       gc.len);
  mimi_secure_zero(joiner, sizeof joiner);
  mimi_bytes_free(&gc);
  MIMI_TRY(err);
  uint8_t tagbuf[MIMI_MAX_HASH];
  MIMI_TRY(mimi_hmac(s->kdf, g->secrets.confirmation_key, s->hash_len, NULL, 0, tagbuf));
  MIMI_TRY(mimi_bytes_copy(&g->confirmation_tag, tagbuf, s->hash_len));
  MIMI_TRY(group_interim(s, NULL, 0, &g->confirmation_tag, g->interim));
  return group_enter_epoch(g, NULL, 0);
}

mimi_err mls_group_create(mls_group **out, const uint8_t *group_id, size_t group_id_len,
                          const mls_key_package_bundle *own, const uint8_t *sig_priv,
                          size_t sig_priv_len, const mls_extension *extensions,
                          size_t n_extensions, const mls_group_config *cfg,
                          const mimi_rng *rng) {
  const mimi_suite *s;
  MIMI_TRY(mls_suite_lookup(own->key_package.cipher_suite, &s));
  mls_group *g;
  MIMI_TRY(group_alloc(&g, s, cfg, sig_priv, sig_priv_len));
  mimi_err err = create_state(g, group_id, group_id_len, own, extensions, n_extensions, rng);
  if (err != MIMI_OK) {
    mls_group_free(g);
    return err;
  }
  *out = g;
  return MIMI_OK;
}

uint16_t mls_group_suite(const mls_group *g) { return g->suite->id; }
uint64_t mls_group_epoch(const mls_group *g) { return g->ctx.epoch; }
const mimi_bytes *mls_group_id(const mls_group *g) { return &g->ctx.group_id; }
uint32_t mls_group_own_leaf(const mls_group *g) { return g->own_leaf; }
const mls_group_context *mls_group_context_of(const mls_group *g) { return &g->ctx; }
const mls_rtree *mls_group_tree(const mls_group *g) { return g->tree; }
bool mls_group_active(const mls_group *g) { return g->active; }
const mls_reinit *mls_group_reinit(const mls_group *g) { return g->reinit; }
bool group_can_send(const mls_group *g) { return g->active && g->reinit == NULL; }
bool mls_group_has_pending(const mls_group *g) { return g->pending != NULL; }

const mls_leaf_node *mls_group_member(const mls_group *g, uint32_t leaf) {
  return mls_rtree_leaf(g->tree, leaf);
}

const uint8_t *mls_group_epoch_authenticator(const mls_group *g, size_t *len) {
  *len = g->suite->hash_len;
  return g->secrets.epoch_authenticator;
}

mimi_err mls_group_export(const mls_group *g, const uint8_t *label, size_t label_len,
                          const uint8_t *context, size_t context_len, uint8_t *out,
                          size_t out_len) {
  if (!g->active) return MIMI_ERR_BAD_GROUP_STATE;
  return mls_epoch_export(&g->secrets, label, label_len, context, context_len, out, out_len);
}

mimi_err mls_group_resumption_psk(const mls_group *g, uint64_t epoch, uint8_t *out) {
  for (size_t i = 0; i < g->n_res; i++)
    if (g->res[i].epoch == epoch) {
      memcpy(out, g->res[i].secret, g->suite->hash_len);
      return MIMI_OK;
    }
  return MIMI_ERR_NOT_FOUND;
}

mimi_err mls_group_merge_pending(mls_group *g) {
  if (g->pending == NULL) return MIMI_ERR_BAD_GROUP_STATE;
  mls_staged_commit *sc = g->pending;
  g->pending = NULL;
  mls_group_merge(g, sc);
  return MIMI_OK;
}

void mls_group_discard_pending(mls_group *g) {
  mls_staged_commit_free(g->pending);
  g->pending = NULL;
}
