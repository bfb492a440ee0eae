/* mls_test_util.h — helpers shared by the MLS group tests: members built
 * through the public API (signature key, basic credential, KeyPackage,
 * group), delivering a commit to everyone, and the inputs of the mlswg
 * passive-client vectors (external PSK table, HPKE private keys, messages,
 * epoch authenticators). */
#ifndef MIMI_MLS_TEST_UTIL_H
#define MIMI_MLS_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "mimi/mls.h"

typedef struct {
  bool in; /* a member right now (for tests that track it) */
  mimi_bytes sig_priv, sig_pub;
  mls_credential cred;
  mls_key_package_bundle kp;
  mls_group *g;
} mt_member;

/* A fresh KeyPackage for x (extra: non-default extension types to list);
 * the first time also a signature key and a basic credential `name`. */
static MIMI_MAYBE_UNUSED void mt_member_key_package(mt_member *x, uint16_t suite,
                                                    const mimi_rng *rng, const char *name,
                                                    const uint16_t *extra, size_t n_extra) {
  mls_key_package_bundle_free(&x->kp);
  if (x->sig_priv.len == 0) {
    CHECK_OK(mimi_sig_generate(mimi_suite_get(suite)->sig, rng, &x->sig_priv, &x->sig_pub));
    x->cred.credential_type = MLS_CREDENTIAL_BASIC;
    CHECK_OK(mimi_bytes_copy(&x->cred.identity, (const uint8_t *)name, strlen(name)));
  }
  mls_key_package_options o;
  memset(&o, 0, sizeof o);
  o.credential = &x->cred;
  o.sig_priv = x->sig_priv.data;
  o.sig_priv_len = x->sig_priv.len;
  o.extra_extensions = extra;
  o.n_extra_extensions = n_extra;
  CHECK_OK(mls_key_package_create(&x->kp, suite, &o, rng));
}

static MIMI_MAYBE_UNUSED void mt_member_free(mt_member *x) {
  mls_group_free(x->g);
  mls_key_package_bundle_free(&x->kp);
  mimi_bytes_free(&x->sig_priv);
  mimi_bytes_free(&x->sig_pub);
  mls_credential_free(&x->cred);
  memset(x, 0, sizeof *x);
}

/* An Add of x's KeyPackage (a view). */
static MIMI_MAYBE_UNUSED mls_proposal mt_add_of(const mt_member *x) {
  mls_proposal p;
  p.proposal_type = MLS_PROPOSAL_ADD;
  p.add.key_package = x->kp.key_package;
  return p;
}

/* Every active member of m[0..n) but `committer` stages and merges cm; the
 * committer merges its pending commit. */
static MIMI_MAYBE_UNUSED void mt_deliver(mt_member *m, size_t n, size_t committer,
                                         const mls_message *cm) {
  for (size_t i = 0; i < n; i++) {
    if (i == committer || m[i].g == NULL || !mls_group_active(m[i].g)) continue;
    mls_authenticated_content ac;
    mls_staged_commit *sc = NULL;
    CHECK_OK(mls_group_read(m[i].g, cm, &ac));
    CHECK_OK(mls_group_stage_commit(m[i].g, &ac, &sc));
    if (sc != NULL) mls_group_merge(m[i].g, sc);
    mls_authenticated_content_free(&ac);
  }
  CHECK_OK(mls_group_merge_pending(m[committer].g));
}

/* One external PSK every test member knows (by psk_id). */
static MIMI_MAYBE_UNUSED const uint8_t mt_psk_id[] = "external-psk-1",
                                       mt_psk_value[] = "a shared secret";

static MIMI_MAYBE_UNUSED mimi_err mt_fixed_psk_get(void *ctx, const mls_pre_shared_key_id *id,
                                                   const uint8_t **psk, size_t *len) {
  (void)ctx;
  if (id->source.psktype != MLS_PSK_EXTERNAL ||
      id->source.external.psk_id.len != sizeof mt_psk_id - 1 ||
      memcmp(id->source.external.psk_id.data, mt_psk_id, sizeof mt_psk_id - 1) != 0)
    return MIMI_ERR_NOT_FOUND;
  *psk = mt_psk_value;
  *len = sizeof mt_psk_value - 1;
  return MIMI_OK;
}
static MIMI_MAYBE_UNUSED const mls_psk_store mt_fixed_psks = {mt_fixed_psk_get, NULL};

/* ---- passive-client vectors -------------------------------------------- */

/* A case's external_psks as a PSK store. */
typedef struct {
  mimi_bytes *ids, *values;
  size_t n;
} mt_psk_table;

static MIMI_MAYBE_UNUSED mimi_err mt_psk_get(void *ctx, const mls_pre_shared_key_id *id,
                                             const uint8_t **psk, size_t *len) {
  mt_psk_table *t = ctx;
  if (id->source.psktype != MLS_PSK_EXTERNAL) return MIMI_ERR_NOT_FOUND;
  for (size_t i = 0; i < t->n; i++)
    if (mimi_bytes_eq(&t->ids[i], &id->source.external.psk_id)) {
      *psk = t->values[i].data;
      *len = t->values[i].len;
      return MIMI_OK;
    }
  return MIMI_ERR_NOT_FOUND;
}

static MIMI_MAYBE_UNUSED mls_psk_store mt_psk_table_load(mt_psk_table *t, json_t *v) {
  json_t *psks = json_object_get(v, "external_psks");
  t->n = json_array_size(psks);
  t->ids = calloc(t->n + 1, sizeof *t->ids);
  t->values = calloc(t->n + 1, sizeof *t->values);
  if (t->ids == NULL || t->values == NULL) exit(2);
  for (size_t i = 0; i < t->n; i++) {
    t->ids[i] = mimi_vec_hex(json_array_get(psks, i), "psk_id");
    t->values[i] = mimi_vec_hex(json_array_get(psks, i), "psk");
  }
  mls_psk_store s = {mt_psk_get, t};
  return s;
}

