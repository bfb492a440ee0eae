/* bench_content.c — MIMI content throughput on one core: encode, strict
 * decode, message ID, and the three together, for a 100-byte text message
 * and a 5-part multipart message (one multiPart holding four parts). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mimi/content.h"
#include "util.h"

typedef struct {
  const char *name;
  mimi_content msg;
  mimi_bytes wire;
} sample;

static void die(const char *what, mimi_err err) {
  fprintf(stderr, "bench setup failed: %s: %s\n", what, mimi_errname(err));
  exit(1);
}

static mimi_bytes text(const char *s) {
  mimi_bytes b;
  if (mimi_bytes_copy(&b, (const uint8_t *)s, strlen(s)) != MIMI_OK) die("alloc", MIMI_ERR_NOMEM);
  return b;
}

static void single(mimi_nested_part *p, uint8_t disp, const char *ctype, const char *body) {
  memset(p, 0, sizeof *p);
  p->disposition = disp;
  p->language = text("");
  p->cardinality = MIMI_PART_SINGLE;
  p->content_type = text(ctype);
  p->content = text(body);
}

static void base(mimi_content *c) {
  memset(c, 0, sizeof *c);
  for (int i = 0; i < MIMI_SALT_LEN; i++) c->salt[i] = (uint8_t)(i * 37 + 1);
  c->topic_id = text("");
  mimi_err err = mimi_content_add_text_ext(c, MIMI_EXT_SENDER_URI, "mimi://example.com/u/alice-smith");
  if (err == MIMI_OK)
    err = mimi_content_add_text_ext(c, MIMI_EXT_ROOM_URI, "mimi://example.com/r/engineering_team");
  if (err != MIMI_OK) die("extensions", err);
}

/* 100 octets of Markdown. */
static const char *hundred =
    "Hi everyone, we just shipped release 2.0. __Good work__! Thanks to all who tested the betas"
    " so far..";

static void build_text(mimi_content *c) {
  base(c);
  single(&c->body, MIMI_DISP_RENDER, "text/markdown;variant=GFM-MIMI", hundred);
}

static void build_multipart(mimi_content *c) {
  base(c);
  mimi_nested_part *b = &c->body;
  b->disposition = MIMI_DISP_RENDER;
  b->language = text("");
  b->cardinality = MIMI_PART_MULTI;
  b->semantics = MIMI_SEM_SINGLE_UNIT;
  b->part_count = 4;
  b->parts = calloc(4, sizeof *b->parts);
  if (b->parts == NULL) die("alloc", MIMI_ERR_NOMEM);
  single(&b->parts[0], MIMI_DISP_RENDER, "text/markdown;variant=GFM-MIMI", hundred);
  single(&b->parts[1], MIMI_DISP_RENDER, "text/html;charset=utf-8",
         "<p>Hi everyone, we just shipped release 2.0. <b>Good work</b>!</p>");
  single(&b->parts[2], MIMI_DISP_INLINE, "image/png", "\x89PNG\r\n\x1a\n0123456789abcdef");
  mimi_nested_part *e = &b->parts[3];
  memset(e, 0, sizeof *e);
  e->disposition = MIMI_DISP_ATTACHMENT;
  e->language = text("en");
  e->cardinality = MIMI_PART_EXTERNAL;
  e->content_type = text("video/mp4");
  e->external.url = text("https://example.com/storage/8ksB4bSrrRE.mp4");
  e->external.size = 708234961;
  e->external.enc_alg = 1;
  e->external.key = text("0123456789abcdef");
  e->external.nonce = text("0123456789ab");
  e->external.aad = text("");
  e->external.hash_alg = 1;
  e->external.content_hash = text("0123456789abcdef0123456789abcdef");
  e->external.description = text("release demo");
  e->external.filename = text("demo.mp4");
}

static int op_encode(void *arg) {
  sample *s = arg;
  mimi_bytes out;
  if (mimi_content_encode(&s->msg, &out) != MIMI_OK) return 1;
  mimi_bytes_free(&out);
  return 0;
}

static int op_decode(void *arg) {
  sample *s = arg;
  mimi_content c;
  if (mimi_content_decode(s->wire.data, s->wire.len, NULL, &c) != MIMI_OK) return 1;
  mimi_content_free(&c);
  return 0;
}

static int op_id(void *arg) {
  sample *s = arg;
  uint8_t id[MIMI_MESSAGE_ID_LEN];
  static const char sender[] = "mimi://example.com/u/alice-smith";
  static const char room[] = "mimi://example.com/r/engineering_team";
  return mimi_message_id(s->wire.data, s->wire.len, (const uint8_t *)sender, sizeof sender - 1,
                         (const uint8_t *)room, sizeof room - 1, id) != MIMI_OK;
}

/* What a sender and a receiver each do once per message. */
static int op_all(void *arg) {
  sample *s = arg;
  mimi_bytes out;
  mimi_content c;
  uint8_t id[MIMI_MESSAGE_ID_LEN];
  if (mimi_content_encode(&s->msg, &out) != MIMI_OK) return 1;
  int rc = mimi_content_decode(out.data, out.len, NULL, &c) != MIMI_OK;
  if (rc == 0) {
    const uint8_t *sp, *rp;
    size_t sl, rl;
    rc = mimi_content_sender_uri(&c, &sp, &sl) != MIMI_OK ||
         mimi_content_room_uri(&c, &rp, &rl) != MIMI_OK ||
         mimi_message_id(out.data, out.len, sp, sl, rp, rl, id) != MIMI_OK;
    mimi_content_free(&c);
  }
  mimi_bytes_free(&out);
  return rc;
}

int main(void) {
  sample samples[2];
  memset(samples, 0, sizeof samples);
  samples[0].name = "text, 100 B body";
  samples[1].name = "multipart, 5 parts";
  build_text(&samples[0].msg);
  build_multipart(&samples[1].msg);
  static const struct {
    const char *name;
    int (*fn)(void *);
  } ops[] = {{"encode", op_encode},
             {"decode (strict)", op_decode},
             {"message ID", op_id},
             {"encode+decode+ID", op_all}};
  double secs = bench_seconds();
  printf("| %-20s | %6s | %-17s | %10s | %8s |\n", "message", "bytes", "operation", "msgs/s",
         "us/msg");
  printf("|----------------------|--------|-------------------|------------|----------|\n");
  for (int i = 0; i < 2; i++) {
    sample *s = &samples[i];
    mimi_err err = mimi_content_encode(&s->msg, &s->wire);
    if (err != MIMI_OK) die("encode", err);
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
      double r = bench_ops_per_sec(ops[k].fn, s, secs);
      printf("| %-20s | %6zu | %-17s | %10.0f | %8.2f |\n", s->name, s->wire.len, ops[k].name, r,
             1e6 / r);
    }
    mimi_bytes_free(&s->wire);
    mimi_content_free(&s->msg);
  }
  return 0;
}
