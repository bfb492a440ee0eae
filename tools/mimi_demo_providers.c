/* mimi_demo_providers.c — `./run.sh demo`, second part: the conversation of
 * mimi-demo carried by two real providers. It makes a throwaway CA and
 * provider certificates with the openssl command, starts mimid for
 * a.example and b.example on 127.0.0.1 (OS-chosen ports, SQLite files in a
 * temporary directory) and then drives both clients through the client
 * API (docs/client-api.md): alice@a.example and bob@b.example register and
 * upload KeyPackages, alice claims bob's (relayed a→b over mutual TLS),
 * creates the room on her hub and commits the Add; bob's provider gets the
 * Welcome by /notify and bob joins from his inbox; then MIMI content
 * messages go both ways as MLS application messages through the hub. Each
 * step is checked; the exit status is 0 only if all succeeded and both
 * daemons stopped cleanly.
 * Usage: mimi-demo-providers [path/to/mimid]  (default: next to this binary) */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "demo_content.h"
#include "loopback.h"
#include "mimi/mls.h"

#define SUITE 1 /* MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519 */
#define ROOM "mimi://a.example/r/demo"

static bool fail(const char *who, const char *what) {
  fprintf(stderr, "demo: %s: %s failed\n", who, what);
  return false;
}

static bool fail_err(const char *who, const char *what, mimi_err err) {
  fprintf(stderr, "demo: %s: %s failed: %s (%s)\n", who, what, mimi_strerror(err),
          mimi_errname(err));
  return false;
}

#define TRY(who, what, expr)                                        \
  do {                                                              \
    mimi_err try_err_ = (expr);                                     \
    if (try_err_ != MIMI_OK) return fail_err(who, what, try_err_);  \
  } while (0)

#define EXPECT(who, what, cond)             \
  do {                                      \
    if (!(cond)) return fail(who, what);    \
  } while (0)

/* One client: identity, its provider, its token, group state, history. */
typedef struct {
  const char *name, *user, *uri; /* user URI, client URI */
  lb_target at;
  char *token;
  mls_credential cred;
  mimi_bytes sig_priv, sig_pub;
  mls_key_package_bundle kp; /* alice: to create the room; bob: uploaded */
  mls_group *group;
  mimi_history *history;
} client;

static mimi_err client_init(client *c, const char *name, const char *user, const char *uri,
                            lb_target at) {
  memset(c, 0, sizeof *c);
  c->name = name;
  c->user = user;
  c->uri = uri;
  c->at = at;
  c->cred.credential_type = MLS_CREDENTIAL_BASIC;
  MIMI_TRY(mimi_bytes_copy(&c->cred.identity, (const uint8_t *)uri, strlen(uri)));
  MIMI_TRY(mimi_history_new(&c->history));
  MIMI_TRY(mimi_sig_generate(mimi_suite_get(SUITE)->sig, mimi_rng_system(), &c->sig_priv,
                             &c->sig_pub));
  mls_key_package_options o;
  memset(&o, 0, sizeof o);
  o.credential = &c->cred;
  o.sig_priv = c->sig_priv.data;
  o.sig_priv_len = c->sig_priv.len;
  return mls_key_package_create(&c->kp, SUITE, &o, mimi_rng_system());
}

static void client_free(client *c) {
  free(c->token);
  mls_credential_free(&c->cred);
  mimi_bytes_free(&c->sig_priv);
  mimi_bytes_free(&c->sig_pub);
  mls_key_package_bundle_free(&c->kp);
  mls_group_free(c->group);
  mimi_history_free(c->history);
}

static bool register_client(client *c) {
  mimi_client_register_request r;
  memset(&r, 0, sizeof r);
  mimi_bytes body = {0}, resp = {0};
  char admin[64];
  LB_SNP(admin, sizeof admin, "adm-%s", c->at.domain);
  mimi_err err = mimi_bytes_copy(&r.client_uri, (const uint8_t *)c->uri, strlen(c->uri));
  if (err == MIMI_OK) err = mimi_bytes_dup(&r.signature_key, &c->sig_pub);
  if (err == MIMI_OK) err = mimi_client_register_request_encode(&r, &body);
  mimi_client_register_request_free(&r);
  unsigned st = err == MIMI_OK ? lb_https(c->at, "POST", "/client/v1/register", NULL, admin,
                                          NULL, &body, &resp)
                               : 0;
  mimi_bytes_free(&body);
  mimi_client_register_response out;
  memset(&out, 0, sizeof out);
  if (st == 201 && mimi_client_register_response_decode(resp.data, resp.len, &out) == MIMI_OK) {
    c->token = calloc(1, out.token.len + 1);
    if (c->token != NULL) memcpy(c->token, out.token.data, out.token.len);
  }
  mimi_client_register_response_free(&out);
  mimi_bytes_free(&resp);
  EXPECT(c->name, "register", c->token != NULL);
  return true;
}

