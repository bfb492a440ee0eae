/* protocol_directory.c — the MIMI directory document (§Directory): render
 * ours, parse a peer's (strictly: a flat JSON object of ASCII strings), and
 * turn its URL templates into request URLs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mimi/protocol.h"
#include "protocol_internal.h"

/* Longest directory document we read. */
#define MAX_DIRECTORY 65536

mimi_err mimi_directory_render(const char *base_url, char **out) {
  if (base_url == NULL || out == NULL) return MIMI_ERR_INVALID_ARG;
  for (const char *c = base_url; *c; c++)
    if ((unsigned char)*c <= 0x20 || (unsigned char)*c >= 0x7f || *c == '"' || *c == '\\')
      return MIMI_ERR_INVALID_ARG;
  size_t bl = strlen(base_url);
  if (bl > 0 && base_url[bl - 1] == '/') return MIMI_ERR_INVALID_ARG;
  size_t cap = 4;
  for (int i = 1; i < MIMI_EP_COUNT; i++) {
    const mimi_endpoint *e = mimi_endpoint_get((mimi_endpoint_id)i);
    cap += 16 + strlen(e->directory_key) + bl + strlen(e->path_template);
  }
  char *s = malloc(cap);
  if (s == NULL) return MIMI_ERR_NOMEM;
  size_t k = (size_t)snprintf(s, cap, "{");
  for (int i = 1; i < MIMI_EP_COUNT; i++) {
    const mimi_endpoint *e = mimi_endpoint_get((mimi_endpoint_id)i);
    k += (size_t)snprintf(s + k, cap - k, "%s\n  \"%s\": \"%s%s\"", i > 1 ? "," : "",
                          e->directory_key, base_url, e->path_template);
  }
  snprintf(s + k, cap - k, "\n}\n");
  *out = s;
  return MIMI_OK;
}

typedef struct {
  const char *p;
  size_t n, pos;
} jscan;

static void skip_ws(jscan *j) {
  while (j->pos < j->n && strchr(" \t\r\n", j->p[j->pos]) != NULL && j->p[j->pos] != '\0')
    j->pos++;
}

static bool eat(jscan *j, char c) {
  skip_ws(j);
  if (j->pos < j->n && j->p[j->pos] == c) {
    j->pos++;
    return true;
  }
  return false;
}

static int hex4(const char *s) {
  int v = 0;
  for (int i = 0; i < 4; i++) {
    char c = s[i];
    int d = (c >= '0' && c <= '9')   ? c - '0'
            : (c >= 'a' && c <= 'f') ? c - 'a' + 10
            : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                     : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/* A JSON string of printable ASCII (escapes allowed, decoding to printable
 * ASCII) into a fresh NUL-terminated string. */
static mimi_err read_string(jscan *j, char **out) {
  if (!eat(j, '"')) return MIMI_ERR_PROTO_BAD_DIRECTORY;
  char *s = malloc(j->n - j->pos + 1);
  if (s == NULL) return MIMI_ERR_NOMEM;
  size_t k = 0;
  while (j->pos < j->n) {
    unsigned char c = (unsigned char)j->p[j->pos++];
    if (c == '"') {
      s[k] = '\0';
      *out = s;
      return MIMI_OK;
    }
    if (c == '\\') {
      if (j->pos >= j->n) break;
      char e = j->p[j->pos++];
      int v = e == '"' ? '"' : e == '\\' ? '\\' : e == '/' ? '/' : -1;
      if (e == 'u' && j->n - j->pos >= 4) {
        v = hex4(j->p + j->pos);
        j->pos += 4;
      }
      if (v < 0x20 || v >= 0x7f) break;
      c = (unsigned char)v;
    } else if (c < 0x20 || c >= 0x7f) {
      break;
    }
    s[k++] = (char)c;
  }
  free(s);
  return MIMI_ERR_PROTO_BAD_DIRECTORY;
}

/* https://... ending in one "{name}" placeholder. */
static bool template_ok(const char *t) {
  if (strncmp(t, "https://", 8) != 0) return false;
  const char *open = strchr(t, '{');
  if (open == NULL || open == t + 8 || strchr(open + 1, '{') != NULL) return false;
  const char *close = strchr(open, '}');
  if (close == NULL || close[1] != '\0' || close == open + 1) return false;
  for (const char *c = open + 1; c < close; c++)
    if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
          *c == '_'))
      return false;
  for (const char *c = t; c < open; c++)
    if (*c == '}' || *c == '#' || *c == ' ') return false;
  return true;
}

