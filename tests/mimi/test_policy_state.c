/* test_policy_state.c — the room state as an app_data_dictionary (ext
 * §AppData): a hand-written dictionary, round trips with every MIMI
 * component and foreign components kept verbatim, the sorted/unique rule,
 * component errors passed through with nothing returned, and the rules that
 * relate components to each other (POLICY_INVALID). */
#include "policy_fixtures.h"

static mimi_bytes hexb(const char *h) {
  mimi_bytes b;
  CHECK_OK(mimi_bytes_from_hex(&b, h));
  return b;
}

static const char alice_hex[] = "6d696d693a2f2f612e6578616d706c652f752f616c696365"; /* mimi://a.example/u/alice */

static void test_hand_dictionary(void) {
  char h[512];
  /* participant_list (0x0022) [alice:2], status_notification_policy (0x0028) {1,2} */
  snprintf(h, sizeof h, "26" "0022" "1e" "1d" "18%s" "00000002" "0028" "02" "0102", alice_hex);
  mimi_bytes in = hexb(h), out;
  mimi_room_state st;
  CHECK_OK(mimi_room_state_decode(in.data, in.len, &st));
  CHECK(st.participants && st.participants->participants_count == 1);
  CHECK(st.status_notification && st.status_notification->read_receipts == MIMI_FORBIDDEN);
  CHECK(st.roles == NULL && st.other_count == 0 && st.clients && st.clients[0] == 0);
  CHECK(mimi_room_role_of(&st, (const uint8_t *)"mimi://a.example/u/alice", 24) == 2);
  CHECK(mimi_room_role_of(&st, (const uint8_t *)"mimi://a.example/u/bob", 22) == 0);
  CHECK_OK(mimi_room_state_encode(&st, &out));
  CHECK_BYTES(in, out);
  mimi_bytes_free(&out);
  CHECK_OK(mimi_room_set_clients(&st, (const uint8_t *)"mimi://a.example/u/alice", 24, 3));
  CHECK(st.clients[0] == 3);
  CHECK_ERR(mimi_room_set_clients(&st, (const uint8_t *)"x", 1, 1), MIMI_ERR_POLICY_NO_SUCH_USER);
  mimi_room_state_free(&st);

  /* the same two entries in the wrong order, and one id twice */
  snprintf(h, sizeof h, "26" "0028" "02" "0102" "0022" "1e" "1d" "18%s" "00000002", alice_hex);
  mimi_bytes bad = hexb(h);
  memset(&st, 0xa5, sizeof st);
  mimi_room_state zero;
  memset(&zero, 0xa5, sizeof zero);
  CHECK_ERR(mimi_room_state_decode(bad.data, bad.len, &st), MIMI_ERR_POLICY_INVALID);
  CHECK(memcmp(&st, &zero, sizeof st) == 0); /* untouched */
  mimi_bytes_free(&bad);
  bad = hexb("0a" "0028" "02" "0102" "0028" "02" "0102");
  CHECK_ERR(mimi_room_state_decode(bad.data, bad.len, &st), MIMI_ERR_POLICY_INVALID);
  mimi_bytes_free(&bad);
  /* a component whose bytes are bad: truncated, bad enum, bad rule */
  bad = hexb("04" "0028" "01" "01");
  CHECK_ERR(mimi_room_state_decode(bad.data, bad.len, &st), MIMI_ERR_TRUNCATED);
  mimi_bytes_free(&bad);
  bad = hexb("05" "0028" "02" "0103");
  CHECK_ERR(mimi_room_state_decode(bad.data, bad.len, &st), MIMI_ERR_BAD_TAG);
  mimi_bytes_free(&bad);
  bad = hexb("09" "0022" "06" "05" "00" "00000000");
  CHECK_ERR(mimi_room_state_decode(bad.data, bad.len, &st), MIMI_ERR_POLICY_INVALID);
  mimi_bytes_free(&bad);
  /* dictionary framing itself */
  CHECK_ERR(mimi_room_state_decode(in.data, in.len - 1, &st), MIMI_ERR_TRUNCATED);
  CHECK(memcmp(&st, &zero, sizeof st) == 0);
  mimi_bytes_free(&in);
  mimi_test_case();
}

