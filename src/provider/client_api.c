/* client_api.c — our own client-to-provider API (docs/client-api.md):
 * registration, KeyPackage upload, inbox, and key material fetched on a
 * client's behalf (locally or from the target user's provider). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mimi/crypto.h"
#include "mimi/mls.h"
#include "provider_internal.h"

#define MEDIA "application/mimi-client"
#define INBOX_BATCH 256
#define TOKEN_BYTES 32

/* SHA-256 of a bearer token: tokens are stored and compared as hashes. */
static mimi_err token_hash(const char *token, uint8_t out[MIMI_TOKEN_HASH_LEN]) {
  return mimi_hash(MIMI_KDF_HKDF_SHA256, (const uint8_t *)token, strlen(token), out);
}

static const char *bearer(const mimi_http_request *req) {
  const char *a = req->authorization;
  if (a == NULL || strncmp(a, "Bearer ", 7) != 0 || a[7] == '\0') return NULL;
  return a + 7;
}

/* 401 unless the bearer token names a client. */
static bool authenticate(const mimi_provider *p, const mimi_http_request *req,
                         mimi_store_client *client, mimi_http_response *resp) {
  const char *tok = bearer(req);
  uint8_t h[MIMI_TOKEN_HASH_LEN];
  if (tok == NULL || token_hash(tok, h) != MIMI_OK) {
    prov_error(resp, 401, "bearer token required");
    return false;
  }
  mimi_err err = p->store->ops->client_by_token(p->store->impl, h, client);
  if (err == MIMI_OK) return true;
  prov_error(resp, err == MIMI_ERR_NOT_FOUND ? 401 : 500,
             err == MIMI_ERR_NOT_FOUND ? "unknown token" : mimi_strerror(err));
  return false;
}

static bool admin_ok(const mimi_provider *p, const mimi_http_request *req) {
  const char *tok = bearer(req);
  uint8_t a[MIMI_TOKEN_HASH_LEN], b[MIMI_TOKEN_HASH_LEN];
  if (tok == NULL || token_hash(tok, a) != MIMI_OK ||
      token_hash(p->cfg->admin_token, b) != MIMI_OK)
    return false;
  return mimi_ct_eq(a, b, sizeof a);
}

static mimi_err new_token(const mimi_provider *p, char out[2 * TOKEN_BYTES + 1]) {
  uint8_t raw[TOKEN_BYTES];
  MIMI_TRY(mimi_rng_fill(p->rng, raw, sizeof raw));
  for (size_t i = 0; i < TOKEN_BYTES; i++) snprintf(out + 2 * i, 3, "%02x", raw[i]);
  mimi_secure_zero(raw, sizeof raw);
  return MIMI_OK;
}

/* Creates the user if needed and the client, in one transaction. */
static mimi_err register_rows(const mimi_provider *p, const mimi_uri *user,
                              const mimi_uri *client, const mimi_bytes *sig_key,
                              const uint8_t h[MIMI_TOKEN_HASH_LEN]) {
  mimi_store *st = p->store;
  MIMI_TRY(st->ops->begin(st->impl));
  int64_t uid, cid;
  mimi_err err = st->ops->user_find(st->impl, user->canonical, &uid);
  if (err == MIMI_ERR_NOT_FOUND) err = st->ops->user_add(st->impl, user->canonical, &uid);
  if (err == MIMI_OK) err = st->ops->client_add(st->impl, uid, client->canonical, sig_key, h, &cid);
  if (err == MIMI_OK) err = st->ops->commit(st->impl);
  if (err != MIMI_OK) st->ops->rollback(st->impl);
  return err;
}

