/*
 * mimi/mls_messages.h — the RFC 9420 wire structs, each declared once
 * (see the declaration machinery in mimi/base.h), plus the pieces of the MLS
 * extensions draft (draft-ietf-mls-extensions) MIMI uses. Included by
 * mimi/mls.h. Section numbers refer to RFC 9420 unless marked "ext".
 *
 * Naming: every RFC struct Foo is `mls_foo`; a `select` whose tag is the
 * field just before it becomes a variant member (e.g. FramedContent's
 * content_type + select is `body`, with `body.content_type`).
 *
 * Selects on a field of an *outer* struct cannot live in the inner struct's
 * declaration, because a COND predicate only sees its own struct. So
 * FramedContentAuthData is not a type of its own: its two fields are spliced
 * (MLS_FRAMED_CONTENT_AUTH_DATA_FIELDS) into every struct that carries it,
 * next to the FramedContent that decides whether confirmation_tag is there.
 * PrivateMessageContent, whose select is on PrivateMessage.content_type and
 * which ends in unbounded padding, is handled by the framing code with
 * mimi_encode_variant_body / mimi_decode_variant_body.
 */
#ifndef MIMI_MLS_MESSAGES_H
#define MIMI_MLS_MESSAGES_H

#include "mimi/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ======================================================================== */
/* Code points (§17 IANA registries; ext = draft-ietf-mls-extensions).       */

enum { MLS_VERSION_MLS10 = 1 }; /* §6 ProtocolVersion */

enum { /* §6 ContentType */
  MLS_CONTENT_APPLICATION = 1,
  MLS_CONTENT_PROPOSAL = 2,
  MLS_CONTENT_COMMIT = 3
};

enum { /* §6 SenderType */
  MLS_SENDER_MEMBER = 1,
  MLS_SENDER_EXTERNAL = 2,
  MLS_SENDER_NEW_MEMBER_PROPOSAL = 3,
  MLS_SENDER_NEW_MEMBER_COMMIT = 4
};

enum { /* §17.2 WireFormat */
  MLS_WIRE_PUBLIC_MESSAGE = 1,
  MLS_WIRE_PRIVATE_MESSAGE = 2,
  MLS_WIRE_WELCOME = 3,
  MLS_WIRE_GROUP_INFO = 4,
  MLS_WIRE_KEY_PACKAGE = 5
};

enum { /* §17.3 ExtensionType; 6-8 from ext §IANA (suggested values) */
  MLS_EXT_APPLICATION_ID = 1,
  MLS_EXT_RATCHET_TREE = 2,
  MLS_EXT_REQUIRED_CAPABILITIES = 3,
  MLS_EXT_EXTERNAL_PUB = 4,
  MLS_EXT_EXTERNAL_SENDERS = 5,
  MLS_EXT_APP_DATA_DICTIONARY = 6,
  MLS_EXT_SUPPORTED_WIRE_FORMATS = 7,
  MLS_EXT_REQUIRED_WIRE_FORMATS = 8
};

enum { /* §17.4 ProposalType; 8-10 from ext §IANA (suggested values) */
  MLS_PROPOSAL_ADD = 1,
  MLS_PROPOSAL_UPDATE = 2,
  MLS_PROPOSAL_REMOVE = 3,
  MLS_PROPOSAL_PSK = 4,
  MLS_PROPOSAL_REINIT = 5,
  MLS_PROPOSAL_EXTERNAL_INIT = 6,
  MLS_PROPOSAL_GROUP_CONTEXT_EXTENSIONS = 7,
  MLS_PROPOSAL_APP_DATA_UPDATE = 8,
  MLS_PROPOSAL_APP_EPHEMERAL = 9,
  MLS_PROPOSAL_SELF_REMOVE = 10
};

enum { /* §17.5 CredentialType */
  MLS_CREDENTIAL_BASIC = 1,
  MLS_CREDENTIAL_X509 = 2
};

enum { /* §7.2 LeafNodeSource */
  MLS_LEAF_SOURCE_KEY_PACKAGE = 1,
  MLS_LEAF_SOURCE_UPDATE = 2,
  MLS_LEAF_SOURCE_COMMIT = 3
};

enum { MLS_NODE_LEAF = 1, MLS_NODE_PARENT = 2 }; /* §7.8 NodeType */

enum { MLS_PROPOSAL_OR_REF_PROPOSAL = 1, MLS_PROPOSAL_OR_REF_REFERENCE = 2 }; /* §12.4 */

