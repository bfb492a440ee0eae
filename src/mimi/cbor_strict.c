/* cbor_strict.c — strict deterministic CBOR reading (RFC 8949 §3, §4.2.1)
 * and canonical writing through libcbor's head encoders. */
#include "cbor_strict.h"
#include "text_util.h"

#include <cbor.h>
#include <string.h>

/* ---- reading ------------------------------------------------------------ */

static bool fits_bits(uint64_t mant, unsigned zero_low_bits) {
  if (zero_low_bits >= 64) return mant == 0;
  return (mant & ((UINT64_C(1) << zero_low_bits) - 1)) == 0;
}

/* Whether a finite non-NaN double is exactly representable in a binary
 * format with `mbits` mantissa bits and normal exponents [emin, emax]. */
static bool double_fits(uint64_t bits, unsigned mbits, int emin, int emax) {
  unsigned exp = (unsigned)(bits >> 52) & 0x7ff;
  uint64_t mant = bits & ((UINT64_C(1) << 52) - 1);
  if (exp == 0x7ff) return true; /* infinity: every width has it */
  if (exp == 0) return mant == 0; /* ±0 fits; double subnormals are too small */
  int e = (int)exp - 1023;
  if (e > emax) return false;
  if (e >= emin) return fits_bits(mant, 52 - mbits);
  /* Subnormal in the target: mbits + (e - emin) significant mantissa bits. */
  int keep = (int)mbits + (e - emin);
  if (keep < 0) return false;
  return fits_bits(mant, 52 - (unsigned)keep);
}

static uint64_t half_to_double_bits(uint16_t h) {
  unsigned sign = h >> 15, exp = (h >> 10) & 0x1f, mant = h & 0x3ff;
  uint64_t s = (uint64_t)sign << 63;
  if (exp == 0x1f) return s | (UINT64_C(0x7ff) << 52) | ((uint64_t)mant << 42);
  if (exp == 0) {
    if (mant == 0) return s;
    int e = -14; /* normalise the subnormal */
    while (!(mant & 0x400)) {
      mant <<= 1;
      e--;
    }
    mant &= 0x3ff;
    return s | ((uint64_t)(e + 1023) << 52) | ((uint64_t)mant << 42);
  }
  return s | ((uint64_t)(exp - 15 + 1023) << 52) | ((uint64_t)mant << 42);
}

static uint64_t single_to_double_bits(uint32_t f) {
  float fl;
  double d;
  uint64_t out;
  memcpy(&fl, &f, 4);
  d = (double)fl; /* exact */
  memcpy(&out, &d, 8);
  return out;
}

static bool is_nan_bits(uint64_t dbits) {
  return ((dbits >> 52) & 0x7ff) == 0x7ff && (dbits & ((UINT64_C(1) << 52) - 1)) != 0;
}

uint64_t mimi_cbor_float_to_double_bits(uint8_t info, uint64_t raw) {
  if (info == 25) return half_to_double_bits((uint16_t)raw);
  if (info == 26) return single_to_double_bits((uint32_t)raw);
  return raw;
}

/* Deterministic floats: the shortest width that keeps the value; a NaN only
 * as the half-width quiet NaN f97e00. */
static mimi_err check_float(uint8_t info, uint64_t raw) {
  uint64_t d;
  if (info == 25) {
    d = half_to_double_bits((uint16_t)raw);
    if (is_nan_bits(d) && raw != 0x7e00) return MIMI_ERR_CBOR_NON_CANONICAL;
    return MIMI_OK;
  }
  d = info == 26 ? single_to_double_bits((uint32_t)raw) : raw;
  if (is_nan_bits(d)) return MIMI_ERR_CBOR_NON_CANONICAL;
  if (double_fits(d, 10, -14, 15)) return MIMI_ERR_CBOR_NON_CANONICAL;
  if (info == 27 && double_fits(d, 23, -126, 127)) return MIMI_ERR_CBOR_NON_CANONICAL;
  return MIMI_OK;
}

