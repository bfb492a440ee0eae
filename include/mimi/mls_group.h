/*
 * mimi/mls_group.h — the MLS group state machine (RFC 9420 §10-§12):
 * KeyPackages, one member's view of a group epoch, proposals, commits,
 * Welcome and external joins, application messages and persistence.
 * Included by mimi/mls.h.
 *
 * An mls_group changes only through calls that take it non-const, and those
 * are transactional: on error the group is exactly as before. A received
 * Commit is first *staged* from a const group (every §12.4.2 check, the new
 * epoch computed aside) and then merged, which cannot fail. Our own Commit
 * stays pending until the caller knows the delivery service accepted it
 * (mls_group_merge_pending) or refused it (mls_group_discard_pending).
 *
 * Errors beyond those of the lower layers:
 *   BAD_KEY_PACKAGE  a KeyPackage breaks §10.1
 *   BAD_PROPOSAL     a proposal or proposal list breaks §12.1 / §12.2
 *   BAD_COMMIT       a Commit breaks §12.4.2 (other than the checks with
 *                    their own code: BAD_MAC for the confirmation tag,
 *                    tree / UpdatePath errors from mimi/mls_tree.h)
 *   BAD_WELCOME      a Welcome or GroupInfo breaks §12.4.3
 *   BAD_GROUP_STATE  the call does not fit the group's state (a commit is
 *                    already pending, none is, we were removed)
 *   WRONG_EPOCH      a handshake message of another epoch
 */
#ifndef MIMI_MLS_GROUP_H
#define MIMI_MLS_GROUP_H

#include "mimi/base.h"
#include "mimi/crypto.h"
#include "mimi/mls.h"
#include "mimi/mls_messages.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The ratchet tree (mimi/mls_tree.h), which may be included after this. */
typedef struct mls_rtree mls_rtree;

/* ------------------------------------------------------------------------ */
/* KeyPackages (§10). */

/* What a new KeyPackage says about its owner. Arrays may be NULL/0. */
typedef struct {
  const mls_credential *credential;
  const uint8_t *sig_priv; /* signature private key of the suite's scheme */
  size_t sig_priv_len;
  mls_lifetime lifetime;   /* not_after 0: {0, UINT64_MAX} */
  const mls_extension *extensions; /* KeyPackage extensions */
  size_t n_extensions;
  const mls_extension *leaf_extensions; /* LeafNode extensions */
  size_t n_leaf_extensions;
  /* Extra non-default types to list in the capabilities beyond the ones
   * this library implements (e.g. application extensions). */
  const uint16_t *extra_extensions;
  size_t n_extra_extensions;
} mls_key_package_options;

/* A KeyPackage with its private keys (wiped on free). */
typedef struct {
  mls_key_package key_package;
  mimi_bytes init_priv;       /* HPKE private key of key_package.init_key */
  mimi_bytes encryption_priv; /* of key_package.leaf_node.encryption_key */
} mls_key_package_bundle;

/* §10: fresh init and encryption key pairs from rng, capabilities listing
 * the suite, version 1.0, every proposal and extension type implemented
 * here, basic and x509 credentials; LeafNode and KeyPackage signed. */
MIMI_MUST_CHECK mimi_err mls_key_package_create(mls_key_package_bundle *out, uint16_t suite,
                                                const mls_key_package_options *opt,
                                                const mimi_rng *rng);
void mls_key_package_bundle_free(mls_key_package_bundle *b);

/* §10.1 checks of a received KeyPackage, BAD_KEY_PACKAGE unless: version
 * 1.0, cipher_suite == suite (any supported one when suite is 0), leaf
 * source key_package, now within the lifetime (skipped when now is 0),
 * init_key != encryption_key, credential type listed in the capabilities,
 * non-default leaf extensions listed; BAD_SIGNATURE for either signature. */
MIMI_MUST_CHECK mimi_err mls_key_package_validate(const mls_key_package *kp, uint16_t suite,
                                                  uint64_t now);
/* §5.2 KeyPackageRef (Nh bytes of kp's suite). */
MIMI_MUST_CHECK mimi_err mls_key_package_ref(const mls_key_package *kp, uint8_t *out);

