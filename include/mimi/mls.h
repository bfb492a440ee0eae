/*
 * mimi/mls.h — the MLS layer (RFC 9420): tree math, the labelled crypto
 * helpers, the key schedule, PSKs, the secret tree and transcript hashes.
 * Wire structs live in mimi/mls_messages.h. Section numbers refer to RFC 9420.
 *
 * Cipher suites are passed by id (1..7); an unknown id gives
 * MIMI_ERR_UNSUPPORTED_SUITE. Secrets that must be KDF.Nh long give
 * MIMI_ERR_BAD_LENGTH otherwise. Out-params are written only on success.
 */
#ifndef MIMI_MLS_H
#define MIMI_MLS_H

#include "mimi/base.h"
#include "mimi/crypto.h"
#include "mimi/mls_messages.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Tree math (§4.1, §7.1, Appendix C) over array node indices.
 *
 * RFC 9420 trees are complete: n_leaves is a power of two, 1 .. 2^31, so
 * node indices are 0 .. 2*n_leaves - 2 and fit in a uint32. Every function
 * validates its inputs:
 *   MIMI_ERR_INVALID_ARG  n_leaves is not such a power of two, or a node
 *                         index is outside the tree;
 *   MIMI_ERR_NOT_FOUND    the relative does not exist (children of a leaf,
 *                         parent or sibling of the root). */

#define MLS_TREE_MAX_LEAVES ((uint32_t)1 << 31)
#define MLS_TREE_MAX_DEPTH 31 /* longest direct path */

/* A direct path or copath, ordered from the leaf side to the root side. */
typedef struct {
  uint32_t nodes[MLS_TREE_MAX_DEPTH];
  uint32_t count;
} mls_node_path;

/* Number of trailing one bits: 0 for leaves, the root of 2^k leaves has k. */
uint32_t mls_tree_level(uint32_t node);
static inline uint32_t mls_tree_leaf_to_node(uint32_t leaf) { return leaf * 2; }

MIMI_MUST_CHECK mimi_err mls_tree_width(uint32_t n_leaves, uint32_t *width);
MIMI_MUST_CHECK mimi_err mls_tree_root(uint32_t n_leaves, uint32_t *root);
MIMI_MUST_CHECK mimi_err mls_tree_left(uint32_t node, uint32_t n_leaves, uint32_t *out);
MIMI_MUST_CHECK mimi_err mls_tree_right(uint32_t node, uint32_t n_leaves, uint32_t *out);
MIMI_MUST_CHECK mimi_err mls_tree_parent(uint32_t node, uint32_t n_leaves, uint32_t *out);
MIMI_MUST_CHECK mimi_err mls_tree_sibling(uint32_t node, uint32_t n_leaves, uint32_t *out);
/* Empty for the root. */
MIMI_MUST_CHECK mimi_err mls_tree_direct_path(uint32_t node, uint32_t n_leaves,
                                              mls_node_path *out);
MIMI_MUST_CHECK mimi_err mls_tree_copath(uint32_t node, uint32_t n_leaves, mls_node_path *out);
/* Lowest node on both nodes' direct paths (a node counts as on its own). */
MIMI_MUST_CHECK mimi_err mls_tree_common_ancestor(uint32_t a, uint32_t b, uint32_t n_leaves,
                                                  uint32_t *out);

/* ------------------------------------------------------------------------ */
/* Labelled crypto helpers (§5.1.2, §5.1.3, §5.2, §8). Labels are byte
 * strings without the "MLS 1.0 " prefix, which is added here, except for
 * RefHash whose label is used as given. */

/* ExpandWithLabel(secret, label, context, out_len): secret is KDF.Nh bytes;
 * out_len is 1 .. min(65535, 255 * Nh) (INVALID_ARG for 0, TOO_LARGE above). */
MIMI_MUST_CHECK mimi_err mls_expand_with_label(uint16_t suite, const uint8_t *secret,
                                               size_t secret_len, const uint8_t *label,
                                               size_t label_len, const uint8_t *context,
                                               size_t context_len, uint8_t *out,
                                               size_t out_len);
/* DeriveSecret(secret, label) = ExpandWithLabel(secret, label, "", Nh). */
MIMI_MUST_CHECK mimi_err mls_derive_secret(uint16_t suite, const uint8_t *secret,
                                           size_t secret_len, const uint8_t *label,
                                           size_t label_len, uint8_t *out /* Nh */);
/* DeriveTreeSecret(secret, label, generation, out_len): the generation as a
 * big-endian uint32 context. */
MIMI_MUST_CHECK mimi_err mls_derive_tree_secret(uint16_t suite, const uint8_t *secret,
                                                size_t secret_len, const uint8_t *label,
                                                size_t label_len, uint32_t generation,
                                                uint8_t *out, size_t out_len);

