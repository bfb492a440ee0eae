/* demo_content.c — composing and taking in MIMI content (demo_content.h). */
#include "demo_content.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

mimi_err demo_compose(const char *sender_uri, const char *room, const char *markdown,
                      const uint8_t *reply_to, mimi_bytes *out,
                      uint8_t id[MIMI_MESSAGE_ID_LEN]) {
  mimi_content c;
  memset(&c, 0, sizeof c);
  mimi_err err = mimi_rng_fill(mimi_rng_system(), c.salt, sizeof c.salt);
  if (reply_to != NULL) {
    c.has_in_reply_to = true;
    memcpy(c.in_reply_to, reply_to, MIMI_MESSAGE_ID_LEN);
  }
  if (err == MIMI_OK) err = mimi_content_add_text_ext(&c, MIMI_EXT_SENDER_URI, sender_uri);
  if (err == MIMI_OK) err = mimi_content_add_text_ext(&c, MIMI_EXT_ROOM_URI, room);
  c.body.disposition = MIMI_DISP_RENDER;
  c.body.cardinality = MIMI_PART_SINGLE;
  static const char type[] = "text/markdown;variant=GFM";
  if (err == MIMI_OK) err = mimi_bytes_copy(&c.body.content_type, (const uint8_t *)type, strlen(type));
  if (err == MIMI_OK)
    err = mimi_bytes_copy(&c.body.content, (const uint8_t *)markdown, strlen(markdown));
  if (err == MIMI_OK) err = mimi_content_encode(&c, out);
  if (err == MIMI_OK) err = mimi_content_message_id(&c, id);
  mimi_content_free(&c);
  return err;
}

mimi_err demo_take_content(mimi_history *h, const char *to_uri, const uint8_t *data,
                           size_t len, uint32_t leaf, size_t wire_len, bool show) {
  mimi_content c;
  memset(&c, 0, sizeof c);
  mimi_bytes rendered = {NULL, 0};
  uint8_t id[MIMI_MESSAGE_ID_LEN];
  mimi_err err = mimi_content_decode(data, len, NULL, &c);
  if (err == MIMI_OK) {
    mimi_known_messages known = mimi_history_known(h);
    err = mimi_content_check_targets(&c, &known, MIMI_CHECK_IN_REPLY_TO);
  }
  if (err == MIMI_OK) err = mimi_content_message_id(&c, id);
  if (err == MIMI_OK) err = mimi_history_add_content(h, id, &c);
  mimi_render_opts opts = {64, isatty(STDOUT_FILENO) == 1};
  if (err == MIMI_OK && show)
    err = mimi_render("text/markdown", c.body.content.data, c.body.content.len, &opts, &rendered);
  if (err == MIMI_OK && show) {
    const uint8_t *from = NULL;
    size_t from_len = 0;
    if (mimi_content_sender_uri(&c, &from, &from_len) != MIMI_OK) from_len = 0;
    size_t n = rendered.len;
    while (n > 0 && rendered.data[n - 1] == '\n') n--;
    printf("  %s ← %.*s (leaf %u, %zu B%s), id ", to_uri, (int)from_len, (const char *)from,
           leaf, wire_len, c.has_in_reply_to ? ", a reply" : "");
    for (size_t i = 0; i < 6; i++) printf("%02x", id[i]);
    printf("…\n    | %.*s\n", (int)n, (const char *)rendered.data);
  }
  mimi_bytes_free(&rendered);
  mimi_content_free(&c);
  return err;
}

bool demo_same_epoch(const mls_group *a, const mls_group *b) {
  size_t la, lb;
  const uint8_t *ea = mls_group_epoch_authenticator(a, &la);
  const uint8_t *eb = mls_group_epoch_authenticator(b, &lb);
  return mls_group_epoch(a) == mls_group_epoch(b) && la == lb && mimi_ct_eq(ea, eb, la);
}
