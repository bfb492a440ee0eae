/* test_public_group_errors.c — the hub's public group refusing bad input
 * with the exact code and no state change (its serialization compared
 * before and after): forged signatures, stale epochs, unknown senders,
 * invalid proposal lists, missing or bad UpdatePaths, confirmation tags
 * of the wrong size, PrivateMessages, another group, the policy hook's
 * refusal, bad proposals, bad GroupInfos, a frozen group after ReInit, and
 * malformed stored states. Bad commits are built by re-signing a genuine
 * commit's altered content with the committer's key; their membership tag
 * is junk, which the hub cannot check anyway. Expected codes: the API
 * contract in mimi/mls_public_group.h and the rules of RFC 9420 §6, §12. */
#include <stdlib.h>

#include "mls_test_util.h"

#define N 3

static uint16_t suite;
static mt_member m[N + 1]; /* m[N] stays outside */
static mls_public_group *hub;
static mimi_test_prng prng;
static mimi_rng rng;
static bool refuse_removes;

static mimi_err policy_check(void *ctx, const mls_public_group *pg,
                             const mls_public_commit_view *v) {
  (void)ctx;
  (void)pg;
  for (size_t i = 0; i < v->n_proposals; i++)
    if (refuse_removes && v->proposals[i].proposal_type == MLS_PROPOSAL_REMOVE)
      return MIMI_ERR_UNSUPPORTED;
  return MIMI_OK;
}
static const mls_public_group_policy policy = {policy_check, NULL};

static mimi_bytes snapshot(void) {
  mimi_bytes b;
  CHECK_OK(mls_public_group_serialize(hub, &b));
  return b;
}

static void unchanged(mimi_bytes *before) {
  mimi_bytes now = snapshot();
  CHECK_BYTES(*before, now);
  mimi_bytes_free(&now);
  mimi_bytes_free(before);
}

#define CHECK_COMMIT_ERR(msg, code)                                            \
  do {                                                                         \
    mimi_bytes before_ = snapshot();                                           \
    mls_public_staged_commit *sc_ = NULL;                                      \
    CHECK_ERR(mls_public_group_stage_commit(hub, (msg), &sc_), code);          \
    CHECK(sc_ == NULL);                                                        \
    CHECK_ERR(mls_public_group_process_commit(hub, (msg)), code);              \
    unchanged(&before_);                                                       \
  } while (0)

#define CHECK_PROPOSAL_ERR(msg, code)                                          \
  do {                                                                         \
    mimi_bytes before_ = snapshot();                                           \
    CHECK_ERR(mls_public_group_process_proposal(hub, (msg)), code);            \
    unchanged(&before_);                                                       \
  } while (0)

/* The hub and every member but `committer` follow a genuine commit. */
static void deliver(int committer, const mls_message *cm) {
  CHECK_OK(mls_public_group_process_commit(hub, cm));
  mt_deliver(m, N, (size_t)committer, cm);
}

static void setup(void) {
  rng = mimi_test_rng_prng(&prng, 0xe77 + suite);
  for (int i = 0; i <= N; i++) {
    char name[16];
    snprintf(name, sizeof name, "m%d", i);
    mt_member_key_package(&m[i], suite, &rng, name, NULL, 0);
  }
  static const uint8_t gid[] = "hub-errors";
  mls_group_config cfg = mls_group_config_default();
  CHECK_OK(mls_group_create(&m[0].g, gid, sizeof gid - 1, &m[0].kp, m[0].sig_priv.data,
                            m[0].sig_priv.len, NULL, 0, &cfg, &rng));
  mls_public_group_config hc = {0, &policy};
  CHECK_OK(mls_public_group_from_member(&hub, m[0].g, &hc));
  mls_proposal adds[N - 1];
  for (int i = 1; i < N; i++) {
    adds[i - 1].proposal_type = MLS_PROPOSAL_ADD;
    adds[i - 1].add.key_package = m[i].kp.key_package;
  }
  mls_commit_options opt = {adds, N - 1, false, true};
  mls_message cm;
  mls_welcome w;
  CHECK_OK(mls_group_commit(m[0].g, &opt, &rng, &cm, &w));
  CHECK_OK(mls_public_group_process_commit(hub, &cm));
  CHECK_OK(mls_group_merge_pending(m[0].g));
  for (int i = 1; i < N; i++)
    CHECK_OK(mls_group_join(&m[i].g, &w, &m[i].kp, m[i].sig_priv.data, m[i].sig_priv.len, NULL,
                            &cfg));
  mls_message_free(&cm);
  mls_welcome_free(&w);
}

