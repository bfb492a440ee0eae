/* test_group_rules.c — every rejection rule of the group layer with its
 * exact error code: KeyPackage checks (§10.1), proposal list rules
 * (§12.2), commit checks (§12.4.2), Welcome checks (§12.4.3.1), framing of
 * application and handshake messages, and the pending-commit rules. Calls
 * that take a group non-const must leave it byte-for-byte as it was (its
 * serialization before and after compared). */
#include <stdlib.h>

#include "harness.h"
#include "group_snapshot.h"
#include "mimi/mls.h"
#include "mls_test_util.h"

#define SUITE 1
#define N 4

typedef mt_member member;

static member m[N + 2];
static mimi_test_prng prng;
static mimi_rng rng;

static const uint8_t psk_id[] = "psk";
static mimi_err psk_get(void *ctx, const mls_pre_shared_key_id *id, const uint8_t **psk,
                        size_t *len) {
  (void)ctx;
  if (id->source.psktype != MLS_PSK_EXTERNAL) return MIMI_ERR_NOT_FOUND;
  *psk = psk_id;
  *len = 3;
  return MIMI_OK;
}
static const mls_psk_store store = {psk_get, NULL};

static void make_kp(member *x, uint8_t name, const mls_key_package_options *over) {
  const mimi_suite *s = mimi_suite_get(SUITE);
  if (x->sig_priv.len == 0) {
    CHECK_OK(mimi_sig_generate(s->sig, &rng, &x->sig_priv, &x->sig_pub));
    x->cred.credential_type = MLS_CREDENTIAL_BASIC;
    CHECK_OK(mimi_bytes_copy(&x->cred.identity, &name, 1));
  }
  mls_key_package_options o;
  memset(&o, 0, sizeof o);
  if (over != NULL) o = *over;
  o.credential = &x->cred;
  o.sig_priv = x->sig_priv.data;
  o.sig_priv_len = x->sig_priv.len;
  mls_key_package_bundle_free(&x->kp);
  CHECK_OK(mls_key_package_create(&x->kp, SUITE, &o, &rng));
}

static void setup(void) {
  rng = mimi_test_rng_prng(&prng, 42);
  for (int i = 0; i < N + 2; i++) make_kp(&m[i], (uint8_t)i, NULL);
  mls_group_config cfg = mls_group_config_default();
  cfg.psks = &store;
  static const uint8_t gid[] = "rules";
  CHECK_OK(mls_group_create(&m[0].g, gid, 5, &m[0].kp, m[0].sig_priv.data, m[0].sig_priv.len,
                            NULL, 0, &cfg, &rng));
  mls_proposal adds[N - 1];
  for (int i = 1; i < N; i++) {
    adds[i - 1].proposal_type = MLS_PROPOSAL_ADD;
    adds[i - 1].add.key_package = m[i].kp.key_package;
  }
  mls_commit_options opt = {adds, N - 1, false, true};
  mls_message cm;
  mls_welcome w;
  CHECK_OK(mls_group_commit(m[0].g, &opt, &rng, &cm, &w));
  CHECK_OK(mls_group_merge_pending(m[0].g));
  for (int i = 1; i < N; i++)
    CHECK_OK(mls_group_join(&m[i].g, &w, &m[i].kp, m[i].sig_priv.data, m[i].sig_priv.len, NULL,
                            &cfg));
  mls_message_free(&cm);
  mls_welcome_free(&w);
}

static void teardown(void) {
  for (int i = 0; i < N + 2; i++) mt_member_free(&m[i]);
}

/* ---- §10.1 KeyPackages ---------------------------------------------------- */

static void test_key_packages(void) {
  mls_key_package *kp = &m[N].kp.key_package;
  CHECK_OK(mls_key_package_validate(kp, SUITE, 0));
  CHECK_OK(mls_key_package_validate(kp, 0, 0));
  kp->version = 2;
  CHECK_ERR(mls_key_package_validate(kp, SUITE, 0), MIMI_ERR_BAD_KEY_PACKAGE);
  kp->version = 1;
  CHECK_ERR(mls_key_package_validate(kp, 2, 0), MIMI_ERR_BAD_KEY_PACKAGE);
  kp->cipher_suite = 99;
  CHECK_ERR(mls_key_package_validate(kp, 0, 0), MIMI_ERR_BAD_KEY_PACKAGE);
  kp->cipher_suite = SUITE;
  /* signatures: the KeyPackage's, then the leaf's */
  kp->signature.data[3] ^= 1;
  CHECK_ERR(mls_key_package_validate(kp, SUITE, 0), MIMI_ERR_BAD_SIGNATURE);
  kp->signature.data[3] ^= 1;
  kp->leaf_node.signature.data[3] ^= 1;
  CHECK_ERR(mls_key_package_validate(kp, SUITE, 0), MIMI_ERR_BAD_SIGNATURE);
  kp->leaf_node.signature.data[3] ^= 1;
  /* structural rules, checked before any signature */
  kp->leaf_node.credential.credential_type = 7;
  CHECK_ERR(mls_key_package_validate(kp, SUITE, 0), MIMI_ERR_BAD_KEY_PACKAGE);
  kp->leaf_node.credential.credential_type = MLS_CREDENTIAL_BASIC;
  mimi_bytes keep = kp->init_key;
  kp->init_key = kp->leaf_node.encryption_key;
  CHECK_ERR(mls_key_package_validate(kp, SUITE, 0), MIMI_ERR_BAD_KEY_PACKAGE);
  kp->init_key = keep;
  kp->leaf_node.source.lifetime.not_before = 100;
  kp->leaf_node.source.lifetime.not_after = 200;
  CHECK_ERR(mls_key_package_validate(kp, SUITE, 99), MIMI_ERR_BAD_KEY_PACKAGE);
  CHECK_ERR(mls_key_package_validate(kp, SUITE, 201), MIMI_ERR_BAD_KEY_PACKAGE);
  CHECK_ERR(mls_key_package_validate(kp, SUITE, 150), MIMI_ERR_BAD_SIGNATURE); /* altered */
  kp->leaf_node.source.lifetime.not_before = 0;
  kp->leaf_node.source.lifetime.not_after = UINT64_MAX;
  kp->leaf_node.source.leaf_node_source = MLS_LEAF_SOURCE_UPDATE;
  CHECK_ERR(mls_key_package_validate(kp, SUITE, 0), MIMI_ERR_BAD_KEY_PACKAGE);
  kp->leaf_node.source.leaf_node_source = MLS_LEAF_SOURCE_KEY_PACKAGE;
  kp->leaf_node.source.lifetime.not_after = UINT64_MAX;
  CHECK_OK(mls_key_package_validate(kp, SUITE, 0));
  /* a leaf extension not listed in the capabilities */
  mls_extension ext = {0xff01, {NULL, 0}};
  mls_key_package_options o;
  memset(&o, 0, sizeof o);
  o.leaf_extensions = &ext;
  o.n_leaf_extensions = 1;
  make_kp(&m[N + 1], N + 1, &o);
  CHECK_ERR(mls_key_package_validate(&m[N + 1].kp.key_package, SUITE, 0),
            MIMI_ERR_BAD_KEY_PACKAGE);
  make_kp(&m[N + 1], N + 1, NULL);
  mimi_test_case();
}

