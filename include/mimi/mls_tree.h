/*
 * mimi/mls_tree.h — the ratchet tree (RFC 9420 §4, §7) and TreeKEM: the
 * public tree every member and the hub keep in sync, its tree and parent
 * hashes, the checks a joiner runs on it, and the private path keys a member
 * holds. Included by mimi/mls.h. Section numbers refer to RFC 9420.
 *
 * Two objects:
 *   mls_rtree             the public tree of one group (nodes, tree-hash cache)
 *   mls_treekem_private   one member's private keys and path secrets for it
 *
 * Every mutating call is transactional: on error the tree (and the private
 * state) is exactly as before. Node indices are array indices (§4.1, App. C);
 * leaf L is node 2L. Errors beyond the general ones:
 *   MIMI_ERR_BAD_TREE            malformed tree (wrong node type at a
 *                                position, trailing blank, empty tree)
 *   MIMI_ERR_BAD_PARENT_HASH     a parent node is not parent-hash valid, or a
 *                                committer's leaf parent_hash is wrong
 *   MIMI_ERR_BAD_TREE_HASH       the tree hash differs from the expected one
 *   MIMI_ERR_BAD_UNMERGED_LEAVES an unmerged leaf is blank, outside the
 *                                node's subtree, repeated, or missing from
 *                                an intermediate node
 *   MIMI_ERR_DUPLICATE_KEY       an encryption or signature key is not unique
 *   MIMI_ERR_BAD_LEAF_NODE       a leaf's source, credential or capabilities
 *                                break §7.2 / §7.3
 *   MIMI_ERR_BAD_UPDATE_PATH     an UpdatePath does not fit the tree (node or
 *                                ciphertext count) or its keys do not match
 *                                the decrypted path secrets
 *   MIMI_ERR_BAD_SIGNATURE       a leaf signature does not verify
 */
#ifndef MIMI_MLS_TREE_H
#define MIMI_MLS_TREE_H

#include "mimi/base.h"
#include "mimi/crypto.h"
#include "mimi/mls.h"
#include "mimi/mls_messages.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* The public ratchet tree. */

typedef struct mls_rtree mls_rtree;

/* A one-member tree holding `leaf` at index 0 (a group's creator). */
MIMI_MUST_CHECK mimi_err mls_rtree_new(mls_rtree **out, uint16_t suite,
                                       const mls_leaf_node *leaf);
/* From the ratchet_tree extension's node list (§12.4.3.3): non-empty, last
 * node non-blank, leaves at even and parents at odd positions (BAD_TREE);
 * padded with blanks to a complete tree. Nothing else is checked: call
 * mls_rtree_validate before trusting it. */
MIMI_MUST_CHECK mimi_err mls_rtree_from_wire(mls_rtree **out, uint16_t suite,
                                             const mls_ratchet_tree *wire);
/* Decodes the encoded ratchet_tree and calls mls_rtree_from_wire. */
MIMI_MUST_CHECK mimi_err mls_rtree_decode(mls_rtree **out, uint16_t suite,
                                          const uint8_t *data, size_t len);
/* The ratchet_tree encoding, trailing blank nodes stripped. */
MIMI_MUST_CHECK mimi_err mls_rtree_encode(const mls_rtree *t, mimi_bytes *out);
MIMI_MUST_CHECK mimi_err mls_rtree_clone(mls_rtree **out, const mls_rtree *t);
void mls_rtree_free(mls_rtree *t); /* NULL ok */

uint16_t mls_rtree_suite(const mls_rtree *t);
/* A power of two; the tree has 2 * leaf_count - 1 nodes. */
uint32_t mls_rtree_leaf_count(const mls_rtree *t);
/* The node at an index, NULL if blank or outside the tree. */
const mls_node *mls_rtree_node(const mls_rtree *t, uint32_t node);
/* The leaf node of a leaf index, NULL if blank or outside the tree. */
const mls_leaf_node *mls_rtree_leaf(const mls_rtree *t, uint32_t leaf);

/* Add, remove and update apply an already validated proposal: they do not
 * check the leaf node (§7.3 is the proposal layer's job before calling).
 *
 * §7.7, §12.1.1: puts `leaf` (copied) into the leftmost blank leaf, doubling
 * the tree if there is none, and lists it as unmerged at every non-blank
 * parent above it. */
MIMI_MUST_CHECK mimi_err mls_rtree_add(mls_rtree *t, const mls_leaf_node *leaf,
                                       uint32_t *leaf_index);
/* §12.1.3: blanks the leaf and its direct path, then halves the tree while
 * the right subtree has no non-blank leaf. INVALID_ARG outside the tree,
 * NOT_FOUND for a blank leaf. */
