/* mimi_content.c — the `mimi-content` command: decode a MIMI content
 * message (draft-ietf-mimi-content) to annotated diagnostic notation or
 * JSON, build one from JSON, and compute message IDs.
 *
 *   mimi-content decode FILE.cbor [--json] [--derived]
 *   mimi-content encode FILE.json [-o OUT.cbor]
 *   mimi-content id FILE.cbor [--sender URI] [--room URI]
 *
 * The JSON form is what `decode --json` prints; `encode` reads it back
 * (see docs/mimi-content-json.md). Uses jansson (Debian libjansson-dev). */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mimi/content.h"
#include "mimi/crypto.h"

static const char *prog = "mimi-content";

static const char *disp_names[] = {"unspecified", "render", "reaction", "profile", "inline",
                                   "icon", "attachment", "session", "preview"};
static const char *card_names[] = {"null", "single", "external", "multi"};
static const char *sem_names[] = {"chooseOne", "singleUnit", "processAll"};

static int fail(const char *what, mimi_err err) {
  fprintf(stderr, "%s: %s: %s (%s)\n", prog, what, mimi_errname(err), mimi_strerror(err));
  return 1;
}

static int usage(void) {
  fprintf(stderr,
          "usage: %s decode FILE.cbor [--json] [--derived]\n"
          "       %s encode FILE.json [-o OUT.cbor]\n"
          "       %s id FILE.cbor [--sender URI] [--room URI]\n",
          prog, prog, prog);
  return 2;
}

static int read_file(const char *path, mimi_bytes *out) {
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
    return 1;
  }
  mimi_bytes b = {NULL, 0};
  uint8_t buf[65536];
  size_t n;
  mimi_err err = mimi_bytes_alloc(&b, 0);
  while (err == MIMI_OK && (n = fread(buf, 1, sizeof buf, f)) > 0) err = mimi_bytes_append(&b, buf, n);
  if (f != stdin) fclose(f);
  if (err != MIMI_OK) {
    mimi_bytes_free(&b);
    return fail(path, err);
  }
  *out = b;
  return 0;
}

static bool is_utf8(const mimi_bytes *b) {
  /* A text-looking content is shown as text; the library's validator is
   * internal, so check with a tiny decoder of the same rules. */
  size_t i = 0;
  while (i < b->len) {
    uint8_t c = b->data[i];
    size_t len = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
    if (len == 0 || b->len - i < len) return false;
    uint32_t cp = len == 1 ? c : (uint32_t)(c & (0x7f >> len));
    for (size_t k = 1; k < len; k++) {
      if ((b->data[i + k] & 0xc0) != 0x80) return false;
      cp = cp << 6 | (b->data[i + k] & 0x3f);
    }
    static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    if (len == 1 && cp < 0x20 && cp != '\n' && cp != '\t') return false;
    i += len;
  }
  return true;
}

/* ---- annotated diagnostic notation ------------------------------------ */

#define COMMENT_COL 40

typedef struct {
  FILE *out;
  int col;
} printer;

static void pr(printer *p, const char *s) {
  fputs(s, p->out);
  for (; *s; s++) p->col = *s == '\n' ? 0 : p->col + 1;
}

static void pr_hex(printer *p, const mimi_bytes *b) {
  char *hex = NULL;
  if (mimi_bytes_to_hex(b, &hex) != MIMI_OK) exit(1);
  pr(p, "h'");
  pr(p, hex);
  pr(p, "'");
  free(hex);
}

static void pr_quoted(printer *p, const mimi_bytes *b, char q) {
  char buf[8];
  snprintf(buf, sizeof buf, "%c", q);
  pr(p, buf);
  for (size_t i = 0; i < b->len; i++) {
    uint8_t c = b->data[i];
    if (c == (uint8_t)q || c == '\\')
      snprintf(buf, sizeof buf, "\\%c", c);
    else if (c == '\n')
      snprintf(buf, sizeof buf, "\\n");
    else if (c == '\t')
      snprintf(buf, sizeof buf, "\\t");
    else if (c < 0x20)
      snprintf(buf, sizeof buf, "\\u%04x", c);
    else
      snprintf(buf, sizeof buf, "%c", c);
    pr(p, buf);
  }
  snprintf(buf, sizeof buf, "%c", q);
  pr(p, buf);
}