/* One KeyPackage of c's, uploaded to its provider. */
static bool upload(client *c, const mls_key_package_bundle *kp) {
  mimi_bytes body = {0};
  TRY(c->name, "encode upload", lb_upload_bundle_body(kp, &body));
  unsigned st = lb_https(c->at, "POST", "/client/v1/keyPackages", NULL, c->token, NULL, &body,
                         NULL);
  mimi_bytes_free(&body);
  EXPECT(c->name, "upload KeyPackage", st == 204);
  return true;
}

/* Next inbox entry of c, polled while the hub's outbox drains (every
 * 200 ms): at most ~10 s, then acked. */
static bool next_inbox(client *c, mimi_fanout_message *out, size_t *wire_len) {
  for (int i = 0; i < 200; i++) {
    mimi_bytes resp = {0};
    unsigned st = lb_https(c->at, "GET", "/client/v1/inbox", NULL, c->token, NULL, NULL, &resp);
    mimi_client_inbox box;
    memset(&box, 0, sizeof box);
    mimi_err err = st == 200 ? mimi_client_inbox_decode(resp.data, resp.len, &box)
                             : MIMI_ERR_INTERNAL;
    mimi_bytes_free(&resp);
    if (err != MIMI_OK) return fail_err(c->name, "read inbox", err);
    bool got = false;
    if (box.entries_count > 0) {
      const mimi_client_inbox_entry *e = &box.entries[0];
      *wire_len = e->message.len;
      err = mimi_proto_decode(mimi_fanout_message_type(), e->message.data, e->message.len, out);
      char path[64];
      LB_SNP(path, sizeof path, "/client/v1/inbox/%llu", (unsigned long long)e->seq);
      if (err == MIMI_OK &&
          lb_https(c->at, "DELETE", path, NULL, c->token, NULL, NULL, NULL) != 204) {
        mimi_fanout_message_free(out);
        err = MIMI_ERR_INTERNAL;
      }
      got = true;
    }
    mimi_client_inbox_free(&box);
    if (got) {
      TRY(c->name, "take inbox entry", err);
      return true;
    }
    lb_sleep_ms(50);
  }
  return fail(c->name, "wait for the inbox");
}

/* Sends MIMI content from c into the room through c's provider. */
static bool send_content(client *c, const char *markdown, const uint8_t *reply_to,
                         uint8_t id[MIMI_MESSAGE_ID_LEN]) {
  mimi_bytes content = {0}, body = {0}, resp = {0};
  char *path = NULL;
  mimi_err err = demo_compose(c->uri, ROOM, markdown, reply_to, &content, id);
  if (err == MIMI_OK)
    err = mimi_history_add(c->history, id, (const uint8_t *)c->uri, strlen(c->uri));
  if (err == MIMI_OK)
    err = lb_submit_body(c->uri, content.data, content.len, c->group, mimi_rng_system(), &body);
  if (err == MIMI_OK) err = mimi_endpoint_path(MIMI_EP_SUBMIT_MESSAGE, "/client/v1", ROOM, &path);
  mimi_bytes_free(&content);
  if (err != MIMI_OK) {
    mimi_bytes_free(&body);
    return fail_err(c->name, "compose message", err);
  }
  unsigned st = lb_https(c->at, "POST", path, NULL, c->token, NULL, &body, &resp);
  free(path);
  mimi_submit_message_response r;
  memset(&r, 0, sizeof r);
  bool ok = st == 200 &&
            mimi_proto_decode(mimi_submit_message_response_type(), resp.data, resp.len, &r) ==
                MIMI_OK &&
            r.mls10.status_code == MIMI_SUBMIT_ACCEPTED;
  mimi_submit_message_response_free(&r);
  mimi_bytes_free(&resp);
  EXPECT(c->name, "submitMessage", ok);
  printf("%s: %s's message (%zu B) submitted, accepted by the hub a.example\n", c->at.domain,
         c->name, body.len);
  mimi_bytes_free(&body);
  return true;
}

