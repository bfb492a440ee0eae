/* codec.c — the one encoder, decoder, destructor, comparator and cloner for
 * every wire struct, driven by the descriptors MIMI_STRUCT_DEFINE and
 * MIMI_VARIANT_DEFINE build (see mimi/base.h). */
#include <stdlib.h>
#include <string.h>

#include "mimi/base.h"

/* Declared types are not recursive, so this only guards against a broken
 * descriptor; it is far above the deepest RFC 9420 nesting. */
#define MAX_DEPTH 32

/* ---- primitive descriptors ---------------------------------------------- */

#define PRIMITIVE_TYPE(fn, label, kind, ctype)                                 \
  const mimi_type *fn(void) {                                                 \
    static const mimi_type t = {label, kind, sizeof(ctype), NULL, 0,          \
                                MIMI_KIND_U8, 0, NULL, 0};                    \
    return &t;                                                                \
  }
PRIMITIVE_TYPE(mimi_u8_type, "uint8", MIMI_KIND_U8, uint8_t)
PRIMITIVE_TYPE(mimi_u16_type, "uint16", MIMI_KIND_U16, uint16_t)
PRIMITIVE_TYPE(mimi_u32_type, "uint32", MIMI_KIND_U32, uint32_t)
PRIMITIVE_TYPE(mimi_u64_type, "uint64", MIMI_KIND_U64, uint64_t)
PRIMITIVE_TYPE(mimi_bytes_type, "opaque", MIMI_KIND_OPAQUE, mimi_bytes)
PRIMITIVE_TYPE(mimi_empty_type, "struct{}", MIMI_KIND_EMPTY, mimi_empty)

#define AT(base, off) ((void *)((uint8_t *)(base) + (off)))
#define CAT(base, off) ((const void *)((const uint8_t *)(base) + (off)))

static uint32_t get_uint(mimi_kind k, const void *p) {
  switch (k) {
    case MIMI_KIND_U8: return *(const uint8_t *)p;
    case MIMI_KIND_U16: return *(const uint16_t *)p;
    default: return *(const uint32_t *)p;
  }
}

static const mimi_variant_case *find_case(const mimi_type *t, uint32_t tag) {
  for (size_t i = 0; i < t->n_cases; i++)
    if (t->cases[i].tag == tag) return &t->cases[i];
  return NULL;
}

/* ---- encode -------------------------------------------------------------- */

static void encode_value(const mimi_type *t, const void *v, mimi_writer *w, int depth);

static void encode_field(const mimi_field *f, const void *s, mimi_writer *w, int depth) {
  const void *p = CAT(s, f->offset);
  switch (f->form) {
    case MIMI_FIELD_PLAIN:
      encode_value(f->type(), p, w, depth);
      break;
    case MIMI_FIELD_FIXED:
      mimi_write_raw(w, p, f->fixed_len);
      break;
    case MIMI_FIELD_COND:
      if (f->present(s)) encode_value(f->type(), p, w, depth);
      break;
    case MIMI_FIELD_OPT: {
      const void *inner = *(void *const *)p;
      mimi_write_u8(w, inner != NULL);
      if (inner) encode_value(f->type(), inner, w, depth);
      break;
    }
    case MIMI_FIELD_VEC: {
      const mimi_type *et = f->type();
      const uint8_t *items = *(const uint8_t *const *)p;
      size_t count = *(const size_t *)CAT(s, f->count_offset);
      size_t mark = mimi_write_vec_begin(w);
      for (size_t i = 0; i < count; i++) encode_value(et, items + i * et->size, w, depth);
      mimi_write_vec_end(w, mark);
      break;
    }
  }
}

static void encode_value(const mimi_type *t, const void *v, mimi_writer *w, int depth) {
  if (w->err != MIMI_OK) return;
  if (depth > MAX_DEPTH) {
    w->err = MIMI_ERR_DEPTH;
    return;
  }
  switch (t->kind) {
    case MIMI_KIND_U8: mimi_write_u8(w, *(const uint8_t *)v); break;
    case MIMI_KIND_U16: mimi_write_u16(w, *(const uint16_t *)v); break;
    case MIMI_KIND_U32: mimi_write_u32(w, *(const uint32_t *)v); break;
    case MIMI_KIND_U64: mimi_write_u64(w, *(const uint64_t *)v); break;
    case MIMI_KIND_OPAQUE: {
      const mimi_bytes *b = v;
      mimi_write_opaque(w, b->data, b->len);
      break;
    }
    case MIMI_KIND_EMPTY: break;
    case MIMI_KIND_STRUCT:
      for (size_t i = 0; i < t->n_fields; i++) encode_field(&t->fields[i], v, w, depth + 1);
      break;
    case MIMI_KIND_VARIANT: {
      uint32_t tag = get_uint(t->tag_kind, CAT(v, t->tag_offset));
      const mimi_variant_case *c = find_case(t, tag);
      if (c == NULL) {
        w->err = MIMI_ERR_BAD_TAG;
        return;
      }
      encode_value(t->tag_kind == MIMI_KIND_U8    ? mimi_u8_type()
                   : t->tag_kind == MIMI_KIND_U16 ? mimi_u16_type()
                                                  : mimi_u32_type(),
                   CAT(v, t->tag_offset), w, depth);
      encode_value(c->type(), CAT(v, c->offset), w, depth + 1);
      break;
    }
  }
}

