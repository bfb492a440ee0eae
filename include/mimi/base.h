/*
 * mimi/base.h — the bottom layer: errors, byte strings, secrets, randomness,
 * and the TLS presentation language (RFC 9420 §2.1) as data-driven codecs.
 *
 * Everything above (crypto, mls, mimi) speaks in these types. Nothing here
 * allocates behind the caller's back except where a mimi_bytes or a decoded
 * struct is returned, and every such value has a matching free.
 */
#ifndef MIMI_BASE_H
#define MIMI_BASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define MIMI_MUST_CHECK __attribute__((warn_unused_result))
#define MIMI_MAYBE_UNUSED __attribute__((unused))
#else
#define MIMI_MUST_CHECK
#define MIMI_MAYBE_UNUSED
#endif

/* ------------------------------------------------------------------------ */
/* Errors: one enum for the whole project, with a short static message each. */
/* Layers append to their own section; codes are stable once released.      */

#define MIMI_ERRORS(E)                                                          \
  /* general */                                                                 \
  E(OK, 0, "success")                                                           \
  E(NOMEM, 1, "out of memory")                                                  \
  E(INVALID_ARG, 2, "invalid argument")                                         \
  E(INTERNAL, 3, "internal error")                                              \
  E(NOT_FOUND, 4, "not found")                                                  \
  E(UNSUPPORTED, 5, "unsupported")                                              \
  E(TOO_LARGE, 6, "value too large")                                            \
  E(RNG, 7, "random number generator failed")                                   \
  /* wire decoding (TLS presentation language) */                               \
  E(TRUNCATED, 20, "input truncated")                                           \
  E(TRAILING_DATA, 21, "trailing data after value")                             \
  E(VARINT_NON_MINIMAL, 22, "variable-length integer not minimally encoded")    \
  E(VARINT_RANGE, 23, "variable-length integer out of range")                   \
  E(BAD_TAG, 24, "unknown or invalid type tag")                                 \
  E(BAD_OPTIONAL, 25, "optional presence byte is neither 0 nor 1")              \
  E(BAD_LENGTH, 26, "length invalid for this field")                            \
  E(DEPTH, 27, "nesting too deep")                                              \
  /* crypto */                                                                  \
  E(CRYPTO, 40, "cryptographic library failure")                                \
  E(UNSUPPORTED_SUITE, 41, "unsupported cipher suite or algorithm")             \
  E(BAD_KEY, 42, "invalid key")                                                 \
  E(BAD_SIGNATURE, 43, "signature verification failed")                        \
  E(AEAD_OPEN, 44, "authenticated decryption failed")                           \
  E(HPKE_SEQ_OVERFLOW, 45, "HPKE sequence number overflow")                     \
  E(KEY_DERIVATION, 46, "key derivation failed")                                \
  /* mls */                                                                     \
  E(BAD_MAC, 60, "MAC verification failed")                                     \
  E(WRONG_EPOCH, 61, "message is for another epoch")                            \
  E(WRONG_GROUP, 62, "message is for another group")                            \
  E(GENERATION_TOO_OLD, 63, "generation already consumed or out of window")     \
  E(GENERATION_TOO_FAR, 64, "generation too far ahead")                         \
  E(BAD_SENDER, 65, "invalid sender")                                           \
  E(BAD_PADDING, 66, "invalid padding")                                         \
  E(BAD_CONTENT_TYPE, 67, "invalid content type")                               \
  E(BAD_WIRE_FORMAT, 68, "invalid wire format")                                 \
  E(BAD_TREE, 69, "invalid ratchet tree")                                       \
  E(BAD_PSK, 70, "invalid pre-shared key")                                      \
  E(BAD_PROPOSAL, 71, "invalid proposal or proposal list")                      \
  E(BAD_COMMIT, 72, "invalid commit")                                           \
  E(BAD_KEY_PACKAGE, 73, "invalid key package")                                 \
  E(BAD_WELCOME, 74, "invalid welcome or group info")                           \
  E(BAD_GROUP_STATE, 75, "operation not possible in this group state")          \
  E(BAD_APP_DATA, 76, "app_data_dictionary malformed or unmet by a member")    \
  E(BAD_SAFE_AAD, 77, "SafeAAD items not in strictly increasing order")         \
  E(BAD_PARENT_HASH, 80, "parent hash invalid")                                 \
  E(BAD_TREE_HASH, 81, "tree hash mismatch")                                    \
  E(BAD_UNMERGED_LEAVES, 82, "unmerged leaves inconsistent")                    \
  E(DUPLICATE_KEY, 83, "key not unique in the tree")                            \
  E(BAD_LEAF_NODE, 84, "invalid leaf node")                                     \
  E(BAD_UPDATE_PATH, 85, "update path does not match the tree")                 \
  /* mimi content / identity */                                                 \
  E(CBOR, 90, "malformed CBOR")                                                 \
  E(CBOR_TYPE, 91, "unexpected CBOR type")                                      \
  E(CBOR_NON_CANONICAL, 92, "CBOR not in deterministic encoding")               \
  E(CBOR_INDEFINITE, 93, "indefinite-length CBOR item where forbidden")         \
  E(BAD_URI, 94, "invalid URI")                                                 \
  E(BAD_CONTENT, 95, "invalid MIMI content")                                    \
  E(HASH_MISMATCH, 96, "content hash mismatch")                                 \
  E(UNKNOWN_TARGET, 97, "referenced message not found")                       \
  /* mimi policy */                                                             \
  E(POLICY_DENIED, 110, "not authorized by the room policy")                    \
  E(POLICY_BANNED, 111, "user is banned from the room")                         \
  E(POLICY_LIMIT, 112, "room or role participant limit would be exceeded")      \
  E(POLICY_INVALID, 113, "invalid room policy or room state")                   \
  E(POLICY_CONFLICT, 114, "changes may not be combined in one commit")          \
  E(POLICY_NO_SUCH_USER, 115, "user is not in the participant list")            \
  E(POLICY_USER_PRESENT, 116, "user is already in the participant list")        \
  E(POLICY_NO_BANNED_ROLE, 117, "role 1 is not the \"banned\" role")            \
  E(POLICY_FORBIDDEN, 118, "forbidden by a room policy component")              \
  /* mimi protocol */                                                           \
  E(PROTO_BAD_ENUM, 130, "value not defined for this enum field")               \
  E(PROTO_BAD_MESSAGE, 131, "MLS message of the wrong kind for this field")     \
  E(PROTO_INCONSISTENT, 132, "message fields contradict each other")            \
  E(PROTO_UNKNOWN_ENDPOINT, 133, "no MIMI endpoint at this path")               \
  E(PROTO_BAD_METHOD, 134, "HTTP method not allowed for this endpoint")         \
  E(PROTO_BAD_PATH, 135, "malformed request path")                              \
  E(PROTO_BAD_PERCENT, 136, "invalid percent-encoding in the path")             \
  E(PROTO_PATH_TOO_LONG, 137, "request path too long")                          \
  E(PROTO_BAD_PARAM, 138, "path parameter invalid for its kind")                \
  E(PROTO_BAD_DIRECTORY, 139, "malformed MIMI directory document")              \
  E(FRANK_MISSING, 140, "no frank or franking tag")                             \
  E(FRANK_BAD_AAD, 141, "authenticated data is not a well-formed SafeAAD")      \
  E(FRANK_TAG_MISMATCH, 142, "franking tag does not match the content")         \
  E(FRANK_SUITE_MISMATCH, 143, "frank cipher suite is not the group's")         \
  E(FRANK_NO_AGENT, 144, "no franking_agent component in the group context")    \
  E(FRANK_AGENT_DOMAIN, 145, "franking agent is not the hub's domain")          \
  E(FRANK_BAD_SIGNATURE, 146, "franking integrity signature invalid")           \
  E(FRANK_SENDER_MISMATCH, 147, "sender URI does not match the sender")         \
  E(FRANK_ROOM_MISMATCH, 148, "room URI does not match the room")               \
  E(FRANK_SERVER_MISMATCH, 149, "server frank does not match the hub key")    \
  /* provider */                                                                \
  E(PROVIDER_CONFIG, 160, "invalid provider configuration")                     \
  E(STORE, 161, "storage backend failure")                                      \
  E(STORE_CONFLICT, 162, "record already exists")                               \
  E(HTTP, 163, "HTTP transport failure")

