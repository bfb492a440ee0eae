/* test_interop_wire.c — phase-1 interop with ts-mls (tests/interop/
 * tsmls_wire.mjs runs this): every object ts-mls produced is decoded and
 * re-encoded byte-exact and checked with our code (KeyPackage and LeafNode
 * signatures, KeyPackageRefs, ratchet trees and their hashes, GroupInfo
 * signatures and confirmation tags, Welcome decryption, epoch secrets), one
 * member (carol) is replayed through every Commit with our primitives, and
 * every application message is decrypted. Then it writes what our code
 * built (a KeyPackage, a PrivateMessage from carol, the last tree) for the
 * script to feed to ts-mls.
 *
 *   test_interop_wire <ts-mls dump.json> <answer.json>
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "mimi/mls.h"
#include "replay_member.h"

#define LBL(s) (const uint8_t *)(s), (sizeof(s) - 1)
#define N_MEMBERS 4
static const char *const NAMES[N_MEMBERS] = {"alice", "bob", "carol", "dave"};
#define REPLAYED 2 /* carol */

typedef struct {
  mls_message kp;   /* the MLSMessage */
  mimi_bytes kp_enc; /* the KeyPackage alone */
  mimi_bytes init_priv, hpke_priv, sig_priv;
} member;

typedef struct {
  uint16_t suite;
  mimi_bytes group_id, export_label, export_context;
  member m[N_MEMBERS];
  replay_member carol;
  bool joined;
  bool bad_inputs; /* run the tampered-copy checks (one suite is enough) */
} suite_run;

/* Decodes an MLSMessage of the expected wire format and checks that it
 * re-encodes to the same bytes. */
static bool decode_exact(const mimi_bytes *wire, uint16_t wire_format, mls_message *out) {
  memset(out, 0, sizeof *out);
  mimi_err err = mls_message_decode(wire->data, wire->len, out);
  CHECK_OK(err);
  if (err != MIMI_OK) return false;
  CHECK(out->version == MLS_VERSION_MLS10);
  CHECK(out->body.wire_format == wire_format);
  mimi_bytes again = {0};
  CHECK_OK(mls_message_encode(out, &again));
  CHECK_BYTES(again, *wire);
  mimi_bytes_free(&again);
  return out->body.wire_format == wire_format;
}

static mimi_err key_package_verify(uint16_t suite, const mls_key_package *kp) {
  mls_key_package_tbs tbs = {kp->version, kp->cipher_suite, kp->init_key, kp->leaf_node,
                             kp->extensions, kp->extensions_count};
  mimi_bytes enc = {0};
  MIMI_TRY(mls_key_package_tbs_encode(&tbs, &enc));
  const mimi_bytes *pub = &kp->leaf_node.signature_key;
  mimi_err err = mls_verify_with_label(suite, pub->data, pub->len, LBL("KeyPackageTBS"), enc.data,
                                       enc.len, kp->signature.data, kp->signature.len);
  mimi_bytes_free(&enc);
  return err;
}

static void check_public_of(uint16_t alg, bool kem, const mimi_bytes *priv,
                            const mimi_bytes *expect) {
  mimi_bytes pub = {0};
  if (kem)
    CHECK_OK(mimi_kem_public_key(alg, priv->data, priv->len, &pub));
  else
    CHECK_OK(mimi_sig_public_key(alg, priv->data, priv->len, &pub));
  CHECK_BYTES(pub, *expect);
  mimi_bytes_free(&pub);
}

/* A byte of a copy flipped: the bad-input twin of a genuine object. */
static mimi_bytes flipped(const mimi_bytes *b, size_t at) {
  mimi_bytes c = {0};
  CHECK_OK(mimi_bytes_dup(&c, b));
  if (c.len > 0) c.data[at % c.len] ^= 0x01;
  return c;
}

