/* peer_client.c — outbound HTTPS with libcurl: mutual TLS towards peer
 * providers (their certificate must name the configured domain), and the
 * generic call tools and tests use. */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "provider_internal.h"

#define MAX_RESPONSE (4u << 20)

struct mimi_peer_client {
  const mimi_provider_config *cfg;
};

typedef struct {
  mimi_bytes *out;
  bool too_large;
  bool nomem;
} sink;

static size_t on_data(char *data, size_t size, size_t n, void *ctx) {
  sink *s = ctx;
  size_t len = size * n;
  if (len > MAX_RESPONSE - s->out->len) {
    s->too_large = true;
    return 0;
  }
  if (mimi_bytes_append(s->out, (const uint8_t *)data, len) != MIMI_OK) {
    s->nomem = true;
    return 0;
  }
  return len;
}

static struct curl_slist *header(struct curl_slist *h, const char *name, const char *value,
                                 bool *failed) {
  if (value == NULL || *failed) return h;
  size_t n = strlen(name) + strlen(value) + 3;
  char *line = malloc(n);
  if (line == NULL) {
    *failed = true;
    return h;
  }
  snprintf(line, n, "%s: %s", name, value);
  struct curl_slist *nh = curl_slist_append(h, line);
  mimi_secure_zero(line, n); /* may be a bearer token */
  free(line);
  if (nh == NULL) *failed = true;
  return nh ? nh : h;
}

static bool setup(CURL *c, const mimi_https_request *r, struct curl_slist *headers,
                  struct curl_slist *connect_to, sink *s) {
  bool ok = curl_easy_setopt(c, CURLOPT_URL, r->url) == CURLE_OK &&
            curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https") == CURLE_OK &&
            curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, r->method) == CURLE_OK &&
            curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers) == CURLE_OK &&
            curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data) == CURLE_OK &&
            curl_easy_setopt(c, CURLOPT_WRITEDATA, s) == CURLE_OK &&
            curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
            curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, r->timeout_ms > 0 ? r->timeout_ms : 10000L) ==
                CURLE_OK &&
            curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L) == CURLE_OK &&
            curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L) == CURLE_OK;
  if (ok && r->ca_file) ok = curl_easy_setopt(c, CURLOPT_CAINFO, r->ca_file) == CURLE_OK;
  if (ok && r->cert_file) ok = curl_easy_setopt(c, CURLOPT_SSLCERT, r->cert_file) == CURLE_OK;
  if (ok && r->key_file) ok = curl_easy_setopt(c, CURLOPT_SSLKEY, r->key_file) == CURLE_OK;
  if (ok && connect_to) ok = curl_easy_setopt(c, CURLOPT_CONNECT_TO, connect_to) == CURLE_OK;
  if (ok && r->body_len) {
    ok = curl_easy_setopt(c, CURLOPT_POSTFIELDS, (const char *)r->body) == CURLE_OK &&
         curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body_len) == CURLE_OK;
  }
  return ok;
}

