/* test_crypto_basics.c — the labelled crypto helpers of RFC 9420 (§5.1.2,
 * §5.1.3, §5.2, §8) against the mlswg crypto-basics.json vectors for all
 * seven suites, plus our own sign/encrypt round trips and bad inputs. */
#include <stdlib.h>

#include "harness.h"
#include "mimi/mls.h"

static const char *str(json_t *o, const char *key) {
  return json_string_value(json_object_get(o, key));
}
#define LIT(s) (const uint8_t *)(s), (sizeof(s) - 1)
#define LBL(o) (const uint8_t *)str(o, "label"), strlen(str(o, "label"))

static void check_ref_hash(uint16_t suite, json_t *v) {
  mimi_bytes value = mimi_vec_hex(v, "value"), want = mimi_vec_hex(v, "out");
  uint8_t out[MIMI_MAX_HASH];
  CHECK_OK(mls_ref_hash(suite, LBL(v), value.data, value.len, out));
  CHECK_MEM(out, want.len, want.data, want.len);
  mimi_bytes_free(&value);
  mimi_bytes_free(&want);
}

static void check_expand(uint16_t suite, json_t *v) {
  mimi_bytes secret = mimi_vec_hex(v, "secret"), ctx = mimi_vec_hex(v, "context"),
             want = mimi_vec_hex(v, "out");
  size_t len = (size_t)mimi_vec_int(v, "length");
  uint8_t out[256];
  CHECK(len <= sizeof out);
  CHECK_OK(mls_expand_with_label(suite, secret.data, secret.len, LBL(v), ctx.data, ctx.len, out,
                                 len));
  CHECK_MEM(out, len, want.data, want.len);
  mimi_bytes_free(&secret);
  mimi_bytes_free(&ctx);
  mimi_bytes_free(&want);
}

static void check_derive_secret(uint16_t suite, json_t *v) {
  mimi_bytes secret = mimi_vec_hex(v, "secret"), want = mimi_vec_hex(v, "out");
  uint8_t out[MIMI_MAX_HASH];
  CHECK_OK(mls_derive_secret(suite, secret.data, secret.len, LBL(v), out));
  CHECK_MEM(out, want.len, want.data, want.len);
  mimi_bytes_free(&secret);
  mimi_bytes_free(&want);
}

static void check_derive_tree_secret(uint16_t suite, json_t *v) {
  mimi_bytes secret = mimi_vec_hex(v, "secret"), want = mimi_vec_hex(v, "out");
  size_t len = (size_t)mimi_vec_int(v, "length");
  uint32_t gen = (uint32_t)mimi_vec_int(v, "generation");
  uint8_t out[256];
  CHECK(len <= sizeof out);
  CHECK_OK(mls_derive_tree_secret(suite, secret.data, secret.len, LBL(v), gen, out, len));
  CHECK_MEM(out, len, want.data, want.len);
  mimi_bytes_free(&secret);
  mimi_bytes_free(&want);
}

static void check_sign(uint16_t suite, json_t *v) {
  mimi_bytes priv = mimi_vec_hex(v, "priv"), pub = mimi_vec_hex(v, "pub"),
             content = mimi_vec_hex(v, "content"), sig = mimi_vec_hex(v, "signature");
  CHECK_OK(mls_verify_with_label(suite, pub.data, pub.len, LBL(v), content.data, content.len,
                                 sig.data, sig.len));
  /* A different label changes SignContent, so the same signature fails. */
  CHECK_ERR(mls_verify_with_label(suite, pub.data, pub.len, LIT("SignWithLabeL"),
                                  content.data, content.len, sig.data, sig.len),
            MIMI_ERR_BAD_SIGNATURE);
  mimi_bytes ours = {0};
  CHECK_OK(mls_sign_with_label(suite, priv.data, priv.len, LBL(v), content.data, content.len,
                               &ours));
  CHECK_OK(mls_verify_with_label(suite, pub.data, pub.len, LBL(v), content.data, content.len,
                                 ours.data, ours.len));
  content.data[0] ^= 1;
  CHECK_ERR(mls_verify_with_label(suite, pub.data, pub.len, LBL(v), content.data, content.len,
                                  ours.data, ours.len),
            MIMI_ERR_BAD_SIGNATURE);
  mimi_bytes_free(&ours);
  mimi_bytes_free(&priv);
  mimi_bytes_free(&pub);
  mimi_bytes_free(&content);
  mimi_bytes_free(&sig);
}

