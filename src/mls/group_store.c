/* group_store.c — a group's state as a versioned blob for storage between
 * runs (every secret included, so callers wipe it), and back. The blob is
 * a declared wire struct like the protocol's own. A pending commit of ours
 * is not stored: after a restart it is as if it had been discarded. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "group_internal.h"
#include "secret_tree_internal.h"

#define GROUP_BLOB_FORMAT 1

#define GS_PATH_SECRET_FIELDS(F) F##_U32(node) F##_OPAQUE(secret)
MIMI_STRUCT_DECLARE(gs_path_secret, GS_PATH_SECRET_FIELDS)
MIMI_STRUCT_DEFINE(gs_path_secret, GS_PATH_SECRET_FIELDS)

#define GS_PROPOSAL_FIELDS(F) F##_STRUCT(mls_proposal, proposal) F##_OPAQUE(ref) F##_U32(sender)
MIMI_STRUCT_DECLARE(gs_proposal, GS_PROPOSAL_FIELDS)
MIMI_STRUCT_DEFINE(gs_proposal, GS_PROPOSAL_FIELDS)

#define GS_OWN_UPDATE_FIELDS(F) F##_OPAQUE(ref) F##_OPAQUE(priv)
MIMI_STRUCT_DECLARE(gs_own_update, GS_OWN_UPDATE_FIELDS)
MIMI_STRUCT_DEFINE(gs_own_update, GS_OWN_UPDATE_FIELDS)

#define GS_RESUMPTION_FIELDS(F) F##_U64(epoch) F##_OPAQUE(secret)
MIMI_STRUCT_DECLARE(gs_resumption, GS_RESUMPTION_FIELDS)
MIMI_STRUCT_DEFINE(gs_resumption, GS_RESUMPTION_FIELDS)

#define GS_BLOB_FIELDS(F)                                                      \
  F##_U16(format)                                                              \
  F##_U16(suite)                                                               \
  F##_U8(active)                                                               \
  F##_U8(encrypt_handshake)                                                    \
  F##_U32(resumption_psk_epochs)                                               \
  F##_U32(padding)                                                             \
  F##_U32(max_forward)                                                         \
  F##_U32(max_retained)                                                        \
  F##_U64(now)                                                                 \
  F##_STRUCT(mls_group_context, ctx)                                           \
  F##_OPAQUE(tree)                                                             \
  F##_U32(own_leaf)                                                            \
  F##_OPAQUE(sig_priv)                                                         \
  F##_OPAQUE(leaf_priv)                                                        \
  F##_VEC(gs_path_secret, path_secrets)                                        \
  F##_VEC(mimi_bytes, epoch_secrets)                                           \
  F##_OPAQUE(interim)                                                          \
  F##_OPAQUE(confirmation_tag)                                                 \
  F##_OPAQUE(secret_tree)                                                      \
  F##_VEC(gs_proposal, proposals)                                              \
  F##_VEC(gs_own_update, own_updates)                                          \
  F##_VEC(gs_resumption, resumption)                                           \
  F##_OPT(mls_reinit, reinit)
MIMI_STRUCT_DECLARE(gs_blob, GS_BLOB_FIELDS)
MIMI_STRUCT_DEFINE(gs_blob, GS_BLOB_FIELDS)

/* The epoch secrets in blob order. */
static const size_t secret_offsets[] = {
    offsetof(mls_epoch_secrets, joiner_secret),      offsetof(mls_epoch_secrets, welcome_secret),
    offsetof(mls_epoch_secrets, sender_data_secret), offsetof(mls_epoch_secrets, encryption_secret),
    offsetof(mls_epoch_secrets, exporter_secret),    offsetof(mls_epoch_secrets, external_secret),
    offsetof(mls_epoch_secrets, confirmation_key),   offsetof(mls_epoch_secrets, membership_key),
    offsetof(mls_epoch_secrets, resumption_psk),
    offsetof(mls_epoch_secrets, epoch_authenticator),
    offsetof(mls_epoch_secrets, init_secret)};
