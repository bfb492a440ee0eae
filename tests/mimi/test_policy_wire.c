/* test_policy_wire.c — the room-state wire structs against encodings written
 * out by hand from room-policy-04 Appendix B / protocol-06 and the TLS
 * presentation rules of RFC 9420 §2.1 (Appendix A roles included), and the
 * component decoder's rejections: truncation, trailing bytes, bad enum and
 * bool values, bad optional bytes, bad select tags, and every single-
 * component rule of the drafts (POLICY_INVALID). */
#include "policy_fixtures.h"

static const char zeros[4096];

/* Decodes `spec` as component `id`, re-encodes, checks the bytes are the
 * same; returns the decoded value (caller frees with mimi_free + free). */
static void *roundtrip(uint16_t id, const char *spec) {
  mimi_bytes in = fx_wire(spec), out = {NULL, 0};
  const mimi_type *t = mimi_room_component_type(id);
  void *v = calloc(1, t->size);
  mimi_err got = mimi_room_component_decode(id, in.data, in.len, v);
  CHECK_OK(got);
  if (got != MIMI_OK) fprintf(stderr, "  in: %s\n", spec);
  CHECK_OK(mimi_encode_alloc(t, v, &out));
  CHECK_BYTES(in, out);
  /* every strict prefix is truncated input; one more byte is trailing */
  for (size_t n = 0; n < in.len; n++) {
    void *w = calloc(1, t->size);
    CHECK_ERR(mimi_room_component_decode(id, in.data, n, w), MIMI_ERR_TRUNCATED);
    CHECK(memcmp(w, zeros, t->size) == 0); /* left zeroed */
    free(w);
  }
  uint8_t zero = 0;
  CHECK_OK(mimi_bytes_append(&in, &zero, 1));
  void *w = calloc(1, t->size);
  CHECK_ERR(mimi_room_component_decode(id, in.data, in.len, w), MIMI_ERR_TRAILING_DATA);
  free(w);
  mimi_bytes_free(&in);
  mimi_bytes_free(&out);
  mimi_test_case();
  return v;
}

static void release(uint16_t id, void *v) {
  mimi_free(mimi_room_component_type(id), v);
  free(v);
}

static void expect_err(uint16_t id, const char *spec, mimi_err want) {
  mimi_bytes in = fx_wire(spec);
  const mimi_type *t = mimi_room_component_type(id);
  void *v = calloc(1, t->size);
  mimi_err got = mimi_room_component_decode(id, in.data, in.len, v);
  CHECK_ERR(got, want);
  if (got != want) fprintf(stderr, "  in: %s\n", spec);
  CHECK(memcmp(v, zeros, t->size) == 0);
  free(v);
  mimi_bytes_free(&in);
}

/* ------------------------------------------------------------------------ */

#define BANNED_ROLE "00000001 06 'banned' 00 00 00000000 00 00000000 01 00000000 00"
#define ENFORCER_ROLE                                                            \
  "00000005 0f 'policy_enforcer' 00"                                             \
  "12 0001 000f 000a 000b 0503 0504 0600 0501 0601"                              \
  "00000001 01 00000002 00000000 01 00000000"                                    \
  "39 00000000 04 00000001  00000001 04 00000000  00000002 08 00000000 00000001" \
  "   00000003 08 00000000 00000001  00000004 08 00000000 00000001"

