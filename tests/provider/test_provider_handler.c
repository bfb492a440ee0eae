/* test_provider_handler.c — mimi_provider_handle without sockets: transport
 * checks, the directory, keyMaterial (claim rules and every refusal), the
 * client API, and rollback when the store fails half-way. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "provider_fixture.h"

#define NOW 1700000000ull
#define ALICE "mimi://a.example/u/alice"
#define BOB "mimi://b.example/u/bob"

static mimi_test_prng prng_state;
static mimi_rng rng;
static mimi_provider_config cfg;
static mimi_store store;
static mimi_provider prov;

/* ---- a fake peer provider ------------------------------------------------ */

typedef struct {
  int calls;
  char domain[64];
  char param[128];
  mimi_endpoint_id ep;
  mimi_err err;
  unsigned status;
  mimi_bytes answer;
} fake_peer;
static fake_peer fake;

static mimi_err fake_call(void *ctx, const char *domain, mimi_endpoint_id ep, const char *param,
                          const uint8_t *body, size_t body_len, unsigned *status,
                          mimi_bytes *resp) {
  fake_peer *f = ctx;
  (void)body;
  (void)body_len;
  f->calls++;
  snprintf(f->domain, sizeof f->domain, "%s", domain);
  snprintf(f->param, sizeof f->param, "%s", param);
  f->ep = ep;
  if (f->err != MIMI_OK) return f->err;
  *status = f->status;
  return mimi_bytes_dup(resp, &f->answer);
}
static const mimi_peer_transport fake_transport = {fake_call, &fake};

/* ---- requests ------------------------------------------------------------ */

typedef struct {
  const char *peer, *from, *host, *auth;
} hdrs;

static mimi_http_response call_h(const char *method, const char *path, hdrs h,
                                 const mimi_bytes *body, uint64_t now) {
  mimi_http_request r = {
      .method = method,
      .path = path,
      .path_len = strlen(path),
      .peer_domain = h.peer,
      .host = h.host,
      .from = h.from,
      .authorization = h.auth,
      .body = body ? body->data : NULL,
      .body_len = body ? body->len : 0,
  };
  mimi_http_response resp;
  mimi_provider_handle(&prov, &r, now, &resp);
  return resp;
}

static const hdrs FROM_B = {"b.example", "mimi@b.example", "a.example:8443", NULL};

static unsigned status_of(const char *method, const char *path, hdrs h, const mimi_bytes *body) {
  mimi_http_response r = call_h(method, path, h, body, NOW);
  unsigned s = r.status;
  mimi_http_response_free(&r);
  return s;
}

static char *km_path(const char *base, const char *user) {
  char *p = NULL;
  CHECK_OK(mimi_endpoint_path(MIMI_EP_KEY_MATERIAL, base, user, &p));
  return p;
}

static size_t stored_kps(void) {
  /* every KeyPackage row in the store, through the interface */
  size_t total = 0;
  int64_t uid;
  if (store.ops->user_find(store.impl, ALICE, &uid) != MIMI_OK) return 0;
  mimi_store_client *c = NULL;
  size_t n = 0;
  CHECK_OK(store.ops->clients_of_user(store.impl, uid, &c, &n));
  for (size_t i = 0; i < n; i++) {
    mimi_store_key_package *k = NULL;
    size_t m = 0;
    CHECK_OK(store.ops->key_packages_of_client(store.impl, c[i].id, &k, &m));
    total += m;
    mimi_store_key_packages_free(k, m);
  }
  mimi_store_clients_free(c, n);
  return total;
}

/* ---- client API helpers ---------------------------------------------------- */

/* Registers a client; returns its bearer header ("Bearer <token>"). */
static char *register_client(const fx_client *c) {
  mimi_client_register_request r = {0};
  CHECK_OK(mimi_bytes_copy(&r.client_uri, (const uint8_t *)c->uri, strlen(c->uri)));
  CHECK_OK(mimi_bytes_dup(&r.signature_key, &c->sig_pub));
  mimi_bytes body = {0};
  CHECK_OK(mimi_client_register_request_encode(&r, &body));
  mimi_client_register_request_free(&r);
  hdrs h = {NULL, NULL, NULL, "Bearer adm1n"};
  mimi_http_response resp = call_h("POST", "/client/v1/register", h, &body, NOW);
  CHECK(resp.status == 201);
  mimi_client_register_response out = {0};
  CHECK_OK(mimi_client_register_response_decode(resp.body.data, resp.body.len, &out));
  CHECK(out.token.len == 64);
  char *auth = calloc(1, out.token.len + 8);
  memcpy(auth, "Bearer ", 7);
  memcpy(auth + 7, out.token.data, out.token.len);
  mimi_client_register_response_free(&out);
  mimi_http_response_free(&resp);
  mimi_bytes_free(&body);
  return auth;
}

