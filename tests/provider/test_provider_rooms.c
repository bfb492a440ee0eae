/* test_provider_rooms.c — the hub side of mimid without sockets: two
 * providers (a.example hosts the room, b.example follows) wired handler to
 * handler, real MLS groups on the clients. Room creation, an Add commit
 * through update (with its refusals: invalid, not the requester's, stale
 * epoch — each leaving the room untouched), the Welcome reaching a local
 * and a remote joiner, the outbox drain with a retry, and application
 * messages both ways through submitMessage and the inboxes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "provider_fixture.h"

#define NOW 1700000000ull
#define ROOM "mimi://a.example/r/club"
#define ADMIN "Bearer adm1n"

static mimi_test_prng prng_state;
static mimi_rng rng;

/* ---- two providers, each calling the other's handler ------------------------ */

typedef struct {
  mimi_provider_config cfg;
  mimi_store store;
  mimi_provider p;
  mimi_peer_transport t;
} world_provider;

static world_provider A, B;
static int fail_calls; /* the next n peer calls fail at the transport */
static int peer_calls;

static mimi_err world_call(void *ctx, const char *domain, mimi_endpoint_id ep, const char *param,
                           const uint8_t *body, size_t body_len, unsigned *status,
                           mimi_bytes *resp) {
  world_provider *self = ctx;
  world_provider *to = strcmp(domain, "a.example") == 0   ? &A
                       : strcmp(domain, "b.example") == 0 ? &B
                                                          : NULL;
  peer_calls++;
  if (to == NULL) return MIMI_ERR_NOT_FOUND;
  if (fail_calls > 0) {
    fail_calls--;
    return MIMI_ERR_HTTP;
  }
  char *path = NULL;
  MIMI_TRY(mimi_endpoint_path(ep, "/v1", param, &path));
  char from[80];
  snprintf(from, sizeof from, "mimi@%s", self->cfg.domain);
  mimi_http_request r = {.method = "POST",
                         .path = path,
                         .path_len = strlen(path),
                         .peer_domain = self->cfg.domain,
                         .host = domain,
                         .from = from,
                         .body = body,
                         .body_len = body_len};
  mimi_http_response out;
  mimi_provider_handle(&to->p, &r, NOW, &out);
  free(path);
  *status = out.status;
  *resp = out.body;
  return MIMI_OK;
}

static void world_init(world_provider *w, const char *domain, const char *peer) {
  char text[256];
  snprintf(text, sizeof text, "domain=%s\ndb=:memory:\nadmin_token=adm1n\npeer=%s https://%s/v1\n",
           domain, peer, peer);
  size_t line;
  CHECK_OK(mimi_provider_config_parse(text, strlen(text), &w->cfg, &line));
  CHECK_OK(mimi_store_open_sqlite(":memory:", &w->store));
  w->t = (mimi_peer_transport){world_call, w};
  w->p = (mimi_provider){&w->cfg, &w->store, &rng, &w->t};
}

static void world_free(world_provider *w) {
  mimi_store_close(&w->store);
  mimi_provider_config_free(&w->cfg);
}

static mimi_http_response call(world_provider *w, const char *method, const char *path,
                               const char *auth, const mimi_bytes *body) {
  mimi_http_request r = {.method = method,
                         .path = path,
                         .path_len = strlen(path),
                         .authorization = auth,
                         .body = body ? body->data : NULL,
                         .body_len = body ? body->len : 0};
  mimi_http_response resp;
  mimi_provider_handle(&w->p, &r, NOW, &resp);
  return resp;
}

/* A MIMI endpoint called by a peer provider (peer_domain) directly. */
static mimi_http_response peer_call(world_provider *w, const char *peer, mimi_endpoint_id ep,
                                    const mimi_bytes *body) {
  char *path = NULL;
  CHECK_OK(mimi_endpoint_path(ep, "/v1", ROOM, &path));
  char from[80];
  snprintf(from, sizeof from, "mimi@%s", peer);
  mimi_http_request r = {.method = "POST",
                         .path = path,
                         .path_len = strlen(path),
                         .peer_domain = peer,
                         .host = w->cfg.domain,
                         .from = from,
                         .body = body->data,
                         .body_len = body->len};
  mimi_http_response resp;
  mimi_provider_handle(&w->p, &r, NOW, &resp);
  free(path);
  return resp;
}

