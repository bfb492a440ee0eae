/* confirmation.c — what a commit's AuthenticatedContent feeds into the next
 * epoch: the confirmation tag (RFC 9420 §6.1) and the transcript hash
 * update (§8.2). */
#include <string.h>

#include "mimi/mls.h"
#include "mimi/mls_framing.h"

mimi_err mls_confirmation_tag(uint16_t suite, const uint8_t *confirmation_key,
                              const uint8_t *confirmed_transcript_hash, mimi_bytes *tag) {
  const mimi_suite *s = mimi_suite_get(suite);
  if (s == NULL) return MIMI_ERR_UNSUPPORTED_SUITE;
  mimi_bytes mac;
  MIMI_TRY(mimi_bytes_alloc(&mac, s->hash_len));
  mimi_err err = mimi_hmac(s->kdf, confirmation_key, s->hash_len, confirmed_transcript_hash,
                           s->hash_len, mac.data);
  if (err != MIMI_OK) {
    mimi_bytes_free(&mac);
    return err;
  }
  *tag = mac;
  return MIMI_OK;
}

mimi_err mls_confirmation_tag_verify(uint16_t suite, const uint8_t *confirmation_key,
                                     const uint8_t *confirmed_transcript_hash,
                                     const mimi_bytes *tag) {
  mimi_bytes want;
  MIMI_TRY(mls_confirmation_tag(suite, confirmation_key, confirmed_transcript_hash, &want));
  bool ok = mimi_bytes_eq(&want, tag);
  mimi_bytes_free(&want);
  return ok ? MIMI_OK : MIMI_ERR_BAD_MAC;
}

mimi_err mls_transcript_hashes_update(uint16_t suite, const uint8_t *interim_prev,
                                      size_t interim_prev_len,
                                      const mls_authenticated_content *ac, uint8_t *confirmed,
                                      uint8_t *interim) {
  if (ac->content.body.content_type != MLS_CONTENT_COMMIT) return MIMI_ERR_BAD_CONTENT_TYPE;
  mls_confirmed_transcript_hash_input in;
  memset(&in, 0, sizeof in);
  in.wire_format = ac->wire_format;
  in.content = ac->content;
  in.signature = ac->signature;
  mimi_bytes enc;
  MIMI_TRY(mls_confirmed_transcript_hash_input_encode(&in, &enc));
  uint8_t c[MIMI_MAX_HASH], i[MIMI_MAX_HASH];
  mimi_err err =
      mls_confirmed_transcript_hash(suite, interim_prev, interim_prev_len, enc.data, enc.len, c);
  mimi_bytes_free(&enc);
  const mimi_suite *s = mimi_suite_get(suite);
  if (err == MIMI_OK)
    err = mls_interim_transcript_hash(suite, c, s->hash_len, ac->confirmation_tag.data,
                                      ac->confirmation_tag.len, i);
  if (err == MIMI_OK) {
    memcpy(confirmed, c, s->hash_len);
    memcpy(interim, i, s->hash_len);
  }
  return err;
}
