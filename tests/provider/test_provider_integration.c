/* test_provider_integration.c — two real mimid processes over mutual TLS.
 * A throwaway CA and provider certificates come from the openssl command;
 * alice registers on a.example with KeyPackages, bob's provider b.example
 * fetches her key material from a.example (mTLS, peer = SAN DNS), and bob
 * checks the KeyPackage with the MLS validation. Requests to a MIMI
 * endpoint without a client certificate, or with one from another CA, are
 * refused. Both daemons then stop on SIGTERM and must exit 0 (under ASan
 * that includes their leak check). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "loopback.h"
#include "provider_fixture.h"

static char dir[512];
static const char *mimid;
#define SNP LB_SNP
#define sh lb_sh

static char *at(const char *name) {
  static char bufs[8][640];
  static int next;
  char *b = bufs[next++ % 8];
  SNP(b, sizeof bufs[0], "%s/%s", dir, name);
  return b;
}

/* The shared PKI, plus a certificate with b.example's name that is not
 * from our CA. */
static bool make_pki(void) {
  const char *const names[] = {"a.example", "b.example"};
  return lb_make_pki(dir, names, 2) &&
         sh("cd '%s' && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
            " -keyout rogue.key -out rogue.pem -days 2 -subj /CN=b.example"
            " -addext subjectAltName=DNS:b.example"
            " -addext extendedKeyUsage=serverAuth,clientAuth >>openssl.log 2>&1",
            dir) == 0;
}

typedef lb_daemon daemon_proc;

static bool start(const char *name, unsigned port, const char *extra, daemon_proc *d) {
  return lb_start(mimid, dir, name, port, extra, d);
}

#define stop lb_stop
#define sleep_ms lb_sleep_ms

typedef struct {
  const char *domain;
  unsigned port;
} target;

static unsigned https(target t, const char *method, const char *path, const char *cert,
                      const char *bearer, const char *from, const mimi_bytes *body,
                      mimi_bytes *resp) {
  return lb_https((lb_target){dir, t.domain, t.port}, method, path, cert, bearer, from, body,
                  resp);
}

static char *register_client(target t, const fx_client *c, const char *admin) {
  mimi_client_register_request r = {0};
  CHECK_OK(mimi_bytes_copy(&r.client_uri, (const uint8_t *)c->uri, strlen(c->uri)));
  CHECK_OK(mimi_bytes_dup(&r.signature_key, &c->sig_pub));
  mimi_bytes body = {0}, resp = {0};
  CHECK_OK(mimi_client_register_request_encode(&r, &body));
  mimi_client_register_request_free(&r);
  CHECK(https(t, "POST", "/client/v1/register", NULL, admin, NULL, &body, &resp) == 201);
  mimi_client_register_response out = {0};
  char *tok = NULL;
  if (mimi_client_register_response_decode(resp.data, resp.len, &out) == MIMI_OK) {
    tok = calloc(1, out.token.len + 1);
    memcpy(tok, out.token.data, out.token.len);
  }
  CHECK(tok != NULL);
  mimi_client_register_response_free(&out);
  mimi_bytes_free(&body);
  mimi_bytes_free(&resp);
  return tok;
}