#define N_SECRETS (sizeof secret_offsets / sizeof secret_offsets[0])

static mimi_err fill_private(const mls_group *g, gs_blob *b) {
  if (g->priv == NULL) return MIMI_OK;
  MIMI_TRY(mls_treekem_private_leaf_key(g->priv, &b->leaf_priv));
  mls_node_path dp;
  MIMI_TRY(mls_tree_direct_path(2 * g->own_leaf, mls_rtree_leaf_count(g->tree), &dp));
  if (dp.count == 0) return MIMI_OK;
  b->path_secrets = calloc(dp.count, sizeof *b->path_secrets);
  if (b->path_secrets == NULL) return MIMI_ERR_NOMEM;
  uint8_t secret[MIMI_MAX_HASH];
  for (uint32_t i = 0; i < dp.count; i++) {
    if (mls_treekem_private_path_secret(g->priv, dp.nodes[i], secret) != MIMI_OK) continue;
    gs_path_secret *ps = &b->path_secrets[b->path_secrets_count];
    ps->node = dp.nodes[i];
    mimi_err err = mimi_bytes_copy(&ps->secret, secret, g->suite->hash_len);
    mimi_secure_zero(secret, sizeof secret);
    MIMI_TRY(err);
    b->path_secrets_count++;
  }
  return MIMI_OK;
}

static mimi_err fill_lists(const mls_group *g, gs_blob *b) {
  size_t nh = g->suite->hash_len;
  if (g->n_props > 0 && (b->proposals = calloc(g->n_props, sizeof *b->proposals)) == NULL)
    return MIMI_ERR_NOMEM;
  for (size_t i = 0; i < g->n_props; i++) {
    gs_proposal *p = &b->proposals[i];
    b->proposals_count = i + 1;
    MIMI_TRY(mimi_clone(mls_proposal_type(), &p->proposal, &g->props[i].proposal));
    MIMI_TRY(mimi_bytes_copy(&p->ref, g->props[i].ref, nh));
    p->sender = g->props[i].sender;
  }
  if (g->n_own_updates > 0 &&
      (b->own_updates = calloc(g->n_own_updates, sizeof *b->own_updates)) == NULL)
    return MIMI_ERR_NOMEM;
  for (size_t i = 0; i < g->n_own_updates; i++) {
    b->own_updates_count = i + 1;
    MIMI_TRY(mimi_bytes_copy(&b->own_updates[i].ref, g->own_updates[i].ref, nh));
    MIMI_TRY(mimi_bytes_dup(&b->own_updates[i].priv, &g->own_updates[i].encryption_priv));
  }
  if (g->n_res > 0 && (b->resumption = calloc(g->n_res, sizeof *b->resumption)) == NULL)
    return MIMI_ERR_NOMEM;
  for (size_t i = 0; i < g->n_res; i++) {
    b->resumption_count = i + 1;
    b->resumption[i].epoch = g->res[i].epoch;
    MIMI_TRY(mimi_bytes_copy(&b->resumption[i].secret, g->res[i].secret, nh));
  }
  return MIMI_OK;
}

