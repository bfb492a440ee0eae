/* test_tree_validation.c — the ratchet tree against the mlswg
 * tree-validation.json vectors (every case: resolution and tree hash of every
 * node, parent hashes, leaf signatures, the full joiner validation, and the
 * encode round trip), plus the decoder's structural rejections. */
#include <stdlib.h>

#include "harness.h"
#include "mimi/mls.h"

static void check_resolution(const mls_rtree *t, uint32_t node, json_t *want) {
  mls_node_list res;
  CHECK_OK(mls_rtree_resolution(t, node, NULL, 0, &res));
  CHECK(res.count == json_array_size(want));
  for (size_t i = 0; i < res.count && i < json_array_size(want); i++)
    CHECK(res.nodes[i] == (uint32_t)json_integer_value(json_array_get(want, i)));
  mls_node_list_free(&res);
}

static void check_case(json_t *c) {
  uint16_t suite = (uint16_t)mimi_vec_int(c, "cipher_suite");
  mimi_bytes tree = mimi_vec_hex(c, "tree"), gid = mimi_vec_hex(c, "group_id");
  json_t *res = json_object_get(c, "resolutions"), *hashes = json_object_get(c, "tree_hashes");
  mls_rtree *t = NULL;
  CHECK_OK(mls_rtree_decode(&t, suite, tree.data, tree.len));
  if (t != NULL) {
    uint32_t width = 2 * mls_rtree_leaf_count(t) - 1;
    CHECK(width == json_array_size(res) && width == json_array_size(hashes));
    for (uint32_t i = 0; i < width && i < json_array_size(res); i++)
      check_resolution(t, i, json_array_get(res, i));
    for (uint32_t i = 0; i < width && i < json_array_size(hashes); i++) {
      mimi_bytes want;
      CHECK_OK(mimi_bytes_from_hex(&want, json_string_value(json_array_get(hashes, i))));
      uint8_t got[MIMI_MAX_HASH];
      CHECK_OK(mls_rtree_tree_hash(t, i, got));
      CHECK_MEM(got, want.len, want.data, want.len);
      mimi_bytes_free(&want);
    }
    mimi_bytes root;
    CHECK_OK(mimi_bytes_from_hex(&root, json_string_value(
                                           json_array_get(hashes, mls_rtree_leaf_count(t) - 1))));
    CHECK_OK(mls_rtree_verify_parent_hashes(t));
    CHECK_OK(mls_rtree_validate(t, gid.data, gid.len, NULL, root.data));
    mimi_bytes enc;
    CHECK_OK(mls_rtree_encode(t, &enc));
    CHECK_BYTES(enc, tree);
    mimi_bytes_free(&enc);
    mimi_bytes_free(&root);
    mls_rtree_free(t);
  }
  mimi_bytes_free(&tree);
  mimi_bytes_free(&gid);
  mimi_test_case();
}

/* Structural rejections of §12.4.3.3 on hand-built node lists. */
static void test_bad_structure(void) {
  mls_node leaf, parent;
  memset(&leaf, 0, sizeof leaf);
  memset(&parent, 0, sizeof parent);
  leaf.node_type = MLS_NODE_LEAF;
  parent.node_type = MLS_NODE_PARENT;
  mls_optional_node nodes[3] = {{&leaf}, {NULL}, {NULL}};
  mls_ratchet_tree wire = {nodes, 0};
  mls_rtree *t = (mls_rtree *)&wire; /* sentinel: must stay untouched */
  CHECK_ERR(mls_rtree_from_wire(&t, 1, &wire), MIMI_ERR_BAD_TREE); /* empty */
  wire.nodes_count = 2; /* trailing blank */
  CHECK_ERR(mls_rtree_from_wire(&t, 1, &wire), MIMI_ERR_BAD_TREE);
  nodes[1].node = &leaf; /* leaf at a parent position */
  CHECK_ERR(mls_rtree_from_wire(&t, 1, &wire), MIMI_ERR_BAD_TREE);
  nodes[1].node = NULL;
  nodes[2].node = &parent; /* parent at a leaf position */
  wire.nodes_count = 3;
  CHECK_ERR(mls_rtree_from_wire(&t, 1, &wire), MIMI_ERR_BAD_TREE);
  CHECK(t == (mls_rtree *)&wire);
  nodes[2].node = NULL;
  wire.nodes_count = 1;
  CHECK_ERR(mls_rtree_from_wire(&t, 99, &wire), MIMI_ERR_UNSUPPORTED_SUITE);
  CHECK(t == (mls_rtree *)&wire);
}

