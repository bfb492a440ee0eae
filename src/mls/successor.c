/* successor.c — groups that continue another (RFC 9420 §11.2 ReInit,
 * §11.3 branch): the creator's first commit adding the members with a
 * resumption PSK of the old group, and a member's join that checks the
 * Welcome really continues the old group with the agreed parameters. */
#include <stdlib.h>
#include <string.h>

#include "group_internal.h"

/* A member of a branch must already be in the old group: here, a leaf with
 * the same credential (the application may apply a looser equivalence). */
static bool in_old_group(const mls_group *old, const mls_credential *cred) {
  uint32_t n = mls_rtree_leaf_count(old->tree);
  for (uint32_t i = 0; i < n; i++) {
    const mls_leaf_node *l = mls_rtree_leaf(old->tree, i);
    if (l != NULL && mls_credential_equal(&l->credential, cred)) return true;
  }
  return false;
}

/* The parameters of the new group, checked against the old one. */
typedef struct {
  const uint8_t *group_id;
  size_t group_id_len;
  const mls_extension *exts;
  size_t n_exts;
} successor_params;

static mimi_err creator_params(const mls_group *old, uint8_t usage, const uint8_t *group_id,
                               size_t group_id_len, const mls_extension *exts, size_t n_exts,
                               const mls_key_package_bundle *own, const mls_key_package *members,
                               size_t n_members, successor_params *out) {
  if (!old->active) return MIMI_ERR_BAD_GROUP_STATE;
  uint16_t suite = own->key_package.cipher_suite;
  if (usage == MLS_RESUMPTION_REINIT) {
    const mls_reinit *r = old->reinit;
    if (r == NULL) return MIMI_ERR_BAD_GROUP_STATE;
    if (group_id != NULL || group_id_len != 0 || exts != NULL || n_exts != 0)
      return MIMI_ERR_INVALID_ARG;
    if (r->version != MLS_VERSION_MLS10) return MIMI_ERR_UNSUPPORTED;
    if (suite != r->cipher_suite) return MIMI_ERR_BAD_KEY_PACKAGE;
    *out = (successor_params){r->group_id.data, r->group_id.len, r->extensions,
                              r->extensions_count};
    return MIMI_OK;
  }
  if (usage != MLS_RESUMPTION_BRANCH || group_id_len == 0) return MIMI_ERR_INVALID_ARG;
  if (suite != old->suite->id) return MIMI_ERR_BAD_KEY_PACKAGE;
  if (!in_old_group(old, &own->key_package.leaf_node.credential))
    return MIMI_ERR_BAD_KEY_PACKAGE;
  for (size_t i = 0; i < n_members; i++)
    if (!in_old_group(old, &members[i].leaf_node.credential)) return MIMI_ERR_BAD_KEY_PACKAGE;
  *out = (successor_params){group_id, group_id_len, exts, n_exts};
  return MIMI_OK;
}

/* The resumption PSK id of old's current epoch with a fresh nonce of the
 * new suite's Nh, and its value. */
static mimi_err successor_psk(mls_group *g, const mls_group *old, uint8_t usage,
                              const mimi_rng *rng) {
  mls_pre_shared_key_id *id = calloc(1, sizeof *id);
  if (id == NULL) return MIMI_ERR_NOMEM;
  g->successor_id = id;
  id->source.psktype = MLS_PSK_RESUMPTION;
  id->source.resumption.usage = usage;
  id->source.resumption.psk_epoch = old->ctx.epoch;
  MIMI_TRY(mimi_bytes_dup(&id->source.resumption.psk_group_id, &old->ctx.group_id));
  MIMI_TRY(mimi_bytes_alloc(&id->psk_nonce, g->suite->hash_len));
  MIMI_TRY(mimi_rng_fill(rng, id->psk_nonce.data, id->psk_nonce.len));
  MIMI_TRY(mls_group_resumption_psk(old, old->ctx.epoch, g->successor_psk));
  g->successor_psk_len = old->suite->hash_len;
  return MIMI_OK;
}

