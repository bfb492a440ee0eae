/*
 * bench_crypto.c — the crypto layer per MLS cipher suite (HPKE single-shot
 * seal/open, sign/verify, AEAD seal, DHKEM DeriveKeyPair) next to the
 * matching `openssl speed` figure measured in the same run.
 *
 * AEAD figures use `-aead` (per-message IV, AAD and tag on one context); our
 * rows also pay for a fresh context and key setup per call, which is what a
 * stateless seal(key, nonce, ...) costs. OpenSSL has no HPKE or keygen
 * benchmark, so HPKE and DeriveKeyPair rows are set against one raw ECDH
 * derive on the same curve: the ratio shows what our layer adds on top of
 * the one operation that dominates it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mimi/crypto.h"
#include "util.h"

/* ---- openssl speed -mr --------------------------------------------------- */

typedef struct {
  double sign, verify, ecdh; /* per curve */
} ossl_curve;

typedef struct {
  bool ok;
  ossl_curve p256, p384, p521, x25519, x448, ed25519, ed448;
  double aead_100[3], aead_16k[3]; /* ops/s, by AEAD id - 1 */
} ossl_figures;

static ossl_curve *curve_by_bits(ossl_figures *f, int bits, bool ecdh) {
  switch (bits) {
  case 256: return &f->p256;
  case 384: return &f->p384;
  case 521: return &f->p521;
  case 253: return ecdh ? &f->x25519 : &f->ed25519;
  case 448: return ecdh ? &f->x448 : NULL;
  case 456: return ecdh ? NULL : &f->ed448; /* Ed448 reports its encoding size */
  default: return NULL;
  }
}

static void parse_pk_line(ossl_figures *f, const char *line) {
  int idx, bits;
  double a, b;
  char name[32];
  ossl_curve *c;
  if (sscanf(line, "+F4:%d:%d:%lf:%lf", &idx, &bits, &a, &b) == 4) { /* ECDSA */
    if ((c = curve_by_bits(f, bits, true)) != NULL) c->sign = a, c->verify = b;
  } else if (sscanf(line, "+F5:%d:%d:%lf:%lf", &idx, &bits, &a, &b) == 4) { /* ECDH */
    if ((c = curve_by_bits(f, bits, true)) != NULL) c->ecdh = a;
  } else if (sscanf(line, "+F6:%d:%d:%31[^:]:%lf:%lf", &idx, &bits, name, &a, &b) == 5) {
    if ((c = curve_by_bits(f, bits, false)) != NULL) c->sign = a, c->verify = b;
  }
}

static double speed_aead(const char *cipher, int bytes, double seconds) {
  char cmd[200], line[256];
  snprintf(cmd, sizeof cmd, "openssl speed -mr -seconds %d -bytes %d -aead -evp %s 2>/dev/null",
           (int)(seconds + 0.5) > 0 ? (int)(seconds + 0.5) : 1, bytes, cipher);
  FILE *p = popen(cmd, "r");
  double v = 0;
  if (p == NULL) return 0;
  while (fgets(line, sizeof line, p) != NULL) {
    double bps;
    int idx;
    char name[64];
    if (sscanf(line, "+F:%d:%63[^:]:%lf", &idx, name, &bps) == 3) v = bps / bytes;
  }
  pclose(p);
  return v;
}

static void openssl_speed(ossl_figures *f) {
  memset(f, 0, sizeof *f);
  FILE *p = popen("openssl version 2>/dev/null", "r");
  char line[256];
  if (p == NULL) return;
  bool found = fgets(line, sizeof line, p) != NULL && strncmp(line, "OpenSSL", 7) == 0;
  pclose(p);
  if (!found) return;
  fprintf(stderr, "running openssl speed (about 20 s)...\n");
  p = popen("openssl speed -mr -seconds 1 ecdsap256 ecdsap384 ecdsap521 ed25519 ed448 "
            "ecdhp256 ecdhp384 ecdhp521 ecdhx25519 ecdhx448 2>/dev/null",
            "r");
  if (p == NULL) return;
  while (fgets(line, sizeof line, p) != NULL) parse_pk_line(f, line);
  pclose(p);
  static const char *ciphers[] = {"aes-128-gcm", "aes-256-gcm", "chacha20-poly1305"};
  for (int i = 0; i < 3; i++) {
    f->aead_100[i] = speed_aead(ciphers[i], 100, 1);
    f->aead_16k[i] = speed_aead(ciphers[i], 16384, 1);
  }
  f->ok = true;
}

