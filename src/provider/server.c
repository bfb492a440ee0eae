/* server.c — the HTTPS server: libmicrohttpd over GnuTLS, requesting client
 * certificates and turning a verified one into the peer's provider domain
 * before handing the request to mimi_provider_handle. */
#include <arpa/inet.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "provider_internal.h"

struct mimi_server {
  const mimi_provider *p;
  struct MHD_Daemon *daemon;
  char *cert, *key, *ca; /* PEM text; MHD keeps pointers to them */
  uint16_t port;
};

/* One request's upload, collected across access-handler calls. */
typedef struct {
  uint8_t *body;
  size_t len, cap;
  bool too_large;
} upload;

#define MAX_SANS 16
#define MAX_NAME 256

static char *read_text(const char *path) {
  if (path == NULL) return NULL;
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  char *buf = NULL;
  size_t len = 0, cap = 0;
  for (;;) {
    if (len + 1 >= cap) {
      if (cap > (1u << 22)) break;
      cap = cap ? 2 * cap : 8192;
      char *nb = realloc(buf, cap);
      if (nb == NULL) break;
      buf = nb;
    }
    size_t got = fread(buf + len, 1, cap - len - 1, f);
    len += got;
    if (got == 0) {
      if (ferror(f)) break;
      fclose(f);
      buf[len] = '\0';
      return buf;
    }
  }
  fclose(f);
  free(buf);
  return NULL;
}

/* MHD would percent-decode the path; the endpoint matcher needs it raw. */
static size_t keep_escapes(void *cls, struct MHD_Connection *c, char *s) {
  (void)cls;
  (void)c;
  return strlen(s);
}

/* The DNS SANs of a verified client certificate. Verification covers the
 * chain to our CA bundle, validity dates and the TLS client purpose. */
static size_t peer_names(struct MHD_Connection *conn, char names[MAX_SANS][MAX_NAME]) {
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
  if (ci == NULL || ci->tls_session == NULL) return 0;
  gnutls_session_t s = (gnutls_session_t)ci->tls_session;
  unsigned status = 0;
  gnutls_typed_vdata_st purpose = {GNUTLS_DT_KEY_PURPOSE_OID,
                                   (unsigned char *)GNUTLS_KP_TLS_WWW_CLIENT, 0};
  if (gnutls_certificate_verify_peers(s, &purpose, 1, &status) != GNUTLS_E_SUCCESS ||
      status != 0)
    return 0;
  unsigned n_certs = 0;
  const gnutls_datum_t *certs = gnutls_certificate_get_peers(s, &n_certs);
  if (certs == NULL || n_certs == 0) return 0;
  gnutls_x509_crt_t crt;
  if (gnutls_x509_crt_init(&crt) != GNUTLS_E_SUCCESS) return 0;
  size_t n = 0;
  if (gnutls_x509_crt_import(crt, &certs[0], GNUTLS_X509_FMT_DER) == GNUTLS_E_SUCCESS) {
    for (unsigned i = 0; n < MAX_SANS; i++) {
      char buf[MAX_NAME];
      size_t size = sizeof buf - 1;
      int type = gnutls_x509_crt_get_subject_alt_name(crt, i, buf, &size, NULL);
      if (type < 0) break;
      if (type != GNUTLS_SAN_DNSNAME || size == 0 || size >= MAX_NAME ||
          memchr(buf, '\0', size) != NULL)
        continue;
      memcpy(names[n], buf, size);
      names[n][size] = '\0';
      n++;
    }
  }
  gnutls_x509_crt_deinit(crt);
  return n;
}

/* The provider the certificate authenticates: the SAN the From header
 * names when there is one (a certificate may cover several domains), else
 * the first DNS SAN, which the handler then finds does not match From. */
static const char *pick_peer(char names[MAX_SANS][MAX_NAME], size_t n, const char *from) {
  if (n == 0) return NULL;
  if (from != NULL && strncmp(from, "mimi@", 5) == 0)
    for (size_t i = 0; i < n; i++)
      if (strcasecmp(names[i], from + 5) == 0) return names[i];
  return names[0];
}

static bool has_query(struct MHD_Connection *conn) {
  return MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, NULL, NULL) > 0;
}

static enum MHD_Result send_response(struct MHD_Connection *conn, const mimi_http_response *r) {
  struct MHD_Response *mr =
      MHD_create_response_from_buffer(r->body.len, r->body.data, MHD_RESPMEM_MUST_COPY);
  if (mr == NULL) return MHD_NO;
  if (r->content_type) MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
  enum MHD_Result ret = MHD_queue_response(conn, r->status, mr);
  MHD_destroy_response(mr);
  return ret;
}