static void teardown(void) {
  for (int i = 0; i <= N; i++) mt_member_free(&m[i]);
  mls_public_group_free(hub);
  hub = NULL;
}

/* A PublicMessage of `fc` signed by `signer` in the hub's epoch (or with
 * the given context), with confirmation tag `tag` for commits. */
static mls_message sign_as(const mt_member *signer, const mls_framed_content *fc,
                           const mimi_bytes *tag, const mls_group_context *ctx) {
  static const uint8_t junk_key[MIMI_MAX_HASH] = {1};
  mls_framing_epoch ep = {suite, ctx != NULL ? ctx : mls_public_group_context(hub), junk_key,
                          NULL, NULL};
  mls_authenticated_content ac;
  mls_message out;
  memset(&out, 0, sizeof out);
  out.version = MLS_VERSION_MLS10;
  out.body.wire_format = MLS_WIRE_PUBLIC_MESSAGE;
  CHECK_OK(mls_authenticated_content_sign(&ep, MLS_WIRE_PUBLIC_MESSAGE, fc, signer->sig_priv.data,
                                          signer->sig_priv.len, &ac));
  if (tag != NULL) {
    mimi_bytes_free(&ac.confirmation_tag);
    CHECK_OK(mimi_bytes_dup(&ac.confirmation_tag, tag));
  }
  CHECK_OK(mls_public_message_protect(&ep, &ac, &out.body.public_message));
  mls_authenticated_content_free(&ac);
  return out;
}

/* A genuine commit by member 0 (with a path) that the hub has not seen. */
static void genuine_commit(const mls_proposal *inl, size_t n, mls_message *cm) {
  mls_commit_options opt = {inl, n, true, false};
  mls_welcome w;
  CHECK_OK(mls_group_commit(m[0].g, &opt, &rng, cm, &w));
  mls_welcome_free(&w);
}

