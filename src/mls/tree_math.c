/* tree_math.c — index arithmetic of RFC 9420's array-based complete binary
 * trees (§4.1, Appendix C), with range checks so a hostile leaf count or
 * node index from the wire yields an error instead of a wrapped index. */
#include "mimi/mls.h"

static bool valid_leaf_count(uint32_t n_leaves) {
  return n_leaves != 0 && n_leaves <= MLS_TREE_MAX_LEAVES && (n_leaves & (n_leaves - 1)) == 0;
}

/* Width 2n - 1: node indices are < width. For n = 2^31 that is 2^32 - 1,
 * which still fits, so no index in a valid tree is UINT32_MAX. */
static uint32_t width_of(uint32_t n_leaves) { return 2 * (n_leaves - 1) + 1; }

static mimi_err check(uint32_t node, uint32_t n_leaves) {
  if (!valid_leaf_count(n_leaves) || node >= width_of(n_leaves)) return MIMI_ERR_INVALID_ARG;
  return MIMI_OK;
}

/* In a complete tree of 2^k leaves the root is the one node at level k. */
static uint32_t root_of(uint32_t n_leaves) { return n_leaves - 1; }

uint32_t mls_tree_level(uint32_t node) {
  uint32_t k = 0;
  while (k < 32 && ((node >> k) & 1u) == 1u) k++;
  return k;
}

mimi_err mls_tree_width(uint32_t n_leaves, uint32_t *width) {
  if (!valid_leaf_count(n_leaves)) return MIMI_ERR_INVALID_ARG;
  *width = width_of(n_leaves);
  return MIMI_OK;
}

mimi_err mls_tree_root(uint32_t n_leaves, uint32_t *root) {
  if (!valid_leaf_count(n_leaves)) return MIMI_ERR_INVALID_ARG;
  *root = root_of(n_leaves);
  return MIMI_OK;
}

mimi_err mls_tree_left(uint32_t node, uint32_t n_leaves, uint32_t *out) {
  MIMI_TRY(check(node, n_leaves));
  uint32_t k = mls_tree_level(node);
  if (k == 0) return MIMI_ERR_NOT_FOUND;
  *out = node ^ (1u << (k - 1));
  return MIMI_OK;
}

mimi_err mls_tree_right(uint32_t node, uint32_t n_leaves, uint32_t *out) {
  MIMI_TRY(check(node, n_leaves));
  uint32_t k = mls_tree_level(node);
  if (k == 0) return MIMI_ERR_NOT_FOUND;
  *out = node ^ (3u << (k - 1));
  return MIMI_OK;
}

/* Caller has checked node is in range and not the root, so level <= 30. */
static uint32_t parent_of(uint32_t node) {
  uint32_t k = mls_tree_level(node);
  uint32_t b = (node >> (k + 1)) & 1u;
  return (node | (1u << k)) ^ (b << (k + 1));
}

mimi_err mls_tree_parent(uint32_t node, uint32_t n_leaves, uint32_t *out) {
  MIMI_TRY(check(node, n_leaves));
  if (node == root_of(n_leaves)) return MIMI_ERR_NOT_FOUND;
  *out = parent_of(node);
  return MIMI_OK;
}

mimi_err mls_tree_sibling(uint32_t node, uint32_t n_leaves, uint32_t *out) {
  MIMI_TRY(check(node, n_leaves));
  if (node == root_of(n_leaves)) return MIMI_ERR_NOT_FOUND;
  uint32_t p = parent_of(node);
  uint32_t k = mls_tree_level(p);
  /* The two children of p differ from it only in bits k-1 and k. */
  *out = node < p ? p ^ (3u << (k - 1)) : p ^ (1u << (k - 1));
  return MIMI_OK;
}

mimi_err mls_tree_direct_path(uint32_t node, uint32_t n_leaves, mls_node_path *out) {
  MIMI_TRY(check(node, n_leaves));
  mls_node_path path = {.count = 0};
  uint32_t r = root_of(n_leaves);
  while (node != r) {
    node = parent_of(node);
    path.nodes[path.count++] = node;
  }
  *out = path;
  return MIMI_OK;
}

/* The copath is the sibling of the node and of each direct-path node but
 * the root. */
mimi_err mls_tree_copath(uint32_t node, uint32_t n_leaves, mls_node_path *out) {
  mls_node_path dp, path = {.count = 0};
  MIMI_TRY(mls_tree_direct_path(node, n_leaves, &dp));
  for (uint32_t i = 0; i < dp.count; i++)
    MIMI_TRY(mls_tree_sibling(i == 0 ? node : dp.nodes[i - 1], n_leaves, &path.nodes[i]));
  path.count = dp.count;
  *out = path;
  return MIMI_OK;
}

mimi_err mls_tree_common_ancestor(uint32_t a, uint32_t b, uint32_t n_leaves, uint32_t *out) {
  MIMI_TRY(check(a, n_leaves));
  MIMI_TRY(check(b, n_leaves));
  /* 64-bit so that shifting by a level of 31 + 1 stays defined. */
  uint64_t x = a, y = b;
  uint32_t lx = mls_tree_level(a) + 1, ly = mls_tree_level(b) + 1;
  if (lx <= ly && (x >> ly) == (y >> ly)) {
    *out = b;
    return MIMI_OK;
  }
  if (ly <= lx && (x >> lx) == (y >> lx)) {
    *out = a;
    return MIMI_OK;
  }
  uint32_t k = 0;
  while (x != y) {
    x >>= 1;
    y >>= 1;
    k++;
  }
  /* k >= 1 here: x != y on entry, since equal nodes were handled above. */
  *out = (uint32_t)((x << k) + ((uint64_t)1 << (k - 1)) - 1);
  return MIMI_OK;
}
