/*
 * mimi/identity.h — MIMI identifier URIs: providers, users, pseudonyms,
 * clients (devices), rooms, MLS groups and teams as `mimi://` URIs
 * (draft-mahy-mimi-identity-05 §4, draft-ietf-mimi-protocol-06 §2).
 *
 *   mimi://a.example                     provider
 *   mimi://a.example/u/alice             user
 *   mimi://a.example/p/crazykoala75      pseudonym
 *   mimi://a.example/d/ClientA1          client (no user in the URI)
 *   mimi://a.example/d/alice/ClientA1    client of user alice
 *   mimi://a.example/r/clubhouse         room
 *   mimi://a.example/g/TII9t5viBrXiXc    MLS group
 *   mimi://a.example/t/engineering       team
 *
 * Parsing is strict (see docs/spec-notes.md "Identity"): the authority is a
 * bare domain name (no userinfo, port or IP literal), no query or fragment,
 * no empty or dot segments, no raw non-ASCII, and a percent-decoded segment
 * must be UTF-8 without control characters. Everything invalid is
 * MIMI_ERR_BAD_URI.
 *
 * Each parsed URI has one canonical spelling: scheme and host lowercased,
 * and in path segments exactly the octets outside unreserved / sub-delims /
 * ":" / "@" percent-encoded with uppercase hex. Two URIs name the same
 * identifier iff their canonical forms are equal.
 */
#ifndef MIMI_IDENTITY_H
#define MIMI_IDENTITY_H

#include "mimi/base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Longest URI text accepted by the parser and produced by the builder. */
#define MIMI_URI_MAX_LEN 1024

typedef enum {
  MIMI_URI_PROVIDER = 0, /* no path */
  MIMI_URI_USER,         /* /u/<user> */
  MIMI_URI_PSEUDONYM,    /* /p/<user> */
  MIMI_URI_CLIENT,       /* /d/<device> or /d/<user>/<device> */
  MIMI_URI_ROOM,         /* /r/<room> */
  MIMI_URI_GROUP,        /* /g/<group> */
  MIMI_URI_TEAM,         /* /t/<team> */
} mimi_uri_kind;

/* A parsed identifier. All strings are NUL-terminated, percent-decoded
 * (UTF-8 without control characters) and owned by the struct; a field that
 * the kind does not use is NULL. As input to mimi_uri_build only `kind` and
 * the fields for that kind are read, and `canonical`/`buf_` are ignored. */
typedef struct {
  mimi_uri_kind kind;
  const char *provider; /* lowercase domain name, always set */
  const char *user;     /* USER, PSEUDONYM; CLIENT: the owning user or NULL */
  const char *device;   /* CLIENT */
  const char *room;     /* ROOM */
  const char *group;    /* GROUP */
  const char *team;     /* TEAM */
  const char *canonical; /* the canonical URI text */
  size_t canonical_len;
  char *buf_; /* storage for all the strings above */
} mimi_uri;

/* Parses text[0..len) (no NUL needed). On error *out is untouched. */
MIMI_MUST_CHECK mimi_err mimi_uri_parse(const char *text, size_t len, mimi_uri *out);
/* Validates the components of *parts and builds the identifier they name,
 * percent-encoding segment values as needed. BAD_URI for an invalid
 * component, a missing component the kind needs, or a result longer than
 * MIMI_URI_MAX_LEN. */
MIMI_MUST_CHECK mimi_err mimi_uri_build(const mimi_uri *parts, mimi_uri *out);
/* Canonical text of a URI as a fresh NUL-terminated string (free() it). */
MIMI_MUST_CHECK mimi_err mimi_uri_canonicalize(const char *text, size_t len, char **out);
/* The user URI of a CLIENT URI that names its user (/d/<user>/<device>):
 * mimi://<provider>/u/<user>. NOT_FOUND for a client URI without a user,
 * INVALID_ARG for other kinds. */
MIMI_MUST_CHECK mimi_err mimi_uri_user_of(const mimi_uri *client, mimi_uri *out);
/* Same identifier (canonical forms equal). */
bool mimi_uri_equal(const mimi_uri *a, const mimi_uri *b);
/* "provider", "user", ... ; "?" for an out-of-range value. */
const char *mimi_uri_kind_name(mimi_uri_kind kind);
void mimi_uri_free(mimi_uri *uri);

#ifdef __cplusplus
}
#endif
#endif /* MIMI_IDENTITY_H */
