/* policy_fixtures.h — the role sets of room-policy-04 Appendix A, transcribed
 * from the draft text as data, and helpers that build room states, actors
 * and actions from them for the policy tests. Included by test_policy_*.c. */
#ifndef MIMI_TEST_POLICY_FIXTURES_H
#define MIMI_TEST_POLICY_FIXTURES_H

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "harness.h"
#include "mimi/policy.h"

#define FX_NULL (-1) /* an absent optional constraint */

typedef struct {
  uint32_t index;
  const char *name;
  int inherit;      /* role index whose capabilities are included, or -1 */
  const char *caps; /* space-separated capability names as the draft spells them */
  uint32_t min;
  long long max;
  uint32_t min_active;
  long long max_active;
  const char *arcs; /* "from:t,t from:t" = authorized_role_changes */
} fx_role;

#define FX_ENFORCER_CAPS                                                                   \
  "canRemoveParticipant canChangeUserRole canBan canUnban canChangeRoleDefinitions "      \
  "canChangePreauthorizedUserList canChangeMlsOperationalPolicies canDestroyRoom "        \
  "canSendMLSReinitProposal"

/* A.1 Cooperatively administered room */
static const fx_role fx_a1[] = {
    {0, "no_role", -1, "", 0, FX_NULL, 0, 0, ""},
    {1, "banned", -1, "", 0, FX_NULL, 0, 0, ""},
    {2, "ordinary_user", -1,
     "canAddParticipant canRemoveParticipant canAddOwnClient canRemoveOwnClient canRemoveSelf "
     "canSendMessage canReceiveMessage canCopyMessage canReportAbuse canReplyToMessage "
     "canReactToMessage canDeleteOwnReaction canEditOwnMessage canDeleteOwnMessage canStartTopic "
     "canReplyInTopic canEditOwnTopic canUploadImage canUploadVideo canUploadAudio "
     "canUploadAttachment canDownloadImage canDownloadVideo canDownloadAudio "
     "canDownloadAttachment canSendLink canSendLinkPreview canFollowLink canCopyLink "
     "canChangeRoomName canChangeRoomAvatar canChangeRoomSubject canChangeRoomMood "
     "canChangeOwnName canChangeOwnPresence canChangeOwnMood canChangeOwnAvatar",
     0, FX_NULL, 0, FX_NULL, "0:2 2:0"},
    {3, "group_admin", 2,
     "canBan canUnBan canKick canRevokeVoice canGrantVoice canChangeUserRole "
     "canDeleteOtherMessage canEditOtherTopic canChangeRoomDescription",
     1, FX_NULL, 0, FX_NULL, "0:1,2,3 1:0,2,3 2:0,1,3 3:0,1,2"},
    {4, "super_admin", 3,
     "canChangeRoomMembershipStyle canChangePreauthorizedUserList canDestroyRoom", 0, FX_NULL, 0,
     FX_NULL, "0:1,2,3,4 1:0,2,3,4 2:0,1,3,4 3:0,1,2,4 4:0,1,2,3"},
    {5, "policy_enforcer", -1, FX_ENFORCER_CAPS, 1, 2, 0, 0, "0:1 1:0 2:0,1 3:0,1 4:0,1"},
};

/* A.2 Strictly administered room */
static const fx_role fx_a2[] = {
    {0, "no_role", -1, "canUseJoinCode", 0, FX_NULL, 0, 0, "0:2"},
    {1, "banned", -1, "", 0, FX_NULL, 0, 0, ""},
    {2, "ordinary_user", -1,
     "canAddOwnClient canJoinIfPreauthorized canRemoveOwnClient canRemoveSelf canChangeOwnRole "
     "canSendMessage canReceiveMessage canCopyMessage canReportAbuse canReactToMessage "
     "canDeleteOwnReaction canEditOwnMessage canDeleteOwnMessage canStartTopic canReplyInTopic "
     "canUploadImage canUploadVideo canUploadAudio canUploadAttachment canDownloadImage "
     "canDownloadVideo canDownloadAudio canDownloadAttachment canSendLink canSendLinkPreview "
     "canFollowLink canCopyLink canChangeOwnName canChangeOwnPresence canChangeOwnMood "
     "canChangeOwnAvatar",
     0, FX_NULL, 0, FX_NULL, "0:2 2:0"},
    {3, "group_admin", 2,
     "canAddParticipant canRemoveParticipant canBan canUnBan canKick canChangeUserRole "
     "canCreateJoinCode canDeleteJoinCode canDeleteOtherReaction canDeleteOtherMessage "
     "canEditOwnTopic canEditOtherTopic canChangeRoomDescription canChangeRoomName "
     "canChangeRoomAvatar canChangeRoomSubject canChangeRoomMood",
     1, FX_NULL, 0, FX_NULL, "0:1,2,3 1:0,2,3 2:0,1,3 3:0,1,2"},
    {4, "super_admin", 3,
     "canChangeRoomMembershipStyle canChangeRoleDefinitions canChangePreauthorizedUserList "
     "canDestroyRoom canSendMLSReinitProposal",
     0, FX_NULL, 0, FX_NULL, "0:1,2,3,4 1:0,2,3,4 2:0,1,3,4 3:0,1,2,4 4:0,1,2,3"},
    {5, "policy_enforcer", -1, FX_ENFORCER_CAPS, 1, 2, 0, 0, "0:1 1:0 2:0,1 3:0,1 4:0,1"},
};

