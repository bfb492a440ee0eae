/* secret_tree_store.c — the secret tree (§9) as bytes, for storing a group
 * between runs: the frontier node secrets, each used leaf's two ratchets
 * and their retained keys, exactly as held in memory, so a restored tree
 * refuses the same generations the original would. */
#include <stdlib.h>
#include <string.h>

#include "secret_tree_internal.h"

#define ST_KEPT_FIELDS(F) F##_U32(generation) F##_OPAQUE(key) F##_OPAQUE(nonce)
MIMI_STRUCT_DECLARE(st_kept, ST_KEPT_FIELDS)
MIMI_STRUCT_DEFINE(st_kept, ST_KEPT_FIELDS)

#define ST_RATCHET_FIELDS(F) F##_U64(next) F##_OPAQUE(secret) F##_VEC(st_kept, kept)
MIMI_STRUCT_DECLARE(st_ratchet, ST_RATCHET_FIELDS)
MIMI_STRUCT_DEFINE(st_ratchet, ST_RATCHET_FIELDS)

#define ST_NODE_FIELDS(F) F##_U32(node) F##_OPAQUE(secret)
MIMI_STRUCT_DECLARE(st_node, ST_NODE_FIELDS)
MIMI_STRUCT_DEFINE(st_node, ST_NODE_FIELDS)

#define ST_LEAF_FIELDS(F) \
  F##_U32(leaf) F##_STRUCT(st_ratchet, handshake) F##_STRUCT(st_ratchet, application)
MIMI_STRUCT_DECLARE(st_leaf, ST_LEAF_FIELDS)
MIMI_STRUCT_DEFINE(st_leaf, ST_LEAF_FIELDS)

#define ST_BLOB_FIELDS(F)                                                        \
  F##_U16(suite) F##_U32(n_leaves) F##_U32(max_forward) F##_U32(max_retained)    \
  F##_VEC(st_node, nodes) F##_VEC(st_leaf, leaves)
MIMI_STRUCT_DECLARE(st_blob, ST_BLOB_FIELDS)
MIMI_STRUCT_DEFINE(st_blob, ST_BLOB_FIELDS)

/* Views into the tree; only the arrays are owned. */
static mimi_err view_ratchet(const mls_secret_tree *st, const ratchet *r, st_ratchet *out) {
  out->next = r->next;
  out->secret = (mimi_bytes){(uint8_t *)r->secret, st->nh};
  out->kept_count = r->n_kept;
  out->kept = NULL;
  if (r->n_kept == 0) return MIMI_OK;
  out->kept = calloc(r->n_kept, sizeof *out->kept);
  if (out->kept == NULL) return MIMI_ERR_NOMEM;
  for (size_t i = 0; i < r->n_kept; i++) {
    const mls_key_nonce *k = &r->kept[i];
    out->kept[i].generation = k->generation;
    out->kept[i].key = (mimi_bytes){(uint8_t *)k->key, k->key_len};
    out->kept[i].nonce = (mimi_bytes){(uint8_t *)k->nonce, k->nonce_len};
  }
  return MIMI_OK;
}

static void view_free(st_blob *b) {
  for (size_t i = 0; b->leaves != NULL && i < b->leaves_count; i++) {
    free(b->leaves[i].handshake.kept);
    free(b->leaves[i].application.kept);
  }
  free(b->leaves);
  free(b->nodes);
}

mimi_err mls_secret_tree_encode(const mls_secret_tree *st, mimi_bytes *out) {
  st_blob b;
  memset(&b, 0, sizeof b);
  b.suite = st->suite;
  b.n_leaves = st->n_leaves;
  b.max_forward = st->cfg.max_forward;
  b.max_retained = st->cfg.max_retained;
  mimi_err err = MIMI_OK;
  if (st->n_nodes > 0 && (b.nodes = calloc(st->n_nodes, sizeof *b.nodes)) == NULL)
    err = MIMI_ERR_NOMEM;
  for (size_t i = 0; err == MIMI_OK && i < st->n_nodes; i++) {
    b.nodes[i].node = st->nodes[i].node;
    b.nodes[i].secret = (mimi_bytes){(uint8_t *)st->nodes[i].secret, st->nh};
    b.nodes_count = i + 1;
  }
  if (err == MIMI_OK && st->n_leaf_states > 0 &&
      (b.leaves = calloc(st->n_leaf_states, sizeof *b.leaves)) == NULL)
    err = MIMI_ERR_NOMEM;
  for (size_t i = 0; err == MIMI_OK && i < st->n_leaf_states; i++) {
    b.leaves[i].leaf = st->leaves[i].leaf;
    b.leaves_count = i + 1;
    err = view_ratchet(st, &st->leaves[i].r[0], &b.leaves[i].handshake);
    if (err == MIMI_OK) err = view_ratchet(st, &st->leaves[i].r[1], &b.leaves[i].application);
  }
  if (err == MIMI_OK) err = st_blob_encode(&b, out);
  view_free(&b);
  return err;
}

