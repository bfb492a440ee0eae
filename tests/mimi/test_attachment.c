/* test_attachment.c — attachments for ExternalPart: sealing against the
 * published AEAD vectors (GCM specification test cases 1, 3 and 15 of
 * McGrew & Viega; RFC 8439 §2.8.2) with content hashes computed by
 * coreutils sha256sum/sha384sum/sha512sum, every download failure with its
 * exact code, and the external NestedPart: building the draft's attachment
 * example byte for byte (examples/attachment.cbor) and opening a part that
 * went through the content codec. */
#include <stdlib.h>

#include "harness.h"
#include "mimi/attachment.h"
#include "mimi/crypto.h"

static mimi_bytes hex(const char *h) {
  mimi_bytes b;
  if (mimi_bytes_from_hex(&b, h) != MIMI_OK) abort();
  return b;
}


typedef struct {
  const char *name;
  uint16_t enc_alg;
  uint8_t hash_alg;
  const char *key, *nonce, *aad, *pt, *blob, *hash;
} kat;

#define GCM_PT                                                                  \
  "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e" \
  "2449a6b525b16aedf5aa0de657ba637b391aafd255"

static const kat kats[] = {
    {"GCM test case 1 (empty)", MIMI_ENC_AES_128_GCM, MIMI_NI_SHA_256,
     "00000000000000000000000000000000", "000000000000000000000000", "", "",
     "58e2fccefa7e3061367f1d57a4e7455a",
     "f905e07c85a4d71d8a66f136350aa9a9778a03c7045978284606fb4f21d0cb87"},
    {"GCM test case 3", MIMI_ENC_AES_128_GCM, MIMI_NI_SHA_256, "feffe9928665731c6d6a8f9467308308",
     "cafebabefacedbaddecaf888", "", GCM_PT,
     "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5a"
     "ac84aa051ba30b396a0aac973d58e091473f5985"
     "4d5c2af327cd64a62cf35abd2ba6fab4",
     "7d503fe2231ee098e6c2f6a460a0d8a298f29239bffc039bd954decee7ae2414"},
    {"GCM test case 15", MIMI_ENC_AES_256_GCM, MIMI_NI_SHA_384,
     "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
     "cafebabefacedbaddecaf888", "", GCM_PT,
     "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b10"
     "56828838c5f61e6393ba7a0abcc9f662898015ad"
     "b094dac5d93471bdec1a502270e3cc6c",
     "8f6c37c2f7f303b559e209f28130f84f6cfcae5de64cf8c44c760418cb99de0c503c0d55957baa227eeccd3183"
     "492c02"},
    {"RFC 8439 2.8.2", MIMI_ENC_CHACHA20_POLY1305, MIMI_NI_SHA_512,
     "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
     "070000004041424344454647", "50515253c0c1c2c3c4c5c6c7",
     "4c616469657320616e642047656e746c656d656e206f662074686520636c617373206f66202739393a204966"
     "204920636f756c64206f6666657220796f75206f6e6c79206f6e652074697020666f72207468652066757475"
     "72652c2073756e73637265656e20776f756c642062652069742e",
     "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69"
     "da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad67594"
     "5585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116"
     "1ae10b594f09e26a7e902ecbd0600691",
     "bf673bda2e82d51b211ea2e7c63748206700687f7cd69990fd6764a3bfafcb4257e60afb11140ab90adc5e61"
     "3197b4ac08308404813572b10504126c7154123c"},
};

