/* protocol_endpoints.c — the MIMI endpoint table (method, path, parameter,
 * body types, media types) and strict matching of request paths to it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mimi/identity.h"
#include "mimi/protocol.h"
#include "protocol_internal.h"

/* The draft names no media type; TLS-encoded bodies are sent as octet
 * streams (docs/spec-notes.md "MIMI protocol"). */
#define TLS_BODY "application/octet-stream"

static const mimi_endpoint endpoints[MIMI_EP_COUNT] = {
    {MIMI_EP_DIRECTORY, NULL, "GET", MIMI_DIRECTORY_PATH, NULL, NULL, MIMI_PARAM_NONE, NULL,
     false, NULL, NULL, "application/json", 200},
    {MIMI_EP_KEY_MATERIAL, "keyMaterial", "POST", "/keyMaterial/{targetUser}", "keyMaterial",
     "targetUser", MIMI_PARAM_USER_URI, mimi_key_material_request_type, false,
     mimi_key_material_response_type, TLS_BODY, TLS_BODY, 200},
    {MIMI_EP_UPDATE, "update", "POST", "/update/{roomId}", "update", "roomId",
     MIMI_PARAM_ROOM_URI, mimi_handshake_bundle_type, false, mimi_update_room_response_type,
     TLS_BODY, TLS_BODY, 200},
    {MIMI_EP_NOTIFY, "notify", "POST", "/notify/{roomId}", "notify", "roomId",
     MIMI_PARAM_ROOM_URI, mimi_fanout_message_type, true, NULL, TLS_BODY, NULL, 201},
    {MIMI_EP_SUBMIT_MESSAGE, "submitMessage", "POST", "/submitMessage/{roomId}", "submitMessage",
     "roomId", MIMI_PARAM_ROOM_URI, mimi_submit_message_request_type, false,
     mimi_submit_message_response_type, TLS_BODY, TLS_BODY, 200},
    {MIMI_EP_GROUP_INFO, "groupInfo", "POST", "/groupInfo/{roomId}", "groupInfo", "roomId",
     MIMI_PARAM_ROOM_URI, mimi_group_info_request_type, false, mimi_group_info_response_type,
     TLS_BODY, TLS_BODY, 200},
    {MIMI_EP_REQUEST_CONSENT, "requestConsent", "POST", "/requestConsent/{targetDomain}",
     "requestConsent", "targetDomain", MIMI_PARAM_DOMAIN, mimi_consent_entry_type, false, NULL,
     TLS_BODY, NULL, 201},
    {MIMI_EP_UPDATE_CONSENT, "updateConsent", "POST", "/updateConsent/{requesterDomain}",
     "updateConsent", "requesterDomain", MIMI_PARAM_DOMAIN, mimi_consent_entry_type, false, NULL,
     TLS_BODY, NULL, 201},
    {MIMI_EP_IDENTIFIER_QUERY, "identifierQuery", "POST", "/identifierQuery/{domain}",
     "identifierQuery", "domain", MIMI_PARAM_DOMAIN, mimi_identifier_request_type, false,
     mimi_identifier_response_type, TLS_BODY, TLS_BODY, 200},
    {MIMI_EP_REPORT_ABUSE, "reportAbuse", "POST", "/reportAbuse/{roomId}", "reportAbuse",
     "roomId", MIMI_PARAM_ROOM_URI, mimi_abuse_report_type, false, NULL, TLS_BODY, NULL, 201},
    {MIMI_EP_PROXY_DOWNLOAD, "proxyDownload", "GET", "/proxyDownload/{downloadUrl}",
     "proxyDownload", "downloadUrl", MIMI_PARAM_HTTPS_URL, NULL, false, NULL, NULL, NULL, 200},
};

const mimi_endpoint *mimi_endpoint_get(mimi_endpoint_id id) {
  return ((unsigned)id < MIMI_EP_COUNT) ? &endpoints[id] : NULL;
}

