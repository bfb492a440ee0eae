/*
 * test_hpke_rfc9180.c — every RFC 9180 test-vector entry for the MLS KEMs,
 * KDFs and AEADs (cfrg test-vectors.json, 96 entries): DeriveKeyPair for
 * E, R and S; the sender's enc, key, base_nonce and exporter_secret with the
 * vector's ikmE as randomness; all encryptions sealed in sequence and opened
 * by the receiver; all exports from both sides. Then the one published
 * P-384 vector (chipsalliance/caliptra-sw, generated with pyhpke).
 */
#include "harness.h"
#include "mimi/crypto.h"

static int n_encryptions, n_exports;

static bool has(json_t *e, const char *key) { return json_object_get(e, key) != NULL; }

static void check_derive(uint16_t kem, json_t *e, const char *ikm_key, const char *sk_key,
                         const char *pk_key) {
  mimi_bytes ikm = mimi_vec_hex(e, ikm_key), want_sk = mimi_vec_hex(e, sk_key);
  mimi_bytes want_pk = mimi_vec_hex(e, pk_key), sk = {NULL, 0}, pk = {NULL, 0}, pk2 = {NULL, 0};
  CHECK_OK(mimi_kem_derive_key_pair(kem, ikm.data, ikm.len, &sk, &pk));
  CHECK_BYTES(sk, want_sk);
  CHECK_BYTES(pk, want_pk);
  CHECK_OK(mimi_kem_public_key(kem, want_sk.data, want_sk.len, &pk2));
  CHECK_BYTES(pk2, want_pk);
  mimi_bytes *all[] = {&ikm, &want_sk, &want_pk, &sk, &pk, &pk2};
  for (size_t i = 0; i < 6; i++) mimi_bytes_free(all[i]);
}

/* Each encryption in order: sealed by sender (if any) to the vector's ct,
 * and the vector's ct opened by receiver to its pt. */
static void run_encryptions(json_t *list, mimi_hpke_ctx *sender, mimi_hpke_ctx *receiver) {
  size_t i;
  json_t *x;
  json_array_foreach(list, i, x) {
    mimi_bytes aad = mimi_vec_hex(x, "aad"), pt = mimi_vec_hex(x, "pt");
    mimi_bytes want_ct = mimi_vec_hex(x, "ct"), ct = {NULL, 0}, out = {NULL, 0};
    if (sender != NULL) {
      CHECK(sender->seq == i);
      CHECK_OK(mimi_hpke_seal(sender, aad.data, aad.len, pt.data, pt.len, &ct));
      CHECK_BYTES(ct, want_ct);
    }
    CHECK_OK(mimi_hpke_open(receiver, aad.data, aad.len, want_ct.data, want_ct.len, &out));
    CHECK_BYTES(out, pt);
    n_encryptions++;
    mimi_bytes *all[] = {&aad, &pt, &want_ct, &ct, &out};
    for (size_t j = 0; j < 5; j++) mimi_bytes_free(all[j]);
  }
}