static void upload(const char *auth, const fx_client *c, size_t n, bool last_resort,
                   uint64_t not_after) {
  mimi_bytes body = fx_upload_body(c, &rng, n, last_resort, not_after);
  hdrs h = {NULL, NULL, NULL, auth};
  CHECK(status_of("POST", "/client/v1/keyPackages", h, &body) == 204);
  mimi_bytes_free(&body);
}

/* ---- fixtures -------------------------------------------------------------- */

static fx_client alice_phone, alice_laptop, bob_phone, carol;
static char *tok_phone, *tok_laptop, *tok_carol;

static void setup(void) {
  rng = mimi_test_rng_prng(&prng_state, 0x5eed);
  const char *text = "domain=a.example\ndb=:memory:\nadmin_token=adm1n\n"
                     "peer=b.example https://b.example/v1\n";
  size_t line;
  CHECK_OK(mimi_provider_config_parse(text, strlen(text), &cfg, &line));
  CHECK_OK(mimi_store_open_sqlite(":memory:", &store));
  prov.cfg = &cfg;
  prov.store = &store;
  prov.rng = &rng;
  prov.peers = &fake_transport;
  fx_client_init(&alice_phone, "mimi://a.example/d/alice/phone", &rng);
  fx_client_init(&alice_laptop, "mimi://a.example/d/alice/laptop", &rng);
  fx_client_init(&bob_phone, "mimi://b.example/d/bob/phone", &rng);
  fx_client_init(&carol, "mimi://a.example/d/carol/pc", &rng);
  tok_phone = register_client(&alice_phone);
  tok_laptop = register_client(&alice_laptop);
  tok_carol = register_client(&carol);
}

static void teardown(void) {
  fx_client_free(&alice_phone);
  fx_client_free(&alice_laptop);
  fx_client_free(&bob_phone);
  fx_client_free(&carol);
  free(tok_phone);
  free(tok_laptop);
  free(tok_carol);
  mimi_bytes_free(&fake.answer);
  mimi_store_close(&store);
  mimi_provider_config_free(&cfg);
}

/* ---- tests ------------------------------------------------------------------ */

static void test_transport_rules(void) {
  mimi_http_response r = call_h("GET", MIMI_DIRECTORY_PATH, (hdrs){0}, NULL, NOW);
  CHECK(r.status == 200 && r.content_type && strcmp(r.content_type, "application/json") == 0);
  mimi_directory d;
  CHECK_OK(mimi_directory_parse((const char *)r.body.data, r.body.len, &d));
  /* the §Directory example's template, on our domain */
  CHECK(d.url[MIMI_EP_KEY_MATERIAL] &&
        strcmp(d.url[MIMI_EP_KEY_MATERIAL], "https://a.example/v1/keyMaterial/{targetUser}") == 0);
  mimi_directory_free(&d);
  mimi_http_response_free(&r);

  char *path = km_path("/v1", ALICE);
  mimi_bytes junk = {(uint8_t *)"x", 1};
  CHECK(status_of("POST", path, (hdrs){NULL, "mimi@b.example", "a.example", NULL}, &junk) == 401);
  CHECK(status_of("POST", path, (hdrs){"b.example", "mimi@c.example", "a.example", NULL}, &junk) ==
        403);
  CHECK(status_of("POST", path, (hdrs){"b.example", "b.example", "a.example", NULL}, &junk) == 403);
  CHECK(status_of("POST", path, (hdrs){"b.example", NULL, "a.example", NULL}, &junk) == 400);
  CHECK(status_of("POST", path, (hdrs){"b.example", "mimi@b.example", NULL, NULL}, &junk) == 400);
  CHECK(status_of("POST", path, (hdrs){"b.example", "mimi@b.example", "c.example", NULL}, &junk) ==
        421);
  CHECK(status_of("GET", path, FROM_B, NULL) == 405);
  CHECK(status_of("POST", "/v1/nothing/here", FROM_B, &junk) == 404);
  CHECK(status_of("POST", "/v1/keyMaterial/a/b", FROM_B, &junk) == 400);
  CHECK(status_of("POST", "/v1/keyMaterial/%zz", FROM_B, &junk) == 400);
  CHECK(status_of("POST", "/v1/keyMaterial/mimi%3A%2F%2Fa.example%2Fu%2Falice?x=1", FROM_B,
                  &junk) == 400);
  CHECK(status_of("POST", "/v1/notify/mimi%3A%2F%2Fa.example%2Fr%2Fclub", FROM_B, &junk) == 501);
  mimi_bytes big = {NULL, MIMI_PROVIDER_MAX_BODY + 1};
  big.data = calloc(1, big.len);
  CHECK(status_of("POST", path, FROM_B, &big) == 413);
  free(big.data);
  free(path);
  mimi_test_case();
}

