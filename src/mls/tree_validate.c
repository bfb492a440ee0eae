/* tree_validate.c — the checks run on a ratchet tree received from someone
 * else (§12.4.3.1 "verify the integrity of the ratchet tree"), and the leaf
 * node rules of §7.2 / §7.3 they share with Commit processing: leaf
 * signatures over LeafNodeTBS, capabilities, key uniqueness, unmerged
 * leaves, tree and parent hashes. */
#include <stdlib.h>
#include <string.h>

#include "tree_internal.h"

static bool u16_listed(const uint16_t *list, size_t n, uint16_t v) {
  for (size_t i = 0; i < n; i++)
    if (list[i] == v) return true;
  return false;
}

/* §7.2: types every client supports without listing them. */
static bool default_proposal(uint16_t t) {
  return t >= MLS_PROPOSAL_ADD && t <= MLS_PROPOSAL_GROUP_CONTEXT_EXTENSIONS;
}
static bool default_extension(uint16_t t) {
  return t >= MLS_EXT_APPLICATION_ID && t <= MLS_EXT_EXTERNAL_SENDERS;
}

mimi_err tree_leaf_check(const mimi_suite *s, const mls_leaf_node *leaf,
                         uint8_t expected_source, const mls_required_capabilities *required) {
  const mls_capabilities *c = &leaf->capabilities;
  if (expected_source != 0 && leaf->source.leaf_node_source != expected_source)
    return MIMI_ERR_BAD_LEAF_NODE;
  /* Only the receiver-side rules of §7.3. The suite and version lists, and
   * §7.2's "default types MUST NOT be listed", bind the leaf's author: the
   * mlswg vectors' suite-7 leaves do not list suite 7 (see spec-notes). */
  (void)s;
  if (!u16_listed(c->credentials, c->credentials_count, leaf->credential.credential_type))
    return MIMI_ERR_BAD_LEAF_NODE;
  for (size_t i = 0; i < leaf->extensions_count; i++) {
    uint16_t e = leaf->extensions[i].extension_type;
    if (!default_extension(e) && !u16_listed(c->extensions, c->extensions_count, e))
      return MIMI_ERR_BAD_LEAF_NODE;
  }
  if (required == NULL) return MIMI_OK;
  for (size_t i = 0; i < required->extension_types_count; i++) {
    uint16_t e = required->extension_types[i];
    if (!default_extension(e) && !u16_listed(c->extensions, c->extensions_count, e))
      return MIMI_ERR_BAD_LEAF_NODE;
  }
  for (size_t i = 0; i < required->proposal_types_count; i++) {
    uint16_t p = required->proposal_types[i];
    if (!default_proposal(p) && !u16_listed(c->proposals, c->proposals_count, p))
      return MIMI_ERR_BAD_LEAF_NODE;
  }
  for (size_t i = 0; i < required->credential_types_count; i++)
    if (!u16_listed(c->credentials, c->credentials_count, required->credential_types[i]))
      return MIMI_ERR_BAD_LEAF_NODE;
  return MIMI_OK;
}

/* LeafNodeTBS borrowing the leaf's fields (encoded, never freed). */
static mimi_err leaf_tbs(const mls_leaf_node *leaf, const uint8_t *group_id,
                         size_t group_id_len, uint32_t leaf_index, mimi_bytes *out) {
  mls_leaf_node_tbs tbs;
  memset(&tbs, 0, sizeof tbs);
  tbs.encryption_key = leaf->encryption_key;
  tbs.signature_key = leaf->signature_key;
  tbs.credential = leaf->credential;
  tbs.capabilities = leaf->capabilities;
  tbs.source = leaf->source;
  tbs.extensions = leaf->extensions;
  tbs.extensions_count = leaf->extensions_count;
  tbs.group.group_id = (mimi_bytes){(uint8_t *)group_id, group_id_len};
  tbs.group.leaf_index = leaf_index;
  return mls_leaf_node_tbs_encode(&tbs, out);
}

mimi_err tree_leaf_verify(const mimi_suite *s, const mls_leaf_node *leaf,
                          const uint8_t *group_id, size_t group_id_len, uint32_t leaf_index) {
  mimi_bytes tbs;
  MIMI_TRY(leaf_tbs(leaf, group_id, group_id_len, leaf_index, &tbs));
  mimi_err err = mls_verify_with_label(s->id, leaf->signature_key.data, leaf->signature_key.len,
                                       MLS_LABEL("LeafNodeTBS"), tbs.data, tbs.len,
                                       leaf->signature.data, leaf->signature.len);
  mimi_bytes_free(&tbs);
  /* A key that does not even parse cannot have signed it either. */
  return err == MIMI_ERR_BAD_KEY ? MIMI_ERR_BAD_SIGNATURE : err;
}

mimi_err tree_leaf_sign(const mimi_suite *s, mls_leaf_node *leaf, const uint8_t *sig_priv,
                        size_t sig_priv_len, const uint8_t *group_id, size_t group_id_len,
                        uint32_t leaf_index) {
  mimi_bytes tbs, sig;
  MIMI_TRY(leaf_tbs(leaf, group_id, group_id_len, leaf_index, &tbs));
  mimi_err err = mls_sign_with_label(s->id, sig_priv, sig_priv_len, MLS_LABEL("LeafNodeTBS"),
                                     tbs.data, tbs.len, &sig);
  mimi_bytes_free(&tbs);
  if (err != MIMI_OK) return err;
  mimi_bytes_free(&leaf->signature);
  leaf->signature = sig;
  return MIMI_OK;
}