/* A.3 Moderated room. "speaker" inherits from attendee and "moderator" from
 * speaker (the draft says "a speaker" and "an ordinary_user"; see
 * docs/spec-notes.md). */
static const fx_role fx_a3[] = {
    {0, "no_role", -1, "canUseJoinCode", 0, FX_NULL, 0, FX_NULL, "0:2,3"},
    {1, "banned", -1, "", 0, FX_NULL, 0, 0, ""},
    {2, "guest", -1,
     "canRemoveSelf canReceiveMessage canCopyMessage canReactToMessage canDeleteOwnReaction "
     "canFollowLink canCopyLink canDownloadImage canDownloadVideo canDownloadAudio",
     0, FX_NULL, 0, FX_NULL, "0:2 2:0"},
    {3, "attendee", 2,
     "canAddOwnClient canJoinIfPreauthorized canRemoveOwnClient canChangeOwnRole canReportAbuse "
     "canReplyInTopic canDownloadAttachment canChangeOwnName canChangeOwnPresence "
     "canChangeOwnAvatar",
     0, FX_NULL, 0, FX_NULL, "0:3 3:0"},
    {4, "speaker", 3,
     "canSendMessage canEditOwnMessage canDeleteOwnMessage canStartTopic canUploadImage "
     "canUploadVideo canUploadAudio canUploadAttachment canSendLink canSendLinkPreview",
     0, FX_NULL, 0, FX_NULL, "0:4 4:0"},
    {5, "moderator", 4,
     "canAddParticipant canRemoveParticipant canBan canUnBan canKick canChangeUserRole "
     "canCreateJoinCode canDeleteJoinCode canDeleteOtherReaction canDeleteOtherMessage "
     "canEditOwnTopic canEditOtherTopic canChangeRoomName canChangeRoomAvatar "
     "canChangeRoomSubject canChangeRoomMood",
     1, FX_NULL, 0, FX_NULL,
     "0:1,2,3,4,5 1:0,2,3,4,5 2:0,1,3,4,5 3:0,1,2,4,5 4:0,1,2,3,5 5:0,1,2,3,4"},
    {6, "super_admin", 5,
     "canChangeRoomDescription canChangeRoomMembershipStyle canChangeRoleDefinitions "
     "canChangePreauthorizedUserList canDestroyRoom canSendMLSReinitProposal",
     0, FX_NULL, 0, FX_NULL,
     "0:1,2,3,4,5,6 1:0,2,3,4,5,6 2:0,1,3,4,5,6 3:0,1,2,4,5,6 4:0,1,2,3,5,6 5:0,1,2,3,4,6 "
     "6:0,1,2,3,4,5"},
    {7, "policy_enforcer", -1, FX_ENFORCER_CAPS, 1, 2, 0, 0,
     "0:1 1:0 2:0,1 3:0,1 4:0,1 5:0,1 6:0,1"},
};

/* A.4 Multi-organization administered room */
#define FX_ORG_USER_CAPS                                                                       \
  "canRemoveSelf canAddOwnClient canRemoveOwnClient canSendMessage canReceiveMessage "        \
  "canCopyMessage canReportAbuse canReplyInTopic canReactToMessage canDeleteOwnReaction "     \
  "canEditOwnMessage canSendLink canSendLinkPreview canFollowLink canCopyLink "               \
  "canDownloadImage canDownloadVideo canDownloadAudio canDownloadAttachment canChangeOwnName " \
  "canChangeOwnPresence canChangeOwnAvatar"
#define FX_ORG_ADMIN_EXTRA                                                                    \
  "canDeleteOwnMessage canStartTopic canUploadImage canUploadVideo canUploadAudio "          \
  "canUploadAttachment canAddParticipant canRemoveParticipant canBan canKick canChangeUserRole"