static void pr_text(printer *p, const mimi_bytes *b) { pr_quoted(p, b, '"'); }

static void pr_indent(printer *p, int depth) {
  for (int i = 0; i < depth; i++) pr(p, "  ");
}

/* Ends a line with a comment aligned at COMMENT_COL. */
static void pr_comment(printer *p, bool comma, const char *text) {
  if (comma) pr(p, ",");
  while (p->col < COMMENT_COL - 1) pr(p, " ");
  pr(p, " / ");
  char buf[256];
  snprintf(buf, sizeof buf, "%s", text);
  for (char *c = buf; *c; c++)
    if (*c == '/') *c = '|'; /* comments end at '/' */
  pr(p, buf);
  pr(p, " /\n");
}

static void pr_uint(printer *p, uint64_t v) {
  char buf[32];
  snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
  pr(p, buf);
}

static void pr_id_or_null(printer *p, bool has, const uint8_t *id) {
  if (!has) {
    pr(p, "null");
    return;
  }
  mimi_bytes b = {(uint8_t *)id, MIMI_MESSAGE_ID_LEN};
  pr_hex(p, &b);
}

static void pr_field_bytes(printer *p, int d, const mimi_bytes *b, bool text, const char *name) {
  pr_indent(p, d);
  if (text)
    pr_text(p, b);
  else
    pr_hex(p, b);
  pr_comment(p, true, name);
}

static void pr_field_uint(printer *p, int d, uint64_t v, const char *name, bool comma) {
  pr_indent(p, d);
  pr_uint(p, v);
  pr_comment(p, comma, name);
}

static void pr_part(printer *p, const mimi_nested_part *part, int d, bool comma, size_t *index) {
  char label[64];
  snprintf(label, sizeof label, "NestedPart, partIndex %zu", (*index)++);
  pr_indent(p, d);
  pr(p, "[");
  pr_comment(p, false, label);
  d++;
  const char *dn = part->disposition < 9 ? disp_names[part->disposition] : "unknown (render)";
  char buf[96];
  snprintf(buf, sizeof buf, "disposition = %s", dn);
  pr_field_uint(p, d, part->disposition, buf, true);
  pr_field_bytes(p, d, &part->language, true, "language");
  snprintf(buf, sizeof buf, "cardinality = %s", card_names[part->cardinality]);
  pr_field_uint(p, d, (uint64_t)part->cardinality, buf, part->cardinality != MIMI_PART_NULL);
  switch (part->cardinality) {
    case MIMI_PART_NULL:
      break;
    case MIMI_PART_SINGLE:
      pr_field_bytes(p, d, &part->content_type, true, "contentType");
      pr_indent(p, d);
      if (is_utf8(&part->content))
        pr_quoted(p, &part->content, '\'');
      else
        pr_hex(p, &part->content);
      pr_comment(p, false, "content");
      break;
    case MIMI_PART_EXTERNAL: {
      const mimi_external_part *e = &part->external;
      pr_field_bytes(p, d, &part->content_type, true, "contentType");
      pr_field_bytes(p, d, &e->url, true, "url");
      pr_field_uint(p, d, e->expires, e->expires ? "expires (seconds since epoch)" : "expires = never", true);
      pr_field_uint(p, d, e->size, "size (octets)", true);
      pr_field_uint(p, d, e->enc_alg, e->enc_alg == 1 ? "encAlg = AES-128-GCM" : e->enc_alg ? "encAlg (IANA AEAD id)" : "encAlg = none", true);
      pr_field_bytes(p, d, &e->key, false, "key");
      pr_field_bytes(p, d, &e->nonce, false, "nonce");
      pr_field_bytes(p, d, &e->aad, false, "aad");
      pr_field_uint(p, d, e->hash_alg, e->hash_alg == 1 ? "hashAlg = sha-256" : e->hash_alg ? "hashAlg (IANA hash id)" : "hashAlg = none", true);
      pr_field_bytes(p, d, &e->content_hash, false, "contentHash");
      pr_field_bytes(p, d, &e->description, true, "description");
      pr_indent(p, d);
      pr_text(p, &e->filename);
      pr_comment(p, false, "filename");
      break;
    }
    case MIMI_PART_MULTI:
      snprintf(buf, sizeof buf, "partSemantics = %s", sem_names[part->semantics]);
      pr_field_uint(p, d, (uint64_t)part->semantics, buf, true);
      pr_indent(p, d);
      pr(p, "[");
      pr_comment(p, false, "parts");
      for (size_t i = 0; i < part->part_count; i++)
        pr_part(p, &part->parts[i], d + 1, i + 1 < part->part_count, index);
      pr_indent(p, d);
      pr(p, "]\n");
      break;
  }
  pr_indent(p, d - 1);
  pr(p, comma ? "],\n" : "]\n");
}

