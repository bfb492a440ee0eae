/* group_world.h — a group of up to WORLD_MAX test members driven through
 * the public API, shared by the lifecycle test and the hub-following test:
 * key packages, proposals broadcast to every member, commit rounds (joiners
 * from the Welcome, removed members dropped), external joins and resyncs,
 * and storing a member's state. The test adds its own checks through the
 * hooks, called around every message and after every epoch. */
#ifndef MIMI_GROUP_WORLD_H
#define MIMI_GROUP_WORLD_H

#include "mls_test_util.h"

#define WORLD_MAX 16
#define EXT_APP 0xff00 /* an application extension every member lists */

typedef mt_member member;
typedef struct world world;

typedef struct {
  /* A proposal about to reach the members. */
  void (*proposal)(world *w, const mls_message *msg);
  /* A commit about to reach the members: the committer's leaf
   * (UINT32_MAX for an external commit) and how many it adds. */
  void (*commit)(world *w, const mls_message *cm, uint32_t committer, size_t n_added);
  /* Everyone (joiners included) is in the new epoch; `committer` is the
   * slot that committed or joined externally. */
  void (*epoch)(world *w, int committer);
  /* Now and then in evolve: the test continues from its own stored state. */
  void (*store)(world *w);
  /* world_free: the test's own state goes. */
  void (*done)(world *w);
} world_hooks;

struct world {
  uint16_t suite;
  bool public_only; /* every handshake a PublicMessage (else odd slots encrypt) */
  member m[WORLD_MAX];
  mimi_test_prng prng;
  mimi_rng rng;
  uint32_t next_name;
  world_hooks hooks;
  void *ctx; /* the test's */
};

static mls_group_config config(const world *w, int i) {
  mls_group_config c = mls_group_config_default();
  c.encrypt_handshake = !w->public_only && i % 2 == 1; /* both framings in one group */
  c.psks = &mt_fixed_psks;
  c.resumption_psk_epochs = 4;
  return c;
}

static void fresh_key_package(world *w, member *x) {
  static const uint16_t extra[] = {EXT_APP};
  char name[32] = "";
  if (x->sig_priv.len == 0) snprintf(name, sizeof name, "member-%u", w->next_name++);
  mt_member_key_package(x, w->suite, &w->rng, name, extra, 1);
  CHECK_OK(mls_key_package_validate(&x->kp.key_package, w->suite, 0));
}

/* A proposal from `from` (-1: from outside) to every other member. */
static MIMI_MAYBE_UNUSED void broadcast_proposal(world *w, int from, const mls_message *msg) {
  if (w->hooks.proposal != NULL) w->hooks.proposal(w, msg);
  for (int i = 0; i < WORLD_MAX; i++) {
    if (!w->m[i].in || i == from) continue;
    mls_authenticated_content ac;
    CHECK_OK(mls_group_read(w->m[i].g, msg, &ac));
    CHECK_OK(mls_group_store_proposal(w->m[i].g, &ac));
    mls_authenticated_content_free(&ac);
  }
}

/* `committer` commits everything cached (plus inline proposals); everyone
 * else stages and merges; joiners (the `joining` slots) join from the
 * Welcome; removed members drop out. */
