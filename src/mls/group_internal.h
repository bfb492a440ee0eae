/* group_internal.h — the mls_group struct and the helpers its sources
 * (group, proposals, commit, welcome, external join, persistence) share. */
#ifndef MIMI_MLS_GROUP_INTERNAL_H
#define MIMI_MLS_GROUP_INTERNAL_H

#include "mimi/mls.h"
#include "mls_internal.h"

#define GROUP_NO_LEAF UINT32_MAX

/* A proposal received (or sent) this epoch, by its ProposalRef. */
typedef struct {
  mls_proposal proposal;
  uint8_t ref[MIMI_MAX_HASH];
  uint32_t sender; /* leaf index, GROUP_NO_LEAF for external / new member */
} group_cached_proposal;

/* Our own Update proposals' private keys, until a commit takes one. */
typedef struct {
  uint8_t ref[MIMI_MAX_HASH];
  mimi_bytes encryption_priv;
} group_own_update;

typedef struct {
  uint64_t epoch;
  uint8_t secret[MIMI_MAX_HASH];
} group_resumption;

struct mls_group {
  const mimi_suite *suite;
  mls_group_config cfg;
  mls_psk_store psk_store; /* cfg.psks points here when set */
  bool active;
  mls_reinit *reinit; /* set once a ReInit was committed: sending stops */
  mls_group_context ctx;
  mls_rtree *tree;
  mls_treekem_private *priv;
  mls_epoch_secrets secrets;
  mls_secret_tree *st;
  uint8_t interim[MIMI_MAX_HASH];
  mimi_bytes confirmation_tag; /* of the commit that made this epoch */
  uint32_t own_leaf;
  mimi_bytes sig_priv;
  group_cached_proposal *props;
  size_t n_props;
  group_own_update *own_updates;
  size_t n_own_updates;
  group_resumption *res; /* newest first */
  size_t n_res;
  struct mls_staged_commit *pending;
  /* A successor group at epoch 0 (§11.2, §11.3): the resumption PSK of the
   * old group its first commit may use, and its value. */
  mls_pre_shared_key_id *successor_id;
  uint8_t successor_psk[MIMI_MAX_HASH];
  size_t successor_psk_len;
};

struct mls_staged_commit {
  mls_group *next;
  bool removed;
  mls_app_ephemeral *ephemeral; /* the commit's AppEphemeral proposals */
  size_t n_ephemeral;
};

/* An empty group struct with g's settings (suite, config, own signature
 * key copied), for building a successor state. */
MIMI_MUST_CHECK mimi_err group_alloc(mls_group **out, const mimi_suite *s,
                                     const mls_group_config *cfg, const uint8_t *sig_priv,
                                     size_t sig_priv_len);
/* Frees everything a group holds except the struct itself, wiping. */
void group_clear(mls_group *g);

/* Active and not frozen by a committed ReInit (§12.4.2). */
bool group_can_send(const mls_group *g);

/* The framing view of g's current epoch. */
mls_framing_epoch group_framing(const mls_group *g);
/* Looks up senders' signature keys in g (members, external senders, new
 * members from the content). */
mls_signer_lookup group_signer(const mls_group *g);

/* interim = Hash(confirmed || confirmation_tag<V>) for any confirmed length
 * (empty when a group is created, §11). */
MIMI_MUST_CHECK mimi_err group_interim(const mimi_suite *s, const uint8_t *confirmed,
                                       size_t confirmed_len, const mimi_bytes *tag,
                                       uint8_t *out);

/* Installs a freshly scheduled epoch into g: secret tree for the tree's
 * width, resumption PSK remembered (on top of `history`, the previous
 * state's list). */
MIMI_MUST_CHECK mimi_err group_enter_epoch(mls_group *g, const group_resumption *history,
                                           size_t n_history);

/* The value of a PSK the group can use: external ones from the store,
 * resumption ones of this group from its history. BAD_PSK otherwise. */
MIMI_MUST_CHECK mimi_err group_psk_value(const mls_group *g, const mls_pre_shared_key_id *id,
                                         const uint8_t **psk, size_t *psk_len);
/* psk_secret over ids (Nh zeros for none). */
MIMI_MUST_CHECK mimi_err group_psk_secret(const mls_group *g,
                                          const mls_pre_shared_key_id *const *ids, size_t n,
                                          uint8_t *out);

/* Signs `content` of g's epoch and wraps it as an MLSMessage per the
 * config (commits need their confirmation_tag in ac already). */
MIMI_MUST_CHECK mimi_err group_wrap(mls_group *g, const mls_authenticated_content *ac,
                                    const mimi_rng *rng, mls_message *out);
/* A FramedContent from our leaf in g's epoch. */
MIMI_MUST_CHECK mimi_err group_framed(const mls_group *g, mls_framed_content *fc);

