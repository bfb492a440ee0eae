/* protocol_franking.c — MIMI message franking (draft-ietf-mimi-protocol-06
 * §"Message Franking"): the client's franking_tag and frank_aad, the hub's
 * server_frank and integrity signature, and the receiver's and the hub's
 * (abuse report) verification, each step with its own error code. */
#include <stdlib.h>
#include <string.h>

#include "mimi/content.h"
#include "mimi/crypto.h"
#include "mimi/identity.h"
#include "mimi/mls.h"
#include "mimi/protocol.h"

static const char integrity_label[] = "FrankingIntegrityTBS";

mimi_err mimi_frank_tag(const uint8_t *salt, size_t salt_len, const uint8_t *application_data,
                        size_t len, uint8_t tag[MIMI_FRANK_LEN]) {
  if (salt == NULL || salt_len == 0 || tag == NULL || (application_data == NULL && len > 0))
    return MIMI_ERR_INVALID_ARG;
  return mimi_hmac(MIMI_KDF_HKDF_SHA256, salt, salt_len, application_data, len, tag);
}

mimi_err mimi_frank_tag_content(const uint8_t *application_data, size_t len,
                                uint8_t tag[MIMI_FRANK_LEN]) {
  if (application_data == NULL || tag == NULL) return MIMI_ERR_INVALID_ARG;
  mimi_content c;
  MIMI_TRY(mimi_content_decode(application_data, len, NULL, &c));
  mimi_err err = mimi_frank_tag(c.salt, sizeof c.salt, application_data, len, tag);
  mimi_content_free(&c);
  return err;
}

mimi_err mimi_frank_aad_build(const uint8_t tag[MIMI_FRANK_LEN], const mls_safe_aad *others,
                              mimi_bytes *authenticated_data) {
  if (tag == NULL || authenticated_data == NULL) return MIMI_ERR_INVALID_ARG;
  size_t n_others = others ? others->aad_items_count : 0;
  for (size_t i = 0; i < n_others; i++) {
    uint16_t id = others->aad_items[i].component_id;
    if (id == MIMI_COMPONENT_FRANK_AAD) return MIMI_ERR_INVALID_ARG;
    if (i > 0 && id <= others->aad_items[i - 1].component_id) return MIMI_ERR_INVALID_ARG;
  }
  mls_safe_aad_item *items = calloc(n_others + 1, sizeof *items);
  if (items == NULL) return MIMI_ERR_NOMEM;
  mimi_err err = MIMI_OK;
  uint8_t frank_aad[MIMI_FRANK_LEN]; /* FrankAAD encodes as the bare 32 bytes */
  memcpy(frank_aad, tag, MIMI_FRANK_LEN);
  /* items are shallow views: encoded, never freed */
  size_t n = 0, i = 0;
  while (i < n_others && others->aad_items[i].component_id < MIMI_COMPONENT_FRANK_AAD)
    items[n++] = others->aad_items[i++];
  items[n].component_id = MIMI_COMPONENT_FRANK_AAD;
  items[n].aad_item_data.data = frank_aad;
  items[n++].aad_item_data.len = MIMI_FRANK_LEN;
  while (i < n_others) items[n++] = others->aad_items[i++];
  if (err == MIMI_OK) {
    mls_safe_aad aad = {items, n};
    mimi_writer w;
    mimi_writer_init(&w);
    mimi_encode(mls_safe_aad_type(), &aad, &w);
    err = mimi_writer_finish(&w, authenticated_data);
  }
  free(items);
  mimi_secure_zero(frank_aad, sizeof frank_aad);
  return err;
}

