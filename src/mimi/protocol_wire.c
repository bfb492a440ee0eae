/* protocol_wire.c — descriptor tables for the MIMI protocol messages of
 * mimi/protocol_wire.h, and the predicates of their outer-field selects. */
#include <stddef.h>

#include "mimi/protocol.h"

/* --- select predicates ---------------------------------------------------- */

static bool mimi_client_key_material_has_kp(const void *p) {
  return ((const mimi_client_key_material *)p)->client_status == MIMI_KM_CLIENT_SUCCESS;
}
static bool mimi_client_key_material_has_caps(const void *p) {
  return ((const mimi_client_key_material *)p)->client_status ==
         MIMI_KM_CLIENT_NOTHING_COMPATIBLE;
}

static bool mimi_handshake_bundle_is_commit(const void *p) {
  return mimi_proto_message_kind(&((const mimi_handshake_bundle *)p)->proposal_or_commit) ==
         MIMI_MSG_KIND_COMMIT;
}
static bool mimi_handshake_bundle_is_proposal(const void *p) {
  return mimi_proto_message_kind(&((const mimi_handshake_bundle *)p)->proposal_or_commit) ==
         MIMI_MSG_KIND_PROPOSAL;
}

static bool mimi_update_room_response_is_success(const void *p) {
  return ((const mimi_update_room_response *)p)->response_code == MIMI_UPDATE_SUCCESS;
}
static bool mimi_update_room_response_is_wrong_epoch(const void *p) {
  return ((const mimi_update_room_response *)p)->response_code == MIMI_UPDATE_WRONG_EPOCH;
}
static bool mimi_update_room_response_is_invalid_proposal(const void *p) {
  return ((const mimi_update_room_response *)p)->response_code == MIMI_UPDATE_INVALID_PROPOSAL;
}

static mimi_msg_kind fanout_kind(const void *p) {
  return mimi_proto_message_kind(&((const mimi_fanout_message *)p)->message);
}
static bool mimi_fanout_is_application(const void *p) {
  return fanout_kind(p) == MIMI_MSG_KIND_APPLICATION;
}
static bool mimi_fanout_is_welcome(const void *p) { return fanout_kind(p) == MIMI_MSG_KIND_WELCOME; }
static bool mimi_fanout_is_proposal(const void *p) {
  return fanout_kind(p) == MIMI_MSG_KIND_PROPOSAL;
}
static bool mimi_fanout_is_commit(const void *p) { return fanout_kind(p) == MIMI_MSG_KIND_COMMIT; }

static bool mimi_group_info_response_is_success(const void *p) {
  return ((const mimi_group_info_response_mls *)p)->status == MIMI_GROUP_INFO_SUCCESS;
}

static bool mimi_consent_entry_is_grant(const void *p) {
  return ((const mimi_consent_entry *)p)->consent_operation == MIMI_CONSENT_GRANT;
}

mimi_msg_kind mimi_proto_message_kind(const mls_message *m) {
  uint8_t ct;
  switch (m->body.wire_format) {
    case MLS_WIRE_PUBLIC_MESSAGE:
      ct = m->body.public_message.content.body.content_type;
      break;
    case MLS_WIRE_PRIVATE_MESSAGE:
      ct = m->body.private_message.content_type;
      break;
    case MLS_WIRE_WELCOME:
      return MIMI_MSG_KIND_WELCOME;
    default:
      return MIMI_MSG_KIND_OTHER;
  }
  switch (ct) {
    case MLS_CONTENT_APPLICATION: return MIMI_MSG_KIND_APPLICATION;
    case MLS_CONTENT_PROPOSAL: return MIMI_MSG_KIND_PROPOSAL;
    case MLS_CONTENT_COMMIT: return MIMI_MSG_KIND_COMMIT;
    default: return MIMI_MSG_KIND_OTHER;
  }
}

/* --- descriptors ---------------------------------------------------------- */

