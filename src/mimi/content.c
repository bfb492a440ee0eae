/* content.c — the mimiContent container (draft-ietf-mimi-content §4.1,
 * §4.3, §6): strict decoding, canonical encoding (extensions sorted by
 * encoded key), free and equality. Bodies live in nested_part.c. */
#include <stdlib.h>
#include <string.h>

#include "content_internal.h"

#define CONTENT_FIELDS 7
#define EXPIRATION_FIELDS 2
#define EXT_TEXT_KEY_MAX 255
#define EXT_KEY_ENC_MAX (9 + EXT_TEXT_KEY_MAX)

void mimi_content_limits_default(mimi_content_limits *l) {
  l->max_part_depth = 4;
  l->max_extension_depth = 4;
  l->max_parts = 1024;
  l->max_topic_len = 4096;
  l->max_part_size = (size_t)1 << 20;
  l->max_message_size = (size_t)4 << 20;
}

static void ext_free(mimi_extension *e) {
  mimi_bytes_free(&e->key_text);
  mimi_bytes_free(&e->value);
}

void mimi_content_free(mimi_content *c) {
  for (size_t i = 0; i < c->extension_count && c->extensions; i++) ext_free(&c->extensions[i]);
  free(c->extensions);
  mimi_bytes_free(&c->topic_id);
  mimi_nested_part_free(&c->body);
  memset(c, 0, sizeof *c);
}

/* ---- extension keys ----------------------------------------------------- */

/* §4.3, §6.2: an integer within ±(2^53-1) or 1..255 octets of UTF-8. */
static bool ext_key_valid(const mimi_extension *e) {
  if (e->key_is_text)
    return e->key_text.len >= 1 && e->key_text.len <= EXT_TEXT_KEY_MAX && mimi_text_ok(&e->key_text);
  return e->key_int <= (int64_t)MIMI_CBOR_MAX_SAFE_INT &&
         e->key_int >= -(int64_t)MIMI_CBOR_MAX_SAFE_INT;
}

/* The key's deterministic encoding (for RFC 8949 §4.2.1 ordering). */
static size_t ext_key_encode(const mimi_extension *e, uint8_t out[EXT_KEY_ENC_MAX]) {
  if (e->key_is_text) {
    size_t h = mimi_cbor_encode_head(MIMI_CBOR_TEXT, e->key_text.len, out);
    memcpy(out + h, e->key_text.data, e->key_text.len);
    return h + e->key_text.len;
  }
  if (e->key_int >= 0) return mimi_cbor_encode_head(MIMI_CBOR_UINT, (uint64_t)e->key_int, out);
  return mimi_cbor_encode_head(MIMI_CBOR_NEGINT, (uint64_t)(-1 - e->key_int), out);
}

static bool ext_is_uri_key(const mimi_extension *e) {
  return !e->key_is_text && (e->key_int == MIMI_EXT_SENDER_URI || e->key_int == MIMI_EXT_ROOM_URI);
}

/* A value must be one deterministic item within the extension depth (the
 * map is level 1, so the value may use depth - 1 levels); senderUri and
 * roomUri must be text. */
static mimi_err ext_value_check(const mimi_extension *e, unsigned ext_depth) {
  mimi_reader r = mimi_reader_init(e->value.data, e->value.len);
  const uint8_t *item;
  size_t n;
  if (ext_is_uri_key(e)) {
    mimi_reader t = r;
    const uint8_t *p;
    MIMI_TRY(mimi_cbor_read_text(&t, &p, &n));
  }
  MIMI_TRY(mimi_cbor_read_item(&r, ext_depth - 1, MIMI_CBOR_DATA_MODEL, &item, &n));
  return mimi_reader_done(&r);
}

/* ---- decoding ----------------------------------------------------------- */

static mimi_err read_ext_key(mimi_reader *r, mimi_extension *e) {
  mimi_cbor_head h;
  MIMI_TRY(mimi_cbor_peek_head(r, &h));
  if (h.major == MIMI_CBOR_TEXT) {
    if (h.arg < 1 || h.arg > EXT_TEXT_KEY_MAX) return MIMI_ERR_BAD_CONTENT;
    e->key_is_text = true;
    return mimi_cbor_read_text_copy(r, EXT_TEXT_KEY_MAX, &e->key_text);
  }
  if (h.major != MIMI_CBOR_UINT && h.major != MIMI_CBOR_NEGINT) return MIMI_ERR_BAD_CONTENT;
  int64_t v;
  MIMI_TRY(mimi_cbor_read_int(r, &v));
  e->key_int = v;
  return ext_key_valid(e) ? MIMI_OK : MIMI_ERR_BAD_CONTENT;
}