static void test_register(void) {
  mimi_client_register_request r = {0};
  fx_client dave;
  fx_client_init(&dave, "mimi://a.example/d/dave/pc", &rng);
  CHECK_OK(mimi_bytes_copy(&r.client_uri, (const uint8_t *)dave.uri, strlen(dave.uri)));
  CHECK_OK(mimi_bytes_dup(&r.signature_key, &dave.sig_pub));
  mimi_bytes body = {0};
  CHECK_OK(mimi_client_register_request_encode(&r, &body));
  CHECK(status_of("POST", "/client/v1/register", (hdrs){0}, &body) == 401);
  CHECK(status_of("POST", "/client/v1/register", (hdrs){.auth = "Bearer adm1m"}, &body) == 401);
  CHECK(status_of("POST", "/client/v1/register", (hdrs){.auth = "Basic adm1n"}, &body) == 401);
  CHECK(status_of("GET", "/client/v1/register", (hdrs){.auth = "Bearer adm1n"}, &body) == 405);
  mimi_bytes cut = {body.data, body.len - 1};
  hdrs admin = {.auth = "Bearer adm1n"};
  CHECK(status_of("POST", "/client/v1/register", admin, &cut) == 400);
  /* bad URIs: no user in the client URI, a user URI, another provider */
  const char *bad_uris[] = {"mimi://a.example/d/phone", "mimi://a.example/u/dave",
                            "mimi://c.example/d/dave/pc", "not a uri"};
  for (size_t i = 0; i < 4; i++) {
    mimi_client_register_request b = {0};
    mimi_bytes bb = {0};
    CHECK_OK(mimi_bytes_copy(&b.client_uri, (const uint8_t *)bad_uris[i], strlen(bad_uris[i])));
    CHECK_OK(mimi_bytes_dup(&b.signature_key, &dave.sig_pub));
    CHECK_OK(mimi_client_register_request_encode(&b, &bb));
    CHECK(status_of("POST", "/client/v1/register", admin, &bb) == 400);
    mimi_client_register_request_free(&b);
    mimi_bytes_free(&bb);
  }
  {
    mimi_client_register_request b = {0};
    mimi_bytes bb = {0};
    CHECK_OK(mimi_bytes_copy(&b.client_uri, (const uint8_t *)dave.uri, strlen(dave.uri)));
    CHECK_OK(mimi_client_register_request_encode(&b, &bb));
    CHECK(status_of("POST", "/client/v1/register", admin, &bb) == 400); /* empty key */
    mimi_client_register_request_free(&b);
    mimi_bytes_free(&bb);
  }
  int64_t uid;
  CHECK_ERR(store.ops->user_find(store.impl, "mimi://a.example/u/dave", &uid), MIMI_ERR_NOT_FOUND);
  CHECK(status_of("POST", "/client/v1/register", admin, &body) == 201);
  CHECK(status_of("POST", "/client/v1/register", admin, &body) == 409);
  CHECK_OK(store.ops->user_find(store.impl, "mimi://a.example/u/dave", &uid));
  /* closed registration */
  char *saved = cfg.admin_token;
  cfg.admin_token = NULL;
  CHECK(status_of("POST", "/client/v1/register", admin, &body) == 403);
  cfg.admin_token = saved;
  mimi_client_register_request_free(&r);
  mimi_bytes_free(&body);
  fx_client_free(&dave);
  mimi_test_case();
}

