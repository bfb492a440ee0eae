/*
 * mimi/provider.h — the provider daemon (mimid) as a library: configuration,
 * the storage interface, the sans-I/O request handler for the MIMI endpoints
 * and the client API, the HTTPS server around it and the mutual-TLS client
 * that calls peer providers.
 *
 * The handler is a function from (method, path, authenticated peer, headers,
 * body) to (status, body): every rule it enforces is testable without a
 * socket. Only server.c and peer_client.c touch the network.
 */
#ifndef MIMI_PROVIDER_H
#define MIMI_PROVIDER_H

#include "mimi/base.h"
#include "mimi/mls_messages.h"
#include "mimi/protocol.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Configuration: `key = value` lines, '#' comments, blank lines ignored.    */

#define MIMI_PROVIDER_MAX_PEERS 64

typedef struct {
  char *domain;     /* the peer provider's domain (its certificate's DNS SAN) */
  char *base_url;   /* where its endpoints live, e.g. https://b.example/v1 */
  char *connect_ip; /* NULL, or the address to connect to instead of DNS */
} mimi_peer_config;

typedef struct {
  char *domain;      /* our provider domain (required) */
  char *listen;      /* listen address (default 127.0.0.1) */
  uint16_t port;     /* 0: the OS picks one */
  char *port_file;   /* NULL, or where to write the bound port once listening */
  char *cert_file;   /* our certificate chain (PEM), SAN DNS = domain */
  char *key_file;    /* its private key (PEM) */
  char *ca_file;     /* CA bundle that peers' certificates chain to */
  char *db_path;     /* SQLite database file (":memory:" for tests) */
  char *base_path;   /* path prefix of the MIMI endpoints (default /v1) */
  char *public_url;  /* URL the directory advertises (default https://<domain><base_path>) */
  char *admin_token; /* bearer token allowed to register clients; NULL: registration closed */
  mimi_peer_config peers[MIMI_PROVIDER_MAX_PEERS];
  size_t n_peers;
} mimi_provider_config;

/* Parses a configuration text. PROVIDER_CONFIG with *bad_line (1-based; 0
 * for a missing required key) for an unknown key, a repeated key, a bad
 * value, or a missing domain / db. On error *out is untouched. Keys:
 *   domain, listen, port, port_file, cert, key, ca, db, base_path,
 *   public_url, admin_token, and any number of
 *   peer = <domain> <base_url> [<connect_ip>]                              */
MIMI_MUST_CHECK mimi_err mimi_provider_config_parse(const char *text, size_t len,
                                                    mimi_provider_config *out,
                                                    size_t *bad_line);
/* Reads and parses a file (NOT_FOUND if it cannot be read). */
MIMI_MUST_CHECK mimi_err mimi_provider_config_load(const char *path, mimi_provider_config *out,
                                                   size_t *bad_line);
void mimi_provider_config_free(mimi_provider_config *cfg);
const mimi_peer_config *mimi_provider_config_peer(const mimi_provider_config *cfg,
                                                  const char *domain); /* NULL if unknown */

/* ------------------------------------------------------------------------ */
/* Storage. One interface, one implementation per database (SQLite now).    */
/* Every call that changes several rows runs in one transaction; callers    */
/* group several calls with begin/commit/rollback (nesting is not allowed). */
/* Errors: STORE for a database failure, STORE_CONFLICT for a duplicate,    */
/* NOT_FOUND for a missing row, NOMEM.                                       */

#define MIMI_TOKEN_HASH_LEN 32

typedef struct {
  int64_t id;
  int64_t user_id;
  char *uri;              /* client URI */
  mimi_bytes signature_key;
} mimi_store_client;

typedef struct {
  int64_t id;
  uint16_t suite;
  uint64_t not_after;
  bool last_resort;
  mimi_bytes key_package; /* encoded KeyPackage */
} mimi_store_key_package;

typedef struct {
  uint64_t seq;
  mimi_bytes message;
} mimi_store_inbox_entry;