/* Decodes case `c`'s tree, lets `mutate` damage the node list, and expects
 * `want` from validation. */
enum { WITHOUT_HASH, WITH_HASH, PARENT_HASHES_ONLY };
static void expect_invalid(json_t *c, void (*mutate)(mls_ratchet_tree *), mimi_err want,
                           int mode) {
  uint16_t suite = (uint16_t)mimi_vec_int(c, "cipher_suite");
  mimi_bytes tree = mimi_vec_hex(c, "tree"), gid = mimi_vec_hex(c, "group_id");
  json_t *hashes = json_object_get(c, "tree_hashes");
  mimi_bytes root;
  CHECK_OK(mimi_bytes_from_hex(
      &root, json_string_value(json_array_get(hashes, json_array_size(hashes) / 2))));
  mls_ratchet_tree wire;
  CHECK_OK(mls_ratchet_tree_decode(tree.data, tree.len, &wire));
  mutate(&wire);
  mls_rtree *t = NULL;
  CHECK_OK(mls_rtree_from_wire(&t, suite, &wire));
  if (t != NULL) {
    if (mode == PARENT_HASHES_ONLY)
      CHECK_ERR(mls_rtree_verify_parent_hashes(t), want);
    else
      CHECK_ERR(mls_rtree_validate(t, gid.data, gid.len, NULL,
                                   mode == WITH_HASH ? root.data : NULL),
                want);
    /* Validation leaves the tree as it was. */
    mimi_bytes enc, orig;
    CHECK_OK(mls_rtree_encode(t, &enc));
    CHECK_OK(mls_ratchet_tree_encode(&wire, &orig));
    CHECK_BYTES(enc, orig);
    mimi_bytes_free(&enc);
    mimi_bytes_free(&orig);
    mls_rtree_free(t);
  }
  mls_ratchet_tree_free(&wire);
  mimi_bytes_free(&tree);
  mimi_bytes_free(&gid);
  mimi_bytes_free(&root);
}

static mls_leaf_node *leaf_of(mls_ratchet_tree *w, size_t leaf) {
  return &w->nodes[2 * leaf].node->leaf_node;
}
static mls_parent_node *parent_of(mls_ratchet_tree *w, size_t node) {
  return &w->nodes[node].node->parent_node;
}
static void no_change(mls_ratchet_tree *w) { (void)w; }
static void bad_leaf_signature(mls_ratchet_tree *w) { leaf_of(w, 5)->signature.data[3] ^= 1; }
static void bad_parent_hash(mls_ratchet_tree *w) { parent_of(w, 5)->parent_hash.data[0] ^= 1; }
static void bad_leaf_parent_hash(mls_ratchet_tree *w) {
  leaf_of(w, 2)->source.parent_hash.data[7] ^= 0x80;
}
static void duplicate_encryption_key(mls_ratchet_tree *w) {
  mls_parent_node *p = parent_of(w, 3);
  mimi_bytes_free(&p->encryption_key);
  CHECK_OK(mimi_bytes_dup(&p->encryption_key, &leaf_of(w, 6)->encryption_key));
}
static void duplicate_signature_key(mls_ratchet_tree *w) {
  mls_leaf_node *l = leaf_of(w, 1);
  mimi_bytes_free(&l->signature_key);
  CHECK_OK(mimi_bytes_dup(&l->signature_key, &leaf_of(w, 0)->signature_key));
}
static void set_unmerged(mls_parent_node *p, uint32_t leaf) {
  free(p->unmerged_leaves);
  p->unmerged_leaves = malloc(sizeof(uint32_t));
  p->unmerged_leaves[0] = leaf;
  p->unmerged_leaves_count = 1;
}
static void unmerged_not_descendant(mls_ratchet_tree *w) { set_unmerged(parent_of(w, 1), 7); }
static void unmerged_out_of_tree(mls_ratchet_tree *w) { set_unmerged(parent_of(w, 7), 8); }
/* Leaf 0 unmerged at the root but not at node 3 between them. */
static void unmerged_gap(mls_ratchet_tree *w) { set_unmerged(parent_of(w, 7), 0); }
static void credential_unsupported(mls_ratchet_tree *w) {
  leaf_of(w, 4)->capabilities.credentials_count = 0;
}
/* A non-default extension in the leaf that its capabilities do not list. */
static void extension_unlisted(mls_ratchet_tree *w) {
  mls_leaf_node *l = leaf_of(w, 4);
  mls_extension *e = realloc(l->extensions, (l->extensions_count + 1) * sizeof *e);
  l->extensions = e;
  memset(&e[l->extensions_count], 0, sizeof *e);
  e[l->extensions_count++].extension_type = 0x0a0a;
}

