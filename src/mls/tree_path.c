/* tree_path.c — merging an UpdatePath into the public tree (§7.5, §7.9,
 * §12.4.2): the new direct-path nodes and their parent hashes are built off
 * the tree, the resulting root hash is computed from them, and only then are
 * they moved in, so a rejected path leaves the tree untouched. Shared by the
 * committer (treekem.c) and receivers. */
#include <stdlib.h>
#include <string.h>

#include "tree_internal.h"

mimi_err tree_path_init(tree_path *p, const mls_rtree *t, uint32_t leaf) {
  memset(p, 0, sizeof *p);
  if (leaf >= t->n_leaves) return MIMI_ERR_INVALID_ARG;
  p->leaf = leaf;
  MIMI_TRY(mls_tree_direct_path(2 * leaf, t->n_leaves, &p->dp));
  MIMI_TRY(mls_rtree_filtered_direct_path(t, leaf, &p->fdp));
  for (uint32_t j = 0, k = 0; j < p->dp.count; j++) {
    p->in_fdp[j] = k < p->fdp.count && p->fdp.nodes[k] == p->dp.nodes[j];
    if (p->in_fdp[j]) k++;
  }
  return MIMI_OK;
}

void tree_path_clear(tree_path *p) {
  for (uint32_t j = 0; j < MLS_TREE_MAX_DEPTH; j++) {
    tree_node_free(p->new_nodes[j]);
    p->new_nodes[j] = NULL;
  }
  tree_node_free(p->new_leaf);
  p->new_leaf = NULL;
}

mimi_err tree_children(const mls_rtree *t, uint32_t node, uint32_t leaf, uint32_t *near,
                       uint32_t *far) {
  uint32_t l, r;
  MIMI_TRY(mls_tree_left(node, t->n_leaves, &l));
  MIMI_TRY(mls_tree_right(node, t->n_leaves, &r));
  bool left_side = 2 * leaf < node;
  *near = left_side ? l : r;
  *far = left_side ? r : l;
  return MIMI_OK;
}

static uint32_t dp_slot(const tree_path *p, uint32_t node) {
  uint32_t j = 0;
  while (j < p->dp.count && p->dp.nodes[j] != node) j++;
  return j;
}

mimi_err tree_path_set_keys(tree_path *p, const mls_rtree *t, const mimi_bytes *const *keys) {
  const mimi_suite *s = t->suite;
  uint8_t above[MIMI_MAX_HASH];
  size_t above_len = 0; /* the root's parent_hash is empty */
  for (uint32_t i = p->fdp.count; i-- > 0;) {
    uint32_t node = p->fdp.nodes[i], near, far;
    mls_node *n = calloc(1, sizeof *n);
    if (n == NULL) return MIMI_ERR_NOMEM;
    p->new_nodes[dp_slot(p, node)] = n;
    n->node_type = MLS_NODE_PARENT;
    MIMI_TRY(mimi_bytes_dup(&n->parent_node.encryption_key, keys[i]));
    MIMI_TRY(mimi_bytes_copy(&n->parent_node.parent_hash, above, above_len));
    /* The new node has no unmerged leaves, so the original sibling tree
     * hash is the sibling's current one (§7.9). */
    uint8_t sib[MIMI_MAX_HASH];
    MIMI_TRY(tree_children(t, node, p->leaf, &near, &far));
    MIMI_TRY(mls_rtree_tree_hash(t, far, sib));
    MIMI_TRY(tree_parent_hash(s, keys[i], &n->parent_node.parent_hash, sib, above));
    above_len = s->hash_len;
  }
  memcpy(p->leaf_parent_hash, above, above_len);
  p->leaf_parent_hash_len = above_len;
  return MIMI_OK;
}

mimi_err tree_path_root_hash(const tree_path *p, const mls_rtree *t, uint8_t *out) {
  uint8_t h[MIMI_MAX_HASH], other[MIMI_MAX_HASH];
  MIMI_TRY(tree_hash_leaf_input(t->suite, p->leaf, &p->new_leaf->leaf_node, h));
  for (uint32_t j = 0; j < p->dp.count; j++) {
    uint32_t near, far;
    MIMI_TRY(tree_children(t, p->dp.nodes[j], p->leaf, &near, &far));
    MIMI_TRY(mls_rtree_tree_hash(t, far, other));
    const mls_parent_node *pn = p->new_nodes[j] != NULL ? &p->new_nodes[j]->parent_node : NULL;
    bool left_side = near < far;
    MIMI_TRY(tree_hash_parent_input(t->suite, pn, left_side ? h : other, left_side ? other : h,
                                    h));
  }
  memcpy(out, h, t->suite->hash_len);
  return MIMI_OK;
}

