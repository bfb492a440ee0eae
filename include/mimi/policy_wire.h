/*
 * mimi/policy_wire.h — the wire structs of MIMI room state, each declared
 * once with the codec of mimi/base.h: every policy component of
 * draft-ietf-mimi-room-policy-04 (Appendix B) and the participant list and
 * room metadata components of draft-ietf-mimi-protocol-06 §"Participant
 * List" / §"Room Metadata", plus their code points (§10.1 suggested
 * component ids, §10.2 capability registry).
 *
 * The generic decoder checks framing (lengths, optional presence bytes,
 * select tags). Enum ranges of plain fields (bool, Optionality, ...) and the
 * rules the draft states about field combinations are checked by
 * mimi_policy_component_decode / mimi_policy_component_validate (policy.h).
 *
 * Where the TLS syntax says `Uri foo<V>` (parent_room, link_preview_proxy)
 * or `WireFormats foo<V>` we follow it literally: a vector of those structs
 * (see docs/spec-notes.md "Room policy").
 */
#ifndef MIMI_POLICY_WIRE_H
#define MIMI_POLICY_WIRE_H

#include "mimi/base.h"
#include "mimi/mls_messages.h"
#include "mimi/protocol_wire.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ======================================================================== */
/* Code points                                                              */

/* MLS component ids, room-policy-04 §10.1 (suggested values); protocol-06's
 * 0x0020-0x0023 (participant_list, room_metadata, ...) are in
 * mimi/protocol_wire.h. */
enum {
  MIMI_COMPONENT_MLS_OPERATIONAL_POLICY = 0x0024,
  MIMI_COMPONENT_ROLES_LIST = 0x0025,
  MIMI_COMPONENT_PREAUTH_LIST = 0x0026,
  MIMI_COMPONENT_BASE_ROOM_POLICY = 0x0027,
  MIMI_COMPONENT_STATUS_NOTIFICATION_POLICY = 0x0028,
  MIMI_COMPONENT_JOIN_LINK_POLICY = 0x0029,
  MIMI_COMPONENT_JOIN_LINKS = 0x002A,
  MIMI_COMPONENT_LINK_PREVIEW_POLICY = 0x002B,
  MIMI_COMPONENT_ASSET_POLICY = 0x002C,
  MIMI_COMPONENT_LOGGING_POLICY = 0x002D,
  MIMI_COMPONENT_CHAT_HISTORY_POLICY = 0x002E,
  MIMI_COMPONENT_BOT_POLICY = 0x002F,
  MIMI_COMPONENT_MESSAGE_EXPIRATION_POLICY = 0x0030
};

/* §10.2 "MIMI Role Capabilities" registry, every row. (reserved) rows are
 * names without defined semantics; 0xF000-0xFFFF is private use. */