/* ---- clients ---------------------------------------------------------------- */

typedef struct {
  fx_client id;
  world_provider *home;
  char *auth;
  mls_key_package_bundle kp;
  mls_group *g;
} member;

static member alice, carol, bob;

static void member_init(member *m, const char *uri, world_provider *home) {
  memset(m, 0, sizeof *m);
  fx_client_init(&m->id, uri, &rng);
  m->home = home;
  mimi_client_register_request r = {0};
  CHECK_OK(mimi_bytes_copy(&r.client_uri, (const uint8_t *)uri, strlen(uri)));
  CHECK_OK(mimi_bytes_dup(&r.signature_key, &m->id.sig_pub));
  mimi_bytes body = {0};
  CHECK_OK(mimi_client_register_request_encode(&r, &body));
  mimi_client_register_request_free(&r);
  mimi_http_response resp = call(home, "POST", "/client/v1/register", ADMIN, &body);
  CHECK(resp.status == 201);
  mimi_client_register_response out = {0};
  CHECK_OK(mimi_client_register_response_decode(resp.body.data, resp.body.len, &out));
  m->auth = calloc(1, out.token.len + 8);
  memcpy(m->auth, "Bearer ", 7);
  memcpy(m->auth + 7, out.token.data, out.token.len);
  mimi_client_register_response_free(&out);
  mimi_http_response_free(&resp);
  mimi_bytes_free(&body);
  /* one KeyPackage, kept with its private keys and uploaded */
  fx_key_package_bundle(&m->id, &rng, &m->kp);
  mimi_bytes up = fx_upload_bundle_body(&m->kp);
  resp = call(home, "POST", "/client/v1/keyPackages", m->auth, &up);
  CHECK(resp.status == 204);
  mimi_http_response_free(&resp);
  mimi_bytes_free(&up);
}

static void member_free(member *m) {
  fx_client_free(&m->id);
  free(m->auth);
  mls_key_package_bundle_free(&m->kp);
  mls_group_free(m->g);
}

/* The KeyPackage of target_user, fetched by alice through her provider
 * (claimed there or at the user's provider). */
static void fetch_kp(const char *target_user, mls_key_package *out) {
  uint16_t suites[] = {FX_SUITE};
  mimi_key_material_request req;
  fx_km_request(&alice.id, "mimi://a.example/u/alice", target_user, suites, 1, &req);
  mimi_bytes body = fx_encode_km(&req);
  char *path = NULL;
  CHECK_OK(mimi_endpoint_path(MIMI_EP_KEY_MATERIAL, MIMI_CLIENT_API_PREFIX, target_user, &path));
  mimi_http_response resp = call(&A, "POST", path, alice.auth, &body);
  CHECK(resp.status == 200);
  mimi_key_material_response km;
  CHECK_OK(mimi_proto_decode(mimi_key_material_response_type(), resp.body.data, resp.body.len,
                             &km));
  CHECK(km.mls10.clients_count == 1);
  if (km.mls10.clients_count == 1)
    CHECK_OK(mimi_clone(mls_key_package_type(), out, &km.mls10.clients[0].key_package));
  mimi_key_material_response_free(&km);
  mimi_http_response_free(&resp);
  mimi_bytes_free(&body);
  free(path);
  mimi_key_material_request_free(&req);
}

/* The member's inbox, every entry decoded as a FanoutMessage, then acked. */
static size_t inbox(member *m, mimi_fanout_message *out, size_t max) {
  mimi_http_response resp = call(m->home, "GET", "/client/v1/inbox", m->auth, NULL);
  CHECK(resp.status == 200);
  mimi_client_inbox box = {0};
  CHECK_OK(mimi_client_inbox_decode(resp.body.data, resp.body.len, &box));
  size_t n = box.entries_count < max ? box.entries_count : max;
  for (size_t i = 0; i < n; i++)
    CHECK_OK(mimi_proto_decode(mimi_fanout_message_type(), box.entries[i].message.data,
                               box.entries[i].message.len, &out[i]));
  if (box.entries_count) {
    char path[64];
    snprintf(path, sizeof path, "/client/v1/inbox/%llu",
             (unsigned long long)box.entries[box.entries_count - 1].seq);
    mimi_http_response ack = call(m->home, "DELETE", path, m->auth, NULL);
    CHECK(ack.status == 204);
    mimi_http_response_free(&ack);
  }
  CHECK(box.entries_count == n);
  mimi_client_inbox_free(&box);
  mimi_http_response_free(&resp);
  return n;
}