static void test_roles(void) {
  /* A.1 "banned" and "policy_enforcer", each alone in a RoleData */
  mimi_bytes b1 = fx_wire(BANNED_ROLE), b5 = fx_wire(ENFORCER_ROLE);
  char spec[1024];
  snprintf(spec, sizeof spec, "%02zx %s", b1.len, BANNED_ROLE);
  mimi_role_data *rd = roundtrip(MIMI_COMPONENT_ROLES_LIST, spec);
  CHECK(rd->roles_count == 1 && rd->roles[0].role_index == 1);
  CHECK(rd->roles[0].maximum_participants_constraint == NULL);
  CHECK(rd->roles[0].maximum_active_participants_constraint &&
        *rd->roles[0].maximum_active_participants_constraint == 0);
  /* and equal to the fixture transcribed from the draft text */
  mimi_role built;
  fx_role_build(&built, fx_a1, FX_N(fx_a1), &fx_a1[1]);
  CHECK(mimi_role_equal(&built, &rd->roles[0]));
  mimi_role_free(&built);
  release(MIMI_COMPONENT_ROLES_LIST, rd);

  /* 116 bytes: a two-byte varint length (RFC 9420 §2.1.2) */
  CHECK(b5.len == 116);
  snprintf(spec, sizeof spec, "40%02zx %s", b5.len, ENFORCER_ROLE);
  rd = roundtrip(MIMI_COMPONENT_ROLES_LIST, spec);
  fx_role_build(&built, fx_a1, FX_N(fx_a1), &fx_a1[5]);
  CHECK(mimi_role_equal(&built, &rd->roles[0]));
  CHECK(mimi_role_has_capability(&rd->roles[0], MIMI_CAP_UNBAN));
  CHECK(!mimi_role_has_capability(&rd->roles[0], MIMI_CAP_KICK));
  mimi_role_free(&built);
  release(MIMI_COMPONENT_ROLES_LIST, rd);

  /* bad optional presence byte in maximum_participants_constraint */
  snprintf(spec, sizeof spec, "%02zx %s", b1.len,
           "00000001 06 'banned' 00 00 00000000 02 00000000 01 00000000 00");
  expect_err(MIMI_COMPONENT_ROLES_LIST, spec, MIMI_ERR_BAD_OPTIONAL);
  mimi_bytes_free(&b1);
  mimi_bytes_free(&b5);

  /* every Appendix A role set encodes, decodes to the same thing and validates */
  const struct {
    const fx_role *set;
    size_t n;
  } sets[] = {{fx_a1, FX_N(fx_a1)}, {fx_a2, FX_N(fx_a2)}, {fx_a3, FX_N(fx_a3)}, {fx_a4, FX_N(fx_a4)}};
  for (size_t s = 0; s < FX_N(sets); s++) {
    mimi_role_data *set = fx_roles(sets[s].set, sets[s].n), back;
    mimi_bytes enc;
    CHECK_OK(mimi_role_data_encode(set, &enc));
    CHECK_OK(mimi_room_component_decode(MIMI_COMPONENT_ROLES_LIST, enc.data, enc.len, &back));
    CHECK(mimi_role_data_equal(set, &back));
    mimi_role_data_free(&back);
    mimi_bytes_free(&enc);
    release(MIMI_COMPONENT_ROLES_LIST, set);
    mimi_test_case();
  }
}

static void test_role_rules(void) {
  /* two roles with index 1 */
  char spec[1024];
  mimi_bytes b = fx_wire(BANNED_ROLE);
  snprintf(spec, sizeof spec, "%02zx %s %s", 2 * b.len, BANNED_ROLE, BANNED_ROLE);
  expect_err(MIMI_COMPONENT_ROLES_LIST, spec, MIMI_ERR_POLICY_INVALID);
  mimi_bytes_free(&b);
  /* min 3 > max 2 */
  expect_err(MIMI_COMPONENT_ROLES_LIST,
             "17 00000002 01 'x' 00 00 00000003 01 00000002 00000000 00 00", MIMI_ERR_POLICY_INVALID);
  /* min_active 1 > max_active 0 */
  expect_err(MIMI_COMPONENT_ROLES_LIST,
             "17 00000002 01 'x' 00 00 00000000 00 00000001 01 00000000 00", MIMI_ERR_POLICY_INVALID);
  /* two authorized_role_changes entries from role 0 */
  expect_err(MIMI_COMPONENT_ROLES_LIST,
             "21 00000002 01 'x' 00 00 00000000 00 00000000 00"
             "0e 00000000 04 00000002  00000000 00",
             MIMI_ERR_POLICY_INVALID);
  /* canOpenJoin (0x0004) on a non-zero role */
  expect_err(MIMI_COMPONENT_ROLES_LIST,
             "1e 00000002 01 'x' 00 02 0004 00000000 00 00000000 00 09 00000000 04 00000002",
             MIMI_ERR_POLICY_INVALID);
  /* canOpenJoin on role 0 without a from-0 entry ... */
  expect_err(MIMI_COMPONENT_ROLES_LIST,
             "1e 00000000 01 'x' 00 02 0004 00000000 00 00000000 00 09 00000002 04 00000002",
             MIMI_ERR_POLICY_INVALID);
  /* ... and with one, fine */
  void *ok = roundtrip(MIMI_COMPONENT_ROLES_LIST,
                       "1e 00000000 01 'x' 00 02 0004 00000000 00 00000000 00 09 00000000 04 00000002");
  release(MIMI_COMPONENT_ROLES_LIST, ok);
}

