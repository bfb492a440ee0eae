/*
 * mimi/mls_public_group.h — the hub's view of an MLS group (RFC 9420 §12
 * seen from the delivery service): the public state of each epoch (the
 * GroupContext, the ratchet tree, the transcript hashes) followed from the
 * handshake messages alone, without any group secret. Included by
 * mimi/mls.h.
 *
 * In MIMI the hub owns the room: it sees every proposal and commit as a
 * PublicMessage, orders the commits (one per epoch) and applies room
 * policy. Processing follows the member engine (mimi/mls_group.h) step for
 * step and shares its code for the proposal rules, their application and
 * the UpdatePath merge; what needs secrets is left out and cannot be
 * checked here:
 *   - the membership tag of members' PublicMessages (needs membership_key),
 *   - the confirmation tag of a commit (needs confirmation_key; only its
 *     length is checked, and it enters the interim transcript hash as sent),
 *   - the PSK values a commit references and the ExternalInit kem_output.
 * A commit that fails one of these reaches every member as an error, but
 * the hub would have moved on: a hub relying on this view should refuse to
 * move on until the committer has also uploaded a matching GroupInfo
 * (mls_public_group_set_group_info), which is signed by a member.
 *
 * Processing is transactional like the member engine's: a commit is staged
 * from a const public group (every check, the next epoch computed aside,
 * then the application's policy hook), then merged, which cannot fail.
 * PrivateMessage handshakes cannot be followed (BAD_WIRE_FORMAT): groups a
 * hub follows must send handshakes as PublicMessages.
 *
 * Errors: those of mls_group_stage_commit / mls_group_store_proposal for
 * the same input (WRONG_EPOCH for a stale or future epoch, WRONG_GROUP,
 * BAD_SENDER, BAD_SIGNATURE, BAD_PROPOSAL, BAD_COMMIT, tree / UpdatePath
 * errors), BAD_MAC for a confirmation tag that is not Nh bytes,
 * BAD_WIRE_FORMAT for anything but a PublicMessage, BAD_GROUP_STATE after
 * a committed ReInit, and whatever the policy hook returns.
 */
#ifndef MIMI_MLS_PUBLIC_GROUP_H
#define MIMI_MLS_PUBLIC_GROUP_H

#include "mimi/base.h"
#include "mimi/crypto.h"
#include "mimi/mls_messages.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mls_public_group mls_public_group;
typedef struct mls_public_staged_commit mls_public_staged_commit;
/* From mimi/mls_tree.h and mimi/mls_group.h (possibly mid-inclusion). */
typedef struct mls_rtree mls_rtree;
typedef struct mls_group mls_group;

/* What a staged commit does, for the application's policy. Views valid
 * while the staged commit lives. */
typedef struct {
  /* The committer's leaf in the current epoch, UINT32_MAX for an external
   * commit (a new member). */
  uint32_t committer;
  /* The committer's leaf in the new epoch (an external joiner's new leaf;
   * a member's own leaf otherwise). */
  uint32_t committer_leaf;
  /* The committer's leaf node in the new epoch (the UpdatePath's leaf when
   * there is a path). */
  const mls_leaf_node *committer_node;
  /* The applied proposals in commit order: proposers[i] is the sender's
   * leaf (UINT32_MAX for external senders and new members), by_value[i]
   * whether it was inline. */
  const mls_proposal *proposals;
  const uint32_t *proposers;
  const bool *by_value;
  size_t n_proposals;
  /* Leaves the Adds went to in the new epoch, in Add order. */
  const uint32_t *added;
  size_t n_added;
  bool has_path;
  const mls_group_context *next_context;
  const mls_rtree *next_tree;
} mls_public_commit_view;

/* The application's (MIMI room policy's) decision on each staged commit:
 * MIMI_OK accepts, any other code refuses it and is what staging returns. */
typedef struct {
  mimi_err (*check_commit)(void *ctx, const mls_public_group *pg,
                           const mls_public_commit_view *commit);
  void *ctx;
} mls_public_group_policy;

typedef struct {
  uint64_t now;                          /* KeyPackage lifetimes; 0 skips */
  const mls_public_group_policy *policy; /* NULL accepts every valid commit */
} mls_public_group_config;

/* The hub's first view of a group, from a GroupInfo: its tree (ratchet_tree
 * extension, or `tree` when it has none) validated as a joiner does
 * (§12.4.3.1, mls_rtree_validate against the GroupContext's tree hash),
 * its signature checked with the signer's leaf (BAD_SIGNATURE). The
 * GroupInfo is kept as the epoch's (mls_public_group_group_info). */
MIMI_MUST_CHECK mimi_err mls_public_group_from_group_info(mls_public_group **out,
                                                          const mls_group_info *gi,
                                                          const mls_ratchet_tree *tree,
                                                          const mls_public_group_config *cfg);