/* ------------------------------------------------------------------------ */
/* Group configuration. */

/* External PSKs (§8.4) by id: NOT_FOUND when unknown (turned into BAD_PSK).
 * The view must stay valid while the call that asked runs. Resumption PSKs
 * of the group itself are answered from the group's own history. */
typedef struct {
  mimi_err (*get)(void *ctx, const mls_pre_shared_key_id *id, const uint8_t **psk,
                  size_t *psk_len);
  void *ctx;
} mls_psk_store;

/* ------------------------------------------------------------------------ */
/* Application components (extensions draft §"Updating Application Data in
 * the GroupContext", §"Attaching Application Data to a Commit"). */

/* Who is changing a component's data and in which epoch. */
typedef struct {
  uint16_t component_id;
  uint32_t sender;    /* proposer's leaf; UINT32_MAX: external sender / joiner */
  uint32_t committer; /* committer's leaf; UINT32_MAX: an external commit */
  const mls_group_context *context; /* the epoch the commit is sent in */
} mls_component_event;

/* The application logic of one component. A component without a handler
 * is unknown: its AppDataUpdate and AppEphemeral proposals are invalid
 * (BAD_PROPOSAL). The callbacks run when we create a commit and when we
 * stage one; any code they return other than MIMI_OK refuses the whole
 * commit and is returned as is (BAD_PROPOSAL, or the application's own
 * code), with no state change. When we commit, cached proposals the
 * handlers refuse on their own are left out (§12.4 asks for the valid
 * ones), so a callback may run more than once for one proposal: they must
 * have no side effects. */
typedef struct {
  uint16_t component_id;
  /* The component's new data from its current data (NULL when it has
   * none) and one `update` op, in commit order. NULL: the update's bytes
   * are the new data. */
  mimi_err (*apply)(void *ctx, const mls_component_event *ev, const mimi_bytes *current,
                    const mimi_bytes *update, mimi_bytes *new_data);
  /* Accepts or refuses one change: old NULL when the component had no
   * data, new NULL for a `remove` op. NULL accepts everything. */
  mimi_err (*validate)(void *ctx, const mls_component_event *ev, const mimi_bytes *old_data,
                       const mimi_bytes *new_data);
  /* Accepts or refuses one AppEphemeral payload. NULL accepts. */
  mimi_err (*ephemeral)(void *ctx, const mls_component_event *ev, const mimi_bytes *data);
  void *ctx;
} mls_component_handler;

/* A whole commit as the application sees it once its proposals are
 * applied (for rules across components or between membership and
 * application data, e.g. a room policy): the proposals in commit order
 * with their senders (a leaf, UINT32_MAX for external senders / new
 * members; inline ones are the committer's), the GroupContext the commit
 * is sent in and the next one (epoch, extensions and dictionary updated;
 * tree_hash and confirmed_transcript_hash not yet). */
typedef struct {
  const mls_group_context *old_context;
  const mls_group_context *new_context;
  const mls_proposal *proposals;
  const uint32_t *senders;
  size_t n;
  uint32_t committer; /* UINT32_MAX: an external commit */
} mls_commit_view;

/* Runs after the component handlers, when we create and when we stage a
 * commit; a code other than MIMI_OK refuses it (returned as is, no state
 * change). Must have no side effects: the commit may still fail later. */
typedef struct {
  mimi_err (*check)(void *ctx, const mls_commit_view *view);
  void *ctx;
} mls_commit_hook;

typedef struct {
  bool encrypt_handshake;      /* proposals/commits as PrivateMessage */
  uint32_t resumption_psk_epochs; /* how many past epochs' resumption PSKs to keep */
  size_t padding;              /* zero bytes added to PrivateMessages */
  mls_secret_tree_config secret_tree;
  const mls_psk_store *psks;   /* NULL: no external PSKs; not serialized */
  uint64_t now;                /* for KeyPackage lifetimes; 0 skips the check */
  /* Component handlers (a view that must outlive the group and its
   * staged commits; unique ids). Not serialized: see mls_group_set_components. */
  const mls_component_handler *components;
  size_t n_components;
  const mls_commit_hook *commit_hook; /* NULL: none; a view, not serialized */
} mls_group_config;

