/*
 * test_crypto_primitives.c — known answers for SHA-2 (FIPS 180-4 "abc"),
 * HMAC (RFC 4231 cases 1 and 2), HKDF (RFC 5869 case 1); AEAD round trips
 * and forgeries; signature round trips and bad inputs; the RFC 9420
 * SignWithLabel vectors (mlswg crypto-basics.json) as independent signature
 * known answers for every scheme; KEM key consistency.
 */
#include <stdlib.h>

#include "harness.h"
#include "mimi/crypto.h"

static mimi_bytes hex(const char *h) {
  mimi_bytes b = {NULL, 0};
  if (mimi_bytes_from_hex(&b, h) != MIMI_OK) {
    fprintf(stderr, "bad hex in test\n");
    exit(2);
  }
  return b;
}

static void check_hex(const uint8_t *got, size_t len, const char *want_hex) {
  mimi_bytes want = hex(want_hex);
  CHECK_MEM(got, len, want.data, want.len);
  mimi_bytes_free(&want);
}

static const uint16_t kdfs[] = {MIMI_KDF_HKDF_SHA256, MIMI_KDF_HKDF_SHA384,
                                MIMI_KDF_HKDF_SHA512};

static void test_hash(void) {
  static const char *abc[] = {
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
      "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca1"
      "34c825a7",
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23"
      "a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
  };
  for (size_t i = 0; i < 3; i++) {
    uint8_t out[MIMI_MAX_HASH];
    CHECK(mimi_kdf_hash_len(kdfs[i]) == 32 + 16 * i);
    CHECK_OK(mimi_hash(kdfs[i], (const uint8_t *)"abc", 3, out));
    check_hex(out, mimi_kdf_hash_len(kdfs[i]), abc[i]);
    mimi_test_case();
  }
  uint8_t out[MIMI_MAX_HASH];
  CHECK(mimi_kdf_hash_len(0x0004) == 0);
  CHECK_ERR(mimi_hash(0x0004, (const uint8_t *)"abc", 3, out), MIMI_ERR_UNSUPPORTED_SUITE);
}

/* RFC 4231 §4.2 and §4.3 */
static void test_hmac(void) {
  static const char *case1[] = {
      "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
      "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8"
      "b2fa9cb6",
      "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274e"
      "aea3f4e4be9d914eeb61f1702e696c203a126854",
  };
  static const char *case2[] = {
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
      "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ec"
      "fab21649",
      "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65"
      "f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737",
  };
  uint8_t key1[20];
  memset(key1, 0x0b, sizeof key1);
  for (size_t i = 0; i < 3; i++) {
    uint8_t out[MIMI_MAX_HASH];
    size_t n = mimi_kdf_hash_len(kdfs[i]);
    CHECK_OK(mimi_hmac(kdfs[i], key1, sizeof key1, (const uint8_t *)"Hi There", 8, out));
    check_hex(out, n, case1[i]);
    mimi_test_case();
    CHECK_OK(mimi_hmac(kdfs[i], (const uint8_t *)"Jefe", 4,
                       (const uint8_t *)"what do ya want for nothing?", 28, out));
    check_hex(out, n, case2[i]);
    mimi_test_case();
  }
}

