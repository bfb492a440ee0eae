/* bench_group.c — the group state machine at 16 and 256 members for
 * suites 1 and 2: creating a commit with an UpdatePath (then discarding
 * it), staging a received one (the receiver's whole §12.4.2 processing),
 * a commit adding one member with its Welcome, joining from that Welcome
 * (tree validation included), and a 100-byte application message
 * protected by one member and unprotected by another. The group is built
 * by one commit adding everyone, then one commit with a path by the
 * creator, so most parent nodes are blank: a path secret goes to every
 * leaf of each copath subtree (about N - 1 encryptions), the expensive
 * case of a group nobody else has committed in yet. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mimi/mls.h"
#include "mls_bench_client.h"
#include "util.h"

typedef struct {
  uint16_t suite;
  uint32_t n;
  client *c;
  mls_group *a, *b; /* creator (leaf 0) and member 1 */
  mls_message commit; /* a commit by a, for b to stage */
  mls_welcome welcome; /* adding one more member, for joining */
  client joiner;
} bench_group;

/* a commits; b stages and merges. */
static void round_trip(bench_group *g, const mls_commit_options *opt, mls_welcome *w) {
  mls_message cm;
  mls_authenticated_content ac;
  mls_staged_commit *sc;
  BENCH_OK(mls_group_commit(g->a, opt, mimi_rng_system(), &cm, w));
  BENCH_OK(mls_group_merge_pending(g->a));
  BENCH_OK(mls_group_read(g->b, &cm, &ac));
  BENCH_OK(mls_group_stage_commit(g->b, &ac, &sc));
  mls_group_merge(g->b, sc);
  mls_authenticated_content_free(&ac);
  mls_message_free(&cm);
}

static void setup(bench_group *g, uint16_t suite, uint32_t n) {
  memset(g, 0, sizeof *g);
  g->suite = suite;
  g->n = n;
  g->c = calloc(n, sizeof *g->c);
  if (g->c == NULL) bench_check(MIMI_ERR_NOMEM, "calloc");
  for (uint32_t i = 0; i < n; i++) make_client(suite, &g->c[i], i);
  make_client(suite, &g->joiner, n);
  mls_group_config cfg = mls_group_config_default();
  static const uint8_t gid[] = "bench";
  BENCH_OK(mls_group_create(&g->a, gid, 5, &g->c[0].kp, g->c[0].sig_priv.data, g->c[0].sig_priv.len,
                      NULL, 0, &cfg, mimi_rng_system()));
  mls_proposal *adds = calloc(n - 1, sizeof *adds);
  if (adds == NULL) bench_check(MIMI_ERR_NOMEM, "calloc");
  for (uint32_t i = 1; i < n; i++) {
    adds[i - 1].proposal_type = MLS_PROPOSAL_ADD;
    adds[i - 1].add.key_package = g->c[i].kp.key_package;
  }
  mls_commit_options opt = {adds, n - 1, false, true};
  mls_message cm;
  mls_welcome w;
  BENCH_OK(mls_group_commit(g->a, &opt, mimi_rng_system(), &cm, &w));
  BENCH_OK(mls_group_merge_pending(g->a));
  BENCH_OK(mls_group_join(&g->b, &w, &g->c[1].kp, g->c[1].sig_priv.data, g->c[1].sig_priv.len, NULL,
                    &cfg));
  mls_message_free(&cm);
  mls_welcome_free(&w);
  free(adds);
  mls_commit_options path = {NULL, 0, true, false};
  round_trip(g, &path, &w);
  mls_welcome_free(&w);
  /* the commit b stages in the benchmark */
  BENCH_OK(mls_group_commit(g->a, &path, mimi_rng_system(), &g->commit, &w));
  mls_group_discard_pending(g->a);
  mls_welcome_free(&w);
}

