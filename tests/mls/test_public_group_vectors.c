/* test_public_group_vectors.c — the mlswg passive-client vectors
 * (passive-client-welcome.json, passive-client-handling-commit.json)
 * followed by a hub: the hub starts from the GroupInfo inside the case's
 * Welcome (as the committer would upload it) and the tree, and a member
 * joins from the same Welcome with the vector's keys. After the join and
 * every epoch the hub's GroupContext (epoch, tree hash, confirmed
 * transcript hash, extensions) and tree must equal the member's, and the
 * member's epoch_authenticator the vector's (so the member is right).
 * Cases with a PrivateMessage proposal or commit cannot be followed by a
 * hub: they are skipped and counted. */
#include <stdlib.h>

#include "mls_test_util.h"

static size_t followed, skipped;

static bool is_private(json_t *s) {
  mls_message m;
  if (mt_decode_hex_message(s, &m) != MIMI_OK) return false;
  bool p = m.body.wire_format == MLS_WIRE_PRIVATE_MESSAGE;
  mls_message_free(&m);
  return p;
}

/* Whether every handshake message of the case is a PublicMessage. */
static bool all_public(json_t *v) {
  json_t *epochs = json_object_get(v, "epochs");
  for (size_t e = 0; e < json_array_size(epochs); e++) {
    json_t *ep = json_array_get(epochs, e);
    json_t *props = json_object_get(ep, "proposals");
    for (size_t i = 0; i < json_array_size(props); i++)
      if (is_private(json_array_get(props, i))) return false;
    if (is_private(json_object_get(ep, "commit"))) return false;
  }
  return true;
}

static bool same_view(const mls_public_group *pg, const mls_group *g) {
  bool ok = mls_group_context_equal(mls_public_group_context(pg), mls_group_context_of(g));
  mimi_bytes a, b;
  CHECK_OK(mls_rtree_encode(mls_public_group_tree(pg), &a));
  CHECK_OK(mls_rtree_encode(mls_group_tree(g), &b));
  ok = ok && mimi_bytes_eq(&a, &b);
  mimi_bytes_free(&a);
  mimi_bytes_free(&b);
  return ok;
}

static bool run_epoch(mls_public_group **pg, mls_group *g, json_t *ep, size_t e) {
  json_t *props = json_object_get(ep, "proposals");
  for (size_t i = 0; i < json_array_size(props); i++) {
    mls_message m;
    mls_authenticated_content ac;
    CHECK_OK(mt_decode_hex_message(json_array_get(props, i), &m));
    CHECK_OK(mls_public_group_process_proposal(*pg, &m));
    CHECK_OK(mls_group_read(g, &m, &ac));
    CHECK_OK(mls_group_store_proposal(g, &ac));
    mls_authenticated_content_free(&ac);
    mls_message_free(&m);
  }
  mls_message m;
  CHECK_OK(mt_decode_hex_message(json_object_get(ep, "commit"), &m));
  mimi_err err = mls_public_group_process_commit(*pg, &m);
  CHECK_OK(err);
  mls_authenticated_content ac;
  mls_staged_commit *sc = NULL;
  CHECK_OK(mls_group_read(g, &m, &ac));
  CHECK_OK(mls_group_stage_commit(g, &ac, &sc));
  if (sc != NULL) mls_group_merge(g, sc);
  mls_authenticated_content_free(&ac);
  mls_message_free(&m);
  /* every other epoch the hub continues from its stored state */
  if (e % 2 == 1) {
    mimi_bytes blob;
    mls_public_group *pg2 = NULL;
    CHECK_OK(mls_public_group_serialize(*pg, &blob));
    CHECK_OK(mls_public_group_deserialize(&pg2, blob.data, blob.len, NULL));
    mimi_bytes_free(&blob);
    if (pg2 != NULL) {
      mls_public_group_free(*pg);
      *pg = pg2;
    }
  }
  return err == MIMI_OK && sc != NULL && mt_same_authenticator(g, ep, "epoch_authenticator") &&
         same_view(*pg, g);
}

static void run_case(json_t *v, size_t index) {
  if (!all_public(v)) {
    skipped++;
    return;
  }
  mt_passive_case pc;
  mt_passive_case_load(&pc, v);
  /* the hub's start: the Welcome's GroupInfo */
  mls_group_secrets gs;
  mls_group_info gi;
  mls_public_group *pg = NULL;
  mimi_err err = mls_welcome_open(&pc.wm.body.welcome, &pc.kp, &pc.store, &gs, &gi);
  CHECK_OK(err);
  if (err == MIMI_OK) {
    CHECK_OK(mls_public_group_from_group_info(&pg, &gi, pc.treep, NULL));
    mls_group_secrets_free(&gs);
    mls_group_info_free(&gi);
  }
  mls_group *g = NULL;
  CHECK_OK(mt_passive_case_join(&pc, &g));
  bool ok = pg != NULL && g != NULL && same_view(pg, g);
  json_t *epochs = json_object_get(v, "epochs");
  for (size_t e = 0; ok && e < json_array_size(epochs); e++) {
    ok = run_epoch(&pg, g, json_array_get(epochs, e), e);
    if (!ok) fprintf(stderr, "case %zu (suite %u): epoch %zu differs\n", index, pc.suite, e);
  }
  CHECK(ok);
  if (ok) {
    followed++;
    mimi_test_case();
  }
  mls_public_group_free(pg);
  mls_group_free(g);
  mt_passive_case_free(&pc);
}

int main(void) {
  mt_run_vector_file("mls/passive-client-welcome.json", run_case);
  mt_run_vector_file("mls/passive-client-handling-commit.json", run_case);
  printf("test_public_group_vectors: %zu cases followed, %zu skipped (PrivateMessage "
         "handshakes)\n",
         followed, skipped);
  CHECK(followed > 0);
  return mimi_test_summary("test_public_group_vectors");
}