static mimi_err read_extensions(mimi_reader *r, const mimi_content_limits *lim,
                                mimi_content *c) {
  size_t n;
  MIMI_TRY(mimi_cbor_read_map(r, &n));
  if (lim->max_extension_depth < 1) return MIMI_ERR_DEPTH;
  if (n == 0) return MIMI_OK;
  c->extensions = calloc(n, sizeof *c->extensions);
  if (c->extensions == NULL) return MIMI_ERR_NOMEM;
  const uint8_t *prev = NULL;
  size_t prev_len = 0;
  for (size_t i = 0; i < n; i++) {
    mimi_extension *e = &c->extensions[i];
    c->extension_count = i + 1;
    size_t kstart = r->pos;
    MIMI_TRY(read_ext_key(r, e));
    const uint8_t *key = r->data + kstart;
    size_t key_len = r->pos - kstart;
    if (prev) {
      int cmp = mimi_cbor_key_cmp(prev, prev_len, key, key_len);
      if (cmp == 0) return MIMI_ERR_CBOR; /* §4.3: one field per key */
      if (cmp > 0) return MIMI_ERR_CBOR_NON_CANONICAL;
    }
    prev = key;
    prev_len = key_len;
    if (ext_is_uri_key(e)) {
      mimi_cbor_head h;
      MIMI_TRY(mimi_cbor_peek_head(r, &h));
      if (h.major != MIMI_CBOR_TEXT) return MIMI_ERR_CBOR_TYPE;
    }
    const uint8_t *item;
    size_t item_len;
    MIMI_TRY(mimi_cbor_read_item(r, lim->max_extension_depth - 1, MIMI_CBOR_DATA_MODEL, &item,
                                 &item_len));
    MIMI_TRY(mimi_bytes_copy(&e->value, item, item_len));
  }
  return MIMI_OK;
}

static mimi_err read_optional_id(mimi_reader *r, bool *has, uint8_t id[MIMI_MESSAGE_ID_LEN]) {
  if (mimi_cbor_next_is_null(r)) {
    *has = false;
    return mimi_cbor_read_null(r);
  }
  MIMI_TRY(mimi_message_id_read(r, id));
  *has = true;
  return MIMI_OK;
}

static mimi_err read_expiration(mimi_reader *r, mimi_content *c) {
  if (mimi_cbor_next_is_null(r)) return mimi_cbor_read_null(r);
  size_t n;
  uint64_t t;
  MIMI_TRY(mimi_cbor_read_array(r, &n));
  if (n != EXPIRATION_FIELDS) return MIMI_ERR_BAD_CONTENT;
  MIMI_TRY(mimi_cbor_read_bool(r, &c->expires.relative));
  MIMI_TRY(mimi_cbor_read_uint(r, &t));
  if (t > UINT32_MAX) return MIMI_ERR_BAD_CONTENT; /* uint .size 4 */
  c->expires.time = (uint32_t)t;
  c->has_expires = true;
  return MIMI_OK;
}

static mimi_err read_content(mimi_reader *r, const mimi_content_limits *lim, mimi_content *c) {
  size_t n;
  const uint8_t *salt;
  MIMI_TRY(mimi_cbor_read_array(r, &n));
  if (n != CONTENT_FIELDS) return MIMI_ERR_BAD_CONTENT;
  MIMI_TRY(mimi_cbor_read_bytes(r, &salt, &n));
  if (n != MIMI_SALT_LEN) return MIMI_ERR_BAD_CONTENT;
  memcpy(c->salt, salt, MIMI_SALT_LEN);
  MIMI_TRY(read_optional_id(r, &c->has_replaces, c->replaces));
  MIMI_TRY(mimi_cbor_read_bytes_copy(r, lim->max_topic_len, &c->topic_id));
  MIMI_TRY(read_expiration(r, c));
  MIMI_TRY(read_optional_id(r, &c->has_in_reply_to, c->in_reply_to));
  MIMI_TRY(read_extensions(r, lim, c));
  mimi_part_budget b = {lim, 0};
  return mimi_nested_part_read(r, &b, 1, &c->body);
}

