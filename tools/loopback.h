/* loopback.h — providers on 127.0.0.1 for the demo and the integration
 * test: a throwaway PKI from the openssl command, mimid processes on
 * OS-chosen ports, HTTPS calls by domain name, and the client API request
 * bodies a room conversation needs. */
#ifndef MIMI_TOOLS_LOOPBACK_H
#define MIMI_TOOLS_LOOPBACK_H

#include <stdbool.h>
#include <sys/types.h>

#include "mimi/mls.h"
#include "mimi/provider.h"

/* snprintf that refuses to truncate (paths built here must be whole). */
#define LB_SNP(buf, size, ...)                                                  \
  do {                                                                          \
    int lb_snp_n_ = snprintf(buf, size, __VA_ARGS__);                           \
    if (lb_snp_n_ < 0 || (size_t)lb_snp_n_ >= (size_t)(size)) abort();          \
  } while (0)

void lb_sleep_ms(long ms);
int lb_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
bool lb_write_file(const char *path, const char *text);

/* In dir: ca.pem/ca.key, then per name an EC P-256 certificate
 * <name>.pem/<name>.key with SAN DNS:<name>, for TLS server and client
 * use. openssl's output goes to dir/openssl.log. */
bool lb_make_pki(const char *dir, const char *const *names, size_t n);

typedef struct {
  pid_t pid;
  unsigned port;
} lb_daemon;

/* Writes dir/<name>.conf (SQLite database dir/<name>.db, admin token
 * "adm-<name>", extra config lines appended), starts mimid on 127.0.0.1
 * (port 0: the OS chooses) with stderr to dir/<name>.log, and waits up to
 * 10 s for the port it bound. */
bool lb_start(const char *mimid, const char *dir, const char *name, unsigned port,
              const char *extra, lb_daemon *d);

/* SIGTERM, then up to 10 s for the exit; returns the exit status (128+sig
 * if killed by a signal, -1 if it had to be killed). */
int lb_stop(lb_daemon *d);

typedef struct {
  const char *dir; /* where ca.pem and the certificates are */
  const char *domain;
  unsigned port;
} lb_target;

/* One HTTPS call to t by its domain name (certificate checked against
 * it), connected to 127.0.0.1; cert: a client certificate name in dir or
 * NULL. Returns the HTTP status, 0 on a transport failure. */
unsigned lb_https(lb_target t, const char *method, const char *path, const char *cert,
                  const char *bearer, const char *from, const mimi_bytes *body,
                  mimi_bytes *resp);

/* ---- client API request bodies (docs/client-api.md) ---------------------- */

/* An upload body with that one KeyPackage. */
MIMI_MUST_CHECK mimi_err lb_upload_bundle_body(const mls_key_package_bundle *kp, mimi_bytes *out);
/* POST /client/v1/rooms: the group's GroupInfo with its ratchet tree. */
MIMI_MUST_CHECK mimi_err lb_create_room_body(const char *room_uri, mls_group *g, mimi_bytes *out);
/* An UpdateRequest: the commit, its Welcome (if it welcomes anyone) and
 * the committer's GroupInfo of the new epoch (g has merged the commit). */
MIMI_MUST_CHECK mimi_err lb_update_body(const mls_message *commit, const mls_welcome *w,
                                        mls_group *g, mimi_bytes *out);
/* A SubmitMessageRequest: data protected in g, sent as sender_uri. */
MIMI_MUST_CHECK mimi_err lb_submit_body(const char *sender_uri, const uint8_t *data, size_t len,
                                        mls_group *g, const mimi_rng *rng, mimi_bytes *out);

#endif
