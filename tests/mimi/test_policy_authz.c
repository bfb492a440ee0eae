/* test_policy_authz.c — every room-policy rule (room-policy-04 §3-§8,
 * protocol-06 §Participant List / §Room Metadata, content-09 §9.3) with an
 * allowed and a refused case, on the Appendix A role sets. A refusal must
 * carry the exact error and leave the state as it was; mimi_room_apply is
 * checked to agree with mimi_room_authorize on every single action. Each
 * EXPECT is one case. */
#include "policy_fixtures.h"

#define ALICE "mimi://a.example/u/alice"
#define BOB "mimi://b.example/u/bob"
#define CATHY "mimi://c.example/u/cathy"
#define DAVE "mimi://d.example/u/dave"
#define ERIN "mimi://e.example/u/erin"
#define FRANK "mimi://f.example/u/frank"
#define GRACE "mimi://g.example/u/grace"
#define ANON "mimi://g.example/p/anon"

/* A.1 room: alice super_admin, bob group_admin, cathy ordinary (2 clients),
 * dave banned, erin policy_enforcer (no clients). */
static void a1_room(mimi_room_state *st) {
  static const fx_member m[] = {
      {ALICE, 4, 1}, {BOB, 3, 1}, {CATHY, 2, 2}, {DAVE, 1, 0}, {ERIN, 5, 0}};
  fx_state(st, fx_a1, FX_N(fx_a1), m, FX_N(m));
}

/* A.2 room: same people; cathy ordinary, bob group_admin, alice super_admin. */
static void a2_room(mimi_room_state *st) {
  static const fx_member m[] = {
      {ALICE, 4, 1}, {BOB, 3, 1}, {CATHY, 2, 1}, {DAVE, 1, 0}, {ERIN, 5, 0}};
  fx_state(st, fx_a2, FX_N(fx_a2), m, FX_N(m));
}

static void expect_at(int line, const mimi_room_state *st, const mimi_room_env *env,
                      const mimi_actor *actor, mimi_action act, mimi_err want) {
  mimi_room_state before, out;
  CHECK_OK(mimi_room_state_clone(&before, st));
  mimi_err got = mimi_room_authorize(st, env, actor, &act);
  mimi_test_checks++;
  if (got != want)
    mimi_test_fail(__FILE__, line, "authorize -> %s, expected %s", mimi_errname(got),
                   mimi_errname(want));
  CHECK(mimi_room_state_equal(st, &before));
  /* a commit of that one change agrees, and on error writes nothing */
  mimi_room_change ch = {actor, act};
  memset(&out, 0x5a, sizeof out);
  got = mimi_room_apply(st, env, &ch, 1, &out);
  mimi_test_checks++;
  if (got != want)
    mimi_test_fail(__FILE__, line, "apply -> %s, expected %s", mimi_errname(got), mimi_errname(want));
  if (got == MIMI_OK) {
    CHECK_OK(mimi_room_state_validate(&out));
    mimi_room_state_free(&out);
  } else {
    uint8_t pat[sizeof out];
    memset(pat, 0x5a, sizeof pat);
    CHECK(memcmp(&out, pat, sizeof out) == 0);
  }
  CHECK(mimi_room_state_equal(st, &before));
  mimi_room_state_free(&before);
  mimi_test_case(); /* one scenario */
}
#define EXPECT(st, actor, act, err) expect_at(__LINE__, st, NULL, actor, act, err)
#define EXPECT_ENV(st, env, actor, act, err) expect_at(__LINE__, st, env, actor, act, err)

/* Applies an allowed action to *st in place. */
static void apply_at(int line, mimi_room_state *st, const mimi_actor *actor, mimi_action act) {
  mimi_room_change ch = {actor, act};
  mimi_room_state out;
  mimi_err got = mimi_room_apply(st, NULL, &ch, 1, &out);
  mimi_test_checks++;
  if (got != MIMI_OK) {
    mimi_test_fail(__FILE__, line, "apply -> %s", mimi_errname(got));
    return;
  }
  mimi_room_state_free(st);
  *st = out;
}
#define APPLY(st, actor, act) apply_at(__LINE__, st, actor, act)

static uint32_t clients_of(const mimi_room_state *st, const char *user) {
  size_t i;
  return mimi_room_find_user(st, (const uint8_t *)user, strlen(user), &i) ? st->clients[i] : 999;
}
static uint32_t role_of(const mimi_room_state *st, const char *user) {
  return mimi_room_role_of(st, (const uint8_t *)user, strlen(user));
}

static void drop_cap(mimi_room_state *st, uint32_t role, uint16_t cap) {
  mimi_role *r = fx_role_mut(st, role);
  for (size_t i = 0; i < r->role_capabilities_count; i++)
    if (r->role_capabilities[i] == cap) r->role_capabilities[i] = 0xF0F0;
}
static void add_cap(mimi_room_state *st, uint32_t role, uint16_t cap) {
  mimi_role *r = fx_role_mut(st, role);
  r->role_capabilities = realloc(r->role_capabilities, (r->role_capabilities_count + 1) * 2);
  r->role_capabilities[r->role_capabilities_count++] = cap;
}
static void set_max(uint32_t **slot, uint32_t v) {
  if (!*slot) *slot = malloc(sizeof **slot);
  **slot = v;
}

static const mimi_actor *actor_of(mimi_actor *buf, const char *user) {
  *buf = fx_actor(user, MIMI_VIA_MEMBER);
  return buf;
}
#define AS(user) actor_of(&(mimi_actor){0}, user)
#define ACT(kind, target, role) fx_act(kind, target, role)

/* ------------------------------------------------------------------------ */
/* §8.1.1 Adding                                                            */

static void test_add_participant(void) {
  mimi_room_state st;
  a1_room(&st);
  /* cathy (ordinary_user) may add with target role 2 via (0,[2]) */
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_ADD_PARTICIPANT, FRANK, 2), MIMI_OK);
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_ADD_PARTICIPANT, FRANK, 3), MIMI_ERR_POLICY_DENIED);
  EXPECT(&st, AS(ALICE), ACT(MIMI_ACT_ADD_PARTICIPANT, FRANK, 3), MIMI_OK);
  EXPECT(&st, AS(ERIN), ACT(MIMI_ACT_ADD_PARTICIPANT, FRANK, 2), MIMI_ERR_POLICY_DENIED);
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_ADD_PARTICIPANT, BOB, 2), MIMI_ERR_POLICY_USER_PRESENT);
  EXPECT(&st, AS(ALICE), ACT(MIMI_ACT_ADD_PARTICIPANT, DAVE, 2), MIMI_ERR_POLICY_BANNED);
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_ADD_PARTICIPANT, CATHY, 2), MIMI_ERR_POLICY_DENIED);
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_ADD_PARTICIPANT, FRANK, 0), MIMI_ERR_POLICY_INVALID);
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_ADD_PARTICIPANT, FRANK, 9), MIMI_ERR_POLICY_INVALID);
  /* a non-participant adding via a member path has role 0: nothing */
  EXPECT(&st, AS(GRACE), ACT(MIMI_ACT_ADD_PARTICIPANT, FRANK, 2), MIMI_ERR_POLICY_DENIED);
  /* maximum_participants_constraint and maximum_active_... of the target */
  mimi_role *ord = fx_role_mut(&st, 2);
  set_max(&ord->maximum_participants_constraint, 1);
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_ADD_PARTICIPANT, FRANK, 2), MIMI_ERR_POLICY_LIMIT);
  set_max(&ord->maximum_participants_constraint, 2);
  set_max(&ord->maximum_active_participants_constraint, 1);
  mimi_action a = ACT(MIMI_ACT_ADD_PARTICIPANT, FRANK, 2);
  a.clients = 1;
  EXPECT(&st, AS(CATHY), a, MIMI_ERR_POLICY_LIMIT);
  a.clients = 0; /* frank joins the list without clients: not active */
  EXPECT(&st, AS(CATHY), a, MIMI_OK);
  APPLY(&st, AS(CATHY), a);
  CHECK(role_of(&st, FRANK) == 2 && clients_of(&st, FRANK) == 0);
  mimi_room_state_free(&st);
  /* A.2: an ordinary user has no canAddParticipant */
  a2_room(&st);
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_ADD_PARTICIPANT, FRANK, 2), MIMI_ERR_POLICY_DENIED);
  EXPECT(&st, AS(BOB), ACT(MIMI_ACT_ADD_PARTICIPANT, FRANK, 2), MIMI_OK);
  mimi_room_state_free(&st);
}

static void test_room_flags_on_entry(void) {
  mimi_room_state st;
  a1_room(&st);
  st.base = fx_base(false, true);
  /* §5 max_users counts non-banned entries: 4 now */
  set_max(&st.base->max_users, 4);
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_ADD_PARTICIPANT, FRANK, 2), MIMI_ERR_POLICY_LIMIT);
  set_max(&st.base->max_users, 5);
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_ADD_PARTICIPANT, FRANK, 2), MIMI_OK);
  /* §5 max_clients: 4 clients now */
  set_max(&st.base->max_clients, 4);
  mimi_action a = ACT(MIMI_ACT_ADD_PARTICIPANT, FRANK, 2);
  a.clients = 1;
  EXPECT(&st, AS(CATHY), a, MIMI_ERR_POLICY_LIMIT);
  set_max(&st.base->max_clients, 5);
  EXPECT(&st, AS(CATHY), a, MIMI_OK);
  /* §5 pseudonyms_allowed */
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_ADD_PARTICIPANT, ANON, 2), MIMI_OK);
  st.base->pseudonyms_allowed = 0;
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_ADD_PARTICIPANT, ANON, 2), MIMI_ERR_POLICY_FORBIDDEN);
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_ADD_PARTICIPANT, FRANK, 2), MIMI_OK);
  /* §5 parent-dependent: only users of the parent room */
  st.base->parent_dependant = 1;
  st.base->parent_room = calloc(1, sizeof(mimi_identifier_uri));
  st.base->parent_room_count = 1;
  CHECK_OK(mimi_bytes_copy(&st.base->parent_room[0].uri, (const uint8_t *)"mimi://h/r/p", 12));
  mimi_participant_list parent = {calloc(2, sizeof(mimi_user_role_pair)), 2};
  CHECK_OK(mimi_bytes_copy(&parent.participants[0].user, (const uint8_t *)FRANK, strlen(FRANK)));
  parent.participants[0].role_index = 2;
  CHECK_OK(mimi_bytes_copy(&parent.participants[1].user, (const uint8_t *)GRACE, strlen(GRACE)));
  parent.participants[1].role_index = 1; /* banned in the parent */
  mimi_room_env env = {&parent};
  EXPECT_ENV(&st, &env, AS(CATHY), ACT(MIMI_ACT_ADD_PARTICIPANT, FRANK, 2), MIMI_OK);
  EXPECT_ENV(&st, &env, AS(CATHY), ACT(MIMI_ACT_ADD_PARTICIPANT, GRACE, 2), MIMI_ERR_POLICY_FORBIDDEN);
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_ADD_PARTICIPANT, FRANK, 2), MIMI_ERR_POLICY_FORBIDDEN);
  mimi_participant_list_free(&parent);
  st.base->parent_dependant = 0;
  mimi_identifier_uri_free(&st.base->parent_room[0]);
  free(st.base->parent_room);
  st.base->parent_room = NULL;
  st.base->parent_room_count = 0;
  /* §5 fixed membership: nobody may be added (roles stripped of the
   * capability so that the state itself is valid) */
  st.base->fixed_membership = 1;
  for (uint32_t r = 2; r <= 4; r++) drop_cap(&st, r, MIMI_CAP_ADD_PARTICIPANT);
  add_cap(&st, 1, MIMI_CAP_ADD_PARTICIPANT); /* allowed on the banned role */
  CHECK_OK(mimi_room_state_validate(&st));
  EXPECT(&st, AS(ALICE), ACT(MIMI_ACT_ADD_PARTICIPANT, FRANK, 2), MIMI_ERR_POLICY_DENIED);
  mimi_room_state_free(&st);
}