#define MIMI_CAPABILITIES(X)                                                    \
  X(ADD_PARTICIPANT, 0x0000, "canAddParticipant")                               \
  X(REMOVE_PARTICIPANT, 0x0001, "canRemoveParticipant")                         \
  X(ADD_OWN_CLIENT, 0x0002, "canAddOwnClient")                                  \
  X(REMOVE_OWN_CLIENT, 0x0003, "canRemoveOwnClient")                            \
  X(OPEN_JOIN, 0x0004, "canOpenJoin")                                           \
  X(JOIN_IF_PREAUTHORIZED, 0x0005, "canJoinIfPreauthorized")                    \
  X(REMOVE_SELF, 0x0006, "canRemoveSelf")                                       \
  X(CREATE_JOIN_CODE, 0x0007, "canCreateJoinCode")                              \
  X(DELETE_JOIN_CODE, 0x0008, "canDeleteJoinCode")                              \
  X(USE_JOIN_CODE, 0x0009, "canUseJoinCode")                                    \
  X(BAN, 0x000a, "canBan")                                                      \
  X(UNBAN, 0x000b, "canUnBan")                                                  \
  X(KICK, 0x000c, "canKick")                                                    \
  X(KNOCK, 0x000d, "canKnock")                                                  \
  X(ACCEPT_KNOCK, 0x000e, "canAcceptKnock")                                     \
  X(CHANGE_USER_ROLE, 0x000f, "canChangeUserRole")                              \
  X(CHANGE_OWN_ROLE, 0x0010, "canChangeOwnRole")                                \
  X(CREATE_SUBGROUP, 0x0011, "canCreateSubgroup")                               \
  X(SEND_MESSAGE, 0x0100, "canSendMessage")                                     \
  X(RECEIVE_MESSAGE, 0x0101, "canReceiveMessage")                               \
  X(COPY_MESSAGE, 0x0102, "canCopyMessage")                                     \
  X(REPORT_ABUSE, 0x0103, "canReportAbuse")                                     \
  X(REPLY_TO_MESSAGE, 0x0104, "canReplyToMessage")                              \
  X(REACT_TO_MESSAGE, 0x0105, "canReactToMessage")                              \
  X(EDIT_REACTION, 0x0106, "canEditReaction")                                   \
  X(DELETE_OWN_REACTION, 0x0107, "canDeleteOwnReaction")                        \
  X(DELETE_OTHER_REACTION, 0x0108, "canDeleteOtherReaction")                    \
  X(EDIT_OWN_MESSAGE, 0x0109, "canEditOwnMessage")                              \
  X(DELETE_OWN_MESSAGE, 0x010a, "canDeleteOwnMessage")                          \
  X(DELETE_OTHER_MESSAGE, 0x010b, "canDeleteOtherMessage")                      \
  X(START_TOPIC, 0x010c, "canStartTopic")                                       \
  X(REPLY_IN_TOPIC, 0x010d, "canReplyInTopic")                                  \
  X(EDIT_OWN_TOPIC, 0x010e, "canEditOwnTopic")                                  \
  X(EDIT_OTHER_TOPIC, 0x010f, "canEditOtherTopic")                              \
  X(SEND_DIRECT_MESSAGE, 0x0110, "canSendDirectMessage")                        \
  X(TARGET_MESSAGE, 0x0111, "canTargetMessage")                                 \
  X(UPLOAD_IMAGE, 0x0200, "canUploadImage")                                     \
  X(UPLOAD_AUDIO, 0x0201, "canUploadAudio")                                     \
  X(UPLOAD_VIDEO, 0x0202, "canUploadVideo")                                     \
  X(UPLOAD_ATTACHMENT, 0x0203, "canUploadAttachment")                           \
  X(DOWNLOAD_IMAGE, 0x0204, "canDownloadImage")                                 \
  X(DOWNLOAD_AUDIO, 0x0205, "canDownloadAudio")                                 \
  X(DOWNLOAD_VIDEO, 0x0206, "canDownloadVideo")                                 \
  X(DOWNLOAD_ATTACHMENT, 0x0207, "canDownloadAttachment")                       \
  X(SEND_LINK, 0x0208, "canSendLink")                                           \
  X(SEND_LINK_PREVIEW, 0x0209, "canSendLinkPreview")                            \
  X(FOLLOW_LINK, 0x020a, "canFollowLink")                                       \
  X(COPY_LINK, 0x020b, "canCopyLink")                                           \
  X(CHANGE_ROOM_NAME, 0x0300, "canChangeRoomName")                              \
  X(CHANGE_ROOM_DESCRIPTION, 0x0301, "canChangeRoomDescription")                \
  X(CHANGE_ROOM_AVATAR, 0x0302, "canChangeRoomAvatar")                          \
  X(CHANGE_ROOM_SUBJECT, 0x0303, "canChangeRoomSubject")                        \
  X(CHANGE_ROOM_MOOD, 0x0304, "canChangeRoomMood")                              \
  X(CHANGE_OWN_NAME, 0x0380, "canChangeOwnName")                                \
  X(CHANGE_OWN_PRESENCE, 0x0381, "canChangeOwnPresence")                        \
  X(CHANGE_OWN_MOOD, 0x0382, "canChangeOwnMood")                                \
  X(CHANGE_OWN_AVATAR, 0x0383, "canChangeOwnAvatar")                            \
  X(START_CALL, 0x0400, "canStartCall")                                         \
  X(JOIN_CALL, 0x0401, "canJoinCall")                                           \
  X(SEND_AUDIO, 0x0402, "canSendAudio")                                         \
  X(RECEIVE_AUDIO, 0x0403, "canReceiveAudio")                                   \
  X(SEND_VIDEO, 0x0404, "canSendVideo")                                         \
  X(RECEIVE_VIDEO, 0x0405, "canReceiveVideo")                                   \
  X(SHARE_SCREEN, 0x0406, "canShareScreen")                                     \
  X(VIEW_SHARED_SCREEN, 0x0407, "canViewSharedScreen")                          \
  X(CREATE_ROOM, 0x0500, "canCreateRoom")                                       \
  X(DESTROY_ROOM, 0x0501, "canDestroyRoom")                                     \
  X(CHANGE_ROOM_MEMBERSHIP_STYLE, 0x0502, "canChangeRoomMembershipStyle")       \
  X(CHANGE_ROLE_DEFINITIONS, 0x0503, "canChangeRoleDefinitions")                \
  X(CHANGE_PREAUTHORIZED_USER_LIST, 0x0504, "canChangePreauthorizedUserList")   \
  X(CHANGE_OTHER_POLICY_ATTRIBUTE, 0x0505, "canChangeOtherPolicyAttribute")     \
  X(CHANGE_MLS_OPERATIONAL_POLICIES, 0x0600, "canChangeMlsOperationalPolicies") \
  X(SEND_MLS_REINIT_PROPOSAL, 0x0601, "canSendMLSReinitProposal")               \
  X(SEND_MLS_UPDATE_PROPOSAL, 0x0602, "canSendMLSUpdateProposal")               \
  X(SEND_MLS_PSK_PROPOSAL, 0x0603, "canSendMLSPSKProposal")                     \
  X(SEND_MLS_EXTERNAL_PROPOSAL, 0x0604, "canSendMLSExternalProposal")           \
  X(SEND_MLS_EXTERNAL_COMMIT, 0x0605, "canSendMLSExternalCommit")

