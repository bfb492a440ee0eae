/*
 * mimi/protocol_wire.h — the provider-to-provider messages of
 * draft-ietf-mimi-protocol-06 (§"MIMI Endpoints and Framing" onwards), each
 * declared once with the codec of mimi/base.h, plus the two structs of
 * draft-mahy-mls-ratchet-tree-options it relies on (RatchetTreeOption,
 * PartialGroupInfo). MLS structs are reused from mimi/mls_messages.h.
 * Included by mimi/protocol.h.
 *
 * How the draft's selects are expressed (docs/spec-notes.md "MIMI protocol"):
 *
 *  - `Protocol protocol` is followed, possibly after common fields, by
 *    `select (protocol) { case mls10: ... }`. mls10 is the only protocol, and
 *    the bytes after the tag mean nothing for another one, so the whole rest
 *    of the struct is the mls10 case of a variant on the protocol byte
 *    (`msg.protocol`, `msg.mls10.<field>`). An unknown protocol is BAD_TAG.
 *  - A select whose tag immediately precedes it is a variant (BAD_TAG for an
 *    unknown tag). A select on an earlier, non-adjacent field is a COND per
 *    case; the enum field itself is range-checked by mimi_proto_validate
 *    (PROTO_BAD_ENUM), which mimi_proto_decode / mimi_proto_encode run.
 *  - `select (room.protocol)` (UpdateRequest, FanoutMessage) has no tag on
 *    the wire: the room's protocol is implied, so those bodies are the mls10
 *    case directly.
 *  - optional<T> or T x<V> inside a select case is carried by a one-field
 *    wrapper struct so that it can be a COND.
 *
 * Fields are snake_case versions of the draft's names.
 */
#ifndef MIMI_PROTOCOL_WIRE_H
#define MIMI_PROTOCOL_WIRE_H

#include "mimi/base.h"
#include "mimi/mls_messages.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ======================================================================== */
/* Code points                                                               */

enum { MIMI_PROTOCOL_MLS10 = 1 }; /* Protocol; reserved(0) */

/* MLS application components (§IANA) */
enum {
  MIMI_COMPONENT_FRANK_AAD = 0x0020,
  MIMI_COMPONENT_FRANKING_AGENT = 0x0021, /* registered as franking_signature_key */
  MIMI_COMPONENT_PARTICIPANT_LIST = 0x0022,
  MIMI_COMPONENT_ROOM_METADATA = 0x0023
};

enum { /* KeyMaterialUserCode */
  MIMI_KM_USER_SUCCESS = 0,
  MIMI_KM_USER_PARTIAL_SUCCESS = 1,
  MIMI_KM_USER_INCOMPATIBLE_PROTOCOL = 2,
  MIMI_KM_USER_NO_COMPATIBLE_MATERIAL = 3,
  MIMI_KM_USER_UNKNOWN = 4,
  MIMI_KM_USER_NO_CONSENT = 5,
  MIMI_KM_USER_NO_CONSENT_FOR_THIS_ROOM = 6,
  MIMI_KM_USER_DELETED = 7
};

enum { /* KeyMaterialClientCode */
  MIMI_KM_CLIENT_SUCCESS = 0,
  MIMI_KM_CLIENT_KEY_MATERIAL_EXHAUSTED = 1,
  MIMI_KM_CLIENT_NOTHING_COMPATIBLE = 2
};

enum { MIMI_GROUP_INFO_REP_FULL = 1, MIMI_GROUP_INFO_REP_PARTIAL = 2 }; /* GroupInfoRepresentation */

enum { /* ratchet-tree-options RatchetTreeRepresentation */
  MIMI_TREE_REP_FULL = 1,
  MIMI_TREE_REP_HTTPS_URI = 2,
  MIMI_TREE_REP_OUT_OF_BAND = 3,
  MIMI_TREE_REP_DISTRIBUTION_SERVICE = 4
};

enum { /* ratchet-tree-options RatchetTreePresence */
  MIMI_TREE_PRESENCE_NONE = 0,
  MIMI_TREE_PRESENCE_PRESENT = 1,
  MIMI_TREE_PRESENCE_REMOVED = 2,
  MIMI_TREE_PRESENCE_ADDED = 3
};

