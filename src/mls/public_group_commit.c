/* public_group_commit.c — a commit as the hub sees it (RFC 9420 §12.4.2
 * without the secrets): the member engine's proposal rules and application
 * on the public state, the UpdatePath's public keys merged, the next
 * GroupContext and transcript hashes, the room policy's verdict, and the
 * infallible merge. */
#include <stdlib.h>
#include <string.h>

#include "public_group_internal.h"

struct mls_public_staged_commit {
  mls_group *next;
  mls_authenticated_content ac; /* the commit; inline proposals live here */
  mls_proposal *props;          /* owned copies, so the view outlives the cache */
  uint32_t *proposers;
  bool *by_value;
  size_t n;
  uint32_t *added;
  mls_public_commit_view view;
};

void mls_public_staged_commit_free(mls_public_staged_commit *sc) {
  if (sc == NULL) return;
  mls_group_free(sc->next);
  mls_authenticated_content_free(&sc->ac);
  for (size_t i = 0; i < sc->n; i++) mls_proposal_free(&sc->props[i]);
  free(sc->props);
  free(sc->proposers);
  free(sc->by_value);
  free(sc->added);
  free(sc);
}

const mls_public_commit_view *mls_public_staged_commit_view(const mls_public_staged_commit *sc) {
  return &sc->view;
}

/* The resolved list as owned arrays in sc. */
static mimi_err keep_list(mls_public_staged_commit *sc, const group_proposal_list *l) {
  if (l->n == 0) return MIMI_OK;
  sc->props = calloc(l->n, sizeof *sc->props);
  sc->proposers = calloc(l->n, sizeof *sc->proposers);
  sc->by_value = calloc(l->n, sizeof *sc->by_value);
  sc->added = calloc(l->n, sizeof *sc->added);
  if (sc->props == NULL || sc->proposers == NULL || sc->by_value == NULL || sc->added == NULL)
    return MIMI_ERR_NOMEM;
  for (size_t i = 0; i < l->n; i++) {
    MIMI_TRY(mimi_clone(mls_proposal_type(), &sc->props[i], &l->props[i]));
    sc->n = i + 1;
    sc->proposers[i] = l->proposers[i];
    sc->by_value[i] = l->by_value[i];
  }
  return MIMI_OK;
}

/* §8.2, §12.4.2: the new tree hash, confirmed transcript hash (from the
 * commit) and interim hash (from its confirmation tag, unverified here). */
static mimi_err finish_public_epoch(const mls_group *g, mls_group *next,
                                    const mls_authenticated_content *ac) {
  size_t nh = g->suite->hash_len;
  uint8_t tree_hash[MIMI_MAX_HASH], confirmed[MIMI_MAX_HASH];
  MIMI_TRY(mls_rtree_root_hash(next->tree, tree_hash));
  MIMI_TRY(mls_transcript_hashes_update(g->suite->id, g->interim, nh, ac, confirmed,
                                        next->interim));
  mimi_bytes fresh[3] = {{NULL, 0}, {NULL, 0}, {NULL, 0}};
  mimi_err err = mimi_bytes_copy(&fresh[0], tree_hash, nh);
  if (err == MIMI_OK) err = mimi_bytes_copy(&fresh[1], confirmed, nh);
  if (err == MIMI_OK) err = mimi_bytes_dup(&fresh[2], &ac->confirmation_tag);
  mimi_bytes *slots[3] = {&next->ctx.tree_hash, &next->ctx.confirmed_transcript_hash,
                          &next->confirmation_tag};
  for (size_t i = 0; i < 3; i++) {
    if (err != MIMI_OK) {
      mimi_bytes_free(&fresh[i]);
      continue;
    }
    mimi_bytes_free(slots[i]);
    *slots[i] = fresh[i];
  }
  return err;
}

