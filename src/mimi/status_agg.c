/*
 * status_agg.c — per-message aggregation of status reports: the current
 * status of each (message, reporting user) pair under the merge rule in
 * mimi/status.h, and per-message counts.
 *
 * Records live in one array sorted by (message ID, reporter index), so a
 * message's reporters are contiguous and lookups are binary searches. An
 * apply reserves all memory it may need before changing anything, which is
 * what makes it all-or-nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "mimi/identity.h"
#include "mimi/status.h"

typedef struct {
  uint8_t id[MIMI_MESSAGE_ID_LEN];
  uint32_t reporter; /* index into reporters */
  uint8_t status;
  uint64_t timestamp;
} agg_rec;

struct mimi_status_agg {
  char **reporters; /* canonical URIs, in order of first appearance */
  size_t n_reporters, cap_reporters;
  agg_rec *recs;
  size_t n_recs, cap_recs;
};

mimi_err mimi_status_agg_new(mimi_status_agg **out) {
  if (!out) return MIMI_ERR_INVALID_ARG;
  mimi_status_agg *a = calloc(1, sizeof *a);
  if (!a) return MIMI_ERR_NOMEM;
  *out = a;
  return MIMI_OK;
}

void mimi_status_agg_free(mimi_status_agg *agg) {
  if (!agg) return;
  for (size_t i = 0; i < agg->n_reporters; i++) free(agg->reporters[i]);
  free(agg->reporters);
  free(agg->recs);
  free(agg);
}

/* The identity a report speaks for, as canonical text (free() it). */
static mimi_err reporter_key(const char *text, size_t len, char **out) {
  mimi_uri u;
  MIMI_TRY(mimi_uri_parse(text, len, &u));
  mimi_err err = MIMI_OK;
  if (u.kind == MIMI_URI_CLIENT && u.user) {
    mimi_uri user;
    err = mimi_uri_user_of(&u, &user);
    if (err == MIMI_OK) {
      mimi_uri_free(&u);
      u = user;
    }
  }
  char *s = NULL;
  if (err == MIMI_OK) {
    s = malloc(u.canonical_len + 1);
    if (s) memcpy(s, u.canonical, u.canonical_len + 1);
    else err = MIMI_ERR_NOMEM;
  }
  mimi_uri_free(&u);
  if (err == MIMI_OK) *out = s;
  return err;
}

static bool find_reporter(const mimi_status_agg *a, const char *key, uint32_t *idx) {
  for (size_t i = 0; i < a->n_reporters; i++) {
    if (strcmp(a->reporters[i], key) == 0) {
      *idx = (uint32_t)i;
      return true;
    }
  }
  return false;
}

static int rec_cmp(const uint8_t *id, uint32_t reporter, const agg_rec *r) {
  int c = memcmp(id, r->id, MIMI_MESSAGE_ID_LEN);
  if (c != 0) return c;
  return reporter < r->reporter ? -1 : reporter > r->reporter ? 1 : 0;
}

