/* test_protocol_sign.c — the signed and encrypted parts of MIMI protocol
 * messages: known-answer Ed25519 signatures (suite 1, RFC 8032 §7.1 TEST 1
 * key) over TBS structs written out by hand, computed at development time
 * with OpenSSL:
 *   echo -n "$(V 'MLS 1.0 <Label>')$(V <TBS>)" | xxd -r -p > sc.bin
 *   openssl pkeyutl -sign -inkey sk.pem -rawin -in sc.bin
 * (sk.pem from DER 302e020100300506032b657004220420 || seed; V = <V> prefix),
 * then tampering (BAD_SIGNATURE) and the GroupInfo/ratchet-tree HPKE
 * round trip with wrong key / wrong room (AEAD_OPEN). */
#include "protocol_test_util.h"

#include "mimi/crypto.h"

#define SEED "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
#define PUB "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
#define CRED_ALICE "0001" "05616c696365"

#define KM_SIG                                                                       \
  "7daca268a2f1e394779ff40a66002417e9902b03a7dd1ae9b7548bc55b2f3d4ae2772b5a8d0f92bd0a45" \
  "ca9d9db917c8ea1cda8e2215c585bbfb3c6faf60600c"
#define GIR_SIG                                                                      \
  "076200f764823d548bdf43cf4c8740deb3a20c959c0de84524a204eea494bc9a6d45940157744d93e5ba" \
  "4610ecb10b8b0948b710346f9a8a6a2893752fc86509"
#define GIRES_SIG                                                                    \
  "d77c27587b96140c2f5e98ed8074f4945a8f2e694f0c13b3969b4870936e570a759a12fb49d8f7a6eae9" \
  "87a073c4e8b7275eb08330b0445f3c41a94a5a1e4e04"
#define PS_SIG                                                                       \
  "24f5690872a7fc0921d38e1ce710306853c02c078546d96fce2eaccd8d08128f8e1ec01fa9acaca0e719" \
  "5a429fae36e62ce289f155ea37d3f4b04c633df61005"

static mimi_bytes seed_key(void) {
  mimi_bytes b;
  set_hex(&b, SEED);
  return b;
}

static void test_key_material_request(void) {
  mimi_key_material_request r = {0};
  r.protocol = MIMI_PROTOCOL_MLS10;
  mimi_key_material_request_mls *m = &r.mls10;
  set_uri(&m->requesting_user, "alice");
  set_uri(&m->target_user, "bob");
  set_uri(&m->room_id, "room");
  m->acceptable_ciphersuites = zalloc(2, sizeof(uint16_t));
  m->acceptable_ciphersuites[0] = 1;
  m->acceptable_ciphersuites[1] = 3;
  m->acceptable_ciphersuites_count = 2;
  m->required_capabilities.extension_types = zalloc(1, sizeof(uint16_t));
  m->required_capabilities.extension_types[0] = 6;
  m->required_capabilities.extension_types_count = 1;
  m->required_capabilities.credential_types = zalloc(1, sizeof(uint16_t));
  m->required_capabilities.credential_types[0] = 1;
  m->required_capabilities.credential_types_count = 1;
  set_hex(&m->requester_signature_key, PUB);
  m->requester_credential.credential_type = MLS_CREDENTIAL_BASIC;
  set_str(&m->requester_credential.identity, "alice");
  set_hex(&m->key_material_request_signature, "ffff"); /* replaced by sign */
  mimi_bytes sk = seed_key(), want;
  CHECK_OK(mimi_key_material_request_sign(&r, sk.data, sk.len));
  set_hex(&want, KM_SIG);
  CHECK_BYTES(m->key_material_request_signature, want);
  mimi_bytes_free(&want);
  CHECK_OK(mimi_key_material_request_verify(&r));
  /* the signed TBS covers every field */
  m->room_id.uri.data[0] ^= 1;
  CHECK_ERR(mimi_key_material_request_verify(&r), MIMI_ERR_BAD_SIGNATURE);
  m->room_id.uri.data[0] ^= 1;
  m->acceptable_ciphersuites[1] = 2;
  CHECK_ERR(mimi_key_material_request_verify(&r), MIMI_ERR_BAD_SIGNATURE);
  m->acceptable_ciphersuites[1] = 3;
  m->key_material_request_signature.data[5] ^= 1;
  CHECK_ERR(mimi_key_material_request_verify(&r), MIMI_ERR_BAD_SIGNATURE);
  m->key_material_request_signature.data[5] ^= 1;
  CHECK_OK(mimi_key_material_request_verify(&r));
  /* the first acceptable suite picks the algorithm */
  m->acceptable_ciphersuites[0] = 0x7777;
  CHECK_ERR(mimi_key_material_request_verify(&r), MIMI_ERR_UNSUPPORTED_SUITE);
  m->acceptable_ciphersuites_count = 0;
  CHECK_ERR(mimi_key_material_request_verify(&r), MIMI_ERR_PROTO_INCONSISTENT);
  m->acceptable_ciphersuites_count = 2;
  m->acceptable_ciphersuites[0] = 1;
  r.protocol = 2;
  CHECK_ERR(mimi_key_material_request_sign(&r, sk.data, sk.len), MIMI_ERR_BAD_TAG);
  r.protocol = MIMI_PROTOCOL_MLS10;
  mimi_key_material_request_free(&r);
  mimi_bytes_free(&sk);
  mimi_test_case();
}