/* RFC 3986 §2.3 unreserved, §2.2 sub-delims, and pchar's ":" / "@". */
static bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '.' || c == '_' || c == '~';
}
static bool is_pchar(unsigned char c) {
  return is_unreserved(c) || (c != 0 && strchr("!$&'()*+,;=:@", c) != NULL);
}
static int hexval(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static bool is_dot_segment(const char *s, size_t n) {
  return (n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.');
}

/* Checks the raw bytes of one segment and percent-decodes it into a fresh
 * NUL-terminated string. */
static mimi_err decode_segment(const char *s, size_t n, char **out, size_t *out_len) {
  if (n == 0 || is_dot_segment(s, n)) return MIMI_ERR_PROTO_BAD_PATH;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '%') {
      if (i + 2 >= n) return MIMI_ERR_PROTO_BAD_PERCENT;
      if (hexval((unsigned char)s[i + 1]) < 0 || hexval((unsigned char)s[i + 2]) < 0)
        return MIMI_ERR_PROTO_BAD_PERCENT;
      i += 2;
    } else if (!is_pchar(c)) {
      return MIMI_ERR_PROTO_BAD_PATH;
    }
  }
  char *d = malloc(n + 1);
  if (d == NULL) return MIMI_ERR_NOMEM;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '%') {
      d[k++] = (char)(hexval((unsigned char)s[i + 1]) * 16 + hexval((unsigned char)s[i + 2]));
      i += 2;
    } else {
      d[k++] = s[i];
    }
  }
  d[k] = '\0';
  mimi_err err = MIMI_OK;
  if (is_dot_segment(d, k)) err = MIMI_ERR_PROTO_BAD_PATH;
  for (size_t i = 0; err == MIMI_OK && i < k; i++)
    if ((unsigned char)d[i] < 0x20 || (unsigned char)d[i] == 0x7f) err = MIMI_ERR_PROTO_BAD_PARAM;
  if (err != MIMI_OK) {
    free(d);
    return err;
  }
  *out = d;
  *out_len = k;
  return MIMI_OK;
}

/* https://authority[/path-abempty][?query] with only visible ASCII, an
 * authority without userinfo, and no fragment. */
static bool is_https_url(const char *s, size_t n) {
  static const char scheme[] = "https://";
  size_t sl = sizeof scheme - 1;
  if (n <= sl) return false;
  for (size_t i = 0; i < sl; i++)
    if ((s[i] | (i < 5 ? 0x20 : 0)) != scheme[i]) return false;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f || s[i] == '#') return false;
  size_t end = sl;
  while (end < n && s[end] != '/' && s[end] != '?') end++;
  if (end == sl) return false;
  for (size_t i = sl; i < end; i++)
    if (s[i] == '@') return false;
  return true;
}

mimi_err mimi_proto_check_param(mimi_param_kind kind, const char *v, size_t n) {
  mimi_uri uri;
  switch (kind) {
    case MIMI_PARAM_USER_URI:
    case MIMI_PARAM_ROOM_URI: {
      if (mimi_uri_parse(v, n, &uri) != MIMI_OK) return MIMI_ERR_PROTO_BAD_PARAM;
      bool ok = kind == MIMI_PARAM_ROOM_URI
                    ? uri.kind == MIMI_URI_ROOM
                    : (uri.kind == MIMI_URI_USER || uri.kind == MIMI_URI_PSEUDONYM);
      mimi_uri_free(&uri);
      return ok ? MIMI_OK : MIMI_ERR_PROTO_BAD_PARAM;
    }
    case MIMI_PARAM_DOMAIN: {
      /* A domain is exactly the authority of a provider URI. */
      if (n == 0 || n > MIMI_URI_MAX_LEN - 7 || memchr(v, '/', n) != NULL)
        return MIMI_ERR_PROTO_BAD_PARAM;
      char buf[MIMI_URI_MAX_LEN + 1];
      memcpy(buf, "mimi://", 7);
      memcpy(buf + 7, v, n);
      if (mimi_uri_parse(buf, n + 7, &uri) != MIMI_OK) return MIMI_ERR_PROTO_BAD_PARAM;
      bool ok = uri.kind == MIMI_URI_PROVIDER;
      mimi_uri_free(&uri);
      return ok ? MIMI_OK : MIMI_ERR_PROTO_BAD_PARAM;
    }
    case MIMI_PARAM_HTTPS_URL:
      return is_https_url(v, n) ? MIMI_OK : MIMI_ERR_PROTO_BAD_PARAM;
    default:
      return MIMI_ERR_INTERNAL;
  }
}

static bool base_ok(const char *base) {
  size_t n = strlen(base);
  if (n == 0) return true;
  if (base[0] != '/' || base[n - 1] == '/') return false;
  return n < MIMI_PROTO_MAX_PATH;
}

