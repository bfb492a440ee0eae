/* provider_fixture.h — what the provider tests share: a client identity
 * (signature key, basic credential with its client URI, KeyPackages) and a
 * signed KeyMaterialRequest. */
#ifndef MIMI_PROVIDER_FIXTURE_H
#define MIMI_PROVIDER_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "loopback.h"
#include "mimi/crypto.h"
#include "mimi/mls.h"
#include "mimi/provider.h"

#define FX_SUITE 1 /* MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519 */

typedef struct {
  const char *uri; /* client URI */
  mimi_bytes sig_priv, sig_pub;
  mls_credential cred;
} fx_client;

static MIMI_MAYBE_UNUSED void fx_client_init_suite(fx_client *c, const char *uri, uint16_t suite,
                                                   const mimi_rng *rng) {
  memset(c, 0, sizeof *c);
  c->uri = uri;
  CHECK_OK(mimi_sig_generate(mimi_suite_get(suite)->sig, rng, &c->sig_priv, &c->sig_pub));
  c->cred.credential_type = MLS_CREDENTIAL_BASIC;
  CHECK_OK(mimi_bytes_copy(&c->cred.identity, (const uint8_t *)uri, strlen(uri)));
}

static MIMI_MAYBE_UNUSED void fx_client_init(fx_client *c, const char *uri,
                                             const mimi_rng *rng) {
  fx_client_init_suite(c, uri, FX_SUITE, rng);
}

static MIMI_MAYBE_UNUSED void fx_client_free(fx_client *c) {
  mimi_bytes_free(&c->sig_priv);
  mimi_bytes_free(&c->sig_pub);
  mls_credential_free(&c->cred);
}

/* A KeyPackage of c with its private keys, valid from not_before to
 * not_after (0: forever). */
static MIMI_MAYBE_UNUSED void fx_key_package_bundle_lifetime(const fx_client *c,
                                                             const mimi_rng *rng,
                                                             uint64_t not_before,
                                                             uint64_t not_after,
                                                             mls_key_package_bundle *out) {
  mls_key_package_options o;
  memset(&o, 0, sizeof o);
  o.credential = &c->cred;
  o.sig_priv = c->sig_priv.data;
  o.sig_priv_len = c->sig_priv.len;
  o.lifetime.not_before = not_before;
  o.lifetime.not_after = not_after;
  CHECK_OK(mls_key_package_create(out, FX_SUITE, &o, rng));
}

/* The same for joining later, valid forever. */
static MIMI_MAYBE_UNUSED void fx_key_package_bundle(const fx_client *c, const mimi_rng *rng,
                                                    mls_key_package_bundle *out) {
  fx_key_package_bundle_lifetime(c, rng, 0, 0, out);
}

/* A KeyPackage of c valid from not_before to not_after (0: forever). */
static MIMI_MAYBE_UNUSED void fx_key_package(const fx_client *c, const mimi_rng *rng,
                                             uint64_t not_before, uint64_t not_after,
                                             mls_key_package *out) {
  mls_key_package_bundle b;
  fx_key_package_bundle_lifetime(c, rng, not_before, not_after, &b);
  CHECK_OK(mimi_clone(mls_key_package_type(), out, &b.key_package));
  mls_key_package_bundle_free(&b);
}

/* An upload body: n ordinary KeyPackages and optionally a last-resort one. */
static MIMI_MAYBE_UNUSED mimi_bytes fx_upload_body(const fx_client *c, const mimi_rng *rng,
                                                   size_t n, bool last_resort,
                                                   uint64_t not_after) {
  mimi_client_upload_request u;
  memset(&u, 0, sizeof u);
  u.key_packages = calloc(n ? n : 1, sizeof *u.key_packages);
  u.key_packages_count = n;
  for (size_t i = 0; i < n; i++) fx_key_package(c, rng, 0, not_after, &u.key_packages[i]);
  if (last_resort) {
    u.last_resort = calloc(1, sizeof *u.last_resort);
    fx_key_package(c, rng, 0, not_after, u.last_resort);
  }
  mimi_bytes out = {0};
  CHECK_OK(mimi_client_upload_request_encode(&u, &out));
  mimi_client_upload_request_free(&u);
  return out;
}

