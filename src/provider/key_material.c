/* key_material.c — §"Fetch Key Material" on the target provider: one
 * KeyPackage per client of the target user, compatible with the requested
 * suites and capabilities, handed out once (last-resort ones excepted). */
#include <stdlib.h>
#include <string.h>

#include "mimi/crypto.h"
#include "mimi/mls.h"
#include "provider_internal.h"

static bool has_u16(const uint16_t *list, size_t n, uint16_t v) {
  for (size_t i = 0; i < n; i++)
    if (list[i] == v) return true;
  return false;
}

static bool all_in(const uint16_t *want, size_t nw, const uint16_t *have, size_t nh) {
  for (size_t i = 0; i < nw; i++)
    if (!has_u16(have, nh, want[i])) return false;
  return true;
}

/* A stored KeyPackage the requester can use now: an acceptable suite, inside
 * its lifetime, and capabilities covering requiredCapabilities. On true
 * *out holds the decoded KeyPackage. */
static bool usable(const mimi_store_key_package *row, const mimi_key_material_request_mls *r,
                   uint64_t now, mls_key_package *out) {
  if (!has_u16(r->acceptable_ciphersuites, r->acceptable_ciphersuites_count, row->suite))
    return false;
  mls_key_package kp;
  if (mls_key_package_decode(row->key_package.data, row->key_package.len, &kp) != MIMI_OK)
    return false;
  const mls_leaf_node *leaf = &kp.leaf_node;
  const mls_capabilities *caps = &leaf->capabilities;
  const mls_required_capabilities *req = &r->required_capabilities;
  bool ok = leaf->source.leaf_node_source == MLS_LEAF_SOURCE_KEY_PACKAGE &&
            leaf->source.lifetime.not_before <= now && now <= leaf->source.lifetime.not_after &&
            all_in(req->extension_types, req->extension_types_count, caps->extensions,
                   caps->extensions_count) &&
            all_in(req->proposal_types, req->proposal_types_count, caps->proposals,
                   caps->proposals_count) &&
            all_in(req->credential_types, req->credential_types_count, caps->credentials,
                   caps->credentials_count);
  if (!ok) {
    mls_key_package_free(&kp);
    return false;
  }
  *out = kp;
  return true;
}

/* Fills one ClientKeyMaterial, claiming the KeyPackage it returns. */
static mimi_err claim_for_client(const mimi_provider *p, const mimi_store_client *c,
                                 const mimi_key_material_request_mls *r, const char *requester,
                                 uint64_t now, mimi_client_key_material *out) {
  mimi_store *st = p->store;
  mimi_store_key_package *kps = NULL;
  size_t n = 0;
  MIMI_TRY(st->ops->key_packages_of_client(st->impl, c->id, &kps, &n));
  mimi_err err = mimi_bytes_copy(&out->client_uri.uri, (const uint8_t *)c->uri, strlen(c->uri));
  bool any_live = false;
  out->client_status = MIMI_KM_CLIENT_KEY_MATERIAL_EXHAUSTED;
  for (size_t i = 0; err == MIMI_OK && i < n; i++) {
    if (kps[i].not_after >= now) any_live = true;
    if (!usable(&kps[i], r, now, &out->key_package)) continue;
    uint8_t ref[64];
    err = mls_key_package_ref(&out->key_package, ref);
    const mimi_suite *suite = mimi_suite_get(kps[i].suite);
    if (err == MIMI_OK && suite == NULL) err = MIMI_ERR_INTERNAL;
    if (err == MIMI_OK)
      err = st->ops->key_package_claim(st->impl, kps[i].id, ref, suite->hash_len, requester, now);
    if (err == MIMI_OK) out->client_status = MIMI_KM_CLIENT_SUCCESS;
    break;
  }
  /* Capabilities stay private (the draft makes them optional). */
  if (err == MIMI_OK && out->client_status != MIMI_KM_CLIENT_SUCCESS && any_live)
    out->client_status = MIMI_KM_CLIENT_NOTHING_COMPATIBLE;
  mimi_store_key_packages_free(kps, n);
  return err;
}

static uint8_t user_status(const mimi_client_key_material *c, size_t n) {
  size_t ok = 0;
  for (size_t i = 0; i < n; i++) ok += c[i].client_status == MIMI_KM_CLIENT_SUCCESS;
  if (n > 0 && ok == n) return MIMI_KM_USER_SUCCESS;
  if (ok > 0) return MIMI_KM_USER_PARTIAL_SUCCESS;
  return MIMI_KM_USER_NO_COMPATIBLE_MATERIAL;
}

static mimi_err fill_response(const mimi_provider *p, const mimi_key_material_request_mls *r,
                              int64_t user_id, const char *requester, uint64_t now,
                              mimi_key_material_response_mls *resp) {
  mimi_store *st = p->store;
  mimi_store_client *clients = NULL;
  size_t n = 0;
  MIMI_TRY(st->ops->clients_of_user(st->impl, user_id, &clients, &n));
  mimi_err err = MIMI_OK;
  if (n > 0) {
    resp->clients = calloc(n, sizeof *resp->clients);
    if (resp->clients == NULL) err = MIMI_ERR_NOMEM;
  }
  for (size_t i = 0; err == MIMI_OK && i < n; i++) {
    err = claim_for_client(p, &clients[i], r, requester, now, &resp->clients[i]);
    resp->clients_count = i + 1;
  }
  if (err == MIMI_OK) resp->user_status = user_status(resp->clients, resp->clients_count);
  mimi_store_clients_free(clients, n);
  return err;
}

