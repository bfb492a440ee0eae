/* test_group_ext_app.c — the extensions draft's application data in a
 * four-member group, per suite: AppDataUpdate of a participant-list
 * component accepted from the admin and refused (validator) for others,
 * with no state change on refusal and agreement after acceptance; the
 * per-component list rules; the GroupContextExtensions rule; required
 * components; AppEphemeral delivery; SafeAAD framing and malformed SafeAAD;
 * GroupInfo dictionaries; the commit-level hook; persistence keeping the
 * dictionary. */
#include "ext_fixture.h"

static mls_proposal adu(uint16_t id, const char *update) {
  mls_proposal p;
  memset(&p, 0, sizeof p);
  p.proposal_type = MLS_PROPOSAL_APP_DATA_UPDATE;
  p.app_data_update.component_id = id;
  if (update == NULL) {
    p.app_data_update.op.op = MLS_APP_DATA_UPDATE_OP_REMOVE;
  } else {
    p.app_data_update.op.op = MLS_APP_DATA_UPDATE_OP_UPDATE;
    p.app_data_update.op.update = (mimi_bytes){(uint8_t *)update, strlen(update)};
  }
  return p;
}

static mls_proposal eph(uint16_t id, const char *data) {
  mls_proposal p;
  memset(&p, 0, sizeof p);
  p.proposal_type = MLS_PROPOSAL_APP_EPHEMERAL;
  p.app_ephemeral.component_id = id;
  p.app_ephemeral.data = (mimi_bytes){(uint8_t *)data, strlen(data)};
  return p;
}

/* Member `who` tries an inline commit that must fail with `code`,
 * leaving its state as it was. */
static void commit_refused(int who, const mls_proposal *inl, size_t n, mimi_err code) {
  mimi_bytes before = snap(m[who].g);
  mls_commit_options opt = {inl, n, false, false};
  mls_message cm;
  mls_welcome w;
  CHECK_ERR(mls_group_commit(m[who].g, &opt, &rng, &cm, &w), code);
  CHECK(!mls_group_has_pending(m[who].g));
  same(m[who].g, &before);
}

/* Application data needs no UpdatePath. */
static void commit_inline(int who, const mls_proposal *inl, size_t n) {
  commit_deliver(who, inl, n, 0);
}

static void test_dictionary_at_join(void) {
  for (int i = 0; i < N; i++) check_participants(i, "A");
  agree();
  mimi_bytes d = {NULL, 0};
  CHECK_ERR(mls_group_app_data(m[0].g, 0x7777, &d), MIMI_ERR_NOT_FOUND);
  /* the leaf dictionary as the KeyPackage carried it */
  const mls_leaf_node *leaf = mls_group_member(m[2].g, 1);
  CHECK_OK(mls_app_data_get(leaf->extensions, leaf->extensions_count, MLS_COMPONENT_SAFE_AAD, &d));
  mimi_bytes want = one_component(FRANK);
  CHECK_BYTES(d, want);
  mimi_bytes_free(&want);
  mimi_bytes_free(&d);
}

static void test_update_by_admin(void) {
  /* the admin proposes, member 1 commits it by reference */
  mls_message pm;
  CHECK_OK(mls_group_propose_app_data_update(m[0].g, PARTICIPANTS, (const uint8_t *)"B", 1, &rng,
                                             &pm));
  deliver_proposal(0, &pm);
  mls_message_free(&pm);
  commit_deliver(1, NULL, 0, 0);
  for (int i = 0; i < N; i++) check_participants(i, "AB");
  agree();
  /* several updates of one component apply in commit order */
  mls_proposal two[2] = {adu(PARTICIPANTS, "C"), adu(PARTICIPANTS, "D")};
  commit_inline(0, two, 2);
  for (int i = 0; i < N; i++) check_participants(i, "ABCD");
  agree();
}