static void check_member(suite_run *r, json_t *js, member *m) {
  const mimi_suite *cs = mimi_suite_get(r->suite);
  mimi_bytes wire = mimi_vec_hex(js, "key_package");
  mimi_bytes ref = mimi_vec_hex(js, "key_package_ref");
  m->init_priv = mimi_vec_hex(js, "init_priv");
  m->hpke_priv = mimi_vec_hex(js, "hpke_priv");
  m->sig_priv = mimi_vec_hex(js, "sig_priv");
  if (decode_exact(&wire, MLS_WIRE_KEY_PACKAGE, &m->kp)) {
    const mls_key_package *kp = &m->kp.body.key_package;
    CHECK(kp->version == MLS_VERSION_MLS10);
    CHECK(kp->cipher_suite == r->suite);
    CHECK_OK(mls_key_package_encode(kp, &m->kp_enc));
    uint8_t ours[MIMI_MAX_HASH];
    CHECK_OK(mls_make_key_package_ref(r->suite, m->kp_enc.data, m->kp_enc.len, ours));
    CHECK_MEM(ours, cs->hash_len, ref.data, ref.len);
    CHECK(kp->leaf_node.source.leaf_node_source == MLS_LEAF_SOURCE_KEY_PACKAGE);
    CHECK_OK(mls_leaf_node_verify(r->suite, &kp->leaf_node, NULL, 0, 0));
    CHECK_OK(key_package_verify(r->suite, kp));
    /* ts-mls's private key encodings are ours */
    check_public_of(cs->kem, true, &m->init_priv, &kp->init_key);
    check_public_of(cs->kem, true, &m->hpke_priv, &kp->leaf_node.encryption_key);
    check_public_of(cs->sig, false, &m->sig_priv, &kp->leaf_node.signature_key);
    if (r->bad_inputs) {
      mls_key_package bad;
      CHECK_OK(mimi_clone(mls_key_package_type(), &bad, kp));
      bad.signature.data[0] ^= 1;
      CHECK_ERR(key_package_verify(r->suite, &bad), MIMI_ERR_BAD_SIGNATURE);
      bad.signature.data[0] ^= 1;
      bad.leaf_node.signature.data[0] ^= 1;
      CHECK_ERR(mls_leaf_node_verify(r->suite, &bad.leaf_node, NULL, 0, 0),
                MIMI_ERR_BAD_SIGNATURE);
      mls_key_package_free(&bad);
      mls_message none;
      CHECK_ERR(mls_message_decode(wire.data, wire.len - 1, &none), MIMI_ERR_TRUNCATED);
    }
  }
  mimi_bytes_free(&wire);
  mimi_bytes_free(&ref);
}

static int member_index(const char *name) {
  for (int i = 0; i < N_MEMBERS; i++)
    if (strcmp(NAMES[i], name) == 0) return i;
  return -1;
}

static void check_welcome(suite_run *r, json_t *ep, const mls_group_info *gi) {
  mimi_bytes wire = mimi_vec_hex(ep, "welcome");
  mls_message msg;
  if (decode_exact(&wire, MLS_WIRE_WELCOME, &msg)) {
    const mls_welcome *w = &msg.body.welcome;
    CHECK(w->cipher_suite == r->suite);
    json_t *joiners = json_object_get(ep, "joiners");
    for (size_t i = 0; i < json_array_size(joiners); i++) {
      int j = member_index(json_string_value(json_array_get(joiners, i)));
      CHECK(j >= 0);
      if (j < 0) continue;
      member *m = &r->m[j];
      replay_welcome rw;
      mimi_err err = replay_open_welcome(r->suite, w, &m->kp_enc, &m->init_priv, &rw);
      CHECK_OK(err);
      if (err != MIMI_OK) continue;
      CHECK(mls_group_context_equal(&rw.group_info.group_context, &gi->group_context));
      mimi_bytes ea = mimi_vec_hex(ep, "epoch_authenticator");
      CHECK_MEM(rw.epoch.epoch_authenticator, rw.epoch.hash_len, ea.data, ea.len);
      mimi_bytes_free(&ea);
      if (j == REPLAYED) {
        err = replay_join(&r->carol, &rw, &m->hpke_priv, &m->sig_priv);
        CHECK_OK(err);
        r->joined = err == MIMI_OK;
      }
      replay_welcome_free(&rw);
      mimi_test_case();
    }
    /* another member's init key opens nothing */
    replay_welcome none;
    CHECK_ERR(replay_open_welcome(r->suite, w, &r->m[0].kp_enc, &r->m[0].init_priv, &none),
              MIMI_ERR_NOT_FOUND);
  }
  mls_message_free(&msg);
  mimi_bytes_free(&wire);
}