/* §8.4 PSKType / ResumptionPSKUsage; application(3) from ext §PSKs */
enum { MLS_PSK_EXTERNAL = 1, MLS_PSK_RESUMPTION = 2, MLS_PSK_APPLICATION = 3 };
enum { MLS_RESUMPTION_APPLICATION = 1, MLS_RESUMPTION_REINIT = 2, MLS_RESUMPTION_BRANCH = 3 };

enum { MLS_APP_DATA_UPDATE_OP_UPDATE = 1, MLS_APP_DATA_UPDATE_OP_REMOVE = 2 }; /* ext */

enum { /* ext §IANA "MLS Component Types" */
  MLS_COMPONENT_APP_COMPONENTS = 1,
  MLS_COMPONENT_SAFE_AAD = 2,
  MLS_COMPONENT_CONTENT_MEDIA_TYPES = 3,
  MLS_COMPONENT_LAST_RESORT_KEY_PACKAGE = 4,
  MLS_COMPONENT_APP_ACK = 5
};

/* ======================================================================== */
/* §5 Cryptographic objects: inputs to labelled operations.                  */

/* §5.1.2 SignWithLabel input */
#define MLS_SIGN_CONTENT_FIELDS(F) F##_OPAQUE(label) F##_OPAQUE(content)
MIMI_STRUCT_DECLARE(mls_sign_content, MLS_SIGN_CONTENT_FIELDS)

/* §5.1.3 EncryptWithLabel context */
#define MLS_ENCRYPT_CONTEXT_FIELDS(F) F##_OPAQUE(label) F##_OPAQUE(context)
MIMI_STRUCT_DECLARE(mls_encrypt_context, MLS_ENCRYPT_CONTEXT_FIELDS)

/* §5.2 RefHash input */
#define MLS_REF_HASH_INPUT_FIELDS(F) F##_OPAQUE(label) F##_OPAQUE(value)
MIMI_STRUCT_DECLARE(mls_ref_hash_input, MLS_REF_HASH_INPUT_FIELDS)

/* §8 ExpandWithLabel input */
#define MLS_KDF_LABEL_FIELDS(F) F##_U16(length) F##_OPAQUE(label) F##_OPAQUE(context)
MIMI_STRUCT_DECLARE(mls_kdf_label, MLS_KDF_LABEL_FIELDS)

/* §7.6 */
#define MLS_HPKE_CIPHERTEXT_FIELDS(F) F##_OPAQUE(kem_output) F##_OPAQUE(ciphertext)
MIMI_STRUCT_DECLARE(mls_hpke_ciphertext, MLS_HPKE_CIPHERTEXT_FIELDS)

/* ======================================================================== */
/* §5.3 Credentials                                                          */

#define MLS_CERTIFICATE_FIELDS(F) F##_OPAQUE(cert_data)
MIMI_STRUCT_DECLARE(mls_certificate, MLS_CERTIFICATE_FIELDS)

/* the x509 case body: Certificate certificates<V> */
#define MLS_X509_CHAIN_FIELDS(F) F##_VEC(mls_certificate, certificates)
MIMI_STRUCT_DECLARE(mls_x509_chain, MLS_X509_CHAIN_FIELDS)

#define MLS_CREDENTIAL_CASES(C)                   \
  C(MLS_CREDENTIAL_BASIC, mimi_bytes, identity)    \
  C(MLS_CREDENTIAL_X509, mls_x509_chain, x509)
MIMI_VARIANT_DECLARE(mls_credential, U16, credential_type, MLS_CREDENTIAL_CASES)

/* ======================================================================== */
/* §13.4 Extensions                                                          */

#define MLS_EXTENSION_FIELDS(F) F##_U16(extension_type) F##_OPAQUE(extension_data)
MIMI_STRUCT_DECLARE(mls_extension, MLS_EXTENSION_FIELDS)

/* ======================================================================== */
/* §7.2 Leaf nodes                                                           */

#define MLS_CAPABILITIES_FIELDS(F) \
  F##_VEC(mimi_u16, versions)      \
  F##_VEC(mimi_u16, cipher_suites) \
  F##_VEC(mimi_u16, extensions)    \
  F##_VEC(mimi_u16, proposals)     \
  F##_VEC(mimi_u16, credentials)
MIMI_STRUCT_DECLARE(mls_capabilities, MLS_CAPABILITIES_FIELDS)

#define MLS_LIFETIME_FIELDS(F) F##_U64(not_before) F##_U64(not_after)
MIMI_STRUCT_DECLARE(mls_lifetime, MLS_LIFETIME_FIELDS)