/* Unmerged entries naming no member below never reach a resolution, so
 * code walking resolutions of an unvalidated tree stays inside it. */
static void test_unmerged_outside(json_t *v) {
  json_t *c = json_array_get(v, 2);
  mimi_bytes tree = mimi_vec_hex(c, "tree");
  mls_ratchet_tree wire;
  CHECK_OK(mls_ratchet_tree_decode(tree.data, tree.len, &wire));
  mls_parent_node *root = &wire.nodes[7].node->parent_node;
  free(root->unmerged_leaves);
  root->unmerged_leaves = malloc(3 * sizeof(uint32_t));
  root->unmerged_leaves[0] = 8;
  root->unmerged_leaves[1] = 0x80000001u; /* 2 * l wraps to node 2 */
  root->unmerged_leaves[2] = 5;
  root->unmerged_leaves_count = 3;
  mls_rtree *t = NULL;
  CHECK_OK(mls_rtree_from_wire(&t, 1, &wire));
  if (t != NULL) {
    mls_node_list res;
    CHECK_OK(mls_rtree_resolution(t, 7, NULL, 0, &res));
    CHECK(res.count == 2 && res.nodes[0] == 7 && res.nodes[1] == 10);
    mls_node_list_free(&res);
    CHECK_ERR(mls_rtree_verify_parent_hashes(t), MIMI_ERR_BAD_PARENT_HASH);
    CHECK_ERR(mls_rtree_validate(t, NULL, 0, NULL, NULL), MIMI_ERR_BAD_UNMERGED_LEAVES);
    mls_rtree_free(t);
  }
  mls_ratchet_tree_free(&wire);
  mimi_bytes_free(&tree);
}

/* Damaged copies of the full 8-member tree of the vectors (case 2). */
static void test_bad_trees(json_t *v) {
  json_t *c = json_array_get(v, 2);
  CHECK(mimi_vec_int(c, "cipher_suite") == 1 && json_array_size(json_object_get(c, "resolutions")) == 15);
  expect_invalid(c, no_change, MIMI_OK, WITH_HASH);
  expect_invalid(c, bad_leaf_signature, MIMI_ERR_BAD_SIGNATURE, WITHOUT_HASH);
  expect_invalid(c, bad_parent_hash, MIMI_ERR_BAD_PARENT_HASH, WITHOUT_HASH);
  expect_invalid(c, bad_parent_hash, MIMI_ERR_BAD_TREE_HASH, WITH_HASH);
  expect_invalid(c, bad_leaf_parent_hash, MIMI_ERR_BAD_SIGNATURE, WITHOUT_HASH);
  expect_invalid(c, bad_leaf_parent_hash, MIMI_ERR_BAD_PARENT_HASH, PARENT_HASHES_ONLY);
  expect_invalid(c, bad_leaf_signature, MIMI_ERR_BAD_PARENT_HASH, PARENT_HASHES_ONLY);
  expect_invalid(c, duplicate_encryption_key, MIMI_ERR_DUPLICATE_KEY, WITHOUT_HASH);
  expect_invalid(c, duplicate_signature_key, MIMI_ERR_DUPLICATE_KEY, WITHOUT_HASH);
  expect_invalid(c, unmerged_not_descendant, MIMI_ERR_BAD_UNMERGED_LEAVES, WITHOUT_HASH);
  expect_invalid(c, unmerged_out_of_tree, MIMI_ERR_BAD_UNMERGED_LEAVES, WITHOUT_HASH);
  expect_invalid(c, unmerged_gap, MIMI_ERR_BAD_UNMERGED_LEAVES, WITHOUT_HASH);
  expect_invalid(c, credential_unsupported, MIMI_ERR_BAD_LEAF_NODE, WITHOUT_HASH);
  expect_invalid(c, extension_unlisted, MIMI_ERR_BAD_LEAF_NODE, WITHOUT_HASH);
}