static void do_register(const mimi_provider *p, const mimi_http_request *req,
                        mimi_http_response *resp) {
  if (p->cfg->admin_token == NULL) {
    prov_error(resp, 403, "registration is closed");
    return;
  }
  if (!admin_ok(p, req)) {
    prov_error(resp, 401, "admin token required");
    return;
  }
  mimi_client_register_request r;
  mimi_err err = mimi_client_register_request_decode(req->body, req->body_len, &r);
  if (err != MIMI_OK) {
    prov_error(resp, 400, mimi_strerror(err));
    return;
  }
  mimi_uri client = {0}, user = {0};
  char token[2 * TOKEN_BYTES + 1];
  uint8_t h[MIMI_TOKEN_HASH_LEN];
  if (prov_parse_uri(&r.client_uri, MIMI_URI_CLIENT, &client) != MIMI_OK ||
      mimi_uri_user_of(&client, &user) != MIMI_OK) {
    prov_error(resp, 400, "client_uri must be mimi://<domain>/d/<user>/<device>");
  } else if (strcmp(client.provider, p->cfg->domain) != 0) {
    prov_error(resp, 400, "client_uri is not at this provider");
  } else if (r.signature_key.len == 0) {
    prov_error(resp, 400, "empty signature_key");
  } else if ((err = new_token(p, token)) != MIMI_OK || (err = token_hash(token, h)) != MIMI_OK) {
    prov_error(resp, 500, mimi_strerror(err));
  } else if ((err = register_rows(p, &user, &client, &r.signature_key, h)) != MIMI_OK) {
    prov_error(resp, err == MIMI_ERR_STORE_CONFLICT ? 409 : 500,
               err == MIMI_ERR_STORE_CONFLICT ? "client already registered" : mimi_strerror(err));
  } else {
    mimi_client_register_response out;
    mimi_bytes enc = {0};
    out.token.data = (uint8_t *)token;
    out.token.len = strlen(token);
    if ((err = mimi_client_register_response_encode(&out, &enc)) != MIMI_OK)
      prov_error(resp, 500, mimi_strerror(err));
    else prov_reply(resp, 201, MEDIA, &enc);
  }
  mimi_secure_zero(token, sizeof token);
  mimi_uri_free(&client);
  mimi_uri_free(&user);
  mimi_client_register_request_free(&r);
}

/* §10.1 validity plus ownership: the leaf must carry the client's
 * registered signature key and a basic credential naming the client. */
static const char *check_upload_kp(const mls_key_package *kp, const mimi_store_client *c,
                                   uint64_t now) {
  if (mls_key_package_validate(kp, 0, now) != MIMI_OK) return "invalid KeyPackage";
  if (!mimi_bytes_eq(&kp->leaf_node.signature_key, &c->signature_key))
    return "KeyPackage signature key is not the client's";
  const mls_credential *cred = &kp->leaf_node.credential;
  mimi_uri u;
  if (cred->credential_type != MLS_CREDENTIAL_BASIC ||
      prov_parse_uri(&cred->identity, MIMI_URI_CLIENT, &u) != MIMI_OK)
    return "KeyPackage credential is not a basic credential with a client URI";
  bool same = strcmp(u.canonical, c->uri) == 0;
  mimi_uri_free(&u);
  return same ? NULL : "KeyPackage credential names another client";
}

static mimi_err store_kp(const mimi_provider *p, const mimi_store_client *c,
                         const mls_key_package *kp, bool last_resort) {
  mimi_bytes enc;
  MIMI_TRY(mls_key_package_encode(kp, &enc));
  mimi_err err = p->store->ops->key_package_add(p->store->impl, c->id, kp->cipher_suite,
                                                kp->leaf_node.source.lifetime.not_after,
                                                last_resort, &enc);
  mimi_bytes_free(&enc);
  return err;
}

static mimi_err store_upload(const mimi_provider *p, const mimi_store_client *c,
                             const mimi_client_upload_request *u) {
  mimi_store *st = p->store;
  MIMI_TRY(st->ops->begin(st->impl));
  mimi_err err = MIMI_OK;
  for (size_t i = 0; err == MIMI_OK && i < u->key_packages_count; i++)
    err = store_kp(p, c, &u->key_packages[i], false);
  if (err == MIMI_OK && u->last_resort) err = store_kp(p, c, u->last_resort, true);
  if (err == MIMI_OK) err = st->ops->commit(st->impl);
  if (err != MIMI_OK) st->ops->rollback(st->impl);
  return err;
}

static void do_upload(const mimi_provider *p, const mimi_http_request *req, uint64_t now,
                      const mimi_store_client *c, mimi_http_response *resp) {
  mimi_client_upload_request u;
  mimi_err err = mimi_client_upload_request_decode(req->body, req->body_len, &u);
  if (err != MIMI_OK) {
    prov_error(resp, 400, mimi_strerror(err));
    return;
  }
  const char *why = u.key_packages_count == 0 && u.last_resort == NULL ? "no KeyPackages" : NULL;
  for (size_t i = 0; why == NULL && i < u.key_packages_count; i++)
    why = check_upload_kp(&u.key_packages[i], c, now);
  if (why == NULL && u.last_resort) why = check_upload_kp(u.last_resort, c, now);
  if (why != NULL) {
    prov_error(resp, 400, why);
  } else if ((err = store_upload(p, c, &u)) != MIMI_OK) {
    prov_error(resp, 500, mimi_strerror(err));
  } else {
    resp->status = 204;
  }
  mimi_client_upload_request_free(&u);
}