static MIMI_MAYBE_UNUSED void mt_psk_table_free(mt_psk_table *t) {
  for (size_t i = 0; i < t->n; i++) {
    mimi_bytes_free(&t->ids[i]);
    mimi_bytes_free(&t->values[i]);
  }
  free(t->ids);
  free(t->values);
}

/* The MLSMessage in a hex string. */
static MIMI_MAYBE_UNUSED mimi_err mt_decode_hex_message(json_t *s, mls_message *m) {
  mimi_bytes b;
  MIMI_TRY(mimi_bytes_from_hex(&b, json_string_value(s)));
  mimi_err err = mls_message_decode(b.data, b.len, m);
  mimi_bytes_free(&b);
  return err;
}

/* Some suite-5 (P-521) private keys in the vectors have 65 bytes: the
 * generator dropped a leading zero of the 66-byte scalar (Nsk, RFC 9180
 * §7.1). Put it back. */
static MIMI_MAYBE_UNUSED mimi_bytes mt_hpke_priv(json_t *v, const char *key, uint16_t suite) {
  mimi_bytes b = mimi_vec_hex(v, key);
  size_t nsk = mimi_suite_get(suite)->kem_priv_len;
  if (b.len >= nsk) return b;
  mimi_bytes p;
  if (mimi_bytes_alloc(&p, nsk) != MIMI_OK) exit(2);
  memcpy(p.data + (nsk - b.len), b.data, b.len);
  mimi_bytes_free(&b);
  return p;
}

static MIMI_MAYBE_UNUSED bool mt_same_authenticator(const mls_group *g, json_t *obj,
                                                    const char *key) {
  size_t len;
  const uint8_t *ea = mls_group_epoch_authenticator(g, &len);
  mimi_bytes want = mimi_vec_hex(obj, key);
  bool ok = want.len == len && memcmp(want.data, ea, len) == 0;
  mimi_bytes_free(&want);
  return ok;
}

/* One passive-client case's inputs: the joiner's KeyPackage with its
 * private keys, the Welcome, the tree when given separately, the external
 * PSKs (cfg.psks points into the struct: do not move it). */
typedef struct {
  uint16_t suite;
  mt_psk_table pt;
  mls_psk_store store;
  mls_group_config cfg;
  mls_message kpm, wm;
  mls_key_package_bundle kp;
  mimi_bytes sig_priv;
  mls_ratchet_tree tree, *treep;
} mt_passive_case;

static MIMI_MAYBE_UNUSED void mt_passive_case_load(mt_passive_case *c, json_t *v) {
  memset(c, 0, sizeof *c);
  c->suite = (uint16_t)mimi_vec_int(v, "cipher_suite");
  c->store = mt_psk_table_load(&c->pt, v);
  c->cfg = mls_group_config_default();
  c->cfg.psks = &c->store;
  CHECK_OK(mt_decode_hex_message(json_object_get(v, "key_package"), &c->kpm));
  CHECK(c->kpm.body.wire_format == MLS_WIRE_KEY_PACKAGE);
  c->kp.key_package = c->kpm.body.key_package; /* a view: kpm owns it */
  c->kp.init_priv = mt_hpke_priv(v, "init_priv", c->suite);
  c->kp.encryption_priv = mt_hpke_priv(v, "encryption_priv", c->suite);
  c->sig_priv = mimi_vec_hex(v, "signature_priv");
  CHECK(c->kp.key_package.cipher_suite == c->suite);
  CHECK_OK(mls_key_package_validate(&c->kp.key_package, c->suite, 0));
  CHECK_OK(mt_decode_hex_message(json_object_get(v, "welcome"), &c->wm));
  if (json_is_string(json_object_get(v, "ratchet_tree"))) {
    mimi_bytes tb = mimi_vec_hex(v, "ratchet_tree");
    CHECK_OK(mls_ratchet_tree_decode(tb.data, tb.len, &c->tree));
    mimi_bytes_free(&tb);
    c->treep = &c->tree;
  }
}

/* The member's join from the case's Welcome. */
static MIMI_MAYBE_UNUSED mimi_err mt_passive_case_join(mt_passive_case *c, mls_group **g) {
  return mls_group_join(g, &c->wm.body.welcome, &c->kp, c->sig_priv.data, c->sig_priv.len,
                        c->treep, &c->cfg);
}

static MIMI_MAYBE_UNUSED void mt_passive_case_free(mt_passive_case *c) {
  mls_ratchet_tree_free(&c->tree);
  mls_message_free(&c->wm);
  mls_message_free(&c->kpm);
  mimi_bytes_free(&c->kp.init_priv);
  mimi_bytes_free(&c->kp.encryption_priv);
  mimi_bytes_free(&c->sig_priv);
  mt_psk_table_free(&c->pt);
}

/* run(case, index) for the cases of a vector file; MIMI_SUBSAMPLE=k runs
 * every k-th (sanitizer builds). */
static MIMI_MAYBE_UNUSED void mt_run_vector_file(const char *path,
                                                 void (*run)(json_t *v, size_t index)) {
  json_t *root = mimi_vec_load(path);
  size_t step = 1;
  const char *sub = getenv("MIMI_SUBSAMPLE");
  if (sub != NULL && atoi(sub) > 1) step = (size_t)atoi(sub);
  for (size_t i = 0; i < json_array_size(root); i += step) run(json_array_get(root, i), i);
  json_decref(root);
}

#endif /* MIMI_MLS_TEST_UTIL_H */