enum { /* UpdateResponseCode */
  MIMI_UPDATE_SUCCESS = 0,
  MIMI_UPDATE_WRONG_EPOCH = 1,
  MIMI_UPDATE_NOT_ALLOWED = 2,
  MIMI_UPDATE_INVALID_PROPOSAL = 3
};

enum { /* SubmitResponseCode */
  MIMI_SUBMIT_ACCEPTED = 0,
  MIMI_SUBMIT_NOT_ALLOWED = 1,
  MIMI_SUBMIT_EPOCH_TOO_OLD = 2
};

enum { /* GroupInfoCode; reserved(0) */
  MIMI_GROUP_INFO_SUCCESS = 1,
  MIMI_GROUP_INFO_NOT_AUTHORIZED = 2,
  MIMI_GROUP_INFO_NO_SUCH_ROOM = 3
};

enum { /* ConsentOperation */
  MIMI_CONSENT_CANCEL = 0,
  MIMI_CONSENT_REQUEST = 1,
  MIMI_CONSENT_GRANT = 2,
  MIMI_CONSENT_REVOKE = 3
};

enum { /* SearchIdentifierType; reserved(0) */
  MIMI_SEARCH_HANDLE = 1,
  MIMI_SEARCH_NICK = 2,
  MIMI_SEARCH_EMAIL = 3,
  MIMI_SEARCH_PHONE = 4,
  MIMI_SEARCH_PARTIAL_NAME = 5,
  MIMI_SEARCH_WHOLE_PROFILE = 6,
  MIMI_SEARCH_OIDC_STD_CLAIM = 7,
  MIMI_SEARCH_VCARD_FIELD = 8
};

enum { /* IdentifierQueryCode */
  MIMI_IDQ_SUCCESS = 0,
  MIMI_IDQ_NOT_FOUND = 1,
  MIMI_IDQ_AMBIGUOUS = 2,
  MIMI_IDQ_FORBIDDEN = 3,
  MIMI_IDQ_UNSUPPORTED_FIELD = 4
};

enum { MIMI_FIELD_SOURCE_OIDC_STD_CLAIM = 7, MIMI_FIELD_SOURCE_VCARD_FIELD = 8 }; /* FieldSource */

enum { MIMI_ABUSE_TYPE_RESERVED = 0 }; /* AbuseType: no values assigned yet */

/* ======================================================================== */
/* Shared pieces                                                             */

/* struct { opaque uri<V>; } IdentifierUri — also used for RoomId */
#define MIMI_IDENTIFIER_URI_FIELDS(F) F##_OPAQUE(uri)
MIMI_STRUCT_DECLARE(mimi_identifier_uri, MIMI_IDENTIFIER_URI_FIELDS)

/* Wrappers: a vector or optional that sits in a select case. */
#define MIMI_MLS_MESSAGE_LIST_FIELDS(F) F##_VEC(mls_message, messages)
MIMI_STRUCT_DECLARE(mimi_mls_message_list, MIMI_MLS_MESSAGE_LIST_FIELDS)

#define MIMI_KEY_PACKAGE_LIST_FIELDS(F) F##_VEC(mls_key_package, key_packages)
MIMI_STRUCT_DECLARE(mimi_key_package_list, MIMI_KEY_PACKAGE_LIST_FIELDS)

#define MIMI_PROPOSAL_REF_LIST_FIELDS(F) F##_VEC(mimi_bytes, refs)
MIMI_STRUCT_DECLARE(mimi_proposal_ref_list, MIMI_PROPOSAL_REF_LIST_FIELDS)

#define MIMI_OPTIONAL_CAPABILITIES_FIELDS(F) F##_OPT(mls_capabilities, capabilities)
MIMI_STRUCT_DECLARE(mimi_optional_capabilities, MIMI_OPTIONAL_CAPABILITIES_FIELDS)

/* ======================================================================== */
/* draft-mahy-mls-ratchet-tree-options                                       */