static void test_preauth(void) {
  char spec[1024];
  mimi_bytes b = fx_wire(BANNED_ROLE);
  /* claim: x509 (2), id "o", value "hr"; target role = the banned role */
  /* the claim is 4 + 3 bytes; the entry is 1 + 7 + the role */
  snprintf(spec, sizeof spec, "%02zx 07 0002 01 'o' 02 'hr' %s", b.len + 8, BANNED_ROLE);
  mimi_preauth_data *p = roundtrip(MIMI_COMPONENT_PREAUTH_LIST, spec);
  CHECK(p->preauthorized_entries_count == 1);
  CHECK(p->preauthorized_entries[0].claimset[0].claim_id.credential_type == 2);
  CHECK(p->preauthorized_entries[0].target_role.role_index == 1);
  release(MIMI_COMPONENT_PREAUTH_LIST, p);
  mimi_bytes_free(&b);
}

static void test_participants(void) {
  mimi_participant_list *pl = roundtrip(MIMI_COMPONENT_PARTICIPANT_LIST,
                                        "1d 18 'mimi://a.example/u/alice' 00000002");
  CHECK(pl->participants_count == 1 && pl->participants[0].role_index == 2);
  release(MIMI_COMPONENT_PARTICIPANT_LIST, pl);
  /* role 0 in the list; the same user twice; an empty user */
  expect_err(MIMI_COMPONENT_PARTICIPANT_LIST, "1d 18 'mimi://a.example/u/alice' 00000000",
             MIMI_ERR_POLICY_INVALID);
  expect_err(MIMI_COMPONENT_PARTICIPANT_LIST,
             "3a 18 'mimi://a.example/u/alice' 00000002 18 'mimi://a.example/u/alice' 00000003",
             MIMI_ERR_POLICY_INVALID);
  expect_err(MIMI_COMPONENT_PARTICIPANT_LIST, "05 00 00000002", MIMI_ERR_POLICY_INVALID);

  /* ParticipantListUpdate (no component of its own: the plain codec) */
  mimi_bytes u = fx_wire("08 00000000 00000003  04 00000001  1b 16 'mimi://b.example/u/bob' 00000002");
  mimi_participant_list_update up, *want = calloc(1, sizeof *want);
  CHECK_OK(mimi_participant_list_update_decode(u.data, u.len, &up));
  CHECK(up.changed_role_participants_count == 1 && up.changed_role_participants[0].role_index == 3);
  CHECK(up.removed_indices_count == 1 && up.removed_indices[0] == 1);
  CHECK(up.added_participants_count == 1 && up.added_participants[0].user.len == 22);
  mimi_bytes again;
  CHECK_OK(mimi_participant_list_update_encode(&up, &again));
  CHECK_BYTES(u, again);
  CHECK_ERR(mimi_participant_list_update_decode(u.data, u.len - 1, want), MIMI_ERR_TRUNCATED);
  mimi_participant_list_update_free(&up);
  free(want);
  mimi_bytes_free(&u);
  mimi_bytes_free(&again);
  mimi_test_case();
}

