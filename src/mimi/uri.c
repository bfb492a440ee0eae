/*
 * uri.c — parsing, validation and canonical form of mimi:// identifier URIs
 * (draft-mahy-mimi-identity-05 §4, draft-ietf-mimi-protocol-06 §2, RFC 3986).
 *
 * The drafts give examples rather than a grammar; the rules applied here and
 * why are in docs/spec-notes.md ("Identity"). Parser and builder meet in
 * make_uri(), so a parsed URI and one built from the same decoded components
 * always have the same canonical text.
 */
#include <stdlib.h>
#include <string.h>

#include "mimi/identity.h"
#include "text_util.h"

#define MAX_SEGS 2
#define MAX_HOST 253 /* RFC 1035 §2.3.4, without the trailing dot */
#define MAX_LABEL 63

typedef struct {
  char letter;
  mimi_uri_kind kind;
  size_t min_segs, max_segs; /* identifier segments after the type letter */
} kind_info;

/* draft-mahy-mimi-identity-05 §4, table "types of MIMI URI identifiers". */
static const kind_info kinds[] = {
    {'u', MIMI_URI_USER, 1, 1},  {'p', MIMI_URI_PSEUDONYM, 1, 1}, {'d', MIMI_URI_CLIENT, 1, 2},
    {'r', MIMI_URI_ROOM, 1, 1},  {'g', MIMI_URI_GROUP, 1, 1},     {'t', MIMI_URI_TEAM, 1, 1},
};

static const kind_info *kind_by_letter(char c) {
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
    if (kinds[i].letter == c) return &kinds[i];
  return NULL;
}

static const kind_info *kind_by_kind(mimi_uri_kind k) {
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
    if (kinds[i].kind == k) return &kinds[i];
  return NULL;
}

const char *mimi_uri_kind_name(mimi_uri_kind kind) {
  switch (kind) {
  case MIMI_URI_PROVIDER: return "provider";
  case MIMI_URI_USER: return "user";
  case MIMI_URI_PSEUDONYM: return "pseudonym";
  case MIMI_URI_CLIENT: return "client";
  case MIMI_URI_ROOM: return "room";
  case MIMI_URI_GROUP: return "group";
  case MIMI_URI_TEAM: return "team";
  }
  return "?";
}

/* RFC 3986 §2.3 / §2.2 */
static bool is_unreserved(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '.' || c == '_' || c == '~';
}
static bool is_sub_delim(unsigned char c) { return c != '\0' && strchr("!$&'()*+,;=", c) != NULL; }
/* pchar minus pct-encoded: what may stand unencoded in a path segment. */
static bool is_pchar_raw(unsigned char c) {
  return is_unreserved(c) || is_sub_delim(c) || c == ':' || c == '@';
}

static int hex_val(unsigned char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static char lower(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c; }

/* Percent-decodes text[0..n) into out (at least n bytes). Raw octets must
 * satisfy allowed(); every %XX must have two hex digits. */
static mimi_err pct_decode(const char *text, size_t n, bool (*allowed)(unsigned char),
                           char *out, size_t *out_len) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)text[i];
    if (c == '%') {
      if (n - i < 3) return MIMI_ERR_BAD_URI;
      int hi = hex_val((unsigned char)text[i + 1]), lo = hex_val((unsigned char)text[i + 2]);
      if (hi < 0 || lo < 0) return MIMI_ERR_BAD_URI;
      out[k++] = (char)(hi << 4 | lo);
      i += 2;
    } else if (allowed(c)) {
      out[k++] = (char)c;
    } else {
      return MIMI_ERR_BAD_URI;
    }
  }
  *out_len = k;
  return MIMI_OK;
}

/* A decoded identifier value: non-empty, not a dot segment (RFC 3986 §5.2.4
 * would rewrite the path), clean UTF-8 — it will be displayed. */
static mimi_err check_value(const char *v, size_t n) {
  if (n == 0) return MIMI_ERR_BAD_URI;
  if ((n == 1 && v[0] == '.') || (n == 2 && v[0] == '.' && v[1] == '.')) return MIMI_ERR_BAD_URI;
  if (!mimi_text_is_clean_utf8((const uint8_t *)v, n)) return MIMI_ERR_BAD_URI;
  return MIMI_OK;
}

/* A provider is a DNS name (draft-ietf-mimi-protocol-06 §2): LDH labels of
 * 1..63 octets, no leading/trailing hyphen, at most 253 octets, not an IPv4
 * address (RFC 3986 §3.2.2 tries IPv4address first; a numeric top label
 * never names a domain, RFC 3696 §2). Input already lowercased. */
static mimi_err check_host(const char *h, size_t n) {
  if (n == 0 || n > MAX_HOST) return MIMI_ERR_BAD_URI;
  size_t start = 0;
  bool all_digits = true;
  for (size_t i = 0; i <= n; i++) {
    if (i == n || h[i] == '.') {
      size_t len = i - start;
      if (len == 0 || len > MAX_LABEL) return MIMI_ERR_BAD_URI;
      if (h[start] == '-' || h[i - 1] == '-') return MIMI_ERR_BAD_URI;
      if (i == n && all_digits) return MIMI_ERR_BAD_URI;
      start = i + 1;
      all_digits = true;
      continue;
    }
    char c = h[i];
    if (c >= '0' && c <= '9') continue;
    all_digits = false;
    if (!((c >= 'a' && c <= 'z') || c == '-')) return MIMI_ERR_BAD_URI;
  }
  return MIMI_OK;
}