/* Whether v is in the list (capabilities, required capabilities). */
static inline bool group_u16_in(const uint16_t *l, size_t n, uint16_t v) {
  for (size_t i = 0; i < n; i++)
    if (l[i] == v) return true;
  return false;
}
/* §7.2 default types, implied by every member and never listed. */
static inline bool group_default_extension(uint16_t t) {
  return t >= MLS_EXT_APPLICATION_ID && t <= MLS_EXT_EXTERNAL_SENDERS;
}
static inline bool group_default_proposal(uint16_t t) {
  return t >= MLS_PROPOSAL_ADD && t <= MLS_PROPOSAL_GROUP_CONTEXT_EXTENSIONS;
}

/* The to-be-signed encoding of a struct whose last field is its signature
 * (KeyPackageTBS, GroupInfoTBS): the struct's encoding without that field. */
MIMI_MUST_CHECK mimi_err group_tbs_encode(const mimi_type *t, const void *value,
                                          const mimi_bytes *signature, mimi_bytes *out);

/* The proposal cache lookup by ref; NULL if absent. */
const group_cached_proposal *group_find_proposal(const mls_group *g, const uint8_t *ref,
                                                 size_t ref_len);
/* Appends to the cache (takes a copy). */
MIMI_MUST_CHECK mimi_err group_cache_proposal(mls_group *g, const mls_proposal *p,
                                              const uint8_t *ref, uint32_t sender);

/* The leaf node capabilities every KeyPackage here advertises. */
MIMI_MUST_CHECK mimi_err group_default_capabilities(uint16_t suite, const uint16_t *extra,
                                                    size_t n_extra, mls_capabilities *out);
/* Whether the group (its required_capabilities extension) admits `leaf`. */
MIMI_MUST_CHECK mimi_err group_check_required(const mls_extension *exts, size_t n,
                                              const mls_capabilities *caps);
/* The extension of a type in a list, NULL if absent. */
const mls_extension *group_find_extension(const mls_extension *exts, size_t n, uint16_t type);

/* ---- extensions draft (app_data.c, safe_aad.c) ---- */
/* An extension list's app_data_dictionary, if any, is well formed
 * (BAD_APP_DATA). */
MIMI_MUST_CHECK mimi_err group_check_dictionary(const mls_extension *exts, size_t n);
/* AppDataUpdate / AppEphemeral list[i]: known component, one remove or
 * only updates per component (BAD_PROPOSAL). */
MIMI_MUST_CHECK mimi_err group_check_app_proposal(const mls_group *g, const mls_proposal *list,
                                                  size_t n, size_t i);
/* A GroupContextExtensions proposal's dictionary is well formed and, with
 * AppDataUpdate required, unchanged (BAD_PROPOSAL). */
MIMI_MUST_CHECK mimi_err group_check_gce_dictionary(const mls_group *g,
                                                    const mls_group_context_extensions *gce);
/* Every leaf of tree (and `extra`, when given) lists the components the
 * GroupContext requires (BAD_APP_DATA). */
MIMI_MUST_CHECK mimi_err group_check_required_components(const mls_group_context *ctx,
                                                         const mls_rtree *tree,
                                                         const mls_leaf_node *extra);
/* The authenticated_data our handshake messages carry (the empty SafeAAD
 * when the group uses SafeAAD), and the check of a received one. */
MIMI_MUST_CHECK mimi_err group_default_aad(const mls_group *g, mimi_bytes *out);
MIMI_MUST_CHECK mimi_err group_context_default_aad(const mls_group_context *ctx, mimi_bytes *out);
/* The safe_aad component is in ctx's app_data_dictionary. */
bool group_context_uses_safe_aad(const mls_group_context *ctx);
MIMI_MUST_CHECK mimi_err group_check_aad(const mls_group *g, const mimi_bytes *aad);

/* The next epoch of a commit, computed the same way by committer and
 * receivers: see commit.c. */
typedef struct {
  uint32_t committer; /* GROUP_NO_LEAF for an external commit */
  const mls_proposal *props;
  const uint32_t *proposers;
  const bool *by_value;
  size_t n;
} group_proposal_list;

/* AppEphemeral then AppDataUpdate proposals through the handlers, into
 * next's GroupContext. */
MIMI_MUST_CHECK mimi_err group_apply_app_proposals(const mls_group *g, mls_group *next,
                                                   const group_proposal_list *list);

/* Whether a cached AppDataUpdate / AppEphemeral proposal from `sender`
 * passes the handlers on its own (other proposals: true). A committer
 * leaves out those that do not (§12.4: only valid proposals are due). */
bool group_app_proposal_acceptable(const mls_group *g, const mls_proposal *p, uint32_t sender,
                                   uint32_t committer);
/* The application's commit hook, if any, on the applied list. */
MIMI_MUST_CHECK mimi_err group_run_commit_hook(const mls_group *g, const mls_group *next,
                                               const group_proposal_list *list);