static void scenario(target a, target b, const mimi_rng *rng) {
  /* the directory, over TLS, without a client certificate */
  mimi_bytes resp = {0};
  CHECK(https(a, "GET", MIMI_DIRECTORY_PATH, NULL, NULL, NULL, NULL, &resp) == 200);
  mimi_directory d;
  CHECK_OK(mimi_directory_parse((const char *)resp.data, resp.len, &d));
  mimi_directory_free(&d);
  mimi_bytes_free(&resp);

  fx_client alice, bob;
  fx_client_init(&alice, "mimi://a.example/d/alice/phone", rng);
  fx_client_init(&bob, "mimi://b.example/d/bob/phone", rng);
  char *alice_tok = register_client(a, &alice, "adm-a.example");
  char *bob_tok = register_client(b, &bob, "adm-b.example");
  mimi_bytes up = fx_upload_body(&alice, rng, 2, false, 0);
  CHECK(https(a, "POST", "/client/v1/keyPackages", NULL, alice_tok, NULL, &up, NULL) == 204);
  mimi_bytes_free(&up);

  /* bob asks his provider, which asks alice's over mutual TLS */
  const uint16_t suites[] = {FX_SUITE};
  mimi_key_material_request req;
  fx_km_request(&bob, "mimi://b.example/u/bob", "mimi://a.example/u/alice", suites, 1, &req);
  mimi_bytes body = fx_encode_km(&req);
  char *cpath = NULL, *path = NULL;
  CHECK_OK(mimi_endpoint_path(MIMI_EP_KEY_MATERIAL, "/client/v1", "mimi://a.example/u/alice",
                              &cpath));
  CHECK_OK(mimi_endpoint_path(MIMI_EP_KEY_MATERIAL, "/v1", "mimi://a.example/u/alice", &path));
  for (int round = 0; round < 2; round++) {
    CHECK(https(b, "POST", cpath, NULL, bob_tok, NULL, &body, &resp) == 200);
    mimi_key_material_response kmr;
    CHECK_OK(mimi_proto_decode(mimi_key_material_response_type(), resp.data, resp.len, &kmr));
    CHECK(kmr.mls10.user_status == MIMI_KM_USER_SUCCESS && kmr.mls10.clients_count == 1);
    if (kmr.mls10.clients_count == 1) {
      const mimi_client_key_material *c = &kmr.mls10.clients[0];
      CHECK(c->client_status == MIMI_KM_CLIENT_SUCCESS);
      CHECK_OK(mls_key_package_validate(&c->key_package, FX_SUITE, (uint64_t)time(NULL)));
      CHECK_BYTES(c->key_package.leaf_node.signature_key, alice.sig_pub);
    }
    mimi_key_material_response_free(&kmr);
    mimi_bytes_free(&resp);
  }
  /* both KeyPackages handed out: the third fetch finds none */
  CHECK(https(b, "POST", cpath, NULL, bob_tok, NULL, &body, &resp) == 200);
  mimi_key_material_response kmr;
  CHECK_OK(mimi_proto_decode(mimi_key_material_response_type(), resp.data, resp.len, &kmr));
  CHECK(kmr.mls10.user_status == MIMI_KM_USER_NO_COMPATIBLE_MATERIAL &&
        kmr.mls10.clients_count == 1 &&
        kmr.mls10.clients[0].client_status == MIMI_KM_CLIENT_KEY_MATERIAL_EXHAUSTED);
  mimi_key_material_response_free(&kmr);
  mimi_bytes_free(&resp);

  /* straight to a.example's MIMI endpoint: without a client certificate,
   * with one from another CA, and with b's certificate but another From */
  CHECK(https(a, "POST", path, NULL, NULL, "mimi@b.example", &body, NULL) == 401);
  CHECK(https(a, "POST", path, "rogue", NULL, "mimi@b.example", &body, NULL) == 401);
  CHECK(https(a, "POST", path, "b.example", NULL, "mimi@c.example", &body, NULL) == 403);
  CHECK(https(a, "POST", path, "b.example", NULL, "mimi@b.example", &body, &resp) == 200);
  mimi_bytes_free(&resp);

  free(cpath);
  free(path);
  mimi_bytes_free(&body);
  mimi_key_material_request_free(&req);
  free(alice_tok);
  free(bob_tok);
  fx_client_free(&alice);
  fx_client_free(&bob);
  mimi_test_case();
}

/* The member's inbox at its provider, polled until n entries arrived
 * (the hub's drain runs every 200 ms), decoded, then acked. */
static size_t poll_inbox(target t, const char *tok, mimi_fanout_message *out, size_t n) {
  size_t got = 0;
  memset(out, 0, n * sizeof *out);
  for (int i = 0; i < 200 && got < n; i++) {
    mimi_bytes resp = {0};
    CHECK(https(t, "GET", "/client/v1/inbox", NULL, tok, NULL, NULL, &resp) == 200);
    mimi_client_inbox box = {0};
    CHECK_OK(mimi_client_inbox_decode(resp.data, resp.len, &box));
    for (size_t k = 0; k < box.entries_count && got < n; k++)
      CHECK_OK(mimi_proto_decode(mimi_fanout_message_type(), box.entries[k].message.data,
                                 box.entries[k].message.len, &out[got++]));
    if (box.entries_count) {
      char path[64];
      SNP(path, sizeof path, "/client/v1/inbox/%llu",
          (unsigned long long)box.entries[box.entries_count - 1].seq);
      CHECK(https(t, "DELETE", path, NULL, tok, NULL, NULL, NULL) == 204);
    }
    mimi_client_inbox_free(&box);
    mimi_bytes_free(&resp);
    if (got < n) sleep_ms(50);
  }
  return got;
}

