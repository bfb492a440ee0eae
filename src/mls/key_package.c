/* key_package.c — KeyPackages (RFC 9420 §10): creating one with fresh HPKE
 * keys and the capabilities this library implements, the §10.1 checks a
 * receiver runs, and KeyPackageRef. */
#include <stdlib.h>
#include <string.h>

#include "group_internal.h"

/* Non-default proposal types we implement (§7.2: defaults are not listed). */
static const uint16_t own_proposals[] = {MLS_PROPOSAL_APP_DATA_UPDATE, MLS_PROPOSAL_APP_EPHEMERAL,
                                         MLS_PROPOSAL_SELF_REMOVE};
/* ext §AppData: we understand app_data_dictionary (and its components). */
static const uint16_t own_extensions[] = {MLS_EXT_APP_DATA_DICTIONARY};
static const uint16_t own_credentials[] = {MLS_CREDENTIAL_BASIC, MLS_CREDENTIAL_X509};

static mimi_err u16_list(uint16_t **out, size_t *count, const uint16_t *a, size_t na,
                         const uint16_t *b, size_t nb) {
  *out = NULL;
  *count = 0;
  if (na + nb == 0) return MIMI_OK;
  uint16_t *l = malloc((na + nb) * sizeof *l);
  if (l == NULL) return MIMI_ERR_NOMEM;
  if (na > 0) memcpy(l, a, na * sizeof *l);
  if (nb > 0) memcpy(l + na, b, nb * sizeof *l);
  *out = l;
  *count = na + nb;
  return MIMI_OK;
}

mimi_err group_default_capabilities(uint16_t suite, const uint16_t *extra, size_t n_extra,
                                    mls_capabilities *out) {
  uint16_t suites[8];
  size_t n_suites = 0;
  for (uint16_t id = 1; id <= 7; id++)
    if (mimi_suite_get(id) != NULL) suites[n_suites++] = id;
  if (mimi_suite_get(suite) == NULL) return MIMI_ERR_UNSUPPORTED_SUITE;
  static const uint16_t versions[] = {MLS_VERSION_MLS10};
  mls_capabilities c;
  memset(&c, 0, sizeof c);
  mimi_err err = u16_list(&c.versions, &c.versions_count, versions, 1, NULL, 0);
  if (err == MIMI_OK)
    err = u16_list(&c.cipher_suites, &c.cipher_suites_count, suites, n_suites, NULL, 0);
  /* the caller's extra types, then ours unless already there */
  uint16_t ours[sizeof own_extensions / sizeof own_extensions[0]];
  size_t n_ours = 0;
  for (size_t i = 0; i < sizeof own_extensions / sizeof own_extensions[0]; i++)
    if (!group_u16_in(extra, n_extra, own_extensions[i])) ours[n_ours++] = own_extensions[i];
  if (err == MIMI_OK)
    err = u16_list(&c.extensions, &c.extensions_count, extra, n_extra, ours, n_ours);
  if (err == MIMI_OK)
    err = u16_list(&c.proposals, &c.proposals_count, own_proposals,
                   sizeof own_proposals / sizeof own_proposals[0], NULL, 0);
  if (err == MIMI_OK)
    err = u16_list(&c.credentials, &c.credentials_count, own_credentials,
                   sizeof own_credentials / sizeof own_credentials[0], NULL, 0);
  if (err != MIMI_OK) {
    mls_capabilities_free(&c);
    return err;
  }
  *out = c;
  return MIMI_OK;
}

static mimi_err clone_extensions(mls_extension **out, size_t *count, const mls_extension *in,
                                 size_t n) {
  *out = NULL;
  *count = 0;
  if (n == 0) return MIMI_OK;
  mls_extension *e = calloc(n, sizeof *e);
  if (e == NULL) return MIMI_ERR_NOMEM;
  for (size_t i = 0; i < n; i++) {
    mimi_err err = mimi_clone(mls_extension_type(), &e[i], &in[i]);
    if (err != MIMI_OK) {
      for (size_t j = 0; j < i; j++) mls_extension_free(&e[j]);
      free(e);
      return err;
    }
  }
  *out = e;
  *count = n;
  return MIMI_OK;
}

static mimi_err key_package_tbs(const mls_key_package *kp, mimi_bytes *out) {
  return group_tbs_encode(mls_key_package_type(), kp, &kp->signature, out);
}

