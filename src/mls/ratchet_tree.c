/* ratchet_tree.c — the public ratchet tree as an array of optional nodes
 * (§4.1, §7.1, App. C): loading and exporting the ratchet_tree extension
 * encoding (§12.4.3.3), adding, removing and updating leaves with extension
 * and truncation (§7.7, §12.1.1-§12.1.3), resolutions and filtered direct
 * paths (§4.1.2). Hashes are in tree_hash.c, checks in tree_validate.c. */
#include <stdlib.h>
#include <string.h>

#include "tree_internal.h"

bool tree_in_subtree(uint32_t x, uint32_t p) {
  uint32_t half = (1u << mls_tree_level(p)) - 1u; /* a level-k subtree spans p ± (2^k - 1) */
  return x >= p - half && x <= p + half;
}

bool tree_list_has(const uint32_t *list, size_t n, uint32_t v) {
  for (size_t i = 0; i < n; i++)
    if (list[i] == v) return true;
  return false;
}

const mimi_bytes *tree_node_key(const mls_node *n) {
  return n->node_type == MLS_NODE_LEAF ? &n->leaf_node.encryption_key
                                       : &n->parent_node.encryption_key;
}

void tree_invalidate(mls_rtree *t, uint32_t node) {
  uint32_t root = tree_root(t);
  for (;;) {
    t->hash_ok[node] = 0;
    if (node == root) return;
    if (mls_tree_parent(node, t->n_leaves, &node) != MIMI_OK) return;
  }
}

void tree_node_free(mls_node *n) {
  if (n == NULL) return;
  mls_node_free(n);
  free(n);
}

void tree_set_node(mls_rtree *t, uint32_t i, mls_node *n) {
  tree_node_free(t->nodes[i].node);
  t->nodes[i].node = n;
  tree_invalidate(t, i);
}

mimi_err tree_node_from_leaf(const mls_leaf_node *leaf, mls_node **out) {
  mls_node *n = calloc(1, sizeof *n);
  if (n == NULL) return MIMI_ERR_NOMEM;
  n->node_type = MLS_NODE_LEAF;
  mimi_err err = mimi_clone(mls_leaf_node_type(), &n->leaf_node, leaf);
  if (err != MIMI_OK) {
    free(n);
    return err;
  }
  *out = n;
  return MIMI_OK;
}

/* Grows the arrays to hold a tree of n_leaves leaves without changing the
 * tree: the new slots are blank and uncached. */
static mimi_err reserve(mls_rtree *t, uint32_t n_leaves) {
  size_t old_w = tree_width(t), w = 2 * (size_t)(n_leaves - 1) + 1, nh = t->suite->hash_len;
  mls_optional_node *nodes = realloc(t->nodes, w * sizeof *nodes);
  if (nodes == NULL) return MIMI_ERR_NOMEM;
  t->nodes = nodes;
  memset(nodes + old_w, 0, (w - old_w) * sizeof *nodes);
  /* Cached hashes are public, so a plain realloc is fine. */
  uint8_t *hash = realloc(t->hash, w * nh);
  if (hash == NULL) return MIMI_ERR_NOMEM;
  t->hash = hash;
  uint8_t *ok = realloc(t->hash_ok, w);
  if (ok == NULL) return MIMI_ERR_NOMEM;
  t->hash_ok = ok;
  memset(ok + old_w, 0, w - old_w);
  return MIMI_OK;
}

static mimi_err tree_alloc(mls_rtree **out, uint16_t suite, uint32_t n_leaves) {
  const mimi_suite *s;
  MIMI_TRY(mls_suite_lookup(suite, &s));
  mls_rtree *t = calloc(1, sizeof *t);
  if (t == NULL) return MIMI_ERR_NOMEM;
  t->suite = s;
  t->n_leaves = 1;
  mimi_err err = MIMI_ERR_NOMEM;
  t->nodes = calloc(1, sizeof *t->nodes);
  t->hash = malloc(s->hash_len);
  t->hash_ok = calloc(1, 1);
  if (t->nodes != NULL && t->hash != NULL && t->hash_ok != NULL) err = reserve(t, n_leaves);
  if (err != MIMI_OK) {
    mls_rtree_free(t);
    return err;
  }
  t->n_leaves = n_leaves;
  *out = t;
  return MIMI_OK;
}

