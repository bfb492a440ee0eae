/* commit.c — Commits (RFC 9420 §12.4): the next epoch's key schedule and
 * transcript, creating our own commit (kept pending), and staging a
 * received one after every §12.4.2 check. */
#include <stdlib.h>
#include <string.h>

#include "group_internal.h"

mimi_err group_next_alloc(const mls_group *g, mls_group **out) {
  mls_group *n;
  MIMI_TRY(group_alloc(&n, g->suite, &g->cfg, g->sig_priv.data, g->sig_priv.len));
  n->own_leaf = g->own_leaf;
  mimi_err err = mls_rtree_clone(&n->tree, g->tree);
  if (err == MIMI_OK && g->priv != NULL) err = mls_treekem_private_clone(&n->priv, g->priv);
  if (err == MIMI_OK) err = mimi_clone(mls_group_context_type(), &n->ctx, &g->ctx);
  if (err == MIMI_OK && g->reinit != NULL) { /* a frozen group stays frozen */
    n->reinit = calloc(1, sizeof *n->reinit);
    err = n->reinit == NULL ? MIMI_ERR_NOMEM : mimi_clone(mls_reinit_type(), n->reinit, g->reinit);
  }
  if (err != MIMI_OK) {
    mls_group_free(n);
    return err;
  }
  n->ctx.epoch = g->ctx.epoch + 1;
  *out = n;
  return MIMI_OK;
}

mimi_err group_list_psks(const group_proposal_list *list, const mls_pre_shared_key_id ***ids,
                         size_t *n) {
  *ids = NULL;
  *n = 0;
  size_t count = 0;
  for (size_t i = 0; i < list->n; i++) count += list->props[i].proposal_type == MLS_PROPOSAL_PSK;
  if (count == 0) return MIMI_OK;
  const mls_pre_shared_key_id **l = calloc(count, sizeof *l);
  if (l == NULL) return MIMI_ERR_NOMEM;
  for (size_t i = 0; i < list->n; i++)
    if (list->props[i].proposal_type == MLS_PROPOSAL_PSK) l[(*n)++] = &list->props[i].psk.psk;
  *ids = l;
  return MIMI_OK;
}

static mimi_err set_bytes(mimi_bytes *b, const uint8_t *data, size_t len) {
  mimi_bytes nb;
  MIMI_TRY(mimi_bytes_copy(&nb, data, len));
  mimi_bytes_free(b);
  *b = nb;
  return MIMI_OK;
}

mimi_err group_finish_epoch(const mls_group *g, mls_group *next, const group_proposal_list *list,
                            const uint8_t *init_secret, const uint8_t *commit_secret,
                            const mls_authenticated_content *ac, mimi_bytes *tag_out) {
  const mimi_suite *s = g->suite;
  size_t nh = s->hash_len;
  uint8_t buf[MIMI_MAX_HASH], confirmed[MIMI_MAX_HASH], psk_secret[MIMI_MAX_HASH];
  MIMI_TRY(mls_rtree_root_hash(next->tree, buf));
  MIMI_TRY(set_bytes(&next->ctx.tree_hash, buf, nh));
  MIMI_TRY(mls_transcript_hashes_update(s->id, g->interim, nh, ac, confirmed, buf));
  MIMI_TRY(set_bytes(&next->ctx.confirmed_transcript_hash, confirmed, nh));
  const mls_pre_shared_key_id **ids;
  size_t n_ids;
  MIMI_TRY(group_list_psks(list, &ids, &n_ids));
  mimi_err err = group_psk_secret(g, ids, n_ids, psk_secret);
  free(ids);
  mimi_bytes gc = {NULL, 0};
  if (err == MIMI_OK) err = mls_group_context_encode(&next->ctx, &gc);
  if (err == MIMI_OK)
    err = mls_key_schedule_epoch(&next->secrets, s->id, init_secret, nh, commit_secret, nh,
                                 psk_secret, nh, gc.data, gc.len);
  mimi_bytes_free(&gc);
  mimi_secure_zero(psk_secret, sizeof psk_secret);
  MIMI_TRY(err);
  mimi_bytes tag = {NULL, 0};
  if (tag_out != NULL) {
    MIMI_TRY(mls_confirmation_tag(s->id, next->secrets.confirmation_key, confirmed, &tag));
  } else {
    MIMI_TRY(mls_confirmation_tag_verify(s->id, next->secrets.confirmation_key, confirmed,
                                         &ac->confirmation_tag));
  }
  err = group_interim(s, confirmed, nh, tag_out != NULL ? &tag : &ac->confirmation_tag,
                      next->interim);
  if (err == MIMI_OK) err = group_enter_epoch(next, g->res, g->n_res);
  if (err == MIMI_OK)
    err = mimi_bytes_dup(&next->confirmation_tag, tag_out != NULL ? &tag : &ac->confirmation_tag);
  if (err == MIMI_OK && tag_out != NULL) {
    *tag_out = tag;
  } else {
    mimi_bytes_free(&tag);
  }
  return err;
}