static void fanouts_free(mimi_fanout_message *f, size_t n) {
  for (size_t i = 0; i < n; i++) mimi_fanout_message_free(&f[i]);
}

/* ---- room state as stored ------------------------------------------------------ */

static uint64_t room_epoch(mimi_bytes *state) {
  mimi_store_room r;
  CHECK_OK(A.store.ops->room_get(A.store.impl, ROOM, &r));
  uint64_t e = r.epoch;
  if (state) *state = r.state, r.state = (mimi_bytes){0};
  mimi_store_room_free(&r);
  return e;
}

static size_t outbox_rows(world_provider *w) {
  mimi_store_outbox_row *rows = NULL;
  size_t n = 0;
  CHECK_OK(w->store.ops->outbox_due(w->store.impl, UINT64_MAX / 2, 100, &rows, &n));
  mimi_store_outbox_free(rows, n);
  return n;
}

/* ---- requests ---------------------------------------------------------------------- */



static mimi_update_room_response update_answer(mimi_http_response *resp) {
  mimi_update_room_response r;
  memset(&r, 0, sizeof r);
  CHECK(resp->status == 200);
  CHECK_OK(mimi_proto_decode(mimi_update_room_response_type(), resp->body.data, resp->body.len,
                             &r));
  mimi_http_response_free(resp);
  return r;
}


static mimi_submit_status submit_answer(mimi_http_response *resp) {
  mimi_submit_message_response r;
  memset(&r, 0, sizeof r);
  CHECK(resp->status == 200);
  CHECK_OK(mimi_proto_decode(mimi_submit_message_response_type(), resp->body.data,
                             resp->body.len, &r));
  mimi_http_response_free(resp);
  mimi_submit_status s = r.mls10;
  CHECK(s.status_code != MIMI_SUBMIT_ACCEPTED || s.accepted.frank == NULL);
  return s;
}

/* submitMessage for the room: as one of w's clients (auth), or as b.example
 * straight to the hub (auth NULL). The status code; *value the accepted
 * timestamp or the current epoch. */
static uint8_t submit(world_provider *w, const char *auth, const char *sender_uri,
                      const char *text, mls_group *g, uint64_t *value) {
  mimi_bytes body = fx_submit_body(sender_uri, text, g, &rng);
  mimi_http_response r;
  if (auth == NULL) {
    r = peer_call(w, "b.example", MIMI_EP_SUBMIT_MESSAGE, &body);
  } else {
    char *path = NULL;
    CHECK_OK(mimi_endpoint_path(MIMI_EP_SUBMIT_MESSAGE, MIMI_CLIENT_API_PREFIX, ROOM, &path));
    r = call(w, "POST", path, auth, &body);
    free(path);
  }
  mimi_bytes_free(&body);
  mimi_submit_status s = submit_answer(&r);
  *value = s.status_code == MIMI_SUBMIT_ACCEPTED ? s.accepted.accepted_timestamp : s.current_epoch;
  uint8_t code = s.status_code;
  mimi_submit_status_free(&s);
  return code;
}

static char *client_path(mimi_endpoint_id ep) {
  char *p = NULL;
  CHECK_OK(mimi_endpoint_path(ep, MIMI_CLIENT_API_PREFIX, ROOM, &p));
  return p;
}


/* ---- tests ---------------------------------------------------------------------- */

static mls_group_config join_cfg;
static mls_group *alice_epoch0; /* a copy of alice's epoch-0 state: stale commits */

