/* external_join.c — joining by external commit (RFC 9420 §12.4.3.2): from
 * a GroupInfo with external_pub, the joiner derives the init secret by
 * ExternalInit, takes a leaf (optionally removing its old one to resync),
 * sends an UpdatePath and computes the new epoch as members will. Members
 * process such a commit in commit.c. */
#include <stdlib.h>
#include <string.h>

#include "group_internal.h"

/* The epoch the GroupInfo describes, as far as a non-member knows it:
 * context, tree, interim transcript hash. */
static mimi_err load_prev(mls_group *prev, const mls_group_info *gi, const mls_ratchet_tree *tree) {
  const mimi_suite *s = prev->suite;
  const mls_group_context *gc = &gi->group_context;
  /* the confirmed transcript hash is empty only in a new group's epoch 0 */
  size_t ch = gc->confirmed_transcript_hash.len;
  if ((ch != s->hash_len && !(ch == 0 && gc->epoch == 0)) || gi->confirmation_tag.len == 0)
    return MIMI_ERR_BAD_WELCOME;
  MIMI_TRY(group_load_group_info(gi, tree, &prev->tree));
  MIMI_TRY(mimi_clone(mls_group_context_type(), &prev->ctx, gc));
  return group_interim(s, gc->confirmed_transcript_hash.data, ch, &gi->confirmation_tag,
                       prev->interim);
}

typedef struct {
  mls_group *prev, *next;
  /* ExternalInit, the optional Remove, then SelfRemoves by reference */
  mls_proposal *props;
  uint32_t *proposers;
  bool *by_value;
  uint8_t (*refs)[MIMI_MAX_HASH];
  size_t n;
  mls_framed_content fc;
  mls_authenticated_content ac;
} ext_work;

static mimi_err work_alloc(ext_work *w, size_t cap) {
  w->props = calloc(cap, sizeof *w->props);
  w->proposers = calloc(cap, sizeof *w->proposers);
  w->by_value = calloc(cap, sizeof *w->by_value);
  w->refs = calloc(cap, sizeof *w->refs);
  if (w->props == NULL || w->proposers == NULL || w->by_value == NULL || w->refs == NULL)
    return MIMI_ERR_NOMEM;
  return MIMI_OK;
}

/* ext §SelfRemove: a pending SelfRemove the joiner commits by reference,
 * checked like a member's proposal of the GroupInfo's epoch except for the
 * membership tag, which a non-member cannot verify. */
static mimi_err take_self_remove(ext_work *w, const mls_message *msg) {
  mls_group *prev = w->prev;
  if (msg->version != MLS_VERSION_MLS10 || msg->body.wire_format != MLS_WIRE_PUBLIC_MESSAGE)
    return MIMI_ERR_BAD_PROPOSAL;
  const mls_public_message *pm = &msg->body.public_message;
  const mls_framed_content *fc = &pm->content;
  if (fc->body.content_type != MLS_CONTENT_PROPOSAL ||
      fc->body.proposal.proposal_type != MLS_PROPOSAL_SELF_REMOVE ||
      fc->sender.sender_type != MLS_SENDER_MEMBER)
    return MIMI_ERR_BAD_PROPOSAL;
  if (!mimi_bytes_eq(&fc->group_id, &prev->ctx.group_id)) return MIMI_ERR_WRONG_GROUP;
  if (fc->epoch != prev->ctx.epoch) return MIMI_ERR_WRONG_EPOCH;
  const mls_leaf_node *leaf = mls_rtree_leaf(prev->tree, fc->sender.leaf_index);
  if (leaf == NULL) return MIMI_ERR_BAD_SENDER;
  MIMI_TRY(group_check_aad(prev, &fc->authenticated_data));
  mls_authenticated_content view;
  memset(&view, 0, sizeof view);
  view.wire_format = MLS_WIRE_PUBLIC_MESSAGE;
  view.content = *fc;
  view.signature = pm->signature;
  mls_framing_epoch ep = group_framing(prev);
  MIMI_TRY(mls_authenticated_content_verify(&ep, &view, leaf->signature_key.data,
                                            leaf->signature_key.len));
  mimi_bytes enc;
  MIMI_TRY(mls_authenticated_content_encode(&view, &enc));
  mimi_err err = mls_make_proposal_ref(prev->suite->id, enc.data, enc.len, w->refs[w->n]);
  mimi_bytes_free(&enc);
  MIMI_TRY(err);
  w->props[w->n].proposal_type = MLS_PROPOSAL_SELF_REMOVE;
  w->proposers[w->n] = fc->sender.leaf_index;
  w->by_value[w->n] = false;
  w->n++;
  return MIMI_OK;
}