#define MLS_LEAF_NODE_SOURCE_CASES(C)                       \
  C(MLS_LEAF_SOURCE_KEY_PACKAGE, mls_lifetime, lifetime)     \
  C(MLS_LEAF_SOURCE_UPDATE, mimi_empty, update)              \
  C(MLS_LEAF_SOURCE_COMMIT, mimi_bytes, parent_hash)
MIMI_VARIANT_DECLARE(mls_leaf_node_source, U8, leaf_node_source, MLS_LEAF_NODE_SOURCE_CASES)

/* The fields LeafNode and LeafNodeTBS share, in wire order. */
#define MLS_LEAF_NODE_CONTENT_FIELDS_(F)        \
  F##_OPAQUE(encryption_key)                    \
  F##_OPAQUE(signature_key)                     \
  F##_STRUCT(mls_credential, credential)        \
  F##_STRUCT(mls_capabilities, capabilities)    \
  F##_STRUCT(mls_leaf_node_source, source)      \
  F##_VEC(mls_extension, extensions)

#define MLS_LEAF_NODE_FIELDS(F) MLS_LEAF_NODE_CONTENT_FIELDS_(F) F##_OPAQUE(signature)
MIMI_STRUCT_DECLARE(mls_leaf_node, MLS_LEAF_NODE_FIELDS)

/* LeafNodeTBS's trailing select: group_id and leaf_index for update/commit */
#define MLS_LEAF_NODE_TBS_GROUP_FIELDS(F) F##_OPAQUE(group_id) F##_U32(leaf_index)
MIMI_STRUCT_DECLARE(mls_leaf_node_tbs_group, MLS_LEAF_NODE_TBS_GROUP_FIELDS)

#define MLS_LEAF_NODE_TBS_FIELDS(F) \
  MLS_LEAF_NODE_CONTENT_FIELDS_(F)  \
  F##_COND(mls_leaf_node_tbs_group, group, mls_leaf_node_tbs_has_group)
MIMI_STRUCT_DECLARE(mls_leaf_node_tbs, MLS_LEAF_NODE_TBS_FIELDS)

/* ======================================================================== */
/* §10 Key packages                                                          */

#define MLS_KEY_PACKAGE_CONTENT_FIELDS_(F)  \
  F##_U16(version)                          \
  F##_U16(cipher_suite)                     \
  F##_OPAQUE(init_key)                      \
  F##_STRUCT(mls_leaf_node, leaf_node)      \
  F##_VEC(mls_extension, extensions)

#define MLS_KEY_PACKAGE_FIELDS(F) MLS_KEY_PACKAGE_CONTENT_FIELDS_(F) F##_OPAQUE(signature)
MIMI_STRUCT_DECLARE(mls_key_package, MLS_KEY_PACKAGE_FIELDS)

#define MLS_KEY_PACKAGE_TBS_FIELDS(F) MLS_KEY_PACKAGE_CONTENT_FIELDS_(F)
MIMI_STRUCT_DECLARE(mls_key_package_tbs, MLS_KEY_PACKAGE_TBS_FIELDS)

/* ======================================================================== */
/* §7.1, §7.8, §12.4.3.3 Ratchet tree                                        */

#define MLS_PARENT_NODE_FIELDS(F) \
  F##_OPAQUE(encryption_key)      \
  F##_OPAQUE(parent_hash)         \
  F##_VEC(mimi_u32, unmerged_leaves)
MIMI_STRUCT_DECLARE(mls_parent_node, MLS_PARENT_NODE_FIELDS)

#define MLS_NODE_CASES(C)                         \
  C(MLS_NODE_LEAF, mls_leaf_node, leaf_node)       \
  C(MLS_NODE_PARENT, mls_parent_node, parent_node)
MIMI_VARIANT_DECLARE(mls_node, U8, node_type, MLS_NODE_CASES)

/* optional<Node>: one element of a ratchet tree; node == NULL is blank */
#define MLS_OPTIONAL_NODE_FIELDS(F) F##_OPT(mls_node, node)
MIMI_STRUCT_DECLARE(mls_optional_node, MLS_OPTIONAL_NODE_FIELDS)

/* §12.4.3.3 optional<Node> ratchet_tree<V> (also the extension payload) */
#define MLS_RATCHET_TREE_FIELDS(F) F##_VEC(mls_optional_node, nodes)
MIMI_STRUCT_DECLARE(mls_ratchet_tree, MLS_RATCHET_TREE_FIELDS)

/* §7.6 */
#define MLS_UPDATE_PATH_NODE_FIELDS(F) \
  F##_OPAQUE(encryption_key)           \
  F##_VEC(mls_hpke_ciphertext, encrypted_path_secret)
