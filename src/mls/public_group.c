/* public_group.c — the hub's view of a group (RFC 9420 §12 from the
 * delivery service's side): creating it from a GroupInfo or a member's
 * state, the accessors, accepting GroupInfos and caching proposals. */
#include <stdlib.h>
#include <string.h>

#include "public_group_internal.h"

mimi_err public_group_alloc(mls_public_group **out, const mimi_suite *s,
                            const mls_public_group_config *cfg) {
  mls_public_group *pg = calloc(1, sizeof *pg);
  if (pg == NULL) return MIMI_ERR_NOMEM;
  if (cfg != NULL) pg->cfg = *cfg;
  if (pg->cfg.policy != NULL) {
    pg->policy = *pg->cfg.policy;
    pg->cfg.policy = &pg->policy;
  }
  mls_group_config gc = mls_group_config_default();
  gc.now = pg->cfg.now;
  mimi_err err = group_alloc(&pg->state, s, &gc, NULL, 0);
  if (err != MIMI_OK) {
    free(pg);
    return err;
  }
  *out = pg;
  return MIMI_OK;
}

void mls_public_group_free(mls_public_group *pg) {
  if (pg == NULL) return;
  mls_group_free(pg->state);
  public_group_replace_info(pg, NULL);
  free(pg);
}

static mimi_err clone_group_info(const mls_group_info *gi, mls_group_info **out) {
  mls_group_info *c = calloc(1, sizeof *c);
  if (c == NULL) return MIMI_ERR_NOMEM;
  mimi_err err = mimi_clone(mls_group_info_type(), c, gi);
  if (err != MIMI_OK) {
    free(c);
    return err;
  }
  *out = c;
  return MIMI_OK;
}

void public_group_replace_info(mls_public_group *pg, mls_group_info *gi) {
  if (pg->group_info != NULL) mls_group_info_free(pg->group_info);
  free(pg->group_info);
  pg->group_info = gi;
}

mimi_err mls_public_group_from_group_info(mls_public_group **out, const mls_group_info *gi,
                                          const mls_ratchet_tree *tree,
                                          const mls_public_group_config *cfg) {
  const mimi_suite *s = mimi_suite_get(gi->group_context.cipher_suite);
  if (s == NULL) return MIMI_ERR_UNSUPPORTED_SUITE;
  mls_public_group *pg;
  MIMI_TRY(public_group_alloc(&pg, s, cfg));
  mimi_err err = group_load_epoch_from_info(pg->state, gi, tree);
  if (err == MIMI_OK) err = mimi_bytes_dup(&pg->state->confirmation_tag, &gi->confirmation_tag);
  if (err == MIMI_OK) err = clone_group_info(gi, &pg->group_info);
  if (err != MIMI_OK) {
    mls_public_group_free(pg);
    return err;
  }
  *out = pg;
  return MIMI_OK;
}

mimi_err mls_public_group_from_member(mls_public_group **out, const mls_group *g,
                                      const mls_public_group_config *cfg) {
  if (!g->active) return MIMI_ERR_BAD_GROUP_STATE;
  mls_public_group *pg;
  MIMI_TRY(public_group_alloc(&pg, g->suite, cfg));
  mls_group *st = pg->state;
  mimi_err err = mls_rtree_clone(&st->tree, g->tree);
  if (err == MIMI_OK) err = mimi_clone(mls_group_context_type(), &st->ctx, &g->ctx);
  if (err == MIMI_OK) err = mimi_bytes_dup(&st->confirmation_tag, &g->confirmation_tag);
  if (err == MIMI_OK && g->reinit != NULL) {
    st->reinit = calloc(1, sizeof *st->reinit);
    err = st->reinit == NULL ? MIMI_ERR_NOMEM
                             : mimi_clone(mls_reinit_type(), st->reinit, g->reinit);
  }
  memcpy(st->interim, g->interim, sizeof st->interim);
  if (err != MIMI_OK) {
    mls_public_group_free(pg);
    return err;
  }
  *out = pg;
  return MIMI_OK;
}

uint16_t mls_public_group_suite(const mls_public_group *pg) { return pg->state->suite->id; }
uint64_t mls_public_group_epoch(const mls_public_group *pg) { return pg->state->ctx.epoch; }
const mls_group_context *mls_public_group_context(const mls_public_group *pg) {
  return &pg->state->ctx;
}
const mls_rtree *mls_public_group_tree(const mls_public_group *pg) { return pg->state->tree; }
const mls_leaf_node *mls_public_group_member(const mls_public_group *pg, uint32_t leaf) {
  return mls_rtree_leaf(pg->state->tree, leaf);
}
const uint8_t *mls_public_group_interim_hash(const mls_public_group *pg, size_t *len) {
  *len = pg->state->suite->hash_len;
  return pg->state->interim;
}
const mimi_bytes *mls_public_group_confirmation_tag(const mls_public_group *pg) {
  return &pg->state->confirmation_tag;
}
const mls_reinit *mls_public_group_reinit(const mls_public_group *pg) { return pg->state->reinit; }
const mls_group_info *mls_public_group_group_info(const mls_public_group *pg) {
  return pg->group_info;
}

/* A ratchet_tree extension, if any, must describe the hub's tree. */
static mimi_err check_tree_extension(const mls_public_group *pg, const mls_group_info *gi) {
  const mls_extension *e =
      group_find_extension(gi->extensions, gi->extensions_count, MLS_EXT_RATCHET_TREE);
  if (e == NULL) return MIMI_OK;
  mimi_bytes mine;
  MIMI_TRY(mls_rtree_encode(pg->state->tree, &mine));
  bool same = mimi_bytes_eq(&mine, &e->extension_data);
  mimi_bytes_free(&mine);
  return same ? MIMI_OK : MIMI_ERR_BAD_WELCOME;
}

mimi_err mls_public_group_set_group_info(mls_public_group *pg, const mls_group_info *gi) {
  const mls_group *g = pg->state;
  if (!mls_group_context_equal(&gi->group_context, &g->ctx) ||
      !mimi_bytes_eq(&gi->confirmation_tag, &g->confirmation_tag))
    return MIMI_ERR_BAD_WELCOME;
  MIMI_TRY(check_tree_extension(pg, gi));
  MIMI_TRY(group_verify_group_info(gi, g->tree));
  mls_group_info *c;
  MIMI_TRY(clone_group_info(gi, &c));
  public_group_replace_info(pg, c);
  return MIMI_OK;
}

mimi_err public_group_read(const mls_public_group *pg, const mls_message *msg,
                           uint8_t content_type, mls_authenticated_content *out) {
  if (pg->state->reinit != NULL) return MIMI_ERR_BAD_GROUP_STATE;
  if (msg->version != MLS_VERSION_MLS10 || msg->body.wire_format != MLS_WIRE_PUBLIC_MESSAGE)
    return MIMI_ERR_BAD_WIRE_FORMAT;
  mls_authenticated_content ac;
  MIMI_TRY(group_read_public_nonmember(pg->state, &msg->body.public_message, &ac));
  if (ac.content.body.content_type != content_type) {
    mls_authenticated_content_free(&ac);
    return MIMI_ERR_BAD_CONTENT_TYPE;
  }
  *out = ac;
  return MIMI_OK;
}

mimi_err mls_public_group_process_proposal(mls_public_group *pg, const mls_message *msg) {
  mls_authenticated_content ac;
  MIMI_TRY(public_group_read(pg, msg, MLS_CONTENT_PROPOSAL, &ac));
  mimi_err err = mls_group_store_proposal(pg->state, &ac);
  mls_authenticated_content_free(&ac);
  return err;
}
