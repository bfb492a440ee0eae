/* test_messages.c — every RFC 9420 wire struct against the mlswg messages
 * vectors (decode, consume everything, re-encode byte-exact), plus malformed
 * input: truncation at every length, unknown code points, bad optional
 * bytes, and the extensions-draft structs from encodings written out by hand. */
#include <stdlib.h>

#include "harness.h"
#include "mimi/mls_messages.h"

typedef struct {
  const char *key;
  mimi_type_fn type;
} vec_field;

static const vec_field k_fields[] = {
    {"mls_welcome", mls_message_type},
    {"mls_group_info", mls_message_type},
    {"mls_key_package", mls_message_type},
    {"ratchet_tree", mls_ratchet_tree_type},
    {"group_secrets", mls_group_secrets_type},
    {"add_proposal", mls_add_type},
    {"update_proposal", mls_update_type},
    {"remove_proposal", mls_remove_type},
    {"pre_shared_key_proposal", mls_pre_shared_key_type},
    {"re_init_proposal", mls_reinit_type},
    {"external_init_proposal", mls_external_init_type},
    {"group_context_extensions_proposal", mls_group_context_extensions_type},
    {"commit", mls_commit_type},
    {"public_message_application", mls_message_type},
    {"public_message_proposal", mls_message_type},
    {"public_message_commit", mls_message_type},
    {"private_message", mls_message_type},
};
#define N_FIELDS (sizeof k_fields / sizeof k_fields[0])

/* What each MLSMessage vector must be (RFC 9420 §6, test-vectors.md). */
static void check_message_kind(const char *key, const mls_message *m) {
  CHECK(m->version == MLS_VERSION_MLS10);
  uint16_t wf = m->body.wire_format;
  if (strcmp(key, "mls_welcome") == 0) CHECK(wf == MLS_WIRE_WELCOME);
  if (strcmp(key, "mls_group_info") == 0) CHECK(wf == MLS_WIRE_GROUP_INFO);
  if (strcmp(key, "mls_key_package") == 0) CHECK(wf == MLS_WIRE_KEY_PACKAGE);
  if (strcmp(key, "private_message") == 0) CHECK(wf == MLS_WIRE_PRIVATE_MESSAGE);
  if (strncmp(key, "public_message_", 15) == 0) {
    CHECK(wf == MLS_WIRE_PUBLIC_MESSAGE);
    if (wf != MLS_WIRE_PUBLIC_MESSAGE) return;
    uint8_t ct = m->body.public_message.content.body.content_type;
    if (strcmp(key + 15, "application") == 0) CHECK(ct == MLS_CONTENT_APPLICATION);
    if (strcmp(key + 15, "proposal") == 0) CHECK(ct == MLS_CONTENT_PROPOSAL);
    if (strcmp(key + 15, "commit") == 0) {
      CHECK(ct == MLS_CONTENT_COMMIT);
      CHECK(m->body.public_message.confirmation_tag.len > 0);
    }
  }
}

static void *zalloc(const mimi_type *t) {
  void *p = calloc(1, t->size);
  if (p == NULL) abort();
  return p;
}

static bool all_zero(const void *p, size_t n) {
  const uint8_t *b = p;
  for (size_t i = 0; i < n; i++)
    if (b[i]) return false;
  return true;
}

/* Decode, check, re-encode, clone. */
static void roundtrip(const vec_field *f, const mimi_bytes *in) {
  const mimi_type *t = f->type();
  void *v = zalloc(t);
  mimi_err err = mimi_decode_exact(t, in->data, in->len, v);
  CHECK_OK(err);
  if (err != MIMI_OK) {
    fprintf(stderr, "  field %s\n", f->key);
    free(v);
    return;
  }
  if (t == mls_message_type()) check_message_kind(f->key, v);
  mimi_bytes out;
  CHECK_OK(mimi_encode_alloc(t, v, &out));
  CHECK_BYTES(out, *in);
  void *c = zalloc(t);
  CHECK_OK(mimi_clone(t, c, v));
  CHECK(mimi_equal(t, c, v));
  mimi_free(t, c);
  mimi_free(t, v);
  CHECK(all_zero(v, t->size));
  free(c);
  free(v);
  mimi_bytes_free(&out);
}

/* Every proper prefix fails with TRUNCATED and leaves the output zeroed:
 * each RFC 9420 struct ends in a fixed-size or length-prefixed field. */