static void test_kats(void) {
  for (size_t i = 0; i < sizeof kats / sizeof kats[0]; i++) {
    const kat *k = &kats[i];
    mimi_bytes key = hex(k->key), nonce = hex(k->nonce), aad = hex(k->aad), pt = hex(k->pt),
               blob_want = hex(k->blob), hash_want = hex(k->hash);
    /* the RNG hands out key then nonce */
    uint8_t rnd[64];
    memcpy(rnd, key.data, key.len);
    memcpy(rnd + key.len, nonce.data, nonce.len);
    mimi_test_rng_state st;
    mimi_rng rng = mimi_test_rng_fixed(&st, rnd, key.len + nonce.len);
    mimi_attachment_params p = {k->enc_alg, k->hash_alg, aad.data, aad.len};
    mimi_attachment_info info;
    mimi_bytes blob;
    CHECK_OK(mimi_attachment_seal(pt.data, pt.len, &p, &rng, &info, &blob));
    CHECK(st.pos == key.len + nonce.len);
    CHECK_BYTES(blob, blob_want);
    CHECK_BYTES(info.content_hash, hash_want);
    CHECK_BYTES(info.key, key);
    CHECK_BYTES(info.nonce, nonce);
    CHECK_BYTES(info.aad, aad);
    CHECK(info.enc_alg == k->enc_alg && info.hash_alg == k->hash_alg);
    CHECK(info.size == blob_want.len);

    mimi_bytes back;
    CHECK_OK(mimi_attachment_open(&info, blob.data, blob.len, &back));
    CHECK_BYTES(back, pt);
    mimi_bytes_free(&back);

    mimi_attachment_info_free(&info);
    CHECK(info.key.data == NULL && info.size == 0);
    mimi_bytes_free(&blob);
    mimi_bytes_free(&key);
    mimi_bytes_free(&nonce);
    mimi_bytes_free(&aad);
    mimi_bytes_free(&pt);
    mimi_bytes_free(&blob_want);
    mimi_bytes_free(&hash_want);
    mimi_test_case();
  }

  /* defaults: AES-128-GCM and SHA-256; encAlg 0 uploads the clear text */
  mimi_attachment_params d;
  mimi_attachment_params_default(&d);
  CHECK(d.enc_alg == 1 && d.hash_alg == 1 && d.aad_len == 0);
  mimi_test_prng prng;
  mimi_rng rng = mimi_test_rng_prng(&prng, 7);
  mimi_attachment_info info;
  mimi_bytes blob;
  CHECK_OK(mimi_attachment_seal((const uint8_t *)"abc", 3, NULL, &rng, &info, &blob));
  CHECK(info.enc_alg == 1 && info.key.len == 16 && info.nonce.len == 12 && blob.len == 19);
  mimi_attachment_info_free(&info);
  mimi_bytes_free(&blob);

  mimi_attachment_params clear = {MIMI_ENC_NONE, MIMI_NI_SHA_256, NULL, 0};
  CHECK_OK(mimi_attachment_seal((const uint8_t *)"abc", 3, &clear, &rng, &info, &blob));
  CHECK_MEM(blob.data, blob.len, "abc", 3);
  /* FIPS 180-2 SHA-256("abc") */
  mimi_bytes abc = hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK_BYTES(info.content_hash, abc);
  CHECK(info.key.len == 0 && info.nonce.len == 0 && info.aad.len == 0 && info.size == 3);
  mimi_bytes back;
  CHECK_OK(mimi_attachment_open(&info, blob.data, blob.len, &back));
  CHECK_MEM(back.data, back.len, "abc", 3);
  mimi_bytes_free(&back);
  /* clear content with a wrong hash */
  blob.data[0] ^= 1;
  back.data = NULL;
  CHECK_ERR(mimi_attachment_open(&info, blob.data, blob.len, &back), MIMI_ERR_HASH_MISMATCH);
  CHECK(back.data == NULL);
  mimi_bytes_free(&abc);
  mimi_attachment_info_free(&info);
  mimi_bytes_free(&blob);
  mimi_test_case();
}