/* Truncated and garbled encodings fail in the decoder with nothing out. */
static void test_bad_encodings(json_t *v) {
  json_t *c = json_array_get(v, 2);
  mimi_bytes tree = mimi_vec_hex(c, "tree");
  mls_rtree *t = NULL;
  CHECK_ERR(mls_rtree_decode(&t, 1, tree.data, tree.len - 1), MIMI_ERR_TRUNCATED);
  CHECK_ERR(mls_rtree_decode(&t, 1, tree.data, 0), MIMI_ERR_TRUNCATED);
  mimi_bytes longer;
  CHECK_OK(mimi_bytes_dup(&longer, &tree));
  uint8_t zero = 0;
  CHECK_OK(mimi_bytes_append(&longer, &zero, 1));
  CHECK_ERR(mls_rtree_decode(&t, 1, longer.data, longer.len), MIMI_ERR_TRAILING_DATA);
  /* The first node's presence byte, then its node type. */
  size_t hdr = (tree.data[0] >> 6) == 0 ? 1 : (tree.data[0] >> 6) == 1 ? 2 : 4;
  longer.data[hdr] = 2;
  CHECK_ERR(mls_rtree_decode(&t, 1, longer.data, tree.len), MIMI_ERR_BAD_OPTIONAL);
  longer.data[hdr] = 1;
  longer.data[hdr + 1] = 7;
  CHECK_ERR(mls_rtree_decode(&t, 1, longer.data, tree.len), MIMI_ERR_BAD_TAG);
  longer.data[hdr + 1] = MLS_NODE_PARENT; /* decodes, if at all, to a misplaced node */
  mimi_err err = mls_rtree_decode(&t, 1, longer.data, tree.len);
  CHECK(err != MIMI_OK);
  CHECK(t == NULL);
  mimi_bytes_free(&longer);
  mimi_bytes_free(&tree);
}

/* Case i's tree, its bytes in *bytes. */
static mls_rtree *case_tree(json_t *v, size_t i, mimi_bytes *bytes) {
  json_t *c = json_array_get(v, i);
  *bytes = mimi_vec_hex(c, "tree");
  mls_rtree *t = NULL;
  CHECK_OK(mls_rtree_decode(&t, (uint16_t)mimi_vec_int(c, "cipher_suite"), bytes->data,
                            bytes->len));
  return t;
}

/* t encodes to `bytes` and its root hash is `hash`. */
static void check_same_tree(const mls_rtree *t, const mimi_bytes *bytes, const uint8_t *hash) {
  mimi_bytes enc;
  uint8_t h[MIMI_MAX_HASH];
  CHECK_OK(mls_rtree_encode(t, &enc));
  CHECK_BYTES(enc, *bytes);
  mimi_bytes_free(&enc);
  CHECK_OK(mls_rtree_root_hash(t, h));
  CHECK_MEM(h, 32, hash, 32);
}

