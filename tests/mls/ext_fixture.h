/* ext_fixture.h — the group the extensions-draft tests share: N members of
 * one suite whose GroupContext requires AppDataUpdate / AppEphemeral /
 * SelfRemove and holds an app_data_dictionary with app_components and
 * safe_aad (so every leaf must list them) and a "participant list"
 * component. Each member's handler for that component appends the update
 * to the list and lets only leaf 0 (the room's admin) change it; the
 * ephemeral handler records what it was given and refuses "bad". */
#ifndef MIMI_TEST_EXT_FIXTURE_H
#define MIMI_TEST_EXT_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "group_snapshot.h"
#include "mimi/mls.h"

#define N 4
#define PARTICIPANTS 0x0100 /* the application's participant-list component */
#define FRANK 0x0020        /* MIMI frank_aad (mimi/protocol_wire.h) */

typedef struct {
  int refusals; /* how many changes the validator refused */
  uint8_t seen[64];
  size_t n_seen; /* ephemeral bytes delivered, concatenated */
} app_state;

typedef struct {
  mimi_bytes sig_priv, sig_pub;
  mls_credential cred;
  mls_key_package_bundle kp;
  mls_group *g;
  app_state app;
  mls_component_handler h[2];
} member;

static member m[N + 1];
static mimi_test_prng prng;
static mimi_rng rng;
static uint16_t suite;

static mimi_err append_update(void *ctx, const mls_component_event *ev, const mimi_bytes *cur,
                              const mimi_bytes *update, mimi_bytes *out) {
  (void)ctx;
  (void)ev;
  size_t n = cur != NULL ? cur->len : 0;
  MIMI_TRY(mimi_bytes_alloc(out, n + update->len));
  if (n > 0) memcpy(out->data, cur->data, n);
  if (update->len > 0) memcpy(out->data + n, update->data, update->len);
  return MIMI_OK;
}

static mimi_err admin_only(void *ctx, const mls_component_event *ev, const mimi_bytes *old,
                           const mimi_bytes *new_data) {
  (void)old;
  (void)new_data;
  app_state *a = ctx;
  if (ev->sender == 0 && ev->component_id == PARTICIPANTS) return MIMI_OK;
  a->refusals++;
  return MIMI_ERR_BAD_PROPOSAL;
}

static mimi_err record_ephemeral(void *ctx, const mls_component_event *ev, const mimi_bytes *d) {
  app_state *a = ctx;
  (void)ev;
  if (d->len == 3 && memcmp(d->data, "bad", 3) == 0) return MIMI_ERR_BAD_PROPOSAL;
  if (a->n_seen + d->len <= sizeof a->seen) {
    memcpy(a->seen + a->n_seen, d->data, d->len);
    a->n_seen += d->len;
  }
  return MIMI_OK;
}

static void handlers_for(member *x) {
  x->h[0] = (mls_component_handler){PARTICIPANTS, append_update, admin_only, NULL, &x->app};
  x->h[1] = (mls_component_handler){FRANK, NULL, NULL, record_ephemeral, &x->app};
}

static mls_group_config config_for(member *x) {
  mls_group_config c = mls_group_config_default();
  c.components = x->h;
  c.n_components = 2;
  return c;
}

/* A ComponentsList payload of one id. */
static mimi_bytes one_component(uint16_t id) {
  mls_components_list l = {&id, 1};
  mimi_bytes b = {NULL, 0};
  CHECK_OK(mls_components_list_encode(&l, &b));
  return b;
}

/* The leaf dictionary: supports PARTICIPANTS (app_components) and FRANK
 * (safe_aad). */
static void leaf_dictionary(mls_extension *out) {
  mls_component_data e[2] = {{MLS_COMPONENT_APP_COMPONENTS, one_component(PARTICIPANTS)},
                             {MLS_COMPONENT_SAFE_AAD, one_component(FRANK)}};
  CHECK_OK(mls_app_data_dictionary_extension(e, 2, out));
  mimi_bytes_free(&e[0].data);
  mimi_bytes_free(&e[1].data);
}

static void make_kp_suite(member *x, uint16_t s_id, bool with_dictionary) {
  mls_extension le;
  leaf_dictionary(&le);
  mls_key_package_options o;
  memset(&o, 0, sizeof o);
  o.credential = &x->cred;
  o.sig_priv = x->sig_priv.data;
  o.sig_priv_len = x->sig_priv.len;
  o.leaf_extensions = &le;
  o.n_leaf_extensions = with_dictionary ? 1 : 0;
  mls_key_package_bundle_free(&x->kp);
  CHECK_OK(mls_key_package_create(&x->kp, s_id, &o, &rng));
  mls_extension_free(&le);
}

static void make_member(member *x, uint8_t name) {
  const mimi_suite *s = mimi_suite_get(suite);
  CHECK_OK(mimi_sig_generate(s->sig, &rng, &x->sig_priv, &x->sig_pub));
  x->cred.credential_type = MLS_CREDENTIAL_BASIC;
  CHECK_OK(mimi_bytes_copy(&x->cred.identity, &name, 1));
  handlers_for(x);
  make_kp_suite(x, suite, true);
}

/* GroupContext extensions: required_capabilities and the dictionary. */
static void group_extensions(mls_extension *exts) {
  uint16_t props[] = {MLS_PROPOSAL_APP_DATA_UPDATE, MLS_PROPOSAL_APP_EPHEMERAL,
                      MLS_PROPOSAL_SELF_REMOVE};
  uint16_t ext_types[] = {MLS_EXT_APP_DATA_DICTIONARY};
  mls_required_capabilities rc = {ext_types, 1, props, 3, NULL, 0};
  exts[0].extension_type = MLS_EXT_REQUIRED_CAPABILITIES;
  CHECK_OK(mls_required_capabilities_encode(&rc, &exts[0].extension_data));
  mls_component_data e[3] = {{MLS_COMPONENT_APP_COMPONENTS, one_component(PARTICIPANTS)},
                             {MLS_COMPONENT_SAFE_AAD, one_component(FRANK)},
                             {PARTICIPANTS, {(uint8_t *)"A", 1}}};
  CHECK_OK(mls_app_data_dictionary_extension(e, 3, &exts[1]));
  mimi_bytes_free(&e[0].data);
  mimi_bytes_free(&e[1].data);
}


