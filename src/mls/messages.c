/* messages.c — descriptor tables for the wire structs of mimi/mls_messages.h. */
#include "mimi/mls_messages.h"

MIMI_STRUCT_DEFINE(mls_extension, MLS_EXTENSION_FIELDS)
MIMI_STRUCT_DEFINE(mls_group_context, MLS_GROUP_CONTEXT_FIELDS)
MIMI_STRUCT_DEFINE(mls_external_psk, MLS_EXTERNAL_PSK_FIELDS)
MIMI_STRUCT_DEFINE(mls_resumption_psk, MLS_RESUMPTION_PSK_FIELDS)
MIMI_VARIANT_DEFINE(mls_psk_source, U8, psktype, MLS_PSK_SOURCE_CASES)
MIMI_STRUCT_DEFINE(mls_pre_shared_key_id, MLS_PRE_SHARED_KEY_ID_FIELDS)
