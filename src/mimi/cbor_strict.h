/*
 * cbor_strict.h — strict reading and canonical writing of CBOR (RFC 8949)
 * for the MIMI layer: content (draft-ietf-mimi-content §6), status reports
 * and anything else that must be "deterministically encoded" (RFC 8949
 * §4.2.1).
 *
 * Reading goes through mimi_reader and refuses, with a distinct code:
 *   MIMI_ERR_TRUNCATED          the input ends inside an item
 *   MIMI_ERR_CBOR               not well-formed: reserved additional info,
 *                               a stray break, a two-byte simple value < 32,
 *                               invalid UTF-8 in a text string, duplicate map key
 *   MIMI_ERR_CBOR_INDEFINITE    an indefinite-length string, array or map
 *   MIMI_ERR_CBOR_NON_CANONICAL an argument, length, float or bignum not in its
 *                               shortest form, a NaN other than f97e00 (the
 *                               only NaN draft-ietf-mimi-content §6.2 allows),
 *                               or map keys out of order
 *   MIMI_ERR_CBOR_TYPE          a typed read met another major type
 *   MIMI_ERR_DEPTH              containers nested deeper than the budget
 *   MIMI_ERR_BAD_CONTENT        (data-model mode) a map key of a forbidden
 *                               type or an integer key outside ±(2^53-1)
 * On error the reader position is unspecified (never outside its buffer) and
 * no out-parameter has been written.
 *
 * Writing appends to a mimi_writer (sticky errors) using libcbor's encoders,
 * which always choose the shortest head.
 */
#ifndef MIMI_CBOR_STRICT_H
#define MIMI_CBOR_STRICT_H

#include "mimi/base.h"

enum {
  MIMI_CBOR_UINT = 0,
  MIMI_CBOR_NEGINT = 1,
  MIMI_CBOR_BYTES = 2,
  MIMI_CBOR_TEXT = 3,
  MIMI_CBOR_ARRAY = 4,
  MIMI_CBOR_MAP = 5,
  MIMI_CBOR_TAG = 6,
  MIMI_CBOR_SIMPLE = 7, /* also floats */
};

/* Simple values as they appear in mimi_cbor_head.arg for major type 7. */
enum {
  MIMI_CBOR_FALSE = 20,
  MIMI_CBOR_TRUE = 21,
  MIMI_CBOR_NULL = 22,
  MIMI_CBOR_UNDEFINED = 23,
};

typedef struct {
  uint8_t major; /* 0..7 */
  uint8_t info;  /* additional information (low five bits of the initial byte) */
  uint64_t arg;  /* value, length, tag number, simple value, or raw float bits */
} mimi_cbor_head;

/* Largest integer map key §6.2 of draft-ietf-mimi-content allows: 2^53 - 1. */
#define MIMI_CBOR_MAX_SAFE_INT ((uint64_t)9007199254740991ULL)

/* Flags for mimi_cbor_read_item. */
enum {
  /* draft-ietf-mimi-content §6.2: map keys only int / tstr / bstr, integer
   * keys within ±(2^53-1). */
  MIMI_CBOR_DATA_MODEL = 1u << 0,
};

/* One head, minimal-form checked. For strings the length is also checked
 * against the remaining input (TRUNCATED). Floats come back with arg = raw
 * bits after the shortest-form check. */
MIMI_MUST_CHECK mimi_err mimi_cbor_read_head(mimi_reader *r, mimi_cbor_head *h);
/* Same, without moving the reader. */
MIMI_MUST_CHECK mimi_err mimi_cbor_peek_head(const mimi_reader *r, mimi_cbor_head *h);
/* True if the next byte is CBOR null; does not consume it. */
bool mimi_cbor_next_is_null(const mimi_reader *r);

MIMI_MUST_CHECK mimi_err mimi_cbor_read_uint(mimi_reader *r, uint64_t *v);
/* Major 0 or 1; TOO_LARGE if the value does not fit int64_t. */
MIMI_MUST_CHECK mimi_err mimi_cbor_read_int(mimi_reader *r, int64_t *v);
/* Views into the input (no copy). Text is checked to be valid UTF-8. */
MIMI_MUST_CHECK mimi_err mimi_cbor_read_bytes(mimi_reader *r, const uint8_t **p, size_t *n);
MIMI_MUST_CHECK mimi_err mimi_cbor_read_text(mimi_reader *r, const uint8_t **p, size_t *n);
/* Owned copies; TOO_LARGE (reader unmoved) if longer than `max` octets. */
MIMI_MUST_CHECK mimi_err mimi_cbor_read_bytes_copy(mimi_reader *r, size_t max, mimi_bytes *out);
MIMI_MUST_CHECK mimi_err mimi_cbor_read_text_copy(mimi_reader *r, size_t max, mimi_bytes *out);
/* Element / pair counts; the count is bounded by the remaining input. */
MIMI_MUST_CHECK mimi_err mimi_cbor_read_array(mimi_reader *r, size_t *count);
MIMI_MUST_CHECK mimi_err mimi_cbor_read_map(mimi_reader *r, size_t *count);
MIMI_MUST_CHECK mimi_err mimi_cbor_read_tag(mimi_reader *r, uint64_t *tag);
MIMI_MUST_CHECK mimi_err mimi_cbor_read_bool(mimi_reader *r, bool *v);
MIMI_MUST_CHECK mimi_err mimi_cbor_read_null(mimi_reader *r);

/* Validates one complete data item of any type — well-formed, deterministic
 * (map keys in bytewise order, no duplicates), containers (arrays, maps,
 * tags) nested at most `depth` levels with the item itself as level 1 — and
 * returns a view of its encoding. */
MIMI_MUST_CHECK mimi_err mimi_cbor_read_item(mimi_reader *r, unsigned depth, unsigned flags,
                                             const uint8_t **item, size_t *len);

/* The IEEE double bits of a float head (info 25, 26 or 27, raw arg). */
uint64_t mimi_cbor_float_to_double_bits(uint8_t info, uint64_t raw);

/* RFC 8949 §4.2.1 key order: bytewise lexicographic on the encodings. */
int mimi_cbor_key_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen);
/* Strict UTF-8 (no overlongs, surrogates or code points above U+10FFFF). */
bool mimi_cbor_utf8_valid(const uint8_t *p, size_t n);

/* The shortest head for (major, arg) into out; returns its length (1..9).
 * Major 7 is not supported here (returns 0). */
size_t mimi_cbor_encode_head(uint8_t major, uint64_t arg, uint8_t out[9]);

/* Canonical writers. */
void mimi_cbor_write_uint(mimi_writer *w, uint64_t v);
void mimi_cbor_write_int(mimi_writer *w, int64_t v);
void mimi_cbor_write_bytes(mimi_writer *w, const uint8_t *p, size_t n);
void mimi_cbor_write_text(mimi_writer *w, const uint8_t *p, size_t n);
void mimi_cbor_write_cstr(mimi_writer *w, const char *s);
void mimi_cbor_write_array(mimi_writer *w, size_t count);
void mimi_cbor_write_map(mimi_writer *w, size_t count);
void mimi_cbor_write_tag(mimi_writer *w, uint64_t tag);
void mimi_cbor_write_bool(mimi_writer *w, bool v);
void mimi_cbor_write_null(mimi_writer *w);

#endif