MIMI_STRUCT_DECLARE(mls_update_path_node, MLS_UPDATE_PATH_NODE_FIELDS)

#define MLS_UPDATE_PATH_FIELDS(F) \
  F##_STRUCT(mls_leaf_node, leaf_node) \
  F##_VEC(mls_update_path_node, nodes)
MIMI_STRUCT_DECLARE(mls_update_path, MLS_UPDATE_PATH_FIELDS)

/* §7.8 tree hash inputs */
#define MLS_LEAF_NODE_HASH_INPUT_FIELDS(F) F##_U32(leaf_index) F##_OPT(mls_leaf_node, leaf_node)
MIMI_STRUCT_DECLARE(mls_leaf_node_hash_input, MLS_LEAF_NODE_HASH_INPUT_FIELDS)

#define MLS_PARENT_NODE_HASH_INPUT_FIELDS(F) \
  F##_OPT(mls_parent_node, parent_node)      \
  F##_OPAQUE(left_hash)                      \
  F##_OPAQUE(right_hash)
MIMI_STRUCT_DECLARE(mls_parent_node_hash_input, MLS_PARENT_NODE_HASH_INPUT_FIELDS)

#define MLS_TREE_HASH_INPUT_CASES(C)                          \
  C(MLS_NODE_LEAF, mls_leaf_node_hash_input, leaf_node)        \
  C(MLS_NODE_PARENT, mls_parent_node_hash_input, parent_node)
MIMI_VARIANT_DECLARE(mls_tree_hash_input, U8, node_type, MLS_TREE_HASH_INPUT_CASES)

/* §7.9 */
#define MLS_PARENT_HASH_INPUT_FIELDS(F) \
  F##_OPAQUE(encryption_key)            \
  F##_OPAQUE(parent_hash)               \
  F##_OPAQUE(original_sibling_tree_hash)
MIMI_STRUCT_DECLARE(mls_parent_hash_input, MLS_PARENT_HASH_INPUT_FIELDS)

/* ======================================================================== */
/* §8 Key schedule                                                           */

/* §8.1 */
#define MLS_GROUP_CONTEXT_FIELDS(F) \
  F##_U16(version)                  \
  F##_U16(cipher_suite)             \
  F##_OPAQUE(group_id)              \
  F##_U64(epoch)                    \
  F##_OPAQUE(tree_hash)             \
  F##_OPAQUE(confirmed_transcript_hash) \
  F##_VEC(mls_extension, extensions)
MIMI_STRUCT_DECLARE(mls_group_context, MLS_GROUP_CONTEXT_FIELDS)

/* §8.4 PreSharedKeyID */
#define MLS_EXTERNAL_PSK_FIELDS(F) F##_OPAQUE(psk_id)
MIMI_STRUCT_DECLARE(mls_external_psk, MLS_EXTERNAL_PSK_FIELDS)

#define MLS_RESUMPTION_PSK_FIELDS(F) F##_U8(usage) F##_OPAQUE(psk_group_id) F##_U64(psk_epoch)
MIMI_STRUCT_DECLARE(mls_resumption_psk, MLS_RESUMPTION_PSK_FIELDS)

/* ext §PSKs: a component's own PSK */
#define MLS_APPLICATION_PSK_FIELDS(F) F##_U16(component_id) F##_OPAQUE(psk_id)
MIMI_STRUCT_DECLARE(mls_application_psk, MLS_APPLICATION_PSK_FIELDS)

#define MLS_PSK_SOURCE_CASES(C)                        \
  C(MLS_PSK_EXTERNAL, mls_external_psk, external)       \
  C(MLS_PSK_RESUMPTION, mls_resumption_psk, resumption) \
  C(MLS_PSK_APPLICATION, mls_application_psk, application)
MIMI_VARIANT_DECLARE(mls_psk_source, U8, psktype, MLS_PSK_SOURCE_CASES)

#define MLS_PRE_SHARED_KEY_ID_FIELDS(F) F##_STRUCT(mls_psk_source, source) F##_OPAQUE(psk_nonce)
MIMI_STRUCT_DECLARE(mls_pre_shared_key_id, MLS_PRE_SHARED_KEY_ID_FIELDS)

/* §8.4 */
#define MLS_PSK_LABEL_FIELDS(F) F##_STRUCT(mls_pre_shared_key_id, id) F##_U16(index) F##_U16(count)
MIMI_STRUCT_DECLARE(mls_psk_label, MLS_PSK_LABEL_FIELDS)

