/* test_message_protection.c — RFC 9420 §6 framing against the mlswg
 * message-protection vectors (all suites): unprotect the given PublicMessage
 * and PrivateMessage for a proposal, a commit and application data, protect
 * the same content ourselves and unprotect it again; plus every rejection
 * the receive path has, each leaving the output and the secret tree as they
 * were. */
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

/* RFC 9420 leaves the private key encoding open; the vectors write ECDSA
 * scalars minimally (a P-521 key can be 65 bytes), our crypto layer takes
 * the fixed-width big-endian scalar. Same integer, left-padded. */
static void widen_ecdsa_scalar(uint16_t suite, mimi_bytes *priv) {
  const mimi_suite *s = mimi_suite_get(suite);
  size_t want = s == NULL ? 0
                : s->sig == MIMI_SIG_ECDSA_P521_SHA512 ? 66
                : s->sig == MIMI_SIG_ECDSA_P384_SHA384 ? 48
                : s->sig == MIMI_SIG_ECDSA_P256_SHA256 ? 32
                                                       : 0;
  if (want == 0 || priv->len >= want) return;
  mimi_bytes wide;
  CHECK_OK(mimi_bytes_alloc(&wide, want));
  memcpy(wide.data + want - priv->len, priv->data, priv->len);
  mimi_bytes_free(priv);
  *priv = wide;
}

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
  v->sig_priv = mimi_vec_hex(c, "signature_priv");
  widen_ecdsa_scalar(v->suite, &v->sig_priv);
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
  mls_content body;
  vector_body(v, MLS_CONTENT_APPLICATION, &body);
  mls_framed_content fc;
  make_content(v, &body, &fc);
  mls_authenticated_content ac;
  CHECK_OK(mls_authenticated_content_sign(&v->ep, MLS_WIRE_PUBLIC_MESSAGE, &fc, v->sig_priv.data,
                                          v->sig_priv.len, &ac));
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
  mls_authenticated_content_free(&ac);
  mls_framed_content_free(&fc);
  mls_content_free(&body);
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

static void one_case(json_t *c) {
  vcase v;
  vcase_init(&v, c);
  public_vector(&v, "proposal_pub", MLS_CONTENT_PROPOSAL);
  public_vector(&v, "commit_pub", MLS_CONTENT_COMMIT);
  public_application_refused(&v);
  public_rejections(&v);
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