void mls_rtree_free(mls_rtree *t) {
  if (t == NULL) return;
  if (t->nodes != NULL) {
    uint32_t w = tree_width(t);
    for (uint32_t i = 0; i < w; i++) tree_node_free(t->nodes[i].node);
  }
  free(t->nodes);
  free(t->hash);
  free(t->hash_ok);
  free(t);
}

mimi_err mls_rtree_new(mls_rtree **out, uint16_t suite, const mls_leaf_node *leaf) {
  mls_rtree *t;
  MIMI_TRY(tree_alloc(&t, suite, 1));
  mimi_err err = tree_node_from_leaf(leaf, &t->nodes[0].node);
  if (err != MIMI_OK) {
    mls_rtree_free(t);
    return err;
  }
  *out = t;
  return MIMI_OK;
}

mimi_err mls_rtree_from_wire(mls_rtree **out, uint16_t suite, const mls_ratchet_tree *wire) {
  size_t count = wire->nodes_count;
  if (count == 0 || wire->nodes[count - 1].node == NULL) return MIMI_ERR_BAD_TREE;
  if (count > 2 * (size_t)(MLS_TREE_MAX_LEAVES - 1) + 1) return MIMI_ERR_BAD_TREE;
  for (size_t i = 0; i < count; i++) {
    const mls_node *n = wire->nodes[i].node;
    uint8_t want = (i % 2 == 0) ? MLS_NODE_LEAF : MLS_NODE_PARENT;
    if (n != NULL && n->node_type != want) return MIMI_ERR_BAD_TREE;
  }
  uint32_t n_leaves = 1;
  while (2 * (size_t)n_leaves - 1 < count) n_leaves *= 2;
  mls_rtree *t;
  MIMI_TRY(tree_alloc(&t, suite, n_leaves));
  for (size_t i = 0; i < count; i++) {
    mimi_err err = mimi_clone(mls_optional_node_type(), &t->nodes[i], &wire->nodes[i]);
    if (err != MIMI_OK) {
      mls_rtree_free(t);
      return err;
    }
  }
  *out = t;
  return MIMI_OK;
}

mimi_err mls_rtree_decode(mls_rtree **out, uint16_t suite, const uint8_t *data, size_t len) {
  mls_ratchet_tree wire;
  MIMI_TRY(mls_ratchet_tree_decode(data, len, &wire));
  mimi_err err = mls_rtree_from_wire(out, suite, &wire);
  mls_ratchet_tree_free(&wire);
  return err;
}

mimi_err mls_rtree_encode(const mls_rtree *t, mimi_bytes *out) {
  size_t count = tree_width(t);
  while (count > 0 && t->nodes[count - 1].node == NULL) count--;
  /* A view of our own array: encoding only reads it. */
  mls_ratchet_tree view = {t->nodes, count};
  return mls_ratchet_tree_encode(&view, out);
}

mimi_err mls_rtree_clone(mls_rtree **out, const mls_rtree *t) {
  mls_rtree *c;
  MIMI_TRY(tree_alloc(&c, t->suite->id, t->n_leaves));
  uint32_t w = tree_width(t);
  for (uint32_t i = 0; i < w; i++) {
    mimi_err err = mimi_clone(mls_optional_node_type(), &c->nodes[i], &t->nodes[i]);
    if (err != MIMI_OK) {
      mls_rtree_free(c);
      return err;
    }
  }
  memcpy(c->hash, t->hash, (size_t)w * t->suite->hash_len);
  memcpy(c->hash_ok, t->hash_ok, w);
  *out = c;
  return MIMI_OK;
}

uint16_t mls_rtree_suite(const mls_rtree *t) { return t->suite->id; }
uint32_t mls_rtree_leaf_count(const mls_rtree *t) { return t->n_leaves; }

const mls_node *mls_rtree_node(const mls_rtree *t, uint32_t node) {
  return node < tree_width(t) ? t->nodes[node].node : NULL;
}