/* Reads a proposal into every active member but `from` (m[N] takes part
 * once it joined). */
static void deliver_proposal(int from, const mls_message *pm) {
  for (int i = 0; i < N + 1; i++) {
    if (i == from || m[i].g == NULL || !mls_group_active(m[i].g)) continue;
    mls_authenticated_content ac;
    mimi_err err = mls_group_read(m[i].g, pm, &ac);
    CHECK_OK(err);
    if (err != MIMI_OK) continue;
    CHECK_OK(mls_group_store_proposal(m[i].g, &ac));
    mls_authenticated_content_free(&ac);
  }
}

/* Everyone but `committer` stages and merges; committer merges. */
static void deliver(int committer, const mls_message *cm) {
  for (int i = 0; i < N + 1; i++) {
    if (i == committer || m[i].g == NULL || !mls_group_active(m[i].g)) continue;
    mls_authenticated_content ac;
    mls_staged_commit *sc = NULL;
    mimi_err err = mls_group_read(m[i].g, cm, &ac);
    CHECK_OK(err);
    if (err != MIMI_OK) continue;
    CHECK_OK(mls_group_stage_commit(m[i].g, &ac, &sc));
    if (sc != NULL) mls_group_merge(m[i].g, sc);
    mls_authenticated_content_free(&ac);
  }
  CHECK_OK(mls_group_merge_pending(m[committer].g));
}

/* `who` commits its cached proposals plus `inl` (nobody added), everyone
 * merges. expect_path: 1 / 0 checks whether the commit has an UpdatePath,
 * -1 does not look. */
static MIMI_MAYBE_UNUSED void commit_deliver(int who, const mls_proposal *inl, size_t n,
                                             int expect_path) {
  mls_commit_options opt = {inl, n, false, false};
  mls_message cm;
  mls_welcome w;
  CHECK_OK(mls_group_commit(m[who].g, &opt, &rng, &cm, &w));
  CHECK(w.secrets_count == 0);
  if (expect_path >= 0 && cm.body.wire_format == MLS_WIRE_PUBLIC_MESSAGE)
    CHECK((cm.body.public_message.content.body.commit.path != NULL) == (expect_path == 1));
  deliver(who, &cm);
  mls_message_free(&cm);
  mls_welcome_free(&w);
}

/* Every active member has the same GroupContext and epoch_authenticator. */
static void agree(void) {
  int first = -1;
  for (int i = 0; i < N + 1; i++) {
    if (m[i].g == NULL || !mls_group_active(m[i].g)) continue;
    if (first < 0) {
      first = i;
      continue;
    }
    mimi_bytes a = {NULL, 0}, b = {NULL, 0};
    CHECK_OK(mls_group_context_encode(mls_group_context_of(m[first].g), &a));
    CHECK_OK(mls_group_context_encode(mls_group_context_of(m[i].g), &b));
    CHECK_BYTES(a, b);
    mimi_bytes_free(&a);
    mimi_bytes_free(&b);
    size_t la, lb;
    const uint8_t *ea = mls_group_epoch_authenticator(m[first].g, &la);
    const uint8_t *eb = mls_group_epoch_authenticator(m[i].g, &lb);
    CHECK_MEM(ea, la, eb, lb);
  }
}

/* The participant list as member i sees it. */
static MIMI_MAYBE_UNUSED void check_participants(int i, const char *want) {
  mimi_bytes d = {NULL, 0};
  CHECK_OK(mls_group_app_data(m[i].g, PARTICIPANTS, &d));
  CHECK_MEM(d.data, d.len, want, strlen(want));
  mimi_bytes_free(&d);
}

/* Member 0 creates the group and adds 1..N-1 (Welcome with the tree). */
static void setup(uint16_t s_id, uint64_t seed) {
  suite = s_id;
  rng = mimi_test_rng_prng(&prng, seed);
  memset(m, 0, sizeof m);
  for (int i = 0; i < N + 1; i++) make_member(&m[i], (uint8_t)('A' + i));
  mls_extension exts[2];
  group_extensions(exts);
  mls_group_config cfg = config_for(&m[0]);
  static const uint8_t gid[] = "room";
  CHECK_OK(mls_group_create(&m[0].g, gid, 4, &m[0].kp, m[0].sig_priv.data, m[0].sig_priv.len,
                            exts, 2, &cfg, &rng));
  mls_extension_free(&exts[0]);
  mls_extension_free(&exts[1]);
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
  for (int i = 1; i < N; i++) {
    mls_group_config c = config_for(&m[i]);
    CHECK_OK(mls_group_join(&m[i].g, &w, &m[i].kp, m[i].sig_priv.data, m[i].sig_priv.len, NULL,
                            &c));
  }
  mls_message_free(&cm);
  mls_welcome_free(&w);
}

static void teardown(void) {
  for (int i = 0; i < N + 1; i++) {
    mls_group_free(m[i].g);
    mls_key_package_bundle_free(&m[i].kp);
    mimi_bytes_free(&m[i].sig_priv);
    mimi_bytes_free(&m[i].sig_pub);
    mls_credential_free(&m[i].cred);
  }
}

#endif /* MIMI_TEST_EXT_FIXTURE_H */