typedef enum {
#define MIMI_CAP_ENUM_(name, value, text) MIMI_CAP_##name = value,
  MIMI_CAPABILITIES(MIMI_CAP_ENUM_)
#undef MIMI_CAP_ENUM_
} mimi_capability;

enum { MIMI_CAP_PRIVATE_USE_FIRST = 0xF000 };

/* §6.1 Optionality. The select arms say "mandatory": that is required(1). */
enum { MIMI_OPTIONAL = 0, MIMI_REQUIRED = 1, MIMI_FORBIDDEN = 2 };
/* `select (optionality) { case mandatory: T; case optional: T; case
 * forbidden: struct {}; }`, the shape of §6.3, §6.5, §6.6 and §6.8: both
 * permitting arms carry the same T (members when_optional / when_required
 * alias each other). */
#define MIMI_OPTIONALITY_ARMS(C, T)  \
  C(MIMI_OPTIONAL, T, when_optional) \
  C(MIMI_REQUIRED, T, when_required) \
  C(MIMI_FORBIDDEN, mimi_empty, when_forbidden)
/* §6.4 */
enum { MIMI_UPLOAD_UNSPECIFIED = 0, MIMI_UPLOAD_LOCAL_PROVIDER = 1, MIMI_UPLOAD_HUB = 2 };
enum { MIMI_DOWNLOAD_DIRECT = 0, MIMI_DOWNLOAD_HUB_PROXY = 1, MIMI_DOWNLOAD_OHTTP = 2 };
/* §7 PendingProposalStrategy */
enum {
  MIMI_PENDING_UNSPECIFIED = 0,
  MIMI_PENDING_IMMEDIATE_COMMIT = 1,
  MIMI_PENDING_RANDOM_DELAY = 2
};

/* Role indexes with a meaning of their own (§3, §8.1.3). */
enum { MIMI_ROLE_NONE = 0, MIMI_ROLE_BANNED = 1 };

/* ======================================================================== */
/* Shared small structs (Appendix B; protocol-06 §Room Metadata)             */

/* Uri (`struct { opaque uri<V>; }`) is protocol_wire.h's mimi_identifier_uri. */

#define MIMI_WIRE_UTF8_FIELDS(F) F##_OPAQUE(string)
MIMI_STRUCT_DECLARE(mimi_wire_utf8, MIMI_WIRE_UTF8_FIELDS)

#define MIMI_DOMAIN_NAME_FIELDS(F) F##_OPAQUE(domain)
MIMI_STRUCT_DECLARE(mimi_domain_name, MIMI_DOMAIN_NAME_FIELDS)

/* mls-extensions §6.2.2 MediaType (used by AssetPolicy and ExtendedCapabilities) */
#define MIMI_MEDIA_PARAMETER_FIELDS(F) F##_OPAQUE(parameter_name) F##_OPAQUE(parameter_value)
MIMI_STRUCT_DECLARE(mimi_media_parameter, MIMI_MEDIA_PARAMETER_FIELDS)

