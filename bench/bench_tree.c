/* bench_tree.c — the ratchet tree and TreeKEM at group sizes 16, 256 and
 * 1024 for suites 1 and 2: decoding a tree and computing its root tree hash
 * from scratch (the hash costs the difference of the two rows), rehashing
 * after one leaf changes (the cache at work), generating an UpdatePath
 * (committer) and processing one (receiver). The tree is full — every parent node set, as after each
 * member has committed once — so each path secret goes to one node per
 * level, the steady state of a busy group. The receiver is the
 * committer's sibling, which derives the whole path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mimi/mls.h"
#include "util.h"

typedef struct {
  uint16_t suite;
  uint32_t n;
  mimi_bytes *kem_priv, *sig_priv;
  mls_rtree *tree;    /* the committer's view */
  mls_rtree *tree_b;  /* the receiver's view */
  mls_treekem_private *a, *b;
  mls_group_context ctx;
  mimi_bytes encoded;
} group;

static void die(const char *what, mimi_err err) {
  fprintf(stderr, "bench_tree: %s: %s\n", what, mimi_errname(err));
  exit(1);
}
#define OK(expr)                                                                \
  do {                                                                          \
    mimi_err e_ = (expr);                                                       \
    if (e_ != MIMI_OK) die(#expr, e_);                                          \
  } while (0)

static void make_leaf(group *g, uint32_t i, mls_leaf_node *leaf) {
  const mimi_suite *s = mimi_suite_get(g->suite);
  static const uint16_t one[] = {1};
  memset(leaf, 0, sizeof *leaf);
  OK(mimi_kem_generate_key_pair(s->kem, mimi_rng_system(), &g->kem_priv[i], &leaf->encryption_key));
  OK(mimi_sig_generate(s->sig, mimi_rng_system(), &g->sig_priv[i], &leaf->signature_key));
  leaf->credential.credential_type = MLS_CREDENTIAL_BASIC;
  OK(mimi_bytes_copy(&leaf->credential.identity, (const uint8_t *)&i, sizeof i));
  mls_capabilities *c = &leaf->capabilities;
  c->credentials = malloc(sizeof one);
  if (c->credentials == NULL) die("malloc", MIMI_ERR_NOMEM);
  memcpy(c->credentials, one, sizeof one);
  c->credentials_count = 1;
  leaf->source.leaf_node_source = MLS_LEAF_SOURCE_KEY_PACKAGE;
  leaf->source.lifetime.not_after = UINT64_MAX;
  OK(mls_leaf_node_sign(g->suite, leaf, g->sig_priv[i].data, g->sig_priv[i].len, NULL, 0, 0));
}

static uint32_t bit_reverse(uint32_t x, uint32_t bits) {
  uint32_t r = 0;
  for (uint32_t i = 0; i < bits; i++) r |= ((x >> i) & 1u) << (bits - 1 - i);
  return r;
}

/* n members, then a commit from every even leaf (in bit-reversed order, so
 * early commits leave little blank space for later ones to encrypt to). */
static void group_init(group *g, uint16_t suite, uint32_t n) {
  memset(g, 0, sizeof *g);
  g->suite = suite;
  g->n = n;
  g->kem_priv = calloc(n, sizeof *g->kem_priv);
  g->sig_priv = calloc(n, sizeof *g->sig_priv);
  if (g->kem_priv == NULL || g->sig_priv == NULL) die("calloc", MIMI_ERR_NOMEM);
  for (uint32_t i = 0; i < n; i++) {
    mls_leaf_node leaf;
    make_leaf(g, i, &leaf);
    uint32_t idx;
    if (i == 0)
      OK(mls_rtree_new(&g->tree, suite, &leaf));
    else
      OK(mls_rtree_add(g->tree, &leaf, &idx));
    mls_leaf_node_free(&leaf);
  }
  g->ctx.version = MLS_VERSION_MLS10;
  g->ctx.cipher_suite = suite;
  OK(mimi_bytes_copy(&g->ctx.group_id, (const uint8_t *)"bench", 5));
  OK(mimi_bytes_alloc(&g->ctx.confirmed_transcript_hash, mimi_suite_get(suite)->hash_len));
  uint32_t bits = 0;
  while ((1u << bits) < n / 2) bits++;
  for (uint32_t k = 0; k < n / 2; k++) {
    uint32_t leaf = 2 * bit_reverse(k, bits);
    mls_update_path path;
    mls_treekem_private *p;
    uint8_t cs[MIMI_MAX_HASH];
    OK(mls_treekem_encap(g->tree, leaf, NULL, g->sig_priv[leaf].data, g->sig_priv[leaf].len,
                         &g->ctx, NULL, 0, mimi_rng_system(), &path, &p, cs));
    mls_update_path_free(&path);
    if (leaf == 0) {
      mls_treekem_private_free(g->a);
      g->a = p;
    } else {
      mls_treekem_private_free(p);
    }
  }
  OK(mls_rtree_clone(&g->tree_b, g->tree));
  OK(mls_treekem_private_new(&g->b, suite, 1, g->kem_priv[1].data, g->kem_priv[1].len));
  OK(mls_rtree_encode(g->tree, &g->encoded));
}

static void group_free(group *g) {
  for (uint32_t i = 0; i < g->n; i++) {
    mimi_bytes_free(&g->kem_priv[i]);
    mimi_bytes_free(&g->sig_priv[i]);
  }
  free(g->kem_priv);
  free(g->sig_priv);
  mls_rtree_free(g->tree);
  mls_rtree_free(g->tree_b);
  mls_treekem_private_free(g->a);
  mls_treekem_private_free(g->b);
  mls_group_context_free(&g->ctx);
  mimi_bytes_free(&g->encoded);
}

static int op_decode(void *arg) {
  group *g = arg;
  mls_rtree *t;
  if (mls_rtree_decode(&t, g->suite, g->encoded.data, g->encoded.len) != MIMI_OK) return 1;
  mls_rtree_free(t);
  return 0;
}

static int op_decode_hash(void *arg) {
  group *g = arg;
  mls_rtree *t;
  uint8_t h[MIMI_MAX_HASH];
  if (mls_rtree_decode(&t, g->suite, g->encoded.data, g->encoded.len) != MIMI_OK) return 1;
  mimi_err err = mls_rtree_root_hash(t, h);
  mls_rtree_free(t);
  return err != MIMI_OK;
}

/* Replacing one leaf then rehashing: only its path is recomputed. Runs on
 * the receiver's copy, which is rebuilt afterwards. */
static int op_update_hash(void *arg) {
  group *g = arg;
  uint8_t h[MIMI_MAX_HASH];
  if (mls_rtree_update(g->tree_b, 5, mls_rtree_leaf(g->tree_b, 5)) != MIMI_OK) return 1;
  return mls_rtree_root_hash(g->tree_b, h) != MIMI_OK;
}

/* One commit from leaf 0, processed by leaf 1 (whose tree and keys follow
 * along, so the loop can repeat); returns the encap time. */
static double commit_round(group *g, double *decap_time) {
  mls_update_path path;
  mls_treekem_private *p;
  uint8_t cs[MIMI_MAX_HASH], got[MIMI_MAX_HASH];
  double t0 = bench_now();
  OK(mls_treekem_encap(g->tree, 0, NULL, g->sig_priv[0].data, g->sig_priv[0].len, &g->ctx, NULL,
                       0, mimi_rng_system(), &path, &p, cs));
  double t1 = bench_now();
  mls_treekem_private_free(g->a);
  g->a = p;
  double t2 = bench_now();
  OK(mls_treekem_decap(g->tree_b, g->b, 0, &path, &g->ctx, NULL, 0, got));
  *decap_time += bench_now() - t2;
  if (memcmp(got, cs, mimi_suite_get(g->suite)->hash_len) != 0)
    die("commit secrets differ", MIMI_ERR_INTERNAL);
  mls_update_path_free(&path);
  return t1 - t0;
}

static void row(const char *op, uint16_t suite, uint32_t n, double ops) {
  printf("| %-34s | %5u | %7u | %10.0f | %10.1f |\n", op, suite, n, ops, 1e6 / ops);
}

int main(void) {
  static const uint32_t sizes[] = {16, 256, 1024};
  printf("| %-34s | %5s | %7s | %10s | %10s |\n", "operation", "suite", "members", "ops/s",
         "us/op");
  printf("|------------------------------------|-------|---------|------------|------------|\n");
  for (uint16_t suite = 1; suite <= 2; suite++) {
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++) {
      group g;
      group_init(&g, suite, sizes[si]);
      if (sizes[si] == 1024) {
        row("tree decode", suite, g.n, bench_ops_per_sec(op_decode, &g, bench_seconds()));
        row("tree decode + root tree hash", suite, g.n,
            bench_ops_per_sec(op_decode_hash, &g, bench_seconds()));
        row("leaf update + root tree hash", suite, g.n,
            bench_ops_per_sec(op_update_hash, &g, bench_seconds()));
        mls_rtree_free(g.tree_b);
        OK(mls_rtree_clone(&g.tree_b, g.tree));
      }
      double enc = 0, dec = 0, end = bench_now() + bench_seconds();
      int rounds = 0;
      commit_round(&g, &dec); /* warm-up; gives leaf 1 its path keys */
      dec = 0;
      while (bench_now() < end || rounds < 3) {
        enc += commit_round(&g, &dec);
        rounds++;
      }
      row("UpdatePath generate (encap)", suite, g.n, rounds / enc);
      row("UpdatePath process (decap)", suite, g.n, rounds / dec);
      group_free(&g);
    }
  }
  return 0;
}