static void pr_ext_key(printer *p, const mimi_extension *e) {
  if (e->key_is_text) {
    pr_text(p, &e->key_text);
  } else {
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)e->key_int);
    pr(p, buf);
  }
}

static int print_diag(const mimi_content *c, FILE *out) {
  printer p = {out, 0};
  pr(&p, "[\n");
  mimi_bytes salt = {(uint8_t *)c->salt, MIMI_SALT_LEN};
  pr_field_bytes(&p, 1, &salt, false, "salt");
  pr_indent(&p, 1);
  pr_id_or_null(&p, c->has_replaces, c->replaces);
  pr_comment(&p, true, "replaces");
  pr_field_bytes(&p, 1, &c->topic_id, false, "topicId");
  pr_indent(&p, 1);
  if (c->has_expires) {
    pr(&p, c->expires.relative ? "[true, " : "[false, ");
    pr_uint(&p, c->expires.time);
    pr(&p, "]");
    pr_comment(&p, true,
               c->expires.relative ? "expires: relative, seconds after reading"
                                   : "expires: absolute, seconds since epoch");
  } else {
    pr(&p, "null");
    pr_comment(&p, true, "expires = never");
  }
  pr_indent(&p, 1);
  pr_id_or_null(&p, c->has_in_reply_to, c->in_reply_to);
  pr_comment(&p, true, "inReplyTo");
  pr_indent(&p, 1);
  pr(&p, "{");
  pr_comment(&p, false, "extensions");
  /* Print in encoded (sorted) order: decode keeps wire order. */
  for (size_t i = 0; i < c->extension_count; i++) {
    const mimi_extension *e = &c->extensions[i];
    pr_indent(&p, 2);
    pr_ext_key(&p, e);
    pr(&p, ": ");
    char *diag = NULL;
    mimi_err err = mimi_cbor_to_diag(e->value.data, e->value.len, &diag);
    if (err != MIMI_OK) return fail("extension value", err);
    pr(&p, diag);
    free(diag);
    const char *name = e->key_is_text ? "private-use extension"
                       : e->key_int == MIMI_EXT_SENDER_URI ? "senderUri"
                       : e->key_int == MIMI_EXT_ROOM_URI  ? "roomUri"
                       : e->key_int < 0                   ? "private-use extension"
                                                          : "extension";
    pr_comment(&p, i + 1 < c->extension_count, name);
  }
  pr_indent(&p, 1);
  pr(&p, "},\n");
  size_t index = 0;
  pr_part(&p, &c->body, 1, false, &index);
  pr(&p, "]\n");
  uint8_t id[MIMI_MESSAGE_ID_LEN];
  if (mimi_content_message_id(c, id) == MIMI_OK) {
    mimi_bytes b = {id, sizeof id};
    char *hex = NULL;
    if (mimi_bytes_to_hex(&b, &hex) != MIMI_OK) return 1;
    fprintf(out, "/ message ID = h'%s' /\n", hex);
    free(hex);
  }
  return 0;
}

/* ---- JSON --------------------------------------------------------------- */