static mimi_err load_ratchet(mls_secret_tree *st, const st_ratchet *in, ratchet *r) {
  if (in->next > ((uint64_t)1 << 32) || in->secret.len != st->nh) return MIMI_ERR_BAD_LENGTH;
  if (in->kept_count > st->cfg.max_retained) return MIMI_ERR_INVALID_ARG;
  r->next = in->next;
  memcpy(r->secret, in->secret.data, st->nh);
  if (in->kept_count == 0) return MIMI_OK;
  r->kept = calloc(in->kept_count, sizeof *r->kept);
  if (r->kept == NULL) return MIMI_ERR_NOMEM;
  r->cap_kept = in->kept_count;
  for (size_t i = 0; i < in->kept_count; i++) {
    const st_kept *k = &in->kept[i];
    if (k->key.len != st->nk || k->nonce.len != st->nn) return MIMI_ERR_BAD_LENGTH;
    if (k->generation >= in->next || (i > 0 && k->generation <= in->kept[i - 1].generation))
      return MIMI_ERR_INVALID_ARG;
    mls_key_nonce *kn = &r->kept[i];
    kn->generation = k->generation;
    kn->key_len = st->nk;
    kn->nonce_len = st->nn;
    memcpy(kn->key, k->key.data, st->nk);
    memcpy(kn->nonce, k->nonce.data, st->nn);
    r->n_kept = i + 1;
  }
  return MIMI_OK;
}

static mimi_err load(mls_secret_tree *st, const st_blob *b) {
  const mimi_suite *s;
  MIMI_TRY(mls_suite_lookup(b->suite, &s));
  uint32_t width;
  MIMI_TRY(mls_tree_width(b->n_leaves, &width));
  st->suite = b->suite;
  st->nh = s->hash_len;
  st->nk = s->aead_key_len;
  st->nn = s->aead_nonce_len;
  st->n_leaves = b->n_leaves;
  st->cfg.max_forward = b->max_forward;
  st->cfg.max_retained = b->max_retained;
  if (b->nodes_count > 0 && (st->nodes = calloc(b->nodes_count, sizeof *st->nodes)) == NULL)
    return MIMI_ERR_NOMEM;
  st->cap_nodes = b->nodes_count;
  for (size_t i = 0; i < b->nodes_count; i++) {
    const st_node *n = &b->nodes[i];
    if (n->secret.len != st->nh) return MIMI_ERR_BAD_LENGTH;
    if (n->node >= width || (i > 0 && n->node <= b->nodes[i - 1].node))
      return MIMI_ERR_INVALID_ARG;
    st->nodes[i].node = n->node;
    memcpy(st->nodes[i].secret, n->secret.data, st->nh);
    st->n_nodes = i + 1;
  }
  if (b->leaves_count > 0 && (st->leaves = calloc(b->leaves_count, sizeof *st->leaves)) == NULL)
    return MIMI_ERR_NOMEM;
  st->cap_leaf_states = b->leaves_count;
  for (size_t i = 0; i < b->leaves_count; i++) {
    const st_leaf *l = &b->leaves[i];
    if (l->leaf >= b->n_leaves || (i > 0 && l->leaf <= b->leaves[i - 1].leaf))
      return MIMI_ERR_INVALID_ARG;
    st->leaves[i].leaf = l->leaf;
    st->n_leaf_states = i + 1;
    MIMI_TRY(load_ratchet(st, &l->handshake, &st->leaves[i].r[0]));
    MIMI_TRY(load_ratchet(st, &l->application, &st->leaves[i].r[1]));
  }
  return MIMI_OK;
}

mimi_err mls_secret_tree_decode(mls_secret_tree **out, const uint8_t *data, size_t len) {
  st_blob b;
  MIMI_TRY(st_blob_decode(data, len, &b));
  mls_secret_tree *st = calloc(1, sizeof *st);
  mimi_err err = st == NULL ? MIMI_ERR_NOMEM : load(st, &b);
  st_blob_free(&b);
  if (err != MIMI_OK) {
    mls_secret_tree_free(st);
    return err;
  }
  *out = st;
  return MIMI_OK;
}