typedef struct {
  int64_t id;
  uint64_t epoch;
  mimi_bytes state; /* mls_public_group_serialize */
} mimi_store_room;

typedef struct {
  int64_t id;
  char *room_uri;
  char *target_domain;
  uint32_t attempts;
  mimi_bytes body; /* a /notify body */
} mimi_store_outbox_row;

typedef struct {
  void (*close)(void *impl);
  mimi_err (*begin)(void *impl);
  mimi_err (*commit)(void *impl);
  void (*rollback)(void *impl);
  mimi_err (*user_add)(void *impl, const char *uri, int64_t *id);
  mimi_err (*user_find)(void *impl, const char *uri, int64_t *id);
  mimi_err (*client_add)(void *impl, int64_t user_id, const char *uri,
                         const mimi_bytes *signature_key,
                         const uint8_t token_hash[MIMI_TOKEN_HASH_LEN], int64_t *id);
  mimi_err (*client_by_token)(void *impl, const uint8_t token_hash[MIMI_TOKEN_HASH_LEN],
                              mimi_store_client *out);
  /* Clients of a user, by id. */
  mimi_err (*clients_of_user)(void *impl, int64_t user_id, mimi_store_client **out,
                              size_t *n);
  mimi_err (*key_package_add)(void *impl, int64_t client_id, uint16_t suite,
                              uint64_t not_after, bool last_resort, const mimi_bytes *kp);
  /* A client's KeyPackages, ordinary ones first (oldest first), then the
   * last-resort ones. */
  mimi_err (*key_packages_of_client)(void *impl, int64_t client_id,
                                     mimi_store_key_package **out, size_t *n);
  /* Hands out KeyPackage kp_id: removes it unless it is a last-resort one,
   * and records its KeyPackageRef against the client and the requester. */
  mimi_err (*key_package_claim)(void *impl, int64_t kp_id, const uint8_t *ref, size_t ref_len,
                                const char *requester, uint64_t now);
  mimi_err (*inbox_push)(void *impl, int64_t client_id, const mimi_bytes *message,
                         uint64_t *seq);
  /* Entries with seq > after, oldest first, at most max. */
  mimi_err (*inbox_fetch)(void *impl, int64_t client_id, uint64_t after, size_t max,
                          mimi_store_inbox_entry **out, size_t *n);
  /* Drops entries with seq <= upto. */
  mimi_err (*inbox_ack)(void *impl, int64_t client_id, uint64_t upto);
  mimi_err (*client_by_uri)(void *impl, const char *uri, mimi_store_client *out);
  /* The client a KeyPackage with this KeyPackageRef was handed out for. */
  mimi_err (*client_by_claim)(void *impl, const uint8_t *ref, size_t ref_len,
                              mimi_store_client *out);
  /* Rooms this provider is the hub of. */
  mimi_err (*room_add)(void *impl, const char *room_uri, const mimi_bytes *group_id,
                       uint64_t epoch, const mimi_bytes *state, int64_t *id);
  mimi_err (*room_get)(void *impl, const char *room_uri, mimi_store_room *out);
  /* Compare-and-set on the epoch: STORE_CONFLICT unless the room is still
   * at old_epoch. */
  mimi_err (*room_update)(void *impl, int64_t id, uint64_t old_epoch, uint64_t new_epoch,
                          const mimi_bytes *state);
  mimi_err (*outbox_add)(void *impl, int64_t room_id, const char *target_domain,
                         const mimi_bytes *body);
  /* Rows due at `now` (next_attempt <= now), oldest first, at most max;
   * a row waits while an older row for the same domain is not due, so each
   * follower gets its messages in order. */
  mimi_err (*outbox_due)(void *impl, uint64_t now, size_t max, mimi_store_outbox_row **out,
                         size_t *n);
  mimi_err (*outbox_done)(void *impl, int64_t id);
  mimi_err (*outbox_retry)(void *impl, int64_t id, uint64_t next_attempt);
  /* Follower side: local clients that joined a room (by Welcome). */
  mimi_err (*room_client_add)(void *impl, const char *room_uri, int64_t client_id);
  mimi_err (*room_clients)(void *impl, const char *room_uri, int64_t **ids, size_t *n);
} mimi_store_ops;