/* The next application message in c's inbox, decrypted and shown. */
static bool receive_content(client *c) {
  mimi_fanout_message f;
  size_t wire_len = 0;
  if (!next_inbox(c, &f, &wire_len)) return false;
  mimi_bytes data = {0};
  uint32_t leaf = 0;
  mimi_err err = mls_group_unprotect(c->group, &f.message, &data, &leaf);
  mimi_fanout_message_free(&f);
  if (err == MIMI_OK) {
    printf("%s: %s's inbox has an MLS application message\n", c->at.domain, c->name);
    err = demo_take_content(c->history, c->uri, data.data, data.len, leaf, wire_len, true);
  }
  mimi_bytes_free(&data);
  TRY(c->name, "decrypt and read message", err);
  return true;
}

/* alice claims bob's KeyPackage through her provider (relayed to b). */
static bool claim(client *alice, const client *bob, mls_proposal *add) {
  mimi_key_material_request req;
  memset(&req, 0, sizeof req);
  req.protocol = MIMI_PROTOCOL_MLS10;
  mimi_key_material_request_mls *m = &req.mls10;
  mimi_err err = mimi_bytes_copy(&m->requesting_user.uri, (const uint8_t *)alice->user,
                                 strlen(alice->user));
  if (err == MIMI_OK)
    err = mimi_bytes_copy(&m->target_user.uri, (const uint8_t *)bob->user, strlen(bob->user));
  if (err == MIMI_OK)
    err = mimi_bytes_copy(&m->room_id.uri, (const uint8_t *)ROOM, strlen(ROOM));
  m->acceptable_ciphersuites = calloc(1, sizeof(uint16_t));
  if (m->acceptable_ciphersuites == NULL) err = MIMI_ERR_NOMEM;
  else {
    m->acceptable_ciphersuites[0] = SUITE;
    m->acceptable_ciphersuites_count = 1;
  }
  if (err == MIMI_OK) err = mimi_bytes_dup(&m->requester_signature_key, &alice->sig_pub);
  if (err == MIMI_OK)
    err = mimi_clone(mls_credential_type(), &m->requester_credential, &alice->cred);
  if (err == MIMI_OK)
    err = mimi_key_material_request_sign(&req, alice->sig_priv.data, alice->sig_priv.len);
  mimi_bytes body = {0}, resp = {0};
  char *path = NULL;
  if (err == MIMI_OK) err = mimi_proto_encode(mimi_key_material_request_type(), &req, &body);
  mimi_key_material_request_free(&req);
  if (err == MIMI_OK)
    err = mimi_endpoint_path(MIMI_EP_KEY_MATERIAL, "/client/v1", bob->user, &path);
  if (err != MIMI_OK) {
    mimi_bytes_free(&body);
    return fail_err(alice->name, "key material request", err);
  }
  unsigned st = lb_https(alice->at, "POST", path, NULL, alice->token, NULL, &body, &resp);
  free(path);
  mimi_bytes_free(&body);
  mimi_key_material_response kmr;
  memset(&kmr, 0, sizeof kmr);
  err = st == 200 ? mimi_proto_decode(mimi_key_material_response_type(), resp.data, resp.len,
                                      &kmr)
                  : MIMI_ERR_INTERNAL;
  mimi_bytes_free(&resp);
  if (err == MIMI_OK &&
      (kmr.mls10.user_status != MIMI_KM_USER_SUCCESS || kmr.mls10.clients_count != 1 ||
       kmr.mls10.clients[0].client_status != MIMI_KM_CLIENT_SUCCESS))
    err = MIMI_ERR_NOT_FOUND;
  if (err == MIMI_OK)
    err = mls_key_package_validate(&kmr.mls10.clients[0].key_package, SUITE,
                                   (uint64_t)time(NULL));
  memset(add, 0, sizeof *add);
  add->proposal_type = MLS_PROPOSAL_ADD;
  if (err == MIMI_OK)
    err = mimi_clone(mls_key_package_type(), &add->add.key_package,
                     &kmr.mls10.clients[0].key_package);
  mimi_key_material_response_free(&kmr);
  TRY(alice->name, "claim bob's KeyPackage", err);
  printf("%s → %s: alice claimed bob's KeyPackage over mTLS (suite %u, validated)\n",
         alice->at.domain, bob->at.domain, SUITE);
  return true;
}

