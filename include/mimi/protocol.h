/*
 * mimi/protocol.h — the MIMI protocol (draft-ietf-mimi-protocol-06) as a
 * sans-I/O library: the provider-to-provider messages (mimi/protocol_wire.h),
 * their semantic checks, the endpoint table with strict request-path
 * matching, and message franking (client, hub and receiver sides).
 *
 * Nothing here does I/O: a provider daemon matches a request line against
 * the endpoint table, decodes the body with the endpoint's request type, and
 * encodes the response with its response type.
 */
#ifndef MIMI_PROTOCOL_H
#define MIMI_PROTOCOL_H

#include "mimi/base.h"
#include "mimi/mls_messages.h"
#include "mimi/protocol_wire.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Messages                                                                  */

/* What an MLSMessage carries, as far as the protocol's selects care:
 * PublicMessage / PrivateMessage by content type, or a Welcome. */
typedef enum {
  MIMI_MSG_KIND_OTHER = 0, /* GroupInfo, KeyPackage, unknown content type */
  MIMI_MSG_KIND_APPLICATION,
  MIMI_MSG_KIND_PROPOSAL,
  MIMI_MSG_KIND_COMMIT,
  MIMI_MSG_KIND_WELCOME,
} mimi_msg_kind;

mimi_msg_kind mimi_proto_message_kind(const mls_message *m);

/* The checks the codec cannot express, over a decoded or to-be-encoded
 * value of any protocol type (nested values included):
 *   PROTO_BAD_ENUM      an enum field outside its defined values (status
 *                       codes, consent operation, field source, ...)
 *   PROTO_BAD_MESSAGE   an MLSMessage of the wrong kind where the draft
 *                       names one: application messages must be
 *                       PrivateMessages, handshakes (bundle, fanned-out and
 *                       stapled proposals/commits, pending proposals)
 *                       PublicMessages of the right content type; no
 *                       GroupInfo/KeyPackage is fanned out
 *   PROTO_INCONSISTENT  fields that contradict each other (clients listed
 *                       under a user code that forbids them) */
MIMI_MUST_CHECK mimi_err mimi_proto_validate(const mimi_type *t, const void *value);
/* Decodes exactly one value spanning data and validates it. Errors in this
 * order: codec errors, then validation, then TRAILING_DATA. On error *out is
 * zeroed and nothing leaks. */
MIMI_MUST_CHECK mimi_err mimi_proto_decode(const mimi_type *t, const uint8_t *data, size_t len,
                                           void *out);
/* Validates, then encodes: we never send what we would refuse. */
MIMI_MUST_CHECK mimi_err mimi_proto_encode(const mimi_type *t, const void *value,
                                           mimi_bytes *out);
/* A /notify body is FanoutMessages back to back: decodes the next one from r
 * (validated). NOT_FOUND at the end of the body. */
MIMI_MUST_CHECK mimi_err mimi_proto_fanout_next(mimi_reader *r, mimi_fanout_message *out);

/* ------------------------------------------------------------------------ */
/* Signed and encrypted parts of the messages                                */

/* KeyMaterialRequest: key_material_request_signature = SignWithLabel(
 * requesterSignatureKey, "KeyMaterialRequestTBS", KeyMaterialRequestTBS),
 * under the requester's first acceptable cipher suite. sign fills the
 * signature field (replacing it); verify checks it against
 * requester_signature_key. PROTO_INCONSISTENT for an empty suite list,
 * UNSUPPORTED_SUITE for an unknown first suite, BAD_SIGNATURE. */
MIMI_MUST_CHECK mimi_err mimi_key_material_request_sign(mimi_key_material_request *req,
                                                        const uint8_t *priv, size_t priv_len);
MIMI_MUST_CHECK mimi_err mimi_key_material_request_verify(const mimi_key_material_request *req);

/* GroupInfoRequest: signature = SignWithLabel(requestingSignatureKey,
 * "GroupInfoRequestTBS", GroupInfoRequestTBS) under cipher_suite; in the TBS
 * an empty joiningCode is absent. */
MIMI_MUST_CHECK mimi_err mimi_group_info_request_sign(mimi_group_info_request *req,
                                                      const uint8_t *priv, size_t priv_len);
MIMI_MUST_CHECK mimi_err mimi_group_info_request_verify(const mimi_group_info_request *req);

/* GroupInfoResponse (status success only, else INVALID_ARG): signature =
 * SignWithLabel(hub_sender.signature_key, "GroupInfoResponseTBS",
 * GroupInfoResponseTBS) under cipher_suite. The caller checks that
 * hub_sender is the room's hub. */