/* ---- §12.2 proposal lists ---------------------------------------------------- */

static mls_proposal remove_of(uint32_t leaf) {
  mls_proposal p;
  p.proposal_type = MLS_PROPOSAL_REMOVE;
  p.remove.removed = leaf;
  return p;
}

static mls_proposal add_of(const mls_key_package *kp) {
  mls_proposal p;
  p.proposal_type = MLS_PROPOSAL_ADD;
  p.add.key_package = *kp;
  return p;
}

/* An Update from `who` (as its leaf node would be in a proposal). */
static mls_proposal update_from(int who, mimi_bytes *enc_priv) {
  mls_proposal p;
  memset(&p, 0, sizeof p);
  p.proposal_type = MLS_PROPOSAL_UPDATE;
  mls_leaf_node *leaf = &p.update.leaf_node;
  CHECK_OK(mimi_clone(mls_leaf_node_type(), leaf, mls_group_member(m[who].g, (uint32_t)who)));
  mimi_bytes_free(&leaf->encryption_key);
  mls_leaf_node_source_free(&leaf->source);
  leaf->source.leaf_node_source = MLS_LEAF_SOURCE_UPDATE;
  CHECK_OK(mimi_kem_generate_key_pair(mimi_suite_get(SUITE)->kem, &rng, enc_priv,
                                      &leaf->encryption_key));
  const mimi_bytes *gid = mls_group_id(m[who].g);
  CHECK_OK(mls_leaf_node_sign(SUITE, leaf, m[who].sig_priv.data, m[who].sig_priv.len, gid->data,
                              gid->len, (uint32_t)who));
  return p;
}

static mls_proposal psk_of(const char *id, size_t nonce_len) {
  mls_proposal p;
  memset(&p, 0, sizeof p);
  p.proposal_type = MLS_PROPOSAL_PSK;
  p.psk.psk.source.psktype = MLS_PSK_EXTERNAL;
  CHECK_OK(mimi_bytes_copy(&p.psk.psk.source.external.psk_id, (const uint8_t *)id, strlen(id)));
  CHECK_OK(mimi_bytes_alloc(&p.psk.psk.psk_nonce, nonce_len));
  return p;
}

#define LIST(...) ((mls_proposal[]){__VA_ARGS__})
static mimi_err check(uint32_t committer, const mls_proposal *l, const uint32_t *from,
                      const bool *byval, size_t n) {
  return mls_group_check_proposals(m[0].g, committer, l, from, byval, n);
}