static uint8_t submit_status(target t, const char *tok, const char *path, const mimi_bytes *body) {
  mimi_bytes resp = {0};
  CHECK(https(t, "POST", path, NULL, tok, NULL, body, &resp) == 200);
  mimi_submit_message_response r;
  uint8_t code = 0xff;
  if (mimi_proto_decode(mimi_submit_message_response_type(), resp.data, resp.len, &r) ==
      MIMI_OK) {
    code = r.mls10.status_code;
    mimi_submit_message_response_free(&r);
  }
  mimi_bytes_free(&resp);
  return code;
}

/* ann@a creates a room on a, adds ben@b; ben joins from the Welcome a
 * notified b of, and they exchange a message each way. */
static void scenario_room(target a, target b, const mimi_rng *rng) {
  const char *room = "mimi://a.example/r/lounge";
  fx_client ann, ben;
  fx_client_init(&ann, "mimi://a.example/d/ann/phone", rng);
  fx_client_init(&ben, "mimi://b.example/d/ben/phone", rng);
  char *ann_tok = register_client(a, &ann, "adm-a.example");
  char *ben_tok = register_client(b, &ben, "adm-b.example");
  mls_key_package_bundle ann_kp, ben_kp;
  fx_key_package_bundle(&ann, rng, &ann_kp);
  fx_key_package_bundle(&ben, rng, &ben_kp);
  mimi_bytes up = fx_upload_bundle_body(&ben_kp);
  CHECK(https(b, "POST", "/client/v1/keyPackages", NULL, ben_tok, NULL, &up, NULL) == 204);
  mimi_bytes_free(&up);

  /* ben's KeyPackage, claimed at b for a */
  const uint16_t suites[] = {FX_SUITE};
  mimi_key_material_request req;
  fx_km_request(&ann, "mimi://a.example/u/ann", "mimi://b.example/u/ben", suites, 1, &req);
  mimi_bytes body = fx_encode_km(&req), resp = {0};
  mimi_key_material_request_free(&req);
  char *path = NULL;
  CHECK_OK(mimi_endpoint_path(MIMI_EP_KEY_MATERIAL, "/client/v1", "mimi://b.example/u/ben",
                              &path));
  CHECK(https(a, "POST", path, NULL, ann_tok, NULL, &body, &resp) == 200);
  free(path);
  mimi_bytes_free(&body);
  mls_proposal add;
  memset(&add, 0, sizeof add);
  add.proposal_type = MLS_PROPOSAL_ADD;
  mimi_key_material_response kmr;
  CHECK_OK(mimi_proto_decode(mimi_key_material_response_type(), resp.data, resp.len, &kmr));
  CHECK(kmr.mls10.clients_count == 1);
  if (kmr.mls10.clients_count == 1)
    CHECK_OK(mimi_clone(mls_key_package_type(), &add.add.key_package,
                        &kmr.mls10.clients[0].key_package));
  mimi_key_material_response_free(&kmr);
  mimi_bytes_free(&resp);

  /* the room, then the Add */
  static const uint8_t gid[] = "lounge";
  mls_group_config gc = mls_group_config_default();
  mls_group *ann_g = NULL, *ben_g = NULL;
  CHECK_OK(mls_group_create(&ann_g, gid, sizeof gid - 1, &ann_kp, ann.sig_priv.data,
                            ann.sig_priv.len, NULL, 0, &gc, rng));
  body = fx_create_room_body(room, ann_g);
  CHECK(https(a, "POST", "/client/v1/rooms", NULL, ann_tok, NULL, &body, NULL) == 201);
  mimi_bytes_free(&body);
  mls_commit_options opt = {&add, 1, false, true};
  mls_message commit;
  mls_welcome welcome;
  CHECK_OK(mls_group_commit(ann_g, &opt, rng, &commit, &welcome));
  CHECK_OK(mls_group_merge_pending(ann_g));
  body = fx_update_body(&commit, &welcome, ann_g);
  CHECK_OK(mimi_endpoint_path(MIMI_EP_UPDATE, "/client/v1", room, &path));
  CHECK(https(a, "POST", path, NULL, ann_tok, NULL, &body, &resp) == 200);
  free(path);
  mimi_update_room_response ur;
  CHECK_OK(mimi_proto_decode(mimi_update_room_response_type(), resp.data, resp.len, &ur));
  CHECK(ur.response_code == MIMI_UPDATE_SUCCESS);
  mimi_update_room_response_free(&ur);
  mimi_bytes_free(&resp);
  mimi_bytes_free(&body);
  mls_message_free(&commit);
  mls_welcome_free(&welcome);
  mls_proposal_free(&add);

  /* ben: the Welcome arrives in his inbox at b */
  mimi_fanout_message f;
  if (poll_inbox(b, ben_tok, &f, 1) == 1) {
    CHECK(f.message.body.wire_format == MLS_WIRE_WELCOME);
    CHECK_OK(mls_group_join(&ben_g, &f.message.body.welcome, &ben_kp, ben.sig_priv.data,
                            ben.sig_priv.len, NULL, &gc));
    mimi_fanout_message_free(&f);
  } else {
    CHECK(!"no Welcome for ben");
  }

  /* one message each way: ben's through b to the hub, ann's through the
   * hub's outbox to b */
  char *submit = NULL;
  CHECK_OK(mimi_endpoint_path(MIMI_EP_SUBMIT_MESSAGE, "/client/v1", room, &submit));
  if (ben_g != NULL) {
    body = fx_submit_body(ben.uri, "hi ann", ben_g, rng);
    CHECK(submit_status(b, ben_tok, submit, &body) == MIMI_SUBMIT_ACCEPTED);
    mimi_bytes_free(&body);
    CHECK(poll_inbox(a, ann_tok, &f, 1) == 1 && fx_reads(ann_g, &f, "hi ann"));
    mimi_fanout_message_free(&f);
    body = fx_submit_body(ann.uri, "hi ben", ann_g, rng);
    CHECK(submit_status(a, ann_tok, submit, &body) == MIMI_SUBMIT_ACCEPTED);
    mimi_bytes_free(&body);
    CHECK(poll_inbox(b, ben_tok, &f, 1) == 1 && fx_reads(ben_g, &f, "hi ben"));
    mimi_fanout_message_free(&f);
  }
  free(submit);
  mls_group_free(ann_g);
  mls_group_free(ben_g);
  mls_key_package_bundle_free(&ann_kp);
  mls_key_package_bundle_free(&ben_kp);
  free(ann_tok);
  free(ben_tok);
  fx_client_free(&ann);
  fx_client_free(&ben);
  mimi_test_case();
}