/* The resolved proposal list of a commit: parallel arrays (views into the
 * cache or the commit). */
typedef struct {
  mls_proposal *props;
  uint32_t *proposers;
  bool *by_value;
  size_t n;
} resolved;

static void resolved_free(resolved *r) {
  free(r->props);
  free(r->proposers);
  free(r->by_value);
  memset(r, 0, sizeof *r);
}

static mimi_err resolved_alloc(resolved *r, size_t n) {
  memset(r, 0, sizeof *r);
  if (n == 0) return MIMI_OK;
  r->props = calloc(n, sizeof *r->props);
  r->proposers = calloc(n, sizeof *r->proposers);
  r->by_value = calloc(n, sizeof *r->by_value);
  if (r->props == NULL || r->proposers == NULL || r->by_value == NULL) {
    resolved_free(r);
    return MIMI_ERR_NOMEM;
  }
  return MIMI_OK;
}

static group_proposal_list as_list(const resolved *r, uint32_t committer) {
  group_proposal_list l = {committer, r->props, r->proposers, r->by_value, r->n};
  return l;
}

/* ---- our own commit ----------------------------------------------------- */

typedef struct {
  mls_group *next;
  mls_framed_content fc;
  mls_authenticated_content ac;
  mls_update_path path;
  mls_welcome welcome;
  uint32_t *added;
} commit_work;

static void work_free(commit_work *w) {
  mls_group_free(w->next);
  mls_framed_content_free(&w->fc);
  mls_authenticated_content_free(&w->ac);
  mls_update_path_free(&w->path);
  mls_welcome_free(&w->welcome);
  free(w->added);
}

/* The leaf a cached proposal removes (Remove, SelfRemove) or updates. */
static uint32_t cached_target(const group_cached_proposal *p, bool *removal) {
  *removal = p->proposal.proposal_type != MLS_PROPOSAL_UPDATE;
  switch (p->proposal.proposal_type) {
    case MLS_PROPOSAL_REMOVE:
      return p->proposal.remove.removed;
    case MLS_PROPOSAL_UPDATE:
    case MLS_PROPOSAL_SELF_REMOVE:
      return p->sender;
    default:
      return GROUP_NO_LEAF;
  }
}

/* §12.2 leaves the committer to choose among conflicting proposals: our own
 * Update and SelfRemove (and Removes of us) cannot be committed by us;
 * per leaf the first removal wins over everything else, and otherwise the
 * most recent Update. */
static bool skip_cached(const mls_group *g, size_t i) {
  bool removal, other_removal;
  uint32_t t = cached_target(&g->props[i], &removal);
  if (t == GROUP_NO_LEAF) return false;
  if (t == g->own_leaf) return true;
  for (size_t k = 0; k < g->n_props; k++) {
    if (k == i || cached_target(&g->props[k], &other_removal) != t) continue;
    if (removal && other_removal && k < i) return true;
    if (!removal && (other_removal || k > i)) return true;
  }
  return false;
}