mimi_err mimi_content_decode(const uint8_t *data, size_t len, const mimi_content_limits *limits,
                             mimi_content *out) {
  mimi_content_limits def;
  if (limits == NULL) {
    mimi_content_limits_default(&def);
    limits = &def;
  }
  if (limits->max_part_depth > MIMI_CONTENT_DEPTH_CAP ||
      limits->max_extension_depth > MIMI_CONTENT_DEPTH_CAP)
    return MIMI_ERR_INVALID_ARG;
  if (len > limits->max_message_size) return MIMI_ERR_TOO_LARGE;
  mimi_reader r = mimi_reader_init(data, len);
  mimi_content c;
  memset(&c, 0, sizeof c);
  mimi_err err = read_content(&r, limits, &c);
  if (err == MIMI_OK) err = mimi_reader_done(&r);
  if (err != MIMI_OK) {
    mimi_content_free(&c);
    return err;
  }
  *out = c;
  return MIMI_OK;
}

/* ---- encoding ----------------------------------------------------------- */

typedef struct {
  uint8_t enc[EXT_KEY_ENC_MAX];
  size_t len;
  const mimi_extension *ext;
} sorted_key;

static int sorted_key_cmp(const void *a, const void *b) {
  const sorted_key *x = a, *y = b;
  return mimi_cbor_key_cmp(x->enc, x->len, y->enc, y->len);
}

static mimi_err write_extensions(mimi_writer *w, const mimi_content *c) {
  mimi_content_limits def;
  mimi_content_limits_default(&def);
  size_t n = c->extension_count;
  if (n && c->extensions == NULL) return MIMI_ERR_BAD_CONTENT;
  sorted_key *keys = n ? calloc(n, sizeof *keys) : NULL;
  if (n && keys == NULL) return MIMI_ERR_NOMEM;
  mimi_err err = MIMI_OK;
  for (size_t i = 0; i < n && err == MIMI_OK; i++) {
    const mimi_extension *e = &c->extensions[i];
    if (!ext_key_valid(e)) err = MIMI_ERR_BAD_CONTENT;
    else err = ext_value_check(e, def.max_extension_depth);
    keys[i].len = err == MIMI_OK ? ext_key_encode(e, keys[i].enc) : 0;
    keys[i].ext = e;
  }
  if (err == MIMI_OK && n > 1) {
    qsort(keys, n, sizeof *keys, sorted_key_cmp);
    for (size_t i = 1; i < n; i++)
      if (sorted_key_cmp(&keys[i - 1], &keys[i]) == 0) err = MIMI_ERR_BAD_CONTENT;
  }
  if (err == MIMI_OK) {
    mimi_cbor_write_map(w, n);
    for (size_t i = 0; i < n; i++) {
      mimi_write_raw(w, keys[i].enc, keys[i].len);
      mimi_write_raw(w, keys[i].ext->value.data, keys[i].ext->value.len);
    }
  }
  free(keys);
  return err;
}

static void write_optional_id(mimi_writer *w, bool has, const uint8_t id[MIMI_MESSAGE_ID_LEN]) {
  if (has)
    mimi_cbor_write_bytes(w, id, MIMI_MESSAGE_ID_LEN);
  else
    mimi_cbor_write_null(w);
}

mimi_err mimi_content_encode(const mimi_content *c, mimi_bytes *out) {
  mimi_content_limits def;
  mimi_content_limits_default(&def);
  mimi_writer w;
  mimi_writer_init(&w);
  mimi_cbor_write_array(&w, CONTENT_FIELDS);
  mimi_cbor_write_bytes(&w, c->salt, MIMI_SALT_LEN);
  write_optional_id(&w, c->has_replaces, c->replaces);
  mimi_cbor_write_bytes(&w, c->topic_id.data, c->topic_id.len);
  if (c->has_expires) {
    mimi_cbor_write_array(&w, EXPIRATION_FIELDS);
    mimi_cbor_write_bool(&w, c->expires.relative);
    mimi_cbor_write_uint(&w, c->expires.time);
  } else {
    mimi_cbor_write_null(&w);
  }
  write_optional_id(&w, c->has_in_reply_to, c->in_reply_to);
  mimi_err err = write_extensions(&w, c);
  if (err == MIMI_OK) err = mimi_nested_part_write(&w, &c->body, 1, def.max_part_depth);
  if (err != MIMI_OK) {
    mimi_writer_free(&w);
    return err;
  }
  return mimi_writer_finish(&w, out);
}

