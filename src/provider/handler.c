/* handler.c — routes a request to the directory, a MIMI endpoint or the
 * client API, after the transport-level checks of §"Transport layer":
 * mutual TLS proves the source provider, From names it, Host names us. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "provider_internal.h"

void mimi_http_response_free(mimi_http_response *r) {
  if (r == NULL) return;
  mimi_bytes_free(&r->body);
  memset(r, 0, sizeof *r);
}

void prov_error(mimi_http_response *resp, unsigned status, const char *reason) {
  mimi_bytes_free(&resp->body);
  resp->status = status;
  resp->content_type = "text/plain";
  if (mimi_bytes_copy(&resp->body, (const uint8_t *)reason, strlen(reason)) != MIMI_OK)
    resp->content_type = NULL;
}

void prov_reply(mimi_http_response *resp, unsigned status, const char *content_type,
                mimi_bytes *body) {
  mimi_bytes_free(&resp->body);
  resp->status = status;
  resp->content_type = body->len ? content_type : NULL;
  resp->body = *body;
  memset(body, 0, sizeof *body);
}

mimi_err prov_parse_uri(const mimi_bytes *b, mimi_uri_kind kind, mimi_uri *out) {
  mimi_uri u;
  if (b->len == 0) return MIMI_ERR_BAD_URI;
  MIMI_TRY(mimi_uri_parse((const char *)b->data, b->len, &u));
  if (u.kind != kind) {
    mimi_uri_free(&u);
    return MIMI_ERR_BAD_URI;
  }
  *out = u;
  return MIMI_OK;
}

static unsigned route_status(mimi_err err) {
  switch (err) {
  case MIMI_ERR_PROTO_UNKNOWN_ENDPOINT: return 404;
  case MIMI_ERR_PROTO_BAD_METHOD: return 405;
  case MIMI_ERR_PROTO_PATH_TOO_LONG: return 414;
  case MIMI_ERR_NOMEM: return 500;
  default: return 400;
  }
}

/* "name" or "name:port", compared without the port (the draft ignores it). */
static bool host_is(const char *host, const char *domain) {
  size_t n = strlen(host);
  const char *colon = strrchr(host, ':');
  if (colon != NULL) n = (size_t)(colon - host);
  return n == strlen(domain) && strncasecmp(host, domain, n) == 0;
}

/* From: mimi@<peer domain>, addr-spec form only. */
static bool from_is(const char *from, const char *domain) {
  return strncmp(from, "mimi@", 5) == 0 && strcasecmp(from + 5, domain) == 0;
}

static void directory(const mimi_provider *p, mimi_http_response *resp) {
  char *json = NULL;
  if (mimi_directory_render(p->cfg->public_url, &json) != MIMI_OK) {
    prov_error(resp, 500, "cannot render directory");
    return;
  }
  mimi_bytes b = {(uint8_t *)json, strlen(json)};
  mimi_bytes copy;
  if (mimi_bytes_copy(&copy, b.data, b.len) != MIMI_OK) {
    free(json);
    prov_error(resp, 500, "out of memory");
    return;
  }
  free(json);
  prov_reply(resp, 200, "application/json", &copy);
}

static void mimi_endpoint_request(const mimi_provider *p, const mimi_http_request *req,
                                  uint64_t now, mimi_http_response *resp) {
  mimi_route route;
  mimi_err err = mimi_endpoint_match(req->method, req->path, req->path_len, p->cfg->base_path,
                                     &route);
  if (err != MIMI_OK) {
    prov_error(resp, route_status(err), mimi_strerror(err));
    return;
  }
  if (route.endpoint->id == MIMI_EP_DIRECTORY) {
    directory(p, resp);
  } else if (req->peer_domain == NULL) {
    prov_error(resp, 401, "a provider client certificate is required");
  } else if (req->host == NULL || req->from == NULL) {
    prov_error(resp, 400, "Host and From headers are required");
  } else if (!host_is(req->host, p->cfg->domain)) {
    prov_error(resp, 421, "Host is not this provider");
  } else if (!from_is(req->from, req->peer_domain)) {
    prov_error(resp, 403, "From does not name the authenticated provider");
  } else if (route.endpoint->id == MIMI_EP_KEY_MATERIAL) {
    prov_key_material(p, &route, req, req->peer_domain, now, resp);
  } else {
    prov_error(resp, 501, "endpoint not implemented");
  }
  mimi_route_free(&route);
}

static bool has_prefix(const char *path, size_t len, const char *prefix) {
  size_t n = strlen(prefix);
  return len >= n && memcmp(path, prefix, n) == 0 && (len == n || path[n] == '/');
}

void mimi_provider_handle(const mimi_provider *p, const mimi_http_request *req, uint64_t now,
                          mimi_http_response *resp) {
  memset(resp, 0, sizeof *resp);
  if (p == NULL || req == NULL || req->method == NULL || req->path == NULL ||
      (req->body == NULL && req->body_len)) {
    prov_error(resp, 500, "invalid handler call");
    return;
  }
  if (req->body_len > MIMI_PROVIDER_MAX_BODY) {
    prov_error(resp, 413, "request body too large");
    return;
  }
  if (has_prefix(req->path, req->path_len, MIMI_CLIENT_API_PREFIX))
    prov_client_api(p, req, now, resp);
  else
    mimi_endpoint_request(p, req, now, resp);
}