static void truncations(const vec_field *f, const mimi_bytes *in) {
  const mimi_type *t = f->type();
  void *v = zalloc(t);
  size_t bad = 0;
  for (size_t n = 0; n < in->len; n++) {
    memset(v, 0x5a, t->size);
    mimi_err err = mimi_decode_exact(t, in->data, n, v);
    if (err != MIMI_ERR_TRUNCATED || !all_zero(v, t->size)) bad++;
  }
  CHECK(bad == 0);
  if (bad) fprintf(stderr, "  %s: %zu bad truncations\n", f->key, bad);
  free(v);
}

static void test_vectors(void) {
  json_t *all = mimi_vec_load("mls/messages.json");
  size_t i;
  json_t *c;
  json_array_foreach(all, i, c) {
    for (size_t k = 0; k < N_FIELDS; k++) {
      mimi_bytes in = mimi_vec_hex(c, k_fields[k].key);
      roundtrip(&k_fields[k], &in);
      /* quadratic; a few cases cover every struct shape */
      if (i < 4) truncations(&k_fields[k], &in);
      mimi_bytes_free(&in);
    }
    mimi_test_case();
  }
  json_decref(all);
}

/* ---- mutations of vector messages at computed offsets -------------------- */

static size_t vsize(size_t n) { return n < 64 ? 1 : n < 16384 ? 2 : 4; }
static size_t opaque_size(const mimi_bytes *b) { return vsize(b->len) + b->len; }

static size_t encoded_size(const mimi_type *t, const void *v) {
  mimi_bytes e;
  if (mimi_encode_alloc(t, v, &e) != MIMI_OK) abort();
  size_t n = e.len;
  mimi_bytes_free(&e);
  return n;
}

/* Sets len bytes at off to the big-endian value, decodes, expects err and a
 * zeroed output, then restores the input. */
static void expect_at(const mimi_type *t, mimi_bytes *in, size_t off, size_t len, uint32_t value,
                      mimi_err want) {
  CHECK(off + len <= in->len);
  if (off + len > in->len) return;
  uint8_t saved[4];
  memcpy(saved, in->data + off, len);
  for (size_t j = 0; j < len; j++) in->data[off + j] = (uint8_t)(value >> (8 * (len - 1 - j)));
  void *v = zalloc(t);
  memset(v, 0x5a, t->size);
  CHECK_ERR(mimi_decode_exact(t, in->data, in->len, v), want);
  CHECK(all_zero(v, t->size));
  free(v);
  memcpy(in->data + off, saved, len);
}