/* Applies a validated list to next (tree, extensions): adds' new leaf
 * indices go to added[] (n_added of them, up to list->n), and whether our
 * own leaf was removed. */
MIMI_MUST_CHECK mimi_err group_apply_proposals(const mls_group *g, mls_group *next,
                                               const group_proposal_list *list,
                                               uint32_t *added, size_t *n_added,
                                               bool *self_removed);
/* Whether the list needs an UpdatePath (§12.4). */
bool group_path_required(const group_proposal_list *list);

/* The key schedule and transcript of a new epoch: next has its tree and
 * extensions; this sets ctx (epoch, tree hash, confirmed transcript hash),
 * secrets, the secret tree and the interim hash. ac is the signed commit:
 * with tag_out its confirmation tag is computed and returned (committer),
 * otherwise ac's tag is checked (BAD_MAC). */
MIMI_MUST_CHECK mimi_err group_finish_epoch(const mls_group *g, mls_group *next,
                                            const group_proposal_list *list,
                                            const uint8_t *init_secret,
                                            const uint8_t *commit_secret,
                                            const mls_authenticated_content *ac,
                                            mimi_bytes *tag_out);
/* A successor state of g for the next epoch: tree, private keys, context
 * (epoch + 1) copied; everything else empty. */
MIMI_MUST_CHECK mimi_err group_next_alloc(const mls_group *g, mls_group **out);
/* The PSK ids of a proposal list (views). */
MIMI_MUST_CHECK mimi_err group_list_psks(const group_proposal_list *list,
                                         const mls_pre_shared_key_id ***ids, size_t *n);

/* §12.4.3 the Welcome for the members added by a commit (welcome.c). */
MIMI_MUST_CHECK mimi_err group_make_welcome(const mls_group *next,
                                            const group_proposal_list *list,
                                            const uint32_t *added, size_t n_added,
                                            bool path, bool with_tree, const mimi_rng *rng,
                                            mls_welcome *out);
/* §12.4.3 a signed GroupInfo of g's epoch (group_info.c). */
MIMI_MUST_CHECK mimi_err group_sign_group_info(const mls_group *g, bool with_tree,
                                               bool with_external_pub, mls_group_info *out);
MIMI_MUST_CHECK mimi_err group_info_verify_key(const mls_group_info *gi, const uint8_t *pub,
                                               size_t pub_len);
/* Verifies gi's signature with the signer's key in tree. */
MIMI_MUST_CHECK mimi_err group_verify_group_info(const mls_group_info *gi, const mls_rtree *tree);

/* The tree of a received GroupInfo (its ratchet_tree extension, else
 * `given`), validated against its GroupContext (§12.4.3.1), and the
 * GroupInfo's signature checked with the signer's leaf. */
MIMI_MUST_CHECK mimi_err group_load_group_info(const mls_group_info *gi,
                                               const mls_ratchet_tree *given, mls_rtree **out);


/* ---- shared with the hub's public group (public_group*.c) ---------------
 * The hub keeps its view of a group in an mls_group shell with no secrets,
 * no private keys and own_leaf GROUP_NO_LEAF, so that the proposal rules
 * (mls_group_check_proposals), their application (group_apply_proposals),
 * the proposal cache and the sender lookup are the member engine's own. */

/* A PublicMessage of g's epoch with every §6.2 check but the membership
 * tag (mls_public_message_unprotect_nonmember). */
MIMI_MUST_CHECK mimi_err group_read_public_nonmember(const mls_group *g,
                                                     const mls_public_message *in,
                                                     mls_authenticated_content *out);
/* The proposal list of a received Commit: by-reference proposals from g's
 * cache (BAD_PROPOSAL if absent, or any reference in an external commit).
 * The arrays are owned by *out (group_proposal_list_free); the proposals
 * are views into g's cache and c. */
MIMI_MUST_CHECK mimi_err group_resolve_commit(const mls_group *g, const mls_commit *c,
                                              uint32_t committer, group_proposal_list *out);
void group_proposal_list_free(group_proposal_list *l);
/* §12.4.3.2 receiving side: the external joiner's leaf index in next,
 * holding a stand-in leaf that the UpdatePath then replaces. */
MIMI_MUST_CHECK mimi_err group_add_external_committer(mls_group *next,
                                                      const mls_update_path *path,
                                                      uint32_t *committer);
/* The epoch a GroupInfo describes, into an empty g: tree (ratchet_tree
 * extension or `tree`, validated), signature, context, interim hash. */
MIMI_MUST_CHECK mimi_err group_load_epoch_from_info(mls_group *g, const mls_group_info *gi,
                                                    const mls_ratchet_tree *tree);

#endif /* MIMI_MLS_GROUP_INTERNAL_H */
