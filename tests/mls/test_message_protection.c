/* test_message_protection.c — RFC 9420 §6 framing against the mlswg
 * message-protection vectors (all suites): unprotect the given PublicMessage
 * and PrivateMessage for a proposal, a commit and application data, protect
 * the same content ourselves and unprotect it again; plus every rejection
 * the receive path has, each leaving the output and the secret tree as they
 * were, including forgeries naming a generation far ahead. */
#include <stdlib.h>

#include "harness.h"
#include "mimi/mls.h"
#include "mimi/mls_framing.h"

typedef struct {
  mimi_bytes pub;
  mimi_err err; /* returned instead of the key when set */
} fixed_signer;

static mimi_err fixed_signer_get(void *ctx, const mls_framed_content *content,
                                 const uint8_t **pub, size_t *pub_len) {
  (void)content;
  const fixed_signer *f = ctx;
  if (f->err != MIMI_OK) return f->err;
  *pub = f->pub.data;
  *pub_len = f->pub.len;
  return MIMI_OK;
}

typedef struct {
  json_t *json;
  uint16_t suite;
  mls_group_context gc;
  mls_framing_epoch ep;
  mimi_bytes membership_key, sender_data_secret, encryption_secret, sig_priv;
  fixed_signer signer_state;
  mls_signer_lookup signer;
} vcase;

static void vcase_init(vcase *v, json_t *c) {
  memset(v, 0, sizeof *v);
  v->json = c;
  v->suite = (uint16_t)mimi_vec_int(c, "cipher_suite");
  v->gc.version = MLS_VERSION_MLS10;
  v->gc.cipher_suite = v->suite;
  v->gc.group_id = mimi_vec_hex(c, "group_id");
  v->gc.epoch = (uint64_t)mimi_vec_int(c, "epoch");
  v->gc.tree_hash = mimi_vec_hex(c, "tree_hash");
  v->gc.confirmed_transcript_hash = mimi_vec_hex(c, "confirmed_transcript_hash");
  v->membership_key = mimi_vec_hex(c, "membership_key");
  v->sender_data_secret = mimi_vec_hex(c, "sender_data_secret");
  v->encryption_secret = mimi_vec_hex(c, "encryption_secret");
  /* For suite 5 this is a 65-byte P-521 scalar: the vectors drop the
   * leading zero byte, and the crypto layer must accept that. */
  v->sig_priv = mimi_vec_hex(c, "signature_priv");
  v->signer_state.pub = mimi_vec_hex(c, "signature_pub");
  v->signer.get = fixed_signer_get;
  v->signer.ctx = &v->signer_state;
  v->ep.suite = v->suite;
  v->ep.context = &v->gc;
  v->ep.membership_key = v->membership_key.data;
  v->ep.sender_data_secret = v->sender_data_secret.data;
}

static void vcase_free(vcase *v) {
  mls_group_context_free(&v->gc);
  mimi_bytes_free(&v->membership_key);
  mimi_bytes_free(&v->sender_data_secret);
  mimi_bytes_free(&v->encryption_secret);
  mimi_bytes_free(&v->sig_priv);
  mimi_bytes_free(&v->signer_state.pub);
}

/* The content every vector message carries: from leaf 1, no AAD. */
static void make_content(const vcase *v, const mls_content *body, mls_framed_content *out) {
  mls_framed_content view;
  memset(&view, 0, sizeof view);
  view.group_id = v->gc.group_id;
  view.epoch = v->gc.epoch;
  view.sender.sender_type = MLS_SENDER_MEMBER;
  view.sender.leaf_index = 1;
  view.body = *body;
  CHECK_OK(mimi_clone(mls_framed_content_type(), out, &view));
}

/* The raw proposal / commit / application data of the vector as a body. */
static void vector_body(const vcase *v, uint8_t content_type, mls_content *out) {
  memset(out, 0, sizeof *out);
  out->content_type = content_type;
  if (content_type == MLS_CONTENT_APPLICATION) {
    out->application_data = mimi_vec_hex(v->json, "application");
    return;
  }
  const char *key = content_type == MLS_CONTENT_PROPOSAL ? "proposal" : "commit";
  mimi_bytes raw = mimi_vec_hex(v->json, key);
  mimi_reader r = mimi_reader_init(raw.data, raw.len);
  CHECK_OK(mimi_decode_variant_body(mls_content_type(), content_type, &r, out));
  CHECK(mimi_reader_remaining(&r) == 0);
  mimi_bytes_free(&raw);
}

/* The vector's raw content of one type, framed from leaf 1 and signed. */
typedef struct {
  mls_content body;
  mls_framed_content fc;
  mls_authenticated_content ac;
} signed_content;

static void sign_vector_content(vcase *v, uint8_t content_type, uint16_t wire_format,
                                signed_content *out) {
  vector_body(v, content_type, &out->body);
  make_content(v, &out->body, &out->fc);
  CHECK_OK(mls_authenticated_content_sign(&v->ep, wire_format, &out->fc, v->sig_priv.data,
                                          v->sig_priv.len, &out->ac));
}

