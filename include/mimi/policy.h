/*
 * mimi/policy.h — MIMI room state (draft-ietf-mimi-protocol-06 participant
 * list and room metadata, draft-ietf-mimi-room-policy-04 policy components)
 * as carried in the MLS GroupContext app_data_dictionary, and the room
 * policy rules deciding which changes and messages a sender may make.
 *
 * Three pieces:
 *  - component codecs with the draft's validity rules (wire structs in
 *    mimi/policy_wire.h),
 *  - mimi_room_state: the decoded dictionary plus per-participant client
 *    counts (from the MLS tree, not on the wire),
 *  - the authorization engine: mimi_room_authorize checks one action,
 *    mimi_room_apply checks and applies the actions of one commit
 *    transactionally (new state, or an error and the old state untouched).
 *
 * Rule choices where the draft is silent or ambiguous are listed in
 * docs/spec-notes.md, "Room policy".
 */
#ifndef MIMI_POLICY_H
#define MIMI_POLICY_H

#include "mimi/base.h"
#include "mimi/mls_messages.h"
#include "mimi/policy_wire.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Components                                                                */

/* The data-field type of a MIMI room component (the ComponentData data, not
 * an update), or NULL for an id this layer does not interpret. */
const mimi_type *mimi_room_component_type(uint16_t component_id);

/* Single-component rules: enum and bool ranges (BAD_TAG), then what the
 * draft says about the fields (POLICY_INVALID). `value` is of
 * mimi_room_component_type(component_id). */
MIMI_MUST_CHECK mimi_err mimi_room_component_validate(uint16_t component_id, const void *value);

/* decode_exact + validate; *out (of the component's type) zeroed on error.
 * UNSUPPORTED for an id without a type. */
MIMI_MUST_CHECK mimi_err mimi_room_component_decode(uint16_t component_id, const uint8_t *data,
                                                    size_t len, void *out);

/* Capability lookup in a role. */
bool mimi_role_has_capability(const mimi_role *role, uint16_t capability);
/* The canonical name of a registry value ("canUnBan"), or NULL. */
const char *mimi_capability_name(uint16_t capability);

/* ------------------------------------------------------------------------ */
/* Room state                                                                */

typedef struct {
  /* NULL = the component is absent from the dictionary. */
  mimi_participant_list *participants;
  mimi_room_metadata *metadata;
  mimi_operational_parameters *operational;
  mimi_role_data *roles;
  mimi_preauth_data *preauth;
  mimi_base_room_policy *base;
  mimi_status_notification_policy *status_notification;
  mimi_join_link_policy *join_link_policy;
  mimi_join_links *join_links;
  mimi_link_preview_policy *link_preview;
  mimi_asset_policy *asset;
  mimi_logging_policy *logging;
  mimi_history_policy *history;
  mimi_bot_policy *bot;
  mimi_message_expiration *expiration;
  /* Components this layer does not interpret, kept verbatim, sorted. */
  mls_component_data *other;
  size_t other_count;
  /* Not on the wire: MLS clients each participant has in the group,
   * parallel to participants->participants (set from the ratchet tree). */
  uint32_t *clients;
} mimi_room_state;

void mimi_room_state_free(mimi_room_state *st);
MIMI_MUST_CHECK mimi_err mimi_room_state_clone(mimi_room_state *dst, const mimi_room_state *src);
/* Wire-level equality of the components plus equal client counts. */
bool mimi_room_state_equal(const mimi_room_state *a, const mimi_room_state *b);

/* From / to the GroupContext app_data_dictionary. Decoding requires entries
 * sorted by component_id without duplicates (ext §AppData), decodes and
 * validates every MIMI component, then the cross-component rules
 * (mimi_room_state_validate). Client counts start at zero. */
MIMI_MUST_CHECK mimi_err mimi_room_state_from_dictionary(const mls_app_data_dictionary *dict,
                                                         mimi_room_state *out);
MIMI_MUST_CHECK mimi_err mimi_room_state_to_dictionary(const mimi_room_state *st,
                                                       mls_app_data_dictionary *out);
/* The serialized AppDataDictionary (the app_data_dictionary extension_data). */
MIMI_MUST_CHECK mimi_err mimi_room_state_decode(const uint8_t *data, size_t len,
                                                mimi_room_state *out);