static void test_proposal_lists(void) {
  const mls_group *g = m[0].g;
  const uint32_t from0[] = {0, 0, 0}, from12[] = {1, 2, 3}, from11[] = {1, 1, 1};
  const bool ref[] = {false, false, false}, val[] = {true, true, true};
  mimi_bytes ep1, ep2;
  mls_proposal up1 = update_from(1, &ep1), up2 = update_from(2, &ep2);
  mls_proposal r1 = remove_of(1), r0 = remove_of(0), r9 = remove_of(9);
  mls_proposal a4 = add_of(&m[N].kp.key_package), a1 = add_of(&m[1].kp.key_package);
  mls_proposal psk_a = psk_of("psk", 32), psk_short = psk_of("psk", 5);

  CHECK_OK(check(0, &up1, from12, ref, 1));
  CHECK_OK(check(0, LIST(up1, up2), from12, ref, 2));
  /* Update by the committer, or sent inline (hence by the committer) */
  CHECK_ERR(check(1, &up1, from12, ref, 1), MIMI_ERR_BAD_PROPOSAL);
  CHECK_ERR(check(0, &up1, from12, val, 1), MIMI_ERR_BAD_PROPOSAL);
  /* Update whose signature is over another leaf index */
  CHECK_ERR(check(0, &up1, (const uint32_t[]){2}, ref, 1), MIMI_ERR_BAD_SIGNATURE);
  /* Remove of the committer, of a blank / absent leaf */
  CHECK_ERR(check(0, &r0, from0, val, 1), MIMI_ERR_BAD_PROPOSAL);
  CHECK_ERR(check(0, &r9, from0, val, 1), MIMI_ERR_BAD_PROPOSAL);
  /* two proposals on one leaf: Remove+Remove, Update+Remove */
  CHECK_ERR(check(0, LIST(r1, r1), from0, val, 2), MIMI_ERR_BAD_PROPOSAL);
  CHECK_ERR(check(0, LIST(up1, r1), from11, ref, 2), MIMI_ERR_BAD_PROPOSAL);
  /* the same client added twice; a client already in the group */
  CHECK_OK(check(0, &a4, from0, val, 1));
  CHECK_ERR(check(0, LIST(a4, a4), from0, val, 2), MIMI_ERR_BAD_PROPOSAL);
  CHECK_ERR(check(0, &a1, from0, val, 1), MIMI_ERR_BAD_PROPOSAL);
  /* unless removed in the same commit (with fresh keys: same signature key) */
  mls_key_package_bundle again;
  mls_key_package_options o;
  memset(&o, 0, sizeof o);
  o.credential = &m[1].cred;
  o.sig_priv = m[1].sig_priv.data;
  o.sig_priv_len = m[1].sig_priv.len;
  CHECK_OK(mls_key_package_create(&again, SUITE, &o, &rng));
  mls_proposal a1b = add_of(&again.key_package);
  CHECK_ERR(check(0, &a1b, from0, val, 1), MIMI_ERR_BAD_PROPOSAL);
  CHECK_OK(check(0, LIST(r1, a1b), from0, val, 2));
  mls_key_package_bundle_free(&again);
  /* an Add with a broken KeyPackage */
  m[N].kp.key_package.signature.data[0] ^= 1;
  mls_proposal a4bad = add_of(&m[N].kp.key_package);
  CHECK_ERR(check(0, &a4bad, from0, val, 1), MIMI_ERR_BAD_SIGNATURE);
  m[N].kp.key_package.signature.data[0] ^= 1;
  /* PSKs: duplicates, nonce length, usage */
  CHECK_OK(check(0, &psk_a, from0, val, 1));
  CHECK_ERR(check(0, LIST(psk_a, psk_a), from0, val, 2), MIMI_ERR_BAD_PROPOSAL);
  CHECK_ERR(check(0, &psk_short, from0, val, 1), MIMI_ERR_BAD_PROPOSAL);
  mls_proposal res;
  memset(&res, 0, sizeof res);
  res.proposal_type = MLS_PROPOSAL_PSK;
  res.psk.psk.source.psktype = MLS_PSK_RESUMPTION;
  res.psk.psk.source.resumption.usage = MLS_RESUMPTION_REINIT;
  res.psk.psk.psk_nonce = psk_a.psk.psk.psk_nonce;
  CHECK_ERR(check(0, &res, from0, val, 1), MIMI_ERR_BAD_PROPOSAL);
  /* GroupContextExtensions: at most one, supported by every member */
  mls_proposal gce;
  memset(&gce, 0, sizeof gce);
  gce.proposal_type = MLS_PROPOSAL_GROUP_CONTEXT_EXTENSIONS;
  CHECK_OK(check(0, &gce, from0, val, 1));
  CHECK_ERR(check(0, LIST(gce, gce), from0, val, 2), MIMI_ERR_BAD_PROPOSAL);
  mls_extension unknown = {0xff02, {NULL, 0}};
  mls_proposal gce2 = gce;
  gce2.group_context_extensions.extensions = &unknown;
  gce2.group_context_extensions.extensions_count = 1;
  CHECK_ERR(check(0, &gce2, from0, val, 1), MIMI_ERR_BAD_PROPOSAL);
  /* required_capabilities a member does not meet */
  mls_required_capabilities rc;
  memset(&rc, 0, sizeof rc);
  uint16_t need = 0xff03;
  rc.proposal_types = &need;
  rc.proposal_types_count = 1;
  mimi_bytes rcb;
  CHECK_OK(mls_required_capabilities_encode(&rc, &rcb));
  mls_extension rce = {MLS_EXT_REQUIRED_CAPABILITIES, rcb};
  gce2.group_context_extensions.extensions = &rce;
  CHECK_ERR(check(0, &gce2, from0, val, 1), MIMI_ERR_BAD_PROPOSAL);
  mimi_bytes_free(&rcb);
  /* ReInit only alone */
  mls_proposal ri;
  memset(&ri, 0, sizeof ri);
  ri.proposal_type = MLS_PROPOSAL_REINIT;
  ri.reinit.version = 1;
  ri.reinit.cipher_suite = SUITE;
  CHECK_OK(check(0, &ri, from0, val, 1));
  CHECK_ERR(check(0, LIST(ri, psk_a), from0, val, 2), MIMI_ERR_BAD_PROPOSAL);
  /* ExternalInit: never in a member's commit; exactly one in an external one */
  mls_proposal ei;
  memset(&ei, 0, sizeof ei);
  ei.proposal_type = MLS_PROPOSAL_EXTERNAL_INIT;
  const uint32_t ext_from[] = {UINT32_MAX, UINT32_MAX, UINT32_MAX};
  CHECK_ERR(check(0, &ei, from0, val, 1), MIMI_ERR_BAD_PROPOSAL);
  CHECK_OK(check(UINT32_MAX, &ei, ext_from, val, 1));
  CHECK_OK(check(UINT32_MAX, LIST(ei, r1, psk_a), ext_from, val, 3));
  CHECK_ERR(check(UINT32_MAX, &psk_a, ext_from, val, 1), MIMI_ERR_BAD_PROPOSAL);
  CHECK_ERR(check(UINT32_MAX, LIST(ei, ei), ext_from, val, 2), MIMI_ERR_BAD_PROPOSAL);
  mls_proposal r2 = remove_of(2);
  CHECK_ERR(check(UINT32_MAX, LIST(ei, r1, r2), ext_from, val, 3), MIMI_ERR_BAD_PROPOSAL);
  CHECK_ERR(check(UINT32_MAX, LIST(ei, a4), ext_from, val, 2), MIMI_ERR_BAD_PROPOSAL);
  /* SelfRemove: by reference from another member, not with a Remove of it */
  mls_proposal sr;
  memset(&sr, 0, sizeof sr);
  sr.proposal_type = MLS_PROPOSAL_SELF_REMOVE;
  CHECK_OK(check(0, &sr, from12, ref, 1));
  CHECK_ERR(check(0, &sr, from0, val, 1), MIMI_ERR_BAD_PROPOSAL);
  CHECK_ERR(check(1, &sr, from12, ref, 1), MIMI_ERR_BAD_PROPOSAL);
  CHECK_ERR(check(0, LIST(sr, r1), from11, (const bool[]){false, true}, 2),
            MIMI_ERR_BAD_PROPOSAL);
  /* a type we do not implement */
  mls_proposal eph;
  memset(&eph, 0, sizeof eph);
  eph.proposal_type = MLS_PROPOSAL_APP_EPHEMERAL;
  CHECK_ERR(check(0, &eph, from0, val, 1), MIMI_ERR_BAD_PROPOSAL);
  (void)g;
  mls_proposal_free(&up1);
  mls_proposal_free(&up2);
  mls_proposal_free(&psk_a);
  mls_proposal_free(&psk_short);
  mimi_bytes_free(&ep1);
  mimi_bytes_free(&ep2);
  mimi_test_case();
}

/* mls_group_commit with a bad inline list fails and changes nothing. */
static void test_commit_refused(void) {
  mls_proposal r0 = remove_of(0);
  mls_commit_options opt = {&r0, 1, false, false};
  mls_message cm;
  mls_welcome w;
  mimi_bytes before = snap(m[0].g);
  CHECK_ERR(mls_group_commit(m[0].g, &opt, &rng, &cm, &w), MIMI_ERR_BAD_PROPOSAL);
  same(m[0].g, &before);
  CHECK(!mls_group_has_pending(m[0].g));
  CHECK_ERR(mls_group_merge_pending(m[0].g), MIMI_ERR_BAD_GROUP_STATE);
  mimi_test_case();
}