/* The public half of a member's current state (the group's creator handing
 * its epoch-0 room to the hub in the same process; mostly for tests). */
MIMI_MUST_CHECK mimi_err mls_public_group_from_member(mls_public_group **out,
                                                      const mls_group *g,
                                                      const mls_public_group_config *cfg);
void mls_public_group_free(mls_public_group *pg); /* NULL ok */

uint16_t mls_public_group_suite(const mls_public_group *pg);
uint64_t mls_public_group_epoch(const mls_public_group *pg);
const mls_group_context *mls_public_group_context(const mls_public_group *pg);
const mls_rtree *mls_public_group_tree(const mls_public_group *pg);
/* The roster: the leaf node of a member (credential, signature_key), NULL
 * for a blank or out-of-range leaf; leaves run to mls_rtree_leaf_count. */
const mls_leaf_node *mls_public_group_member(const mls_public_group *pg, uint32_t leaf);
/* The interim transcript hash (Nh) and the confirmation tag of the commit
 * that made this epoch: what a GroupInfo of this epoch carries. */
const uint8_t *mls_public_group_interim_hash(const mls_public_group *pg, size_t *len);
const mimi_bytes *mls_public_group_confirmation_tag(const mls_public_group *pg);
/* The ReInit a merged commit included, NULL otherwise (no commit follows). */
const mls_reinit *mls_public_group_reinit(const mls_public_group *pg);
/* The hub cannot sign a GroupInfo: this is the last one a member supplied
 * for the current epoch and the hub accepted, NULL if none yet. */
const mls_group_info *mls_public_group_group_info(const mls_public_group *pg);

/* Accepts a GroupInfo of the current epoch (from the committer): its
 * GroupContext and confirmation tag must be the hub's (BAD_WELCOME), a
 * ratchet_tree extension must be the hub's tree (BAD_WELCOME), and it must
 * be signed by the leaf it names (BAD_WELCOME for a blank leaf,
 * BAD_SIGNATURE). Replaces the previous one. */
MIMI_MUST_CHECK mimi_err mls_public_group_set_group_info(mls_public_group *pg,
                                                         const mls_group_info *gi);

/* A proposal (PublicMessage): group, epoch, sender (member leaf, external
 * sender of the external_senders extension, new member's own KeyPackage)
 * and signature checked, the membership tag not (see above); then the
 * member engine's standalone rules (mls_group_store_proposal) and cached by
 * ProposalRef for the commits of this epoch. */
MIMI_MUST_CHECK mimi_err mls_public_group_process_proposal(mls_public_group *pg,
                                                           const mls_message *msg);

/* A commit (PublicMessage) of the current epoch, staged: framing and
 * signature as for proposals, the proposal list resolved from the cache and
 * checked with the member engine's §12.2 rules, applied, the UpdatePath's
 * public keys merged (with the leaf's parent hash checked), the new tree
 * hash and GroupContext (epoch + 1, confirmed transcript hash from the
 * commit, interim hash from its confirmation tag) computed, then the
 * policy hook asked. External commits (ExternalInit) are handled like
 * members do. Nothing in pg changes. */
MIMI_MUST_CHECK mimi_err mls_public_group_stage_commit(const mls_public_group *pg,
                                                       const mls_message *msg,
                                                       mls_public_staged_commit **out);
const mls_public_commit_view *mls_public_staged_commit_view(const mls_public_staged_commit *sc);
/* Moves the new epoch into pg (proposal cache and GroupInfo dropped: they
 * belong to the old epoch) and frees sc. */
void mls_public_group_merge(mls_public_group *pg, mls_public_staged_commit *sc);
void mls_public_staged_commit_free(mls_public_staged_commit *sc); /* NULL ok */
/* Stage and merge in one step. */
MIMI_MUST_CHECK mimi_err mls_public_group_process_commit(mls_public_group *pg,
                                                         const mls_message *msg);

/* Persistence: a versioned blob (no secrets in it) of everything but the
 * config, which is passed again to deserialize. Deserialize rejects a
 * malformed blob with the decoder's error, another format number with
 * UNSUPPORTED, an unknown suite with UNSUPPORTED_SUITE, inconsistent
 * contents (tree hash not the context's, lengths) with INVALID_ARG or
 * BAD_LENGTH. */
MIMI_MUST_CHECK mimi_err mls_public_group_serialize(const mls_public_group *pg, mimi_bytes *out);
MIMI_MUST_CHECK mimi_err mls_public_group_deserialize(mls_public_group **out,
                                                      const uint8_t *data, size_t len,
                                                      const mls_public_group_config *cfg);

#ifdef __cplusplus
}
#endif
#endif /* MIMI_MLS_PUBLIC_GROUP_H */