static void test_mutations(void) {
  json_t *all = mimi_vec_load("mls/messages.json");
  json_t *c = json_array_get(all, 0);

  /* MLSMessage / FramedContent: wire_format, sender_type, content_type, proposal_type */
  mimi_bytes pm = mimi_vec_hex(c, "public_message_proposal");
  mls_message m;
  CHECK_OK(mls_message_decode(pm.data, pm.len, &m));
  const mls_framed_content *fc = &m.body.public_message.content;
  size_t sender_off = 4 + opaque_size(&fc->group_id) + 8;
  size_t sender_len = 1 + (fc->sender.sender_type <= MLS_SENDER_EXTERNAL ? 4 : 0);
  size_t ct_off = sender_off + sender_len + opaque_size(&fc->authenticated_data);
  CHECK(pm.data[ct_off] == MLS_CONTENT_PROPOSAL);
  expect_at(mls_message_type(), &pm, 2, 2, 0, MIMI_ERR_BAD_TAG);
  expect_at(mls_message_type(), &pm, 2, 2, 6, MIMI_ERR_BAD_TAG);
  expect_at(mls_message_type(), &pm, sender_off, 1, 0, MIMI_ERR_BAD_TAG);
  expect_at(mls_message_type(), &pm, sender_off, 1, 5, MIMI_ERR_BAD_TAG);
  expect_at(mls_message_type(), &pm, ct_off, 1, 0, MIMI_ERR_BAD_TAG);
  expect_at(mls_message_type(), &pm, ct_off, 1, 4, MIMI_ERR_BAD_TAG);
  expect_at(mls_message_type(), &pm, ct_off + 1, 2, 0, MIMI_ERR_BAD_TAG);
  expect_at(mls_message_type(), &pm, ct_off + 1, 2, 0x0b, MIMI_ERR_BAD_TAG);
  mls_message_free(&m);
  mimi_bytes_free(&pm);

  /* Commit: ProposalOrRef type, optional<UpdatePath> presence */
  mimi_bytes cm = mimi_vec_hex(c, "commit");
  mls_commit commit;
  CHECK_OK(mls_commit_decode(cm.data, cm.len, &commit));
  CHECK(commit.proposals_count > 0 && commit.path != NULL);
  mimi_reader r = mimi_reader_init(cm.data, cm.len), body;
  CHECK_OK(mimi_read_vec(&r, &body));
  expect_at(mls_commit_type(), &cm, r.pos - body.len + body.pos, 1, 3, MIMI_ERR_BAD_TAG);
  expect_at(mls_commit_type(), &cm, r.pos - body.len + body.pos, 1, 0, MIMI_ERR_BAD_TAG);
  expect_at(mls_commit_type(), &cm, r.pos, 1, 2, MIMI_ERR_BAD_OPTIONAL);
  mls_commit_free(&commit);
  mimi_bytes_free(&cm);

  /* ratchet tree: first entry's presence byte and node_type */
  mimi_bytes rt = mimi_vec_hex(c, "ratchet_tree");
  r = mimi_reader_init(rt.data, rt.len);
  CHECK_OK(mimi_read_vec(&r, &body));
  size_t first = rt.len - body.len;
  CHECK(rt.data[first] == 1);
  expect_at(mls_ratchet_tree_type(), &rt, first, 1, 2, MIMI_ERR_BAD_OPTIONAL);
  expect_at(mls_ratchet_tree_type(), &rt, first + 1, 1, 3, MIMI_ERR_BAD_TAG);
  expect_at(mls_ratchet_tree_type(), &rt, first + 1, 1, 0, MIMI_ERR_BAD_TAG);
  mimi_bytes_free(&rt);

  /* GroupSecrets: optional<PathSecret> presence */
  mimi_bytes gs = mimi_vec_hex(c, "group_secrets");
  mls_group_secrets secrets;
  CHECK_OK(mls_group_secrets_decode(gs.data, gs.len, &secrets));
  expect_at(mls_group_secrets_type(), &gs, opaque_size(&secrets.joiner_secret), 1, 2,
            MIMI_ERR_BAD_OPTIONAL);
  mls_group_secrets_free(&secrets);
  mimi_bytes_free(&gs);

  /* KeyPackage's LeafNode: credential_type and leaf_node_source */
  mimi_bytes kp = mimi_vec_hex(c, "mls_key_package");
  CHECK_OK(mls_message_decode(kp.data, kp.len, &m));
  const mls_key_package *k = &m.body.key_package;
  const mls_leaf_node *ln = &k->leaf_node;
  size_t cred_off = 4 + 4 + opaque_size(&k->init_key) + opaque_size(&ln->encryption_key) +
                    opaque_size(&ln->signature_key);
  CHECK(ln->source.leaf_node_source == MLS_LEAF_SOURCE_KEY_PACKAGE);
  size_t src_off = cred_off + encoded_size(mls_credential_type(), &ln->credential) +
                   encoded_size(mls_capabilities_type(), &ln->capabilities);
  CHECK(kp.data[src_off] == MLS_LEAF_SOURCE_KEY_PACKAGE);
  expect_at(mls_message_type(), &kp, cred_off, 2, 0, MIMI_ERR_BAD_TAG);
  expect_at(mls_message_type(), &kp, cred_off, 2, 0x0a0a, MIMI_ERR_BAD_TAG);
  expect_at(mls_message_type(), &kp, src_off, 1, 0, MIMI_ERR_BAD_TAG);
  expect_at(mls_message_type(), &kp, src_off, 1, 4, MIMI_ERR_BAD_TAG);
  mls_message_free(&m);
  mimi_bytes_free(&kp);

  /* PreSharedKeyID psktype */
  mimi_bytes psk = mimi_vec_hex(c, "pre_shared_key_proposal");
  expect_at(mls_pre_shared_key_type(), &psk, 0, 1, 0, MIMI_ERR_BAD_TAG);
  expect_at(mls_pre_shared_key_type(), &psk, 0, 1, 4, MIMI_ERR_BAD_TAG);
  mimi_bytes_free(&psk);

  json_decref(all);
  mimi_test_case();
}

/* ---- extensions draft: encodings written out from its struct text -------- */