static void test_own_clients(void) {
  mimi_room_state st;
  a1_room(&st);
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_ADD_OWN_CLIENT, NULL, 0), MIMI_OK);
  APPLY(&st, AS(CATHY), ACT(MIMI_ACT_ADD_OWN_CLIENT, NULL, 0));
  CHECK(clients_of(&st, CATHY) == 3);
  EXPECT(&st, AS(ERIN), ACT(MIMI_ACT_ADD_OWN_CLIENT, NULL, 0), MIMI_ERR_POLICY_DENIED);
  EXPECT(&st, AS(FRANK), ACT(MIMI_ACT_ADD_OWN_CLIENT, NULL, 0), MIMI_ERR_POLICY_NO_SUCH_USER);
  EXPECT(&st, AS(DAVE), ACT(MIMI_ACT_ADD_OWN_CLIENT, NULL, 0), MIMI_ERR_POLICY_BANNED);
  /* §5 multi_device false: one client per user */
  st.base = fx_base(false, false);
  EXPECT(&st, AS(ALICE), ACT(MIMI_ACT_ADD_OWN_CLIENT, NULL, 0), MIMI_ERR_POLICY_LIMIT);
  st.clients[0] = 0;
  EXPECT(&st, AS(ALICE), ACT(MIMI_ACT_ADD_OWN_CLIENT, NULL, 0), MIMI_OK);
  st.clients[0] = 1;
  /* removing one of several clients is fine even then */
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_REMOVE_OWN_CLIENT, NULL, 0), MIMI_OK);
  st.base->multi_device = 1;
  /* maximum_active_participants_constraint 0 (§3): no clients at all */
  set_max(&fx_role_mut(&st, 3)->maximum_active_participants_constraint, 0);
  st.clients[1] = 0;
  EXPECT(&st, AS(BOB), ACT(MIMI_ACT_ADD_OWN_CLIENT, NULL, 0), MIMI_ERR_POLICY_LIMIT);
  mimi_room_state_free(&st);

  /* §8.1.2 canRemoveOwnClient and minimum_active_participants_constraint (A.4) */
  static const fx_member m4[] = {{ALICE, 8, 1}, {BOB, 6, 1}, {CATHY, 3, 1}, {ERIN, 9, 0}, {FRANK, 7, 1}};
  fx_state(&st, fx_a4, FX_N(fx_a4), m4, FX_N(m4));
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_REMOVE_OWN_CLIENT, NULL, 0), MIMI_OK);
  EXPECT(&st, AS(BOB), ACT(MIMI_ACT_REMOVE_OWN_CLIENT, NULL, 0), MIMI_ERR_POLICY_LIMIT);
  st.clients[1] = 2; /* bob stays active with his other client */
  EXPECT(&st, AS(BOB), ACT(MIMI_ACT_REMOVE_OWN_CLIENT, NULL, 0), MIMI_OK);
  EXPECT(&st, AS(ERIN), ACT(MIMI_ACT_REMOVE_OWN_CLIENT, NULL, 0), MIMI_ERR_POLICY_INVALID);
  mimi_room_state_free(&st);
  /* A.3 guests cannot add or remove their own clients */
  static const fx_member m3[] = {{ALICE, 6, 1}, {BOB, 5, 1}, {CATHY, 2, 1}, {ERIN, 7, 0}};
  fx_state(&st, fx_a3, FX_N(fx_a3), m3, FX_N(m3));
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_REMOVE_OWN_CLIENT, NULL, 0), MIMI_ERR_POLICY_DENIED);
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_ADD_OWN_CLIENT, NULL, 0), MIMI_ERR_POLICY_DENIED);
  mimi_room_state_free(&st);
}

static void test_join(void) {
  mimi_room_state st;
  a1_room(&st);
  mimi_actor frank = fx_actor(FRANK, MIMI_VIA_EXTERNAL_COMMIT);
  /* A.1 role 0 has no canOpenJoin */
  EXPECT(&st, &frank, ACT(MIMI_ACT_JOIN, NULL, 2), MIMI_ERR_POLICY_DENIED);
  /* §8.1.1 canOpenJoin on role 0 with (0,[2]) */
  add_cap(&st, 0, MIMI_CAP_OPEN_JOIN);
  fx_parse_arcs(fx_role_mut(&st, 0), "0:2");
  CHECK_OK(mimi_room_state_validate(&st));
  EXPECT(&st, &frank, ACT(MIMI_ACT_JOIN, NULL, 2), MIMI_OK);
  EXPECT(&st, &frank, ACT(MIMI_ACT_JOIN, NULL, 3), MIMI_ERR_POLICY_DENIED);
  EXPECT(&st, &frank, ACT(MIMI_ACT_JOIN, NULL, 0), MIMI_ERR_POLICY_INVALID);
  mimi_actor member_path = fx_actor(FRANK, MIMI_VIA_MEMBER);
  EXPECT(&st, &member_path, ACT(MIMI_ACT_JOIN, NULL, 2), MIMI_ERR_POLICY_INVALID);
  mimi_actor dave = fx_actor(DAVE, MIMI_VIA_EXTERNAL_COMMIT);
  EXPECT(&st, &dave, ACT(MIMI_ACT_JOIN, NULL, 2), MIMI_ERR_POLICY_BANNED);
  mimi_actor cathy = fx_actor(CATHY, MIMI_VIA_EXTERNAL_COMMIT);
  EXPECT(&st, &cathy, ACT(MIMI_ACT_JOIN, NULL, 2), MIMI_ERR_POLICY_USER_PRESENT);
  /* ... but an external commit adding her own client is canAddOwnClient */
  EXPECT(&st, &cathy, ACT(MIMI_ACT_ADD_OWN_CLIENT, NULL, 0), MIMI_OK);
  APPLY(&st, &frank, ACT(MIMI_ACT_JOIN, NULL, 2));
  CHECK(role_of(&st, FRANK) == 2 && clients_of(&st, FRANK) == 1);
  /* the joiner's target role limits */
  set_max(&fx_role_mut(&st, 2)->maximum_participants_constraint, 2);
  mimi_actor grace = fx_actor(GRACE, MIMI_VIA_EXTERNAL_COMMIT);
  EXPECT(&st, &grace, ACT(MIMI_ACT_JOIN, NULL, 2), MIMI_ERR_POLICY_LIMIT);
  free(fx_role_mut(&st, 2)->maximum_participants_constraint);
  fx_role_mut(&st, 2)->maximum_participants_constraint = NULL;
  set_max(&fx_role_mut(&st, 2)->maximum_active_participants_constraint, 2);
  EXPECT(&st, &grace, ACT(MIMI_ACT_JOIN, NULL, 2), MIMI_ERR_POLICY_LIMIT);
  free(fx_role_mut(&st, 2)->maximum_active_participants_constraint);
  fx_role_mut(&st, 2)->maximum_active_participants_constraint = NULL;
  /* §7 external_commit_allowed / external_proposal_allowed */
  st.operational = calloc(1, sizeof *st.operational);
  st.operational->external_commit_allowed = 0;
  st.operational->external_proposal_allowed = 1;
  EXPECT(&st, &grace, ACT(MIMI_ACT_JOIN, NULL, 2), MIMI_ERR_POLICY_FORBIDDEN);
  EXPECT(&st, &cathy, ACT(MIMI_ACT_ADD_OWN_CLIENT, NULL, 0), MIMI_ERR_POLICY_FORBIDDEN);
  mimi_actor grace_p = fx_actor(GRACE, MIMI_VIA_EXTERNAL_PROPOSAL);
  EXPECT(&st, &grace_p, ACT(MIMI_ACT_JOIN, NULL, 2), MIMI_OK);
  st.operational->external_proposal_allowed = 0;
  EXPECT(&st, &grace_p, ACT(MIMI_ACT_JOIN, NULL, 2), MIMI_ERR_POLICY_FORBIDDEN);
  st.operational->external_commit_allowed = 1;
  EXPECT(&st, &grace, ACT(MIMI_ACT_JOIN, NULL, 2), MIMI_OK);
  /* §5 fixed membership: no joins either */
  st.base = fx_base(true, true);
  for (uint32_t r = 2; r <= 4; r++) drop_cap(&st, r, MIMI_CAP_ADD_PARTICIPANT);
  EXPECT(&st, &grace, ACT(MIMI_ACT_JOIN, NULL, 2), MIMI_ERR_POLICY_FORBIDDEN);
  st.base->fixed_membership = 0;
  st.base->pseudonyms_allowed = 0;
  mimi_actor anon = fx_actor(ANON, MIMI_VIA_EXTERNAL_COMMIT);
  EXPECT(&st, &anon, ACT(MIMI_ACT_JOIN, NULL, 2), MIMI_ERR_POLICY_FORBIDDEN);
  EXPECT(&st, &grace, ACT(MIMI_ACT_JOIN, NULL, 2), MIMI_OK);
  mimi_room_state_free(&st);
}

/* §4 preauthorization and §8.1.1 canJoinIfPreauthorized / canUseJoinCode
 * (A.2 has canUseJoinCode on role 0, canJoinIfPreauthorized on 2, 3, 4). */
static mimi_preauth_entry preauth_entry(const char *claim_id, const char *value, uint32_t role,
                                        const fx_role *set, size_t n) {
  mimi_preauth_entry e;
  memset(&e, 0, sizeof e);
  e.claimset = calloc(1, sizeof *e.claimset);
  e.claimset_count = 1;
  e.claimset[0].claim_id.credential_type = MLS_CREDENTIAL_X509;
  CHECK_OK(mimi_bytes_copy(&e.claimset[0].claim_id.id, (const uint8_t *)claim_id, strlen(claim_id)));
  CHECK_OK(mimi_bytes_copy(&e.claimset[0].claim_value, (const uint8_t *)value, strlen(value)));
  for (size_t i = 0; i < n; i++)
    if (set[i].index == role) fx_role_build(&e.target_role, set, n, &set[i]);
  return e;
}

