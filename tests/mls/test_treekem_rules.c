/* test_treekem_rules.c — TreeKEM and UpdatePath processing on a group built
 * here from scratch (create, add three members, commit): first that every
 * member agrees, then every rejection rule of §7.5 / §12.4.2 with its exact
 * error code, each leaving the tree (bytes and hash) and the private state
 * unchanged; then a seeded random walk of adds, removes, updates and commits
 * checked after every step. Expected success values come from the
 * treekem.json vectors in test_treekem.c; here we check agreement and the
 * rules. */
#include <stdlib.h>

#include "harness.h"
#include "mimi/mls.h"

#define SUITE 1
#define NH 32
#define N 4

typedef struct {
  mimi_bytes kem_priv, sig_priv;
  mls_leaf_node leaf;
} member;

static member m[N];
static mls_rtree *tree;
static mls_treekem_private *priv[N];
static mls_group_context ctx;
static const uint8_t group_id[] = "treekem-rules";

static void make_member(member *x, uint8_t tag) {
  const mimi_suite *s = mimi_suite_get(SUITE);
  memset(x, 0, sizeof *x);
  mimi_bytes sig_pub;
  CHECK_OK(mimi_kem_generate_key_pair(s->kem, mimi_rng_system(), &x->kem_priv,
                                      &x->leaf.encryption_key));
  CHECK_OK(mimi_sig_generate(s->sig, mimi_rng_system(), &x->sig_priv, &sig_pub));
  x->leaf.signature_key = sig_pub;
  x->leaf.credential.credential_type = MLS_CREDENTIAL_BASIC;
  CHECK_OK(mimi_bytes_copy(&x->leaf.credential.identity, &tag, 1));
  static const uint16_t one[] = {1};
  mls_capabilities *c = &x->leaf.capabilities;
  c->versions = malloc(sizeof(uint16_t));
  c->cipher_suites = malloc(sizeof(uint16_t));
  c->credentials = malloc(sizeof(uint16_t));
  memcpy(c->versions, one, 2);
  memcpy(c->cipher_suites, one, 2);
  memcpy(c->credentials, one, 2);
  c->versions_count = c->cipher_suites_count = c->credentials_count = 1;
  x->leaf.source.leaf_node_source = MLS_LEAF_SOURCE_KEY_PACKAGE;
  x->leaf.source.lifetime.not_after = UINT64_MAX;
  CHECK_OK(mls_leaf_node_sign(SUITE, &x->leaf, x->sig_priv.data, x->sig_priv.len, NULL, 0, 0));
}

static void setup(void) {
  for (uint8_t i = 0; i < N; i++) make_member(&m[i], i);
  CHECK_OK(mls_rtree_new(&tree, SUITE, &m[0].leaf));
  for (uint32_t i = 1; i < N; i++) {
    uint32_t idx = 99;
    CHECK_OK(mls_rtree_add(tree, &m[i].leaf, &idx));
    CHECK(idx == i);
  }
  CHECK(mls_rtree_leaf_count(tree) == N);
  for (uint32_t i = 0; i < N; i++)
    CHECK_OK(mls_treekem_private_new(&priv[i], SUITE, i, m[i].kem_priv.data, m[i].kem_priv.len));
  memset(&ctx, 0, sizeof ctx);
  ctx.version = MLS_VERSION_MLS10;
  ctx.cipher_suite = SUITE;
  CHECK_OK(mimi_bytes_copy(&ctx.group_id, group_id, sizeof group_id - 1));
  ctx.epoch = 1;
  CHECK_OK(mimi_bytes_alloc(&ctx.confirmed_transcript_hash, NH));
  CHECK_OK(mls_rtree_validate(tree, group_id, sizeof group_id - 1, NULL, NULL));
}

static void teardown(void) {
  mls_rtree_free(tree);
  mls_group_context_free(&ctx);
  for (int i = 0; i < N; i++) {
    mls_treekem_private_free(priv[i]);
    mimi_bytes_free(&m[i].kem_priv);
    mimi_bytes_free(&m[i].sig_priv);
    mls_leaf_node_free(&m[i].leaf);
  }
}

