/* test_content_roundtrip.c — property tests over random valid MIMI
 * contents from a fixed-seed PRNG:
 *   decode(encode(x)) == x and encode(decode(encode(x))) == encode(x);
 *   the message ID from the struct equals the one from the bytes;
 *   a corrupted encoding is either refused or is itself canonical (it
 *   re-encodes to exactly the corrupted bytes), so no two encodings of one
 *   message are both accepted. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "mimi/content.h"

#define CASES 100000

static uint64_t rnd(mimi_test_prng *p, uint64_t n) { return mimi_test_prng_next(p) % n; }

static void fill(mimi_test_prng *p, uint8_t *out, size_t n) {
  for (size_t i = 0; i < n; i++) out[i] = (uint8_t)mimi_test_prng_next(p);
}

static mimi_bytes gen_bytes(mimi_test_prng *p, size_t max) {
  mimi_bytes b;
  if (mimi_bytes_alloc(&b, (size_t)rnd(p, max + 1)) != MIMI_OK) abort();
  fill(p, b.data, b.len);
  return b;
}

static mimi_bytes gen_text(mimi_test_prng *p, size_t max_units) {
  static const char *units[] = {"a", "Z", " ", "0", "\n", "\"", "\xc3\xa9", "\xe2\x82\xac",
                                "\xf0\x9f\x98\x80", "\xe2\x9d\xa4", "mimi://", "/"};
  mimi_bytes b = {NULL, 0};
  if (mimi_bytes_alloc(&b, 0) != MIMI_OK) abort();
  size_t n = (size_t)rnd(p, max_units + 1);
  for (size_t i = 0; i < n; i++) {
    const char *u = units[rnd(p, sizeof units / sizeof units[0])];
    if (mimi_bytes_append(&b, (const uint8_t *)u, strlen(u)) != MIMI_OK) abort();
  }
  return b;
}

/* Integers across all head widths. */
static uint64_t gen_magnitude(mimi_test_prng *p, uint64_t max) {
  static const uint64_t caps[] = {24, 256, 65536, UINT64_C(1) << 32, UINT64_MAX};
  uint64_t v = mimi_test_prng_next(p) % caps[rnd(p, 5)];
  return max ? v % (max + 1) : v;
}

static void put_item(mimi_writer *w, mimi_test_prng *p, unsigned depth);

/* A head written by hand, independently of the library's encoder. */
static void put_head(mimi_writer *w, uint8_t major_bits, uint64_t m) {
  if (m < 24) {
    mimi_write_u8(w, (uint8_t)(major_bits | m));
  } else if (m < 256) {
    mimi_write_u8(w, major_bits | 24);
    mimi_write_u8(w, (uint8_t)m);
  } else if (m < 65536) {
    mimi_write_u8(w, major_bits | 25);
    mimi_write_u16(w, (uint16_t)m);
  } else if (m <= UINT32_MAX) {
    mimi_write_u8(w, major_bits | 26);
    mimi_write_u32(w, (uint32_t)m);
  } else {
    mimi_write_u8(w, major_bits | 27);
    mimi_write_u64(w, m);
  }
}

/* A key for a nested map: int / tstr / bstr only (§6.2). */
static void gen_key(mimi_test_prng *p, mimi_writer *w) {
  switch (rnd(p, 3)) {
    case 0: /* -1 - m or m, within ±(2^53 - 1) */
      put_head(w, rnd(p, 2) ? 0x20 : 0x00, gen_magnitude(p, UINT64_C(9007199254740990)));
      break;
    case 1: {
      mimi_bytes t = gen_text(p, 3);
      put_head(w, 0x60, t.len);
      mimi_write_raw(w, t.data, t.len);
      mimi_bytes_free(&t);
      break;
    }
    default: {
      mimi_bytes b = gen_bytes(p, 4);
      put_head(w, 0x40, b.len);
      mimi_write_raw(w, b.data, b.len);
      mimi_bytes_free(&b);
    }
  }
}