/* First record not less than (id, reporter). */
static size_t lower_bound(const mimi_status_agg *a, const uint8_t *id, uint32_t reporter) {
  size_t lo = 0, hi = a->n_recs;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (rec_cmp(id, reporter, &a->recs[mid]) > 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

static bool is_unknown(uint8_t s) { return s >= MIMI_STATUS_FIRST_UNKNOWN; }

static int rank(uint8_t s) {
  switch (s) {
  case MIMI_STATUS_ERROR: return 1;
  case MIMI_STATUS_DELIVERED: return 2;
  default: return 3; /* unread, read, hidden: the user's own view of it */
  }
}

/* The merge rule documented in mimi/status.h. */
static bool replaces(uint8_t cur, uint64_t cur_ts, uint8_t inc, uint64_t inc_ts) {
  if (cur == MIMI_STATUS_DELETED) return false;
  if (inc == MIMI_STATUS_DELETED) return true;
  if (cur == MIMI_STATUS_EXPIRED) return false;
  if (inc == MIMI_STATUS_EXPIRED) return true;
  if (is_unknown(inc)) return is_unknown(cur) && inc_ts >= cur_ts;
  if (is_unknown(cur)) return true;
  if (rank(inc) != rank(cur)) return rank(inc) > rank(cur);
  return inc_ts >= cur_ts;
}

static mimi_err reserve(void **p, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return MIMI_OK;
  size_t cap2 = *cap ? *cap : 16;
  while (cap2 < need) {
    if (cap2 > SIZE_MAX / 2 / elem) return MIMI_ERR_NOMEM;
    cap2 *= 2;
  }
  void *q = realloc(*p, cap2 * elem);
  if (!q) return MIMI_ERR_NOMEM;
  *p = q;
  *cap = cap2;
  return MIMI_OK;
}

mimi_err mimi_status_agg_apply(mimi_status_agg *agg, const char *reporter, size_t reporter_len,
                               uint64_t timestamp, const mimi_status_report *report) {
  if (!agg || !reporter || !report || (report->count && !report->entries))
    return MIMI_ERR_INVALID_ARG;
  char *key;
  MIMI_TRY(reporter_key(reporter, reporter_len, &key));

  uint32_t rep;
  bool new_reporter = !find_reporter(agg, key, &rep);
  mimi_err err = MIMI_OK;
  if (new_reporter) {
    if (agg->n_reporters >= UINT32_MAX) err = MIMI_ERR_TOO_LARGE;
    else err = reserve((void **)&agg->reporters, &agg->cap_reporters, agg->n_reporters + 1,
                       sizeof *agg->reporters);
  }
  if (err == MIMI_OK && report->count > SIZE_MAX - agg->n_recs) err = MIMI_ERR_TOO_LARGE;
  if (err == MIMI_OK)
    err = reserve((void **)&agg->recs, &agg->cap_recs, agg->n_recs + report->count,
                  sizeof *agg->recs);
  if (err != MIMI_OK) {
    free(key);
    return err;
  }

  /* nothing below can fail */
  if (new_reporter) {
    rep = (uint32_t)agg->n_reporters;
    agg->reporters[agg->n_reporters++] = key;
  } else {
    free(key);
  }
  for (size_t i = 0; i < report->count; i++) {
    const mimi_status_entry *e = &report->entries[i];
    size_t at = lower_bound(agg, e->message_id, rep);
    if (at < agg->n_recs && rec_cmp(e->message_id, rep, &agg->recs[at]) == 0) {
      agg_rec *r = &agg->recs[at];
      if (replaces(r->status, r->timestamp, e->status, timestamp)) {
        r->status = e->status;
        r->timestamp = timestamp;
      }
      continue;
    }
    memmove(&agg->recs[at + 1], &agg->recs[at], (agg->n_recs - at) * sizeof *agg->recs);
    agg_rec *r = &agg->recs[at];
    memcpy(r->id, e->message_id, MIMI_MESSAGE_ID_LEN);
    r->reporter = rep;
    r->status = e->status;
    r->timestamp = timestamp;
    agg->n_recs++;
  }
  return MIMI_OK;
}

mimi_err mimi_status_agg_summary(const mimi_status_agg *agg,
                                 const uint8_t message_id[MIMI_MESSAGE_ID_LEN],
                                 mimi_status_summary *out) {
  if (!agg || !message_id || !out) return MIMI_ERR_INVALID_ARG;
  mimi_status_summary s;
  memset(&s, 0, sizeof s);
  for (size_t i = lower_bound(agg, message_id, 0);
       i < agg->n_recs && memcmp(agg->recs[i].id, message_id, MIMI_MESSAGE_ID_LEN) == 0; i++) {
    uint8_t st = agg->recs[i].status;
    s.recipients++;
    s.by_status[is_unknown(st) ? MIMI_STATUS_FIRST_UNKNOWN : st]++;
    if (st == MIMI_STATUS_DELIVERED || st == MIMI_STATUS_UNREAD || st == MIMI_STATUS_READ ||
        st == MIMI_STATUS_HIDDEN)
      s.delivered++;
    if (st == MIMI_STATUS_READ) s.read++;
  }
  if (s.recipients == 0) return MIMI_ERR_NOT_FOUND;
  *out = s;
  return MIMI_OK;
}

mimi_err mimi_status_agg_get(const mimi_status_agg *agg,
                             const uint8_t message_id[MIMI_MESSAGE_ID_LEN], const char *reporter,
                             size_t reporter_len, uint8_t *status) {
  if (!agg || !message_id || !reporter || !status) return MIMI_ERR_INVALID_ARG;
  char *key;
  MIMI_TRY(reporter_key(reporter, reporter_len, &key));
  uint32_t rep;
  bool known = find_reporter(agg, key, &rep);
  free(key);
  if (!known) return MIMI_ERR_NOT_FOUND;
  size_t at = lower_bound(agg, message_id, rep);
  if (at >= agg->n_recs || rec_cmp(message_id, rep, &agg->recs[at]) != 0)
    return MIMI_ERR_NOT_FOUND;
  *status = agg->recs[at].status;
  return MIMI_OK;
}