static void decode_hex(const mimi_type *t, const char *hex, void *out, mimi_err want) {
  mimi_bytes in;
  CHECK_OK(mimi_bytes_from_hex(&in, hex));
  CHECK_ERR(mimi_decode_exact(t, in.data, in.len, out), want);
  if (want == MIMI_OK) {
    mimi_bytes re;
    CHECK_OK(mimi_encode_alloc(t, out, &re));
    CHECK_BYTES(re, in);
    mimi_bytes_free(&re);
  } else {
    CHECK(all_zero(out, t->size));
  }
  mimi_bytes_free(&in);
}

static void test_extensions_draft(void) {
  mls_proposal p;
  /* SelfRemove: proposal_type 0x000a, struct {} */
  decode_hex(mls_proposal_type(), "000a", &p, MIMI_OK);
  CHECK(p.proposal_type == MLS_PROPOSAL_SELF_REMOVE);
  mls_proposal_free(&p);
  /* AppDataUpdate: type 8, component_id 5, op update(1), update<V> */
  decode_hex(mls_proposal_type(), "0008" "0005" "01" "02" "abcd", &p, MIMI_OK);
  CHECK(p.app_data_update.component_id == 5 && p.app_data_update.op.op == 1);
  CHECK(p.app_data_update.op.update.len == 2);
  mls_proposal_free(&p);
  decode_hex(mls_proposal_type(), "0008" "0005" "02", &p, MIMI_OK); /* remove */
  mls_proposal_free(&p);
  decode_hex(mls_proposal_type(), "0008" "0005" "00", &p, MIMI_ERR_BAD_TAG);
  decode_hex(mls_proposal_type(), "0008" "0005" "03", &p, MIMI_ERR_BAD_TAG);
  decode_hex(mls_proposal_type(), "0008" "0005" "02" "00", &p, MIMI_ERR_TRAILING_DATA);
  /* AppEphemeral: type 9, component_id, data<V> */
  decode_hex(mls_proposal_type(), "0009" "0005" "03" "010203", &p, MIMI_OK);
  CHECK(p.app_ephemeral.component_id == 5 && p.app_ephemeral.data.len == 3);
  mls_proposal_free(&p);
  decode_hex(mls_proposal_type(), "0009" "0005" "04" "010203", &p, MIMI_ERR_TRUNCATED);

  /* app_data_dictionary with two components */
  mls_app_data_dictionary d;
  decode_hex(mls_app_data_dictionary_type(), "09" "0001" "02" "0002" "0003" "01" "ff", &d,
             MIMI_OK);
  CHECK(d.component_data_count == 2 && d.component_data[1].component_id == 3);
  mls_app_data_dictionary_free(&d);

  /* SafeAAD: items<V> of {component_id, aad_item_data<V>}; empty list allowed */
  mls_safe_aad s;
  decode_hex(mls_safe_aad_type(), "00", &s, MIMI_OK);
  CHECK(s.aad_items_count == 0);
  mls_safe_aad_free(&s);
  decode_hex(mls_safe_aad_type(), "05" "0007" "02" "6869", &s, MIMI_OK);
  CHECK(s.aad_items_count == 1 && s.aad_items[0].component_id == 7);
  mls_safe_aad_free(&s);
  decode_hex(mls_safe_aad_type(), "05" "0007" "03" "6869", &s, MIMI_ERR_TRUNCATED);

  /* application PSK: psktype 3, component_id, psk_id<V>, psk_nonce<V> */
  mls_pre_shared_key_id id;
  decode_hex(mls_pre_shared_key_id_type(), "03" "0004" "01" "aa" "02" "bbcc", &id, MIMI_OK);
  CHECK(id.source.psktype == MLS_PSK_APPLICATION && id.source.application.component_id == 4);
  mls_pre_shared_key_id_free(&id);
  mimi_test_case();
}