/* encrypt_handshake off, 8 resumption PSKs, no padding, default window. */
mls_group_config mls_group_config_default(void);

/* ------------------------------------------------------------------------ */
/* The group. */

typedef struct mls_group mls_group;
/* Also declared in mimi/mls_tree.h; repeated because that header can be
 * mid-inclusion when this one is reached through mimi/mls.h. */
typedef struct mls_rtree mls_rtree;

/* §11: a one-member group at epoch 0 whose only leaf is `own`'s leaf node
 * (the KeyPackage's own leaf, its encryption key and lifetime); sig_priv is
 * that leaf's signature private key. */
MIMI_MUST_CHECK mimi_err mls_group_create(mls_group **out, const uint8_t *group_id,
                                          size_t group_id_len, const mls_key_package_bundle *own,
                                          const uint8_t *sig_priv, size_t sig_priv_len,
                                          const mls_extension *extensions, size_t n_extensions,
                                          const mls_group_config *cfg, const mimi_rng *rng);
void mls_group_free(mls_group *g); /* wipes; NULL ok */

uint16_t mls_group_suite(const mls_group *g);
uint64_t mls_group_epoch(const mls_group *g);
const mimi_bytes *mls_group_id(const mls_group *g);
uint32_t mls_group_own_leaf(const mls_group *g);
const mls_group_context *mls_group_context_of(const mls_group *g);
const mls_rtree *mls_group_tree(const mls_group *g);
/* false once a merged Commit removed us: only free and serialize remain. */
bool mls_group_active(const mls_group *g);
/* The ReInit a merged Commit included (§12.4.2: the group must not be used
 * to send anymore; protect, propose and commit give BAD_GROUP_STATE), NULL
 * otherwise. Creating the successor group is the caller's. */
const mls_reinit *mls_group_reinit(const mls_group *g);
/* The leaf node of a member, NULL for a blank or out-of-range leaf (its
 * credential and signature_key are the roster entry). */
const mls_leaf_node *mls_group_member(const mls_group *g, uint32_t leaf);
/* epoch_authenticator (Nh bytes). */
const uint8_t *mls_group_epoch_authenticator(const mls_group *g, size_t *len);
/* MLS-Exporter (§8.5). */
MIMI_MUST_CHECK mimi_err mls_group_export(const mls_group *g, const uint8_t *label,
                                          size_t label_len, const uint8_t *context,
                                          size_t context_len, uint8_t *out, size_t out_len);
/* The resumption PSK of an epoch still held (NOT_FOUND otherwise). */
MIMI_MUST_CHECK mimi_err mls_group_resumption_psk(const mls_group *g, uint64_t epoch,
                                                  uint8_t *out /* Nh */);
/* §12.4.3 a signed GroupInfo of the current epoch, with the ratchet_tree
 * and/or external_pub extensions when asked. */
MIMI_MUST_CHECK mimi_err mls_group_group_info(const mls_group *g, bool with_tree,
                                              bool with_external_pub, mls_group_info *out);

/* ------------------------------------------------------------------------ */
/* Proposals (§12.1). Each builder returns an MLSMessage (PublicMessage, or
 * PrivateMessage with encrypt_handshake) and caches the proposal for our
 * own next commit, as §12.1 says a proposer's proposals are also its own. */

MIMI_MUST_CHECK mimi_err mls_group_propose_add(mls_group *g, const mls_key_package *kp,
                                               const mimi_rng *rng, mls_message *out);
/* A fresh encryption key for our leaf; the private key is kept until the
 * commit that includes it. */
MIMI_MUST_CHECK mimi_err mls_group_propose_update(mls_group *g, const mimi_rng *rng,
                                                  mls_message *out);
MIMI_MUST_CHECK mimi_err mls_group_propose_remove(mls_group *g, uint32_t leaf,
                                                  const mimi_rng *rng, mls_message *out);
MIMI_MUST_CHECK mimi_err mls_group_propose_self_remove(mls_group *g, const mimi_rng *rng,
                                                       mls_message *out);