static mimi_err committer_of(const mls_group *g, const mls_framed_content *fc, uint32_t *out) {
  if (fc->sender.sender_type == MLS_SENDER_MEMBER) {
    if (mls_rtree_leaf(g->tree, fc->sender.leaf_index) == NULL) return MIMI_ERR_BAD_SENDER;
    *out = fc->sender.leaf_index;
    return MIMI_OK;
  }
  if (fc->sender.sender_type == MLS_SENDER_NEW_MEMBER_COMMIT) {
    *out = GROUP_NO_LEAF;
    return MIMI_OK;
  }
  return MIMI_ERR_BAD_SENDER;
}

static mimi_err stage(const mls_public_group *pg, mls_public_staged_commit *sc,
                      group_proposal_list *list) {
  const mls_group *g = pg->state;
  const mls_authenticated_content *ac = &sc->ac;
  /* the MAC itself needs confirmation_key; its size does not */
  if (ac->confirmation_tag.len != g->suite->hash_len) return MIMI_ERR_BAD_MAC;
  uint32_t committer;
  MIMI_TRY(committer_of(g, &ac->content, &committer));
  const mls_commit *c = &ac->content.body.commit;
  MIMI_TRY(group_resolve_commit(g, c, committer, list));
  MIMI_TRY(mls_group_check_proposals(g, committer, list->props, list->proposers,
                                     list->by_value, list->n));
  if (group_path_required(list) && c->path == NULL) return MIMI_ERR_BAD_COMMIT;
  MIMI_TRY(keep_list(sc, list));
  MIMI_TRY(group_next_alloc(g, &sc->next));
  mls_group *next = sc->next;
  size_t n_added = 0;
  bool removed = false; /* the shell has no leaf of its own to lose */
  MIMI_TRY(group_apply_proposals(g, next, list, sc->added, &n_added, &removed));
  uint32_t sender = committer;
  if (committer == GROUP_NO_LEAF) MIMI_TRY(group_add_external_committer(next, c->path, &sender));
  if (c->path != NULL)
    MIMI_TRY(mls_rtree_merge_update_path(next->tree, sender, c->path, g->ctx.group_id.data,
                                         g->ctx.group_id.len));
  MIMI_TRY(finish_public_epoch(g, next, ac));
  mls_public_commit_view *v = &sc->view;
  v->committer = committer;
  v->committer_leaf = sender;
  v->committer_node = mls_rtree_leaf(next->tree, sender);
  v->proposals = sc->props;
  v->proposers = sc->proposers;
  v->by_value = sc->by_value;
  v->n_proposals = sc->n;
  v->added = sc->added;
  v->n_added = n_added;
  v->has_path = c->path != NULL;
  v->next_context = &next->ctx;
  v->next_tree = next->tree;
  const mls_public_group_policy *pol = pg->cfg.policy;
  if (pol != NULL && pol->check_commit != NULL) MIMI_TRY(pol->check_commit(pol->ctx, pg, v));
  return MIMI_OK;
}

mimi_err mls_public_group_stage_commit(const mls_public_group *pg, const mls_message *msg,
                                       mls_public_staged_commit **out) {
  mls_public_staged_commit *sc = calloc(1, sizeof *sc);
  if (sc == NULL) return MIMI_ERR_NOMEM;
  mimi_err err = public_group_read(pg, msg, MLS_CONTENT_COMMIT, &sc->ac);
  if (err != MIMI_OK) {
    free(sc);
    return err;
  }
  group_proposal_list list;
  memset(&list, 0, sizeof list);
  err = stage(pg, sc, &list);
  group_proposal_list_free(&list);
  if (err != MIMI_OK) {
    mls_public_staged_commit_free(sc);
    return err;
  }
  *out = sc;
  return MIMI_OK;
}

void mls_public_group_merge(mls_public_group *pg, mls_public_staged_commit *sc) {
  mls_group_free(pg->state);
  pg->state = sc->next;
  sc->next = NULL;
  mls_public_staged_commit_free(sc);
  public_group_replace_info(pg, NULL);
}

mimi_err mls_public_group_process_commit(mls_public_group *pg, const mls_message *msg) {
  mls_public_staged_commit *sc;
  MIMI_TRY(mls_public_group_stage_commit(pg, msg, &sc));
  mls_public_group_merge(pg, sc);
  return MIMI_OK;
}