static void check_encrypt(uint16_t suite, json_t *v) {
  mimi_bytes priv = mimi_vec_hex(v, "priv"), pub = mimi_vec_hex(v, "pub"),
             ctx = mimi_vec_hex(v, "context"), pt = mimi_vec_hex(v, "plaintext"),
             kem_out = mimi_vec_hex(v, "kem_output"), ct = mimi_vec_hex(v, "ciphertext");
  mimi_bytes got = {0};
  CHECK_OK(mls_decrypt_with_label(suite, priv.data, priv.len, LBL(v), ctx.data, ctx.len,
                                  kem_out.data, kem_out.len, ct.data, ct.len, &got));
  CHECK_BYTES(got, pt);
  mimi_bytes_free(&got);
  /* The label and context are bound in through EncryptContext. */
  CHECK_ERR(mls_decrypt_with_label(suite, priv.data, priv.len, LIT("EncryptWithLabeL"), ctx.data,
                                   ctx.len, kem_out.data, kem_out.len, ct.data, ct.len, &got),
            MIMI_ERR_AEAD_OPEN);
  CHECK_ERR(mls_decrypt_with_label(suite, priv.data, priv.len, LBL(v), ctx.data, ctx.len - 1,
                                   kem_out.data, kem_out.len, ct.data, ct.len, &got),
            MIMI_ERR_AEAD_OPEN);
  CHECK(got.data == NULL);

  mimi_bytes enc = {0}, sealed = {0};
  CHECK_OK(mls_encrypt_with_label(suite, pub.data, pub.len, LBL(v), ctx.data, ctx.len, pt.data,
                                  pt.len, mimi_rng_system(), &enc, &sealed));
  CHECK(sealed.len == pt.len + MIMI_AEAD_TAG);
  CHECK_OK(mls_decrypt_with_label(suite, priv.data, priv.len, LBL(v), ctx.data, ctx.len,
                                  enc.data, enc.len, sealed.data, sealed.len, &got));
  CHECK_BYTES(got, pt);
  mimi_bytes_free(&got);
  sealed.data[0] ^= 1;
  CHECK_ERR(mls_decrypt_with_label(suite, priv.data, priv.len, LBL(v), ctx.data, ctx.len,
                                   enc.data, enc.len, sealed.data, sealed.len, &got),
            MIMI_ERR_AEAD_OPEN);
  mimi_bytes *all[] = {&priv, &pub, &ctx, &pt, &kem_out, &ct, &enc, &sealed};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) mimi_bytes_free(all[i]);
}

static void test_vectors(void) {
  json_t *root = mimi_vec_load("mls/crypto-basics.json");
  size_t i;
  json_t *c;
  json_array_foreach(root, i, c) {
    uint16_t suite = (uint16_t)mimi_vec_int(c, "cipher_suite");
    check_ref_hash(suite, json_object_get(c, "ref_hash"));
    check_expand(suite, json_object_get(c, "expand_with_label"));
    check_derive_secret(suite, json_object_get(c, "derive_secret"));
    check_derive_tree_secret(suite, json_object_get(c, "derive_tree_secret"));
    check_sign(suite, json_object_get(c, "sign_with_label"));
    check_encrypt(suite, json_object_get(c, "encrypt_with_label"));
    mimi_test_case();
  }
  json_decref(root);
}

static void test_errors(void) {
  uint8_t secret[64] = {1}, out[64];
  memset(out, 0xee, sizeof out);
  CHECK_ERR(mls_expand_with_label(0, secret, 32, LIT("x"), NULL, 0, out, 32),
            MIMI_ERR_UNSUPPORTED_SUITE);
  CHECK_ERR(mls_expand_with_label(8, secret, 32, LIT("x"), NULL, 0, out, 32),
            MIMI_ERR_UNSUPPORTED_SUITE);
  CHECK_ERR(mls_derive_secret(0xffff, secret, 32, LIT("x"), out),
            MIMI_ERR_UNSUPPORTED_SUITE);
  CHECK_ERR(mls_ref_hash(0, LIT("x"), secret, 3, out), MIMI_ERR_UNSUPPORTED_SUITE);
  /* secrets must be Nh bytes: 32 for suite 1, 64 for suite 4 */
  CHECK_ERR(mls_expand_with_label(1, secret, 31, LIT("x"), NULL, 0, out, 32),
            MIMI_ERR_BAD_LENGTH);
  CHECK_ERR(mls_expand_with_label(4, secret, 32, LIT("x"), NULL, 0, out, 32),
            MIMI_ERR_BAD_LENGTH);
  CHECK_ERR(mls_derive_secret(7, secret, 64, LIT("x"), out), MIMI_ERR_BAD_LENGTH);
  CHECK_ERR(mls_derive_tree_secret(1, secret, 0, LIT("x"), 0, out, 16),
            MIMI_ERR_BAD_LENGTH);
  /* output length: KDFLabel.length is a uint16 and HKDF stops at 255 * Nh */
  CHECK_ERR(mls_expand_with_label(1, secret, 32, LIT("x"), NULL, 0, out, 0),
            MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mls_expand_with_label(1, secret, 32, LIT("x"), NULL, 0, out,
                                  255 * 32 + 1),
            MIMI_ERR_TOO_LARGE);
  CHECK_ERR(mls_expand_with_label(4, secret, 64, LIT("x"), NULL, 0, out, 65536),
            MIMI_ERR_TOO_LARGE);
  for (size_t i = 0; i < sizeof out; i++) CHECK(out[i] == 0xee);
  /* verify with a wrong-size key / garbage signature */
  CHECK(mls_verify_with_label(1, secret, 5, LIT("x"), secret, 4, secret, 64) !=
        MIMI_OK);
  mimi_bytes ct = {0}, enc = {0};
  CHECK_ERR(mls_encrypt_with_label(0, secret, 32, LIT("x"), NULL, 0, secret, 4,
                                   mimi_rng_system(), &enc, &ct),
            MIMI_ERR_UNSUPPORTED_SUITE);
  CHECK_ERR(mls_decrypt_with_label(9, secret, 32, LIT("x"), NULL, 0, secret, 32, secret, 20,
                                   &ct),
            MIMI_ERR_UNSUPPORTED_SUITE);
  CHECK(ct.data == NULL && enc.data == NULL);
  mimi_test_case();
}

int main(void) {
  test_vectors();
  test_errors();
  return mimi_test_summary("crypto_basics");
}