static void test_upload(void) {
  hdrs ph = {.auth = tok_phone};
  mimi_bytes good = fx_upload_body(&alice_phone, &rng, 1, false, 0);
  CHECK(status_of("POST", "/client/v1/keyPackages", (hdrs){0}, &good) == 401);
  CHECK(status_of("POST", "/client/v1/keyPackages", (hdrs){.auth = "Bearer nope"}, &good) == 401);
  CHECK(status_of("GET", "/client/v1/keyPackages", ph, &good) == 405);
  mimi_bytes cut = {good.data, good.len - 1};
  CHECK(status_of("POST", "/client/v1/keyPackages", ph, &cut) == 400);
  mimi_bytes empty = fx_upload_body(&alice_phone, &rng, 0, false, 0);
  CHECK(status_of("POST", "/client/v1/keyPackages", ph, &empty) == 400);
  /* the laptop's KeyPackage is not the phone's */
  mimi_bytes other = fx_upload_body(&alice_laptop, &rng, 1, false, 0);
  CHECK(status_of("POST", "/client/v1/keyPackages", ph, &other) == 400);
  /* right key, credential naming another client; then a good one and a
   * bad one together: nothing is stored */
  fx_client liar = alice_phone;
  mls_credential cred = {0};
  cred.credential_type = MLS_CREDENTIAL_BASIC;
  const char *lie = "mimi://a.example/d/alice/laptop";
  CHECK_OK(mimi_bytes_copy(&cred.identity, (const uint8_t *)lie, strlen(lie)));
  liar.cred = cred;
  mimi_bytes lied = fx_upload_body(&liar, &rng, 1, false, 0);
  CHECK(status_of("POST", "/client/v1/keyPackages", ph, &lied) == 400);
  mimi_client_upload_request mixed;
  CHECK_OK(mimi_client_upload_request_decode(lied.data, lied.len, &mixed));
  mixed.last_resort = calloc(1, sizeof *mixed.last_resort);
  fx_key_package(&alice_phone, &rng, 0, 0, mixed.last_resort);
  mimi_bytes mixed_body = {0};
  CHECK_OK(mimi_client_upload_request_encode(&mixed, &mixed_body));
  CHECK(status_of("POST", "/client/v1/keyPackages", ph, &mixed_body) == 400);
  /* a KeyPackage already expired at upload */
  mimi_bytes old = fx_upload_body(&alice_phone, &rng, 1, false, NOW - 1);
  CHECK(status_of("POST", "/client/v1/keyPackages", ph, &old) == 400);
  CHECK(stored_kps() == 0);
  CHECK(status_of("POST", "/client/v1/keyPackages", ph, &good) == 204);
  CHECK(stored_kps() == 1);
  mimi_client_upload_request_free(&mixed);
  mls_credential_free(&cred);
  mimi_bytes_free(&mixed_body);
  mimi_bytes_free(&old);
  mimi_bytes_free(&lied);
  mimi_bytes_free(&other);
  mimi_bytes_free(&empty);
  mimi_bytes_free(&good);
  mimi_test_case();
}

/* POSTs a KeyMaterialRequest as b.example and decodes the 200 answer. */
static unsigned fetch(const mimi_key_material_request *req, const char *path_user, uint64_t now,
                      mimi_key_material_response *out) {
  mimi_bytes body = fx_encode_km(req);
  char *path = km_path("/v1", path_user);
  mimi_http_response r = call_h("POST", path, FROM_B, &body, now);
  unsigned s = r.status;
  if (s == 200) {
    CHECK(r.content_type != NULL);
    CHECK_OK(mimi_proto_decode(mimi_key_material_response_type(), r.body.data, r.body.len, out));
  }
  mimi_http_response_free(&r);
  mimi_bytes_free(&body);
  free(path);
  return s;
}

static void check_kp(const mimi_client_key_material *c, const fx_client *owner) {
  CHECK(c->client_status == MIMI_KM_CLIENT_SUCCESS);
  CHECK(c->client_uri.uri.len == strlen(owner->uri) &&
        memcmp(c->client_uri.uri.data, owner->uri, c->client_uri.uri.len) == 0);
  CHECK_OK(mls_key_package_validate(&c->key_package, FX_SUITE, NOW));
  CHECK_BYTES(c->key_package.leaf_node.signature_key, owner->sig_pub);
}

