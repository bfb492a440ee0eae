/* messages.c — descriptor tables for the wire structs of mimi/mls_messages.h,
 * and the predicates of their selects on outer fields. */
#include "mimi/mls_messages.h"

/* ---- select predicates --------------------------------------------------- */

/* §7.2 LeafNodeTBS: group_id and leaf_index bind update and commit leaves to
 * their group position; key package leaves have no position yet. */
static bool mls_leaf_node_tbs_has_group(const void *p) {
  return ((const mls_leaf_node_tbs *)p)->source.leaf_node_source != MLS_LEAF_SOURCE_KEY_PACKAGE;
}

static bool is_commit_(const mls_framed_content *c) {
  return c->body.content_type == MLS_CONTENT_COMMIT;
}
static bool mls_authenticated_content_is_commit(const void *p) {
  return is_commit_(&((const mls_authenticated_content *)p)->content);
}
static bool mls_public_message_is_commit(const void *p) {
  return is_commit_(&((const mls_public_message *)p)->content);
}
static bool mls_authenticated_content_tbm_is_commit(const void *p) {
  return is_commit_(&((const mls_authenticated_content_tbm *)p)->content_tbs.content);
}

/* §6.1: member and new_member_commit signatures cover the GroupContext. */
static bool mls_framed_content_tbs_has_context(const void *p) {
  uint8_t t = ((const mls_framed_content_tbs *)p)->content.sender.sender_type;
  return t == MLS_SENDER_MEMBER || t == MLS_SENDER_NEW_MEMBER_COMMIT;
}

/* §6.2: only members hold the membership_key. */
static bool mls_public_message_from_member(const void *p) {
  return ((const mls_public_message *)p)->content.sender.sender_type == MLS_SENDER_MEMBER;
}

/* ---- §5 ------------------------------------------------------------------ */
MIMI_STRUCT_DEFINE(mls_sign_content, MLS_SIGN_CONTENT_FIELDS)
MIMI_STRUCT_DEFINE(mls_encrypt_context, MLS_ENCRYPT_CONTEXT_FIELDS)
MIMI_STRUCT_DEFINE(mls_ref_hash_input, MLS_REF_HASH_INPUT_FIELDS)
MIMI_STRUCT_DEFINE(mls_kdf_label, MLS_KDF_LABEL_FIELDS)
MIMI_STRUCT_DEFINE(mls_hpke_ciphertext, MLS_HPKE_CIPHERTEXT_FIELDS)
MIMI_STRUCT_DEFINE(mls_certificate, MLS_CERTIFICATE_FIELDS)
MIMI_STRUCT_DEFINE(mls_x509_chain, MLS_X509_CHAIN_FIELDS)
MIMI_VARIANT_DEFINE(mls_credential, U16, credential_type, MLS_CREDENTIAL_CASES)
MIMI_STRUCT_DEFINE(mls_extension, MLS_EXTENSION_FIELDS)