static mimi_err fill(const mls_group *g, gs_blob *b) {
  size_t nh = g->suite->hash_len;
  b->format = GROUP_BLOB_FORMAT;
  b->suite = g->suite->id;
  b->active = g->active;
  b->encrypt_handshake = g->cfg.encrypt_handshake;
  b->resumption_psk_epochs = g->cfg.resumption_psk_epochs;
  if (g->cfg.padding > UINT32_MAX) return MIMI_ERR_TOO_LARGE;
  b->padding = (uint32_t)g->cfg.padding;
  b->max_forward = g->cfg.secret_tree.max_forward;
  b->max_retained = g->cfg.secret_tree.max_retained;
  b->now = g->cfg.now;
  MIMI_TRY(mimi_clone(mls_group_context_type(), &b->ctx, &g->ctx));
  MIMI_TRY(mls_rtree_encode(g->tree, &b->tree));
  b->own_leaf = g->own_leaf;
  MIMI_TRY(mimi_bytes_dup(&b->sig_priv, &g->sig_priv));
  MIMI_TRY(fill_private(g, b));
  b->epoch_secrets = calloc(N_SECRETS, sizeof *b->epoch_secrets);
  if (b->epoch_secrets == NULL) return MIMI_ERR_NOMEM;
  for (size_t i = 0; i < N_SECRETS; i++) {
    b->epoch_secrets_count = i + 1;
    MIMI_TRY(mimi_bytes_copy(&b->epoch_secrets[i],
                             (const uint8_t *)&g->secrets + secret_offsets[i], nh));
  }
  MIMI_TRY(mimi_bytes_copy(&b->interim, g->interim, nh));
  MIMI_TRY(mimi_bytes_dup(&b->confirmation_tag, &g->confirmation_tag));
  if (g->st != NULL) MIMI_TRY(mls_secret_tree_encode(g->st, &b->secret_tree));
  if (g->reinit != NULL) {
    if ((b->reinit = calloc(1, sizeof *b->reinit)) == NULL) return MIMI_ERR_NOMEM;
    MIMI_TRY(mimi_clone(mls_reinit_type(), b->reinit, g->reinit));
  }
  return fill_lists(g, b);
}

mimi_err mls_group_serialize(const mls_group *g, mimi_bytes *out) {
  gs_blob b;
  memset(&b, 0, sizeof b);
  mimi_err err = fill(g, &b);
  if (err == MIMI_OK) err = gs_blob_encode(&b, out);
  gs_blob_free(&b);
  return err;
}

/* Path secrets come in direct-path order (leaf side first), each node at
 * most once: the order serialize writes, so a state has one encoding. */
static mimi_err load_private(mls_group *g, const gs_blob *b) {
  if (b->leaf_priv.len == 0) return b->path_secrets_count == 0 ? MIMI_OK : MIMI_ERR_INVALID_ARG;
  MIMI_TRY(mls_treekem_private_new(&g->priv, g->suite->id, g->own_leaf, b->leaf_priv.data,
                                   b->leaf_priv.len));
  mls_node_path dp;
  MIMI_TRY(mls_tree_direct_path(2 * g->own_leaf, mls_rtree_leaf_count(g->tree), &dp));
  uint32_t next = 0; /* position in dp the next secret may take */
  for (size_t i = 0; i < b->path_secrets_count; i++) {
    const gs_path_secret *ps = &b->path_secrets[i];
    while (next < dp.count && dp.nodes[next] != ps->node) next++;
    if (next == dp.count) return MIMI_ERR_INVALID_ARG;
    next++;
    MIMI_TRY(mls_treekem_private_set_path_secret(g->priv, ps->node, ps->secret.data,
                                                 ps->secret.len));
  }
  return MIMI_OK;
}

static mimi_err load_lists(mls_group *g, const gs_blob *b) {
  size_t nh = g->suite->hash_len;
  for (size_t i = 0; i < b->proposals_count; i++) {
    const gs_proposal *p = &b->proposals[i];
    if (p->ref.len != nh) return MIMI_ERR_BAD_LENGTH;
    MIMI_TRY(group_cache_proposal(g, &p->proposal, p->ref.data, p->sender));
  }
  if (b->own_updates_count > 0 &&
      (g->own_updates = calloc(b->own_updates_count, sizeof *g->own_updates)) == NULL)
    return MIMI_ERR_NOMEM;
  for (size_t i = 0; i < b->own_updates_count; i++) {
    if (b->own_updates[i].ref.len != nh) return MIMI_ERR_BAD_LENGTH;
    memcpy(g->own_updates[i].ref, b->own_updates[i].ref.data, nh);
    MIMI_TRY(mimi_bytes_dup(&g->own_updates[i].encryption_priv, &b->own_updates[i].priv));
    g->n_own_updates = i + 1;
  }
  if (b->resumption_count > 0 &&
      (g->res = calloc(b->resumption_count, sizeof *g->res)) == NULL)
    return MIMI_ERR_NOMEM;
  for (size_t i = 0; i < b->resumption_count; i++) {
    if (b->resumption[i].secret.len != nh) return MIMI_ERR_BAD_LENGTH;
    g->res[i].epoch = b->resumption[i].epoch;
    memcpy(g->res[i].secret, b->resumption[i].secret.data, nh);
    g->n_res = i + 1;
  }
  return MIMI_OK;
}

