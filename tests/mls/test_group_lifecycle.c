/* test_group_lifecycle.c — groups driven through the public API only:
 * create, add members by Welcome (tree in the Welcome or given out of
 * band), every member processing every proposal and commit, updates,
 * removes, self-removes, external joins and resyncs, external and
 * resumption PSKs, GroupContext
 * extensions, application messages in every direction after each epoch,
 * serialize / deserialize mid-way, and a seeded random evolution (200
 * steps over up to 16 members). Correctness of the values themselves is
 * test_passive_client's (mlswg vectors); here every member must agree on
 * epoch_authenticator, exporter output and tree after every epoch, and
 * every message must reach everyone. */
#include <stdlib.h>

#include "group_world.h"

#define MAX WORLD_MAX

static void check_agreement(world *w) {
  int first = -1;
  for (int i = 0; i < MAX; i++) {
    if (!w->m[i].in) continue;
    CHECK(mls_group_own_leaf(w->m[i].g) < mls_rtree_leaf_count(mls_group_tree(w->m[i].g)));
    if (first < 0) {
      first = i;
      continue;
    }
    const mls_group *a = w->m[first].g, *b = w->m[i].g;
    size_t la, lb;
    const uint8_t *ea = mls_group_epoch_authenticator(a, &la);
    const uint8_t *eb = mls_group_epoch_authenticator(b, &lb);
    CHECK(mls_group_epoch(a) == mls_group_epoch(b));
    CHECK_MEM(ea, la, eb, lb);
    uint8_t xa[32], xb[32];
    CHECK_OK(mls_group_export(a, (const uint8_t *)"test", 4, (const uint8_t *)"ctx", 3, xa, 32));
    CHECK_OK(mls_group_export(b, (const uint8_t *)"test", 4, (const uint8_t *)"ctx", 3, xb, 32));
    CHECK_MEM(xa, 32, xb, 32);
    CHECK(mls_group_context_equal(mls_group_context_of(a), mls_group_context_of(b)));
  }
}

/* Every member sends one application message that every other reads. */
static void chat(world *w) {
  for (int s = 0; s < MAX; s++) {
    if (!w->m[s].in) continue;
    uint8_t text[100];
    memset(text, 'a' + s, sizeof text);
    mls_message msg;
    CHECK_OK(mls_group_protect(w->m[s].g, text, sizeof text, NULL, 0, &w->rng, &msg));
    for (int r = 0; r < MAX; r++) {
      if (!w->m[r].in || r == s) continue;
      mimi_bytes got;
      uint32_t sender = 99;
      mimi_err err = mls_group_unprotect(w->m[r].g, &msg, &got, &sender);
      CHECK_OK(err);
      if (err != MIMI_OK) continue;
      CHECK_MEM(got.data, got.len, text, sizeof text);
      CHECK(sender == mls_group_own_leaf(w->m[s].g));
      mimi_bytes_free(&got);
    }
    mls_message_free(&msg);
  }
}

static void after_epoch(world *w, int committer) {
  (void)committer;
  check_agreement(w);
  chat(w);
}

static void world_setup(world *w) { w->hooks.epoch = after_epoch; }