MIMI_MUST_CHECK mimi_err mimi_room_state_encode(const mimi_room_state *st, mimi_bytes *out);

/* Cross-component rules (POLICY_INVALID): unique users with existing
 * non-zero roles, role table rules (§3, §8), fixed-membership roles (§5),
 * history sharers (§6.6), bot roles (§6.7), one persisted link when
 * on_request (§6.2). */
MIMI_MUST_CHECK mimi_err mimi_room_state_validate(const mimi_room_state *st);

/* Index of `user` in the participant list, or false. */
bool mimi_room_find_user(const mimi_room_state *st, const uint8_t *user, size_t len,
                         size_t *index);
/* Role of `user`, MIMI_ROLE_NONE when absent. */
uint32_t mimi_room_role_of(const mimi_room_state *st, const uint8_t *user, size_t len);
/* The definition of role `index`, or NULL. */
const mimi_role *mimi_room_find_role(const mimi_room_state *st, uint32_t index);
/* Sets a participant's MLS client count (NO_SUCH_USER if absent). */
MIMI_MUST_CHECK mimi_err mimi_room_set_clients(mimi_room_state *st, const uint8_t *user,
                                               size_t len, uint32_t clients);

/* ------------------------------------------------------------------------ */
/* Authorization                                                             */

typedef enum {
  MIMI_VIA_MEMBER = 0,           /* a proposal or commit from a group member */
  MIMI_VIA_EXTERNAL_COMMIT = 1,  /* an external join */
  MIMI_VIA_EXTERNAL_PROPOSAL = 2 /* an external sender or new-member proposal */
} mimi_via;

/* Who is acting. The role is not given: it is the actor's entry in the
 * participant list, or — only for external commits/proposals by a user not
 * in the list (§4) — the first matching preauthorized role, else 0. */
typedef struct {
  const uint8_t *user; /* user URI */
  size_t user_len;
  const mimi_claim *claims; /* claims of the actor's MLS credential (§4) */
  size_t claims_count;
  mimi_via via;
} mimi_actor;

typedef enum {
  /* participant list (§8.1) */
  MIMI_ACT_ADD_PARTICIPANT,    /* add another user `target` with `role`, `clients` clients */
  MIMI_ACT_REMOVE_PARTICIPANT, /* remove another user and all its clients */
  MIMI_ACT_REMOVE_SELF,        /* leave the room */
  MIMI_ACT_CHANGE_ROLE,        /* another user's role to `role` (ban / unban too) */
  MIMI_ACT_CHANGE_OWN_ROLE,    /* own role to `role`: must be the first preauth match */
  MIMI_ACT_JOIN,               /* add itself externally with `role` (+1 client) */
  /* MLS clients without a participant-list change */
  MIMI_ACT_ADD_OWN_CLIENT,
  MIMI_ACT_REMOVE_OWN_CLIENT,
  MIMI_ACT_KICK, /* remove all of `target`'s clients */
  /* messages (§8.3, §8.4; content §9.3) */
  MIMI_ACT_SEND_MESSAGE, /* `message` flags */
  MIMI_ACT_EDIT_MESSAGE, /* of `target` (the original sender) */
  MIMI_ACT_DELETE_MESSAGE,
  MIMI_ACT_EDIT_REACTION,
  MIMI_ACT_DELETE_REACTION,
  MIMI_ACT_EDIT_TOPIC,
  /* room (§8.2, §8.6) */
  MIMI_ACT_UPDATE_COMPONENT, /* replace component `component_id` by `value`, or remove (NULL) */
  MIMI_ACT_JOIN_LINKS_UPDATE, /* apply `join_links_update` */
  MIMI_ACT_DESTROY_ROOM,
  MIMI_ACT_SEND_REINIT
} mimi_action_kind;

/* Message features for MIMI_ACT_SEND_MESSAGE. */
enum {
  MIMI_MSG_REPLY = 1u << 0,          /* canReplyToMessage */
  MIMI_MSG_REACTION = 1u << 1,       /* canReactToMessage (instead of canSendMessage) */
  MIMI_MSG_TOPIC = 1u << 2,          /* sets a topic: canStartTopic */
  MIMI_MSG_REPLY_IN_TOPIC = 1u << 3, /* canReplyInTopic */
  MIMI_MSG_LINK = 1u << 4,           /* canSendLink */
  MIMI_MSG_LINK_PREVIEW = 1u << 5,   /* canSendLinkPreview, §6.3 send_link_previews */
  MIMI_MSG_IMAGE = 1u << 6,          /* canUploadImage ... */
  MIMI_MSG_AUDIO = 1u << 7,
  MIMI_MSG_VIDEO = 1u << 8,
  MIMI_MSG_ATTACHMENT = 1u << 9,
  MIMI_MSG_EXPIRING = 1u << 10 /* with expiration_seconds, §6.8 */
};