/* The Commit body: cached proposals by reference, then the inline ones. */
static mimi_err commit_body(const mls_group *g, const mls_commit_options *opt, resolved *r,
                            mls_commit *c) {
  size_t n = g->n_props + opt->n_inline;
  MIMI_TRY(resolved_alloc(r, n));
  if (n > 0) {
    c->proposals = calloc(n, sizeof *c->proposals);
    if (c->proposals == NULL) return MIMI_ERR_NOMEM;
  }
  size_t k = 0;
  for (size_t i = 0; i < g->n_props; i++) {
    if (skip_cached(g, i) ||
        !group_app_proposal_acceptable(g, &g->props[i].proposal, g->props[i].sender, g->own_leaf))
      continue;
    mls_proposal_or_ref *por = &c->proposals[k];
    por->type = MLS_PROPOSAL_OR_REF_REFERENCE;
    MIMI_TRY(mimi_bytes_copy(&por->reference, g->props[i].ref, g->suite->hash_len));
    c->proposals_count = k + 1;
    r->props[k] = g->props[i].proposal;
    r->proposers[k] = g->props[i].sender;
    r->n = ++k;
  }
  for (size_t i = 0; i < opt->n_inline; i++) {
    mls_proposal_or_ref *por = &c->proposals[k];
    por->type = MLS_PROPOSAL_OR_REF_PROPOSAL;
    MIMI_TRY(mimi_clone(mls_proposal_type(), &por->proposal, &opt->inline_proposals[i]));
    c->proposals_count = k + 1;
    r->props[k] = opt->inline_proposals[i];
    r->proposers[k] = g->own_leaf;
    r->by_value[k] = true;
    r->n = ++k;
  }
  return MIMI_OK;
}

static mimi_err commit_build(mls_group *g, const mls_commit_options *opt, const mimi_rng *rng,
                             commit_work *w, mls_message *commit_msg) {
  const mimi_suite *s = g->suite;
  resolved r;
  memset(&r, 0, sizeof r);
  MIMI_TRY(group_framed(g, &w->fc));
  w->fc.body.content_type = MLS_CONTENT_COMMIT;
  mimi_err err = commit_body(g, opt, &r, &w->fc.body.commit);
  group_proposal_list list = as_list(&r, g->own_leaf);
  if (err == MIMI_OK)
    err = mls_group_check_proposals(g, g->own_leaf, r.props, r.proposers, r.by_value, r.n);
  if (err == MIMI_OK) err = group_next_alloc(g, &w->next);
  if (err == MIMI_OK && r.n > 0) {
    w->added = calloc(r.n, sizeof *w->added);
    if (w->added == NULL) err = MIMI_ERR_NOMEM;
  }
  size_t n_added = 0;
  bool removed = false;
  if (err == MIMI_OK) err = group_apply_proposals(g, w->next, &list, w->added, &n_added, &removed);
  if (err == MIMI_OK && removed) err = MIMI_ERR_BAD_PROPOSAL;
  bool path = group_path_required(&list) || opt->force_path;
  uint8_t commit_secret[MIMI_MAX_HASH] = {0};
  if (err == MIMI_OK && path) {
    mls_treekem_private *np = NULL;
    err = mls_treekem_encap(w->next->tree, g->own_leaf, NULL, g->sig_priv.data, g->sig_priv.len,
                            &w->next->ctx, w->added, n_added, rng, &w->path, &np, commit_secret);
    if (err == MIMI_OK) {
      mls_treekem_private_free(w->next->priv);
      w->next->priv = np;
      w->fc.body.commit.path = malloc(sizeof *w->fc.body.commit.path);
      if (w->fc.body.commit.path == NULL) err = MIMI_ERR_NOMEM;
      else err = mimi_clone(mls_update_path_type(), w->fc.body.commit.path, &w->path);
    }
  }
  mls_framing_epoch ep = group_framing(g);
  uint16_t wf = g->cfg.encrypt_handshake ? MLS_WIRE_PRIVATE_MESSAGE : MLS_WIRE_PUBLIC_MESSAGE;
  if (err == MIMI_OK)
    err = mls_authenticated_content_sign(&ep, wf, &w->fc, g->sig_priv.data, g->sig_priv.len,
                                         &w->ac);
  mimi_bytes tag = {NULL, 0};
  if (err == MIMI_OK)
    err = group_finish_epoch(g, w->next, &list, g->secrets.init_secret, commit_secret, &w->ac,
                             &tag);
  if (err == MIMI_OK) {
    mimi_bytes_free(&w->ac.confirmation_tag);
    w->ac.confirmation_tag = tag;
  }
  mimi_secure_zero(commit_secret, sizeof commit_secret);
  if (err == MIMI_OK && n_added > 0)
    err = group_make_welcome(w->next, &list, w->added, n_added, path, opt->welcome_with_tree, rng,
                             &w->welcome);
  if (err == MIMI_OK) err = group_wrap(g, &w->ac, rng, commit_msg);
  (void)s;
  resolved_free(&r);
  return err;
}