/* Download failures, each with its code and no output. */
static void test_open_failures(void) {
  const kat *k = &kats[1];
  mimi_bytes key = hex(k->key), nonce = hex(k->nonce), pt = hex(k->pt);
  uint8_t rnd[28];
  memcpy(rnd, key.data, 16);
  memcpy(rnd + 16, nonce.data, 12);
  mimi_test_rng_state st;
  mimi_rng rng = mimi_test_rng_fixed(&st, rnd, sizeof rnd);
  mimi_attachment_info info;
  mimi_bytes blob;
  CHECK_OK(mimi_attachment_seal(pt.data, pt.len, NULL, &rng, &info, &blob));

  mimi_bytes out = {(uint8_t *)"keep", 4};
#define OPEN_FAILS(inf, b, n, code)                                             \
  do {                                                                          \
    CHECK_ERR(mimi_attachment_open((inf), (b), (n), &out), code);               \
    CHECK(out.len == 4 && memcmp(out.data, "keep", 4) == 0);                    \
    mimi_test_case();                                                           \
  } while (0)

  /* tampered ciphertext, tag and hash each */
  size_t spots[] = {0, 40, 63, 64, 79};
  for (size_t i = 0; i < sizeof spots / sizeof spots[0]; i++) {
    blob.data[spots[i]] ^= 0x80;
    OPEN_FAILS(&info, blob.data, blob.len, MIMI_ERR_HASH_MISMATCH);
    /* a sender who re-hashes the tampered blob still fails authentication */
    mimi_attachment_info forged = info;
    uint8_t h[32];
    CHECK_OK(mimi_hash(MIMI_KDF_HKDF_SHA256, blob.data, blob.len, h));
    forged.content_hash.data = h;
    OPEN_FAILS(&forged, blob.data, blob.len, MIMI_ERR_AEAD_OPEN);
    blob.data[spots[i]] ^= 0x80;
  }
  info.content_hash.data[5] ^= 1;
  OPEN_FAILS(&info, blob.data, blob.len, MIMI_ERR_HASH_MISMATCH);
  info.content_hash.data[5] ^= 1;

  mimi_attachment_info bad = info;
  /* wrong key / nonce / aad: the hash matches, the AEAD does not */
  uint8_t other_key[16] = {1}, other_nonce[12] = {2};
  bad.key.data = other_key;
  OPEN_FAILS(&bad, blob.data, blob.len, MIMI_ERR_AEAD_OPEN);
  bad = info;
  bad.nonce.data = other_nonce;
  OPEN_FAILS(&bad, blob.data, blob.len, MIMI_ERR_AEAD_OPEN);
  bad = info;
  bad.aad.data = (uint8_t *)"x";
  bad.aad.len = 1;
  OPEN_FAILS(&bad, blob.data, blob.len, MIMI_ERR_AEAD_OPEN);
  /* hashAlg 0 with an encrypted blob: only the tag checks it */
  bad = info;
  bad.hash_alg = MIMI_NI_NONE;
  bad.content_hash.len = 0;
  blob.data[3] ^= 1;
  OPEN_FAILS(&bad, blob.data, blob.len, MIMI_ERR_AEAD_OPEN);
  blob.data[3] ^= 1;
  CHECK_OK(mimi_attachment_open(&bad, blob.data, blob.len, &out));
  CHECK_BYTES(out, pt);
  mimi_bytes_free(&out);
  out.data = (uint8_t *)"keep";
  out.len = 4;
  bad.content_hash.len = 32; /* a hash with hashAlg 0 */
  OPEN_FAILS(&bad, blob.data, blob.len, MIMI_ERR_BAD_LENGTH);

  /* sizes */
  OPEN_FAILS(&info, blob.data, blob.len - 1, MIMI_ERR_BAD_LENGTH); /* truncated download */
  bad = info;
  bad.size = blob.len + 1;
  OPEN_FAILS(&bad, blob.data, blob.len, MIMI_ERR_BAD_LENGTH);
  bad.size = 0; /* size not given: the hash catches truncation */
  OPEN_FAILS(&bad, blob.data, blob.len - 1, MIMI_ERR_HASH_MISMATCH);
  bad = info;
  bad.content_hash.len = 31;
  OPEN_FAILS(&bad, blob.data, blob.len, MIMI_ERR_HASH_MISMATCH);
  bad.content_hash.len = 0;
  OPEN_FAILS(&bad, blob.data, blob.len, MIMI_ERR_HASH_MISMATCH);
  bad = info;
  bad.key.len = 15;
  OPEN_FAILS(&bad, blob.data, blob.len, MIMI_ERR_BAD_LENGTH);
  bad = info;
  bad.nonce.len = 16;
  OPEN_FAILS(&bad, blob.data, blob.len, MIMI_ERR_BAD_LENGTH);
  bad = info;
  bad.enc_alg = MIMI_ENC_AES_256_GCM; /* 16-octet key does not fit */
  OPEN_FAILS(&bad, blob.data, blob.len, MIMI_ERR_BAD_LENGTH);
  bad = info;
  bad.enc_alg = MIMI_ENC_NONE; /* key given for clear content */
  OPEN_FAILS(&bad, blob.data, blob.len, MIMI_ERR_BAD_LENGTH);
  /* shorter than a tag, hash matching */
  bad = info;
  bad.size = 0;
  uint8_t h[32];
  CHECK_OK(mimi_hash(MIMI_KDF_HKDF_SHA256, blob.data, 15, h));
  bad.content_hash.data = h;
  OPEN_FAILS(&bad, blob.data, 15, MIMI_ERR_AEAD_OPEN);

  /* algorithms */
  bad = info;
  bad.enc_alg = 3; /* AES-128-CCM: registered, not supported */
  OPEN_FAILS(&bad, blob.data, blob.len, MIMI_ERR_UNSUPPORTED);
  bad = info;
  bad.hash_alg = 2; /* sha-256-128 */
  OPEN_FAILS(&bad, blob.data, blob.len, MIMI_ERR_UNSUPPORTED);
  bad = info;
  bad.enc_alg = MIMI_ENC_NONE;
  bad.hash_alg = MIMI_NI_NONE;
  OPEN_FAILS(&bad, blob.data, blob.len, MIMI_ERR_UNSUPPORTED);
  OPEN_FAILS(NULL, blob.data, blob.len, MIMI_ERR_INVALID_ARG);

  /* sealing: unsupported algorithms, failing RNG; outputs untouched */
  mimi_attachment_info info2;
  memset(&info2, 0x3c, sizeof info2);
  mimi_attachment_info before = info2;
  mimi_bytes blob2 = {(uint8_t *)"keep", 4};
  mimi_attachment_params p = {3, MIMI_NI_SHA_256, NULL, 0};
  CHECK_ERR(mimi_attachment_seal(pt.data, pt.len, &p, &rng, &info2, &blob2),
            MIMI_ERR_UNSUPPORTED);
  p.enc_alg = MIMI_ENC_AES_128_GCM;
  p.hash_alg = MIMI_NI_NONE;
  CHECK_ERR(mimi_attachment_seal(pt.data, pt.len, &p, &rng, &info2, &blob2),
            MIMI_ERR_UNSUPPORTED);
  p.hash_alg = 6;
  CHECK_ERR(mimi_attachment_seal(pt.data, pt.len, &p, &rng, &info2, &blob2),
            MIMI_ERR_UNSUPPORTED);
  mimi_attachment_params clear_aad = {MIMI_ENC_NONE, MIMI_NI_SHA_256, (const uint8_t *)"a", 1};
  CHECK_ERR(mimi_attachment_seal(pt.data, pt.len, &clear_aad, &rng, &info2, &blob2),
            MIMI_ERR_INVALID_ARG);
  mimi_rng drained = mimi_test_rng_fixed(&st, rnd, 20); /* key, then not enough for a nonce */
  CHECK_ERR(mimi_attachment_seal(pt.data, pt.len, NULL, &drained, &info2, &blob2), MIMI_ERR_RNG);
  CHECK(memcmp(&info2, &before, sizeof info2) == 0);
  CHECK(blob2.len == 4 && memcmp(blob2.data, "keep", 4) == 0);

  mimi_attachment_info_free(&info);
  mimi_attachment_info_free(NULL);
  mimi_bytes_free(&blob);
  mimi_bytes_free(&key);
  mimi_bytes_free(&nonce);
  mimi_bytes_free(&pt);
}