static void test_update_refused(void) {
  int refusals = m[0].app.refusals;
  /* member 2's own commit: its validator says no */
  mls_proposal p = adu(PARTICIPANTS, "X");
  commit_refused(2, &p, 1, MIMI_ERR_BAD_PROPOSAL);
  /* a member whose application lets it through: the others refuse */
  mls_component_handler lax = {PARTICIPANTS, append_update, NULL, NULL, NULL};
  CHECK_OK(mls_group_set_components(m[2].g, &lax, 1, NULL));
  mls_commit_options opt = {&p, 1, false, false};
  mls_message cm;
  mls_welcome w;
  CHECK_OK(mls_group_commit(m[2].g, &opt, &rng, &cm, &w));
  for (int i = 0; i < N; i++) {
    if (i == 2) continue;
    mimi_bytes before = snap(m[i].g);
    mls_authenticated_content ac;
    mls_staged_commit *sc = NULL;
    CHECK_OK(mls_group_read(m[i].g, &cm, &ac));
    CHECK_ERR(mls_group_stage_commit(m[i].g, &ac, &sc), MIMI_ERR_BAD_PROPOSAL);
    CHECK(sc == NULL);
    mls_authenticated_content_free(&ac);
    same(m[i].g, &before);
  }
  CHECK(m[0].app.refusals == refusals + 1);
  mls_message_free(&cm);
  mls_welcome_free(&w);
  mls_group_discard_pending(m[2].g);
  CHECK_OK(mls_group_set_components(m[2].g, m[2].h, 2, NULL));
  /* by reference: member 3 holds member 1's proposal */
  mls_commit_options opt0 = {NULL, 0, false, false};
  mls_message pm;
  CHECK_OK(mls_group_propose_app_data_update(m[1].g, PARTICIPANTS, (const uint8_t *)"Y", 1, &rng,
                                             &pm));
  mls_authenticated_content ac;
  CHECK_OK(mls_group_read(m[3].g, &pm, &ac));
  CHECK_OK(mls_group_store_proposal(m[3].g, &ac));
  mls_authenticated_content_free(&ac);
  mls_message_free(&pm);
  /* §12.4: only valid proposals are due, so member 3's commit leaves it out */
  refusals = m[3].app.refusals;
  CHECK_OK(mls_group_commit(m[3].g, &opt0, &rng, &cm, &w));
  CHECK(cm.body.public_message.content.body.commit.proposals_count == 0);
  CHECK(m[3].app.refusals == refusals + 1);
  mls_message_free(&cm);
  mls_welcome_free(&w);
  mls_group_discard_pending(m[3].g);
  /* the next epoch (an admin commit) drops the stale proposal everywhere */
  mls_proposal e = eph(FRANK, "tick");
  commit_inline(0, &e, 1);
  for (int i = 0; i < N; i++) check_participants(i, "ABCD");
  agree();
  /* a component without a handler is unknown */
  mls_proposal unknown = adu(0x7777, "z");
  commit_refused(0, &unknown, 1, MIMI_ERR_BAD_PROPOSAL);
  mls_proposal unknown_eph = eph(0x7777, "z");
  commit_refused(0, &unknown_eph, 1, MIMI_ERR_BAD_PROPOSAL);
}

