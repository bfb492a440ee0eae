/* test_policy_random.c — property test: random actors take random actions
 * (every action kind, random targets, roles, claims, join codes) in rooms
 * with the Appendix A role sets, one- to three-change commits. Whatever is
 * allowed must keep the invariants: the state validates and survives an
 * encode/decode round trip; every role stays within its participant and
 * active-participant bounds and the room within max_users / max_clients /
 * multi_device; banned users hold no clients and never get back in by
 * joining, being added or adding clients; refused commits leave the state
 * untouched; authorize and apply agree on single changes. */
#include "policy_fixtures.h"

#define N_USERS 10
static const char *users[N_USERS] = {
    "mimi://a.example/u/u0", "mimi://a.example/u/u1", "mimi://b.example/u/u2",
    "mimi://b.example/u/u3", "mimi://c.example/u/u4", "mimi://c.example/u/u5",
    "mimi://d.example/u/u6", "mimi://d.example/p/u7", "mimi://e.example/u/u8",
    "mimi://e.example/u/u9"};

typedef struct {
  const fx_role *set;
  size_t n;
  fx_member members[6];
  size_t n_members;
} room_kind;

/* Initial rooms meet every minimum (so the bounds are invariants). */
static const room_kind kinds[] = {
    {fx_a1, FX_N(fx_a1),
     {{"mimi://a.example/u/u0", 4, 1}, {"mimi://a.example/u/u1", 3, 1},
      {"mimi://b.example/u/u2", 2, 2}, {"mimi://b.example/u/u3", 5, 0},
      {"mimi://c.example/u/u4", 1, 0}},
     5},
    {fx_a2, FX_N(fx_a2),
     {{"mimi://a.example/u/u0", 4, 1}, {"mimi://a.example/u/u1", 3, 1},
      {"mimi://b.example/u/u2", 2, 1}, {"mimi://b.example/u/u3", 5, 0}},
     4},
    {fx_a3, FX_N(fx_a3),
     {{"mimi://a.example/u/u0", 6, 1}, {"mimi://a.example/u/u1", 5, 1},
      {"mimi://b.example/u/u2", 2, 1}, {"mimi://b.example/u/u3", 7, 0},
      {"mimi://c.example/u/u4", 4, 1}},
     5},
    {fx_a4, FX_N(fx_a4),
     {{"mimi://a.example/u/u0", 8, 1}, {"mimi://a.example/u/u1", 6, 1},
      {"mimi://b.example/u/u2", 7, 1}, {"mimi://b.example/u/u3", 9, 0},
      {"mimi://c.example/u/u4", 3, 1}, {"mimi://c.example/u/u5", 2, 1}},
     6},
};

static mimi_claim claims_pool[3];

static void setup_claims(void) {
  static const char *ids[] = {"org", "dept", "svc"};
  static const char *vals[] = {"example", "hr", "hub"};
  for (int i = 0; i < 3; i++) {
    memset(&claims_pool[i], 0, sizeof claims_pool[i]);
    claims_pool[i].claim_id.credential_type = MLS_CREDENTIAL_X509;
    claims_pool[i].claim_id.id = (mimi_bytes){(uint8_t *)ids[i], strlen(ids[i])};
    claims_pool[i].claim_value = (mimi_bytes){(uint8_t *)vals[i], strlen(vals[i])};
  }
}

static void add_preauth(mimi_room_state *st, const room_kind *k) {
  st->preauth = calloc(1, sizeof *st->preauth);
  st->preauth->preauthorized_entries = calloc(2, sizeof(mimi_preauth_entry));
  st->preauth->preauthorized_entries_count = 2;
  for (int e = 0; e < 2; e++) {
    mimi_preauth_entry *pe = &st->preauth->preauthorized_entries[e];
    pe->claimset = calloc(1, sizeof(mimi_claim));
    pe->claimset_count = 1;
    CHECK_OK(mimi_clone(mimi_claim_type(), &pe->claimset[0], &claims_pool[e]));
    uint32_t role = e == 0 ? 2 : 3; /* org -> 2, dept -> 3 */
    for (size_t i = 0; i < k->n; i++)
      if (k->set[i].index == role) fx_role_build(&pe->target_role, k->set, k->n, &k->set[i]);
  }
  st->join_links = calloc(1, sizeof *st->join_links);
  st->join_links->links = calloc(1, sizeof(mimi_join_link));
  st->join_links->links_count = 1;
  CHECK_OK(mimi_bytes_copy(&st->join_links->links[0].join_link, (const uint8_t *)"code", 4));
}