static json_t *jhex(const uint8_t *d, size_t n) {
  mimi_bytes b = {(uint8_t *)d, n};
  char *hex = NULL;
  if (mimi_bytes_to_hex(&b, &hex) != MIMI_OK) exit(1);
  json_t *j = json_string(hex);
  free(hex);
  return j;
}

static json_t *jtext(const mimi_bytes *b) { return json_stringn((const char *)b->data, b->len); }

static json_t *part_to_json(const mimi_nested_part *part) {
  json_t *o = json_object();
  json_object_set_new(o, "disposition", json_integer(part->disposition));
  if (part->disposition < 9)
    json_object_set_new(o, "dispositionName", json_string(disp_names[part->disposition]));
  json_object_set_new(o, "language", jtext(&part->language));
  json_object_set_new(o, "cardinality", json_string(card_names[part->cardinality]));
  if (part->cardinality == MIMI_PART_SINGLE || part->cardinality == MIMI_PART_EXTERNAL)
    json_object_set_new(o, "contentType", jtext(&part->content_type));
  if (part->cardinality == MIMI_PART_SINGLE) {
    if (is_utf8(&part->content))
      json_object_set_new(o, "contentText", jtext(&part->content));
    else
      json_object_set_new(o, "content", jhex(part->content.data, part->content.len));
  } else if (part->cardinality == MIMI_PART_EXTERNAL) {
    const mimi_external_part *e = &part->external;
    json_object_set_new(o, "url", jtext(&e->url));
    json_object_set_new(o, "expires", json_integer(e->expires));
    json_object_set_new(o, "size", json_integer((json_int_t)e->size));
    json_object_set_new(o, "encAlg", json_integer(e->enc_alg));
    json_object_set_new(o, "key", jhex(e->key.data, e->key.len));
    json_object_set_new(o, "nonce", jhex(e->nonce.data, e->nonce.len));
    json_object_set_new(o, "aad", jhex(e->aad.data, e->aad.len));
    json_object_set_new(o, "hashAlg", json_integer(e->hash_alg));
    json_object_set_new(o, "contentHash", jhex(e->content_hash.data, e->content_hash.len));
    json_object_set_new(o, "description", jtext(&e->description));
    json_object_set_new(o, "filename", jtext(&e->filename));
  } else if (part->cardinality == MIMI_PART_MULTI) {
    json_object_set_new(o, "partSemantics", json_string(sem_names[part->semantics]));
    json_t *parts = json_array();
    for (size_t i = 0; i < part->part_count; i++)
      json_array_append_new(parts, part_to_json(&part->parts[i]));
    json_object_set_new(o, "parts", parts);
  }
  return o;
}

static json_t *content_to_json(const mimi_content *c) {
  json_t *o = json_object();
  uint8_t id[MIMI_MESSAGE_ID_LEN];
  if (mimi_content_message_id(c, id) == MIMI_OK)
    json_object_set_new(o, "messageId", jhex(id, sizeof id));
  json_object_set_new(o, "salt", jhex(c->salt, MIMI_SALT_LEN));
  json_object_set_new(o, "replaces",
                      c->has_replaces ? jhex(c->replaces, MIMI_MESSAGE_ID_LEN) : json_null());
  json_object_set_new(o, "topicId", jhex(c->topic_id.data, c->topic_id.len));
  if (c->has_expires)
    json_object_set_new(o, "expires",
                        json_pack("{s:b,s:I}", "relative", c->expires.relative, "time",
                                  (json_int_t)c->expires.time));
  else
    json_object_set_new(o, "expires", json_null());
  json_object_set_new(o, "inReplyTo",
                      c->has_in_reply_to ? jhex(c->in_reply_to, MIMI_MESSAGE_ID_LEN) : json_null());
  json_t *exts = json_array();
  for (size_t i = 0; i < c->extension_count; i++) {
    const mimi_extension *e = &c->extensions[i];
    json_t *x = json_object();
    json_object_set_new(x, "key", e->key_is_text ? jtext(&e->key_text) : json_integer(e->key_int));
    if (!e->key_is_text && (e->key_int == MIMI_EXT_SENDER_URI || e->key_int == MIMI_EXT_ROOM_URI)) {
      json_object_set_new(x, "name", json_string(e->key_int == 1 ? "senderUri" : "roomUri"));
      const uint8_t *t;
      size_t n;
      if ((e->key_int == 1 ? mimi_content_sender_uri(c, &t, &n) : mimi_content_room_uri(c, &t, &n)) ==
          MIMI_OK)
        json_object_set_new(x, "text", json_stringn((const char *)t, n));
    } else {
      json_object_set_new(x, "cbor", jhex(e->value.data, e->value.len));
      char *diag = NULL;
      if (mimi_cbor_to_diag(e->value.data, e->value.len, &diag) == MIMI_OK) {
        json_object_set_new(x, "diag", json_string(diag));
        free(diag);
      }
    }
    json_array_append_new(exts, x);
  }
  json_object_set_new(o, "extensions", exts);
  json_object_set_new(o, "body", part_to_json(&c->body));
  return o;
}

