/* mimi_demo.c — `./run.sh demo`: shows what the libraries do today. For each
 * RFC 9420 cipher suite: one key-schedule epoch step, an HPKE round trip,
 * a SignWithLabel/VerifyWithLabel round trip and a PrivateMessage-style
 * AEAD round trip keyed from the secret tree. Real randomness, so the
 * secrets differ on every run; every step is checked, and any failure exits
 * non-zero. */
#include <stdio.h>
#include <string.h>

#include "mimi/mls.h"

static int fail(const char *what, mimi_err err) {
  fprintf(stderr, "demo: %s failed: %s (%s)\n", what, mimi_strerror(err), mimi_errname(err));
  return 1;
}

static void print_hex(const char *label, const uint8_t *p, size_t n) {
  printf("    %-22s ", label);
  for (size_t i = 0; i < n && i < 16; i++) printf("%02x", p[i]);
  printf("%s\n", n > 16 ? "…" : "");
}

typedef struct {
  const mimi_bytes *pub;
} demo_signer;

static mimi_err demo_signer_get(void *ctx, const mls_framed_content *content,
                                const uint8_t **pub, size_t *pub_len) {
  const demo_signer *d = ctx;
  if (content->sender.sender_type != MLS_SENDER_MEMBER || content->sender.leaf_index != 0)
    return MIMI_ERR_BAD_SENDER;
  *pub = d->pub->data;
  *pub_len = d->pub->len;
  return MIMI_OK;
}

/* Alice (leaf 0) sends an application message as a PrivateMessage; Bob, who
 * derived the same epoch, decodes the MLSMessage bytes and opens it. Each
 * holds an own secret tree, as two real members would. */
static int demo_private_message(const mimi_suite *s, const mls_epoch_secrets *es,
                                const mls_group_context *gc, const mimi_bytes *sig_priv,
                                const mimi_bytes *sig_pub) {
  mls_secret_tree *alice_tree = NULL, *bob_tree = NULL;
  mimi_err err = mls_secret_tree_new(&alice_tree, s->id, es->encryption_secret, es->hash_len, 2,
                                     NULL);
  if (err == MIMI_OK)
    err = mls_secret_tree_new(&bob_tree, s->id, es->encryption_secret, es->hash_len, 2, NULL);
  if (err != MIMI_OK) {
    mls_secret_tree_free(alice_tree);
    return fail("secret tree", err);
  }
  mls_framing_epoch alice = {s->id, gc, es->membership_key, es->sender_data_secret, alice_tree};
  mls_framing_epoch bob = {s->id, gc, es->membership_key, es->sender_data_secret, bob_tree};

  static const char text[] = "Hi Bob, this is Alice.";
  mls_framed_content fc = {0};
  fc.group_id = gc->group_id;
  fc.epoch = gc->epoch;
  fc.sender.sender_type = MLS_SENDER_MEMBER;
  fc.sender.leaf_index = 0;
  fc.body.content_type = MLS_CONTENT_APPLICATION;
  fc.body.application_data.data = (uint8_t *)text;
  fc.body.application_data.len = sizeof text - 1;

  mls_authenticated_content ac = {0}, got = {0};
  mls_message msg = {0}, decoded = {0};
  mimi_bytes wire = {NULL, 0};
  demo_signer ds = {sig_pub};
  mls_signer_lookup lookup = {demo_signer_get, &ds};
  err = mls_authenticated_content_sign(&alice, MLS_WIRE_PRIVATE_MESSAGE, &fc, sig_priv->data,
                                       sig_priv->len, &ac);
  if (err == MIMI_OK) {
    msg.version = 1;
    msg.body.wire_format = MLS_WIRE_PRIVATE_MESSAGE;
    err = mls_private_message_protect(&alice, &ac, 8, mimi_rng_system(),
                                      &msg.body.private_message);
  }
  if (err == MIMI_OK) err = mls_message_encode(&msg, &wire);
  if (err == MIMI_OK) err = mls_message_decode(wire.data, wire.len, &decoded);
  if (err == MIMI_OK)
    err = mls_private_message_unprotect(&bob, &decoded.body.private_message, &lookup, &got);
  if (err == MIMI_OK) {
    printf("  PrivateMessage alice→bob: %zu bytes on the wire, bob read \"%.*s\"\n", wire.len,
           (int)got.content.body.application_data.len,
           (const char *)got.content.body.application_data.data);
    /* The same ciphertext again is a replay: its generation is used up. */
    mls_authenticated_content again = {0};
    mimi_err replay =
        mls_private_message_unprotect(&bob, &decoded.body.private_message, &lookup, &again);
    if (replay == MIMI_OK) {
      mls_authenticated_content_free(&again);
      err = MIMI_ERR_INTERNAL;
    } else {
      printf("  replayed PrivateMessage rejected: %s\n", mimi_errname(replay));
    }
  }
  mls_authenticated_content_free(&ac);
  mls_authenticated_content_free(&got);
  mls_message_free(&msg);
  mls_message_free(&decoded);
  mimi_bytes_free(&wire);
  mls_secret_tree_free(alice_tree);
  mls_secret_tree_free(bob_tree);
  return err == MIMI_OK ? 0 : fail("PrivateMessage round trip", err);
}

