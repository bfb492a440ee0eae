/* test_public_group_follow.c — the hub's public group following groups
 * built with the member engine in all seven suites: every proposal and
 * commit also goes to the hub, which starts from the creator's signed
 * epoch-0 GroupInfo. After every epoch its GroupContext (epoch, tree hash,
 * confirmed transcript hash, extensions) and tree must equal every
 * member's, and the committer's GroupInfo must be accepted. Covers adds
 * (inline and by reference), updates, removes, self-removes, PSKs,
 * GroupContextExtensions, an external sender's Add, external joins and
 * resyncs, persistence mid-way, the policy hook's view, and a seeded random
 * evolution. Expected values: the members' own states (the member engine
 * is checked against the mlswg vectors by test_passive_client). */
#include <stdlib.h>

#include "group_world.h"

#define MAX WORLD_MAX

/* The hub beside the world, and what its policy hook saw of the last
 * commit. */
typedef struct {
  mls_public_group *pg;
  mls_public_group_policy policy;
  int calls;
  uint32_t committer;
  size_t n_proposals, n_added;
  uint64_t next_epoch;
} hub_side;

static hub_side *hub_of(world *w) { return w->ctx; }

static mimi_err record(void *ctx, const mls_public_group *pg, const mls_public_commit_view *v) {
  hub_side *h = ctx;
  h->calls++;
  h->committer = v->committer;
  h->n_proposals = v->n_proposals;
  h->n_added = v->n_added;
  h->next_epoch = v->next_context->epoch;
  CHECK(v->next_context->epoch == mls_public_group_epoch(pg) + 1);
  CHECK(v->committer_node != NULL);
  return MIMI_OK;
}

static mls_public_group_config hub_config(world *w) {
  mls_public_group_config c = {0, &hub_of(w)->policy};
  return c;
}

/* The hub's context and tree against every member's. */
static void hub_agrees(world *w) {
  const mls_public_group *pg = hub_of(w)->pg;
  mimi_bytes ht;
  CHECK_OK(mls_rtree_encode(mls_public_group_tree(pg), &ht));
  for (int i = 0; i < MAX; i++) {
    if (!w->m[i].in) continue;
    const mls_group_context *mc = mls_group_context_of(w->m[i].g);
    CHECK(mls_group_context_equal(mls_public_group_context(pg), mc));
    CHECK(mls_public_group_epoch(pg) == mc->epoch);
    mimi_bytes mt;
    CHECK_OK(mls_rtree_encode(mls_group_tree(w->m[i].g), &mt));
    CHECK_BYTES(ht, mt);
    mimi_bytes_free(&mt);
    const mls_leaf_node *hl = mls_public_group_member(pg, mls_group_own_leaf(w->m[i].g));
    CHECK(hl != NULL && mimi_bytes_eq(&hl->signature_key, &w->m[i].sig_pub));
  }
  mimi_bytes_free(&ht);
}

/* The committer's GroupInfo (with the tree) is what the hub hands out. */
static void hub_takes_group_info(world *w, int from) {
  mls_group_info gi;
  CHECK_OK(mls_group_group_info(w->m[from].g, true, false, &gi));
  CHECK_OK(mls_public_group_set_group_info(hub_of(w)->pg, &gi));
  const mls_group_info *held = mls_public_group_group_info(hub_of(w)->pg);
  CHECK(held != NULL && mls_group_info_equal(held, &gi));
  mls_group_info_free(&gi);
}

static void hub_reload(world *w) {
  hub_side *h = hub_of(w);
  mimi_bytes blob, again;
  mls_public_group *pg = NULL;
  mls_public_group_config cfg = hub_config(w);
  CHECK_OK(mls_public_group_serialize(h->pg, &blob));
  CHECK_OK(mls_public_group_deserialize(&pg, blob.data, blob.len, &cfg));
  if (pg == NULL) {
    mimi_bytes_free(&blob);
    return;
  }
  CHECK_OK(mls_public_group_serialize(pg, &again));
  CHECK_BYTES(blob, again);
  mimi_bytes_free(&blob);
  mimi_bytes_free(&again);
  mls_public_group_free(h->pg);
  h->pg = pg;
}

static void on_proposal(world *w, const mls_message *msg) {
  CHECK_OK(mls_public_group_process_proposal(hub_of(w)->pg, msg));
}

/* The hub orders the commit first; members follow it. */
static void on_commit(world *w, const mls_message *cm, uint32_t committer, size_t n_added) {
  hub_side *h = hub_of(w);
  int before = h->calls;
  mls_public_staged_commit *sc = NULL;
  mimi_err err = mls_public_group_stage_commit(h->pg, cm, &sc);
  CHECK_OK(err);
  if (err != MIMI_OK) return;
  const mls_public_commit_view *v = mls_public_staged_commit_view(sc);
  CHECK(v->committer == committer && v->n_added == n_added);
  CHECK(h->calls == before + 1 && h->committer == committer);
  if (committer == UINT32_MAX) CHECK(v->n_proposals == 1 || v->n_proposals == 2);
  mls_public_group_merge(h->pg, sc);
  CHECK(mls_public_group_group_info(h->pg) == NULL);
}

static void on_epoch(world *w, int committer) {
  hub_agrees(w);
  hub_takes_group_info(w, committer);
}

static void hub_done(world *w) {
  mls_public_group_free(hub_of(w)->pg);
  free(w->ctx);
  w->ctx = NULL;
}

