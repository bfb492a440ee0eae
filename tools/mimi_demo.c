/* mimi_demo.c — `./run.sh demo`: shows what the libraries do today. For each
 * RFC 9420 cipher suite: one key-schedule epoch step, an HPKE round trip, a
 * SignWithLabel/VerifyWithLabel round trip, and a two-member conversation:
 * MIMI content messages (a reply linked by message ID) carried in signed,
 * encrypted MLS PrivateMessages. Real randomness, so the secrets differ on
 * every run; every step is checked, and any failure exits non-zero. The
 * provider daemon will replace this with providers on loopback. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mimi/content.h"
#include "mimi/mls.h"
#include "mimi/render.h"

static int fail(const char *what, mimi_err err) {
  fprintf(stderr, "demo: %s failed: %s (%s)\n", what, mimi_strerror(err), mimi_errname(err));
  return 1;
}

static void print_hex(const char *label, const uint8_t *p, size_t n) {
  printf("    %-22s ", label);
  for (size_t i = 0; i < n && i < 16; i++) printf("%02x", p[i]);
  printf("%s\n", n > 16 ? "…" : "");
}

/* One member of the demo room: its own secret tree for the epoch, its view
 * of the room history. */
typedef struct {
  const char *uri;
  mls_secret_tree *tree;
  mls_framing_epoch ep;
  mimi_history *history;
} demo_member;

/* A MIMI content message (draft-ietf-mimi-content) with the sender and room
 * URIs as extensions, optionally replying to `reply_to`. */
static mimi_err compose(const demo_member *from, const char *room, const char *markdown,
                        const uint8_t *reply_to, mimi_bytes *out, uint8_t id[MIMI_MESSAGE_ID_LEN]) {
  mimi_content c;
  memset(&c, 0, sizeof c);
  mimi_err err = mimi_rng_fill(mimi_rng_system(), c.salt, sizeof c.salt);
  if (reply_to != NULL) {
    c.has_in_reply_to = true;
    memcpy(c.in_reply_to, reply_to, MIMI_MESSAGE_ID_LEN);
  }
  if (err == MIMI_OK) err = mimi_content_add_text_ext(&c, MIMI_EXT_SENDER_URI, from->uri);
  if (err == MIMI_OK) err = mimi_content_add_text_ext(&c, MIMI_EXT_ROOM_URI, room);
  c.body.disposition = MIMI_DISP_RENDER;
  c.body.cardinality = MIMI_PART_SINGLE;
  if (err == MIMI_OK)
    err = mimi_bytes_copy(&c.body.content_type, (const uint8_t *)"text/markdown;variant=GFM", 25);
  if (err == MIMI_OK)
    err = mimi_bytes_copy(&c.body.content, (const uint8_t *)markdown, strlen(markdown));
  if (err == MIMI_OK) err = mimi_content_encode(&c, out);
  if (err == MIMI_OK) err = mimi_content_message_id(&c, id);
  mimi_content_free(&c);
  return err;
}

/* Sign, encrypt as a PrivateMessage and serialize as an MLSMessage. */
static mimi_err send_app(demo_member *from, uint32_t leaf, const mimi_bytes *sig_priv,
                         const mimi_bytes *payload, mimi_bytes *wire) {
  mls_framed_content fc = {0};
  fc.group_id = from->ep.context->group_id;
  fc.epoch = from->ep.context->epoch;
  fc.sender.sender_type = MLS_SENDER_MEMBER;
  fc.sender.leaf_index = leaf;
  fc.body.content_type = MLS_CONTENT_APPLICATION;
  fc.body.application_data = *payload;
  mls_authenticated_content ac = {0};
  mls_message msg = {0};
  mimi_err err = mls_authenticated_content_sign(&from->ep, MLS_WIRE_PRIVATE_MESSAGE, &fc,
                                                sig_priv->data, sig_priv->len, &ac);
  msg.version = MLS_VERSION_MLS10;
  msg.body.wire_format = MLS_WIRE_PRIVATE_MESSAGE;
  if (err == MIMI_OK)
    err = mls_private_message_protect(&from->ep, &ac, 16, mimi_rng_system(),
                                      &msg.body.private_message);
  if (err == MIMI_OK) err = mls_message_encode(&msg, wire);
  mls_authenticated_content_free(&ac);
  mls_message_free(&msg);
  return err;
}

/* Parse, decrypt, verify; decode the content, check its references against
 * the receiver's history, record it, and render it. */
