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

#include "mls_test_util.h"

#define MAX 12


typedef mt_member member;

/* What the policy hook saw of the last commit. */
typedef struct {
  int calls;
  uint32_t committer;
  size_t n_proposals, n_added;
  uint64_t next_epoch;
} seen;

typedef struct {
  uint16_t suite;
  member m[MAX];
  mls_public_group *hub;
  seen seen;
  mls_public_group_policy policy;
  mimi_test_prng prng;
  mimi_rng rng;
  uint32_t next_name;
} world;

static mimi_err record(void *ctx, const mls_public_group *pg, const mls_public_commit_view *v) {
  seen *s = ctx;
  s->calls++;
  s->committer = v->committer;
  s->n_proposals = v->n_proposals;
  s->n_added = v->n_added;
  s->next_epoch = v->next_context->epoch;
  CHECK(v->next_context->epoch == mls_public_group_epoch(pg) + 1);
  CHECK(v->committer_node != NULL);
  return MIMI_OK;
}

static mls_public_group_config hub_config(world *w) {
  mls_public_group_config c = {0, &w->policy};
  return c;
}

static mls_group_config config(void) {
  mls_group_config c = mls_group_config_default();
  c.psks = &mt_fixed_psks; /* handshakes stay PublicMessages: the hub must see them */
  return c;
}

static void fresh_key_package(world *w, member *x) {
  char name[32] = "";
  if (x->sig_priv.len == 0) snprintf(name, sizeof name, "member-%u", w->next_name++);
  mt_member_key_package(x, w->suite, &w->rng, name, NULL, 0);
}

/* The hub's context and tree against every member's. */
static void hub_agrees(world *w) {
  mimi_bytes ht;
  CHECK_OK(mls_rtree_encode(mls_public_group_tree(w->hub), &ht));
  for (int i = 0; i < MAX; i++) {
    if (!w->m[i].in) continue;
    const mls_group_context *mc = mls_group_context_of(w->m[i].g);
    CHECK(mls_group_context_equal(mls_public_group_context(w->hub), mc));
    CHECK(mls_public_group_epoch(w->hub) == mc->epoch);
    mimi_bytes mt;
    CHECK_OK(mls_rtree_encode(mls_group_tree(w->m[i].g), &mt));
    CHECK_BYTES(ht, mt);
    mimi_bytes_free(&mt);
    uint32_t own = mls_group_own_leaf(w->m[i].g);
    const mls_leaf_node *hl = mls_public_group_member(w->hub, own);
    CHECK(hl != NULL && mimi_bytes_eq(&hl->signature_key, &w->m[i].sig_pub));
  }
  mimi_bytes_free(&ht);
}

/* The committer's GroupInfo (with the tree) is what the hub hands out. */
static void hub_takes_group_info(world *w, int from) {
  mls_group_info gi;
  CHECK_OK(mls_group_group_info(w->m[from].g, true, false, &gi));
  CHECK_OK(mls_public_group_set_group_info(w->hub, &gi));
  const mls_group_info *held = mls_public_group_group_info(w->hub);
  CHECK(held != NULL && mls_group_info_equal(held, &gi));
  mls_group_info_free(&gi);
}

static void hub_reload(world *w) {
  mimi_bytes blob, again;
  mls_public_group *pg = NULL;
  mls_public_group_config cfg = hub_config(w);
  CHECK_OK(mls_public_group_serialize(w->hub, &blob));
  CHECK_OK(mls_public_group_deserialize(&pg, blob.data, blob.len, &cfg));
  if (pg == NULL) {
    mimi_bytes_free(&blob);
    return;
  }
  CHECK_OK(mls_public_group_serialize(pg, &again));
  CHECK_BYTES(blob, again);
  mimi_bytes_free(&blob);
  mimi_bytes_free(&again);
  mls_public_group_free(w->hub);
  w->hub = pg;
}

static void hub_proposal(world *w, const mls_message *msg) {
  CHECK_OK(mls_public_group_process_proposal(w->hub, msg));
}

static void broadcast_proposal(world *w, int from, const mls_message *msg) {
  hub_proposal(w, msg);
  for (int i = 0; i < MAX; i++) {
    if (!w->m[i].in || i == from) continue;
    mls_authenticated_content ac;
    CHECK_OK(mls_group_read(w->m[i].g, msg, &ac));
    CHECK_OK(mls_group_store_proposal(w->m[i].g, &ac));
    mls_authenticated_content_free(&ac);
  }
}

/* The hub orders the commit first; members follow it. */
static void hub_commit(world *w, const mls_message *cm, uint32_t committer, size_t n_added) {
  int before = w->seen.calls;
  mls_public_staged_commit *sc = NULL;
  mimi_err err = mls_public_group_stage_commit(w->hub, cm, &sc);
  CHECK_OK(err);
  if (err != MIMI_OK) return;
  const mls_public_commit_view *v = mls_public_staged_commit_view(sc);
  CHECK(v->committer == committer && v->n_added == n_added);
  CHECK(w->seen.calls == before + 1 && w->seen.committer == committer);
  mls_public_group_merge(w->hub, sc);
  CHECK(mls_public_group_group_info(w->hub) == NULL);
}

