/* framing.c — RFC 9420 §6.1 and §6.2: signing FramedContent over
 * FramedContentTBS, and PublicMessage protection with the membership tag. */
#include <string.h>

#include "framing_internal.h"
#include "mimi/mls.h"

static const uint8_t k_tbs_label[] = {'F', 'r', 'a', 'm', 'e', 'd', 'C', 'o', 'n',
                                      't', 'e', 'n', 't', 'T', 'B', 'S'};

mimi_err mls_framing_suite(const mls_framing_epoch *ep, const mimi_suite **out) {
  if (ep == NULL || ep->context == NULL) return MIMI_ERR_INVALID_ARG;
  const mimi_suite *s = mimi_suite_get(ep->suite);
  if (s == NULL) return MIMI_ERR_UNSUPPORTED_SUITE;
  *out = s;
  return MIMI_OK;
}

mimi_err mls_framing_check_epoch(const mls_framing_epoch *ep, const mimi_bytes *group_id,
                                 uint64_t epoch) {
  if (!mimi_bytes_eq(group_id, &ep->context->group_id)) return MIMI_ERR_WRONG_GROUP;
  if (epoch != ep->context->epoch) return MIMI_ERR_WRONG_EPOCH;
  return MIMI_OK;
}

mimi_err mls_framing_check_auth(const mls_authenticated_content *ac) {
  bool commit = ac->content.body.content_type == MLS_CONTENT_COMMIT;
  return commit && ac->confirmation_tag.len == 0 ? MIMI_ERR_INVALID_ARG : MIMI_OK;
}

/* A FramedContentTBS borrowing content and the epoch's GroupContext; it is
 * only encoded, never freed. */
static mls_framed_content_tbs tbs_view(const mls_framing_epoch *ep, uint16_t wire_format,
                                       const mls_framed_content *content) {
  mls_framed_content_tbs tbs;
  memset(&tbs, 0, sizeof tbs);
  tbs.version = MLS_VERSION_MLS10;
  tbs.wire_format = wire_format;
  tbs.content = *content;
  tbs.context = *ep->context;
  return tbs;
}

static bool is_framed_wire_format(uint16_t wf) {
  return wf == MLS_WIRE_PUBLIC_MESSAGE || wf == MLS_WIRE_PRIVATE_MESSAGE;
}

mimi_err mls_authenticated_content_sign(const mls_framing_epoch *ep, uint16_t wire_format,
                                        const mls_framed_content *content,
                                        const uint8_t *sig_priv, size_t sig_priv_len,
                                        mls_authenticated_content *out) {
  const mimi_suite *s;
  MIMI_TRY(mls_framing_suite(ep, &s));
  if (!is_framed_wire_format(wire_format)) return MIMI_ERR_BAD_WIRE_FORMAT;
  MIMI_TRY(mls_framing_check_epoch(ep, &content->group_id, content->epoch));
  mls_framed_content_tbs tbs = tbs_view(ep, wire_format, content);
  mimi_bytes enc, sig;
  MIMI_TRY(mls_framed_content_tbs_encode(&tbs, &enc));
  mimi_err err = mls_sign_with_label(s->id, sig_priv, sig_priv_len, k_tbs_label,
                                     sizeof k_tbs_label, enc.data, enc.len, &sig);
  mimi_bytes_free(&enc);
  if (err != MIMI_OK) return err;
  mls_authenticated_content ac;
  memset(&ac, 0, sizeof ac);
  ac.wire_format = wire_format;
  err = mimi_clone(mls_framed_content_type(), &ac.content, content);
  if (err != MIMI_OK) {
    mimi_bytes_free(&sig);
    return err;
  }
  ac.signature = sig;
  *out = ac;
  return MIMI_OK;
}

mimi_err mls_authenticated_content_verify(const mls_framing_epoch *ep,
                                          const mls_authenticated_content *ac,
                                          const uint8_t *sig_pub, size_t sig_pub_len) {
  const mimi_suite *s;
  MIMI_TRY(mls_framing_suite(ep, &s));
  mls_framed_content_tbs tbs = tbs_view(ep, ac->wire_format, &ac->content);
  mimi_bytes enc;
  MIMI_TRY(mls_framed_content_tbs_encode(&tbs, &enc));
  mimi_err err = mls_verify_with_label(s->id, sig_pub, sig_pub_len, k_tbs_label,
                                       sizeof k_tbs_label, enc.data, enc.len,
                                       ac->signature.data, ac->signature.len);
  mimi_bytes_free(&enc);
  return err;
}

mimi_err mls_membership_tag(const mls_framing_epoch *ep, const mls_authenticated_content *ac,
                            mimi_bytes *tag) {
  const mimi_suite *s;
  MIMI_TRY(mls_framing_suite(ep, &s));
  if (ep->membership_key == NULL) return MIMI_ERR_INVALID_ARG;
  mls_authenticated_content_tbm tbm;
  memset(&tbm, 0, sizeof tbm);
  tbm.content_tbs = tbs_view(ep, ac->wire_format, &ac->content);
  tbm.signature = ac->signature;
  tbm.confirmation_tag = ac->confirmation_tag;
  mimi_bytes enc, mac;
  MIMI_TRY(mls_authenticated_content_tbm_encode(&tbm, &enc));
  mimi_err err = mimi_bytes_alloc(&mac, s->hash_len);
  if (err == MIMI_OK)
    err = mimi_hmac(s->kdf, ep->membership_key, s->hash_len, enc.data, enc.len, mac.data);
  mimi_bytes_free(&enc);
  if (err != MIMI_OK) {
    mimi_bytes_free(&mac);
    return err;
  }
  *tag = mac;
  return MIMI_OK;
}