MIMI_MUST_CHECK mimi_err mls_rtree_remove(mls_rtree *t, uint32_t leaf);
/* §12.1.2: replaces the leaf (copied) and blanks its direct path.
 * INVALID_ARG outside the tree, NOT_FOUND for a blank leaf. */
MIMI_MUST_CHECK mimi_err mls_rtree_update(mls_rtree *t, uint32_t leaf,
                                          const mls_leaf_node *leaf_node);

/* A list of node indices (free with mls_node_list_free). */
typedef struct {
  uint32_t *nodes;
  size_t count;
} mls_node_list;
void mls_node_list_free(mls_node_list *l);

/* §4.1.2 resolution of a node: a non-blank node then its unmerged leaves,
 * or the resolutions of its children. Leaves listed in `excluded` (leaf
 * indices; new members of the current Commit, §7.6) are left out. */
MIMI_MUST_CHECK mimi_err mls_rtree_resolution(const mls_rtree *t, uint32_t node,
                                              const uint32_t *excluded, size_t n_excluded,
                                              mls_node_list *out);
/* §4.1.2 filtered direct path of a leaf (leaf side first). */
MIMI_MUST_CHECK mimi_err mls_rtree_filtered_direct_path(const mls_rtree *t, uint32_t leaf,
                                                        mls_node_path *out);

/* §7.8 tree hash of a node / of the root (Nh bytes). Cached in the tree and
 * recomputed only below changed nodes. */
MIMI_MUST_CHECK mimi_err mls_rtree_tree_hash(const mls_rtree *t, uint32_t node, uint8_t *out);
MIMI_MUST_CHECK mimi_err mls_rtree_root_hash(const mls_rtree *t, uint8_t *out);

/* §7.9.2: every non-blank parent node has exactly one descendant for which
 * it is parent-hash valid. BAD_PARENT_HASH otherwise. */
MIMI_MUST_CHECK mimi_err mls_rtree_verify_parent_hashes(const mls_rtree *t);

/* §12.4.3.1 "verify the integrity of the ratchet tree", as a joiner does:
 *  - unmerged leaves consistent (BAD_UNMERGED_LEAVES);
 *  - encryption keys unique over all nodes, signature keys over all leaves
 *    (DUPLICATE_KEY);
 *  - every leaf per §7.3 (BAD_LEAF_NODE): credential type listed in its own
 *    capabilities and supported by every member, non-default extensions
 *    listed, required_capabilities (if `required` is not NULL) met;
 *  - tree hash equal to expected_tree_hash when that is not NULL
 *    (BAD_TREE_HASH);
 *  - leaf signatures, over LeafNodeTBS with group_id and the leaf index for
 *    update/commit leaves (BAD_SIGNATURE);
 *  - parent hashes (BAD_PARENT_HASH).
 * Credential validation with the Authentication Service (§5.3.1) and
 * lifetimes (only RECOMMENDED for received trees) are the caller's. */
MIMI_MUST_CHECK mimi_err mls_rtree_validate(const mls_rtree *t, const uint8_t *group_id,
                                            size_t group_id_len,
                                            const mls_required_capabilities *required,
                                            const uint8_t *expected_tree_hash);

/* §7.5, §12.4.2, public half of processing a Commit's UpdatePath (what the
 * hub does; members use mls_treekem_decap): checks the new leaf (source
 * commit, signature with group_id, §7.3 capabilities and credential types
 * against the other members, encryption key not
 * the sender's current one), that no key in the path already appears in
 * the tree and the new signature key is no other member's, the node count
 * against the sender's filtered direct path, and the leaf's parent_hash;
 * then merges. NOT_FOUND if the sender's leaf is blank. */
MIMI_MUST_CHECK mimi_err mls_rtree_merge_update_path(mls_rtree *t, uint32_t sender,
                                                     const mls_update_path *path,
                                                     const uint8_t *group_id,
                                                     size_t group_id_len);

/* §7.2 LeafNode signatures: SignWithLabel(., "LeafNodeTBS", LeafNodeTBS),
 * where group_id and leaf_index enter the TBS for update and commit sources
 * only. sign replaces leaf->signature; verify gives BAD_SIGNATURE for a
 * wrong signature or an unusable signature key. */
MIMI_MUST_CHECK mimi_err mls_leaf_node_sign(uint16_t suite, mls_leaf_node *leaf,
                                            const uint8_t *sig_priv, size_t sig_priv_len,
                                            const uint8_t *group_id, size_t group_id_len,
                                            uint32_t leaf_index);
MIMI_MUST_CHECK mimi_err mls_leaf_node_verify(uint16_t suite, const mls_leaf_node *leaf,
                                              const uint8_t *group_id, size_t group_id_len,
                                              uint32_t leaf_index);

/* ------------------------------------------------------------------------ */
/* TreeKEM private state (§7.4-§7.6). */