typedef struct {
  const mimi_store_ops *ops;
  void *impl;
} mimi_store;

/* Opens (creating if needed) a SQLite database and brings its schema up to
 * the current version (migrations run in one transaction each). */
MIMI_MUST_CHECK mimi_err mimi_store_open_sqlite(const char *path, mimi_store *out);
/* The schema version a SQLite store is at. */
MIMI_MUST_CHECK mimi_err mimi_store_sqlite_version(const mimi_store *st, int *version);
void mimi_store_close(mimi_store *st);
void mimi_store_client_free(mimi_store_client *c);
void mimi_store_clients_free(mimi_store_client *c, size_t n);
void mimi_store_key_packages_free(mimi_store_key_package *k, size_t n);
void mimi_store_inbox_free(mimi_store_inbox_entry *e, size_t n);
void mimi_store_room_free(mimi_store_room *r);
void mimi_store_outbox_free(mimi_store_outbox_row *r, size_t n);

/* ------------------------------------------------------------------------ */
/* Client API wire format (docs/client-api.md): TLS presentation language   */
/* bodies like the MIMI endpoints, under /client/v1.                        */

#define MIMI_CLIENT_REGISTER_REQUEST_FIELDS(F) \
  F##_OPAQUE(client_uri)                        \
  F##_OPAQUE(signature_key)
MIMI_STRUCT_DECLARE(mimi_client_register_request, MIMI_CLIENT_REGISTER_REQUEST_FIELDS)

#define MIMI_CLIENT_REGISTER_RESPONSE_FIELDS(F) F##_OPAQUE(token)
MIMI_STRUCT_DECLARE(mimi_client_register_response, MIMI_CLIENT_REGISTER_RESPONSE_FIELDS)

#define MIMI_CLIENT_UPLOAD_REQUEST_FIELDS(F)       \
  F##_VEC(mls_key_package, key_packages)            \
  F##_OPT(mls_key_package, last_resort)
MIMI_STRUCT_DECLARE(mimi_client_upload_request, MIMI_CLIENT_UPLOAD_REQUEST_FIELDS)

#define MIMI_CLIENT_INBOX_ENTRY_FIELDS(F) F##_U64(seq) F##_OPAQUE(message)
MIMI_STRUCT_DECLARE(mimi_client_inbox_entry, MIMI_CLIENT_INBOX_ENTRY_FIELDS)

#define MIMI_CLIENT_INBOX_FIELDS(F) F##_VEC(mimi_client_inbox_entry, entries)
MIMI_STRUCT_DECLARE(mimi_client_inbox, MIMI_CLIENT_INBOX_FIELDS)

/* POST /client/v1/rooms: the GroupInfo (with a ratchet_tree extension) of
 * the group the client created, signed by the client's own leaf. */
#define MIMI_CLIENT_CREATE_ROOM_REQUEST_FIELDS(F) \
  F##_OPAQUE(room_uri)                             \
  F##_STRUCT(mls_group_info, group_info)
MIMI_STRUCT_DECLARE(mimi_client_create_room_request, MIMI_CLIENT_CREATE_ROOM_REQUEST_FIELDS)

#define MIMI_CLIENT_API_PREFIX "/client/v1"

/* ------------------------------------------------------------------------ */
/* The request handler.                                                      */

typedef struct {
  const char *method;
  const char *path; /* without scheme/authority, may carry a query */
  size_t path_len;
  /* Provider domain proven by the TLS client certificate (SAN DNS), or NULL
   * when no certificate was presented or it did not verify. */
  const char *peer_domain;
  const char *host;          /* Host header or NULL */
  const char *from;          /* From header or NULL */
  const char *authorization; /* Authorization header or NULL */
  const char *content_type;  /* Content-Type header or NULL */
  const uint8_t *body;
  size_t body_len;
} mimi_http_request;