typedef enum {
#define MIMI_ERR_ENUM_(name, code, msg) MIMI_ERR_##name = code,
  MIMI_ERRORS(MIMI_ERR_ENUM_)
#undef MIMI_ERR_ENUM_
} mimi_err;
#define MIMI_OK MIMI_ERR_OK

/* Short static message for an error code; never NULL. */
const char *mimi_strerror(mimi_err err);
/* The symbolic name ("MIMI_ERR_TRUNCATED"); never NULL. */
const char *mimi_errname(mimi_err err);

/* Propagate an error: `MIMI_TRY(f(x));` returns f's code from the caller. */
#define MIMI_TRY(expr)                                                          \
  do {                                                                          \
    mimi_err mimi_try_err_ = (expr);                                            \
    if (mimi_try_err_ != MIMI_OK) return mimi_try_err_;                         \
  } while (0)

/* ------------------------------------------------------------------------ */
/* Secrets */

/* Zeroes memory in a way the compiler may not elide. */
void mimi_secure_zero(void *p, size_t len);
/* Constant-time equality of two equal-length buffers (time depends on len only). */
bool mimi_ct_eq(const void *a, const void *b, size_t len);

/* ------------------------------------------------------------------------ */
/* Byte strings. A mimi_bytes owns its data (malloc'd) unless documented as a
 * view. Freeing always zeroizes: we do not track which bytes are secret. */