static void test_key_material(void) {
  /* phone: one uploaded in test_upload + a last-resort; laptop: one */
  upload(tok_phone, &alice_phone, 0, true, 0);
  upload(tok_laptop, &alice_laptop, 1, false, NOW + 1000);
  CHECK(stored_kps() == 3);
  const uint16_t s1[] = {FX_SUITE};
  mimi_key_material_request req;
  fx_km_request(&bob_phone, BOB, ALICE, s1, 1, &req);
  mimi_key_material_response resp;
  CHECK(fetch(&req, ALICE, NOW, &resp) == 200);
  CHECK(resp.mls10.user_status == MIMI_KM_USER_SUCCESS);
  CHECK(resp.mls10.clients_count == 2);
  if (resp.mls10.clients_count == 2) {
    check_kp(&resp.mls10.clients[0], &alice_phone);
    check_kp(&resp.mls10.clients[1], &alice_laptop);
  }
  mimi_key_material_response_free(&resp);
  CHECK(stored_kps() == 1); /* only the last-resort one is left */
  /* again: the phone hands out its last resort, the laptop is exhausted */
  for (int round = 0; round < 2; round++) {
    CHECK(fetch(&req, ALICE, NOW, &resp) == 200);
    CHECK(resp.mls10.user_status == MIMI_KM_USER_PARTIAL_SUCCESS);
    CHECK(resp.mls10.clients_count == 2);
    if (resp.mls10.clients_count == 2) {
      check_kp(&resp.mls10.clients[0], &alice_phone);
      CHECK(resp.mls10.clients[1].client_status == MIMI_KM_CLIENT_KEY_MATERIAL_EXHAUSTED);
    }
    mimi_key_material_response_free(&resp);
  }
  CHECK(stored_kps() == 1);
  mimi_key_material_request_free(&req);

  /* a capability no KeyPackage lists: nothingCompatible, and no claim */
  fx_km_request(&bob_phone, BOB, ALICE, s1, 1, &req);
  req.mls10.required_capabilities.extension_types = calloc(1, sizeof(uint16_t));
  req.mls10.required_capabilities.extension_types[0] = 0xff7f;
  req.mls10.required_capabilities.extension_types_count = 1;
  CHECK_OK(mimi_key_material_request_sign(&req, bob_phone.sig_priv.data, bob_phone.sig_priv.len));
  CHECK(fetch(&req, ALICE, NOW, &resp) == 200);
  CHECK(resp.mls10.user_status == MIMI_KM_USER_NO_COMPATIBLE_MATERIAL);
  CHECK(resp.mls10.clients_count == 2 &&
        resp.mls10.clients[0].client_status == MIMI_KM_CLIENT_NOTHING_COMPATIBLE &&
        resp.mls10.clients[0].client_capabilities.capabilities == NULL &&
        resp.mls10.clients[1].client_status == MIMI_KM_CLIENT_KEY_MATERIAL_EXHAUSTED);
  mimi_key_material_response_free(&resp);
  mimi_key_material_request_free(&req);

  /* only another suite acceptable (the requester signs under it) */
  fx_client p256;
  fx_client_init_suite(&p256, "mimi://b.example/d/bob/p256", 2, &rng);
  const uint16_t s2[] = {2};
  fx_km_request(&p256, BOB, ALICE, s2, 1, &req);
  CHECK(fetch(&req, ALICE, NOW, &resp) == 200);
  CHECK(resp.mls10.user_status == MIMI_KM_USER_NO_COMPATIBLE_MATERIAL);
  CHECK(resp.mls10.clients_count == 2 &&
        resp.mls10.clients[0].client_status == MIMI_KM_CLIENT_NOTHING_COMPATIBLE);
  mimi_key_material_response_free(&resp);
  mimi_key_material_request_free(&req);
  fx_client_free(&p256);

  /* expired: the laptop's new KeyPackage is not handed out after not_after */
  upload(tok_laptop, &alice_laptop, 1, false, NOW + 10);
  fx_km_request(&bob_phone, BOB, ALICE, s1, 1, &req);
  CHECK(fetch(&req, ALICE, NOW + 11, &resp) == 200);
  CHECK(resp.mls10.user_status == MIMI_KM_USER_PARTIAL_SUCCESS);
  CHECK(resp.mls10.clients_count == 2 &&
        resp.mls10.clients[1].client_status == MIMI_KM_CLIENT_KEY_MATERIAL_EXHAUSTED);
  mimi_key_material_response_free(&resp);
  CHECK(stored_kps() == 2);
  mimi_key_material_request_free(&req);

  /* unknown user */
  fx_km_request(&bob_phone, BOB, "mimi://a.example/u/nobody", s1, 1, &req);
  CHECK(fetch(&req, "mimi://a.example/u/nobody", NOW, &resp) == 200);
  CHECK(resp.mls10.user_status == MIMI_KM_USER_UNKNOWN && resp.mls10.clients_count == 0);
  mimi_key_material_response_free(&resp);
  mimi_key_material_request_free(&req);
  mimi_test_case();
}