/* A commit from `sender`, processed by everyone: all reach one secret. */
static void commit_all(uint32_t sender) {
  mls_update_path path;
  mls_treekem_private *np = NULL;
  uint8_t cs[NH], got[NH];
  mls_rtree *before = NULL;
  CHECK_OK(mls_rtree_clone(&before, tree));
  CHECK_OK(mls_treekem_encap(tree, sender, NULL, m[sender].sig_priv.data, m[sender].sig_priv.len,
                             &ctx, NULL, 0, mimi_rng_system(), &path, &np, cs));
  if (np == NULL) {
    mls_rtree_free(before);
    return;
  }
  mls_treekem_private_free(priv[sender]);
  priv[sender] = np;
  CHECK_OK(mls_rtree_validate(tree, group_id, sizeof group_id - 1, NULL, NULL));
  mimi_bytes want, enc;
  CHECK_OK(mls_rtree_encode(tree, &want));
  for (uint32_t i = 0; i < N; i++) {
    if (i == sender) continue;
    mls_rtree *t = NULL;
    CHECK_OK(mls_rtree_clone(&t, before));
    CHECK_OK(mls_treekem_decap(t, priv[i], sender, &path, &ctx, NULL, 0, got));
    CHECK_MEM(got, NH, cs, NH);
    CHECK_OK(mls_treekem_private_check(priv[i], t));
    CHECK_OK(mls_rtree_encode(t, &enc));
    CHECK_BYTES(enc, want);
    mimi_bytes_free(&enc);
    mls_rtree_free(t);
  }
  mimi_bytes_free(&want);
  mls_update_path_free(&path);
  mls_rtree_free(before);
}

/* ---- one rejected UpdatePath: tree and private state stay as they were */

typedef struct {
  mimi_bytes tree_enc;
  uint8_t root[NH];
} snapshot;

static void snap(snapshot *s, const mls_rtree *t) {
  CHECK_OK(mls_rtree_encode(t, &s->tree_enc));
  CHECK_OK(mls_rtree_root_hash(t, s->root));
}

static void same(snapshot *s, const mls_rtree *t) {
  mimi_bytes enc;
  uint8_t root[NH];
  CHECK_OK(mls_rtree_encode(t, &enc));
  CHECK_BYTES(enc, s->tree_enc);
  CHECK_OK(mls_rtree_root_hash(t, root));
  CHECK_MEM(root, NH, s->root, NH);
  mimi_bytes_free(&enc);
  mimi_bytes_free(&s->tree_enc);
}

static void expect_decap(uint32_t receiver, mls_treekem_private *p, uint32_t sender,
                         const mls_update_path *path, const uint32_t *ex, size_t n_ex,
                         mimi_err want) {
  snapshot s;
  snap(&s, tree);
  uint8_t secret_before[NH], secret_after[NH], cs[NH];
  bool had = mls_treekem_private_path_secret(p, 3, secret_before) == MIMI_OK;
  memset(cs, 0xee, NH);
  CHECK_ERR(mls_treekem_decap(tree, p, sender, path, &ctx, ex, n_ex, cs), want);
  if (want == MIMI_OK) return; /* callers pass OK only on copies */
  same(&s, tree);
  for (int i = 0; i < NH; i++) CHECK(cs[i] == 0xee);
  CHECK(mls_treekem_private_leaf(p) == receiver);
  if (had) {
    CHECK_OK(mls_treekem_private_path_secret(p, 3, secret_after));
    CHECK_MEM(secret_after, NH, secret_before, NH);
  }
  CHECK_OK(mls_treekem_private_check(p, tree));
}

static void expect_merge(uint32_t sender, const mls_update_path *path, mimi_err want) {
  snapshot s;
  snap(&s, tree);
  CHECK_ERR(mls_rtree_merge_update_path(tree, sender, path, group_id, sizeof group_id - 1), want);
  same(&s, tree);
}

/* A fresh UpdatePath from `sender` against the current tree (not merged). */
static void fresh_path(uint32_t sender, const uint32_t *ex, size_t n_ex, mls_update_path *path,
                       uint8_t *cs) {
  mls_rtree *t = NULL;
  mls_treekem_private *np = NULL;
  CHECK_OK(mls_rtree_clone(&t, tree));
  CHECK_OK(mls_treekem_encap(t, sender, NULL, m[sender].sig_priv.data, m[sender].sig_priv.len,
                             &ctx, ex, n_ex, mimi_rng_system(), path, &np, cs));
  mls_treekem_private_free(np);
  mls_rtree_free(t);
}