static mimi_err external_init(const mls_group_info *gi, const mimi_rng *rng, ext_work *w,
                              uint8_t *init_secret) {
  const mls_extension *e =
      group_find_extension(gi->extensions, gi->extensions_count, MLS_EXT_EXTERNAL_PUB);
  if (e == NULL) return MIMI_ERR_BAD_WELCOME;
  mls_external_pub ep;
  MIMI_TRY(mls_external_pub_decode(e->extension_data.data, e->extension_data.len, &ep));
  mls_proposal *p = &w->props[w->n++];
  p->proposal_type = MLS_PROPOSAL_EXTERNAL_INIT;
  mimi_err err = mls_external_init_join(w->prev->suite->id, ep.external_pub.data,
                                        ep.external_pub.len, rng, &p->external_init.kem_output,
                                        init_secret);
  mls_external_pub_free(&ep);
  return err;
}

static mimi_err build(ext_work *w, const mls_group_info *gi, const mls_ratchet_tree *tree,
                      const mls_key_package_bundle *kp, uint32_t resync_leaf,
                      const mls_message *self_removes, size_t n_self_removes,
                      const mimi_rng *rng, mls_message *out) {
  mls_group *prev = w->prev;
  const mimi_suite *s = prev->suite;
  MIMI_TRY(load_prev(prev, gi, tree));
  uint8_t init_secret[MIMI_MAX_HASH], commit_secret[MIMI_MAX_HASH];
  w->proposers[0] = GROUP_NO_LEAF;
  w->by_value[0] = true;
  mimi_err err = external_init(gi, rng, w, init_secret);
  if (err == MIMI_OK && resync_leaf != GROUP_NO_LEAF) {
    w->props[w->n].proposal_type = MLS_PROPOSAL_REMOVE;
    w->proposers[w->n] = GROUP_NO_LEAF;
    w->by_value[w->n] = true;
    w->props[w->n++].remove.removed = resync_leaf;
  }
  for (size_t i = 0; err == MIMI_OK && i < n_self_removes; i++)
    err = take_self_remove(w, &self_removes[i]);
  if (err == MIMI_OK)
    err = mls_group_check_proposals(prev, GROUP_NO_LEAF, w->props, w->proposers, w->by_value, w->n);
  group_proposal_list list = {GROUP_NO_LEAF, w->props, w->proposers, w->by_value, w->n};
  if (err == MIMI_OK) err = group_next_alloc(prev, &w->next);
  size_t n_added = 0;
  bool removed = false;
  uint32_t added[1];
  if (err == MIMI_OK) err = group_apply_proposals(prev, w->next, &list, added, &n_added, &removed);
  if (err == MIMI_OK)
    err = mls_rtree_add(w->next->tree, &kp->key_package.leaf_node, &w->next->own_leaf);
  mls_update_path path;
  memset(&path, 0, sizeof path);
  mls_treekem_private *np = NULL;
  if (err == MIMI_OK)
    err = mls_treekem_encap(w->next->tree, w->next->own_leaf, &kp->key_package.leaf_node,
                            prev->sig_priv.data, prev->sig_priv.len, &w->next->ctx, NULL, 0, rng,
                            &path, &np, commit_secret);
  if (err == MIMI_OK) {
    mls_treekem_private_free(w->next->priv);
    w->next->priv = np;
  }
  /* the commit: proposals inline, the path, from a new member */
  mls_commit *c = &w->fc.body.commit;
  w->fc.body.content_type = MLS_CONTENT_COMMIT;
  w->fc.sender.sender_type = MLS_SENDER_NEW_MEMBER_COMMIT;
  w->fc.epoch = prev->ctx.epoch;
  if (err == MIMI_OK) err = mimi_bytes_dup(&w->fc.group_id, &prev->ctx.group_id);
  if (err == MIMI_OK) err = group_default_aad(prev, &w->fc.authenticated_data);
  if (err == MIMI_OK && (c->proposals = calloc(w->n, sizeof *c->proposals)) == NULL)
    err = MIMI_ERR_NOMEM;
  for (size_t i = 0; err == MIMI_OK && i < w->n; i++) {
    if (w->by_value[i]) {
      c->proposals[i].type = MLS_PROPOSAL_OR_REF_PROPOSAL;
      err = mimi_clone(mls_proposal_type(), &c->proposals[i].proposal, &w->props[i]);
    } else {
      c->proposals[i].type = MLS_PROPOSAL_OR_REF_REFERENCE;
      err = mimi_bytes_copy(&c->proposals[i].reference, w->refs[i], s->hash_len);
    }
    c->proposals_count = i + 1;
  }
  if (err == MIMI_OK && (c->path = malloc(sizeof *c->path)) == NULL) err = MIMI_ERR_NOMEM;
  if (err == MIMI_OK) {
    *c->path = path;
    memset(&path, 0, sizeof path);
  }
  mls_update_path_free(&path);
  mls_framing_epoch ep = group_framing(prev);
  ep.membership_key = NULL;
  if (err == MIMI_OK)
    err = mls_authenticated_content_sign(&ep, MLS_WIRE_PUBLIC_MESSAGE, &w->fc, prev->sig_priv.data,
                                         prev->sig_priv.len, &w->ac);
  mimi_bytes tag = {NULL, 0};
  if (err == MIMI_OK)
    err = group_finish_epoch(prev, w->next, &list, init_secret, commit_secret, &w->ac, &tag);
  if (err == MIMI_OK) {
    mimi_bytes_free(&w->ac.confirmation_tag);
    w->ac.confirmation_tag = tag;
  }
  mimi_secure_zero(init_secret, sizeof init_secret);
  mimi_secure_zero(commit_secret, sizeof commit_secret);
  mls_message m;
  memset(&m, 0, sizeof m);
  m.version = MLS_VERSION_MLS10;
  m.body.wire_format = MLS_WIRE_PUBLIC_MESSAGE;
  if (err == MIMI_OK) err = mls_public_message_protect(&ep, &w->ac, &m.body.public_message);
  if (err == MIMI_OK) *out = m;
  (void)s;
  return err;
}

