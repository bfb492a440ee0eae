/* secret_tree_internal.h — the secret tree's representation (see
 * secret_tree.c), shared with its persistence (secret_tree_store.c). */
#ifndef MIMI_MLS_SECRET_TREE_INTERNAL_H
#define MIMI_MLS_SECRET_TREE_INTERNAL_H

#include "mls_internal.h"

typedef struct {
  uint32_t node;
  uint8_t secret[MIMI_MAX_HASH];
} node_secret;

typedef struct {
  uint64_t next; /* generation whose key comes next; 2^32 when exhausted */
  uint8_t secret[MIMI_MAX_HASH]; /* ratchet_secret_[next] */
  mls_key_nonce *kept;           /* skipped generations, ascending */
  size_t n_kept, cap_kept;
} ratchet;

typedef struct {
  uint32_t leaf;
  ratchet r[2]; /* by mls_ratchet_type */
} leaf_state;

struct mls_secret_tree {
  uint16_t suite;
  size_t nh, nk, nn;
  uint32_t n_leaves;
  mls_secret_tree_config cfg;
  node_secret *nodes; /* ascending by node */
  size_t n_nodes, cap_nodes;
  leaf_state *leaves; /* ascending by leaf */
  size_t n_leaf_states, cap_leaf_states;
  uint64_t version; /* bumped by every applied ticket: older tickets are stale */
};

/* The tree as bytes (all its secrets: wipe them) and back; decode checks
 * the shape (sorted, in range, lengths of the suite) and gives BAD_LENGTH
 * or INVALID_ARG otherwise. */
MIMI_MUST_CHECK mimi_err mls_secret_tree_encode(const mls_secret_tree *st, mimi_bytes *out);
MIMI_MUST_CHECK mimi_err mls_secret_tree_decode(mls_secret_tree **out, const uint8_t *data,
                                                size_t len);

#endif /* MIMI_MLS_SECRET_TREE_INTERNAL_H */