/* External PSK with a fresh psk_nonce; the store must know the id. */
MIMI_MUST_CHECK mimi_err mls_group_propose_external_psk(mls_group *g, const uint8_t *psk_id,
                                                        size_t psk_id_len, const mimi_rng *rng,
                                                        mls_message *out);
MIMI_MUST_CHECK mimi_err mls_group_propose_group_context_extensions(
    mls_group *g, const mls_extension *extensions, size_t n, const mimi_rng *rng,
    mls_message *out);
MIMI_MUST_CHECK mimi_err mls_group_propose_reinit(mls_group *g, const mls_reinit *reinit,
                                                  const mimi_rng *rng, mls_message *out);
/* Any proposal as given (for what has no builder above). */
MIMI_MUST_CHECK mimi_err mls_group_propose(mls_group *g, const mls_proposal *p,
                                           const mimi_rng *rng, mls_message *out);

/* §12.1.8 a proposal from an external sender: entry `sender_index` of the
 * epoch's external_senders extension, signing with that entry's key, as a
 * PublicMessage of the epoch `ctx` (from a GroupInfo, say). Members accept
 * Add, Remove, PSK, ReInit and GroupContextExtensions this way. */
MIMI_MUST_CHECK mimi_err mls_external_propose(const mls_group_context *ctx, uint32_t sender_index,
                                              const mls_proposal *p, const uint8_t *sig_priv,
                                              size_t sig_priv_len, mls_message *out);

/* §12.2 rules of a proposal list for a commit by `committer` (a leaf for a
 * member commit, UINT32_MAX for an external commit). proposers[i] is the
 * sender of list[i] (a leaf index, or UINT32_MAX for external senders and
 * new members); by_value[i] says whether it is inline. BAD_PROPOSAL or
 * BAD_KEY_PACKAGE for the first rule broken. */
MIMI_MUST_CHECK mimi_err mls_group_check_proposals(const mls_group *g, uint32_t committer,
                                                   const mls_proposal *list,
                                                   const uint32_t *proposers,
                                                   const bool *by_value, size_t n);

/* ------------------------------------------------------------------------ */
/* Receiving (§6, §12). */

/* Framing: group and epoch (WRONG_GROUP / WRONG_EPOCH), wire format
 * (BAD_WIRE_FORMAT), membership tag, decryption, signature. For a
 * PrivateMessage the generation is used up once everything verified. */
MIMI_MUST_CHECK mimi_err mls_group_read(mls_group *g, const mls_message *msg,
                                        mls_authenticated_content *out);

/* A proposal from mls_group_read into the cache (by its ProposalRef).
 * BAD_PROPOSAL if it may not be sent alone (ExternalInit, or an Update
 * from a non-member) or it is already cached. */
MIMI_MUST_CHECK mimi_err mls_group_store_proposal(mls_group *g,
                                                  const mls_authenticated_content *ac);

/* Application data: unprotects a PrivateMessage (BAD_CONTENT_TYPE for other
 * content) and returns its data and sender leaf. */
MIMI_MUST_CHECK mimi_err mls_group_unprotect(mls_group *g, const mls_message *msg,
                                             mimi_bytes *data, uint32_t *sender);
MIMI_MUST_CHECK mimi_err mls_group_protect(mls_group *g, const uint8_t *data, size_t len,
                                           const uint8_t *aad, size_t aad_len,
                                           const mimi_rng *rng, mls_message *out);

/* A Commit ready to merge: the next epoch, computed and checked. */
typedef struct mls_staged_commit mls_staged_commit;
/* §12.4.2: ac comes from mls_group_read. BAD_GROUP_STATE if the commit is
 * our own (use the pending commit). */
MIMI_MUST_CHECK mimi_err mls_group_stage_commit(const mls_group *g,
                                                const mls_authenticated_content *ac,
                                                mls_staged_commit **out);
/* true when the staged commit removes us. */
bool mls_staged_commit_removes_self(const mls_staged_commit *sc);
/* Moves the new epoch into g and frees sc; any pending commit of ours is
 * dropped (it lost). */