/* Failed operations leave the tree byte-identical. */
static void test_failed_ops(json_t *v) {
  mimi_bytes tree;
  mls_rtree *t = case_tree(v, 5, &tree); /* get_tree(3): leaf 3 blank */
  if (t != NULL) {
    uint8_t h0[MIMI_MAX_HASH];
    CHECK_OK(mls_rtree_root_hash(t, h0));
    CHECK(mls_rtree_leaf(t, 3) == NULL && mls_rtree_leaf(t, 2) != NULL);
    CHECK_ERR(mls_rtree_remove(t, 3), MIMI_ERR_NOT_FOUND);
    CHECK_ERR(mls_rtree_remove(t, 4), MIMI_ERR_INVALID_ARG);
    CHECK_ERR(mls_rtree_update(t, 3, mls_rtree_leaf(t, 2)), MIMI_ERR_NOT_FOUND);
    CHECK_ERR(mls_rtree_update(t, 9, mls_rtree_leaf(t, 2)), MIMI_ERR_INVALID_ARG);
    mls_node_path fdp;
    CHECK_ERR(mls_rtree_filtered_direct_path(t, 4, &fdp), MIMI_ERR_INVALID_ARG);
    mls_node_list res;
    CHECK_ERR(mls_rtree_resolution(t, 7, NULL, 0, &res), MIMI_ERR_INVALID_ARG);
    check_same_tree(t, &tree, h0);
    /* Excluding a leaf drops it from resolutions: node 5 resolves to {4}. */
    CHECK_OK(mls_rtree_resolution(t, 5, NULL, 0, &res));
    CHECK(res.count == 1 && res.nodes[0] == 4);
    mls_node_list_free(&res);
    uint32_t ex = 2;
    CHECK_OK(mls_rtree_resolution(t, 5, &ex, 1, &res));
    CHECK(res.count == 0);
    mls_node_list_free(&res);
    mls_rtree_free(t);
  }
  mimi_bytes_free(&tree);
}

/* Adding to a full tree doubles it (§7.7); removing that member truncates
 * it back: same bytes, and the cached root hash matches the vector. */
static void test_extend_truncate(json_t *v) {
  mimi_bytes tree;
  mls_rtree *t = case_tree(v, 2, &tree);
  if (t != NULL) {
    uint8_t h[MIMI_MAX_HASH], h2[MIMI_MAX_HASH];
    CHECK_OK(mls_rtree_root_hash(t, h));
    uint32_t idx = 0;
    CHECK_OK(mls_rtree_add(t, mls_rtree_leaf(t, 0), &idx));
    CHECK(idx == 8 && mls_rtree_leaf_count(t) == 16);
    CHECK(mls_rtree_node(t, 15) == NULL && mls_rtree_node(t, 7) != NULL);
    /* The old root gains no unmerged leaf: it is not above leaf 8. */
    CHECK(mls_rtree_node(t, 7)->parent_node.unmerged_leaves_count == 0);
    CHECK_OK(mls_rtree_root_hash(t, h2));
    CHECK(memcmp(h, h2, 32) != 0);
    CHECK_OK(mls_rtree_remove(t, 8));
    CHECK(mls_rtree_leaf_count(t) == 8);
    check_same_tree(t, &tree, h);
    /* Removing leaf 7 blanks the root; leaf 6 keeps the tree at 8 leaves. */
    CHECK_OK(mls_rtree_remove(t, 7));
    CHECK(mls_rtree_leaf_count(t) == 8 && mls_rtree_node(t, 7) == NULL);
    CHECK_OK(mls_rtree_remove(t, 6));
    CHECK_OK(mls_rtree_remove(t, 5));
    CHECK_OK(mls_rtree_remove(t, 4));
    CHECK(mls_rtree_leaf_count(t) == 4);
    /* Re-adding fills leaf 4 after extending again. */
    CHECK_OK(mls_rtree_add(t, mls_rtree_leaf(t, 0), &idx));
    CHECK(idx == 4 && mls_rtree_leaf_count(t) == 8 && mls_rtree_node(t, 9) == NULL);
    CHECK_OK(mls_rtree_root_hash(t, h2));
    mls_rtree *fresh = NULL;
    mimi_bytes enc;
    CHECK_OK(mls_rtree_encode(t, &enc));
    CHECK_OK(mls_rtree_decode(&fresh, 1, enc.data, enc.len));
    if (fresh != NULL) {
      CHECK_OK(mls_rtree_root_hash(fresh, h));
      CHECK_MEM(h, 32, h2, 32);
      mls_rtree_free(fresh);
    }
    mimi_bytes_free(&enc);
    mls_rtree_free(t);
  }
  mimi_bytes_free(&tree);
}

int main(void) {
  json_t *v = mimi_vec_load("mls/tree-validation.json");
  size_t i;
  json_t *c;
  json_array_foreach(v, i, c) check_case(c);
  test_bad_trees(v);
  test_bad_encodings(v);
  test_failed_ops(v);
  test_extend_truncate(v);
  test_unmerged_outside(v);
  json_decref(v);
  test_bad_structure();
  return mimi_test_summary("test_tree_validation");
}