typedef struct {
  uint8_t *data;
  size_t len;
} mimi_bytes;

MIMI_MUST_CHECK mimi_err mimi_bytes_alloc(mimi_bytes *out, size_t len); /* zero-filled */
MIMI_MUST_CHECK mimi_err mimi_bytes_copy(mimi_bytes *out, const uint8_t *data, size_t len);
MIMI_MUST_CHECK mimi_err mimi_bytes_dup(mimi_bytes *out, const mimi_bytes *in);
/* Appends `len` bytes, reallocating (old buffer zeroized). */
MIMI_MUST_CHECK mimi_err mimi_bytes_append(mimi_bytes *b, const uint8_t *data, size_t len);
void mimi_bytes_free(mimi_bytes *b); /* zeroizes, frees, resets to {NULL,0} */
/* Constant-time when lengths match; lengths themselves are not secret. */
bool mimi_bytes_eq(const mimi_bytes *a, const mimi_bytes *b);
/* Hex helpers for tools and tests; from_hex rejects odd length / non-hex. */
MIMI_MUST_CHECK mimi_err mimi_bytes_from_hex(mimi_bytes *out, const char *hex);
MIMI_MUST_CHECK mimi_err mimi_bytes_to_hex(const mimi_bytes *in, char **out_hex); /* free() it */

/* ------------------------------------------------------------------------ */
/* Randomness is a parameter, never ambient: tests inject deterministic bytes.
 * The default implementation (OpenSSL) lives in the crypto layer. */

typedef struct mimi_rng {
  mimi_err (*fill)(void *ctx, uint8_t *out, size_t len);
  void *ctx;
} mimi_rng;

static inline mimi_err mimi_rng_fill(const mimi_rng *rng, uint8_t *out, size_t len) {
  return rng->fill(rng->ctx, out, len);
}

/* ------------------------------------------------------------------------ */
/* Reader: a bounds-checked cursor over borrowed bytes. All reads check the
 * remaining length first; on error the cursor position is unspecified but
 * never outside the buffer, and nothing has been written to out-params. */

typedef struct {
  const uint8_t *data;
  size_t len; /* end of this reader's window */
  size_t pos;
} mimi_reader;

/* RFC 9420 §2.1.2: vector lengths are at most 2^30 - 1. */
#define MIMI_VARINT_MAX ((uint32_t)0x3fffffff)

