/* proposals.c — proposals (RFC 9420 §12.1, extensions draft SelfRemove,
 * AppDataUpdate, AppEphemeral):
 * building and sending our own, the §12.2 validity rules of a proposal
 * list, and applying a valid list to the next epoch's tree (§12.3). */
#include <stdlib.h>
#include <string.h>

#include "group_internal.h"

/* Signs and wraps p from our leaf, caches it, and hands back its ref. */
static mimi_err send_proposal(mls_group *g, const mls_proposal *p, const mimi_rng *rng,
                              mls_message *out, uint8_t *ref) {
  if (!group_can_send(g)) return MIMI_ERR_BAD_GROUP_STATE;
  mls_framed_content fc;
  MIMI_TRY(group_framed(g, &fc));
  fc.body.content_type = MLS_CONTENT_PROPOSAL;
  mimi_err err = mimi_clone(mls_proposal_type(), &fc.body.proposal, p);
  mls_authenticated_content ac;
  memset(&ac, 0, sizeof ac);
  mls_framing_epoch ep = group_framing(g);
  /* ext §SelfRemove: always a PublicMessage, so that external joiners can
   * include it */
  uint16_t wf = g->cfg.encrypt_handshake && p->proposal_type != MLS_PROPOSAL_SELF_REMOVE
                    ? MLS_WIRE_PRIVATE_MESSAGE
                    : MLS_WIRE_PUBLIC_MESSAGE;
  if (err == MIMI_OK)
    err = mls_authenticated_content_sign(&ep, wf, &fc, g->sig_priv.data, g->sig_priv.len, &ac);
  mimi_bytes enc = {NULL, 0};
  if (err == MIMI_OK) err = mls_authenticated_content_encode(&ac, &enc);
  if (err == MIMI_OK) err = mls_make_proposal_ref(g->suite->id, enc.data, enc.len, ref);
  mls_message m;
  memset(&m, 0, sizeof m);
  if (err == MIMI_OK) err = group_wrap(g, &ac, rng, &m);
  if (err == MIMI_OK) err = group_cache_proposal(g, p, ref, g->own_leaf);
  if (err == MIMI_OK) {
    *out = m;
  } else {
    mls_message_free(&m);
  }
  mimi_bytes_free(&enc);
  mls_authenticated_content_free(&ac);
  mls_framed_content_free(&fc);
  return err;
}

mimi_err mls_group_propose(mls_group *g, const mls_proposal *p, const mimi_rng *rng,
                           mls_message *out) {
  uint8_t ref[MIMI_MAX_HASH];
  return send_proposal(g, p, rng, out, ref);
}

mimi_err mls_group_propose_add(mls_group *g, const mls_key_package *kp, const mimi_rng *rng,
                               mls_message *out) {
  MIMI_TRY(mls_key_package_validate(kp, g->suite->id, g->cfg.now));
  mls_proposal p;
  p.proposal_type = MLS_PROPOSAL_ADD;
  p.add.key_package = *kp; /* shallow: cloned on the way */
  return mls_group_propose(g, &p, rng, out);
}

mimi_err mls_group_propose_remove(mls_group *g, uint32_t leaf, const mimi_rng *rng,
                                  mls_message *out) {
  if (mls_rtree_leaf(g->tree, leaf) == NULL || leaf == g->own_leaf) return MIMI_ERR_BAD_PROPOSAL;
  mls_proposal p;
  p.proposal_type = MLS_PROPOSAL_REMOVE;
  p.remove.removed = leaf;
  return mls_group_propose(g, &p, rng, out);
}

mimi_err mls_group_propose_self_remove(mls_group *g, const mimi_rng *rng, mls_message *out) {
  mls_proposal p;
  memset(&p, 0, sizeof p);
  p.proposal_type = MLS_PROPOSAL_SELF_REMOVE;
  return mls_group_propose(g, &p, rng, out);
}