mimi_err mimi_cbor_read_head(mimi_reader *r, mimi_cbor_head *h) {
  uint8_t ib;
  MIMI_TRY(mimi_read_u8(r, &ib));
  uint8_t major = ib >> 5, info = ib & 0x1f;
  uint64_t arg;
  if (info < 24) {
    arg = info;
  } else if (info == 24) {
    uint8_t v;
    MIMI_TRY(mimi_read_u8(r, &v));
    arg = v;
  } else if (info == 25) {
    uint16_t v;
    MIMI_TRY(mimi_read_u16(r, &v));
    arg = v;
  } else if (info == 26) {
    uint32_t v;
    MIMI_TRY(mimi_read_u32(r, &v));
    arg = v;
  } else if (info == 27) {
    MIMI_TRY(mimi_read_u64(r, &arg));
  } else if (info == 31) {
    /* Break, or an indefinite-length string/container: only the latter is
     * well-formed on its own, and the draft forbids it. */
    if (major >= MIMI_CBOR_BYTES && major <= MIMI_CBOR_MAP) return MIMI_ERR_CBOR_INDEFINITE;
    return MIMI_ERR_CBOR;
  } else {
    return MIMI_ERR_CBOR; /* 28..30 reserved */
  }

  if (major == MIMI_CBOR_SIMPLE) {
    if (info == 24 && arg < 32) return MIMI_ERR_CBOR; /* RFC 8949 §3.3 */
    if (info >= 25) MIMI_TRY(check_float(info, arg));
  } else if (info >= 24) {
    /* Shortest argument: each width must be needed. */
    static const uint64_t floor_of[4] = {24, 0x100, 0x10000, UINT64_C(0x100000000)};
    if (arg < floor_of[info - 24]) return MIMI_ERR_CBOR_NON_CANONICAL;
  }
  if (major == MIMI_CBOR_BYTES || major == MIMI_CBOR_TEXT) {
    if (arg > mimi_reader_remaining(r)) return MIMI_ERR_TRUNCATED;
  } else if (major == MIMI_CBOR_ARRAY || major == MIMI_CBOR_MAP) {
    /* Every element takes at least one byte (two for a map pair). */
    uint64_t min = major == MIMI_CBOR_MAP ? 2 : 1;
    if (arg > mimi_reader_remaining(r) / min) return MIMI_ERR_TRUNCATED;
  }
  h->major = major;
  h->info = info;
  h->arg = arg;
  return MIMI_OK;
}

mimi_err mimi_cbor_peek_head(const mimi_reader *r, mimi_cbor_head *h) {
  mimi_reader copy = *r;
  return mimi_cbor_read_head(&copy, h);
}

bool mimi_cbor_next_is_null(const mimi_reader *r) {
  return mimi_reader_remaining(r) > 0 && r->data[r->pos] == 0xf6;
}

static mimi_err read_typed(mimi_reader *r, uint8_t major, mimi_cbor_head *h) {
  mimi_reader save = *r;
  mimi_cbor_head t;
  mimi_err err = mimi_cbor_read_head(r, &t);
  if (err == MIMI_OK && t.major != major) err = MIMI_ERR_CBOR_TYPE;
  if (err != MIMI_OK) {
    *r = save;
    return err;
  }
  *h = t;
  return MIMI_OK;
}

static mimi_err read_arg(mimi_reader *r, uint8_t major, uint64_t *arg) {
  mimi_cbor_head h;
  MIMI_TRY(read_typed(r, major, &h));
  *arg = h.arg;
  return MIMI_OK;
}

mimi_err mimi_cbor_read_uint(mimi_reader *r, uint64_t *v) {
  return read_arg(r, MIMI_CBOR_UINT, v);
}

mimi_err mimi_cbor_read_int(mimi_reader *r, int64_t *v) {
  mimi_reader save = *r;
  mimi_cbor_head h;
  MIMI_TRY(mimi_cbor_read_head(r, &h));
  mimi_err err = MIMI_OK;
  if (h.major != MIMI_CBOR_UINT && h.major != MIMI_CBOR_NEGINT)
    err = MIMI_ERR_CBOR_TYPE;
  else if (h.arg > (uint64_t)INT64_MAX)
    err = MIMI_ERR_TOO_LARGE;
  if (err != MIMI_OK) {
    *r = save;
    return err;
  }
  *v = h.major == MIMI_CBOR_UINT ? (int64_t)h.arg : -1 - (int64_t)h.arg;
  return MIMI_OK;
}

