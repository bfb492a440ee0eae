/* private_message.c — RFC 9420 §6.3: PrivateMessage content encryption with
 * the sender's ratchet key, reuse_guard and padding, and its transactional
 * inverse. */
#include <string.h>

#include "framing_internal.h"
#include "mimi/mls.h"

static mls_ratchet_type ratchet_type(uint8_t content_type) {
  return content_type == MLS_CONTENT_APPLICATION ? MLS_RATCHET_APPLICATION
                                                 : MLS_RATCHET_HANDSHAKE;
}

static bool valid_content_type(uint8_t ct) {
  return ct == MLS_CONTENT_APPLICATION || ct == MLS_CONTENT_PROPOSAL || ct == MLS_CONTENT_COMMIT;
}

static mimi_err content_aad(const mimi_bytes *group_id, uint64_t epoch, uint8_t content_type,
                            const mimi_bytes *authenticated_data, mimi_bytes *out) {
  mls_private_content_aad aad;
  memset(&aad, 0, sizeof aad);
  aad.group_id = *group_id;
  aad.epoch = epoch;
  aad.content_type = content_type;
  aad.authenticated_data = *authenticated_data;
  return mls_private_content_aad_encode(&aad, out);
}

static mls_sender_data_aad sender_data_aad(const mimi_bytes *group_id, uint64_t epoch,
                                           uint8_t content_type) {
  mls_sender_data_aad aad;
  memset(&aad, 0, sizeof aad);
  aad.group_id = *group_id;
  aad.epoch = epoch;
  aad.content_type = content_type;
  return aad;
}

/* PrivateMessageContent: the content's select body, the auth fields, then
 * `padding` zero bytes. */
static mimi_err encode_content(const mls_authenticated_content *ac, size_t padding,
                               mimi_bytes *out) {
  static const uint8_t zeros[64];
  mimi_writer w;
  mimi_writer_init(&w);
  mimi_encode_variant_body(mls_content_type(), &ac->content.body, &w);
  mimi_write_opaque(&w, ac->signature.data, ac->signature.len);
  if (ac->content.body.content_type == MLS_CONTENT_COMMIT)
    mimi_write_opaque(&w, ac->confirmation_tag.data, ac->confirmation_tag.len);
  while (padding > 0) {
    size_t n = padding < sizeof zeros ? padding : sizeof zeros;
    mimi_write_raw(&w, zeros, n);
    padding -= n;
  }
  return mimi_writer_finish(&w, out);
}

/* The inverse, into ac's body, signature and confirmation_tag. */
static mimi_err decode_content(const uint8_t *pt, size_t len, uint8_t content_type,
                               mls_authenticated_content *ac) {
  mimi_reader r = mimi_reader_init(pt, len);
  MIMI_TRY(mimi_decode_variant_body(mls_content_type(), content_type, &r, &ac->content.body));
  MIMI_TRY(mimi_read_opaque(&r, &ac->signature));
  if (content_type == MLS_CONTENT_COMMIT) MIMI_TRY(mimi_read_opaque(&r, &ac->confirmation_tag));
  const uint8_t *pad;
  size_t n = mimi_reader_remaining(&r);
  MIMI_TRY(mimi_read_view(&r, n, &pad));
  uint8_t acc = 0;
  for (size_t i = 0; i < n; i++) acc |= pad[i];
  return acc == 0 ? MIMI_OK : MIMI_ERR_BAD_PADDING;
}

mimi_err mls_private_message_protect(const mls_framing_epoch *ep,
                                     const mls_authenticated_content *ac, size_t padding,
                                     const mimi_rng *rng, mls_private_message *out) {
  const mimi_suite *s;
  MIMI_TRY(mls_framing_suite(ep, &s));
  if (ep->secret_tree == NULL || ep->sender_data_secret == NULL) return MIMI_ERR_INVALID_ARG;
  if (ac->wire_format != MLS_WIRE_PRIVATE_MESSAGE) return MIMI_ERR_BAD_WIRE_FORMAT;
  const mls_framed_content *c = &ac->content;
  if (c->sender.sender_type != MLS_SENDER_MEMBER) return MIMI_ERR_BAD_SENDER;
  if (!valid_content_type(c->body.content_type)) return MIMI_ERR_BAD_CONTENT_TYPE;
  MIMI_TRY(mls_framing_check_epoch(ep, &c->group_id, c->epoch));
  MIMI_TRY(mls_framing_check_auth(ac));

  uint32_t leaf = c->sender.leaf_index;
  mls_ratchet_type type = ratchet_type(c->body.content_type);
  mls_key_nonce rk;
  mls_sender_data sd;
  mls_private_message pm;
  memset(&sd, 0, sizeof sd);
  memset(&pm, 0, sizeof pm);
  mimi_bytes pt = {NULL, 0}, aad = {NULL, 0};

  /* The reuse_guard comes first so an RNG failure costs no generation. */
  MIMI_TRY(mimi_rng_fill(rng, sd.reuse_guard, sizeof sd.reuse_guard));
  /* Sending uses the generation up at once: skipping one on a later error
   * is harmless, reusing one never is. */
  mimi_err err = mls_secret_tree_next(ep->secret_tree, leaf, type, &rk);
  if (err == MIMI_OK) {
    mls_key_nonce_apply_reuse_guard(&rk, sd.reuse_guard);
    sd.leaf_index = leaf;
    sd.generation = rk.generation;
    err = encode_content(ac, padding, &pt);
  }
  if (err == MIMI_OK)
    err = content_aad(&c->group_id, c->epoch, c->body.content_type, &c->authenticated_data, &aad);
  if (err == MIMI_OK) err = mimi_bytes_alloc(&pm.ciphertext, pt.len + MIMI_AEAD_TAG);
  if (err == MIMI_OK)
    err = mimi_aead_seal(s->aead, rk.key, rk.nonce, aad.data, aad.len, pt.data, pt.len,
                         pm.ciphertext.data);
  mls_key_nonce_clear(&rk);
  mimi_bytes_free(&pt);
  mimi_bytes_free(&aad);
  if (err == MIMI_OK) {
    mls_sender_data_aad sd_aad = sender_data_aad(&c->group_id, c->epoch, c->body.content_type);
    err = mls_sender_data_seal(s, ep->sender_data_secret, &sd_aad, &sd, &pm.ciphertext,
                               &pm.encrypted_sender_data);
  }
  if (err == MIMI_OK) err = mimi_bytes_dup(&pm.group_id, &c->group_id);
  if (err == MIMI_OK) err = mimi_bytes_dup(&pm.authenticated_data, &c->authenticated_data);
  pm.epoch = c->epoch;
  pm.content_type = c->body.content_type;
  if (err != MIMI_OK) {
    mls_private_message_free(&pm);
    return err;
  }
  *out = pm;
  return MIMI_OK;
}