MIMI_STRUCT_DEFINE(mimi_identifier_uri, MIMI_IDENTIFIER_URI_FIELDS)
MIMI_STRUCT_DEFINE(mimi_mls_message_list, MIMI_MLS_MESSAGE_LIST_FIELDS)
MIMI_STRUCT_DEFINE(mimi_key_package_list, MIMI_KEY_PACKAGE_LIST_FIELDS)
MIMI_STRUCT_DEFINE(mimi_proposal_ref_list, MIMI_PROPOSAL_REF_LIST_FIELDS)
MIMI_STRUCT_DEFINE(mimi_optional_capabilities, MIMI_OPTIONAL_CAPABILITIES_FIELDS)

MIMI_STRUCT_DEFINE(mimi_tree_https, MIMI_TREE_HTTPS_FIELDS)
MIMI_STRUCT_DEFINE(mimi_tree_out_of_band, MIMI_TREE_OUT_OF_BAND_FIELDS)
MIMI_VARIANT_DEFINE(mimi_ratchet_tree_option, U8, representation, MIMI_RATCHET_TREE_OPTION_CASES)
MIMI_STRUCT_DEFINE(mimi_partial_group_info, MIMI_PARTIAL_GROUP_INFO_FIELDS)

MIMI_STRUCT_DEFINE(mimi_key_material_request_tbs_mls, MIMI_KEY_MATERIAL_REQUEST_TBS_MLS_FIELDS)
MIMI_VARIANT_DEFINE(mimi_key_material_request_tbs, U8, protocol,
                    MIMI_KEY_MATERIAL_REQUEST_TBS_CASES)
MIMI_STRUCT_DEFINE(mimi_key_material_request_mls, MIMI_KEY_MATERIAL_REQUEST_MLS_FIELDS)
MIMI_VARIANT_DEFINE(mimi_key_material_request, U8, protocol, MIMI_KEY_MATERIAL_REQUEST_CASES)
MIMI_STRUCT_DEFINE(mimi_client_key_material, MIMI_CLIENT_KEY_MATERIAL_FIELDS)
MIMI_STRUCT_DEFINE(mimi_key_material_response_mls, MIMI_KEY_MATERIAL_RESPONSE_MLS_FIELDS)
MIMI_VARIANT_DEFINE(mimi_key_material_response, U8, protocol, MIMI_KEY_MATERIAL_RESPONSE_CASES)

MIMI_VARIANT_DEFINE(mimi_group_info_option, U8, representation, MIMI_GROUP_INFO_OPTION_CASES)
MIMI_STRUCT_DEFINE(mimi_handshake_commit_part, MIMI_HANDSHAKE_COMMIT_PART_FIELDS)
MIMI_STRUCT_DEFINE(mimi_handshake_bundle, MIMI_HANDSHAKE_BUNDLE_FIELDS)
MIMI_STRUCT_DEFINE(mimi_update_room_response, MIMI_UPDATE_ROOM_RESPONSE_FIELDS)

MIMI_STRUCT_DEFINE(mimi_submit_message_request_mls, MIMI_SUBMIT_MESSAGE_REQUEST_MLS_FIELDS)
MIMI_VARIANT_DEFINE(mimi_submit_message_request, U8, protocol, MIMI_SUBMIT_MESSAGE_REQUEST_CASES)
MIMI_STRUCT_DEFINE(mimi_frank, MIMI_FRANK_FIELDS)
MIMI_STRUCT_DEFINE(mimi_optional_frank, MIMI_OPTIONAL_FRANK_FIELDS)
MIMI_STRUCT_DEFINE(mimi_submit_accepted, MIMI_SUBMIT_ACCEPTED_FIELDS)
MIMI_VARIANT_DEFINE(mimi_submit_status, U8, status_code, MIMI_SUBMIT_STATUS_CASES)
MIMI_VARIANT_DEFINE(mimi_submit_message_response, U8, protocol, MIMI_SUBMIT_MESSAGE_RESPONSE_CASES)
MIMI_STRUCT_DEFINE(mimi_frank_aad, MIMI_FRANK_AAD_FIELDS)
MIMI_STRUCT_DEFINE(mimi_franking_agent_data, MIMI_FRANKING_AGENT_DATA_FIELDS)
MIMI_STRUCT_DEFINE(mimi_server_franking_context, MIMI_SERVER_FRANKING_CONTEXT_FIELDS)
MIMI_STRUCT_DEFINE(mimi_franking_integrity_tbs, MIMI_FRANKING_INTEGRITY_TBS_FIELDS)