static mimi_err read_string(mimi_reader *r, uint8_t major, const uint8_t **p, size_t *n) {
  mimi_reader save = *r;
  mimi_cbor_head h;
  MIMI_TRY(read_typed(r, major, &h));
  const uint8_t *body;
  mimi_err err = mimi_read_view(r, (size_t)h.arg, &body);
  if (err == MIMI_OK && major == MIMI_CBOR_TEXT && !mimi_cbor_utf8_valid(body, (size_t)h.arg))
    err = MIMI_ERR_CBOR;
  if (err != MIMI_OK) {
    *r = save;
    return err;
  }
  *p = body;
  *n = (size_t)h.arg;
  return MIMI_OK;
}

mimi_err mimi_cbor_read_bytes(mimi_reader *r, const uint8_t **p, size_t *n) {
  return read_string(r, MIMI_CBOR_BYTES, p, n);
}

mimi_err mimi_cbor_read_text(mimi_reader *r, const uint8_t **p, size_t *n) {
  return read_string(r, MIMI_CBOR_TEXT, p, n);
}

static mimi_err read_copy(mimi_reader *r, uint8_t major, size_t max, mimi_bytes *out) {
  mimi_reader save = *r;
  const uint8_t *p;
  size_t n;
  MIMI_TRY(read_string(r, major, &p, &n));
  mimi_err err = n > max ? MIMI_ERR_TOO_LARGE : mimi_bytes_copy(out, p, n);
  if (err != MIMI_OK) *r = save;
  return err;
}

mimi_err mimi_cbor_read_bytes_copy(mimi_reader *r, size_t max, mimi_bytes *out) {
  return read_copy(r, MIMI_CBOR_BYTES, max, out);
}

mimi_err mimi_cbor_read_text_copy(mimi_reader *r, size_t max, mimi_bytes *out) {
  return read_copy(r, MIMI_CBOR_TEXT, max, out);
}

mimi_err mimi_cbor_read_array(mimi_reader *r, size_t *count) {
  uint64_t n;
  MIMI_TRY(read_arg(r, MIMI_CBOR_ARRAY, &n));
  *count = (size_t)n;
  return MIMI_OK;
}

mimi_err mimi_cbor_read_map(mimi_reader *r, size_t *count) {
  uint64_t n;
  MIMI_TRY(read_arg(r, MIMI_CBOR_MAP, &n));
  *count = (size_t)n;
  return MIMI_OK;
}

mimi_err mimi_cbor_read_tag(mimi_reader *r, uint64_t *tag) {
  return read_arg(r, MIMI_CBOR_TAG, tag);
}

static mimi_err read_simple(mimi_reader *r, uint64_t *simple) {
  mimi_reader save = *r;
  mimi_cbor_head h;
  MIMI_TRY(read_typed(r, MIMI_CBOR_SIMPLE, &h));
  if (h.info > 24) {
    *r = save;
    return MIMI_ERR_CBOR_TYPE; /* a float */
  }
  *simple = h.arg;
  return MIMI_OK;
}

mimi_err mimi_cbor_read_bool(mimi_reader *r, bool *v) {
  mimi_reader save = *r;
  uint64_t s;
  MIMI_TRY(read_simple(r, &s));
  if (s != MIMI_CBOR_FALSE && s != MIMI_CBOR_TRUE) {
    *r = save;
    return MIMI_ERR_CBOR_TYPE;
  }
  *v = s == MIMI_CBOR_TRUE;
  return MIMI_OK;
}

mimi_err mimi_cbor_read_null(mimi_reader *r) {
  mimi_reader save = *r;
  uint64_t s;
  MIMI_TRY(read_simple(r, &s));
  if (s != MIMI_CBOR_NULL) {
    *r = save;
    return MIMI_ERR_CBOR_TYPE;
  }
  return MIMI_OK;
}

/* Bignums (tags 2, 3) in deterministic encoding: no leading zero bytes, and
 * values that fit a major type 0/1 integer must be written as one. */