/* ---- §12.4.2 commits ------------------------------------------------------- */

/* A signed commit AuthenticatedContent from member `who` with the given
 * body, bypassing mls_group_commit's own checks. */
static void forge_commit(int who, const mls_commit *body, mls_authenticated_content *ac) {
  const mls_group *g = m[who].g;
  mls_framing_epoch ep = {SUITE, mls_group_context_of(g), NULL, NULL, NULL};
  mls_framed_content fc;
  memset(&fc, 0, sizeof fc);
  fc.group_id = *mls_group_id(g);
  fc.epoch = mls_group_epoch(g);
  fc.sender.sender_type = MLS_SENDER_MEMBER;
  fc.sender.leaf_index = mls_group_own_leaf(g);
  fc.body.content_type = MLS_CONTENT_COMMIT;
  fc.body.commit = *body;
  CHECK_OK(mls_authenticated_content_sign(&ep, MLS_WIRE_PUBLIC_MESSAGE, &fc, m[who].sig_priv.data,
                                          m[who].sig_priv.len, ac));
  CHECK_OK(mimi_bytes_alloc(&ac->confirmation_tag, 32));
}

static void test_commits(void) {
  mls_message cm;
  mls_welcome w;
  mls_commit_options force = {NULL, 0, true, false};
  /* no place for the Welcome: refused before anything becomes pending */
  CHECK_ERR(mls_group_commit(m[1].g, &force, &rng, &cm, NULL), MIMI_ERR_INVALID_ARG);
  CHECK(!mls_group_has_pending(m[1].g));
  CHECK_OK(mls_group_commit(m[1].g, &force, &rng, &cm, &w));
  /* a second commit while one is pending */
  mls_message cm2;
  mls_welcome w2;
  CHECK_ERR(mls_group_commit(m[1].g, &force, &rng, &cm2, &w2), MIMI_ERR_BAD_GROUP_STATE);
  mls_authenticated_content ac;
  mls_staged_commit *sc = NULL;
  mimi_bytes before = snap(m[2].g);
  CHECK_OK(mls_group_read(m[2].g, &cm, &ac));
  same(m[2].g, &before);
  /* a wrong confirmation tag */
  ac.confirmation_tag.data[0] ^= 1;
  CHECK_ERR(mls_group_stage_commit(m[2].g, &ac, &sc), MIMI_ERR_BAD_MAC);
  ac.confirmation_tag.data[0] ^= 1;
  /* a path whose node key was replaced: the leaf's parent hash no longer fits */
  mls_update_path *path = ac.content.body.commit.path;
  path->nodes[0].encryption_key.data[5] ^= 1;
  CHECK_ERR(mls_group_stage_commit(m[2].g, &ac, &sc), MIMI_ERR_BAD_PARENT_HASH);
  path->nodes[0].encryption_key.data[5] ^= 1;
  /* a path leaf that is not signed as such */
  path->leaf_node.signature.data[0] ^= 1;
  CHECK_ERR(mls_group_stage_commit(m[2].g, &ac, &sc), MIMI_ERR_BAD_SIGNATURE);
  path->leaf_node.signature.data[0] ^= 1;
  /* another epoch / group */
  ac.content.epoch++;
  CHECK_ERR(mls_group_stage_commit(m[2].g, &ac, &sc), MIMI_ERR_WRONG_EPOCH);
  ac.content.epoch--;
  /* not a commit */
  ac.content.body.content_type = MLS_CONTENT_PROPOSAL;
  CHECK_ERR(mls_group_stage_commit(m[2].g, &ac, &sc), MIMI_ERR_BAD_CONTENT_TYPE);
  ac.content.body.content_type = MLS_CONTENT_COMMIT;
  /* a sender leaf that is blank */
  ac.content.sender.leaf_index = 7;
  CHECK_ERR(mls_group_stage_commit(m[2].g, &ac, &sc), MIMI_ERR_BAD_SENDER);
  ac.content.sender.leaf_index = 1;
  /* our own commit comes back: use the pending one */
  CHECK_ERR(mls_group_stage_commit(m[1].g, &ac, &sc), MIMI_ERR_BAD_GROUP_STATE);
  mls_authenticated_content_free(&ac);

  /* forged commits: path missing where required, unknown reference */
  mls_proposal r3 = remove_of(3);
  mls_proposal_or_ref por = {.type = MLS_PROPOSAL_OR_REF_PROPOSAL};
  por.proposal = r3;
  mls_commit body = {&por, 1, NULL};
  forge_commit(2, &body, &ac);
  CHECK_ERR(mls_group_stage_commit(m[0].g, &ac, &sc), MIMI_ERR_BAD_COMMIT);
  mls_authenticated_content_free(&ac);
  mls_commit empty = {NULL, 0, NULL};
  forge_commit(2, &empty, &ac);
  CHECK_ERR(mls_group_stage_commit(m[0].g, &ac, &sc), MIMI_ERR_BAD_COMMIT);
  mls_authenticated_content_free(&ac);
  uint8_t zref[32] = {0};
  mls_proposal_or_ref refp = {.type = MLS_PROPOSAL_OR_REF_REFERENCE};
  refp.reference = (mimi_bytes){zref, 32};
  mls_commit body2 = {&refp, 1, NULL};
  forge_commit(2, &body2, &ac);
  CHECK_ERR(mls_group_stage_commit(m[0].g, &ac, &sc), MIMI_ERR_BAD_PROPOSAL);
  mls_authenticated_content_free(&ac);
  /* a commit the committer's own rules refuse (removing itself) */
  mls_proposal r2 = remove_of(2);
  por.proposal = r2;
  forge_commit(2, &body, &ac);
  CHECK_ERR(mls_group_stage_commit(m[0].g, &ac, &sc), MIMI_ERR_BAD_PROPOSAL);
  mls_authenticated_content_free(&ac);

  /* member 3 commits too; everyone takes 1's commit first, so 3's pending
   * commit loses when 3 merges 1's */
  mls_message cm3;
  mls_welcome w3;
  CHECK_OK(mls_group_commit(m[3].g, &force, &rng, &cm3, &w3));
  CHECK(mls_group_has_pending(m[3].g));
  mt_deliver(m, N, 1, &cm);
  CHECK(!mls_group_has_pending(m[3].g));
  CHECK_ERR(mls_group_merge_pending(m[3].g), MIMI_ERR_BAD_GROUP_STATE);
  /* 3's late commit is of the old epoch now */
  before = snap(m[0].g);
  CHECK_ERR(mls_group_read(m[0].g, &cm3, &ac), MIMI_ERR_WRONG_EPOCH);
  same(m[0].g, &before);
  size_t l0, l3;
  const uint8_t *e0 = mls_group_epoch_authenticator(m[0].g, &l0);
  const uint8_t *e3 = mls_group_epoch_authenticator(m[3].g, &l3);
  CHECK_MEM(e0, l0, e3, l3);
  mls_message_free(&cm);
  mls_message_free(&cm3);
  mls_welcome_free(&w);
  mls_welcome_free(&w3);
  mimi_test_case();
}