/* Selects on outer fields: FramedContentAuthData and membership_tag. */
static void test_outer_selects(void) {
  /* an application message from an external sender (§6.2: no membership
   * tag) and a new_member_commit commit (confirmation tag, no membership tag) */
  mls_public_message pm;
  decode_hex(mls_public_message_type(),
             "01" "67" "0000000000000001" "02" "00000003" "00" "01" "02" "6869" "01" "ee",
             &pm, MIMI_OK);
  CHECK(pm.content.sender.sender_type == MLS_SENDER_EXTERNAL && pm.signature.len == 1);
  CHECK(pm.confirmation_tag.len == 0 && pm.membership_tag.len == 0);
  mls_public_message_free(&pm);
  decode_hex(mls_public_message_type(),
             "01" "67" "0000000000000001" "04" "00" "03" "00" "00" "01" "ee" "01" "cc", &pm,
             MIMI_OK);
  CHECK(pm.confirmation_tag.len == 1 && pm.membership_tag.len == 0);
  mls_public_message_free(&pm);
  /* member: membership tag follows; missing -> TRUNCATED */
  decode_hex(mls_public_message_type(),
             "01" "67" "0000000000000001" "01" "00000003" "00" "01" "02" "6869" "01" "ee" "01"
             "dd",
             &pm, MIMI_OK);
  CHECK(pm.membership_tag.len == 1);
  mls_public_message_free(&pm);
  decode_hex(mls_public_message_type(),
             "01" "67" "0000000000000001" "01" "00000003" "00" "01" "02" "6869" "01" "ee", &pm,
             MIMI_ERR_TRUNCATED);

  /* FramedContentTBS: GroupContext only for member / new_member_commit */
  mls_framed_content_tbs tbs;
  decode_hex(mls_framed_content_tbs_type(),
             "0001" "0001" "01" "67" "0000000000000001" "03" "00" "01" "00", &tbs, MIMI_OK);
  mls_framed_content_tbs_free(&tbs);
  decode_hex(mls_framed_content_tbs_type(),
             "0001" "0001" "01" "67" "0000000000000001" "03" "00" "01" "00"
             "0001" "0001" "01" "67" "0000000000000001" "00" "00" "00",
             &tbs, MIMI_ERR_TRAILING_DATA);
  decode_hex(mls_framed_content_tbs_type(),
             "0001" "0001" "01" "67" "0000000000000001" "01" "00000000" "00" "01" "00"
             "0001" "0001" "01" "67" "0000000000000001" "00" "00" "00",
             &tbs, MIMI_OK);
  CHECK(tbs.context.epoch == 1 && tbs.context.group_id.len == 1);
  mls_framed_content_tbs_free(&tbs);

  /* LeafNodeTBS: group_id + leaf_index only for update / commit leaves */
  mls_leaf_node_tbs lt;
  const char *leaf_common = "01aa" "01bb" "0001" "01cc" "00" "00" "00" "00" "00";
  char hex[256];
  snprintf(hex, sizeof hex, "%s" "02" "00" "0167" "00000004", leaf_common);
  decode_hex(mls_leaf_node_tbs_type(), hex, &lt, MIMI_OK);
  CHECK(lt.group.leaf_index == 4);
  mls_leaf_node_tbs_free(&lt);
  snprintf(hex, sizeof hex, "%s" "01" "0000000000000001" "0000000000000002" "00", leaf_common);
  decode_hex(mls_leaf_node_tbs_type(), hex, &lt, MIMI_OK);
  CHECK(lt.source.lifetime.not_after == 2 && lt.group.group_id.len == 0);
  mls_leaf_node_tbs_free(&lt);
  mimi_test_case();
}

