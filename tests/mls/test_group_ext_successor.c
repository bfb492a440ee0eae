/* test_group_ext_successor.c — per suite, in the extensions-draft group:
 * SelfRemove end to end (a PublicMessage, not committable by its sender,
 * exclusive with a Remove of the same leaf, committed with a path, the
 * leaver processes its removal; an external joiner commits a pending one by
 * reference), a branch (§11.3) and a ReInit (§11.2)
 * successor group whose members agree on the epoch_authenticator, and the
 * refusals of mismatched successors. */
#include "ext_fixture.h"

static void test_self_remove(void) {
  mls_message pm;
  CHECK_OK(mls_group_propose_self_remove(m[2].g, &rng, &pm));
  CHECK(pm.body.wire_format == MLS_WIRE_PUBLIC_MESSAGE);
  /* as a PrivateMessage it would be refused */
  mls_authenticated_content ac;
  CHECK_OK(mls_group_read(m[1].g, &pm, &ac));
  ac.wire_format = MLS_WIRE_PRIVATE_MESSAGE;
  mimi_bytes before = snap(m[1].g);
  CHECK_ERR(mls_group_store_proposal(m[1].g, &ac), MIMI_ERR_BAD_PROPOSAL);
  same(m[1].g, &before);
  mls_authenticated_content_free(&ac);
  deliver_proposal(2, &pm);
  mls_message_free(&pm);
  /* its sender cannot commit it, by value either */
  mls_proposal sr;
  memset(&sr, 0, sizeof sr);
  sr.proposal_type = MLS_PROPOSAL_SELF_REMOVE;
  uint32_t from[2] = {2, 0};
  bool inl[2] = {false, true};
  CHECK_ERR(mls_group_check_proposals(m[0].g, 2, &sr, from, inl, 1), MIMI_ERR_BAD_PROPOSAL);
  bool by_value = true;
  CHECK_ERR(mls_group_check_proposals(m[0].g, 2, &sr, from, &by_value, 1), MIMI_ERR_BAD_PROPOSAL);
  /* a Remove of the same leaf in the same list is invalid */
  mls_proposal both[2];
  both[0] = sr;
  both[1].proposal_type = MLS_PROPOSAL_REMOVE;
  both[1].remove.removed = 2;
  CHECK_ERR(mls_group_check_proposals(m[0].g, 0, both, from, inl, 2), MIMI_ERR_BAD_PROPOSAL);
  CHECK_OK(mls_group_check_proposals(m[0].g, 0, both, from, inl, 1));
  /* member 3 commits it: with an UpdatePath; member 2 sees its removal */
  mls_commit_options opt = {NULL, 0, false, false};
  mls_message cm;
  mls_welcome w;
  CHECK_OK(mls_group_commit(m[3].g, &opt, &rng, &cm, &w));
  CHECK(cm.body.public_message.content.body.commit.path != NULL);
  CHECK(cm.body.public_message.content.body.commit.proposals_count == 1);
  mls_staged_commit *sc = NULL;
  CHECK_OK(mls_group_read(m[2].g, &cm, &ac));
  CHECK_OK(mls_group_stage_commit(m[2].g, &ac, &sc));
  CHECK(sc != NULL && mls_staged_commit_removes_self(sc));
  if (sc != NULL) mls_group_merge(m[2].g, sc);
  mls_authenticated_content_free(&ac);
  CHECK(!mls_group_active(m[2].g));
  deliver(3, &cm);
  mls_message_free(&cm);
  mls_welcome_free(&w);
  CHECK(mls_group_member(m[0].g, 2) == NULL);
  agree();
  /* application data still works without a path */
  mls_proposal up;
  memset(&up, 0, sizeof up);
  up.proposal_type = MLS_PROPOSAL_APP_DATA_UPDATE;
  up.app_data_update.component_id = PARTICIPANTS;
  up.app_data_update.op.op = MLS_APP_DATA_UPDATE_OP_REMOVE;
  commit_deliver(0, &up, 1, 0);
  agree();
}

/* Member 3 leaves while m[N] joins by external commit and commits the
 * SelfRemove by reference. */