static json_t *derived_to_json(const mimi_derived_values *v) {
  json_t *o = json_object();
  json_object_set_new(o, "messageId", jhex(v->message_id, MIMI_MESSAGE_ID_LEN));
  json_object_set_new(o, "hubAcceptedTimestamp", json_integer((json_int_t)v->hub_accepted.ms));
  json_object_set_new(o, "timestampForm",
                      json_string(v->hub_accepted.form == MIMI_TIME_EXTENDED ? "tag1001" : "msecs"));
  json_object_set_new(o, "mlsGroupId", jhex(v->mls_group_id.data, v->mls_group_id.len));
  json_object_set_new(o, "senderLeafIndex", json_integer(v->sender_leaf_index));
  json_object_set_new(o, "senderClientUrl", jtext(&v->sender_client_url));
  json_object_set_new(o, "senderUserUrl", jtext(&v->sender_user_url));
  json_object_set_new(o, "roomUrl", jtext(&v->room_url));
  return o;
}

/* ---- JSON input --------------------------------------------------------- */

typedef struct {
  const char *err; /* first problem found */
  char buf[160];
} jin;

static void jerr(jin *in, const char *what, const char *field) {
  if (in->err) return;
  snprintf(in->buf, sizeof in->buf, "%s: %s", field, what);
  in->err = in->buf;
}

static void get_hex(jin *in, json_t *o, const char *k, mimi_bytes *out, bool required) {
  json_t *v = json_object_get(o, k);
  if (v == NULL && !required) {
    if (mimi_bytes_alloc(out, 0) != MIMI_OK) exit(1);
    return;
  }
  if (!json_is_string(v) || mimi_bytes_from_hex(out, json_string_value(v)) != MIMI_OK)
    jerr(in, "expected a hex string", k);
}

static void get_text(jin *in, json_t *o, const char *k, mimi_bytes *out, bool required) {
  json_t *v = json_object_get(o, k);
  if (v == NULL && !required) {
    if (mimi_bytes_alloc(out, 0) != MIMI_OK) exit(1);
    return;
  }
  if (!json_is_string(v) ||
      mimi_bytes_copy(out, (const uint8_t *)json_string_value(v), json_string_length(v)) != MIMI_OK)
    jerr(in, "expected a string", k);
}

static uint64_t get_uint(jin *in, json_t *o, const char *k, uint64_t max, bool required) {
  json_t *v = json_object_get(o, k);
  if (v == NULL && !required) return 0;
  if (!json_is_integer(v) || json_integer_value(v) < 0 || (uint64_t)json_integer_value(v) > max) {
    jerr(in, "expected a non-negative integer in range", k);
    return 0;
  }
  return (uint64_t)json_integer_value(v);
}

static int name_index(json_t *v, const char **names, int n) {
  if (json_is_string(v))
    for (int i = 0; i < n; i++)
      if (strcmp(json_string_value(v), names[i]) == 0) return i;
  if (json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) < n)
    return (int)json_integer_value(v);
  return -1;
}

