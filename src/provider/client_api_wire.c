/* client_api_wire.c — the client API's bodies (docs/client-api.md). */
#include "mimi/provider.h"

MIMI_STRUCT_DEFINE(mimi_client_register_request, MIMI_CLIENT_REGISTER_REQUEST_FIELDS)
MIMI_STRUCT_DEFINE(mimi_client_register_response, MIMI_CLIENT_REGISTER_RESPONSE_FIELDS)
MIMI_STRUCT_DEFINE(mimi_client_upload_request, MIMI_CLIENT_UPLOAD_REQUEST_FIELDS)
MIMI_STRUCT_DEFINE(mimi_client_inbox_entry, MIMI_CLIENT_INBOX_ENTRY_FIELDS)
MIMI_STRUCT_DEFINE(mimi_client_inbox, MIMI_CLIENT_INBOX_FIELDS)