static bool conversation(client *alice, client *bob) {
  if (!register_client(alice) || !register_client(bob)) return false;
  printf("a.example: alice registered (%s)\nb.example: bob registered (%s)\n", alice->uri,
         bob->uri);
  mls_key_package_bundle spare;
  memset(&spare, 0, sizeof spare);
  mls_key_package_options o;
  memset(&o, 0, sizeof o);
  o.credential = &alice->cred;
  o.sig_priv = alice->sig_priv.data;
  o.sig_priv_len = alice->sig_priv.len;
  TRY(alice->name, "KeyPackage", mls_key_package_create(&spare, SUITE, &o, mimi_rng_system()));
  bool ok = upload(alice, &spare);
  mls_key_package_bundle_free(&spare);
  if (!ok || !upload(bob, &bob->kp)) return false;
  printf("a.example, b.example: alice and bob uploaded KeyPackages\n");

  mls_proposal add;
  if (!claim(alice, bob, &add)) return false;

  /* the room on alice's hub, at epoch 0 */
  mls_group_config gc = mls_group_config_default();
  mimi_bytes body = {0}, resp = {0};
  mimi_err err = mls_group_create(&alice->group, (const uint8_t *)ROOM, strlen(ROOM), &alice->kp,
                                  alice->sig_priv.data, alice->sig_priv.len, NULL, 0, &gc,
                                  mimi_rng_system());
  if (err == MIMI_OK) err = lb_create_room_body(ROOM, alice->group, &body);
  if (err != MIMI_OK) {
    mls_proposal_free(&add);
    return fail_err(alice->name, "create group", err);
  }
  unsigned st = lb_https(alice->at, "POST", "/client/v1/rooms", NULL, alice->token, NULL, &body,
                         NULL);
  mimi_bytes_free(&body);
  if (st != 201) mls_proposal_free(&add);
  EXPECT(alice->name, "create room", st == 201);
  printf("a.example: room %s created, epoch %llu\n", ROOM,
         (unsigned long long)mls_group_epoch(alice->group));

  /* the Add, ordered by the hub */
  mls_commit_options opt = {&add, 1, false, true};
  mls_message commit;
  mls_welcome welcome;
  memset(&commit, 0, sizeof commit);
  memset(&welcome, 0, sizeof welcome);
  char *path = NULL;
  err = mls_group_commit(alice->group, &opt, mimi_rng_system(), &commit, &welcome);
  mls_proposal_free(&add);
  if (err == MIMI_OK) err = mls_group_merge_pending(alice->group);
  if (err == MIMI_OK) err = lb_update_body(&commit, &welcome, alice->group, &body);
  mls_message_free(&commit);
  mls_welcome_free(&welcome);
  if (err == MIMI_OK) err = mimi_endpoint_path(MIMI_EP_UPDATE, "/client/v1", ROOM, &path);
  if (err != MIMI_OK) {
    mimi_bytes_free(&body);
    return fail_err(alice->name, "commit Add(bob)", err);
  }
  st = lb_https(alice->at, "POST", path, NULL, alice->token, NULL, &body, &resp);
  free(path);
  mimi_bytes_free(&body);
  mimi_update_room_response ur;
  memset(&ur, 0, sizeof ur);
  ok = st == 200 &&
       mimi_proto_decode(mimi_update_room_response_type(), resp.data, resp.len, &ur) ==
           MIMI_OK &&
       ur.response_code == MIMI_UPDATE_SUCCESS;
  mimi_update_room_response_free(&ur);
  mimi_bytes_free(&resp);
  EXPECT(alice->name, "update (Add bob)", ok);
  printf("a.example: hub accepted alice's commit adding bob, epoch %llu\n",
         (unsigned long long)mls_group_epoch(alice->group));

  /* bob: the Welcome reached b by /notify */
  mimi_fanout_message f;
  size_t wire_len = 0;
  if (!next_inbox(bob, &f, &wire_len)) return false;
  err = f.message.body.wire_format == MLS_WIRE_WELCOME
            ? mls_group_join(&bob->group, &f.message.body.welcome, &bob->kp, bob->sig_priv.data,
                             bob->sig_priv.len, NULL, &gc)
            : MIMI_ERR_UNSUPPORTED;
  mimi_fanout_message_free(&f);
  TRY(bob->name, "join from the Welcome", err);
  EXPECT(bob->name, "agree with alice on the epoch", demo_same_epoch(alice->group, bob->group));
  printf("b.example: Welcome (%zu B) arrived via /notify; bob joined, epoch %llu agreed\n",
         wire_len, (unsigned long long)mls_group_epoch(bob->group));

  /* the conversation */
  uint8_t id1[MIMI_MESSAGE_ID_LEN], id2[MIMI_MESSAGE_ID_LEN];
  return send_content(alice, "Hi **Bob**, this room lives on *a.example*.", NULL, id1) &&
         receive_content(bob) &&
         send_content(bob, "Hello Alice — reading you via `b.example`.", id1, id2) &&
         receive_content(alice);
}