MIMI_MUST_CHECK mimi_err mimi_group_info_response_sign(mimi_group_info_response *resp,
                                                       const uint8_t *priv, size_t priv_len);
MIMI_MUST_CHECK mimi_err mimi_group_info_response_verify(const mimi_group_info_response *resp);

/* encrypted_groupinfo_and_tree = EncryptWithLabel(groupInfoPublicKey,
 * "GroupInfo and ratchet_tree encryption", room_id, tbe). open decrypts and
 * decodes (validated); AEAD_OPEN for a wrong key or room. */
MIMI_MUST_CHECK mimi_err mimi_group_info_tbe_seal(uint16_t suite, const uint8_t *pub,
                                                  size_t pub_len, const mimi_bytes *room_id,
                                                  const mimi_group_info_ratchet_tree_tbe *tbe,
                                                  const mimi_rng *rng, mls_hpke_ciphertext *out);
MIMI_MUST_CHECK mimi_err mimi_group_info_tbe_open(uint16_t suite, const uint8_t *priv,
                                                  size_t priv_len, const mimi_bytes *room_id,
                                                  const mls_hpke_ciphertext *ct,
                                                  mimi_group_info_ratchet_tree_tbe *out);

/* pseudonymous_credential_signature = SignWithLabel(client key,
 * "PseudonymousCredentialTBS", PseudonymousCredentialTBS of cred). */
MIMI_MUST_CHECK mimi_err mimi_pseudonymous_credential_sign(uint16_t suite, const uint8_t *priv,
                                                           size_t priv_len,
                                                           const mimi_pseudonymous_credential *cred,
                                                           mimi_bytes *signature);
MIMI_MUST_CHECK mimi_err mimi_pseudonymous_credential_verify(
    uint16_t suite, const uint8_t *pub, size_t pub_len, const mimi_pseudonymous_credential *cred,
    const mimi_bytes *signature);

/* ------------------------------------------------------------------------ */
/* Endpoints (§"MIMI Endpoints and Framing")                                 */

typedef enum {
  MIMI_EP_DIRECTORY = 0,
  MIMI_EP_KEY_MATERIAL,
  MIMI_EP_UPDATE,
  MIMI_EP_NOTIFY,
  MIMI_EP_SUBMIT_MESSAGE,
  MIMI_EP_GROUP_INFO,
  MIMI_EP_REQUEST_CONSENT,
  MIMI_EP_UPDATE_CONSENT,
  MIMI_EP_IDENTIFIER_QUERY,
  MIMI_EP_REPORT_ABUSE,
  MIMI_EP_PROXY_DOWNLOAD,
  MIMI_EP_COUNT
} mimi_endpoint_id;

/* What the single path parameter must be, after percent-decoding. */
typedef enum {
  MIMI_PARAM_NONE = 0,
  MIMI_PARAM_USER_URI,  /* mimi:// user or pseudonym URI */
  MIMI_PARAM_ROOM_URI,  /* mimi:// room URI */
  MIMI_PARAM_DOMAIN,    /* a provider's domain name */
  MIMI_PARAM_HTTPS_URL, /* an https: URL (proxyDownload) */
} mimi_param_kind;

typedef struct {
  mimi_endpoint_id id;
  const char *directory_key; /* key in the directory JSON; NULL for the directory */
  const char *method;        /* "GET" / "POST" */
  const char *path_template; /* relative to the provider's base path, e.g. "/keyMaterial/{targetUser}" */
  const char *segment;       /* "keyMaterial" */
  const char *param_name;    /* "targetUser"; NULL if none */
  mimi_param_kind param_kind;
  mimi_type_fn request_type;  /* NULL: no body */
  bool request_is_sequence;   /* body is request_type values back to back */
  mimi_type_fn response_type; /* NULL: no TLS body (see response_media_type) */
  const char *request_media_type;  /* NULL: no body */
  const char *response_media_type; /* NULL: no body, or the downloaded asset's own type */
  unsigned success_status;         /* HTTP status of success */
} mimi_endpoint;

#define MIMI_DIRECTORY_PATH "/.well-known/mimi-protocol-directory"
/* Longest request path (before decoding) the matcher looks at. */
#define MIMI_PROTO_MAX_PATH 4096

const mimi_endpoint *mimi_endpoint_get(mimi_endpoint_id id); /* NULL if out of range */

typedef struct {
  const mimi_endpoint *endpoint;
  char *param; /* percent-decoded, NUL-terminated; NULL for the directory */
  size_t param_len;
} mimi_route;