/* Handshakes stay PublicMessages (the hub must see them); the hub starts
 * from the creator's signed epoch-0 GroupInfo, and the same room taken
 * from the creator's state directly must store the same. */
static void world_setup(world *w) {
  w->public_only = true;
  hub_side *h = calloc(1, sizeof *h);
  if (h == NULL) exit(2);
  w->ctx = h;
  h->policy.check_commit = record;
  h->policy.ctx = h;
  w->hooks.proposal = on_proposal;
  w->hooks.commit = on_commit;
  w->hooks.epoch = on_epoch;
  w->hooks.store = hub_reload;
  w->hooks.done = hub_done;
  mls_group_info gi;
  CHECK_OK(mls_group_group_info(w->m[0].g, true, false, &gi));
  mls_public_group_config hc = hub_config(w);
  CHECK_OK(mls_public_group_from_group_info(&h->pg, &gi, NULL, &hc));
  mls_group_info_free(&gi);
  hub_agrees(w);
  mls_public_group *direct = NULL;
  mimi_bytes a, b;
  CHECK_OK(mls_public_group_serialize(h->pg, &a));
  CHECK_OK(mls_public_group_from_member(&direct, w->m[0].g, &hc));
  CHECK_OK(mls_public_group_set_group_info(direct, mls_public_group_group_info(h->pg)));
  CHECK_OK(mls_public_group_serialize(direct, &b));
  CHECK_BYTES(a, b);
  mimi_bytes_free(&a);
  mimi_bytes_free(&b);
  mls_public_group_free(direct);
}


/* GroupContextExtensions making `ext` (member slot 11's key) the room's
 * only external sender, then an Add of slot 6 proposed by it. */
static void external_sender_add(world *w, int committer) {
  member *es = &w->m[11];
  mls_external_sender one;
  one.signature_key = es->sig_pub;
  one.credential = es->cred;
  mls_external_senders list = {&one, 1};
  mimi_bytes data;
  CHECK_OK(mls_external_senders_encode(&list, &data));
  mls_extension ext = {MLS_EXT_EXTERNAL_SENDERS, data};
  mls_message msg;
  CHECK_OK(mls_group_propose_group_context_extensions(w->m[committer].g, &ext, 1, &w->rng, &msg));
  broadcast_proposal(w, committer, &msg);
  mls_message_free(&msg);
  mimi_bytes_free(&data);
  commit_round(w, committer, NULL, 0, NULL, 0, false);

  mls_proposal add = mt_add_of(&w->m[6]);
  CHECK_OK(mls_external_propose(mls_public_group_context(hub_of(w)->pg), 0, &add, es->sig_priv.data,
                                es->sig_priv.len, &msg));
  broadcast_proposal(w, -1, &msg);
  mls_message_free(&msg);
  int j[1] = {6};
  commit_round(w, committer, NULL, 0, j, 1, false);
  CHECK(w->m[6].in);
}

static void scripted(uint16_t suite) {
  world w;
  world_init(&w, suite, 11 + suite);
  mls_proposal p[3] = {mt_add_of(&w.m[1]), mt_add_of(&w.m[2]), mt_add_of(&w.m[3])};
  int j3[3] = {1, 2, 3};
  commit_round(&w, 0, p, 3, j3, 3, false);
  CHECK(hub_of(&w)->n_proposals == 3 && count_in(&w) == 4);

  mls_message msg;
  CHECK_OK(mls_group_propose_add(w.m[2].g, &w.m[4].kp.key_package, &w.rng, &msg));
  broadcast_proposal(&w, 2, &msg);
  mls_message_free(&msg);
  int j1[1] = {4};
  commit_round(&w, 1, NULL, 0, j1, 1, false);

  CHECK_OK(mls_group_propose_update(w.m[3].g, &w.rng, &msg));
  broadcast_proposal(&w, 3, &msg);
  mls_message_free(&msg);
  commit_round(&w, 0, NULL, 0, NULL, 0, false);

  CHECK_OK(mls_group_propose_remove(w.m[0].g, mls_group_own_leaf(w.m[4].g), &w.rng, &msg));
  broadcast_proposal(&w, 0, &msg);
  mls_message_free(&msg);
  commit_round(&w, 2, NULL, 0, NULL, 0, false);
  CHECK(!w.m[4].in);

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

  external_sender_add(&w, 2);
  hub_reload(&w);
  external_round(&w, 5, 3); /* a new member by external commit */
  external_round(&w, 2, 0); /* resync: 2 replaces its own leaf */
  CHECK(count_in(&w) == 5);

  mls_proposal rm; /* a Remove by value */
  rm.proposal_type = MLS_PROPOSAL_REMOVE;
  rm.remove.removed = mls_group_own_leaf(w.m[6].g);
  commit_round(&w, 0, &rm, 1, NULL, 0, false);
  CHECK(!w.m[6].in);
  hub_reload(&w);
  commit_round(&w, 3, NULL, 0, NULL, 0, false); /* empty commit: path only */
  CHECK(hub_of(&w)->next_epoch == mls_public_group_epoch(hub_of(&w)->pg));
  mimi_test_case();
  world_free(&w);
}

int main(void) {
  static const uint16_t suites[] = {1, 2, 3, 4, 5, 6, 7};
  for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++) scripted(suites[i]);
  const char *sub = getenv("MIMI_SUBSAMPLE");
  int steps = sub != NULL && atoi(sub) > 1 ? 120 / atoi(sub) : 120;
  evolve(1, 0x4ab, steps);
  evolve(3, 0x5cd, steps / 4);
  return mimi_test_summary("test_public_group_follow");
}