#define MIMI_TREE_HTTPS_FIELDS(F) F##_OPAQUE(ratchet_tree_url) F##_OPAQUE(tree_signature)
MIMI_STRUCT_DECLARE(mimi_tree_https, MIMI_TREE_HTTPS_FIELDS)

#define MIMI_TREE_OUT_OF_BAND_FIELDS(F) F##_OPAQUE(tree_signature)
MIMI_STRUCT_DECLARE(mimi_tree_out_of_band, MIMI_TREE_OUT_OF_BAND_FIELDS)

/* `full` carries the ratchet_tree extension payload (optional<Node> <V>). */
#define MIMI_RATCHET_TREE_OPTION_CASES(C)                              \
  C(MIMI_TREE_REP_FULL, mls_ratchet_tree, full)                        \
  C(MIMI_TREE_REP_HTTPS_URI, mimi_tree_https, https_uri)               \
  C(MIMI_TREE_REP_OUT_OF_BAND, mimi_tree_out_of_band, out_of_band)     \
  C(MIMI_TREE_REP_DISTRIBUTION_SERVICE, mimi_empty, distribution_service)
MIMI_VARIANT_DECLARE(mimi_ratchet_tree_option, U8, representation, MIMI_RATCHET_TREE_OPTION_CASES)

#define MIMI_PARTIAL_GROUP_INFO_FIELDS(F)        \
  F##_U8(ratchet_tree_presence)                  \
  F##_VEC(mls_extension, group_info_extensions)  \
  F##_OPAQUE(signature)
MIMI_STRUCT_DECLARE(mimi_partial_group_info, MIMI_PARTIAL_GROUP_INFO_FIELDS)

/* ======================================================================== */
/* Fetch Key Material                                                        */

#define MIMI_KEY_MATERIAL_REQUEST_TBS_FIELDS_(F)                \
  F##_STRUCT(mimi_identifier_uri, requesting_user)              \
  F##_STRUCT(mimi_identifier_uri, target_user)                  \
  F##_STRUCT(mimi_identifier_uri, room_id)                      \
  F##_VEC(mimi_u16, acceptable_ciphersuites)                    \
  F##_STRUCT(mls_required_capabilities, required_capabilities)  \
  F##_OPAQUE(requester_signature_key)                           \
  F##_STRUCT(mls_credential, requester_credential)

#define MIMI_KEY_MATERIAL_REQUEST_TBS_MLS_FIELDS(F) MIMI_KEY_MATERIAL_REQUEST_TBS_FIELDS_(F)
MIMI_STRUCT_DECLARE(mimi_key_material_request_tbs_mls, MIMI_KEY_MATERIAL_REQUEST_TBS_MLS_FIELDS)
#define MIMI_KEY_MATERIAL_REQUEST_TBS_CASES(C) \
  C(MIMI_PROTOCOL_MLS10, mimi_key_material_request_tbs_mls, mls10)
MIMI_VARIANT_DECLARE(mimi_key_material_request_tbs, U8, protocol,
                     MIMI_KEY_MATERIAL_REQUEST_TBS_CASES)

#define MIMI_KEY_MATERIAL_REQUEST_MLS_FIELDS(F) \
  MIMI_KEY_MATERIAL_REQUEST_TBS_FIELDS_(F) F##_OPAQUE(key_material_request_signature)
MIMI_STRUCT_DECLARE(mimi_key_material_request_mls, MIMI_KEY_MATERIAL_REQUEST_MLS_FIELDS)
#define MIMI_KEY_MATERIAL_REQUEST_CASES(C) \
  C(MIMI_PROTOCOL_MLS10, mimi_key_material_request_mls, mls10)
MIMI_VARIANT_DECLARE(mimi_key_material_request, U8, protocol, MIMI_KEY_MATERIAL_REQUEST_CASES)

/* key_package iff client_status == success; client_capabilities iff
 * nothingCompatible. */