mimi_err mls_group_propose_external_psk(mls_group *g, const uint8_t *psk_id, size_t psk_id_len,
                                        const mimi_rng *rng, mls_message *out) {
  mls_proposal p;
  memset(&p, 0, sizeof p);
  p.proposal_type = MLS_PROPOSAL_PSK;
  mls_pre_shared_key_id *id = &p.psk.psk;
  id->source.psktype = MLS_PSK_EXTERNAL;
  mimi_err err = mimi_bytes_copy(&id->source.external.psk_id, psk_id, psk_id_len);
  if (err == MIMI_OK) err = mimi_bytes_alloc(&id->psk_nonce, g->suite->hash_len);
  if (err == MIMI_OK) err = mimi_rng_fill(rng, id->psk_nonce.data, id->psk_nonce.len);
  const uint8_t *v;
  size_t vlen;
  if (err == MIMI_OK) err = group_psk_value(g, id, &v, &vlen);
  if (err == MIMI_OK) err = mls_group_propose(g, &p, rng, out);
  mls_proposal_free(&p);
  return err;
}

mimi_err mls_group_propose_group_context_extensions(mls_group *g, const mls_extension *exts,
                                                    size_t n, const mimi_rng *rng,
                                                    mls_message *out) {
  mls_proposal p;
  p.proposal_type = MLS_PROPOSAL_GROUP_CONTEXT_EXTENSIONS;
  p.group_context_extensions.extensions = (mls_extension *)exts; /* shallow view */
  p.group_context_extensions.extensions_count = n;
  return mls_group_propose(g, &p, rng, out);
}

mimi_err mls_group_propose_reinit(mls_group *g, const mls_reinit *reinit, const mimi_rng *rng,
                                  mls_message *out) {
  mls_proposal p;
  p.proposal_type = MLS_PROPOSAL_REINIT;
  p.reinit = *reinit;
  return mls_group_propose(g, &p, rng, out);
}

/* An AppDataUpdate with op update (update != NULL) or remove. */
static mimi_err propose_app_data(mls_group *g, uint16_t component_id, const uint8_t *update,
                                 size_t len, const mimi_rng *rng, mls_message *out) {
  mls_proposal p;
  memset(&p, 0, sizeof p);
  p.proposal_type = MLS_PROPOSAL_APP_DATA_UPDATE;
  p.app_data_update.component_id = component_id;
  p.app_data_update.op.op = update != NULL ? MLS_APP_DATA_UPDATE_OP_UPDATE
                                           : MLS_APP_DATA_UPDATE_OP_REMOVE;
  if (update != NULL) p.app_data_update.op.update = (mimi_bytes){(uint8_t *)update, len}; /* view */
  return mls_group_propose(g, &p, rng, out);
}

mimi_err mls_group_propose_app_data_update(mls_group *g, uint16_t component_id,
                                           const uint8_t *update, size_t len,
                                           const mimi_rng *rng, mls_message *out) {
  static const uint8_t none[1];
  return propose_app_data(g, component_id, update != NULL ? update : none, len, rng, out);
}

mimi_err mls_group_propose_app_data_remove(mls_group *g, uint16_t component_id,
                                           const mimi_rng *rng, mls_message *out) {
  return propose_app_data(g, component_id, NULL, 0, rng, out);
}

mimi_err mls_group_propose_app_ephemeral(mls_group *g, uint16_t component_id,
                                         const uint8_t *data, size_t len, const mimi_rng *rng,
                                         mls_message *out) {
  mls_proposal p;
  memset(&p, 0, sizeof p);
  p.proposal_type = MLS_PROPOSAL_APP_EPHEMERAL;
  p.app_ephemeral.component_id = component_id;
  p.app_ephemeral.data = (mimi_bytes){(uint8_t *)data, len}; /* view */
  return mls_group_propose(g, &p, rng, out);
}

/* A fresh leaf (source update) for our own leaf; its private key waits in
 * own_updates until a commit applies the proposal. */
