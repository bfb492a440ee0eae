/* fanout.c — delivering a room's messages: the hub's inbox entries for
 * its own clients and outbox rows for follower providers (written inside
 * the accepting transaction), the drain that sends outbox rows to
 * /notify outside any request, and the follower's /notify handler that
 * files the messages into its clients' inboxes. */
#include <stdlib.h>
#include <string.h>

#include "provider_internal.h"

#define MAX_DOMAINS 64
#define DRAIN_BATCH 64
#define RETRY_MIN 2
#define RETRY_MAX 600

typedef struct {
  char *name[MAX_DOMAINS];
  bool main_msg[MAX_DOMAINS], welcome[MAX_DOMAINS];
  size_t n;
} domain_set;

static mimi_err domain_mark(domain_set *d, const char *name, bool welcome) {
  size_t i = 0;
  while (i < d->n && strcmp(d->name[i], name) != 0) i++;
  if (i == d->n) {
    if (d->n == MAX_DOMAINS) return MIMI_ERR_INVALID_ARG;
    if ((d->name[i] = strdup(name)) == NULL) return MIMI_ERR_NOMEM;
    d->n++;
  }
  if (welcome) d->welcome[i] = true;
  else d->main_msg[i] = true;
  return MIMI_OK;
}

static void domains_free(domain_set *d) {
  for (size_t i = 0; i < d->n; i++) free(d->name[i]);
}

/* One recipient: an inbox entry if it is our client, a mark on its
 * provider otherwise. Unknown local clients are skipped. */
static mimi_err route_one(const mimi_provider *p, const char *client_uri, const mimi_bytes *msg,
                          bool welcome, domain_set *d) {
  mimi_uri u;
  if (mimi_uri_parse(client_uri, strlen(client_uri), &u) != MIMI_OK) return MIMI_OK;
  mimi_err err = MIMI_OK;
  if (strcmp(u.provider, p->cfg->domain) != 0) {
    err = domain_mark(d, u.provider, welcome);
  } else {
    mimi_store_client c;
    uint64_t seq;
    err = p->store->ops->client_by_uri(p->store->impl, u.canonical, &c);
    if (err == MIMI_OK) {
      err = p->store->ops->inbox_push(p->store->impl, c.id, msg, &seq);
      mimi_store_client_free(&c);
    } else if (err == MIMI_ERR_NOT_FOUND) {
      err = MIMI_OK;
    }
  }
  mimi_uri_free(&u);
  return err;
}

static mimi_err concat(const mimi_bytes *a, const mimi_bytes *b, mimi_bytes *out) {
  size_t n = (a ? a->len : 0) + (b ? b->len : 0);
  uint8_t *buf = malloc(n ? n : 1);
  if (buf == NULL) return MIMI_ERR_NOMEM;
  if (a && a->len) memcpy(buf, a->data, a->len);
  if (b && b->len) memcpy(buf + (a ? a->len : 0), b->data, b->len);
  out->data = buf;
  out->len = n;
  return MIMI_OK;
}

mimi_err prov_fanout(const mimi_provider *p, int64_t room_id, const char *const *existing,
                     size_t n_existing, const mimi_bytes *main_msg, const char *const *added,
                     size_t n_added, const mimi_bytes *welcome_msg) {
  domain_set d;
  memset(&d, 0, sizeof d);
  mimi_err err = MIMI_OK;
  for (size_t i = 0; err == MIMI_OK && i < n_existing; i++)
    err = route_one(p, existing[i], main_msg, false, &d);
  for (size_t i = 0; err == MIMI_OK && welcome_msg != NULL && i < n_added; i++)
    err = route_one(p, added[i], welcome_msg, true, &d);
  for (size_t i = 0; err == MIMI_OK && i < d.n; i++) {
    mimi_bytes body = {0};
    err = concat(d.main_msg[i] ? main_msg : NULL, d.welcome[i] ? welcome_msg : NULL, &body);
    if (err == MIMI_OK) err = p->store->ops->outbox_add(p->store->impl, room_id, d.name[i], &body);
    mimi_bytes_free(&body);
  }
  domains_free(&d);
  return err;
}

/* ---- drain ------------------------------------------------------------------- */

static uint64_t backoff(uint32_t attempts) {
  uint64_t s = RETRY_MIN;
  for (uint32_t i = 0; i < attempts && s < RETRY_MAX; i++) s *= 2;
  return s > RETRY_MAX ? RETRY_MAX : s;
}