static void get_id(jin *in, json_t *o, const char *k, bool *has, uint8_t id[MIMI_MESSAGE_ID_LEN]) {
  json_t *v = json_object_get(o, k);
  *has = false;
  if (v == NULL || json_is_null(v)) return;
  mimi_bytes b = {NULL, 0};
  if (!json_is_string(v) || mimi_bytes_from_hex(&b, json_string_value(v)) != MIMI_OK ||
      b.len != MIMI_MESSAGE_ID_LEN) {
    mimi_bytes_free(&b);
    jerr(in, "expected 64 hex digits", k);
    return;
  }
  memcpy(id, b.data, MIMI_MESSAGE_ID_LEN);
  mimi_bytes_free(&b);
  *has = true;
}

static void part_from_json(jin *in, json_t *o, mimi_nested_part *part, int depth) {
  memset(part, 0, sizeof *part);
  if (!json_is_object(o)) {
    jerr(in, "expected an object", "body");
    return;
  }
  if (depth > 16) {
    jerr(in, "nested too deeply", "parts");
    return;
  }
  json_t *d = json_object_get(o, "disposition");
  int di = name_index(d, disp_names, 9);
  if (di >= 0)
    part->disposition = (uint8_t)di;
  else
    part->disposition = (uint8_t)get_uint(in, o, "disposition", 255, false);
  get_text(in, o, "language", &part->language, false);
  int card = name_index(json_object_get(o, "cardinality"), card_names, 4);
  if (card < 0) {
    jerr(in, "expected null, single, external or multi", "cardinality");
    return;
  }
  part->cardinality = (mimi_cardinality)card;
  if (card == MIMI_PART_SINGLE || card == MIMI_PART_EXTERNAL)
    get_text(in, o, "contentType", &part->content_type, false);
  if (card == MIMI_PART_SINGLE) {
    if (json_object_get(o, "content"))
      get_hex(in, o, "content", &part->content, true);
    else
      get_text(in, o, "contentText", &part->content, false);
  } else if (card == MIMI_PART_EXTERNAL) {
    mimi_external_part *e = &part->external;
    get_text(in, o, "url", &e->url, true);
    e->expires = (uint32_t)get_uint(in, o, "expires", UINT32_MAX, false);
    e->size = get_uint(in, o, "size", INT64_MAX, false);
    e->enc_alg = (uint16_t)get_uint(in, o, "encAlg", UINT16_MAX, false);
    get_hex(in, o, "key", &e->key, false);
    get_hex(in, o, "nonce", &e->nonce, false);
    get_hex(in, o, "aad", &e->aad, false);
    e->hash_alg = (uint8_t)get_uint(in, o, "hashAlg", UINT8_MAX, false);
    get_hex(in, o, "contentHash", &e->content_hash, false);
    get_text(in, o, "description", &e->description, false);
    get_text(in, o, "filename", &e->filename, false);
  } else if (card == MIMI_PART_MULTI) {
    int sem = name_index(json_object_get(o, "partSemantics"), sem_names, 3);
    json_t *parts = json_object_get(o, "parts");
    if (sem < 0 || !json_is_array(parts)) {
      jerr(in, "multi needs partSemantics and parts", "body");
      return;
    }
    part->semantics = (mimi_part_semantics)sem;
    size_t n = json_array_size(parts);
    part->parts = calloc(n ? n : 1, sizeof *part->parts);
    if (part->parts == NULL) exit(1);
    part->part_count = n;
    for (size_t i = 0; i < n; i++) part_from_json(in, json_array_get(parts, i), &part->parts[i], depth + 1);
  }
}