void tree_path_apply(tree_path *p, mls_rtree *t) {
  tree_set_node(t, 2 * p->leaf, p->new_leaf);
  p->new_leaf = NULL;
  for (uint32_t j = 0; j < p->dp.count; j++) {
    tree_set_node(t, p->dp.nodes[j], p->new_nodes[j]);
    p->new_nodes[j] = NULL;
  }
}

/* Public keys: a plain comparison is fine, and this loop runs over the
 * whole tree for every key of the path. */
static bool same_key(const mimi_bytes *a, const mimi_bytes *b) {
  return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

static bool key_in_tree(const mls_rtree *t, const mimi_bytes *k) {
  uint32_t w = tree_width(t);
  for (uint32_t i = 0; i < w; i++)
    if (t->nodes[i].node != NULL && same_key(tree_node_key(t->nodes[i].node), k)) return true;
  return false;
}

/* §12.4.2: no public key of the path may already be in the tree (which
 * includes the sender's current leaf key), nor repeat within the path; the
 * signature key must be no other member's. */
static mimi_err check_path_keys(const mls_rtree *t, uint32_t sender,
                                const mls_update_path *path) {
  const mimi_bytes *leaf_key = &path->leaf_node.encryption_key;
  if (key_in_tree(t, leaf_key)) return MIMI_ERR_DUPLICATE_KEY;
  for (size_t i = 0; i < path->nodes_count; i++) {
    const mimi_bytes *k = &path->nodes[i].encryption_key;
    if (key_in_tree(t, k) || same_key(k, leaf_key)) return MIMI_ERR_DUPLICATE_KEY;
    for (size_t j = 0; j < i; j++)
      if (same_key(k, &path->nodes[j].encryption_key)) return MIMI_ERR_DUPLICATE_KEY;
  }
  for (uint32_t l = 0; l < t->n_leaves; l++) {
    const mls_leaf_node *other = tree_leaf_at(t, 2 * l);
    if (l != sender && other != NULL &&
        same_key(&other->signature_key, &path->leaf_node.signature_key))
      return MIMI_ERR_DUPLICATE_KEY;
  }
  return MIMI_OK;
}

mimi_err tree_path_prepare_received(tree_path *p, const mls_rtree *t, uint32_t sender,
                                    const mls_update_path *path, const uint8_t *group_id,
                                    size_t group_id_len) {
  MIMI_TRY(tree_path_init(p, t, sender));
  if (tree_leaf_at(t, 2 * sender) == NULL) return MIMI_ERR_NOT_FOUND;
  if (path->nodes_count != p->fdp.count) return MIMI_ERR_BAD_UPDATE_PATH;
  const mls_leaf_node *leaf = &path->leaf_node;
  MIMI_TRY(tree_leaf_check(t->suite, leaf, MLS_LEAF_SOURCE_COMMIT, NULL));
  MIMI_TRY(tree_leaf_fits_group(t, leaf, sender));
  MIMI_TRY(check_path_keys(t, sender, path));
  MIMI_TRY(tree_leaf_verify(t->suite, leaf, group_id, group_id_len, sender));
  const mimi_bytes *keys[MLS_TREE_MAX_DEPTH];
  for (uint32_t i = 0; i < p->fdp.count; i++) keys[i] = &path->nodes[i].encryption_key;
  MIMI_TRY(tree_path_set_keys(p, t, keys));
  const mimi_bytes *ph = &leaf->source.parent_hash;
  if (ph->len != p->leaf_parent_hash_len ||
      (ph->len > 0 && memcmp(ph->data, p->leaf_parent_hash, ph->len) != 0))
    return MIMI_ERR_BAD_PARENT_HASH;
  return tree_node_from_leaf(leaf, &p->new_leaf);
}

mimi_err mls_rtree_merge_update_path(mls_rtree *t, uint32_t sender, const mls_update_path *path,
                                     const uint8_t *group_id, size_t group_id_len) {
  tree_path p;
  mimi_err err = tree_path_prepare_received(&p, t, sender, path, group_id, group_id_len);
  if (err == MIMI_OK) tree_path_apply(&p, t);
  tree_path_clear(&p);
  return err;
}