mimi_err mls_group_join_external(mls_group **out, const mls_group_info *gi,
                                 const mls_ratchet_tree *tree,
                                 const mls_key_package_bundle *leaf_kp, const uint8_t *sig_priv,
                                 size_t sig_priv_len, uint32_t resync_leaf,
                                 const mls_group_config *cfg, const mimi_rng *rng,
                                 mls_message *commit) {
  return mls_group_join_external_self_removes(out, gi, tree, leaf_kp, sig_priv, sig_priv_len,
                                              resync_leaf, NULL, 0, cfg, rng, commit);
}

mimi_err mls_group_join_external_self_removes(
    mls_group **out, const mls_group_info *gi, const mls_ratchet_tree *tree,
    const mls_key_package_bundle *leaf_kp, const uint8_t *sig_priv, size_t sig_priv_len,
    uint32_t resync_leaf, const mls_message *self_removes, size_t n_self_removes,
    const mls_group_config *cfg, const mimi_rng *rng, mls_message *commit) {
  const mimi_suite *s = mimi_suite_get(gi->group_context.cipher_suite);
  if (s == NULL || leaf_kp->key_package.cipher_suite != s->id) return MIMI_ERR_BAD_WELCOME;
  if (n_self_removes > UINT16_MAX || (n_self_removes > 0 && self_removes == NULL))
    return MIMI_ERR_INVALID_ARG;
  ext_work w;
  memset(&w, 0, sizeof w);
  mimi_err err = work_alloc(&w, 2 + n_self_removes);
  if (err == MIMI_OK) err = group_alloc(&w.prev, s, cfg, sig_priv, sig_priv_len);
  if (err == MIMI_OK)
    err = build(&w, gi, tree, leaf_kp, resync_leaf, self_removes, n_self_removes, rng, commit);
  if (err == MIMI_OK) {
    *out = w.next;
    w.next = NULL;
  }
  mls_group_free(w.next);
  mls_group_free(w.prev);
  for (size_t i = 0; i < w.n; i++)
    if (w.props[i].proposal_type == MLS_PROPOSAL_EXTERNAL_INIT) mls_proposal_free(&w.props[i]);
  mls_framed_content_free(&w.fc);
  mls_authenticated_content_free(&w.ac);
  free(w.props);
  free(w.proposers);
  free(w.by_value);
  free(w.refs);
  return err;
}

mimi_err group_load_epoch_from_info(mls_group *g, const mls_group_info *gi,
                                    const mls_ratchet_tree *tree) {
  return load_prev(g, gi, tree);
}
