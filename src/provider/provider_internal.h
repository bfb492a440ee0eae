/* provider_internal.h — what the handler files share. */
#ifndef MIMI_PROVIDER_INTERNAL_H
#define MIMI_PROVIDER_INTERNAL_H

#include "mimi/identity.h"
#include "mimi/provider.h"

/* Sets an error response: status with a text/plain reason. */
void prov_error(mimi_http_response *resp, unsigned status, const char *reason);
/* Sets a response taking ownership of *body. */
void prov_reply(mimi_http_response *resp, unsigned status, const char *content_type,
                mimi_bytes *body);

/* The MIMI endpoints after routing and peer authentication. */
void prov_key_material(const mimi_provider *p, const mimi_route *route,
                       const mimi_http_request *req, const char *requester, uint64_t now,
                       mimi_http_response *resp);
/* Claims key material for a decoded, verified request on behalf of the
 * provider `requester` and encodes the KeyMaterialResponse into *out. The
 * claim is committed only if encoding succeeded. STORE / NOMEM / INTERNAL;
 * on error nothing changed. */
MIMI_MUST_CHECK mimi_err prov_claim_key_material(const mimi_provider *p,
                                                 const mimi_key_material_request *req,
                                                 const mimi_uri *target, const char *requester,
                                                 uint64_t now, mimi_bytes *out);

/* The client API (everything under MIMI_CLIENT_API_PREFIX). */
void prov_client_api(const mimi_provider *p, const mimi_http_request *req, uint64_t now,
                     mimi_http_response *resp);

/* A user or client URI from bytes; BAD_URI unless it parses as `kind`. */
MIMI_MUST_CHECK mimi_err prov_parse_uri(const mimi_bytes *b, mimi_uri_kind kind, mimi_uri *out);

/* Who sent a room request: a peer provider (client_uri NULL) or one of our
 * own clients (domain is then ours). The committer / sender must be them. */
typedef struct {
  const char *domain;
  const char *client_uri;
} prov_requester;

/* Hub side (rooms.c): rooms we own. */
void prov_room_create(const mimi_provider *p, const mimi_store_client *c,
                      const mimi_http_request *req, mimi_http_response *resp);
void prov_room_update(const mimi_provider *p, const char *room_uri, const mimi_http_request *req,
                      const prov_requester *who, uint64_t now, mimi_http_response *resp);
void prov_room_submit(const mimi_provider *p, const char *room_uri, const mimi_http_request *req,
                      const prov_requester *who, uint64_t now, mimi_http_response *resp);

/* update / submitMessage for a room we own, after routing (handler.c). */
void prov_room_request(const mimi_provider *p, const mimi_route *route,
                       const mimi_http_request *req, const prov_requester *who, uint64_t now,
                       mimi_http_response *resp);

/* Fan-out (fanout.c), inside the caller's transaction: one FanoutMessage
 * (encoded) to the clients named in `existing` and a Welcome FanoutMessage
 * (may be NULL) to those named in `added`. Our clients get inbox entries
 * now; every other provider named gets one outbox row with a /notify body
 * (main message first, then the Welcome). Names that are not client URIs
 * are skipped: they cannot be routed. */
MIMI_MUST_CHECK mimi_err prov_fanout(const mimi_provider *p, int64_t room_id,
                                     const char *const *existing, size_t n_existing,
                                     const mimi_bytes *main_msg, const char *const *added,
                                     size_t n_added, const mimi_bytes *welcome_msg);
/* Follower side: a /notify from the room's hub. */
void prov_notify(const mimi_provider *p, const mimi_route *route, const mimi_http_request *req,
                 mimi_http_response *resp);

#endif