#define MIMI_CLIENT_KEY_MATERIAL_FIELDS(F)                                  \
  F##_U8(client_status)                                                     \
  F##_STRUCT(mimi_identifier_uri, client_uri)                               \
  F##_COND(mls_key_package, key_package, mimi_client_key_material_has_kp)   \
  F##_COND(mimi_optional_capabilities, client_capabilities,                 \
           mimi_client_key_material_has_caps)
MIMI_STRUCT_DECLARE(mimi_client_key_material, MIMI_CLIENT_KEY_MATERIAL_FIELDS)

#define MIMI_KEY_MATERIAL_RESPONSE_MLS_FIELDS(F)      \
  F##_U8(user_status)                                 \
  F##_STRUCT(mimi_identifier_uri, user_uri)           \
  F##_VEC(mimi_client_key_material, clients)
MIMI_STRUCT_DECLARE(mimi_key_material_response_mls, MIMI_KEY_MATERIAL_RESPONSE_MLS_FIELDS)
#define MIMI_KEY_MATERIAL_RESPONSE_CASES(C) \
  C(MIMI_PROTOCOL_MLS10, mimi_key_material_response_mls, mls10)
MIMI_VARIANT_DECLARE(mimi_key_material_response, U8, protocol, MIMI_KEY_MATERIAL_RESPONSE_CASES)

/* ======================================================================== */
/* Update Room State                                                         */

#define MIMI_GROUP_INFO_OPTION_CASES(C)                         \
  C(MIMI_GROUP_INFO_REP_FULL, mls_group_info, group_info)       \
  C(MIMI_GROUP_INFO_REP_PARTIAL, mimi_partial_group_info, partial_group_info)
MIMI_VARIANT_DECLARE(mimi_group_info_option, U8, representation, MIMI_GROUP_INFO_OPTION_CASES)

#define MIMI_HANDSHAKE_COMMIT_PART_FIELDS(F)                     \
  F##_OPT(mls_welcome, welcome)                                  \
  F##_STRUCT(mimi_group_info_option, group_info_option)          \
  F##_STRUCT(mimi_ratchet_tree_option, ratchet_tree_option)
MIMI_STRUCT_DECLARE(mimi_handshake_commit_part, MIMI_HANDSHAKE_COMMIT_PART_FIELDS)

/* HandshakeBundle = the mls10 UpdateRequest body. `commit` is on the wire iff
 * proposal_or_commit carries a commit, `more_proposals` iff a proposal. */
#define MIMI_HANDSHAKE_BUNDLE_FIELDS(F)                                          \
  F##_STRUCT(mls_message, proposal_or_commit)                                    \
  F##_COND(mimi_handshake_commit_part, commit, mimi_handshake_bundle_is_commit)  \
  F##_COND(mimi_mls_message_list, more_proposals, mimi_handshake_bundle_is_proposal)
MIMI_STRUCT_DECLARE(mimi_handshake_bundle, MIMI_HANDSHAKE_BUNDLE_FIELDS)

/* UpdateRoomResponse; error_description is the draft's `string`, a UTF-8
 * opaque<V>. */
#define MIMI_UPDATE_ROOM_RESPONSE_FIELDS(F)                                          \
  F##_U8(response_code)                                                              \
  F##_OPAQUE(error_description)                                                      \
  F##_COND(mimi_u64, accepted_timestamp, mimi_update_room_response_is_success)       \
  F##_COND(mimi_u64, current_epoch, mimi_update_room_response_is_wrong_epoch)        \
  F##_COND(mimi_proposal_ref_list, invalid_proposals,                                \
           mimi_update_room_response_is_invalid_proposal)
MIMI_STRUCT_DECLARE(mimi_update_room_response, MIMI_UPDATE_ROOM_RESPONSE_FIELDS)

/* ======================================================================== */
/* Submit a Message and franking                                             */

#define MIMI_SUBMIT_MESSAGE_REQUEST_MLS_FIELDS(F) \
  F##_STRUCT(mls_message, app_message)            \
  F##_STRUCT(mimi_identifier_uri, sending_uri)