static void test_create_room(void) {
  static const uint8_t gid[] = "club";
  mls_group_config gc = mls_group_config_default();
  CHECK_OK(mls_group_create(&alice.g, gid, sizeof gid - 1, &alice.kp, alice.id.sig_priv.data,
                            alice.id.sig_priv.len, NULL, 0, &gc, &rng));
  mimi_bytes ser = {0};
  CHECK_OK(mls_group_serialize(alice.g, &ser));
  CHECK_OK(mls_group_deserialize(&alice_epoch0, ser.data, ser.len, NULL));
  mimi_bytes_free(&ser);

  mimi_bytes body = fx_create_room_body(ROOM, alice.g);
  /* carol did not sign this GroupInfo */
  mimi_http_response r = call(&A, "POST", "/client/v1/rooms", carol.auth, &body);
  CHECK(r.status == 403);
  mimi_http_response_free(&r);
  mimi_store_room row;
  CHECK_ERR(A.store.ops->room_get(A.store.impl, ROOM, &row), MIMI_ERR_NOT_FOUND);
  r = call(&A, "POST", "/client/v1/rooms", NULL, &body);
  CHECK(r.status == 401);
  mimi_http_response_free(&r);
  r = call(&A, "POST", "/client/v1/rooms", alice.auth, &body);
  CHECK(r.status == 201);
  mimi_http_response_free(&r);
  CHECK(room_epoch(NULL) == 0);
  r = call(&A, "POST", "/client/v1/rooms", alice.auth, &body);
  CHECK(r.status == 409);
  mimi_http_response_free(&r);
  mimi_bytes_free(&body);

  /* a room of another provider, a truncated body */
  body = fx_create_room_body("mimi://b.example/r/club", alice.g);
  r = call(&A, "POST", "/client/v1/rooms", alice.auth, &body);
  CHECK(r.status == 400);
  mimi_http_response_free(&r);
  body.len -= 1;
  r = call(&A, "POST", "/client/v1/rooms", alice.auth, &body);
  CHECK(r.status == 400);
  mimi_http_response_free(&r);
  mimi_bytes_free(&body);
  mimi_test_case();
}

