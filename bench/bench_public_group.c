/* bench_public_group.c — the hub's view of a group at 16, 256 and 1024
 * members for suites 1 and 2: staging a received commit with an UpdatePath
 * (signature, proposal rules, path merge with the parent hash, tree hash,
 * transcript), a commit adding one member by value (KeyPackage checks, no
 * path), taking the group over from a signed GroupInfo with its tree (the
 * full §12.4.3.1 tree validation), and a serialize/deserialize round trip
 * of the hub's state. The group is built by one commit adding everyone and
 * one commit with a path by the creator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mimi/mls.h"
#include "mls_bench_client.h"
#include "util.h"

typedef struct {
  uint32_t n;
  client *c, joiner;
  mls_group *a;
  mls_public_group *hub;
  mls_message path_commit, add_commit;
  mls_group_info gi;
} bench_hub;

/* A commit by a that the hub has not seen (a's pending one, discarded). */
static void pending_commit(bench_hub *b, const mls_commit_options *opt, mls_message *out) {
  mls_welcome w;
  BENCH_OK(mls_group_commit(b->a, opt, mimi_rng_system(), out, &w));
  mls_group_discard_pending(b->a);
  mls_welcome_free(&w);
}

static void setup(bench_hub *b, uint16_t suite, uint32_t n) {
  memset(b, 0, sizeof *b);
  b->n = n;
  b->c = calloc(n, sizeof *b->c);
  if (b->c == NULL) bench_check(MIMI_ERR_NOMEM, "calloc");
  for (uint32_t i = 0; i < n; i++) make_client(suite, &b->c[i], i);
  make_client(suite, &b->joiner, n);
  mls_group_config cfg = mls_group_config_default();
  static const uint8_t gid[] = "bench-hub";
  BENCH_OK(mls_group_create(&b->a, gid, sizeof gid - 1, &b->c[0].kp, b->c[0].sig_priv.data,
                            b->c[0].sig_priv.len, NULL, 0, &cfg, mimi_rng_system()));
  BENCH_OK(mls_public_group_from_member(&b->hub, b->a, NULL));
  mls_proposal *adds = calloc(n - 1, sizeof *adds);
  if (adds == NULL) bench_check(MIMI_ERR_NOMEM, "calloc");
  for (uint32_t i = 1; i < n; i++) {
    adds[i - 1].proposal_type = MLS_PROPOSAL_ADD;
    adds[i - 1].add.key_package = b->c[i].kp.key_package;
  }
  mls_commit_options all = {adds, n - 1, false, false};
  mls_commit_options path = {NULL, 0, true, false};
  for (int round = 0; round < 2; round++) {
    mls_message cm;
    mls_welcome w;
    BENCH_OK(mls_group_commit(b->a, round == 0 ? &all : &path, mimi_rng_system(), &cm, &w));
    BENCH_OK(mls_public_group_process_commit(b->hub, &cm));
    BENCH_OK(mls_group_merge_pending(b->a));
    mls_message_free(&cm);
    mls_welcome_free(&w);
  }
  free(adds);
  pending_commit(b, &path, &b->path_commit);
  mls_proposal add = {.proposal_type = MLS_PROPOSAL_ADD};
  add.add.key_package = b->joiner.kp.key_package;
  mls_commit_options one = {&add, 1, false, false};
  pending_commit(b, &one, &b->add_commit);
  BENCH_OK(mls_group_group_info(b->a, true, false, &b->gi));
}

static void teardown(bench_hub *b) {
  mls_group_free(b->a);
  mls_public_group_free(b->hub);
  mls_message_free(&b->path_commit);
  mls_message_free(&b->add_commit);
  mls_group_info_free(&b->gi);
  for (uint32_t i = 0; i < b->n; i++) free_client(&b->c[i]);
  free_client(&b->joiner);
  free(b->c);
}

static int stage(bench_hub *b, const mls_message *m) {
  mls_public_staged_commit *sc = NULL;
  mimi_err err = mls_public_group_stage_commit(b->hub, m, &sc);
  mls_public_staged_commit_free(sc);
  return err != MIMI_OK;
}
static int op_stage_path(void *arg) {
  bench_hub *b = arg;
  return stage(b, &b->path_commit);
}
static int op_stage_add(void *arg) {
  bench_hub *b = arg;
  return stage(b, &b->add_commit);
}
static int op_from_group_info(void *arg) {
  bench_hub *b = arg;
  mls_public_group *pg = NULL;
  mimi_err err = mls_public_group_from_group_info(&pg, &b->gi, NULL, NULL);
  mls_public_group_free(pg);
  return err != MIMI_OK;
}
static int op_store(void *arg) {
  bench_hub *b = arg;
  mimi_bytes blob;
  mls_public_group *pg = NULL;
  if (mls_public_group_serialize(b->hub, &blob) != MIMI_OK) return 1;
  mimi_err err = mls_public_group_deserialize(&pg, blob.data, blob.len, NULL);
  mls_public_group_free(pg);
  mimi_bytes_free(&blob);
  return err != MIMI_OK;
}

static void row(const char *op, uint16_t suite, uint32_t n, int (*fn)(void *), bench_hub *b) {
  double ops = bench_ops_per_sec(fn, b, bench_seconds());
  printf("| %-34s | %5u | %7u | %10.1f | %10.1f |\n", op, suite, n, ops, 1e6 / ops);
}

int main(void) {
  static const uint16_t suites[] = {1, 2};
  static const uint32_t sizes[] = {16, 256, 1024};
  printf("| %-34s | %5s | %7s | %10s | %10s |\n", "operation", "suite", "members", "ops/s",
         "us/op");
  printf("|------------------------------------|-------|---------|------------|------------|\n");
  for (size_t s = 0; s < 2; s++)
    for (size_t k = 0; k < 3; k++) {
      bench_hub b;
      setup(&b, suites[s], sizes[k]);
      row("hub stage commit (path)", suites[s], sizes[k], op_stage_path, &b);
      row("hub stage commit (add 1)", suites[s], sizes[k], op_stage_add, &b);
      row("hub from GroupInfo (validate)", suites[s], sizes[k], op_from_group_info, &b);
      row("hub serialize+deserialize", suites[s], sizes[k], op_store, &b);
      teardown(&b);
    }
  return 0;
}
