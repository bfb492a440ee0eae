/*
 * mimi/mls_framing.h — RFC 9420 §6 message framing: signing FramedContent,
 * PublicMessage (signature + membership tag) and PrivateMessage (content and
 * sender data encryption) in both directions.
 *
 * The flow for a sender is: mls_authenticated_content_sign, then (commits
 * only) set confirmation_tag from the new transcript hash, then
 * mls_public_message_protect or mls_private_message_protect. A receiver
 * calls mls_public_message_unprotect / mls_private_message_unprotect and gets
 * an AuthenticatedContent whose signature (and membership tag) have been
 * verified; checking the confirmation tag belongs to commit processing.
 *
 * Receiving is transactional: on any error the secret tree is exactly as it
 * was (the key is only peeked until the message has verified) and *out is
 * untouched.
 */
#ifndef MIMI_MLS_FRAMING_H
#define MIMI_MLS_FRAMING_H

#include "mimi/base.h"
#include "mimi/crypto.h"
#include "mimi/mls_messages.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The epoch's secret tree (mimi/mls.h, §9). */
struct mls_secret_tree;

/* Finds the signature public key of a message's sender (§6.1: the leaf's
 * key for members, external_senders for external, the LeafNode in the
 * content for new members). The view must stay valid until the framing call
 * returns. BAD_SENDER when there is no such sender (blank leaf, bad index). */
typedef struct {
  mimi_err (*get)(void *ctx, const mls_framed_content *content, const uint8_t **pub,
                  size_t *pub_len);
  void *ctx;
} mls_signer_lookup;

/* §6.1 The signature key a new member's message carries itself: the
 * LeafNode of a new_member_commit's UpdatePath, or of the KeyPackage in a
 * new_member_proposal's Add (a view into content). BAD_SENDER for other
 * senders or when the content lacks it. */
MIMI_MUST_CHECK mimi_err mls_new_member_signature_key(const mls_framed_content *content,
                                                      const mimi_bytes **pub);

/* What framing needs about one epoch of a group. Secrets are KDF.Nh bytes. */
typedef struct {
  uint16_t suite;
  const mls_group_context *context;    /* group_id and epoch are checked against it */
  const uint8_t *membership_key;       /* NULL when we are not a member */
  const uint8_t *sender_data_secret;   /* PrivateMessage only */
  struct mls_secret_tree *secret_tree; /* PrivateMessage only */
} mls_framing_epoch;

/* §6.1 SignWithLabel(priv, "FramedContentTBS", FramedContentTBS) into a fresh
 * AuthenticatedContent (content cloned, confirmation_tag empty). The
 * content's group_id and epoch must be the epoch's (WRONG_GROUP /
 * WRONG_EPOCH); wire_format is MLS_WIRE_PUBLIC_MESSAGE or _PRIVATE_MESSAGE. */
MIMI_MUST_CHECK mimi_err mls_authenticated_content_sign(const mls_framing_epoch *ep,
                                                        uint16_t wire_format,
                                                        const mls_framed_content *content,
                                                        const uint8_t *sig_priv,
                                                        size_t sig_priv_len,
                                                        mls_authenticated_content *out);

/* §6.1 verification of ac->signature (BAD_SIGNATURE). */
MIMI_MUST_CHECK mimi_err mls_authenticated_content_verify(const mls_framing_epoch *ep,
                                                          const mls_authenticated_content *ac,
                                                          const uint8_t *sig_pub,
                                                          size_t sig_pub_len);

/* §6.2 membership_tag = MAC(membership_key, AuthenticatedContentTBM). */
MIMI_MUST_CHECK mimi_err mls_membership_tag(const mls_framing_epoch *ep,
                                            const mls_authenticated_content *ac,
                                            mimi_bytes *tag);

/* §6.2 An AuthenticatedContent (wire_format public, content not application:
 * BAD_CONTENT_TYPE) as a PublicMessage; members' messages get a membership
 * tag, which needs ep->membership_key (INVALID_ARG without). */