static void check_commit(suite_run *r, json_t *ep) {
  mimi_bytes wire = mimi_vec_hex(ep, "commit");
  mls_message msg;
  uint16_t wf = wire.len >= 4 ? (uint16_t)(wire.data[2] << 8 | wire.data[3]) : 0;
  if (decode_exact(&wire, wf, &msg) && r->joined) {
    CHECK((uint32_t)mimi_vec_int(ep, "committer") != r->carol.leaf);
    uint64_t before = r->carol.ctx.epoch;
    /* a damaged commit is refused and leaves the member as it was */
    mimi_bytes bad_wire = flipped(&wire, wire.len - 3);
    mls_message bad;
    if (mls_message_decode(bad_wire.data, bad_wire.len, &bad) == MIMI_OK) {
      CHECK(replay_commit(&r->carol, &bad) != MIMI_OK);
      CHECK(r->carol.ctx.epoch == before);
      mls_message_free(&bad);
    }
    mimi_bytes_free(&bad_wire);
    CHECK_OK(replay_commit(&r->carol, &msg));
    CHECK(r->carol.ctx.epoch == before + 1);
    mimi_test_case();
  }
  mls_message_free(&msg);
  mimi_bytes_free(&wire);
}

static void check_app_messages(suite_run *r, json_t *ep) {
  json_t *apps = json_object_get(ep, "app_messages");
  for (size_t i = 0; i < json_array_size(apps); i++) {
    json_t *a = json_array_get(apps, i);
    mimi_bytes wire = mimi_vec_hex(a, "message"), text = mimi_vec_hex(a, "plaintext");
    mls_message msg;
    if (decode_exact(&wire, MLS_WIRE_PRIVATE_MESSAGE, &msg) && r->joined) {
      mls_authenticated_content ac;
      if (i == 0) { /* a flipped ciphertext byte: refused, the genuine one still opens */
        mls_private_message bad;
        CHECK_OK(mimi_clone(mls_private_message_type(), &bad, &msg.body.private_message));
        bad.ciphertext.data[bad.ciphertext.len / 2] ^= 1;
        CHECK_ERR(replay_open(&r->carol, &bad, &ac), MIMI_ERR_AEAD_OPEN);
        mls_private_message_free(&bad);
      }
      mimi_err err = replay_open(&r->carol, &msg.body.private_message, &ac);
      CHECK_OK(err);
      if (err == MIMI_OK) {
        CHECK(ac.content.body.content_type == MLS_CONTENT_APPLICATION);
        CHECK(ac.content.sender.sender_type == MLS_SENDER_MEMBER);
        CHECK(ac.content.sender.leaf_index == (uint32_t)mimi_vec_int(a, "sender"));
        CHECK_BYTES(ac.content.body.application_data, text);
        mls_authenticated_content_free(&ac);
        /* and only once */
        CHECK_ERR(replay_open(&r->carol, &msg.body.private_message, &ac),
                  MIMI_ERR_GENERATION_TOO_OLD);
        mimi_test_case();
      }
    }
    mls_message_free(&msg);
    mimi_bytes_free(&wire);
    mimi_bytes_free(&text);
  }
}

/* What only a member knows about the epoch, against ts-mls's values. */
static void check_epoch_secrets(suite_run *r, json_t *ep, const mls_group_info *gi) {
  const mls_epoch_secrets *s = &r->carol.secrets;
  CHECK(mls_group_context_equal(&r->carol.ctx, &gi->group_context));
  mimi_bytes ea = mimi_vec_hex(ep, "epoch_authenticator"), ex = mimi_vec_hex(ep, "exporter");
  CHECK_MEM(s->epoch_authenticator, s->hash_len, ea.data, ea.len);
  uint8_t out[32];
  CHECK_OK(mls_epoch_export(s, r->export_label.data, r->export_label.len, r->export_context.data,
                            r->export_context.len, out, sizeof out));
  CHECK_MEM(out, sizeof out, ex.data, ex.len);
  CHECK_OK(mls_confirmation_tag_verify(r->suite, s->confirmation_key,
                                       gi->group_context.confirmed_transcript_hash.data,
                                       &gi->confirmation_tag));
  const mls_extension *xp =
      replay_find_extension(gi->extensions, gi->extensions_count, MLS_EXT_EXTERNAL_PUB);
  CHECK(xp != NULL);
  mimi_bytes priv = {0}, pub = {0};
  CHECK_OK(mls_epoch_external_key_pair(s, &priv, &pub));
  /* §12.4.3.2: extension_data is an encoded ExternalPub (opaque<V>
   * external_pub). ts-mls 1.6.4 puts the bare key there instead
   * (docs/interop.md); the key itself must still be ours. */
  mls_external_pub theirs = {0};
  if (xp != NULL && !mimi_bytes_eq(&xp->extension_data, &pub)) {
    CHECK_OK(mls_external_pub_decode(xp->extension_data.data, xp->extension_data.len, &theirs));
    CHECK_BYTES(pub, theirs.external_pub);
  }
  mls_external_pub_free(&theirs);
  mimi_bytes_free(&priv);
  mimi_bytes_free(&pub);
  mimi_bytes_free(&ea);
  mimi_bytes_free(&ex);
}