static inline mimi_reader mimi_reader_init(const uint8_t *data, size_t len) {
  mimi_reader r = {data, len, 0};
  return r;
}
static inline size_t mimi_reader_remaining(const mimi_reader *r) { return r->len - r->pos; }

MIMI_MUST_CHECK mimi_err mimi_read_u8(mimi_reader *r, uint8_t *v);
MIMI_MUST_CHECK mimi_err mimi_read_u16(mimi_reader *r, uint16_t *v);
MIMI_MUST_CHECK mimi_err mimi_read_u32(mimi_reader *r, uint32_t *v);
MIMI_MUST_CHECK mimi_err mimi_read_u64(mimi_reader *r, uint64_t *v);
/* QUIC-style varint of RFC 9420 §2.1.2: minimal encoding required, the 0b11
 * prefix rejected (VARINT_RANGE), value <= MIMI_VARINT_MAX. */
MIMI_MUST_CHECK mimi_err mimi_read_varint(mimi_reader *r, uint32_t *v);
/* A view of the next n bytes (no copy). */
MIMI_MUST_CHECK mimi_err mimi_read_view(mimi_reader *r, size_t n, const uint8_t **out);
/* Reads a <V> length header and returns a sub-reader narrowed to the body;
 * the parent skips past the body. Callers must consume the sub-reader fully
 * (mimi_reader_done). */
MIMI_MUST_CHECK mimi_err mimi_read_vec(mimi_reader *r, mimi_reader *body);
/* opaque data<V>, copied into a fresh mimi_bytes. */
MIMI_MUST_CHECK mimi_err mimi_read_opaque(mimi_reader *r, mimi_bytes *out);
/* TRAILING_DATA unless the reader is fully consumed. */
MIMI_MUST_CHECK mimi_err mimi_reader_done(const mimi_reader *r);

/* ------------------------------------------------------------------------ */
/* Writer: a growable output buffer. Growth zeroizes the old allocation, so a
 * writer may hold secrets. Errors are sticky: after a failed write, further
 * writes are no-ops and mimi_writer_finish reports the first error. */

typedef struct {
  uint8_t *data;
  size_t len;
  size_t cap;
  mimi_err err;
} mimi_writer;

void mimi_writer_init(mimi_writer *w);
void mimi_writer_free(mimi_writer *w); /* zeroizes */
void mimi_write_u8(mimi_writer *w, uint8_t v);
void mimi_write_u16(mimi_writer *w, uint16_t v);
void mimi_write_u32(mimi_writer *w, uint32_t v);
void mimi_write_u64(mimi_writer *w, uint64_t v);
void mimi_write_varint(mimi_writer *w, uint32_t v); /* TOO_LARGE above MIMI_VARINT_MAX */
void mimi_write_raw(mimi_writer *w, const uint8_t *data, size_t len);
/* opaque data<V> */
void mimi_write_opaque(mimi_writer *w, const uint8_t *data, size_t len);
/* Scoped <V> blocks: begin returns a mark; end back-patches a minimal varint
 * length for everything written since the mark. Blocks nest. */
size_t mimi_write_vec_begin(mimi_writer *w);
void mimi_write_vec_end(mimi_writer *w, size_t mark);
/* Moves the written bytes into *out (writer becomes empty) or returns the
 * sticky error (writer freed). */
MIMI_MUST_CHECK mimi_err mimi_writer_finish(mimi_writer *w, mimi_bytes *out);