/* RFC 5869 §A.1 */
static void test_hkdf(void) {
  mimi_bytes ikm = hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
  mimi_bytes salt = hex("000102030405060708090a0b0c");
  mimi_bytes info = hex("f0f1f2f3f4f5f6f7f8f9");
  uint8_t prk[32], okm[42];
  CHECK_OK(mimi_hkdf_extract(MIMI_KDF_HKDF_SHA256, salt.data, salt.len, ikm.data, ikm.len, prk));
  check_hex(prk, sizeof prk, "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
  CHECK_OK(mimi_hkdf_expand(MIMI_KDF_HKDF_SHA256, prk, sizeof prk, info.data, info.len, okm,
                            sizeof okm));
  check_hex(okm, sizeof okm,
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b8871858"
            "65");
  mimi_test_case();
  /* L > 255 * HashLen is refused (RFC 5869 §2.3) and nothing is written. */
  uint8_t big[255 * 32 + 1];
  memset(big, 0xaa, sizeof big);
  CHECK_ERR(mimi_hkdf_expand(MIMI_KDF_HKDF_SHA256, prk, sizeof prk, NULL, 0, big, sizeof big),
            MIMI_ERR_TOO_LARGE);
  CHECK(big[0] == 0xaa && big[sizeof big - 1] == 0xaa);
  CHECK_OK(mimi_hkdf_expand(MIMI_KDF_HKDF_SHA256, prk, sizeof prk, NULL, 0, big, sizeof big - 1));
  CHECK_ERR(mimi_hkdf_extract(0, NULL, 0, ikm.data, ikm.len, prk), MIMI_ERR_UNSUPPORTED_SUITE);
  mimi_bytes_free(&ikm);
  mimi_bytes_free(&salt);
  mimi_bytes_free(&info);
}

static const uint16_t aeads[] = {MIMI_AEAD_AES128GCM, MIMI_AEAD_AES256GCM,
                                 MIMI_AEAD_CHACHA20POLY1305};

static void test_aead(void) {
  static const size_t key_lens[] = {16, 32, 32};
  for (size_t a = 0; a < 3; a++) {
    uint16_t id = aeads[a];
    CHECK(mimi_aead_key_len(id) == key_lens[a]);
    CHECK(mimi_aead_nonce_len(id) == 12);
    uint8_t key[32], nonce[12], aad[5] = {1, 2, 3, 4, 5}, pt[100];
    for (size_t i = 0; i < sizeof key; i++) key[i] = (uint8_t)(i * 7 + a);
    for (size_t i = 0; i < sizeof nonce; i++) nonce[i] = (uint8_t)(i + 100);
    for (size_t i = 0; i < sizeof pt; i++) pt[i] = (uint8_t)i;
    uint8_t ct[sizeof pt + MIMI_AEAD_TAG], out[sizeof pt];
    CHECK_OK(mimi_aead_seal(id, key, nonce, aad, sizeof aad, pt, sizeof pt, ct));
    CHECK(memcmp(ct, pt, sizeof pt) != 0);
    CHECK_OK(mimi_aead_open(id, key, nonce, aad, sizeof aad, ct, sizeof ct, out));
    CHECK_MEM(out, sizeof out, pt, sizeof pt);

    /* Every forgery fails with AEAD_OPEN and leaves out untouched. */
    size_t flips[] = {0, sizeof pt - 1, sizeof pt, sizeof ct - 1};
    for (size_t f = 0; f < 4; f++) {
      memset(out, 0x5a, sizeof out);
      ct[flips[f]] ^= 0x01;
      CHECK_ERR(mimi_aead_open(id, key, nonce, aad, sizeof aad, ct, sizeof ct, out),
                MIMI_ERR_AEAD_OPEN);
      ct[flips[f]] ^= 0x01;
      CHECK(out[0] == 0x5a && out[sizeof out - 1] == 0x5a);
    }
    memset(out, 0x5a, sizeof out);
    aad[2] ^= 0x80;
    CHECK_ERR(mimi_aead_open(id, key, nonce, aad, sizeof aad, ct, sizeof ct, out),
              MIMI_ERR_AEAD_OPEN);
    aad[2] ^= 0x80;
    CHECK_ERR(mimi_aead_open(id, key, nonce, NULL, 0, ct, sizeof ct, out), MIMI_ERR_AEAD_OPEN);
    nonce[11] ^= 1;
    CHECK_ERR(mimi_aead_open(id, key, nonce, aad, sizeof aad, ct, sizeof ct, out),
              MIMI_ERR_AEAD_OPEN);
    nonce[11] ^= 1;
    key[0] ^= 1;
    CHECK_ERR(mimi_aead_open(id, key, nonce, aad, sizeof aad, ct, sizeof ct, out),
              MIMI_ERR_AEAD_OPEN);
    key[0] ^= 1;
    CHECK(out[0] == 0x5a && out[sizeof out - 1] == 0x5a);
    /* Truncated: shorter than a tag, and a dropped byte. */
    CHECK_ERR(mimi_aead_open(id, key, nonce, aad, sizeof aad, ct, MIMI_AEAD_TAG - 1, out),
              MIMI_ERR_AEAD_OPEN);
    CHECK_ERR(mimi_aead_open(id, key, nonce, aad, sizeof aad, ct, sizeof ct - 1, out),
              MIMI_ERR_AEAD_OPEN);
    CHECK(out[0] == 0x5a && out[sizeof out - 1] == 0x5a);

    /* Empty plaintext: the ciphertext is just the tag. */
    uint8_t tag_only[MIMI_AEAD_TAG];
    CHECK_OK(mimi_aead_seal(id, key, nonce, NULL, 0, NULL, 0, tag_only));
    CHECK_OK(mimi_aead_open(id, key, nonce, NULL, 0, tag_only, sizeof tag_only, out));
    tag_only[3] ^= 4;
    CHECK_ERR(mimi_aead_open(id, key, nonce, NULL, 0, tag_only, sizeof tag_only, out),
              MIMI_ERR_AEAD_OPEN);
    mimi_test_case();
  }
  uint8_t k[32] = {0}, n[12] = {0}, o[MIMI_AEAD_TAG];
  CHECK(mimi_aead_key_len(MIMI_AEAD_EXPORT_ONLY) == 0);
  CHECK_ERR(mimi_aead_seal(MIMI_AEAD_EXPORT_ONLY, k, n, NULL, 0, NULL, 0, o),
            MIMI_ERR_UNSUPPORTED_SUITE);
  CHECK_ERR(mimi_aead_open(7, k, n, NULL, 0, o, sizeof o, o), MIMI_ERR_UNSUPPORTED_SUITE);
}

static void test_suites(void) {
  for (uint16_t id = 1; id <= 7; id++) {
    const mimi_suite *s = mimi_suite_get(id);
    CHECK(s != NULL && s->id == id);
    if (s == NULL) continue;
    CHECK(s->hash_len == mimi_kdf_hash_len(s->kdf));
    CHECK(s->aead_key_len == mimi_aead_key_len(s->aead));
    CHECK(s->aead_nonce_len == mimi_aead_nonce_len(s->aead));
  }
  CHECK(mimi_suite_get(0) == NULL);
  CHECK(mimi_suite_get(8) == NULL);
  CHECK(strcmp(mimi_suite_get(7)->name, "MLS_256_DHKEMP384_AES256GCM_SHA384_P384") == 0);
}

static const uint16_t schemes[] = {MIMI_SIG_ECDSA_P256_SHA256, MIMI_SIG_ECDSA_P384_SHA384,
                                   MIMI_SIG_ECDSA_P521_SHA512, MIMI_SIG_ED25519, MIMI_SIG_ED448};

static void test_sig_roundtrip(void) {
  mimi_test_prng prng;
  mimi_rng rng = mimi_test_rng_prng(&prng, 42);
  static const size_t priv_lens[] = {32, 48, 66, 32, 57};
  static const size_t pub_lens[] = {65, 97, 133, 32, 57};
  for (size_t i = 0; i < 5; i++) {
    uint16_t sc = schemes[i];
    mimi_bytes sk = {NULL, 0}, pk = {NULL, 0}, pk2 = {NULL, 0}, sig = {NULL, 0};
    mimi_bytes other_sk = {NULL, 0}, other_pk = {NULL, 0};
    uint8_t msg[100];
    for (size_t j = 0; j < sizeof msg; j++) msg[j] = (uint8_t)(j ^ 0x33);
    CHECK_OK(mimi_sig_generate(sc, &rng, &sk, &pk));
    CHECK_OK(mimi_sig_generate(sc, &rng, &other_sk, &other_pk));
    CHECK(sk.len == priv_lens[i] && pk.len == pub_lens[i]);
    CHECK_OK(mimi_sig_public_key(sc, sk.data, sk.len, &pk2));
    CHECK_BYTES(pk, pk2);
    CHECK_OK(mimi_sign(sc, sk.data, sk.len, msg, sizeof msg, &sig));
    CHECK_OK(mimi_verify(sc, pk.data, pk.len, msg, sizeof msg, sig.data, sig.len));
    /* wrong message, wrong key, flipped bits, truncation, empty */
    msg[7] ^= 1;
    CHECK_ERR(mimi_verify(sc, pk.data, pk.len, msg, sizeof msg, sig.data, sig.len),
              MIMI_ERR_BAD_SIGNATURE);
    msg[7] ^= 1;
    CHECK_ERR(mimi_verify(sc, other_pk.data, other_pk.len, msg, sizeof msg, sig.data, sig.len),
              MIMI_ERR_BAD_SIGNATURE);
    for (size_t pos = 0; pos < sig.len; pos += 5) {
      sig.data[pos] ^= 0x10;
      CHECK_ERR(mimi_verify(sc, pk.data, pk.len, msg, sizeof msg, sig.data, sig.len),
                MIMI_ERR_BAD_SIGNATURE);
      sig.data[pos] ^= 0x10;
    }
    CHECK_ERR(mimi_verify(sc, pk.data, pk.len, msg, sizeof msg, sig.data, sig.len - 1),
              MIMI_ERR_BAD_SIGNATURE);
    CHECK_ERR(mimi_verify(sc, pk.data, pk.len, msg, sizeof msg, sig.data, 8),
              MIMI_ERR_BAD_SIGNATURE);
    CHECK_ERR(mimi_verify(sc, pk.data, pk.len, msg, sizeof msg, NULL, 0),
              MIMI_ERR_BAD_SIGNATURE);
    /* A trailing byte after the DER / raw signature is not accepted. */
    mimi_bytes longer = {NULL, 0};
    CHECK_OK(mimi_bytes_copy(&longer, sig.data, sig.len));
    CHECK_OK(mimi_bytes_append(&longer, (const uint8_t *)"", 1));
    CHECK_ERR(mimi_verify(sc, pk.data, pk.len, msg, sizeof msg, longer.data, longer.len),
              MIMI_ERR_BAD_SIGNATURE);
    mimi_bytes_free(&longer);
    /* Unusable public keys: wrong length; for ECDSA also compressed form,
     * a point off the curve, and the all-zero encoding. */
    CHECK_ERR(mimi_verify(sc, pk.data, pk.len - 1, msg, sizeof msg, sig.data, sig.len),
              MIMI_ERR_BAD_KEY);
    if (i < 3) {
      pk.data[0] = 0x02;
      CHECK_ERR(mimi_verify(sc, pk.data, pk.len, msg, sizeof msg, sig.data, sig.len),
                MIMI_ERR_BAD_KEY);
      pk.data[0] = 0x04;
      pk.data[pk.len - 1] ^= 1;
      CHECK_ERR(mimi_verify(sc, pk.data, pk.len, msg, sizeof msg, sig.data, sig.len),
                MIMI_ERR_BAD_KEY);
      pk.data[pk.len - 1] ^= 1;
      uint8_t zero[133] = {0};
      zero[0] = 0x04;
      CHECK_ERR(mimi_verify(sc, zero, pk.len, msg, sizeof msg, sig.data, sig.len),
                MIMI_ERR_BAD_KEY);
      /* Private scalars 0 and >= n are refused. */
      mimi_bytes bad = {NULL, 0};
      memset(zero, 0, sizeof zero);
      CHECK_ERR(mimi_sign(sc, zero, sk.len, msg, sizeof msg, &bad), MIMI_ERR_BAD_KEY);
      memset(zero, 0xff, sizeof zero);
      CHECK_ERR(mimi_sign(sc, zero, sk.len, msg, sizeof msg, &bad), MIMI_ERR_BAD_KEY);
      CHECK_ERR(mimi_sig_public_key(sc, zero, sk.len, &bad), MIMI_ERR_BAD_KEY);
      CHECK(bad.data == NULL);
    }
    CHECK_OK(mimi_verify(sc, pk.data, pk.len, msg, sizeof msg, sig.data, sig.len));
    mimi_bytes bad = {NULL, 0};
    if (sc == MIMI_SIG_ED25519 || sc == MIMI_SIG_ED448) {
      /* an EdDSA seed has exactly one length */
      CHECK_ERR(mimi_sign(sc, sk.data, sk.len - 1, msg, sizeof msg, &bad), MIMI_ERR_BAD_KEY);
      CHECK(bad.data == NULL);
    } else {
      /* an ECDSA scalar without its leading byte is the same integer as
       * 0x00 || rest: both must give the same public key */
      mimi_bytes padded, pub_short = {NULL, 0}, pub_padded = {NULL, 0};
      CHECK_OK(mimi_bytes_copy(&padded, sk.data, sk.len));
      padded.data[0] = 0;
      CHECK_OK(mimi_sig_public_key(sc, sk.data + 1, sk.len - 1, &pub_short));
      CHECK_OK(mimi_sig_public_key(sc, padded.data, padded.len, &pub_padded));
      CHECK_BYTES(pub_short, pub_padded);
      mimi_bytes short_sig = {NULL, 0};
      CHECK_OK(mimi_sign(sc, sk.data + 1, sk.len - 1, msg, sizeof msg, &short_sig));
      CHECK_OK(mimi_verify(sc, pub_padded.data, pub_padded.len, msg, sizeof msg,
                           short_sig.data, short_sig.len));
      mimi_bytes_free(&short_sig);
      mimi_bytes_free(&pub_short);
      mimi_bytes_free(&pub_padded);
      mimi_bytes_free(&padded);
    }
    /* longer than the curve's scalar is never a key */
    mimi_bytes long_key;
    CHECK_OK(mimi_bytes_alloc(&long_key, sk.len + 1));
    memcpy(long_key.data + 1, sk.data, sk.len);
    CHECK_ERR(mimi_sign(sc, long_key.data, long_key.len, msg, sizeof msg, &bad), MIMI_ERR_BAD_KEY);
    CHECK(bad.data == NULL);
    mimi_bytes_free(&long_key);
    mimi_bytes_free(&sk);
    mimi_bytes_free(&pk);
    mimi_bytes_free(&pk2);
    mimi_bytes_free(&sig);
    mimi_bytes_free(&other_sk);
    mimi_bytes_free(&other_pk);
    mimi_test_case();
  }
  mimi_bytes sk = {NULL, 0}, pk = {NULL, 0};
  CHECK_ERR(mimi_sig_generate(0x0401, &rng, &sk, &pk), MIMI_ERR_UNSUPPORTED_SUITE);
  CHECK_ERR(mimi_verify(0x0401, NULL, 0, NULL, 0, NULL, 0), MIMI_ERR_UNSUPPORTED_SUITE);
}

/* Random signature blobs of every length up to 150 bytes, some starting like
 * DER: always BAD_SIGNATURE, never a crash (run under ASan in CI). */
static void test_sig_garbage(void) {
  mimi_test_prng prng;
  mimi_rng rng = mimi_test_rng_prng(&prng, 77);
  for (size_t i = 0; i < 5; i++) {
    mimi_bytes sk = {NULL, 0}, pk = {NULL, 0};
    CHECK_OK(mimi_sig_generate(schemes[i], &rng, &sk, &pk));
    uint8_t blob[150];
    int wrong = 0;
    for (size_t len = 0; len <= sizeof blob; len++) {
      CHECK_OK(mimi_rng_fill(&rng, blob, len));
      if (len >= 2 && (len & 1)) {
        blob[0] = 0x30; /* SEQUENCE with a plausible length */
        blob[1] = (uint8_t)(len - 2);
      }
      if (mimi_verify(schemes[i], pk.data, pk.len, blob, len, blob, len) !=
          MIMI_ERR_BAD_SIGNATURE)
        wrong++;
    }
    CHECK(wrong == 0);
    mimi_bytes_free(&sk);
    mimi_bytes_free(&pk);
  }
}

/* RFC 9420 §5.1.2 SignWithLabel: SignContent = opaque label<V> ("MLS 1.0 " ||
 * Label), opaque content<V>. The signatures come from the mlswg vectors. */
static void test_sig_vectors(void) {
  json_t *all = mimi_vec_load("mls/crypto-basics.json");
  size_t idx;
  json_t *e;
  json_array_foreach(all, idx, e) {
    const mimi_suite *suite = mimi_suite_get((uint16_t)mimi_vec_int(e, "cipher_suite"));
    CHECK(suite != NULL);
    if (suite == NULL) continue;
    json_t *v = json_object_get(e, "sign_with_label");
    mimi_bytes priv = mimi_vec_hex(v, "priv"), pub = mimi_vec_hex(v, "pub");
    mimi_bytes content = mimi_vec_hex(v, "content"), sig = mimi_vec_hex(v, "signature");
    const char *label = json_string_value(json_object_get(v, "label"));
    char full[128];
    snprintf(full, sizeof full, "MLS 1.0 %s", label);
    mimi_writer w;
    mimi_writer_init(&w);
    mimi_write_opaque(&w, (const uint8_t *)full, strlen(full));
    mimi_write_opaque(&w, content.data, content.len);
    mimi_bytes tbs = {NULL, 0}, pk = {NULL, 0}, mine = {NULL, 0};
    CHECK_OK(mimi_writer_finish(&w, &tbs));
    CHECK_OK(mimi_sig_public_key(suite->sig, priv.data, priv.len, &pk));
    CHECK_BYTES(pk, pub);
    CHECK_OK(mimi_verify(suite->sig, pub.data, pub.len, tbs.data, tbs.len, sig.data, sig.len));
    CHECK_OK(mimi_sign(suite->sig, priv.data, priv.len, tbs.data, tbs.len, &mine));
    if (suite->sig == MIMI_SIG_ED25519 || suite->sig == MIMI_SIG_ED448)
      CHECK_BYTES(mine, sig); /* EdDSA is deterministic */
    CHECK_OK(mimi_verify(suite->sig, pub.data, pub.len, tbs.data, tbs.len, mine.data, mine.len));
    tbs.data[tbs.len - 1] ^= 1;
    CHECK_ERR(mimi_verify(suite->sig, pub.data, pub.len, tbs.data, tbs.len, sig.data, sig.len),
              MIMI_ERR_BAD_SIGNATURE);
    mimi_bytes *all_b[] = {&priv, &pub, &content, &sig, &tbs, &pk, &mine};
    for (size_t i = 0; i < sizeof all_b / sizeof all_b[0]; i++) mimi_bytes_free(all_b[i]);
    mimi_test_case();
  }
  json_decref(all);
}

/* KEM keys: the public key recomputed from the private key matches, the
 * RNG drives generation (GenerateKeyPair = DeriveKeyPair(rng(Nsk))). */
static void test_kem_keys(void) {
  static const uint16_t kems[] = {MIMI_KEM_P256_SHA256, MIMI_KEM_P384_SHA384,
                                  MIMI_KEM_P521_SHA512, MIMI_KEM_X25519_SHA256,
                                  MIMI_KEM_X448_SHA512};
  static const size_t sk_lens[] = {32, 48, 66, 32, 56}, pk_lens[] = {65, 97, 133, 32, 56};
  for (size_t i = 0; i < 5; i++) {
    mimi_test_prng a, b;
    mimi_rng ra = mimi_test_rng_prng(&a, 7 + i), rb = mimi_test_rng_prng(&b, 7 + i);
    mimi_bytes sk = {NULL, 0}, pk = {NULL, 0}, pk2 = {NULL, 0}, sk3 = {NULL, 0}, pk3 = {NULL, 0};
    uint8_t ikm[66];
    CHECK_OK(mimi_kem_generate_key_pair(kems[i], &ra, &sk, &pk));
    CHECK(sk.len == sk_lens[i] && pk.len == pk_lens[i]);
    CHECK_OK(mimi_kem_public_key(kems[i], sk.data, sk.len, &pk2));
    CHECK_BYTES(pk, pk2);
    CHECK_OK(mimi_rng_fill(&rb, ikm, sk_lens[i]));
    CHECK_OK(mimi_kem_derive_key_pair(kems[i], ikm, sk_lens[i], &sk3, &pk3));
    CHECK_BYTES(sk, sk3);
    CHECK_BYTES(pk, pk3);
    mimi_bytes_free(&pk2);
    CHECK_ERR(mimi_kem_public_key(kems[i], sk.data, sk.len + 1, &pk2), MIMI_ERR_BAD_KEY);
    CHECK(pk2.data == NULL);
    mimi_bytes *all[] = {&sk, &pk, &sk3, &pk3};
    for (size_t j = 0; j < 4; j++) mimi_bytes_free(all[j]);
    mimi_test_case();
  }
  mimi_bytes sk = {NULL, 0}, pk = {NULL, 0};
  mimi_test_rng_state st;
  mimi_rng empty = mimi_test_rng_fixed(&st, NULL, 0);
  CHECK_ERR(mimi_kem_generate_key_pair(MIMI_KEM_X25519_SHA256, &empty, &sk, &pk), MIMI_ERR_RNG);
  CHECK_ERR(mimi_kem_derive_key_pair(0x0030, (const uint8_t *)"x", 1, &sk, &pk),
            MIMI_ERR_UNSUPPORTED_SUITE);
  CHECK(sk.data == NULL && pk.data == NULL);
}

/* Private scalars must lie in [1, n-1]; n from SEC 2 §2.4.2, §2.5.1, §2.6.1.
 * (n-1)*G = -G shares G's x coordinate, which ties n to the real curve. */
static void test_scalar_range(void) {
  static const char *orders[] = {
      "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
      "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196a"
      "ccc52973",
      "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc"
      "0148f709a5d03bb5c9b8899c47aebb6fb71e91386409",
  };
  static const uint16_t kems[] = {MIMI_KEM_P256_SHA256, MIMI_KEM_P384_SHA384,
                                  MIMI_KEM_P521_SHA512};
  for (size_t i = 0; i < 3; i++) {
    mimi_bytes n = hex(orders[i]), one = {NULL, 0}, g = {NULL, 0}, neg_g = {NULL, 0};
    mimi_bytes pk = {NULL, 0};
    CHECK_OK(mimi_bytes_alloc(&one, n.len));
    one.data[n.len - 1] = 1;
    CHECK_OK(mimi_sig_public_key(schemes[i], one.data, one.len, &g));
    CHECK_ERR(mimi_sig_public_key(schemes[i], n.data, n.len, &pk), MIMI_ERR_BAD_KEY);
    CHECK_ERR(mimi_kem_public_key(kems[i], n.data, n.len, &pk), MIMI_ERR_BAD_KEY);
    n.data[n.len - 1]--; /* n - 1 */
    CHECK_OK(mimi_sig_public_key(schemes[i], n.data, n.len, &neg_g));
    size_t coord = (g.len - 1) / 2;
    CHECK(g.len == neg_g.len && memcmp(g.data + 1, neg_g.data + 1, coord) == 0 &&
          memcmp(g.data + 1 + coord, neg_g.data + 1 + coord, coord) != 0);
    CHECK(pk.data == NULL);
    mimi_bytes *all[] = {&n, &one, &g, &neg_g};
    for (size_t j = 0; j < 4; j++) mimi_bytes_free(all[j]);
    mimi_test_case();
  }
}

int main(void) {
  test_hash();
  test_hmac();
  test_hkdf();
  test_aead();
  test_suites();
  test_sig_roundtrip();
  test_sig_vectors();
  test_sig_garbage();
  test_kem_keys();
  test_scalar_range();
  return mimi_test_summary("test_crypto_primitives");
}