static void ext_from_json(jin *in, json_t *x, mimi_content *c) {
  json_t *key = json_object_get(x, "key");
  mimi_extension *e = &c->extensions[c->extension_count];
  memset(e, 0, sizeof *e);
  if (json_is_integer(key)) {
    e->key_int = json_integer_value(key);
  } else if (json_is_string(key)) {
    e->key_is_text = true;
    if (mimi_bytes_copy(&e->key_text, (const uint8_t *)json_string_value(key), json_string_length(key)) != MIMI_OK)
      exit(1);
  } else {
    jerr(in, "expected an integer or string", "extensions[].key");
    return;
  }
  c->extension_count++;
  json_t *text = json_object_get(x, "text");
  if (json_is_string(text)) {
    /* text → a CBOR text string: head then bytes */
    size_t n = json_string_length(text);
    uint8_t head[9];
    size_t h;
    if (n < 24) head[0] = (uint8_t)(0x60 | n), h = 1;
    else if (n < 256) head[0] = 0x78, head[1] = (uint8_t)n, h = 2;
    else if (n < 65536) head[0] = 0x79, head[1] = (uint8_t)(n >> 8), head[2] = (uint8_t)n, h = 3;
    else {
      jerr(in, "text too long", "extensions[].text");
      return;
    }
    if (mimi_bytes_copy(&e->value, head, h) != MIMI_OK ||
        mimi_bytes_append(&e->value, (const uint8_t *)json_string_value(text), n) != MIMI_OK)
      exit(1);
  } else {
    get_hex(in, x, "cbor", &e->value, true);
  }
}

static int content_from_json(json_t *root, mimi_content *c, const char **why) {
  static jin in;
  memset(&in, 0, sizeof in);
  memset(c, 0, sizeof *c);
  if (!json_is_object(root)) {
    *why = "top level: expected an object";
    return 1;
  }
  json_t *salt = json_object_get(root, "salt");
  if (salt == NULL) {
    if (mimi_rng_fill(mimi_rng_system(), c->salt, MIMI_SALT_LEN) != MIMI_OK) exit(1);
  } else {
    mimi_bytes b;
    if (!json_is_string(salt) || mimi_bytes_from_hex(&b, json_string_value(salt)) != MIMI_OK ||
        b.len != MIMI_SALT_LEN) {
      *why = "salt: expected 32 hex digits";
      return 1;
    }
    memcpy(c->salt, b.data, MIMI_SALT_LEN);
    mimi_bytes_free(&b);
  }
  get_id(&in, root, "replaces", &c->has_replaces, c->replaces);
  get_id(&in, root, "inReplyTo", &c->has_in_reply_to, c->in_reply_to);
  get_hex(&in, root, "topicId", &c->topic_id, false);
  json_t *exp = json_object_get(root, "expires");
  if (json_is_object(exp)) {
    c->has_expires = true;
    c->expires.relative = json_is_true(json_object_get(exp, "relative"));
    c->expires.time = (uint32_t)get_uint(&in, exp, "time", UINT32_MAX, true);
  } else if (exp && !json_is_null(exp)) {
    jerr(&in, "expected null or {relative, time}", "expires");
  }
  json_t *exts = json_object_get(root, "extensions");
  if (exts && !json_is_array(exts)) jerr(&in, "expected an array", "extensions");
  size_t n = json_is_array(exts) ? json_array_size(exts) : 0;
  c->extensions = calloc(n ? n : 1, sizeof *c->extensions);
  if (c->extensions == NULL) exit(1);
  for (size_t i = 0; i < n && !in.err; i++) ext_from_json(&in, json_array_get(exts, i), c);
  part_from_json(&in, json_object_get(root, "body"), &c->body, 1);
  *why = in.err;
  return in.err ? 1 : 0;
}

/* ---- commands ----------------------------------------------------------- */

static int cmd_decode(int argc, char **argv) {
  const char *file = NULL;
  bool as_json = false, derived = false;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--json") == 0) as_json = true;
    else if (strcmp(argv[i], "--derived") == 0) derived = true;
    else if (!file) file = argv[i];
    else return usage();
  }
  if (!file) return usage();
  mimi_bytes in;
  if (read_file(file, &in)) return 1;
  int rc = 0;
  if (derived) {
    mimi_derived_values v;
    mimi_err err = mimi_derived_values_decode(in.data, in.len, &v);
    mimi_bytes_free(&in);
    if (err != MIMI_OK) return fail(file, err);
    json_t *j = derived_to_json(&v);
    json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    putchar('\n');
    json_decref(j);
    mimi_derived_values_free(&v);
    return 0;
  }
  mimi_content c;
  mimi_err err = mimi_content_decode(in.data, in.len, NULL, &c);
  mimi_bytes_free(&in);
  if (err != MIMI_OK) return fail(file, err);
  if (as_json) {
    json_t *j = content_to_json(&c);
    json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    putchar('\n');
    json_decref(j);
  } else {
    rc = print_diag(&c, stdout);
  }
  mimi_content_free(&c);
  return rc;
}