mimi_err mls_group_propose_update(mls_group *g, const mimi_rng *rng, mls_message *out) {
  if (!group_can_send(g)) return MIMI_ERR_BAD_GROUP_STATE;
  const mls_leaf_node *cur = mls_rtree_leaf(g->tree, g->own_leaf);
  if (cur == NULL) return MIMI_ERR_BAD_GROUP_STATE;
  group_own_update *nu = realloc(g->own_updates, (g->n_own_updates + 1) * sizeof *nu);
  if (nu == NULL) return MIMI_ERR_NOMEM;
  g->own_updates = nu;
  mls_proposal p;
  memset(&p, 0, sizeof p);
  p.proposal_type = MLS_PROPOSAL_UPDATE;
  mls_leaf_node *leaf = &p.update.leaf_node;
  mimi_bytes priv = {NULL, 0};
  mimi_err err = mimi_clone(mls_leaf_node_type(), leaf, cur);
  if (err == MIMI_OK) {
    mimi_bytes_free(&leaf->encryption_key);
    mls_leaf_node_source_free(&leaf->source);
    leaf->source.leaf_node_source = MLS_LEAF_SOURCE_UPDATE;
    err = mimi_kem_generate_key_pair(g->suite->kem, rng, &priv, &leaf->encryption_key);
  }
  if (err == MIMI_OK)
    err = mls_leaf_node_sign(g->suite->id, leaf, g->sig_priv.data, g->sig_priv.len,
                             g->ctx.group_id.data, g->ctx.group_id.len, g->own_leaf);
  uint8_t ref[MIMI_MAX_HASH];
  if (err == MIMI_OK) err = send_proposal(g, &p, rng, out, ref);
  if (err == MIMI_OK) {
    group_own_update *e = &g->own_updates[g->n_own_updates++];
    memcpy(e->ref, ref, sizeof ref);
    e->encryption_priv = priv;
  } else {
    mimi_bytes_free(&priv);
  }
  mls_proposal_free(&p);
  return err;
}

mimi_err mls_external_propose(const mls_group_context *ctx, uint32_t sender_index,
                              const mls_proposal *p, const uint8_t *sig_priv, size_t sig_priv_len,
                              mls_message *out) {
  mls_framing_epoch ep = {ctx->cipher_suite, ctx, NULL, NULL, NULL};
  mls_framed_content fc;
  memset(&fc, 0, sizeof fc);
  fc.group_id = ctx->group_id; /* views: only signed and copied */
  fc.epoch = ctx->epoch;
  fc.sender.sender_type = MLS_SENDER_EXTERNAL;
  fc.sender.sender_index = sender_index;
  fc.body.content_type = MLS_CONTENT_PROPOSAL;
  fc.body.proposal = *p;
  MIMI_TRY(group_context_default_aad(ctx, &fc.authenticated_data));
  mls_authenticated_content ac;
  mimi_err serr = mls_authenticated_content_sign(&ep, MLS_WIRE_PUBLIC_MESSAGE, &fc, sig_priv,
                                                 sig_priv_len, &ac);
  mimi_bytes_free(&fc.authenticated_data);
  MIMI_TRY(serr);
  mls_message m;
  memset(&m, 0, sizeof m);
  m.version = MLS_VERSION_MLS10;
  m.body.wire_format = MLS_WIRE_PUBLIC_MESSAGE;
  mimi_err err = mls_public_message_protect(&ep, &ac, &m.body.public_message);
  mls_authenticated_content_free(&ac);
  if (err == MIMI_OK) *out = m;
  return err;
}

/* ---- §12.2 validation ---------------------------------------------------- */


/* Every member (but those leaving with this commit) lists proposal type t. */
static bool members_support_proposal(const mls_group *g, uint16_t t, const uint32_t *leaving,
                                     size_t n_leaving) {
  uint32_t n = mls_rtree_leaf_count(g->tree);
  for (uint32_t i = 0; i < n; i++) {
    const mls_leaf_node *l = mls_rtree_leaf(g->tree, i);
    bool gone = false;
    for (size_t k = 0; k < n_leaving; k++) gone = gone || leaving[k] == i;
    if (l != NULL && !gone &&
        !group_u16_in(l->capabilities.proposals, l->capabilities.proposals_count, t))
      return false;
  }
  return true;
}

