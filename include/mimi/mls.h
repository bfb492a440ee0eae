/*
 * mimi/mls.h — the MLS layer (RFC 9420): tree math, the labelled crypto
 * helpers, the key schedule, PSKs, the secret tree and transcript hashes.
 * Wire structs live in mimi/mls_messages.h. Section numbers refer to RFC 9420.
 *
 * Cipher suites are passed by id (1..7); an unknown id gives
 * MIMI_ERR_UNSUPPORTED_SUITE. Secrets that must be KDF.Nh long give
 * MIMI_ERR_BAD_LENGTH otherwise. Out-params are written only on success.
 */
#ifndef MIMI_MLS_H
#define MIMI_MLS_H

#include "mimi/base.h"
#include "mimi/crypto.h"
#include "mimi/mls_messages.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Tree math (§4.1, §7.1, Appendix C) over array node indices.
 *
 * RFC 9420 trees are complete: n_leaves is a power of two, 1 .. 2^31, so
 * node indices are 0 .. 2*n_leaves - 2 and fit in a uint32. Every function
 * validates its inputs:
 *   MIMI_ERR_INVALID_ARG  n_leaves is not such a power of two, or a node
 *                         index is outside the tree;
 *   MIMI_ERR_NOT_FOUND    the relative does not exist (children of a leaf,
 *                         parent or sibling of the root). */

#define MLS_TREE_MAX_LEAVES ((uint32_t)1 << 31)
#define MLS_TREE_MAX_DEPTH 31 /* longest direct path */

/* A direct path or copath, ordered from the leaf side to the root side. */
typedef struct {
  uint32_t nodes[MLS_TREE_MAX_DEPTH];
  uint32_t count;
} mls_node_path;

/* Number of trailing one bits: 0 for leaves, the root of 2^k leaves has k. */
uint32_t mls_tree_level(uint32_t node);
static inline uint32_t mls_tree_leaf_to_node(uint32_t leaf) { return leaf * 2; }

MIMI_MUST_CHECK mimi_err mls_tree_width(uint32_t n_leaves, uint32_t *width);
MIMI_MUST_CHECK mimi_err mls_tree_root(uint32_t n_leaves, uint32_t *root);
MIMI_MUST_CHECK mimi_err mls_tree_left(uint32_t node, uint32_t n_leaves, uint32_t *out);
MIMI_MUST_CHECK mimi_err mls_tree_right(uint32_t node, uint32_t n_leaves, uint32_t *out);
MIMI_MUST_CHECK mimi_err mls_tree_parent(uint32_t node, uint32_t n_leaves, uint32_t *out);
MIMI_MUST_CHECK mimi_err mls_tree_sibling(uint32_t node, uint32_t n_leaves, uint32_t *out);
/* Empty for the root. */
MIMI_MUST_CHECK mimi_err mls_tree_direct_path(uint32_t node, uint32_t n_leaves,
                                              mls_node_path *out);
MIMI_MUST_CHECK mimi_err mls_tree_copath(uint32_t node, uint32_t n_leaves, mls_node_path *out);
/* Lowest node on both nodes' direct paths (a node counts as on its own). */
MIMI_MUST_CHECK mimi_err mls_tree_common_ancestor(uint32_t a, uint32_t b, uint32_t n_leaves,
                                                  uint32_t *out);

#ifdef __cplusplus
}
#endif
#endif /* MIMI_MLS_H */