/* ---- proposals and application messages on the wire ------------------------- */

static void test_messages(void) {
  mls_message msg;
  mls_authenticated_content ac;
  CHECK_OK(mls_group_propose_remove(m[1].g, 2, &rng, &msg));
  CHECK_ERR(mls_group_propose_remove(m[1].g, 1, &rng, &msg), MIMI_ERR_BAD_PROPOSAL);
  CHECK_ERR(mls_group_propose_remove(m[1].g, 9, &rng, &msg), MIMI_ERR_BAD_PROPOSAL);
  for (int i = 2; i < N; i++) {
    CHECK_OK(mls_group_read(m[i].g, &msg, &ac));
    CHECK_OK(mls_group_store_proposal(m[i].g, &ac));
    mls_authenticated_content_free(&ac);
  }
  CHECK_OK(mls_group_read(m[0].g, &msg, &ac));
  CHECK_OK(mls_group_store_proposal(m[0].g, &ac));
  mimi_bytes before = snap(m[0].g);
  CHECK_ERR(mls_group_store_proposal(m[0].g, &ac), MIMI_ERR_BAD_PROPOSAL); /* twice */
  same(m[0].g, &before);
  mls_authenticated_content_free(&ac);
  /* a broken membership tag */
  msg.body.public_message.membership_tag.data[0] ^= 1;
  before = snap(m[2].g);
  CHECK_ERR(mls_group_read(m[2].g, &msg, &ac), MIMI_ERR_BAD_MAC);
  same(m[2].g, &before);
  msg.body.public_message.membership_tag.data[0] ^= 1;
  msg.version = 2;
  CHECK_ERR(mls_group_read(m[2].g, &msg, &ac), MIMI_ERR_BAD_WIRE_FORMAT);
  msg.version = 1;
  /* proposals are not application data */
  mimi_bytes data;
  uint32_t sender;
  CHECK_ERR(mls_group_unprotect(m[2].g, &msg, &data, &sender), MIMI_ERR_BAD_WIRE_FORMAT);
  mls_message_free(&msg);

  static const uint8_t hello[] = "hello";
  CHECK_OK(mls_group_protect(m[0].g, hello, 5, NULL, 0, &rng, &msg));
  CHECK_OK(mls_group_unprotect(m[1].g, &msg, &data, &sender));
  CHECK(sender == 0);
  CHECK_MEM(data.data, data.len, hello, 5);
  mimi_bytes_free(&data);
  before = snap(m[1].g);
  CHECK_ERR(mls_group_unprotect(m[1].g, &msg, &data, &sender), MIMI_ERR_GENERATION_TOO_OLD);
  same(m[1].g, &before);
  msg.body.private_message.ciphertext.data[0] ^= 1;
  before = snap(m[2].g);
  CHECK_ERR(mls_group_unprotect(m[2].g, &msg, &data, &sender), MIMI_ERR_AEAD_OPEN);
  same(m[2].g, &before);
  msg.body.private_message.ciphertext.data[0] ^= 1;
  msg.body.private_message.epoch--;
  CHECK_ERR(mls_group_unprotect(m[2].g, &msg, &data, &sender), MIMI_ERR_WRONG_EPOCH);
  msg.body.private_message.epoch++;
  /* after the next epoch, the old message is of another epoch */
  mls_message cm;
  mls_welcome w;
  CHECK_OK(mls_group_commit(m[0].g, NULL, &rng, &cm, &w)); /* commits the cached Remove */
  mt_deliver(m, N, 0, &cm);
  CHECK(m[2].g != NULL && !mls_group_active(m[2].g));
  CHECK_ERR(mls_group_read(m[2].g, &msg, &ac), MIMI_ERR_BAD_GROUP_STATE);
  mls_group_free(m[2].g);
  m[2].g = NULL;
  CHECK_ERR(mls_group_unprotect(m[3].g, &msg, &data, &sender), MIMI_ERR_WRONG_EPOCH);
  mls_message_free(&msg);
  mls_message_free(&cm);
  mls_welcome_free(&w);
  mimi_test_case();
}

/* ---- §12.4.3.1 Welcome ----------------------------------------------------- */

static mls_ratchet_tree wire_tree(const mls_group *g) {
  mimi_bytes b;
  mls_ratchet_tree t;
  memset(&t, 0, sizeof t);
  CHECK_OK(mls_rtree_encode(mls_group_tree(g), &b));
  CHECK_OK(mls_ratchet_tree_decode(b.data, b.len, &t));
  mimi_bytes_free(&b);
  return t;
}