/* Appends the canonical encoding of a segment value to buf (cap MIMI_URI_MAX_LEN). */
static mimi_err put_segment(char *buf, size_t *pos, const char *v, size_t n) {
  static const char hex[] = "0123456789ABCDEF";
  if (*pos + 1 > MIMI_URI_MAX_LEN) return MIMI_ERR_BAD_URI;
  buf[(*pos)++] = '/';
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)v[i];
    if (is_pchar_raw(c)) {
      if (*pos + 1 > MIMI_URI_MAX_LEN) return MIMI_ERR_BAD_URI;
      buf[(*pos)++] = (char)c;
    } else {
      if (*pos + 3 > MIMI_URI_MAX_LEN) return MIMI_ERR_BAD_URI;
      buf[(*pos)++] = '%';
      buf[(*pos)++] = hex[c >> 4];
      buf[(*pos)++] = hex[c & 15];
    }
  }
  return MIMI_OK;
}

typedef struct {
  const char *p;
  size_t n;
} span;

/* Builds *out from validated, decoded components: host is lowercase and
 * checked, segs are checked values (count valid for kind). */
static mimi_err make_uri(mimi_uri_kind kind, span host, const span *segs, size_t nsegs,
                         mimi_uri *out) {
  char canon[MIMI_URI_MAX_LEN];
  size_t clen = 0;
  static const char scheme[] = "mimi://";
  if (sizeof scheme - 1 + host.n > MIMI_URI_MAX_LEN) return MIMI_ERR_BAD_URI;
  memcpy(canon, scheme, sizeof scheme - 1);
  clen = sizeof scheme - 1;
  memcpy(canon + clen, host.p, host.n);
  clen += host.n;
  if (kind != MIMI_URI_PROVIDER) {
    const kind_info *ki = kind_by_kind(kind);
    char letter = ki->letter;
    MIMI_TRY(put_segment(canon, &clen, &letter, 1));
    for (size_t i = 0; i < nsegs; i++) MIMI_TRY(put_segment(canon, &clen, segs[i].p, segs[i].n));
  }

  size_t total = clen + 1 + host.n + 1;
  for (size_t i = 0; i < nsegs; i++) total += segs[i].n + 1;
  char *buf = malloc(total);
  if (!buf) return MIMI_ERR_NOMEM;

  mimi_uri u;
  memset(&u, 0, sizeof u);
  u.kind = kind;
  u.buf_ = buf;
  char *w = buf;
  memcpy(w, canon, clen);
  w[clen] = '\0';
  u.canonical = w;
  u.canonical_len = clen;
  w += clen + 1;
  memcpy(w, host.p, host.n);
  w[host.n] = '\0';
  u.provider = w;
  w += host.n + 1;
  const char *vals[MAX_SEGS] = {NULL, NULL};
  for (size_t i = 0; i < nsegs; i++) {
    memcpy(w, segs[i].p, segs[i].n);
    w[segs[i].n] = '\0';
    vals[i] = w;
    w += segs[i].n + 1;
  }
  switch (kind) {
  case MIMI_URI_PROVIDER: break;
  case MIMI_URI_USER:
  case MIMI_URI_PSEUDONYM: u.user = vals[0]; break;
  case MIMI_URI_CLIENT:
    if (nsegs == 2) {
      u.user = vals[0];
      u.device = vals[1];
    } else {
      u.device = vals[0];
    }
    break;
  case MIMI_URI_ROOM: u.room = vals[0]; break;
  case MIMI_URI_GROUP: u.group = vals[0]; break;
  case MIMI_URI_TEAM: u.team = vals[0]; break;
  }
  *out = u;
  return MIMI_OK;
}

static bool host_raw_ok(unsigned char c) { return is_unreserved(c); }

