/* tree_hash.c — tree hashes (§7.8), cached per node and recomputed only
 * below changed nodes, and parent hashes (§7.9) with their verification
 * over a whole tree (§7.9.2). */
#include <stdlib.h>
#include <string.h>

#include "tree_internal.h"

mimi_err tree_hash_leaf_input(const mimi_suite *s, uint32_t leaf_index,
                              const mls_leaf_node *leaf, uint8_t *out) {
  /* The input struct only borrows the leaf for encoding. */
  mls_tree_hash_input in;
  memset(&in, 0, sizeof in);
  in.node_type = MLS_NODE_LEAF;
  in.leaf_node.leaf_index = leaf_index;
  in.leaf_node.leaf_node = (mls_leaf_node *)leaf;
  mimi_writer w;
  mimi_writer_init(&w);
  mimi_encode(mls_tree_hash_input_type(), &in, &w);
  return mls_hash_written(s, &w, out);
}

mimi_err tree_hash_parent_input(const mimi_suite *s, const mls_parent_node *parent,
                                const uint8_t *left, const uint8_t *right, uint8_t *out) {
  mls_tree_hash_input in;
  memset(&in, 0, sizeof in);
  in.node_type = MLS_NODE_PARENT;
  in.parent_node.parent_node = (mls_parent_node *)parent;
  in.parent_node.left_hash = (mimi_bytes){(uint8_t *)left, s->hash_len};
  in.parent_node.right_hash = (mimi_bytes){(uint8_t *)right, s->hash_len};
  mimi_writer w;
  mimi_writer_init(&w);
  mimi_encode(mls_tree_hash_input_type(), &in, &w);
  return mls_hash_written(s, &w, out);
}

mimi_err tree_parent_hash(const mimi_suite *s, const mimi_bytes *encryption_key,
                          const mimi_bytes *parent_hash, const uint8_t *sibling_hash,
                          uint8_t *out) {
  mls_parent_hash_input in;
  in.encryption_key = *encryption_key;
  in.parent_hash = *parent_hash;
  in.original_sibling_tree_hash = (mimi_bytes){(uint8_t *)sibling_hash, s->hash_len};
  mimi_writer w;
  mimi_writer_init(&w);
  mimi_encode(mls_parent_hash_input_type(), &in, &w);
  return mls_hash_written(s, &w, out);
}

/* The mutable cache of a logically const tree: hashes are a pure function
 * of the nodes, so filling the cache does not change the tree. */
static mimi_err cached_hash(const mls_rtree *t, uint32_t node, uint8_t *out) {
  size_t nh = t->suite->hash_len;
  uint8_t *slot = t->hash + (size_t)node * nh;
  if (!t->hash_ok[node]) {
    if (node % 2 == 0) {
      MIMI_TRY(tree_hash_leaf_input(t->suite, node / 2, tree_leaf_at(t, node), slot));
    } else {
      uint8_t l[MIMI_MAX_HASH], r[MIMI_MAX_HASH];
      uint32_t left, right;
      MIMI_TRY(mls_tree_left(node, t->n_leaves, &left));
      MIMI_TRY(mls_tree_right(node, t->n_leaves, &right));
      MIMI_TRY(cached_hash(t, left, l));
      MIMI_TRY(cached_hash(t, right, r));
      MIMI_TRY(tree_hash_parent_input(t->suite, tree_parent_at(t, node), l, r, slot));
    }
    t->hash_ok[node] = 1;
  }
  memcpy(out, slot, nh);
  return MIMI_OK;
}

mimi_err mls_rtree_tree_hash(const mls_rtree *t, uint32_t node, uint8_t *out) {
  if (node >= tree_width(t)) return MIMI_ERR_INVALID_ARG;
  return cached_hash(t, node, out);
}

mimi_err mls_rtree_root_hash(const mls_rtree *t, uint8_t *out) {
  return cached_hash(t, tree_root(t), out);
}

static bool any_leaf_under(uint32_t node, const uint32_t *leaves, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (tree_in_subtree(2 * leaves[i], node)) return true;
  return false;
}