static int cmp_enc(const void *a, const void *b) {
  const mimi_bytes *x = a, *y = b;
  size_t n = x->len < y->len ? x->len : y->len;
  int c = memcmp(x->data, y->data, n);
  if (c) return c;
  return x->len < y->len ? -1 : x->len > y->len;
}

static mimi_bytes finish(mimi_writer *w) {
  mimi_bytes b;
  if (mimi_writer_finish(w, &b) != MIMI_OK) abort();
  return b;
}

static void gen_map(mimi_writer *w, mimi_test_prng *p, unsigned depth) {
  mimi_bytes keys[4];
  size_t n = (size_t)rnd(p, 4), m = 0;
  for (size_t i = 0; i < n; i++) {
    mimi_writer kw;
    mimi_writer_init(&kw);
    gen_key(p, &kw);
    keys[i] = finish(&kw);
  }
  qsort(keys, n, sizeof keys[0], cmp_enc);
  for (size_t i = 0; i < n; i++) { /* drop duplicates */
    if (m && cmp_enc(&keys[m - 1], &keys[i]) == 0) {
      mimi_bytes_free(&keys[i]);
      continue;
    }
    keys[m++] = keys[i];
  }
  put_head(w, 0xa0, m);
  for (size_t i = 0; i < m; i++) {
    mimi_write_raw(w, keys[i].data, keys[i].len);
    put_item(w, p, depth - 1);
    mimi_bytes_free(&keys[i]);
  }
}

/* One valid deterministic item using at most `depth` container levels. */
static void put_item(mimi_writer *w, mimi_test_prng *p, unsigned depth) {
  unsigned kinds = depth > 0 ? 9 : 6;
  switch (rnd(p, kinds)) {
    case 0:
    case 1:
      gen_key(p, w);
      break;
    case 2: {
      static const uint8_t simple[] = {0xf4, 0xf5, 0xf6, 0xf7};
      mimi_write_u8(w, simple[rnd(p, 4)]);
      break;
    }
    case 3: {
      static const char *floats[] = {"\xf9\x7e\x00", "\xf9\x3c\x00", "\xfa\x47\xc3\x50\x00",
                                     "\xfb\x3f\xf1\x99\x99\x99\x99\x99\x9a", "\xf9\xfc\x00"};
      static const size_t lens[] = {3, 3, 5, 9, 3};
      size_t i = (size_t)rnd(p, 5);
      mimi_write_raw(w, (const uint8_t *)floats[i], lens[i]);
      break;
    }
    case 4: {
      mimi_bytes b = gen_bytes(p, 40);
      put_head(w, 0x40, b.len);
      mimi_write_raw(w, b.data, b.len);
      mimi_bytes_free(&b);
      break;
    }
    case 5: {
      mimi_bytes t = gen_text(p, 5); /* at most 35 octets */
      put_head(w, 0x60, t.len);
      mimi_write_raw(w, t.data, t.len);
      mimi_bytes_free(&t);
      break;
    }
    case 6: {
      size_t n = (size_t)rnd(p, 4);
      put_head(w, 0x80, n);
      for (size_t i = 0; i < n; i++) put_item(w, p, depth - 1);
      break;
    }
    case 7:
      gen_map(w, p, depth);
      break;
    default: {
      static const uint8_t tags[][3] = {{0xc1, 0, 0}, {0xd8, 0x20, 0}, {0xd9, 0x03, 0xe9}};
      static const size_t tlen[] = {1, 2, 3};
      size_t i = (size_t)rnd(p, 3);
      mimi_write_raw(w, tags[i], tlen[i]);
      put_item(w, p, depth - 1);
    }
  }
}