static mimi_claim claim(const char *id, const char *value) {
  mimi_claim c;
  memset(&c, 0, sizeof c);
  c.claim_id.credential_type = MLS_CREDENTIAL_X509;
  c.claim_id.id = (mimi_bytes){(uint8_t *)id, strlen(id)};
  c.claim_value = (mimi_bytes){(uint8_t *)value, strlen(value)};
  return c;
}

static void a2_with_preauth(mimi_room_state *st) {
  a2_room(st);
  st->preauth = calloc(1, sizeof *st->preauth);
  st->preauth->preauthorized_entries = calloc(3, sizeof(mimi_preauth_entry));
  st->preauth->preauthorized_entries_count = 3;
  /* hr staff are admins; example.org people ordinary users; the enforcer
   * is recognised by the hub's claim */
  st->preauth->preauthorized_entries[0] = preauth_entry("dept", "hr", 3, fx_a2, FX_N(fx_a2));
  st->preauth->preauthorized_entries[1] = preauth_entry("org", "example", 2, fx_a2, FX_N(fx_a2));
  st->preauth->preauthorized_entries[2] = preauth_entry("svc", "hub", 5, fx_a2, FX_N(fx_a2));
  st->join_links = calloc(1, sizeof *st->join_links);
  st->join_links->links = calloc(1, sizeof(mimi_join_link));
  st->join_links->links_count = 1;
  CHECK_OK(mimi_bytes_copy(&st->join_links->links[0].join_link, (const uint8_t *)"abc", 3));
  CHECK_OK(mimi_room_state_validate(st));
}

static void test_preauth_join(void) {
  mimi_room_state st;
  a2_with_preauth(&st);
  mimi_claim org = claim("org", "example"), hr = claim("dept", "hr"), other = claim("org", "evil");
  mimi_claim both[] = {org, hr};
  mimi_actor g = fx_actor(GRACE, MIMI_VIA_EXTERNAL_COMMIT);
  g.claims = &org;
  g.claims_count = 1;
  EXPECT(&st, &g, ACT(MIMI_ACT_JOIN, NULL, 2), MIMI_OK);
  EXPECT(&st, &g, ACT(MIMI_ACT_JOIN, NULL, 3), MIMI_ERR_POLICY_DENIED);
  /* first match wins: hr + org gets role 3, not 2 */
  g.claims = both;
  g.claims_count = 2;
  EXPECT(&st, &g, ACT(MIMI_ACT_JOIN, NULL, 3), MIMI_OK);
  EXPECT(&st, &g, ACT(MIMI_ACT_JOIN, NULL, 2), MIMI_ERR_POLICY_DENIED);
  uint32_t r;
  CHECK(mimi_room_preauth_match(&st, both, 2, false, &r) && r == 3);
  /* a claim value must match exactly */
  g.claims = &other;
  g.claims_count = 1;
  EXPECT(&st, &g, ACT(MIMI_ACT_JOIN, NULL, 2), MIMI_ERR_POLICY_DENIED);
  CHECK(!mimi_room_preauth_match(&st, &other, 1, false, &r));
  /* the preauthorized role must hold canJoinIfPreauthorized */
  g.claims = &org;
  drop_cap(&st, 2, MIMI_CAP_JOIN_IF_PREAUTHORIZED);
  EXPECT(&st, &g, ACT(MIMI_ACT_JOIN, NULL, 2), MIMI_ERR_POLICY_DENIED);
  /* ... or a join code held by role 0, for a role in (0,[2]) */
  mimi_action code = ACT(MIMI_ACT_JOIN, NULL, 2);
  code.join_link = (const uint8_t *)"abc";
  code.join_link_len = 3;
  EXPECT(&st, &g, code, MIMI_OK);
  code.role = 3;
  EXPECT(&st, &g, code, MIMI_ERR_POLICY_DENIED);
  code.role = 2;
  code.join_link = (const uint8_t *)"abd";
  EXPECT(&st, &g, code, MIMI_ERR_POLICY_DENIED);
  drop_cap(&st, 0, MIMI_CAP_USE_JOIN_CODE);
  code.join_link = (const uint8_t *)"abc";
  EXPECT(&st, &g, code, MIMI_ERR_POLICY_DENIED);
  mimi_room_state_free(&st);

  /* §4: a banned user gains nothing from matching claims */
  a2_with_preauth(&st);
  mimi_actor d = fx_actor(DAVE, MIMI_VIA_EXTERNAL_COMMIT);
  d.claims = &org;
  d.claims_count = 1;
  EXPECT(&st, &d, ACT(MIMI_ACT_JOIN, NULL, 2), MIMI_ERR_POLICY_BANNED);
  /* §4: preauth is consulted for external proposals by non-participants
   * (the hub as policy enforcer) and not for member-path actions */
  mimi_claim svc = claim("svc", "hub");
  mimi_actor hub = fx_actor("mimi://hub.example/u/hub", MIMI_VIA_EXTERNAL_PROPOSAL);
  hub.claims = &svc;
  hub.claims_count = 1;
  CHECK(mimi_room_effective_role(&st, &hub) == 5);
  EXPECT(&st, &hub, ACT(MIMI_ACT_REMOVE_PARTICIPANT, CATHY, 0), MIMI_OK);
  EXPECT(&st, &hub, ACT(MIMI_ACT_CHANGE_ROLE, CATHY, 1), MIMI_OK);
  hub.via = MIMI_VIA_MEMBER;
  CHECK(mimi_room_effective_role(&st, &hub) == 0);
  EXPECT(&st, &hub, ACT(MIMI_ACT_REMOVE_PARTICIPANT, CATHY, 0), MIMI_ERR_POLICY_DENIED);
  /* a participant's own entry wins over its claims */
  mimi_actor c = fx_actor(CATHY, MIMI_VIA_EXTERNAL_PROPOSAL);
  c.claims = &hr;
  c.claims_count = 1;
  CHECK(mimi_room_effective_role(&st, &c) == 2);
  mimi_room_state_free(&st);
}

/* ------------------------------------------------------------------------ */
/* §8.1.2 Removing                                                          */

static void test_remove(void) {
  mimi_room_state st;
  a1_room(&st);
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_ADD_PARTICIPANT, FRANK, 2), MIMI_OK);
  APPLY(&st, AS(CATHY), ACT(MIMI_ACT_ADD_PARTICIPANT, FRANK, 2));
  /* cathy: (2,[0]) lets her remove ordinary users, not admins */
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_REMOVE_PARTICIPANT, FRANK, 0), MIMI_OK);
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_REMOVE_PARTICIPANT, BOB, 0), MIMI_ERR_POLICY_DENIED);
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_REMOVE_PARTICIPANT, GRACE, 0), MIMI_ERR_POLICY_NO_SUCH_USER);
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_REMOVE_PARTICIPANT, CATHY, 0), MIMI_ERR_POLICY_DENIED);
  /* group_admin has minimum_participants_constraint 1 and bob is the only one */
  EXPECT(&st, AS(ALICE), ACT(MIMI_ACT_REMOVE_PARTICIPANT, BOB, 0), MIMI_ERR_POLICY_LIMIT);
  EXPECT(&st, AS(ALICE), ACT(MIMI_ACT_REMOVE_PARTICIPANT, FRANK, 0), MIMI_OK);
  /* A.1 policy_enforcer: can clean up a banned user (1,[0]) but not restore */
  EXPECT(&st, AS(ERIN), ACT(MIMI_ACT_REMOVE_PARTICIPANT, DAVE, 0), MIMI_OK);
  EXPECT(&st, AS(ERIN), ACT(MIMI_ACT_CHANGE_ROLE, DAVE, 2), MIMI_ERR_POLICY_DENIED);
  APPLY(&st, AS(ALICE), ACT(MIMI_ACT_REMOVE_PARTICIPANT, FRANK, 0));
  CHECK(role_of(&st, FRANK) == 0 && clients_of(&st, FRANK) == 999);
  /* canRemoveSelf */
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_REMOVE_SELF, NULL, 0), MIMI_OK);
  EXPECT(&st, AS(BOB), ACT(MIMI_ACT_REMOVE_SELF, NULL, 0), MIMI_ERR_POLICY_LIMIT);
  EXPECT(&st, AS(ERIN), ACT(MIMI_ACT_REMOVE_SELF, NULL, 0), MIMI_ERR_POLICY_DENIED);
  EXPECT(&st, AS(FRANK), ACT(MIMI_ACT_REMOVE_SELF, NULL, 0), MIMI_ERR_POLICY_NO_SUCH_USER);
  /* the (from,[0]) entry is needed too */
  fx_role_mut(&st, 2)->authorized_role_changes[1].target_role_indexes[0] = 2;
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_REMOVE_SELF, NULL, 0), MIMI_ERR_POLICY_DENIED);
  fx_role_mut(&st, 2)->authorized_role_changes[1].target_role_indexes[0] = 0;
  /* §5 fixed membership: ordinary users cannot leave or be removed */
  st.base = fx_base(true, true);
  for (uint32_t r = 2; r <= 4; r++) drop_cap(&st, r, MIMI_CAP_ADD_PARTICIPANT);
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_REMOVE_SELF, NULL, 0), MIMI_ERR_POLICY_FORBIDDEN);
  EXPECT(&st, AS(ALICE), ACT(MIMI_ACT_REMOVE_PARTICIPANT, CATHY, 0), MIMI_ERR_POLICY_FORBIDDEN);
  /* ... but a user can remove its clients */
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_REMOVE_OWN_CLIENT, NULL, 0), MIMI_OK);
  mimi_room_state_free(&st);
}

static void test_kick(void) {
  mimi_room_state st;
  a1_room(&st);
  EXPECT(&st, AS(BOB), ACT(MIMI_ACT_KICK, CATHY, 0), MIMI_OK);
  APPLY(&st, AS(BOB), ACT(MIMI_ACT_KICK, CATHY, 0));
  CHECK(clients_of(&st, CATHY) == 0 && role_of(&st, CATHY) == 2);
  EXPECT(&st, AS(BOB), ACT(MIMI_ACT_KICK, CATHY, 0), MIMI_ERR_POLICY_INVALID);
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_KICK, BOB, 0), MIMI_ERR_POLICY_DENIED);
  EXPECT(&st, AS(BOB), ACT(MIMI_ACT_KICK, BOB, 0), MIMI_ERR_POLICY_DENIED);
  EXPECT(&st, AS(BOB), ACT(MIMI_ACT_KICK, FRANK, 0), MIMI_ERR_POLICY_NO_SUCH_USER);
  /* kicked users may come back with their own clients (§2.1 Kick) */
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_ADD_OWN_CLIENT, NULL, 0), MIMI_OK);
  /* minimum_active_participants_constraint of the kicked user's role */
  fx_role_mut(&st, 4)->minimum_active_participants_constraint = 1;
  EXPECT(&st, AS(BOB), ACT(MIMI_ACT_KICK, ALICE, 0), MIMI_ERR_POLICY_LIMIT);
  fx_role_mut(&st, 4)->minimum_active_participants_constraint = 0;
  EXPECT(&st, AS(BOB), ACT(MIMI_ACT_KICK, ALICE, 0), MIMI_OK);
  mimi_room_state_free(&st);
}