static int cmd_encode(int argc, char **argv) {
  const char *file = NULL, *out_path = NULL;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) out_path = argv[++i];
    else if (!file) file = argv[i];
    else return usage();
  }
  if (!file) return usage();
  json_error_t jerror;
  json_t *root = strcmp(file, "-") == 0 ? json_loadf(stdin, 0, &jerror) : json_load_file(file, 0, &jerror);
  if (root == NULL) {
    fprintf(stderr, "%s: %s:%d: %s\n", prog, file, jerror.line, jerror.text);
    return 1;
  }
  mimi_content c;
  const char *why = NULL;
  int bad = content_from_json(root, &c, &why);
  json_decref(root);
  if (bad) {
    fprintf(stderr, "%s: %s: %s\n", prog, file, why);
    mimi_content_free(&c);
    return 1;
  }
  mimi_bytes enc;
  mimi_err err = mimi_content_encode(&c, &enc);
  mimi_content_free(&c);
  if (err != MIMI_OK) return fail(file, err);
  FILE *f = out_path ? fopen(out_path, "wb") : stdout;
  if (f == NULL) {
    fprintf(stderr, "%s: %s: %s\n", prog, out_path, strerror(errno));
    mimi_bytes_free(&enc);
    return 1;
  }
  int rc = fwrite(enc.data, 1, enc.len, f) == enc.len ? 0 : 1;
  if (out_path && fclose(f) != 0) rc = 1;
  mimi_bytes_free(&enc);
  return rc;
}

static int cmd_id(int argc, char **argv) {
  const char *file = NULL, *sender = NULL, *room = NULL;
  for (int i = 0; i < argc; i++) {
    if (strcmp(argv[i], "--sender") == 0 && i + 1 < argc) sender = argv[++i];
    else if (strcmp(argv[i], "--room") == 0 && i + 1 < argc) room = argv[++i];
    else if (!file) file = argv[i];
    else return usage();
  }
  if (!file) return usage();
  mimi_bytes in;
  if (read_file(file, &in)) return 1;
  /* Validate the message fully before hashing it. */
  mimi_content c;
  mimi_err err = mimi_content_decode(in.data, in.len, NULL, &c);
  if (err != MIMI_OK) {
    mimi_bytes_free(&in);
    return fail(file, err);
  }
  const uint8_t *s = (const uint8_t *)sender, *r = (const uint8_t *)room;
  size_t sl = sender ? strlen(sender) : 0, rl = room ? strlen(room) : 0;
  if (!sender && mimi_content_sender_uri(&c, &s, &sl) != MIMI_OK) err = MIMI_ERR_NOT_FOUND;
  if (!room && mimi_content_room_uri(&c, &r, &rl) != MIMI_OK) err = MIMI_ERR_NOT_FOUND;
  uint8_t id[MIMI_MESSAGE_ID_LEN];
  if (err == MIMI_OK) err = mimi_message_id(in.data, in.len, s, sl, r, rl, id);
  mimi_content_free(&c);
  mimi_bytes_free(&in);
  if (err == MIMI_ERR_NOT_FOUND) {
    fprintf(stderr, "%s: %s: no senderUri/roomUri extension; pass --sender and --room\n", prog, file);
    return 1;
  }
  if (err != MIMI_OK) return fail(file, err);
  for (size_t i = 0; i < sizeof id; i++) printf("%02x", id[i]);
  putchar('\n');
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) return usage();
  if (strcmp(argv[1], "decode") == 0) return cmd_decode(argc - 2, argv + 2);
  if (strcmp(argv[1], "encode") == 0) return cmd_encode(argc - 2, argv + 2);
  if (strcmp(argv[1], "id") == 0) return cmd_id(argc - 2, argv + 2);
  return usage();
}