static void test_key_material_refusals(void) {
  const uint16_t s1[] = {FX_SUITE};
  size_t before = stored_kps();
  mimi_key_material_request req;
  mimi_key_material_response resp;
  /* path and body disagree */
  fx_km_request(&bob_phone, BOB, ALICE, s1, 1, &req);
  CHECK(fetch(&req, "mimi://a.example/u/carol", NOW, &resp) == 400);
  /* bad signature */
  req.mls10.key_material_request_signature.data[3] ^= 1;
  CHECK(fetch(&req, ALICE, NOW, &resp) == 403);
  mimi_key_material_request_free(&req);
  /* requester is not at the authenticated provider */
  fx_km_request(&bob_phone, "mimi://c.example/u/bob", ALICE, s1, 1, &req);
  CHECK(fetch(&req, ALICE, NOW, &resp) == 403);
  mimi_key_material_request_free(&req);
  /* requestingUser not a user URI */
  fx_km_request(&bob_phone, "mimi://b.example/d/bob/phone", ALICE, s1, 1, &req);
  CHECK(fetch(&req, ALICE, NOW, &resp) == 400);
  mimi_key_material_request_free(&req);
  /* target at another provider */
  fx_km_request(&bob_phone, BOB, "mimi://c.example/u/alice", s1, 1, &req);
  CHECK(fetch(&req, "mimi://c.example/u/alice", NOW, &resp) == 404);
  mimi_key_material_request_free(&req);
  /* empty suite list (signing refuses it, so built unsigned) */
  fx_km_request(&bob_phone, BOB, ALICE, s1, 1, &req);
  req.mls10.acceptable_ciphersuites_count = 0;
  {
    mimi_bytes body = {0};
    CHECK_OK(mimi_encode_alloc(mimi_key_material_request_type(), &req, &body));
    char *path = km_path("/v1", ALICE);
    CHECK(status_of("POST", path, FROM_B, &body) == 400);
    /* truncated and trailing bytes */
    mimi_bytes cut = {body.data, body.len - 1};
    CHECK(status_of("POST", path, FROM_B, &cut) == 400);
    CHECK(status_of("POST", path, FROM_B, NULL) == 400);
    free(path);
    mimi_bytes_free(&body);
  }
  req.mls10.acceptable_ciphersuites_count = 1;
  /* another protocol: answered in-band */
  {
    mimi_bytes body = fx_encode_km(&req);
    body.data[0] = 2;
    char *path = km_path("/v1", ALICE);
    mimi_http_response r = call_h("POST", path, FROM_B, &body, NOW);
    CHECK(r.status == 200);
    CHECK_OK(mimi_proto_decode(mimi_key_material_response_type(), r.body.data, r.body.len, &resp));
    CHECK(resp.mls10.user_status == MIMI_KM_USER_INCOMPATIBLE_PROTOCOL &&
          resp.mls10.clients_count == 0);
    mimi_key_material_response_free(&resp);
    mimi_http_response_free(&r);
    free(path);
    mimi_bytes_free(&body);
  }
  mimi_key_material_request_free(&req);
  CHECK(stored_kps() == before);
  mimi_test_case();
}

/* ---- a store whose second claim fails ------------------------------------- */

static mimi_store_ops failing_ops;
static int claims_before_failure;
static mimi_err failing_claim(void *impl, int64_t kp_id, const uint8_t *ref, size_t ref_len,
                              const char *requester, uint64_t now) {
  if (claims_before_failure-- == 0) return MIMI_ERR_STORE;
  return store.ops->key_package_claim(impl, kp_id, ref, ref_len, requester, now);
}