/* SignWithLabel / VerifyWithLabel over SignContent {label, content}.
 * Verify returns BAD_SIGNATURE for a wrong signature. */
MIMI_MUST_CHECK mimi_err mls_sign_with_label(uint16_t suite, const uint8_t *priv,
                                             size_t priv_len, const uint8_t *label,
                                             size_t label_len, const uint8_t *content,
                                             size_t content_len, mimi_bytes *signature);
MIMI_MUST_CHECK mimi_err mls_verify_with_label(uint16_t suite, const uint8_t *pub,
                                               size_t pub_len, const uint8_t *label,
                                               size_t label_len, const uint8_t *content,
                                               size_t content_len, const uint8_t *signature,
                                               size_t signature_len);

/* EncryptWithLabel / DecryptWithLabel: HPKE base mode with EncryptContext
 * {label, context} as info and empty aad. Decrypt returns AEAD_OPEN for a
 * ciphertext that does not authenticate. */
MIMI_MUST_CHECK mimi_err mls_encrypt_with_label(uint16_t suite, const uint8_t *pub,
                                                size_t pub_len, const uint8_t *label,
                                                size_t label_len, const uint8_t *context,
                                                size_t context_len, const uint8_t *plaintext,
                                                size_t plaintext_len, const mimi_rng *rng,
                                                mimi_bytes *kem_output, mimi_bytes *ciphertext);
MIMI_MUST_CHECK mimi_err mls_decrypt_with_label(uint16_t suite, const uint8_t *priv,
                                                size_t priv_len, const uint8_t *label,
                                                size_t label_len, const uint8_t *context,
                                                size_t context_len, const uint8_t *kem_output,
                                                size_t kem_output_len, const uint8_t *ciphertext,
                                                size_t ciphertext_len, mimi_bytes *plaintext);

/* RefHash(label, value) = Hash(RefHashInput {label, value}); label as given. */
MIMI_MUST_CHECK mimi_err mls_ref_hash(uint16_t suite, const uint8_t *label, size_t label_len,
                                      const uint8_t *value, size_t value_len,
                                      uint8_t *out /* Nh */);
/* §5.2: over the encoded KeyPackage / AuthenticatedContent. */
MIMI_MUST_CHECK mimi_err mls_make_key_package_ref(uint16_t suite, const uint8_t *key_package,
                                                  size_t len, uint8_t *out /* Nh */);
MIMI_MUST_CHECK mimi_err mls_make_proposal_ref(uint16_t suite,
                                               const uint8_t *authenticated_content, size_t len,
                                               uint8_t *out /* Nh */);

/* ------------------------------------------------------------------------ */
/* Key schedule (§8). One epoch step turns the previous init_secret, the
 * commit_secret, the psk_secret and the new GroupContext (encoded) into the
 * epoch's secrets. commit_secret and psk_secret may be NULL/0 for "0" (Nh
 * zero bytes); otherwise every secret is KDF.Nh bytes (BAD_LENGTH). The
 * intermediate member and epoch secrets are wiped before returning. */

typedef struct {
  uint16_t suite;
  size_t hash_len; /* Nh: the length of every field below */
  uint8_t joiner_secret[MIMI_MAX_HASH];
  uint8_t welcome_secret[MIMI_MAX_HASH];
  uint8_t sender_data_secret[MIMI_MAX_HASH];
  uint8_t encryption_secret[MIMI_MAX_HASH];
  uint8_t exporter_secret[MIMI_MAX_HASH];
  uint8_t external_secret[MIMI_MAX_HASH];
  uint8_t confirmation_key[MIMI_MAX_HASH];
  uint8_t membership_key[MIMI_MAX_HASH];
  uint8_t resumption_psk[MIMI_MAX_HASH];
  uint8_t epoch_authenticator[MIMI_MAX_HASH];
  uint8_t init_secret[MIMI_MAX_HASH]; /* for the next epoch */
} mls_epoch_secrets;

/* joiner_secret = ExpandWithLabel(Extract(init_secret, commit_secret),
 * "joiner", GroupContext, Nh). */
MIMI_MUST_CHECK mimi_err mls_key_schedule_joiner(uint16_t suite, const uint8_t *init_secret,
                                                 size_t init_secret_len,
                                                 const uint8_t *commit_secret,
                                                 size_t commit_secret_len,
                                                 const uint8_t *group_context,
                                                 size_t group_context_len,
                                                 uint8_t *joiner_secret /* Nh */);
/* The rest of the schedule from a joiner_secret (as a new member from a
 * Welcome does); fills every field of *out. */
