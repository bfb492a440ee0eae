/* config.c — the mimid configuration file: `key = value` lines. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mimi/provider.h"

static char *dup_range(const char *s, size_t n) {
  char *p = malloc(n + 1);
  if (p == NULL) return NULL;
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

/* Values are printable ASCII: they end up in URLs, paths and headers. */
static bool printable(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s < 0x21 || (unsigned char)*s > 0x7e) return false;
  return true;
}

static bool valid_domain(const char *d) {
  size_t n = strlen(d);
  if (n == 0 || n > 253 || d[0] == '.' || d[0] == '-' || d[n - 1] == '.') return false;
  for (const char *p = d; *p; p++) {
    char c = *p;
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
      return false;
    if (c == '.' && p[1] == '.') return false;
  }
  return true;
}

static bool https_url(const char *u) { return strncmp(u, "https://", 8) == 0 && u[8] != '\0'; }

/* Splits "a b [c]" into up to three words; returns the count (4 = too many). */
static size_t split_words(char *v, char *w[3]) {
  size_t n = 0;
  char *save = NULL;
  for (char *t = strtok_r(v, " \t", &save); t != NULL; t = strtok_r(NULL, " \t", &save)) {
    if (n == 3) return 4;
    w[n++] = t;
  }
  return n;
}

static mimi_err set_once(char **slot, const char *v) {
  if (*slot != NULL) return MIMI_ERR_PROVIDER_CONFIG;
  *slot = strdup(v);
  return *slot ? MIMI_OK : MIMI_ERR_NOMEM;
}

static mimi_err add_peer(mimi_provider_config *c, char *v) {
  char *w[3] = {NULL, NULL, NULL};
  size_t n = split_words(v, w);
  if (n < 2 || n > 3 || !valid_domain(w[0]) || !https_url(w[1])) return MIMI_ERR_PROVIDER_CONFIG;
  if (mimi_provider_config_peer(c, w[0]) != NULL) return MIMI_ERR_PROVIDER_CONFIG;
  if (c->n_peers == MIMI_PROVIDER_MAX_PEERS) return MIMI_ERR_TOO_LARGE;
  mimi_peer_config *p = &c->peers[c->n_peers];
  p->domain = strdup(w[0]);
  /* A trailing '/' would double up when paths are appended. */
  size_t ul = strlen(w[1]);
  while (ul > 8 && w[1][ul - 1] == '/') ul--;
  p->base_url = dup_range(w[1], ul);
  p->connect_ip = n == 3 ? strdup(w[2]) : NULL;
  c->n_peers++;
  if (!p->domain || !p->base_url || (n == 3 && !p->connect_ip)) return MIMI_ERR_NOMEM;
  return MIMI_OK;
}

static mimi_err set_port(mimi_provider_config *c, const char *v, bool *seen) {
  if (*seen) return MIMI_ERR_PROVIDER_CONFIG;
  char *end = NULL;
  errno = 0;
  long port = strtol(v, &end, 10);
  if (errno || end == v || *end != '\0' || port < 0 || port > 65535)
    return MIMI_ERR_PROVIDER_CONFIG;
  c->port = (uint16_t)port;
  *seen = true;
  return MIMI_OK;
}

static mimi_err apply(mimi_provider_config *c, const char *key, char *v, bool *port_seen) {
  if (strcmp(key, "peer") == 0) return add_peer(c, v);
  if (!printable(v)) return MIMI_ERR_PROVIDER_CONFIG;
  if (strcmp(key, "port") == 0) return set_port(c, v, port_seen);
  if (strcmp(key, "domain") == 0) {
    if (!valid_domain(v)) return MIMI_ERR_PROVIDER_CONFIG;
    return set_once(&c->domain, v);
  }
  if (strcmp(key, "base_path") == 0) {
    /* "" is not expressible; a base is "/seg[/seg...]" without a trailing '/'. */
    size_t n = strlen(v);
    if (v[0] != '/' || n < 2 || v[n - 1] == '/') return MIMI_ERR_PROVIDER_CONFIG;
    return set_once(&c->base_path, v);
  }
  if (strcmp(key, "public_url") == 0) {
    if (!https_url(v)) return MIMI_ERR_PROVIDER_CONFIG;
    return set_once(&c->public_url, v);
  }
  static const struct {
    const char *key;
    size_t offset;
  } plain[] = {
      {"listen", offsetof(mimi_provider_config, listen)},
      {"port_file", offsetof(mimi_provider_config, port_file)},
      {"cert", offsetof(mimi_provider_config, cert_file)},
      {"key", offsetof(mimi_provider_config, key_file)},
      {"ca", offsetof(mimi_provider_config, ca_file)},
      {"db", offsetof(mimi_provider_config, db_path)},
      {"admin_token", offsetof(mimi_provider_config, admin_token)},
  };
  for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
    if (strcmp(key, plain[i].key) == 0)
      return set_once((char **)((char *)c + plain[i].offset), v);
  return MIMI_ERR_PROVIDER_CONFIG;
}

