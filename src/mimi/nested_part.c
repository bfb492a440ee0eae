/* nested_part.c — NestedPart bodies (draft-ietf-mimi-content §4.4, §4.5):
 * strict decoding with depth/count/size limits, validated canonical
 * encoding, and the deep free / clone / equality the model needs. */
#include <stdlib.h>
#include <string.h>

#include "content_internal.h"

/* Array lengths per cardinality: disposition, language, cardinality, then
 * the cardinality's own fields. */
static const size_t fields_for[4] = {3, 5, 15, 5};

void mimi_nested_part_free(mimi_nested_part *p) {
  mimi_bytes_free(&p->language);
  mimi_bytes_free(&p->content_type);
  mimi_bytes_free(&p->content);
  mimi_external_part *e = &p->external;
  mimi_bytes_free(&e->url);
  mimi_bytes_free(&e->key);
  mimi_bytes_free(&e->nonce);
  mimi_bytes_free(&e->aad);
  mimi_bytes_free(&e->content_hash);
  mimi_bytes_free(&e->description);
  mimi_bytes_free(&e->filename);
  for (size_t i = 0; i < p->part_count && p->parts; i++) mimi_nested_part_free(&p->parts[i]);
  free(p->parts);
  memset(p, 0, sizeof *p);
}

/* ---- decoding ----------------------------------------------------------- */

static mimi_err read_small_uint(mimi_reader *r, uint64_t max, uint64_t *v) {
  mimi_reader save = *r;
  uint64_t x;
  MIMI_TRY(mimi_cbor_read_uint(r, &x));
  if (x > max) {
    *r = save;
    return MIMI_ERR_BAD_CONTENT;
  }
  *v = x;
  return MIMI_OK;
}

static mimi_err read_external(mimi_reader *r, size_t max, mimi_nested_part *p) {
  mimi_external_part *e = &p->external;
  uint64_t v;
  MIMI_TRY(mimi_cbor_read_text_copy(r, max, &p->content_type));
  MIMI_TRY(mimi_cbor_read_text_copy(r, max, &e->url));
  MIMI_TRY(read_small_uint(r, UINT32_MAX, &v)); /* uint .size 4 */
  e->expires = (uint32_t)v;
  MIMI_TRY(mimi_cbor_read_uint(r, &e->size)); /* uint .size 8 */
  MIMI_TRY(read_small_uint(r, UINT16_MAX, &v));
  e->enc_alg = (uint16_t)v;
  MIMI_TRY(mimi_cbor_read_bytes_copy(r, max, &e->key));
  MIMI_TRY(mimi_cbor_read_bytes_copy(r, max, &e->nonce));
  MIMI_TRY(mimi_cbor_read_bytes_copy(r, max, &e->aad));
  MIMI_TRY(read_small_uint(r, UINT8_MAX, &v));
  e->hash_alg = (uint8_t)v;
  MIMI_TRY(mimi_cbor_read_bytes_copy(r, max, &e->content_hash));
  MIMI_TRY(mimi_cbor_read_text_copy(r, max, &e->description));
  MIMI_TRY(mimi_cbor_read_text_copy(r, max, &e->filename));
  return MIMI_OK;
}

static mimi_err read_multi(mimi_reader *r, mimi_part_budget *b, unsigned level,
                           mimi_nested_part *p) {
  uint64_t v;
  size_t n;
  MIMI_TRY(read_small_uint(r, MIMI_SEM_PROCESS_ALL, &v)); /* §9.1: unknown semantics */
  p->semantics = (mimi_part_semantics)v;
  MIMI_TRY(mimi_cbor_read_array(r, &n));
  if (n < 2) return MIMI_ERR_BAD_CONTENT; /* parts: [2* NestedPart] */
  if (level + 1 > b->lim->max_part_depth) return MIMI_ERR_DEPTH;
  if (n > b->lim->max_parts - b->parts) return MIMI_ERR_TOO_LARGE;
  p->parts = calloc(n, sizeof *p->parts);
  if (p->parts == NULL) return MIMI_ERR_NOMEM;
  p->part_count = n;
  for (size_t i = 0; i < n; i++) MIMI_TRY(mimi_nested_part_read(r, b, level + 1, &p->parts[i]));
  return MIMI_OK;
}