/* ------------------------------------------------------------------------ */
/* §8.1.3 Role changes                                                      */

static void test_change_role(void) {
  mimi_room_state st;
  a1_room(&st);
  EXPECT(&st, AS(ALICE), ACT(MIMI_ACT_CHANGE_ROLE, CATHY, 3), MIMI_OK);
  EXPECT(&st, AS(BOB), ACT(MIMI_ACT_CHANGE_ROLE, CATHY, 4), MIMI_ERR_POLICY_DENIED);
  EXPECT(&st, AS(BOB), ACT(MIMI_ACT_CHANGE_ROLE, CATHY, 3), MIMI_OK);
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_CHANGE_ROLE, BOB, 2), MIMI_ERR_POLICY_DENIED);
  EXPECT(&st, AS(ALICE), ACT(MIMI_ACT_CHANGE_ROLE, CATHY, 0), MIMI_ERR_POLICY_INVALID);
  EXPECT(&st, AS(ALICE), ACT(MIMI_ACT_CHANGE_ROLE, CATHY, 2), MIMI_ERR_POLICY_INVALID);
  EXPECT(&st, AS(ALICE), ACT(MIMI_ACT_CHANGE_ROLE, CATHY, 7), MIMI_ERR_POLICY_INVALID);
  EXPECT(&st, AS(ALICE), ACT(MIMI_ACT_CHANGE_ROLE, ALICE, 3), MIMI_ERR_POLICY_DENIED);
  EXPECT(&st, AS(ALICE), ACT(MIMI_ACT_CHANGE_ROLE, GRACE, 3), MIMI_ERR_POLICY_NO_SUCH_USER);
  /* minimum for the current role, maximum for the target role */
  EXPECT(&st, AS(ALICE), ACT(MIMI_ACT_CHANGE_ROLE, BOB, 2), MIMI_ERR_POLICY_LIMIT);
  set_max(&fx_role_mut(&st, 3)->maximum_participants_constraint, 1);
  EXPECT(&st, AS(ALICE), ACT(MIMI_ACT_CHANGE_ROLE, CATHY, 3), MIMI_ERR_POLICY_LIMIT);
  set_max(&fx_role_mut(&st, 3)->maximum_participants_constraint, 2);
  EXPECT(&st, AS(ALICE), ACT(MIMI_ACT_CHANGE_ROLE, CATHY, 3), MIMI_OK);
  set_max(&fx_role_mut(&st, 3)->maximum_active_participants_constraint, 1);
  EXPECT(&st, AS(ALICE), ACT(MIMI_ACT_CHANGE_ROLE, CATHY, 3), MIMI_ERR_POLICY_LIMIT);
  st.clients[2] = 0; /* an inactive cathy does not count as active */
  EXPECT(&st, AS(ALICE), ACT(MIMI_ACT_CHANGE_ROLE, CATHY, 3), MIMI_OK);
  st.clients[2] = 2;
  free(fx_role_mut(&st, 3)->maximum_active_participants_constraint);
  fx_role_mut(&st, 3)->maximum_active_participants_constraint = NULL;
  /* moving to role 1 via canChangeUserRole alone keeps the clients, so
   * banned's maximum_active_participants_constraint 0 refuses it */
  drop_cap(&st, 4, MIMI_CAP_BAN);
  EXPECT(&st, AS(ALICE), ACT(MIMI_ACT_CHANGE_ROLE, CATHY, 1), MIMI_ERR_POLICY_LIMIT);
  st.clients[2] = 0;
  EXPECT(&st, AS(ALICE), ACT(MIMI_ACT_CHANGE_ROLE, CATHY, 1), MIMI_OK);
  mimi_room_state_free(&st);
}

static void test_ban_unban(void) {
  mimi_room_state st;
  a1_room(&st);
  /* canBan: role 1 and the clients go */
  EXPECT(&st, AS(BOB), ACT(MIMI_ACT_CHANGE_ROLE, CATHY, 1), MIMI_OK);
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_CHANGE_ROLE, BOB, 1), MIMI_ERR_POLICY_DENIED);
  EXPECT(&st, AS(ALICE), ACT(MIMI_ACT_CHANGE_ROLE, BOB, 1), MIMI_ERR_POLICY_LIMIT);
  APPLY(&st, AS(BOB), ACT(MIMI_ACT_CHANGE_ROLE, CATHY, 1));
  CHECK(role_of(&st, CATHY) == 1 && clients_of(&st, CATHY) == 0);
  /* banned users cannot act, rejoin, or be re-added */
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_SEND_MESSAGE, NULL, 0), MIMI_ERR_POLICY_BANNED);
  mimi_actor c = fx_actor(CATHY, MIMI_VIA_EXTERNAL_COMMIT);
  EXPECT(&st, &c, ACT(MIMI_ACT_JOIN, NULL, 2), MIMI_ERR_POLICY_BANNED);
  EXPECT(&st, &c, ACT(MIMI_ACT_ADD_OWN_CLIENT, NULL, 0), MIMI_ERR_POLICY_BANNED);
  EXPECT(&st, AS(ALICE), ACT(MIMI_ACT_ADD_PARTICIPANT, CATHY, 2), MIMI_ERR_POLICY_BANNED);
  /* canUnban: from 1 to a non-zero role the holder may assign */
  EXPECT(&st, AS(BOB), ACT(MIMI_ACT_CHANGE_ROLE, CATHY, 2), MIMI_OK);
  EXPECT(&st, AS(ERIN), ACT(MIMI_ACT_CHANGE_ROLE, CATHY, 2), MIMI_ERR_POLICY_DENIED);
  APPLY(&st, AS(BOB), ACT(MIMI_ACT_CHANGE_ROLE, CATHY, 2));
  CHECK(role_of(&st, CATHY) == 2 && clients_of(&st, CATHY) == 0); /* no clients restored */
  mimi_room_state_free(&st);

  /* §8.1.3: ban/unban need role 1 named exactly "banned"; a holder without
   * canChangeUserRole then gets a precise refusal */
  a1_room(&st);
  drop_cap(&st, 3, MIMI_CAP_CHANGE_USER_ROLE);
  mimi_role *banned = fx_role_mut(&st, 1);
  banned->role_name.data[0] = 'B'; /* "Banned" */
  EXPECT(&st, AS(BOB), ACT(MIMI_ACT_CHANGE_ROLE, CATHY, 1), MIMI_ERR_POLICY_NO_BANNED_ROLE);
  EXPECT(&st, AS(BOB), ACT(MIMI_ACT_CHANGE_ROLE, DAVE, 2), MIMI_ERR_POLICY_NO_BANNED_ROLE);
  /* and dave, in a role that is not "banned", is an ordinary role holder */
  EXPECT(&st, AS(DAVE), ACT(MIMI_ACT_SEND_MESSAGE, NULL, 0), MIMI_ERR_POLICY_DENIED);
  banned->role_name.data[0] = 'b';
  EXPECT(&st, AS(BOB), ACT(MIMI_ACT_CHANGE_ROLE, CATHY, 1), MIMI_OK);
  EXPECT(&st, AS(BOB), ACT(MIMI_ACT_CHANGE_ROLE, DAVE, 2), MIMI_OK);
  /* the transition must be authorized: bob's role has no entry from 4 */
  EXPECT(&st, AS(BOB), ACT(MIMI_ACT_CHANGE_ROLE, ALICE, 1), MIMI_ERR_POLICY_DENIED);
  mimi_room_state_free(&st);
}

static void test_change_own_role(void) {
  mimi_room_state st;
  a2_with_preauth(&st);
  mimi_claim hr = claim("dept", "hr"), org = claim("org", "example");
  mimi_actor c = fx_actor(CATHY, MIMI_VIA_MEMBER);
  c.claims = &hr;
  c.claims_count = 1;
  EXPECT(&st, &c, ACT(MIMI_ACT_CHANGE_OWN_ROLE, NULL, 3), MIMI_OK);
  EXPECT(&st, &c, ACT(MIMI_ACT_CHANGE_OWN_ROLE, NULL, 4), MIMI_ERR_POLICY_DENIED);
  /* org=example maps to 2, her current role */
  c.claims = &org;
  EXPECT(&st, &c, ACT(MIMI_ACT_CHANGE_OWN_ROLE, NULL, 2), MIMI_ERR_POLICY_INVALID);
  c.claims = NULL;
  c.claims_count = 0;
  EXPECT(&st, &c, ACT(MIMI_ACT_CHANGE_OWN_ROLE, NULL, 3), MIMI_ERR_POLICY_DENIED);
  /* entries for role 0 are skipped: a leading (dept=hr -> 0) changes nothing */
  c.claims = &hr;
  c.claims_count = 1;
  st.preauth->preauthorized_entries[1].target_role.role_index = 0;
  mimi_preauth_entry tmp = st.preauth->preauthorized_entries[0];
  st.preauth->preauthorized_entries[0] = st.preauth->preauthorized_entries[1];
  st.preauth->preauthorized_entries[1] = tmp;
  mimi_claim hr_org[] = {hr, org};
  c.claims = hr_org;
  c.claims_count = 2;
  EXPECT(&st, &c, ACT(MIMI_ACT_CHANGE_OWN_ROLE, NULL, 3), MIMI_OK);
  /* the target role's maximum */
  set_max(&fx_role_mut(&st, 3)->maximum_participants_constraint, 1);
  EXPECT(&st, &c, ACT(MIMI_ACT_CHANGE_OWN_ROLE, NULL, 3), MIMI_ERR_POLICY_LIMIT);
  /* the original role's minimum: bob is the only group_admin */
  mimi_actor b = fx_actor(BOB, MIMI_VIA_MEMBER);
  b.claims = &org;
  b.claims_count = 1;
  st.preauth->preauthorized_entries[0].target_role.role_index = 2; /* org -> 2 first */
  EXPECT(&st, &b, ACT(MIMI_ACT_CHANGE_OWN_ROLE, NULL, 2), MIMI_ERR_POLICY_LIMIT);
  mimi_room_state_free(&st);
  /* A.1 ordinary users have no canChangeOwnRole */
  a1_room(&st);
  EXPECT(&st, &c, ACT(MIMI_ACT_CHANGE_OWN_ROLE, NULL, 3), MIMI_ERR_POLICY_DENIED);
  mimi_room_state_free(&st);
}

/* ------------------------------------------------------------------------ */
/* §8.3, §8.4 messages; content §9.3 edits and deletes                      */

static mimi_action msg(uint32_t flags) {
  mimi_action a = ACT(MIMI_ACT_SEND_MESSAGE, NULL, 0);
  a.message = flags;
  return a;
}