mimi_err mls_new_member_signature_key(const mls_framed_content *content,
                                      const mimi_bytes **pub) {
  const mls_content *b = &content->body;
  switch (content->sender.sender_type) {
    case MLS_SENDER_NEW_MEMBER_COMMIT:
      if (b->content_type != MLS_CONTENT_COMMIT || b->commit.path == NULL)
        return MIMI_ERR_BAD_SENDER;
      *pub = &b->commit.path->leaf_node.signature_key;
      return MIMI_OK;
    case MLS_SENDER_NEW_MEMBER_PROPOSAL:
      if (b->content_type != MLS_CONTENT_PROPOSAL || b->proposal.proposal_type != MLS_PROPOSAL_ADD)
        return MIMI_ERR_BAD_SENDER;
      *pub = &b->proposal.add.key_package.leaf_node.signature_key;
      return MIMI_OK;
    default:
      return MIMI_ERR_BAD_SENDER;
  }
}

/* §6.1: which senders may send which content in a PublicMessage; §6.2 adds
 * that application data is never sent in the clear. */
static mimi_err check_public_content(const mls_framed_content *c) {
  uint8_t ct = c->body.content_type;
  switch (c->sender.sender_type) {
    case MLS_SENDER_MEMBER:
      return ct == MLS_CONTENT_PROPOSAL || ct == MLS_CONTENT_COMMIT ? MIMI_OK
                                                                    : MIMI_ERR_BAD_CONTENT_TYPE;
    case MLS_SENDER_EXTERNAL:
    case MLS_SENDER_NEW_MEMBER_PROPOSAL:
      return ct == MLS_CONTENT_PROPOSAL ? MIMI_OK : MIMI_ERR_BAD_CONTENT_TYPE;
    case MLS_SENDER_NEW_MEMBER_COMMIT:
      return ct == MLS_CONTENT_COMMIT ? MIMI_OK : MIMI_ERR_BAD_CONTENT_TYPE;
    default:
      return MIMI_ERR_BAD_SENDER;
  }
}

mimi_err mls_public_message_protect(const mls_framing_epoch *ep,
                                    const mls_authenticated_content *ac,
                                    mls_public_message *out) {
  const mimi_suite *s;
  MIMI_TRY(mls_framing_suite(ep, &s));
  if (ac->wire_format != MLS_WIRE_PUBLIC_MESSAGE) return MIMI_ERR_BAD_WIRE_FORMAT;
  MIMI_TRY(mls_framing_check_epoch(ep, &ac->content.group_id, ac->content.epoch));
  MIMI_TRY(check_public_content(&ac->content));
  MIMI_TRY(mls_framing_check_auth(ac));
  bool member = ac->content.sender.sender_type == MLS_SENDER_MEMBER;
  if (member && ep->membership_key == NULL) return MIMI_ERR_INVALID_ARG;

  mls_public_message view, pm;
  memset(&view, 0, sizeof view);
  view.content = ac->content;
  view.signature = ac->signature;
  view.confirmation_tag = ac->confirmation_tag;
  MIMI_TRY(mimi_clone(mls_public_message_type(), &pm, &view));
  if (member) {
    mimi_bytes tag;
    mimi_err err = mls_membership_tag(ep, ac, &tag);
    if (err != MIMI_OK) {
      mls_public_message_free(&pm);
      return err;
    }
    mimi_bytes_free(&pm.membership_tag); /* the clone's empty placeholder */
    pm.membership_tag = tag;
  }
  *out = pm;
  return MIMI_OK;
}

static mimi_err unprotect_public(const mls_framing_epoch *ep, const mls_public_message *in,
                                 const mls_signer_lookup *signer, bool check_tag,
                                 mls_authenticated_content *out) {
  const mimi_suite *s;
  MIMI_TRY(mls_framing_suite(ep, &s));
  MIMI_TRY(mls_framing_check_epoch(ep, &in->content.group_id, in->content.epoch));
  MIMI_TRY(check_public_content(&in->content));

  /* The AuthenticatedContent the sender signed, borrowing from *in. */
  mls_authenticated_content view;
  memset(&view, 0, sizeof view);
  view.wire_format = MLS_WIRE_PUBLIC_MESSAGE;
  view.content = in->content;
  view.signature = in->signature;
  view.confirmation_tag = in->confirmation_tag;

  if (check_tag && in->content.sender.sender_type == MLS_SENDER_MEMBER) {
    if (ep->membership_key == NULL) return MIMI_ERR_INVALID_ARG;
    mimi_bytes want;
    MIMI_TRY(mls_membership_tag(ep, &view, &want));
    bool ok = mimi_bytes_eq(&want, &in->membership_tag);
    mimi_bytes_free(&want);
    if (!ok) return MIMI_ERR_BAD_MAC;
  }
  const uint8_t *pub;
  size_t pub_len;
  MIMI_TRY(signer->get(signer->ctx, &in->content, &pub, &pub_len));
  MIMI_TRY(mls_authenticated_content_verify(ep, &view, pub, pub_len));
  mls_authenticated_content ac;
  MIMI_TRY(mimi_clone(mls_authenticated_content_type(), &ac, &view));
  *out = ac;
  return MIMI_OK;
}

mimi_err mls_public_message_unprotect(const mls_framing_epoch *ep, const mls_public_message *in,
                                      const mls_signer_lookup *signer,
                                      mls_authenticated_content *out) {
  return unprotect_public(ep, in, signer, true, out);
}

mimi_err mls_public_message_unprotect_nonmember(const mls_framing_epoch *ep,
                                                const mls_public_message *in,
                                                const mls_signer_lookup *signer,
                                                mls_authenticated_content *out) {
  return unprotect_public(ep, in, signer, false, out);
}