/* Receiver r processes path on copies of the tree and its state and gets
 * commit secret cs. */
static void decap_copy_matches(uint32_t r, uint32_t sender, const mls_update_path *path,
                               const uint32_t *ex, size_t n_ex, const uint8_t *cs) {
  mls_rtree *t = NULL;
  mls_treekem_private *p = NULL;
  uint8_t got[NH];
  CHECK_OK(mls_rtree_clone(&t, tree));
  CHECK_OK(mls_treekem_private_clone(&p, priv[r]));
  CHECK_OK(mls_treekem_decap(t, p, sender, path, &ctx, ex, n_ex, got));
  CHECK_MEM(got, NH, cs, NH);
  mls_treekem_private_free(p);
  mls_rtree_free(t);
}

/* The encoded provisional GroupContext of `path` merged from sender. */
static void provisional(uint32_t sender, const mls_update_path *path, mimi_bytes *out) {
  mls_rtree *t = NULL;
  uint8_t root[NH];
  CHECK_OK(mls_rtree_clone(&t, tree));
  CHECK_OK(mls_rtree_merge_update_path(t, sender, path, group_id, sizeof group_id - 1));
  CHECK_OK(mls_rtree_root_hash(t, root));
  mls_group_context c = ctx;
  c.tree_hash = (mimi_bytes){root, NH};
  CHECK_OK(mls_group_context_encode(&c, out));
  mls_rtree_free(t);
}

static void reseal(uint32_t sender, mls_update_path *path, size_t node, const uint8_t *secret,
                   size_t len, const mimi_bytes *to) {
  mimi_bytes gc;
  provisional(sender, path, &gc);
  mls_hpke_ciphertext *ct = &path->nodes[node].encrypted_path_secret[0];
  mimi_bytes_free(&ct->kem_output);
  mimi_bytes_free(&ct->ciphertext);
  CHECK_OK(mls_encrypt_with_label(SUITE, to->data, to->len, (const uint8_t *)"UpdatePathNode", 14,
                                  gc.data, gc.len, secret, len, mimi_rng_system(),
                                  &ct->kem_output, &ct->ciphertext));
  mimi_bytes_free(&gc);
}

/* After commits from 0 and 3 the tree is full: nodes 1, 3, 5 all set. A
 * path from leaf 2 has fdp [5, 3]; leaf 3 decrypts at node 5 with its leaf
 * key, leaves 0 and 1 at node 3 with node 1's key. */