static void check_epoch(suite_run *r, json_t *ep) {
  mimi_bytes gi_wire = mimi_vec_hex(ep, "group_info"), tree_wire = mimi_vec_hex(ep, "tree");
  mimi_bytes th = mimi_vec_hex(ep, "tree_hash");
  mls_message msg;
  mls_rtree *t = NULL;
  if (decode_exact(&gi_wire, MLS_WIRE_GROUP_INFO, &msg)) {
    const mls_group_info *gi = &msg.body.group_info;
    const mls_group_context *gc = &gi->group_context;
    CHECK(gc->epoch == (uint64_t)mimi_vec_int(ep, "epoch"));
    CHECK(gc->cipher_suite == r->suite);
    CHECK_BYTES(gc->group_id, r->group_id);
    CHECK_BYTES(gc->tree_hash, th);
    /* the tree: ours decodes, re-encodes and hashes it as ts-mls does */
    CHECK_OK(mls_rtree_decode(&t, r->suite, tree_wire.data, tree_wire.len));
    if (t != NULL) {
      mimi_bytes again = {0};
      CHECK_OK(mls_rtree_encode(t, &again));
      CHECK_BYTES(again, tree_wire);
      mimi_bytes_free(&again);
      uint8_t root[MIMI_MAX_HASH];
      CHECK_OK(mls_rtree_root_hash(t, root));
      CHECK_MEM(root, th.len, th.data, th.len);
      CHECK_OK(mls_rtree_validate(t, r->group_id.data, r->group_id.len, NULL, th.data));
      CHECK_OK(replay_verify_group_info(r->suite, t, gi));
      mls_group_info bad;
      CHECK_OK(mimi_clone(mls_group_info_type(), &bad, gi));
      bad.group_context.epoch ^= 1;
      CHECK_ERR(replay_verify_group_info(r->suite, t, &bad), MIMI_ERR_BAD_SIGNATURE);
      mls_group_info_free(&bad);
    }
    const mls_extension *rt =
        replay_find_extension(gi->extensions, gi->extensions_count, MLS_EXT_RATCHET_TREE);
    CHECK(rt != NULL && mimi_bytes_eq(&rt->extension_data, &tree_wire));
    if (json_object_get(ep, "commit") != NULL) check_commit(r, ep);
    if (json_object_get(ep, "welcome") != NULL) check_welcome(r, ep, gi);
    if (r->joined) {
      check_epoch_secrets(r, ep, gi);
      mimi_bytes ours = {0};
      CHECK_OK(mls_rtree_encode(r->carol.tree, &ours));
      CHECK_BYTES(ours, tree_wire);
      mimi_bytes_free(&ours);
    }
    check_app_messages(r, ep);
    mimi_test_case();
  }
  mls_rtree_free(t);
  mls_message_free(&msg);
  mimi_bytes_free(&gi_wire);
  mimi_bytes_free(&tree_wire);
  mimi_bytes_free(&th);
}

/* ------------------------------------------------------------------------ */
/* What our code builds for ts-mls to accept. */

static mimi_err u16_list(mimi_u16 **out, size_t *count, uint16_t v) {
  *out = malloc(sizeof **out);
  if (*out == NULL) return MIMI_ERR_NOMEM;
  **out = v;
  *count = 1;
  return MIMI_OK;
}