static void test_messages(void) {
  mimi_room_state st;
  static const fx_member m3[] = {{ALICE, 6, 1}, {BOB, 5, 1}, {CATHY, 2, 1}, {DAVE, 1, 0},
                                 {ERIN, 7, 0},  {FRANK, 3, 1}, {GRACE, 4, 1}};
  fx_state(&st, fx_a3, FX_N(fx_a3), m3, FX_N(m3));
  /* A.3: guests (cathy) may only react; attendees (frank) reply in topic;
   * speakers (grace) send */
  EXPECT(&st, AS(CATHY), msg(0), MIMI_ERR_POLICY_DENIED);
  EXPECT(&st, AS(CATHY), msg(MIMI_MSG_REACTION), MIMI_OK);
  EXPECT(&st, AS(GRACE), msg(0), MIMI_OK);
  EXPECT(&st, AS(DAVE), msg(0), MIMI_ERR_POLICY_BANNED);
  EXPECT(&st, AS(GRACE), msg(MIMI_MSG_REPLY), MIMI_ERR_POLICY_DENIED); /* no canReplyToMessage */
  EXPECT(&st, AS(GRACE), msg(MIMI_MSG_REPLY_IN_TOPIC), MIMI_OK);
  EXPECT(&st, AS(FRANK), msg(MIMI_MSG_REPLY_IN_TOPIC), MIMI_ERR_POLICY_DENIED); /* no send */
  EXPECT(&st, AS(GRACE), msg(MIMI_MSG_TOPIC | MIMI_MSG_LINK | MIMI_MSG_LINK_PREVIEW), MIMI_OK);
  EXPECT(&st, AS(GRACE), msg(MIMI_MSG_IMAGE | MIMI_MSG_AUDIO | MIMI_MSG_VIDEO | MIMI_MSG_ATTACHMENT),
         MIMI_OK);
  mimi_room_state_free(&st);

  static const fx_member m4[] = {{ALICE, 8, 1}, {BOB, 6, 1}, {CATHY, 3, 1}, {ERIN, 9, 0}};
  fx_state(&st, fx_a4, FX_N(fx_a4), m4, FX_N(m4));
  /* A.4 org_b_user: no topics, no uploads; the admin may */
  EXPECT(&st, AS(CATHY), msg(MIMI_MSG_TOPIC), MIMI_ERR_POLICY_DENIED);
  EXPECT(&st, AS(BOB), msg(MIMI_MSG_TOPIC), MIMI_OK);
  EXPECT(&st, AS(CATHY), msg(MIMI_MSG_IMAGE), MIMI_ERR_POLICY_DENIED);
  EXPECT(&st, AS(CATHY), msg(MIMI_MSG_AUDIO), MIMI_ERR_POLICY_DENIED);
  EXPECT(&st, AS(CATHY), msg(MIMI_MSG_VIDEO), MIMI_ERR_POLICY_DENIED);
  EXPECT(&st, AS(CATHY), msg(MIMI_MSG_ATTACHMENT), MIMI_ERR_POLICY_DENIED);
  EXPECT(&st, AS(BOB), msg(MIMI_MSG_ATTACHMENT), MIMI_OK);
  EXPECT(&st, AS(CATHY), msg(MIMI_MSG_LINK | MIMI_MSG_LINK_PREVIEW), MIMI_OK);
  drop_cap(&st, 3, MIMI_CAP_SEND_LINK);
  EXPECT(&st, AS(CATHY), msg(MIMI_MSG_LINK), MIMI_ERR_POLICY_DENIED);
  drop_cap(&st, 3, MIMI_CAP_SEND_LINK_PREVIEW);
  EXPECT(&st, AS(CATHY), msg(MIMI_MSG_LINK_PREVIEW), MIMI_ERR_POLICY_DENIED);
  /* §6.3 send_link_previews */
  st.link_preview = calloc(1, sizeof *st.link_preview);
  st.link_preview->proxy.link_preview_proxy_use = MIMI_FORBIDDEN;
  st.link_preview->send_link_previews = MIMI_FORBIDDEN;
  EXPECT(&st, AS(BOB), msg(MIMI_MSG_LINK | MIMI_MSG_LINK_PREVIEW), MIMI_ERR_POLICY_FORBIDDEN);
  EXPECT(&st, AS(BOB), msg(MIMI_MSG_LINK), MIMI_OK);
  st.link_preview->send_link_previews = MIMI_REQUIRED;
  EXPECT(&st, AS(BOB), msg(MIMI_MSG_LINK), MIMI_ERR_POLICY_FORBIDDEN);
  EXPECT(&st, AS(BOB), msg(MIMI_MSG_LINK | MIMI_MSG_LINK_PREVIEW), MIMI_OK);
  /* §6.8 expiring messages */
  st.expiration = calloc(1, sizeof *st.expiration);
  st.expiration->expiring_messages = MIMI_FORBIDDEN;
  mimi_action e = msg(MIMI_MSG_EXPIRING);
  e.expiration_seconds = 60;
  EXPECT(&st, AS(BOB), e, MIMI_ERR_POLICY_FORBIDDEN);
  EXPECT(&st, AS(BOB), msg(0), MIMI_OK);
  st.expiration->expiring_messages = MIMI_REQUIRED;
  st.expiration->when_required.min_expiration_duration = 60;
  st.expiration->when_required.max_expiration_duration = 3600;
  EXPECT(&st, AS(BOB), msg(0), MIMI_ERR_POLICY_FORBIDDEN);
  EXPECT(&st, AS(BOB), e, MIMI_OK);
  e.expiration_seconds = 59;
  EXPECT(&st, AS(BOB), e, MIMI_ERR_POLICY_FORBIDDEN);
  e.expiration_seconds = 3601;
  EXPECT(&st, AS(BOB), e, MIMI_ERR_POLICY_FORBIDDEN);
  st.expiration->expiring_messages = MIMI_OPTIONAL;
  EXPECT(&st, AS(BOB), msg(0), MIMI_OK);
  e.expiration_seconds = 3600;
  EXPECT(&st, AS(BOB), e, MIMI_OK);
  mimi_room_state_free(&st);
}

static void test_edits(void) {
  mimi_room_state st;
  a1_room(&st);
  /* content §9.3: nobody edits another's message body */
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_EDIT_MESSAGE, CATHY, 0), MIMI_OK);
  EXPECT(&st, AS(ALICE), ACT(MIMI_ACT_EDIT_MESSAGE, CATHY, 0), MIMI_ERR_POLICY_DENIED);
  EXPECT(&st, AS(ERIN), ACT(MIMI_ACT_EDIT_MESSAGE, ERIN, 0), MIMI_ERR_POLICY_DENIED);
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_DELETE_MESSAGE, CATHY, 0), MIMI_OK);
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_DELETE_MESSAGE, BOB, 0), MIMI_ERR_POLICY_DENIED);
  EXPECT(&st, AS(BOB), ACT(MIMI_ACT_DELETE_MESSAGE, CATHY, 0), MIMI_OK);
  /* reactions: no Appendix A role has canEditReaction */
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_EDIT_REACTION, CATHY, 0), MIMI_ERR_POLICY_DENIED);
  add_cap(&st, 2, MIMI_CAP_EDIT_REACTION);
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_EDIT_REACTION, CATHY, 0), MIMI_OK);
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_EDIT_REACTION, BOB, 0), MIMI_ERR_POLICY_DENIED);
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_DELETE_REACTION, CATHY, 0), MIMI_OK);
  EXPECT(&st, AS(BOB), ACT(MIMI_ACT_DELETE_REACTION, CATHY, 0), MIMI_ERR_POLICY_DENIED);
  /* topics */
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_EDIT_TOPIC, CATHY, 0), MIMI_OK);
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_EDIT_TOPIC, BOB, 0), MIMI_ERR_POLICY_DENIED);
  EXPECT(&st, AS(BOB), ACT(MIMI_ACT_EDIT_TOPIC, CATHY, 0), MIMI_OK);
  EXPECT(&st, AS(ERIN), ACT(MIMI_ACT_EDIT_TOPIC, ERIN, 0), MIMI_ERR_POLICY_DENIED);
  mimi_room_state_free(&st);
  /* A.2 group_admin may delete others' reactions */
  a2_room(&st);
  EXPECT(&st, AS(BOB), ACT(MIMI_ACT_DELETE_REACTION, CATHY, 0), MIMI_OK);
  EXPECT(&st, AS(CATHY), ACT(MIMI_ACT_DELETE_MESSAGE, CATHY, 0), MIMI_OK);
  mimi_room_state_free(&st);
}

/* ------------------------------------------------------------------------ */
/* §8.2 metadata, §8.6 policy components, join links                        */

static mimi_room_metadata *metadata(const char *uri, const char *name, const char *desc,
                                    const char *avatar, const char *subject, const char *mood) {
  mimi_room_metadata *m = calloc(1, sizeof *m);
  CHECK_OK(mimi_bytes_copy(&m->room_uri.uri, (const uint8_t *)uri, strlen(uri)));
  CHECK_OK(mimi_bytes_copy(&m->room_name.string, (const uint8_t *)name, strlen(name)));
  if (desc) {
    m->room_descriptions = calloc(1, sizeof *m->room_descriptions);
    m->room_descriptions_count = 1;
    CHECK_OK(mimi_bytes_copy(&m->room_descriptions[0].description_content, (const uint8_t *)desc,
                             strlen(desc)));
  }
  CHECK_OK(mimi_bytes_copy(&m->room_avatar.uri, (const uint8_t *)avatar, strlen(avatar)));
  CHECK_OK(mimi_bytes_copy(&m->room_subject.string, (const uint8_t *)subject, strlen(subject)));
  CHECK_OK(mimi_bytes_copy(&m->room_mood.string, (const uint8_t *)mood, strlen(mood)));
  return m;
}

static mimi_action update(uint16_t id, const void *value) {
  mimi_action a = ACT(MIMI_ACT_UPDATE_COMPONENT, NULL, 0);
  a.component_id = id;
  a.value = value;
  return a;
}