mimi_err mimi_endpoint_match(const char *method, const char *path, size_t path_len,
                             const char *base, mimi_route *out) {
  if (method == NULL || path == NULL || base == NULL || out == NULL || !base_ok(base))
    return MIMI_ERR_INVALID_ARG;
  if (path_len > MIMI_PROTO_MAX_PATH) return MIMI_ERR_PROTO_PATH_TOO_LONG;
  if (path_len == 0 || path[0] != '/') return MIMI_ERR_PROTO_BAD_PATH;
  /* Every segment: non-empty, not a dot segment, pchar / '%' only. */
  for (size_t i = 1, start = 1; i <= path_len; i++) {
    if (i < path_len && path[i] != '/') {
      unsigned char c = (unsigned char)path[i];
      if (!is_pchar(c) && c != '%') return MIMI_ERR_PROTO_BAD_PATH;
      continue;
    }
    if (i == start || is_dot_segment(path + start, i - start)) return MIMI_ERR_PROTO_BAD_PATH;
    start = i + 1;
  }

  const mimi_endpoint *ep = NULL;
  size_t dl = strlen(MIMI_DIRECTORY_PATH);
  if (path_len == dl && memcmp(path, MIMI_DIRECTORY_PATH, dl) == 0) {
    ep = &endpoints[MIMI_EP_DIRECTORY];
    if (strcmp(method, ep->method) != 0) return MIMI_ERR_PROTO_BAD_METHOD;
    out->endpoint = ep;
    out->param = NULL;
    out->param_len = 0;
    return MIMI_OK;
  }

  size_t bl = strlen(base);
  if (path_len <= bl + 1 || memcmp(path, base, bl) != 0 || path[bl] != '/')
    return MIMI_ERR_PROTO_UNKNOWN_ENDPOINT;
  const char *rest = path + bl + 1;
  size_t rest_len = path_len - bl - 1;
  const char *slash = memchr(rest, '/', rest_len);
  size_t name_len = slash ? (size_t)(slash - rest) : rest_len;
  for (int i = 1; i < MIMI_EP_COUNT; i++) {
    if (strlen(endpoints[i].segment) == name_len &&
        memcmp(endpoints[i].segment, rest, name_len) == 0)
      ep = &endpoints[i];
  }
  if (ep == NULL) return MIMI_ERR_PROTO_UNKNOWN_ENDPOINT;
  if (strcmp(method, ep->method) != 0) return MIMI_ERR_PROTO_BAD_METHOD;
  /* exactly one parameter segment: a raw '/' inside it is a path error */
  if (slash == NULL) return MIMI_ERR_PROTO_BAD_PATH;
  const char *pseg = slash + 1;
  size_t plen = rest_len - name_len - 1;
  if (memchr(pseg, '/', plen) != NULL) return MIMI_ERR_PROTO_BAD_PATH;

  char *param;
  size_t param_len;
  MIMI_TRY(decode_segment(pseg, plen, &param, &param_len));
  mimi_err err = mimi_proto_check_param(ep->param_kind, param, param_len);
  if (err != MIMI_OK) {
    free(param);
    return err;
  }
  out->endpoint = ep;
  out->param = param;
  out->param_len = param_len;
  return MIMI_OK;
}

void mimi_route_free(mimi_route *r) {
  if (r == NULL) return;
  free(r->param);
  r->param = NULL;
  r->param_len = 0;
  r->endpoint = NULL;
}

mimi_err mimi_proto_encode_param(const mimi_endpoint *ep, const char *param, char **out) {
  if (param == NULL) return MIMI_ERR_INVALID_ARG;
  size_t n = strlen(param);
  if (n == 0 || is_dot_segment(param, n)) return MIMI_ERR_PROTO_BAD_PARAM;
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)param[i] < 0x20 || (unsigned char)param[i] == 0x7f)
      return MIMI_ERR_PROTO_BAD_PARAM;
  MIMI_TRY(mimi_proto_check_param(ep->param_kind, param, n));
  char *s = malloc(3 * n + 1);
  if (s == NULL) return MIMI_ERR_NOMEM;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)param[i];
    if (is_unreserved(c)) {
      s[k++] = (char)c;
    } else {
      snprintf(s + k, 4, "%%%02X", c);
      k += 3;
    }
  }
  s[k] = '\0';
  *out = s;
  return MIMI_OK;
}

mimi_err mimi_endpoint_path(mimi_endpoint_id id, const char *base, const char *param,
                            char **out) {
  const mimi_endpoint *ep = mimi_endpoint_get(id);
  if (ep == NULL || base == NULL || out == NULL || !base_ok(base)) return MIMI_ERR_INVALID_ARG;
  if (id == MIMI_EP_DIRECTORY) {
    char *s = strdup(MIMI_DIRECTORY_PATH);
    if (s == NULL) return MIMI_ERR_NOMEM;
    *out = s;
    return MIMI_OK;
  }
  char *enc;
  MIMI_TRY(mimi_proto_encode_param(ep, param, &enc));
  size_t cap = strlen(base) + 1 + strlen(ep->segment) + 1 + strlen(enc) + 1;
  if (cap - 1 > MIMI_PROTO_MAX_PATH) {
    free(enc);
    return MIMI_ERR_PROTO_PATH_TOO_LONG;
  }
  char *s = malloc(cap);
  if (s == NULL) {
    free(enc);
    return MIMI_ERR_NOMEM;
  }
  snprintf(s, cap, "%s/%s/%s", base, ep->segment, enc);
  free(enc);
  *out = s;
  return MIMI_OK;
}