/* Every declared type, for the properties that hold of all of them. */
static const mimi_type_fn k_all_types[] = {
    mls_sign_content_type,
    mls_encrypt_context_type,
    mls_ref_hash_input_type,
    mls_kdf_label_type,
    mls_hpke_ciphertext_type,
    mls_certificate_type,
    mls_x509_chain_type,
    mls_credential_type,
    mls_extension_type,
    mls_capabilities_type,
    mls_lifetime_type,
    mls_leaf_node_source_type,
    mls_leaf_node_type,
    mls_leaf_node_tbs_group_type,
    mls_leaf_node_tbs_type,
    mls_key_package_type,
    mls_key_package_tbs_type,
    mls_parent_node_type,
    mls_node_type,
    mls_optional_node_type,
    mls_ratchet_tree_type,
    mls_update_path_node_type,
    mls_update_path_type,
    mls_leaf_node_hash_input_type,
    mls_parent_node_hash_input_type,
    mls_tree_hash_input_type,
    mls_parent_hash_input_type,
    mls_group_context_type,
    mls_external_psk_type,
    mls_resumption_psk_type,
    mls_application_psk_type,
    mls_psk_source_type,
    mls_pre_shared_key_id_type,
    mls_psk_label_type,
    mls_add_type,
    mls_update_type,
    mls_remove_type,
    mls_pre_shared_key_type,
    mls_reinit_type,
    mls_external_init_type,
    mls_group_context_extensions_type,
    mls_app_data_update_op_type,
    mls_app_data_update_type,
    mls_app_ephemeral_type,
    mls_proposal_type,
    mls_proposal_or_ref_type,
    mls_commit_type,
    mls_sender_type,
    mls_content_type,
    mls_framed_content_type,
    mls_authenticated_content_type,
    mls_framed_content_tbs_type,
    mls_public_message_type,
    mls_authenticated_content_tbm_type,
    mls_private_message_type,
    mls_private_content_aad_type,
    mls_sender_data_type,
    mls_sender_data_aad_type,
    mls_confirmed_transcript_hash_input_type,
    mls_interim_transcript_hash_input_type,
    mls_group_info_type,
    mls_group_info_tbs_type,
    mls_path_secret_type,
    mls_group_secrets_type,
    mls_encrypted_group_secrets_type,
    mls_welcome_type,
    mls_message_body_type,
    mls_message_type,
    mls_application_id_type,
    mls_required_capabilities_type,
    mls_external_pub_type,
    mls_external_sender_type,
    mls_external_senders_type,
    mls_component_data_type,
    mls_app_data_dictionary_type,
    mls_safe_aad_item_type,
    mls_safe_aad_type,
    mls_components_list_type,
    mls_wire_formats_type,
    mls_component_operation_label_type,
};

/* The codec is a bijection between values and canonical encodings (minimal
 * varints, optional bytes 0/1): whatever decodes re-encodes to exactly the
 * bytes consumed, and whatever does not leaves the output zeroed. */
static void check_canonical(const mimi_type *t, const uint8_t *data, size_t len, size_t *ok) {
  void *v = zalloc(t);
  memset(v, 0x5a, t->size);
  mimi_reader r = mimi_reader_init(data, len);
  mimi_err err = mimi_decode(t, &r, v);
  if (err == MIMI_OK) {
    (*ok)++;
    mimi_bytes out;
    CHECK_OK(mimi_encode_alloc(t, v, &out));
    CHECK_MEM(out.data, out.len, data, r.pos);
    mimi_bytes_free(&out);
    mimi_free(t, v);
  } else {
    CHECK(all_zero(v, t->size) && r.pos == 0);
  }
  free(v);
}

static void test_random_inputs(void) {
  mimi_test_prng prng;
  (void)mimi_test_rng_prng(&prng, 9420); /* seeds prng */
  size_t ok = 0;
  uint8_t buf[48];
  for (size_t k = 0; k < sizeof k_all_types / sizeof k_all_types[0]; k++) {
    const mimi_type *t = k_all_types[k]();
    for (int i = 0; i < 400; i++) {
      size_t len = mimi_test_prng_next(&prng) % (sizeof buf + 1);
      /* small bytes, so tags and lengths are often plausible */
      for (size_t j = 0; j < len; j++) {
        uint64_t x = mimi_test_prng_next(&prng);
        buf[j] = (uint8_t)((x & 3) ? (x >> 8) % 4 : (x >> 8));
      }
      check_canonical(t, buf, len, &ok);
    }
  }
  CHECK(ok > 0);
  mimi_test_case();

  /* single-byte corruptions of real messages */
  json_t *all = mimi_vec_load("mls/messages.json");
  ok = 0;
  for (size_t c = 0; c < 3; c++) {
    json_t *cs = json_array_get(all, c);
    for (size_t k = 0; k < N_FIELDS; k++) {
      mimi_bytes in = mimi_vec_hex(cs, k_fields[k].key);
      for (int i = 0; i < 150 && in.len > 0; i++) {
        size_t at = mimi_test_prng_next(&prng) % in.len;
        uint8_t was = in.data[at];
        in.data[at] = (uint8_t)mimi_test_prng_next(&prng);
        check_canonical(k_fields[k].type(), in.data, in.len, &ok);
        in.data[at] = was;
      }
      mimi_bytes_free(&in);
    }
  }
  CHECK(ok > 0);
  json_decref(all);
  mimi_test_case();
}

int main(void) {
  test_random_inputs();
  test_vectors();
  test_mutations();
  test_extensions_draft();
  test_outer_selects();
  return mimi_test_summary("messages");
}
