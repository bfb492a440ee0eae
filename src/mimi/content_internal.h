/* content_internal.h — pieces of the MIMI content codec shared between its
 * files (container, nested parts, derived values, message IDs). */
#ifndef MIMI_CONTENT_INTERNAL_H
#define MIMI_CONTENT_INTERNAL_H

#include <string.h>

#include "cbor_strict.h"
#include "mimi/content.h"

/* Upper bound accepted for the configurable depth limits: recursion depth
 * is bounded by it. */
#define MIMI_CONTENT_DEPTH_CAP 64

/* Running totals while decoding one body. */
typedef struct {
  const mimi_content_limits *lim;
  size_t parts;
} mimi_part_budget;

/* Reads one NestedPart at `level` (the body is level 1). */
MIMI_MUST_CHECK mimi_err mimi_nested_part_read(mimi_reader *r, mimi_part_budget *b,
                                               unsigned level, mimi_nested_part *out);
/* Validates and writes one NestedPart; DEPTH beyond max_depth, BAD_CONTENT
 * for an invalid model. */
MIMI_MUST_CHECK mimi_err mimi_nested_part_write(mimi_writer *w, const mimi_nested_part *p,
                                                unsigned level, unsigned max_depth);

/* Timestamp = MsecsSinceEpoch / ExtendedTime (§4.6). */
MIMI_MUST_CHECK mimi_err mimi_timestamp_read(mimi_reader *r, mimi_timestamp *out);
void mimi_timestamp_write(mimi_writer *w, const mimi_timestamp *t);

/* A 32-octet MessageId bstr; BAD_CONTENT for any other length. */
MIMI_MUST_CHECK mimi_err mimi_message_id_read(mimi_reader *r, uint8_t out[MIMI_MESSAGE_ID_LEN]);

static inline bool mimi_text_ok(const mimi_bytes *t) {
  return mimi_cbor_utf8_valid(t->data, t->len);
}

/* Plain equality for public message fields (mimi_bytes_eq is the
 * constant-time one, for secrets). */
static inline bool mimi_bytes_same(const mimi_bytes *a, const mimi_bytes *b) {
  return a->len == b->len && (a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

#endif