MIMI_MUST_CHECK mimi_err mls_key_schedule_from_joiner(mls_epoch_secrets *out, uint16_t suite,
                                                      const uint8_t *joiner_secret,
                                                      size_t joiner_secret_len,
                                                      const uint8_t *psk_secret,
                                                      size_t psk_secret_len,
                                                      const uint8_t *group_context,
                                                      size_t group_context_len);
/* The whole step: joiner then from_joiner. */
MIMI_MUST_CHECK mimi_err mls_key_schedule_epoch(mls_epoch_secrets *out, uint16_t suite,
                                                const uint8_t *init_secret, size_t init_secret_len,
                                                const uint8_t *commit_secret,
                                                size_t commit_secret_len,
                                                const uint8_t *psk_secret, size_t psk_secret_len,
                                                const uint8_t *group_context,
                                                size_t group_context_len);
/* Wipes every secret. */
void mls_epoch_secrets_clear(mls_epoch_secrets *s);
/* external_priv, external_pub = KEM.DeriveKeyPair(external_secret) (§8.3). */
MIMI_MUST_CHECK mimi_err mls_epoch_external_key_pair(const mls_epoch_secrets *s,
                                                     mimi_bytes *priv, mimi_bytes *pub);
/* External init (§8.3), joiner side: kem_output and init_secret (Nh) from
 * SetupBaseS(external_pub, "") and export("MLS 1.0 external init secret"). */
MIMI_MUST_CHECK mimi_err mls_external_init_join(uint16_t suite, const uint8_t *external_pub,
                                                size_t external_pub_len, const mimi_rng *rng,
                                                mimi_bytes *kem_output,
                                                uint8_t *init_secret /* Nh */);
/* Group side: the same init_secret from an ExternalInit's kem_output, with
 * the external private key of the epoch *s. */
MIMI_MUST_CHECK mimi_err mls_external_init_receive(const mls_epoch_secrets *s,
                                                   const uint8_t *kem_output,
                                                   size_t kem_output_len,
                                                   uint8_t *init_secret /* Nh */);
/* MLS-Exporter(label, context, out_len) (§8.5) =
 * ExpandWithLabel(DeriveSecret(exporter_secret, label), "exported",
 *                 Hash(context), out_len). */
MIMI_MUST_CHECK mimi_err mls_epoch_export(const mls_epoch_secrets *s, const uint8_t *label,
                                          size_t label_len, const uint8_t *context,
                                          size_t context_len, uint8_t *out, size_t out_len);

/* ------------------------------------------------------------------------ */
/* Pre-shared keys (§8.4). */

typedef struct {
  const mls_pre_shared_key_id *id;
  const uint8_t *psk; /* the PSK value itself, any length */
  size_t psk_len;
} mls_psk_entry;

/* psk_secret over psks[0..count): Nh zero bytes when count is 0; at most
 * 65535 entries (TOO_LARGE). */
MIMI_MUST_CHECK mimi_err mls_psk_secret(uint16_t suite, const mls_psk_entry *psks, size_t count,
                                        uint8_t *out /* Nh */);

/* ------------------------------------------------------------------------ */
/* Transcript hashes (§8.2) over encoded inputs. */

/* confirmed = Hash(interim_prev || ConfirmedTranscriptHashInput bytes);
 * interim_prev is empty in epoch 0 and Nh bytes after (BAD_LENGTH else). */
MIMI_MUST_CHECK mimi_err mls_confirmed_transcript_hash(uint16_t suite,
                                                       const uint8_t *interim_prev,
                                                       size_t interim_prev_len,
                                                       const uint8_t *input, size_t input_len,
                                                       uint8_t *out /* Nh */);
/* interim = Hash(confirmed || opaque confirmation_tag<V>); confirmed is Nh. */
MIMI_MUST_CHECK mimi_err mls_interim_transcript_hash(uint16_t suite, const uint8_t *confirmed,
                                                     size_t confirmed_len,
                                                     const uint8_t *confirmation_tag,
                                                     size_t confirmation_tag_len,
                                                     uint8_t *out /* Nh */);

/* ------------------------------------------------------------------------ */
/* Secret tree and sender ratchets (§9), sender data keys (§6.3.2). */

/* An AEAD key and nonce, single use. Wipe with mls_key_nonce_clear. */
typedef struct {
  uint32_t generation; /* 0 for sender data keys */
  size_t key_len, nonce_len;
  uint8_t key[MIMI_MAX_AEAD_KEY];
  uint8_t nonce[MIMI_MAX_AEAD_NONCE];
} mls_key_nonce;