static bool append(upload *u, const char *data, size_t n) {
  if (u->too_large || n > MIMI_PROVIDER_MAX_BODY - u->len) {
    u->too_large = true;
    return true;
  }
  if (u->len + n > u->cap) {
    size_t cap = u->cap ? u->cap : 4096;
    while (cap < u->len + n) cap *= 2;
    uint8_t *nb = realloc(u->body, cap);
    if (nb == NULL) return false;
    u->body = nb;
    u->cap = cap;
  }
  memcpy(u->body + u->len, data, n);
  u->len += n;
  return true;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls) {
  (void)version;
  mimi_server *srv = cls;
  upload *u = *con_cls;
  if (u == NULL) {
    if ((u = calloc(1, sizeof *u)) == NULL) return MHD_NO;
    *con_cls = u;
    return MHD_YES;
  }
  if (*upload_data_size > 0) {
    bool ok = append(u, upload_data, *upload_data_size);
    *upload_data_size = 0;
    return ok ? MHD_YES : MHD_NO;
  }
  char names[MAX_SANS][MAX_NAME];
  size_t n_names = peer_names(conn, names);
  mimi_http_request req = {
      .method = method,
      .path = url,
      .path_len = strlen(url),
      .host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST),
      .from = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_FROM),
      .authorization =
          MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION),
      .content_type =
          MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE),
      .body = u->body,
      .body_len = u->len,
  };
  req.peer_domain = pick_peer(names, n_names, req.from);
  mimi_http_response resp = {0};
  if (u->too_large) prov_error(&resp, 413, "request body too large");
  else if (has_query(conn)) prov_error(&resp, 400, "query strings are not accepted");
  else mimi_provider_handle(srv->p, &req, (uint64_t)time(NULL), &resp);
  enum MHD_Result ret = send_response(conn, &resp);
  mimi_http_response_free(&resp);
  return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
  (void)cls;
  (void)conn;
  (void)toe;
  upload *u = *con_cls;
  if (u == NULL) return;
  if (u->body) mimi_secure_zero(u->body, u->cap);
  free(u->body);
  free(u);
  *con_cls = NULL;
}

static void free_server(mimi_server *s) {
  if (s->key) mimi_secure_zero(s->key, strlen(s->key));
  free(s->cert);
  free(s->key);
  free(s->ca);
  free(s);
}

mimi_err mimi_server_start(const mimi_provider *p, mimi_server **out) {
  if (p == NULL || p->cfg == NULL || out == NULL) return MIMI_ERR_INVALID_ARG;
  const mimi_provider_config *cfg = p->cfg;
  mimi_server *s = calloc(1, sizeof *s);
  if (s == NULL) return MIMI_ERR_NOMEM;
  s->p = p;
  s->cert = read_text(cfg->cert_file);
  s->key = read_text(cfg->key_file);
  s->ca = read_text(cfg->ca_file);
  struct sockaddr_in a4;
  struct sockaddr_in6 a6;
  memset(&a4, 0, sizeof a4);
  memset(&a6, 0, sizeof a6);
  unsigned flags = MHD_USE_TLS | MHD_USE_INTERNAL_POLLING_THREAD;
  const struct sockaddr *addr = NULL;
  if (inet_pton(AF_INET, cfg->listen, &a4.sin_addr) == 1) {
    a4.sin_family = AF_INET;
    a4.sin_port = htons(cfg->port);
    addr = (const struct sockaddr *)&a4;
  } else if (inet_pton(AF_INET6, cfg->listen, &a6.sin6_addr) == 1) {
    a6.sin6_family = AF_INET6;
    a6.sin6_port = htons(cfg->port);
    addr = (const struct sockaddr *)&a6;
    flags |= MHD_USE_IPv6;
  }
  if (s->cert == NULL || s->key == NULL || s->ca == NULL || addr == NULL) {
    free_server(s);
    return MIMI_ERR_PROVIDER_CONFIG;
  }
  s->daemon = MHD_start_daemon(
      flags, cfg->port, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, addr,
      MHD_OPTION_HTTPS_MEM_CERT, s->cert, MHD_OPTION_HTTPS_MEM_KEY, s->key,
      MHD_OPTION_HTTPS_MEM_TRUST, s->ca, MHD_OPTION_UNESCAPE_CALLBACK, keep_escapes, NULL,
      MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_CONNECTION_TIMEOUT,
      (unsigned)30, MHD_OPTION_CONNECTION_LIMIT, (unsigned)256, MHD_OPTION_END);
  if (s->daemon == NULL) {
    free_server(s);
    return MIMI_ERR_HTTP;
  }
  const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
  s->port = di ? di->port : cfg->port;
  *out = s;
  return MIMI_OK;
}

uint16_t mimi_server_port(const mimi_server *s) { return s ? s->port : 0; }

void mimi_server_stop(mimi_server *s) {
  if (s == NULL) return;
  MHD_stop_daemon(s->daemon);
  free_server(s);
}