/* §12.1.7: every member supports the new extensions and meets their
 * required_capabilities. */
static mimi_err check_gce(const mls_group *g, const mls_group_context_extensions *gce) {
  uint32_t n = mls_rtree_leaf_count(g->tree);
  for (uint32_t i = 0; i < n; i++) {
    const mls_leaf_node *l = mls_rtree_leaf(g->tree, i);
    if (l == NULL) continue;
    for (size_t k = 0; k < gce->extensions_count; k++) {
      uint16_t t = gce->extensions[k].extension_type;
      if (!group_default_extension(t) &&
          !group_u16_in(l->capabilities.extensions, l->capabilities.extensions_count, t))
        return MIMI_ERR_BAD_PROPOSAL;
    }
    MIMI_TRY(group_check_required(gce->extensions, gce->extensions_count, &l->capabilities));
  }
  return group_check_gce_dictionary(g, gce);
}

/* A key already used by a node of the tree (§7.3 uniqueness). */
static bool key_in_tree(const mls_rtree *t, const mimi_bytes *key, bool signature) {
  uint32_t n = mls_rtree_leaf_count(t);
  for (uint32_t i = 0; i < 2 * n - 1; i++) {
    const mls_node *nd = mls_rtree_node(t, i);
    if (nd == NULL) continue;
    const mimi_bytes *k;
    if (nd->node_type == MLS_NODE_LEAF)
      k = signature ? &nd->leaf_node.signature_key : &nd->leaf_node.encryption_key;
    else if (!signature)
      k = &nd->parent_node.encryption_key;
    else
      continue;
    if (k->len == key->len && memcmp(k->data, key->data, k->len) == 0) return true;
  }
  return false;
}

static mimi_err check_add(const mls_group *g, const mls_proposal *list, size_t n, size_t i,
                          const uint32_t *removed, size_t n_removed) {
  const mls_key_package *kp = &list[i].add.key_package;
  MIMI_TRY(mls_key_package_validate(kp, g->suite->id, g->cfg.now));
  const mls_leaf_node *leaf = &kp->leaf_node;
  if (group_check_required(g->ctx.extensions, g->ctx.extensions_count, &leaf->capabilities) !=
      MIMI_OK)
    return MIMI_ERR_BAD_PROPOSAL;
  for (size_t k = 0; k < n; k++)
    if (k != i && list[k].proposal_type == MLS_PROPOSAL_ADD &&
        mimi_bytes_eq(&list[k].add.key_package.leaf_node.signature_key, &leaf->signature_key))
      return MIMI_ERR_BAD_PROPOSAL;
  /* the same client already in the group, unless it is removed here */
  uint32_t nl = mls_rtree_leaf_count(g->tree);
  for (uint32_t m = 0; m < nl; m++) {
    const mls_leaf_node *l = mls_rtree_leaf(g->tree, m);
    if (l == NULL || !mimi_bytes_eq(&l->signature_key, &leaf->signature_key)) continue;
    bool gone = false;
    for (size_t k = 0; k < n_removed; k++) gone = gone || removed[k] == m;
    if (!gone) return MIMI_ERR_BAD_PROPOSAL;
  }
  if (key_in_tree(g->tree, &leaf->encryption_key, false)) return MIMI_ERR_BAD_PROPOSAL;
  return MIMI_OK;
}

static mimi_err check_update(const mls_group *g, const mls_leaf_node *leaf, uint32_t from) {
  if (leaf->source.leaf_node_source != MLS_LEAF_SOURCE_UPDATE) return MIMI_ERR_BAD_PROPOSAL;
  MIMI_TRY(mls_leaf_node_verify(g->suite->id, leaf, g->ctx.group_id.data, g->ctx.group_id.len,
                                from));
  if (group_check_required(g->ctx.extensions, g->ctx.extensions_count, &leaf->capabilities) !=
      MIMI_OK)
    return MIMI_ERR_BAD_PROPOSAL;
  if (key_in_tree(g->tree, &leaf->encryption_key, false)) return MIMI_ERR_BAD_PROPOSAL;
  return MIMI_OK;
}