static void test_metadata_rules(void) {
  mimi_room_state st;
  a1_room(&st);
  st.metadata = metadata("mimi://h/r/1", "club", "old", "https://i/1", "s", "m");
  mimi_room_metadata *name = metadata("mimi://h/r/1", "new club", "old", "https://i/1", "s", "m");
  mimi_room_metadata *desc = metadata("mimi://h/r/1", "club", "new", "https://i/1", "s", "m");
  mimi_room_metadata *nodesc = metadata("mimi://h/r/1", "club", NULL, "https://i/1", "s", "m");
  mimi_room_metadata *avatar = metadata("mimi://h/r/1", "club", "old", "https://i/2", "s", "m");
  mimi_room_metadata *subj = metadata("mimi://h/r/1", "club", "old", "https://i/1", "t", "m");
  mimi_room_metadata *mood = metadata("mimi://h/r/1", "club", "old", "https://i/1", "s", "n");
  mimi_room_metadata *uri = metadata("mimi://h/r/2", "club", "old", "https://i/1", "s", "m");
  EXPECT(&st, AS(CATHY), update(MIMI_COMPONENT_ROOM_METADATA, name), MIMI_OK);
  EXPECT(&st, AS(CATHY), update(MIMI_COMPONENT_ROOM_METADATA, avatar), MIMI_OK);
  EXPECT(&st, AS(CATHY), update(MIMI_COMPONENT_ROOM_METADATA, subj), MIMI_OK);
  EXPECT(&st, AS(CATHY), update(MIMI_COMPONENT_ROOM_METADATA, mood), MIMI_OK);
  EXPECT(&st, AS(CATHY), update(MIMI_COMPONENT_ROOM_METADATA, desc), MIMI_ERR_POLICY_DENIED);
  EXPECT(&st, AS(CATHY), update(MIMI_COMPONENT_ROOM_METADATA, nodesc), MIMI_ERR_POLICY_DENIED);
  EXPECT(&st, AS(BOB), update(MIMI_COMPONENT_ROOM_METADATA, desc), MIMI_OK);
  EXPECT(&st, AS(ERIN), update(MIMI_COMPONENT_ROOM_METADATA, name), MIMI_ERR_POLICY_DENIED);
  EXPECT(&st, AS(ALICE), update(MIMI_COMPONENT_ROOM_METADATA, uri), MIMI_ERR_POLICY_INVALID);
  EXPECT(&st, AS(ALICE), update(MIMI_COMPONENT_ROOM_METADATA, NULL), MIMI_ERR_POLICY_INVALID);
  /* protocol §Room Metadata: one update per commit */
  mimi_room_change two[] = {{AS(CATHY), update(MIMI_COMPONENT_ROOM_METADATA, name)},
                            {AS(CATHY), update(MIMI_COMPONENT_ROOM_METADATA, avatar)}};
  mimi_room_state out;
  CHECK_ERR(mimi_room_apply(&st, NULL, two, 2, &out), MIMI_ERR_POLICY_CONFLICT);
  APPLY(&st, AS(CATHY), update(MIMI_COMPONENT_ROOM_METADATA, name));
  CHECK(mimi_room_metadata_equal(st.metadata, name));
  mimi_room_metadata *all[] = {name, desc, nodesc, avatar, subj, mood, uri};
  for (size_t i = 0; i < FX_N(all); i++) {
    mimi_room_metadata_free(all[i]);
    free(all[i]);
  }
  mimi_room_state_free(&st);
}

static void test_component_rules(void) {
  mimi_room_state st;
  a1_room(&st);
  /* §8.6 canChangeRoleDefinitions: the A.1 policy_enforcer only */
  mimi_role_data *roles = fx_roles(fx_a1, FX_N(fx_a1));
  roles->roles[2].minimum_participants_constraint = 0;
  EXPECT(&st, AS(ERIN), update(MIMI_COMPONENT_ROLES_LIST, roles), MIMI_OK);
  EXPECT(&st, AS(ALICE), update(MIMI_COMPONENT_ROLES_LIST, roles), MIMI_ERR_POLICY_DENIED);
  /* a definition the participants no longer fit, or a broken one */
  mimi_role_data *fewer = fx_roles(fx_a1, 4); /* no policy_enforcer role, erin holds it */
  EXPECT(&st, AS(ERIN), update(MIMI_COMPONENT_ROLES_LIST, fewer), MIMI_ERR_POLICY_INVALID);
  add_cap(&(mimi_room_state){.roles = roles}, 2, MIMI_CAP_OPEN_JOIN);
  EXPECT(&st, AS(ERIN), update(MIMI_COMPONENT_ROLES_LIST, roles), MIMI_ERR_POLICY_INVALID);
  EXPECT(&st, AS(ERIN), update(MIMI_COMPONENT_ROLES_LIST, NULL), MIMI_ERR_POLICY_INVALID);
  /* §8.6 canChangePreauthorizedUserList */
  mimi_preauth_data empty_preauth = {NULL, 0};
  EXPECT(&st, AS(ALICE), update(MIMI_COMPONENT_PREAUTH_LIST, &empty_preauth), MIMI_OK);
  EXPECT(&st, AS(ERIN), update(MIMI_COMPONENT_PREAUTH_LIST, &empty_preauth), MIMI_OK);
  EXPECT(&st, AS(BOB), update(MIMI_COMPONENT_PREAUTH_LIST, &empty_preauth), MIMI_ERR_POLICY_DENIED);
  EXPECT(&st, AS(ALICE), update(MIMI_COMPONENT_PREAUTH_LIST, NULL), MIMI_ERR_POLICY_INVALID);
  /* §8.6 canChangeRoomMembershipStyle for the base policy */
  mimi_base_room_policy *base = fx_base(false, true);
  EXPECT(&st, AS(ALICE), update(MIMI_COMPONENT_BASE_ROOM_POLICY, base), MIMI_OK);
  EXPECT(&st, AS(BOB), update(MIMI_COMPONENT_BASE_ROOM_POLICY, base), MIMI_ERR_POLICY_DENIED);
  /* a fixed-membership base while roles can add participants is invalid */
  base->fixed_membership = 1;
  EXPECT(&st, AS(ALICE), update(MIMI_COMPONENT_BASE_ROOM_POLICY, base), MIMI_ERR_POLICY_INVALID);
  base->multi_device = 3;
  EXPECT(&st, AS(ALICE), update(MIMI_COMPONENT_BASE_ROOM_POLICY, base), MIMI_ERR_BAD_TAG);
  /* §8.7 canChangeMlsOperationalPolicies for the operational parameters */
  mimi_operational_parameters op;
  memset(&op, 0, sizeof op);
  EXPECT(&st, AS(ERIN), update(MIMI_COMPONENT_MLS_OPERATIONAL_POLICY, &op), MIMI_OK);
  EXPECT(&st, AS(ALICE), update(MIMI_COMPONENT_MLS_OPERATIONAL_POLICY, &op), MIMI_ERR_POLICY_DENIED);
  /* the other policy components: canChangeOtherPolicyAttribute */
  mimi_status_notification_policy sn = {MIMI_REQUIRED, MIMI_OPTIONAL};
  EXPECT(&st, AS(ALICE), update(MIMI_COMPONENT_STATUS_NOTIFICATION_POLICY, &sn),
         MIMI_ERR_POLICY_DENIED);
  add_cap(&st, 4, MIMI_CAP_CHANGE_OTHER_POLICY_ATTRIBUTE);
  EXPECT(&st, AS(ALICE), update(MIMI_COMPONENT_STATUS_NOTIFICATION_POLICY, &sn), MIMI_OK);
  EXPECT(&st, AS(ALICE), update(MIMI_COMPONENT_STATUS_NOTIFICATION_POLICY, NULL),
         MIMI_ERR_POLICY_INVALID); /* nothing to remove */
  APPLY(&st, AS(ALICE), update(MIMI_COMPONENT_STATUS_NOTIFICATION_POLICY, &sn));
  EXPECT(&st, AS(ALICE), update(MIMI_COMPONENT_STATUS_NOTIFICATION_POLICY, NULL), MIMI_OK);
  sn.read_receipts = 7;
  EXPECT(&st, AS(ALICE), update(MIMI_COMPONENT_STATUS_NOTIFICATION_POLICY, &sn), MIMI_ERR_BAD_TAG);
  /* the list and the links change by deltas; foreign components are not ours */
  EXPECT(&st, AS(ALICE), update(MIMI_COMPONENT_PARTICIPANT_LIST, st.participants),
         MIMI_ERR_POLICY_INVALID);
  EXPECT(&st, AS(ALICE), update(MIMI_COMPONENT_JOIN_LINKS, &empty_preauth), MIMI_ERR_POLICY_INVALID);
  EXPECT(&st, AS(ALICE), update(0x0003, &sn), MIMI_ERR_UNSUPPORTED);
  /* §8.6 canDestroyRoom, canSendMLSReinitProposal */
  EXPECT(&st, AS(ALICE), ACT(MIMI_ACT_DESTROY_ROOM, NULL, 0), MIMI_OK);
  EXPECT(&st, AS(BOB), ACT(MIMI_ACT_DESTROY_ROOM, NULL, 0), MIMI_ERR_POLICY_DENIED);
  EXPECT(&st, AS(ERIN), ACT(MIMI_ACT_SEND_REINIT, NULL, 0), MIMI_OK);
  /* not an action; no actor */
  EXPECT(&st, AS(ALICE), ACT((mimi_action_kind)99, NULL, 0), MIMI_ERR_INVALID_ARG);
  mimi_action send = ACT(MIMI_ACT_SEND_MESSAGE, NULL, 0);
  CHECK_ERR(mimi_room_authorize(&st, NULL, NULL, &send), MIMI_ERR_INVALID_ARG);
  EXPECT(&st, AS(ALICE), ACT(MIMI_ACT_SEND_REINIT, NULL, 0), MIMI_ERR_POLICY_DENIED);
  mimi_role_data_free(roles);
  free(roles);
  mimi_role_data_free(fewer);
  free(fewer);
  mimi_base_room_policy_free(base);
  free(base);
  mimi_room_state_free(&st);
}

static void test_join_links(void) {
  mimi_room_state st;
  a2_with_preauth(&st); /* links: ["abc"]; group_admin may create/delete */
  mimi_join_link add = {{(uint8_t *)"xyz", 3}};
  uint32_t idx0 = 0, idx_bad = 1, twice[] = {0, 0};
  mimi_join_links_update up = {NULL, 0, &add, 1};
  mimi_action a = ACT(MIMI_ACT_JOIN_LINKS_UPDATE, NULL, 0);
  a.join_links_update = &up;
  EXPECT(&st, AS(BOB), a, MIMI_OK);
  EXPECT(&st, AS(CATHY), a, MIMI_ERR_POLICY_DENIED);
  up = (mimi_join_links_update){&idx0, 1, NULL, 0};
  EXPECT(&st, AS(BOB), a, MIMI_OK);
  EXPECT(&st, AS(CATHY), a, MIMI_ERR_POLICY_DENIED);
  up = (mimi_join_links_update){&idx_bad, 1, NULL, 0};
  EXPECT(&st, AS(BOB), a, MIMI_ERR_POLICY_INVALID);
  up = (mimi_join_links_update){twice, 2, NULL, 0};
  EXPECT(&st, AS(BOB), a, MIMI_ERR_POLICY_CONFLICT);
  /* a link already there */
  mimi_join_link dup = {{(uint8_t *)"abc", 3}};
  up = (mimi_join_links_update){NULL, 0, &dup, 1};
  EXPECT(&st, AS(BOB), a, MIMI_ERR_POLICY_INVALID);
  /* §6.2 on_request: one persisted link at most */
  st.join_link_policy = calloc(1, sizeof *st.join_link_policy);
  st.join_link_policy->on_request = 1;
  up = (mimi_join_links_update){NULL, 0, &add, 1};
  EXPECT(&st, AS(BOB), a, MIMI_ERR_POLICY_INVALID);
  up = (mimi_join_links_update){&idx0, 1, &add, 1};
  EXPECT(&st, AS(BOB), a, MIMI_OK);
  APPLY(&st, AS(BOB), a);
  CHECK(st.join_links->links_count == 1 && st.join_links->links[0].join_link.len == 3 &&
        memcmp(st.join_links->links[0].join_link.data, "xyz", 3) == 0);
  mimi_room_state_free(&st);
}

/* ------------------------------------------------------------------------ */
/* Commit combinations (§3, §4, protocol §Participant List, ext §AppDataUpdate) */