void mimi_encode(const mimi_type *t, const void *value, mimi_writer *w) {
  encode_value(t, value, w, 0);
}

void mimi_encode_variant_body(const mimi_type *t, const void *value, mimi_writer *w) {
  if (w->err != MIMI_OK) return;
  if (t->kind != MIMI_KIND_VARIANT) {
    w->err = MIMI_ERR_INVALID_ARG;
    return;
  }
  const mimi_variant_case *c = find_case(t, get_uint(t->tag_kind, CAT(value, t->tag_offset)));
  if (c == NULL) {
    w->err = MIMI_ERR_BAD_TAG;
    return;
  }
  encode_value(c->type(), CAT(value, c->offset), w, 1);
}

mimi_err mimi_encode_alloc(const mimi_type *t, const void *value, mimi_bytes *out) {
  mimi_writer w;
  mimi_writer_init(&w);
  mimi_encode(t, value, &w);
  return mimi_writer_finish(&w, out);
}

/* ---- free ---------------------------------------------------------------- */

static void free_value(const mimi_type *t, void *v);

static void free_field(const mimi_field *f, void *s) {
  void *p = AT(s, f->offset);
  switch (f->form) {
    case MIMI_FIELD_PLAIN:
    case MIMI_FIELD_COND:
      free_value(f->type(), p);
      break;
    case MIMI_FIELD_FIXED:
      break;
    case MIMI_FIELD_OPT: {
      void *inner = *(void **)p;
      if (inner) {
        const mimi_type *et = f->type();
        free_value(et, inner);
        mimi_secure_zero(inner, et->size);
        free(inner);
      }
      *(void **)p = NULL;
      break;
    }
    case MIMI_FIELD_VEC: {
      const mimi_type *et = f->type();
      uint8_t *items = *(uint8_t **)p;
      size_t *count = AT(s, f->count_offset);
      if (items) {
        for (size_t i = 0; i < *count; i++) free_value(et, items + i * et->size);
        mimi_secure_zero(items, *count * et->size);
        free(items);
      }
      *(void **)p = NULL;
      *count = 0;
      break;
    }
  }
}

static void free_value(const mimi_type *t, void *v) {
  switch (t->kind) {
    case MIMI_KIND_OPAQUE: mimi_bytes_free(v); break;
    case MIMI_KIND_STRUCT:
      for (size_t i = 0; i < t->n_fields; i++) free_field(&t->fields[i], v);
      break;
    case MIMI_KIND_VARIANT: {
      const mimi_variant_case *c = find_case(t, get_uint(t->tag_kind, CAT(v, t->tag_offset)));
      if (c) free_value(c->type(), AT(v, c->offset));
      break;
    }
    default: break;
  }
}

void mimi_free(const mimi_type *t, void *value) {
  if (value == NULL) return;
  free_value(t, value);
  mimi_secure_zero(value, t->size);
}

/* ---- decode -------------------------------------------------------------- */

static mimi_err decode_value(const mimi_type *t, mimi_reader *r, void *out, int depth);