static void test_list_rules(void) {
  mls_proposal rm = adu(PARTICIPANTS, NULL), up = adu(PARTICIPANTS, "E");
  mls_proposal two_rm[2] = {rm, rm}, rm_up[2] = {rm, up}, up_rm[2] = {up, rm};
  commit_refused(0, two_rm, 2, MIMI_ERR_BAD_PROPOSAL);
  commit_refused(0, rm_up, 2, MIMI_ERR_BAD_PROPOSAL);
  commit_refused(0, up_rm, 2, MIMI_ERR_BAD_PROPOSAL);
  /* the same rules through the public check */
  uint32_t from[2] = {0, 0};
  bool inl[2] = {true, true};
  CHECK_ERR(mls_group_check_proposals(m[1].g, 0, rm_up, from, inl, 2), MIMI_ERR_BAD_PROPOSAL);
  CHECK_OK(mls_group_check_proposals(m[1].g, 0, &rm, from, inl, 1));
  /* remove, then removing what is gone is invalid */
  commit_inline(0, &rm, 1);
  mimi_bytes d = {NULL, 0};
  for (int i = 0; i < N; i++) CHECK_ERR(mls_group_app_data(m[i].g, PARTICIPANTS, &d),
                                        MIMI_ERR_NOT_FOUND);
  agree();
  commit_refused(0, &rm, 1, MIMI_ERR_BAD_PROPOSAL);
  /* an update recreates the entry in its sorted place */
  mls_proposal a = adu(PARTICIPANTS, "A");
  commit_inline(0, &a, 1);
  for (int i = 0; i < N; i++) check_participants(i, "A");
  const mls_group_context *gc = mls_group_context_of(m[1].g);
  mls_app_data_dictionary dict;
  const mls_extension *de = NULL;
  for (size_t i = 0; i < gc->extensions_count; i++)
    if (gc->extensions[i].extension_type == MLS_EXT_APP_DATA_DICTIONARY) de = &gc->extensions[i];
  CHECK(de != NULL);
  if (de != NULL) {
    CHECK_OK(mls_app_data_dictionary_parse(de->extension_data.data, de->extension_data.len, &dict));
    CHECK(dict.component_data_count == 3 && dict.component_data[2].component_id == PARTICIPANTS);
    mls_app_data_dictionary_free(&dict);
  }
  agree();
}

/* §appdataupdate: with AppDataUpdate required, GroupContextExtensions
 * must not touch the dictionary. */
static void test_gce_rule(void) {
  const mls_group_context *gc = mls_group_context_of(m[0].g);
  mls_extension exts[2];
  CHECK_OK(mimi_clone(mls_extension_type(), &exts[0], &gc->extensions[0]));
  mls_component_data e[3] = {{MLS_COMPONENT_APP_COMPONENTS, one_component(PARTICIPANTS)},
                             {MLS_COMPONENT_SAFE_AAD, one_component(FRANK)},
                             {PARTICIPANTS, {(uint8_t *)"Z", 1}}};
  CHECK_OK(mls_app_data_dictionary_extension(e, 3, &exts[1]));
  mls_proposal p;
  p.proposal_type = MLS_PROPOSAL_GROUP_CONTEXT_EXTENSIONS;
  p.group_context_extensions.extensions = exts;
  p.group_context_extensions.extensions_count = 2;
  uint32_t from = 0;
  bool inl = true;
  CHECK_ERR(mls_group_check_proposals(m[0].g, 0, &p, &from, &inl, 1), MIMI_ERR_BAD_PROPOSAL);
  p.group_context_extensions.extensions_count = 1; /* dropping it: also a change */
  CHECK_ERR(mls_group_check_proposals(m[0].g, 0, &p, &from, &inl, 1), MIMI_ERR_BAD_PROPOSAL);
  /* the same dictionary is fine */
  mls_extension_free(&exts[1]);
  CHECK_OK(mimi_clone(mls_extension_type(), &exts[1], &gc->extensions[1]));
  p.group_context_extensions.extensions_count = 2;
  CHECK_OK(mls_group_check_proposals(m[0].g, 0, &p, &from, &inl, 1));
  /* a malformed dictionary never is */
  mls_component_data bad[2] = {{9, {NULL, 0}}, {3, {NULL, 0}}};
  mls_extension bad_ext;
  CHECK_ERR(mls_app_data_dictionary_extension(bad, 2, &bad_ext), MIMI_ERR_BAD_APP_DATA);
  mls_app_data_dictionary raw = {bad, 2};
  mimi_bytes_free(&exts[1].extension_data);
  CHECK_OK(mls_app_data_dictionary_encode(&raw, &exts[1].extension_data));
  CHECK_ERR(mls_app_data_dictionary_parse(exts[1].extension_data.data, exts[1].extension_data.len,
                                          &raw),
            MIMI_ERR_BAD_APP_DATA);
  CHECK_ERR(mls_group_check_proposals(m[0].g, 0, &p, &from, &inl, 1), MIMI_ERR_BAD_PROPOSAL);
  mimi_bytes_free(&e[0].data);
  mimi_bytes_free(&e[1].data);
  mls_extension_free(&exts[0]);
  mls_extension_free(&exts[1]);
}