MIMI_STRUCT_DECLARE(mimi_submit_message_request_mls, MIMI_SUBMIT_MESSAGE_REQUEST_MLS_FIELDS)
#define MIMI_SUBMIT_MESSAGE_REQUEST_CASES(C) \
  C(MIMI_PROTOCOL_MLS10, mimi_submit_message_request_mls, mls10)
MIMI_VARIANT_DECLARE(mimi_submit_message_request, U8, protocol, MIMI_SUBMIT_MESSAGE_REQUEST_CASES)

#define MIMI_FRANK_FIELDS(F)                    \
  F##_FIXED(server_frank, 32)                   \
  F##_U16(franking_signature_ciphersuite)       \
  F##_OPAQUE(franking_integrity_signature)
MIMI_STRUCT_DECLARE(mimi_frank, MIMI_FRANK_FIELDS)

#define MIMI_OPTIONAL_FRANK_FIELDS(F) F##_OPT(mimi_frank, frank)
MIMI_STRUCT_DECLARE(mimi_optional_frank, MIMI_OPTIONAL_FRANK_FIELDS)

#define MIMI_SUBMIT_ACCEPTED_FIELDS(F) F##_U64(accepted_timestamp) F##_OPT(mimi_frank, frank)
MIMI_STRUCT_DECLARE(mimi_submit_accepted, MIMI_SUBMIT_ACCEPTED_FIELDS)

/* The draft's `case success` is SubmitResponseCode accepted(0). */
#define MIMI_SUBMIT_STATUS_CASES(C)                              \
  C(MIMI_SUBMIT_ACCEPTED, mimi_submit_accepted, accepted)        \
  C(MIMI_SUBMIT_NOT_ALLOWED, mimi_empty, not_allowed)            \
  C(MIMI_SUBMIT_EPOCH_TOO_OLD, mimi_u64, current_epoch)
MIMI_VARIANT_DECLARE(mimi_submit_status, U8, status_code, MIMI_SUBMIT_STATUS_CASES)
#define MIMI_SUBMIT_MESSAGE_RESPONSE_CASES(C) C(MIMI_PROTOCOL_MLS10, mimi_submit_status, mls10)
MIMI_VARIANT_DECLARE(mimi_submit_message_response, U8, protocol, MIMI_SUBMIT_MESSAGE_RESPONSE_CASES)

/* frank_aad Safe AAD component */
#define MIMI_FRANK_AAD_FIELDS(F) F##_FIXED(franking_tag, 32)
MIMI_STRUCT_DECLARE(mimi_frank_aad, MIMI_FRANK_AAD_FIELDS)

/* franking_agent GroupContext component and FrankingAgentUpdate */
#define MIMI_FRANKING_AGENT_DATA_FIELDS(F) \
  F##_OPAQUE(franking_signature_key)       \
  F##_STRUCT(mls_credential, credential)
MIMI_STRUCT_DECLARE(mimi_franking_agent_data, MIMI_FRANKING_AGENT_DATA_FIELDS)

#define MIMI_SERVER_FRANKING_CONTEXT_FIELDS(F) \
  F##_STRUCT(mimi_identifier_uri, sender_uri)  \
  F##_STRUCT(mimi_identifier_uri, room_uri)    \
  F##_U64(accepted_timestamp)
MIMI_STRUCT_DECLARE(mimi_server_franking_context, MIMI_SERVER_FRANKING_CONTEXT_FIELDS)

#define MIMI_FRANKING_INTEGRITY_TBS_FIELDS(F)  \
  F##_FIXED(server_frank, 32)                  \
  F##_U16(franking_signature_ciphersuite)      \
  F##_STRUCT(mimi_server_franking_context, context)
MIMI_STRUCT_DECLARE(mimi_franking_integrity_tbs, MIMI_FRANKING_INTEGRITY_TBS_FIELDS)

/* ======================================================================== */
/* Fanout (the mls10 body; the room's protocol is implied)                   */