static void add_ext(mimi_content *c, mimi_extension *e) {
  for (size_t i = 0; i < c->extension_count; i++) {
    const mimi_extension *o = &c->extensions[i];
    if (o->key_is_text == e->key_is_text &&
        (e->key_is_text ? (o->key_text.len == e->key_text.len &&
                           memcmp(o->key_text.data, e->key_text.data, e->key_text.len) == 0)
                        : o->key_int == e->key_int)) {
      mimi_bytes_free(&e->key_text);
      mimi_bytes_free(&e->value);
      return;
    }
  }
  c->extensions[c->extension_count++] = *e;
}

static void gen_extensions(mimi_test_prng *p, mimi_content *c) {
  size_t n = (size_t)rnd(p, 5);
  c->extensions = calloc(n ? n : 1, sizeof *c->extensions);
  for (size_t i = 0; i < n; i++) {
    mimi_extension e;
    memset(&e, 0, sizeof e);
    mimi_writer w;
    mimi_writer_init(&w);
    uint64_t kind = rnd(p, 4);
    if (kind < 2) { /* senderUri / roomUri */
      e.key_int = (int64_t)kind + 1;
      mimi_bytes t = gen_text(p, 6);
      put_head(&w, 0x60, t.len);
      mimi_write_raw(&w, t.data, t.len);
      mimi_bytes_free(&t);
    } else {
      if (kind == 2) {
        int64_t m = (int64_t)gen_magnitude(p, UINT64_C(9007199254740991));
        e.key_int = rnd(p, 2) ? m : -m;
        if (e.key_int == MIMI_EXT_SENDER_URI || e.key_int == MIMI_EXT_ROOM_URI)
          e.key_int += 2; /* those keys must hold text */
      } else {
        e.key_is_text = true;
        e.key_text = gen_text(p, 4);
        if (e.key_text.len == 0) {
          mimi_bytes_free(&e.key_text);
          e.key_text.data = malloc(1);
          e.key_text.data[0] = 'k';
          e.key_text.len = 1;
        }
      }
      put_item(&w, p, 3); /* the map is level 1 */
    }
    e.value = finish(&w);
    add_ext(c, &e);
  }
}

static void gen_part(mimi_test_prng *p, mimi_nested_part *part, unsigned level) {
  memset(part, 0, sizeof *part);
  part->disposition = (uint8_t)(rnd(p, 4) ? rnd(p, 9) : rnd(p, 256));
  part->language = rnd(p, 2) ? gen_text(p, 0) : gen_text(p, 2);
  uint64_t pick = rnd(p, level < 4 ? 7 - level : 3);
  if (pick >= 3) {
    part->cardinality = MIMI_PART_MULTI;
    part->semantics = (mimi_part_semantics)rnd(p, 3);
    part->part_count = 2 + (size_t)rnd(p, 2);
    part->parts = calloc(part->part_count, sizeof *part->parts);
    for (size_t i = 0; i < part->part_count; i++) gen_part(p, &part->parts[i], level + 1);
    return;
  }
  part->cardinality = (mimi_cardinality)pick;
  if (pick == MIMI_PART_SINGLE) {
    part->content_type = gen_text(p, 3);
    part->content = gen_bytes(p, 64);
  } else if (pick == MIMI_PART_EXTERNAL) {
    mimi_external_part *e = &part->external;
    part->content_type = gen_text(p, 3);
    e->url = gen_text(p, 5);
    e->expires = (uint32_t)gen_magnitude(p, UINT32_MAX);
    e->size = gen_magnitude(p, 0);
    e->enc_alg = (uint16_t)gen_magnitude(p, UINT16_MAX);
    e->key = gen_bytes(p, 32);
    e->nonce = gen_bytes(p, 12);
    e->aad = gen_bytes(p, 4);
    e->hash_alg = (uint8_t)rnd(p, 256);
    e->content_hash = gen_bytes(p, 32);
    e->description = gen_text(p, 4);
    e->filename = gen_text(p, 2);
  }
}