/* ======================================================================== */
/* §12.1 Proposals (and ext §AppDataUpdate, §AppEphemeral, §SelfRemove)      */

#define MLS_ADD_FIELDS(F) F##_STRUCT(mls_key_package, key_package)
MIMI_STRUCT_DECLARE(mls_add, MLS_ADD_FIELDS)

#define MLS_UPDATE_FIELDS(F) F##_STRUCT(mls_leaf_node, leaf_node)
MIMI_STRUCT_DECLARE(mls_update, MLS_UPDATE_FIELDS)

#define MLS_REMOVE_FIELDS(F) F##_U32(removed)
MIMI_STRUCT_DECLARE(mls_remove, MLS_REMOVE_FIELDS)

#define MLS_PRE_SHARED_KEY_FIELDS(F) F##_STRUCT(mls_pre_shared_key_id, psk)
MIMI_STRUCT_DECLARE(mls_pre_shared_key, MLS_PRE_SHARED_KEY_FIELDS)

#define MLS_REINIT_FIELDS(F) \
  F##_OPAQUE(group_id)       \
  F##_U16(version)           \
  F##_U16(cipher_suite)      \
  F##_VEC(mls_extension, extensions)
MIMI_STRUCT_DECLARE(mls_reinit, MLS_REINIT_FIELDS)

#define MLS_EXTERNAL_INIT_FIELDS(F) F##_OPAQUE(kem_output)
MIMI_STRUCT_DECLARE(mls_external_init, MLS_EXTERNAL_INIT_FIELDS)

#define MLS_GROUP_CONTEXT_EXTENSIONS_FIELDS(F) F##_VEC(mls_extension, extensions)
MIMI_STRUCT_DECLARE(mls_group_context_extensions, MLS_GROUP_CONTEXT_EXTENSIONS_FIELDS)

/* ext §AppDataUpdate: op + select(op) */
#define MLS_APP_DATA_UPDATE_OP_CASES(C)                  \
  C(MLS_APP_DATA_UPDATE_OP_UPDATE, mimi_bytes, update)    \
  C(MLS_APP_DATA_UPDATE_OP_REMOVE, mimi_empty, remove)
MIMI_VARIANT_DECLARE(mls_app_data_update_op, U8, op, MLS_APP_DATA_UPDATE_OP_CASES)

#define MLS_APP_DATA_UPDATE_FIELDS(F) F##_U16(component_id) F##_STRUCT(mls_app_data_update_op, op)
MIMI_STRUCT_DECLARE(mls_app_data_update, MLS_APP_DATA_UPDATE_FIELDS)

/* ext §AppEphemeral */
#define MLS_APP_EPHEMERAL_FIELDS(F) F##_U16(component_id) F##_OPAQUE(data)
MIMI_STRUCT_DECLARE(mls_app_ephemeral, MLS_APP_EPHEMERAL_FIELDS)

/* SelfRemove is `struct {}`: the self_remove case body is mimi_empty. */
#define MLS_PROPOSAL_CASES(C)                                                        \
  C(MLS_PROPOSAL_ADD, mls_add, add)                                                   \
  C(MLS_PROPOSAL_UPDATE, mls_update, update)                                          \
  C(MLS_PROPOSAL_REMOVE, mls_remove, remove)                                          \
  C(MLS_PROPOSAL_PSK, mls_pre_shared_key, psk)                                        \
  C(MLS_PROPOSAL_REINIT, mls_reinit, reinit)                                          \
  C(MLS_PROPOSAL_EXTERNAL_INIT, mls_external_init, external_init)                     \
  C(MLS_PROPOSAL_GROUP_CONTEXT_EXTENSIONS, mls_group_context_extensions, group_context_extensions) \
  C(MLS_PROPOSAL_APP_DATA_UPDATE, mls_app_data_update, app_data_update)               \
  C(MLS_PROPOSAL_APP_EPHEMERAL, mls_app_ephemeral, app_ephemeral)                     \
  C(MLS_PROPOSAL_SELF_REMOVE, mimi_empty, self_remove)
MIMI_VARIANT_DECLARE(mls_proposal, U16, proposal_type, MLS_PROPOSAL_CASES)

/* §12.4 Commit; a ProposalRef is an opaque<V> HashReference */
#define MLS_PROPOSAL_OR_REF_CASES(C)                      \
  C(MLS_PROPOSAL_OR_REF_PROPOSAL, mls_proposal, proposal)  \
  C(MLS_PROPOSAL_OR_REF_REFERENCE, mimi_bytes, reference)
MIMI_VARIANT_DECLARE(mls_proposal_or_ref, U8, type, MLS_PROPOSAL_OR_REF_CASES)