static void commit_round(world *w, int committer, const mls_proposal *inl, size_t n_inl,
                         const int *joining, size_t n_joining, bool force_path) {
  mls_commit_options opt = {inl, n_inl, force_path, w->next_name % 2 == 0};
  mls_message cm;
  mls_welcome wel;
  mimi_err err = mls_group_commit(w->m[committer].g, &opt, &w->rng, &cm, &wel);
  CHECK_OK(err);
  if (err != MIMI_OK) return;
  hub_commit(w, &cm, mls_group_own_leaf(w->m[committer].g), n_joining);
  bool leaving[MAX] = {false};
  for (int i = 0; i < MAX; i++) {
    if (!w->m[i].in || i == committer) continue;
    mls_authenticated_content ac;
    mls_staged_commit *sc = NULL;
    CHECK_OK(mls_group_read(w->m[i].g, &cm, &ac));
    CHECK_OK(mls_group_stage_commit(w->m[i].g, &ac, &sc));
    mls_authenticated_content_free(&ac);
    if (sc == NULL) continue;
    leaving[i] = mls_staged_commit_removes_self(sc);
    mls_group_merge(w->m[i].g, sc);
  }
  CHECK_OK(mls_group_merge_pending(w->m[committer].g));
  mls_ratchet_tree tree;
  mimi_bytes tb;
  CHECK_OK(mls_rtree_encode(mls_public_group_tree(w->hub), &tb)); /* the hub serves the tree */
  CHECK_OK(mls_ratchet_tree_decode(tb.data, tb.len, &tree));
  for (size_t j = 0; j < n_joining; j++) {
    member *x = &w->m[joining[j]];
    mls_group_config cfg = config();
    err = mls_group_join(&x->g, &wel, &x->kp, x->sig_priv.data, x->sig_priv.len,
                         opt.welcome_with_tree ? NULL : &tree, &cfg);
    CHECK_OK(err);
    x->in = err == MIMI_OK;
  }
  for (int i = 0; i < MAX; i++)
    if (leaving[i]) {
      mls_group_free(w->m[i].g);
      w->m[i].g = NULL;
      w->m[i].in = false;
      fresh_key_package(w, &w->m[i]);
    }
  mimi_bytes_free(&tb);
  mls_ratchet_tree_free(&tree);
  mls_message_free(&cm);
  mls_welcome_free(&wel);
  hub_agrees(w);
  hub_takes_group_info(w, committer);
}

static void external_round(world *w, int joiner, int from) {
  member *x = &w->m[joiner];
  mls_group_info gi;
  CHECK_OK(mls_group_group_info(w->m[from].g, true, true, &gi));
  uint32_t old = x->in ? mls_group_own_leaf(x->g) : UINT32_MAX;
  fresh_key_package(w, x);
  mls_group_config cfg = config();
  mls_group *g = NULL;
  mls_message cm;
  mimi_err err = mls_group_join_external(&g, &gi, NULL, &x->kp, x->sig_priv.data,
                                         x->sig_priv.len, old, &cfg, &w->rng, &cm);
  CHECK_OK(err);
  mls_group_info_free(&gi);
  if (err != MIMI_OK) return;
  hub_commit(w, &cm, UINT32_MAX, 0);
  CHECK(w->seen.n_proposals == (old == UINT32_MAX ? 1u : 2u));
  for (int i = 0; i < MAX; i++) {
    if (!w->m[i].in || i == joiner) continue;
    mls_authenticated_content ac;
    mls_staged_commit *sc = NULL;
    CHECK_OK(mls_group_read(w->m[i].g, &cm, &ac));
    CHECK_OK(mls_group_stage_commit(w->m[i].g, &ac, &sc));
    if (sc != NULL) mls_group_merge(w->m[i].g, sc);
    mls_authenticated_content_free(&ac);
  }
  mls_message_free(&cm);
  mls_group_free(x->g);
  x->g = g;
  x->in = true;
  hub_agrees(w);
  hub_takes_group_info(w, joiner);
}