static void test_rollback(void) {
  /* both clients have an ordinary KeyPackage again */
  upload(tok_phone, &alice_phone, 1, false, 0);
  upload(tok_laptop, &alice_laptop, 1, false, 0);
  size_t before = stored_kps();
  failing_ops = *store.ops;
  failing_ops.key_package_claim = failing_claim;
  mimi_store failing = {&failing_ops, store.impl};
  prov.store = &failing;
  claims_before_failure = 1;
  const uint16_t s1[] = {FX_SUITE};
  mimi_key_material_request req;
  mimi_key_material_response resp;
  fx_km_request(&bob_phone, BOB, ALICE, s1, 1, &req);
  CHECK(fetch(&req, ALICE, NOW, &resp) == 500);
  prov.store = &store;
  CHECK(stored_kps() == before); /* the phone's claim was undone */
  CHECK(fetch(&req, ALICE, NOW, &resp) == 200);
  CHECK(resp.mls10.user_status == MIMI_KM_USER_SUCCESS);
  mimi_key_material_response_free(&resp);
  mimi_key_material_request_free(&req);
  mimi_test_case();
}

static void test_inbox(void) {
  hdrs ph = {.auth = tok_phone};
  mimi_http_response r = call_h("GET", "/client/v1/inbox", ph, NULL, NOW);
  CHECK(r.status == 200 && r.body.len == 1 && r.body.data[0] == 0); /* empty vector */
  mimi_http_response_free(&r);
  mimi_store_client me;
  uint8_t h[32];
  CHECK_OK(mimi_hash(MIMI_KDF_HKDF_SHA256, (const uint8_t *)tok_phone + 7, 64, h));
  CHECK_OK(store.ops->client_by_token(store.impl, h, &me));
  mimi_bytes m1 = {(uint8_t *)"hello", 5}, m2 = {(uint8_t *)"world", 5};
  uint64_t q1, q2;
  CHECK_OK(store.ops->inbox_push(store.impl, me.id, &m1, &q1));
  CHECK_OK(store.ops->inbox_push(store.impl, me.id, &m2, &q2));
  r = call_h("GET", "/client/v1/inbox", ph, NULL, NOW);
  CHECK(r.status == 200);
  mimi_client_inbox box;
  CHECK_OK(mimi_client_inbox_decode(r.body.data, r.body.len, &box));
  CHECK(box.entries_count == 2 && box.entries[0].seq == q1 && box.entries[1].seq == q2);
  if (box.entries_count == 2) CHECK_BYTES(box.entries[1].message, m2);
  mimi_client_inbox_free(&box);
  mimi_http_response_free(&r);
  /* the laptop sees none of it */
  r = call_h("GET", "/client/v1/inbox", (hdrs){.auth = tok_laptop}, NULL, NOW);
  CHECK(r.status == 200 && r.body.len == 1);
  mimi_http_response_free(&r);
  char path[64];
  snprintf(path, sizeof path, "/client/v1/inbox/%llu", (unsigned long long)q1);
  CHECK(status_of("DELETE", path, ph, NULL) == 204);
  CHECK(status_of("DELETE", "/client/v1/inbox/1x", ph, NULL) == 400);
  CHECK(status_of("DELETE", "/client/v1/inbox/", ph, NULL) == 400);
  CHECK(status_of("DELETE", "/client/v1/inbox/99999999999999999999999", ph, NULL) == 400);
  CHECK(status_of("POST", "/client/v1/inbox", ph, NULL) == 405);
  CHECK(status_of("GET", "/client/v1/inbox", (hdrs){0}, NULL) == 401);
  CHECK(status_of("GET", "/client/v1/elsewhere", ph, NULL) == 404);
  r = call_h("GET", "/client/v1/inbox", ph, NULL, NOW);
  CHECK_OK(mimi_client_inbox_decode(r.body.data, r.body.len, &box));
  CHECK(box.entries_count == 1 && box.entries[0].seq == q2);
  mimi_client_inbox_free(&box);
  mimi_http_response_free(&r);
  mimi_store_client_free(&me);
  mimi_test_case();
}

static unsigned client_fetch(const char *auth, const mimi_key_material_request *req,
                             const char *path_user, mimi_http_response *out) {
  mimi_bytes body = fx_encode_km(req);
  char *path = km_path("/client/v1", path_user);
  *out = call_h("POST", path, (hdrs){.auth = auth}, &body, NOW);
  mimi_bytes_free(&body);
  free(path);
  return out->status;
}