/* ---- §7 / §10 ------------------------------------------------------------ */
MIMI_STRUCT_DEFINE(mls_capabilities, MLS_CAPABILITIES_FIELDS)
MIMI_STRUCT_DEFINE(mls_lifetime, MLS_LIFETIME_FIELDS)
MIMI_VARIANT_DEFINE(mls_leaf_node_source, U8, leaf_node_source, MLS_LEAF_NODE_SOURCE_CASES)
MIMI_STRUCT_DEFINE(mls_leaf_node, MLS_LEAF_NODE_FIELDS)
MIMI_STRUCT_DEFINE(mls_leaf_node_tbs_group, MLS_LEAF_NODE_TBS_GROUP_FIELDS)
MIMI_STRUCT_DEFINE(mls_leaf_node_tbs, MLS_LEAF_NODE_TBS_FIELDS)
MIMI_STRUCT_DEFINE(mls_key_package, MLS_KEY_PACKAGE_FIELDS)
MIMI_STRUCT_DEFINE(mls_key_package_tbs, MLS_KEY_PACKAGE_TBS_FIELDS)
MIMI_STRUCT_DEFINE(mls_parent_node, MLS_PARENT_NODE_FIELDS)
MIMI_VARIANT_DEFINE(mls_node, U8, node_type, MLS_NODE_CASES)
MIMI_STRUCT_DEFINE(mls_optional_node, MLS_OPTIONAL_NODE_FIELDS)
MIMI_STRUCT_DEFINE(mls_ratchet_tree, MLS_RATCHET_TREE_FIELDS)
MIMI_STRUCT_DEFINE(mls_update_path_node, MLS_UPDATE_PATH_NODE_FIELDS)
MIMI_STRUCT_DEFINE(mls_update_path, MLS_UPDATE_PATH_FIELDS)
MIMI_STRUCT_DEFINE(mls_leaf_node_hash_input, MLS_LEAF_NODE_HASH_INPUT_FIELDS)
MIMI_STRUCT_DEFINE(mls_parent_node_hash_input, MLS_PARENT_NODE_HASH_INPUT_FIELDS)
MIMI_VARIANT_DEFINE(mls_tree_hash_input, U8, node_type, MLS_TREE_HASH_INPUT_CASES)
MIMI_STRUCT_DEFINE(mls_parent_hash_input, MLS_PARENT_HASH_INPUT_FIELDS)

/* ---- §8 ------------------------------------------------------------------ */
MIMI_STRUCT_DEFINE(mls_group_context, MLS_GROUP_CONTEXT_FIELDS)
MIMI_STRUCT_DEFINE(mls_external_psk, MLS_EXTERNAL_PSK_FIELDS)
MIMI_STRUCT_DEFINE(mls_resumption_psk, MLS_RESUMPTION_PSK_FIELDS)
MIMI_STRUCT_DEFINE(mls_application_psk, MLS_APPLICATION_PSK_FIELDS)
MIMI_VARIANT_DEFINE(mls_psk_source, U8, psktype, MLS_PSK_SOURCE_CASES)
MIMI_STRUCT_DEFINE(mls_pre_shared_key_id, MLS_PRE_SHARED_KEY_ID_FIELDS)
MIMI_STRUCT_DEFINE(mls_psk_label, MLS_PSK_LABEL_FIELDS)

/* ---- §12.1 / §12.4 ------------------------------------------------------- */
MIMI_STRUCT_DEFINE(mls_add, MLS_ADD_FIELDS)
MIMI_STRUCT_DEFINE(mls_update, MLS_UPDATE_FIELDS)
MIMI_STRUCT_DEFINE(mls_remove, MLS_REMOVE_FIELDS)
MIMI_STRUCT_DEFINE(mls_pre_shared_key, MLS_PRE_SHARED_KEY_FIELDS)
MIMI_STRUCT_DEFINE(mls_reinit, MLS_REINIT_FIELDS)
MIMI_STRUCT_DEFINE(mls_external_init, MLS_EXTERNAL_INIT_FIELDS)
MIMI_STRUCT_DEFINE(mls_group_context_extensions, MLS_GROUP_CONTEXT_EXTENSIONS_FIELDS)
MIMI_VARIANT_DEFINE(mls_app_data_update_op, U8, op, MLS_APP_DATA_UPDATE_OP_CASES)
MIMI_STRUCT_DEFINE(mls_app_data_update, MLS_APP_DATA_UPDATE_FIELDS)
MIMI_STRUCT_DEFINE(mls_app_ephemeral, MLS_APP_EPHEMERAL_FIELDS)
MIMI_VARIANT_DEFINE(mls_proposal, U16, proposal_type, MLS_PROPOSAL_CASES)
MIMI_VARIANT_DEFINE(mls_proposal_or_ref, U8, type, MLS_PROPOSAL_OR_REF_CASES)
MIMI_STRUCT_DEFINE(mls_commit, MLS_COMMIT_FIELDS)

