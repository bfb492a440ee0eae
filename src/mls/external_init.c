/* external_init.c — RFC 9420 §8.3 external initialization: the group's
 * external key pair derived from external_secret. */
#include "mls_internal.h"

mimi_err mls_epoch_external_key_pair(const mls_epoch_secrets *s, mimi_bytes *priv,
                                     mimi_bytes *pub) {
  const mimi_suite *suite;
  MIMI_TRY(mls_epoch_suite(s, &suite));
  return mimi_kem_derive_key_pair(suite->kem, s->external_secret, s->hash_len, priv, pub);
}