/* §10 A KeyPackage from fresh keys; basic credential "mimi". */
static mimi_err build_key_package(uint16_t suite, mls_message *msg) {
  const mimi_suite *cs = mimi_suite_get(suite);
  const mimi_rng *rng = mimi_rng_system();
  mimi_bytes sig_priv = {0}, init_priv = {0}, enc_priv = {0}, tbs_enc = {0};
  memset(msg, 0, sizeof *msg);
  msg->version = MLS_VERSION_MLS10;
  msg->body.wire_format = MLS_WIRE_KEY_PACKAGE;
  mls_key_package *kp = &msg->body.key_package;
  mls_leaf_node *leaf = &kp->leaf_node;
  kp->version = MLS_VERSION_MLS10;
  kp->cipher_suite = suite;
  leaf->credential.credential_type = MLS_CREDENTIAL_BASIC;
  leaf->source.leaf_node_source = MLS_LEAF_SOURCE_KEY_PACKAGE;
  uint64_t now = (uint64_t)time(NULL);
  leaf->source.lifetime.not_before = now - 3600;
  leaf->source.lifetime.not_after = now + 30 * 86400;
  mimi_err err = mimi_sig_generate(cs->sig, rng, &sig_priv, &leaf->signature_key);
  if (err == MIMI_OK) err = mimi_kem_generate_key_pair(cs->kem, rng, &init_priv, &kp->init_key);
  if (err == MIMI_OK)
    err = mimi_kem_generate_key_pair(cs->kem, rng, &enc_priv, &leaf->encryption_key);
  if (err == MIMI_OK) err = mimi_bytes_copy(&leaf->credential.identity, LBL("mimi"));
  mls_capabilities *caps = &leaf->capabilities;
  if (err == MIMI_OK) err = u16_list(&caps->versions, &caps->versions_count, MLS_VERSION_MLS10);
  if (err == MIMI_OK) err = u16_list(&caps->cipher_suites, &caps->cipher_suites_count, suite);
  if (err == MIMI_OK)
    err = u16_list(&caps->credentials, &caps->credentials_count, MLS_CREDENTIAL_BASIC);
  if (err == MIMI_OK) err = mls_leaf_node_sign(suite, leaf, sig_priv.data, sig_priv.len, NULL, 0, 0);
  mls_key_package_tbs tbs = {kp->version, kp->cipher_suite, kp->init_key, kp->leaf_node,
                             kp->extensions, kp->extensions_count};
  if (err == MIMI_OK) err = mls_key_package_tbs_encode(&tbs, &tbs_enc);
  if (err == MIMI_OK)
    err = mls_sign_with_label(suite, sig_priv.data, sig_priv.len, LBL("KeyPackageTBS"),
                              tbs_enc.data, tbs_enc.len, &kp->signature);
  mimi_bytes_free(&sig_priv);
  mimi_bytes_free(&init_priv);
  mimi_bytes_free(&enc_priv);
  mimi_bytes_free(&tbs_enc);
  if (err != MIMI_OK) mls_message_free(msg);
  return err;
}

static void put_hex(json_t *obj, const char *key, const uint8_t *data, size_t len) {
  mimi_bytes view = {(uint8_t *)data, len};
  char *h = NULL;
  CHECK_OK(mimi_bytes_to_hex(&view, &h));
  json_object_set_new(obj, key, json_string(h != NULL ? h : ""));
  free(h);
}

static json_t *answer(suite_run *r) {
  json_t *a = json_object();
  json_object_set_new(a, "suite", json_integer(r->suite));
  mls_message kp;
  mimi_bytes wire = {0}, kp_enc = {0};
  if (build_key_package(r->suite, &kp) == MIMI_OK) {
    CHECK_OK(key_package_verify(r->suite, &kp.body.key_package));
    CHECK_OK(mls_message_encode(&kp, &wire));
    CHECK_OK(mls_key_package_encode(&kp.body.key_package, &kp_enc));
    uint8_t ref[MIMI_MAX_HASH];
    CHECK_OK(mls_make_key_package_ref(r->suite, kp_enc.data, kp_enc.len, ref));
    put_hex(a, "key_package", wire.data, wire.len);
    put_hex(a, "key_package_ref", ref, mimi_suite_get(r->suite)->hash_len);
    mls_message_free(&kp);
  } else {
    CHECK(false);
  }
  mimi_bytes_free(&wire);
  mimi_bytes_free(&kp_enc);
  if (r->joined) {
    char text[64];
    int n = snprintf(text, sizeof text, "mimi says hello in suite %u", r->suite);
    mimi_bytes msg = {0}, tree = {0};
    CHECK_OK(replay_send(&r->carol, (const uint8_t *)text, (size_t)n, 7, &msg));
    put_hex(a, "app_message", msg.data, msg.len);
    put_hex(a, "app_plaintext", (const uint8_t *)text, (size_t)n);
    CHECK_OK(mls_rtree_encode(r->carol.tree, &tree));
    put_hex(a, "tree", tree.data, tree.len);
    mimi_bytes_free(&msg);
    mimi_bytes_free(&tree);
    /* our commits: epoch 4 -> 5 public, then a message, 5 -> 6 private */
    json_t *steps = json_array();
    for (int i = 0; i < 2; i++) {
      json_t *st = json_object();
      CHECK_OK(replay_commit_update(&r->carol, i == 0, &msg));
      put_hex(st, "commit", msg.data, msg.len);
      put_hex(st, "epoch_authenticator", r->carol.secrets.epoch_authenticator,
              r->carol.secrets.hash_len);
      mimi_bytes_free(&msg);
      CHECK_OK(mls_rtree_encode(r->carol.tree, &tree));
      put_hex(st, "tree", tree.data, tree.len);
      mimi_bytes_free(&tree);
      n = snprintf(text, sizeof text, "mimi in epoch %u", (unsigned)r->carol.ctx.epoch);
      CHECK_OK(replay_send(&r->carol, (const uint8_t *)text, (size_t)n, 0, &msg));
      put_hex(st, "app_message", msg.data, msg.len);
      put_hex(st, "app_plaintext", (const uint8_t *)text, (size_t)n);
      mimi_bytes_free(&msg);
      json_array_append_new(steps, st);
    }
    json_object_set_new(a, "commits", steps);
  }
  return a;
}