static mimi_err read_part(mimi_reader *r, mimi_part_budget *b, unsigned level,
                          mimi_nested_part *p) {
  size_t n;
  uint64_t v;
  size_t max = b->lim->max_part_size;
  MIMI_TRY(mimi_cbor_read_array(r, &n));
  if (n < 3) return MIMI_ERR_BAD_CONTENT;
  MIMI_TRY(read_small_uint(r, UINT8_MAX, &v)); /* dispositions are 0..255 (§8.2.2) */
  p->disposition = (uint8_t)v;
  MIMI_TRY(mimi_cbor_read_text_copy(r, max, &p->language));
  MIMI_TRY(read_small_uint(r, MIMI_PART_MULTI, &v));
  p->cardinality = (mimi_cardinality)v;
  if (n != fields_for[v]) return MIMI_ERR_BAD_CONTENT;
  switch (p->cardinality) {
    case MIMI_PART_NULL:
      return MIMI_OK;
    case MIMI_PART_SINGLE:
      MIMI_TRY(mimi_cbor_read_text_copy(r, max, &p->content_type));
      return mimi_cbor_read_bytes_copy(r, max, &p->content);
    case MIMI_PART_EXTERNAL:
      return read_external(r, max, p);
    case MIMI_PART_MULTI:
      return read_multi(r, b, level, p);
  }
  return MIMI_ERR_INTERNAL;
}

mimi_err mimi_nested_part_read(mimi_reader *r, mimi_part_budget *b, unsigned level,
                               mimi_nested_part *out) {
  if (level > b->lim->max_part_depth) return MIMI_ERR_DEPTH;
  if (b->parts >= b->lim->max_parts) return MIMI_ERR_TOO_LARGE;
  b->parts++;
  mimi_nested_part p;
  memset(&p, 0, sizeof p);
  mimi_err err = read_part(r, b, level, &p);
  if (err != MIMI_OK) {
    mimi_nested_part_free(&p);
    return err;
  }
  *out = p;
  return MIMI_OK;
}

/* ---- encoding ----------------------------------------------------------- */

static bool part_valid(const mimi_nested_part *p) {
  if (!mimi_text_ok(&p->language)) return false;
  switch (p->cardinality) {
    case MIMI_PART_NULL:
      return true;
    case MIMI_PART_SINGLE:
      return mimi_text_ok(&p->content_type);
    case MIMI_PART_EXTERNAL:
      return mimi_text_ok(&p->content_type) && mimi_text_ok(&p->external.url) &&
             mimi_text_ok(&p->external.description) && mimi_text_ok(&p->external.filename);
    case MIMI_PART_MULTI:
      return (unsigned)p->semantics <= MIMI_SEM_PROCESS_ALL && p->part_count >= 2 &&
             p->parts != NULL;
  }
  return false;
}

static void write_b(mimi_writer *w, const mimi_bytes *b) { mimi_cbor_write_bytes(w, b->data, b->len); }
static void write_t(mimi_writer *w, const mimi_bytes *b) { mimi_cbor_write_text(w, b->data, b->len); }

mimi_err mimi_nested_part_write(mimi_writer *w, const mimi_nested_part *p, unsigned level,
                                unsigned max_depth) {
  if (level > max_depth) return MIMI_ERR_DEPTH;
  if (!part_valid(p)) return MIMI_ERR_BAD_CONTENT;
  mimi_cbor_write_array(w, fields_for[p->cardinality]);
  mimi_cbor_write_uint(w, p->disposition);
  write_t(w, &p->language);
  mimi_cbor_write_uint(w, (uint64_t)p->cardinality);
  switch (p->cardinality) {
    case MIMI_PART_NULL:
      break;
    case MIMI_PART_SINGLE:
      write_t(w, &p->content_type);
      write_b(w, &p->content);
      break;
    case MIMI_PART_EXTERNAL: {
      const mimi_external_part *e = &p->external;
      write_t(w, &p->content_type);
      write_t(w, &e->url);
      mimi_cbor_write_uint(w, e->expires);
      mimi_cbor_write_uint(w, e->size);
      mimi_cbor_write_uint(w, e->enc_alg);
      write_b(w, &e->key);
      write_b(w, &e->nonce);
      write_b(w, &e->aad);
      mimi_cbor_write_uint(w, e->hash_alg);
      write_b(w, &e->content_hash);
      write_t(w, &e->description);
      write_t(w, &e->filename);
      break;
    }
    case MIMI_PART_MULTI:
      mimi_cbor_write_uint(w, (uint64_t)p->semantics);
      mimi_cbor_write_array(w, p->part_count);
      for (size_t i = 0; i < p->part_count; i++)
        MIMI_TRY(mimi_nested_part_write(w, &p->parts[i], level + 1, max_depth));
      break;
  }
  return MIMI_OK;
}