/* Bounds that hold in every reachable state. */
static void check_invariants(const mimi_room_state *st) {
  CHECK_OK(mimi_room_state_validate(st));
  size_t n = st->participants ? st->participants->participants_count : 0;
  for (size_t r = 0; r < st->roles->roles_count; r++) {
    const mimi_role *role = &st->roles->roles[r];
    size_t users_in = 0, active = 0;
    for (size_t i = 0; i < n; i++) {
      if (st->participants->participants[i].role_index != role->role_index) continue;
      users_in++;
      active += st->clients[i] > 0;
    }
    CHECK(users_in >= role->minimum_participants_constraint);
    CHECK(!role->maximum_participants_constraint || users_in <= *role->maximum_participants_constraint);
    CHECK(active >= role->minimum_active_participants_constraint);
    CHECK(!role->maximum_active_participants_constraint ||
          active <= *role->maximum_active_participants_constraint);
  }
  size_t unbanned = 0;
  uint64_t total = 0;
  for (size_t i = 0; i < n; i++) {
    bool banned = st->participants->participants[i].role_index == MIMI_ROLE_BANNED;
    unbanned += !banned;
    total += st->clients[i];
    if (banned) CHECK(st->clients[i] == 0);
    if (st->base && !st->base->multi_device) CHECK(st->clients[i] <= 1);
  }
  if (st->base && st->base->max_users) CHECK(unbanned <= *st->base->max_users);
  if (st->base && st->base->max_clients) CHECK(total <= *st->base->max_clients);
}

static void check_roundtrip(const mimi_room_state *st) {
  mimi_bytes enc;
  mimi_room_state back;
  CHECK_OK(mimi_room_state_encode(st, &enc));
  CHECK_OK(mimi_room_state_decode(enc.data, enc.len, &back));
  size_t n = st->participants ? st->participants->participants_count : 0;
  for (size_t i = 0; i < n; i++) back.clients[i] = st->clients[i];
  CHECK(mimi_room_state_equal(st, &back));
  mimi_room_state_free(&back);
  mimi_bytes_free(&enc);
}

static bool is_banned(const mimi_room_state *st, const char *user) {
  return mimi_room_role_of(st, (const uint8_t *)user, strlen(user)) == MIMI_ROLE_BANNED;
}

/* Biased towards things that can succeed: actors and targets mostly from
 * the list, roles from the role set, member paths except for joins. */
static const char *pick_user(mimi_test_prng *rng, const mimi_room_state *st) {
  size_t n = st->participants ? st->participants->participants_count : 0;
  if (n && mimi_test_prng_next(rng) % 10 < 7) {
    size_t i = mimi_test_prng_next(rng) % n;
    for (size_t u = 0; u < N_USERS; u++)
      if (strlen(users[u]) == st->participants->participants[i].user.len &&
          memcmp(users[u], st->participants->participants[i].user.data, strlen(users[u])) == 0)
        return users[u];
  }
  return users[mimi_test_prng_next(rng) % N_USERS];
}

static void random_change(mimi_test_prng *rng, mimi_actor *actor, mimi_action *a,
                          const mimi_room_state *st) {
  static const mimi_action_kind kinds_all[] = {
      MIMI_ACT_ADD_PARTICIPANT, MIMI_ACT_REMOVE_PARTICIPANT, MIMI_ACT_REMOVE_SELF,
      MIMI_ACT_CHANGE_ROLE,     MIMI_ACT_CHANGE_OWN_ROLE,    MIMI_ACT_JOIN,
      MIMI_ACT_ADD_OWN_CLIENT,  MIMI_ACT_REMOVE_OWN_CLIENT,  MIMI_ACT_KICK,
      MIMI_ACT_SEND_MESSAGE,    MIMI_ACT_EDIT_MESSAGE,       MIMI_ACT_DELETE_MESSAGE,
      MIMI_ACT_DELETE_REACTION, MIMI_ACT_EDIT_TOPIC,         MIMI_ACT_DESTROY_ROOM};
  mimi_action_kind kind = kinds_all[mimi_test_prng_next(rng) % FX_N(kinds_all)];
  const char *who = kind == MIMI_ACT_JOIN ? users[mimi_test_prng_next(rng) % N_USERS]
                                          : pick_user(rng, st);
  mimi_via via = MIMI_VIA_MEMBER;
  if (kind == MIMI_ACT_JOIN || mimi_test_prng_next(rng) % 8 == 0)
    via = mimi_test_prng_next(rng) % 2 ? MIMI_VIA_EXTERNAL_COMMIT : MIMI_VIA_EXTERNAL_PROPOSAL;
  *actor = fx_actor(who, via);
  uint64_t c = mimi_test_prng_next(rng) % 4;
  actor->claims = c == 3 ? NULL : &claims_pool[c];
  actor->claims_count = c == 3 ? 0 : 1;
  uint32_t role = st->roles->roles[mimi_test_prng_next(rng) % st->roles->roles_count].role_index;
  if (mimi_test_prng_next(rng) % 16 == 0) role = (uint32_t)(mimi_test_prng_next(rng) % 12);
  *a = fx_act(kind, pick_user(rng, st), role);
  a->clients = (uint32_t)(mimi_test_prng_next(rng) % 3);
  a->message = (uint32_t)(mimi_test_prng_next(rng) & mimi_test_prng_next(rng) & 0x3ff);
  if (mimi_test_prng_next(rng) % 2) {
    a->join_link = (const uint8_t *)(mimi_test_prng_next(rng) % 4 ? "code" : "nope");
    a->join_link_len = 4;
  }
}