#define MIMI_MEDIA_TYPE_FIELDS(F) F##_OPAQUE(type) F##_VEC(mimi_media_parameter, parameters)
MIMI_STRUCT_DECLARE(mimi_media_type, MIMI_MEDIA_TYPE_FIELDS)

/* `optional<MediaType> x<V>` is an optional vector; the codec needs the
 * vector wrapped in a struct (same bytes). */
#define MIMI_MEDIA_TYPE_LIST_FIELDS(F) F##_VEC(mimi_media_type, media_types)
MIMI_STRUCT_DECLARE(mimi_media_type_list, MIMI_MEDIA_TYPE_LIST_FIELDS)

/* ======================================================================== */
/* §3 Roles                                                                 */

#define MIMI_ROLE_CHANGE_TARGETS_FIELDS(F) \
  F##_U32(from_role_index)                 \
  F##_VEC(mimi_u32, target_role_indexes)
MIMI_STRUCT_DECLARE(mimi_role_change_targets, MIMI_ROLE_CHANGE_TARGETS_FIELDS)

#define MIMI_ROLE_FIELDS(F)                                    \
  F##_U32(role_index)                                          \
  F##_OPAQUE(role_name)                                        \
  F##_OPAQUE(role_description)                                 \
  F##_VEC(mimi_u16, role_capabilities)                         \
  F##_U32(minimum_participants_constraint)                     \
  F##_OPT(mimi_u32, maximum_participants_constraint)           \
  F##_U32(minimum_active_participants_constraint)              \
  F##_OPT(mimi_u32, maximum_active_participants_constraint)    \
  F##_VEC(mimi_role_change_targets, authorized_role_changes)
MIMI_STRUCT_DECLARE(mimi_role, MIMI_ROLE_FIELDS)

/* RoleData; also RoleUpdate */
#define MIMI_ROLE_DATA_FIELDS(F) F##_VEC(mimi_role, roles)
MIMI_STRUCT_DECLARE(mimi_role_data, MIMI_ROLE_DATA_FIELDS)

/* ======================================================================== */
/* §4 Preauthorized users                                                   */

#define MIMI_CLAIM_ID_FIELDS(F) F##_U16(credential_type) F##_OPAQUE(id)
MIMI_STRUCT_DECLARE(mimi_claim_id, MIMI_CLAIM_ID_FIELDS)

#define MIMI_CLAIM_FIELDS(F) F##_STRUCT(mimi_claim_id, claim_id) F##_OPAQUE(claim_value)
MIMI_STRUCT_DECLARE(mimi_claim, MIMI_CLAIM_FIELDS)

#define MIMI_PREAUTH_ENTRY_FIELDS(F) F##_VEC(mimi_claim, claimset) F##_STRUCT(mimi_role, target_role)
MIMI_STRUCT_DECLARE(mimi_preauth_entry, MIMI_PREAUTH_ENTRY_FIELDS)

/* PreAuthData; also PreAuthUpdate */
#define MIMI_PREAUTH_DATA_FIELDS(F) F##_VEC(mimi_preauth_entry, preauthorized_entries)
MIMI_STRUCT_DECLARE(mimi_preauth_data, MIMI_PREAUTH_DATA_FIELDS)

/* ======================================================================== */
/* §5 BaseRoomPolicy (field spelled parent_dependant as in the draft)       */

#define MIMI_BASE_ROOM_POLICY_FIELDS(F)      \
  F##_U8(fixed_membership)                   \
  F##_U8(parent_dependant)                   \
  F##_VEC(mimi_identifier_uri, parent_room)        \
  F##_U8(multi_device)                       \
  F##_OPT(mimi_u32, max_clients)             \
  F##_OPT(mimi_u32, max_users)               \
  F##_U8(pseudonyms_allowed)                 \
  F##_U8(persistent_room)                    \
  F##_U8(discoverable)                       \
  F##_VEC(mimi_u16, policy_component_ids)
MIMI_STRUCT_DECLARE(mimi_base_room_policy, MIMI_BASE_ROOM_POLICY_FIELDS)

/* ======================================================================== */
/* §6 Other policy components                                               */

#define MIMI_STATUS_NOTIFICATION_POLICY_FIELDS(F) F##_U8(delivery_notifications) F##_U8(read_receipts)
MIMI_STRUCT_DECLARE(mimi_status_notification_policy, MIMI_STATUS_NOTIFICATION_POLICY_FIELDS)