static void test_rejections(void) {
  mls_update_path good, bad;
  uint8_t cs[NH];
  fresh_path(2, NULL, 0, &good, cs);
  CHECK(good.nodes_count == 2);

  /* A node key that is not what the signed parent hash committed to. */
  CHECK_OK(mimi_clone(mls_update_path_type(), &bad, &good));
  bad.nodes[1].encryption_key.data[5] ^= 1;
  expect_merge(2, &bad, MIMI_ERR_BAD_PARENT_HASH);
  expect_decap(0, priv[0], 2, &bad, NULL, 0, MIMI_ERR_BAD_PARENT_HASH);
  mls_update_path_free(&bad);

  /* A forged leaf. */
  CHECK_OK(mimi_clone(mls_update_path_type(), &bad, &good));
  bad.leaf_node.signature.data[0] ^= 1;
  expect_decap(3, priv[3], 2, &bad, NULL, 0, MIMI_ERR_BAD_SIGNATURE);
  mls_update_path_free(&bad);

  /* Too few nodes for the filtered direct path. */
  CHECK_OK(mimi_clone(mls_update_path_type(), &bad, &good));
  mls_update_path_node_free(&bad.nodes[1]);
  bad.nodes_count = 1;
  expect_merge(2, &bad, MIMI_ERR_BAD_UPDATE_PATH);
  mls_update_path_free(&bad);

  /* A ciphertext missing for node 5's copath resolution {leaf 3}: the
   * public merge does not look at ciphertexts, the receiver does. */
  CHECK_OK(mimi_clone(mls_update_path_type(), &bad, &good));
  mls_hpke_ciphertext_free(&bad.nodes[0].encrypted_path_secret[0]);
  bad.nodes[0].encrypted_path_secret_count = 0;
  expect_decap(3, priv[3], 2, &bad, NULL, 0, MIMI_ERR_BAD_UPDATE_PATH);
  mls_update_path_free(&bad);

  /* The leaf key already in the tree (leaf 1's). */
  CHECK_OK(mimi_clone(mls_update_path_type(), &bad, &good));
  mimi_bytes_free(&bad.leaf_node.encryption_key);
  CHECK_OK(mimi_bytes_dup(&bad.leaf_node.encryption_key, &mls_rtree_leaf(tree, 1)->encryption_key));
  expect_merge(2, &bad, MIMI_ERR_DUPLICATE_KEY);
  mls_update_path_free(&bad);

  /* The sender's own current leaf key (§12.4.2: must change). */
  CHECK_OK(mimi_clone(mls_update_path_type(), &bad, &good));
  mimi_bytes_free(&bad.leaf_node.encryption_key);
  CHECK_OK(mimi_bytes_dup(&bad.leaf_node.encryption_key, &mls_rtree_leaf(tree, 2)->encryption_key));
  expect_merge(2, &bad, MIMI_ERR_DUPLICATE_KEY);
  mls_update_path_free(&bad);

  /* A node key equal to an existing parent's. */
  CHECK_OK(mimi_clone(mls_update_path_type(), &bad, &good));
  mimi_bytes_free(&bad.nodes[0].encryption_key);
  CHECK_OK(mimi_bytes_dup(&bad.nodes[0].encryption_key,
                          &mls_rtree_node(tree, 1)->parent_node.encryption_key));
  expect_merge(2, &bad, MIMI_ERR_DUPLICATE_KEY);
  mls_update_path_free(&bad);

  /* Another member's signature key. */
  CHECK_OK(mimi_clone(mls_update_path_type(), &bad, &good));
  mimi_bytes_free(&bad.leaf_node.signature_key);
  CHECK_OK(mimi_bytes_dup(&bad.leaf_node.signature_key, &m[0].leaf.signature_key));
  expect_merge(2, &bad, MIMI_ERR_DUPLICATE_KEY);
  mls_update_path_free(&bad);

  /* Not a commit leaf. */
  CHECK_OK(mimi_clone(mls_update_path_type(), &bad, &good));
  mls_leaf_node_source_free(&bad.leaf_node.source);
  bad.leaf_node.source.leaf_node_source = MLS_LEAF_SOURCE_UPDATE;
  expect_merge(2, &bad, MIMI_ERR_BAD_LEAF_NODE);
  mls_update_path_free(&bad);

  /* A credential type (x509, listed by the leaf itself) the other members
   * do not support (§7.3). */
  CHECK_OK(mimi_clone(mls_update_path_type(), &bad, &good));
  mls_credential_free(&bad.leaf_node.credential);
  bad.leaf_node.credential.credential_type = MLS_CREDENTIAL_X509;
  mls_capabilities *caps = &bad.leaf_node.capabilities;
  caps->credentials = realloc(caps->credentials, 2 * sizeof(uint16_t));
  caps->credentials[1] = MLS_CREDENTIAL_X509;
  caps->credentials_count = 2;
  expect_merge(2, &bad, MIMI_ERR_BAD_LEAF_NODE);
  mls_update_path_free(&bad);

  /* Garbled ciphertext to leaf 3. */
  CHECK_OK(mimi_clone(mls_update_path_type(), &bad, &good));
  bad.nodes[0].encrypted_path_secret[0].ciphertext.data[0] ^= 1;
  expect_decap(3, priv[3], 2, &bad, NULL, 0, MIMI_ERR_AEAD_OPEN);
  mls_update_path_free(&bad);

  /* A well-formed ciphertext of the wrong path secret: the keys derived
   * from it are not the path's (§7.5 step 6); and one of the wrong size. */
  uint8_t wrong[NH];
  memset(wrong, 0x42, NH);
  CHECK_OK(mimi_clone(mls_update_path_type(), &bad, &good));
  reseal(2, &bad, 0, wrong, NH, &mls_rtree_leaf(tree, 3)->encryption_key);
  expect_decap(3, priv[3], 2, &bad, NULL, 0, MIMI_ERR_BAD_UPDATE_PATH);
  reseal(2, &bad, 0, wrong, NH / 2, &mls_rtree_leaf(tree, 3)->encryption_key);
  expect_decap(3, priv[3], 2, &bad, NULL, 0, MIMI_ERR_BAD_UPDATE_PATH);
  mls_update_path_free(&bad);

  /* Leaf 1 without node 1's key has nothing to decrypt with. */
  mls_treekem_private *bare = NULL;
  CHECK_OK(mls_treekem_private_new(&bare, SUITE, 1, m[1].kem_priv.data, m[1].kem_priv.len));
  expect_decap(1, bare, 2, &good, NULL, 0, MIMI_ERR_NOT_FOUND);
  mls_treekem_private_free(bare);

  /* Senders that cannot be. */
  expect_decap(2, priv[2], 2, &good, NULL, 0, MIMI_ERR_INVALID_ARG);
  expect_decap(0, priv[0], 9, &good, NULL, 0, MIMI_ERR_INVALID_ARG);
  expect_merge(4, &good, MIMI_ERR_INVALID_ARG);
  mls_rtree *t = NULL;
  CHECK_OK(mls_rtree_clone(&t, tree));
  CHECK_OK(mls_rtree_remove(t, 2));
  CHECK_ERR(mls_rtree_merge_update_path(t, 2, &good, group_id, sizeof group_id - 1),
            MIMI_ERR_NOT_FOUND);
  mls_treekem_private *np = (mls_treekem_private *)&bad; /* sentinel */
  CHECK_ERR(mls_treekem_encap(t, 2, NULL, m[2].sig_priv.data, m[2].sig_priv.len, &ctx, NULL, 0,
                              mimi_rng_system(), &bad, &np, cs),
            MIMI_ERR_NOT_FOUND);
  CHECK(np == (mls_treekem_private *)&bad);
  mls_rtree_free(t);

  /* The sender itself cannot be decrypted for; valid paths still work on
   * copies after all the failures above. */
  for (uint32_t r = 0; r < N; r++)
    if (r != 2) decap_copy_matches(r, 2, &good, NULL, 0, cs);
  mls_update_path_free(&good);
}