/* A state with every component, built in memory. */
static void full_state(mimi_room_state *st) {
  static const fx_member members[] = {
      {"mimi://a.example/u/alice", 4, 2},
      {"mimi://b.example/u/bob", 3, 1},
      {"mimi://c.example/u/cathy", 2, 0},
      {"mimi://d.example/u/dave", 1, 0},
  };
  fx_state(st, fx_a2, FX_N(fx_a2), members, FX_N(members));
  struct {
    uint16_t id;
    const char *hex;
  } comps[] = {
      {MIMI_COMPONENT_ROOM_METADATA, "03'r:1' 01'n' 00 00 00 00"},
      {MIMI_COMPONENT_BASE_ROOM_POLICY, "00 00 00 01 00 01 00000010 01 01 00 04 0025 0026"},
      {MIMI_COMPONENT_STATUS_NOTIFICATION_POLICY, "00 00"},
      {MIMI_COMPONENT_JOIN_LINK_POLICY, "00 00 01 00000e10"},
      {MIMI_COMPONENT_JOIN_LINKS, "08 03'abc' 03'def'"},
      {MIMI_COMPONENT_LINK_PREVIEW_POLICY, "00 00 00 02"},
      {MIMI_COMPONENT_LOGGING_POLICY, "02"},
      {MIMI_COMPONENT_CHAT_HISTORY_POLICY, "00 08 00000003 00000004 00 00000e10"},
      {MIMI_COMPONENT_BOT_POLICY, "00"},
      {MIMI_COMPONENT_MESSAGE_EXPIRATION_POLICY, "02"},
      {MIMI_COMPONENT_PREAUTH_LIST, "00"},
  };
  for (size_t i = 0; i < FX_N(comps); i++) {
    mimi_bytes b = fx_wire(comps[i].hex);
    const mimi_type *t = mimi_room_component_type(comps[i].id);
    void *v = calloc(1, t->size);
    CHECK_OK(mimi_room_component_decode(comps[i].id, b.data, b.len, v));
    void **slotp = NULL;
    switch (comps[i].id) {
    case MIMI_COMPONENT_ROOM_METADATA: slotp = (void **)&st->metadata; break;
    case MIMI_COMPONENT_BASE_ROOM_POLICY: slotp = (void **)&st->base; break;
    case MIMI_COMPONENT_STATUS_NOTIFICATION_POLICY: slotp = (void **)&st->status_notification; break;
    case MIMI_COMPONENT_JOIN_LINK_POLICY: slotp = (void **)&st->join_link_policy; break;
    case MIMI_COMPONENT_JOIN_LINKS: slotp = (void **)&st->join_links; break;
    case MIMI_COMPONENT_LINK_PREVIEW_POLICY: slotp = (void **)&st->link_preview; break;
    case MIMI_COMPONENT_LOGGING_POLICY: slotp = (void **)&st->logging; break;
    case MIMI_COMPONENT_CHAT_HISTORY_POLICY: slotp = (void **)&st->history; break;
    case MIMI_COMPONENT_BOT_POLICY: slotp = (void **)&st->bot; break;
    case MIMI_COMPONENT_MESSAGE_EXPIRATION_POLICY: slotp = (void **)&st->expiration; break;
    default: slotp = (void **)&st->preauth; break;
    }
    *slotp = v;
    mimi_bytes_free(&b);
  }
  /* two components this layer does not interpret, around the MIMI range */
  st->other = calloc(2, sizeof *st->other);
  st->other_count = 2;
  st->other[0].component_id = MLS_COMPONENT_CONTENT_MEDIA_TYPES;
  CHECK_OK(mimi_bytes_copy(&st->other[0].data, (const uint8_t *)"\x00", 1));
  st->other[1].component_id = 0x8000;
  CHECK_OK(mimi_bytes_copy(&st->other[1].data, (const uint8_t *)"xyz", 3));
  CHECK_OK(mimi_room_state_validate(st));
}

static void test_full_roundtrip(void) {
  mimi_room_state st, back, copy;
  full_state(&st);
  mls_app_data_dictionary d;
  CHECK_OK(mimi_room_state_to_dictionary(&st, &d));
  CHECK(d.component_data_count == 15);
  CHECK(d.component_data[0].component_id == MLS_COMPONENT_CONTENT_MEDIA_TYPES);
  CHECK(d.component_data[14].component_id == 0x8000);
  for (size_t i = 1; i < d.component_data_count; i++)
    CHECK(d.component_data[i - 1].component_id < d.component_data[i].component_id);
  mls_app_data_dictionary_free(&d);

  mimi_bytes enc, enc2;
  CHECK_OK(mimi_room_state_encode(&st, &enc));
  CHECK_OK(mimi_room_state_decode(enc.data, enc.len, &back));
  /* client counts are not on the wire */
  CHECK(!mimi_room_state_equal(&st, &back));
  for (size_t i = 0; i < st.participants->participants_count; i++) back.clients[i] = st.clients[i];
  CHECK(mimi_room_state_equal(&st, &back));
  CHECK_OK(mimi_room_state_encode(&back, &enc2));
  CHECK_BYTES(enc, enc2);
  CHECK_OK(mimi_room_state_clone(&copy, &st));
  CHECK(mimi_room_state_equal(&st, &copy));
  copy.clients[1] = 9;
  CHECK(!mimi_room_state_equal(&st, &copy));
  CHECK(mimi_room_find_role(&st, 5) && !mimi_room_find_role(&st, 6));
  size_t idx;
  CHECK(mimi_room_find_user(&st, (const uint8_t *)"mimi://c.example/u/cathy", 24, &idx) && idx == 2);
  mimi_room_state_free(&copy);
  mimi_room_state_free(&back);
  mimi_bytes_free(&enc);
  mimi_bytes_free(&enc2);
  mimi_room_state_free(&st);
  mimi_test_case();
}