#define MLS_COMMIT_FIELDS(F) \
  F##_VEC(mls_proposal_or_ref, proposals) \
  F##_OPT(mls_update_path, path)
MIMI_STRUCT_DECLARE(mls_commit, MLS_COMMIT_FIELDS)

/* ======================================================================== */
/* §6 Message framing                                                        */

#define MLS_SENDER_CASES(C)                                  \
  C(MLS_SENDER_MEMBER, mimi_u32, leaf_index)                 \
  C(MLS_SENDER_EXTERNAL, mimi_u32, sender_index)             \
  C(MLS_SENDER_NEW_MEMBER_PROPOSAL, mimi_empty, new_member_proposal) \
  C(MLS_SENDER_NEW_MEMBER_COMMIT, mimi_empty, new_member_commit)
MIMI_VARIANT_DECLARE(mls_sender, U8, sender_type, MLS_SENDER_CASES)

/* FramedContent's content_type + select */
#define MLS_CONTENT_CASES(C)                                  \
  C(MLS_CONTENT_APPLICATION, mimi_bytes, application_data)    \
  C(MLS_CONTENT_PROPOSAL, mls_proposal, proposal)             \
  C(MLS_CONTENT_COMMIT, mls_commit, commit)
MIMI_VARIANT_DECLARE(mls_content, U8, content_type, MLS_CONTENT_CASES)

#define MLS_FRAMED_CONTENT_FIELDS(F) \
  F##_OPAQUE(group_id)               \
  F##_U64(epoch)                     \
  F##_STRUCT(mls_sender, sender)     \
  F##_OPAQUE(authenticated_data)     \
  F##_STRUCT(mls_content, body)
MIMI_STRUCT_DECLARE(mls_framed_content, MLS_FRAMED_CONTENT_FIELDS)

/* §6.1 FramedContentAuthData, spliced into its carrier (see top of file):
 * confirmation_tag is on the wire iff is_commit(carrier). */
#define MLS_FRAMED_CONTENT_AUTH_DATA_FIELDS(F, is_commit) \
  F##_OPAQUE(signature)                                   \
  F##_COND(mimi_bytes, confirmation_tag, is_commit)

/* §6 AuthenticatedContent */
#define MLS_AUTHENTICATED_CONTENT_FIELDS(F)  \
  F##_U16(wire_format)                       \
  F##_STRUCT(mls_framed_content, content)    \
  MLS_FRAMED_CONTENT_AUTH_DATA_FIELDS(F, mls_authenticated_content_is_commit)
MIMI_STRUCT_DECLARE(mls_authenticated_content, MLS_AUTHENTICATED_CONTENT_FIELDS)

/* §6.1 FramedContentTBS; context present for member / new_member_commit */
#define MLS_FRAMED_CONTENT_TBS_FIELDS(F)  \
  F##_U16(version)                        \
  F##_U16(wire_format)                    \
  F##_STRUCT(mls_framed_content, content) \
  F##_COND(mls_group_context, context, mls_framed_content_tbs_has_context)
MIMI_STRUCT_DECLARE(mls_framed_content_tbs, MLS_FRAMED_CONTENT_TBS_FIELDS)

/* §6.2 */
#define MLS_PUBLIC_MESSAGE_FIELDS(F)                                      \
  F##_STRUCT(mls_framed_content, content)                                 \
  MLS_FRAMED_CONTENT_AUTH_DATA_FIELDS(F, mls_public_message_is_commit)    \
  F##_COND(mimi_bytes, membership_tag, mls_public_message_from_member)
MIMI_STRUCT_DECLARE(mls_public_message, MLS_PUBLIC_MESSAGE_FIELDS)

/* §6.2 MAC input for membership_tag */
#define MLS_AUTHENTICATED_CONTENT_TBM_FIELDS(F)       \
  F##_STRUCT(mls_framed_content_tbs, content_tbs)     \
  MLS_FRAMED_CONTENT_AUTH_DATA_FIELDS(F, mls_authenticated_content_tbm_is_commit)
MIMI_STRUCT_DECLARE(mls_authenticated_content_tbm, MLS_AUTHENTICATED_CONTENT_TBM_FIELDS)

/* §6.3 */
#define MLS_PRIVATE_MESSAGE_FIELDS(F) \
  F##_OPAQUE(group_id)                \
  F##_U64(epoch)                      \
  F##_U8(content_type)                \
  F##_OPAQUE(authenticated_data)      \
  F##_OPAQUE(encrypted_sender_data)   \
  F##_OPAQUE(ciphertext)