void mls_group_merge(mls_group *g, mls_staged_commit *sc);
void mls_staged_commit_free(mls_staged_commit *sc); /* NULL ok */

/* ------------------------------------------------------------------------ */
/* Committing (§12.4). */

typedef struct {
  const mls_proposal *inline_proposals; /* sent by value */
  size_t n_inline;
  bool force_path;        /* an UpdatePath even when not required */
  bool welcome_with_tree; /* ratchet_tree extension in the Welcome's GroupInfo */
} mls_commit_options;

/* Commits every cached proposal (by reference) plus the inline ones. The
 * Commit message goes to the delivery service; `welcome` gets the Welcome
 * (welcome->secrets_count 0 when nobody was added; required even then:
 * INVALID_ARG for NULL). The group keeps the next epoch pending
 * (BAD_GROUP_STATE if one already is). */
MIMI_MUST_CHECK mimi_err mls_group_commit(mls_group *g, const mls_commit_options *opt,
                                          const mimi_rng *rng, mls_message *commit,
                                          mls_welcome *welcome);
bool mls_group_has_pending(const mls_group *g);
/* BAD_GROUP_STATE without a pending commit. */
MIMI_MUST_CHECK mimi_err mls_group_merge_pending(mls_group *g);
void mls_group_discard_pending(mls_group *g);

/* ------------------------------------------------------------------------ */
/* Joining (§12.4.3). */

/* Welcome join: `kp` is the KeyPackage (with private keys) the Welcome is
 * for, sig_priv its signature private key; tree is the ratchet tree when
 * the GroupInfo has no ratchet_tree extension (NULL otherwise). */
MIMI_MUST_CHECK mimi_err mls_group_join(mls_group **out, const mls_welcome *welcome,
                                        const mls_key_package_bundle *kp,
                                        const uint8_t *sig_priv, size_t sig_priv_len,
                                        const mls_ratchet_tree *tree,
                                        const mls_group_config *cfg);

/* The first half of a Welcome join, also for inspecting a Welcome: our
 * GroupSecrets (found by KeyPackageRef: BAD_WELCOME if absent) and the
 * decrypted GroupInfo, neither verified yet. */
MIMI_MUST_CHECK mimi_err mls_welcome_open(const mls_welcome *w, const mls_key_package_bundle *kp,
                                          const mls_psk_store *psks, mls_group_secrets *gs,
                                          mls_group_info *gi);
/* SignWithLabel(., "GroupInfoTBS", GroupInfoTBS) check with a given key. */
MIMI_MUST_CHECK mimi_err mls_group_info_verify(const mls_group_info *gi, const uint8_t *pub,
                                               size_t pub_len);

/* External join (§12.4.3.2) from a GroupInfo with external_pub (and the
 * tree, from its ratchet_tree extension or `tree`). leaf_kp supplies our
 * leaf (credential, capabilities, signature key); `resync_leaf` is our old
 * leaf to remove, or UINT32_MAX. Outputs the Commit to send and the group
 * as we see it after that Commit (no pending step: a rejected external
 * commit just means discarding the new group). */
MIMI_MUST_CHECK mimi_err mls_group_join_external(mls_group **out, const mls_group_info *gi,
                                                 const mls_ratchet_tree *tree,
                                                 const mls_key_package_bundle *leaf_kp,
                                                 const uint8_t *sig_priv, size_t sig_priv_len,
                                                 uint32_t resync_leaf,
                                                 const mls_group_config *cfg,
                                                 const mimi_rng *rng, mls_message *commit);

/* ------------------------------------------------------------------------ */
/* Extensions draft: application data, AppEphemeral, SafeAAD, successor
 * groups. BAD_APP_DATA: an app_data_dictionary whose component ids are not
 * strictly increasing, or a required component (app_components / safe_aad
 * of the GroupContext's dictionary) a member does not list in its leaf's
 * dictionary. BAD_SAFE_AAD: SafeAAD items not strictly increasing. */

/* Decodes an AppDataDictionary and checks its ids (BAD_APP_DATA). */
MIMI_MUST_CHECK mimi_err mls_app_data_dictionary_parse(const uint8_t *data, size_t len,
                                                       mls_app_data_dictionary *out);