static void test_metadata(void) {
  mimi_room_metadata *m = roundtrip(
      MIMI_COMPONENT_ROOM_METADATA,
      "19 'mimi://hub.example/r/club' 04 'Club'"
      "10 00 02 'en' 0b 'hello world'"
      "13 'https://a.example/i' 00 03 'fun'");
  CHECK(m->room_descriptions_count == 1 && m->room_mood.string.len == 3);
  release(MIMI_COMPONENT_ROOM_METADATA, m);
  expect_err(MIMI_COMPONENT_ROOM_METADATA, "00 00 00 00 00 00", MIMI_ERR_POLICY_INVALID);
}

static void test_base(void) {
  mimi_base_room_policy *b = roundtrip(
      MIMI_COMPONENT_BASE_ROOM_POLICY,
      "00 01 1c 1b 'mimi://hub.example/r/parent' 01 00 01 00000064 00 01 00 06 0025 0026 0027");
  CHECK(b->parent_dependant && b->parent_room_count == 1 && b->max_clients == NULL);
  CHECK(b->max_users && *b->max_users == 100 && b->policy_component_ids_count == 3);
  release(MIMI_COMPONENT_BASE_ROOM_POLICY, b);
  /* parent-dependent without a parent; a parent without being dependent */
  expect_err(MIMI_COMPONENT_BASE_ROOM_POLICY, "00 01 00 01 00 00 00 01 00 00",
             MIMI_ERR_POLICY_INVALID);
  expect_err(MIMI_COMPONENT_BASE_ROOM_POLICY,
             "00 00 1c 1b 'mimi://hub.example/r/parent' 01 00 00 00 01 00 00",
             MIMI_ERR_POLICY_INVALID);
  /* each bool must be 0 or 1 */
  expect_err(MIMI_COMPONENT_BASE_ROOM_POLICY, "02 00 00 01 00 00 00 01 00 00", MIMI_ERR_BAD_TAG);
  expect_err(MIMI_COMPONENT_BASE_ROOM_POLICY, "00 00 00 07 00 00 00 01 00 00", MIMI_ERR_BAD_TAG);
  expect_err(MIMI_COMPONENT_BASE_ROOM_POLICY, "00 00 00 01 00 00 00 01 ff 00", MIMI_ERR_BAD_TAG);
  /* optional max_users with presence byte 2 */
  expect_err(MIMI_COMPONENT_BASE_ROOM_POLICY, "00 00 00 01 00 02 00000001 00 01 00 00",
             MIMI_ERR_BAD_OPTIONAL);
}