mimi_err mls_leaf_node_sign(uint16_t suite, mls_leaf_node *leaf, const uint8_t *sig_priv,
                            size_t sig_priv_len, const uint8_t *group_id, size_t group_id_len,
                            uint32_t leaf_index) {
  const mimi_suite *s;
  MIMI_TRY(mls_suite_lookup(suite, &s));
  return tree_leaf_sign(s, leaf, sig_priv, sig_priv_len, group_id, group_id_len, leaf_index);
}

mimi_err mls_leaf_node_verify(uint16_t suite, const mls_leaf_node *leaf, const uint8_t *group_id,
                              size_t group_id_len, uint32_t leaf_index) {
  const mimi_suite *s;
  MIMI_TRY(mls_suite_lookup(suite, &s));
  return tree_leaf_verify(s, leaf, group_id, group_id_len, leaf_index);
}

/* §12.4.3.1: each unmerged leaf is a non-blank leaf under the node, listed
 * once, and listed at every non-blank node between the two. */
static mimi_err check_unmerged(const mls_rtree *t) {
  uint32_t w = tree_width(t);
  for (uint32_t p = 1; p < w; p += 2) {
    const mls_parent_node *pn = tree_parent_at(t, p);
    if (pn == NULL) continue;
    for (size_t i = 0; i < pn->unmerged_leaves_count; i++) {
      uint32_t l = pn->unmerged_leaves[i];
      if (l >= t->n_leaves || !tree_in_subtree(2 * l, p) || t->nodes[2 * l].node == NULL ||
          tree_list_has(pn->unmerged_leaves, i, l))
        return MIMI_ERR_BAD_UNMERGED_LEAVES;
      uint32_t x = 2 * l;
      for (;;) {
        MIMI_TRY(mls_tree_parent(x, t->n_leaves, &x));
        if (x == p) break;
        const mls_parent_node *mid = tree_parent_at(t, x);
        if (mid != NULL && !tree_list_has(mid->unmerged_leaves, mid->unmerged_leaves_count, l))
          return MIMI_ERR_BAD_UNMERGED_LEAVES;
      }
    }
  }
  return MIMI_OK;
}

static int cmp_key(const void *a, const void *b) {
  const mimi_bytes *x = *(const mimi_bytes *const *)a, *y = *(const mimi_bytes *const *)b;
  if (x->len != y->len) return x->len < y->len ? -1 : 1;
  return x->len == 0 ? 0 : memcmp(x->data, y->data, x->len);
}

static mimi_err check_unique(const mimi_bytes **keys, size_t n) {
  qsort(keys, n, sizeof *keys, cmp_key);
  for (size_t i = 1; i < n; i++)
    if (cmp_key(&keys[i - 1], &keys[i]) == 0) return MIMI_ERR_DUPLICATE_KEY;
  return MIMI_OK;
}

static mimi_err check_keys(const mls_rtree *t) {
  uint32_t w = tree_width(t);
  const mimi_bytes **keys = malloc((size_t)w * sizeof *keys);
  if (keys == NULL) return MIMI_ERR_NOMEM;
  size_t n = 0;
  for (uint32_t i = 0; i < w; i++)
    if (t->nodes[i].node != NULL) keys[n++] = tree_node_key(t->nodes[i].node);
  mimi_err err = check_unique(keys, n);
  n = 0;
  for (uint32_t l = 0; err == MIMI_OK && l < t->n_leaves; l++) {
    const mls_leaf_node *leaf = tree_leaf_at(t, 2 * l);
    if (leaf != NULL) keys[n++] = &leaf->signature_key;
  }
  if (err == MIMI_OK) err = check_unique(keys, n);
  free(keys);
  return err;
}

mimi_err tree_leaf_fits_group(const mls_rtree *t, const mls_leaf_node *leaf, uint32_t skip) {
  const mls_capabilities *c = &leaf->capabilities;
  for (uint32_t m = 0; m < t->n_leaves; m++) {
    const mls_leaf_node *b = tree_leaf_at(t, 2 * m);
    if (m == skip || b == NULL) continue;
    if (!u16_listed(b->capabilities.credentials, b->capabilities.credentials_count,
                    leaf->credential.credential_type) ||
        !u16_listed(c->credentials, c->credentials_count, b->credential.credential_type))
      return MIMI_ERR_BAD_LEAF_NODE;
  }
  return MIMI_OK;
}

static mimi_err check_leaves(const mls_rtree *t, const mls_required_capabilities *required) {
  for (uint32_t l = 0; l < t->n_leaves; l++) {
    const mls_leaf_node *a = tree_leaf_at(t, 2 * l);
    if (a == NULL) continue;
    MIMI_TRY(tree_leaf_check(t->suite, a, 0, required));
    MIMI_TRY(tree_leaf_fits_group(t, a, l));
  }
  return MIMI_OK;
}

mimi_err mls_rtree_validate(const mls_rtree *t, const uint8_t *group_id, size_t group_id_len,
                            const mls_required_capabilities *required,
                            const uint8_t *expected_tree_hash) {
  MIMI_TRY(check_unmerged(t));
  MIMI_TRY(check_keys(t));
  MIMI_TRY(check_leaves(t, required));
  if (expected_tree_hash != NULL) {
    uint8_t h[MIMI_MAX_HASH];
    MIMI_TRY(mls_rtree_root_hash(t, h));
    if (memcmp(h, expected_tree_hash, t->suite->hash_len) != 0) return MIMI_ERR_BAD_TREE_HASH;
  }
  /* Signatures before parent hashes: a forged leaf would otherwise show up
   * as a broken parent-hash chain, hiding the real fault. */
  for (uint32_t l = 0; l < t->n_leaves; l++) {
    const mls_leaf_node *leaf = tree_leaf_at(t, 2 * l);
    if (leaf != NULL) MIMI_TRY(tree_leaf_verify(t->suite, leaf, group_id, group_id_len, l));
  }
  return mls_rtree_verify_parent_hashes(t);
}