static mimi_err receive_app(demo_member *to, const mimi_bytes *wire, const mls_signer_lookup *who,
                            bool show) {
  mls_message msg = {0};
  mls_authenticated_content ac = {0};
  mimi_content c;
  memset(&c, 0, sizeof c);
  mimi_bytes rendered = {NULL, 0};
  uint8_t id[MIMI_MESSAGE_ID_LEN];
  mimi_err err = mls_message_decode(wire->data, wire->len, &msg);
  if (err == MIMI_OK && msg.body.wire_format != MLS_WIRE_PRIVATE_MESSAGE)
    err = MIMI_ERR_BAD_WIRE_FORMAT;
  if (err == MIMI_OK) err = mls_private_message_unprotect(&to->ep, &msg.body.private_message, who, &ac);
  if (err == MIMI_OK)
    err = mimi_content_decode(ac.content.body.application_data.data,
                              ac.content.body.application_data.len, NULL, &c);
  if (err == MIMI_OK) {
    mimi_known_messages known = mimi_history_known(to->history);
    err = mimi_content_check_targets(&c, &known, MIMI_CHECK_IN_REPLY_TO);
  }
  if (err == MIMI_OK) err = mimi_content_message_id(&c, id);
  if (err == MIMI_OK) err = mimi_history_add_content(to->history, id, &c);
  mimi_render_opts opts = {64, isatty(STDOUT_FILENO) == 1};
  if (err == MIMI_OK && show)
    err = mimi_render((const char *)"text/markdown", c.body.content.data, c.body.content.len,
                      &opts, &rendered);
  if (err == MIMI_OK && show) {
    const uint8_t *from;
    size_t from_len;
    if (mimi_content_sender_uri(&c, &from, &from_len) != MIMI_OK) from_len = 0;
    printf("  %s got %zu bytes from %.*s%s, message id ", to->uri, wire->len, (int)from_len,
           (const char *)from, c.has_in_reply_to ? " (a reply)" : "");
    for (size_t i = 0; i < 8; i++) printf("%02x", id[i]);
    size_t n = rendered.len;
    while (n > 0 && rendered.data[n - 1] == '\n') n--;
    printf("…\n    | %.*s\n", (int)n, (const char *)rendered.data);
  }
  mimi_bytes_free(&rendered);
  mimi_content_free(&c);
  mls_authenticated_content_free(&ac);
  mls_message_free(&msg);
  return err;
}

typedef struct {
  const mimi_bytes *pubs[2]; /* signature keys of leaves 0 and 1 */
} demo_roster;

static mimi_err roster_get(void *ctx, const mls_framed_content *content, const uint8_t **pub,
                           size_t *pub_len) {
  const demo_roster *r = ctx;
  if (content->sender.sender_type != MLS_SENDER_MEMBER || content->sender.leaf_index > 1)
    return MIMI_ERR_BAD_SENDER;
  *pub = r->pubs[content->sender.leaf_index]->data;
  *pub_len = r->pubs[content->sender.leaf_index]->len;
  return MIMI_OK;
}

/* Alice (leaf 0) writes to the room; Bob (leaf 1) reads it and replies; Alice
 * reads the reply, whose inReplyTo must name a message in her history. A
 * replay of Alice's ciphertext is refused. Each member has its own secret
 * tree, as two real clients would. */
static int demo_conversation(const mimi_suite *s, const mls_epoch_secrets *es,
                             const mls_group_context *gc, bool show) {
  const char *room = "mimi://hub.example/r/demo-room";
  demo_member alice = {"mimi://a.example/u/alice", NULL, {0}, NULL};
  demo_member bob = {"mimi://b.example/u/bob", NULL, {0}, NULL};
  demo_member *members[2] = {&alice, &bob};
  mimi_bytes priv[2] = {{NULL, 0}, {NULL, 0}}, pub[2] = {{NULL, 0}, {NULL, 0}};
  mimi_bytes m1 = {NULL, 0}, m2 = {NULL, 0}, w1 = {NULL, 0}, w2 = {NULL, 0};
  uint8_t id1[MIMI_MESSAGE_ID_LEN], id2[MIMI_MESSAGE_ID_LEN];
  mimi_err err = MIMI_OK;
  for (int i = 0; i < 2 && err == MIMI_OK; i++) {
    demo_member *m = members[i];
    err = mls_secret_tree_new(&m->tree, s->id, es->encryption_secret, es->hash_len, 2, NULL);
    if (err == MIMI_OK) err = mimi_history_new(&m->history);
    if (err == MIMI_OK) err = mimi_sig_generate(s->sig, mimi_rng_system(), &priv[i], &pub[i]);
    m->ep = (mls_framing_epoch){s->id, gc, es->membership_key, es->sender_data_secret, m->tree};
  }
  demo_roster roster = {{&pub[0], &pub[1]}};
  mls_signer_lookup who = {roster_get, &roster};

  if (err == MIMI_OK)
    err = compose(&alice, room, "Hi **Bob**, the room is end-to-end encrypted with *MLS*.", NULL,
                  &m1, id1);
  if (err == MIMI_OK) err = mimi_history_add(alice.history, id1, (const uint8_t *)alice.uri,
                                             strlen(alice.uri));
  if (err == MIMI_OK) err = send_app(&alice, 0, &priv[0], &m1, &w1);
  if (err == MIMI_OK) err = receive_app(&bob, &w1, &who, show);
  if (err == MIMI_OK) err = compose(&bob, room, "Hello Alice — reading you via `mimi`.", id1, &m2, id2);
  if (err == MIMI_OK) err = send_app(&bob, 1, &priv[1], &m2, &w2);
  if (err == MIMI_OK) err = receive_app(&alice, &w2, &who, show);
  if (err == MIMI_OK) {
    mimi_err replay = receive_app(&bob, &w1, &who, false);
    if (replay == MIMI_OK) err = MIMI_ERR_INTERNAL;
    else if (show) printf("  a replay of Alice's message is refused: %s\n", mimi_errname(replay));
  }
  if (err == MIMI_OK && !show)
    printf("  conversation: alice→bob %zu B, bob→alice reply %zu B, replay refused\n", w1.len,
           w2.len);
  for (int i = 0; i < 2; i++) {
    mls_secret_tree_free(members[i]->tree);
    mimi_history_free(members[i]->history);
    mimi_bytes_free(&priv[i]);
    mimi_bytes_free(&pub[i]);
  }
  mimi_bytes_free(&m1);
  mimi_bytes_free(&m2);
  mimi_bytes_free(&w1);
  mimi_bytes_free(&w2);
  return err == MIMI_OK ? 0 : fail("conversation", err);
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
  int rc = demo_conversation(s, &es, &gc, s->id == 1);
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