static void test_add_commit(void) {
  /* bob's KeyPackage is claimed at b.example for a.example; carol's here */
  mls_proposal adds[2];
  memset(adds, 0, sizeof adds);
  adds[0].proposal_type = MLS_PROPOSAL_ADD;
  fetch_kp("mimi://b.example/u/bob", &adds[0].add.key_package);
  adds[1].proposal_type = MLS_PROPOSAL_ADD;
  fetch_kp("mimi://a.example/u/carol", &adds[1].add.key_package);
  mls_commit_options opt = {adds, 2, false, true};
  mls_message commit;
  mls_welcome welcome;
  CHECK_OK(mls_group_commit(alice.g, &opt, &rng, &commit, &welcome));
  CHECK_OK(mls_group_merge_pending(alice.g));
  mimi_bytes body = fx_update_body(&commit, &welcome, alice.g);
  char *path = client_path(MIMI_EP_UPDATE);
  mimi_bytes before = {0}, after = {0};
  CHECK(room_epoch(&before) == 0);

  /* a commit with a broken signature: invalidProposal, nothing stored */
  mls_message bad;
  CHECK_OK(mimi_clone(mls_message_type(), &bad, &commit));
  bad.body.public_message.signature.data[0] ^= 1;
  mimi_bytes bad_body = fx_update_body(&bad, &welcome, alice.g);
  mimi_http_response r = call(&A, "POST", path, alice.auth, &bad_body);
  mimi_update_room_response u = update_answer(&r);
  CHECK(u.response_code == MIMI_UPDATE_INVALID_PROPOSAL);
  mimi_update_room_response_free(&u);
  mls_message_free(&bad);
  mimi_bytes_free(&bad_body);

  /* the right commit with the GroupInfo of the old epoch, or a partial one */
  mimi_bytes gi0_body = fx_update_body(&commit, &welcome, alice_epoch0);
  r = call(&A, "POST", path, alice.auth, &gi0_body);
  u = update_answer(&r);
  CHECK(u.response_code == MIMI_UPDATE_INVALID_PROPOSAL);
  mimi_update_room_response_free(&u);
  mimi_bytes_free(&gi0_body);
  mimi_handshake_bundle partial;
  CHECK_OK(mimi_proto_decode(mimi_handshake_bundle_type(), body.data, body.len, &partial));
  mls_group_info_free(&partial.commit.group_info_option.group_info);
  memset(&partial.commit.group_info_option, 0, sizeof partial.commit.group_info_option);
  partial.commit.group_info_option.representation = MIMI_GROUP_INFO_REP_PARTIAL;
  partial.commit.group_info_option.partial_group_info.ratchet_tree_presence =
      MIMI_TREE_PRESENCE_PRESENT;
  CHECK_OK(mimi_proto_encode(mimi_handshake_bundle_type(), &partial, &gi0_body));
  mimi_handshake_bundle_free(&partial);
  r = call(&A, "POST", path, alice.auth, &gi0_body);
  u = update_answer(&r);
  CHECK(u.response_code == MIMI_UPDATE_INVALID_PROPOSAL);
  CHECK(u.error_description.len == 28 &&
        memcmp(u.error_description.data, "a full GroupInfo is required", 28) == 0);
  mimi_update_room_response_free(&u);
  mimi_bytes_free(&gi0_body);

  /* b.example cannot commit for a.example's client; carol is not alice */
  r = peer_call(&A, "b.example", MIMI_EP_UPDATE, &body);
  u = update_answer(&r);
  CHECK(u.response_code == MIMI_UPDATE_NOT_ALLOWED);
  mimi_update_room_response_free(&u);
  r = call(&A, "POST", path, carol.auth, &body);
  u = update_answer(&r);
  CHECK(u.response_code == MIMI_UPDATE_NOT_ALLOWED);
  mimi_update_room_response_free(&u);
  CHECK(room_epoch(&after) == 0);
  CHECK(mimi_bytes_eq(&before, &after));
  mimi_bytes_free(&after);
  CHECK(outbox_rows(&A) == 0);

  /* accepted: epoch 1 stored, one outbox row for b.example */
  r = call(&A, "POST", path, alice.auth, &body);
  u = update_answer(&r);
  CHECK(u.response_code == MIMI_UPDATE_SUCCESS);
  CHECK(u.accepted_timestamp == NOW * 1000);
  mimi_update_room_response_free(&u);
  mimi_bytes_free(&before);
  CHECK(room_epoch(&before) == 1);
  CHECK(outbox_rows(&A) == 1);

  /* the same commit again, and another commit of epoch 0: wrongEpoch with
   * the current epoch, the room unchanged, nothing enqueued */
  r = call(&A, "POST", path, alice.auth, &body);
  u = update_answer(&r);
  CHECK(u.response_code == MIMI_UPDATE_WRONG_EPOCH && u.current_epoch == 1);
  mimi_update_room_response_free(&u);
  mls_commit_options empty = {NULL, 0, true, false};
  mls_message stale;
  mls_welcome stale_w;
  CHECK_OK(mls_group_commit(alice_epoch0, &empty, &rng, &stale, &stale_w));
  /* its GroupInfo would be of the fork's epoch 1: the copy stays at 0 */
  mimi_bytes stale_body = fx_update_body(&stale, NULL, alice.g);
  mls_group_discard_pending(alice_epoch0);
  r = call(&A, "POST", path, alice.auth, &stale_body);
  u = update_answer(&r);
  CHECK(u.response_code == MIMI_UPDATE_WRONG_EPOCH && u.current_epoch == 1);
  mimi_update_room_response_free(&u);
  CHECK(room_epoch(&after) == 1);
  CHECK(mimi_bytes_eq(&before, &after));
  mimi_bytes_free(&after);
  CHECK(outbox_rows(&A) == 1);
  /* the store's compare-and-set is what a concurrent loser hits */
  mimi_store_room row;
  CHECK_OK(A.store.ops->room_get(A.store.impl, ROOM, &row));
  CHECK_ERR(A.store.ops->room_update(A.store.impl, row.id, 0, 1, &stale_body),
            MIMI_ERR_STORE_CONFLICT);
  mimi_store_room_free(&row);
  CHECK(room_epoch(&after) == 1);
  CHECK(mimi_bytes_eq(&before, &after));
  mimi_bytes_free(&after);
  mimi_bytes_free(&before);
  mimi_bytes_free(&stale_body);
  mls_message_free(&stale);
  mls_welcome_free(&stale_w);

  /* carol (local) has the Welcome in her inbox; alice (committer) nothing */
  mimi_fanout_message f[4];
  CHECK(inbox(&alice, f, 4) == 0);
  size_t n = inbox(&carol, f, 4);
  CHECK(n == 1);
  if (n == 1) {
    CHECK(f[0].message.body.wire_format == MLS_WIRE_WELCOME);
    CHECK_OK(mls_group_join(&carol.g, &f[0].message.body.welcome, &carol.kp,
                            carol.id.sig_priv.data, carol.id.sig_priv.len, NULL,
                            &join_cfg));
  }
  fanouts_free(f, n);

  /* the drain: b.example unreachable once (retried later), then delivered */
  size_t sent = 99;
  fail_calls = 1;
  CHECK_OK(mimi_provider_drain(&A.p, NOW, &sent));
  CHECK(sent == 0 && outbox_rows(&A) == 1);
  int calls = peer_calls;
  CHECK_OK(mimi_provider_drain(&A.p, NOW + 1, &sent));
  CHECK(sent == 0 && peer_calls == calls); /* not due yet */
  CHECK_OK(mimi_provider_drain(&A.p, NOW + 2, &sent));
  CHECK(sent == 1 && outbox_rows(&A) == 0);

  /* bob joins from the Welcome in his inbox at b.example */
  n = inbox(&bob, f, 4);
  CHECK(n == 1);
  if (n == 1) {
    CHECK(f[0].message.body.wire_format == MLS_WIRE_WELCOME);
    CHECK_OK(mls_group_join(&bob.g, &f[0].message.body.welcome, &bob.kp, bob.id.sig_priv.data,
                            bob.id.sig_priv.len, NULL, &join_cfg));
  }
  fanouts_free(f, n);
  CHECK(bob.g && carol.g && mls_group_epoch(bob.g) == 1 && mls_group_epoch(carol.g) == 1);
  free(path);
  mimi_bytes_free(&body);
  mls_message_free(&commit);
  mls_welcome_free(&welcome);
  mls_proposal_free(&adds[0]);
  mls_proposal_free(&adds[1]);
  mimi_test_case();
}