static void world_init(world *w, uint16_t suite, uint64_t seed) {
  memset(w, 0, sizeof *w);
  w->suite = suite;
  w->rng = mimi_test_rng_prng(&w->prng, seed);
  w->policy.check_commit = record;
  w->policy.ctx = &w->seen;
  for (int i = 0; i < MAX; i++) fresh_key_package(w, &w->m[i]);
  mls_group_config cfg = config();
  static const uint8_t gid[] = "hub-followed-room";
  CHECK_OK(mls_group_create(&w->m[0].g, gid, sizeof gid - 1, &w->m[0].kp, w->m[0].sig_priv.data,
                            w->m[0].sig_priv.len, NULL, 0, &cfg, &w->rng));
  w->m[0].in = true;
  /* the room's creation: the creator's signed epoch-0 GroupInfo */
  mls_group_info gi;
  CHECK_OK(mls_group_group_info(w->m[0].g, true, false, &gi));
  mls_public_group_config hc = hub_config(w);
  CHECK_OK(mls_public_group_from_group_info(&w->hub, &gi, NULL, &hc));
  mls_group_info_free(&gi);
  hub_agrees(w);
  /* the same room taken from the creator's state directly */
  mls_public_group *direct = NULL;
  mimi_bytes a, b;
  CHECK_OK(mls_public_group_serialize(w->hub, &a));
  CHECK_OK(mls_public_group_from_member(&direct, w->m[0].g, &hc));
  CHECK_OK(mls_public_group_set_group_info(direct, mls_public_group_group_info(w->hub)));
  CHECK_OK(mls_public_group_serialize(direct, &b));
  CHECK_BYTES(a, b);
  mimi_bytes_free(&a);
  mimi_bytes_free(&b);
  mls_public_group_free(direct);
}

static void world_free(world *w) {
  for (int i = 0; i < MAX; i++) mt_member_free(&w->m[i]);
  mls_public_group_free(w->hub);
}

static int count_in(const world *w) {
  int n = 0;
  for (int i = 0; i < MAX; i++) n += w->m[i].in;
  return n;
}

static int random_member(world *w, int not) {
  for (;;) {
    int i = (int)(mimi_test_prng_next(&w->prng) % MAX);
    if (w->m[i].in && i != not) return i;
  }
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
  CHECK_OK(mls_external_propose(mls_public_group_context(w->hub), 0, &add, es->sig_priv.data,
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
  CHECK(w.seen.n_proposals == 3 && count_in(&w) == 4);

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
  CHECK(w.seen.next_epoch == mls_public_group_epoch(w.hub));
  mimi_test_case();
  world_free(&w);
}

static void evolve(uint16_t suite, uint64_t seed, int steps) {
  world w;
  world_init(&w, suite, seed);
  for (int step = 0; step < steps; step++) {
    int n = count_in(&w);
    unsigned op = (unsigned)(mimi_test_prng_next(&w.prng) % 6);
    mls_message msg;
    if (op <= 1 && n < MAX - 1) {
      int joining[2], nj = 0;
      mls_proposal p[2];
      for (int i = 0; i < MAX - 1 && nj < 1 + (int)op && n + nj < MAX - 1; i++)
        if (!w.m[i].in) {
          p[nj] = mt_add_of(&w.m[i]);
          joining[nj++] = i;
        }
      commit_round(&w, random_member(&w, -1), p, (size_t)nj, joining, (size_t)nj, false);
    } else if (op == 2 && n > 2) {
      int proposer = random_member(&w, -1);
      int victim = random_member(&w, proposer);
      CHECK_OK(mls_group_propose_remove(w.m[proposer].g, mls_group_own_leaf(w.m[victim].g),
                                        &w.rng, &msg));
      broadcast_proposal(&w, proposer, &msg);
      mls_message_free(&msg);
      commit_round(&w, random_member(&w, victim), NULL, 0, NULL, 0, false);
    } else if (op == 3 && n > 1) {
      int who = random_member(&w, -1);
      CHECK_OK(mls_group_propose_update(w.m[who].g, &w.rng, &msg));
      broadcast_proposal(&w, who, &msg);
      mls_message_free(&msg);
      commit_round(&w, random_member(&w, who), NULL, 0, NULL, 0, false);
    } else if (op == 4 && step % 2 == 0) {
      int j = (int)(mimi_test_prng_next(&w.prng) % (MAX - 1));
      if (w.m[j].in || n < MAX - 1) external_round(&w, j, random_member(&w, j));
    } else if (op == 5 && n > 2) {
      int who = random_member(&w, -1);
      CHECK_OK(mls_group_propose_self_remove(w.m[who].g, &w.rng, &msg));
      broadcast_proposal(&w, who, &msg);
      mls_message_free(&msg);
      commit_round(&w, random_member(&w, who), NULL, 0, NULL, 0, false);
    } else {
      commit_round(&w, random_member(&w, -1), NULL, 0, NULL, 0, true);
    }
    if (step % 10 == 9) hub_reload(&w);
  }
  mimi_test_case();
  world_free(&w);
}

int main(void) {
  static const uint16_t suites[] = {1, 2, 3, 4, 5, 6, 7};
  for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++) scripted(suites[i]);
  const char *sub = getenv("MIMI_SUBSAMPLE");
  int steps = sub != NULL && atoi(sub) > 1 ? 80 / atoi(sub) : 80;
  evolve(1, 0x4ab, steps);
  evolve(3, 0x5cd, steps / 4);
  return mimi_test_summary("test_public_group_follow");
}