static void test_commit_rules(void) {
  mimi_room_state st, out, before;
  a1_room(&st);
  CHECK_OK(mimi_room_state_clone(&before, &st));
  mimi_role_data *roles = fx_roles(fx_a1, FX_N(fx_a1));
  mimi_preauth_data preauth = {NULL, 0};
  mimi_room_change c1[] = {{AS(ERIN), update(MIMI_COMPONENT_ROLES_LIST, roles)},
                           {AS(CATHY), ACT(MIMI_ACT_ADD_PARTICIPANT, FRANK, 2)}};
  CHECK_ERR(mimi_room_apply(&st, NULL, c1, 2, &out), MIMI_ERR_POLICY_CONFLICT);
  mimi_room_change c1b[] = {{AS(ERIN), update(MIMI_COMPONENT_ROLES_LIST, roles)},
                            {AS(CATHY), ACT(MIMI_ACT_REMOVE_SELF, NULL, 0)}};
  CHECK_ERR(mimi_room_apply(&st, NULL, c1b, 2, &out), MIMI_ERR_POLICY_CONFLICT);
  mimi_room_change c1c[] = {{AS(ERIN), update(MIMI_COMPONENT_ROLES_LIST, roles)},
                            {AS(CATHY), ACT(MIMI_ACT_KICK, NULL, 0)}}; /* not a list change */
  CHECK_ERR(mimi_room_apply(&st, NULL, c1c, 2, &out), MIMI_ERR_POLICY_NO_SUCH_USER);
  /* preauth updates combine with removals only */
  mimi_room_change c2[] = {{AS(ALICE), update(MIMI_COMPONENT_PREAUTH_LIST, &preauth)},
                           {AS(CATHY), ACT(MIMI_ACT_ADD_PARTICIPANT, FRANK, 2)}};
  CHECK_ERR(mimi_room_apply(&st, NULL, c2, 2, &out), MIMI_ERR_POLICY_CONFLICT);
  mimi_room_change c3[] = {{AS(ALICE), update(MIMI_COMPONENT_PREAUTH_LIST, &preauth)},
                           {AS(ALICE), ACT(MIMI_ACT_REMOVE_PARTICIPANT, CATHY, 0)}};
  CHECK_OK(mimi_room_apply(&st, NULL, c3, 2, &out));
  CHECK(out.preauth && role_of(&out, CATHY) == 0);
  mimi_room_state_free(&out);
  /* one list change per user per commit */
  mimi_room_change c4[] = {{AS(CATHY), ACT(MIMI_ACT_ADD_PARTICIPANT, FRANK, 2)},
                           {AS(ALICE), ACT(MIMI_ACT_CHANGE_ROLE, FRANK, 3)}};
  CHECK_ERR(mimi_room_apply(&st, NULL, c4, 2, &out), MIMI_ERR_POLICY_CONFLICT);
  mimi_actor frank = fx_actor(FRANK, MIMI_VIA_MEMBER);
  mimi_room_change c5[] = {{AS(CATHY), ACT(MIMI_ACT_ADD_PARTICIPANT, FRANK, 2)},
                           {&frank, ACT(MIMI_ACT_REMOVE_SELF, NULL, 0)}};
  CHECK_ERR(mimi_room_apply(&st, NULL, c5, 2, &out), MIMI_ERR_POLICY_CONFLICT);
  /* ext §AppDataUpdate: a removal is alone on its component */
  add_cap(&st, 4, MIMI_CAP_CHANGE_OTHER_POLICY_ATTRIBUTE);
  mimi_status_notification_policy sn = {0, 0};
  APPLY(&st, AS(ALICE), update(MIMI_COMPONENT_STATUS_NOTIFICATION_POLICY, &sn));
  mimi_room_state_free(&before);
  CHECK_OK(mimi_room_state_clone(&before, &st));
  mimi_room_change c6[] = {{AS(ALICE), update(MIMI_COMPONENT_STATUS_NOTIFICATION_POLICY, &sn)},
                           {AS(ALICE), update(MIMI_COMPONENT_STATUS_NOTIFICATION_POLICY, NULL)}};
  CHECK_ERR(mimi_room_apply(&st, NULL, c6, 2, &out), MIMI_ERR_POLICY_CONFLICT);
  mimi_room_change c7[] = {{AS(ALICE), update(MIMI_COMPONENT_STATUS_NOTIFICATION_POLICY, NULL)},
                           {AS(ALICE), update(MIMI_COMPONENT_STATUS_NOTIFICATION_POLICY, NULL)}};
  CHECK_ERR(mimi_room_apply(&st, NULL, c7, 2, &out), MIMI_ERR_POLICY_CONFLICT);
  mimi_room_change c8[] = {{AS(ALICE), update(MIMI_COMPONENT_STATUS_NOTIFICATION_POLICY, &sn)},
                           {AS(ALICE), update(MIMI_COMPONENT_STATUS_NOTIFICATION_POLICY, &sn)}};
  CHECK_OK(mimi_room_apply(&st, NULL, c8, 2, &out));
  mimi_room_state_free(&out);
  /* all or nothing: the second change fails, nothing is kept */
  mimi_room_change c9[] = {{AS(CATHY), ACT(MIMI_ACT_ADD_PARTICIPANT, FRANK, 2)},
                           {AS(CATHY), ACT(MIMI_ACT_CHANGE_ROLE, BOB, 1)}};
  memset(&out, 0x77, sizeof out);
  CHECK_ERR(mimi_room_apply(&st, NULL, c9, 2, &out), MIMI_ERR_POLICY_DENIED);
  CHECK(((uint8_t *)&out)[0] == 0x77);
  CHECK(mimi_room_state_equal(&st, &before));
  /* changes see the ones before them: frank, just added, may be promoted
   * in the next commit and acts with his new role */
  mimi_room_change c10[] = {{AS(CATHY), ACT(MIMI_ACT_ADD_PARTICIPANT, FRANK, 2)},
                            {AS(BOB), ACT(MIMI_ACT_KICK, CATHY, 0)}};
  CHECK_OK(mimi_room_apply(&st, NULL, c10, 2, &out));
  CHECK(role_of(&out, FRANK) == 2 && clients_of(&out, CATHY) == 0);
  mimi_room_state_free(&out);
  CHECK_ERR(mimi_room_apply(NULL, NULL, c10, 2, &out), MIMI_ERR_INVALID_ARG);
  mimi_role_data_free(roles);
  free(roles);
  mimi_room_state_free(&before);
  mimi_room_state_free(&st);
}

/* ------------------------------------------------------------------------ */
/* AppDataUpdate proposals                                                  */

static mls_app_data_update adu(uint16_t id, const mimi_type *t, const void *value) {
  mls_app_data_update u;
  memset(&u, 0, sizeof u);
  u.component_id = id;
  if (value) {
    u.op.op = MLS_APP_DATA_UPDATE_OP_UPDATE;
    CHECK_OK(mimi_encode_alloc(t, value, &u.op.update));
  } else {
    u.op.op = MLS_APP_DATA_UPDATE_OP_REMOVE;
  }
  return u;
}

static void test_app_data(void) {
  mimi_room_state st, out;
  a1_room(&st);
  /* bob: change cathy (index 2) to 3, remove erin? (no: min 1) — remove dave (3),
   * add frank as 2 */
  mimi_user_index_role_pair ch = {2, 3};
  uint32_t rm = 3;
  mimi_user_role_pair add = {{(uint8_t *)FRANK, strlen(FRANK)}, 2};
  mimi_participant_list_update plu = {&ch, 1, &rm, 1, &add, 1};
  mls_app_data_update u = adu(MIMI_COMPONENT_PARTICIPANT_LIST, mimi_participant_list_update_type(), &plu);
  const mimi_actor *bob = AS(BOB);
  CHECK_OK(mimi_room_apply_app_data(&st, NULL, bob, &u, 1, NULL, 0, &out));
  CHECK(role_of(&out, CATHY) == 3 && role_of(&out, DAVE) == 0 && role_of(&out, FRANK) == 2);
  mimi_room_state_free(&out);
  /* cathy may not do the same (no canChangeUserRole); nothing changes */
  mimi_room_state before;
  CHECK_OK(mimi_room_state_clone(&before, &st));
  CHECK_ERR(mimi_room_apply_app_data(&st, NULL, AS(CATHY), &u, 1, NULL, 0, &out),
            MIMI_ERR_POLICY_DENIED);
  CHECK(mimi_room_state_equal(&st, &before));
  mls_app_data_update_free(&u);
  /* index out of range, role 0, the same user changed and removed */
  ch.user_index = 9;
  u = adu(MIMI_COMPONENT_PARTICIPANT_LIST, mimi_participant_list_update_type(), &plu);
  CHECK_ERR(mimi_room_apply_app_data(&st, NULL, bob, &u, 1, NULL, 0, &out), MIMI_ERR_POLICY_INVALID);
  mls_app_data_update_free(&u);
  ch = (mimi_user_index_role_pair){2, 0};
  u = adu(MIMI_COMPONENT_PARTICIPANT_LIST, mimi_participant_list_update_type(), &plu);
  CHECK_ERR(mimi_room_apply_app_data(&st, NULL, bob, &u, 1, NULL, 0, &out), MIMI_ERR_POLICY_INVALID);
  mls_app_data_update_free(&u);
  ch = (mimi_user_index_role_pair){3, 2};
  u = adu(MIMI_COMPONENT_PARTICIPANT_LIST, mimi_participant_list_update_type(), &plu);
  CHECK_ERR(mimi_room_apply_app_data(&st, NULL, bob, &u, 1, NULL, 0, &out), MIMI_ERR_POLICY_CONFLICT);
  mls_app_data_update_free(&u);
  rm = 7;
  plu.changed_role_participants_count = 0;
  u = adu(MIMI_COMPONENT_PARTICIPANT_LIST, mimi_participant_list_update_type(), &plu);
  CHECK_ERR(mimi_room_apply_app_data(&st, NULL, bob, &u, 1, NULL, 0, &out), MIMI_ERR_POLICY_INVALID);
  mls_app_data_update_free(&u);
  /* truncated update bytes; removing the list; unknown component */
  rm = 3;
  u = adu(MIMI_COMPONENT_PARTICIPANT_LIST, mimi_participant_list_update_type(), &plu);
  u.op.update.len--;
  CHECK_ERR(mimi_room_apply_app_data(&st, NULL, bob, &u, 1, NULL, 0, &out), MIMI_ERR_TRUNCATED);
  u.op.update.len++;
  mls_app_data_update_free(&u);
  u = adu(MIMI_COMPONENT_PARTICIPANT_LIST, NULL, NULL);
  CHECK_ERR(mimi_room_apply_app_data(&st, NULL, bob, &u, 1, NULL, 0, &out), MIMI_ERR_POLICY_INVALID);
  u.component_id = 0x0100;
  CHECK_ERR(mimi_room_apply_app_data(&st, NULL, bob, &u, 1, NULL, 0, &out), MIMI_ERR_UNSUPPORTED);
  /* a whole-component update with a bad enum value inside */
  uint8_t bad_sn[] = {0x00, 0x05};
  u.component_id = MIMI_COMPONENT_STATUS_NOTIFICATION_POLICY;
  u.op.op = MLS_APP_DATA_UPDATE_OP_UPDATE;
  u.op.update = (mimi_bytes){bad_sn, 2};
  CHECK_ERR(mimi_room_apply_app_data(&st, NULL, bob, &u, 1, NULL, 0, &out), MIMI_ERR_BAD_TAG);
  CHECK(mimi_room_state_equal(&st, &before));
  /* metadata through an AppDataUpdate */
  st.metadata = metadata("mimi://h/r/1", "club", NULL, "", "", "");
  mimi_room_metadata *md = metadata("mimi://h/r/1", "club!", NULL, "", "", "");
  u = adu(MIMI_COMPONENT_ROOM_METADATA, mimi_room_metadata_type(), md);
  CHECK_OK(mimi_room_apply_app_data(&st, NULL, AS(CATHY), &u, 1, NULL, 0, &out));
  CHECK(mimi_room_metadata_equal(out.metadata, md));
  mimi_room_state_free(&out);
  CHECK_ERR(mimi_room_apply_app_data(&st, NULL, AS(ERIN), &u, 1, NULL, 0, &out),
            MIMI_ERR_POLICY_DENIED);
  mls_app_data_update_free(&u);
  mimi_room_metadata_free(md);
  free(md);
  mimi_room_state_free(&before);
  mimi_room_state_free(&st);

  /* A.2: a self-add is a join (join code here); self role change is own */
  a2_with_preauth(&st);
  mimi_user_role_pair me = {{(uint8_t *)GRACE, strlen(GRACE)}, 2};
  mimi_participant_list_update join = {NULL, 0, NULL, 0, &me, 1};
  u = adu(MIMI_COMPONENT_PARTICIPANT_LIST, mimi_participant_list_update_type(), &join);
  mimi_actor g = fx_actor(GRACE, MIMI_VIA_EXTERNAL_COMMIT);
  CHECK_OK(mimi_room_apply_app_data(&st, NULL, &g, &u, 1, (const uint8_t *)"abc", 3, &out));
  CHECK(role_of(&out, GRACE) == 2 && clients_of(&out, GRACE) == 1);
  mimi_room_state_free(&out);
  CHECK_ERR(mimi_room_apply_app_data(&st, NULL, &g, &u, 1, (const uint8_t *)"abx", 3, &out),
            MIMI_ERR_POLICY_DENIED);
  mls_app_data_update_free(&u);
  mimi_claim hr = claim("dept", "hr");
  mimi_actor c = fx_actor(CATHY, MIMI_VIA_MEMBER);
  c.claims = &hr;
  c.claims_count = 1;
  mimi_user_index_role_pair self = {2, 3};
  mimi_participant_list_update own = {&self, 1, NULL, 0, NULL, 0};
  u = adu(MIMI_COMPONENT_PARTICIPANT_LIST, mimi_participant_list_update_type(), &own);
  CHECK_OK(mimi_room_apply_app_data(&st, NULL, &c, &u, 1, NULL, 0, &out));
  CHECK(role_of(&out, CATHY) == 3);
  mimi_room_state_free(&out);
  mls_app_data_update_free(&u);
  /* join links through an AppDataUpdate */
  mimi_join_link nl = {{(uint8_t *)"new", 3}};
  mimi_join_links_update jlu = {NULL, 0, &nl, 1};
  u = adu(MIMI_COMPONENT_JOIN_LINKS, mimi_join_links_update_type(), &jlu);
  CHECK_OK(mimi_room_apply_app_data(&st, NULL, AS(BOB), &u, 1, NULL, 0, &out));
  CHECK(out.join_links->links_count == 2);
  mimi_room_state_free(&out);
  mls_app_data_update_free(&u);
  mimi_room_state_free(&st);
  mimi_test_case();
}