static void build_gir(mimi_group_info_request *q, const char *code) {
  memset(q, 0, sizeof *q);
  q->protocol = MIMI_PROTOCOL_MLS10;
  q->mls10.cipher_suite = 1;
  set_hex(&q->mls10.requesting_signature_key, PUB);
  q->mls10.requesting_credential.credential_type = MLS_CREDENTIAL_BASIC;
  set_str(&q->mls10.requesting_credential.identity, "alice");
  set_hex(&q->mls10.group_info_public_key, "6b6b");
  set_str(&q->mls10.joining_code, code);
}

static void test_group_info_request(void) {
  mimi_group_info_request q;
  build_gir(&q, "code");
  mimi_bytes sk = seed_key(), want;
  CHECK_OK(mimi_group_info_request_sign(&q, sk.data, sk.len));
  set_hex(&want, GIR_SIG);
  CHECK_BYTES(q.mls10.signature, want);
  mimi_bytes_free(&want);
  CHECK_OK(mimi_group_info_request_verify(&q));
  q.mls10.joining_code.data[0] = 'C';
  CHECK_ERR(mimi_group_info_request_verify(&q), MIMI_ERR_BAD_SIGNATURE);
  mimi_group_info_request_free(&q);
  /* without a joining code the TBS carries an absent optional */
  build_gir(&q, "");
  CHECK_OK(mimi_group_info_request_sign(&q, sk.data, sk.len));
  CHECK_OK(mimi_group_info_request_verify(&q));
  q.mls10.cipher_suite = 3; /* Ed25519 too, but the suite itself is signed */
  CHECK_ERR(mimi_group_info_request_verify(&q), MIMI_ERR_BAD_SIGNATURE);
  q.mls10.cipher_suite = 2; /* P-256: the Ed25519 signature does not verify */
  CHECK(mimi_group_info_request_verify(&q) != MIMI_OK);
  mimi_group_info_request_free(&q);
  mimi_bytes_free(&sk);
  mimi_test_case();
}

static void build_gires(mimi_group_info_response *r) {
  memset(r, 0, sizeof *r);
  r->version = MIMI_PROTOCOL_MLS10;
  set_str(&r->mls10.room_id, "room");
  r->mls10.status = MIMI_GROUP_INFO_SUCCESS;
  mimi_group_info_response_success *s = &r->mls10.success;
  s->cipher_suite = 1;
  set_hex(&s->hub_sender.signature_key, PUB);
  s->hub_sender.credential.credential_type = MLS_CREDENTIAL_BASIC;
  set_str(&s->hub_sender.credential.identity, "hub.example");
  set_hex(&s->encrypted_groupinfo_and_tree.kem_output, "e1e1");
  set_hex(&s->encrypted_groupinfo_and_tree.ciphertext, "c1c1c1");
}

static void test_group_info_response(void) {
  mimi_group_info_response r;
  build_gires(&r);
  mimi_bytes sk = seed_key(), want;
  CHECK_OK(mimi_group_info_response_sign(&r, sk.data, sk.len));
  set_hex(&want, GIRES_SIG);
  CHECK_BYTES(r.mls10.success.signature, want);
  mimi_bytes_free(&want);
  CHECK_OK(mimi_group_info_response_verify(&r));
  r.mls10.success.encrypted_groupinfo_and_tree.ciphertext.data[0] ^= 1;
  CHECK_ERR(mimi_group_info_response_verify(&r), MIMI_ERR_BAD_SIGNATURE);
  r.mls10.success.encrypted_groupinfo_and_tree.ciphertext.data[0] ^= 1;
  r.mls10.room_id.data[0] ^= 1;
  CHECK_ERR(mimi_group_info_response_verify(&r), MIMI_ERR_BAD_SIGNATURE);
  r.mls10.room_id.data[0] ^= 1;
  r.mls10.status = MIMI_GROUP_INFO_NOT_AUTHORIZED;
  CHECK_ERR(mimi_group_info_response_verify(&r), MIMI_ERR_INVALID_ARG);
  r.mls10.status = MIMI_GROUP_INFO_SUCCESS;
  mimi_group_info_response_free(&r);
  mimi_bytes_free(&sk);
  mimi_test_case();
}