mimi_err mimi_provider_drain(const mimi_provider *p, uint64_t now, size_t *delivered) {
  if (p == NULL || p->store == NULL) return MIMI_ERR_INVALID_ARG;
  if (delivered) *delivered = 0;
  if (p->peers == NULL) return MIMI_OK;
  mimi_store_outbox_row *rows = NULL;
  size_t n = 0, sent = 0;
  MIMI_TRY(p->store->ops->outbox_due(p->store->impl, now, DRAIN_BATCH, &rows, &n));
  unsigned ok_status = mimi_endpoint_get(MIMI_EP_NOTIFY)->success_status;
  mimi_err err = MIMI_OK;
  domain_set failed; /* domains whose rows wait behind a failed one */
  memset(&failed, 0, sizeof failed);
  for (size_t i = 0; err == MIMI_OK && i < n; i++) {
    size_t k = 0;
    while (k < failed.n && strcmp(failed.name[k], rows[i].target_domain) != 0) k++;
    if (k < failed.n) continue;
    unsigned status = 0;
    mimi_bytes resp = {0};
    mimi_err call = p->peers->call(p->peers->ctx, rows[i].target_domain, MIMI_EP_NOTIFY,
                                   rows[i].room_uri, rows[i].body.data, rows[i].body.len,
                                   &status, &resp);
    mimi_bytes_free(&resp);
    if (call == MIMI_OK && status == ok_status) {
      err = p->store->ops->outbox_done(p->store->impl, rows[i].id);
      sent++;
    } else {
      err = p->store->ops->outbox_retry(p->store->impl, rows[i].id,
                                        now + backoff(rows[i].attempts));
      if (err == MIMI_OK) err = domain_mark(&failed, rows[i].target_domain, false);
    }
  }
  domains_free(&failed);
  mimi_store_outbox_free(rows, n);
  if (delivered) *delivered = sent;
  return err;
}

/* ---- follower: /notify ------------------------------------------------------------ */

/* A Welcome goes to the clients whose claimed KeyPackages it names; they
 * are members of the room from now on. Anything else goes to the room's
 * known members here. */
static mimi_err file_one(const mimi_provider *p, const char *room, const mimi_fanout_message *f,
                         const uint8_t *enc, size_t enc_len) {
  mimi_store *st = p->store;
  mimi_bytes msg = {(uint8_t *)enc, enc_len};
  uint64_t seq;
  mimi_err err = MIMI_OK;
  if (f->message.body.wire_format == MLS_WIRE_WELCOME) {
    const mls_welcome *w = &f->message.body.welcome;
    for (size_t i = 0; err == MIMI_OK && i < w->secrets_count; i++) {
      mimi_store_client c;
      const mimi_bytes *ref = &w->secrets[i].new_member;
      err = st->ops->client_by_claim(st->impl, ref->data, ref->len, &c);
      if (err == MIMI_ERR_NOT_FOUND) {
        err = MIMI_OK; /* another provider's client */
        continue;
      }
      if (err != MIMI_OK) break;
      err = st->ops->inbox_push(st->impl, c.id, &msg, &seq);
      if (err == MIMI_OK) err = st->ops->room_client_add(st->impl, room, c.id);
      mimi_store_client_free(&c);
    }
    return err;
  }
  int64_t *ids = NULL;
  size_t n = 0;
  MIMI_TRY(st->ops->room_clients(st->impl, room, &ids, &n));
  for (size_t i = 0; err == MIMI_OK && i < n; i++)
    err = st->ops->inbox_push(st->impl, ids[i], &msg, &seq);
  free(ids);
  return err;
}

static mimi_err file_all(const mimi_provider *p, const char *room, const uint8_t *body,
                         size_t len) {
  mimi_reader r = mimi_reader_init(body, len);
  mimi_err err = MIMI_OK;
  size_t count = 0;
  while (err == MIMI_OK) {
    size_t start = len - mimi_reader_remaining(&r);
    mimi_fanout_message f;
    err = mimi_proto_fanout_next(&r, &f);
    if (err == MIMI_ERR_NOT_FOUND) return count ? MIMI_OK : MIMI_ERR_INVALID_ARG;
    if (err != MIMI_OK) return err;
    size_t end = len - mimi_reader_remaining(&r);
    err = file_one(p, room, &f, body + start, end - start);
    mimi_fanout_message_free(&f);
    count++;
  }
  return err;
}

void prov_notify(const mimi_provider *p, const mimi_route *route, const mimi_http_request *req,
                 mimi_http_response *resp) {
  mimi_uri room;
  if (mimi_uri_parse(route->param, route->param_len, &room) != MIMI_OK) {
    prov_error(resp, 400, "bad room URI");
    return;
  }
  mimi_store *st = p->store;
  mimi_err err;
  if (strcmp(room.provider, req->peer_domain) != 0) {
    prov_error(resp, 403, "only the room's hub notifies about it");
  } else if ((err = st->ops->begin(st->impl)) != MIMI_OK) {
    prov_error(resp, 500, mimi_strerror(err));
  } else if ((err = file_all(p, room.canonical, req->body, req->body_len)) != MIMI_OK) {
    st->ops->rollback(st->impl);
    bool ours = err == MIMI_ERR_STORE || err == MIMI_ERR_NOMEM;
    prov_error(resp, ours ? 500 : 400, ours ? mimi_strerror(err) : "bad FanoutMessages");
  } else if ((err = st->ops->commit(st->impl)) != MIMI_OK) {
    st->ops->rollback(st->impl);
    prov_error(resp, 500, mimi_strerror(err));
  } else {
    resp->status = route->endpoint->success_status;
  }
  mimi_uri_free(&room);
}