mimi_err mimi_frank_aad_find(const uint8_t *authenticated_data, size_t len,
                             uint8_t tag[MIMI_FRANK_LEN]) {
  if ((authenticated_data == NULL && len > 0) || tag == NULL) return MIMI_ERR_INVALID_ARG;
  if (len == 0) return MIMI_ERR_FRANK_MISSING; /* no AAD at all: nothing was franked */
  mls_safe_aad aad;
  if (mls_safe_aad_decode(authenticated_data, len, &aad) != MIMI_OK) return MIMI_ERR_FRANK_BAD_AAD;
  mimi_err err = MIMI_ERR_FRANK_MISSING;
  uint8_t found[MIMI_FRANK_LEN];
  for (size_t i = 0; i < aad.aad_items_count; i++) {
    const mls_safe_aad_item *it = &aad.aad_items[i];
    if (i > 0 && it->component_id <= aad.aad_items[i - 1].component_id) {
      err = MIMI_ERR_FRANK_BAD_AAD;
      break;
    }
    if (it->component_id != MIMI_COMPONENT_FRANK_AAD) continue;
    mimi_frank_aad fa;
    if (mimi_frank_aad_decode(it->aad_item_data.data, it->aad_item_data.len, &fa) != MIMI_OK) {
      err = MIMI_ERR_FRANK_BAD_AAD;
      break;
    }
    memcpy(found, fa.franking_tag, MIMI_FRANK_LEN);
    err = MIMI_OK;
  }
  mls_safe_aad_free(&aad);
  if (err == MIMI_OK) memcpy(tag, found, MIMI_FRANK_LEN);
  return err;
}

mimi_err mimi_frank_server(const uint8_t *hub_key, size_t hub_key_len,
                           const uint8_t tag[MIMI_FRANK_LEN],
                           const mimi_server_franking_context *context,
                           uint8_t server_frank[MIMI_FRANK_LEN]) {
  if (hub_key == NULL || hub_key_len == 0 || tag == NULL || context == NULL ||
      server_frank == NULL)
    return MIMI_ERR_INVALID_ARG;
  mimi_writer w;
  mimi_writer_init(&w);
  mimi_write_raw(&w, tag, MIMI_FRANK_LEN);
  mimi_encode(mimi_server_franking_context_type(), context, &w);
  mimi_bytes input;
  MIMI_TRY(mimi_writer_finish(&w, &input));
  mimi_err err = mimi_hmac(MIMI_KDF_HKDF_SHA256, hub_key, hub_key_len, input.data, input.len,
                           server_frank);
  mimi_bytes_free(&input);
  return err;
}

static mimi_err integrity_tbs(const uint8_t server_frank[MIMI_FRANK_LEN], uint16_t suite,
                              const mimi_server_franking_context *context, mimi_bytes *out) {
  mimi_franking_integrity_tbs tbs;
  memcpy(tbs.server_frank, server_frank, MIMI_FRANK_LEN);
  tbs.franking_signature_ciphersuite = suite;
  tbs.context = *context; /* shallow: encoded, not freed */
  return mimi_franking_integrity_tbs_encode(&tbs, out);
}

/* A context over borrowed URI bytes. */
static mimi_server_franking_context make_context(const uint8_t *sender, size_t sender_len,
                                                 const uint8_t *room, size_t room_len,
                                                 uint64_t ts) {
  mimi_server_franking_context c;
  c.sender_uri.uri.data = (uint8_t *)(uintptr_t)sender;
  c.sender_uri.uri.len = sender_len;
  c.room_uri.uri.data = (uint8_t *)(uintptr_t)room;
  c.room_uri.uri.len = room_len;
  c.accepted_timestamp = ts;
  return c;
}

static mimi_err sign_frank(uint16_t suite, const uint8_t *priv, size_t priv_len,
                           const uint8_t tag[MIMI_FRANK_LEN], const uint8_t *hub_key,
                           size_t hub_key_len, const mimi_server_franking_context *ctx,
                           mimi_frank *out) {
  mimi_frank f;
  memset(&f, 0, sizeof f);
  MIMI_TRY(mimi_frank_server(hub_key, hub_key_len, tag, ctx, f.server_frank));
  f.franking_signature_ciphersuite = suite;
  mimi_bytes tbs;
  mimi_err err = integrity_tbs(f.server_frank, suite, ctx, &tbs);
  if (err == MIMI_OK) {
    err = mls_sign_with_label(suite, priv, priv_len, (const uint8_t *)integrity_label,
                              sizeof integrity_label - 1, tbs.data, tbs.len,
                              &f.franking_integrity_signature);
    mimi_bytes_free(&tbs);
  }
  if (err != MIMI_OK) {
    mimi_frank_free(&f);
    return err;
  }
  *out = f;
  return MIMI_OK;
}