static mimi_err check_bignum(mimi_reader *r) {
  mimi_cbor_head h;
  MIMI_TRY(mimi_cbor_peek_head(r, &h));
  if (h.major != MIMI_CBOR_BYTES) return MIMI_ERR_CBOR_TYPE;
  if (h.arg <= 8) return MIMI_ERR_CBOR_NON_CANONICAL;
  mimi_reader copy = *r;
  const uint8_t *p;
  size_t n;
  MIMI_TRY(mimi_cbor_read_bytes(&copy, &p, &n));
  if (p[0] == 0) return MIMI_ERR_CBOR_NON_CANONICAL;
  return MIMI_OK;
}

static mimi_err check_key(mimi_reader *r, unsigned flags) {
  if (!(flags & MIMI_CBOR_DATA_MODEL)) return MIMI_OK;
  mimi_cbor_head h;
  MIMI_TRY(mimi_cbor_peek_head(r, &h));
  switch (h.major) {
    case MIMI_CBOR_UINT:
      return h.arg <= MIMI_CBOR_MAX_SAFE_INT ? MIMI_OK : MIMI_ERR_BAD_CONTENT;
    case MIMI_CBOR_NEGINT: /* value -1 - arg >= -(2^53 - 1) */
      return h.arg < MIMI_CBOR_MAX_SAFE_INT ? MIMI_OK : MIMI_ERR_BAD_CONTENT;
    case MIMI_CBOR_BYTES:
    case MIMI_CBOR_TEXT:
      return MIMI_OK;
    default:
      return MIMI_ERR_BAD_CONTENT;
  }
}

static mimi_err skip_item(mimi_reader *r, unsigned depth, unsigned flags) {
  mimi_cbor_head h;
  size_t start = r->pos;
  MIMI_TRY(mimi_cbor_read_head(r, &h));
  switch (h.major) {
    case MIMI_CBOR_UINT:
    case MIMI_CBOR_NEGINT:
      return MIMI_OK;
    case MIMI_CBOR_BYTES:
    case MIMI_CBOR_TEXT: {
      r->pos = start;
      const uint8_t *p;
      size_t n;
      return read_string(r, h.major, &p, &n);
    }
    case MIMI_CBOR_ARRAY:
      if (depth == 0) return MIMI_ERR_DEPTH;
      for (uint64_t i = 0; i < h.arg; i++) MIMI_TRY(skip_item(r, depth - 1, flags));
      return MIMI_OK;
    case MIMI_CBOR_MAP: {
      if (depth == 0) return MIMI_ERR_DEPTH;
      const uint8_t *prev = NULL;
      size_t prev_len = 0;
      for (uint64_t i = 0; i < h.arg; i++) {
        MIMI_TRY(check_key(r, flags));
        size_t kstart = r->pos;
        MIMI_TRY(skip_item(r, depth - 1, flags));
        const uint8_t *key = r->data + kstart;
        size_t key_len = r->pos - kstart;
        if (prev) {
          int c = mimi_cbor_key_cmp(prev, prev_len, key, key_len);
          if (c == 0) return MIMI_ERR_CBOR; /* duplicate key: RFC 8949 §5.6 */
          if (c > 0) return MIMI_ERR_CBOR_NON_CANONICAL;
        }
        prev = key;
        prev_len = key_len;
        MIMI_TRY(skip_item(r, depth - 1, flags));
      }
      return MIMI_OK;
    }
    case MIMI_CBOR_TAG:
      if (depth == 0) return MIMI_ERR_DEPTH;
      if (h.arg == 2 || h.arg == 3) MIMI_TRY(check_bignum(r));
      return skip_item(r, depth - 1, flags);
    default: /* simple values and floats; read_head checked floats */
      return MIMI_OK;
  }
}

mimi_err mimi_cbor_read_item(mimi_reader *r, unsigned depth, unsigned flags,
                             const uint8_t **item, size_t *len) {
  mimi_reader save = *r;
  mimi_err err = skip_item(r, depth, flags);
  if (err != MIMI_OK) {
    *r = save;
    return err;
  }
  *item = save.data + save.pos;
  *len = r->pos - save.pos;
  return MIMI_OK;
}