#define MIMI_JOIN_LINK_POLICY_FIELDS(F) \
  F##_U8(on_request)                    \
  F##_OPAQUE(join_link)                 \
  F##_U8(multiuser)                     \
  F##_U32(expiration)
MIMI_STRUCT_DECLARE(mimi_join_link_policy, MIMI_JOIN_LINK_POLICY_FIELDS)

#define MIMI_JOIN_LINK_FIELDS(F) F##_OPAQUE(join_link)
MIMI_STRUCT_DECLARE(mimi_join_link, MIMI_JOIN_LINK_FIELDS)

/* `JoinLink JoinLinksData<V>` is a bare vector; wrapped (same bytes). */
#define MIMI_JOIN_LINKS_FIELDS(F) F##_VEC(mimi_join_link, links)
MIMI_STRUCT_DECLARE(mimi_join_links, MIMI_JOIN_LINKS_FIELDS)

#define MIMI_JOIN_LINKS_UPDATE_FIELDS(F) \
  F##_VEC(mimi_u32, removed_indices)     \
  F##_VEC(mimi_join_link, added_links)
MIMI_STRUCT_DECLARE(mimi_join_links_update, MIMI_JOIN_LINKS_UPDATE_FIELDS)

/* §6.3: link_preview_proxy_use and its select */
#define MIMI_LINK_PREVIEW_PROXY_CASES(C) MIMI_OPTIONALITY_ARMS(C, mimi_wire_uri_list)
#define MIMI_WIRE_URI_LIST_FIELDS(F) F##_VEC(mimi_identifier_uri, uris)
MIMI_STRUCT_DECLARE(mimi_wire_uri_list, MIMI_WIRE_URI_LIST_FIELDS)
MIMI_VARIANT_DECLARE(mimi_link_preview_proxy, U8, link_preview_proxy_use,
                     MIMI_LINK_PREVIEW_PROXY_CASES)

#define MIMI_LINK_PREVIEW_POLICY_FIELDS(F)  \
  F##_U8(autodetect_hyperlinks_in_text)     \
  F##_U8(send_link_previews)                \
  F##_U8(automatic_link_previews)           \
  F##_STRUCT(mimi_link_preview_proxy, proxy)
MIMI_STRUCT_DECLARE(mimi_link_preview_policy, MIMI_LINK_PREVIEW_POLICY_FIELDS)

/* §6.4 */
#define MIMI_PROVIDER_UPLOAD_DOMAINS_FIELDS(F) \
  F##_STRUCT(mimi_domain_name, provider)       \
  F##_VEC(mimi_domain_name, asset_upload_destinations)
MIMI_STRUCT_DECLARE(mimi_provider_upload_domains, MIMI_PROVIDER_UPLOAD_DOMAINS_FIELDS)

#define MIMI_DOWNLOAD_PRIVACY_FIELDS(F)    \
  F##_VEC(mimi_u8, allowed_download_types) \
  F##_VEC(mimi_u8, forbidden_download_types) \
  F##_U8(default_download_type)
MIMI_STRUCT_DECLARE(mimi_download_privacy, MIMI_DOWNLOAD_PRIVACY_FIELDS)

#define MIMI_ASSET_POLICY_FIELDS(F)                        \
  F##_U8(asset_upload_location)                            \
  F##_VEC(mimi_provider_upload_domains, upload_domains)    \
  F##_STRUCT(mimi_download_privacy, download_privacy)      \
  F##_U64(max_image)                                       \
  F##_U64(max_audio)                                       \
  F##_U64(max_video)                                       \
  F##_U64(max_attachment)                                  \
  F##_VEC(mimi_media_type, forbidden_media_types)          \
  F##_OPT(mimi_media_type_list, permitted_media_types)
MIMI_STRUCT_DECLARE(mimi_asset_policy, MIMI_ASSET_POLICY_FIELDS)

/* §6.5 */
#define MIMI_LOGGING_ACTIVE_FIELDS(F)         \
  F##_VEC(mimi_identifier_uri, logging_clients)     \
  F##_STRUCT(mimi_identifier_uri, machine_readable_policy) \
  F##_STRUCT(mimi_identifier_uri, human_readable_policy)
MIMI_STRUCT_DECLARE(mimi_logging_active, MIMI_LOGGING_ACTIVE_FIELDS)