static void signed_content_free(signed_content *sc) {
  mls_authenticated_content_free(&sc->ac);
  mls_framed_content_free(&sc->fc);
  mls_content_free(&sc->body);
}

static bool is_untouched(const mls_authenticated_content *ac) {
  const uint8_t *p = (const uint8_t *)ac;
  for (size_t i = 0; i < sizeof *ac; i++)
    if (p[i] != 0x5a) return false;
  return true;
}

static void decode_message(const vcase *v, const char *key, mls_message *m) {
  mimi_bytes raw = mimi_vec_hex(v->json, key);
  CHECK_OK(mls_message_decode(raw.data, raw.len, m));
  mimi_bytes_free(&raw);
}

/* ---- PublicMessage -------------------------------------------------------- */

static void public_vector(vcase *v, const char *key, uint8_t content_type) {
  mls_message m;
  decode_message(v, key, &m);
  CHECK(m.body.wire_format == MLS_WIRE_PUBLIC_MESSAGE);
  mls_content want;
  vector_body(v, content_type, &want);
  mls_authenticated_content ac;
  CHECK_OK(mls_public_message_unprotect(&v->ep, &m.body.public_message, &v->signer, &ac));
  CHECK(mls_content_equal(&ac.content.body, &want));
  CHECK(ac.content.sender.sender_type == MLS_SENDER_MEMBER && ac.content.sender.leaf_index == 1);
  CHECK(ac.wire_format == MLS_WIRE_PUBLIC_MESSAGE);

  /* protect the same content ourselves; it must unprotect to the same */
  mls_framed_content fc;
  make_content(v, &want, &fc);
  mls_authenticated_content mine, back;
  CHECK_OK(mls_authenticated_content_sign(&v->ep, MLS_WIRE_PUBLIC_MESSAGE, &fc, v->sig_priv.data,
                                          v->sig_priv.len, &mine));
  if (content_type == MLS_CONTENT_COMMIT) CHECK_OK(mimi_bytes_dup(&mine.confirmation_tag, &ac.confirmation_tag));
  mls_public_message pm;
  CHECK_OK(mls_public_message_protect(&v->ep, &mine, &pm));
  CHECK_OK(mls_public_message_unprotect(&v->ep, &pm, &v->signer, &back));
  CHECK(mls_authenticated_content_equal(&back, &mine));
  CHECK(mls_content_equal(&back.content.body, &want));

  mls_authenticated_content_free(&back);
  mls_public_message_free(&pm);
  mls_authenticated_content_free(&mine);
  mls_framed_content_free(&fc);
  mls_authenticated_content_free(&ac);
  mls_content_free(&want);
  mls_message_free(&m);
}

/* Application data is never sent as a PublicMessage (§6.2). */
static void public_application_refused(vcase *v) {
  signed_content sc;
  sign_vector_content(v, MLS_CONTENT_APPLICATION, MLS_WIRE_PUBLIC_MESSAGE, &sc);
  const mls_authenticated_content ac = sc.ac;
  mls_public_message pm;
  CHECK_ERR(mls_public_message_protect(&v->ep, &ac, &pm), MIMI_ERR_BAD_CONTENT_TYPE);
  /* nor accepted: a hand-made one is refused before any MAC is checked */
  mls_public_message view;
  memset(&view, 0, sizeof view);
  view.content = ac.content;
  view.signature = ac.signature;
  mls_authenticated_content out;
  memset(&out, 0x5a, sizeof out);
  CHECK_ERR(mls_public_message_unprotect(&v->ep, &view, &v->signer, &out),
            MIMI_ERR_BAD_CONTENT_TYPE);
  CHECK(is_untouched(&out));
  signed_content_free(&sc);
}