static json_t *run_suite(json_t *js, json_t *gen) {
  suite_run r;
  memset(&r, 0, sizeof r);
  r.suite = (uint16_t)mimi_vec_int(js, "suite");
  r.group_id = mimi_vec_hex(js, "group_id");
  r.export_label = mimi_vec_hex(gen, "export_label");
  r.export_context = mimi_vec_hex(gen, "export_context");
  r.bad_inputs = r.suite == 1;
  json_t *members = json_object_get(js, "members");
  for (int i = 0; i < N_MEMBERS; i++) check_member(&r, json_object_get(members, NAMES[i]), &r.m[i]);
  if (json_object_get(js, "compressed_key_package") != NULL) {
    /* §5.1.1: ECDSA keys are uncompressed points; ts-mls's compressed one is
     * refused (docs/interop.md D1) */
    mimi_bytes wire = mimi_vec_hex(js, "compressed_key_package");
    mls_message kp;
    if (decode_exact(&wire, MLS_WIRE_KEY_PACKAGE, &kp)) {
      const mls_leaf_node *leaf = &kp.body.key_package.leaf_node;
      CHECK(leaf->signature_key.len == mimi_suite_get(r.suite)->kem_pub_len / 2 + 1);
      CHECK_ERR(key_package_verify(r.suite, &kp.body.key_package), MIMI_ERR_BAD_KEY);
      CHECK_ERR(mls_leaf_node_verify(r.suite, leaf, NULL, 0, 0), MIMI_ERR_BAD_SIGNATURE);
      mimi_test_case();
    }
    mls_message_free(&kp);
    mimi_bytes_free(&wire);
  }
  json_t *epochs = json_object_get(js, "epochs");
  CHECK(json_array_size(epochs) == 5);
  for (size_t e = 0; e < json_array_size(epochs); e++) check_epoch(&r, json_array_get(epochs, e));
  CHECK(r.joined && r.carol.ctx.epoch == 4);
  json_t *a = answer(&r);
  replay_member_free(&r.carol);
  for (int i = 0; i < N_MEMBERS; i++) {
    mls_message_free(&r.m[i].kp);
    mimi_bytes_free(&r.m[i].kp_enc);
    mimi_bytes_free(&r.m[i].init_priv);
    mimi_bytes_free(&r.m[i].hpke_priv);
    mimi_bytes_free(&r.m[i].sig_priv);
  }
  mimi_bytes_free(&r.group_id);
  mimi_bytes_free(&r.export_label);
  mimi_bytes_free(&r.export_context);
  return a;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s <ts-mls dump.json> <answer.json>\n", argv[0]);
    return 2;
  }
  json_error_t jerr;
  json_t *gen = json_load_file(argv[1], 0, &jerr);
  if (gen == NULL) {
    fprintf(stderr, "%s: %s\n", argv[1], jerr.text);
    return 2;
  }
  json_t *suites = json_object_get(gen, "suites"), *answers = json_array();
  CHECK(json_array_size(suites) == 7);
  for (size_t i = 0; i < json_array_size(suites); i++)
    json_array_append_new(answers, run_suite(json_array_get(suites, i), gen));
  json_t *out = json_object();
  json_object_set_new(out, "suites", answers);
  CHECK(json_dump_file(out, argv[2], JSON_INDENT(1)) == 0);
  json_decref(out);
  json_decref(gen);
  return mimi_test_summary("test_interop_wire");
}