static void test_small_policies(void) {
  void *v = roundtrip(MIMI_COMPONENT_STATUS_NOTIFICATION_POLICY, "01 02");
  release(MIMI_COMPONENT_STATUS_NOTIFICATION_POLICY, v);
  expect_err(MIMI_COMPONENT_STATUS_NOTIFICATION_POLICY, "03 00", MIMI_ERR_BAD_TAG);
  expect_err(MIMI_COMPONENT_STATUS_NOTIFICATION_POLICY, "00 03", MIMI_ERR_BAD_TAG);

  mimi_join_link_policy *jp = roundtrip(MIMI_COMPONENT_JOIN_LINK_POLICY,
                                        "01 15 'https://j.example/req' 00 00015180");
  CHECK(jp->on_request == 1 && jp->expiration == 86400);
  release(MIMI_COMPONENT_JOIN_LINK_POLICY, jp);
  expect_err(MIMI_COMPONENT_JOIN_LINK_POLICY, "00 00 02 00000000", MIMI_ERR_BAD_TAG);

  mimi_join_links *jl = roundtrip(MIMI_COMPONENT_JOIN_LINKS, "04 03 'abc'");
  CHECK(jl->links_count == 1);
  release(MIMI_COMPONENT_JOIN_LINKS, jl);
  expect_err(MIMI_COMPONENT_JOIN_LINKS, "08 03 'abc' 03 'abc'", MIMI_ERR_POLICY_INVALID);
  expect_err(MIMI_COMPONENT_JOIN_LINKS, "01 00", MIMI_ERR_POLICY_INVALID);
  mimi_bytes u = fx_wire("04 00000000 03 02 'xy'");
  mimi_join_links_update up;
  CHECK_OK(mimi_join_links_update_decode(u.data, u.len, &up));
  CHECK(up.removed_indices_count == 1 && up.added_links_count == 1);
  mimi_join_links_update_free(&up);
  mimi_bytes_free(&u);

  mimi_link_preview_policy *lp =
      roundtrip(MIMI_COMPONENT_LINK_PREVIEW_POLICY, "00 02 00 01 12 11 'https://p.example'");
  CHECK(lp->proxy.link_preview_proxy_use == MIMI_REQUIRED && lp->proxy.when_required.uris_count == 1);
  release(MIMI_COMPONENT_LINK_PREVIEW_POLICY, lp);
  lp = roundtrip(MIMI_COMPONENT_LINK_PREVIEW_POLICY, "00 00 00 02");
  release(MIMI_COMPONENT_LINK_PREVIEW_POLICY, lp);
  /* autodetection "MUST NOT be mandatory"; proxy needed unless forbidden */
  expect_err(MIMI_COMPONENT_LINK_PREVIEW_POLICY, "01 00 00 02", MIMI_ERR_POLICY_INVALID);
  expect_err(MIMI_COMPONENT_LINK_PREVIEW_POLICY, "00 00 00 00 00", MIMI_ERR_POLICY_INVALID);
  expect_err(MIMI_COMPONENT_LINK_PREVIEW_POLICY, "00 00 00 00 01 00", MIMI_ERR_POLICY_INVALID);
  expect_err(MIMI_COMPONENT_LINK_PREVIEW_POLICY, "00 00 00 03", MIMI_ERR_BAD_TAG);
  expect_err(MIMI_COMPONENT_LINK_PREVIEW_POLICY, "00 00 04 02", MIMI_ERR_BAD_TAG);

  mimi_logging_policy *lg = roundtrip(MIMI_COMPONENT_LOGGING_POLICY,
                                      "01 11 10 'mimi://l.ex/u/lg' 03 'm:x' 03 'h:x'");
  CHECK(lg->logging == MIMI_REQUIRED && lg->when_required.logging_clients_count == 1);
  release(MIMI_COMPONENT_LOGGING_POLICY, lg);
  lg = roundtrip(MIMI_COMPONENT_LOGGING_POLICY, "00 00 00 00");
  release(MIMI_COMPONENT_LOGGING_POLICY, lg);
  lg = roundtrip(MIMI_COMPONENT_LOGGING_POLICY, "02");
  release(MIMI_COMPONENT_LOGGING_POLICY, lg);
  expect_err(MIMI_COMPONENT_LOGGING_POLICY, "01 00 00 00", MIMI_ERR_POLICY_INVALID);
  expect_err(MIMI_COMPONENT_LOGGING_POLICY, "03", MIMI_ERR_BAD_TAG);

  mimi_history_policy *h =
      roundtrip(MIMI_COMPONENT_CHAT_HISTORY_POLICY, "00 08 00000002 00000003 01 00093a80");
  CHECK(h->when_optional.max_time_period == 604800);
  release(MIMI_COMPONENT_CHAT_HISTORY_POLICY, h);
  h = roundtrip(MIMI_COMPONENT_CHAT_HISTORY_POLICY, "02");
  release(MIMI_COMPONENT_CHAT_HISTORY_POLICY, h);
  expect_err(MIMI_COMPONENT_CHAT_HISTORY_POLICY, "00 04 00000000 00 00000000", MIMI_ERR_POLICY_INVALID);
  expect_err(MIMI_COMPONENT_CHAT_HISTORY_POLICY, "01 04 00000001 00 00000000", MIMI_ERR_POLICY_INVALID);
  expect_err(MIMI_COMPONENT_CHAT_HISTORY_POLICY, "00 00 02 00000000", MIMI_ERR_BAD_TAG);

  mimi_bot_policy *bp =
      roundtrip(MIMI_COMPONENT_BOT_POLICY, "0c 01 'b' 00 01 'h' 01 00000000 00 01");
  CHECK(bp->allowed_bots_count == 1 && bp->allowed_bots[0].per_user_content == 1);
  release(MIMI_COMPONENT_BOT_POLICY, bp);
  /* a local client bot with a role */
  expect_err(MIMI_COMPONENT_BOT_POLICY, "0c 01 'b' 00 01 'h' 01 00000002 00 01",
             MIMI_ERR_POLICY_INVALID);
  expect_err(MIMI_COMPONENT_BOT_POLICY, "0c 01 'b' 00 01 'h' 00 00000002 05 01", MIMI_ERR_BAD_TAG);

  mimi_message_expiration *e = roundtrip(MIMI_COMPONENT_MESSAGE_EXPIRATION_POLICY,
                                         "01 0000003c 00015180 01 00000e10");
  CHECK(e->when_required.default_expiration_duration &&
        *e->when_required.default_expiration_duration == 3600);
  release(MIMI_COMPONENT_MESSAGE_EXPIRATION_POLICY, e);
  expect_err(MIMI_COMPONENT_MESSAGE_EXPIRATION_POLICY, "00 00000100 000000ff 00",
             MIMI_ERR_POLICY_INVALID);
  expect_err(MIMI_COMPONENT_MESSAGE_EXPIRATION_POLICY, "00 00000010 000000ff 01 00000001",
             MIMI_ERR_POLICY_INVALID);
  expect_err(MIMI_COMPONENT_MESSAGE_EXPIRATION_POLICY, "00 00000010 000000ff 03 00000020",
             MIMI_ERR_BAD_OPTIONAL);
}