mimi_err mls_group_commit(mls_group *g, const mls_commit_options *opt, const mimi_rng *rng,
                          mls_message *commit, mls_welcome *welcome) {
  if (g == NULL || commit == NULL || welcome == NULL) return MIMI_ERR_INVALID_ARG;
  if (!group_can_send(g) || g->pending != NULL) return MIMI_ERR_BAD_GROUP_STATE;
  static const mls_commit_options none = {NULL, 0, false, false};
  if (opt == NULL) opt = &none;
  commit_work w;
  memset(&w, 0, sizeof w);
  mls_staged_commit *sc = calloc(1, sizeof *sc);
  if (sc == NULL) return MIMI_ERR_NOMEM;
  mls_message m;
  memset(&m, 0, sizeof m);
  mimi_err err = commit_build(g, opt, rng, &w, &m);
  if (err != MIMI_OK) {
    free(sc);
    work_free(&w);
    return err;
  }
  sc->next = w.next;
  w.next = NULL;
  g->pending = sc;
  *commit = m;
  *welcome = w.welcome;
  memset(&w.welcome, 0, sizeof w.welcome);
  work_free(&w);
  return MIMI_OK;
}

/* ---- a received commit -------------------------------------------------- */

static mimi_err resolve(const mls_group *g, const mls_commit *c, uint32_t committer,
                        resolved *r) {
  MIMI_TRY(resolved_alloc(r, c->proposals_count));
  for (size_t i = 0; i < c->proposals_count; i++) {
    const mls_proposal_or_ref *por = &c->proposals[i];
    if (por->type == MLS_PROPOSAL_OR_REF_PROPOSAL) {
      r->props[i] = por->proposal;
      r->proposers[i] = committer;
      r->by_value[i] = true;
    } else {
      const group_cached_proposal *cp =
          group_find_proposal(g, por->reference.data, por->reference.len);
      /* §12.4.3.2: an external commit has only inline proposals, except
       * for the extensions draft's SelfRemove */
      if (cp == NULL || (committer == GROUP_NO_LEAF &&
                         cp->proposal.proposal_type != MLS_PROPOSAL_SELF_REMOVE))
        return MIMI_ERR_BAD_PROPOSAL;
      r->props[i] = cp->proposal;
      r->proposers[i] = cp->sender;
    }
    r->n = i + 1;
  }
  return MIMI_OK;
}

/* §12.4.3.2 receiving side: the joiner's leaf goes where an Add would put
 * it (after the list's Remove), holding a stand-in encryption key that the
 * UpdatePath then replaces, so the path's key is checked against the tree
 * as for any committer. */
static mimi_err external_committer(mls_group *next, const mls_update_path *path,
                                   uint32_t *committer) {
  mls_leaf_node stand_in = path->leaf_node; /* shallow */
  stand_in.encryption_key = (mimi_bytes){NULL, 0};
  return mls_rtree_add(next->tree, &stand_in, committer);
}

static const mls_external_init *find_external_init(const resolved *r) {
  for (size_t i = 0; i < r->n; i++)
    if (r->props[i].proposal_type == MLS_PROPOSAL_EXTERNAL_INIT) return &r->props[i].external_init;
  return NULL;
}

/* Copies of the list's AppEphemeral proposals for the application. */
static mimi_err keep_ephemeral(const resolved *r, mls_staged_commit *sc) {
  size_t n = 0;
  for (size_t i = 0; i < r->n; i++) n += r->props[i].proposal_type == MLS_PROPOSAL_APP_EPHEMERAL;
  if (n == 0) return MIMI_OK;
  sc->ephemeral = calloc(n, sizeof *sc->ephemeral);
  if (sc->ephemeral == NULL) return MIMI_ERR_NOMEM;
  for (size_t i = 0; i < r->n; i++) {
    if (r->props[i].proposal_type != MLS_PROPOSAL_APP_EPHEMERAL) continue;
    MIMI_TRY(mimi_clone(mls_app_ephemeral_type(), &sc->ephemeral[sc->n_ephemeral],
                        &r->props[i].app_ephemeral));
    sc->n_ephemeral++;
  }
  return MIMI_OK;
}

