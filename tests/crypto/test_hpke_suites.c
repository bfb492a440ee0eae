/*
 * test_hpke_suites.c — HPKE for the seven MLS cipher suites: round trips in
 * all four modes, every way a receiver can disagree with the sender (suite,
 * mode, PSK, PSK id, sender key, recipient key, info, AAD), the §5.1 PSK
 * input rules, sequence-number exhaustion, KEM input validation, and the
 * RFC 9420 EncryptWithLabel vectors (mlswg crypto-basics.json) as known
 * answers — the only independent HPKE vectors for suite 7 besides P-384's.
 */
#include "harness.h"
#include "mimi/crypto.h"

static const uint8_t psk_a[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                  17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
static const uint8_t psk_b[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                  17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 33};
static const uint8_t info[] = "mimi hpke test info";
static const uint8_t aad[] = "associated data";
static const uint8_t msg[100] = "a 100-byte plaintext, padded with zero bytes";

typedef struct {
  const mimi_suite *s;
  mimi_bytes sk_r, pk_r, sk_s, pk_s, sk_x, pk_x; /* recipient, sender, someone else */
} keys;

static void keys_make(keys *k, const mimi_suite *s, mimi_rng *rng) {
  k->s = s;
  CHECK_OK(mimi_kem_generate_key_pair(s->kem, rng, &k->sk_r, &k->pk_r));
  CHECK_OK(mimi_kem_generate_key_pair(s->kem, rng, &k->sk_s, &k->pk_s));
  CHECK_OK(mimi_kem_generate_key_pair(s->kem, rng, &k->sk_x, &k->pk_x));
}

static void keys_free(keys *k) {
  mimi_bytes *all[] = {&k->sk_r, &k->pk_r, &k->sk_s, &k->pk_s, &k->sk_x, &k->pk_x};
  for (size_t i = 0; i < 6; i++) mimi_bytes_free(all[i]);
}

static bool is_psk(mimi_hpke_mode m) {
  return m == MIMI_HPKE_MODE_PSK || m == MIMI_HPKE_MODE_AUTH_PSK;
}
static bool is_auth(mimi_hpke_mode m) {
  return m == MIMI_HPKE_MODE_AUTH || m == MIMI_HPKE_MODE_AUTH_PSK;
}

static mimi_hpke_params params_for(const mimi_suite *s, mimi_hpke_mode m) {
  mimi_hpke_params p = {.kem = s->kem, .kdf = s->kdf, .aead = s->aead, .mode = m,
                        .info = info, .info_len = sizeof info};
  if (is_psk(m)) {
    p.psk = psk_a;
    p.psk_len = sizeof psk_a;
    p.psk_id = (const uint8_t *)"psk-id";
    p.psk_id_len = 6;
  }
  return p;
}

/* Opening with receiver params r must fail with `want`. */
static void expect_open_fails(const keys *k, const mimi_hpke_params *r, const uint8_t *sk,
                              size_t sk_len, const mimi_bytes *enc, const mimi_bytes *ct,
                              const uint8_t *a, size_t a_len, mimi_err want) {
  mimi_bytes pt = {NULL, 0};
  (void)k;
  CHECK_ERR(mimi_hpke_open_once(r, enc->data, enc->len, sk, sk_len, a, a_len, ct->data,
                                ct->len, &pt),
            want);
  CHECK(pt.data == NULL);
}

static void test_modes(const keys *k) {
  const mimi_suite *s = k->s;
  mimi_rng const *sys = mimi_rng_system();
  for (int mode = 0; mode < 4; mode++) {
    mimi_hpke_mode m = (mimi_hpke_mode)mode;
    mimi_hpke_params snd = params_for(s, m), rcv = params_for(s, m);
    if (is_auth(m)) {
      snd.auth_key = k->sk_s.data;
      snd.auth_key_len = k->sk_s.len;
      rcv.auth_key = k->pk_s.data;
      rcv.auth_key_len = k->pk_s.len;
    }
    mimi_bytes enc = {NULL, 0}, ct = {NULL, 0}, pt = {NULL, 0};
    CHECK_OK(mimi_hpke_seal_once(&snd, k->pk_r.data, k->pk_r.len, aad, sizeof aad, msg,
                                 sizeof msg, sys, &enc, &ct));
    CHECK(enc.len == s->kem_enc_len && ct.len == sizeof msg + MIMI_AEAD_TAG);
    CHECK_OK(mimi_hpke_open_once(&rcv, enc.data, enc.len, k->sk_r.data, k->sk_r.len, aad,
                                 sizeof aad, ct.data, ct.len, &pt));
    CHECK_MEM(pt.data, pt.len, msg, sizeof msg);
    mimi_bytes_free(&pt);

    /* wrong AAD, info, recipient key */
    expect_open_fails(k, &rcv, k->sk_r.data, k->sk_r.len, &enc, &ct, aad, sizeof aad - 1,
                      MIMI_ERR_AEAD_OPEN);
    mimi_hpke_params bad = rcv;
    bad.info_len--;
    expect_open_fails(k, &bad, k->sk_r.data, k->sk_r.len, &enc, &ct, aad, sizeof aad,
                      MIMI_ERR_AEAD_OPEN);
    expect_open_fails(k, &rcv, k->sk_x.data, k->sk_x.len, &enc, &ct, aad, sizeof aad,
                      MIMI_ERR_AEAD_OPEN);
    if (is_psk(m)) {
      bad = rcv;
      bad.psk = psk_b;
      expect_open_fails(k, &bad, k->sk_r.data, k->sk_r.len, &enc, &ct, aad, sizeof aad,
                        MIMI_ERR_AEAD_OPEN);
      bad = rcv;
      bad.psk_id = (const uint8_t *)"psk-iD";
      expect_open_fails(k, &bad, k->sk_r.data, k->sk_r.len, &enc, &ct, aad, sizeof aad,
                        MIMI_ERR_AEAD_OPEN);
    }
    if (is_auth(m)) {
      bad = rcv;
      bad.auth_key = k->pk_x.data;
      expect_open_fails(k, &bad, k->sk_r.data, k->sk_r.len, &enc, &ct, aad, sizeof aad,
                        MIMI_ERR_AEAD_OPEN);
    }
    /* The same ciphertext opened in every other mode fails (keys given as
     * that mode needs them). */
    for (int other = 0; other < 4; other++) {
      if (other == mode) continue;
      bad = params_for(s, (mimi_hpke_mode)other);
      if (is_auth((mimi_hpke_mode)other)) {
        bad.auth_key = k->pk_s.data;
        bad.auth_key_len = k->pk_s.len;
      }
      expect_open_fails(k, &bad, k->sk_r.data, k->sk_r.len, &enc, &ct, aad, sizeof aad,
                        MIMI_ERR_AEAD_OPEN);
    }

    /* Context API: several messages, exports agree, a failed open does not
     * advance the receiver. */
    mimi_hpke_ctx cs, cr;
    mimi_bytes enc2 = {NULL, 0};
    CHECK_OK(mimi_hpke_setup_sender(&cs, &enc2, &snd, k->pk_r.data, k->pk_r.len, sys));
    CHECK_OK(mimi_hpke_setup_receiver(&cr, &rcv, enc2.data, enc2.len, k->sk_r.data,
                                      k->sk_r.len));
    for (int i = 0; i < 3; i++) {
      mimi_bytes c = {NULL, 0}, o = {NULL, 0};
      CHECK_OK(mimi_hpke_seal(&cs, aad, sizeof aad, msg, (size_t)(10 * i), &c));
      CHECK_ERR(mimi_hpke_open(&cr, aad, 1, c.data, c.len, &o), MIMI_ERR_AEAD_OPEN);
      CHECK(cr.seq == (uint64_t)i);
      CHECK_OK(mimi_hpke_open(&cr, aad, sizeof aad, c.data, c.len, &o));
      CHECK_MEM(o.data, o.len, msg, (size_t)(10 * i));
      /* A replay under the next nonce fails. */
      mimi_bytes o2 = {NULL, 0};
      CHECK_ERR(mimi_hpke_open(&cr, aad, sizeof aad, c.data, c.len, &o2), MIMI_ERR_AEAD_OPEN);
      mimi_bytes_free(&c);
      mimi_bytes_free(&o);
      /* Resynchronise: the receiver did not advance on failures. */
      CHECK(cr.seq == cs.seq);
    }
    uint8_t e1[100], e2[100];
    CHECK_OK(mimi_hpke_export(&cs, (const uint8_t *)"ctx", 3, e1, sizeof e1));
    CHECK_OK(mimi_hpke_export(&cr, (const uint8_t *)"ctx", 3, e2, sizeof e2));
    CHECK_MEM(e1, sizeof e1, e2, sizeof e2);
    uint8_t big[1];
    CHECK_ERR(mimi_hpke_export(&cs, NULL, 0, big, 255 * s->hash_len + 1), MIMI_ERR_TOO_LARGE);
    mimi_hpke_ctx_clear(&cs);
    mimi_hpke_ctx_clear(&cr);
    mimi_bytes_free(&enc2);
    mimi_bytes_free(&enc);
    mimi_bytes_free(&ct);
    mimi_test_case();
  }
}

/* Ciphertext sealed under suite a never opens under suite b. Suites sharing
 * a KEM reuse the same recipient key so decapsulation succeeds and the
 * suite binding in the key schedule is what fails. */
static void test_cross_suite(keys *all) {
  for (int a = 0; a < 7; a++) {
    mimi_hpke_params pa = params_for(all[a].s, MIMI_HPKE_MODE_BASE);
    mimi_bytes enc = {NULL, 0}, ct = {NULL, 0};
    CHECK_OK(mimi_hpke_seal_once(&pa, all[a].pk_r.data, all[a].pk_r.len, aad, sizeof aad, msg,
                                 sizeof msg, mimi_rng_system(), &enc, &ct));
    for (int b = 0; b < 7; b++) {
      if (b == a) continue;
      mimi_hpke_params pb = params_for(all[b].s, MIMI_HPKE_MODE_BASE);
      bool same_kem = all[a].s->kem == all[b].s->kem;
      const mimi_bytes *sk = same_kem ? &all[a].sk_r : &all[b].sk_r;
      expect_open_fails(&all[b], &pb, sk->data, sk->len, &enc, &ct, aad, sizeof aad,
                        same_kem ? MIMI_ERR_AEAD_OPEN : MIMI_ERR_BAD_KEY);
    }
    /* Same KEM and AEAD but another KDF must fail too. */
    mimi_hpke_params pk = pa;
    pk.kdf = pa.kdf == MIMI_KDF_HKDF_SHA256 ? MIMI_KDF_HKDF_SHA384 : MIMI_KDF_HKDF_SHA256;
    expect_open_fails(&all[a], &pk, all[a].sk_r.data, all[a].sk_r.len, &enc, &ct, aad,
                      sizeof aad, MIMI_ERR_AEAD_OPEN);
    mimi_bytes_free(&enc);
    mimi_bytes_free(&ct);
    mimi_test_case();
  }
}

static bool ctx_is(const mimi_hpke_ctx *c, uint8_t v) {
  const uint8_t *p = (const uint8_t *)c;
  for (size_t i = 0; i < sizeof *c; i++)
    if (p[i] != v) return false;
  return true;
}

/* RFC 9180 §5.1 VerifyPSKInputs and the auth-key rule; nothing is written. */
static void test_param_rules(const keys *k) {
  mimi_hpke_ctx ctx;
  memset(&ctx, 0xa5, sizeof ctx);
  mimi_bytes enc = {NULL, 0};
  const mimi_rng *sys = mimi_rng_system();
  struct {
    mimi_hpke_mode mode;
    bool psk, psk_id, auth;
  } bad[] = {
      {MIMI_HPKE_MODE_BASE, true, true, false},     /* PSK given when not needed */
      {MIMI_HPKE_MODE_PSK, false, false, false},    /* PSK missing */
      {MIMI_HPKE_MODE_PSK, true, false, false},     /* inconsistent */
      {MIMI_HPKE_MODE_PSK, false, true, false},     /* inconsistent */
      {MIMI_HPKE_MODE_AUTH, false, false, false},   /* sender key missing */
      {MIMI_HPKE_MODE_BASE, false, false, true},    /* sender key not needed */
      {MIMI_HPKE_MODE_AUTH_PSK, false, false, true}, /* PSK missing */
      {MIMI_HPKE_MODE_AUTH, true, true, true},      /* PSK given when not needed */
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    mimi_hpke_params p = params_for(k->s, MIMI_HPKE_MODE_BASE);
    p.mode = bad[i].mode;
    if (bad[i].psk) {
      p.psk = psk_a;
      p.psk_len = sizeof psk_a;
    }
    if (bad[i].psk_id) {
      p.psk_id = (const uint8_t *)"id";
      p.psk_id_len = 2;
    }
    if (bad[i].auth) {
      p.auth_key = k->sk_s.data;
      p.auth_key_len = k->sk_s.len;
    }
    CHECK_ERR(mimi_hpke_setup_sender(&ctx, &enc, &p, k->pk_r.data, k->pk_r.len, sys),
              MIMI_ERR_INVALID_ARG);
    if (bad[i].auth) {
      p.auth_key = k->pk_s.data;
      p.auth_key_len = k->pk_s.len;
    }
    CHECK_ERR(mimi_hpke_setup_receiver(&ctx, &p, k->pk_x.data, k->pk_x.len, k->sk_r.data,
                                       k->sk_r.len),
              MIMI_ERR_INVALID_ARG);
  }
  mimi_hpke_params p = params_for(k->s, MIMI_HPKE_MODE_BASE);
  p.mode = (mimi_hpke_mode)4;
  CHECK_ERR(mimi_hpke_setup_sender(&ctx, &enc, &p, k->pk_r.data, k->pk_r.len, sys),
            MIMI_ERR_INVALID_ARG);
  p = params_for(k->s, MIMI_HPKE_MODE_BASE);
  p.aead = 0x0004;
  CHECK_ERR(mimi_hpke_setup_sender(&ctx, &enc, &p, k->pk_r.data, k->pk_r.len, sys),
            MIMI_ERR_UNSUPPORTED_SUITE);
  p = params_for(k->s, MIMI_HPKE_MODE_BASE);
  p.kem = 0x0030;
  CHECK_ERR(mimi_hpke_setup_receiver(&ctx, &p, k->pk_x.data, k->pk_x.len, k->sk_r.data,
                                     k->sk_r.len),
            MIMI_ERR_UNSUPPORTED_SUITE);
  /* A failing RNG fails setup. */
  mimi_test_rng_state st;
  mimi_rng empty = mimi_test_rng_fixed(&st, NULL, 0);
  p = params_for(k->s, MIMI_HPKE_MODE_BASE);
  CHECK_ERR(mimi_hpke_setup_sender(&ctx, &enc, &p, k->pk_r.data, k->pk_r.len, &empty),
            MIMI_ERR_RNG);
  CHECK(ctx_is(&ctx, 0xa5));
  CHECK(enc.data == NULL);
}

/* Sequence numbers: exhaustion at 2^64 - 1 on both sides, nothing output. */
static void test_seq_overflow(const keys *k) {
  mimi_hpke_params p = params_for(k->s, MIMI_HPKE_MODE_BASE);
  mimi_hpke_ctx cs, cr;
  mimi_bytes enc = {NULL, 0}, ct = {NULL, 0}, pt = {NULL, 0};
  CHECK_OK(mimi_hpke_setup_sender(&cs, &enc, &p, k->pk_r.data, k->pk_r.len, mimi_rng_system()));
  CHECK_OK(mimi_hpke_setup_receiver(&cr, &p, enc.data, enc.len, k->sk_r.data, k->sk_r.len));
  cs.seq = cr.seq = UINT64_MAX - 1;
  CHECK_OK(mimi_hpke_seal(&cs, NULL, 0, msg, 10, &ct));
  CHECK_OK(mimi_hpke_open(&cr, NULL, 0, ct.data, ct.len, &pt));
  CHECK_MEM(pt.data, pt.len, msg, 10);
  mimi_bytes ct2 = {NULL, 0}, pt2 = {NULL, 0};
  CHECK(cs.seq == UINT64_MAX);
  CHECK_ERR(mimi_hpke_seal(&cs, NULL, 0, msg, 10, &ct2), MIMI_ERR_HPKE_SEQ_OVERFLOW);
  CHECK_ERR(mimi_hpke_open(&cr, NULL, 0, ct.data, ct.len, &pt2), MIMI_ERR_HPKE_SEQ_OVERFLOW);
  CHECK(ct2.data == NULL && pt2.data == NULL && cs.seq == UINT64_MAX);
  /* Export still works after exhaustion. */
  uint8_t out[32];
  CHECK_OK(mimi_hpke_export(&cs, NULL, 0, out, sizeof out));
  mimi_hpke_ctx_clear(&cs);
  mimi_hpke_ctx_clear(&cr);
  CHECK(ctx_is(&cs, 0));
  mimi_bytes_free(&enc);
  mimi_bytes_free(&ct);
  mimi_bytes_free(&pt);
}

/* Export-only AEAD (0xFFFF): contexts agree on exports, seal is refused. */
static void test_export_only(const keys *k) {
  mimi_hpke_params p = params_for(k->s, MIMI_HPKE_MODE_BASE);
  p.aead = MIMI_AEAD_EXPORT_ONLY;
  mimi_hpke_ctx cs, cr;
  mimi_bytes enc = {NULL, 0}, ct = {NULL, 0};
  CHECK_OK(mimi_hpke_setup_sender(&cs, &enc, &p, k->pk_r.data, k->pk_r.len, mimi_rng_system()));
  CHECK_OK(mimi_hpke_setup_receiver(&cr, &p, enc.data, enc.len, k->sk_r.data, k->sk_r.len));
  uint8_t a[64], b[64];
  CHECK_OK(mimi_hpke_export(&cs, aad, sizeof aad, a, sizeof a));
  CHECK_OK(mimi_hpke_export(&cr, aad, sizeof aad, b, sizeof b));
  CHECK_MEM(a, sizeof a, b, sizeof b);
  CHECK_ERR(mimi_hpke_seal(&cs, NULL, 0, msg, 1, &ct), MIMI_ERR_UNSUPPORTED_SUITE);
  CHECK(ct.data == NULL);
  mimi_hpke_ctx_clear(&cs);
  mimi_hpke_ctx_clear(&cr);
  mimi_bytes_free(&enc);
}

/* RFC 9180 §7.1.1, §7.1.4: malformed or malicious enc / public keys. */
static void test_kem_inputs(const keys *k) {
  const mimi_suite *s = k->s;
  mimi_hpke_params p = params_for(s, MIMI_HPKE_MODE_BASE);
  mimi_hpke_ctx ctx;
  memset(&ctx, 0xa5, sizeof ctx);
  uint8_t buf[140];
  mimi_bytes enc = {NULL, 0};
  /* wrong length enc and recipient key */
  memcpy(buf, k->pk_x.data, k->pk_x.len);
  buf[k->pk_x.len] = 0;
  CHECK_ERR(mimi_hpke_setup_receiver(&ctx, &p, buf, k->pk_x.len - 1, k->sk_r.data, k->sk_r.len),
            MIMI_ERR_BAD_KEY);
  CHECK_ERR(mimi_hpke_setup_receiver(&ctx, &p, buf, k->pk_x.len + 1, k->sk_r.data, k->sk_r.len),
            MIMI_ERR_BAD_KEY);
  CHECK_ERR(mimi_hpke_setup_receiver(&ctx, &p, buf, 0, k->sk_r.data, k->sk_r.len),
            MIMI_ERR_BAD_KEY);
  CHECK_ERR(mimi_hpke_setup_sender(&ctx, &enc, &p, k->pk_r.data, k->pk_r.len - 1,
                                   mimi_rng_system()),
            MIMI_ERR_BAD_KEY);
  /* wrong length private key */
  CHECK_ERR(mimi_hpke_setup_receiver(&ctx, &p, k->pk_x.data, k->pk_x.len, k->sk_r.data,
                                     k->sk_r.len - 1),
            MIMI_ERR_BAD_KEY);
  memset(buf, 0, sizeof buf);
  bool nist = s->kem_enc_len > 56;
  if (nist) {
    /* off the curve: flip the last byte of y */
    memcpy(buf, k->pk_x.data, k->pk_x.len);
    buf[k->pk_x.len - 1] ^= 1;
    CHECK_ERR(mimi_hpke_setup_receiver(&ctx, &p, buf, k->pk_x.len, k->sk_r.data, k->sk_r.len),
              MIMI_ERR_BAD_KEY);
    CHECK_ERR(mimi_hpke_setup_sender(&ctx, &enc, &p, buf, k->pk_x.len, mimi_rng_system()),
              MIMI_ERR_BAD_KEY);
    /* compressed / hybrid prefixes are not SerializePublicKey output */
    memcpy(buf, k->pk_x.data, k->pk_x.len);
    buf[0] = 0x06;
    CHECK_ERR(mimi_hpke_setup_receiver(&ctx, &p, buf, k->pk_x.len, k->sk_r.data, k->sk_r.len),
              MIMI_ERR_BAD_KEY);
    /* (0, 0) is not a point */
    memset(buf, 0, sizeof buf);
    buf[0] = 0x04;
    CHECK_ERR(mimi_hpke_setup_receiver(&ctx, &p, buf, k->pk_x.len, k->sk_r.data, k->sk_r.len),
              MIMI_ERR_BAD_KEY);
    /* private scalars 0 and all-ones (>= n) */
    mimi_bytes pk = {NULL, 0};
    memset(buf, 0, sizeof buf);
    CHECK_ERR(mimi_kem_public_key(s->kem, buf, s->kem_priv_len, &pk), MIMI_ERR_BAD_KEY);
    memset(buf, 0xff, sizeof buf);
    CHECK_ERR(mimi_kem_public_key(s->kem, buf, s->kem_priv_len, &pk), MIMI_ERR_BAD_KEY);
    CHECK(pk.data == NULL);
  } else {
    /* Small-order points give an all-zero DH output (§7.1.4): u = 0, u = 1. */
    CHECK_ERR(mimi_hpke_setup_receiver(&ctx, &p, buf, s->kem_enc_len, k->sk_r.data,
                                       k->sk_r.len),
              MIMI_ERR_BAD_KEY);
    CHECK_ERR(mimi_hpke_setup_sender(&ctx, &enc, &p, buf, s->kem_enc_len, mimi_rng_system()),
              MIMI_ERR_BAD_KEY);
    buf[0] = 1;
    CHECK_ERR(mimi_hpke_setup_receiver(&ctx, &p, buf, s->kem_enc_len, k->sk_r.data,
                                       k->sk_r.len),
              MIMI_ERR_BAD_KEY);
  }
  CHECK(ctx_is(&ctx, 0xa5));
  CHECK(enc.data == NULL);
}

/* Random enc values: BAD_KEY (not a valid key) or AEAD_OPEN (a valid X25519 /
 * X448 string that decapsulates to the wrong secret), never success. */
static void test_enc_garbage(const keys *k, mimi_rng *rng) {
  mimi_hpke_params p = params_for(k->s, MIMI_HPKE_MODE_BASE);
  uint8_t enc[133], ct[40];
  int wrong = 0;
  for (int i = 0; i < 50; i++) {
    CHECK_OK(mimi_rng_fill(rng, enc, sizeof enc));
    CHECK_OK(mimi_rng_fill(rng, ct, sizeof ct));
    if (i & 1) enc[0] = 0x04;
    mimi_bytes pt = {NULL, 0};
    mimi_err err = mimi_hpke_open_once(&p, enc, k->s->kem_enc_len, k->sk_r.data, k->sk_r.len,
                                       NULL, 0, ct, sizeof ct, &pt);
    if ((err != MIMI_ERR_BAD_KEY && err != MIMI_ERR_AEAD_OPEN) || pt.data != NULL) wrong++;
  }
  CHECK(wrong == 0);
}

/* RFC 9420 §5.1.3 EncryptWithLabel: SealBase(pk, EncryptContext, "", pt)
 * with EncryptContext = opaque label<V> ("MLS 1.0 " || Label), opaque
 * context<V>. */
static void test_encrypt_with_label(void) {
  json_t *all = mimi_vec_load("mls/crypto-basics.json");
  size_t idx;
  json_t *e;
  json_array_foreach(all, idx, e) {
    const mimi_suite *s = mimi_suite_get((uint16_t)mimi_vec_int(e, "cipher_suite"));
    CHECK(s != NULL);
    if (s == NULL) continue;
    json_t *v = json_object_get(e, "encrypt_with_label");
    mimi_bytes priv = mimi_vec_hex(v, "priv"), pub = mimi_vec_hex(v, "pub");
    mimi_bytes context = mimi_vec_hex(v, "context"), kem_output = mimi_vec_hex(v, "kem_output");
    mimi_bytes ct = mimi_vec_hex(v, "ciphertext"), want = mimi_vec_hex(v, "plaintext");
    char label[128];
    snprintf(label, sizeof label, "MLS 1.0 %s",
             json_string_value(json_object_get(v, "label")));
    mimi_writer w;
    mimi_writer_init(&w);
    mimi_write_opaque(&w, (const uint8_t *)label, strlen(label));
    mimi_write_opaque(&w, context.data, context.len);
    mimi_bytes ectx = {NULL, 0}, pt = {NULL, 0}, pk = {NULL, 0};
    CHECK_OK(mimi_writer_finish(&w, &ectx));
    mimi_hpke_params p = params_for(s, MIMI_HPKE_MODE_BASE);
    p.info = ectx.data;
    p.info_len = ectx.len;
    CHECK_OK(mimi_kem_public_key(s->kem, priv.data, priv.len, &pk));
    CHECK_BYTES(pk, pub);
    CHECK_OK(mimi_hpke_open_once(&p, kem_output.data, kem_output.len, priv.data, priv.len, NULL,
                                 0, ct.data, ct.len, &pt));
    CHECK_BYTES(pt, want);
    mimi_bytes *b[] = {&priv, &pub, &context, &kem_output, &ct, &want, &ectx, &pt, &pk};
    for (size_t i = 0; i < sizeof b / sizeof b[0]; i++) mimi_bytes_free(b[i]);
    mimi_test_case();
  }
  json_decref(all);
}

int main(void) {
  mimi_test_prng prng;
  mimi_rng rng = mimi_test_rng_prng(&prng, 9420);
  keys all[7];
  for (uint16_t id = 1; id <= 7; id++) keys_make(&all[id - 1], mimi_suite_get(id), &rng);
  for (int i = 0; i < 7; i++) {
    test_modes(&all[i]);
    test_param_rules(&all[i]);
    test_seq_overflow(&all[i]);
    test_export_only(&all[i]);
    test_kem_inputs(&all[i]);
    test_enc_garbage(&all[i], &rng);
  }
  test_cross_suite(all);
  test_encrypt_with_label();
  for (int i = 0; i < 7; i++) keys_free(&all[i]);
  return mimi_test_summary("test_hpke_suites");
}