typedef struct mls_treekem_private mls_treekem_private;

/* A member at `leaf` with its leaf's HPKE private key. */
MIMI_MUST_CHECK mimi_err mls_treekem_private_new(mls_treekem_private **out, uint16_t suite,
                                                 uint32_t leaf, const uint8_t *leaf_priv,
                                                 size_t leaf_priv_len);
MIMI_MUST_CHECK mimi_err mls_treekem_private_clone(mls_treekem_private **out,
                                                   const mls_treekem_private *p);
void mls_treekem_private_free(mls_treekem_private *p); /* wipes; NULL ok */
uint32_t mls_treekem_private_leaf(const mls_treekem_private *p);
/* Sets the path secret (Nh bytes) of a parent node and its key pair
 * DeriveKeyPair(DeriveSecret(path_secret, "node")) (e.g. from a Welcome).
 * INVALID_ARG for a leaf or a node not above this member's leaf. */
MIMI_MUST_CHECK mimi_err mls_treekem_private_set_path_secret(mls_treekem_private *p,
                                                             uint32_t node,
                                                             const uint8_t *path_secret,
                                                             size_t len);
/* A new member's keys from its Welcome's path_secret (§12.4.3.1): the
 * secret of the lowest node on both its and the committer's direct paths,
 * then DeriveSecret(., "path") for each node above it on the committer's
 * filtered direct path in `t` (the tree after the Commit), every derived
 * public key checked against the tree (BAD_UPDATE_PATH, also when that
 * node is not on the committer's filtered direct path). INVALID_ARG if the
 * committer is p's own leaf or outside the tree; BAD_LENGTH unless Nh. */
MIMI_MUST_CHECK mimi_err mls_treekem_private_join(mls_treekem_private *p, const mls_rtree *t,
                                                  uint32_t committer,
                                                  const uint8_t *path_secret, size_t len);
/* The path secret held for a node (Nh bytes): NOT_FOUND if none. */
MIMI_MUST_CHECK mimi_err mls_treekem_private_path_secret(const mls_treekem_private *p,
                                                         uint32_t node, uint8_t *out);
/* A copy of the leaf's HPKE private key (for storing the state; with the
 * path secrets it is all the state there is). NOT_FOUND if none. */
MIMI_MUST_CHECK mimi_err mls_treekem_private_leaf_key(const mls_treekem_private *p,
                                                      mimi_bytes *priv);
/* Every private key belongs to a non-blank node of `t` whose public key
 * matches (BAD_KEY otherwise). */
MIMI_MUST_CHECK mimi_err mls_treekem_private_check(const mls_treekem_private *p,
                                                   const mls_rtree *t);

/* Committer (§7.4, §7.5, §7.6): blanks `leaf`'s direct path, draws a fresh
 * leaf key pair and path secrets, sets the new leaf (from leaf_template, or
 * the current leaf when NULL: source commit, new encryption key, parent
 * hash, signed with sig_priv over ctx->group_id and the leaf index), merges
 * the path into `t`, and encrypts each path secret to the copath
 * resolution (minus `excluded` new members) under the provisional
 * GroupContext `ctx` with tree_hash replaced by the new root hash.
 * Outputs the UpdatePath, the committer's new private state and
 * commit_secret (Nh). */
MIMI_MUST_CHECK mimi_err mls_treekem_encap(mls_rtree *t, uint32_t leaf,
                                           const mls_leaf_node *leaf_template,
                                           const uint8_t *sig_priv, size_t sig_priv_len,
                                           const mls_group_context *ctx,
                                           const uint32_t *excluded, size_t n_excluded,
                                           const mimi_rng *rng, mls_update_path *path_out,
                                           mls_treekem_private **priv_out,
                                           uint8_t *commit_secret);

/* Receiver (§7.5, §12.4.2): mls_rtree_merge_update_path with ctx->group_id,
 * then decrypts the path secret addressed to this member under `ctx` with
 * tree_hash replaced by the merged root hash, derives the rest of the path,
 * checks every derived public key against the path (BAD_UPDATE_PATH),
 * stores the new keys in `p` (dropping keys of nodes now blank) and outputs
 * commit_secret (Nh). INVALID_ARG if p is the sender or an excluded
 * leaf; NOT_FOUND if p holds no key in the relevant resolution. */
MIMI_MUST_CHECK mimi_err mls_treekem_decap(mls_rtree *t, mls_treekem_private *p,
                                           uint32_t sender, const mls_update_path *path,
                                           const mls_group_context *ctx,
                                           const uint32_t *excluded, size_t n_excluded,
                                           uint8_t *commit_secret);

#ifdef __cplusplus
}
#endif
#endif /* MIMI_MLS_TREE_H */