/* A KeyPackage whose leaf does not list the required components. */
static void test_required_components(void) {
  make_kp_suite(&m[N], suite, false);
  CHECK_OK(mls_key_package_validate(&m[N].kp.key_package, suite, 0));
  mls_proposal add;
  add.proposal_type = MLS_PROPOSAL_ADD;
  add.add.key_package = m[N].kp.key_package;
  commit_refused(0, &add, 1, MIMI_ERR_BAD_APP_DATA);
  make_kp_suite(&m[N], suite, true);
  /* a KeyPackage with a malformed leaf dictionary is invalid */
  mls_key_package *kp = &m[N].kp.key_package;
  mls_extension *le = &kp->leaf_node.extensions[0];
  uint8_t saved = le->extension_data.data[1];
  le->extension_data.data[1] = 0x7f; /* first id 0x7f.. > the second */
  CHECK_ERR(mls_key_package_validate(kp, suite, 0), MIMI_ERR_BAD_KEY_PACKAGE);
  le->extension_data.data[1] = saved;
  CHECK_OK(mls_key_package_validate(kp, suite, 0));
}

static void test_ephemeral(void) {
  for (int i = 0; i < N; i++) m[i].app.n_seen = 0;
  mls_message pm;
  CHECK_OK(mls_group_propose_app_ephemeral(m[3].g, FRANK, (const uint8_t *)"hello", 5, &rng, &pm));
  deliver_proposal(3, &pm);
  mls_message_free(&pm);
  mls_proposal e = eph(FRANK, "world");
  mls_commit_options opt = {&e, 1, false, false};
  mls_message cm;
  mls_welcome w;
  mimi_bytes before_ctx = {NULL, 0};
  CHECK_OK(mls_group_context_encode(mls_group_context_of(m[1].g), &before_ctx));
  CHECK_OK(mls_group_commit(m[1].g, &opt, &rng, &cm, &w));
  for (int i = 0; i < N; i++) {
    if (i == 1) continue;
    mls_authenticated_content ac;
    mls_staged_commit *sc = NULL;
    CHECK_OK(mls_group_read(m[i].g, &cm, &ac));
    CHECK_OK(mls_group_stage_commit(m[i].g, &ac, &sc));
    size_t n = 0;
    const mls_app_ephemeral *list = mls_staged_commit_app_ephemeral(sc, &n);
    CHECK(n == 2);
    if (n == 2) {
      CHECK(list[0].component_id == FRANK && list[1].component_id == FRANK);
      CHECK_MEM(list[0].data.data, list[0].data.len, "hello", 5);
      CHECK_MEM(list[1].data.data, list[1].data.len, "world", 5);
    }
    mls_group_merge(m[i].g, sc);
    mls_authenticated_content_free(&ac);
    CHECK_MEM(m[i].app.seen, m[i].app.n_seen, "helloworld", 10);
  }
  CHECK_OK(mls_group_merge_pending(m[1].g));
  /* the creator's handler judged them too (the cached one also on its
   * own, before the commit: callbacks may run more than once); the
   * GroupContext only moved on */
  CHECK(m[1].app.n_seen == 15);
  CHECK_MEM(m[1].app.seen, m[1].app.n_seen, "hellohelloworld", 15);
  const mls_group_context *gc = mls_group_context_of(m[1].g);
  mls_group_context old;
  CHECK_OK(mls_group_context_decode(before_ctx.data, before_ctx.len, &old));
  CHECK(mls_extension_equal(&old.extensions[1], &gc->extensions[1]));
  mls_group_context_free(&old);
  mimi_bytes_free(&before_ctx);
  mls_message_free(&cm);
  mls_welcome_free(&w);
  agree();
  mls_proposal bad = eph(FRANK, "bad");
  commit_refused(2, &bad, 1, MIMI_ERR_BAD_PROPOSAL);
}

