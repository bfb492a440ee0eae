/* public_group_store.c — the hub's view of a group as a versioned blob
 * (declared with the wire codec) and back. It holds no secrets; the
 * config (policy hook, clock) is the caller's and passed again on load. */
#include <stdlib.h>
#include <string.h>

#include "public_group_internal.h"

#define PUBLIC_GROUP_BLOB_FORMAT 1

#define PGS_PROPOSAL_FIELDS(F) F##_STRUCT(mls_proposal, proposal) F##_OPAQUE(ref) F##_U32(sender)
MIMI_STRUCT_DECLARE(pgs_proposal, PGS_PROPOSAL_FIELDS)
MIMI_STRUCT_DEFINE(pgs_proposal, PGS_PROPOSAL_FIELDS)

#define PGS_BLOB_FIELDS(F)                                                     \
  F##_U16(format)                                                              \
  F##_U16(suite)                                                               \
  F##_STRUCT(mls_group_context, ctx)                                           \
  F##_OPAQUE(tree)                                                             \
  F##_OPAQUE(interim)                                                          \
  F##_OPAQUE(confirmation_tag)                                                 \
  F##_VEC(pgs_proposal, proposals)                                             \
  F##_OPT(mls_reinit, reinit)                                                  \
  F##_OPT(mls_group_info, group_info)
MIMI_STRUCT_DECLARE(pgs_blob, PGS_BLOB_FIELDS)
MIMI_STRUCT_DEFINE(pgs_blob, PGS_BLOB_FIELDS)

/* A heap copy of *src into *dst (optional fields are pointers). */
static mimi_err clone_opt(const mimi_type *t, size_t size, void **dst, const void *src) {
  if (src == NULL) return MIMI_OK;
  void *c = calloc(1, size);
  if (c == NULL) return MIMI_ERR_NOMEM;
  mimi_err err = mimi_clone(t, c, src);
  if (err != MIMI_OK) {
    free(c);
    return err;
  }
  *dst = c;
  return MIMI_OK;
}

static mimi_err fill(const mls_public_group *pg, pgs_blob *b) {
  const mls_group *g = pg->state;
  size_t nh = g->suite->hash_len;
  b->format = PUBLIC_GROUP_BLOB_FORMAT;
  b->suite = g->suite->id;
  MIMI_TRY(mimi_clone(mls_group_context_type(), &b->ctx, &g->ctx));
  MIMI_TRY(mls_rtree_encode(g->tree, &b->tree));
  MIMI_TRY(mimi_bytes_copy(&b->interim, g->interim, nh));
  MIMI_TRY(mimi_bytes_dup(&b->confirmation_tag, &g->confirmation_tag));
  if (g->n_props > 0 && (b->proposals = calloc(g->n_props, sizeof *b->proposals)) == NULL)
    return MIMI_ERR_NOMEM;
  for (size_t i = 0; i < g->n_props; i++) {
    pgs_proposal *p = &b->proposals[i];
    b->proposals_count = i + 1;
    MIMI_TRY(mimi_clone(mls_proposal_type(), &p->proposal, &g->props[i].proposal));
    MIMI_TRY(mimi_bytes_copy(&p->ref, g->props[i].ref, nh));
    p->sender = g->props[i].sender;
  }
  MIMI_TRY(clone_opt(mls_reinit_type(), sizeof *b->reinit, (void **)&b->reinit, g->reinit));
  return clone_opt(mls_group_info_type(), sizeof *b->group_info, (void **)&b->group_info,
                   pg->group_info);
}

mimi_err mls_public_group_serialize(const mls_public_group *pg, mimi_bytes *out) {
  pgs_blob b;
  memset(&b, 0, sizeof b);
  mimi_err err = fill(pg, &b);
  if (err == MIMI_OK) err = pgs_blob_encode(&b, out);
  pgs_blob_free(&b);
  return err;
}

static mimi_err load(mls_public_group *pg, const pgs_blob *b) {
  mls_group *g = pg->state;
  size_t nh = g->suite->hash_len;
  MIMI_TRY(mimi_clone(mls_group_context_type(), &g->ctx, &b->ctx));
  if (g->ctx.cipher_suite != g->suite->id) return MIMI_ERR_INVALID_ARG;
  MIMI_TRY(mls_rtree_decode(&g->tree, g->suite->id, b->tree.data, b->tree.len));
  uint8_t th[MIMI_MAX_HASH];
  MIMI_TRY(mls_rtree_root_hash(g->tree, th));
  if (g->ctx.tree_hash.len != nh || memcmp(th, g->ctx.tree_hash.data, nh) != 0)
    return MIMI_ERR_INVALID_ARG;
  if (b->interim.len != nh) return MIMI_ERR_BAD_LENGTH;
  memcpy(g->interim, b->interim.data, nh);
  MIMI_TRY(mimi_bytes_dup(&g->confirmation_tag, &b->confirmation_tag));
  for (size_t i = 0; i < b->proposals_count; i++) {
    const pgs_proposal *p = &b->proposals[i];
    if (p->ref.len != nh) return MIMI_ERR_BAD_LENGTH;
    if (p->sender != GROUP_NO_LEAF && mls_rtree_leaf(g->tree, p->sender) == NULL)
      return MIMI_ERR_INVALID_ARG;
    MIMI_TRY(group_cache_proposal(g, &p->proposal, p->ref.data, p->sender));
  }
  MIMI_TRY(clone_opt(mls_reinit_type(), sizeof *g->reinit, (void **)&g->reinit, b->reinit));
  if (b->group_info != NULL &&
      !mls_group_context_equal(&b->group_info->group_context, &g->ctx))
    return MIMI_ERR_INVALID_ARG;
  return clone_opt(mls_group_info_type(), sizeof *pg->group_info, (void **)&pg->group_info,
                   b->group_info);
}

mimi_err mls_public_group_deserialize(mls_public_group **out, const uint8_t *data, size_t len,
                                      const mls_public_group_config *cfg) {
  pgs_blob b;
  MIMI_TRY(pgs_blob_decode(data, len, &b));
  mimi_err err = MIMI_OK;
  const mimi_suite *s = mimi_suite_get(b.suite);
  if (b.format != PUBLIC_GROUP_BLOB_FORMAT) err = MIMI_ERR_UNSUPPORTED;
  if (err == MIMI_OK && s == NULL) err = MIMI_ERR_UNSUPPORTED_SUITE;
  mls_public_group *pg = NULL;
  if (err == MIMI_OK) err = public_group_alloc(&pg, s, cfg);
  if (err == MIMI_OK) err = load(pg, &b);
  pgs_blob_free(&b);
  if (err != MIMI_OK) {
    mls_public_group_free(pg);
    return err;
  }
  *out = pg;
  return MIMI_OK;
}
