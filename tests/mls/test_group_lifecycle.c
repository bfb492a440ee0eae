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

#include "mls_test_util.h"

#define MAX 16
#define EXT_APP 0xff00


typedef mt_member member;

typedef struct {
  uint16_t suite;
  member m[MAX];
  mimi_test_prng prng;
  mimi_rng rng;
  uint32_t next_name;
} world;

static mls_group_config config(int i) {
  mls_group_config c = mls_group_config_default();
  c.encrypt_handshake = i % 2 == 1; /* both framings in one group */
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

/* A proposal or application message from `from` to every other member. */
static void broadcast_proposal(world *w, int from, const mls_message *msg) {
  for (int i = 0; i < MAX; i++) {
    if (!w->m[i].in || i == from) continue;
    mls_authenticated_content ac;
    CHECK_OK(mls_group_read(w->m[i].g, msg, &ac));
    CHECK_OK(mls_group_store_proposal(w->m[i].g, &ac));
    mls_authenticated_content_free(&ac);
  }
}

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

/* `committer` commits everything cached (plus inline proposals); everyone
 * else stages and merges; joiners (the `joining` slots) join from the
 * Welcome; removed members drop out. */
static void commit_round(world *w, int committer, const mls_proposal *inl, size_t n_inl,
                         const int *joining, size_t n_joining, bool force_path) {
  mls_commit_options opt = {inl, n_inl, force_path, w->next_name % 2 == 0};
  mls_message cm;
  mls_welcome wel;
  mimi_err err = mls_group_commit(w->m[committer].g, &opt, &w->rng, &cm, &wel);
  CHECK_OK(err);
  if (err != MIMI_OK) return;
  bool leaving[MAX] = {false};
  for (int i = 0; i < MAX; i++) {
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
    mls_group_config cfg = config(joining[j]);
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
  check_agreement(w);
  chat(w);
}

static void world_init(world *w, uint16_t suite, uint64_t seed) {
  memset(w, 0, sizeof *w);
  w->suite = suite;
  w->rng = mimi_test_rng_prng(&w->prng, seed);
  for (int i = 0; i < MAX; i++) fresh_key_package(w, &w->m[i]);
  mls_group_config cfg = config(0);
  static const uint8_t gid[] = "lifecycle-group";
  CHECK_OK(mls_group_create(&w->m[0].g, gid, sizeof gid - 1, &w->m[0].kp, w->m[0].sig_priv.data,
                            w->m[0].sig_priv.len, NULL, 0, &cfg, &w->rng));
  w->m[0].in = true;
  CHECK(mls_group_epoch(w->m[0].g) == 0);
}

static void world_free(world *w) {
  for (int i = 0; i < MAX; i++) mt_member_free(&w->m[i]);
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

static void reload(world *w, int i) {
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

/* `joiner` joins by external commit from a GroupInfo of `from` (taking
 * over its old leaf when it is a member already); everyone else processes
 * the commit. */
static void external_round(world *w, int joiner, int from) {
  member *x = &w->m[joiner];
  mls_group_info gi;
  CHECK_OK(mls_group_group_info(w->m[from].g, true, true, &gi));
  uint32_t old = x->in ? mls_group_own_leaf(x->g) : UINT32_MAX;
  fresh_key_package(w, x);
  mls_group_config cfg = config(joiner);
  mls_group *g = NULL;
  mls_message cm;
  mimi_err err = mls_group_join_external(&g, &gi, NULL, &x->kp, x->sig_priv.data,
                                         x->sig_priv.len, old, &cfg, &w->rng, &cm);
  CHECK_OK(err);
  mls_group_info_free(&gi);
  if (err != MIMI_OK) return;
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
  check_agreement(w);
  chat(w);
}

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

/* Seeded random evolution. */
static void evolve(uint16_t suite, uint64_t seed, int steps) {
  world w;
  world_init(&w, suite, seed);
  for (int step = 0; step < steps; step++) {
    int n = count_in(&w);
    unsigned op = (unsigned)(mimi_test_prng_next(&w.prng) % 6);
    int committer = random_member(&w, -1);
    mls_message msg;
    if (op <= 1 && n < MAX) { /* add one or two */
      int joining[2], nj = 0;
      mls_proposal p[2];
      for (int i = 0; i < MAX && nj < 1 + (int)op && n + nj < MAX; i++)
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
      int j = (int)(mimi_test_prng_next(&w.prng) % MAX);
      if (w.m[j].in || n < MAX) external_round(&w, j, random_member(&w, j));
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
  }
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