/* ---- §6 ------------------------------------------------------------------ */
MIMI_VARIANT_DEFINE(mls_sender, U8, sender_type, MLS_SENDER_CASES)
MIMI_VARIANT_DEFINE(mls_content, U8, content_type, MLS_CONTENT_CASES)
MIMI_STRUCT_DEFINE(mls_framed_content, MLS_FRAMED_CONTENT_FIELDS)
MIMI_STRUCT_DEFINE(mls_authenticated_content, MLS_AUTHENTICATED_CONTENT_FIELDS)
MIMI_STRUCT_DEFINE(mls_framed_content_tbs, MLS_FRAMED_CONTENT_TBS_FIELDS)
MIMI_STRUCT_DEFINE(mls_public_message, MLS_PUBLIC_MESSAGE_FIELDS)
MIMI_STRUCT_DEFINE(mls_authenticated_content_tbm, MLS_AUTHENTICATED_CONTENT_TBM_FIELDS)
MIMI_STRUCT_DEFINE(mls_private_message, MLS_PRIVATE_MESSAGE_FIELDS)
MIMI_STRUCT_DEFINE(mls_private_content_aad, MLS_PRIVATE_CONTENT_AAD_FIELDS)
MIMI_STRUCT_DEFINE(mls_sender_data, MLS_SENDER_DATA_FIELDS)
MIMI_STRUCT_DEFINE(mls_sender_data_aad, MLS_SENDER_DATA_AAD_FIELDS)
MIMI_STRUCT_DEFINE(mls_confirmed_transcript_hash_input, MLS_CONFIRMED_TRANSCRIPT_HASH_INPUT_FIELDS)
MIMI_STRUCT_DEFINE(mls_interim_transcript_hash_input, MLS_INTERIM_TRANSCRIPT_HASH_INPUT_FIELDS)

/* ---- §12.4.3 ------------------------------------------------------------- */
MIMI_STRUCT_DEFINE(mls_group_info, MLS_GROUP_INFO_FIELDS)
MIMI_STRUCT_DEFINE(mls_group_info_tbs, MLS_GROUP_INFO_TBS_FIELDS)
MIMI_STRUCT_DEFINE(mls_path_secret, MLS_PATH_SECRET_FIELDS)
MIMI_STRUCT_DEFINE(mls_group_secrets, MLS_GROUP_SECRETS_FIELDS)
MIMI_STRUCT_DEFINE(mls_encrypted_group_secrets, MLS_ENCRYPTED_GROUP_SECRETS_FIELDS)
MIMI_STRUCT_DEFINE(mls_welcome, MLS_WELCOME_FIELDS)
MIMI_VARIANT_DEFINE(mls_message_body, U16, wire_format, MLS_MESSAGE_BODY_CASES)
MIMI_STRUCT_DEFINE(mls_message, MLS_MESSAGE_FIELDS)

/* ---- extension payloads -------------------------------------------------- */
MIMI_STRUCT_DEFINE(mls_application_id, MLS_APPLICATION_ID_FIELDS)
MIMI_STRUCT_DEFINE(mls_required_capabilities, MLS_REQUIRED_CAPABILITIES_FIELDS)
MIMI_STRUCT_DEFINE(mls_external_pub, MLS_EXTERNAL_PUB_FIELDS)
MIMI_STRUCT_DEFINE(mls_external_sender, MLS_EXTERNAL_SENDER_FIELDS)
MIMI_STRUCT_DEFINE(mls_external_senders, MLS_EXTERNAL_SENDERS_FIELDS)
MIMI_STRUCT_DEFINE(mls_component_data, MLS_COMPONENT_DATA_FIELDS)
MIMI_STRUCT_DEFINE(mls_app_data_dictionary, MLS_APP_DATA_DICTIONARY_FIELDS)
MIMI_STRUCT_DEFINE(mls_safe_aad_item, MLS_SAFE_AAD_ITEM_FIELDS)
MIMI_STRUCT_DEFINE(mls_safe_aad, MLS_SAFE_AAD_FIELDS)
MIMI_STRUCT_DEFINE(mls_components_list, MLS_COMPONENTS_LIST_FIELDS)
MIMI_STRUCT_DEFINE(mls_wire_formats, MLS_WIRE_FORMATS_FIELDS)
MIMI_STRUCT_DEFINE(mls_component_operation_label, MLS_COMPONENT_OPERATION_LABEL_FIELDS)