static mimi_err defaults(mimi_provider_config *c) {
  if (c->listen == NULL && (c->listen = strdup("127.0.0.1")) == NULL) return MIMI_ERR_NOMEM;
  if (c->base_path == NULL && (c->base_path = strdup("/v1")) == NULL) return MIMI_ERR_NOMEM;
  if (c->public_url == NULL) {
    size_t n = strlen("https://") + strlen(c->domain) + strlen(c->base_path) + 1;
    if ((c->public_url = malloc(n)) == NULL) return MIMI_ERR_NOMEM;
    snprintf(c->public_url, n, "https://%s%s", c->domain, c->base_path);
  }
  return MIMI_OK;
}

mimi_err mimi_provider_config_parse(const char *text, size_t len, mimi_provider_config *out,
                                    size_t *bad_line) {
  if (text == NULL || out == NULL || bad_line == NULL) return MIMI_ERR_INVALID_ARG;
  mimi_provider_config c;
  memset(&c, 0, sizeof c);
  bool port_seen = false;
  size_t line_no = 0, pos = 0;
  mimi_err err = MIMI_OK;
  /* A NUL inside the text would silently cut a line short. */
  if (memchr(text, '\0', len) != NULL) {
    *bad_line = 0;
    return MIMI_ERR_PROVIDER_CONFIG;
  }
  while (pos < len && err == MIMI_OK) {
    size_t end = pos;
    while (end < len && text[end] != '\n') end++;
    line_no++;
    char *line = dup_range(text + pos, end - pos);
    pos = end + 1;
    if (line == NULL) {
      err = MIMI_ERR_NOMEM;
      break;
    }
    char *hash = strchr(line, '#');
    if (hash) *hash = '\0';
    char *s = line;
    while (is_space(*s)) s++;
    size_t n = strlen(s);
    while (n && is_space(s[n - 1])) s[--n] = '\0';
    if (n > 0) {
      char *eq = strchr(s, '=');
      if (eq == NULL) {
        err = MIMI_ERR_PROVIDER_CONFIG;
      } else {
        char *k = s, *v = eq + 1;
        char *ke = eq;
        while (ke > k && is_space(ke[-1])) ke--;
        *ke = '\0';
        while (is_space(*v)) v++;
        err = *k && *v ? apply(&c, k, v, &port_seen) : MIMI_ERR_PROVIDER_CONFIG;
      }
    }
    free(line);
  }
  if (err == MIMI_OK && (c.domain == NULL || c.db_path == NULL)) {
    err = MIMI_ERR_PROVIDER_CONFIG;
    line_no = 0;
  }
  if (err == MIMI_OK) err = defaults(&c);
  if (err != MIMI_OK) {
    mimi_provider_config_free(&c);
    *bad_line = line_no;
    return err;
  }
  *out = c;
  return MIMI_OK;
}

mimi_err mimi_provider_config_load(const char *path, mimi_provider_config *out,
                                   size_t *bad_line) {
  if (path == NULL) return MIMI_ERR_INVALID_ARG;
  FILE *f = fopen(path, "rb");
  if (f == NULL) return MIMI_ERR_NOT_FOUND;
  char *buf = NULL;
  size_t len = 0, cap = 0;
  mimi_err err = MIMI_OK;
  for (;;) {
    if (len == cap) {
      if (cap >= (1u << 20)) {
        err = MIMI_ERR_TOO_LARGE;
        break;
      }
      cap = cap ? 2 * cap : 4096;
      char *nb = realloc(buf, cap);
      if (nb == NULL) {
        err = MIMI_ERR_NOMEM;
        break;
      }
      buf = nb;
    }
    size_t got = fread(buf + len, 1, cap - len, f);
    len += got;
    if (got == 0) break;
  }
  if (err == MIMI_OK && ferror(f)) err = MIMI_ERR_NOT_FOUND;
  fclose(f);
  if (err == MIMI_OK) err = mimi_provider_config_parse(buf ? buf : "", len, out, bad_line);
  if (buf) mimi_secure_zero(buf, cap); /* may hold the admin token */
  free(buf);
  return err;
}

void mimi_provider_config_free(mimi_provider_config *c) {
  if (c == NULL) return;
  char *fields[] = {c->domain,    c->listen,  c->port_file,  c->cert_file,   c->key_file,
                    c->ca_file,   c->db_path, c->base_path,  c->public_url};
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) free(fields[i]);
  if (c->admin_token) {
    mimi_secure_zero(c->admin_token, strlen(c->admin_token));
    free(c->admin_token);
  }
  for (size_t i = 0; i < c->n_peers; i++) {
    free(c->peers[i].domain);
    free(c->peers[i].base_url);
    free(c->peers[i].connect_ip);
  }
  memset(c, 0, sizeof *c);
}

const mimi_peer_config *mimi_provider_config_peer(const mimi_provider_config *c,
                                                  const char *domain) {
  if (c == NULL || domain == NULL) return NULL;
  for (size_t i = 0; i < c->n_peers; i++)
    if (strcasecmp(c->peers[i].domain, domain) == 0) return &c->peers[i];
  return NULL;
}