/* Matches an HTTP request (method, path without scheme/authority) against
 * the table. base is the path prefix the provider serves the endpoints under
 * ("" or e.g. "/v1", no trailing slash); the directory is always at
 * MIMI_DIRECTORY_PATH. Errors:
 *   INVALID_ARG             NULL argument or a malformed base
 *   PROTO_PATH_TOO_LONG     path longer than MIMI_PROTO_MAX_PATH
 *   PROTO_BAD_PATH          not starting with '/', a query or fragment, a
 *                           byte outside RFC 3986 pchar, an empty / "." /
 *                           ".." segment (raw or percent-encoded), or the
 *                           wrong number of segments for a known endpoint
 *   PROTO_UNKNOWN_ENDPOINT  nothing at this path
 *   PROTO_BAD_METHOD        known endpoint, other method
 *   PROTO_BAD_PERCENT       '%' not followed by two hex digits
 *   PROTO_BAD_PARAM         decoded parameter with NUL/control bytes, or
 *                           not of the endpoint's parameter kind
 * On error *out is untouched. */
MIMI_MUST_CHECK mimi_err mimi_endpoint_match(const char *method, const char *path,
                                             size_t path_len, const char *base,
                                             mimi_route *out);
void mimi_route_free(mimi_route *r);

/* The request path for endpoint id with its parameter percent-encoded (every
 * octet outside RFC 3986 unreserved), NUL-terminated (free() it). The
 * parameter is checked as the matcher would (PROTO_BAD_PARAM). */
MIMI_MUST_CHECK mimi_err mimi_endpoint_path(mimi_endpoint_id id, const char *base,
                                            const char *param, char **out);

/* The directory document (§Directory) for a provider whose endpoints live
 * under base_url (e.g. "https://mimi.example.com/v1"): one key per endpoint
 * with its URL template. NUL-terminated JSON (free() it). */
MIMI_MUST_CHECK mimi_err mimi_directory_render(const char *base_url, char **out);

/* A peer's directory: the URL template of each endpoint it lists (NULL if
 * absent; url[MIMI_EP_DIRECTORY] unused). */
typedef struct {
  char *url[MIMI_EP_COUNT];
} mimi_directory;

/* Parses a directory document: one JSON object whose values are strings of
 * printable ASCII; keys we do not know are skipped. A known key must appear
 * once and hold an https URL template ending in one "{name}" placeholder.
 * PROTO_BAD_DIRECTORY otherwise, TOO_LARGE above 64 KiB. */
MIMI_MUST_CHECK mimi_err mimi_directory_parse(const char *json, size_t len, mimi_directory *out);
void mimi_directory_free(mimi_directory *d);
/* The request URL for endpoint id: the template with its placeholder
 * replaced by the percent-encoded param (checked as mimi_endpoint_path
 * does). NOT_FOUND if the directory does not list the endpoint. */
MIMI_MUST_CHECK mimi_err mimi_directory_url(const mimi_directory *d, mimi_endpoint_id id,
                                            const char *param, char **out);

/* ------------------------------------------------------------------------ */
/* Franking (§"Message Franking")                                            */

#define MIMI_FRANK_LEN 32

/* Client: franking_tag = HMAC_SHA256(salt, application_data). */
MIMI_MUST_CHECK mimi_err mimi_frank_tag(const uint8_t *salt, size_t salt_len,
                                        const uint8_t *application_data, size_t len,
                                        uint8_t tag[MIMI_FRANK_LEN]);
/* The same with the salt read from the MIMI content in application_data. */
MIMI_MUST_CHECK mimi_err mimi_frank_tag_content(const uint8_t *application_data, size_t len,
                                                uint8_t tag[MIMI_FRANK_LEN]);
/* Client: the PrivateMessage authenticated_data, a SafeAAD holding `others`
 * (may be NULL; must not already hold frank_aad) plus the frank_aad item,
 * sorted by component id. INVALID_ARG for a duplicate component id. */
MIMI_MUST_CHECK mimi_err mimi_frank_aad_build(const uint8_t tag[MIMI_FRANK_LEN],
                                              const mls_safe_aad *others,
                                              mimi_bytes *authenticated_data);
/* The franking_tag in a SafeAAD authenticated_data. FRANK_BAD_AAD if the
 * bytes are not exactly one SafeAAD with strictly increasing component ids
 * and a 32-byte frank_aad; FRANK_MISSING if it is empty or has no
 * frank_aad item. */