static void commit_errors(void) {
  mls_message cm;
  genuine_commit(NULL, 0, &cm);
  const mls_public_message *pm = &cm.body.public_message;
  const mimi_bytes *tag = &pm->confirmation_tag;

  /* forged signature */
  mls_message bad;
  CHECK_OK(mimi_clone(mls_message_type(), &bad, &cm));
  bad.body.public_message.signature.data[3] ^= 1;
  CHECK_COMMIT_ERR(&bad, MIMI_ERR_BAD_SIGNATURE);
  mls_message_free(&bad);

  /* the content re-signed with changes */
  mls_framed_content fc;
  CHECK_OK(mimi_clone(mls_framed_content_type(), &fc, &pm->content));
  mls_update_path *path = fc.body.commit.path;

  fc.sender.leaf_index = 3; /* a blank leaf */
  bad = sign_as(&m[0], &fc, tag, NULL);
  CHECK_COMMIT_ERR(&bad, MIMI_ERR_BAD_SENDER);
  mls_message_free(&bad);
  fc.sender.leaf_index = 40; /* outside the tree */
  bad = sign_as(&m[0], &fc, tag, NULL);
  CHECK_COMMIT_ERR(&bad, MIMI_ERR_BAD_SENDER);
  mls_message_free(&bad);
  fc.sender.leaf_index = 0;
  bad = sign_as(&m[1], &fc, tag, NULL); /* signed by another member's key */
  CHECK_COMMIT_ERR(&bad, MIMI_ERR_BAD_SIGNATURE);
  mls_message_free(&bad);

  mimi_bytes short_tag = {tag->data, tag->len - 1};
  bad = sign_as(&m[0], &fc, &short_tag, NULL);
  CHECK_COMMIT_ERR(&bad, MIMI_ERR_BAD_MAC);
  mls_message_free(&bad);

  /* UpdatePath: a node key changed breaks the leaf's parent hash; a node
   * missing does not fit the committer's filtered direct path */
  CHECK(path != NULL && path->nodes_count == 2);
  path->nodes[0].encryption_key.data[5] ^= 1;
  bad = sign_as(&m[0], &fc, tag, NULL);
  CHECK_COMMIT_ERR(&bad, MIMI_ERR_BAD_PARENT_HASH);
  mls_message_free(&bad);
  path->nodes[0].encryption_key.data[5] ^= 1;
  path->nodes_count = 1;
  bad = sign_as(&m[0], &fc, tag, NULL);
  CHECK_COMMIT_ERR(&bad, MIMI_ERR_BAD_UPDATE_PATH);
  mls_message_free(&bad);
  path->nodes_count = 2;
  /* the leaf's encryption key taken from another member */
  mimi_bytes saved = path->leaf_node.encryption_key;
  path->leaf_node.encryption_key = mls_public_group_member(hub, 1)->encryption_key;
  bad = sign_as(&m[0], &fc, tag, NULL);
  CHECK_COMMIT_ERR(&bad, MIMI_ERR_DUPLICATE_KEY);
  path->leaf_node.encryption_key = saved;
  mls_message_free(&bad);

  /* proposal lists */
  mls_proposal_or_ref pors[2];
  memset(pors, 0, sizeof pors);
  fc.body.commit.proposals = pors;
  fc.body.commit.proposals_count = 1;
  pors[0].type = MLS_PROPOSAL_OR_REF_PROPOSAL;
  pors[0].proposal.proposal_type = MLS_PROPOSAL_REMOVE;
  pors[0].proposal.remove.removed = 0; /* the committer itself */
  bad = sign_as(&m[0], &fc, tag, NULL);
  CHECK_COMMIT_ERR(&bad, MIMI_ERR_BAD_PROPOSAL);
  mls_message_free(&bad);
  pors[0].proposal.remove.removed = 2;
  pors[1] = pors[0]; /* the same leaf removed twice */
  fc.body.commit.proposals_count = 2;
  bad = sign_as(&m[0], &fc, tag, NULL);
  CHECK_COMMIT_ERR(&bad, MIMI_ERR_BAD_PROPOSAL);
  mls_message_free(&bad);
  pors[1].proposal.proposal_type = MLS_PROPOSAL_ADD; /* a member added again */
  pors[1].proposal.add.key_package = m[1].kp.key_package;
  bad = sign_as(&m[0], &fc, tag, NULL);
  CHECK_COMMIT_ERR(&bad, MIMI_ERR_BAD_PROPOSAL);
  mls_message_free(&bad);
  uint8_t ref[MIMI_MAX_HASH] = {7};
  pors[1].type = MLS_PROPOSAL_OR_REF_REFERENCE; /* a proposal nobody sent */
  pors[1].reference = (mimi_bytes){ref, mimi_suite_get(suite)->hash_len};
  bad = sign_as(&m[0], &fc, tag, NULL);
  CHECK_COMMIT_ERR(&bad, MIMI_ERR_BAD_PROPOSAL);
  mls_message_free(&bad);
  fc.body.commit.proposals_count = 1;
  fc.body.commit.path = NULL; /* a Remove needs a path */
  bad = sign_as(&m[0], &fc, tag, NULL);
  CHECK_COMMIT_ERR(&bad, MIMI_ERR_BAD_COMMIT);
  mls_message_free(&bad);
  fc.body.commit.path = path;

  /* the policy refuses a valid commit removing member 2, then accepts it */
  mls_message_free(&cm);
  mls_group_discard_pending(m[0].g);
  mls_proposal rm;
  rm.proposal_type = MLS_PROPOSAL_REMOVE;
  rm.remove.removed = 2;
  genuine_commit(&rm, 1, &cm);
  refuse_removes = true;
  CHECK_COMMIT_ERR(&cm, MIMI_ERR_UNSUPPORTED);
  refuse_removes = false;

  /* another group */
  mls_group_context other;
  CHECK_OK(mimi_clone(mls_group_context_type(), &other, mls_public_group_context(hub)));
  other.group_id.data[0] ^= 1;
  mimi_bytes_free(&fc.group_id);
  CHECK_OK(mimi_bytes_dup(&fc.group_id, &other.group_id));
  fc.body.commit.proposals = NULL;
  fc.body.commit.proposals_count = 0;
  bad = sign_as(&m[0], &fc, tag, &other);
  CHECK_COMMIT_ERR(&bad, MIMI_ERR_WRONG_GROUP);
  mls_message_free(&bad);
  mls_group_context_free(&other);
  mls_framed_content_free(&fc);

  /* a PrivateMessage cannot be followed */
  mls_message pmsg;
  CHECK_OK(mls_group_protect(m[1].g, (const uint8_t *)"hi", 2, NULL, 0, &rng, &pmsg));
  CHECK_COMMIT_ERR(&pmsg, MIMI_ERR_BAD_WIRE_FORMAT);
  CHECK_PROPOSAL_ERR(&pmsg, MIMI_ERR_BAD_WIRE_FORMAT);
  mls_message_free(&pmsg);

  /* stale epoch: the genuine commit twice */
  deliver(0, &cm);
  CHECK_COMMIT_ERR(&cm, MIMI_ERR_WRONG_EPOCH);
  mls_message_free(&cm);
  mimi_test_case();
}