#define U64(x) "00000000" x
#define Z64 "0000000000000000"
static void test_asset(void) {
  const char *ok = "01 00 02 0001 01 02 00" U64("00100000") U64("00000000") U64("00000000")
      U64("00000000") "0b 09 'text/html' 00 00";
  mimi_asset_policy *a = roundtrip(MIMI_COMPONENT_ASSET_POLICY, ok);
  CHECK(a->max_image == 0x100000 && a->permitted_media_types == NULL);
  CHECK(a->forbidden_media_types_count == 1);
  release(MIMI_COMPONENT_ASSET_POLICY, a);
  a = roundtrip(MIMI_COMPONENT_ASSET_POLICY,
                "02 13 09 'b.example' 08 07 'u.b.exa' 00 00 02" Z64 Z64 Z64 Z64
                    "00 01 10 0a 'text/plain' 04 01 'a' 01 'b'");
  CHECK(a->permitted_media_types && a->permitted_media_types->media_types_count == 1);
  release(MIMI_COMPONENT_ASSET_POLICY, a);
  /* hub upload without exactly one provider; a type allowed and forbidden;
   * the default forbidden; bad enum values; bad optional */
  expect_err(MIMI_COMPONENT_ASSET_POLICY,
             "02 00 00 00 00" Z64 Z64 Z64 Z64 "00 00", MIMI_ERR_POLICY_INVALID);
  expect_err(MIMI_COMPONENT_ASSET_POLICY,
             "00 00 01 02 01 02 00" Z64 Z64 Z64 Z64 "00 00",
             MIMI_ERR_POLICY_INVALID);
  expect_err(MIMI_COMPONENT_ASSET_POLICY,
             "00 00 00 01 01 01" Z64 Z64 Z64 Z64 "00 00", MIMI_ERR_POLICY_INVALID);
  expect_err(MIMI_COMPONENT_ASSET_POLICY,
             "03 00 00 00 00" Z64 Z64 Z64 Z64 "00 00", MIMI_ERR_BAD_TAG);
  expect_err(MIMI_COMPONENT_ASSET_POLICY,
             "00 00 01 03 00 00" Z64 Z64 Z64 Z64 "00 00", MIMI_ERR_BAD_TAG);
  expect_err(MIMI_COMPONENT_ASSET_POLICY,
             "00 00 00 00 03" Z64 Z64 Z64 Z64 "00 00", MIMI_ERR_BAD_TAG);
  expect_err(MIMI_COMPONENT_ASSET_POLICY,
             "00 00 00 00 00" Z64 Z64 Z64 Z64 "00 02 00", MIMI_ERR_BAD_OPTIONAL);
}

