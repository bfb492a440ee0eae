/* mls_bench_client.h — a benchmark's group member before it joins: a
 * signature key pair, a basic credential naming it by number, and a
 * KeyPackage with its private keys (shared by the MLS group benches). */
#ifndef MIMI_MLS_BENCH_CLIENT_H
#define MIMI_MLS_BENCH_CLIENT_H

#include <string.h>

#include "mimi/mls.h"
#include "util.h"

typedef struct {
  mimi_bytes sig_priv, sig_pub;
  mls_credential cred;
  mls_key_package_bundle kp;
} client;

static void make_client(uint16_t suite, client *c, uint32_t i) {
  const mimi_suite *s = mimi_suite_get(suite);
  memset(c, 0, sizeof *c);
  BENCH_OK(mimi_sig_generate(s->sig, mimi_rng_system(), &c->sig_priv, &c->sig_pub));
  c->cred.credential_type = MLS_CREDENTIAL_BASIC;
  BENCH_OK(mimi_bytes_copy(&c->cred.identity, (const uint8_t *)&i, sizeof i));
  mls_key_package_options o;
  memset(&o, 0, sizeof o);
  o.credential = &c->cred;
  o.sig_priv = c->sig_priv.data;
  o.sig_priv_len = c->sig_priv.len;
  BENCH_OK(mls_key_package_create(&c->kp, suite, &o, mimi_rng_system()));
}

static void free_client(client *c) {
  mls_key_package_bundle_free(&c->kp);
  mimi_bytes_free(&c->sig_priv);
  mimi_bytes_free(&c->sig_pub);
  mls_credential_free(&c->cred);
}

#endif /* MIMI_MLS_BENCH_CLIENT_H */