static void test_safe_aad(void) {
  CHECK(mls_group_uses_safe_aad(m[0].g));
  uint8_t frank[32];
  for (int i = 0; i < 32; i++) frank[i] = (uint8_t)(i * 7);
  mls_safe_aad_item items[2] = {{FRANK, {frank, 32}}, {0x0300, {(uint8_t *)"x", 1}}};
  mls_message msg;
  CHECK_OK(mls_group_protect_safe(m[0].g, (const uint8_t *)"hi", 2, items, 2, &rng, &msg));
  /* a reordered or altered AAD is refused before decryption: no change */
  mls_private_message *pm = &msg.body.private_message;
  mimi_bytes good;
  CHECK_OK(mimi_bytes_dup(&good, &pm->authenticated_data));
  mls_safe_aad_item swapped[2] = {items[1], items[0]};
  mls_safe_aad raw = {swapped, 2};
  mimi_bytes_free(&pm->authenticated_data);
  CHECK_OK(mls_safe_aad_encode(&raw, &pm->authenticated_data));
  mimi_bytes before = snap(m[1].g), data = {NULL, 0};
  uint32_t sender = 99;
  mls_safe_aad got;
  CHECK_ERR(mls_group_unprotect_safe(m[1].g, &msg, &data, &sender, &got), MIMI_ERR_BAD_SAFE_AAD);
  mls_authenticated_content ac;
  CHECK_ERR(mls_group_read(m[1].g, &msg, &ac), MIMI_ERR_AEAD_OPEN);
  same(m[1].g, &before);
  mimi_bytes_free(&pm->authenticated_data);
  pm->authenticated_data = good;
  CHECK_OK(mls_group_unprotect_safe(m[1].g, &msg, &data, &sender, &got));
  CHECK(sender == 0);
  CHECK_MEM(data.data, data.len, "hi", 2);
  const mls_safe_aad_item *f = mls_safe_aad_find(&got, FRANK);
  CHECK(f != NULL && got.aad_items_count == 2);
  if (f != NULL) CHECK_MEM(f->aad_item_data.data, f->aad_item_data.len, frank, 32);
  CHECK(mls_safe_aad_find(&got, 0x0301) == NULL);
  mls_safe_aad_free(&got);
  mimi_bytes_free(&data);
  mls_message_free(&msg);
  /* the empty SafeAAD, and raw AAD that is not a SafeAAD */
  CHECK_OK(mls_group_protect_safe(m[2].g, (const uint8_t *)"e", 1, NULL, 0, &rng, &msg));
  CHECK(msg.body.private_message.authenticated_data.len == 1 &&
        msg.body.private_message.authenticated_data.data[0] == 0);
  CHECK_OK(mls_group_unprotect_safe(m[3].g, &msg, &data, &sender, &got));
  CHECK(got.aad_items_count == 0 && sender == 2);
  mls_safe_aad_free(&got);
  mimi_bytes_free(&data);
  mls_message_free(&msg);
  before = snap(m[0].g);
  CHECK_ERR(mls_group_protect(m[0].g, (const uint8_t *)"x", 1, (const uint8_t *)"\x01\x02", 2,
                              &rng, &msg),
            MIMI_ERR_TRUNCATED);
  CHECK_ERR(mls_group_protect(m[0].g, (const uint8_t *)"x", 1, NULL, 0, &rng, &msg),
            MIMI_ERR_TRUNCATED);
  same(m[0].g, &before);
  /* builder and parser rules */
  mls_safe_aad_item dup[2] = {items[0], items[0]};
  mimi_bytes enc;
  CHECK_ERR(mls_safe_aad_build(swapped, 2, &enc), MIMI_ERR_BAD_SAFE_AAD);
  CHECK_ERR(mls_safe_aad_build(dup, 2, &enc), MIMI_ERR_BAD_SAFE_AAD);
  raw = (mls_safe_aad){dup, 2};
  CHECK_OK(mls_safe_aad_encode(&raw, &enc));
  CHECK_ERR(mls_safe_aad_parse(enc.data, enc.len, &got), MIMI_ERR_BAD_SAFE_AAD);
  mimi_bytes_free(&enc);
  CHECK_OK(mls_safe_aad_build(items, 2, &enc));
  CHECK_ERR(mls_safe_aad_parse(enc.data, enc.len - 1, &got), MIMI_ERR_TRUNCATED);
  uint8_t longer[64];
  memcpy(longer, enc.data, enc.len);
  longer[enc.len] = 0;
  CHECK_ERR(mls_safe_aad_parse(longer, enc.len + 1, &got), MIMI_ERR_TRAILING_DATA);
  /* spec-derived bytes: items<V> of (uint16 id, opaque<V>) */
  static const uint8_t hand[] = {0x07, 0x00, 0x20, 0x01, 0xaa, 0x03, 0x00, 0x00};
  CHECK_OK(mls_safe_aad_parse(hand, sizeof hand, &got));
  CHECK(got.aad_items_count == 2 && got.aad_items[0].component_id == FRANK &&
        got.aad_items[1].component_id == 0x0300 && got.aad_items[1].aad_item_data.len == 0);
  mls_safe_aad_free(&got);
  mimi_bytes_free(&enc);
}