MIMI_MUST_CHECK mimi_err mimi_frank_aad_find(const uint8_t *authenticated_data, size_t len,
                                             uint8_t tag[MIMI_FRANK_LEN]);

/* Hub: server_frank = HMAC_SHA256(hub_key, franking_tag || context). */
MIMI_MUST_CHECK mimi_err mimi_frank_server(const uint8_t *hub_key, size_t hub_key_len,
                                           const uint8_t tag[MIMI_FRANK_LEN],
                                           const mimi_server_franking_context *context,
                                           uint8_t server_frank[MIMI_FRANK_LEN]);

typedef struct {
  uint16_t suite;             /* the room's MLS cipher suite */
  const uint8_t *hub_key;     /* HMAC key, >= 16 octets */
  size_t hub_key_len;
  const uint8_t *franking_private_key; /* pairs with franking_agent's key */
  size_t franking_private_key_len;
} mimi_hub_franking;

/* Hub: franks an accepted submitMessage. sender_uri is the request's
 * sendingUri, room_uri the room ID. PROTO_BAD_MESSAGE unless the message is
 * an application PrivateMessage; FRANK_MISSING / FRANK_BAD_AAD from its
 * authenticated_data (the hub then accepts without a frank). */
MIMI_MUST_CHECK mimi_err mimi_frank_hub(const mimi_hub_franking *hub,
                                        const mimi_submit_message_request *request,
                                        const uint8_t *room_uri, size_t room_uri_len,
                                        uint64_t accepted_timestamp, mimi_frank *out);

typedef struct {
  uint16_t group_suite;                       /* the group's cipher suite */
  const mls_extension *group_context_extensions; /* where franking_agent lives */
  size_t group_context_extensions_count;
  const char *hub_domain;                     /* the room's hub */
  const uint8_t *room_uri;                    /* room ID the message arrived for */
  size_t room_uri_len;
  const uint8_t *sender_uri;                  /* user URI of the sender's credential */
  size_t sender_uri_len;
} mimi_frank_receiver;

/* Receiver: checks a frank in the order of §"Receiver verification":
 *   FRANK_MISSING / FRANK_BAD_AAD   no frank, or no frank_aad in the AAD
 *   FRANK_SUITE_MISMATCH            frank suite is not the group's
 *   FRANK_NO_AGENT                  no franking_agent in the GroupContext
 *   UNSUPPORTED                     agent credential not a basic credential
 *   FRANK_AGENT_DOMAIN              agent credential not the hub's domain
 *   content errors / NOT_FOUND      content not MIMI content, or without
 *                                   senderUri / roomUri extensions
 *   FRANK_BAD_SIGNATURE             franking_integrity_signature invalid
 *   FRANK_TAG_MISMATCH              HMAC(salt, application_data) != tag
 *   FRANK_SENDER_MISMATCH           content senderUri names another
 *                                   identifier than sender_uri
 *   FRANK_ROOM_MISMATCH             content roomUri another than room_uri
 * application_data is what the tag covers; content is the MIMI content in it
 * (the same bytes unless an ApplicationFraming wraps the content). */
MIMI_MUST_CHECK mimi_err mimi_frank_verify(const mimi_frank_receiver *rx,
                                           const uint8_t *authenticated_data, size_t ad_len,
                                           const uint8_t *application_data, size_t app_len,
                                           const uint8_t *content, size_t content_len,
                                           const mimi_frank *frank, uint64_t accepted_timestamp);

/* The user URI a sender's basic credential names, for
 * mimi_frank_receiver.sender_uri: a user or pseudonym URI as is, a client
 * URI /d/<user>/<device> as its user; canonical text (free() it).
 * NOT_FOUND for a client URI without a user, BAD_URI for anything else,
 * UNSUPPORTED for non-basic credentials. */
MIMI_MUST_CHECK mimi_err mimi_frank_sender_of_credential(const mls_credential *cred,
                                                         char **user_uri);

/* Hub, on an abuse report: recomputes the tag and context from the
 * reported content and checks the server frank (FRANK_SERVER_MISMATCH) and
 * the integrity signature with the hub's franking public key under the
 * frank's own suite (UNSUPPORTED_SUITE, FRANK_BAD_SIGNATURE). */
MIMI_MUST_CHECK mimi_err mimi_frank_hub_check_report(const uint8_t *hub_key, size_t hub_key_len,
                                                     const uint8_t *franking_public_key,
                                                     size_t public_key_len,
                                                     const mimi_abusive_message *message);

#ifdef __cplusplus
}
#endif
#endif /* MIMI_PROTOCOL_H */