static mimi_err decode_field(const mimi_field *f, mimi_reader *r, void *s, int depth) {
  void *p = AT(s, f->offset);
  switch (f->form) {
    case MIMI_FIELD_PLAIN:
      return decode_value(f->type(), r, p, depth);
    case MIMI_FIELD_FIXED: {
      const uint8_t *src;
      MIMI_TRY(mimi_read_view(r, f->fixed_len, &src));
      memcpy(p, src, f->fixed_len);
      return MIMI_OK;
    }
    case MIMI_FIELD_COND:
      /* Earlier fields of s are already decoded, so pred can look at them. */
      return f->present(s) ? decode_value(f->type(), r, p, depth) : MIMI_OK;
    case MIMI_FIELD_OPT: {
      uint8_t present;
      MIMI_TRY(mimi_read_u8(r, &present));
      if (present > 1) return MIMI_ERR_BAD_OPTIONAL;
      if (!present) return MIMI_OK;
      const mimi_type *et = f->type();
      void *inner = calloc(1, et->size);
      if (inner == NULL) return MIMI_ERR_NOMEM;
      mimi_err err = decode_value(et, r, inner, depth);
      if (err != MIMI_OK) {
        free(inner);
        return err;
      }
      *(void **)p = inner;
      return MIMI_OK;
    }
    case MIMI_FIELD_VEC: {
      const mimi_type *et = f->type();
      mimi_reader body;
      MIMI_TRY(mimi_read_vec(r, &body));
      uint8_t *items = NULL;
      size_t count = 0, cap = 0;
      mimi_err err = MIMI_OK;
      while (mimi_reader_remaining(&body) > 0) {
        if (count == cap) {
          /* Every element takes at least one byte unless it is empty; an
           * empty element type cannot make progress, so reject it. */
          if (et->kind == MIMI_KIND_EMPTY) {
            err = MIMI_ERR_BAD_LENGTH;
            break;
          }
          size_t ncap = cap ? cap * 2 : 4;
          uint8_t *n = calloc(ncap, et->size);
          if (n == NULL) {
            err = MIMI_ERR_NOMEM;
            break;
          }
          if (items) {
            memcpy(n, items, count * et->size);
            mimi_secure_zero(items, count * et->size);
            free(items);
          }
          items = n;
          cap = ncap;
        }
        err = decode_value(et, &body, items + count * et->size, depth);
        if (err != MIMI_OK) break;
        count++;
      }
      if (err != MIMI_OK) {
        for (size_t i = 0; i < count; i++) free_value(et, items + i * et->size);
        if (items) {
          mimi_secure_zero(items, cap * et->size);
          free(items);
        }
        return err;
      }
      *(void **)p = items;
      *(size_t *)AT(s, f->count_offset) = count;
      return MIMI_OK;
    }
  }
  return MIMI_ERR_INTERNAL;
}

static mimi_err decode_tag(mimi_kind k, mimi_reader *r, void *out) {
  switch (k) {
    case MIMI_KIND_U8: return mimi_read_u8(r, out);
    case MIMI_KIND_U16: return mimi_read_u16(r, out);
    default: return mimi_read_u32(r, out);
  }
}

static mimi_err decode_value(const mimi_type *t, mimi_reader *r, void *out, int depth) {
  if (depth > MAX_DEPTH) return MIMI_ERR_DEPTH;
  switch (t->kind) {
    case MIMI_KIND_U8: return mimi_read_u8(r, out);
    case MIMI_KIND_U16: return mimi_read_u16(r, out);
    case MIMI_KIND_U32: return mimi_read_u32(r, out);
    case MIMI_KIND_U64: return mimi_read_u64(r, out);
    case MIMI_KIND_OPAQUE: return mimi_read_opaque(r, out);
    case MIMI_KIND_EMPTY: return MIMI_OK;
    case MIMI_KIND_STRUCT:
      for (size_t i = 0; i < t->n_fields; i++) {
        mimi_err err = decode_field(&t->fields[i], r, out, depth + 1);
        if (err != MIMI_OK) {
          /* Fields after i are still zero, so freeing the whole struct is safe. */
          free_value(t, out);
          mimi_secure_zero(out, t->size);
          return err;
        }
      }
      return MIMI_OK;
    case MIMI_KIND_VARIANT: {
      MIMI_TRY(decode_tag(t->tag_kind, r, AT(out, t->tag_offset)));
      const mimi_variant_case *c = find_case(t, get_uint(t->tag_kind, CAT(out, t->tag_offset)));
      mimi_err err = c ? decode_value(c->type(), r, AT(out, c->offset), depth + 1)
                       : MIMI_ERR_BAD_TAG;
      if (err != MIMI_OK) mimi_secure_zero(out, t->size);
      return err;
    }
  }
  return MIMI_ERR_INTERNAL;
}

mimi_err mimi_decode(const mimi_type *t, mimi_reader *r, void *out) {
  memset(out, 0, t->size);
  size_t save = r->pos;
  mimi_err err = decode_value(t, r, out, 0);
  if (err != MIMI_OK) r->pos = save;
  return err;
}