static void test_welcome(void) {
  mls_message pm;
  mls_authenticated_content ac;
  CHECK_OK(mls_group_propose_external_psk(m[0].g, psk_id, 3, &rng, &pm));
  for (int i = 1; i < N; i++) {
    if (m[i].g == NULL) continue;
    CHECK_OK(mls_group_read(m[i].g, &pm, &ac));
    CHECK_OK(mls_group_store_proposal(m[i].g, &ac));
    mls_authenticated_content_free(&ac);
  }
  mls_message_free(&pm);
  mls_ratchet_tree old = wire_tree(m[0].g);
  mls_proposal a = add_of(&m[N].kp.key_package);
  mls_commit_options opt = {&a, 1, false, false};
  mls_message cm;
  mls_welcome w;
  CHECK_OK(mls_group_commit(m[0].g, &opt, &rng, &cm, &w));
  mt_deliver(m, N, 0, &cm);
  mls_ratchet_tree now = wire_tree(m[0].g);
  member *x = &m[N];
  mls_group_config cfg = mls_group_config_default();
  mls_group *g = NULL;
  /* a Welcome with no entry for this KeyPackage */
  CHECK_ERR(mls_group_join(&g, &w, &m[N + 1].kp, m[N + 1].sig_priv.data, m[N + 1].sig_priv.len,
                           &now, &cfg),
            MIMI_ERR_BAD_WELCOME);
  /* the PSK it names is unknown */
  CHECK_ERR(mls_group_join(&g, &w, &x->kp, x->sig_priv.data, x->sig_priv.len, &now, &cfg),
            MIMI_ERR_BAD_PSK);
  cfg.psks = &store;
  /* no ratchet tree anywhere */
  CHECK_ERR(mls_group_join(&g, &w, &x->kp, x->sig_priv.data, x->sig_priv.len, NULL, &cfg),
            MIMI_ERR_BAD_WELCOME);
  /* the tree of the epoch before: its hash is not the GroupContext's */
  CHECK_ERR(mls_group_join(&g, &w, &x->kp, x->sig_priv.data, x->sig_priv.len, &old, &cfg),
            MIMI_ERR_BAD_TREE_HASH);
  /* a broken GroupInfo ciphertext */
  w.encrypted_group_info.data[w.encrypted_group_info.len - 1] ^= 1;
  CHECK_ERR(mls_group_join(&g, &w, &x->kp, x->sig_priv.data, x->sig_priv.len, &now, &cfg),
            MIMI_ERR_AEAD_OPEN);
  w.encrypted_group_info.data[w.encrypted_group_info.len - 1] ^= 1;
  CHECK(g == NULL);
  CHECK_OK(mls_group_join(&g, &w, &x->kp, x->sig_priv.data, x->sig_priv.len, &now, &cfg));
  if (g != NULL) {
    size_t l0, l4;
    const uint8_t *e0 = mls_group_epoch_authenticator(m[0].g, &l0);
    const uint8_t *e4 = mls_group_epoch_authenticator(g, &l4);
    CHECK_MEM(e0, l0, e4, l4);
  }
  mls_group_free(g);
  mls_ratchet_tree_free(&old);
  mls_ratchet_tree_free(&now);
  mls_message_free(&cm);
  mls_welcome_free(&w);
  mimi_test_case();
}

/* ---- the committer's choice among cached proposals (§12.2) ------------------ */

static void broadcast(int from, const mls_message *msg) {
  for (int i = 0; i < N; i++) {
    if (i == from || m[i].g == NULL) continue;
    mls_authenticated_content ac;
    CHECK_OK(mls_group_read(m[i].g, msg, &ac));
    CHECK_OK(mls_group_store_proposal(m[i].g, &ac));
    mls_authenticated_content_free(&ac);
  }
}

static void test_committer_choice(void) {
  /* members 0, 1, 3 remain. 1 proposes an Update, 3 a Remove of 1: the
   * Remove wins. */
  mls_message msg, cm;
  mls_welcome w;
  CHECK_OK(mls_group_propose_update(m[1].g, &rng, &msg));
  broadcast(1, &msg);
  mls_message_free(&msg);
  CHECK_OK(mls_group_propose_remove(m[3].g, mls_group_own_leaf(m[1].g), &rng, &msg));
  broadcast(3, &msg);
  mls_message_free(&msg);
  CHECK_OK(mls_group_commit(m[0].g, NULL, &rng, &cm, &w));
  mt_deliver(m, N, 0, &cm);
  CHECK(!mls_group_active(m[1].g));
  mls_group_free(m[1].g);
  m[1].g = NULL;
  mls_message_free(&cm);
  mls_welcome_free(&w);
  /* our own Update is left out of our own commit (the path replaces it) */
  CHECK_OK(mls_group_propose_update(m[0].g, &rng, &msg));
  broadcast(0, &msg);
  mls_message_free(&msg);
  CHECK_OK(mls_group_commit(m[0].g, NULL, &rng, &cm, &w));
  mls_authenticated_content ac;
  CHECK_OK(mls_group_read(m[3].g, &cm, &ac));
  CHECK(ac.content.body.commit.proposals_count == 0 && ac.content.body.commit.path != NULL);
  mls_authenticated_content_free(&ac);
  mt_deliver(m, N, 0, &cm);
  mls_message_free(&cm);
  mls_welcome_free(&w);
  mimi_test_case();
}

/* ---- §12.4.3.2 external joins ------------------------------------------------ */