#define EMPTY_CAPS "00 00 00 00 00 00 00 00 00 00"
#define MDM(a, b, c) U64(a) U64(b) U64(c)
static void test_operational(void) {
  const char *spec = EMPTY_CAPS
      "02 0001  04 0001 0002  00  06 0001 0002 0003  02 0001  05 04 0001 0002  02 0025  00"
      "0c 0a 'text/plain' 00  01 01" EMPTY_CAPS
      "03 02 0002"
      "01 00"
      "02" U64("00000064") U64("000003e8") MDM("00000001", "00000002", "00000003")
      "05 0100 00000400" U64("00015180") U64("00015181") U64("00015182")
      MDM("0000000a", "0000000b", "0000000c") "00000010" MDM("00000000", "00000000", "00000000")
      "00000020";
  mimi_operational_parameters *o = roundtrip(MIMI_COMPONENT_MLS_OPERATIONAL_POLICY, spec);
  CHECK(o->default_capabilities.proposals_count == 3 && o->default_capabilities.content_types_count == 1);
  CHECK(o->handshake_formats_count == 1 && o->handshake_formats[0].wire_formats_count == 1);
  CHECK(o->pending_proposal_policy.random_delay.maximum_delay_ms == 1000);
  CHECK(o->app_message_policy.pad_to_size == 256 && o->max_kp_lifetime == 86400);
  CHECK(o->max_buffered_messages == 32 && o->external_proposal_allowed && !o->external_commit_allowed);
  release(MIMI_COMPONENT_MLS_OPERATIONAL_POLICY, o);

  char bad[2048];
  /* PendingProposalStrategy 3 (the draft's `extension` arm has no value) */
  snprintf(bad, sizeof bad, "%s %s %s 00 01 01 03", EMPTY_CAPS, EMPTY_CAPS, EMPTY_CAPS);
  expect_err(MIMI_COMPONENT_MLS_OPERATIONAL_POLICY, bad, MIMI_ERR_BAD_TAG);
  /* bool 2 */
  snprintf(bad, sizeof bad, "%s %s %s 00 02 01 00" MDM("00000001", "00000001", "00000001") "00 0000 00000000" Z64
           Z64 Z64 Z64 Z64 Z64 "00000000" Z64 Z64 Z64 "00000000",
           EMPTY_CAPS, EMPTY_CAPS, EMPTY_CAPS);
  expect_err(MIMI_COMPONENT_MLS_OPERATIONAL_POLICY, bad, MIMI_ERR_BAD_TAG);
  /* minimum above default */
  snprintf(bad, sizeof bad, "%s %s %s 00 01 01 00" MDM("00000002", "00000001", "00000003")
           "00 0000 00000000" Z64 Z64 Z64 Z64 Z64 Z64 "00000000"
           Z64 Z64 Z64 "00000000",
           EMPTY_CAPS, EMPTY_CAPS, EMPTY_CAPS);
  expect_err(MIMI_COMPONENT_MLS_OPERATIONAL_POLICY, bad, MIMI_ERR_POLICY_INVALID);
}

static void test_names(void) {
  CHECK(strcmp(mimi_capability_name(MIMI_CAP_UNBAN), "canUnBan") == 0);
  CHECK(strcmp(mimi_capability_name(0x0605), "canSendMLSExternalCommit") == 0);
  CHECK(mimi_capability_name(0x0012) == NULL && mimi_capability_name(0xF000) == NULL);
  CHECK(fx_cap_value("canUnban", 8) == MIMI_CAP_UNBAN);
  CHECK(fx_cap_value("canRevokeVoice", 14) == -1);
  CHECK(mimi_room_component_type(0x0031) == NULL);
  uint8_t x = 0;
  CHECK_ERR(mimi_room_component_decode(0x0031, &x, 1, &x), MIMI_ERR_UNSUPPORTED);
}

int main(void) {
  test_roles();
  test_role_rules();
  test_preauth();
  test_participants();
  test_metadata();
  test_base();
  test_small_policies();
  test_asset();
  test_operational();
  test_names();
  return mimi_test_summary("test_policy_wire");
}