typedef struct {
  unsigned status;
  const char *content_type; /* static string; NULL with an empty body */
  mimi_bytes body;
} mimi_http_response;

void mimi_http_response_free(mimi_http_response *r);

/* How the handler reaches other providers (peer_client.c over HTTPS, or a
 * fake in tests): one MIMI request to `domain`'s endpoint `ep`. On MIMI_OK
 * *status and *resp hold the peer's answer (any status). */
typedef struct {
  mimi_err (*call)(void *ctx, const char *domain, mimi_endpoint_id ep, const char *param,
                   const uint8_t *body, size_t body_len, unsigned *status, mimi_bytes *resp);
  void *ctx;
} mimi_peer_transport;

typedef struct {
  const mimi_provider_config *cfg;
  mimi_store *store;
  const mimi_rng *rng;
  const mimi_peer_transport *peers; /* NULL: no outbound calls */
} mimi_provider;

/* Largest request body the handler accepts (413 above). */
#define MIMI_PROVIDER_MAX_BODY (1u << 20)

/* Handles one request at time `now` (Unix seconds). Always produces a
 * response (an HTTP error status with a text/plain reason on failure); a
 * request that fails changes no stored state. */
void mimi_provider_handle(const mimi_provider *p, const mimi_http_request *req, uint64_t now,
                          mimi_http_response *resp);

/* Delivers due outbox rows to follower providers (/notify over p->peers):
 * a row is deleted once the peer answered 201, otherwise retried later
 * (backoff doubling from 2 s up to 10 min), and the domain's later rows
 * wait for it (in order per follower). Runs outside any request and
 * outside any transaction; *delivered (may be NULL) counts the rows sent. */
MIMI_MUST_CHECK mimi_err mimi_provider_drain(const mimi_provider *p, uint64_t now,
                                             size_t *delivered);

/* ------------------------------------------------------------------------ */
/* Network.                                                                  */

typedef struct mimi_server mimi_server;

/* Starts the HTTPS server for p on cfg->listen:cfg->port (one thread; the
 * handler runs there). Client certificates are requested, verified against
 * cfg->ca_file and mapped to their DNS SAN for peer_domain. */
MIMI_MUST_CHECK mimi_err mimi_server_start(const mimi_provider *p, mimi_server **out);
uint16_t mimi_server_port(const mimi_server *s);
void mimi_server_stop(mimi_server *s); /* NULL ok */

/* The outbound side: mutual TLS with our certificate, peers verified
 * against cfg->ca_file and their configured domain, From: mimi@<domain>. */
typedef struct mimi_peer_client mimi_peer_client;
MIMI_MUST_CHECK mimi_err mimi_peer_client_new(const mimi_provider_config *cfg,
                                              mimi_peer_client **out);
void mimi_peer_client_free(mimi_peer_client *c);
/* A transport calling through c (c must outlive it). */
mimi_peer_transport mimi_peer_client_transport(mimi_peer_client *c);

/* A plain HTTPS request for tools and tests: url, optional client
 * certificate (cert/key NULL for none), CA bundle, optional bearer token,
 * optional "host:port:addr:port" connect-to override. HTTP for a
 * transport failure (refused handshakes included). */
typedef struct {
  const char *method;
  const char *url;
  const char *ca_file;
  const char *cert_file;
  const char *key_file;
  const char *bearer;
  const char *from;
  const char *connect_to;
  const char *content_type;
  const uint8_t *body;
  size_t body_len;
  long timeout_ms;
} mimi_https_request;
MIMI_MUST_CHECK mimi_err mimi_https_call(const mimi_https_request *req, unsigned *status,
                                         mimi_bytes *resp);

#ifdef __cplusplus
}
#endif
#endif /* MIMI_PROVIDER_H */