#define MIMI_FANOUT_MESSAGE_FIELDS(F)                                              \
  F##_U64(timestamp)                                                               \
  F##_STRUCT(mls_message, message)                                                 \
  F##_COND(mimi_optional_frank, frank, mimi_fanout_is_application)                 \
  F##_COND(mimi_ratchet_tree_option, ratchet_tree_option, mimi_fanout_is_welcome)  \
  F##_COND(mimi_mls_message_list, more_proposals, mimi_fanout_is_proposal)         \
  F##_COND(mimi_mls_message_list, external_proposals, mimi_fanout_is_commit)
MIMI_STRUCT_DECLARE(mimi_fanout_message, MIMI_FANOUT_MESSAGE_FIELDS)

/* ======================================================================== */
/* Claim group key information                                               */

#define MIMI_GROUP_INFO_REQUEST_COMMON_FIELDS_(F)  \
  F##_U16(cipher_suite)                            \
  F##_OPAQUE(requesting_signature_key)             \
  F##_STRUCT(mls_credential, requesting_credential) \
  F##_OPAQUE(group_info_public_key)

#define MIMI_GROUP_INFO_REQUEST_TBS_MLS_FIELDS(F) \
  MIMI_GROUP_INFO_REQUEST_COMMON_FIELDS_(F) F##_OPT(mimi_bytes, joining_code)
MIMI_STRUCT_DECLARE(mimi_group_info_request_tbs_mls, MIMI_GROUP_INFO_REQUEST_TBS_MLS_FIELDS)
#define MIMI_GROUP_INFO_REQUEST_TBS_CASES(C) \
  C(MIMI_PROTOCOL_MLS10, mimi_group_info_request_tbs_mls, mls10)
MIMI_VARIANT_DECLARE(mimi_group_info_request_tbs, U8, protocol, MIMI_GROUP_INFO_REQUEST_TBS_CASES)

#define MIMI_GROUP_INFO_REQUEST_MLS_FIELDS(F)   \
  MIMI_GROUP_INFO_REQUEST_COMMON_FIELDS_(F)     \
  F##_OPAQUE(joining_code)                      \
  F##_OPAQUE(signature)
MIMI_STRUCT_DECLARE(mimi_group_info_request_mls, MIMI_GROUP_INFO_REQUEST_MLS_FIELDS)
#define MIMI_GROUP_INFO_REQUEST_CASES(C) C(MIMI_PROTOCOL_MLS10, mimi_group_info_request_mls, mls10)
MIMI_VARIANT_DECLARE(mimi_group_info_request, U8, protocol, MIMI_GROUP_INFO_REQUEST_CASES)

#define MIMI_PENDING_PROPOSAL_FIELDS(F) F##_STRUCT(mls_message, proposal) F##_U64(hub_accepted_time)
MIMI_STRUCT_DECLARE(mimi_pending_proposal, MIMI_PENDING_PROPOSAL_FIELDS)

#define MIMI_GROUP_INFO_RATCHET_TREE_TBE_FIELDS(F)             \
  F##_STRUCT(mls_group_info, group_info)                       \
  F##_STRUCT(mimi_ratchet_tree_option, ratchet_tree_option)    \
  F##_VEC(mimi_pending_proposal, pending_proposals)
MIMI_STRUCT_DECLARE(mimi_group_info_ratchet_tree_tbe, MIMI_GROUP_INFO_RATCHET_TREE_TBE_FIELDS)

#define MIMI_GROUP_INFO_RESPONSE_BODY_FIELDS_(F)                 \
  F##_U16(cipher_suite)                                          \
  F##_STRUCT(mls_external_sender, hub_sender)                    \
  F##_STRUCT(mls_hpke_ciphertext, encrypted_groupinfo_and_tree)

#define MIMI_GROUP_INFO_RESPONSE_TBS_MLS_FIELDS(F) \
  F##_OPAQUE(room_id) F##_U8(status) MIMI_GROUP_INFO_RESPONSE_BODY_FIELDS_(F)
MIMI_STRUCT_DECLARE(mimi_group_info_response_tbs_mls, MIMI_GROUP_INFO_RESPONSE_TBS_MLS_FIELDS)
#define MIMI_GROUP_INFO_RESPONSE_TBS_CASES(C) \
  C(MIMI_PROTOCOL_MLS10, mimi_group_info_response_tbs_mls, mls10)