static void run_entry(json_t *e) {
  uint16_t kem = (uint16_t)mimi_vec_int(e, "kem_id");
  mimi_hpke_params p = {
      .kem = kem,
      .kdf = (uint16_t)mimi_vec_int(e, "kdf_id"),
      .aead = (uint16_t)mimi_vec_int(e, "aead_id"),
      .mode = (mimi_hpke_mode)mimi_vec_int(e, "mode"),
  };
  bool auth = p.mode == MIMI_HPKE_MODE_AUTH || p.mode == MIMI_HPKE_MODE_AUTH_PSK;
  check_derive(kem, e, "ikmE", "skEm", "pkEm");
  check_derive(kem, e, "ikmR", "skRm", "pkRm");
  if (auth) check_derive(kem, e, "ikmS", "skSm", "pkSm");

  mimi_bytes info = mimi_vec_hex(e, "info"), ikm_e = mimi_vec_hex(e, "ikmE");
  mimi_bytes pk_r = mimi_vec_hex(e, "pkRm"), sk_r = mimi_vec_hex(e, "skRm");
  mimi_bytes want_enc = mimi_vec_hex(e, "enc"), key = mimi_vec_hex(e, "key");
  mimi_bytes nonce = mimi_vec_hex(e, "base_nonce"), exp = mimi_vec_hex(e, "exporter_secret");
  mimi_bytes psk = {NULL, 0}, psk_id = {NULL, 0}, sk_s = {NULL, 0}, pk_s = {NULL, 0};
  if (has(e, "psk")) {
    psk = mimi_vec_hex(e, "psk");
    psk_id = mimi_vec_hex(e, "psk_id");
  }
  if (auth) {
    sk_s = mimi_vec_hex(e, "skSm");
    pk_s = mimi_vec_hex(e, "pkSm");
  }
  p.info = info.data;
  p.info_len = info.len;
  p.psk = psk.data;
  p.psk_len = psk.len;
  p.psk_id = psk_id.data;
  p.psk_id_len = psk_id.len;
  p.auth_key = sk_s.data;
  p.auth_key_len = sk_s.len;

  mimi_test_rng_state st;
  mimi_rng rng = mimi_test_rng_fixed(&st, ikm_e.data, ikm_e.len);
  mimi_hpke_ctx sender, receiver;
  mimi_bytes enc = {NULL, 0};
  CHECK_OK(mimi_hpke_setup_sender(&sender, &enc, &p, pk_r.data, pk_r.len, &rng));
  CHECK_BYTES(enc, want_enc);
  CHECK_MEM(sender.key, key.len, key.data, key.len);
  CHECK_MEM(sender.base_nonce, nonce.len, nonce.data, nonce.len);
  CHECK_MEM(sender.exporter_secret, exp.len, exp.data, exp.len);

  p.auth_key = pk_s.data;
  p.auth_key_len = pk_s.len;
  CHECK_OK(mimi_hpke_setup_receiver(&receiver, &p, want_enc.data, want_enc.len, sk_r.data,
                                    sk_r.len));
  CHECK_MEM(receiver.key, key.len, key.data, key.len);
  CHECK_MEM(receiver.exporter_secret, exp.len, exp.data, exp.len);

  run_encryptions(json_object_get(e, "encryptions"), &sender, &receiver);
  size_t i;
  json_t *x;
  json_array_foreach(json_object_get(e, "exports"), i, x) {
    mimi_bytes ctx = mimi_vec_hex(x, "exporter_context");
    mimi_bytes want = mimi_vec_hex(x, "exported_value");
    uint8_t a[512], b[512];
    size_t len = (size_t)mimi_vec_int(x, "L");
    CHECK(len <= sizeof a && len == want.len);
    if (len <= sizeof a) {
      CHECK_OK(mimi_hpke_export(&sender, ctx.data, ctx.len, a, len));
      CHECK_OK(mimi_hpke_export(&receiver, ctx.data, ctx.len, b, len));
      CHECK_MEM(a, len, want.data, want.len);
      CHECK_MEM(b, len, want.data, want.len);
    }
    n_exports++;
    mimi_bytes_free(&ctx);
    mimi_bytes_free(&want);
  }
  mimi_hpke_ctx_clear(&sender);
  mimi_hpke_ctx_clear(&receiver);
  mimi_bytes *all[] = {&info, &ikm_e, &pk_r, &sk_r, &want_enc, &key,  &nonce,
                       &exp,  &psk,   &psk_id, &sk_s, &pk_s,   &enc};
  for (size_t j = 0; j < sizeof all / sizeof all[0]; j++) mimi_bytes_free(all[j]);
  mimi_test_case();
}

/* No RFC 9180 vector uses P-384 / HKDF-SHA384; this one was produced with
 * pyhpke (DeriveKeyPair, enc, ciphertext) and Python's HKDF (key schedule)
 * and has no ikmE, so only the receiver side is reproduced. */
static void run_p384(json_t *e) {
  uint16_t kem = (uint16_t)mimi_vec_int(e, "kem_id");
  check_derive(kem, e, "ikmR", "skRm", "pkRm");
  mimi_bytes info = mimi_vec_hex(e, "info"), sk_r = mimi_vec_hex(e, "skRm");
  mimi_bytes enc = mimi_vec_hex(e, "enc"), key = mimi_vec_hex(e, "key");
  mimi_bytes nonce = mimi_vec_hex(e, "base_nonce"), exp = mimi_vec_hex(e, "exporter_secret");
  mimi_hpke_params p = {
      .kem = kem,
      .kdf = (uint16_t)mimi_vec_int(e, "kdf_id"),
      .aead = (uint16_t)mimi_vec_int(e, "aead_id"),
      .mode = MIMI_HPKE_MODE_BASE,
      .info = info.data,
      .info_len = info.len,
  };
  mimi_hpke_ctx r;
  CHECK_OK(mimi_hpke_setup_receiver(&r, &p, enc.data, enc.len, sk_r.data, sk_r.len));
  CHECK_MEM(r.key, key.len, key.data, key.len);
  CHECK_MEM(r.base_nonce, nonce.len, nonce.data, nonce.len);
  CHECK_MEM(r.exporter_secret, exp.len, exp.data, exp.len);
  run_encryptions(json_object_get(e, "encryptions"), NULL, &r);
  mimi_hpke_ctx_clear(&r);
  mimi_bytes *all[] = {&info, &sk_r, &enc, &key, &nonce, &exp};
  for (size_t j = 0; j < 6; j++) mimi_bytes_free(all[j]);
  mimi_test_case();
}

int main(void) {
  json_t *all = mimi_vec_load("hpke/test-vectors-rfc9180-mls-suites.json");
  size_t i;
  json_t *e;
  json_array_foreach(all, i, e) run_entry(e);
  printf("rfc9180: %zu entries, %d encryptions, %d exports\n", json_array_size(all),
         n_encryptions, n_exports);
  CHECK(json_array_size(all) == 96);
  json_decref(all);

  all = mimi_vec_load("hpke/hpke-p384-caliptra.json");
  json_array_foreach(all, i, e) run_p384(e);
  json_decref(all);
  return mimi_test_summary("test_hpke_rfc9180");
}