mimi_err mimi_decode_variant_body(const mimi_type *t, uint32_t tag, mimi_reader *r,
                                  void *out) {
  if (t->kind != MIMI_KIND_VARIANT) return MIMI_ERR_INVALID_ARG;
  memset(out, 0, t->size);
  void *tp = AT(out, t->tag_offset);
  switch (t->tag_kind) {
    case MIMI_KIND_U8:
      if (tag > UINT8_MAX) return MIMI_ERR_BAD_TAG;
      *(uint8_t *)tp = (uint8_t)tag;
      break;
    case MIMI_KIND_U16:
      if (tag > UINT16_MAX) return MIMI_ERR_BAD_TAG;
      *(uint16_t *)tp = (uint16_t)tag;
      break;
    default: *(uint32_t *)tp = tag; break;
  }
  const mimi_variant_case *c = find_case(t, tag);
  size_t save = r->pos;
  mimi_err err = c ? decode_value(c->type(), r, AT(out, c->offset), 1) : MIMI_ERR_BAD_TAG;
  if (err != MIMI_OK) {
    r->pos = save;
    mimi_secure_zero(out, t->size);
  }
  return err;
}

mimi_err mimi_decode_exact(const mimi_type *t, const uint8_t *data, size_t len, void *out) {
  mimi_reader r = mimi_reader_init(data, len);
  MIMI_TRY(mimi_decode(t, &r, out));
  if (mimi_reader_remaining(&r) != 0) {
    mimi_free(t, out);
    return MIMI_ERR_TRAILING_DATA;
  }
  return MIMI_OK;
}

/* ---- equality ------------------------------------------------------------ */

static bool equal_value(const mimi_type *t, const void *a, const void *b);

static bool equal_field(const mimi_field *f, const void *sa, const void *sb) {
  const void *pa = CAT(sa, f->offset), *pb = CAT(sb, f->offset);
  switch (f->form) {
    case MIMI_FIELD_PLAIN: return equal_value(f->type(), pa, pb);
    case MIMI_FIELD_FIXED: return mimi_ct_eq(pa, pb, f->fixed_len);
    case MIMI_FIELD_COND: {
      bool ha = f->present(sa), hb = f->present(sb);
      return ha == hb && (!ha || equal_value(f->type(), pa, pb));
    }
    case MIMI_FIELD_OPT: {
      const void *ia = *(void *const *)pa, *ib = *(void *const *)pb;
      if (!ia || !ib) return ia == ib;
      return equal_value(f->type(), ia, ib);
    }
    case MIMI_FIELD_VEC: {
      const mimi_type *et = f->type();
      size_t na = *(const size_t *)CAT(sa, f->count_offset);
      size_t nb = *(const size_t *)CAT(sb, f->count_offset);
      if (na != nb) return false;
      const uint8_t *ia = *(const uint8_t *const *)pa, *ib = *(const uint8_t *const *)pb;
      for (size_t i = 0; i < na; i++)
        if (!equal_value(et, ia + i * et->size, ib + i * et->size)) return false;
      return true;
    }
  }
  return false;
}

static bool equal_value(const mimi_type *t, const void *a, const void *b) {
  switch (t->kind) {
    case MIMI_KIND_U8: return *(const uint8_t *)a == *(const uint8_t *)b;
    case MIMI_KIND_U16: return *(const uint16_t *)a == *(const uint16_t *)b;
    case MIMI_KIND_U32: return *(const uint32_t *)a == *(const uint32_t *)b;
    case MIMI_KIND_U64: return *(const uint64_t *)a == *(const uint64_t *)b;
    case MIMI_KIND_OPAQUE: return mimi_bytes_eq(a, b);
    case MIMI_KIND_EMPTY: return true;
    case MIMI_KIND_STRUCT:
      for (size_t i = 0; i < t->n_fields; i++)
        if (!equal_field(&t->fields[i], a, b)) return false;
      return true;
    case MIMI_KIND_VARIANT: {
      uint32_t ta = get_uint(t->tag_kind, CAT(a, t->tag_offset));
      if (ta != get_uint(t->tag_kind, CAT(b, t->tag_offset))) return false;
      const mimi_variant_case *c = find_case(t, ta);
      return c != NULL && equal_value(c->type(), CAT(a, c->offset), CAT(b, c->offset));
    }
  }
  return false;
}

bool mimi_equal(const mimi_type *t, const void *a, const void *b) {
  return equal_value(t, a, b);
}

/* ---- clone: encode then decode keeps one code path for both directions --- */

mimi_err mimi_clone(const mimi_type *t, void *dst, const void *src) {
  mimi_bytes enc;
  mimi_err err = mimi_encode_alloc(t, src, &enc);
  if (err != MIMI_OK) {
    memset(dst, 0, t->size);
    return err;
  }
  err = mimi_decode_exact(t, enc.data, enc.len, dst);
  mimi_bytes_free(&enc);
  return err;
}