static void public_rejections(vcase *v) {
  mls_message m;
  decode_message(v, "proposal_pub", &m);
  mls_public_message *pm = &m.body.public_message;
  mls_authenticated_content out;
  memset(&out, 0x5a, sizeof out);

  v->gc.epoch++;
  CHECK_ERR(mls_public_message_unprotect(&v->ep, pm, &v->signer, &out), MIMI_ERR_WRONG_EPOCH);
  v->gc.epoch--;
  v->gc.group_id.data[0] ^= 1;
  CHECK_ERR(mls_public_message_unprotect(&v->ep, pm, &v->signer, &out), MIMI_ERR_WRONG_GROUP);
  v->gc.group_id.data[0] ^= 1;

  pm->membership_tag.data[3] ^= 0x80;
  CHECK_ERR(mls_public_message_unprotect(&v->ep, pm, &v->signer, &out), MIMI_ERR_BAD_MAC);
  pm->membership_tag.data[3] ^= 0x80;
  v->membership_key.data[0] ^= 1;
  CHECK_ERR(mls_public_message_unprotect(&v->ep, pm, &v->signer, &out), MIMI_ERR_BAD_MAC);
  v->membership_key.data[0] ^= 1;
  /* the membership tag covers the GroupContext */
  v->gc.tree_hash.data[0] ^= 1;
  CHECK_ERR(mls_public_message_unprotect(&v->ep, pm, &v->signer, &out), MIMI_ERR_BAD_MAC);
  v->gc.tree_hash.data[0] ^= 1;

  /* a signature that does not verify, under a membership tag that does */
  pm->signature.data[pm->signature.len - 1] ^= 1;
  mls_authenticated_content view;
  memset(&view, 0, sizeof view);
  view.wire_format = MLS_WIRE_PUBLIC_MESSAGE;
  view.content = pm->content;
  view.signature = pm->signature;
  mimi_bytes tag;
  CHECK_OK(mls_membership_tag(&v->ep, &view, &tag));
  mimi_bytes saved = pm->membership_tag;
  pm->membership_tag = tag;
  CHECK_ERR(mls_public_message_unprotect(&v->ep, pm, &v->signer, &out), MIMI_ERR_BAD_SIGNATURE);
  pm->membership_tag = saved;
  mimi_bytes_free(&tag);
  pm->signature.data[pm->signature.len - 1] ^= 1;

  v->signer_state.err = MIMI_ERR_BAD_SENDER;
  CHECK_ERR(mls_public_message_unprotect(&v->ep, pm, &v->signer, &out), MIMI_ERR_BAD_SENDER);
  v->signer_state.err = MIMI_OK;
  CHECK(is_untouched(&out));

  /* and the untouched message still verifies */
  CHECK_OK(mls_public_message_unprotect(&v->ep, pm, &v->signer, &out));
  mls_authenticated_content_free(&out);
  mls_message_free(&m);
}

/* A signer lookup for new members: the key travels in the content. */
static mimi_err new_member_get(void *ctx, const mls_framed_content *content, const uint8_t **pub,
                               size_t *pub_len) {
  (void)ctx;
  const mimi_bytes *k;
  MIMI_TRY(mls_new_member_signature_key(content, &k));
  *pub = k->data;
  *pub_len = k->len;
  return MIMI_OK;
}

/* §12.4.3.2 external commit: sender new_member_commit, signed by the key in
 * its own UpdatePath, no membership tag, GroupContext still signed. */
static void public_new_member_commit(vcase *v) {
  mls_content body;
  vector_body(v, MLS_CONTENT_COMMIT, &body);
  mls_update_path *path = calloc(1, sizeof *path);
  CHECK(path != NULL);
  if (path == NULL) return;
  CHECK_OK(mimi_bytes_dup(&path->leaf_node.signature_key, &v->signer_state.pub));
  path->leaf_node.credential.credential_type = MLS_CREDENTIAL_BASIC;
  path->leaf_node.source.leaf_node_source = MLS_LEAF_SOURCE_COMMIT;
  body.commit.path = path;
  mls_framed_content fc;
  make_content(v, &body, &fc);
  fc.sender.sender_type = MLS_SENDER_NEW_MEMBER_COMMIT;
  fc.sender.leaf_index = 0;
  mls_signer_lookup lookup = {new_member_get, NULL};

  const uint8_t *no_key = NULL;
  v->ep.membership_key = no_key; /* a joiner has none */
  mls_authenticated_content ac, back;
  CHECK_OK(mls_authenticated_content_sign(&v->ep, MLS_WIRE_PUBLIC_MESSAGE, &fc, v->sig_priv.data,
                                          v->sig_priv.len, &ac));
  CHECK_OK(mimi_bytes_from_hex(&ac.confirmation_tag, "0102"));
  mls_public_message pm;
  CHECK_OK(mls_public_message_protect(&v->ep, &ac, &pm));
  CHECK(pm.membership_tag.len == 0);
  CHECK_OK(mls_public_message_unprotect(&v->ep, &pm, &lookup, &back));
  CHECK(mls_authenticated_content_equal(&back, &ac));
  mls_authenticated_content_free(&back);
  /* the signature covers the GroupContext of the epoch joined */
  v->gc.confirmed_transcript_hash.data[0] ^= 1;
  CHECK_ERR(mls_public_message_unprotect(&v->ep, &pm, &lookup, &back), MIMI_ERR_BAD_SIGNATURE);
  v->gc.confirmed_transcript_hash.data[0] ^= 1;
  /* a commit without a path carries no key */
  mls_public_message nopath;
  CHECK_OK(mimi_clone(mls_public_message_type(), &nopath, &pm));
  mls_update_path_free(nopath.content.body.commit.path);
  free(nopath.content.body.commit.path);
  nopath.content.body.commit.path = NULL;
  CHECK_ERR(mls_public_message_unprotect(&v->ep, &nopath, &lookup, &back), MIMI_ERR_BAD_SENDER);
  mls_public_message_free(&nopath);
  /* new members may only commit; external senders only propose */
  pm.content.sender.sender_type = MLS_SENDER_NEW_MEMBER_PROPOSAL;
  CHECK_ERR(mls_public_message_unprotect(&v->ep, &pm, &lookup, &back),
            MIMI_ERR_BAD_CONTENT_TYPE);
  pm.content.sender.sender_type = MLS_SENDER_EXTERNAL;
  CHECK_ERR(mls_public_message_unprotect(&v->ep, &pm, &lookup, &back),
            MIMI_ERR_BAD_CONTENT_TYPE);
  /* a member's message needs the membership key */
  pm.content.sender.sender_type = MLS_SENDER_MEMBER;
  CHECK_ERR(mls_public_message_unprotect(&v->ep, &pm, &lookup, &back), MIMI_ERR_INVALID_ARG);
  pm.content.sender.sender_type = MLS_SENDER_NEW_MEMBER_COMMIT;
  v->ep.membership_key = v->membership_key.data;

  mls_public_message_free(&pm);
  mls_authenticated_content_free(&ac);
  mls_framed_content_free(&fc);
  mls_content_free(&body);
}