/* §7.6: new members of the same Commit get no ciphertext; they cannot
 * process the path, others must exclude them the same way. */
static void test_excluded(void) {
  const uint32_t ex[] = {3};
  mls_update_path path;
  uint8_t cs[NH];
  fresh_path(2, ex, 1, &path, cs);
  CHECK(path.nodes_count == 2 && path.nodes[0].encrypted_path_secret_count == 0 &&
        path.nodes[1].encrypted_path_secret_count == 1);
  expect_decap(3, priv[3], 2, &path, ex, 1, MIMI_ERR_INVALID_ARG);
  expect_decap(3, priv[3], 2, &path, NULL, 0, MIMI_ERR_BAD_UPDATE_PATH);
  for (uint32_t r = 0; r < 2; r++) decap_copy_matches(r, 2, &path, ex, 1, cs);
  mls_update_path_free(&path);
}

/* Encap failing half way (the RNG runs dry) changes nothing. */
static void test_encap_failures(void) {
  static uint8_t bytes[96];
  memset(bytes, 7, sizeof bytes);
  /* 32: leaf key; 64: + path secret; 96: + the first HPKE seal. */
  for (size_t n = 16; n <= 96; n += 16) {
    mimi_test_rng_state st;
    mimi_rng rng = mimi_test_rng_fixed(&st, bytes, n);
    snapshot s;
    snap(&s, tree);
    mls_update_path path;
    mls_treekem_private *np = NULL;
    uint8_t cs[NH];
    memset(&path, 0xab, sizeof path);
    CHECK_ERR(mls_treekem_encap(tree, 2, NULL, m[2].sig_priv.data, m[2].sig_priv.len, &ctx, NULL,
                                0, &rng, &path, &np, cs),
              MIMI_ERR_RNG);
    CHECK(np == NULL);
    same(&s, tree);
  }
  mls_treekem_private *np = NULL;
  mls_update_path path;
  uint8_t cs[NH];
  CHECK_ERR(mls_treekem_encap(tree, 4, NULL, m[2].sig_priv.data, m[2].sig_priv.len, &ctx, NULL, 0,
                              mimi_rng_system(), &path, &np, cs),
            MIMI_ERR_INVALID_ARG);
}

