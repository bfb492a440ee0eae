/*
 * mimi/content.h — the MIMI content format (draft-ietf-mimi-content-09):
 * the mimiContent container and its NestedPart bodies in deterministic CBOR,
 * message IDs (§3.3), the hub-derived values with their timestamps (§4.6),
 * and a message history for checking reply/edit/delete targets.
 *
 * Text fields are mimi_bytes holding UTF-8 without a terminating NUL.
 * Decoding is strict: the input must be exactly one deterministically
 * encoded (RFC 8949 §4.2.1) mimiContent array and nothing else; on any error
 * the output struct is untouched and nothing leaks. Error codes:
 *   TRUNCATED, TRAILING_DATA             input ends early / continues after the item
 *   CBOR, CBOR_INDEFINITE,
 *   CBOR_NON_CANONICAL                   see src/mimi/cbor_strict.h
 *   CBOR_TYPE                            a field of the wrong CBOR type
 *   BAD_CONTENT                          wrong element count, a value outside its
 *                                        range (salt not 16 bytes, message ID not
 *                                        32, unknown cardinality or part semantics,
 *                                        fewer than 2 parts in a multiPart, bad or
 *                                        duplicate extension key, ...)
 *   DEPTH                                parts or extensions nested too deep
 *   TOO_LARGE                            a configured size/count limit exceeded
 */
#ifndef MIMI_CONTENT_H
#define MIMI_CONTENT_H

#include "mimi/base.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MIMI_SALT_LEN 16
#define MIMI_MESSAGE_ID_LEN 32
/* First octet of a message ID: IANA Named Information hash id of SHA-256. */
#define MIMI_MESSAGE_ID_SHA256 0x01

/* Registered extension keys (§8.2.1). */
#define MIMI_EXT_SENDER_URI 1
#define MIMI_EXT_ROOM_URI 2

/* Dispositions (§8.2.2); any value 0..255 may appear, 9..255 unknown. */
enum {
  MIMI_DISP_UNSPECIFIED = 0,
  MIMI_DISP_RENDER = 1,
  MIMI_DISP_REACTION = 2,
  MIMI_DISP_PROFILE = 3,
  MIMI_DISP_INLINE = 4,
  MIMI_DISP_ICON = 5,
  MIMI_DISP_ATTACHMENT = 6,
  MIMI_DISP_SESSION = 7,
  MIMI_DISP_PREVIEW = 8,
};

typedef enum {
  MIMI_PART_NULL = 0,
  MIMI_PART_SINGLE = 1,
  MIMI_PART_EXTERNAL = 2,
  MIMI_PART_MULTI = 3,
} mimi_cardinality;

typedef enum {
  MIMI_SEM_CHOOSE_ONE = 0,
  MIMI_SEM_SINGLE_UNIT = 1,
  MIMI_SEM_PROCESS_ALL = 2,
} mimi_part_semantics;

/* ExternalPart fields after contentType (§4.5). */
typedef struct {
  mimi_bytes url;          /* text */
  uint32_t expires;        /* seconds since the UNIX epoch, 0 = never */
  uint64_t size;           /* octets, 0 = not given */
  uint16_t enc_alg;        /* IANA AEAD id, 0 = not encrypted */
  mimi_bytes key, nonce, aad;
  uint8_t hash_alg;        /* IANA Named Information hash id, 0 = none */
  mimi_bytes content_hash;
  mimi_bytes description;  /* text */
  mimi_bytes filename;     /* text */
} mimi_external_part;

typedef struct mimi_nested_part {
  uint8_t disposition;
  mimi_bytes language; /* text: "" or comma-separated language tags */
  mimi_cardinality cardinality;
  mimi_bytes content_type;     /* SINGLE, EXTERNAL (text) */
  mimi_bytes content;          /* SINGLE */
  mimi_external_part external; /* EXTERNAL */
  mimi_part_semantics semantics;  /* MULTI */
  struct mimi_nested_part *parts; /* MULTI: at least 2 */
  size_t part_count;
} mimi_nested_part;

typedef struct {
  bool relative; /* true: seconds after reading; false: seconds since epoch */
  uint32_t time;
} mimi_expiration;

/* One entry of the extensions map. The value is kept as its deterministic
 * CBOR encoding (one complete item); keys 1 and 2 must hold a text string. */
typedef struct {
  bool key_is_text;
  int64_t key_int;     /* when !key_is_text; within ±(2^53 - 1) */
  mimi_bytes key_text; /* when key_is_text; 1..255 octets of UTF-8 */
  mimi_bytes value;
} mimi_extension;