mimi_err mimi_frank_hub(const mimi_hub_franking *hub, const mimi_submit_message_request *request,
                        const uint8_t *room_uri, size_t room_uri_len,
                        uint64_t accepted_timestamp, mimi_frank *out) {
  if (hub == NULL || request == NULL || room_uri == NULL || out == NULL ||
      hub->hub_key == NULL || hub->hub_key_len < 16 || hub->franking_private_key == NULL)
    return MIMI_ERR_INVALID_ARG;
  if (request->protocol != MIMI_PROTOCOL_MLS10) return MIMI_ERR_BAD_TAG;
  const mimi_submit_message_request_mls *req = &request->mls10;
  if (req->app_message.body.wire_format != MLS_WIRE_PRIVATE_MESSAGE ||
      mimi_proto_message_kind(&req->app_message) != MIMI_MSG_KIND_APPLICATION)
    return MIMI_ERR_PROTO_BAD_MESSAGE;
  const mimi_bytes *ad = &req->app_message.body.private_message.authenticated_data;
  uint8_t tag[MIMI_FRANK_LEN];
  MIMI_TRY(mimi_frank_aad_find(ad->data, ad->len, tag));
  mimi_server_franking_context ctx =
      make_context(req->sending_uri.uri.data, req->sending_uri.uri.len, room_uri, room_uri_len,
                   accepted_timestamp);
  return sign_frank(hub->suite, hub->franking_private_key, hub->franking_private_key_len, tag,
                    hub->hub_key, hub->hub_key_len, &ctx, out);
}

/* The lowercase domain a basic credential names: the identity is either a
 * mimi:// URI (its provider) or a bare domain name. */
static mimi_err credential_domain(const mls_credential *cred, mimi_uri *out) {
  if (cred->credential_type != MLS_CREDENTIAL_BASIC) return MIMI_ERR_UNSUPPORTED;
  const mimi_bytes *id = &cred->identity;
  if (mimi_uri_parse((const char *)id->data, id->len, out) == MIMI_OK) return MIMI_OK;
  if (id->len == 0 || id->len > MIMI_URI_MAX_LEN - 7 || memchr(id->data, '/', id->len))
    return MIMI_ERR_FRANK_AGENT_DOMAIN;
  char buf[MIMI_URI_MAX_LEN];
  memcpy(buf, "mimi://", 7);
  memcpy(buf + 7, id->data, id->len);
  return mimi_uri_parse(buf, id->len + 7, out) == MIMI_OK ? MIMI_OK
                                                          : MIMI_ERR_FRANK_AGENT_DOMAIN;
}

static mimi_err domain_matches(const mls_credential *cred, const char *hub_domain) {
  mimi_uri agent;
  MIMI_TRY(credential_domain(cred, &agent));
  size_t n = strlen(hub_domain);
  bool ok = strlen(agent.provider) == n;
  for (size_t i = 0; ok && i < n; i++) {
    char c = hub_domain[i];
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    ok = agent.provider[i] == c;
  }
  mimi_uri_free(&agent);
  return ok ? MIMI_OK : MIMI_ERR_FRANK_AGENT_DOMAIN;
}

/* franking_agent from the app_data_dictionary GroupContext extension. */
static mimi_err find_agent(const mimi_frank_receiver *rx, mimi_franking_agent_data *out) {
  for (size_t i = 0; i < rx->group_context_extensions_count; i++) {
    const mls_extension *e = &rx->group_context_extensions[i];
    if (e->extension_type != MLS_EXT_APP_DATA_DICTIONARY) continue;
    mls_app_data_dictionary dict;
    MIMI_TRY(mls_app_data_dictionary_decode(e->extension_data.data, e->extension_data.len,
                                            &dict));
    mimi_err err = MIMI_ERR_FRANK_NO_AGENT;
    for (size_t j = 0; j < dict.component_data_count; j++) {
      const mls_component_data *cd = &dict.component_data[j];
      if (cd->component_id != MIMI_COMPONENT_FRANKING_AGENT) continue;
      err = mimi_franking_agent_data_decode(cd->data.data, cd->data.len, out);
      break;
    }
    mls_app_data_dictionary_free(&dict);
    return err;
  }
  return MIMI_ERR_FRANK_NO_AGENT;
}

