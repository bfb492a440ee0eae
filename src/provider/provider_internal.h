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

#endif
