/* tree_internal.h — the ratchet tree's representation and the helpers its
 * files (ratchet_tree.c, tree_hash.c, tree_validate.c, tree_path.c,
 * treekem.c) share. Not exported. */
#ifndef MIMI_MLS_TREE_INTERNAL_H
#define MIMI_MLS_TREE_INTERNAL_H

#include "mls_internal.h"

/* Always a complete tree: width = 2 * n_leaves - 1 array slots, blank nodes
 * having node == NULL. hash[i * Nh] caches node i's tree hash while
 * hash_ok[i]; a change to node i clears the flags of i and its ancestors. */
struct mls_rtree {
  const mimi_suite *suite;
  uint32_t n_leaves;
  mls_optional_node *nodes;
  uint8_t *hash;
  uint8_t *hash_ok;
};

static inline uint32_t tree_width(const mls_rtree *t) { return 2 * (t->n_leaves - 1) + 1; }
static inline uint32_t tree_root(const mls_rtree *t) { return t->n_leaves - 1; }

static inline const mls_leaf_node *tree_leaf_at(const mls_rtree *t, uint32_t node) {
  const mls_node *n = t->nodes[node].node;
  return n != NULL ? &n->leaf_node : NULL;
}
static inline const mls_parent_node *tree_parent_at(const mls_rtree *t, uint32_t node) {
  const mls_node *n = t->nodes[node].node;
  return n != NULL ? &n->parent_node : NULL;
}

/* Whether node x lies in the subtree rooted at p (p itself included). */
bool tree_in_subtree(uint32_t x, uint32_t p);
/* Whether a uint32 occurs in a list. */
bool tree_list_has(const uint32_t *list, size_t n, uint32_t v);

/* Clears the cached hashes of node and everything above it. */
void tree_invalidate(mls_rtree *t, uint32_t node);
/* Replaces node i by *n (taking ownership; NULL blanks it) and invalidates. */
void tree_set_node(mls_rtree *t, uint32_t i, mls_node *n);

/* The encryption key of a non-blank node. */
const mimi_bytes *tree_node_key(const mls_node *n);

/* Frees a heap node (NULL ok). */
void tree_node_free(mls_node *n);
/* A fresh heap node holding a copy of leaf. */
MIMI_MUST_CHECK mimi_err tree_node_from_leaf(const mls_leaf_node *leaf, mls_node **out);
/* Whether the subtree under node has any non-blank node (a non-empty
 * resolution). */
bool tree_subtree_occupied(const mls_rtree *t, uint32_t node);

/* Tree hash of node when the leaves in `blanked` (leaf indices) are blank
 * and dropped from every unmerged_leaves list (§7.9
 * original_sibling_tree_hash); with no blanked leaf, the cached hash. */
MIMI_MUST_CHECK mimi_err tree_hash_without(const mls_rtree *t, uint32_t node,
                                           const uint32_t *blanked, size_t n_blanked,
                                           uint8_t *out);
/* Hash of a TreeHashInput whose node and children hashes are given. */
MIMI_MUST_CHECK mimi_err tree_hash_leaf_input(const mimi_suite *s, uint32_t leaf_index,
                                              const mls_leaf_node *leaf, uint8_t *out);
MIMI_MUST_CHECK mimi_err tree_hash_parent_input(const mimi_suite *s,
                                                const mls_parent_node *parent,
                                                const uint8_t *left, const uint8_t *right,
                                                uint8_t *out);
/* §7.9 parent hash of a node with the given key and parent_hash field and
 * its copath child's original tree hash. */
MIMI_MUST_CHECK mimi_err tree_parent_hash(const mimi_suite *s, const mimi_bytes *encryption_key,
                                          const mimi_bytes *parent_hash,
                                          const uint8_t *sibling_hash, uint8_t *out);

/* §7.3 checks of one leaf that need no signature: source as expected
 * (0 = any), credential type and non-default extensions listed in its
 * capabilities, `required` met. */
MIMI_MUST_CHECK mimi_err tree_leaf_check(const mimi_suite *s, const mls_leaf_node *leaf,
                                         uint8_t expected_source,
                                         const mls_required_capabilities *required);
/* §7.3: the leaf's credential type is supported by every other member
 * (leaf `skip` is the one being replaced, or the leaf itself) and the leaf
 * supports every other member's credential type. */
MIMI_MUST_CHECK mimi_err tree_leaf_fits_group(const mls_rtree *t, const mls_leaf_node *leaf,
                                              uint32_t skip);
/* The leaf's signature over LeafNodeTBS (group_id and leaf_index are used
 * for update/commit sources only). */
MIMI_MUST_CHECK mimi_err tree_leaf_verify(const mimi_suite *s, const mls_leaf_node *leaf,
                                          const uint8_t *group_id, size_t group_id_len,
                                          uint32_t leaf_index);
MIMI_MUST_CHECK mimi_err tree_leaf_sign(const mimi_suite *s, mls_leaf_node *leaf,
                                        const uint8_t *sig_priv, size_t sig_priv_len,
                                        const uint8_t *group_id, size_t group_id_len,
                                        uint32_t leaf_index);

/* ---- An UpdatePath being merged, prepared off-tree so that every fallible
 * step happens before the tree changes (tree_path.c). */
typedef struct {
  uint32_t leaf;
  mls_node_path dp;      /* direct path */
  mls_node_path fdp;     /* filtered direct path */
  bool in_fdp[MLS_TREE_MAX_DEPTH];
  mls_node *new_nodes[MLS_TREE_MAX_DEPTH]; /* per dp entry: new parent or NULL (blank) */
  mls_node *new_leaf;
  uint8_t leaf_parent_hash[MIMI_MAX_HASH];
  size_t leaf_parent_hash_len;
} tree_path;

/* The child of parent `node` whose subtree holds `leaf`, and the other one. */
MIMI_MUST_CHECK mimi_err tree_children(const mls_rtree *t, uint32_t node, uint32_t leaf,
                                       uint32_t *near, uint32_t *far);
/* Direct and filtered direct path of leaf; nothing allocated yet. */
MIMI_MUST_CHECK mimi_err tree_path_init(tree_path *p, const mls_rtree *t, uint32_t leaf);
/* New parent nodes with the given public keys (one per fdp node) and their
 * parent hashes, top down; sets leaf_parent_hash. */
MIMI_MUST_CHECK mimi_err tree_path_set_keys(tree_path *p, const mls_rtree *t,
                                            const mimi_bytes *const *keys);
/* Root tree hash of the tree as it will be after tree_path_apply. */
MIMI_MUST_CHECK mimi_err tree_path_root_hash(const tree_path *p, const mls_rtree *t,
                                             uint8_t *out);
/* Moves the prepared nodes into the tree; cannot fail. */
void tree_path_apply(tree_path *p, mls_rtree *t);
void tree_path_clear(tree_path *p);

/* Public-key checks of an UpdatePath against the tree before the merge, and
 * its preparation into *p (a caller clears *p on error). */
MIMI_MUST_CHECK mimi_err tree_path_prepare_received(tree_path *p, const mls_rtree *t,
                                                    uint32_t sender, const mls_update_path *path,
                                                    const uint8_t *group_id,
                                                    size_t group_id_len);

#endif