static void test_external(void) {
  member *x = &m[N + 1];
  mls_group_config cfg = mls_group_config_default();
  mls_group_info gi;
  mls_group *g = NULL;
  mls_message cm;
  CHECK_OK(mls_group_group_info(m[0].g, true, false, &gi));
  CHECK_ERR(mls_group_join_external(&g, &gi, NULL, &x->kp, x->sig_priv.data, x->sig_priv.len,
                                    UINT32_MAX, &cfg, &rng, &cm),
            MIMI_ERR_BAD_WELCOME); /* no external_pub */
  mls_group_info_free(&gi);
  CHECK_OK(mls_group_group_info(m[0].g, false, true, &gi));
  CHECK_ERR(mls_group_join_external(&g, &gi, NULL, &x->kp, x->sig_priv.data, x->sig_priv.len,
                                    UINT32_MAX, &cfg, &rng, &cm),
            MIMI_ERR_BAD_WELCOME); /* no tree */
  mls_group_info_free(&gi);
  CHECK_OK(mls_group_group_info(m[0].g, true, true, &gi));
  gi.signature.data[1] ^= 1;
  CHECK_ERR(mls_group_join_external(&g, &gi, NULL, &x->kp, x->sig_priv.data, x->sig_priv.len,
                                    UINT32_MAX, &cfg, &rng, &cm),
            MIMI_ERR_BAD_SIGNATURE);
  gi.signature.data[1] ^= 1;
  CHECK_ERR(mls_group_join_external(&g, &gi, NULL, &x->kp, x->sig_priv.data, x->sig_priv.len,
                                    1 /* blank */, &cfg, &rng, &cm),
            MIMI_ERR_BAD_PROPOSAL);
  CHECK(g == NULL);
  CHECK_OK(mls_group_join_external(&g, &gi, NULL, &x->kp, x->sig_priv.data, x->sig_priv.len,
                                   UINT32_MAX, &cfg, &rng, &cm));
  mls_group_info_free(&gi);
  mls_authenticated_content ac;
  mls_staged_commit *sc = NULL;
  CHECK_OK(mls_group_read(m[3].g, &cm, &ac));
  /* another ExternalInit output: another init secret, so another tag */
  mls_proposal *ei = &ac.content.body.commit.proposals[0].proposal;
  CHECK(ei->proposal_type == MLS_PROPOSAL_EXTERNAL_INIT);
  ei->external_init.kem_output.data[0] ^= 1;
  CHECK_ERR(mls_group_stage_commit(m[3].g, &ac, &sc), MIMI_ERR_BAD_MAC);
  ei->external_init.kem_output.data[0] ^= 1;
  /* a proposal by reference in an external commit */
  mls_proposal_or_ref keep = ac.content.body.commit.proposals[0];
  uint8_t zref[32] = {0};
  ac.content.body.commit.proposals[0].type = MLS_PROPOSAL_OR_REF_REFERENCE;
  ac.content.body.commit.proposals[0].reference = (mimi_bytes){zref, 32};
  CHECK_ERR(mls_group_stage_commit(m[3].g, &ac, &sc), MIMI_ERR_BAD_PROPOSAL);
  ac.content.body.commit.proposals[0] = keep;
  CHECK_OK(mls_group_stage_commit(m[3].g, &ac, &sc));
  mls_group_merge(m[3].g, sc);
  mls_authenticated_content_free(&ac);
  CHECK_OK(mls_group_read(m[0].g, &cm, &ac));
  CHECK_OK(mls_group_stage_commit(m[0].g, &ac, &sc));
  mls_group_merge(m[0].g, sc);
  size_t la, lb;
  const uint8_t *ea = mls_group_epoch_authenticator(g, &la);
  const uint8_t *eb = mls_group_epoch_authenticator(m[3].g, &lb);
  CHECK_MEM(ea, la, eb, lb);
  mls_authenticated_content_free(&ac);
  mls_message_free(&cm);
  mls_group_free(g);
  mimi_test_case();
}

/* ---- persistence: the blob decoder's rejections, and a restored secret
 * tree refusing what the original refused ------------------------------------ */

static void test_persistence(void) {
  mls_group *g = m[0].g, *r = NULL;
  mimi_bytes blob = snap(g);
  CHECK_ERR(mls_group_deserialize(&r, blob.data, blob.len - 1, NULL), MIMI_ERR_TRUNCATED);
  mimi_bytes longer;
  CHECK_OK(mimi_bytes_copy(&longer, blob.data, blob.len));
  CHECK_OK(mimi_bytes_append(&longer, (const uint8_t *)"x", 1));
  CHECK_ERR(mls_group_deserialize(&r, longer.data, longer.len, NULL), MIMI_ERR_TRAILING_DATA);
  mimi_bytes_free(&longer);
  blob.data[1] ^= 0x7f; /* format number */
  CHECK_ERR(mls_group_deserialize(&r, blob.data, blob.len, NULL), MIMI_ERR_UNSUPPORTED);
  blob.data[1] ^= 0x7f;
  blob.data[3] = 99; /* suite */
  CHECK_ERR(mls_group_deserialize(&r, blob.data, blob.len, NULL), MIMI_ERR_UNSUPPORTED_SUITE);
  blob.data[3] = SUITE;
  blob.data[5] = 2; /* encrypt_handshake is a flag: one encoding per state */
  CHECK_ERR(mls_group_deserialize(&r, blob.data, blob.len, NULL), MIMI_ERR_INVALID_ARG);
  blob.data[5] = 0;
  CHECK(r == NULL);
  CHECK_OK(mls_group_deserialize(&r, blob.data, blob.len, &store));
  mimi_bytes again = snap(r);
  CHECK_BYTES(again, blob);
  mimi_bytes_free(&again);
  mimi_bytes_free(&blob);

  /* a message read before storing is a replay after restoring */
  static const uint8_t hi[] = "hi";
  mls_message msg;
  mimi_bytes data;
  uint32_t sender;
  CHECK_OK(mls_group_protect(m[3].g, hi, 2, NULL, 0, &rng, &msg));
  CHECK_OK(mls_group_unprotect(r, &msg, &data, &sender));
  mimi_bytes_free(&data);
  mls_group *r2 = NULL;
  blob = snap(r);
  CHECK_OK(mls_group_deserialize(&r2, blob.data, blob.len, &store));
  CHECK_ERR(mls_group_unprotect(r2, &msg, &data, &sender), MIMI_ERR_GENERATION_TOO_OLD);
  mimi_bytes_free(&blob);
  mls_message_free(&msg);
  mls_group_free(r);
  mls_group_free(r2);
  mimi_test_case();
}

/* ---- a message of the next epoch reaches a member still in the old one ---- */

static void test_next_epoch(void) {
  mls_message cm, msg;
  mls_welcome w;
  mls_authenticated_content ac;
  mimi_bytes data;
  uint32_t sender;
  CHECK_OK(mls_group_commit(m[0].g, NULL, &rng, &cm, &w));
  CHECK_OK(mls_group_merge_pending(m[0].g));
  CHECK_OK(mls_group_protect(m[0].g, (const uint8_t *)"x", 1, NULL, 0, &rng, &msg));
  mimi_bytes before = snap(m[3].g);
  CHECK_ERR(mls_group_unprotect(m[3].g, &msg, &data, &sender), MIMI_ERR_WRONG_EPOCH);
  mls_message_free(&msg);
  CHECK_OK(mls_group_propose_remove(m[0].g, 3, &rng, &msg));
  CHECK_ERR(mls_group_read(m[3].g, &msg, &ac), MIMI_ERR_WRONG_EPOCH);
  same(m[3].g, &before);
  mls_message_free(&msg);
  /* other wire formats are not group messages */
  mls_message wm = {MLS_VERSION_MLS10, {.wire_format = MLS_WIRE_WELCOME}};
  CHECK_ERR(mls_group_read(m[3].g, &wm, &ac), MIMI_ERR_BAD_WIRE_FORMAT);
  CHECK_OK(mls_group_read(m[3].g, &cm, &ac));
  mls_staged_commit *sc = NULL;
  CHECK_OK(mls_group_stage_commit(m[3].g, &ac, &sc));
  mls_group_merge(m[3].g, sc);
  mls_authenticated_content_free(&ac);
  mls_message_free(&cm);
  mls_welcome_free(&w);
  mimi_test_case();
}