static const fx_role fx_a4[] = {
    {0, "no_role", -1, "", 0, FX_NULL, 0, 0, ""},
    {1, "banned", -1, "", 0, FX_NULL, 0, 0, ""},
    {2, "org_a_user", -1, FX_ORG_USER_CAPS " canChangeOwnRole canJoinIfPreauthorized", 0, FX_NULL,
     0, FX_NULL, "0:2 2:0"},
    {3, "org_b_user", -1, FX_ORG_USER_CAPS, 0, FX_NULL, 0, FX_NULL, "0:3 3:0"},
    {4, "org_c_user", -1, FX_ORG_USER_CAPS, 0, FX_NULL, 0, FX_NULL, "0:4 4:0"},
    {5, "org_a_admin", -1,
     FX_ORG_USER_CAPS " " FX_ORG_ADMIN_EXTRA " canChangeOwnRole canJoinIfPreauthorized", 0,
     FX_NULL, 0, FX_NULL, "0:2,5 2:0,1,5 5:0,1,2"},
    {6, "org_b_admin", -1, FX_ORG_USER_CAPS " " FX_ORG_ADMIN_EXTRA, 1, 3, 1, FX_NULL,
     "0:3,6 3:0,1,6 6:0,1,3"},
    {7, "org_c_admin", -1, FX_ORG_USER_CAPS " " FX_ORG_ADMIN_EXTRA, 1, 3, 1, FX_NULL,
     "0:4,7 4:0,1,7 7:0,1,4"},
    {8, "super_admin", 5,
     "canUnBan canDeleteOtherReaction canDeleteOtherMessage canEditOwnTopic canEditOtherTopic "
     "canChangeRoomDescription canChangeRoomName canChangeRoomAvatar canChangeRoomSubject "
     "canChangeRoomMood canChangeRoomMembershipStyle canChangeRoleDefinitions "
     "canChangePreauthorizedUserList canDestroyRoom canSendMLSReinitProposal",
     1, FX_NULL, 1, FX_NULL,
     "0:1,2,3,4,5,6,7,8 1:0,2,3,4,5,6,7,8 2:0,1,5,8 3:0,1,6 4:0,1,7 5:0,1,2,8 6:0,1,3 7:0,1,4 "
     "8:0,1,2,5"},
    {9, "policy_enforcer", -1, FX_ENFORCER_CAPS, 1, 2, 0, 0,
     "0:1 1:0 3:0,1 4:0,1 5:0,1 6:0,1 7:0,1 8:0,1"},
};

#define FX_N(a) (sizeof(a) / sizeof((a)[0]))

/* Hex with 'quoted ASCII' runs; spaces ignored. */
MIMI_MAYBE_UNUSED static mimi_bytes fx_wire(const char *spec) {
  mimi_bytes b = {NULL, 0};
  char hex[3] = {0};
  for (const char *p = spec; *p;) {
    if (*p == ' ') {
      p++;
    } else if (*p == '\'') {
      const char *e = strchr(p + 1, '\'');
      CHECK_OK(mimi_bytes_append(&b, (const uint8_t *)p + 1, (size_t)(e - p - 1)));
      p = e + 1;
    } else {
      hex[0] = p[0];
      hex[1] = p[1];
      uint8_t v = (uint8_t)strtoul(hex, NULL, 16);
      CHECK_OK(mimi_bytes_append(&b, &v, 1));
      p += 2;
    }
  }
  return b;
}

/* Registry value of a capability name, case-insensitively (the draft writes
 * both canUnban and canUnBan); -1 for names outside the registry (A.1's
 * canRevokeVoice / canGrantVoice). */
MIMI_MAYBE_UNUSED static int fx_cap_value(const char *name, size_t len) {
  static const uint16_t all[] = {
#define FX_CAP_(n, v, t) v,
      MIMI_CAPABILITIES(FX_CAP_)
#undef FX_CAP_
  };
  for (size_t i = 0; i < FX_N(all); i++) {
    const char *n = mimi_capability_name(all[i]);
    if (strlen(n) == len && strncasecmp(n, name, len) == 0) return all[i];
  }
  return -1;
}

MIMI_MAYBE_UNUSED static void fx_add_caps(mimi_role *r, const char *caps) {
  const char *p = caps;
  while (*p) {
    while (*p == ' ') p++;
    const char *e = p;
    while (*e && *e != ' ') e++;
    if (e > p) {
      int v = fx_cap_value(p, (size_t)(e - p));
      if (v >= 0 && !mimi_role_has_capability(r, (uint16_t)v)) {
        r->role_capabilities =
            realloc(r->role_capabilities, (r->role_capabilities_count + 1) * sizeof(uint16_t));
        r->role_capabilities[r->role_capabilities_count++] = (uint16_t)v;
      }
    }
    p = e;
  }
}

MIMI_MAYBE_UNUSED static void fx_add_inherited(mimi_role *r, const fx_role *set, size_t n,
                                               int index) {
  for (size_t i = 0; i < n && index >= 0; i++)
    if ((int)set[i].index == index) {
      fx_add_inherited(r, set, n, set[i].inherit);
      fx_add_caps(r, set[i].caps);
    }
}