typedef struct {
  uint8_t salt[MIMI_SALT_LEN];
  bool has_replaces;
  uint8_t replaces[MIMI_MESSAGE_ID_LEN];
  mimi_bytes topic_id;
  bool has_expires;
  mimi_expiration expires;
  bool has_in_reply_to;
  uint8_t in_reply_to[MIMI_MESSAGE_ID_LEN];
  mimi_extension *extensions; /* any order in memory; encoded sorted */
  size_t extension_count;
  mimi_nested_part body;
} mimi_content;

/* Decoder limits. mimi_content_limits_default gives the draft's numbers
 * (§6.3 depth 4, §9.1 1024 parts and 4096-octet topics) and local ones. */
typedef struct {
  unsigned max_part_depth;      /* NestedPart levels, the body being level 1 (§6.3: 4); <= 64 */
  unsigned max_extension_depth; /* container levels, the map being level 1 (§6.3: 4); <= 64 */
  size_t max_parts;             /* NestedParts in the whole body (§9.1: 1024) */
  size_t max_topic_len;         /* topicId octets (§9.1: 4096) */
  size_t max_part_size;         /* octets of any one string field, e.g. content (1 MiB) */
  size_t max_message_size;      /* octets of the whole encoding (4 MiB) */
} mimi_content_limits;

void mimi_content_limits_default(mimi_content_limits *limits);

/* Canonical encoding. Refuses (BAD_CONTENT, DEPTH, or a CBOR error for a
 * bad extension value) any model that the decoder with default depth
 * limits would refuse, so an encoded message always decodes. */
MIMI_MUST_CHECK mimi_err mimi_content_encode(const mimi_content *c, mimi_bytes *out);
/* limits NULL = defaults. */
MIMI_MUST_CHECK mimi_err mimi_content_decode(const uint8_t *data, size_t len,
                                             const mimi_content_limits *limits,
                                             mimi_content *out);
void mimi_content_free(mimi_content *c);
/* Deep equality; extensions compared as a set. */
bool mimi_content_equal(const mimi_content *a, const mimi_content *b);
MIMI_MUST_CHECK mimi_err mimi_nested_part_clone(mimi_nested_part *dst, const mimi_nested_part *src);
void mimi_nested_part_free(mimi_nested_part *p);
bool mimi_nested_part_equal(const mimi_nested_part *a, const mimi_nested_part *b);
/* Counts all NestedParts (the part itself included) and the deepest level. */
void mimi_nested_part_stats(const mimi_nested_part *p, size_t *count, unsigned *depth);

/* Extension lookup; NULL if absent. */
const mimi_extension *mimi_content_ext_int(const mimi_content *c, int64_t key);
/* The text of extension 1 (senderUri) / 2 (roomUri) as a view;
 * NOT_FOUND if absent. */
MIMI_MUST_CHECK mimi_err mimi_content_sender_uri(const mimi_content *c, const uint8_t **p,
                                                 size_t *n);
MIMI_MUST_CHECK mimi_err mimi_content_room_uri(const mimi_content *c, const uint8_t **p,
                                               size_t *n);
/* Appends an integer-keyed text extension (e.g. senderUri), encoding the text. */
MIMI_MUST_CHECK mimi_err mimi_content_add_text_ext(mimi_content *c, int64_t key,
                                                   const char *text);

/* ------------------------------------------------------------------------ */
/* Message IDs (§3.3):
 *   0x01 || SHA-256(u16 len(sender) || sender || u16 len(room) || room
 *                   || content || salt)[0..30]
 * where content is the whole encoded mimiContent and salt its first field. */

/* From an encoding; the salt is read from it (BAD_CONTENT / CBOR errors if
 * it does not start like a mimiContent). TOO_LARGE for a URI over 65535. */
MIMI_MUST_CHECK mimi_err mimi_message_id(const uint8_t *content, size_t content_len,
                                         const uint8_t *sender_uri, size_t sender_len,
                                         const uint8_t *room_uri, size_t room_len,
                                         uint8_t out[MIMI_MESSAGE_ID_LEN]);
/* Encodes c and uses its senderUri / roomUri extensions (NOT_FOUND if
 * either is missing). */
MIMI_MUST_CHECK mimi_err mimi_content_message_id(const mimi_content *c,
                                                 uint8_t out[MIMI_MESSAGE_ID_LEN]);

/* ------------------------------------------------------------------------ */
/* Hub-accepted timestamps and MessageDerivedValues (§3.4, §4.6). */