/* Same identifier: equal bytes, or both mimi:// URIs with equal canonical
 * forms (the content and a credential may spell one URI differently). */
static bool same_identifier(const uint8_t *a, size_t an, const uint8_t *b, size_t bn) {
  if (an == bn && (an == 0 || memcmp(a, b, an) == 0)) return true;
  mimi_uri ua, ub;
  if (mimi_uri_parse((const char *)a, an, &ua) != MIMI_OK) return false;
  bool same = false;
  if (mimi_uri_parse((const char *)b, bn, &ub) == MIMI_OK) {
    same = mimi_uri_equal(&ua, &ub);
    mimi_uri_free(&ub);
  }
  mimi_uri_free(&ua);
  return same;
}

mimi_err mimi_frank_sender_of_credential(const mls_credential *cred, char **user_uri) {
  if (cred == NULL || user_uri == NULL) return MIMI_ERR_INVALID_ARG;
  if (cred->credential_type != MLS_CREDENTIAL_BASIC) return MIMI_ERR_UNSUPPORTED;
  mimi_uri id, user;
  MIMI_TRY(mimi_uri_parse((const char *)cred->identity.data, cred->identity.len, &id));
  mimi_err err = MIMI_OK;
  const mimi_uri *src = &id;
  bool have_user = false;
  if (id.kind == MIMI_URI_CLIENT) {
    err = mimi_uri_user_of(&id, &user);
    have_user = err == MIMI_OK;
    src = &user;
  } else if (id.kind != MIMI_URI_USER && id.kind != MIMI_URI_PSEUDONYM) {
    err = MIMI_ERR_BAD_URI;
  }
  if (err == MIMI_OK) {
    *user_uri = strdup(src->canonical);
    if (*user_uri == NULL) err = MIMI_ERR_NOMEM;
  }
  if (have_user) mimi_uri_free(&user);
  mimi_uri_free(&id);
  return err;
}

static mimi_err verify_integrity(uint16_t suite, const uint8_t *pub, size_t pub_len,
                                 const mimi_frank *frank,
                                 const mimi_server_franking_context *ctx) {
  mimi_bytes tbs;
  MIMI_TRY(integrity_tbs(frank->server_frank, frank->franking_signature_ciphersuite, ctx, &tbs));
  mimi_err err = mls_verify_with_label(suite, pub, pub_len, (const uint8_t *)integrity_label,
                                       sizeof integrity_label - 1, tbs.data, tbs.len,
                                       frank->franking_integrity_signature.data,
                                       frank->franking_integrity_signature.len);
  mimi_bytes_free(&tbs);
  if (err == MIMI_ERR_BAD_SIGNATURE) err = MIMI_ERR_FRANK_BAD_SIGNATURE;
  return err;
}

static mimi_err check_tag(const mimi_content *c, const uint8_t *app, size_t app_len,
                          const uint8_t want[MIMI_FRANK_LEN]) {
  uint8_t tag[MIMI_FRANK_LEN];
  MIMI_TRY(mimi_frank_tag(c->salt, sizeof c->salt, app, app_len, tag));
  bool ok = mimi_ct_eq(tag, want, MIMI_FRANK_LEN);
  mimi_secure_zero(tag, sizeof tag);
  return ok ? MIMI_OK : MIMI_ERR_FRANK_TAG_MISMATCH;
}

static mimi_err verify_with_content(const mimi_frank_receiver *rx, const mimi_content *c,
                                    const uint8_t *app, size_t app_len,
                                    const uint8_t tag[MIMI_FRANK_LEN],
                                    const mimi_franking_agent_data *agent,
                                    const mimi_frank *frank, uint64_t ts) {
  const uint8_t *sender, *room;
  size_t sender_len, room_len;
  MIMI_TRY(mimi_content_sender_uri(c, &sender, &sender_len));
  MIMI_TRY(mimi_content_room_uri(c, &room, &room_len));
  mimi_server_franking_context ctx =
      make_context(sender, sender_len, rx->room_uri, rx->room_uri_len, ts);
  MIMI_TRY(verify_integrity(rx->group_suite, agent->franking_signature_key.data,
                            agent->franking_signature_key.len, frank, &ctx));
  MIMI_TRY(check_tag(c, app, app_len, tag));
  if (!same_identifier(sender, sender_len, rx->sender_uri, rx->sender_uri_len))
    return MIMI_ERR_FRANK_SENDER_MISMATCH;
  if (!same_identifier(room, room_len, rx->room_uri, rx->room_uri_len))
    return MIMI_ERR_FRANK_ROOM_MISMATCH;
  return MIMI_OK;
}