static mimi_err first_commit(mls_group *g, const mls_key_package *members, size_t n_members,
                             const mimi_rng *rng, mls_welcome *welcome) {
  mls_proposal *props = calloc(n_members + 1, sizeof *props);
  if (props == NULL) return MIMI_ERR_NOMEM;
  for (size_t i = 0; i < n_members; i++) { /* shallow views */
    props[i].proposal_type = MLS_PROPOSAL_ADD;
    props[i].add.key_package = members[i];
  }
  props[n_members].proposal_type = MLS_PROPOSAL_PSK;
  props[n_members].psk.psk = *g->successor_id;
  mls_commit_options opt = {props, n_members + 1, false, true};
  mls_message commit;
  mimi_err err = mls_group_commit(g, &opt, rng, &commit, welcome);
  free(props);
  MIMI_TRY(err);
  /* nobody else is in the epoch-0 group: the commit goes nowhere */
  mls_message_free(&commit);
  return mls_group_merge_pending(g);
}

mimi_err mls_group_create_successor(mls_group **out, const mls_group *old, uint8_t usage,
                                    const uint8_t *group_id, size_t group_id_len,
                                    const mls_extension *extensions, size_t n_extensions,
                                    const mls_key_package_bundle *own, const uint8_t *sig_priv,
                                    size_t sig_priv_len, const mls_key_package *members,
                                    size_t n_members, const mls_group_config *cfg,
                                    const mimi_rng *rng, mls_welcome *welcome) {
  successor_params sp;
  MIMI_TRY(creator_params(old, usage, group_id, group_id_len, extensions, n_extensions, own,
                          members, n_members, &sp));
  mls_group *g;
  MIMI_TRY(mls_group_create(&g, sp.group_id, sp.group_id_len, own, sig_priv, sig_priv_len,
                            sp.exts, sp.n_exts, cfg, rng));
  mls_welcome w;
  memset(&w, 0, sizeof w);
  mimi_err err = successor_psk(g, old, usage, rng);
  if (err == MIMI_OK) err = first_commit(g, members, n_members, rng, &w);
  /* epoch 1: the successor PSK may not be used again */
  if (g->successor_id != NULL) mls_pre_shared_key_id_free(g->successor_id);
  free(g->successor_id);
  g->successor_id = NULL;
  mimi_secure_zero(g->successor_psk, sizeof g->successor_psk);
  if (err != MIMI_OK) {
    mls_welcome_free(&w);
    mls_group_free(g);
    return err;
  }
  *out = g;
  *welcome = w;
  return MIMI_OK;
}

/* ---- joining ------------------------------------------------------------ */

typedef struct {
  const mls_group *old;
  const mls_psk_store *next; /* the caller's store, for any other PSK */
  uint8_t value[MIMI_MAX_HASH];
} old_psks;

/* Resumption PSKs of the old group (any usage; the Welcome check below
 * decides which usage is acceptable), then the caller's store. */
static mimi_err old_psk_get(void *vctx, const mls_pre_shared_key_id *id, const uint8_t **psk,
                            size_t *psk_len) {
  old_psks *c = vctx;
  if (id->source.psktype == MLS_PSK_RESUMPTION &&
      mimi_bytes_eq(&id->source.resumption.psk_group_id, &c->old->ctx.group_id) &&
      mls_group_resumption_psk(c->old, id->source.resumption.psk_epoch, c->value) == MIMI_OK) {
    *psk = c->value;
    *psk_len = c->old->suite->hash_len;
    return MIMI_OK;
  }
  if (c->next == NULL) return MIMI_ERR_NOT_FOUND;
  return c->next->get(c->next->ctx, id, psk, psk_len);
}

static bool same_extensions(const mls_extension *a, size_t na, const mls_extension *b,
                            size_t nb) {
  if (na != nb) return false;
  for (size_t i = 0; i < na; i++)
    if (!mls_extension_equal(&a[i], &b[i])) return false;
  return true;
}