/* Each cross-component rule: broken on a copy of the full state, which
 * then fails validation, and fails decoding from its own encoding. */
static void expect_invalid(mimi_room_state *st) {
  CHECK_ERR(mimi_room_state_validate(st), MIMI_ERR_POLICY_INVALID);
  mimi_bytes enc;
  CHECK_OK(mimi_room_state_encode(st, &enc));
  mimi_room_state out;
  CHECK_ERR(mimi_room_state_decode(enc.data, enc.len, &out), MIMI_ERR_POLICY_INVALID);
  mimi_bytes_free(&enc);
  mimi_room_state_free(st);
  mimi_test_case();
}

static void test_cross_rules(void) {
  mimi_room_state st;
  /* a participant with a role that is not defined */
  full_state(&st);
  st.participants->participants[2].role_index = 9;
  expect_invalid(&st);
  /* an authorized_role_changes target that is not defined */
  full_state(&st);
  fx_role_mut(&st, 2)->authorized_role_changes[0].target_role_indexes[0] = 42;
  expect_invalid(&st);
  full_state(&st);
  fx_role_mut(&st, 2)->authorized_role_changes[0].from_role_index = 42;
  expect_invalid(&st);
  /* §5 fixed membership: group_admin (3) holds canAddParticipant */
  full_state(&st);
  st.base->fixed_membership = 1;
  expect_invalid(&st);
  /* ... which is fine once no non-zero, non-banned role holds it */
  full_state(&st);
  st.base->fixed_membership = 1;
  for (uint32_t r = 2; r <= 4; r++) {
    mimi_role *role = fx_role_mut(&st, r);
    for (size_t i = 0; i < role->role_capabilities_count; i++)
      if (role->role_capabilities[i] == MIMI_CAP_ADD_PARTICIPANT) role->role_capabilities[i] = 0xF000;
  }
  CHECK_OK(mimi_room_state_validate(&st));
  mimi_room_state_free(&st);
  /* §6.6 a history sharer whose role cannot have clients, or is undefined */
  full_state(&st);
  st.history->when_optional.roles_that_can_share[0] = 5; /* policy_enforcer: max_active 0 */
  expect_invalid(&st);
  full_state(&st);
  st.history->when_optional.roles_that_can_share[0] = 17;
  expect_invalid(&st);
  /* §6.7 a bot in an undefined role */
  full_state(&st);
  st.bot->allowed_bots = calloc(1, sizeof(mimi_bot));
  st.bot->allowed_bots_count = 1;
  st.bot->allowed_bots[0].bot_role_index = 23;
  expect_invalid(&st);
  /* §6.2 on_request keeps at most one join link (two are persisted here) */
  full_state(&st);
  st.join_link_policy->on_request = 1;
  expect_invalid(&st);
}

/* The empty dictionary is the empty state, both ways. */
static void test_empty(void) {
  mimi_room_state st, back;
  memset(&st, 0, sizeof st);
  mimi_bytes enc, want = hexb("00");
  CHECK_OK(mimi_room_state_encode(&st, &enc));
  CHECK_BYTES(enc, want);
  CHECK_OK(mimi_room_state_decode(enc.data, enc.len, &back));
  CHECK(mimi_room_state_equal(&st, &back));
  CHECK(back.participants == NULL && back.clients == NULL && back.other_count == 0);
  CHECK(mimi_room_role_of(&back, (const uint8_t *)"x", 1) == MIMI_ROLE_NONE);
  CHECK(mimi_room_find_role(&back, 0) == NULL);
  mimi_room_state_free(&back);
  mimi_bytes_free(&enc);
  mimi_bytes_free(&want);
  mimi_test_case();
}

int main(void) {
  test_empty();
  test_hand_dictionary();
  test_full_roundtrip();
  test_cross_rules();
  return mimi_test_summary("test_policy_state");
}