/* ------------------------------------------------------------------------ */
/* Wire structs declared once.
 *
 * A struct's fields are listed once in an X-macro; MIMI_STRUCT_DECLARE turns
 * the list into a C struct plus an extern type descriptor, and
 * MIMI_STRUCT_DEFINE (in one .c file) into the descriptor table. The generic
 * mimi_encode / mimi_decode / mimi_free / mimi_equal / mimi_clone walk the
 * table, so no wire struct has a hand-written codec.
 *
 *   #define MLS_KEY_PACKAGE_FIELDS(F)          \
 *     F##_U16(version)                          \
 *     F##_U16(cipher_suite)                     \
 *     F##_OPAQUE(init_key)                      \
 *     F##_STRUCT(mls_leaf_node, leaf_node)      \
 *     F##_VEC(mls_extension, extensions)        \
 *     F##_OPAQUE(signature)
 *   MIMI_STRUCT_DECLARE(mls_key_package, MLS_KEY_PACKAGE_FIELDS)   // header
 *   MIMI_STRUCT_DEFINE(mls_key_package, MLS_KEY_PACKAGE_FIELDS)    // .c
 *
 * Field forms (C member(s) in parentheses):
 *   U8/U16/U32/U64(name)      fixed-width big-endian integer   (uintN_t name)
 *   OPAQUE(name)              opaque name<V>                   (mimi_bytes name)
 *   FIXED(name, n)            opaque name[n]                   (uint8_t name[n])
 *   STRUCT(type, name)        a nested struct or variant       (type name)
 *   VEC(type, name)           type name<V>                     (type *name; size_t name_count)
 *   OPT(type, name)           optional<type>                   (type *name; NULL = absent)
 *   COND(type, name, pred)    present on the wire iff pred(const parent *) —
 *                             for RFC 9420 selects on an *outer* field
 *                                                              (type name; zeroed when absent)
 * Element types for VEC/OPT/STRUCT/COND are any declared type or one of the
 * primitive aliases mimi_u8, mimi_u16, mimi_u32, mimi_u64, mimi_bytes.
 *
 * Variants — `T tag; select (tag) { case a: A; ... }` where the tag
 * immediately precedes the body — are declared with a case list:
 *
 *   #define MLS_SENDER_CASES(C)                          \
 *     C(1, mimi_u32, member)                              \
 *     C(2, mimi_u32, external)                            \
 *     C(3, mimi_empty, new_member_proposal)               \
 *     C(4, mimi_empty, new_member_commit)
 *   MIMI_VARIANT_DECLARE(mls_sender, U8, sender_type, MLS_SENDER_CASES)
 *   MIMI_VARIANT_DEFINE(mls_sender, U8, sender_type, MLS_SENDER_CASES)
 *
 * giving `struct { uint8_t sender_type; union { uint32_t member; ... }; }`.
 * An unknown tag decodes to BAD_TAG.
 */

typedef uint8_t mimi_u8;
typedef uint16_t mimi_u16;
typedef uint32_t mimi_u32;
typedef uint64_t mimi_u64;
typedef struct {
  char unused_; /* zero bytes on the wire; C forbids empty structs */
} mimi_empty;

typedef enum {
  MIMI_KIND_U8,
  MIMI_KIND_U16,
  MIMI_KIND_U32,
  MIMI_KIND_U64,
  MIMI_KIND_OPAQUE,
  MIMI_KIND_EMPTY,
  MIMI_KIND_STRUCT,
  MIMI_KIND_VARIANT,
} mimi_kind;

typedef enum {
  MIMI_FIELD_PLAIN,
  MIMI_FIELD_FIXED,
  MIMI_FIELD_VEC,
  MIMI_FIELD_OPT,
  MIMI_FIELD_COND,
} mimi_field_form;

typedef struct mimi_type mimi_type;
typedef const mimi_type *(*mimi_type_fn)(void);

typedef struct {
  const char *name;
  mimi_field_form form;
  size_t offset;
  size_t count_offset; /* VEC: offset of name_count */
  size_t fixed_len;    /* FIXED */
  mimi_type_fn type;   /* NULL for FIXED */
  bool (*present)(const void *parent); /* COND */
} mimi_field;

typedef struct {
  uint32_t tag;
  const char *name;
  size_t offset;
  mimi_type_fn type;
} mimi_variant_case;

struct mimi_type {
  const char *name;
  mimi_kind kind;
  size_t size;
  /* STRUCT */
  const mimi_field *fields;
  size_t n_fields;
  /* VARIANT */
  mimi_kind tag_kind; /* U8, U16 or U32 */
  size_t tag_offset;
  const mimi_variant_case *cases;
  size_t n_cases;
};