/* draft-ietf-mimi-content §5.10 (examples/attachment.edn): the external part
 * built from its values gives the published encoding. */
static void test_external_part_example(void) {
  mimi_attachment_info info;
  memset(&info, 0, sizeof info);
  info.enc_alg = MIMI_ENC_AES_128_GCM;
  info.key = hex("21399320958a6f4c745dde670d95e0d8");
  info.nonce = hex("c86cf2c33f21527d1dd76f5b");
  info.aad = hex("");
  info.hash_alg = MIMI_NI_SHA_256;
  info.content_hash = hex("9ab17a8cf0890baaae7ee016c7312fcc080ba46498389458ee44f0276e783163");
  info.size = 708234961;

  mimi_content c;
  memset(&c, 0, sizeof c);
  mimi_bytes salt = hex("18fac6371e4e53f1aeaf8a013155c166");
  memcpy(c.salt, salt.data, MIMI_SALT_LEN);
  mimi_bytes_free(&salt);
  CHECK_OK(mimi_bytes_alloc(&c.topic_id, 0));
  CHECK_OK(mimi_content_add_text_ext(&c, 1, "mimi://example.com/u/bob-jones"));
  CHECK_OK(mimi_content_add_text_ext(&c, 2, "mimi://example.com/r/engineering_team"));
  CHECK_OK(mimi_attachment_to_part(&info, "en", "video/mp4",
                                   "https://example.com/storage/8ksB4bSrrRE.mp4", 0,
                                   "2 hours of key signing video", "bigfile.mp4", &c.body));
  mimi_bytes enc;
  CHECK_OK(mimi_content_encode(&c, &enc));
  size_t want_len;
  uint8_t *want = (uint8_t *)mimi_vec_read("mimi-content/attachment.cbor", &want_len);
  CHECK_MEM(enc.data, enc.len, want, want_len);

  /* and the decoded example opens through the part: its size is checked first */
  mimi_content d;
  CHECK_OK(mimi_content_decode(want, want_len, NULL, &d));
  mimi_bytes out = {NULL, 0};
  uint8_t small[32] = {0};
  CHECK_ERR(mimi_attachment_open_part(&d.body, small, sizeof small, &out), MIMI_ERR_BAD_LENGTH);
  CHECK(out.data == NULL);
  CHECK_ERR(mimi_attachment_open_part(NULL, small, 1, &out), MIMI_ERR_INVALID_ARG);
  mimi_content_free(&d);

  /* bad texts for the part */
  mimi_nested_part part;
  memset(&part, 0x11, sizeof part);
  mimi_nested_part part_before = part;
  CHECK_ERR(mimi_attachment_to_part(&info, NULL, "video/mp4", "", 0, NULL, NULL, &part),
            MIMI_ERR_BAD_CONTENT);
  CHECK_ERR(mimi_attachment_to_part(&info, NULL, "", "https://x", 0, NULL, NULL, &part),
            MIMI_ERR_BAD_CONTENT);
  CHECK_ERR(mimi_attachment_to_part(&info, NULL, "video/mp4", "https://x", 0, NULL, "a\xff", &part),
            MIMI_ERR_BAD_CONTENT);
  CHECK(memcmp(&part, &part_before, sizeof part) == 0);

  free(want);
  mimi_bytes_free(&enc);
  mimi_content_free(&c);
  mimi_attachment_info_free(&info);
  mimi_test_case();
}