static void test_pseudonymous(void) {
  mimi_pseudonymous_credential c = {0};
  set_uri(&c.client_pseudonym, "cp");
  set_uri(&c.user_pseudonym, "up");
  set_hex(&c.signature_public_key, PUB);
  set_hex(&c.identity_link_ciphertext, "abcdef"); /* not covered by the TBS */
  mimi_bytes sk = seed_key(), pk, sig, want;
  set_hex(&pk, PUB);
  CHECK_OK(mimi_pseudonymous_credential_sign(1, sk.data, sk.len, &c, &sig));
  set_hex(&want, PS_SIG);
  CHECK_BYTES(sig, want);
  CHECK_OK(mimi_pseudonymous_credential_verify(1, pk.data, pk.len, &c, &sig));
  c.user_pseudonym.uri.data[0] = 'U';
  CHECK_ERR(mimi_pseudonymous_credential_verify(1, pk.data, pk.len, &c, &sig),
            MIMI_ERR_BAD_SIGNATURE);
  mimi_pseudonymous_credential_free(&c);
  mimi_bytes_free(&sk);
  mimi_bytes_free(&pk);
  mimi_bytes_free(&sig);
  mimi_bytes_free(&want);
  mimi_test_case();
}

static void test_group_info_tbe(void) {
  /* GroupInfo{...} from test_protocol_wire, distributionService tree */
  mimi_group_info_ratchet_tree_tbe tbe = {0};
  load(mls_group_info_type(),
       "0001" "0001" "0167" "0000000000000005" "0174" "0163" "00" "00" "01c7" "00000000" "0153",
       &tbe.group_info);
  tbe.ratchet_tree_option.representation = MIMI_TREE_REP_DISTRIBUTION_SERVICE;
  uint8_t ikm[32];
  memset(ikm, 0x21, sizeof ikm);
  mimi_bytes sk, pk, sk2, pk2, room, room2;
  CHECK_OK(mimi_kem_derive_key_pair(MIMI_KEM_X25519_SHA256, ikm, sizeof ikm, &sk, &pk));
  ikm[0] = 0x22;
  CHECK_OK(mimi_kem_derive_key_pair(MIMI_KEM_X25519_SHA256, ikm, sizeof ikm, &sk2, &pk2));
  set_str(&room, "mimi://hub.example/r/room");
  set_str(&room2, "mimi://hub.example/r/other");
  mimi_test_prng prng;
  mimi_rng rng = mimi_test_rng_prng(&prng, 7);
  mls_hpke_ciphertext ct;
  CHECK_OK(mimi_group_info_tbe_seal(1, pk.data, pk.len, &room, &tbe, &rng, &ct));
  CHECK(ct.kem_output.len == 32);
  mimi_group_info_ratchet_tree_tbe out;
  CHECK_OK(mimi_group_info_tbe_open(1, sk.data, sk.len, &room, &ct, &out));
  CHECK(mimi_group_info_ratchet_tree_tbe_equal(&out, &tbe));
  mimi_group_info_ratchet_tree_tbe_free(&out);
  memset(&out, 0x5a, sizeof out);
  CHECK_ERR(mimi_group_info_tbe_open(1, sk.data, sk.len, &room2, &ct, &out), MIMI_ERR_AEAD_OPEN);
  CHECK_ERR(mimi_group_info_tbe_open(1, sk2.data, sk2.len, &room, &ct, &out), MIMI_ERR_AEAD_OPEN);
  ct.ciphertext.data[0] ^= 1;
  CHECK_ERR(mimi_group_info_tbe_open(1, sk.data, sk.len, &room, &ct, &out), MIMI_ERR_AEAD_OPEN);
  mls_hpke_ciphertext_free(&ct);
  /* we do not seal what a receiver would refuse (pending commit) */
  tbe.pending_proposals = zalloc(1, sizeof(mimi_pending_proposal));
  tbe.pending_proposals_count = 1;
  load(mls_message_type(),
       "0001" "0001" "0167" "0000000000000005" "0100000000" "00" "03" "00" "00" "025151"
       "02c7c7" "026d6d",
       &tbe.pending_proposals[0].proposal);
  CHECK_ERR(mimi_group_info_tbe_seal(1, pk.data, pk.len, &room, &tbe, &rng, &ct),
            MIMI_ERR_PROTO_BAD_MESSAGE);
  mimi_group_info_ratchet_tree_tbe_free(&tbe);
  mimi_bytes *all[] = {&sk, &pk, &sk2, &pk2, &room, &room2};
  for (size_t i = 0; i < 6; i++) mimi_bytes_free(all[i]);
  mimi_test_case();
}

int main(void) {
  test_key_material_request();
  test_group_info_request();
  test_group_info_response();
  test_pseudonymous();
  test_group_info_tbe();
  pt_cleanup();
  return mimi_test_summary("test_protocol_sign");
}