/* Every type, primitive or declared, is reached through a function returning
 * its descriptor: that lets the descriptor be built with a function-local
 * typedef (so the field list needs no struct name) and lets types refer to
 * each other in any order. */
const mimi_type *mimi_u8_type(void);
const mimi_type *mimi_u16_type(void);
const mimi_type *mimi_u32_type(void);
const mimi_type *mimi_u64_type(void);
const mimi_type *mimi_bytes_type(void);
const mimi_type *mimi_empty_type(void);

/* Encodes *value (of type t) onto w. */
void mimi_encode(const mimi_type *t, const void *value, mimi_writer *w);
/* Encodes into a fresh mimi_bytes. */
MIMI_MUST_CHECK mimi_err mimi_encode_alloc(const mimi_type *t, const void *value,
                                           mimi_bytes *out);
/* Decodes one value from r into *out. On error *out is left zeroed and
 * nothing is leaked. */
MIMI_MUST_CHECK mimi_err mimi_decode(const mimi_type *t, mimi_reader *r, void *out);
/* Decodes exactly one value spanning all of data (TRAILING_DATA otherwise). */
MIMI_MUST_CHECK mimi_err mimi_decode_exact(const mimi_type *t, const uint8_t *data,
                                           size_t len, void *out);
/* A select whose tag is not on the wire just before it (RFC 9420
 * PrivateMessageContent: the tag is PrivateMessage.content_type): encode only
 * the case body of variant *value, or decode a body of case `tag` into *out
 * (tag member set). BAD_TAG for an unknown tag; on error *out is zeroed. */
void mimi_encode_variant_body(const mimi_type *t, const void *value, mimi_writer *w);
MIMI_MUST_CHECK mimi_err mimi_decode_variant_body(const mimi_type *t, uint32_t tag,
                                                  mimi_reader *r, void *out);
/* Frees everything *value owns (zeroizing) and zeroes *value itself. */
void mimi_free(const mimi_type *t, void *value);
/* Deep, wire-level equality (opaque fields compared in constant time). */
bool mimi_equal(const mimi_type *t, const void *a, const void *b);
/* Deep copy; on error *dst is zeroed. */
MIMI_MUST_CHECK mimi_err mimi_clone(const mimi_type *t, void *dst, const void *src);

/* --- declaration machinery (see the comment above) ---------------------- */

#define MIMI_MEMBER_U8(name) uint8_t name;
#define MIMI_MEMBER_U16(name) uint16_t name;
#define MIMI_MEMBER_U32(name) uint32_t name;
#define MIMI_MEMBER_U64(name) uint64_t name;
#define MIMI_MEMBER_OPAQUE(name) mimi_bytes name;
#define MIMI_MEMBER_FIXED(name, n) uint8_t name[n];
#define MIMI_MEMBER_STRUCT(type, name) type name;
#define MIMI_MEMBER_VEC(type, name) type *name; size_t name##_count;
#define MIMI_MEMBER_OPT(type, name) type *name;
#define MIMI_MEMBER_COND(type, name, pred) type name;

/* Typed conveniences every declared type gets. */
#define MIMI_TYPED_HELPERS_(sname)                                              \
  const mimi_type *sname##_type(void);                                          \
  static inline MIMI_MAYBE_UNUSED void sname##_free(sname *v) { mimi_free(sname##_type(), v); }   \
  static inline MIMI_MAYBE_UNUSED bool sname##_equal(const sname *a, const sname *b) {            \
    return mimi_equal(sname##_type(), a, b);                                    \
  }                                                                             \
  static inline MIMI_MAYBE_UNUSED mimi_err sname##_encode(const sname *v, mimi_bytes *out) {      \
    return mimi_encode_alloc(sname##_type(), v, out);                           \
  }                                                                             \
  static inline MIMI_MAYBE_UNUSED mimi_err sname##_decode(const uint8_t *d, size_t n, sname *v) { \
    return mimi_decode_exact(sname##_type(), d, n, v);                          \
  }