static void test_external_self_remove(void) {
  mls_message sr, other;
  CHECK_OK(mls_group_propose_self_remove(m[3].g, &rng, &sr));
  deliver_proposal(3, &sr);
  CHECK_OK(mls_group_propose_app_ephemeral(m[0].g, FRANK, (const uint8_t *)"q", 1, &rng, &other));
  mls_group_info gi;
  CHECK_OK(mls_group_group_info(m[0].g, true, true, &gi));
  mls_group_config ce = config_for(&m[N]);
  mls_group *e = NULL;
  mls_message cm;
  CHECK_ERR(mls_group_join_external_self_removes(&e, &gi, NULL, &m[N].kp, m[N].sig_priv.data,
                                                 m[N].sig_priv.len, UINT32_MAX, &other, 1, &ce,
                                                 &rng, &cm),
            MIMI_ERR_BAD_PROPOSAL);
  mls_message two[2] = {sr, sr};
  CHECK_ERR(mls_group_join_external_self_removes(&e, &gi, NULL, &m[N].kp, m[N].sig_priv.data,
                                                 m[N].sig_priv.len, UINT32_MAX, two, 2, &ce,
                                                 &rng, &cm),
            MIMI_ERR_BAD_PROPOSAL);
  sr.body.public_message.signature.data[5] ^= 1;
  CHECK_ERR(mls_group_join_external_self_removes(&e, &gi, NULL, &m[N].kp, m[N].sig_priv.data,
                                                 m[N].sig_priv.len, UINT32_MAX, &sr, 1, &ce,
                                                 &rng, &cm),
            MIMI_ERR_BAD_SIGNATURE);
  sr.body.public_message.signature.data[5] ^= 1;
  CHECK_OK(mls_group_join_external_self_removes(&e, &gi, NULL, &m[N].kp, m[N].sig_priv.data,
                                                m[N].sig_priv.len, UINT32_MAX, &sr, 1, &ce, &rng,
                                                &cm));
  CHECK(cm.body.public_message.content.body.commit.proposals_count == 2);
  mls_authenticated_content ac;
  mls_staged_commit *sc = NULL;
  CHECK_OK(mls_group_read(m[3].g, &cm, &ac));
  CHECK_OK(mls_group_stage_commit(m[3].g, &ac, &sc));
  CHECK(sc != NULL && mls_staged_commit_removes_self(sc));
  if (sc != NULL) mls_group_merge(m[3].g, sc);
  mls_authenticated_content_free(&ac);
  for (int i = 0; i < 2; i++) {
    CHECK_OK(mls_group_read(m[i].g, &cm, &ac));
    CHECK_OK(mls_group_stage_commit(m[i].g, &ac, &sc));
    if (sc != NULL) mls_group_merge(m[i].g, sc);
    mls_authenticated_content_free(&ac);
  }
  m[N].g = e;
  CHECK(!mls_group_active(m[3].g) && mls_group_member(m[0].g, 3) == NULL);
  agree();
  mls_message_free(&cm);
  mls_message_free(&sr);
  mls_message_free(&other);
  mls_group_info_free(&gi);
}

static void same_epoch(const mls_group *a, const mls_group *b) {
  CHECK(mls_group_epoch(a) == 1 && mls_group_epoch(b) == 1);
  size_t la, lb;
  const uint8_t *ea = mls_group_epoch_authenticator(a, &la);
  const uint8_t *eb = mls_group_epoch_authenticator(b, &lb);
  CHECK_MEM(ea, la, eb, lb);
  mimi_bytes x = {NULL, 0}, y = {NULL, 0};
  CHECK_OK(mls_group_context_encode(mls_group_context_of(a), &x));
  CHECK_OK(mls_group_context_encode(mls_group_context_of(b), &y));
  CHECK_BYTES(x, y);
  mimi_bytes_free(&x);
  mimi_bytes_free(&y);
}