static void teardown(bench_group *g) {
  mls_group_free(g->a);
  mls_group_free(g->b);
  mls_message_free(&g->commit);
  mls_welcome_free(&g->welcome);
  for (uint32_t i = 0; i < g->n; i++) free_client(&g->c[i]);
  free_client(&g->joiner);
  free(g->c);
}

static int op_commit(void *arg) {
  bench_group *g = arg;
  mls_commit_options path = {NULL, 0, true, false};
  mls_message cm;
  mls_welcome w;
  if (mls_group_commit(g->a, &path, mimi_rng_system(), &cm, &w) != MIMI_OK) return 1;
  mls_group_discard_pending(g->a);
  mls_message_free(&cm);
  mls_welcome_free(&w);
  return 0;
}

static int op_stage(void *arg) {
  bench_group *g = arg;
  mls_authenticated_content ac;
  mls_staged_commit *sc = NULL;
  if (mls_group_read(g->b, &g->commit, &ac) != MIMI_OK) return 1;
  mimi_err err = mls_group_stage_commit(g->b, &ac, &sc);
  mls_staged_commit_free(sc);
  mls_authenticated_content_free(&ac);
  return err != MIMI_OK;
}

static int op_welcome(void *arg) {
  bench_group *g = arg;
  mls_proposal add = {.proposal_type = MLS_PROPOSAL_ADD};
  add.add.key_package = g->joiner.kp.key_package;
  mls_commit_options opt = {&add, 1, false, true};
  mls_message cm;
  mls_welcome w;
  if (mls_group_commit(g->a, &opt, mimi_rng_system(), &cm, &w) != MIMI_OK) return 1;
  mls_group_discard_pending(g->a);
  mls_message_free(&cm);
  mls_welcome_free(&g->welcome);
  g->welcome = w; /* kept for op_join */
  return 0;
}

static int op_join(void *arg) {
  bench_group *g = arg;
  mls_group_config cfg = mls_group_config_default();
  mls_group *j = NULL;
  mimi_err err = mls_group_join(&j, &g->welcome, &g->joiner.kp, g->joiner.sig_priv.data,
                                g->joiner.sig_priv.len, NULL, &cfg);
  mls_group_free(j);
  return err != MIMI_OK;
}

static int op_message(void *arg) {
  bench_group *g = arg;
  uint8_t text[100] = {0};
  mls_message m;
  mimi_bytes out;
  uint32_t sender;
  if (mls_group_protect(g->a, text, sizeof text, NULL, 0, mimi_rng_system(), &m) != MIMI_OK)
    return 1;
  mimi_err err = mls_group_unprotect(g->b, &m, &out, &sender);
  mimi_bytes_free(&out);
  mls_message_free(&m);
  return err != MIMI_OK;
}

static void row(const char *what, uint16_t suite, uint32_t n, int (*fn)(void *), void *arg) {
  double ops = bench_ops_per_sec(fn, arg, bench_seconds());
  printf("| %-36s | %5u | %7u | %10.1f | %10.1f |\n", what, suite, n, ops, 1e6 / ops);
}

int main(void) {
  static const uint16_t suites[] = {1, 2};
  static const uint32_t sizes[] = {16, 256};
  printf("| %-36s | %5s | %7s | %10s | %10s |\n", "operation", "suite", "members", "ops/s",
         "us/op");
  printf("|--------------------------------------|-------|---------|------------|------------|\n");
  for (size_t si = 0; si < 2; si++)
    for (size_t ni = 0; ni < 2; ni++) {
      bench_group g;
      setup(&g, suites[si], sizes[ni]);
      row("commit with path (create)", g.suite, g.n, op_commit, &g);
      row("commit with path (stage)", g.suite, g.n, op_stage, &g);
      row("commit adding 1 + Welcome", g.suite, g.n, op_welcome, &g);
      row("join from Welcome (tree in it)", g.suite, g.n, op_join, &g);
      row("app message 100 B protect+unprotect", g.suite, g.n, op_message, &g);
      teardown(&g);
    }
  return 0;
}