MIMI_MUST_CHECK mimi_err mls_public_message_protect(const mls_framing_epoch *ep,
                                                    const mls_authenticated_content *ac,
                                                    mls_public_message *out);

/* §6.2 Checks, in order: group (WRONG_GROUP), epoch (WRONG_EPOCH), content
 * type allowed for the sender type (BAD_CONTENT_TYPE), membership tag of a
 * member's message (BAD_MAC; INVALID_ARG without ep->membership_key), the
 * sender's key (signer's error) and signature (BAD_SIGNATURE). A commit's
 * confirmation_tag is returned unchecked: it needs the new epoch's keys. */
MIMI_MUST_CHECK mimi_err mls_public_message_unprotect(const mls_framing_epoch *ep,
                                                      const mls_public_message *in,
                                                      const mls_signer_lookup *signer,
                                                      mls_authenticated_content *out);

/* §6.2 the same checks for a receiver outside the group (the hub), except
 * the membership tag: it needs the membership_key, which only members
 * have, so it is neither checked nor required (ep->membership_key is
 * ignored). §6.2 says the tag MUST be checked when decoding, which only a
 * member can do; for the hub the signature is what binds a message to its
 * sender (see docs/spec-notes.md). */
MIMI_MUST_CHECK mimi_err mls_public_message_unprotect_nonmember(const mls_framing_epoch *ep,
                                                                const mls_public_message *in,
                                                                const mls_signer_lookup *signer,
                                                                mls_authenticated_content *out);

/* §6.3 An AuthenticatedContent (wire_format private, member sender:
 * BAD_SENDER otherwise) as a PrivateMessage, with `padding` zero bytes in
 * the plaintext and a fresh reuse_guard from rng. Uses up the next
 * generation of the sender's ratchet. */
MIMI_MUST_CHECK mimi_err mls_private_message_protect(const mls_framing_epoch *ep,
                                                     const mls_authenticated_content *ac,
                                                     size_t padding, const mimi_rng *rng,
                                                     mls_private_message *out);

/* §6.3 Checks group and epoch, opens the sender data (AEAD_OPEN), takes the
 * sender's key (ratchet errors), opens the content (AEAD_OPEN), parses it
 * with all-zero padding (BAD_PADDING), verifies the signature
 * (BAD_SIGNATURE), and only then consumes the generation. */
MIMI_MUST_CHECK mimi_err mls_private_message_unprotect(const mls_framing_epoch *ep,
                                                       const mls_private_message *in,
                                                       const mls_signer_lookup *signer,
                                                       mls_authenticated_content *out);

/* §6.1 confirmation_tag = MAC(confirmation_key, confirmed_transcript_hash);
 * both inputs are KDF.Nh bytes. Verify gives BAD_MAC on mismatch. */
MIMI_MUST_CHECK mimi_err mls_confirmation_tag(uint16_t suite, const uint8_t *confirmation_key,
                                              const uint8_t *confirmed_transcript_hash,
                                              mimi_bytes *tag);
MIMI_MUST_CHECK mimi_err mls_confirmation_tag_verify(uint16_t suite,
                                                     const uint8_t *confirmation_key,
                                                     const uint8_t *confirmed_transcript_hash,
                                                     const mimi_bytes *tag);

/* §8.2 the transcript hashes after the commit `ac` (content type commit,
 * BAD_CONTENT_TYPE otherwise): confirmed from interim_prev (empty in epoch
 * 0) and ac's wire_format, content and signature; interim from confirmed and
 * ac's confirmation_tag. Outputs are KDF.Nh bytes. */
MIMI_MUST_CHECK mimi_err mls_transcript_hashes_update(uint16_t suite, const uint8_t *interim_prev,
                                                      size_t interim_prev_len,
                                                      const mls_authenticated_content *ac,
                                                      uint8_t *confirmed, uint8_t *interim);

#ifdef __cplusplus
}
#endif
#endif /* MIMI_MLS_FRAMING_H */