mimi_err mls_private_message_unprotect(const mls_framing_epoch *ep,
                                       const mls_private_message *in,
                                       const mls_signer_lookup *signer,
                                       mls_authenticated_content *out) {
  const mimi_suite *s;
  MIMI_TRY(mls_framing_suite(ep, &s));
  if (ep->secret_tree == NULL || ep->sender_data_secret == NULL) return MIMI_ERR_INVALID_ARG;
  MIMI_TRY(mls_framing_check_epoch(ep, &in->group_id, in->epoch));
  if (!valid_content_type(in->content_type)) return MIMI_ERR_BAD_CONTENT_TYPE;
  if (in->ciphertext.len < MIMI_AEAD_TAG) return MIMI_ERR_AEAD_OPEN;

  mls_sender_data sd;
  mls_sender_data_aad sd_aad = sender_data_aad(&in->group_id, in->epoch, in->content_type);
  MIMI_TRY(mls_sender_data_open(s, ep->sender_data_secret, &sd_aad, &in->encrypted_sender_data,
                                &in->ciphertext, &sd));

  mls_ratchet_type type = ratchet_type(in->content_type);
  mls_key_nonce rk;
  mls_secret_tree_ticket *ticket;
  /* Only a message that fully verifies consumes its generation (§9.2): the
   * tree is left untouched until the very end. */
  MIMI_TRY(mls_secret_tree_peek(ep->secret_tree, sd.leaf_index, type, sd.generation, &rk,
                                &ticket));
  mls_key_nonce_apply_reuse_guard(&rk, sd.reuse_guard);

  mimi_bytes aad = {NULL, 0}, pt = {NULL, 0};
  size_t pt_len = in->ciphertext.len - MIMI_AEAD_TAG;
  mls_authenticated_content ac;
  memset(&ac, 0, sizeof ac);
  mimi_err err = content_aad(&in->group_id, in->epoch, in->content_type, &in->authenticated_data, &aad);
  /* +1 so an empty plaintext still gets a buffer */
  if (err == MIMI_OK) err = mimi_bytes_alloc(&pt, pt_len + 1);
  if (err == MIMI_OK)
    err = mimi_aead_open(s->aead, rk.key, rk.nonce, aad.data, aad.len, in->ciphertext.data,
                         in->ciphertext.len, pt.data);
  mls_key_nonce_clear(&rk);
  mimi_bytes_free(&aad);
  if (err == MIMI_OK) err = decode_content(pt.data, pt_len, in->content_type, &ac);
  mimi_bytes_free(&pt);

  ac.wire_format = MLS_WIRE_PRIVATE_MESSAGE;
  ac.content.epoch = in->epoch;
  ac.content.sender.sender_type = MLS_SENDER_MEMBER;
  ac.content.sender.leaf_index = sd.leaf_index;
  if (err == MIMI_OK) err = mimi_bytes_dup(&ac.content.group_id, &in->group_id);
  if (err == MIMI_OK) err = mimi_bytes_dup(&ac.content.authenticated_data, &in->authenticated_data);
  const uint8_t *pub = NULL;
  size_t pub_len = 0;
  if (err == MIMI_OK) err = signer->get(signer->ctx, &ac.content, &pub, &pub_len);
  if (err == MIMI_OK) err = mls_authenticated_content_verify(ep, &ac, pub, pub_len);
  /* Fails only if the signer callback changed the tree: then nothing is
   * consumed and the message is refused. */
  if (err == MIMI_OK) {
    err = mls_secret_tree_consume(ep->secret_tree, ticket);
    ticket = NULL;
  }
  mls_secret_tree_discard(ticket);
  if (err != MIMI_OK) {
    mls_authenticated_content_free(&ac);
    return err;
  }
  *out = ac;
  return MIMI_OK;
}