static int key_index(const char *key) {
  for (int i = 1; i < MIMI_EP_COUNT; i++)
    if (strcmp(mimi_endpoint_get((mimi_endpoint_id)i)->directory_key, key) == 0) return i;
  return -1;
}

void mimi_directory_free(mimi_directory *d) {
  if (d == NULL) return;
  for (int i = 0; i < MIMI_EP_COUNT; i++) {
    free(d->url[i]);
    d->url[i] = NULL;
  }
}

static mimi_err parse_members(jscan *j, mimi_directory *d) {
  if (!eat(j, '{')) return MIMI_ERR_PROTO_BAD_DIRECTORY;
  if (eat(j, '}')) return MIMI_OK;
  do {
    char *key = NULL, *val = NULL;
    MIMI_TRY(read_string(j, &key));
    mimi_err err = eat(j, ':') ? read_string(j, &val) : MIMI_ERR_PROTO_BAD_DIRECTORY;
    int idx = err == MIMI_OK ? key_index(key) : -1;
    free(key);
    if (err != MIMI_OK) return err;
    if (idx < 0) { /* a key for an endpoint we do not know */
      free(val);
      continue;
    }
    if (d->url[idx] != NULL || !template_ok(val)) {
      free(val);
      return MIMI_ERR_PROTO_BAD_DIRECTORY;
    }
    d->url[idx] = val;
  } while (eat(j, ','));
  return eat(j, '}') ? MIMI_OK : MIMI_ERR_PROTO_BAD_DIRECTORY;
}

mimi_err mimi_directory_parse(const char *json, size_t len, mimi_directory *out) {
  if (json == NULL || out == NULL) return MIMI_ERR_INVALID_ARG;
  if (len > MAX_DIRECTORY) return MIMI_ERR_TOO_LARGE;
  mimi_directory d;
  memset(&d, 0, sizeof d);
  jscan j = {json, len, 0};
  mimi_err err = parse_members(&j, &d);
  skip_ws(&j);
  if (err == MIMI_OK && j.pos != j.n) err = MIMI_ERR_PROTO_BAD_DIRECTORY;
  if (err != MIMI_OK) {
    mimi_directory_free(&d);
    return err;
  }
  *out = d;
  return MIMI_OK;
}

mimi_err mimi_directory_url(const mimi_directory *d, mimi_endpoint_id id, const char *param,
                            char **out) {
  const mimi_endpoint *ep = mimi_endpoint_get(id);
  if (d == NULL || ep == NULL || id == MIMI_EP_DIRECTORY || out == NULL)
    return MIMI_ERR_INVALID_ARG;
  const char *t = d->url[id];
  if (t == NULL) return MIMI_ERR_NOT_FOUND;
  char *enc;
  MIMI_TRY(mimi_proto_encode_param(ep, param, &enc));
  size_t prefix = (size_t)(strchr(t, '{') - t);
  size_t cap = prefix + strlen(enc) + 1;
  char *s = malloc(cap);
  if (s == NULL) {
    free(enc);
    return MIMI_ERR_NOMEM;
  }
  memcpy(s, t, prefix);
  memcpy(s + prefix, enc, strlen(enc) + 1);
  free(enc);
  *out = s;
  return MIMI_OK;
}