#define MIMI_STRUCT_DECLARE(sname, FIELDS)                                      \
  typedef struct sname { FIELDS(MIMI_MEMBER) } sname;                           \
  MIMI_TYPED_HELPERS_(sname)

/* Field descriptors, written inside a function where mimi_self_ names the
 * struct being described. */
#define MIMI_FDESC_(nm, frm, cnt, fix, ty, pr)                                  \
  {#nm, frm, offsetof(mimi_self_, nm), cnt, fix, ty, pr},
#define MIMI_FIELD_U8(name) MIMI_FDESC_(name, MIMI_FIELD_PLAIN, 0, 0, mimi_u8_type, NULL)
#define MIMI_FIELD_U16(name) MIMI_FDESC_(name, MIMI_FIELD_PLAIN, 0, 0, mimi_u16_type, NULL)
#define MIMI_FIELD_U32(name) MIMI_FDESC_(name, MIMI_FIELD_PLAIN, 0, 0, mimi_u32_type, NULL)
#define MIMI_FIELD_U64(name) MIMI_FDESC_(name, MIMI_FIELD_PLAIN, 0, 0, mimi_u64_type, NULL)
#define MIMI_FIELD_OPAQUE(name)                                                 \
  MIMI_FDESC_(name, MIMI_FIELD_PLAIN, 0, 0, mimi_bytes_type, NULL)
#define MIMI_FIELD_FIXED(name, n) MIMI_FDESC_(name, MIMI_FIELD_FIXED, 0, n, NULL, NULL)
#define MIMI_FIELD_STRUCT(type, name)                                           \
  MIMI_FDESC_(name, MIMI_FIELD_PLAIN, 0, 0, type##_type, NULL)
#define MIMI_FIELD_VEC(type, name)                                              \
  MIMI_FDESC_(name, MIMI_FIELD_VEC, offsetof(mimi_self_, name##_count), 0, type##_type, NULL)
#define MIMI_FIELD_OPT(type, name)                                              \
  MIMI_FDESC_(name, MIMI_FIELD_OPT, 0, 0, type##_type, NULL)
#define MIMI_FIELD_COND(type, name, pred)                                       \
  MIMI_FDESC_(name, MIMI_FIELD_COND, 0, 0, type##_type, pred)

#define MIMI_STRUCT_DEFINE(sname, FIELDS)                                       \
  const mimi_type *sname##_type(void) {                                         \
    typedef sname mimi_self_;                                                   \
    static const mimi_field fields[] = {FIELDS(MIMI_FIELD)};                    \
    static const mimi_type t = {#sname, MIMI_KIND_STRUCT, sizeof(sname), fields, \
                                sizeof(fields) / sizeof(fields[0]),             \
                                MIMI_KIND_U8, 0, NULL, 0};                      \
    return &t;                                                                  \
  }

#define MIMI_CASE_MEMBER_(tag, type, name) type name;
#define MIMI_CASE_DESC_(tag, type, name) {tag, #name, offsetof(mimi_self_, name), type##_type},

#define MIMI_VARIANT_DECLARE(vname, TAGKIND, tagname, CASES)                    \
  typedef struct vname {                                                        \
    MIMI_MEMBER_##TAGKIND(tagname) union { CASES(MIMI_CASE_MEMBER_) };          \
  } vname;                                                                      \
  MIMI_TYPED_HELPERS_(vname)

#define MIMI_VARIANT_DEFINE(vname, TAGKIND, tagname, CASES)                     \
  const mimi_type *vname##_type(void) {                                         \
    typedef vname mimi_self_;                                                   \
    static const mimi_variant_case cases[] = {CASES(MIMI_CASE_DESC_)};          \
    static const mimi_type t = {#vname, MIMI_KIND_VARIANT, sizeof(vname), NULL, 0, \
                                MIMI_KIND_##TAGKIND, offsetof(vname, tagname),  \
                                cases, sizeof(cases) / sizeof(cases[0])};       \
    return &t;                                                                  \
  }

#ifdef __cplusplus
}
#endif
#endif /* MIMI_BASE_H */