static void do_inbox(const mimi_provider *p, const mimi_store_client *c,
                     mimi_http_response *resp) {
  mimi_store_inbox_entry *e = NULL;
  size_t n = 0;
  mimi_err err = p->store->ops->inbox_fetch(p->store->impl, c->id, 0, INBOX_BATCH, &e, &n);
  if (err != MIMI_OK) {
    prov_error(resp, 500, mimi_strerror(err));
    return;
  }
  mimi_client_inbox box = {0};
  box.entries = n ? calloc(n, sizeof *box.entries) : NULL;
  mimi_bytes enc = {0};
  if (n && box.entries == NULL) err = MIMI_ERR_NOMEM;
  for (size_t i = 0; err == MIMI_OK && i < n; i++) {
    /* The entries borrow the stored messages; only the array is ours. */
    box.entries[i].seq = e[i].seq;
    box.entries[i].message = e[i].message;
  }
  box.entries_count = n;
  if (err == MIMI_OK) err = mimi_client_inbox_encode(&box, &enc);
  free(box.entries);
  mimi_store_inbox_free(e, n);
  if (err != MIMI_OK) prov_error(resp, 500, mimi_strerror(err));
  else prov_reply(resp, 200, MEDIA, &enc);
}

static void do_ack(const mimi_provider *p, const char *seq_text, const mimi_store_client *c,
                   mimi_http_response *resp) {
  uint64_t seq = 0;
  size_t n = strlen(seq_text);
  if (n == 0 || n > 19) {
    prov_error(resp, 400, "bad sequence number");
    return;
  }
  for (size_t i = 0; i < n; i++) {
    if (seq_text[i] < '0' || seq_text[i] > '9') {
      prov_error(resp, 400, "bad sequence number");
      return;
    }
    seq = seq * 10 + (uint64_t)(seq_text[i] - '0');
  }
  mimi_err err = p->store->ops->inbox_ack(p->store->impl, c->id, seq);
  if (err != MIMI_OK) prov_error(resp, 500, mimi_strerror(err));
  else resp->status = 204;
}

/* The requester must be this client: its user and its registered key. */
static const char *check_own_request(const mimi_key_material_request *k,
                                     const mimi_store_client *c) {
  mimi_uri client = {0}, user = {0}, req_user = {0};
  const char *why = NULL;
  if (mimi_uri_parse(c->uri, strlen(c->uri), &client) != MIMI_OK ||
      mimi_uri_user_of(&client, &user) != MIMI_OK)
    why = "client has no user";
  else if (prov_parse_uri(&k->mls10.requesting_user.uri, MIMI_URI_USER, &req_user) != MIMI_OK ||
           !mimi_uri_equal(&user, &req_user))
    why = "requestingUser is not this client's user";
  else if (!mimi_bytes_eq(&k->mls10.requester_signature_key, &c->signature_key))
    why = "requesterSignatureKey is not this client's key";
  mimi_uri_free(&client);
  mimi_uri_free(&user);
  mimi_uri_free(&req_user);
  return why;
}

/* Relays a peer's answer after checking it is a KeyMaterialResponse. */
static void relay(unsigned status, mimi_bytes *body, mimi_http_response *resp) {
  if (status != 200) {
    mimi_bytes_free(body);
    prov_error(resp, 502, "peer provider refused the request");
    return;
  }
  mimi_key_material_response check;
  if (mimi_proto_decode(mimi_key_material_response_type(), body->data, body->len, &check) !=
      MIMI_OK) {
    mimi_bytes_free(body);
    prov_error(resp, 502, "peer provider sent an invalid response");
    return;
  }
  mimi_key_material_response_free(&check);
  prov_reply(resp, 200, mimi_endpoint_get(MIMI_EP_KEY_MATERIAL)->response_media_type, body);
}