/* ---- our operations ------------------------------------------------------ */

typedef struct {
  const mimi_suite *s;
  mimi_bytes kem_sk, kem_pk, sig_sk, sig_pk, enc, ct, sig;
  uint8_t msg[100];
  uint8_t *big_in, *big_out;
  size_t aead_len;
  uint8_t key[32], nonce[12];
} bench_ctx;

static mimi_hpke_params base_params(const mimi_suite *s) {
  mimi_hpke_params p = {.kem = s->kem, .kdf = s->kdf, .aead = s->aead,
                        .mode = MIMI_HPKE_MODE_BASE};
  return p;
}

static int op_hpke_seal(void *arg) {
  bench_ctx *b = arg;
  mimi_hpke_params p = base_params(b->s);
  mimi_bytes enc = {NULL, 0}, ct = {NULL, 0};
  mimi_err err = mimi_hpke_seal_once(&p, b->kem_pk.data, b->kem_pk.len, NULL, 0, b->msg,
                                     sizeof b->msg, mimi_rng_system(), &enc, &ct);
  mimi_bytes_free(&enc);
  mimi_bytes_free(&ct);
  return err != MIMI_OK;
}

static int op_hpke_open(void *arg) {
  bench_ctx *b = arg;
  mimi_hpke_params p = base_params(b->s);
  mimi_bytes pt = {NULL, 0};
  mimi_err err = mimi_hpke_open_once(&p, b->enc.data, b->enc.len, b->kem_sk.data,
                                     b->kem_sk.len, NULL, 0, b->ct.data, b->ct.len, &pt);
  mimi_bytes_free(&pt);
  return err != MIMI_OK;
}

static int op_sign(void *arg) {
  bench_ctx *b = arg;
  mimi_bytes sig = {NULL, 0};
  mimi_err err = mimi_sign(b->s->sig, b->sig_sk.data, b->sig_sk.len, b->msg, sizeof b->msg, &sig);
  mimi_bytes_free(&sig);
  return err != MIMI_OK;
}

static int op_verify(void *arg) {
  bench_ctx *b = arg;
  return mimi_verify(b->s->sig, b->sig_pk.data, b->sig_pk.len, b->msg, sizeof b->msg,
                     b->sig.data, b->sig.len) != MIMI_OK;
}

static int op_aead(void *arg) {
  bench_ctx *b = arg;
  return mimi_aead_seal(b->s->aead, b->key, b->nonce, NULL, 0, b->big_in, b->aead_len,
                        b->big_out) != MIMI_OK;
}

static int op_derive(void *arg) {
  bench_ctx *b = arg;
  mimi_bytes sk = {NULL, 0}, pk = {NULL, 0};
  b->msg[0]++; /* a fresh ikm each time, as GenerateKeyPair would use */
  mimi_err err = mimi_kem_derive_key_pair(b->s->kem, b->msg, b->s->kem_priv_len, &sk, &pk);
  mimi_bytes_free(&sk);
  mimi_bytes_free(&pk);
  return err != MIMI_OK;
}

static void row(const char *suite, const char *op, double ops, const char *metric, double ref) {
  char refs[32] = "n/a", ratio[32] = "n/a";
  if (ref > 0) {
    snprintf(refs, sizeof refs, "%.0f", ref);
    snprintf(ratio, sizeof ratio, "%.2f", ops / ref);
  }
  printf("| %-26s | %-17s | %10.0f | %9.2f | %-22s | %10s | %6s |\n", suite, op, ops, 1e6 / ops,
         metric, refs, ratio);
}

static const ossl_curve *kem_curve(const ossl_figures *f, uint16_t kem, const char **name) {
  switch (kem) {
  case MIMI_KEM_P256_SHA256: *name = "ecdhp256"; return &f->p256;
  case MIMI_KEM_P384_SHA384: *name = "ecdhp384"; return &f->p384;
  case MIMI_KEM_P521_SHA512: *name = "ecdhp521"; return &f->p521;
  case MIMI_KEM_X25519_SHA256: *name = "ecdhx25519"; return &f->x25519;
  default: *name = "ecdhx448"; return &f->x448;
  }
}