static void test_branch(void) {
  static const uint8_t gid[] = "side";
  make_kp_suite(&m[1], suite, true);
  mls_group_config c0 = config_for(&m[0]), c1 = config_for(&m[1]);
  mls_group *a = NULL, *d = NULL;
  mls_welcome w;
  mls_extension exts[2];
  group_extensions(exts);
  /* someone who is not in the old group (any more) cannot be taken along */
  make_kp_suite(&m[2], suite, true);
  CHECK_ERR(mls_group_create_successor(&a, m[0].g, MLS_RESUMPTION_BRANCH, gid, 4, exts, 2,
                                       &m[0].kp, m[0].sig_priv.data, m[0].sig_priv.len,
                                       &m[2].kp.key_package, 1, &c0, &rng, &w),
            MIMI_ERR_BAD_KEY_PACKAGE);
  CHECK_ERR(mls_group_create_successor(&a, m[0].g, 9, gid, 4, exts, 2, &m[0].kp,
                                       m[0].sig_priv.data, m[0].sig_priv.len,
                                       &m[1].kp.key_package, 1, &c0, &rng, &w),
            MIMI_ERR_INVALID_ARG);
  /* m[0].kp was used for the room already: the branch gets a fresh one */
  make_kp_suite(&m[0], suite, true);
  CHECK_OK(mls_group_create_successor(&a, m[0].g, MLS_RESUMPTION_BRANCH, gid, 4, exts, 2,
                                      &m[0].kp, m[0].sig_priv.data, m[0].sig_priv.len,
                                      &m[1].kp.key_package, 1, &c0, &rng, &w));
  mls_extension_free(&exts[0]);
  mls_extension_free(&exts[1]);
  if (a == NULL) return;
  /* a plain join cannot resolve the branch PSK */
  CHECK_ERR(mls_group_join(&d, &w, &m[1].kp, m[1].sig_priv.data, m[1].sig_priv.len, NULL, &c1),
            MIMI_ERR_BAD_PSK);
  /* nor can the successor join against another group */
  CHECK_ERR(mls_group_join_successor(&d, a, &w, &m[1].kp, m[1].sig_priv.data, m[1].sig_priv.len,
                                     NULL, &c1),
            MIMI_ERR_BAD_PSK);
  CHECK_OK(mls_group_join_successor(&d, m[1].g, &w, &m[1].kp, m[1].sig_priv.data,
                                    m[1].sig_priv.len, NULL, &c1));
  if (d != NULL) {
    same_epoch(a, d);
    CHECK(mls_group_id(d)->len == 4 && memcmp(mls_group_id(d)->data, gid, 4) == 0);
  }
  /* a branch PSK is no ordinary PSK proposal */
  mls_proposal psk;
  memset(&psk, 0, sizeof psk);
  psk.proposal_type = MLS_PROPOSAL_PSK;
  psk.psk.psk.source.psktype = MLS_PSK_RESUMPTION;
  psk.psk.psk.source.resumption.usage = MLS_RESUMPTION_BRANCH;
  psk.psk.psk.source.resumption.psk_group_id = *mls_group_id(m[0].g);
  psk.psk.psk.source.resumption.psk_epoch = mls_group_epoch(m[0].g);
  uint8_t nonce[64] = {0};
  psk.psk.psk.psk_nonce = (mimi_bytes){nonce, mimi_suite_get(suite)->hash_len};
  uint32_t from = 0;
  bool inl = true;
  CHECK_ERR(mls_group_check_proposals(a, 0, &psk, &from, &inl, 1), MIMI_ERR_BAD_PROPOSAL);
  CHECK_ERR(mls_group_check_proposals(m[0].g, 0, &psk, &from, &inl, 1), MIMI_ERR_BAD_PROPOSAL);
  mls_welcome_free(&w);
  mls_group_free(a);
  mls_group_free(d);
}