mimi_err mimi_uri_parse(const char *text, size_t len, mimi_uri *out) {
  if (!text || !out) return MIMI_ERR_INVALID_ARG;
  if (len == 0 || len > MIMI_URI_MAX_LEN) return MIMI_ERR_BAD_URI;
  /* scheme ":" "//" authority: RFC 3986 §3.1 scheme is case-insensitive. */
  static const char scheme[] = "mimi://";
  const size_t slen = sizeof scheme - 1;
  if (len < slen) return MIMI_ERR_BAD_URI;
  for (size_t i = 0; i < slen; i++)
    if (lower(text[i]) != scheme[i]) return MIMI_ERR_BAD_URI;

  size_t pos = slen, auth_end = slen;
  while (auth_end < len && text[auth_end] != '/') auth_end++;

  /* Decoded host plus decoded segments never exceed the input length. */
  char scratch[MIMI_URI_MAX_LEN];
  size_t used = 0, hlen = 0;
  /* userinfo "@", port ":", IP-literal "[" and "?"/"#" are all outside
   * host_raw_ok, so they fail here with the rest. */
  MIMI_TRY(pct_decode(text + pos, auth_end - pos, host_raw_ok, scratch, &hlen));
  for (size_t i = 0; i < hlen; i++) scratch[i] = lower(scratch[i]);
  MIMI_TRY(check_host(scratch, hlen));
  span host = {scratch, hlen};
  used = hlen;
  pos = auth_end;

  if (pos == len) return make_uri(MIMI_URI_PROVIDER, host, NULL, 0, out);

  /* path-abempty: "/" type ("/" segment){1,2} */
  span segs[MAX_SEGS];
  size_t nsegs = 0;
  const kind_info *ki = NULL;
  while (pos < len) {
    pos++; /* the '/' */
    size_t end = pos;
    while (end < len && text[end] != '/') end++;
    size_t dlen = 0;
    MIMI_TRY(pct_decode(text + pos, end - pos, is_pchar_raw, scratch + used, &dlen));
    span seg = {scratch + used, dlen};
    used += dlen;
    if (!ki) {
      if (dlen != 1 || !(ki = kind_by_letter(seg.p[0]))) return MIMI_ERR_BAD_URI;
    } else {
      if (nsegs == ki->max_segs) return MIMI_ERR_BAD_URI;
      MIMI_TRY(check_value(seg.p, seg.n));
      segs[nsegs++] = seg;
    }
    pos = end;
  }
  if (!ki || nsegs < ki->min_segs || nsegs > ki->max_segs) return MIMI_ERR_BAD_URI;
  return make_uri(ki->kind, host, segs, nsegs, out);
}

mimi_err mimi_uri_build(const mimi_uri *parts, mimi_uri *out) {
  if (!parts || !out) return MIMI_ERR_INVALID_ARG;
  if (!parts->provider) return MIMI_ERR_BAD_URI;
  char host[MAX_HOST];
  size_t hlen = strlen(parts->provider);
  if (hlen == 0 || hlen > MAX_HOST) return MIMI_ERR_BAD_URI;
  for (size_t i = 0; i < hlen; i++) host[i] = lower(parts->provider[i]);
  MIMI_TRY(check_host(host, hlen));

  const char *vals[MAX_SEGS] = {NULL, NULL};
  size_t n = 0;
  switch (parts->kind) {
  case MIMI_URI_PROVIDER: break;
  case MIMI_URI_USER:
  case MIMI_URI_PSEUDONYM: vals[n++] = parts->user; break;
  case MIMI_URI_CLIENT:
    if (parts->user) vals[n++] = parts->user;
    vals[n++] = parts->device;
    break;
  case MIMI_URI_ROOM: vals[n++] = parts->room; break;
  case MIMI_URI_GROUP: vals[n++] = parts->group; break;
  case MIMI_URI_TEAM: vals[n++] = parts->team; break;
  default: return MIMI_ERR_BAD_URI;
  }
  span segs[MAX_SEGS];
  for (size_t i = 0; i < n; i++) {
    if (!vals[i]) return MIMI_ERR_BAD_URI;
    size_t vlen = strnlen(vals[i], MIMI_URI_MAX_LEN + 1);
    if (vlen > MIMI_URI_MAX_LEN) return MIMI_ERR_BAD_URI;
    MIMI_TRY(check_value(vals[i], vlen));
    segs[i].p = vals[i];
    segs[i].n = vlen;
  }
  span h = {host, hlen};
  return make_uri(parts->kind, h, segs, n, out);
}

mimi_err mimi_uri_canonicalize(const char *text, size_t len, char **out) {
  if (!out) return MIMI_ERR_INVALID_ARG;
  mimi_uri u;
  MIMI_TRY(mimi_uri_parse(text, len, &u));
  char *s = malloc(u.canonical_len + 1);
  if (!s) {
    mimi_uri_free(&u);
    return MIMI_ERR_NOMEM;
  }
  memcpy(s, u.canonical, u.canonical_len + 1);
  mimi_uri_free(&u);
  *out = s;
  return MIMI_OK;
}

mimi_err mimi_uri_user_of(const mimi_uri *client, mimi_uri *out) {
  if (!client || !out || client->kind != MIMI_URI_CLIENT) return MIMI_ERR_INVALID_ARG;
  if (!client->user) return MIMI_ERR_NOT_FOUND;
  mimi_uri parts;
  memset(&parts, 0, sizeof parts);
  parts.kind = MIMI_URI_USER;
  parts.provider = client->provider;
  parts.user = client->user;
  return mimi_uri_build(&parts, out);
}

bool mimi_uri_equal(const mimi_uri *a, const mimi_uri *b) {
  return a->canonical_len == b->canonical_len &&
         memcmp(a->canonical, b->canonical, a->canonical_len) == 0;
}

void mimi_uri_free(mimi_uri *uri) {
  if (!uri) return;
  free(uri->buf_);
  memset(uri, 0, sizeof *uri);
}