mimi_err mimi_https_call(const mimi_https_request *r, unsigned *status, mimi_bytes *resp) {
  if (r == NULL || r->url == NULL || r->method == NULL || status == NULL || resp == NULL ||
      (r->body == NULL && r->body_len))
    return MIMI_ERR_INVALID_ARG;
  CURL *c = curl_easy_init();
  if (c == NULL) return MIMI_ERR_HTTP;
  bool failed = false;
  struct curl_slist *headers = NULL, *connect_to = NULL;
  char *auth = NULL;
  if (r->bearer) {
    size_t n = strlen(r->bearer) + 8;
    if ((auth = malloc(n)) == NULL) failed = true;
    else snprintf(auth, n, "Bearer %s", r->bearer);
  }
  headers = header(headers, "Authorization", auth, &failed);
  headers = header(headers, "From", r->from, &failed);
  headers = header(headers, "Content-Type", r->content_type, &failed);
  /* curl would add "Expect: 100-continue" for larger bodies: one round trip
   * for nothing between providers. */
  headers = header(headers, "Expect", "", &failed);
  if (r->connect_to && !failed) {
    connect_to = curl_slist_append(NULL, r->connect_to);
    failed = connect_to == NULL;
  }
  mimi_bytes body = {0};
  sink s = {&body, false, false};
  mimi_err err = MIMI_OK;
  if (failed) err = MIMI_ERR_NOMEM;
  else if (!setup(c, r, headers, connect_to, &s)) err = MIMI_ERR_HTTP;
  else if (curl_easy_perform(c) != CURLE_OK)
    err = s.nomem ? MIMI_ERR_NOMEM : s.too_large ? MIMI_ERR_TOO_LARGE : MIMI_ERR_HTTP;
  long code = 0;
  if (err == MIMI_OK && curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code) != CURLE_OK)
    err = MIMI_ERR_HTTP;
  curl_slist_free_all(headers);
  curl_slist_free_all(connect_to);
  curl_easy_cleanup(c);
  if (auth) {
    mimi_secure_zero(auth, strlen(auth));
    free(auth);
  }
  if (err != MIMI_OK) {
    mimi_bytes_free(&body);
    return err;
  }
  *status = (unsigned)code;
  *resp = body;
  return MIMI_OK;
}

mimi_err mimi_peer_client_new(const mimi_provider_config *cfg, mimi_peer_client **out) {
  if (cfg == NULL || out == NULL) return MIMI_ERR_INVALID_ARG;
  if (cfg->cert_file == NULL || cfg->key_file == NULL || cfg->ca_file == NULL)
    return MIMI_ERR_PROVIDER_CONFIG;
  mimi_peer_client *c = calloc(1, sizeof *c);
  if (c == NULL) return MIMI_ERR_NOMEM;
  c->cfg = cfg;
  *out = c;
  return MIMI_OK;
}

void mimi_peer_client_free(mimi_peer_client *c) { free(c); }

static mimi_err peer_call(void *ctx, const char *domain, mimi_endpoint_id ep, const char *param,
                          const uint8_t *body, size_t body_len, unsigned *status,
                          mimi_bytes *resp) {
  mimi_peer_client *pc = ctx;
  const mimi_peer_config *peer = mimi_provider_config_peer(pc->cfg, domain);
  const mimi_endpoint *e = mimi_endpoint_get(ep);
  if (peer == NULL || e == NULL) return MIMI_ERR_NOT_FOUND;
  char *path = NULL;
  MIMI_TRY(mimi_endpoint_path(ep, "", param, &path));
  size_t ul = strlen(peer->base_url) + strlen(path) + 1;
  size_t fl = strlen(pc->cfg->domain) + 6;
  size_t cl = peer->connect_ip ? strlen(peer->domain) + strlen(peer->connect_ip) + 8 : 0;
  char *url = malloc(ul), *from = malloc(fl), *connect_to = cl ? malloc(cl) : NULL;
  mimi_err err = MIMI_OK;
  if (url == NULL || from == NULL || (cl && connect_to == NULL)) {
    err = MIMI_ERR_NOMEM;
  } else {
    snprintf(url, ul, "%s%s", peer->base_url, path);
    snprintf(from, fl, "mimi@%s", pc->cfg->domain);
    /* Connect elsewhere but verify the certificate against the domain. */
    if (connect_to) snprintf(connect_to, cl, "%s::%s:", peer->domain, peer->connect_ip);
    mimi_https_request r = {
        .method = e->method,
        .url = url,
        .ca_file = pc->cfg->ca_file,
        .cert_file = pc->cfg->cert_file,
        .key_file = pc->cfg->key_file,
        .from = from,
        .connect_to = connect_to,
        .content_type = e->request_media_type,
        .body = body,
        .body_len = body_len,
        .timeout_ms = 10000,
    };
    err = mimi_https_call(&r, status, resp);
  }
  free(path);
  free(url);
  free(from);
  free(connect_to);
  return err;
}

mimi_peer_transport mimi_peer_client_transport(mimi_peer_client *c) {
  mimi_peer_transport t = {peer_call, c};
  return t;
}