/* ---- PrivateMessage ------------------------------------------------------- */

/* §9: the vectors' secret tree has two members; leaf 1 sends. */
static mls_secret_tree *new_tree(const vcase *v) {
  mls_secret_tree *st = NULL;
  CHECK_OK(mls_secret_tree_new(&st, v->suite, v->encryption_secret.data,
                               v->encryption_secret.len, 2, NULL));
  return st;
}

static void private_vector(vcase *v, const char *key, uint8_t content_type) {
  mls_message m;
  decode_message(v, key, &m);
  CHECK(m.body.wire_format == MLS_WIRE_PRIVATE_MESSAGE);
  CHECK(m.body.private_message.content_type == content_type);
  mls_content want;
  vector_body(v, content_type, &want);

  v->ep.secret_tree = new_tree(v);
  mls_authenticated_content ac;
  CHECK_OK(mls_private_message_unprotect(&v->ep, &m.body.private_message, &v->signer, &ac));
  CHECK(mls_content_equal(&ac.content.body, &want));
  CHECK(ac.content.sender.sender_type == MLS_SENDER_MEMBER && ac.content.sender.leaf_index == 1);
  CHECK(ac.wire_format == MLS_WIRE_PRIVATE_MESSAGE);
  CHECK(mimi_bytes_eq(&ac.content.group_id, &v->gc.group_id) && ac.content.epoch == v->gc.epoch);
  /* a replay finds its generation used up */
  mls_authenticated_content again;
  CHECK_ERR(mls_private_message_unprotect(&v->ep, &m.body.private_message, &v->signer, &again),
            MIMI_ERR_GENERATION_TOO_OLD);
  mls_secret_tree_free(v->ep.secret_tree);

  /* protect ourselves (with padding), unprotect with a receiver's tree */
  mls_framed_content fc;
  make_content(v, &want, &fc);
  mls_authenticated_content mine, back;
  CHECK_OK(mls_authenticated_content_sign(&v->ep, MLS_WIRE_PRIVATE_MESSAGE, &fc,
                                          v->sig_priv.data, v->sig_priv.len, &mine));
  if (content_type == MLS_CONTENT_COMMIT)
    CHECK_OK(mimi_bytes_dup(&mine.confirmation_tag, &ac.confirmation_tag));
  mimi_test_prng prng;
  mimi_rng rng = mimi_test_rng_prng(&prng, 42);
  mls_secret_tree *sender = new_tree(v), *receiver = new_tree(v);
  mls_private_message pm0, pm1;
  v->ep.secret_tree = sender;
  CHECK_OK(mls_private_message_protect(&v->ep, &mine, 0, &rng, &pm0));
  CHECK_OK(mls_private_message_protect(&v->ep, &mine, 100, &rng, &pm1));
  CHECK(pm1.ciphertext.len == pm0.ciphertext.len + 100);
  v->ep.secret_tree = receiver;
  /* out of order: generation 1 first, then 0 */
  CHECK_OK(mls_private_message_unprotect(&v->ep, &pm1, &v->signer, &back));
  CHECK(mls_authenticated_content_equal(&back, &mine));
  mls_authenticated_content_free(&back);
  CHECK_OK(mls_private_message_unprotect(&v->ep, &pm0, &v->signer, &back));
  CHECK(mls_authenticated_content_equal(&back, &mine));
  mls_authenticated_content_free(&back);
  /* and the wire form survives a round trip through MLSMessage */
  mls_message wrapped;
  memset(&wrapped, 0, sizeof wrapped);
  wrapped.version = MLS_VERSION_MLS10;
  wrapped.body.wire_format = MLS_WIRE_PRIVATE_MESSAGE;
  wrapped.body.private_message = pm0;
  mimi_bytes enc;
  CHECK_OK(mls_message_encode(&wrapped, &enc));
  mls_message parsed;
  CHECK_OK(mls_message_decode(enc.data, enc.len, &parsed));
  CHECK(mls_private_message_equal(&parsed.body.private_message, &pm0));
  mls_message_free(&parsed);
  mimi_bytes_free(&enc);

  mls_secret_tree_free(sender);
  mls_secret_tree_free(receiver);
  v->ep.secret_tree = NULL;
  mls_private_message_free(&pm0);
  mls_private_message_free(&pm1);
  mls_authenticated_content_free(&mine);
  mls_framed_content_free(&fc);
  mls_authenticated_content_free(&ac);
  mls_content_free(&want);
  mls_message_free(&m);
}