/* §11.2 / §11.3 checks of the opened Welcome. */
static mimi_err check_welcome(const mls_group *old, const mls_group_secrets *gs,
                              const mls_group_info *gi, uint8_t *usage) {
  const mls_resumption_psk *res = NULL;
  for (size_t i = 0; i < gs->psks_count; i++) {
    const mls_psk_source *src = &gs->psks[i].source;
    if (src->psktype != MLS_PSK_RESUMPTION ||
        src->resumption.usage == MLS_RESUMPTION_APPLICATION)
      continue;
    if (res != NULL) return MIMI_ERR_BAD_WELCOME;
    res = &src->resumption;
  }
  const mls_group_context *gc = &gi->group_context;
  if (res == NULL || gc->epoch != 1 || !mimi_bytes_eq(&res->psk_group_id, &old->ctx.group_id))
    return MIMI_ERR_BAD_WELCOME;
  *usage = res->usage;
  if (res->usage == MLS_RESUMPTION_REINIT) {
    const mls_reinit *r = old->reinit;
    if (r == NULL || res->psk_epoch != old->ctx.epoch || gc->version != r->version ||
        gc->cipher_suite != r->cipher_suite || !mimi_bytes_eq(&gc->group_id, &r->group_id) ||
        !same_extensions(gc->extensions, gc->extensions_count, r->extensions,
                         r->extensions_count))
      return MIMI_ERR_BAD_WELCOME;
    return MIMI_OK;
  }
  if (res->usage != MLS_RESUMPTION_BRANCH || gc->version != old->ctx.version ||
      gc->cipher_suite != old->ctx.cipher_suite)
    return MIMI_ERR_BAD_WELCOME;
  return MIMI_OK;
}

static mimi_err check_branch_members(const mls_group *old, const mls_group *g) {
  uint32_t n = mls_rtree_leaf_count(g->tree);
  for (uint32_t i = 0; i < n; i++) {
    const mls_leaf_node *l = mls_rtree_leaf(g->tree, i);
    if (l != NULL && !in_old_group(old, &l->credential)) return MIMI_ERR_BAD_WELCOME;
  }
  return MIMI_OK;
}

mimi_err mls_group_join_successor(mls_group **out, const mls_group *old,
                                  const mls_welcome *welcome, const mls_key_package_bundle *kp,
                                  const uint8_t *sig_priv, size_t sig_priv_len,
                                  const mls_ratchet_tree *tree, const mls_group_config *cfg) {
  mls_group_config c = cfg != NULL ? *cfg : mls_group_config_default();
  old_psks ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.old = old;
  ctx.next = c.psks;
  mls_psk_store store = {old_psk_get, &ctx};
  c.psks = &store;
  mls_group_secrets gs;
  mls_group_info gi;
  MIMI_TRY(mls_welcome_open(welcome, kp, &store, &gs, &gi));
  uint8_t usage = 0;
  mimi_err err = check_welcome(old, &gs, &gi, &usage);
  mls_group_secrets_free(&gs);
  mls_group_info_free(&gi);
  mls_group *g = NULL;
  if (err == MIMI_OK) err = mls_group_join(&g, welcome, kp, sig_priv, sig_priv_len, tree, &c);
  if (err == MIMI_OK && usage == MLS_RESUMPTION_BRANCH) err = check_branch_members(old, g);
  mimi_secure_zero(ctx.value, sizeof ctx.value);
  if (err != MIMI_OK) {
    mls_group_free(g);
    return err;
  }
  /* the group keeps the caller's store, not our stack wrapper */
  if (cfg != NULL && cfg->psks != NULL) {
    g->psk_store = *cfg->psks;
    g->cfg.psks = &g->psk_store;
  } else {
    g->cfg.psks = NULL;
  }
  *out = g;
  return MIMI_OK;
}