static void test_private_rules(void) {
  mls_treekem_private *p = NULL;
  uint8_t secret[NH], out[NH];
  memset(secret, 1, NH);
  CHECK_ERR(mls_treekem_private_new(&p, 99, 0, m[0].kem_priv.data, m[0].kem_priv.len),
            MIMI_ERR_UNSUPPORTED_SUITE);
  CHECK(p == NULL);
  /* Leaf 1 never committed, so its key package key is still current. */
  CHECK_OK(mls_treekem_private_new(&p, SUITE, 1, m[1].kem_priv.data, m[1].kem_priv.len));
  if (p == NULL) return;
  CHECK_OK(mls_treekem_private_check(p, tree));
  CHECK_ERR(mls_treekem_private_set_path_secret(p, 2, secret, NH), MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mls_treekem_private_set_path_secret(p, 5, secret, NH), MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mls_treekem_private_set_path_secret(p, 1, secret, NH - 1), MIMI_ERR_BAD_LENGTH);
  CHECK_ERR(mls_treekem_private_path_secret(p, 1, out), MIMI_ERR_NOT_FOUND);
  CHECK_ERR(mls_treekem_private_path_secret(p, 0, out), MIMI_ERR_NOT_FOUND);
  /* Joining from a path secret: wrong committer, size, or secret. Leaf 1's
   * lowest common node with committer 3 is the root (node 3). */
  mls_treekem_private *before = NULL;
  CHECK_OK(mls_treekem_private_clone(&before, p));
  CHECK_ERR(mls_treekem_private_join(p, tree, 1, secret, NH), MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mls_treekem_private_join(p, tree, 4, secret, NH), MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mls_treekem_private_join(p, tree, 3, secret, NH + 1), MIMI_ERR_BAD_LENGTH);
  CHECK_ERR(mls_treekem_private_join(p, tree, 3, secret, NH), MIMI_ERR_BAD_UPDATE_PATH);
  CHECK_ERR(mls_treekem_private_path_secret(p, 3, out), MIMI_ERR_NOT_FOUND);
  CHECK_OK(mls_treekem_private_check(p, tree));
  /* ...and the right one: the path secret leaf 3 holds for the root. */
  uint8_t root_secret[NH];
  CHECK_OK(mls_treekem_private_path_secret(priv[3], 3, root_secret));
  CHECK_OK(mls_treekem_private_join(p, tree, 3, root_secret, NH));
  CHECK_OK(mls_treekem_private_check(p, tree));
  CHECK_OK(mls_treekem_private_path_secret(p, 3, out));
  CHECK_MEM(out, NH, root_secret, NH);
  mls_treekem_private_free(p);
  p = before;
  CHECK_OK(mls_treekem_private_set_path_secret(p, 1, secret, NH));
  CHECK_OK(mls_treekem_private_path_secret(p, 1, out));
  CHECK_MEM(out, NH, secret, NH);
  /* A key the tree does not have at node 1. */
  CHECK_ERR(mls_treekem_private_check(p, tree), MIMI_ERR_BAD_KEY);
  mls_treekem_private_free(p);
}

/* ---- a group evolving at random: adds (left as unmerged leaves), removes
 * (truncating), updates and commits, each processed by every member. After
 * every step the tree validates in full and its cached root hash equals a
 * from-scratch one; after every commit all members agree on the secret and
 * the tree, and every private state matches the tree. */

#define MAXM 24

typedef struct {
  mls_rtree *tree;
  member mem[MAXM];
  mls_treekem_private *priv[MAXM]; /* by leaf index; NULL = no member */
  bool used[MAXM];
  bool fresh[MAXM]; /* added since the last commit: joins by Welcome */
  uint8_t next_tag;
  int joins;
} evo;

