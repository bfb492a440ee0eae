/* transcript.c — the two transcript hashes of RFC 9420 §8.2, over already
 * encoded inputs so the message layer decides what bytes are hashed:
 *   confirmed = Hash(interim_prev || ConfirmedTranscriptHashInput)
 *   interim   = Hash(confirmed || InterimTranscriptHashInput)
 * where InterimTranscriptHashInput is the confirmation_tag as opaque<V>. */
#include "mls_internal.h"

static mimi_err hash_concat(uint16_t suite, const uint8_t *a, size_t a_len, bool b_as_vec,
                            const uint8_t *b, size_t b_len, uint8_t *out) {
  const mimi_suite *s;
  MIMI_TRY(mls_suite_lookup(suite, &s));
  mimi_writer w;
  mimi_writer_init(&w);
  mimi_write_raw(&w, a, a_len);
  if (b_as_vec)
    mimi_write_opaque(&w, b, b_len);
  else
    mimi_write_raw(&w, b, b_len);
  return mls_hash_written(s, &w, out);
}

mimi_err mls_confirmed_transcript_hash(uint16_t suite, const uint8_t *interim_prev,
                                       size_t interim_prev_len, const uint8_t *input,
                                       size_t input_len, uint8_t *out) {
  const mimi_suite *s;
  MIMI_TRY(mls_suite_lookup(suite, &s));
  /* Empty before the first commit of a group (epoch 0), Nh after. */
  if (interim_prev_len != 0 && interim_prev_len != s->hash_len) return MIMI_ERR_BAD_LENGTH;
  return hash_concat(suite, interim_prev, interim_prev_len, false, input, input_len, out);
}

mimi_err mls_interim_transcript_hash(uint16_t suite, const uint8_t *confirmed,
                                     size_t confirmed_len, const uint8_t *confirmation_tag,
                                     size_t confirmation_tag_len, uint8_t *out) {
  const mimi_suite *s;
  MIMI_TRY(mls_suite_lookup(suite, &s));
  if (confirmed_len != s->hash_len) return MIMI_ERR_BAD_LENGTH;
  return hash_concat(suite, confirmed, confirmed_len, true, confirmation_tag,
                     confirmation_tag_len, out);
}