static mimi_err load(mls_group *g, const gs_blob *b) {
  size_t nh = g->suite->hash_len;
  g->active = b->active != 0;
  MIMI_TRY(mimi_clone(mls_group_context_type(), &g->ctx, &b->ctx));
  if (g->ctx.cipher_suite != g->suite->id) return MIMI_ERR_INVALID_ARG;
  MIMI_TRY(mls_rtree_decode(&g->tree, g->suite->id, b->tree.data, b->tree.len));
  g->own_leaf = b->own_leaf;
  if (g->active && mls_rtree_leaf(g->tree, g->own_leaf) == NULL) return MIMI_ERR_INVALID_ARG;
  MIMI_TRY(load_private(g, b));
  if (b->epoch_secrets_count != N_SECRETS || b->interim.len != nh) return MIMI_ERR_BAD_LENGTH;
  for (size_t i = 0; i < N_SECRETS; i++) {
    if (b->epoch_secrets[i].len != nh) return MIMI_ERR_BAD_LENGTH;
    memcpy((uint8_t *)&g->secrets + secret_offsets[i], b->epoch_secrets[i].data, nh);
  }
  memcpy(g->interim, b->interim.data, nh);
  MIMI_TRY(mimi_bytes_dup(&g->confirmation_tag, &b->confirmation_tag));
  if (b->secret_tree.len > 0)
    MIMI_TRY(mls_secret_tree_decode(&g->st, b->secret_tree.data, b->secret_tree.len));
  else if (g->active)
    return MIMI_ERR_INVALID_ARG;
  if (b->reinit != NULL) {
    if ((g->reinit = calloc(1, sizeof *g->reinit)) == NULL) return MIMI_ERR_NOMEM;
    MIMI_TRY(mimi_clone(mls_reinit_type(), g->reinit, b->reinit));
  }
  return load_lists(g, b);
}

mimi_err mls_group_deserialize(mls_group **out, const uint8_t *data, size_t len,
                               const mls_psk_store *psks) {
  gs_blob b;
  MIMI_TRY(gs_blob_decode(data, len, &b));
  mimi_err err = MIMI_OK;
  const mimi_suite *s = mimi_suite_get(b.suite);
  if (b.format != GROUP_BLOB_FORMAT) err = MIMI_ERR_UNSUPPORTED;
  if (err == MIMI_OK && s == NULL) err = MIMI_ERR_UNSUPPORTED_SUITE;
  /* one encoding per state: flags are 0 or 1 */
  if (err == MIMI_OK && (b.active > 1 || b.encrypt_handshake > 1)) err = MIMI_ERR_INVALID_ARG;
  mls_group_config cfg = mls_group_config_default();
  cfg.encrypt_handshake = b.encrypt_handshake != 0;
  cfg.resumption_psk_epochs = b.resumption_psk_epochs;
  cfg.padding = b.padding;
  cfg.secret_tree.max_forward = b.max_forward;
  cfg.secret_tree.max_retained = b.max_retained;
  cfg.now = b.now;
  cfg.psks = psks;
  mls_group *g = NULL;
  if (err == MIMI_OK) err = group_alloc(&g, s, &cfg, b.sig_priv.data, b.sig_priv.len);
  if (err == MIMI_OK) err = load(g, &b);
  gs_blob_free(&b);
  if (err != MIMI_OK) {
    mls_group_free(g);
    return err;
  }
  *out = g;
  return MIMI_OK;
}
