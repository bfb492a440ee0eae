/* test_transcript_hashes.c — the §8.2 transcript hash updates against the
 * mlswg transcript-hashes.json vectors. The ConfirmedTranscriptHashInput is
 * the AuthenticatedContent without its final field, the confirmation_tag
 * (opaque<V> of Nh bytes for a commit), so the test splits that tail off
 * rather than parsing the whole message; the tag is also checked as the
 * MAC of the new confirmed hash (§6.1). */
#include "harness.h"
#include "mimi/mls.h"

static void test_vectors(void) {
  json_t *root = mimi_vec_load("mls/transcript-hashes.json");
  size_t i;
  json_t *c;
  json_array_foreach(root, i, c) {
    uint16_t suite = (uint16_t)mimi_vec_int(c, "cipher_suite");
    const mimi_suite *s = mimi_suite_get(suite);
    CHECK(s != NULL);
    if (s == NULL) continue;
    mimi_bytes ac = mimi_vec_hex(c, "authenticated_content"),
               before = mimi_vec_hex(c, "interim_transcript_hash_before"),
               confirmed_want = mimi_vec_hex(c, "confirmed_transcript_hash_after"),
               interim_want = mimi_vec_hex(c, "interim_transcript_hash_after"),
               key = mimi_vec_hex(c, "confirmation_key");
    /* the tag's <V> header, as the encoder writes it */
    mimi_writer w;
    mimi_writer_init(&w);
    mimi_write_varint(&w, (uint32_t)s->hash_len);
    mimi_bytes hdr;
    CHECK_OK(mimi_writer_finish(&w, &hdr));
    size_t tail = hdr.len + s->hash_len;
    CHECK(ac.len > tail);
    const uint8_t *tag = ac.data + ac.len - s->hash_len;
    CHECK_MEM(ac.data + ac.len - tail, hdr.len, hdr.data, hdr.len);

    uint8_t confirmed[MIMI_MAX_HASH], interim[MIMI_MAX_HASH], mac[MIMI_MAX_HASH];
    CHECK_OK(mls_confirmed_transcript_hash(suite, before.data, before.len, ac.data,
                                           ac.len - tail, confirmed));
    CHECK_MEM(confirmed, s->hash_len, confirmed_want.data, confirmed_want.len);
    CHECK_OK(mls_interim_transcript_hash(suite, confirmed, s->hash_len, tag, s->hash_len,
                                         interim));
    CHECK_MEM(interim, s->hash_len, interim_want.data, interim_want.len);
    CHECK_OK(mimi_hmac(s->kdf, key.data, key.len, confirmed, s->hash_len, mac));
    CHECK_MEM(mac, s->hash_len, tag, s->hash_len);

    mimi_bytes *all[] = {&ac, &before, &confirmed_want, &interim_want, &key, &hdr};
    for (size_t k = 0; k < sizeof all / sizeof all[0]; k++) mimi_bytes_free(all[k]);
    mimi_test_case();
  }
  json_decref(root);
}

static void test_errors(void) {
  uint8_t in[64] = {0}, out[MIMI_MAX_HASH];
  memset(out, 0x11, sizeof out);
  CHECK_ERR(mls_confirmed_transcript_hash(0, NULL, 0, in, 4, out), MIMI_ERR_UNSUPPORTED_SUITE);
  CHECK_ERR(mls_confirmed_transcript_hash(1, in, 31, in, 4, out), MIMI_ERR_BAD_LENGTH);
  CHECK_ERR(mls_interim_transcript_hash(1, in, 0, in, 32, out), MIMI_ERR_BAD_LENGTH);
  CHECK_ERR(mls_interim_transcript_hash(5, in, 32, in, 64, out), MIMI_ERR_BAD_LENGTH);
  CHECK_ERR(mls_interim_transcript_hash(8, in, 32, in, 32, out), MIMI_ERR_UNSUPPORTED_SUITE);
  for (size_t i = 0; i < sizeof out; i++) CHECK(out[i] == 0x11);
  /* Epoch 0: the interim hash before the first commit is empty. */
  CHECK_OK(mls_confirmed_transcript_hash(1, NULL, 0, in, 4, out));
  uint8_t want[32];
  CHECK_OK(mimi_hash(MIMI_KDF_HKDF_SHA256, in, 4, want));
  CHECK_MEM(out, 32, want, 32);
  mimi_test_case();
}

int main(void) {
  test_vectors();
  test_errors();
  return mimi_test_summary("transcript_hashes");
}