static void test_messages(void) {
  if (bob.g == NULL || carol.g == NULL) return;
  char *path = client_path(MIMI_EP_SUBMIT_MESSAGE);
  mimi_fanout_message f[4];

  /* bob → through b.example to the hub → alice and carol; b gets nothing */
  uint64_t epoch = 0;
  CHECK(submit(&B, bob.auth, bob.id.uri, "hi from bob", bob.g, &epoch) == MIMI_SUBMIT_ACCEPTED);
  CHECK(epoch == NOW * 1000);
  CHECK(outbox_rows(&A) == 0);
  size_t n = inbox(&alice, f, 4);
  CHECK(n == 1 && fx_reads(alice.g, &f[0], "hi from bob"));
  fanouts_free(f, n);
  n = inbox(&carol, f, 4);
  CHECK(n == 1 && fx_reads(carol.g, &f[0], "hi from bob"));
  fanouts_free(f, n);
  CHECK(inbox(&bob, f, 4) == 0);

  /* alice → carol directly, bob through the outbox and /notify */
  CHECK(submit(&A, alice.auth, alice.id.uri, "hello bob", alice.g, &epoch) ==
        MIMI_SUBMIT_ACCEPTED);
  CHECK(inbox(&alice, f, 4) == 0);
  n = inbox(&carol, f, 4);
  CHECK(n == 1 && fx_reads(carol.g, &f[0], "hello bob"));
  fanouts_free(f, n);
  CHECK(inbox(&bob, f, 4) == 0);
  size_t sent = 0;
  CHECK_OK(mimi_provider_drain(&A.p, NOW + 10, &sent));
  CHECK(sent == 1);
  n = inbox(&bob, f, 4);
  CHECK(n == 1 && fx_reads(bob.g, &f[0], "hello bob"));
  fanouts_free(f, n);

  /* two messages for bob, the first delivery fails: the second waits for
   * the first, and both arrive in order */
  CHECK(submit(&A, alice.auth, alice.id.uri, "one", alice.g, &epoch) == MIMI_SUBMIT_ACCEPTED);
  CHECK(submit(&A, alice.auth, alice.id.uri, "two", alice.g, &epoch) == MIMI_SUBMIT_ACCEPTED);
  CHECK(outbox_rows(&A) == 2);
  fail_calls = 1;
  int calls = peer_calls;
  CHECK_OK(mimi_provider_drain(&A.p, NOW + 20, &sent));
  CHECK(sent == 0 && peer_calls == calls + 1);
  CHECK_OK(mimi_provider_drain(&A.p, NOW + 21, &sent));
  CHECK(sent == 0 && peer_calls == calls + 1);
  CHECK(inbox(&bob, f, 4) == 0);
  CHECK_OK(mimi_provider_drain(&A.p, NOW + 22, &sent));
  CHECK(sent == 2 && outbox_rows(&A) == 0);
  n = inbox(&bob, f, 4);
  CHECK(n == 2 && fx_reads(bob.g, &f[0], "one") && fx_reads(bob.g, &f[1], "two"));
  fanouts_free(f, n);
  n = inbox(&carol, f, 4);
  CHECK(n == 2 && fx_reads(carol.g, &f[0], "one") && fx_reads(carol.g, &f[1], "two"));
  fanouts_free(f, n);

  /* refusals, each fanning out nothing: an epoch-0 message (epochTooOld
   * with the current epoch), bob's provider speaking for carol, a sender
   * who is no member */
  CHECK(submit(&A, alice.auth, alice.id.uri, "old", alice_epoch0, &epoch) ==
        MIMI_SUBMIT_EPOCH_TOO_OLD);
  CHECK(epoch == 1);
  CHECK(submit(&A, NULL, carol.id.uri, "forged", bob.g, &epoch) == MIMI_SUBMIT_NOT_ALLOWED);
  CHECK(submit(&A, carol.auth, "mimi://a.example/d/dave/pc", "who", carol.g, &epoch) ==
        MIMI_SUBMIT_NOT_ALLOWED);
  CHECK(outbox_rows(&A) == 0);
  CHECK(inbox(&alice, f, 4) == 0 && inbox(&carol, f, 4) == 0);

  /* a room nobody hosts; a body that is no SubmitMessageRequest */
  mimi_bytes body = fx_submit_body(alice.id.uri, "lost", alice.g, &rng);
  mimi_http_response r =
      call(&A, "POST", "/client/v1/submitMessage/mimi%3A%2F%2Fa.example%2Fr%2Fnone", alice.auth,
           &body);
  CHECK(r.status == 404);
  mimi_http_response_free(&r);
  body.len = 3;
  r = call(&A, "POST", path, alice.auth, &body);
  CHECK(r.status == 400);
  mimi_http_response_free(&r);

  /* /notify at the follower: a truncated or empty body files nothing */
  r = peer_call(&B, "a.example", MIMI_EP_NOTIFY, &body);
  CHECK(r.status == 400);
  mimi_http_response_free(&r);
  r = peer_call(&B, "a.example", MIMI_EP_NOTIFY, &(mimi_bytes){NULL, 0});
  CHECK(r.status == 400);
  mimi_http_response_free(&r);
  CHECK(inbox(&bob, f, 4) == 0);
  mimi_bytes_free(&body);
  free(path);
  mimi_test_case();
}

int main(void) {
  rng = mimi_test_rng_prng(&prng_state, 0x600d);
  join_cfg = mls_group_config_default();
  world_init(&A, "a.example", "b.example");
  world_init(&B, "b.example", "a.example");
  member_init(&alice, "mimi://a.example/d/alice/phone", &A);
  member_init(&carol, "mimi://a.example/d/carol/pc", &A);
  member_init(&bob, "mimi://b.example/d/bob/phone", &B);
  test_create_room();
  test_add_commit();
  test_messages();
  member_free(&alice);
  member_free(&carol);
  member_free(&bob);
  mls_group_free(alice_epoch0);
  world_free(&A);
  world_free(&B);
  return mimi_test_summary("test_provider_rooms");
}