MIMI_VARIANT_DECLARE(mimi_group_info_response_tbs, U8, version, MIMI_GROUP_INFO_RESPONSE_TBS_CASES)

#define MIMI_GROUP_INFO_RESPONSE_SUCCESS_FIELDS(F) \
  MIMI_GROUP_INFO_RESPONSE_BODY_FIELDS_(F) F##_OPAQUE(signature)
MIMI_STRUCT_DECLARE(mimi_group_info_response_success, MIMI_GROUP_INFO_RESPONSE_SUCCESS_FIELDS)

/* `success` is on the wire iff status == success (`default: struct{}`). */
#define MIMI_GROUP_INFO_RESPONSE_MLS_FIELDS(F) \
  F##_OPAQUE(room_id)                          \
  F##_U8(status)                               \
  F##_COND(mimi_group_info_response_success, success, mimi_group_info_response_is_success)
MIMI_STRUCT_DECLARE(mimi_group_info_response_mls, MIMI_GROUP_INFO_RESPONSE_MLS_FIELDS)
#define MIMI_GROUP_INFO_RESPONSE_CASES(C) \
  C(MIMI_PROTOCOL_MLS10, mimi_group_info_response_mls, mls10)
MIMI_VARIANT_DECLARE(mimi_group_info_response, U8, version, MIMI_GROUP_INFO_RESPONSE_CASES)

/* ======================================================================== */
/* Consent                                                                   */

#define MIMI_CONSENT_ENTRY_FIELDS(F)                                             \
  F##_U8(consent_operation)                                                      \
  F##_STRUCT(mimi_identifier_uri, requester_uri)                                 \
  F##_STRUCT(mimi_identifier_uri, target_uri)                                    \
  F##_OPT(mimi_identifier_uri, room_id)                                          \
  F##_COND(mimi_key_package_list, client_key_packages, mimi_consent_entry_is_grant) \
  F##_STRUCT(mls_app_data_dictionary, consent_extensions)
MIMI_STRUCT_DECLARE(mimi_consent_entry, MIMI_CONSENT_ENTRY_FIELDS)

#define MIMI_CONSENT_SCOPE_FIELDS(F)                \
  F##_STRUCT(mimi_identifier_uri, requester_uri)    \
  F##_STRUCT(mimi_identifier_uri, target_uri)       \
  F##_OPT(mimi_identifier_uri, room_id)
MIMI_STRUCT_DECLARE(mimi_consent_scope, MIMI_CONSENT_SCOPE_FIELDS)

/* ======================================================================== */
/* Find internal address                                                     */

/* QueryElement's searchType + select (the draft's `select(type)`). */
#define MIMI_SEARCH_TYPE_CASES(C)                             \
  C(MIMI_SEARCH_HANDLE, mimi_empty, handle)                   \
  C(MIMI_SEARCH_NICK, mimi_empty, nick)                       \
  C(MIMI_SEARCH_EMAIL, mimi_empty, email)                     \
  C(MIMI_SEARCH_PHONE, mimi_empty, phone)                     \
  C(MIMI_SEARCH_PARTIAL_NAME, mimi_empty, partial_name)       \
  C(MIMI_SEARCH_WHOLE_PROFILE, mimi_empty, whole_profile)     \
  C(MIMI_SEARCH_OIDC_STD_CLAIM, mimi_bytes, claim_name)       \
  C(MIMI_SEARCH_VCARD_FIELD, mimi_bytes, property_name)
MIMI_VARIANT_DECLARE(mimi_search_type, U8, search_type, MIMI_SEARCH_TYPE_CASES)

#define MIMI_QUERY_ELEMENT_FIELDS(F) F##_STRUCT(mimi_search_type, search) F##_OPAQUE(search_value)
MIMI_STRUCT_DECLARE(mimi_query_element, MIMI_QUERY_ELEMENT_FIELDS)

#define MIMI_IDENTIFIER_REQUEST_FIELDS(F)          \
  F##_VEC(mimi_query_element, query_elements)      \
  F##_STRUCT(mls_app_data_dictionary, id_request_extensions)