mimi_err tree_hash_without(const mls_rtree *t, uint32_t node, const uint32_t *blanked,
                           size_t n_blanked, uint8_t *out) {
  if (!any_leaf_under(node, blanked, n_blanked)) return cached_hash(t, node, out);
  if (node % 2 == 0) return tree_hash_leaf_input(t->suite, node / 2, NULL, out);
  uint8_t l[MIMI_MAX_HASH], r[MIMI_MAX_HASH];
  uint32_t left, right;
  MIMI_TRY(mls_tree_left(node, t->n_leaves, &left));
  MIMI_TRY(mls_tree_right(node, t->n_leaves, &right));
  MIMI_TRY(tree_hash_without(t, left, blanked, n_blanked, l));
  MIMI_TRY(tree_hash_without(t, right, blanked, n_blanked, r));
  const mls_parent_node *p = tree_parent_at(t, node);
  if (p == NULL) return tree_hash_parent_input(t->suite, NULL, l, r, out);
  /* A shallow copy with the blanked leaves dropped from unmerged_leaves. */
  mls_parent_node q = *p;
  uint32_t *kept = malloc((p->unmerged_leaves_count + 1) * sizeof *kept);
  if (kept == NULL) return MIMI_ERR_NOMEM;
  q.unmerged_leaves = kept;
  q.unmerged_leaves_count = 0;
  for (size_t i = 0; i < p->unmerged_leaves_count; i++)
    if (!tree_list_has(blanked, n_blanked, p->unmerged_leaves[i]))
      kept[q.unmerged_leaves_count++] = p->unmerged_leaves[i];
  mimi_err err = tree_hash_parent_input(t->suite, &q, l, r, out);
  free(kept);
  return err;
}

/* The parent_hash field a node D carries: a parent's, or a commit leaf's. */
static const mimi_bytes *carried_parent_hash(const mls_node *d) {
  if (d->node_type == MLS_NODE_PARENT) return &d->parent_node.parent_hash;
  if (d->leaf_node.source.leaf_node_source == MLS_LEAF_SOURCE_COMMIT)
    return &d->leaf_node.source.parent_hash;
  return NULL;
}

/* §7.9.2 third criterion: P's unmerged leaves under C are exactly the
 * resolution of C without D. */
static bool unmerged_match(const mls_parent_node *p, uint32_t c, const mls_node_list *res,
                           uint32_t d) {
  size_t under = 0;
  for (size_t i = 0; i < p->unmerged_leaves_count; i++)
    if (tree_in_subtree(2 * p->unmerged_leaves[i], c)) under++;
  if (under != res->count - 1) return false;
  for (size_t i = 0; i < res->count; i++) {
    uint32_t x = res->nodes[i];
    if (x == d) continue;
    if (x % 2 != 0 || !tree_list_has(p->unmerged_leaves, p->unmerged_leaves_count, x / 2))
      return false;
  }
  return true;
}

/* How many descendants D make P parent-hash valid via child c, sibling s. */
static mimi_err count_valid_links(const mls_rtree *t, uint32_t pidx, uint32_t c, uint32_t s,
                                  size_t *links) {
  const mls_parent_node *p = tree_parent_at(t, pidx);
  uint8_t sib[MIMI_MAX_HASH], ph[MIMI_MAX_HASH];
  size_t nh = t->suite->hash_len;
  MIMI_TRY(tree_hash_without(t, s, p->unmerged_leaves, p->unmerged_leaves_count, sib));
  MIMI_TRY(tree_parent_hash(t->suite, &p->encryption_key, &p->parent_hash, sib, ph));
  mls_node_list res;
  MIMI_TRY(mls_rtree_resolution(t, c, NULL, 0, &res));
  for (size_t i = 0; i < res.count; i++) {
    uint32_t d = res.nodes[i];
    const mimi_bytes *dph = carried_parent_hash(t->nodes[d].node);
    if (dph == NULL || dph->len != nh || memcmp(dph->data, ph, nh) != 0) continue;
    if (unmerged_match(p, c, &res, d)) (*links)++;
  }
  mls_node_list_free(&res);
  return MIMI_OK;
}

mimi_err mls_rtree_verify_parent_hashes(const mls_rtree *t) {
  uint32_t w = tree_width(t);
  for (uint32_t p = 1; p < w; p += 2) {
    if (t->nodes[p].node == NULL) continue;
    uint32_t left, right;
    MIMI_TRY(mls_tree_left(p, t->n_leaves, &left));
    MIMI_TRY(mls_tree_right(p, t->n_leaves, &right));
    size_t links = 0;
    MIMI_TRY(count_valid_links(t, p, left, right, &links));
    MIMI_TRY(count_valid_links(t, p, right, left, &links));
    if (links != 1) return MIMI_ERR_BAD_PARENT_HASH;
  }
  return MIMI_OK;
}