/* mimid next to this executable. */
static bool find_mimid(char *out, size_t size) {
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return false;
  self[n] = 0;
  char *slash = strrchr(self, '/');
  if (slash == NULL) return false;
  *slash = 0;
  int k = snprintf(out, size, "%s/mimid", self);
  return k > 0 && (size_t)k < size && access(out, X_OK) == 0;
}

int main(int argc, char **argv) {
  char mimid[PATH_MAX];
  if (argc > 1) LB_SNP(mimid, sizeof mimid, "%s", argv[1]);
  else if (!find_mimid(mimid, sizeof mimid)) {
    fprintf(stderr, "usage: %s [path/to/mimid] (none found next to this program)\n", argv[0]);
    return 2;
  }
  const char *tmp = getenv("TMPDIR");
  char dir[512];
  LB_SNP(dir, sizeof dir, "%s/mimi-demo-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (mkdtemp(dir) == NULL) {
    perror("mkdtemp");
    return 1;
  }
  printf("\nmimi demo — the conversation through two providers (mimid) on loopback\n");
  const char *const names[] = {"a.example", "b.example"};
  bool ok = lb_make_pki(dir, names, 2);
  if (!ok) fprintf(stderr, "demo: openssl failed; see %s/openssl.log\n", dir);
  else printf("pki: throwaway CA and certificates for a.example, b.example (openssl)\n");

  /* Each provider needs the other's port as its peer: a starts first, b
   * with a as peer, then a restarts on its port (same database) with b. */
  lb_daemon a = {0}, b = {0};
  char peer[256];
  ok = ok && lb_start(mimid, dir, "a.example", 0, "", &a);
  if (ok) {
    LB_SNP(peer, sizeof peer, "peer = a.example https://a.example:%u/v1 127.0.0.1\n", a.port);
    ok = lb_start(mimid, dir, "b.example", 0, peer, &b);
  }
  if (ok) {
    unsigned port = a.port;
    ok = lb_stop(&a) == 0;
    LB_SNP(peer, sizeof peer, "peer = b.example https://b.example:%u/v1 127.0.0.1\n", b.port);
    ok = ok && lb_start(mimid, dir, "a.example", port, peer, &a);
  }
  if (ok)
    printf("a.example: mimid on 127.0.0.1:%u (SQLite a.example.db)\n"
           "b.example: mimid on 127.0.0.1:%u (SQLite b.example.db), peers of each other\n",
           a.port, b.port);
  else fprintf(stderr, "demo: starting the daemons failed; logs in %s\n", dir);

  if (ok) {
    client alice, bob;
    mimi_err err = client_init(&alice, "alice", "mimi://a.example/u/alice",
                               "mimi://a.example/d/alice/phone",
                               (lb_target){dir, "a.example", a.port});
    mimi_err err2 = client_init(&bob, "bob", "mimi://b.example/u/bob",
                                "mimi://b.example/d/bob/phone",
                                (lb_target){dir, "b.example", b.port});
    if (err != MIMI_OK || err2 != MIMI_OK)
      ok = fail_err("setup", "identities", err != MIMI_OK ? err : err2);
    else ok = conversation(&alice, &bob);
    client_free(&alice);
    client_free(&bob);
  }
  int sb = b.pid > 0 ? lb_stop(&b) : 0, sa = a.pid > 0 ? lb_stop(&a) : 0;
  if (sa != 0 || sb != 0) {
    fprintf(stderr, "demo: mimid exit status a.example %d, b.example %d\n", sa, sb);
    ok = false;
  } else if (ok) {
    printf("a.example, b.example: both daemons stopped cleanly\n");
  }
  if (ok) ok = lb_sh("rm -rf '%s'", dir) == 0;
  else fprintf(stderr, "demo: logs kept in %s\n", dir);
  printf("\n%s\n", ok ? "providers demo OK" : "providers demo FAILED");
  return ok ? 0 : 1;
}