/* ---- model helpers ------------------------------------------------------ */

bool mimi_nested_part_equal(const mimi_nested_part *a, const mimi_nested_part *b) {
  if (a->disposition != b->disposition || a->cardinality != b->cardinality ||
      !mimi_bytes_same(&a->language, &b->language))
    return false;
  switch (a->cardinality) {
    case MIMI_PART_NULL:
      return true;
    case MIMI_PART_SINGLE:
      return mimi_bytes_same(&a->content_type, &b->content_type) && mimi_bytes_same(&a->content, &b->content);
    case MIMI_PART_EXTERNAL: {
      const mimi_external_part *x = &a->external, *y = &b->external;
      return mimi_bytes_same(&a->content_type, &b->content_type) && mimi_bytes_same(&x->url, &y->url) &&
             x->expires == y->expires && x->size == y->size && x->enc_alg == y->enc_alg &&
             mimi_bytes_same(&x->key, &y->key) && mimi_bytes_same(&x->nonce, &y->nonce) && mimi_bytes_same(&x->aad, &y->aad) &&
             x->hash_alg == y->hash_alg && mimi_bytes_same(&x->content_hash, &y->content_hash) &&
             mimi_bytes_same(&x->description, &y->description) && mimi_bytes_same(&x->filename, &y->filename);
    }
    case MIMI_PART_MULTI:
      if (a->semantics != b->semantics || a->part_count != b->part_count) return false;
      for (size_t i = 0; i < a->part_count; i++)
        if (!mimi_nested_part_equal(&a->parts[i], &b->parts[i])) return false;
      return true;
  }
  return false;
}

static mimi_err dup_opt(mimi_bytes *dst, const mimi_bytes *src) {
  if (src->data == NULL && src->len == 0) return MIMI_OK;
  return mimi_bytes_dup(dst, src);
}

static mimi_err clone_into(mimi_nested_part *d, const mimi_nested_part *s) {
  const mimi_external_part *se = &s->external;
  mimi_external_part *de = &d->external;
  d->disposition = s->disposition;
  d->cardinality = s->cardinality;
  d->semantics = s->semantics;
  de->expires = se->expires;
  de->size = se->size;
  de->enc_alg = se->enc_alg;
  de->hash_alg = se->hash_alg;
  MIMI_TRY(dup_opt(&d->language, &s->language));
  MIMI_TRY(dup_opt(&d->content_type, &s->content_type));
  MIMI_TRY(dup_opt(&d->content, &s->content));
  MIMI_TRY(dup_opt(&de->url, &se->url));
  MIMI_TRY(dup_opt(&de->key, &se->key));
  MIMI_TRY(dup_opt(&de->nonce, &se->nonce));
  MIMI_TRY(dup_opt(&de->aad, &se->aad));
  MIMI_TRY(dup_opt(&de->content_hash, &se->content_hash));
  MIMI_TRY(dup_opt(&de->description, &se->description));
  MIMI_TRY(dup_opt(&de->filename, &se->filename));
  if (s->part_count) {
    d->parts = calloc(s->part_count, sizeof *d->parts);
    if (d->parts == NULL) return MIMI_ERR_NOMEM;
    d->part_count = s->part_count;
    for (size_t i = 0; i < s->part_count; i++)
      MIMI_TRY(clone_into(&d->parts[i], &s->parts[i]));
  }
  return MIMI_OK;
}

mimi_err mimi_nested_part_clone(mimi_nested_part *dst, const mimi_nested_part *src) {
  mimi_nested_part d;
  memset(&d, 0, sizeof d);
  mimi_err err = clone_into(&d, src);
  if (err != MIMI_OK) {
    mimi_nested_part_free(&d);
    return err;
  }
  *dst = d;
  return MIMI_OK;
}

void mimi_nested_part_stats(const mimi_nested_part *p, size_t *count, unsigned *depth) {
  size_t c = 1;
  unsigned d = 0;
  for (size_t i = 0; i < p->part_count; i++) {
    size_t cc;
    unsigned dd;
    mimi_nested_part_stats(&p->parts[i], &cc, &dd);
    c += cc;
    if (dd > d) d = dd;
  }
  *count = c;
  *depth = d + 1;
}
