/*
 * mimi/mls_messages.h — the RFC 9420 wire structs, each declared once
 * (see the declaration machinery in mimi/base.h). Included by mimi/mls.h.
 * Section numbers refer to RFC 9420.
 */
#ifndef MIMI_MLS_MESSAGES_H
#define MIMI_MLS_MESSAGES_H

#include "mimi/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* §13.4 struct { ExtensionType extension_type; opaque extension_data<V>; } */
#define MLS_EXTENSION_FIELDS(F) F##_U16(extension_type) F##_OPAQUE(extension_data)
MIMI_STRUCT_DECLARE(mls_extension, MLS_EXTENSION_FIELDS)

/* §8.1 GroupContext */
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
enum { MLS_PSK_EXTERNAL = 1, MLS_PSK_RESUMPTION = 2 };
enum { MLS_RESUMPTION_APPLICATION = 1, MLS_RESUMPTION_REINIT = 2, MLS_RESUMPTION_BRANCH = 3 };

#define MLS_EXTERNAL_PSK_FIELDS(F) F##_OPAQUE(psk_id)
MIMI_STRUCT_DECLARE(mls_external_psk, MLS_EXTERNAL_PSK_FIELDS)

#define MLS_RESUMPTION_PSK_FIELDS(F) F##_U8(usage) F##_OPAQUE(psk_group_id) F##_U64(psk_epoch)
MIMI_STRUCT_DECLARE(mls_resumption_psk, MLS_RESUMPTION_PSK_FIELDS)

#define MLS_PSK_SOURCE_CASES(C)                  \
  C(MLS_PSK_EXTERNAL, mls_external_psk, external) \
  C(MLS_PSK_RESUMPTION, mls_resumption_psk, resumption)
MIMI_VARIANT_DECLARE(mls_psk_source, U8, psktype, MLS_PSK_SOURCE_CASES)

#define MLS_PRE_SHARED_KEY_ID_FIELDS(F) F##_STRUCT(mls_psk_source, source) F##_OPAQUE(psk_nonce)
MIMI_STRUCT_DECLARE(mls_pre_shared_key_id, MLS_PRE_SHARED_KEY_ID_FIELDS)

#ifdef __cplusplus
}
#endif
#endif /* MIMI_MLS_MESSAGES_H */