typedef enum {
  MIMI_TIME_MSECS = 0,    /* uint: milliseconds since the UNIX epoch */
  MIMI_TIME_EXTENDED = 1, /* RFC 9581 tag 1001 {1: seconds, ? -3: milliseconds} */
} mimi_time_form;

typedef struct {
  uint64_t ms; /* milliseconds since the UNIX epoch */
  mimi_time_form form;
} mimi_timestamp;

typedef struct {
  uint8_t message_id[MIMI_MESSAGE_ID_LEN];
  mimi_timestamp hub_accepted;
  mimi_bytes mls_group_id;
  uint32_t sender_leaf_index;
  mimi_bytes sender_client_url; /* text */
  mimi_bytes sender_user_url;   /* text */
  mimi_bytes room_url;          /* text */
} mimi_derived_values;

MIMI_MUST_CHECK mimi_err mimi_derived_values_encode(const mimi_derived_values *v,
                                                    mimi_bytes *out);
MIMI_MUST_CHECK mimi_err mimi_derived_values_decode(const uint8_t *data, size_t len,
                                                    mimi_derived_values *out);
void mimi_derived_values_free(mimi_derived_values *v);
bool mimi_derived_values_equal(const mimi_derived_values *a, const mimi_derived_values *b);

/* ------------------------------------------------------------------------ */
/* History: which message IDs a client knows, to check that replaces /
 * inReplyTo name a known message when the application asks (§9.1 allows
 * unknown targets, e.g. from before the client joined, so checking is a
 * choice). Either a caller-provided lookup or the small in-memory store. */

typedef struct {
  /* true if `id` is a known message; `sender` (may be NULL) receives the
   * sender URI view of that message if the lookup knows it. */
  bool (*lookup)(void *ctx, const uint8_t id[MIMI_MESSAGE_ID_LEN], const uint8_t **sender,
                 size_t *sender_len);
  void *ctx;
} mimi_known_messages;

typedef struct mimi_history mimi_history;

MIMI_MUST_CHECK mimi_err mimi_history_new(mimi_history **out);
void mimi_history_free(mimi_history *h);
/* Records a message by ID with its sender URI (may be NULL/0). Adding an ID
 * twice is BAD_CONTENT (§9.1: duplicate message IDs are suspicious). */
MIMI_MUST_CHECK mimi_err mimi_history_add(mimi_history *h, const uint8_t id[MIMI_MESSAGE_ID_LEN],
                                          const uint8_t *sender, size_t sender_len);
/* Records a message with its senderUri (if any) and inReplyTo. */
MIMI_MUST_CHECK mimi_err mimi_history_add_content(mimi_history *h,
                                                  const uint8_t id[MIMI_MESSAGE_ID_LEN],
                                                  const mimi_content *c);
/* §4.1 reply loops: BAD_CONTENT if following c's inReplyTo through the
 * recorded messages leads back to `id` (c's own message ID) or cycles. */
MIMI_MUST_CHECK mimi_err mimi_history_check_reply_chain(const mimi_history *h,
                                                        const uint8_t id[MIMI_MESSAGE_ID_LEN],
                                                        const mimi_content *c);
bool mimi_history_contains(const mimi_history *h, const uint8_t id[MIMI_MESSAGE_ID_LEN]);
size_t mimi_history_count(const mimi_history *h);
/* A mimi_known_messages view of the store. */
mimi_known_messages mimi_history_known(const mimi_history *h);

enum {
  MIMI_CHECK_REPLACES = 1u << 0,    /* replaces must be known */
  MIMI_CHECK_IN_REPLY_TO = 1u << 1, /* inReplyTo must be known */
  /* §9.3: an edit/delete (replaces) must come from the sender of the
   * replaced message; needs the lookup to know senders. */
  MIMI_CHECK_SAME_SENDER = 1u << 2,
};

/* UNKNOWN_TARGET if a checked reference is absent or uses an unknown hash
 * algorithm octet; BAD_SENDER if MIMI_CHECK_SAME_SENDER fails (or the
 * sender of either side is unknown). */
MIMI_MUST_CHECK mimi_err mimi_content_check_targets(const mimi_content *c,
                                                    const mimi_known_messages *known,
                                                    unsigned checks);

/* ------------------------------------------------------------------------ */
/* Diagnostic notation (RFC 8949 §8) of one CBOR item, for tools; the result
 * is NUL-terminated, free() it. Fails on anything mimi_cbor strictness
 * refuses. */
MIMI_MUST_CHECK mimi_err mimi_cbor_to_diag(const uint8_t *item, size_t len, char **out);

#ifdef __cplusplus
}
#endif
#endif /* MIMI_CONTENT_H */
