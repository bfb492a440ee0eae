/* key_schedule.c — one epoch of the RFC 9420 §8 key schedule: from the
 * previous init_secret, the commit_secret, the psk_secret and the new
 * GroupContext to every epoch secret, and the exporter (§8.5). */
#include <string.h>

#include "mls_internal.h"

/* An optional Nh-byte secret: absent (NULL/0) means Nh zero bytes. */
static mimi_err optional_secret(const mimi_suite *s, const uint8_t *in, size_t len,
                                const uint8_t **out, const uint8_t *zeros) {
  if (in == NULL && len == 0) {
    *out = zeros;
    return MIMI_OK;
  }
  if (in == NULL || len != s->hash_len) return MIMI_ERR_BAD_LENGTH;
  *out = in;
  return MIMI_OK;
}

mimi_err mls_key_schedule_joiner(uint16_t suite, const uint8_t *init_secret,
                                 size_t init_secret_len, const uint8_t *commit_secret,
                                 size_t commit_secret_len, const uint8_t *group_context,
                                 size_t group_context_len, uint8_t *joiner_secret) {
  const mimi_suite *s;
  MIMI_TRY(mls_suite_lookup(suite, &s));
  static const uint8_t zeros[MIMI_MAX_HASH];
  const uint8_t *commit;
  if (init_secret == NULL || init_secret_len != s->hash_len) return MIMI_ERR_BAD_LENGTH;
  MIMI_TRY(optional_secret(s, commit_secret, commit_secret_len, &commit, zeros));

  uint8_t prk[MIMI_MAX_HASH];
  uint8_t joiner[MIMI_MAX_HASH];
  mimi_err err = mimi_hkdf_extract(s->kdf, init_secret, init_secret_len, commit, s->hash_len,
                                   prk);
  if (err == MIMI_OK)
    err = mls_expand_with_label(suite, prk, s->hash_len, MLS_LABEL("joiner"), group_context,
                                group_context_len, joiner, s->hash_len);
  if (err == MIMI_OK) memcpy(joiner_secret, joiner, s->hash_len);
  mimi_secure_zero(prk, sizeof prk);
  mimi_secure_zero(joiner, sizeof joiner);
  return err;
}

/* The epoch_secret's DeriveSecret labels and where each result goes. */
typedef struct {
  const char *label;
  size_t offset;
} derived_secret;

static const derived_secret derived[] = {
    {"sender data", offsetof(mls_epoch_secrets, sender_data_secret)},
    {"encryption", offsetof(mls_epoch_secrets, encryption_secret)},
    {"exporter", offsetof(mls_epoch_secrets, exporter_secret)},
    {"external", offsetof(mls_epoch_secrets, external_secret)},
    {"confirm", offsetof(mls_epoch_secrets, confirmation_key)},
    {"membership", offsetof(mls_epoch_secrets, membership_key)},
    {"resumption", offsetof(mls_epoch_secrets, resumption_psk)},
    {"authentication", offsetof(mls_epoch_secrets, epoch_authenticator)},
    {"init", offsetof(mls_epoch_secrets, init_secret)},
};

mimi_err mls_key_schedule_from_joiner(mls_epoch_secrets *out, uint16_t suite,
                                      const uint8_t *joiner_secret, size_t joiner_secret_len,
                                      const uint8_t *psk_secret, size_t psk_secret_len,
                                      const uint8_t *group_context, size_t group_context_len) {
  const mimi_suite *s;
  MIMI_TRY(mls_suite_lookup(suite, &s));
  static const uint8_t zeros[MIMI_MAX_HASH];
  const uint8_t *psk;
  if (joiner_secret == NULL || joiner_secret_len != s->hash_len) return MIMI_ERR_BAD_LENGTH;
  MIMI_TRY(optional_secret(s, psk_secret, psk_secret_len, &psk, zeros));

  const size_t nh = s->hash_len;
  /* Built in a local so *out is untouched on failure. */
  mls_epoch_secrets r;
  memset(&r, 0, sizeof r);
  r.suite = suite;
  r.hash_len = nh;
  memcpy(r.joiner_secret, joiner_secret, nh);
  uint8_t member[MIMI_MAX_HASH], epoch[MIMI_MAX_HASH];
  mimi_err err = mimi_hkdf_extract(s->kdf, joiner_secret, nh, psk, nh, member);
  if (err == MIMI_OK)
    err = mls_derive_secret(suite, member, nh, MLS_LABEL("welcome"), r.welcome_secret);
  if (err == MIMI_OK)
    err = mls_expand_with_label(suite, member, nh, MLS_LABEL("epoch"), group_context,
                                group_context_len, epoch, nh);
  for (size_t i = 0; err == MIMI_OK && i < sizeof derived / sizeof derived[0]; i++)
    err = mls_derive_secret(suite, epoch, nh, (const uint8_t *)derived[i].label,
                            strlen(derived[i].label), (uint8_t *)&r + derived[i].offset);
  if (err == MIMI_OK) *out = r;
  mimi_secure_zero(&r, sizeof r);
  mimi_secure_zero(member, sizeof member);
  mimi_secure_zero(epoch, sizeof epoch);
  return err;
}

mimi_err mls_key_schedule_epoch(mls_epoch_secrets *out, uint16_t suite,
                                const uint8_t *init_secret, size_t init_secret_len,
                                const uint8_t *commit_secret, size_t commit_secret_len,
                                const uint8_t *psk_secret, size_t psk_secret_len,
                                const uint8_t *group_context, size_t group_context_len) {
  uint8_t joiner[MIMI_MAX_HASH];
  mimi_err err = mls_key_schedule_joiner(suite, init_secret, init_secret_len, commit_secret,
                                         commit_secret_len, group_context, group_context_len,
                                         joiner);
  if (err == MIMI_OK) {
    const mimi_suite *s = mimi_suite_get(suite);
    err = mls_key_schedule_from_joiner(out, suite, joiner, s->hash_len, psk_secret,
                                       psk_secret_len, group_context, group_context_len);
  }
  mimi_secure_zero(joiner, sizeof joiner);
  return err;
}

void mls_epoch_secrets_clear(mls_epoch_secrets *s) { mimi_secure_zero(s, sizeof *s); }

mimi_err mls_epoch_suite(const mls_epoch_secrets *s, const mimi_suite **out) {
  MIMI_TRY(mls_suite_lookup(s->suite, out));
  if (s->hash_len != (*out)->hash_len) return MIMI_ERR_INVALID_ARG;
  return MIMI_OK;
}

mimi_err mls_epoch_export(const mls_epoch_secrets *s, const uint8_t *label, size_t label_len,
                          const uint8_t *context, size_t context_len, uint8_t *out,
                          size_t out_len) {
  const mimi_suite *suite;
  MIMI_TRY(mls_epoch_suite(s, &suite));
  uint8_t secret[MIMI_MAX_HASH], ctx_hash[MIMI_MAX_HASH];
  mimi_err err = mls_derive_secret(s->suite, s->exporter_secret, s->hash_len, label, label_len,
                                   secret);
  if (err == MIMI_OK) err = mimi_hash(suite->kdf, context, context_len, ctx_hash);
  if (err == MIMI_OK)
    err = mls_expand_with_label(s->suite, secret, s->hash_len, MLS_LABEL("exported"), ctx_hash,
                                s->hash_len, out, out_len);
  mimi_secure_zero(secret, sizeof secret);
  return err;
}