/* The scripted tour: each kind of step once, in order. */
static void scripted(uint16_t suite) {
  world w;
  world_init(&w, suite, 7 + suite);
  mls_proposal p[3] = {mt_add_of(&w.m[1]), mt_add_of(&w.m[2]), mt_add_of(&w.m[3])};
  int j3[3] = {1, 2, 3};
  commit_round(&w, 0, p, 3, j3, 3, false); /* adds by value, no path */
  CHECK(count_in(&w) == 4);

  mls_message msg; /* an Add by reference from member 2 */
  CHECK_OK(mls_group_propose_add(w.m[2].g, &w.m[4].kp.key_package, &w.rng, &msg));
  broadcast_proposal(&w, 2, &msg);
  mls_message_free(&msg);
  int j1[1] = {4};
  commit_round(&w, 1, NULL, 0, j1, 1, false);

  CHECK_OK(mls_group_propose_update(w.m[3].g, &w.rng, &msg)); /* update, committed by 0 */
  broadcast_proposal(&w, 3, &msg);
  mls_message_free(&msg);
  commit_round(&w, 0, NULL, 0, NULL, 0, false);

  CHECK_OK(mls_group_propose_remove(w.m[0].g, mls_group_own_leaf(w.m[4].g), &w.rng, &msg));
  broadcast_proposal(&w, 0, &msg);
  mls_message_free(&msg);
  commit_round(&w, 2, NULL, 0, NULL, 0, false);
  CHECK(!w.m[4].in && count_in(&w) == 4);

  CHECK_OK(mls_group_propose_self_remove(w.m[1].g, &w.rng, &msg));
  broadcast_proposal(&w, 1, &msg);
  mls_message_free(&msg);
  commit_round(&w, 3, NULL, 0, NULL, 0, false);
  CHECK(!w.m[1].in && count_in(&w) == 3);

  CHECK_OK(mls_group_propose_external_psk(w.m[2].g, mt_psk_id, sizeof mt_psk_id - 1, &w.rng,
                                          &msg));
  broadcast_proposal(&w, 2, &msg);
  mls_message_free(&msg);
  commit_round(&w, 0, NULL, 0, NULL, 0, true);

  /* a resumption PSK of the previous epoch, inline */
  mls_proposal rp;
  memset(&rp, 0, sizeof rp);
  rp.proposal_type = MLS_PROPOSAL_PSK;
  mls_pre_shared_key_id *id = &rp.psk.psk;
  id->source.psktype = MLS_PSK_RESUMPTION;
  id->source.resumption.usage = MLS_RESUMPTION_APPLICATION;
  CHECK_OK(mimi_bytes_dup(&id->source.resumption.psk_group_id, mls_group_id(w.m[0].g)));
  id->source.resumption.psk_epoch = mls_group_epoch(w.m[0].g) - 1;
  CHECK_OK(mimi_bytes_alloc(&id->psk_nonce, mimi_suite_get(suite)->hash_len));
  commit_round(&w, 3, &rp, 1, NULL, 0, false);
  mls_proposal_free(&rp);

  static const uint8_t v1[] = "v1";
  mls_extension ext = {EXT_APP, {(uint8_t *)v1, 2}};
  CHECK_OK(mls_group_propose_group_context_extensions(w.m[3].g, &ext, 1, &w.rng, &msg));
  broadcast_proposal(&w, 3, &msg);
  mls_message_free(&msg);
  commit_round(&w, 2, NULL, 0, NULL, 0, false);
  const mls_group_context *gc = mls_group_context_of(w.m[0].g);
  CHECK(gc->extensions_count == 1 && gc->extensions[0].extension_type == EXT_APP);

  external_round(&w, 5, 3); /* a new member by external commit */
  CHECK(w.m[5].in && count_in(&w) == 4);
  external_round(&w, 2, 0); /* resync: 2 replaces its own leaf */
  CHECK(count_in(&w) == 4);
  for (int i = 0; i < MAX; i++)
    if (w.m[i].in) reload(&w, i);
  commit_round(&w, 0, NULL, 0, NULL, 0, false); /* empty commit: path only */
  mimi_test_case();
  world_free(&w);
}

int main(void) {
  static const uint16_t suites[] = {1, 2, 3, 4, 5, 6, 7};
  for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++) scripted(suites[i]);
  const char *sub = getenv("MIMI_SUBSAMPLE");
  int steps = sub != NULL && atoi(sub) > 1 ? 200 / atoi(sub) : 200;
  evolve(1, 0x5eed, steps);
  evolve(2, 0xbeef, steps / 4);
  return mimi_test_summary("test_group_lifecycle");
}