static int demo_suite(const mimi_suite *s) {
  const mimi_rng *rng = mimi_rng_system();
  mimi_err err;
  printf("\nsuite %u  %s\n", s->id, s->name);

  /* Epoch 1 of a fresh group: random init_secret and commit_secret, a real
   * GroupContext. */
  uint8_t init_secret[MIMI_MAX_HASH], commit_secret[MIMI_MAX_HASH];
  if ((err = mimi_rng_fill(rng, init_secret, s->hash_len)) != MIMI_OK) return fail("rng", err);
  if ((err = mimi_rng_fill(rng, commit_secret, s->hash_len)) != MIMI_OK) return fail("rng", err);
  mls_group_context gc = {0};
  gc.version = 1;
  gc.cipher_suite = s->id;
  gc.group_id.data = (uint8_t *)"demo-room";
  gc.group_id.len = 9;
  gc.epoch = 1;
  uint8_t tree_hash[MIMI_MAX_HASH] = {0};
  gc.tree_hash.data = tree_hash;
  gc.tree_hash.len = s->hash_len;
  mimi_bytes gc_bytes;
  if ((err = mimi_encode_alloc(mls_group_context_type(), &gc, &gc_bytes)) != MIMI_OK)
    return fail("GroupContext encode", err);
  mls_epoch_secrets es;
  err = mls_key_schedule_epoch(&es, s->id, init_secret, s->hash_len, commit_secret,
                               s->hash_len, NULL, 0, gc_bytes.data, gc_bytes.len);
  mimi_bytes_free(&gc_bytes);
  mimi_secure_zero(init_secret, sizeof init_secret);
  mimi_secure_zero(commit_secret, sizeof commit_secret);
  if (err != MIMI_OK) return fail("key schedule", err);
  printf("  key schedule, epoch 1\n");
  print_hex("epoch_authenticator", es.epoch_authenticator, es.hash_len);
  print_hex("confirmation_key", es.confirmation_key, es.hash_len);
  uint8_t exported[32];
  err = mls_epoch_export(&es, (const uint8_t *)"demo", 4, NULL, 0, exported, sizeof exported);
  if (err != MIMI_OK) return fail("exporter", err);
  print_hex("MLS-Exporter(\"demo\")", exported, sizeof exported);

  /* HPKE: EncryptWithLabel to a fresh KEM key pair, then decrypt. */
  mimi_bytes sk, pk, kem_out, ct, pt;
  static const uint8_t msg[] = "hello from mimi";
  if ((err = mimi_kem_generate_key_pair(s->kem, rng, &sk, &pk)) != MIMI_OK)
    return fail("KEM keygen", err);
  err = mls_encrypt_with_label(s->id, pk.data, pk.len, (const uint8_t *)"demo", 4, NULL, 0, msg,
                               sizeof msg - 1, rng, &kem_out, &ct);
  if (err != MIMI_OK) return fail("EncryptWithLabel", err);
  err = mls_decrypt_with_label(s->id, sk.data, sk.len, (const uint8_t *)"demo", 4, NULL, 0,
                               kem_out.data, kem_out.len, ct.data, ct.len, &pt);
  if (err != MIMI_OK) return fail("DecryptWithLabel", err);
  if (pt.len != sizeof msg - 1 || memcmp(pt.data, msg, pt.len) != 0)
    return fail("HPKE round trip", MIMI_ERR_INTERNAL);
  printf("  HPKE (KEM 0x%04x, KDF 0x%04x, AEAD 0x%04x): %zu-byte enc, %zu-byte ciphertext, "
         "opened \"%.*s\"\n",
         s->kem, s->kdf, s->aead, kem_out.len, ct.len, (int)pt.len, (const char *)pt.data);
  mimi_bytes_free(&sk);
  mimi_bytes_free(&pk);
  mimi_bytes_free(&kem_out);
  mimi_bytes_free(&ct);
  mimi_bytes_free(&pt);

  /* Signatures */
  mimi_bytes sig_priv, sig_pub, sig;
  if ((err = mimi_sig_generate(s->sig, rng, &sig_priv, &sig_pub)) != MIMI_OK)
    return fail("signature keygen", err);
  err = mls_sign_with_label(s->id, sig_priv.data, sig_priv.len, (const uint8_t *)"demo", 4, msg,
                            sizeof msg - 1, &sig);
  if (err != MIMI_OK) return fail("SignWithLabel", err);
  err = mls_verify_with_label(s->id, sig_pub.data, sig_pub.len, (const uint8_t *)"demo", 4, msg,
                              sizeof msg - 1, sig.data, sig.len);
  if (err != MIMI_OK) return fail("VerifyWithLabel", err);
  mimi_err bad = mls_verify_with_label(s->id, sig_pub.data, sig_pub.len,
                                       (const uint8_t *)"dem0", 4, msg, sizeof msg - 1, sig.data,
                                       sig.len);
  if (bad != MIMI_ERR_BAD_SIGNATURE) return fail("signature under the wrong label", bad);
  printf("  signature 0x%04x: %zu-byte signature verifies; wrong label rejected\n", s->sig,
         sig.len);
  int rc = demo_private_message(s, &es, &gc, &sig_priv, &sig_pub);
  mimi_bytes_free(&sig_priv);
  mimi_bytes_free(&sig_pub);
  mimi_bytes_free(&sig);
  mls_epoch_secrets_clear(&es);
  return rc;
}

int main(void) {
  printf("mimi demo — MLS (RFC 9420) building blocks, all seven cipher suites\n");
  int failures = 0;
  for (uint16_t id = 1; id <= 7; id++) {
    const mimi_suite *s = mimi_suite_get(id);
    if (s == NULL) {
      fprintf(stderr, "suite %u unsupported\n", id);
      failures++;
      continue;
    }
    failures += demo_suite(s);
  }
  printf("\n%s\n", failures ? "demo FAILED" : "all suites OK");
  return failures ? 1 : 0;
}