MIMI_STRUCT_DECLARE(mls_private_message, MLS_PRIVATE_MESSAGE_FIELDS)

/* §6.3.1 AAD of the content ciphertext */
#define MLS_PRIVATE_CONTENT_AAD_FIELDS(F) \
  F##_OPAQUE(group_id)                    \
  F##_U64(epoch)                          \
  F##_U8(content_type)                    \
  F##_OPAQUE(authenticated_data)
MIMI_STRUCT_DECLARE(mls_private_content_aad, MLS_PRIVATE_CONTENT_AAD_FIELDS)

/* §6.3.2 */
#define MLS_SENDER_DATA_FIELDS(F) F##_U32(leaf_index) F##_U32(generation) F##_FIXED(reuse_guard, 4)
MIMI_STRUCT_DECLARE(mls_sender_data, MLS_SENDER_DATA_FIELDS)

#define MLS_SENDER_DATA_AAD_FIELDS(F) F##_OPAQUE(group_id) F##_U64(epoch) F##_U8(content_type)
MIMI_STRUCT_DECLARE(mls_sender_data_aad, MLS_SENDER_DATA_AAD_FIELDS)

/* §8.2 transcript hash inputs */
#define MLS_CONFIRMED_TRANSCRIPT_HASH_INPUT_FIELDS(F) \
  F##_U16(wire_format)                                \
  F##_STRUCT(mls_framed_content, content)             \
  F##_OPAQUE(signature)
MIMI_STRUCT_DECLARE(mls_confirmed_transcript_hash_input, MLS_CONFIRMED_TRANSCRIPT_HASH_INPUT_FIELDS)

#define MLS_INTERIM_TRANSCRIPT_HASH_INPUT_FIELDS(F) F##_OPAQUE(confirmation_tag)
MIMI_STRUCT_DECLARE(mls_interim_transcript_hash_input, MLS_INTERIM_TRANSCRIPT_HASH_INPUT_FIELDS)

/* ======================================================================== */
/* §12.4.3 Joining: GroupInfo and Welcome                                    */

#define MLS_GROUP_INFO_CONTENT_FIELDS_(F)    \
  F##_STRUCT(mls_group_context, group_context) \
  F##_VEC(mls_extension, extensions)         \
  F##_OPAQUE(confirmation_tag)               \
  F##_U32(signer)

#define MLS_GROUP_INFO_FIELDS(F) MLS_GROUP_INFO_CONTENT_FIELDS_(F) F##_OPAQUE(signature)
MIMI_STRUCT_DECLARE(mls_group_info, MLS_GROUP_INFO_FIELDS)

#define MLS_GROUP_INFO_TBS_FIELDS(F) MLS_GROUP_INFO_CONTENT_FIELDS_(F)
MIMI_STRUCT_DECLARE(mls_group_info_tbs, MLS_GROUP_INFO_TBS_FIELDS)

#define MLS_PATH_SECRET_FIELDS(F) F##_OPAQUE(path_secret)
MIMI_STRUCT_DECLARE(mls_path_secret, MLS_PATH_SECRET_FIELDS)

#define MLS_GROUP_SECRETS_FIELDS(F)          \
  F##_OPAQUE(joiner_secret)                  \
  F##_OPT(mls_path_secret, path_secret)      \
  F##_VEC(mls_pre_shared_key_id, psks)
MIMI_STRUCT_DECLARE(mls_group_secrets, MLS_GROUP_SECRETS_FIELDS)

#define MLS_ENCRYPTED_GROUP_SECRETS_FIELDS(F) \
  F##_OPAQUE(new_member)                      \
  F##_STRUCT(mls_hpke_ciphertext, encrypted_group_secrets)
MIMI_STRUCT_DECLARE(mls_encrypted_group_secrets, MLS_ENCRYPTED_GROUP_SECRETS_FIELDS)

#define MLS_WELCOME_FIELDS(F)                      \
  F##_U16(cipher_suite)                            \
  F##_VEC(mls_encrypted_group_secrets, secrets)    \
  F##_OPAQUE(encrypted_group_info)
MIMI_STRUCT_DECLARE(mls_welcome, MLS_WELCOME_FIELDS)

/* ======================================================================== */
/* §6 MLSMessage                                                             */

#define MLS_MESSAGE_BODY_CASES(C)                                      \
  C(MLS_WIRE_PUBLIC_MESSAGE, mls_public_message, public_message)       \
  C(MLS_WIRE_PRIVATE_MESSAGE, mls_private_message, private_message)    \
  C(MLS_WIRE_WELCOME, mls_welcome, welcome)                            \
  C(MLS_WIRE_GROUP_INFO, mls_group_info, group_info)                   \
  C(MLS_WIRE_KEY_PACKAGE, mls_key_package, key_package)