mimi_err mimi_frank_verify(const mimi_frank_receiver *rx, const uint8_t *authenticated_data,
                           size_t ad_len, const uint8_t *application_data, size_t app_len,
                           const uint8_t *content, size_t content_len, const mimi_frank *frank,
                           uint64_t accepted_timestamp) {
  if (rx == NULL || rx->hub_domain == NULL || rx->room_uri == NULL ||
      rx->sender_uri == NULL || application_data == NULL || content == NULL ||
      (rx->group_context_extensions == NULL && rx->group_context_extensions_count > 0))
    return MIMI_ERR_INVALID_ARG;
  if (frank == NULL) return MIMI_ERR_FRANK_MISSING;
  uint8_t tag[MIMI_FRANK_LEN];
  MIMI_TRY(mimi_frank_aad_find(authenticated_data, ad_len, tag));
  if (frank->franking_signature_ciphersuite != rx->group_suite)
    return MIMI_ERR_FRANK_SUITE_MISMATCH;
  mimi_franking_agent_data agent;
  MIMI_TRY(find_agent(rx, &agent));
  mimi_err err = domain_matches(&agent.credential, rx->hub_domain);
  mimi_content c;
  bool have_content = false;
  if (err == MIMI_OK) {
    err = mimi_content_decode(content, content_len, NULL, &c);
    have_content = err == MIMI_OK;
  }
  if (err == MIMI_OK)
    err = verify_with_content(rx, &c, application_data, app_len, tag, &agent, frank,
                              accepted_timestamp);
  if (have_content) mimi_content_free(&c);
  mimi_franking_agent_data_free(&agent);
  return err;
}

mimi_err mimi_frank_hub_check_report(const uint8_t *hub_key, size_t hub_key_len,
                                     const uint8_t *franking_public_key, size_t public_key_len,
                                     const mimi_abusive_message *message) {
  if (hub_key == NULL || hub_key_len == 0 || franking_public_key == NULL || message == NULL)
    return MIMI_ERR_INVALID_ARG;
  const mimi_frank *frank = &message->frank;
  if (mimi_suite_get(frank->franking_signature_ciphersuite) == NULL)
    return MIMI_ERR_UNSUPPORTED_SUITE;
  const mimi_bytes *mc = &message->message_content;
  mimi_content c;
  MIMI_TRY(mimi_content_decode(mc->data, mc->len, NULL, &c));
  const uint8_t *sender = NULL, *room = NULL;
  size_t sender_len = 0, room_len = 0;
  uint8_t tag[MIMI_FRANK_LEN], server_frank[MIMI_FRANK_LEN];
  mimi_err err = mimi_content_sender_uri(&c, &sender, &sender_len);
  if (err == MIMI_OK) err = mimi_content_room_uri(&c, &room, &room_len);
  if (err == MIMI_OK) err = mimi_frank_tag(c.salt, sizeof c.salt, mc->data, mc->len, tag);
  mimi_server_franking_context ctx =
      make_context(sender, sender_len, room, room_len, message->accepted_timestamp);
  if (err == MIMI_OK) err = mimi_frank_server(hub_key, hub_key_len, tag, &ctx, server_frank);
  if (err == MIMI_OK && !mimi_ct_eq(server_frank, frank->server_frank, MIMI_FRANK_LEN))
    err = MIMI_ERR_FRANK_SERVER_MISMATCH;
  if (err == MIMI_OK)
    err = verify_integrity(frank->franking_signature_ciphersuite, franking_public_key,
                           public_key_len, frank, &ctx);
  mimi_secure_zero(server_frank, sizeof server_frank);
  mimi_content_free(&c);
  return err;
}