static mimi_err stage(const mls_group *g, const mls_authenticated_content *ac, resolved *r,
                      mls_staged_commit *sc) {
  const mls_framed_content *fc = &ac->content;
  uint32_t committer;
  if (fc->sender.sender_type == MLS_SENDER_MEMBER) {
    committer = fc->sender.leaf_index;
    if (committer == g->own_leaf) return MIMI_ERR_BAD_GROUP_STATE;
    if (mls_rtree_leaf(g->tree, committer) == NULL) return MIMI_ERR_BAD_SENDER;
  } else if (fc->sender.sender_type == MLS_SENDER_NEW_MEMBER_COMMIT) {
    committer = GROUP_NO_LEAF;
  } else {
    return MIMI_ERR_BAD_SENDER;
  }
  const mls_commit *c = &fc->body.commit;
  MIMI_TRY(resolve(g, c, committer, r));
  MIMI_TRY(mls_group_check_proposals(g, committer, r->props, r->proposers, r->by_value, r->n));
  MIMI_TRY(keep_ephemeral(r, sc));
  group_proposal_list list = as_list(r, committer);
  if (group_path_required(&list) && c->path == NULL) return MIMI_ERR_BAD_COMMIT;
  MIMI_TRY(group_next_alloc(g, &sc->next));
  mls_group *next = sc->next;
  uint32_t *added = r->n > 0 ? calloc(r->n, sizeof *added) : NULL;
  if (r->n > 0 && added == NULL) return MIMI_ERR_NOMEM;
  size_t n_added = 0;
  mimi_err err = group_apply_proposals(g, next, &list, added, &n_added, &sc->removed);
  if (err != MIMI_OK || sc->removed) {
    free(added);
    next->active = false;
    return err;
  }
  uint8_t init_secret[MIMI_MAX_HASH], commit_secret[MIMI_MAX_HASH] = {0};
  memcpy(init_secret, g->secrets.init_secret, g->suite->hash_len);
  uint32_t sender = committer;
  if (committer == GROUP_NO_LEAF) {
    const mls_external_init *ei = find_external_init(r);
    err = mls_external_init_receive(&g->secrets, ei->kem_output.data, ei->kem_output.len,
                                    init_secret);
    if (err == MIMI_OK) err = external_committer(next, c->path, &sender);
  }
  if (err == MIMI_OK && c->path != NULL)
    err = mls_treekem_decap(next->tree, next->priv, sender, c->path, &next->ctx, added, n_added,
                            commit_secret);
  if (err == MIMI_OK)
    err = group_finish_epoch(g, next, &list, init_secret, commit_secret, ac, NULL);
  mimi_secure_zero(init_secret, sizeof init_secret);
  mimi_secure_zero(commit_secret, sizeof commit_secret);
  free(added);
  return err;
}

mimi_err mls_group_stage_commit(const mls_group *g, const mls_authenticated_content *ac,
                                mls_staged_commit **out) {
  if (!g->active) return MIMI_ERR_BAD_GROUP_STATE;
  if (ac->content.body.content_type != MLS_CONTENT_COMMIT) return MIMI_ERR_BAD_CONTENT_TYPE;
  if (ac->content.epoch != g->ctx.epoch) return MIMI_ERR_WRONG_EPOCH;
  if (!mimi_bytes_eq(&ac->content.group_id, &g->ctx.group_id)) return MIMI_ERR_WRONG_GROUP;
  mls_staged_commit *sc = calloc(1, sizeof *sc);
  if (sc == NULL) return MIMI_ERR_NOMEM;
  resolved r;
  memset(&r, 0, sizeof r);
  mimi_err err = stage(g, ac, &r, sc);
  resolved_free(&r);
  if (err != MIMI_OK) {
    mls_staged_commit_free(sc);
    return err;
  }
  *out = sc;
  return MIMI_OK;
}

/* ---- shared with the hub's public group (public_group_commit.c) --------- */

mimi_err group_resolve_commit(const mls_group *g, const mls_commit *c, uint32_t committer,
                              group_proposal_list *out) {
  resolved r;
  memset(&r, 0, sizeof r);
  mimi_err err = resolve(g, c, committer, &r);
  if (err != MIMI_OK) {
    resolved_free(&r);
    return err;
  }
  *out = as_list(&r, committer);
  return MIMI_OK;
}

void group_proposal_list_free(group_proposal_list *l) {
  resolved r = {(mls_proposal *)l->props, (uint32_t *)l->proposers, (bool *)l->by_value, l->n};
  resolved_free(&r);
  memset(l, 0, sizeof *l);
}

mimi_err group_add_external_committer(mls_group *next, const mls_update_path *path,
                                      uint32_t *committer) {
  return external_committer(next, path, committer);
}