#define MIMI_LOGGING_POLICY_CASES(C) MIMI_OPTIONALITY_ARMS(C, mimi_logging_active)
MIMI_VARIANT_DECLARE(mimi_logging_policy, U8, logging, MIMI_LOGGING_POLICY_CASES)

/* §6.6 */
#define MIMI_HISTORY_SHARING_FIELDS(F)    \
  F##_VEC(mimi_u32, roles_that_can_share) \
  F##_U8(automatically_share)             \
  F##_U32(max_time_period)
MIMI_STRUCT_DECLARE(mimi_history_sharing, MIMI_HISTORY_SHARING_FIELDS)

#define MIMI_HISTORY_POLICY_CASES(C) MIMI_OPTIONALITY_ARMS(C, mimi_history_sharing)
MIMI_VARIANT_DECLARE(mimi_history_policy, U8, history_sharing, MIMI_HISTORY_POLICY_CASES)

/* §6.7 */
#define MIMI_BOT_FIELDS(F)                  \
  F##_OPAQUE(name)                          \
  F##_OPAQUE(description)                   \
  F##_STRUCT(mimi_identifier_uri, homepage)       \
  F##_U8(local_client_bot)                  \
  F##_U32(bot_role_index)                   \
  F##_U8(can_target_message_in_group)       \
  F##_U8(per_user_content)
MIMI_STRUCT_DECLARE(mimi_bot, MIMI_BOT_FIELDS)

#define MIMI_BOT_POLICY_FIELDS(F) F##_VEC(mimi_bot, allowed_bots)
MIMI_STRUCT_DECLARE(mimi_bot_policy, MIMI_BOT_POLICY_FIELDS)

/* §6.8 */
#define MIMI_EXPIRATION_BOUNDS_FIELDS(F) \
  F##_U32(min_expiration_duration)       \
  F##_U32(max_expiration_duration)       \
  F##_OPT(mimi_u32, default_expiration_duration)
MIMI_STRUCT_DECLARE(mimi_expiration_bounds, MIMI_EXPIRATION_BOUNDS_FIELDS)

#define MIMI_MESSAGE_EXPIRATION_CASES(C) MIMI_OPTIONALITY_ARMS(C, mimi_expiration_bounds)
MIMI_VARIANT_DECLARE(mimi_message_expiration, U8, expiring_messages,
                     MIMI_MESSAGE_EXPIRATION_CASES)

/* ======================================================================== */
/* §7 OperationalParameters                                                 */

#define MIMI_EXTENDED_CAPABILITIES_FIELDS(F)   \
  F##_VEC(mimi_u16, versions)                  \
  F##_VEC(mimi_u16, cipher_suites)             \
  F##_VEC(mimi_u16, extensions)                \
  F##_VEC(mimi_u16, proposals)                 \
  F##_VEC(mimi_u16, credentials)               \
  F##_VEC(mls_wire_formats, wire_formats)      \
  F##_VEC(mimi_u16, component_ids)             \
  F##_VEC(mimi_u16, safe_aad_types)            \
  F##_VEC(mimi_media_type, media_types)        \
  F##_VEC(mimi_u8, content_types)
MIMI_STRUCT_DECLARE(mimi_extended_capabilities, MIMI_EXTENDED_CAPABILITIES_FIELDS)

#define MIMI_DELAY_RANGE_FIELDS(F) F##_U64(minimum_delay_ms) F##_U64(maximum_delay_ms)
MIMI_STRUCT_DECLARE(mimi_delay_range, MIMI_DELAY_RANGE_FIELDS)

/* The `case extension` arm has no PendingProposalStrategy value, so it
 * cannot be encoded; such a tag decodes to BAD_TAG like any unknown one. */
#define MIMI_PENDING_PROPOSAL_CASES(C)                      \
  C(MIMI_PENDING_UNSPECIFIED, mimi_empty, unspecified)       \
  C(MIMI_PENDING_IMMEDIATE_COMMIT, mimi_empty, immediate_commit) \
  C(MIMI_PENDING_RANDOM_DELAY, mimi_delay_range, random_delay)
MIMI_VARIANT_DECLARE(mimi_pending_proposal_policy, U8, pending_proposal_strategy,
                     MIMI_PENDING_PROPOSAL_CASES)

#define MIMI_MIN_DEFAULT_MAX_TIME_FIELDS(F) \
  F##_U64(minimum_time) F##_U64(default_time) F##_U64(maximum_time)