MIMI_STRUCT_DEFINE(mimi_fanout_message, MIMI_FANOUT_MESSAGE_FIELDS)

MIMI_STRUCT_DEFINE(mimi_group_info_request_tbs_mls, MIMI_GROUP_INFO_REQUEST_TBS_MLS_FIELDS)
MIMI_VARIANT_DEFINE(mimi_group_info_request_tbs, U8, protocol, MIMI_GROUP_INFO_REQUEST_TBS_CASES)
MIMI_STRUCT_DEFINE(mimi_group_info_request_mls, MIMI_GROUP_INFO_REQUEST_MLS_FIELDS)
MIMI_VARIANT_DEFINE(mimi_group_info_request, U8, protocol, MIMI_GROUP_INFO_REQUEST_CASES)
MIMI_STRUCT_DEFINE(mimi_pending_proposal, MIMI_PENDING_PROPOSAL_FIELDS)
MIMI_STRUCT_DEFINE(mimi_group_info_ratchet_tree_tbe, MIMI_GROUP_INFO_RATCHET_TREE_TBE_FIELDS)
MIMI_STRUCT_DEFINE(mimi_group_info_response_tbs_mls, MIMI_GROUP_INFO_RESPONSE_TBS_MLS_FIELDS)
MIMI_VARIANT_DEFINE(mimi_group_info_response_tbs, U8, version, MIMI_GROUP_INFO_RESPONSE_TBS_CASES)
MIMI_STRUCT_DEFINE(mimi_group_info_response_success, MIMI_GROUP_INFO_RESPONSE_SUCCESS_FIELDS)
MIMI_STRUCT_DEFINE(mimi_group_info_response_mls, MIMI_GROUP_INFO_RESPONSE_MLS_FIELDS)
MIMI_VARIANT_DEFINE(mimi_group_info_response, U8, version, MIMI_GROUP_INFO_RESPONSE_CASES)

MIMI_STRUCT_DEFINE(mimi_consent_entry, MIMI_CONSENT_ENTRY_FIELDS)
MIMI_STRUCT_DEFINE(mimi_consent_scope, MIMI_CONSENT_SCOPE_FIELDS)

MIMI_VARIANT_DEFINE(mimi_search_type, U8, search_type, MIMI_SEARCH_TYPE_CASES)
MIMI_STRUCT_DEFINE(mimi_query_element, MIMI_QUERY_ELEMENT_FIELDS)
MIMI_STRUCT_DEFINE(mimi_identifier_request, MIMI_IDENTIFIER_REQUEST_FIELDS)
MIMI_STRUCT_DEFINE(mimi_profile_field, MIMI_PROFILE_FIELD_FIELDS)
MIMI_STRUCT_DEFINE(mimi_user_profile, MIMI_USER_PROFILE_FIELDS)
MIMI_STRUCT_DEFINE(mimi_identifier_response, MIMI_IDENTIFIER_RESPONSE_FIELDS)

MIMI_STRUCT_DEFINE(mimi_abusive_message, MIMI_ABUSIVE_MESSAGE_FIELDS)
MIMI_STRUCT_DEFINE(mimi_abuse_report, MIMI_ABUSE_REPORT_FIELDS)

MIMI_STRUCT_DEFINE(mimi_pseudonymous_credential, MIMI_PSEUDONYMOUS_CREDENTIAL_FIELDS)
MIMI_STRUCT_DEFINE(mimi_pseudonymous_credential_tbs, MIMI_PSEUDONYMOUS_CREDENTIAL_TBS_FIELDS)
MIMI_STRUCT_DEFINE(mimi_identity_link_tbe, MIMI_IDENTITY_LINK_TBE_FIELDS)