typedef struct {
  mimi_action_kind kind;
  const uint8_t *target; /* target user URI (other-user actions, edits/deletes) */
  size_t target_len;
  uint32_t role;     /* target role */
  uint32_t clients;  /* ADD_PARTICIPANT: clients added with the user */
  uint32_t message;  /* MIMI_MSG_* */
  uint32_t expiration_seconds;
  const uint8_t *join_link; /* JOIN with a join code (§8.1.1 canUseJoinCode) */
  size_t join_link_len;
  uint16_t component_id;
  const void *value; /* of mimi_room_component_type(component_id); NULL = remove */
  const mimi_join_links_update *join_links_update;
} mimi_action;

/* What the engine needs besides the state: the parent room's participants
 * for a parent-dependent room (§5). NULL or a NULL list makes adding users
 * to a parent-dependent room FORBIDDEN (the subset rule cannot be checked). */
typedef struct {
  const mimi_participant_list *parent_participants;
} mimi_room_env;

typedef struct {
  const mimi_actor *actor;
  mimi_action action;
} mimi_room_change;

/* Whether the actor may take the action in state `st`; no state change. */
MIMI_MUST_CHECK mimi_err mimi_room_authorize(const mimi_room_state *st, const mimi_room_env *env,
                                             const mimi_actor *actor, const mimi_action *action);

/* The changes of one commit, in order: the commit-combination rules first
 * (§3, §4, protocol §Participant List / §Room Metadata: POLICY_CONFLICT),
 * then each change authorized against the state left by the ones before
 * it, then the result validated. *out is written only on success. */
MIMI_MUST_CHECK mimi_err mimi_room_apply(const mimi_room_state *st, const mimi_room_env *env,
                                         const mimi_room_change *changes, size_t n,
                                         mimi_room_state *out);

/* The AppDataUpdate proposals of one commit from one actor, translated into
 * changes (ParticipantListUpdate entries, JoinLinksUpdate, full replacement
 * or removal of the other components) and applied with mimi_room_apply.
 * A self-add in the participant list is a JOIN (using `join_link` if
 * non-NULL); UNSUPPORTED for a component this layer does not interpret. */
MIMI_MUST_CHECK mimi_err mimi_room_apply_app_data(const mimi_room_state *st,
                                                  const mimi_room_env *env,
                                                  const mimi_actor *actor,
                                                  const mls_app_data_update *updates, size_t n,
                                                  const uint8_t *join_link, size_t join_link_len,
                                                  mimi_room_state *out);

/* §6.4 asset policy, checked by receiving clients for each ExternalPart:
 * `host` is the host of the part's URL, `sender_domain` the domain of the
 * sender's URI, `kind` one of MIMI_MSG_IMAGE / _AUDIO / _VIDEO / _ATTACHMENT
 * (which max_* applies), `type` the part's media type. MIMI_OK when the room
 * has no asset policy; POLICY_FORBIDDEN when the host is not an upload
 * destination the policy names, the type is forbidden or not permitted, or
 * the size is above the maximum for its kind. */
MIMI_MUST_CHECK mimi_err mimi_room_check_asset(const mimi_room_state *st, const uint8_t *sender_domain,
                                               size_t sender_domain_len, const uint8_t *host,
                                               size_t host_len, const mimi_media_type *type,
                                               uint32_t kind, uint64_t size);

/* The role the actor acts with (see mimi_actor). */
uint32_t mimi_room_effective_role(const mimi_room_state *st, const mimi_actor *actor);
/* First preauthorized role whose claims all match (§4), skipping entries
 * whose target role is 0 when `skip_zero`; false when none matches. */
bool mimi_room_preauth_match(const mimi_room_state *st, const mimi_claim *claims, size_t n,
                             bool skip_zero, uint32_t *role);

#ifdef __cplusplus
}
#endif
#endif /* MIMI_POLICY_H */
