/* demo_content.h — the MIMI content side of the demos: compose a message
 * (markdown, sender and room URIs, optionally a reply) and take one in
 * (decode, check its reply target against the reader's history, record,
 * render), and the epoch agreement check. Shared by mimi-demo and mimi-demo-providers. */
#ifndef MIMI_TOOLS_DEMO_CONTENT_H
#define MIMI_TOOLS_DEMO_CONTENT_H

#include <stdbool.h>

#include "mimi/crypto.h"
#include "mimi/mimi.h"
#include "mimi/mls.h"

/* The encoding and message ID of a new content message. */
MIMI_MUST_CHECK mimi_err demo_compose(const char *sender_uri, const char *room,
                                      const char *markdown, const uint8_t *reply_to,
                                      mimi_bytes *out, uint8_t id[MIMI_MESSAGE_ID_LEN]);

/* A received content message (the MLS plaintext data, from leaf `leaf`,
 * wire_len bytes on the wire) for reader to_uri; printed if show. */
MIMI_MUST_CHECK mimi_err demo_take_content(mimi_history *h, const char *to_uri,
                                           const uint8_t *data, size_t len, uint32_t leaf,
                                           size_t wire_len, bool show);

/* Whether two members' groups are in the same epoch with the same epoch
 * authenticator (compared in constant time). */
bool demo_same_epoch(const mls_group *a, const mls_group *b);

#endif