/* A KeyMaterialRequest from `requester` (a client of requesting_user) for
 * target_user, signed with its key. */
static MIMI_MAYBE_UNUSED void fx_km_request(const fx_client *requester, const char *requesting_user,
                                            const char *target_user, const uint16_t *suites,
                                            size_t n_suites, mimi_key_material_request *out) {
  memset(out, 0, sizeof *out);
  out->protocol = MIMI_PROTOCOL_MLS10;
  mimi_key_material_request_mls *m = &out->mls10;
  CHECK_OK(mimi_bytes_copy(&m->requesting_user.uri, (const uint8_t *)requesting_user,
                           strlen(requesting_user)));
  CHECK_OK(mimi_bytes_copy(&m->target_user.uri, (const uint8_t *)target_user,
                           strlen(target_user)));
  const char *room = "mimi://b.example/r/club";
  CHECK_OK(mimi_bytes_copy(&m->room_id.uri, (const uint8_t *)room, strlen(room)));
  m->acceptable_ciphersuites = calloc(n_suites ? n_suites : 1, sizeof(uint16_t));
  memcpy(m->acceptable_ciphersuites, suites, n_suites * sizeof(uint16_t));
  m->acceptable_ciphersuites_count = n_suites;
  CHECK_OK(mimi_bytes_dup(&m->requester_signature_key, &requester->sig_pub));
  CHECK_OK(mimi_clone(mls_credential_type(), &m->requester_credential, &requester->cred));
  CHECK_OK(mimi_key_material_request_sign(out, requester->sig_priv.data, requester->sig_priv.len));
}

static MIMI_MAYBE_UNUSED mimi_bytes fx_encode_km(const mimi_key_material_request *r) {
  mimi_bytes b = {0};
  CHECK_OK(mimi_proto_encode(mimi_key_material_request_type(), r, &b));
  return b;
}

/* ---- rooms ------------------------------------------------------------------ */


/* The client API bodies of tools/loopback.h, checked. */
static MIMI_MAYBE_UNUSED mimi_bytes fx_upload_bundle_body(mls_key_package_bundle *kp) {
  mimi_bytes out = {0};
  CHECK_OK(lb_upload_bundle_body(kp, &out));
  return out;
}

static MIMI_MAYBE_UNUSED mimi_bytes fx_create_room_body(const char *room_uri, mls_group *g) {
  mimi_bytes out = {0};
  CHECK_OK(lb_create_room_body(room_uri, g, &out));
  return out;
}

static MIMI_MAYBE_UNUSED mimi_bytes fx_update_body(const mls_message *commit,
                                                   const mls_welcome *w, mls_group *g) {
  mimi_bytes out = {0};
  CHECK_OK(lb_update_body(commit, w, g, &out));
  return out;
}

static MIMI_MAYBE_UNUSED mimi_bytes fx_submit_body(const char *sender_uri, const char *text,
                                                   mls_group *g, const mimi_rng *rng) {
  mimi_bytes out = {0};
  CHECK_OK(lb_submit_body(sender_uri, (const uint8_t *)text, strlen(text), g, rng, &out));
  return out;
}

/* Whether a fanned-out application message reads as text in g. */
static MIMI_MAYBE_UNUSED bool fx_reads(mls_group *g, const mimi_fanout_message *f,
                                       const char *text) {
  mimi_bytes data = {0};
  uint32_t sender;
  if (g == NULL || mls_group_unprotect(g, &f->message, &data, &sender) != MIMI_OK) return false;
  bool ok = data.len == strlen(text) && memcmp(data.data, text, data.len) == 0;
  mimi_bytes_free(&data);
  return ok;
}

#endif