int mimi_cbor_key_cmp(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen) {
  size_t n = alen < blen ? alen : blen;
  int c = n ? memcmp(a, b, n) : 0;
  if (c != 0) return c < 0 ? -1 : 1;
  return alen < blen ? -1 : alen > blen ? 1 : 0;
}

bool mimi_cbor_utf8_valid(const uint8_t *p, size_t n) {
  size_t i = 0;
  while (i < n) {
    uint32_t cp;
    size_t k = mimi_utf8_next(p + i, n - i, &cp);
    if (k == 0) return false;
    i += k;
  }
  return true;
}

/* ---- writing ------------------------------------------------------------ */

/* libcbor's encoders pick the shortest head; 9 bytes hold any head. */
#define HEAD_MAX 9

static void put(mimi_writer *w, const unsigned char *buf, size_t n) {
  if (n == 0) {
    if (w->err == MIMI_OK) w->err = MIMI_ERR_INTERNAL;
    return;
  }
  mimi_write_raw(w, buf, n);
}

size_t mimi_cbor_encode_head(uint8_t major, uint64_t arg, uint8_t out[HEAD_MAX]) {
  switch (major) {
    case MIMI_CBOR_UINT: return cbor_encode_uint(arg, out, HEAD_MAX);
    case MIMI_CBOR_NEGINT: return cbor_encode_negint(arg, out, HEAD_MAX);
    case MIMI_CBOR_BYTES: return cbor_encode_bytestring_start((size_t)arg, out, HEAD_MAX);
    case MIMI_CBOR_TEXT: return cbor_encode_string_start((size_t)arg, out, HEAD_MAX);
    case MIMI_CBOR_ARRAY: return cbor_encode_array_start((size_t)arg, out, HEAD_MAX);
    case MIMI_CBOR_MAP: return cbor_encode_map_start((size_t)arg, out, HEAD_MAX);
    case MIMI_CBOR_TAG: return cbor_encode_tag(arg, out, HEAD_MAX);
    default: return 0;
  }
}

static void write_head(mimi_writer *w, uint8_t major, uint64_t arg) {
  uint8_t b[HEAD_MAX];
  put(w, b, mimi_cbor_encode_head(major, arg, b));
}

void mimi_cbor_write_uint(mimi_writer *w, uint64_t v) { write_head(w, MIMI_CBOR_UINT, v); }

void mimi_cbor_write_int(mimi_writer *w, int64_t v) {
  if (v >= 0)
    write_head(w, MIMI_CBOR_UINT, (uint64_t)v);
  else
    write_head(w, MIMI_CBOR_NEGINT, (uint64_t)(-1 - v));
}

void mimi_cbor_write_bytes(mimi_writer *w, const uint8_t *p, size_t n) {
  write_head(w, MIMI_CBOR_BYTES, n);
  if (n) mimi_write_raw(w, p, n);
}

void mimi_cbor_write_text(mimi_writer *w, const uint8_t *p, size_t n) {
  write_head(w, MIMI_CBOR_TEXT, n);
  if (n) mimi_write_raw(w, p, n);
}

void mimi_cbor_write_cstr(mimi_writer *w, const char *s) {
  mimi_cbor_write_text(w, (const uint8_t *)s, strlen(s));
}

void mimi_cbor_write_array(mimi_writer *w, size_t count) { write_head(w, MIMI_CBOR_ARRAY, count); }

void mimi_cbor_write_map(mimi_writer *w, size_t count) { write_head(w, MIMI_CBOR_MAP, count); }

void mimi_cbor_write_tag(mimi_writer *w, uint64_t tag) { write_head(w, MIMI_CBOR_TAG, tag); }

void mimi_cbor_write_bool(mimi_writer *w, bool v) {
  unsigned char b[HEAD_MAX];
  put(w, b, cbor_encode_bool(v, b, sizeof b));
}

void mimi_cbor_write_null(mimi_writer *w) {
  unsigned char b[HEAD_MAX];
  put(w, b, cbor_encode_null(b, sizeof b));
}