static mimi_err check_psk(const mls_group *g, const mls_proposal *list, size_t i) {
  const mls_pre_shared_key_id *id = &list[i].psk.psk;
  /* §11.2 / §11.3: reinit and branch PSKs only in a successor's first
   * commit, and only the one it was created with */
  bool successor = g->successor_id != NULL && g->ctx.epoch == 0 &&
                   mls_pre_shared_key_id_equal(g->successor_id, id);
  if (id->source.psktype == MLS_PSK_RESUMPTION) {
    if (id->source.resumption.usage != MLS_RESUMPTION_APPLICATION && !successor)
      return MIMI_ERR_BAD_PROPOSAL;
  } else if (id->source.psktype != MLS_PSK_EXTERNAL) {
    return MIMI_ERR_BAD_PROPOSAL;
  }
  if (id->psk_nonce.len != g->suite->hash_len) return MIMI_ERR_BAD_PROPOSAL;
  for (size_t k = 0; k < i; k++)
    if (list[k].proposal_type == MLS_PROPOSAL_PSK &&
        mls_pre_shared_key_id_equal(&list[k].psk.psk, id))
      return MIMI_ERR_BAD_PROPOSAL;
  return MIMI_OK;
}

/* The leaf a proposal updates or removes, GROUP_NO_LEAF for others. */
static uint32_t touched_leaf(const mls_proposal *p, uint32_t from) {
  switch (p->proposal_type) {
    case MLS_PROPOSAL_UPDATE:
    case MLS_PROPOSAL_SELF_REMOVE:
      return from;
    case MLS_PROPOSAL_REMOVE:
      return p->remove.removed;
    default:
      return GROUP_NO_LEAF;
  }
}

static mimi_err check_one(const mls_group *g, uint32_t committer, const mls_proposal *list,
                          const uint32_t *proposers, const bool *by_value, size_t n, size_t i,
                          const uint32_t *leaving, size_t n_leaving) {
  const mls_proposal *p = &list[i];
  uint32_t from = by_value[i] ? committer : proposers[i];
  bool external = committer == GROUP_NO_LEAF;
  switch (p->proposal_type) {
    case MLS_PROPOSAL_ADD:
      if (external) return MIMI_ERR_BAD_PROPOSAL;
      return check_add(g, list, n, i, leaving, n_leaving);
    case MLS_PROPOSAL_UPDATE:
      if (external || by_value[i] || from == committer || from == GROUP_NO_LEAF ||
          mls_rtree_leaf(g->tree, from) == NULL)
        return MIMI_ERR_BAD_PROPOSAL;
      return check_update(g, &p->update.leaf_node, from);
    case MLS_PROPOSAL_REMOVE:
      if (mls_rtree_leaf(g->tree, p->remove.removed) == NULL) return MIMI_ERR_BAD_PROPOSAL;
      if (!external && p->remove.removed == committer) return MIMI_ERR_BAD_PROPOSAL;
      return MIMI_OK;
    case MLS_PROPOSAL_SELF_REMOVE:
      /* ext §SelfRemove: by reference only, also in external commits */
      if (by_value[i] || from == committer || from == GROUP_NO_LEAF ||
          mls_rtree_leaf(g->tree, from) == NULL)
        return MIMI_ERR_BAD_PROPOSAL;
      return MIMI_OK;
    case MLS_PROPOSAL_PSK:
      return check_psk(g, list, i);
    case MLS_PROPOSAL_REINIT:
      if (external || n != 1 || p->reinit.version < g->ctx.version) return MIMI_ERR_BAD_PROPOSAL;
      return MIMI_OK;
    case MLS_PROPOSAL_EXTERNAL_INIT:
      return external ? MIMI_OK : MIMI_ERR_BAD_PROPOSAL;
    case MLS_PROPOSAL_GROUP_CONTEXT_EXTENSIONS:
      if (external) return MIMI_ERR_BAD_PROPOSAL;
      for (size_t k = 0; k < i; k++)
        if (list[k].proposal_type == MLS_PROPOSAL_GROUP_CONTEXT_EXTENSIONS)
          return MIMI_ERR_BAD_PROPOSAL;
      return check_gce(g, &p->group_context_extensions);
    case MLS_PROPOSAL_APP_DATA_UPDATE:
    case MLS_PROPOSAL_APP_EPHEMERAL:
      return group_check_app_proposal(g, list, n, i);
    default:
      /* types we cannot apply */
      return MIMI_ERR_BAD_PROPOSAL;
  }
}