void mls_key_nonce_clear(mls_key_nonce *k);
/* §6.3.1: XOR the 4-byte reuse_guard into the first four nonce bytes (the
 * same call undoes it). */
void mls_key_nonce_apply_reuse_guard(mls_key_nonce *k, const uint8_t reuse_guard[4]);

/* sender_data_key/nonce from sender_data_secret (Nh) and the content
 * ciphertext, sampled to its first Nh bytes (all of it if shorter). */
MIMI_MUST_CHECK mimi_err mls_sender_data_key_nonce(uint16_t suite,
                                                   const uint8_t *sender_data_secret,
                                                   size_t secret_len, const uint8_t *ciphertext,
                                                   size_t ciphertext_len, mls_key_nonce *out);

typedef enum {
  MLS_RATCHET_HANDSHAKE = 0,   /* proposals and commits */
  MLS_RATCHET_APPLICATION = 1, /* application data */
} mls_ratchet_type;

/* How far receivers tolerate reordering. A generation more than
 * max_forward past the next expected one is GENERATION_TOO_FAR; up to
 * max_retained skipped keys per ratchet are kept for late messages, the
 * oldest evicted first. Both may be 0 (strictly in-order delivery). */
typedef struct {
  uint32_t max_forward;
  uint32_t max_retained;
} mls_secret_tree_config;
#define MLS_SECRET_TREE_DEFAULT_MAX_FORWARD 1024u
#define MLS_SECRET_TREE_DEFAULT_MAX_RETAINED 64u

/* One epoch's secret tree; derives node and ratchet secrets on demand and
 * deletes each secret once what it protects has been derived (§9.2). */
typedef struct mls_secret_tree mls_secret_tree;

/* encryption_secret is Nh bytes; n_leaves is the ratchet tree's leaf count
 * (a power of two, INVALID_ARG otherwise); cfg NULL for the defaults. */
MIMI_MUST_CHECK mimi_err mls_secret_tree_new(mls_secret_tree **out, uint16_t suite,
                                             const uint8_t *encryption_secret, size_t secret_len,
                                             uint32_t n_leaves,
                                             const mls_secret_tree_config *cfg);
void mls_secret_tree_free(mls_secret_tree *st); /* wipes everything; NULL ok */

/* Sending: the key and nonce for this leaf's next generation, which is then
 * consumed. TOO_LARGE once all 2^32 generations are used. */
MIMI_MUST_CHECK mimi_err mls_secret_tree_next(mls_secret_tree *st, uint32_t leaf,
                                              mls_ratchet_type type, mls_key_nonce *out);
/* Receiving is two-phase, because §9.2 consumes a key only once it has
 * decrypted successfully and a forged message must not cost the genuine one
 * anything. A ticket records what using up one generation changes.
 *
 * Peek: the key and nonce for (leaf, type, generation) and a ticket, with
 * the tree untouched. Everything that can fail happens here (window checks,
 * derivations, allocations):
 *   INVALID_ARG          leaf outside the tree or bad type
 *   GENERATION_TOO_FAR   more than max_forward past the next expected one
 *   GENERATION_TOO_OLD   already consumed, or skipped and since evicted
 *   NOMEM / crypto errors
 * Nothing is written on error. */
typedef struct mls_secret_tree_ticket mls_secret_tree_ticket;
MIMI_MUST_CHECK mimi_err mls_secret_tree_peek(const mls_secret_tree *st, uint32_t leaf,
                                              mls_ratchet_type type, uint32_t generation,
                                              mls_key_nonce *out,
                                              mls_secret_tree_ticket **ticket);
/* Consume, once the message has fully verified: the generation is used up
 * (skipping ahead retains the skipped keys within the window, evicting the
 * oldest). It fails only when the ticket is not current: st is not the
 * tree it was peeked from, or the tree changed since (any next or consume on
 * it, for any leaf) — INVALID_ARG, the tree is unchanged and the caller
 * peeks again. The ticket is freed either way. */
MIMI_MUST_CHECK mimi_err mls_secret_tree_consume(mls_secret_tree *st,
                                                 mls_secret_tree_ticket *ticket);
/* Drops a ticket whose message was rejected, wiping it (NULL ok). */
void mls_secret_tree_discard(mls_secret_tree_ticket *ticket);

#ifdef __cplusplus
}
#endif
/* Framing (§6) has its own file but is part of this layer's API. */
#include "mimi/mls_framing.h"
/* The ratchet tree and TreeKEM (§7) likewise. */
#include "mimi/mls_tree.h"
/* The group state machine (§10-§12) likewise. */
#include "mimi/mls_group.h"
/* The hub's secret-free view of a group likewise. */
#include "mimi/mls_public_group.h"

#endif /* MIMI_MLS_H */