/* seal -> part -> content encode/decode -> open */
static void test_round_trip(void) {
  static const uint16_t encs[] = {MIMI_ENC_AES_128_GCM, MIMI_ENC_AES_256_GCM,
                                  MIMI_ENC_CHACHA20_POLY1305, MIMI_ENC_NONE};
  mimi_test_prng prng;
  mimi_rng rng = mimi_test_rng_prng(&prng, 42);
  uint8_t file[3000];
  for (size_t i = 0; i < sizeof file; i++) file[i] = (uint8_t)(i * 7 + 3);
  for (size_t e = 0; e < sizeof encs / sizeof encs[0]; e++) {
    mimi_attachment_params p = {encs[e], MIMI_NI_SHA_256, NULL, 0};
    mimi_attachment_info info;
    mimi_bytes blob;
    CHECK_OK(mimi_attachment_seal(file, sizeof file, &p, &rng, &info, &blob));
    mimi_content c;
    memset(&c, 0, sizeof c);
    CHECK_OK(mimi_bytes_alloc(&c.topic_id, 0));
    CHECK_OK(mimi_attachment_to_part(&info, NULL, "application/octet-stream",
                                     "https://a.example/f/1", 1700000000, NULL, "f.bin", &c.body));
    mimi_bytes enc;
    CHECK_OK(mimi_content_encode(&c, &enc));
    mimi_content d;
    CHECK_OK(mimi_content_decode(enc.data, enc.len, NULL, &d));
    CHECK(d.body.cardinality == MIMI_PART_EXTERNAL && d.body.external.expires == 1700000000 &&
          d.body.disposition == MIMI_DISP_ATTACHMENT);
    mimi_bytes out;
    CHECK_OK(mimi_attachment_open_part(&d.body, blob.data, blob.len, &out));
    CHECK_MEM(out.data, out.len, file, sizeof file);
    mimi_bytes_free(&out);
    /* a fresh key and nonce every time */
    mimi_attachment_info info2;
    mimi_bytes blob2;
    CHECK_OK(mimi_attachment_seal(file, sizeof file, &p, &rng, &info2, &blob2));
    if (encs[e] != MIMI_ENC_NONE) {
      CHECK(!mimi_bytes_eq(&info.key, &info2.key));
      CHECK(!mimi_bytes_eq(&blob, &blob2));
    }
    mimi_attachment_info_free(&info2);
    mimi_bytes_free(&blob2);
    mimi_content_free(&d);
    mimi_content_free(&c);
    mimi_bytes_free(&enc);
    mimi_bytes_free(&blob);
    mimi_attachment_info_free(&info);
    mimi_test_case();
  }
}

int main(void) {
  test_kats();
  test_open_failures();
  test_external_part_example();
  test_round_trip();
  return mimi_test_summary("test_attachment");
}