static void proposal_errors(void) {
  mls_message pm;
  CHECK_OK(mls_group_propose_update(m[1].g, &rng, &pm));
  mls_message bad;
  CHECK_OK(mimi_clone(mls_message_type(), &bad, &pm));
  bad.body.public_message.signature.data[0] ^= 0x80;
  CHECK_PROPOSAL_ERR(&bad, MIMI_ERR_BAD_SIGNATURE);
  mls_message_free(&bad);
  CHECK_COMMIT_ERR(&pm, MIMI_ERR_BAD_CONTENT_TYPE); /* a proposal is no commit */
  CHECK_OK(mls_public_group_process_proposal(hub, &pm));
  CHECK_PROPOSAL_ERR(&pm, MIMI_ERR_BAD_PROPOSAL); /* already cached */
  mls_message_free(&pm);

  mls_framed_content fc;
  memset(&fc, 0, sizeof fc);
  CHECK_OK(mimi_bytes_dup(&fc.group_id, &mls_public_group_context(hub)->group_id));
  fc.epoch = mls_public_group_epoch(hub);
  fc.sender.sender_type = MLS_SENDER_MEMBER;
  fc.sender.leaf_index = 1;
  fc.body.content_type = MLS_CONTENT_PROPOSAL;
  fc.body.proposal.proposal_type = MLS_PROPOSAL_EXTERNAL_INIT; /* never standalone */
  CHECK_OK(mimi_bytes_copy(&fc.body.proposal.external_init.kem_output, (const uint8_t *)"x", 1));
  bad = sign_as(&m[1], &fc, NULL, NULL);
  CHECK_PROPOSAL_ERR(&bad, MIMI_ERR_BAD_PROPOSAL);
  mls_message_free(&bad);
  mls_framed_content_free(&fc);

  /* an external sender the group does not list */
  mls_proposal rm;
  rm.proposal_type = MLS_PROPOSAL_REMOVE;
  rm.remove.removed = 1;
  CHECK_OK(mls_external_propose(mls_public_group_context(hub), 0, &rm, m[N].sig_priv.data,
                                m[N].sig_priv.len, &bad));
  CHECK_PROPOSAL_ERR(&bad, MIMI_ERR_BAD_SENDER);
  mls_message_free(&bad);
  mimi_test_case();
}

