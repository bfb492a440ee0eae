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
  uint16_t suite = (uint16_t)mimi_vec_int(v, "cipher_suite");
  mt_psk_table pt;
  mls_psk_store store = mt_psk_table_load(&pt, v);
  mls_group_config cfg = mls_group_config_default();
  cfg.psks = &store;

  mls_key_package_bundle kp;
  memset(&kp, 0, sizeof kp);
  mls_message kpm, wm;
  CHECK_OK(decode_message(v, "key_package", &kpm));
  CHECK(kpm.body.wire_format == MLS_WIRE_KEY_PACKAGE);
  kp.key_package = kpm.body.key_package;
  kp.init_priv = mt_hpke_priv(v, "init_priv", suite);
  kp.encryption_priv = mt_hpke_priv(v, "encryption_priv", suite);
  mimi_bytes sig_priv = mimi_vec_hex(v, "signature_priv");
  CHECK(kp.key_package.cipher_suite == suite);
  CHECK_OK(mls_key_package_validate(&kp.key_package, suite, 0));
  CHECK_OK(decode_message(v, "welcome", &wm));

  mls_ratchet_tree tree, *treep = NULL;
  memset(&tree, 0, sizeof tree);
  if (json_is_string(json_object_get(v, "ratchet_tree"))) {
    mimi_bytes tb = mimi_vec_hex(v, "ratchet_tree");
    CHECK_OK(mls_ratchet_tree_decode(tb.data, tb.len, &tree));
    mimi_bytes_free(&tb);
    treep = &tree;
  }
  mls_group *g = NULL;
  mimi_err err =
      mls_group_join(&g, &wm.body.welcome, &kp, sig_priv.data, sig_priv.len, treep, &cfg);
  CHECK_OK(err);
  bool ok = err == MIMI_OK && mt_same_authenticator(g, v, "initial_epoch_authenticator");
  json_t *epochs = json_object_get(v, "epochs");
  for (size_t e = 0; ok && e < json_array_size(epochs); e++) {
    ok = run_epoch(g, json_array_get(epochs, e));
    if (!ok) fprintf(stderr, "case %zu (suite %u): epoch %zu differs\n", index, suite, e);
    /* every other epoch, continue from a serialized copy */
    if (ok && e % 2 == 0) {
      mimi_bytes blob;
      mls_group *g2 = NULL;
      CHECK_OK(mls_group_serialize(g, &blob));
      CHECK_OK(mls_group_deserialize(&g2, blob.data, blob.len, &store));
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
  mls_ratchet_tree_free(&tree);
  mls_message_free(&wm);
  mls_message_free(&kpm);
  mimi_bytes_free(&kp.init_priv);
  mimi_bytes_free(&kp.encryption_priv);
  mimi_bytes_free(&sig_priv);
  mt_psk_table_free(&pt);
}

static void run_file(const char *path) {
  json_t *root = mimi_vec_load(path);
  size_t step = 1;
  /* Under sanitizers every case still runs its join; only MIMI_SUBSAMPLE
   * thins them out. */
  const char *sub = getenv("MIMI_SUBSAMPLE");
  if (sub != NULL && atoi(sub) > 1) step = (size_t)atoi(sub);
  for (size_t i = 0; i < json_array_size(root); i += step) run_case(json_array_get(root, i), i);
  json_decref(root);
}

int main(void) {
  run_file("mls/passive-client-welcome.json");
  run_file("mls/passive-client-handling-commit.json");
  return mimi_test_summary("test_passive_client");
}
