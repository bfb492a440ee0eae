/* test_passive_client.c — the mlswg passive-client vectors: join from the
 * Welcome (ratchet tree in the Welcome or given separately) with the given
 * KeyPackage, private keys and external PSKs, then follow every epoch's
 * proposals and commit; the epoch_authenticator must match the vector's
 * after the join and after every epoch. Also checks that serialize /
 * deserialize mid-way keeps following. Expected values: the vectors. */
#include <stdlib.h>

#include "mls_test_util.h"

static mimi_err decode_message(json_t *v, const char *key, mls_message *m) {
  return mt_decode_hex_message(json_object_get(v, key), m);
}

/* One epoch: cache the proposals, stage and merge the commit. */
static bool run_epoch(mls_group *g, json_t *ep) {
  json_t *props = json_object_get(ep, "proposals");
  for (size_t i = 0; i < json_array_size(props); i++) {
    mimi_bytes b;
    CHECK_OK(mimi_bytes_from_hex(&b, json_string_value(json_array_get(props, i))));
    mls_message m;
    mls_authenticated_content ac;
    CHECK_OK(mls_message_decode(b.data, b.len, &m));
    CHECK_OK(mls_group_read(g, &m, &ac));
    CHECK_OK(mls_group_store_proposal(g, &ac));
    mls_authenticated_content_free(&ac);
    mls_message_free(&m);
    mimi_bytes_free(&b);
  }
  mls_message m;
  mls_authenticated_content ac;
  mls_staged_commit *sc = NULL;
  CHECK_OK(decode_message(ep, "commit", &m));
  mimi_err err = mls_group_read(g, &m, &ac);
  CHECK_OK(err);
  if (err == MIMI_OK) {
    err = mls_group_stage_commit(g, &ac, &sc);
    CHECK_OK(err);
    if (err == MIMI_OK) mls_group_merge(g, sc);
    mls_authenticated_content_free(&ac);
  }
  mls_message_free(&m);
  return err == MIMI_OK && mt_same_authenticator(g, ep, "epoch_authenticator");
}

static void run_case(json_t *v, size_t index) {
  mt_passive_case pc;
  mt_passive_case_load(&pc, v);
  mls_group *g = NULL;
  mimi_err err = mt_passive_case_join(&pc, &g);
  CHECK_OK(err);
  bool ok = err == MIMI_OK && mt_same_authenticator(g, v, "initial_epoch_authenticator");
  json_t *epochs = json_object_get(v, "epochs");
  for (size_t e = 0; ok && e < json_array_size(epochs); e++) {
    ok = run_epoch(g, json_array_get(epochs, e));
    if (!ok) fprintf(stderr, "case %zu (suite %u): epoch %zu differs\n", index, pc.suite, e);
    /* every other epoch, continue from a serialized copy */
    if (ok && e % 2 == 0) {
      mimi_bytes blob;
      mls_group *g2 = NULL;
      CHECK_OK(mls_group_serialize(g, &blob));
      CHECK_OK(mls_group_deserialize(&g2, blob.data, blob.len, &pc.store));
      mimi_bytes_free(&blob);
      if (g2 != NULL) {
        mls_group_free(g);
        g = g2;
      }
    }
  }
  CHECK(ok);
  if (ok) mimi_test_case();
  mls_group_free(g);
  mt_passive_case_free(&pc);
}

int main(void) {
  mt_run_vector_file("mls/passive-client-welcome.json", run_case);
  mt_run_vector_file("mls/passive-client-handling-commit.json", run_case);
  return mimi_test_summary("test_passive_client");
}