mimi_err mls_group_check_proposals(const mls_group *g, uint32_t committer,
                                   const mls_proposal *list, const uint32_t *proposers,
                                   const bool *by_value, size_t n) {
  bool external = committer == GROUP_NO_LEAF;
  uint32_t *leaving = n > 0 ? calloc(n, sizeof *leaving) : NULL;
  if (n > 0 && leaving == NULL) return MIMI_ERR_NOMEM;
  size_t n_leaving = 0, n_remove = 0, n_ext_init = 0;
  mimi_err err = MIMI_OK;
  /* one Update/Remove/SelfRemove per leaf */
  for (size_t i = 0; err == MIMI_OK && i < n; i++) {
    uint32_t from = by_value[i] ? committer : proposers[i];
    uint32_t t = touched_leaf(&list[i], from);
    if (list[i].proposal_type == MLS_PROPOSAL_REMOVE) n_remove++;
    if (list[i].proposal_type == MLS_PROPOSAL_EXTERNAL_INIT) n_ext_init++;
    if (t == GROUP_NO_LEAF) continue;
    for (size_t k = 0; k < n_leaving; k++)
      if (leaving[k] == t) err = MIMI_ERR_BAD_PROPOSAL;
    leaving[n_leaving++] = t;
  }
  if (err == MIMI_OK && external && (n_ext_init != 1 || n_remove > 1)) err = MIMI_ERR_BAD_PROPOSAL;
  /* only removed leaves may skip a non-default proposal type */
  size_t n_gone = 0;
  for (size_t i = 0; i < n_leaving; i++) {
    bool removal = false;
    for (size_t k = 0; k < n; k++) {
      uint32_t from = by_value[k] ? committer : proposers[k];
      uint16_t ty = list[k].proposal_type;
      if ((ty == MLS_PROPOSAL_REMOVE && list[k].remove.removed == leaving[i]) ||
          (ty == MLS_PROPOSAL_SELF_REMOVE && from == leaving[i]))
        removal = true;
    }
    if (removal) leaving[n_gone++] = leaving[i];
  }
  for (size_t i = 0; err == MIMI_OK && i < n; i++) {
    uint16_t t = list[i].proposal_type;
    if (!group_default_proposal(t) && !members_support_proposal(g, t, leaving, n_gone))
      err = MIMI_ERR_BAD_PROPOSAL;
    if (err == MIMI_OK)
      err = check_one(g, committer, list, proposers, by_value, n, i, leaving, n_gone);
  }
  free(leaving);
  return err;
}

/* ---- §12.3 applying ------------------------------------------------------ */

bool group_path_required(const group_proposal_list *list) {
  if (list->n == 0 || list->committer == GROUP_NO_LEAF) return true;
  for (size_t i = 0; i < list->n; i++) {
    switch (list->props[i].proposal_type) {
      case MLS_PROPOSAL_UPDATE:
      case MLS_PROPOSAL_REMOVE:
      case MLS_PROPOSAL_EXTERNAL_INIT:
      case MLS_PROPOSAL_GROUP_CONTEXT_EXTENSIONS:
      case MLS_PROPOSAL_SELF_REMOVE:
        return true;
      default:
        break;
    }
  }
  return false;
}