static MIMI_MAYBE_UNUSED void commit_round(world *w, int committer, const mls_proposal *inl,
                                           size_t n_inl, const int *joining, size_t n_joining,
                                           bool force_path) {
  mls_commit_options opt = {inl, n_inl, force_path, w->next_name % 2 == 0};
  mls_message cm;
  mls_welcome wel;
  mimi_err err = mls_group_commit(w->m[committer].g, &opt, &w->rng, &cm, &wel);
  CHECK_OK(err);
  if (err != MIMI_OK) return;
  if (w->hooks.commit != NULL)
    w->hooks.commit(w, &cm, mls_group_own_leaf(w->m[committer].g), n_joining);
  bool leaving[WORLD_MAX] = {false};
  for (int i = 0; i < WORLD_MAX; i++) {
    if (!w->m[i].in || i == committer) continue;
    mls_authenticated_content ac;
    mls_staged_commit *sc = NULL;
    err = mls_group_read(w->m[i].g, &cm, &ac);
    CHECK_OK(err);
    if (err != MIMI_OK) continue;
    err = mls_group_stage_commit(w->m[i].g, &ac, &sc);
    CHECK_OK(err);
    mls_authenticated_content_free(&ac);
    if (err != MIMI_OK) continue;
    leaving[i] = mls_staged_commit_removes_self(sc);
    mls_group_merge(w->m[i].g, sc);
    if (leaving[i]) CHECK(!mls_group_active(w->m[i].g));
  }
  CHECK_OK(mls_group_merge_pending(w->m[committer].g));
  CHECK(wel.secrets_count == n_joining);
  mls_ratchet_tree tree;
  mimi_bytes tb;
  CHECK_OK(mls_rtree_encode(mls_group_tree(w->m[committer].g), &tb));
  CHECK_OK(mls_ratchet_tree_decode(tb.data, tb.len, &tree));
  for (size_t j = 0; j < n_joining; j++) {
    member *x = &w->m[joining[j]];
    mls_group_config cfg = config(w, joining[j]);
    err = mls_group_join(&x->g, &wel, &x->kp, x->sig_priv.data, x->sig_priv.len,
                         opt.welcome_with_tree ? NULL : &tree, &cfg);
    CHECK_OK(err);
    x->in = err == MIMI_OK;
  }
  for (int i = 0; i < WORLD_MAX; i++)
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
  if (w->hooks.epoch != NULL) w->hooks.epoch(w, committer);
}

/* `joiner` joins by external commit from a GroupInfo of `from` (taking
 * over its old leaf when it is a member already); everyone else processes
 * the commit. */