MIMI_VARIANT_DECLARE(mls_message_body, U16, wire_format, MLS_MESSAGE_BODY_CASES)

#define MLS_MESSAGE_FIELDS(F) F##_U16(version) F##_STRUCT(mls_message_body, body)
MIMI_STRUCT_DECLARE(mls_message, MLS_MESSAGE_FIELDS)

/* ======================================================================== */
/* Extension payloads (§12.1.8.1, §12.4.3.1-2, §11.1, §5.3.3; ext)           */

/* §5.3.3 application_id */
#define MLS_APPLICATION_ID_FIELDS(F) F##_OPAQUE(application_id)
MIMI_STRUCT_DECLARE(mls_application_id, MLS_APPLICATION_ID_FIELDS)

/* §11.1 required_capabilities */
#define MLS_REQUIRED_CAPABILITIES_FIELDS(F) \
  F##_VEC(mimi_u16, extension_types)        \
  F##_VEC(mimi_u16, proposal_types)         \
  F##_VEC(mimi_u16, credential_types)
MIMI_STRUCT_DECLARE(mls_required_capabilities, MLS_REQUIRED_CAPABILITIES_FIELDS)

/* §12.4.3.2 external_pub */
#define MLS_EXTERNAL_PUB_FIELDS(F) F##_OPAQUE(external_pub)
MIMI_STRUCT_DECLARE(mls_external_pub, MLS_EXTERNAL_PUB_FIELDS)

/* §12.1.8.1 external_senders */
#define MLS_EXTERNAL_SENDER_FIELDS(F) \
  F##_OPAQUE(signature_key)           \
  F##_STRUCT(mls_credential, credential)
MIMI_STRUCT_DECLARE(mls_external_sender, MLS_EXTERNAL_SENDER_FIELDS)

#define MLS_EXTERNAL_SENDERS_FIELDS(F) F##_VEC(mls_external_sender, external_senders)
MIMI_STRUCT_DECLARE(mls_external_senders, MLS_EXTERNAL_SENDERS_FIELDS)

/* ratchet_tree: the payload is mls_ratchet_tree (above). */

/* ext §AppData: app_data_dictionary */
#define MLS_COMPONENT_DATA_FIELDS(F) F##_U16(component_id) F##_OPAQUE(data)
MIMI_STRUCT_DECLARE(mls_component_data, MLS_COMPONENT_DATA_FIELDS)

#define MLS_APP_DATA_DICTIONARY_FIELDS(F) F##_VEC(mls_component_data, component_data)
MIMI_STRUCT_DECLARE(mls_app_data_dictionary, MLS_APP_DATA_DICTIONARY_FIELDS)

/* ext §SafeAAD: the framing of authenticated_data when safe_aad is on */
#define MLS_SAFE_AAD_ITEM_FIELDS(F) F##_U16(component_id) F##_OPAQUE(aad_item_data)
MIMI_STRUCT_DECLARE(mls_safe_aad_item, MLS_SAFE_AAD_ITEM_FIELDS)

#define MLS_SAFE_AAD_FIELDS(F) F##_VEC(mls_safe_aad_item, aad_items)
MIMI_STRUCT_DECLARE(mls_safe_aad, MLS_SAFE_AAD_FIELDS)

/* ext §negotiation: safe_aad / app_components component payloads */
#define MLS_COMPONENTS_LIST_FIELDS(F) F##_VEC(mimi_u16, component_ids)
MIMI_STRUCT_DECLARE(mls_components_list, MLS_COMPONENTS_LIST_FIELDS)

/* ext §negotiation: supported_wire_formats / required_wire_formats */
#define MLS_WIRE_FORMATS_FIELDS(F) F##_VEC(mimi_u16, wire_formats)
MIMI_STRUCT_DECLARE(mls_wire_formats, MLS_WIRE_FORMATS_FIELDS)

/* ext §Component IDs: label of component-scoped operations */
#define MLS_COMPONENT_OPERATION_LABEL_FIELDS(F) \
  F##_OPAQUE(base_label)                        \
  F##_U16(component_id)                         \
  F##_OPAQUE(label)
MIMI_STRUCT_DECLARE(mls_component_operation_label, MLS_COMPONENT_OPERATION_LABEL_FIELDS)

#ifdef __cplusplus
}
#endif
#endif /* MIMI_MLS_MESSAGES_H */