MIMI_MAYBE_UNUSED static uint32_t *fx_opt(long long v) {
  if (v < 0) return NULL;
  uint32_t *p = malloc(sizeof *p);
  *p = (uint32_t)v;
  return p;
}

MIMI_MAYBE_UNUSED static void fx_parse_arcs(mimi_role *r, const char *arcs) {
  const char *p = arcs;
  while (*p) {
    while (*p == ' ') p++;
    if (!*p) break;
    char *end;
    unsigned long from = strtoul(p, &end, 10);
    p = end + 1; /* ':' */
    r->authorized_role_changes = realloc(r->authorized_role_changes,
                                         (r->authorized_role_changes_count + 1) *
                                             sizeof(mimi_role_change_targets));
    mimi_role_change_targets *t = &r->authorized_role_changes[r->authorized_role_changes_count++];
    memset(t, 0, sizeof *t);
    t->from_role_index = (uint32_t)from;
    for (;;) {
      unsigned long to = strtoul(p, &end, 10);
      t->target_role_indexes =
          realloc(t->target_role_indexes, (t->target_role_indexes_count + 1) * sizeof(uint32_t));
      t->target_role_indexes[t->target_role_indexes_count++] = (uint32_t)to;
      p = end;
      if (*p != ',') break;
      p++;
    }
  }
}

MIMI_MAYBE_UNUSED static void fx_role_build(mimi_role *r, const fx_role *set, size_t n,
                                            const fx_role *s) {
  memset(r, 0, sizeof *r);
  r->role_index = s->index;
  CHECK_OK(mimi_bytes_copy(&r->role_name, (const uint8_t *)s->name, strlen(s->name)));
  fx_add_inherited(r, set, n, s->inherit);
  fx_add_caps(r, s->caps);
  r->minimum_participants_constraint = s->min;
  r->maximum_participants_constraint = fx_opt(s->max);
  r->minimum_active_participants_constraint = s->min_active;
  r->maximum_active_participants_constraint = fx_opt(s->max_active);
  fx_parse_arcs(r, s->arcs);
}

MIMI_MAYBE_UNUSED static mimi_role_data *fx_roles(const fx_role *set, size_t n) {
  mimi_role_data *rd = calloc(1, sizeof *rd);
  rd->roles = calloc(n, sizeof *rd->roles);
  rd->roles_count = n;
  for (size_t i = 0; i < n; i++) fx_role_build(&rd->roles[i], set, n, &set[i]);
  return rd;
}

typedef struct {
  const char *user;
  uint32_t role;
  uint32_t clients;
} fx_member;

/* A state with a role set and participants (and nothing else). */
MIMI_MAYBE_UNUSED static void fx_state(mimi_room_state *st, const fx_role *set, size_t n,
                                       const fx_member *m, size_t nm) {
  memset(st, 0, sizeof *st);
  st->roles = fx_roles(set, n);
  st->participants = calloc(1, sizeof *st->participants);
  st->participants->participants = calloc(nm ? nm : 1, sizeof(mimi_user_role_pair));
  st->participants->participants_count = nm;
  st->clients = calloc(nm ? nm : 1, sizeof(uint32_t));
  for (size_t i = 0; i < nm; i++) {
    CHECK_OK(mimi_bytes_copy(&st->participants->participants[i].user, (const uint8_t *)m[i].user,
                             strlen(m[i].user)));
    st->participants->participants[i].role_index = m[i].role;
    st->clients[i] = m[i].clients;
  }
  CHECK_OK(mimi_room_state_validate(st));
}

MIMI_MAYBE_UNUSED static mimi_actor fx_actor(const char *user, mimi_via via) {
  mimi_actor a = {(const uint8_t *)user, strlen(user), NULL, 0, via};
  return a;
}

MIMI_MAYBE_UNUSED static mimi_action fx_act(mimi_action_kind kind, const char *target,
                                            uint32_t role) {
  mimi_action a;
  memset(&a, 0, sizeof a);
  a.kind = kind;
  if (target) {
    a.target = (const uint8_t *)target;
    a.target_len = strlen(target);
  }
  a.role = role;
  return a;
}

MIMI_MAYBE_UNUSED static mimi_role *fx_role_mut(mimi_room_state *st, uint32_t index) {
  return (mimi_role *)mimi_room_find_role(st, index);
}

MIMI_MAYBE_UNUSED static mimi_base_room_policy *fx_base(bool fixed, bool multi_device) {
  mimi_base_room_policy *b = calloc(1, sizeof *b);
  b->fixed_membership = fixed;
  b->multi_device = multi_device;
  b->pseudonyms_allowed = 1;
  b->persistent_room = 1;
  return b;
}

#endif