const mls_leaf_node *mls_rtree_leaf(const mls_rtree *t, uint32_t leaf) {
  return leaf < t->n_leaves ? tree_leaf_at(t, 2 * leaf) : NULL;
}

static void blank_direct_path(mls_rtree *t, uint32_t leaf) {
  mls_node_path dp;
  if (mls_tree_direct_path(2 * leaf, t->n_leaves, &dp) != MIMI_OK) return;
  for (uint32_t i = 0; i < dp.count; i++) tree_set_node(t, dp.nodes[i], NULL);
}

mimi_err mls_rtree_add(mls_rtree *t, const mls_leaf_node *leaf, uint32_t *leaf_index) {
  uint32_t idx = 0;
  while (idx < t->n_leaves && t->nodes[2 * idx].node != NULL) idx++;
  uint32_t n_leaves = t->n_leaves;
  if (idx == t->n_leaves) {
    if (n_leaves == MLS_TREE_MAX_LEAVES) return MIMI_ERR_TOO_LARGE;
    n_leaves *= 2;
    MIMI_TRY(reserve(t, n_leaves));
  }
  /* Everything that can fail first: the leaf and the grown unmerged lists. */
  mls_node *node;
  MIMI_TRY(tree_node_from_leaf(leaf, &node));
  mls_node_path dp;
  uint32_t *lists[MLS_TREE_MAX_DEPTH] = {0};
  mimi_err err = mls_tree_direct_path(2 * idx, n_leaves, &dp);
  for (uint32_t i = 0; err == MIMI_OK && i < dp.count; i++) {
    const mls_parent_node *p = tree_parent_at(t, dp.nodes[i]);
    if (p == NULL) continue;
    lists[i] = malloc((p->unmerged_leaves_count + 1) * sizeof(uint32_t));
    if (lists[i] == NULL) {
      err = MIMI_ERR_NOMEM;
      break;
    }
    if (p->unmerged_leaves_count > 0)
      memcpy(lists[i], p->unmerged_leaves, p->unmerged_leaves_count * sizeof(uint32_t));
    lists[i][p->unmerged_leaves_count] = idx;
  }
  if (err != MIMI_OK) {
    for (uint32_t i = 0; i < MLS_TREE_MAX_DEPTH; i++) free(lists[i]);
    tree_node_free(node);
    return err;
  }
  t->n_leaves = n_leaves;
  tree_invalidate(t, 2 * idx); /* the root may be new: its ok flag was cleared by reserve */
  for (uint32_t i = 0; i < dp.count; i++) {
    if (lists[i] == NULL) continue;
    mls_parent_node *p = &t->nodes[dp.nodes[i]].node->parent_node;
    free(p->unmerged_leaves);
    p->unmerged_leaves = lists[i];
    p->unmerged_leaves_count++;
  }
  tree_set_node(t, 2 * idx, node);
  *leaf_index = idx;
  return MIMI_OK;
}

static bool leaves_blank(const mls_rtree *t, uint32_t from, uint32_t to) {
  for (uint32_t l = from; l < to; l++)
    if (t->nodes[2 * l].node != NULL) return false;
  return true;
}

mimi_err mls_rtree_remove(mls_rtree *t, uint32_t leaf) {
  if (leaf >= t->n_leaves) return MIMI_ERR_INVALID_ARG;
  if (t->nodes[2 * leaf].node == NULL) return MIMI_ERR_NOT_FOUND;
  tree_set_node(t, 2 * leaf, NULL);
  blank_direct_path(t, leaf);
  /* §12.1.3: drop right halves holding no member. The arrays keep their
   * size; the dropped slots are freed and blanked for a later extension. */
  while (t->n_leaves > 1 && leaves_blank(t, t->n_leaves / 2, t->n_leaves)) {
    uint32_t old_w = tree_width(t);
    t->n_leaves /= 2;
    for (uint32_t i = tree_width(t); i < old_w; i++) {
      tree_node_free(t->nodes[i].node);
      t->nodes[i].node = NULL;
      t->hash_ok[i] = 0;
    }
  }
  return MIMI_OK;
}