static void group_info_errors(void) {
  mls_group_info gi;
  CHECK_OK(mls_group_group_info(m[1].g, true, false, &gi));
  mimi_bytes before = snapshot();
  mls_group_info bad;
  CHECK_OK(mimi_clone(mls_group_info_type(), &bad, &gi));
  bad.signature.data[2] ^= 1;
  CHECK_ERR(mls_public_group_set_group_info(hub, &bad), MIMI_ERR_BAD_SIGNATURE);
  mls_public_group *pg = NULL;
  CHECK_ERR(mls_public_group_from_group_info(&pg, &bad, NULL, NULL), MIMI_ERR_BAD_SIGNATURE);
  bad.signature.data[2] ^= 1;
  bad.signer = 3; /* blank */
  CHECK_ERR(mls_public_group_set_group_info(hub, &bad), MIMI_ERR_BAD_WELCOME);
  bad.signer = 1;
  bad.group_context.epoch--;
  CHECK_ERR(mls_public_group_set_group_info(hub, &bad), MIMI_ERR_BAD_WELCOME);
  bad.group_context.epoch++;
  bad.confirmation_tag.data[0] ^= 1;
  CHECK_ERR(mls_public_group_set_group_info(hub, &bad), MIMI_ERR_BAD_WELCOME);
  bad.confirmation_tag.data[0] ^= 1;
  bad.extensions[0].extension_data.data[bad.extensions[0].extension_data.len - 1] ^= 1;
  CHECK_ERR(mls_public_group_set_group_info(hub, &bad), MIMI_ERR_BAD_WELCOME);
  mls_group_info_free(&bad);
  unchanged(&before);
  CHECK(mls_public_group_group_info(hub) == NULL);
  /* without the tree extension and without a tree given */
  mls_group_info_free(&gi);
  CHECK_OK(mls_group_group_info(m[1].g, false, false, &gi));
  CHECK_ERR(mls_public_group_from_group_info(&pg, &gi, NULL, NULL), MIMI_ERR_BAD_WELCOME);
  CHECK(pg == NULL);
  CHECK_OK(mls_public_group_set_group_info(hub, &gi));
  mls_group_info_free(&gi);
  mimi_test_case();
}

static void store_errors(void) {
  mimi_bytes blob = snapshot();
  mls_public_group *pg = NULL;
  CHECK_ERR(mls_public_group_deserialize(&pg, blob.data, blob.len - 1, NULL),
            MIMI_ERR_TRUNCATED);
  mimi_bytes longer;
  CHECK_OK(mimi_bytes_alloc(&longer, blob.len + 1));
  memcpy(longer.data, blob.data, blob.len);
  CHECK_ERR(mls_public_group_deserialize(&pg, longer.data, longer.len, NULL),
            MIMI_ERR_TRAILING_DATA);
  mimi_bytes_free(&longer);
  blob.data[1] = 2; /* format */
  CHECK_ERR(mls_public_group_deserialize(&pg, blob.data, blob.len, NULL), MIMI_ERR_UNSUPPORTED);
  blob.data[1] = 1;
  blob.data[3] = 0x99; /* suite */
  CHECK_ERR(mls_public_group_deserialize(&pg, blob.data, blob.len, NULL),
            MIMI_ERR_UNSUPPORTED_SUITE);
  blob.data[3] = (uint8_t)suite;
  /* a tree hash that is not the tree's */
  const mimi_bytes *th = &mls_public_group_context(hub)->tree_hash;
  uint8_t *at = NULL;
  for (size_t i = 0; at == NULL && i + th->len <= blob.len; i++)
    if (memcmp(blob.data + i, th->data, th->len) == 0) at = blob.data + i;
  CHECK(at != NULL);
  if (at != NULL) {
    at[0] ^= 1;
    CHECK_ERR(mls_public_group_deserialize(&pg, blob.data, blob.len, NULL),
              MIMI_ERR_INVALID_ARG);
    at[0] ^= 1;
  }
  CHECK(pg == NULL);
  CHECK_OK(mls_public_group_deserialize(&pg, blob.data, blob.len, NULL));
  mls_public_group_free(pg);
  mimi_bytes_free(&blob);
  mimi_test_case();
}

/* External commits: the genuine one stages; without its ExternalInit, with
 * a proposal by reference, or without the path that names the joiner's
 * key, it does not. */