/* An app_data_dictionary extension holding `entries` (ids checked). */
MIMI_MUST_CHECK mimi_err mls_app_data_dictionary_extension(const mls_component_data *entries,
                                                           size_t n, mls_extension *out);
/* A copy of a component's data in the app_data_dictionary of an extension
 * list (GroupContext, LeafNode, KeyPackage, GroupInfo): NOT_FOUND when the
 * dictionary or the entry is absent, BAD_APP_DATA when malformed. */
MIMI_MUST_CHECK mimi_err mls_app_data_get(const mls_extension *exts, size_t n,
                                          uint16_t component_id, mimi_bytes *out);
/* Same for the group's current GroupContext. */
MIMI_MUST_CHECK mimi_err mls_group_app_data(const mls_group *g, uint16_t component_id,
                                            mimi_bytes *out);
/* mls_group_group_info with the application's GroupInfo extensions first
 * (ext §AppData: an app_data_dictionary for joiners). INVALID_ARG for a
 * repeated type or one the call adds itself; BAD_APP_DATA for a malformed
 * dictionary. */
MIMI_MUST_CHECK mimi_err mls_group_group_info_with(const mls_group *g, bool with_tree,
                                                   bool with_external_pub,
                                                   const mls_extension *exts, size_t n,
                                                   mls_group_info *out);
/* Replaces the component handlers and the commit hook (e.g. after
 * deserialize); the views must outlive the group. INVALID_ARG for a
 * repeated component id. */
MIMI_MUST_CHECK mimi_err mls_group_set_components(mls_group *g,
                                                  const mls_component_handler *handlers,
                                                  size_t n, const mls_commit_hook *hook);
/* AppDataUpdate proposals (update op / remove op) and AppEphemeral. */
MIMI_MUST_CHECK mimi_err mls_group_propose_app_data_update(mls_group *g, uint16_t component_id,
                                                           const uint8_t *update, size_t len,
                                                           const mimi_rng *rng, mls_message *out);
MIMI_MUST_CHECK mimi_err mls_group_propose_app_data_remove(mls_group *g, uint16_t component_id,
                                                           const mimi_rng *rng, mls_message *out);
MIMI_MUST_CHECK mimi_err mls_group_propose_app_ephemeral(mls_group *g, uint16_t component_id,
                                                         const uint8_t *data, size_t len,
                                                         const mimi_rng *rng, mls_message *out);
/* The AppEphemeral proposals of a staged commit, in commit order (views
 * valid until the staged commit is merged or freed); count in *n. */
const mls_app_ephemeral *mls_staged_commit_app_ephemeral(const mls_staged_commit *sc, size_t *n);

/* §SafeAAD: encodes items (ids strictly increasing, else BAD_SAFE_AAD). */
MIMI_MUST_CHECK mimi_err mls_safe_aad_build(const mls_safe_aad_item *items, size_t n,
                                            mimi_bytes *out);
/* Decodes a SafeAAD: the decoder's error (TRUNCATED, TRAILING_DATA, ...)
 * for a malformed encoding, BAD_SAFE_AAD for unsorted or repeated ids. */
MIMI_MUST_CHECK mimi_err mls_safe_aad_parse(const uint8_t *data, size_t len, mls_safe_aad *out);
/* The item of a component in a parsed SafeAAD, NULL if absent. */
const mls_safe_aad_item *mls_safe_aad_find(const mls_safe_aad *aad, uint16_t component_id);
/* Whether the GroupContext's app_data_dictionary has the safe_aad
 * component: then every message's authenticated_data is a SafeAAD
 * (mls_group_protect refuses other AAD, mls_group_read refuses messages
 * without it, and our handshake messages carry the empty SafeAAD). */
bool mls_group_uses_safe_aad(const mls_group *g);
/* Application messages with SafeAAD items as authenticated_data. */
MIMI_MUST_CHECK mimi_err mls_group_protect_safe(mls_group *g, const uint8_t *data, size_t len,
                                                const mls_safe_aad_item *items, size_t n_items,
                                                const mimi_rng *rng, mls_message *out);