mimi_err mls_rtree_update(mls_rtree *t, uint32_t leaf, const mls_leaf_node *leaf_node) {
  if (leaf >= t->n_leaves) return MIMI_ERR_INVALID_ARG;
  if (t->nodes[2 * leaf].node == NULL) return MIMI_ERR_NOT_FOUND;
  mls_node *node;
  MIMI_TRY(tree_node_from_leaf(leaf_node, &node));
  tree_set_node(t, 2 * leaf, node);
  blank_direct_path(t, leaf);
  return MIMI_OK;
}

void mls_node_list_free(mls_node_list *l) {
  free(l->nodes);
  l->nodes = NULL;
  l->count = 0;
}

/* Resolution walk: with out == NULL it only counts (an upper bound when
 * leaves are excluded), so the caller can size the list first. */
static void resolve(const mls_rtree *t, uint32_t node, const uint32_t *excluded,
                    size_t n_excluded, uint32_t *out, size_t *count) {
  const mls_node *n = t->nodes[node].node;
  if (n != NULL) {
    if (out == NULL || !(node % 2 == 0 && tree_list_has(excluded, n_excluded, node / 2))) {
      if (out != NULL) out[*count] = node;
      (*count)++;
    }
    if (n->node_type != MLS_NODE_PARENT) return;
    for (size_t i = 0; i < n->parent_node.unmerged_leaves_count; i++) {
      uint32_t l = n->parent_node.unmerged_leaves[i];
      /* Entries naming no member under this node only occur in trees that
       * mls_rtree_validate rejects; they are left out so a resolution only
       * ever lists non-blank nodes of the tree. */
      if (l >= t->n_leaves || !tree_in_subtree(2 * l, node) || t->nodes[2 * l].node == NULL)
        continue;
      if (out != NULL && tree_list_has(excluded, n_excluded, l)) continue;
      if (out != NULL) out[*count] = 2 * l;
      (*count)++;
    }
    return;
  }
  if (node % 2 == 0) return;
  uint32_t left = 0, right = 0;
  if (mls_tree_left(node, t->n_leaves, &left) != MIMI_OK ||
      mls_tree_right(node, t->n_leaves, &right) != MIMI_OK)
    return;
  resolve(t, left, excluded, n_excluded, out, count);
  resolve(t, right, excluded, n_excluded, out, count);
}

mimi_err mls_rtree_resolution(const mls_rtree *t, uint32_t node, const uint32_t *excluded,
                              size_t n_excluded, mls_node_list *out) {
  if (node >= tree_width(t)) return MIMI_ERR_INVALID_ARG;
  size_t max = 0, count = 0;
  resolve(t, node, excluded, n_excluded, NULL, &max);
  uint32_t *nodes = malloc((max > 0 ? max : 1) * sizeof *nodes);
  if (nodes == NULL) return MIMI_ERR_NOMEM;
  resolve(t, node, excluded, n_excluded, nodes, &count);
  out->nodes = nodes;
  out->count = count;
  return MIMI_OK;
}

bool tree_subtree_occupied(const mls_rtree *t, uint32_t node) {
  if (t->nodes[node].node != NULL) return true;
  if (node % 2 == 0) return false;
  uint32_t left = 0, right = 0;
  if (mls_tree_left(node, t->n_leaves, &left) != MIMI_OK ||
      mls_tree_right(node, t->n_leaves, &right) != MIMI_OK)
    return false;
  return tree_subtree_occupied(t, left) || tree_subtree_occupied(t, right);
}

mimi_err mls_rtree_filtered_direct_path(const mls_rtree *t, uint32_t leaf, mls_node_path *out) {
  if (leaf >= t->n_leaves) return MIMI_ERR_INVALID_ARG;
  mls_node_path dp, cp;
  MIMI_TRY(mls_tree_direct_path(2 * leaf, t->n_leaves, &dp));
  MIMI_TRY(mls_tree_copath(2 * leaf, t->n_leaves, &cp));
  mls_node_path f;
  f.count = 0;
  /* copath[i] is the child of direct_path[i] off the leaf's side. */
  for (uint32_t i = 0; i < dp.count; i++)
    if (tree_subtree_occupied(t, cp.nodes[i])) f.nodes[f.count++] = dp.nodes[i];
  *out = f;
  return MIMI_OK;
}