/* A PrivateMessage around an arbitrary plaintext, encrypted exactly as
 * §6.3 says with reuse_guard 0 under the given key, its generation named in
 * the sender data: how malformed-but-authentic content and forgeries are
 * made. seal_raw takes the key from a sender tree. */
static void seal_with_key(vcase *v, const mls_key_nonce *kn, uint8_t content_type,
                          const mimi_bytes *pt, mls_private_message *out) {
  const mimi_suite *s = mimi_suite_get(v->suite);
  memset(out, 0, sizeof *out);
  CHECK_OK(mimi_bytes_dup(&out->group_id, &v->gc.group_id));
  out->epoch = v->gc.epoch;
  out->content_type = content_type;
  mls_private_content_aad aad = {out->group_id, out->epoch, content_type, {NULL, 0}};
  mimi_bytes aad_enc;
  CHECK_OK(mls_private_content_aad_encode(&aad, &aad_enc));
  CHECK_OK(mimi_bytes_alloc(&out->ciphertext, pt->len + MIMI_AEAD_TAG));
  CHECK_OK(mimi_aead_seal(s->aead, kn->key, kn->nonce, aad_enc.data, aad_enc.len, pt->data,
                          pt->len, out->ciphertext.data));
  mls_sender_data sd = {1, kn->generation, {0, 0, 0, 0}};
  mls_sender_data_aad sd_aad = {out->group_id, out->epoch, content_type};
  mimi_bytes sd_enc, sd_aad_enc;
  CHECK_OK(mls_sender_data_encode(&sd, &sd_enc));
  CHECK_OK(mls_sender_data_aad_encode(&sd_aad, &sd_aad_enc));
  mls_key_nonce sk;
  CHECK_OK(mls_sender_data_key_nonce(v->suite, v->sender_data_secret.data,
                                     v->sender_data_secret.len, out->ciphertext.data,
                                     out->ciphertext.len, &sk));
  CHECK_OK(mimi_bytes_alloc(&out->encrypted_sender_data, sd_enc.len + MIMI_AEAD_TAG));
  CHECK_OK(mimi_aead_seal(s->aead, sk.key, sk.nonce, sd_aad_enc.data, sd_aad_enc.len, sd_enc.data,
                          sd_enc.len, out->encrypted_sender_data.data));
  mls_key_nonce_clear(&sk);
  mimi_bytes_free(&aad_enc);
  mimi_bytes_free(&sd_enc);
  mimi_bytes_free(&sd_aad_enc);
}

static void seal_raw(vcase *v, mls_secret_tree *st, uint8_t content_type, const mimi_bytes *pt,
                     mls_private_message *out) {
  mls_key_nonce kn;
  CHECK_OK(mls_secret_tree_next(st, 1, content_type == MLS_CONTENT_APPLICATION
                                           ? MLS_RATCHET_APPLICATION
                                           : MLS_RATCHET_HANDSHAKE, &kn));
  seal_with_key(v, &kn, content_type, pt, out);
  mls_key_nonce_clear(&kn);
}

/* The plaintext of a signed application message: data, signature, padding. */
static void application_plaintext(vcase *v, const char *padding_hex, mimi_bytes *pt) {
  signed_content sc;
  sign_vector_content(v, MLS_CONTENT_APPLICATION, MLS_WIRE_PRIVATE_MESSAGE, &sc);
  mimi_writer w;
  mimi_writer_init(&w);
  mimi_write_opaque(&w, sc.body.application_data.data, sc.body.application_data.len);
  mimi_write_opaque(&w, sc.ac.signature.data, sc.ac.signature.len);
  mimi_bytes pad;
  CHECK_OK(mimi_bytes_from_hex(&pad, padding_hex));
  mimi_write_raw(&w, pad.data, pad.len);
  CHECK_OK(mimi_writer_finish(&w, pt));
  mimi_bytes_free(&pad);
  signed_content_free(&sc);
}

/* Each rejection must leave *out and the receiver's tree as they were: the
 * genuine message with the same generation still decrypts afterwards. */