MIMI_STRUCT_DECLARE(mimi_min_default_max_time, MIMI_MIN_DEFAULT_MAX_TIME_FIELDS)

#define MIMI_APP_MESSAGE_POLICY_FIELDS(F) \
  F##_U8(epoch_tolerance) F##_U16(pad_to_size) F##_U32(max_generations_skipahead)
MIMI_STRUCT_DECLARE(mimi_app_message_policy, MIMI_APP_MESSAGE_POLICY_FIELDS)

/* max_kp_lifetime is "unit64" in the draft: a typo for uint64. */
#define MIMI_OPERATIONAL_PARAMETERS_FIELDS(F)                          \
  F##_STRUCT(mimi_extended_capabilities, mandatory_capabilities)       \
  F##_STRUCT(mimi_extended_capabilities, default_capabilities)         \
  F##_STRUCT(mimi_extended_capabilities, forbidden_capabilities)       \
  F##_VEC(mls_wire_formats, handshake_formats)                         \
  F##_U8(external_proposal_allowed)                                    \
  F##_U8(external_commit_allowed)                                      \
  F##_STRUCT(mimi_pending_proposal_policy, pending_proposal_policy)    \
  F##_STRUCT(mimi_min_default_max_time, leaf_node_update_time)         \
  F##_STRUCT(mimi_app_message_policy, app_message_policy)              \
  F##_U64(max_kp_lifetime)                                             \
  F##_U64(max_credential_lifetime)                                     \
  F##_U64(resumption_psk_lifetime)                                     \
  F##_STRUCT(mimi_min_default_max_time, sender_nonce_keypair_lifetime) \
  F##_U32(max_keypairs)                                                \
  F##_STRUCT(mimi_min_default_max_time, buffer_incoming_message_time)  \
  F##_U32(max_buffered_messages)
MIMI_STRUCT_DECLARE(mimi_operational_parameters, MIMI_OPERATIONAL_PARAMETERS_FIELDS)

/* ======================================================================== */
/* protocol-06 §Participant List                                            */

#define MIMI_USER_ROLE_PAIR_FIELDS(F) F##_OPAQUE(user) F##_U32(role_index)
MIMI_STRUCT_DECLARE(mimi_user_role_pair, MIMI_USER_ROLE_PAIR_FIELDS)

#define MIMI_PARTICIPANT_LIST_FIELDS(F) F##_VEC(mimi_user_role_pair, participants)
MIMI_STRUCT_DECLARE(mimi_participant_list, MIMI_PARTICIPANT_LIST_FIELDS)

#define MIMI_USER_INDEX_ROLE_PAIR_FIELDS(F) F##_U32(user_index) F##_U32(role_index)
MIMI_STRUCT_DECLARE(mimi_user_index_role_pair, MIMI_USER_INDEX_ROLE_PAIR_FIELDS)

#define MIMI_PARTICIPANT_LIST_UPDATE_FIELDS(F)                      \
  F##_VEC(mimi_user_index_role_pair, changed_role_participants)     \
  F##_VEC(mimi_u32, removed_indices)                                \
  F##_VEC(mimi_user_role_pair, added_participants)
MIMI_STRUCT_DECLARE(mimi_participant_list_update, MIMI_PARTICIPANT_LIST_UPDATE_FIELDS)

/* ======================================================================== */
/* protocol-06 §Room Metadata (RoomMetaData; also RoomMetaUpdate)            */

#define MIMI_RICH_DESCRIPTION_FIELDS(F) \
  F##_OPAQUE(media_type) F##_OPAQUE(language_tag) F##_OPAQUE(description_content)
MIMI_STRUCT_DECLARE(mimi_rich_description, MIMI_RICH_DESCRIPTION_FIELDS)

#define MIMI_ROOM_METADATA_FIELDS(F)                     \
  F##_STRUCT(mimi_identifier_uri, room_uri)                    \
  F##_STRUCT(mimi_wire_utf8, room_name)                  \
  F##_VEC(mimi_rich_description, room_descriptions)      \
  F##_STRUCT(mimi_identifier_uri, room_avatar)                 \
  F##_STRUCT(mimi_wire_utf8, room_subject)               \
  F##_STRUCT(mimi_wire_utf8, room_mood)
MIMI_STRUCT_DECLARE(mimi_room_metadata, MIMI_ROOM_METADATA_FIELDS)

#ifdef __cplusplus
}
#endif
#endif /* MIMI_POLICY_WIRE_H */