static void test_reinit(void) {
  uint16_t next_suite = suite == 1 ? 3 : suite == 3 ? 1 : suite;
  static const uint8_t gid[] = "room2";
  mls_proposal ri;
  memset(&ri, 0, sizeof ri);
  ri.proposal_type = MLS_PROPOSAL_REINIT;
  ri.reinit.group_id = (mimi_bytes){(uint8_t *)gid, 5};
  ri.reinit.version = MLS_VERSION_MLS10;
  ri.reinit.cipher_suite = next_suite;
  const mls_group_context *gc = mls_group_context_of(m[0].g);
  ri.reinit.extensions = gc->extensions; /* view: same requirements and data */
  ri.reinit.extensions_count = gc->extensions_count;
  /* before the ReInit is committed there is nothing to succeed */
  mls_group *b = NULL, *a = NULL, *d = NULL;
  mls_welcome w;
  static const int keep[] = {0, 1, N};
  for (int k = 0; k < 3; k++) make_kp_suite(&m[keep[k]], next_suite, true);
  mls_group_config c0 = config_for(&m[0]), c1 = config_for(&m[1]), c3 = config_for(&m[N]);
  mls_key_package joiners[2] = {m[0].kp.key_package, m[N].kp.key_package};
  CHECK_ERR(mls_group_create_successor(&b, m[1].g, MLS_RESUMPTION_REINIT, NULL, 0, NULL, 0,
                                       &m[1].kp, m[1].sig_priv.data, m[1].sig_priv.len, joiners,
                                       2, &c1, &rng, &w),
            MIMI_ERR_BAD_GROUP_STATE);
  mls_message pm;
  CHECK_OK(mls_group_propose_reinit(m[0].g, &ri.reinit, &rng, &pm));
  deliver_proposal(0, &pm);
  mls_message_free(&pm);
  commit_deliver(1, NULL, 0, 0);
  agree();
  for (int k = 0; k < 3; k++) {
    int i = keep[k];
      CHECK(mls_group_reinit(m[i].g) != NULL);
      mls_message am;
      CHECK_ERR(mls_group_protect(m[i].g, (const uint8_t *)"x", 1, NULL, 0, &rng, &am),
                MIMI_ERR_BAD_GROUP_STATE);
    }
  /* the ReInit fixes the parameters */
  CHECK_ERR(mls_group_create_successor(&b, m[1].g, MLS_RESUMPTION_REINIT, gid, 5, NULL, 0,
                                       &m[1].kp, m[1].sig_priv.data, m[1].sig_priv.len, joiners,
                                       2, &c1, &rng, &w),
            MIMI_ERR_INVALID_ARG);
  if (next_suite != suite) {
    mls_key_package_bundle old_kp;
    memset(&old_kp, 0, sizeof old_kp);
    member tmp = m[1];
    tmp.kp = old_kp;
    make_kp_suite(&tmp, suite, true);
    CHECK_ERR(mls_group_create_successor(&b, m[1].g, MLS_RESUMPTION_REINIT, NULL, 0, NULL, 0,
                                         &tmp.kp, m[1].sig_priv.data, m[1].sig_priv.len, joiners,
                                         2, &c1, &rng, &w),
              MIMI_ERR_BAD_KEY_PACKAGE);
    mls_key_package_bundle_free(&tmp.kp);
  }
  CHECK_OK(mls_group_create_successor(&b, m[1].g, MLS_RESUMPTION_REINIT, NULL, 0, NULL, 0,
                                      &m[1].kp, m[1].sig_priv.data, m[1].sig_priv.len, joiners, 2,
                                      &c1, &rng, &w));
  if (b == NULL) return;
  CHECK(mls_group_suite(b) == next_suite && w.cipher_suite == next_suite);
  /* a joiner whose ReInit differs refuses the Welcome */
  mls_reinit *mine = (mls_reinit *)mls_group_reinit(m[N].g);
  size_t n_ext = mine->extensions_count;
  mine->extensions_count = n_ext - 1;
  CHECK_ERR(mls_group_join_successor(&d, m[N].g, &w, &m[N].kp, m[N].sig_priv.data,
                                     m[N].sig_priv.len, NULL, &c3),
            MIMI_ERR_BAD_WELCOME);
  mine->extensions_count = n_ext;
  mine->cipher_suite ^= 0x10;
  CHECK_ERR(mls_group_join_successor(&d, m[N].g, &w, &m[N].kp, m[N].sig_priv.data,
                                     m[N].sig_priv.len, NULL, &c3),
            MIMI_ERR_BAD_WELCOME);
  mine->cipher_suite ^= 0x10;
  CHECK_OK(mls_group_join_successor(&a, m[0].g, &w, &m[0].kp, m[0].sig_priv.data,
                                    m[0].sig_priv.len, NULL, &c0));
  CHECK_OK(mls_group_join_successor(&d, m[N].g, &w, &m[N].kp, m[N].sig_priv.data,
                                    m[N].sig_priv.len, NULL, &c3));
  if (a != NULL && d != NULL) {
    same_epoch(b, a);
    same_epoch(b, d);
    CHECK(mls_group_id(a)->len == 5 && memcmp(mls_group_id(a)->data, gid, 5) == 0);
    /* the old group's application data came along in the ReInit */
    mimi_bytes x = {NULL, 0};
    CHECK_OK(mls_group_app_data(d, MLS_COMPONENT_SAFE_AAD, &x));
    mimi_bytes want = one_component(FRANK);
    CHECK_BYTES(x, want);
    mimi_bytes_free(&x);
    mimi_bytes_free(&want);
    /* and the new group runs: an application message */
    mls_message am;
    CHECK_OK(mls_group_protect_safe(a, (const uint8_t *)"new", 3, NULL, 0, &rng, &am));
    mimi_bytes data = {NULL, 0};
    uint32_t sender;
    mls_safe_aad aad;
    CHECK_OK(mls_group_unprotect_safe(b, &am, &data, &sender, &aad));
    CHECK_MEM(data.data, data.len, "new", 3);
    mls_safe_aad_free(&aad);
    mimi_bytes_free(&data);
    mls_message_free(&am);
  }
  mls_welcome_free(&w);
  mls_group_free(a);
  mls_group_free(b);
  mls_group_free(d);
}

static void run(uint16_t s_id) {
  setup(s_id, 2000 + s_id);
  test_self_remove();
  test_external_self_remove();
  test_branch();
  test_reinit();
  teardown();
  mimi_test_case();
}

int main(void) {
  static const uint16_t suites[] = {1, 2, 3};
  for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++) run(suites[i]);
  return mimi_test_summary("test_group_ext_successor");
}