int main(void) {
  mimid = getenv("MIMID");
  const char *tmp = getenv("MIMI_TEST_TMP");
  if (mimid == NULL || tmp == NULL) {
    fprintf(stderr, "MIMID / MIMI_TEST_TMP not set (run through ctest)\n");
    return 77;
  }
  SNP(dir, sizeof dir, "%s/%ld", tmp, (long)getpid());
  CHECK(sh("rm -rf '%s' && mkdir -p '%s'", dir, dir) == 0);
  if (!make_pki()) {
    mimi_test_fail(__FILE__, __LINE__, "openssl failed; see %s", at("openssl.log"));
    return mimi_test_summary("test_provider_integration");
  }
  mimi_test_prng ps;
  mimi_rng rng = mimi_test_rng_prng(&ps, 0x1234);
  daemon_proc a = {0}, b = {0};
  bool up = start("a.example", 0, "", &a);
  CHECK(up);
  if (up) {
    char peer[256];
    SNP(peer, sizeof peer, "peer = a.example https://a.example:%u/v1 127.0.0.1\n", a.port);
    up = start("b.example", 0, peer, &b);
    CHECK(up);
  }
  if (up) scenario((target){"a.example", a.port}, (target){"b.example", b.port}, &rng);
  /* b's port is known now: a restarts on its port (same database) with b
   * as a peer, so it can notify b about its rooms */
  if (up) {
    unsigned a_port = a.port;
    CHECK(stop(&a) == 0);
    char peer[256];
    SNP(peer, sizeof peer, "peer = b.example https://b.example:%u/v1 127.0.0.1\n", b.port);
    up = start("a.example", a_port, peer, &a);
    CHECK(up);
  }
  if (up) scenario_room((target){"a.example", a.port}, (target){"b.example", b.port}, &rng);
  if (b.pid > 0) CHECK(stop(&b) == 0);
  if (a.pid > 0) CHECK(stop(&a) == 0);
  if (mimi_test_failures == 0) CHECK(sh("rm -rf '%s'", dir) == 0);
  else fprintf(stderr, "logs kept in %s\n", dir);
  return mimi_test_summary("test_provider_integration");
}