static mimi_err replace_extensions(mls_group_context *ctx, const mls_group_context_extensions *e) {
  mls_group_context_extensions cur = {ctx->extensions, ctx->extensions_count};
  mls_group_context_extensions copy;
  MIMI_TRY(mimi_clone(mls_group_context_extensions_type(), &copy, e));
  mls_group_context_extensions_free(&cur);
  ctx->extensions = copy.extensions;
  ctx->extensions_count = copy.extensions_count;
  return MIMI_OK;
}

/* Our own committed Update: the private key kept when we proposed it. */
static mimi_err take_own_update(const mls_group *g, mls_group *next, const mls_leaf_node *leaf) {
  for (size_t i = 0; i < g->n_own_updates; i++) {
    mimi_bytes pub;
    const mimi_bytes *priv = &g->own_updates[i].encryption_priv;
    MIMI_TRY(mimi_kem_public_key(g->suite->kem, priv->data, priv->len, &pub));
    bool match = mimi_bytes_eq(&pub, &leaf->encryption_key);
    mimi_bytes_free(&pub);
    if (!match) continue;
    mls_treekem_private *p;
    MIMI_TRY(mls_treekem_private_new(&p, g->suite->id, g->own_leaf, priv->data, priv->len));
    mls_treekem_private_free(next->priv);
    next->priv = p;
    return MIMI_OK;
  }
  return MIMI_ERR_BAD_PROPOSAL;
}

mimi_err group_apply_proposals(const mls_group *g, mls_group *next,
                               const group_proposal_list *list, uint32_t *added,
                               size_t *n_added, bool *self_removed) {
  *n_added = 0;
  *self_removed = false;
  for (size_t i = 0; i < list->n; i++)
    if (list->props[i].proposal_type == MLS_PROPOSAL_GROUP_CONTEXT_EXTENSIONS)
      MIMI_TRY(replace_extensions(&next->ctx, &list->props[i].group_context_extensions));
  for (size_t i = 0; i < list->n; i++) {
    if (list->props[i].proposal_type != MLS_PROPOSAL_UPDATE) continue;
    uint32_t from = list->proposers[i];
    MIMI_TRY(mls_rtree_update(next->tree, from, &list->props[i].update.leaf_node));
    if (from == g->own_leaf) MIMI_TRY(take_own_update(g, next, &list->props[i].update.leaf_node));
  }
  for (size_t i = 0; i < list->n; i++) {
    const mls_proposal *p = &list->props[i];
    uint32_t leaf;
    if (p->proposal_type == MLS_PROPOSAL_REMOVE)
      leaf = p->remove.removed;
    else if (p->proposal_type == MLS_PROPOSAL_SELF_REMOVE)
      leaf = list->by_value[i] ? list->committer : list->proposers[i];
    else
      continue;
    MIMI_TRY(mls_rtree_remove(next->tree, leaf));
    if (leaf == g->own_leaf) *self_removed = true;
  }
  for (size_t i = 0; i < list->n && next->reinit == NULL; i++) {
    if (list->props[i].proposal_type != MLS_PROPOSAL_REINIT) continue;
    next->reinit = calloc(1, sizeof *next->reinit);
    if (next->reinit == NULL) return MIMI_ERR_NOMEM;
    MIMI_TRY(mimi_clone(mls_reinit_type(), next->reinit, &list->props[i].reinit));
  }
  for (size_t i = 0; i < list->n; i++) {
    if (list->props[i].proposal_type != MLS_PROPOSAL_ADD) continue;
    MIMI_TRY(mls_rtree_add(next->tree, &list->props[i].add.key_package.leaf_node,
                           &added[*n_added]));
    (*n_added)++;
  }
  MIMI_TRY(group_apply_app_proposals(g, next, list));
  MIMI_TRY(group_check_required_components(&next->ctx, next->tree, NULL));
  return group_run_commit_hook(g, next, list);
}