static mimi_err build(mls_key_package_bundle *b, uint16_t suite,
                      const mls_key_package_options *opt, const mimi_suite *s,
                      const mimi_rng *rng) {
  mls_key_package *kp = &b->key_package;
  mls_leaf_node *leaf = &kp->leaf_node;
  kp->version = MLS_VERSION_MLS10;
  kp->cipher_suite = suite;
  MIMI_TRY(mimi_kem_generate_key_pair(s->kem, rng, &b->init_priv, &kp->init_key));
  MIMI_TRY(mimi_kem_generate_key_pair(s->kem, rng, &b->encryption_priv, &leaf->encryption_key));
  MIMI_TRY(mimi_sig_public_key(s->sig, opt->sig_priv, opt->sig_priv_len, &leaf->signature_key));
  MIMI_TRY(mimi_clone(mls_credential_type(), &leaf->credential, opt->credential));
  MIMI_TRY(group_default_capabilities(suite, opt->extra_extensions, opt->n_extra_extensions,
                                      &leaf->capabilities));
  leaf->source.leaf_node_source = MLS_LEAF_SOURCE_KEY_PACKAGE;
  leaf->source.lifetime = opt->lifetime;
  if (opt->lifetime.not_after == 0) {
    leaf->source.lifetime.not_before = 0;
    leaf->source.lifetime.not_after = UINT64_MAX;
  }
  MIMI_TRY(clone_extensions(&leaf->extensions, &leaf->extensions_count, opt->leaf_extensions,
                            opt->n_leaf_extensions));
  MIMI_TRY(clone_extensions(&kp->extensions, &kp->extensions_count, opt->extensions,
                            opt->n_extensions));
  MIMI_TRY(mls_leaf_node_sign(suite, leaf, opt->sig_priv, opt->sig_priv_len, NULL, 0, 0));
  mimi_bytes tbs;
  MIMI_TRY(key_package_tbs(kp, &tbs));
  mimi_err err = mls_sign_with_label(suite, opt->sig_priv, opt->sig_priv_len,
                                     MLS_LABEL("KeyPackageTBS"), tbs.data, tbs.len,
                                     &kp->signature);
  mimi_bytes_free(&tbs);
  return err;
}

mimi_err mls_key_package_create(mls_key_package_bundle *out, uint16_t suite,
                                const mls_key_package_options *opt, const mimi_rng *rng) {
  const mimi_suite *s;
  MIMI_TRY(mls_suite_lookup(suite, &s));
  if (opt == NULL || opt->credential == NULL || opt->sig_priv == NULL)
    return MIMI_ERR_INVALID_ARG;
  mls_key_package_bundle b;
  memset(&b, 0, sizeof b);
  mimi_err err = build(&b, suite, opt, s, rng);
  if (err != MIMI_OK) {
    mls_key_package_bundle_free(&b);
    return err;
  }
  *out = b;
  return MIMI_OK;
}

void mls_key_package_bundle_free(mls_key_package_bundle *b) {
  if (b == NULL) return;
  mls_key_package_free(&b->key_package);
  mimi_bytes_free(&b->init_priv);
  mimi_bytes_free(&b->encryption_priv);
}

mimi_err mls_key_package_validate(const mls_key_package *kp, uint16_t suite, uint64_t now) {
  if (kp->version != MLS_VERSION_MLS10) return MIMI_ERR_BAD_KEY_PACKAGE;
  if (suite != 0 && kp->cipher_suite != suite) return MIMI_ERR_BAD_KEY_PACKAGE;
  if (mimi_suite_get(kp->cipher_suite) == NULL) return MIMI_ERR_BAD_KEY_PACKAGE;
  const mls_leaf_node *leaf = &kp->leaf_node;
  if (leaf->source.leaf_node_source != MLS_LEAF_SOURCE_KEY_PACKAGE)
    return MIMI_ERR_BAD_KEY_PACKAGE;
  const mls_lifetime *lt = &leaf->source.lifetime;
  if (now != 0 && (now < lt->not_before || now > lt->not_after)) return MIMI_ERR_BAD_KEY_PACKAGE;
  if (mimi_bytes_eq(&kp->init_key, &leaf->encryption_key)) return MIMI_ERR_BAD_KEY_PACKAGE;
  const mls_capabilities *c = &leaf->capabilities;
  if (!group_u16_in(c->credentials, c->credentials_count, leaf->credential.credential_type))
    return MIMI_ERR_BAD_KEY_PACKAGE;
  for (size_t i = 0; i < leaf->extensions_count; i++) {
    uint16_t t = leaf->extensions[i].extension_type;
    if (!group_default_extension(t) && !group_u16_in(c->extensions, c->extensions_count, t))
      return MIMI_ERR_BAD_KEY_PACKAGE;
  }
  if (group_check_dictionary(leaf->extensions, leaf->extensions_count) != MIMI_OK ||
      group_check_dictionary(kp->extensions, kp->extensions_count) != MIMI_OK)
    return MIMI_ERR_BAD_KEY_PACKAGE;
  MIMI_TRY(mls_leaf_node_verify(kp->cipher_suite, leaf, NULL, 0, 0));
  mimi_bytes tbs;
  MIMI_TRY(key_package_tbs(kp, &tbs));
  mimi_err err = mls_verify_with_label(kp->cipher_suite, leaf->signature_key.data,
                                       leaf->signature_key.len, MLS_LABEL("KeyPackageTBS"),
                                       tbs.data, tbs.len, kp->signature.data, kp->signature.len);
  mimi_bytes_free(&tbs);
  return err;
}

mimi_err mls_key_package_ref(const mls_key_package *kp, uint8_t *out) {
  mimi_bytes enc;
  MIMI_TRY(mls_key_package_encode(kp, &enc));
  mimi_err err = mls_make_key_package_ref(kp->cipher_suite, enc.data, enc.len, out);
  mimi_bytes_free(&enc);
  return err;
}
