/* test_transcript_hashes.c — the mlswg transcript-hashes vectors: parse the
 * commit's AuthenticatedContent, check its confirmation tag, and update the
 * transcript hashes from it (RFC 9420 §6.1, §8.2); plus tampering. */
#include <stdlib.h>

#include "harness.h"
#include "mimi/mls.h"
#include "mimi/mls_framing.h"

static void one_case(json_t *c) {
  uint16_t suite = (uint16_t)mimi_vec_int(c, "cipher_suite");
  mimi_bytes key = mimi_vec_hex(c, "confirmation_key");
  mimi_bytes raw = mimi_vec_hex(c, "authenticated_content");
  mimi_bytes before = mimi_vec_hex(c, "interim_transcript_hash_before");
  mimi_bytes want_c = mimi_vec_hex(c, "confirmed_transcript_hash_after");
  mimi_bytes want_i = mimi_vec_hex(c, "interim_transcript_hash_after");

  mls_authenticated_content ac;
  CHECK_OK(mls_authenticated_content_decode(raw.data, raw.len, &ac));
  CHECK(ac.content.body.content_type == MLS_CONTENT_COMMIT);
  mimi_bytes re;
  CHECK_OK(mls_authenticated_content_encode(&ac, &re));
  CHECK_BYTES(re, raw);
  mimi_bytes_free(&re);

  CHECK_OK(mls_confirmation_tag_verify(suite, key.data, want_c.data, &ac.confirmation_tag));
  uint8_t confirmed[MIMI_MAX_HASH], interim[MIMI_MAX_HASH];
  CHECK_OK(mls_transcript_hashes_update(suite, before.data, before.len, &ac, confirmed, interim));
  CHECK_MEM(confirmed, want_c.len, want_c.data, want_c.len);
  CHECK_MEM(interim, want_i.len, want_i.data, want_i.len);

  /* a flipped bit anywhere in the tag, or a tag for another hash, fails */
  ac.confirmation_tag.data[ac.confirmation_tag.len - 1] ^= 1;
  CHECK_ERR(mls_confirmation_tag_verify(suite, key.data, want_c.data, &ac.confirmation_tag),
            MIMI_ERR_BAD_MAC);
  ac.confirmation_tag.data[ac.confirmation_tag.len - 1] ^= 1;
  CHECK_ERR(mls_confirmation_tag_verify(suite, key.data, before.data, &ac.confirmation_tag),
            MIMI_ERR_BAD_MAC);
  /* a changed signature changes the confirmed hash */
  ac.signature.data[0] ^= 1;
  CHECK_OK(mls_transcript_hashes_update(suite, before.data, before.len, &ac, confirmed, interim));
  CHECK(memcmp(confirmed, want_c.data, want_c.len) != 0);
  /* only commits have transcript updates; outputs untouched on error */
  ac.signature.data[0] ^= 1;
  uint8_t untouched[MIMI_MAX_HASH];
  memcpy(untouched, confirmed, sizeof untouched);
  mls_authenticated_content app;
  memset(&app, 0, sizeof app);
  app.content.body.content_type = MLS_CONTENT_APPLICATION;
  CHECK_ERR(mls_transcript_hashes_update(suite, before.data, before.len, &app, confirmed, interim),
            MIMI_ERR_BAD_CONTENT_TYPE);
  CHECK(memcmp(confirmed, untouched, sizeof untouched) == 0);
  CHECK_ERR(mls_transcript_hashes_update(suite, before.data, 3, &ac, confirmed, interim),
            MIMI_ERR_BAD_LENGTH);
  CHECK_ERR(mls_confirmation_tag_verify(0x7777, key.data, want_c.data, &ac.confirmation_tag),
            MIMI_ERR_UNSUPPORTED_SUITE);

  /* truncated AuthenticatedContent never parses */
  for (size_t n = 0; n < raw.len; n++) {
    mls_authenticated_content t;
    if (mls_authenticated_content_decode(raw.data, n, &t) != MIMI_ERR_TRUNCATED) CHECK(0);
  }
  mls_authenticated_content_free(&ac);
  mimi_bytes_free(&key);
  mimi_bytes_free(&raw);
  mimi_bytes_free(&before);
  mimi_bytes_free(&want_c);
  mimi_bytes_free(&want_i);
  mimi_test_case();
}

int main(void) {
  json_t *all = mimi_vec_load("mls/transcript-hashes.json");
  size_t i;
  json_t *c;
  json_array_foreach(all, i, c) one_case(c);
  json_decref(all);
  return mimi_test_summary("transcript_hashes");
}