static void gen_content(mimi_test_prng *p, mimi_content *c) {
  memset(c, 0, sizeof *c);
  fill(p, c->salt, MIMI_SALT_LEN);
  if ((c->has_replaces = rnd(p, 3) == 0)) fill(p, c->replaces, MIMI_MESSAGE_ID_LEN);
  if ((c->has_in_reply_to = rnd(p, 2) == 0)) fill(p, c->in_reply_to, MIMI_MESSAGE_ID_LEN);
  c->topic_id = rnd(p, 3) ? gen_bytes(p, 0) : gen_bytes(p, 20);
  if ((c->has_expires = rnd(p, 3) == 0)) {
    c->expires.relative = rnd(p, 2);
    c->expires.time = (uint32_t)gen_magnitude(p, UINT32_MAX);
  }
  gen_extensions(p, c);
  gen_part(p, &c->body, 1);
}

static size_t mutants_accepted, mutants_refused;

static void mutate_check(mimi_test_prng *p, const mimi_bytes *enc) {
  mimi_bytes m;
  if (mimi_bytes_dup(&m, enc) != MIMI_OK) abort();
  size_t at = (size_t)rnd(p, m.len);
  switch (rnd(p, 3)) {
    case 0: m.data[at] ^= (uint8_t)(1u << rnd(p, 8)); break;
    case 1: m.data[at] = (uint8_t)mimi_test_prng_next(p); break;
    default: m.len = at; /* truncation */
  }
  mimi_content d;
  if (mimi_content_decode(m.data, m.len, NULL, &d) == MIMI_OK) {
    mimi_bytes re;
    CHECK_OK(mimi_content_encode(&d, &re));
    CHECK_BYTES(re, m);
    mimi_bytes_free(&re);
    mimi_content_free(&d);
    mutants_accepted++;
  } else {
    mutants_refused++;
  }
  mimi_bytes_free(&m);
}

int main(void) {
  mimi_test_prng prng;
  mimi_test_rng_prng(&prng, 0x6d696d69636f6e74ULL);
  size_t multi = 0, with_ext = 0;
  for (int i = 0; i < CASES; i++) {
    mimi_content c, d;
    gen_content(&prng, &c);
    mimi_bytes enc, re;
    mimi_err err = mimi_content_encode(&c, &enc);
    if (err != MIMI_OK) {
      mimi_test_fail(__FILE__, __LINE__, "case %d: encode -> %s", i, mimi_errname(err));
      mimi_content_free(&c);
      continue;
    }
    CHECK_OK(mimi_content_decode(enc.data, enc.len, NULL, &d));
    CHECK(mimi_content_equal(&c, &d));
    CHECK_OK(mimi_content_encode(&d, &re));
    CHECK_BYTES(re, enc);
    if (c.body.cardinality == MIMI_PART_MULTI) multi++;
    if (c.extension_count) with_ext++;

    const uint8_t *s, *r;
    size_t sl, rl;
    if (mimi_content_sender_uri(&d, &s, &sl) == MIMI_OK &&
        mimi_content_room_uri(&d, &r, &rl) == MIMI_OK) {
      uint8_t id1[MIMI_MESSAGE_ID_LEN], id2[MIMI_MESSAGE_ID_LEN];
      CHECK_OK(mimi_content_message_id(&c, id1));
      CHECK_OK(mimi_message_id(enc.data, enc.len, s, sl, r, rl, id2));
      CHECK_MEM(id1, sizeof id1, id2, sizeof id2);
      CHECK(id1[0] == MIMI_MESSAGE_ID_SHA256);
    }
    if (i % 2 == 0) mutate_check(&prng, &enc);

    mimi_bytes_free(&re);
    mimi_bytes_free(&enc);
    mimi_content_free(&d);
    mimi_content_free(&c);
    mimi_test_case();
  }
  printf("multipart bodies: %zu, with extensions: %zu, mutants accepted: %zu refused: %zu\n",
         multi, with_ext, mutants_accepted, mutants_refused);
  CHECK(multi > CASES / 10 && with_ext > CASES / 2 && mutants_refused > CASES / 4);
  return mimi_test_summary("test_content_roundtrip");
}