mimi_err prov_claim_key_material(const mimi_provider *p, const mimi_key_material_request *req,
                                 const mimi_uri *target, const char *requester, uint64_t now,
                                 mimi_bytes *out) {
  mimi_store *st = p->store;
  mimi_key_material_response resp;
  memset(&resp, 0, sizeof resp);
  resp.protocol = MIMI_PROTOCOL_MLS10;
  mimi_err err = mimi_bytes_copy(&resp.mls10.user_uri.uri, (const uint8_t *)target->canonical,
                                 target->canonical_len);
  if (err != MIMI_OK) return err;
  if ((err = st->ops->begin(st->impl)) != MIMI_OK) {
    mimi_key_material_response_free(&resp);
    return err;
  }
  int64_t user_id;
  err = st->ops->user_find(st->impl, target->canonical, &user_id);
  if (err == MIMI_ERR_NOT_FOUND) {
    resp.mls10.user_status = MIMI_KM_USER_UNKNOWN;
    err = MIMI_OK;
  } else if (err == MIMI_OK) {
    err = fill_response(p, &req->mls10, user_id, requester, now, &resp.mls10);
  }
  /* The draft lets only noCompatibleMaterial list clients besides the
   * success codes; we list them there, so nothing else carries any. */
  mimi_bytes enc = {0};
  if (err == MIMI_OK) err = mimi_proto_encode(mimi_key_material_response_type(), &resp, &enc);
  if (err == MIMI_OK) err = st->ops->commit(st->impl);
  if (err != MIMI_OK) {
    st->ops->rollback(st->impl);
    mimi_bytes_free(&enc);
  } else {
    *out = enc;
  }
  mimi_key_material_response_free(&resp);
  return err;
}

/* A request for another protocol gets incompatibleProtocol in the one
 * protocol we speak rather than a transport error. */
static void incompatible_protocol(const char *target, mimi_http_response *resp,
                                  const char *media_type) {
  mimi_key_material_response r;
  memset(&r, 0, sizeof r);
  r.protocol = MIMI_PROTOCOL_MLS10;
  r.mls10.user_status = MIMI_KM_USER_INCOMPATIBLE_PROTOCOL;
  mimi_bytes enc = {0};
  mimi_err err = mimi_bytes_copy(&r.mls10.user_uri.uri, (const uint8_t *)target, strlen(target));
  if (err == MIMI_OK) err = mimi_proto_encode(mimi_key_material_response_type(), &r, &enc);
  mimi_key_material_response_free(&r);
  if (err != MIMI_OK) prov_error(resp, 500, mimi_strerror(err));
  else prov_reply(resp, 200, media_type, &enc);
}

void prov_key_material(const mimi_provider *p, const mimi_route *route,
                       const mimi_http_request *req, const char *requester, uint64_t now,
                       mimi_http_response *resp) {
  const char *media = route->endpoint->response_media_type;
  if (req->body_len > 0 && req->body[0] != MIMI_PROTOCOL_MLS10) {
    incompatible_protocol(route->param, resp, media);
    return;
  }
  mimi_key_material_request kmr;
  mimi_err err = mimi_proto_decode(mimi_key_material_request_type(), req->body, req->body_len,
                                   &kmr);
  if (err != MIMI_OK) {
    prov_error(resp, 400, mimi_strerror(err));
    return;
  }
  mimi_uri target = {0}, path_target = {0}, requesting = {0};
  unsigned status = 0;
  const char *why = NULL;
  if (prov_parse_uri(&kmr.mls10.target_user.uri, MIMI_URI_USER, &target) != MIMI_OK ||
      mimi_uri_parse(route->param, route->param_len, &path_target) != MIMI_OK ||
      !mimi_uri_equal(&target, &path_target)) {
    status = 400, why = "targetUser does not match the request path";
  } else if (prov_parse_uri(&kmr.mls10.requesting_user.uri, MIMI_URI_USER, &requesting) !=
             MIMI_OK) {
    status = 400, why = "requestingUser is not a user URI";
  } else if (strcmp(target.provider, p->cfg->domain) != 0) {
    status = 404, why = "targetUser is not at this provider";
  } else if (strcmp(requesting.provider, requester) != 0) {
    status = 403, why = "requestingUser is not at the requesting provider";
  } else if ((err = mimi_key_material_request_verify(&kmr)) != MIMI_OK) {
    status = err == MIMI_ERR_BAD_SIGNATURE ? 403 : 400, why = mimi_strerror(err);
  }
  if (status != 0) {
    prov_error(resp, status, why);
  } else {
    mimi_bytes enc;
    err = prov_claim_key_material(p, &kmr, &target, requester, now, &enc);
    if (err != MIMI_OK) prov_error(resp, 500, mimi_strerror(err));
    else prov_reply(resp, 200, media, &enc);
  }
  mimi_uri_free(&target);
  mimi_uri_free(&path_target);
  mimi_uri_free(&requesting);
  mimi_key_material_request_free(&kmr);
}
