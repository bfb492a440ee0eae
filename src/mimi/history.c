/* history.c — a small in-memory set of known message IDs with their
 * senders, and the reply/edit/delete target checks of draft-ietf-mimi-content
 * §4.1 and §9.3 over any mimi_known_messages lookup. */
#include <stdlib.h>
#include <string.h>

#include "content_internal.h"

typedef struct {
  bool used;
  bool has_in_reply_to;
  uint8_t id[MIMI_MESSAGE_ID_LEN];
  uint8_t in_reply_to[MIMI_MESSAGE_ID_LEN];
  mimi_bytes sender;
} slot;

struct mimi_history {
  slot *slots;
  size_t cap; /* power of two */
  size_t count;
};

/* IDs are hash outputs, so their bytes after the algorithm octet are
 * already uniformly distributed. */
static size_t home(const uint8_t *id, size_t cap) {
  uint64_t h = 0;
  for (int i = 1; i <= 8; i++) h = h << 8 | id[i];
  return (size_t)h & (cap - 1);
}

static slot *find(const mimi_history *h, const uint8_t *id) {
  for (size_t i = home(id, h->cap);; i = (i + 1) & (h->cap - 1)) {
    slot *s = &h->slots[i];
    if (!s->used || memcmp(s->id, id, MIMI_MESSAGE_ID_LEN) == 0) return s;
  }
}

mimi_err mimi_history_new(mimi_history **out) {
  mimi_history *h = calloc(1, sizeof *h);
  if (h == NULL) return MIMI_ERR_NOMEM;
  h->cap = 64;
  h->slots = calloc(h->cap, sizeof *h->slots);
  if (h->slots == NULL) {
    free(h);
    return MIMI_ERR_NOMEM;
  }
  *out = h;
  return MIMI_OK;
}

void mimi_history_free(mimi_history *h) {
  if (h == NULL) return;
  for (size_t i = 0; i < h->cap; i++) mimi_bytes_free(&h->slots[i].sender);
  free(h->slots);
  free(h);
}

static mimi_err grow(mimi_history *h) {
  if (h->cap > SIZE_MAX / 2 / sizeof(slot)) return MIMI_ERR_TOO_LARGE;
  mimi_history bigger = {calloc(h->cap * 2, sizeof(slot)), h->cap * 2, h->count};
  if (bigger.slots == NULL) return MIMI_ERR_NOMEM;
  for (size_t i = 0; i < h->cap; i++)
    if (h->slots[i].used) *find(&bigger, h->slots[i].id) = h->slots[i];
  free(h->slots);
  *h = bigger;
  return MIMI_OK;
}

mimi_err mimi_history_add(mimi_history *h, const uint8_t id[MIMI_MESSAGE_ID_LEN],
                          const uint8_t *sender, size_t sender_len) {
  if (find(h, id)->used) return MIMI_ERR_BAD_CONTENT;
  if ((h->count + 1) * 2 > h->cap) MIMI_TRY(grow(h));
  mimi_bytes s = {NULL, 0};
  if (sender) MIMI_TRY(mimi_bytes_copy(&s, sender, sender_len));
  slot *dst = find(h, id);
  dst->used = true;
  memcpy(dst->id, id, MIMI_MESSAGE_ID_LEN);
  dst->sender = s;
  h->count++;
  return MIMI_OK;
}

mimi_err mimi_history_add_content(mimi_history *h, const uint8_t id[MIMI_MESSAGE_ID_LEN],
                                  const mimi_content *c) {
  const uint8_t *sender = NULL;
  size_t sender_len = 0;
  if (mimi_content_sender_uri(c, &sender, &sender_len) != MIMI_OK) sender = NULL;
  MIMI_TRY(mimi_history_add(h, id, sender, sender_len));
  if (c->has_in_reply_to) {
    slot *s = find(h, id);
    s->has_in_reply_to = true;
    memcpy(s->in_reply_to, c->in_reply_to, MIMI_MESSAGE_ID_LEN);
  }
  return MIMI_OK;
}

/* §4.1: follow the inReplyTo chain through known messages; it must not come
 * back to the new message or to any message already on the chain. A link
 * to an unknown message ends the walk (the rest cannot be checked). */
mimi_err mimi_history_check_reply_chain(const mimi_history *h,
                                        const uint8_t id[MIMI_MESSAGE_ID_LEN],
                                        const mimi_content *c) {
  if (!c->has_in_reply_to) return MIMI_OK;
  const uint8_t *next = c->in_reply_to;
  /* Floyd's tortoise and hare over the chain of known messages. */
  const uint8_t *slow = next;
  for (size_t steps = 0; steps <= h->count; steps++) {
    if (memcmp(next, id, MIMI_MESSAGE_ID_LEN) == 0) return MIMI_ERR_BAD_CONTENT;
    const slot *s = find(h, next);
    if (!s->used || !s->has_in_reply_to) return MIMI_OK;
    next = s->in_reply_to;
    if (steps % 2 == 1) slow = find(h, slow)->in_reply_to;
    if (memcmp(next, slow, MIMI_MESSAGE_ID_LEN) == 0) return MIMI_ERR_BAD_CONTENT;
  }
  return MIMI_ERR_BAD_CONTENT; /* longer than the history: it must cycle */
}

bool mimi_history_contains(const mimi_history *h, const uint8_t id[MIMI_MESSAGE_ID_LEN]) {
  return find(h, id)->used;
}

size_t mimi_history_count(const mimi_history *h) { return h->count; }

static bool history_lookup(void *ctx, const uint8_t id[MIMI_MESSAGE_ID_LEN],
                           const uint8_t **sender, size_t *sender_len) {
  const slot *s = find(ctx, id);
  if (!s->used) return false;
  if (sender) {
    *sender = s->sender.data;
    *sender_len = s->sender.len;
  }
  return true;
}

mimi_known_messages mimi_history_known(const mimi_history *h) {
  mimi_known_messages k = {history_lookup, (void *)h};
  return k;
}

static mimi_err check_known(const mimi_known_messages *known, const uint8_t *id,
                            const uint8_t **sender, size_t *sender_len) {
  /* §9.1: an ID whose first octet names an unknown hash cannot be ours. */
  if (id[0] != MIMI_MESSAGE_ID_SHA256) return MIMI_ERR_UNKNOWN_TARGET;
  *sender = NULL;
  *sender_len = 0;
  return known->lookup(known->ctx, id, sender, sender_len) ? MIMI_OK : MIMI_ERR_UNKNOWN_TARGET;
}

mimi_err mimi_content_check_targets(const mimi_content *c, const mimi_known_messages *known,
                                    unsigned checks) {
  const uint8_t *sender;
  size_t sender_len;
  if (c->has_in_reply_to && (checks & MIMI_CHECK_IN_REPLY_TO))
    MIMI_TRY(check_known(known, c->in_reply_to, &sender, &sender_len));
  if (c->has_replaces && (checks & (MIMI_CHECK_REPLACES | MIMI_CHECK_SAME_SENDER))) {
    MIMI_TRY(check_known(known, c->replaces, &sender, &sender_len));
    if (checks & MIMI_CHECK_SAME_SENDER) {
      const uint8_t *mine;
      size_t mine_len;
      if (sender == NULL || mimi_content_sender_uri(c, &mine, &mine_len) != MIMI_OK ||
          mine_len != sender_len || memcmp(mine, sender, sender_len) != 0)
        return MIMI_ERR_BAD_SENDER;
    }
  }
  return MIMI_OK;
}