/* Handshake messages of a SafeAAD group carry the empty SafeAAD. */
static void test_handshake_aad(void) {
  mls_message pm;
  CHECK_OK(mls_group_propose_app_ephemeral(m[0].g, FRANK, (const uint8_t *)"p", 1, &rng, &pm));
  const mimi_bytes *ad = &pm.body.public_message.content.authenticated_data;
  CHECK(ad->len == 1 && ad->data[0] == 0);
  deliver_proposal(0, &pm);
  mls_message_free(&pm);
  commit_deliver(0, NULL, 0, 0);
  agree();
}

/* ext §AppData: a GroupInfo carrying an app_data_dictionary of its own. */
static void test_group_info_dictionary(void) {
  mls_component_data e = {PARTICIPANTS, {(uint8_t *)"joiner-hint", 11}};
  mls_extension ext[2];
  CHECK_OK(mls_app_data_dictionary_extension(&e, 1, &ext[0]));
  mls_group_info gi;
  CHECK_OK(mls_group_group_info_with(m[1].g, true, true, ext, 1, &gi));
  CHECK(gi.extensions_count == 3 && gi.extensions[0].extension_type == MLS_EXT_APP_DATA_DICTIONARY);
  mimi_bytes d = {NULL, 0};
  CHECK_OK(mls_app_data_get(gi.extensions, gi.extensions_count, PARTICIPANTS, &d));
  CHECK_MEM(d.data, d.len, "joiner-hint", 11);
  mimi_bytes_free(&d);
  const mls_leaf_node *signer = mls_group_member(m[1].g, 1);
  CHECK_OK(mls_group_info_verify(&gi, signer->signature_key.data, signer->signature_key.len));
  mls_group_info_free(&gi);
  /* repeated types, one the call adds, a malformed dictionary */
  ext[1] = ext[0];
  CHECK_ERR(mls_group_group_info_with(m[1].g, false, false, ext, 2, &gi), MIMI_ERR_INVALID_ARG);
  ext[1].extension_type = MLS_EXT_RATCHET_TREE;
  CHECK_ERR(mls_group_group_info_with(m[1].g, true, false, &ext[1], 1, &gi),
            MIMI_ERR_INVALID_ARG);
  ext[0].extension_data.data[0] = 0x00; /* an empty vector, entry bytes left over */
  CHECK_ERR(mls_group_group_info_with(m[1].g, false, false, ext, 1, &gi), MIMI_ERR_BAD_APP_DATA);
  mls_extension_free(&ext[0]);
}

/* ext §appdataupdate / §app-ephemeral: "can be sent by an external
 * sender"; applications may be stricter (our validator only admits leaf
 * 0, so the hub's AppDataUpdate is refused while its AppEphemeral goes). */