static void evo_check(evo *e) {
  CHECK_OK(mls_rtree_validate(e->tree, group_id, sizeof group_id - 1, NULL, NULL));
  mimi_bytes enc;
  CHECK_OK(mls_rtree_encode(e->tree, &enc));
  mls_rtree *fresh = NULL;
  CHECK_OK(mls_rtree_decode(&fresh, SUITE, enc.data, enc.len));
  uint8_t a[NH], b[NH];
  CHECK_OK(mls_rtree_root_hash(e->tree, a));
  if (fresh != NULL) {
    CHECK_OK(mls_rtree_root_hash(fresh, b));
    CHECK_MEM(a, NH, b, NH);
  }
  mls_rtree_free(fresh);
  mimi_bytes_free(&enc);
}

static void evo_add(evo *e) {
  member x;
  make_member(&x, 100 + e->next_tag++);
  uint32_t idx = 0;
  CHECK_OK(mls_rtree_add(e->tree, &x.leaf, &idx));
  if (idx >= MAXM || e->used[idx]) {
    CHECK(0);
    return;
  }
  CHECK_OK(mls_treekem_private_new(&e->priv[idx], SUITE, idx, x.kem_priv.data, x.kem_priv.len));
  e->mem[idx] = x;
  e->used[idx] = true;
  e->fresh[idx] = true;
}

static void evo_drop(evo *e, uint32_t l) {
  mls_treekem_private_free(e->priv[l]);
  e->priv[l] = NULL;
  mimi_bytes_free(&e->mem[l].kem_priv);
  mimi_bytes_free(&e->mem[l].sig_priv);
  mls_leaf_node_free(&e->mem[l].leaf);
  e->used[l] = false;
  e->fresh[l] = false;
}

static void evo_update(evo *e, uint32_t l) {
  const mimi_suite *s = mimi_suite_get(SUITE);
  mls_leaf_node leaf;
  CHECK_OK(mimi_clone(mls_leaf_node_type(), &leaf, mls_rtree_leaf(e->tree, l)));
  mimi_bytes sk;
  mimi_bytes_free(&leaf.encryption_key);
  CHECK_OK(mimi_kem_generate_key_pair(s->kem, mimi_rng_system(), &sk, &leaf.encryption_key));
  mls_leaf_node_source_free(&leaf.source);
  leaf.source.leaf_node_source = MLS_LEAF_SOURCE_UPDATE;
  CHECK_OK(mls_leaf_node_sign(SUITE, &leaf, e->mem[l].sig_priv.data, e->mem[l].sig_priv.len,
                              group_id, sizeof group_id - 1, l));
  CHECK_OK(mls_rtree_update(e->tree, l, &leaf));
  mls_treekem_private_free(e->priv[l]);
  e->priv[l] = NULL;
  CHECK_OK(mls_treekem_private_new(&e->priv[l], SUITE, l, sk.data, sk.len));
  mimi_bytes_free(&sk);
  mls_leaf_node_free(&leaf);
}

/* The members added since the last commit are excluded from the path and
 * join from the path secret the committer would put in their Welcome. */
static void evo_commit(evo *e, uint32_t sender) {
  mls_rtree *after = NULL;
  mls_update_path path;
  mls_treekem_private *np = NULL;
  uint8_t cs[NH], got[NH];
  uint32_t ex[MAXM];
  size_t n_ex = 0;
  for (uint32_t l = 0; l < MAXM; l++)
    if (e->fresh[l] && l != sender) ex[n_ex++] = l;
  CHECK_OK(mls_rtree_clone(&after, e->tree));
  CHECK_OK(mls_treekem_encap(after, sender, NULL, e->mem[sender].sig_priv.data,
                             e->mem[sender].sig_priv.len, &ctx, ex, n_ex, mimi_rng_system(), &path,
                             &np, cs));
  if (np == NULL) {
    mls_rtree_free(after);
    return;
  }
  mimi_bytes want;
  CHECK_OK(mls_rtree_encode(after, &want));
  for (uint32_t l = 0; l < MAXM; l++) {
    if (!e->used[l] || l == sender) continue;
    if (e->fresh[l]) {
      uint8_t ps[NH];
      uint32_t lca = 0;
      CHECK_OK(mls_tree_common_ancestor(2 * l, 2 * sender, mls_rtree_leaf_count(after), &lca));
      CHECK_OK(mls_treekem_private_path_secret(np, lca, ps));
      CHECK_OK(mls_treekem_private_join(e->priv[l], after, sender, ps, NH));
      CHECK_OK(mls_treekem_private_check(e->priv[l], after));
      e->fresh[l] = false;
      e->joins++;
      continue;
    }
    mls_rtree *t = NULL;
    CHECK_OK(mls_rtree_clone(&t, e->tree));
    CHECK_OK(mls_treekem_decap(t, e->priv[l], sender, &path, &ctx, ex, n_ex, got));
    CHECK_MEM(got, NH, cs, NH);
    mimi_bytes enc;
    CHECK_OK(mls_rtree_encode(t, &enc));
    CHECK_BYTES(enc, want);
    mimi_bytes_free(&enc);
    CHECK_OK(mls_treekem_private_check(e->priv[l], t));
    mls_rtree_free(t);
  }
  mls_treekem_private_free(e->priv[sender]);
  e->priv[sender] = np;
  e->fresh[sender] = false;
  mls_rtree_free(e->tree);
  e->tree = after;
  mimi_bytes_free(&want);
  mls_update_path_free(&path);
}