static const ossl_curve *sig_curve(const ossl_figures *f, uint16_t sig, const char **name) {
  switch (sig) {
  case MIMI_SIG_ECDSA_P256_SHA256: *name = "ecdsap256"; return &f->p256;
  case MIMI_SIG_ECDSA_P384_SHA384: *name = "ecdsap384"; return &f->p384;
  case MIMI_SIG_ECDSA_P521_SHA512: *name = "ecdsap521"; return &f->p521;
  case MIMI_SIG_ED25519: *name = "ed25519"; return &f->ed25519;
  default: *name = "ed448"; return &f->ed448;
  }
}

static void die(const char *what) {
  fprintf(stderr, "bench setup failed: %s\n", what);
  exit(1);
}

int main(void) {
  double secs = bench_seconds();
  ossl_figures f;
  openssl_speed(&f);
  static const char *aead_names[] = {"aes-128-gcm", "aes-256-gcm", "chacha20-poly1305"};
  printf("| %-26s | %-17s | %10s | %9s | %-22s | %10s | %6s |\n", "suite", "operation", "ops/s",
         "us/op", "openssl speed", "ops/s", "ratio");
  printf("|----------------------------|-------------------|------------|-----------|"
         "------------------------|------------|--------|\n");
  for (uint16_t id = 1; id <= 7; id++) {
    bench_ctx b;
    memset(&b, 0, sizeof b);
    b.s = mimi_suite_get(id);
    const mimi_suite *s = b.s;
    char suite[32];
    snprintf(suite, sizeof suite, "%u %.22s", id, s->name + 4);
    memset(b.msg, 0x42, sizeof b.msg);
    mimi_hpke_params p = base_params(s);
    if (mimi_kem_generate_key_pair(s->kem, mimi_rng_system(), &b.kem_sk, &b.kem_pk) != MIMI_OK ||
        mimi_sig_generate(s->sig, mimi_rng_system(), &b.sig_sk, &b.sig_pk) != MIMI_OK ||
        mimi_hpke_seal_once(&p, b.kem_pk.data, b.kem_pk.len, NULL, 0, b.msg, sizeof b.msg,
                            mimi_rng_system(), &b.enc, &b.ct) != MIMI_OK ||
        mimi_sign(s->sig, b.sig_sk.data, b.sig_sk.len, b.msg, sizeof b.msg, &b.sig) != MIMI_OK)
      die(s->name);
    b.big_in = calloc(1, 16384);
    b.big_out = calloc(1, 16384 + MIMI_AEAD_TAG);
    if (b.big_in == NULL || b.big_out == NULL) die("malloc");

    const char *kname, *sname;
    const ossl_curve *kc = kem_curve(&f, s->kem, &kname), *sc = sig_curve(&f, s->sig, &sname);
    char metric[40];
    row(suite, "hpke seal 100B", bench_ops_per_sec(op_hpke_seal, &b, secs), kname,
        f.ok ? kc->ecdh : 0);
    row(suite, "hpke open 100B", bench_ops_per_sec(op_hpke_open, &b, secs), kname,
        f.ok ? kc->ecdh : 0);
    snprintf(metric, sizeof metric, "%s sign", sname);
    row(suite, "sign 100B", bench_ops_per_sec(op_sign, &b, secs), metric, f.ok ? sc->sign : 0);
    snprintf(metric, sizeof metric, "%s verify", sname);
    row(suite, "verify 100B", bench_ops_per_sec(op_verify, &b, secs), metric,
        f.ok ? sc->verify : 0);
    snprintf(metric, sizeof metric, "%s 100B", aead_names[s->aead - 1]);
    b.aead_len = 100;
    row(suite, "aead seal 100B", bench_ops_per_sec(op_aead, &b, secs), metric,
        f.ok ? f.aead_100[s->aead - 1] : 0);
    snprintf(metric, sizeof metric, "%s 16K", aead_names[s->aead - 1]);
    b.aead_len = 16384;
    row(suite, "aead seal 16KiB", bench_ops_per_sec(op_aead, &b, secs), metric,
        f.ok ? f.aead_16k[s->aead - 1] : 0);
    row(suite, "dhkem derive pair", bench_ops_per_sec(op_derive, &b, secs), kname,
        f.ok ? kc->ecdh : 0);
    mimi_bytes *all[] = {&b.kem_sk, &b.kem_pk, &b.sig_sk, &b.sig_pk, &b.enc, &b.ct, &b.sig};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) mimi_bytes_free(all[i]);
    free(b.big_in);
    free(b.big_out);
  }
  if (!f.ok) printf("(openssl command line not found: reference column n/a)\n");
  return 0;
}