static void expect_rejected(vcase *v, mls_secret_tree *receiver, const mls_private_message *bad,
                            const mls_private_message *good, mimi_err want) {
  v->ep.secret_tree = receiver;
  mls_authenticated_content out;
  memset(&out, 0x5a, sizeof out);
  CHECK_ERR(mls_private_message_unprotect(&v->ep, bad, &v->signer, &out), want);
  CHECK(is_untouched(&out));
  if (good != NULL) {
    CHECK_OK(mls_private_message_unprotect(&v->ep, good, &v->signer, &out));
    mls_authenticated_content_free(&out);
  }
  v->ep.secret_tree = NULL;
}

static void private_rejections(vcase *v) {
  mls_message m;
  decode_message(v, "application_priv", &m);
  mls_private_message *pm = &m.body.private_message;

  mls_secret_tree *rx = new_tree(v);
  v->gc.epoch++;
  expect_rejected(v, rx, pm, NULL, MIMI_ERR_WRONG_EPOCH);
  v->gc.epoch--;
  v->gc.group_id.data[1] ^= 1;
  expect_rejected(v, rx, pm, NULL, MIMI_ERR_WRONG_GROUP);
  v->gc.group_id.data[1] ^= 1;
  pm->content_type = 0;
  expect_rejected(v, rx, pm, NULL, MIMI_ERR_BAD_CONTENT_TYPE);
  pm->content_type = 4;
  expect_rejected(v, rx, pm, NULL, MIMI_ERR_BAD_CONTENT_TYPE);
  pm->content_type = MLS_CONTENT_PROPOSAL; /* in both AADs */
  expect_rejected(v, rx, pm, NULL, MIMI_ERR_AEAD_OPEN);
  pm->content_type = MLS_CONTENT_APPLICATION;
  /* sender data: wrong secret, tampered, or a ciphertext sample changed */
  v->sender_data_secret.data[0] ^= 1;
  expect_rejected(v, rx, pm, NULL, MIMI_ERR_AEAD_OPEN);
  v->sender_data_secret.data[0] ^= 1;
  pm->encrypted_sender_data.data[0] ^= 1;
  expect_rejected(v, rx, pm, NULL, MIMI_ERR_AEAD_OPEN);
  pm->encrypted_sender_data.data[0] ^= 1;
  pm->ciphertext.data[0] ^= 1;
  expect_rejected(v, rx, pm, NULL, MIMI_ERR_AEAD_OPEN);
  pm->ciphertext.data[0] ^= 1;
  /* content: the sender data opens, the content does not; nothing consumed */
  mls_private_message bad;
  CHECK_OK(mimi_clone(mls_private_message_type(), &bad, pm));
  bad.ciphertext.data[bad.ciphertext.len - 1] ^= 1; /* past the sample: in the tag */
  expect_rejected(v, rx, &bad, NULL, MIMI_ERR_AEAD_OPEN);
  mimi_bytes_free(&bad.authenticated_data);
  bad.ciphertext.data[bad.ciphertext.len - 1] ^= 1;
  CHECK_OK(mimi_bytes_from_hex(&bad.authenticated_data, "01"));
  expect_rejected(v, rx, &bad, NULL, MIMI_ERR_AEAD_OPEN);
  mls_private_message_free(&bad);
  /* an unknown sender: the key was only peeked */
  v->signer_state.err = MIMI_ERR_BAD_SENDER;
  expect_rejected(v, rx, pm, NULL, MIMI_ERR_BAD_SENDER);
  v->signer_state.err = MIMI_OK;
  /* a signature by another key */
  v->signer_state.pub.data[v->signer_state.pub.len - 1] ^= 1;
  v->ep.secret_tree = rx;
  mls_authenticated_content out;
  memset(&out, 0x5a, sizeof out);
  mimi_err err = mls_private_message_unprotect(&v->ep, pm, &v->signer, &out);
  CHECK(err == MIMI_ERR_BAD_SIGNATURE || err == MIMI_ERR_BAD_KEY);
  CHECK(is_untouched(&out));
  v->signer_state.pub.data[v->signer_state.pub.len - 1] ^= 1;
  /* after all that, the genuine message still decrypts, once */
  CHECK_OK(mls_private_message_unprotect(&v->ep, pm, &v->signer, &out));
  mls_authenticated_content_free(&out);
  expect_rejected(v, rx, pm, NULL, MIMI_ERR_GENERATION_TOO_OLD);
  mls_secret_tree_free(rx);

  /* padding and plaintext structure, on authentic ciphertexts: the bad
   * message and the good one share generation 0 of identical sender trees */
  static const struct {
    const char *padding;
    mimi_err err;
  } pads[] = {
      {"00000001", MIMI_ERR_BAD_PADDING},
      {"80", MIMI_ERR_BAD_PADDING},
      {"0000000000000000000000000000000000000000000000000000000000000000ff",
       MIMI_ERR_BAD_PADDING},
  };
  mimi_bytes good_pt;
  application_plaintext(v, "000000", &good_pt);
  for (size_t i = 0; i < sizeof pads / sizeof pads[0]; i++) {
    mls_secret_tree *s1 = new_tree(v), *s2 = new_tree(v), *r = new_tree(v);
    mimi_bytes bad_pt;
    application_plaintext(v, pads[i].padding, &bad_pt);
    mls_private_message b, g;
    seal_raw(v, s1, MLS_CONTENT_APPLICATION, &bad_pt, &b);
    seal_raw(v, s2, MLS_CONTENT_APPLICATION, &good_pt, &g);
    expect_rejected(v, r, &b, &g, pads[i].err);
    mls_private_message_free(&b);
    mls_private_message_free(&g);
    mimi_bytes_free(&bad_pt);
    mls_secret_tree_free(s1);
    mls_secret_tree_free(s2);
    mls_secret_tree_free(r);
  }
  /* every truncation of the plaintext is malformed (TRUNCATED), never read
   * as something shorter */
  size_t unpadded = good_pt.len - 3;
  size_t bad_count = 0;
  for (size_t n = 0; n < unpadded; n++) {
    mls_secret_tree *s1 = new_tree(v), *r = new_tree(v);
    mimi_bytes cut = {good_pt.data, n};
    mls_private_message b;
    seal_raw(v, s1, MLS_CONTENT_APPLICATION, &cut, &b);
    v->ep.secret_tree = r;
    mls_authenticated_content o;
    if (mls_private_message_unprotect(&v->ep, &b, &v->signer, &o) != MIMI_ERR_TRUNCATED)
      bad_count++;
    mls_private_message_free(&b);
    mls_secret_tree_free(s1);
    mls_secret_tree_free(r);
  }
  CHECK(bad_count == 0);
  v->ep.secret_tree = NULL;
  mimi_bytes_free(&good_pt);

  /* protect refuses non-members and commits without a confirmation tag */
  signed_content sc;
  sign_vector_content(v, MLS_CONTENT_COMMIT, MLS_WIRE_PRIVATE_MESSAGE, &sc);
  mls_authenticated_content ac = sc.ac;
  mls_secret_tree *tx = new_tree(v);
  v->ep.secret_tree = tx;
  mimi_test_prng prng;
  mimi_rng rng = mimi_test_rng_prng(&prng, 7);
  mls_private_message out_pm;
  CHECK_ERR(mls_private_message_protect(&v->ep, &ac, 0, &rng, &out_pm), MIMI_ERR_INVALID_ARG);
  /* a signature that does not verify inside an authentic ciphertext; the
   * generation is not consumed, so an honest twin still decrypts */
  CHECK_OK(mimi_bytes_from_hex(&ac.confirmation_tag, "aabb"));
  mls_secret_tree *twin = new_tree(v), *rx2 = new_tree(v);
  mls_private_message good_pm;
  v->ep.secret_tree = twin;
  CHECK_OK(mls_private_message_protect(&v->ep, &ac, 0, &rng, &good_pm));
  ac.signature.data[ac.signature.len - 1] ^= 1;
  v->ep.secret_tree = tx;
  CHECK_OK(mls_private_message_protect(&v->ep, &ac, 0, &rng, &out_pm));
  ac.signature.data[ac.signature.len - 1] ^= 1;
  expect_rejected(v, rx2, &out_pm, &good_pm, MIMI_ERR_BAD_SIGNATURE);
  mls_private_message_free(&out_pm);
  mls_private_message_free(&good_pm);
  mls_secret_tree_free(twin);
  mls_secret_tree_free(rx2);
  v->ep.secret_tree = tx;
  mimi_bytes_free(&ac.confirmation_tag);
  ac.content.sender.sender_type = MLS_SENDER_NEW_MEMBER_COMMIT;
  CHECK_ERR(mls_private_message_protect(&v->ep, &ac, 0, &rng, &out_pm), MIMI_ERR_BAD_SENDER);
  ac.content.sender.sender_type = MLS_SENDER_MEMBER;
  ac.wire_format = MLS_WIRE_PUBLIC_MESSAGE;
  CHECK_ERR(mls_private_message_protect(&v->ep, &ac, 0, &rng, &out_pm),
            MIMI_ERR_BAD_WIRE_FORMAT);
  mls_public_message out_pub;
  CHECK_ERR(mls_public_message_protect(&v->ep, &ac, &out_pub), MIMI_ERR_INVALID_ARG);
  v->ep.secret_tree = NULL;
  mls_secret_tree_free(tx);
  sc.ac = ac;
  signed_content_free(&sc);
  mls_message_free(&m);
}