MIMI_STRUCT_DECLARE(mimi_identifier_request, MIMI_IDENTIFIER_REQUEST_FIELDS)

#define MIMI_PROFILE_FIELD_FIELDS(F) \
  F##_U8(field_source) F##_OPAQUE(field_name) F##_OPAQUE(field_value)
MIMI_STRUCT_DECLARE(mimi_profile_field, MIMI_PROFILE_FIELD_FIELDS)

#define MIMI_USER_PROFILE_FIELDS(F) \
  F##_STRUCT(mimi_identifier_uri, stable_uri) F##_VEC(mimi_profile_field, fields)
MIMI_STRUCT_DECLARE(mimi_user_profile, MIMI_USER_PROFILE_FIELDS)

#define MIMI_IDENTIFIER_RESPONSE_FIELDS(F)          \
  F##_U8(response_code)                             \
  F##_VEC(mimi_identifier_uri, uri)                 \
  F##_VEC(mimi_user_profile, found_profiles)        \
  F##_STRUCT(mls_app_data_dictionary, id_response_extensions)
MIMI_STRUCT_DECLARE(mimi_identifier_response, MIMI_IDENTIFIER_RESPONSE_FIELDS)

/* ======================================================================== */
/* Report abuse                                                              */

#define MIMI_ABUSIVE_MESSAGE_FIELDS(F) \
  F##_OPAQUE(message_content) F##_STRUCT(mimi_frank, frank) F##_U64(accepted_timestamp)
MIMI_STRUCT_DECLARE(mimi_abusive_message, MIMI_ABUSIVE_MESSAGE_FIELDS)

#define MIMI_ABUSE_REPORT_FIELDS(F)                       \
  F##_STRUCT(mimi_identifier_uri, reporting_user)         \
  F##_STRUCT(mimi_identifier_uri, alleged_abuser_uri)     \
  F##_U8(reason_code)                                     \
  F##_OPAQUE(note)                                        \
  F##_VEC(mimi_abusive_message, messages)                 \
  F##_STRUCT(mls_app_data_dictionary, abuse_extensions)
MIMI_STRUCT_DECLARE(mimi_abuse_report, MIMI_ABUSE_REPORT_FIELDS)

/* ======================================================================== */
/* Minimal metadata rooms: credential encryption (signature_public_key is
 * the draft's length-less `opaque`, read as opaque<V>)                      */

#define MIMI_PSEUDONYMOUS_CREDENTIAL_TBS_FIELDS_(F)     \
  F##_STRUCT(mimi_identifier_uri, client_pseudonym)     \
  F##_STRUCT(mimi_identifier_uri, user_pseudonym)       \
  F##_OPAQUE(signature_public_key)

#define MIMI_PSEUDONYMOUS_CREDENTIAL_FIELDS(F) \
  MIMI_PSEUDONYMOUS_CREDENTIAL_TBS_FIELDS_(F) F##_OPAQUE(identity_link_ciphertext)
MIMI_STRUCT_DECLARE(mimi_pseudonymous_credential, MIMI_PSEUDONYMOUS_CREDENTIAL_FIELDS)

#define MIMI_PSEUDONYMOUS_CREDENTIAL_TBS_FIELDS(F) MIMI_PSEUDONYMOUS_CREDENTIAL_TBS_FIELDS_(F)
MIMI_STRUCT_DECLARE(mimi_pseudonymous_credential_tbs, MIMI_PSEUDONYMOUS_CREDENTIAL_TBS_FIELDS)

#define MIMI_IDENTITY_LINK_TBE_FIELDS(F)           \
  F##_OPAQUE(pseudonymous_credential_signature)    \
  F##_STRUCT(mls_credential, client_credential)
MIMI_STRUCT_DECLARE(mimi_identity_link_tbe, MIMI_IDENTITY_LINK_TBE_FIELDS)

#ifdef __cplusplus
}
#endif
#endif /* MIMI_PROTOCOL_WIRE_H */