static uint32_t evo_pick(evo *e, mimi_test_prng *rng) {
  for (;;) {
    uint32_t l = (uint32_t)(mimi_test_prng_next(rng) % mls_rtree_leaf_count(e->tree));
    if (l < MAXM && e->used[l]) return l;
  }
}

static void test_evolution(void) {
  evo e;
  memset(&e, 0, sizeof e);
  make_member(&e.mem[0], 99);
  e.used[0] = true;
  CHECK_OK(mls_rtree_new(&e.tree, SUITE, &e.mem[0].leaf));
  CHECK_OK(mls_treekem_private_new(&e.priv[0], SUITE, 0, e.mem[0].kem_priv.data,
                                   e.mem[0].kem_priv.len));
  mimi_test_prng rng;
  mimi_test_rng_prng(&rng, 20261125);
  int commits = 0, unmerged = 0, truncations = 0;
  for (int step = 0; step < 120; step++) {
    uint32_t width_before = mls_rtree_leaf_count(e.tree);
    uint32_t members = 0;
    for (uint32_t l = 0; l < MAXM; l++) members += e.used[l];
    uint64_t r = mimi_test_prng_next(&rng) % 100;
    if (r < 30 && members < 16) {
      evo_add(&e);
    } else if (r < 50 && members > 2) {
      /* Half of the removals take the rightmost member, so the tree shrinks. */
      uint32_t l = evo_pick(&e, &rng);
      if (r < 40)
        for (uint32_t x = 0; x < MAXM; x++)
          if (e.used[x]) l = x;
      CHECK_OK(mls_rtree_remove(e.tree, l));
      evo_drop(&e, l);
    } else if (r < 65) {
      evo_update(&e, evo_pick(&e, &rng));
    } else {
      evo_commit(&e, evo_pick(&e, &rng));
      commits++;
    }
    evo_check(&e);
    truncations += mls_rtree_leaf_count(e.tree) < width_before;
    for (uint32_t x = 1; x < 2 * mls_rtree_leaf_count(e.tree) - 1; x += 2) {
      const mls_node *n = mls_rtree_node(e.tree, x);
      if (n != NULL && n->parent_node.unmerged_leaves_count > 0) {
        unmerged++;
        break;
      }
    }
  }
  /* The walk did reach the interesting states. */
  CHECK(commits > 20 && unmerged > 10 && truncations > 0 && e.joins > 5);
  for (uint32_t l = 0; l < MAXM; l++)
    if (e.used[l]) evo_drop(&e, l);
  mls_rtree_free(e.tree);
}

int main(void) {
  setup();
  commit_all(0);
  commit_all(3);
  for (uint32_t x = 1; x < 6; x += 2) CHECK(mls_rtree_node(tree, x) != NULL);
  mimi_test_case();
  test_rejections();
  mimi_test_case();
  test_excluded();
  mimi_test_case();
  test_encap_failures();
  mimi_test_case();
  test_private_rules();
  mimi_test_case();
  test_evolution();
  mimi_test_case();
  teardown();
  return mimi_test_summary("test_treekem_rules");
}