static int run(const room_kind *k, uint64_t seed, bool with_base, int steps, int *by_kind) {
  mimi_test_prng rng;
  mimi_test_rng_prng(&rng, seed);
  mimi_room_state st;
  fx_state(&st, k->set, k->n, k->members, k->n_members);
  add_preauth(&st, k);
  if (with_base) {
    st.base = fx_base(false, seed % 2 == 0);
    if (!st.base->multi_device)
      for (size_t i = 0; i < st.participants->participants_count; i++)
        if (st.clients[i] > 1) st.clients[i] = 1;
    st.base->max_users = malloc(sizeof(uint32_t));
    *st.base->max_users = 7;
    st.base->max_clients = malloc(sizeof(uint32_t));
    *st.base->max_clients = 9;
    st.base->pseudonyms_allowed = 0;
  }
  check_invariants(&st);
  int allowed = 0;
  for (int step = 0; step < steps; step++) {
    uint64_t pick = mimi_test_prng_next(&rng) % 10;
    size_t n = pick < 7 ? 1 : pick < 9 ? 2 : 3;
    mimi_actor actors[3];
    mimi_room_change ch[3];
    for (size_t i = 0; i < n; i++) {
      random_change(&rng, &actors[i], &ch[i].action, &st);
      ch[i].actor = &actors[i];
    }
    mimi_room_state before, out;
    CHECK_OK(mimi_room_state_clone(&before, &st));
    mimi_err err = mimi_room_apply(&st, NULL, ch, n, &out);
    if (n == 1) CHECK(mimi_room_authorize(&st, NULL, ch[0].actor, &ch[0].action) == err);
    CHECK(mimi_room_state_equal(&st, &before));
    /* banned people never get back in or gain clients on their own */
    for (size_t i = 0; i < n; i++) {
      mimi_action_kind kk = ch[i].action.kind;
      const char *self = (const char *)ch[i].actor->user;
      if (n > 1) break; /* with more, an earlier rule may answer first */
      if (is_banned(&st, self)) CHECK(err == MIMI_ERR_POLICY_BANNED);
      if (kk == MIMI_ACT_ADD_PARTICIPANT && is_banned(&st, (const char *)ch[i].action.target) &&
          !is_banned(&st, self))
        CHECK(err != MIMI_OK);
    }
    if (err == MIMI_OK) {
      allowed++;
      for (size_t i = 0; i < n; i++) by_kind[ch[i].action.kind]++;
      check_invariants(&out);
      for (size_t i = 0; i < N_USERS; i++)
        if (is_banned(&st, users[i]) && !is_banned(&out, users[i])) {
          /* only an unban or a removal by someone else lets go of role 1 */
          bool released = false;
          for (size_t j = 0; j < n; j++) {
            const mimi_action *a = &ch[j].action;
            bool other = strcmp((const char *)ch[j].actor->user, users[i]) != 0;
            bool about = a->target && a->target_len == strlen(users[i]) &&
                         memcmp(a->target, users[i], a->target_len) == 0;
            released |= other && about &&
                        (a->kind == MIMI_ACT_CHANGE_ROLE || a->kind == MIMI_ACT_REMOVE_PARTICIPANT);
          }
          CHECK(released);
        }
      if (step % 16 == 0) check_roundtrip(&out);
      mimi_room_state_free(&st);
      st = out;
    }
    mimi_room_state_free(&before);
  }
  /* enough of the random walk was allowed to mean something */
  CHECK(allowed > steps / 40);
  mimi_room_state_free(&st);
  mimi_test_case();
  return allowed;
}

int main(void) {
  setup_claims();
  int allowed = 0, by_kind[MIMI_ACT_SEND_REINIT + 1] = {0};
  for (size_t k = 0; k < FX_N(kinds); k++)
    for (uint64_t seed = 1; seed <= 4; seed++) {
      int a = run(&kinds[k], seed * 7919 + k, seed > 2, 1500, by_kind);
      printf("room A.%zu seed %llu%s: %d of 1500 commits allowed\n", k + 1,
             (unsigned long long)seed, seed > 2 ? " (with base policy)" : "", a);
      allowed += a;
    }
  CHECK(allowed > 16 * 1500 / 10);
  /* every kind the generator draws was allowed somewhere */
  for (int k = MIMI_ACT_ADD_PARTICIPANT; k <= MIMI_ACT_EDIT_TOPIC; k++)
    if (k != MIMI_ACT_EDIT_REACTION) CHECK(by_kind[k] > 0);
  CHECK(by_kind[MIMI_ACT_DESTROY_ROOM] > 0);
  return mimi_test_summary("test_policy_random");
}