static void test_client_key_material(void) {
  const uint16_t s1[] = {FX_SUITE};
  mimi_key_material_request req;
  mimi_http_response r;
  /* local target: served from our own store */
  fx_km_request(&carol, "mimi://a.example/u/carol", ALICE, s1, 1, &req);
  CHECK(client_fetch(tok_carol, &req, ALICE, &r) == 200);
  mimi_key_material_response resp;
  CHECK_OK(mimi_proto_decode(mimi_key_material_response_type(), r.body.data, r.body.len, &resp));
  CHECK(resp.mls10.user_status == MIMI_KM_USER_SUCCESS ||
        resp.mls10.user_status == MIMI_KM_USER_PARTIAL_SUCCESS);
  mimi_key_material_response_free(&resp);
  mimi_http_response_free(&r);
  CHECK(fake.calls == 0);
  /* a client may only ask as itself */
  CHECK(client_fetch(tok_phone, &req, ALICE, &r) == 400);
  mimi_http_response_free(&r);
  CHECK(client_fetch(NULL, &req, ALICE, &r) == 401);
  mimi_http_response_free(&r);
  mimi_key_material_request_free(&req);
  fx_km_request(&bob_phone, "mimi://a.example/u/carol", ALICE, s1, 1, &req);
  CHECK(client_fetch(tok_carol, &req, ALICE, &r) == 400); /* not carol's key */
  mimi_http_response_free(&r);
  mimi_key_material_request_free(&req);

  /* remote target: relayed through the peer transport */
  fx_km_request(&carol, "mimi://a.example/u/carol", BOB, s1, 1, &req);
  mimi_key_material_response answer = {0};
  answer.protocol = MIMI_PROTOCOL_MLS10;
  answer.mls10.user_status = MIMI_KM_USER_UNKNOWN;
  CHECK_OK(mimi_bytes_copy(&answer.mls10.user_uri.uri, (const uint8_t *)BOB, strlen(BOB)));
  CHECK_OK(mimi_proto_encode(mimi_key_material_response_type(), &answer, &fake.answer));
  mimi_key_material_response_free(&answer);
  fake.status = 200;
  CHECK(client_fetch(tok_carol, &req, BOB, &r) == 200);
  CHECK_BYTES(r.body, fake.answer);
  mimi_http_response_free(&r);
  CHECK(fake.calls == 1 && strcmp(fake.domain, "b.example") == 0 &&
        strcmp(fake.param, BOB) == 0 && fake.ep == MIMI_EP_KEY_MATERIAL);
  fake.status = 403;
  CHECK(client_fetch(tok_carol, &req, BOB, &r) == 502);
  mimi_http_response_free(&r);
  fake.status = 200;
  fake.answer.data[0] ^= 0x7f; /* not a KeyMaterialResponse any more */
  CHECK(client_fetch(tok_carol, &req, BOB, &r) == 502);
  mimi_http_response_free(&r);
  fake.err = MIMI_ERR_HTTP;
  CHECK(client_fetch(tok_carol, &req, BOB, &r) == 502);
  mimi_http_response_free(&r);
  fake.err = MIMI_OK;
  mimi_key_material_request_free(&req);
  /* no route to c.example */
  fx_km_request(&carol, "mimi://a.example/u/carol", "mimi://c.example/u/x", s1, 1, &req);
  CHECK(client_fetch(tok_carol, &req, "mimi://c.example/u/x", &r) == 404);
  mimi_http_response_free(&r);
  mimi_key_material_request_free(&req);
  /* other MIMI endpoints are not client calls */
  CHECK(status_of("POST", "/client/v1/notify/mimi%3A%2F%2Fa.example%2Fr%2Fx",
                  (hdrs){.auth = tok_carol}, NULL) == 404);
  CHECK(status_of("GET", "/client/v1/keyMaterial/mimi%3A%2F%2Fa.example%2Fu%2Fx",
                  (hdrs){.auth = tok_carol}, NULL) == 405);
  mimi_test_case();
}

int main(void) {
  setup();
  test_transport_rules();
  test_register();
  test_upload();
  test_key_material();
  test_key_material_refusals();
  test_rollback();
  test_inbox();
  test_client_key_material();
  teardown();
  return mimi_test_summary("test_provider_handler");
}