/* ---- model helpers ------------------------------------------------------ */

static bool ext_same_key(const mimi_extension *a, const mimi_extension *b) {
  if (a->key_is_text != b->key_is_text) return false;
  if (!a->key_is_text) return a->key_int == b->key_int;
  return a->key_text.len == b->key_text.len &&
         memcmp(a->key_text.data, b->key_text.data, a->key_text.len) == 0;
}

static const mimi_extension *ext_find(const mimi_content *c, const mimi_extension *key) {
  for (size_t i = 0; i < c->extension_count; i++)
    if (ext_same_key(&c->extensions[i], key)) return &c->extensions[i];
  return NULL;
}

bool mimi_content_equal(const mimi_content *a, const mimi_content *b) {
  if (memcmp(a->salt, b->salt, MIMI_SALT_LEN) != 0 || a->has_replaces != b->has_replaces ||
      a->has_expires != b->has_expires || a->has_in_reply_to != b->has_in_reply_to)
    return false;
  if (a->has_replaces && memcmp(a->replaces, b->replaces, MIMI_MESSAGE_ID_LEN) != 0) return false;
  if (a->has_in_reply_to && memcmp(a->in_reply_to, b->in_reply_to, MIMI_MESSAGE_ID_LEN) != 0)
    return false;
  if (a->has_expires &&
      (a->expires.relative != b->expires.relative || a->expires.time != b->expires.time))
    return false;
  if (a->topic_id.len != b->topic_id.len ||
      (a->topic_id.len && memcmp(a->topic_id.data, b->topic_id.data, a->topic_id.len) != 0))
    return false;
  if (a->extension_count != b->extension_count) return false;
  for (size_t i = 0; i < a->extension_count; i++) {
    const mimi_extension *x = &a->extensions[i], *y = ext_find(b, x);
    if (y == NULL || x->value.len != y->value.len ||
        memcmp(x->value.data, y->value.data, x->value.len) != 0)
      return false;
  }
  return mimi_nested_part_equal(&a->body, &b->body);
}

const mimi_extension *mimi_content_ext_int(const mimi_content *c, int64_t key) {
  mimi_extension k;
  memset(&k, 0, sizeof k);
  k.key_int = key;
  return ext_find(c, &k);
}

static mimi_err ext_text(const mimi_content *c, int64_t key, const uint8_t **p, size_t *n) {
  const mimi_extension *e = mimi_content_ext_int(c, key);
  if (e == NULL) return MIMI_ERR_NOT_FOUND;
  mimi_reader r = mimi_reader_init(e->value.data, e->value.len);
  const uint8_t *tp;
  size_t tn;
  MIMI_TRY(mimi_cbor_read_text(&r, &tp, &tn));
  MIMI_TRY(mimi_reader_done(&r));
  *p = tp;
  *n = tn;
  return MIMI_OK;
}

mimi_err mimi_content_sender_uri(const mimi_content *c, const uint8_t **p, size_t *n) {
  return ext_text(c, MIMI_EXT_SENDER_URI, p, n);
}

mimi_err mimi_content_room_uri(const mimi_content *c, const uint8_t **p, size_t *n) {
  return ext_text(c, MIMI_EXT_ROOM_URI, p, n);
}

mimi_err mimi_content_add_text_ext(mimi_content *c, int64_t key, const char *text) {
  mimi_extension e;
  memset(&e, 0, sizeof e);
  e.key_int = key;
  if (!ext_key_valid(&e)) return MIMI_ERR_INVALID_ARG;
  if (mimi_content_ext_int(c, key) != NULL) return MIMI_ERR_BAD_CONTENT;
  if (!mimi_cbor_utf8_valid((const uint8_t *)text, strlen(text))) return MIMI_ERR_INVALID_ARG;
  mimi_writer w;
  mimi_writer_init(&w);
  mimi_cbor_write_cstr(&w, text);
  MIMI_TRY(mimi_writer_finish(&w, &e.value));
  mimi_extension *grown = realloc(c->extensions, (c->extension_count + 1) * sizeof *grown);
  if (grown == NULL) {
    mimi_bytes_free(&e.value);
    return MIMI_ERR_NOMEM;
  }
  grown[c->extension_count] = e;
  c->extensions = grown;
  c->extension_count++;
  return MIMI_OK;
}
