/* protocol_internal.h — helpers shared by the MIMI protocol sources. */
#ifndef MIMI_PROTOCOL_INTERNAL_H
#define MIMI_PROTOCOL_INTERNAL_H

#include "mimi/protocol.h"

/* Is the decoded parameter value of this kind? PROTO_BAD_PARAM if not. */
MIMI_MUST_CHECK mimi_err mimi_proto_check_param(mimi_param_kind kind, const char *v, size_t n);
/* Checks param for ep (as the matcher would) and percent-encodes every octet
 * outside RFC 3986 unreserved into a fresh string (free() it). */
MIMI_MUST_CHECK mimi_err mimi_proto_encode_param(const mimi_endpoint *ep, const char *param,
                                                 char **out);

#endif