static MIMI_MAYBE_UNUSED void external_round(world *w, int joiner, int from) {
  member *x = &w->m[joiner];
  mls_group_info gi;
  CHECK_OK(mls_group_group_info(w->m[from].g, true, true, &gi));
  uint32_t old = x->in ? mls_group_own_leaf(x->g) : UINT32_MAX;
  fresh_key_package(w, x);
  mls_group_config cfg = config(w, joiner);
  mls_group *g = NULL;
  mls_message cm;
  mimi_err err = mls_group_join_external(&g, &gi, NULL, &x->kp, x->sig_priv.data,
                                         x->sig_priv.len, old, &cfg, &w->rng, &cm);
  CHECK_OK(err);
  mls_group_info_free(&gi);
  if (err != MIMI_OK) return;
  if (w->hooks.commit != NULL) w->hooks.commit(w, &cm, UINT32_MAX, 0);
  for (int i = 0; i < WORLD_MAX; i++) {
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
  if (w->hooks.epoch != NULL) w->hooks.epoch(w, joiner);
}

/* Defined by each test: its hooks (and anything else) for a new world,
 * called once the creator's group exists. */
static void world_setup(world *w);

/* Key packages for every slot and a group created by slot 0. */
static MIMI_MAYBE_UNUSED void world_init(world *w, uint16_t suite, uint64_t seed) {
  memset(w, 0, sizeof *w);
  w->suite = suite;
  w->rng = mimi_test_rng_prng(&w->prng, seed);
  for (int i = 0; i < WORLD_MAX; i++) fresh_key_package(w, &w->m[i]);
  mls_group_config cfg = config(w, 0);
  static const uint8_t gid[] = "lifecycle-group";
  CHECK_OK(mls_group_create(&w->m[0].g, gid, sizeof gid - 1, &w->m[0].kp, w->m[0].sig_priv.data,
                            w->m[0].sig_priv.len, NULL, 0, &cfg, &w->rng));
  w->m[0].in = true;
  CHECK(mls_group_epoch(w->m[0].g) == 0);
  world_setup(w);
}

static MIMI_MAYBE_UNUSED void world_free(world *w) {
  if (w->hooks.done != NULL) w->hooks.done(w);
  for (int i = 0; i < WORLD_MAX; i++) mt_member_free(&w->m[i]);
}

static MIMI_MAYBE_UNUSED int count_in(const world *w) {
  int n = 0;
  for (int i = 0; i < WORLD_MAX; i++) n += w->m[i].in;
  return n;
}

static MIMI_MAYBE_UNUSED int random_member(world *w, int not) {
  for (;;) {
    int i = (int)(mimi_test_prng_next(&w->prng) % WORLD_MAX);
    if (w->m[i].in && i != not) return i;
  }
}

/* Member i continues from its stored state (stored again: same bytes). */
static MIMI_MAYBE_UNUSED void reload(world *w, int i) {
  mimi_bytes blob;
  mls_group *g2 = NULL;
  CHECK_OK(mls_group_serialize(w->m[i].g, &blob));
  CHECK_OK(mls_group_deserialize(&g2, blob.data, blob.len, &mt_fixed_psks));
  mimi_bytes b2;
  CHECK_OK(mls_group_serialize(g2, &b2));
  CHECK_BYTES(blob, b2);
  mimi_bytes_free(&blob);
  mimi_bytes_free(&b2);
  mls_group_free(w->m[i].g);
  w->m[i].g = g2;
}

/* Seeded random evolution: adds, removes, updates, self-removes, external
 * joins and resyncs, path-only commits; a member (and whatever the test
 * stores, hooks.store) continues from its stored state now and then. */
static MIMI_MAYBE_UNUSED void evolve(uint16_t suite, uint64_t seed, int steps) {
  world w;
  world_init(&w, suite, seed);
  for (int step = 0; step < steps; step++) {
    int n = count_in(&w);
    unsigned op = (unsigned)(mimi_test_prng_next(&w.prng) % 6);
    int committer = random_member(&w, -1);
    mls_message msg;
    if (op <= 1 && n < WORLD_MAX) { /* add one or two */
      int joining[2], nj = 0;
      mls_proposal p[2];
      for (int i = 0; i < WORLD_MAX && nj < 1 + (int)op && n + nj < WORLD_MAX; i++)
        if (!w.m[i].in) {
          p[nj] = mt_add_of(&w.m[i]);
          joining[nj++] = i;
        }
      commit_round(&w, committer, p, (size_t)nj, joining, (size_t)nj, false);
    } else if (op == 2 && n > 2) { /* remove, proposed by someone, committed by another */
      int proposer = random_member(&w, -1);
      int victim = random_member(&w, proposer);
      CHECK_OK(mls_group_propose_remove(w.m[proposer].g, mls_group_own_leaf(w.m[victim].g),
                                        &w.rng, &msg));
      broadcast_proposal(&w, proposer, &msg);
      mls_message_free(&msg);
      commit_round(&w, random_member(&w, victim), NULL, 0, NULL, 0, false);
    } else if (op == 3 && n > 1) { /* update by reference */
      int who = random_member(&w, -1);
      CHECK_OK(mls_group_propose_update(w.m[who].g, &w.rng, &msg));
      broadcast_proposal(&w, who, &msg);
      mls_message_free(&msg);
      commit_round(&w, random_member(&w, who), NULL, 0, NULL, 0, false);
    } else if (op == 5 && step % 3 == 0) { /* external join or resync */
      int j = (int)(mimi_test_prng_next(&w.prng) % WORLD_MAX);
      if (w.m[j].in || n < WORLD_MAX) external_round(&w, j, random_member(&w, j));
    } else if (op == 4 && n > 2) { /* self-remove */
      int who = random_member(&w, -1);
      CHECK_OK(mls_group_propose_self_remove(w.m[who].g, &w.rng, &msg));
      broadcast_proposal(&w, who, &msg);
      mls_message_free(&msg);
      commit_round(&w, random_member(&w, who), NULL, 0, NULL, 0, false);
    } else {
      commit_round(&w, committer, NULL, 0, NULL, 0, true);
    }
    if (step % 25 == 24) reload(&w, random_member(&w, -1));
    if (step % 10 == 9 && w.hooks.store != NULL) w.hooks.store(&w);
  }
  mimi_test_case();
  world_free(&w);
}

#endif /* MIMI_GROUP_WORLD_H */