static void test_external_sender(void) {
  const mimi_suite *s = mimi_suite_get(suite);
  mimi_bytes hub_priv, hub_pub;
  CHECK_OK(mimi_sig_generate(s->sig, &rng, &hub_priv, &hub_pub));
  mls_external_sender es = {hub_pub, {.credential_type = MLS_CREDENTIAL_BASIC}};
  es.credential.identity = (mimi_bytes){(uint8_t *)"hub", 3};
  mls_external_senders list = {&es, 1};
  const mls_group_context *gc = mls_group_context_of(m[0].g);
  mls_extension exts[3];
  exts[0] = gc->extensions[0]; /* views: required_capabilities, dictionary unchanged */
  exts[1] = gc->extensions[1];
  exts[2].extension_type = MLS_EXT_EXTERNAL_SENDERS;
  CHECK_OK(mls_external_senders_encode(&list, &exts[2].extension_data));
  mls_proposal gce;
  gce.proposal_type = MLS_PROPOSAL_GROUP_CONTEXT_EXTENSIONS;
  gce.group_context_extensions.extensions = exts;
  gce.group_context_extensions.extensions_count = 3;
  mls_commit_options opt = {&gce, 1, false, false};
  mls_message cm;
  mls_welcome w;
  CHECK_OK(mls_group_commit(m[0].g, &opt, &rng, &cm, &w));
  deliver(0, &cm);
  mls_message_free(&cm);
  mls_welcome_free(&w);
  mimi_bytes_free(&exts[2].extension_data);
  agree();

  for (int i = 0; i < N; i++) m[i].app.n_seen = 0;
  mls_proposal e = eph(FRANK, "from-hub");
  mls_message pm;
  CHECK_OK(mls_external_propose(mls_group_context_of(m[0].g), 0, &e, hub_priv.data, hub_priv.len,
                                &pm));
  deliver_proposal(-1, &pm);
  mls_message_free(&pm);
  mls_commit_options none = {NULL, 0, false, false};
  CHECK_OK(mls_group_commit(m[2].g, &none, &rng, &cm, &w));
  deliver(2, &cm);
  mls_message_free(&cm);
  mls_welcome_free(&w);
  for (int i = 0; i < N; i++)
    if (i != 2) CHECK_MEM(m[i].app.seen, m[i].app.n_seen, "from-hub", 8);
  agree();

  mls_proposal u = adu(PARTICIPANTS, "H");
  CHECK_OK(mls_external_propose(mls_group_context_of(m[0].g), 0, &u, hub_priv.data, hub_priv.len,
                                &pm));
  deliver_proposal(-1, &pm);
  mls_message_free(&pm);
  /* a committer leaves the refused proposal out and commits the rest */
  int refusals = m[2].app.refusals;
  CHECK_OK(mls_group_commit(m[2].g, &none, &rng, &cm, &w));
  CHECK(cm.body.public_message.content.body.commit.proposals_count == 0);
  CHECK(m[2].app.refusals == refusals + 1);
  deliver(2, &cm);
  mls_message_free(&cm);
  mls_welcome_free(&w);
  for (int i = 0; i < N; i++) check_participants(i, "AF");
  agree();
  mimi_bytes_free(&hub_priv);
  mimi_bytes_free(&hub_pub);
}

/* A commit-level rule (as a room policy would run): no '!' in the
 * participant list, judged on the next GroupContext. */
typedef struct {
  int calls;
} hook_state;

static mimi_err no_bang(void *ctx, const mls_commit_view *v) {
  hook_state *h = ctx;
  h->calls++;
  if (v->new_context->epoch != v->old_context->epoch + 1) return MIMI_ERR_INTERNAL;
  for (size_t i = 0; i < v->n; i++)
    if (v->proposals[i].proposal_type == MLS_PROPOSAL_APP_DATA_UPDATE && v->senders[i] != 0)
      return MIMI_ERR_INTERNAL; /* the validator already let only the admin through */
  mimi_bytes d = {NULL, 0};
  mimi_err err = mls_app_data_get(v->new_context->extensions, v->new_context->extensions_count,
                                  PARTICIPANTS, &d);
  if (err == MIMI_ERR_NOT_FOUND) return MIMI_OK;
  if (err != MIMI_OK) return err;
  bool bang = memchr(d.data, '!', d.len) != NULL;
  mimi_bytes_free(&d);
  return bang ? MIMI_ERR_POLICY_DENIED : MIMI_OK;
}