/* ---- §12.1.8.1 proposals from an external sender (e.g. the hub) ------------ */

static void test_external_sender(void) {
  const mimi_suite *s = mimi_suite_get(SUITE);
  mimi_bytes hub_priv, hub_pub, other_priv, other_pub;
  CHECK_OK(mimi_sig_generate(s->sig, &rng, &hub_priv, &hub_pub));
  CHECK_OK(mimi_sig_generate(s->sig, &rng, &other_priv, &other_pub));
  mls_external_sender es = {hub_pub, {.credential_type = MLS_CREDENTIAL_BASIC}};
  es.credential.identity = (mimi_bytes){(uint8_t *)"hub", 3};
  mls_external_senders list = {&es, 1};
  mimi_bytes data;
  CHECK_OK(mls_external_senders_encode(&list, &data));
  mls_extension ext = {MLS_EXT_EXTERNAL_SENDERS, data};
  mls_message msg, cm;
  mls_welcome w;
  CHECK_OK(mls_group_propose_group_context_extensions(m[0].g, &ext, 1, &rng, &msg));
  broadcast(0, &msg);
  mls_message_free(&msg);
  CHECK_OK(mls_group_commit(m[3].g, NULL, &rng, &cm, &w));
  mt_deliver(m, N, 3, &cm);
  mls_message_free(&cm);
  mls_welcome_free(&w);
  mimi_bytes_free(&data);

  /* the hub removes the member that joined externally and went away */
  uint32_t gone = UINT32_MAX;
  for (uint32_t i = 0; i < mls_rtree_leaf_count(mls_group_tree(m[0].g)); i++) {
    const mls_leaf_node *l = mls_group_member(m[0].g, i);
    if (l != NULL && mimi_bytes_eq(&l->signature_key, &m[N + 1].sig_pub)) gone = i;
  }
  CHECK(gone != UINT32_MAX);
  mls_proposal rm = remove_of(gone);
  const mls_group_context *ctx = mls_group_context_of(m[0].g);
  mls_authenticated_content ac;
  mimi_bytes before = snap(m[0].g);
  CHECK_OK(mls_external_propose(ctx, 1, &rm, hub_priv.data, hub_priv.len, &msg));
  CHECK_ERR(mls_group_read(m[0].g, &msg, &ac), MIMI_ERR_BAD_SENDER); /* no sender 1 */
  mls_message_free(&msg);
  CHECK_OK(mls_external_propose(ctx, 0, &rm, other_priv.data, other_priv.len, &msg));
  CHECK_ERR(mls_group_read(m[0].g, &msg, &ac), MIMI_ERR_BAD_SIGNATURE);
  mls_message_free(&msg);
  mimi_bytes ep;
  mls_proposal up = update_from(3, &ep); /* only members update */
  CHECK_OK(mls_external_propose(ctx, 0, &up, hub_priv.data, hub_priv.len, &msg));
  CHECK_OK(mls_group_read(m[0].g, &msg, &ac));
  CHECK_ERR(mls_group_store_proposal(m[0].g, &ac), MIMI_ERR_BAD_PROPOSAL);
  same(m[0].g, &before);
  mls_authenticated_content_free(&ac);
  mls_message_free(&msg);
  mls_proposal_free(&up);
  mimi_bytes_free(&ep);
  CHECK_OK(mls_external_propose(ctx, 0, &rm, hub_priv.data, hub_priv.len, &msg));
  broadcast(-1, &msg);
  mls_message_free(&msg);
  CHECK_OK(mls_group_commit(m[0].g, NULL, &rng, &cm, &w));
  mt_deliver(m, N, 0, &cm);
  CHECK(mls_group_member(m[0].g, gone) == NULL && mls_group_member(m[3].g, gone) == NULL);
  mls_message_free(&cm);
  mls_welcome_free(&w);
  mimi_bytes_free(&hub_priv);
  mimi_bytes_free(&hub_pub);
  mimi_bytes_free(&other_priv);
  mimi_bytes_free(&other_pub);
  mimi_test_case();
}

/* ---- §12.4.2 after a committed ReInit the group sends nothing more -------- */

static void test_reinit(void) {
  mls_reinit ri;
  memset(&ri, 0, sizeof ri);
  ri.group_id = (mimi_bytes){(uint8_t *)"next", 4};
  ri.version = MLS_VERSION_MLS10;
  ri.cipher_suite = 2;
  mls_message msg, cm;
  mls_welcome w;
  CHECK_OK(mls_group_propose_reinit(m[0].g, &ri, &rng, &msg));
  broadcast(0, &msg);
  mls_message_free(&msg);
  CHECK(mls_group_reinit(m[3].g) == NULL);
  CHECK_OK(mls_group_commit(m[3].g, NULL, &rng, &cm, &w));
  mt_deliver(m, N, 3, &cm);
  mls_message_free(&cm);
  mls_welcome_free(&w);
  for (int i = 0; i < N; i++) {
    if (m[i].g == NULL) continue;
    const mls_reinit *got = mls_group_reinit(m[i].g);
    CHECK(got != NULL && got->cipher_suite == 2);
    mimi_bytes before = snap(m[i].g);
    CHECK_ERR(mls_group_protect(m[i].g, (const uint8_t *)"x", 1, NULL, 0, &rng, &msg),
              MIMI_ERR_BAD_GROUP_STATE);
    CHECK_ERR(mls_group_propose_update(m[i].g, &rng, &msg), MIMI_ERR_BAD_GROUP_STATE);
    CHECK_ERR(mls_group_commit(m[i].g, NULL, &rng, &cm, &w), MIMI_ERR_BAD_GROUP_STATE);
    same(m[i].g, &before);
    mls_group *r = NULL;
    before = snap(m[i].g);
    CHECK_OK(mls_group_deserialize(&r, before.data, before.len, NULL));
    CHECK(r != NULL && mls_group_reinit(r) != NULL);
    mls_group_free(r);
    mimi_bytes_free(&before);
  }
  mimi_test_case();
}

int main(void) {
  setup();
  test_key_packages();
  test_proposal_lists();
  test_commit_refused();
  test_commits();
  test_messages();
  test_welcome();
  test_committer_choice();
  test_external();
  test_persistence();
  test_next_epoch();
  test_external_sender();
  test_reinit();
  teardown();
  return mimi_test_summary("test_group_rules");
}