/* A forged message naming a generation far ahead (within the window) must
 * cost the genuine ones nothing (§9.2): after it is refused, every earlier
 * generation still decrypts, in order, and so does the genuine message of
 * the forged generation. Receivers: a fresh tree whose sender leaf was never
 * split, the same with nothing retained, and one that already used the
 * sender's ratchet. Forgeries: content under a wrong key (AEAD_OPEN), and an
 * authentic key with a bad signature (BAD_SIGNATURE), which fails last. */
static void expect_accepted(vcase *v, const mls_private_message *pm) {
  mls_authenticated_content out;
  mimi_err err = mls_private_message_unprotect(&v->ep, pm, &v->signer, &out);
  CHECK_ERR(err, MIMI_OK);
  if (err == MIMI_OK) mls_authenticated_content_free(&out);
}

static void forged_far_ahead(vcase *v) {
  enum { N = 5, FAR = 40 };
  const mimi_suite *s = mimi_suite_get(v->suite);
  mimi_bytes good_pt, bad_sig_pt;
  application_plaintext(v, "", &good_pt);
  application_plaintext(v, "", &bad_sig_pt);
  bad_sig_pt.data[bad_sig_pt.len - 1] ^= 1; /* the signature's last byte */

  mls_private_message genuine[N + 1], wrong_key, bad_sig;
  mls_secret_tree *tx = new_tree(v), *tx2 = new_tree(v);
  mls_key_nonce kn;
  for (size_t i = 0; i < N; i++) seal_raw(v, tx, MLS_CONTENT_APPLICATION, &good_pt, &genuine[i]);
  for (size_t i = N; i < FAR; i++) {
    CHECK_OK(mls_secret_tree_next(tx, 1, MLS_RATCHET_APPLICATION, &kn));
    CHECK_OK(mls_secret_tree_next(tx2, 1, MLS_RATCHET_APPLICATION, &kn));
  }
  for (size_t i = 0; i < N; i++) CHECK_OK(mls_secret_tree_next(tx2, 1, MLS_RATCHET_APPLICATION, &kn));
  seal_raw(v, tx, MLS_CONTENT_APPLICATION, &good_pt, &genuine[N]);
  seal_raw(v, tx2, MLS_CONTENT_APPLICATION, &bad_sig_pt, &bad_sig);
  memset(&kn, 0x42, sizeof kn);
  kn.generation = FAR;
  kn.key_len = s->aead_key_len;
  kn.nonce_len = s->aead_nonce_len;
  seal_with_key(v, &kn, MLS_CONTENT_APPLICATION, &good_pt, &wrong_key);
  mls_key_nonce_clear(&kn);

  static const struct {
    mls_secret_tree_config cfg;
    size_t first; /* genuine messages received before the forgeries */
  } rx[] = {
      {{MLS_SECRET_TREE_DEFAULT_MAX_FORWARD, MLS_SECRET_TREE_DEFAULT_MAX_RETAINED}, 0},
      {{MLS_SECRET_TREE_DEFAULT_MAX_FORWARD, 0}, 0},
      {{FAR, 0}, 0},
      {{MLS_SECRET_TREE_DEFAULT_MAX_FORWARD, 2}, 1},
      {{FAR, 0}, 1},
  };
  for (size_t c = 0; c < sizeof rx / sizeof rx[0]; c++) {
    mls_secret_tree *r = NULL;
    CHECK_OK(mls_secret_tree_new(&r, v->suite, v->encryption_secret.data,
                                 v->encryption_secret.len, 2, &rx[c].cfg));
    v->ep.secret_tree = r;
    for (size_t i = 0; i < rx[c].first; i++) expect_accepted(v, &genuine[i]);
    expect_rejected(v, r, &wrong_key, NULL, MIMI_ERR_AEAD_OPEN);
    expect_rejected(v, r, &bad_sig, NULL, MIMI_ERR_BAD_SIGNATURE);
    v->ep.secret_tree = r;
    for (size_t i = rx[c].first; i <= N; i++) expect_accepted(v, &genuine[i]);
    v->ep.secret_tree = NULL;
    mls_secret_tree_free(r);
  }
  for (size_t i = 0; i <= N; i++) mls_private_message_free(&genuine[i]);
  mls_private_message_free(&wrong_key);
  mls_private_message_free(&bad_sig);
  mls_secret_tree_free(tx);
  mls_secret_tree_free(tx2);
  mimi_bytes_free(&good_pt);
  mimi_bytes_free(&bad_sig_pt);
}

static void one_case(json_t *c) {
  vcase v;
  vcase_init(&v, c);
  public_vector(&v, "proposal_pub", MLS_CONTENT_PROPOSAL);
  public_vector(&v, "commit_pub", MLS_CONTENT_COMMIT);
  public_application_refused(&v);
  public_rejections(&v);
  public_new_member_commit(&v);
  private_vector(&v, "proposal_priv", MLS_CONTENT_PROPOSAL);
  private_vector(&v, "commit_priv", MLS_CONTENT_COMMIT);
  private_vector(&v, "application_priv", MLS_CONTENT_APPLICATION);
  private_rejections(&v);
  forged_far_ahead(&v);
  vcase_free(&v);
  mimi_test_case();
}

int main(void) {
  json_t *all = mimi_vec_load("mls/message-protection.json");
  size_t i;
  json_t *c;
  json_array_foreach(all, i, c) one_case(c);
  json_decref(all);
  return mimi_test_summary("message_protection");
}