static void external_errors(void) {
  mls_group_info gi;
  CHECK_OK(mls_group_group_info(m[0].g, true, true, &gi));
  mls_group_config cfg = mls_group_config_default();
  mls_group *joined = NULL;
  mls_message cm;
  CHECK_OK(mls_group_join_external(&joined, &gi, NULL, &m[N].kp, m[N].sig_priv.data,
                                   m[N].sig_priv.len, UINT32_MAX, &cfg, &rng, &cm));
  mls_group_info_free(&gi);
  mls_public_staged_commit *sc = NULL;
  CHECK_OK(mls_public_group_stage_commit(hub, &cm, &sc));
  if (sc != NULL) {
    const mls_public_commit_view *v = mls_public_staged_commit_view(sc);
    CHECK(v->committer == UINT32_MAX && v->n_proposals == 1 && v->has_path);
    CHECK(v->committer_node != NULL &&
          mimi_bytes_eq(&v->committer_node->signature_key, &m[N].sig_pub));
  }
  mls_public_staged_commit_free(sc);
  const mls_public_message *pm = &cm.body.public_message;
  mls_framed_content fc;
  CHECK_OK(mimi_clone(mls_framed_content_type(), &fc, &pm->content));
  mls_commit *c = &fc.body.commit;
  CHECK(c->proposals_count == 1);
  c->proposals_count = 0;
  mls_message bad = sign_as(&m[N], &fc, &pm->confirmation_tag, NULL);
  CHECK_COMMIT_ERR(&bad, MIMI_ERR_BAD_PROPOSAL);
  mls_message_free(&bad);
  c->proposals_count = 1;
  mls_proposal_or_ref saved = c->proposals[0];
  uint8_t ref[MIMI_MAX_HASH] = {9};
  c->proposals[0].type = MLS_PROPOSAL_OR_REF_REFERENCE;
  c->proposals[0].reference = (mimi_bytes){ref, mimi_suite_get(suite)->hash_len};
  bad = sign_as(&m[N], &fc, &pm->confirmation_tag, NULL);
  CHECK_COMMIT_ERR(&bad, MIMI_ERR_BAD_PROPOSAL);
  mls_message_free(&bad);
  c->proposals[0] = saved;
  mls_update_path *path = c->path;
  c->path = NULL;
  bad = sign_as(&m[N], &fc, &pm->confirmation_tag, NULL);
  CHECK_COMMIT_ERR(&bad, MIMI_ERR_BAD_SENDER);
  mls_message_free(&bad);
  c->path = path;
  mls_message_free(&cm);
  mls_framed_content_free(&fc);
  mls_group_free(joined);
  mimi_test_case();
}

/* After a committed ReInit nothing more is processed. */
static void reinit_freezes(void) {
  mls_proposal ri;
  memset(&ri, 0, sizeof ri);
  ri.proposal_type = MLS_PROPOSAL_REINIT;
  ri.reinit.group_id = (mimi_bytes){(uint8_t *)"next", 4};
  ri.reinit.version = MLS_VERSION_MLS10;
  ri.reinit.cipher_suite = suite;
  mls_message cm;
  genuine_commit(&ri, 1, &cm);
  deliver(0, &cm);
  mls_message_free(&cm);
  CHECK(mls_public_group_reinit(hub) != NULL);
  mls_message pm;
  CHECK_OK(mls_external_propose(mls_public_group_context(hub), 0, &ri, m[N].sig_priv.data,
                                m[N].sig_priv.len, &pm));
  CHECK_PROPOSAL_ERR(&pm, MIMI_ERR_BAD_GROUP_STATE);
  CHECK_COMMIT_ERR(&pm, MIMI_ERR_BAD_GROUP_STATE);
  mls_message_free(&pm);
  mimi_test_case();
}

int main(void) {
  static const uint16_t suites[] = {1, 3, 7};
  for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++) {
    suite = suites[i];
    setup();
    commit_errors();
    proposal_errors();
    group_info_errors();
    store_errors();
    external_errors();
    reinit_freezes();
    teardown();
  }
  return mimi_test_summary("test_public_group_errors");
}