static void do_key_material(const mimi_provider *p, const mimi_http_request *req,
                            const mimi_route *route, uint64_t now, const mimi_store_client *c,
                            mimi_http_response *resp) {
  mimi_key_material_request k;
  mimi_err err = mimi_proto_decode(mimi_key_material_request_type(), req->body, req->body_len, &k);
  if (err != MIMI_OK) {
    prov_error(resp, 400, mimi_strerror(err));
    return;
  }
  mimi_uri target = {0}, path_target = {0};
  const char *why = check_own_request(&k, c);
  if (why == NULL && (prov_parse_uri(&k.mls10.target_user.uri, MIMI_URI_USER, &target) != MIMI_OK ||
                      mimi_uri_parse(route->param, route->param_len, &path_target) != MIMI_OK ||
                      !mimi_uri_equal(&target, &path_target)))
    why = "targetUser does not match the request path";
  if (why == NULL && (err = mimi_key_material_request_verify(&k)) != MIMI_OK)
    why = mimi_strerror(err);
  if (why != NULL) {
    prov_error(resp, 400, why);
  } else if (strcmp(target.provider, p->cfg->domain) == 0) {
    mimi_bytes enc;
    err = prov_claim_key_material(p, &k, &target, p->cfg->domain, now, &enc);
    if (err != MIMI_OK) prov_error(resp, 500, mimi_strerror(err));
    else prov_reply(resp, 200, route->endpoint->response_media_type, &enc);
  } else if (p->peers == NULL || mimi_provider_config_peer(p->cfg, target.provider) == NULL) {
    prov_error(resp, 404, "no route to the target user's provider");
  } else {
    unsigned status = 0;
    mimi_bytes body = {0};
    err = p->peers->call(p->peers->ctx, target.provider, MIMI_EP_KEY_MATERIAL, target.canonical,
                         req->body, req->body_len, &status, &body);
    if (err != MIMI_OK) prov_error(resp, 502, mimi_strerror(err));
    else relay(status, &body, resp);
  }
  mimi_uri_free(&target);
  mimi_uri_free(&path_target);
  mimi_key_material_request_free(&k);
}

static bool path_is(const mimi_http_request *req, const char *suffix) {
  size_t pl = strlen(MIMI_CLIENT_API_PREFIX), sl = strlen(suffix);
  return req->path_len == pl + sl && memcmp(req->path + pl, suffix, sl) == 0;
}

static bool method_is(const mimi_http_request *req, const char *m) {
  return strcmp(req->method, m) == 0;
}

/* Routes an authenticated client's request. */
static void client_routes(const mimi_provider *p, const mimi_http_request *req, uint64_t now,
                          const mimi_store_client *c, mimi_http_response *resp) {
  static const char inbox_slash[] = MIMI_CLIENT_API_PREFIX "/inbox/";
  size_t isl = strlen(inbox_slash);
  if (path_is(req, "/keyPackages")) {
    if (method_is(req, "POST")) do_upload(p, req, now, c, resp);
    else prov_error(resp, 405, "use POST");
    return;
  }
  if (path_is(req, "/inbox")) {
    if (method_is(req, "GET")) do_inbox(p, c, resp);
    else prov_error(resp, 405, "use GET");
    return;
  }
  if (req->path_len > isl && memcmp(req->path, inbox_slash, isl) == 0) {
    char seq[24];
    size_t n = req->path_len - isl;
    if (!method_is(req, "DELETE")) {
      prov_error(resp, 405, "use DELETE");
    } else if (n >= sizeof seq) {
      prov_error(resp, 400, "bad sequence number");
    } else {
      memcpy(seq, req->path + isl, n);
      seq[n] = '\0';
      do_ack(p, seq, c, resp);
    }
    return;
  }
  /* keyMaterial: the MIMI path rules, under the client prefix. */
  mimi_route route;
  mimi_err err = mimi_endpoint_match(req->method, req->path, req->path_len,
                                     MIMI_CLIENT_API_PREFIX, &route);
  if (err == MIMI_OK && route.endpoint->id != MIMI_EP_KEY_MATERIAL) {
    mimi_route_free(&route);
    err = MIMI_ERR_PROTO_UNKNOWN_ENDPOINT;
  }
  if (err == MIMI_OK) {
    do_key_material(p, req, &route, now, c, resp);
    mimi_route_free(&route);
  } else if (err == MIMI_ERR_PROTO_BAD_METHOD) {
    prov_error(resp, 405, "use POST");
  } else if (err == MIMI_ERR_PROTO_UNKNOWN_ENDPOINT) {
    prov_error(resp, 404, "no such client API call");
  } else {
    prov_error(resp, 400, mimi_strerror(err));
  }
}

void prov_client_api(const mimi_provider *p, const mimi_http_request *req, uint64_t now,
                     mimi_http_response *resp) {
  if (path_is(req, "/register")) {
    if (method_is(req, "POST")) do_register(p, req, resp);
    else prov_error(resp, 405, "use POST");
    return;
  }
  mimi_store_client c;
  if (!authenticate(p, req, &c, resp)) return;
  client_routes(p, req, now, &c, resp);
  mimi_store_client_free(&c);
}