static void test_commit_hook(void) {
  hook_state hs[N] = {{0}};
  mls_commit_hook hooks[N];
  for (int i = 0; i < N; i++) {
    hooks[i] = (mls_commit_hook){no_bang, &hs[i]};
    CHECK_OK(mls_group_set_components(m[i].g, m[i].h, 2, &hooks[i]));
  }
  mls_proposal bang = adu(PARTICIPANTS, "!");
  commit_refused(0, &bang, 1, MIMI_ERR_POLICY_DENIED);
  CHECK(hs[0].calls == 1);
  /* the committer without the rule: every receiver refuses, unchanged */
  CHECK_OK(mls_group_set_components(m[0].g, m[0].h, 2, NULL));
  mls_commit_options opt = {&bang, 1, false, false};
  mls_message cm;
  mls_welcome w;
  CHECK_OK(mls_group_commit(m[0].g, &opt, &rng, &cm, &w));
  for (int i = 1; i < N; i++) {
    mimi_bytes before = snap(m[i].g);
    mls_authenticated_content ac;
    mls_staged_commit *sc = NULL;
    CHECK_OK(mls_group_read(m[i].g, &cm, &ac));
    CHECK_ERR(mls_group_stage_commit(m[i].g, &ac, &sc), MIMI_ERR_POLICY_DENIED);
    mls_authenticated_content_free(&ac);
    same(m[i].g, &before);
    CHECK(hs[i].calls == 1);
  }
  mls_message_free(&cm);
  mls_welcome_free(&w);
  mls_group_discard_pending(m[0].g);
  CHECK_OK(mls_group_set_components(m[0].g, m[0].h, 2, &hooks[0]));
  mls_proposal fine = adu(PARTICIPANTS, "F");
  commit_inline(0, &fine, 1);
  for (int i = 0; i < N; i++) {
    CHECK(hs[i].calls == 2);
    check_participants(i, "AF");
    CHECK_OK(mls_group_set_components(m[i].g, m[i].h, 2, NULL));
  }
  agree();
}

static void test_persistence(void) {
  mimi_bytes blob = snap(m[2].g);
  mls_group *back = NULL;
  CHECK_OK(mls_group_deserialize(&back, blob.data, blob.len, NULL));
  mimi_bytes_free(&blob);
  if (back == NULL) return;
  mls_group_free(m[2].g);
  m[2].g = back;
  /* handlers are not stored: without them the component is unknown */
  mimi_bytes d = {NULL, 0};
  CHECK_OK(mls_group_app_data(back, PARTICIPANTS, &d));
  mimi_bytes_free(&d);
  mls_component_handler twice[2] = {m[2].h[0], m[2].h[0]};
  CHECK_ERR(mls_group_set_components(back, twice, 2, NULL), MIMI_ERR_INVALID_ARG);
  CHECK_OK(mls_group_set_components(back, m[2].h, 2, NULL));
  mls_proposal p = adu(PARTICIPANTS, "Q");
  commit_inline(0, &p, 1);
  for (int i = 0; i < N; i++) check_participants(i, "AFQ");
  agree();
}

static void run(uint16_t s_id) {
  setup(s_id, 1000 + s_id);
  test_dictionary_at_join();
  test_update_by_admin();
  test_update_refused();
  test_list_rules();
  test_gce_rule();
  test_required_components();
  test_ephemeral();
  test_safe_aad();
  test_handshake_aad();
  test_group_info_dictionary();
  test_commit_hook();
  test_external_sender();
  test_persistence();
  teardown();
  mimi_test_case();
}

int main(void) {
  static const uint16_t suites[] = {1, 2, 3};
  for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++) run(suites[i]);
  return mimi_test_summary("test_group_ext_app");
}