/* ------------------------------------------------------------------------ */
/* §6.4 assets                                                              */

static mimi_media_type mt(const char *type, const char *pname, const char *pvalue) {
  mimi_media_type t;
  memset(&t, 0, sizeof t);
  t.type = (mimi_bytes){(uint8_t *)type, strlen(type)};
  if (pname) {
    t.parameters = calloc(1, sizeof *t.parameters);
    t.parameters_count = 1;
    t.parameters[0].parameter_name = (mimi_bytes){(uint8_t *)pname, strlen(pname)};
    t.parameters[0].parameter_value = (mimi_bytes){(uint8_t *)pvalue, strlen(pvalue)};
  }
  return t;
}

#define ASSET(st, sender, host, type, kind, size) \
  mimi_room_check_asset(st, (const uint8_t *)(sender), strlen(sender), (const uint8_t *)(host), \
                        strlen(host), type, kind, size)

static void test_assets(void) {
  mimi_room_state st;
  a1_room(&st);
  mimi_media_type png = mt("image/png", NULL, NULL), mp4 = mt("video/mp4", NULL, NULL),
                  pdf = mt("application/pdf", NULL, NULL), html = mt("text/html", NULL, NULL),
                  latin1 = mt("text/plain", "charset", "latin1"),
                  utf8 = mt("Text/Plain", "CHARSET", "utf-8");
  CHECK_OK(ASSET(&st, "c.example", "anywhere.example", &mp4, MIMI_MSG_VIDEO, 1u << 30));
  /* localProvider; b.example uploads to up.b.example, c.example to files. or
   * cdn.c.example; sizes 1000/2000/3000/4000; text/html and
   * text/plain;charset=latin1 forbidden; only image/png, text/plain and
   * application/pdf permitted */
  mimi_bytes enc = fx_wire(
      "01 4041 09 'b.example' 0d 0c 'up.b.example'"
      "        09 'c.example' 1e 0f 'files.c.example' 0d 'cdn.c.example'"
      "00 00 00 00000000000003e8 00000000000007d0 0000000000000bb8 0000000000000fa0"
      "26 09 'text/html' 00  0a 'text/plain' 0f 07 'charset' 06 'latin1'"
      "01 28 09 'image/png' 00  0a 'text/plain' 00  0f 'application/pdf' 00");
  st.asset = calloc(1, sizeof *st.asset);
  CHECK_OK(mimi_room_component_decode(MIMI_COMPONENT_ASSET_POLICY, enc.data, enc.len, st.asset));
  mimi_bytes_free(&enc);
  CHECK_OK(ASSET(&st, "c.example", "cdn.c.example", &png, MIMI_MSG_IMAGE, 500));
  CHECK_OK(ASSET(&st, "C.Example", "CDN.c.EXAMPLE", &png, MIMI_MSG_IMAGE, 500));
  CHECK_OK(ASSET(&st, "b.example", "up.b.example", &png, MIMI_MSG_IMAGE, 1000));
  /* another provider's destination, or a provider without an entry */
  CHECK_ERR(ASSET(&st, "c.example", "up.b.example", &png, MIMI_MSG_IMAGE, 500),
            MIMI_ERR_POLICY_FORBIDDEN);
  CHECK_ERR(ASSET(&st, "d.example", "cdn.c.example", &png, MIMI_MSG_IMAGE, 500),
            MIMI_ERR_POLICY_FORBIDDEN);
  /* forbidden wins over permitted; a parameter-less entry matches any
   * parameters, one with parameters only those */
  CHECK_ERR(ASSET(&st, "c.example", "cdn.c.example", &latin1, MIMI_MSG_ATTACHMENT, 10),
            MIMI_ERR_POLICY_FORBIDDEN);
  CHECK_OK(ASSET(&st, "c.example", "cdn.c.example", &utf8, MIMI_MSG_ATTACHMENT, 10));
  CHECK_ERR(ASSET(&st, "c.example", "cdn.c.example", &html, MIMI_MSG_ATTACHMENT, 10),
            MIMI_ERR_POLICY_FORBIDDEN);
  CHECK_ERR(ASSET(&st, "c.example", "cdn.c.example", &mp4, MIMI_MSG_VIDEO, 10),
            MIMI_ERR_POLICY_FORBIDDEN);
  /* sizes per kind */
  CHECK_ERR(ASSET(&st, "b.example", "up.b.example", &png, MIMI_MSG_IMAGE, 1001),
            MIMI_ERR_POLICY_FORBIDDEN);
  CHECK_OK(ASSET(&st, "b.example", "up.b.example", &png, MIMI_MSG_AUDIO, 2000));
  CHECK_ERR(ASSET(&st, "b.example", "up.b.example", &png, MIMI_MSG_AUDIO, 2001),
            MIMI_ERR_POLICY_FORBIDDEN);
  CHECK_OK(ASSET(&st, "b.example", "up.b.example", &png, MIMI_MSG_VIDEO, 3000));
  CHECK_ERR(ASSET(&st, "b.example", "up.b.example", &png, MIMI_MSG_VIDEO, 3001),
            MIMI_ERR_POLICY_FORBIDDEN);
  CHECK_OK(ASSET(&st, "b.example", "up.b.example", &pdf, MIMI_MSG_ATTACHMENT, 4000));
  CHECK_ERR(ASSET(&st, "b.example", "up.b.example", &pdf, MIMI_MSG_ATTACHMENT, 4001),
            MIMI_ERR_POLICY_FORBIDDEN);
  CHECK_ERR(ASSET(&st, "b.example", "up.b.example", &pdf, MIMI_MSG_LINK, 1), MIMI_ERR_INVALID_ARG);
  /* unspecified: any host; hub: the single entry's destinations */
  st.asset->asset_upload_location = MIMI_UPLOAD_UNSPECIFIED;
  CHECK_OK(ASSET(&st, "d.example", "elsewhere.example", &png, MIMI_MSG_IMAGE, 5));
  st.asset->asset_upload_location = MIMI_UPLOAD_HUB;
  CHECK_ERR(ASSET(&st, "b.example", "up.b.example", &png, MIMI_MSG_IMAGE, 5),
            MIMI_ERR_POLICY_FORBIDDEN); /* two entries: not a valid hub policy */
  mimi_provider_upload_domains_free(&st.asset->upload_domains[1]);
  st.asset->upload_domains_count = 1;
  CHECK_OK(ASSET(&st, "d.example", "up.b.example", &png, MIMI_MSG_IMAGE, 5));
  CHECK_ERR(ASSET(&st, "d.example", "cdn.c.example", &png, MIMI_MSG_IMAGE, 5),
            MIMI_ERR_POLICY_FORBIDDEN);
  free(latin1.parameters);
  free(utf8.parameters);
  mimi_room_state_free(&st);
  mimi_test_case();
}

int main(void) {
  test_add_participant();
  test_room_flags_on_entry();
  test_own_clients();
  test_join();
  test_preauth_join();
  test_remove();
  test_kick();
  test_change_role();
  test_ban_unban();
  test_change_own_role();
  test_messages();
  test_edits();
  test_metadata_rules();
  test_component_rules();
  test_join_links();
  test_commit_rules();
  test_app_data();
  test_assets();
  return mimi_test_summary("test_policy_authz");
}