MIMI_MUST_CHECK mimi_err mls_group_unprotect_safe(mls_group *g, const mls_message *msg,
                                                  mimi_bytes *data, uint32_t *sender,
                                                  mls_safe_aad *aad);

/* §11.2 / §11.3 successor groups. The creator starts the new group at
 * epoch 0, commits Adds of `members` (fresh KeyPackages) plus a resumption
 * PSK (usage reinit or branch) of `old`'s current epoch, and merges: the
 * result is at epoch 1 and `welcome` is for the members.
 *   reinit: `old` must have merged a ReInit (BAD_GROUP_STATE otherwise);
 *           group_id, version, suite and extensions are the ReInit's
 *           (group_id / extensions arguments must be NULL/0), own's suite
 *           must be the ReInit's (BAD_KEY_PACKAGE).
 *   branch: same version and suite as `old`, a new group_id and extensions
 *           given here; every member must have a leaf in `old` with the
 *           same credential (BAD_KEY_PACKAGE). */
MIMI_MUST_CHECK mimi_err mls_group_create_successor(
    mls_group **out, const mls_group *old, uint8_t usage, const uint8_t *group_id,
    size_t group_id_len, const mls_extension *extensions, size_t n_extensions,
    const mls_key_package_bundle *own, const uint8_t *sig_priv, size_t sig_priv_len,
    const mls_key_package *members, size_t n_members, const mls_group_config *cfg,
    const mimi_rng *rng, mls_welcome *welcome);
/* Joins a successor of `old` from its Welcome: the Welcome must carry
 * exactly one resumption PSK with usage reinit or branch naming `old`'s
 * group and an epoch `old` holds; the new group is at epoch 1; reinit: its
 * GroupContext's group_id, version, suite and extensions are those of
 * old's ReInit; branch: same version and suite as old and every leaf's
 * credential is one of old's. BAD_WELCOME otherwise. */
MIMI_MUST_CHECK mimi_err mls_group_join_successor(mls_group **out, const mls_group *old,
                                                  const mls_welcome *welcome,
                                                  const mls_key_package_bundle *kp,
                                                  const uint8_t *sig_priv, size_t sig_priv_len,
                                                  const mls_ratchet_tree *tree,
                                                  const mls_group_config *cfg);

/* ext §SelfRemove: mls_group_join_external that also commits, by
 * reference, pending SelfRemove proposals of the GroupInfo's epoch (as
 * the members' PublicMessages). Each is checked as a member's proposal
 * except for its membership tag: BAD_PROPOSAL if it is not a SelfRemove
 * from a member, WRONG_GROUP / WRONG_EPOCH, BAD_SENDER for a blank leaf,
 * BAD_SIGNATURE; a leaf removed twice is BAD_PROPOSAL. */
MIMI_MUST_CHECK mimi_err mls_group_join_external_self_removes(
    mls_group **out, const mls_group_info *gi, const mls_ratchet_tree *tree,
    const mls_key_package_bundle *leaf_kp, const uint8_t *sig_priv, size_t sig_priv_len,
    uint32_t resync_leaf, const mls_message *self_removes, size_t n_self_removes,
    const mls_group_config *cfg, const mimi_rng *rng, mls_message *commit);

/* ------------------------------------------------------------------------ */
/* Persistence: a versioned binary blob holding every secret of the state
 * (wipe it after use) and the config, except the PSK store, which is
 * passed again to deserialize (NULL: none). A pending commit of ours is not
 * stored (as if discarded). Deserialize rejects a malformed blob with the
 * decoder's error, another format number with UNSUPPORTED, an unknown
 * suite with UNSUPPORTED_SUITE, inconsistent contents with BAD_LENGTH or
 * INVALID_ARG. */

MIMI_MUST_CHECK mimi_err mls_group_serialize(const mls_group *g, mimi_bytes *out);
MIMI_MUST_CHECK mimi_err mls_group_deserialize(mls_group **out, const uint8_t *data,
                                               size_t len, const mls_psk_store *psks);

#ifdef __cplusplus
}
#endif
#endif /* MIMI_MLS_GROUP_H */
