/* test_protocol_wire.c — every draft-ietf-mimi-protocol-06 struct encoded
 * from hand-built values and compared with encodings written out by hand
 * from the TLS presentation language (RFC 8446 §3 / RFC 9420 §2.1: uintN
 * big-endian, <V> a minimal varint length, optional a 0/1 byte, a select
 * body right after its tag), decoded back, truncated at every length, and
 * the negative cases with their exact error codes. */
#include "protocol_test_util.h"

/* --- MLS pieces, by hand from RFC 9420 -------------------------------- */

/* MLSMessage{mls10, private_message{group_id "g", epoch 5, application,
 * aad "", encrypted_sender_data aabb, ciphertext ccddee}} */
#define PRIV_APP "0001" "0002" "0167" "0000000000000005" "01" "00" "02aabb" "03ccddee"
/* the same, content_type proposal */
#define PRIV_PROPOSAL "0001" "0002" "0167" "0000000000000005" "02" "00" "02aabb" "03ccddee"
/* MLSMessage{mls10, public_message{FramedContent{"g", 5, member 0, aad "",
 * proposal Remove{1}}, signature 5151, membership_tag 6d6d}} */
#define PUB_PROPOSAL                                                                  \
  "0001" "0001" "0167" "0000000000000005" "0100000000" "00" "02" "0003" "00000001"     \
  "025151" "026d6d"
/* ... commit{proposals [], path absent}, signature, confirmation_tag c7c7,
 * membership_tag */
#define PUB_COMMIT                                                                    \
  "0001" "0001" "0167" "0000000000000005" "0100000000" "00" "03" "00" "00" "025151"    \
  "02c7c7" "026d6d"
/* Welcome{suite 1, secrets [], encrypted_group_info eeee} and as MLSMessage */
#define WELCOME "0001" "00" "02eeee"
#define WELCOME_MSG "0001" "0003" WELCOME
/* GroupInfo{GroupContext{mls10, suite 1, "g", 5, tree_hash 74, cth 63, []},
 * [], confirmation_tag c7, signer 0, signature 53} */
#define GROUP_INFO                                                                    \
  "0001" "0001" "0167" "0000000000000005" "0174" "0163" "00" "00" "01c7" "00000000" "0153"
#define GROUP_INFO_MSG "0001" "0004" GROUP_INFO
/* KeyPackage{mls10, suite 1, init_key aabb, LeafNode{enc 11, sig 22,
 * basic "abc", Capabilities{all empty}, key_package lifetime 0..2^64-1, [],
 * signature 33}, [], signature 44} */
#define KEY_PACKAGE                                                                   \
  "0001" "0001" "02aabb" "0111" "0122" "0001" "03616263" "0000000000" "01"             \
  "0000000000000000" "ffffffffffffffff" "00" "0133" "00" "0144"
/* Credential basic "alice" */
#define CRED_ALICE "0001" "05616c696365"

static void uri_of(mimi_identifier_uri *u, const char *s) { set_uri(u, s); }

static void test_identifier_uri(void) {
  mimi_identifier_uri u = {0};
  uri_of(&u, "mimi://a.example/u/alice");
  check_codec(mimi_identifier_uri_type(), &u, HX(V(A("mimi://a.example/u/alice"))));
  mimi_identifier_uri_free(&u);
}

/* --- Fetch Key Material ---------------------------------------------- */

/* The TBS and the request share these fields; one builder for both. */
#define BUILD_KM_TBS_FIELDS(m)                                            \
  do {                                                                    \
    uri_of(&(m)->requesting_user, "alice");                               \
    uri_of(&(m)->target_user, "bob");                                     \
    uri_of(&(m)->room_id, "room");                                        \
    (m)->acceptable_ciphersuites = zalloc(2, sizeof(uint16_t));           \
    (m)->acceptable_ciphersuites[0] = 1;                                  \
    (m)->acceptable_ciphersuites[1] = 3;                                  \
    (m)->acceptable_ciphersuites_count = 2;                               \
    build_required_caps(&(m)->required_capabilities);                     \
    set_hex(&(m)->requester_signature_key, "5a5a");                       \
    (m)->requester_credential.credential_type = MLS_CREDENTIAL_BASIC;     \
    set_str(&(m)->requester_credential.identity, "alice");                \
  } while (0)

static void build_required_caps(mls_required_capabilities *rc) {
  rc->extension_types = zalloc(1, sizeof(uint16_t));
  rc->extension_types[0] = 6;
  rc->extension_types_count = 1;
  rc->credential_types = zalloc(1, sizeof(uint16_t));
  rc->credential_types[0] = 1;
  rc->credential_types_count = 1;
}

static const char *km_tbs_hex(void) {
  return HX(V(A("alice")), V(A("bob")), V(A("room")), V("00010003"),
            /* RequiredCapabilities */ V("0006"), V(""), V("0001"),
            V("5a5a"), CRED_ALICE);
}

static void test_key_material_request(void) {
  mimi_key_material_request_tbs tbs = {0};
  tbs.protocol = MIMI_PROTOCOL_MLS10;
  BUILD_KM_TBS_FIELDS(&tbs.mls10);
  check_codec(mimi_key_material_request_tbs_type(), &tbs, HX("01", km_tbs_hex()));
  mimi_key_material_request_tbs_free(&tbs);

  mimi_key_material_request req = {0};
  req.protocol = MIMI_PROTOCOL_MLS10;
  /* the request is the TBS plus the signature: same field layout */
  BUILD_KM_TBS_FIELDS(&req.mls10);
  set_hex(&req.mls10.key_material_request_signature, "5353");
  const char *hex = HX("01", km_tbs_hex(), V("5353"));
  check_codec(mimi_key_material_request_type(), &req, hex);
  mimi_key_material_request_free(&req);

  /* "a non-empty list of acceptable MLS ciphersuites" */
  check_decode_err(mimi_key_material_request_type(),
                   HX("01", V(A("alice")), V(A("bob")), V(A("room")), V(""), V("0006"), V(""),
                      V("0001"), V("5a5a"), CRED_ALICE, V("5353")),
                   MIMI_ERR_PROTO_INCONSISTENT);
  /* protocol reserved(0) / unknown(2): no mls10 body to read */
  check_decode_err(mimi_key_material_request_type(), HX("00", km_tbs_hex(), V("5353")),
                   MIMI_ERR_BAD_TAG);
  check_decode_err(mimi_key_material_request_type(), HX("02", km_tbs_hex(), V("5353")),
                   MIMI_ERR_BAD_TAG);
}

static void test_key_material_response(void) {
  mimi_key_material_response r = {0};
  r.protocol = MIMI_PROTOCOL_MLS10;
  r.mls10.user_status = MIMI_KM_USER_PARTIAL_SUCCESS;
  uri_of(&r.mls10.user_uri, "bob");
  r.mls10.clients = zalloc(4, sizeof(mimi_client_key_material));
  r.mls10.clients_count = 4;
  mimi_client_key_material *c = r.mls10.clients;
  c[0].client_status = MIMI_KM_CLIENT_SUCCESS;
  uri_of(&c[0].client_uri, "c1");
  load(mls_key_package_type(), KEY_PACKAGE, &c[0].key_package);
  c[1].client_status = MIMI_KM_CLIENT_KEY_MATERIAL_EXHAUSTED;
  uri_of(&c[1].client_uri, "c2");
  c[2].client_status = MIMI_KM_CLIENT_NOTHING_COMPATIBLE;
  uri_of(&c[2].client_uri, "c3");
  mls_capabilities *caps = zalloc(1, sizeof *caps);
  caps->versions = zalloc(1, sizeof(uint16_t));
  caps->versions[0] = 1;
  caps->versions_count = 1;
  caps->cipher_suites = zalloc(1, sizeof(uint16_t));
  caps->cipher_suites[0] = 1;
  caps->cipher_suites_count = 1;
  caps->credentials = zalloc(1, sizeof(uint16_t));
  caps->credentials[0] = 1;
  caps->credentials_count = 1;
  c[2].client_capabilities.capabilities = caps;
  c[3].client_status = MIMI_KM_CLIENT_NOTHING_COMPATIBLE;
  uri_of(&c[3].client_uri, "c4"); /* capabilities withheld */
  const char *clients =
      HX("00", V(A("c1")), KEY_PACKAGE,                                   /* success */
         "01", V(A("c2")),                                                /* exhausted */
         "02", V(A("c3")), "01", V("0001"), V("0001"), V(""), V(""), V("0001"),
         "02", V(A("c4")), "00");
  check_codec(mimi_key_material_response_type(), &r, HX("01", "01", V(A("bob")), V(clients)));
  mimi_key_material_response_free(&r);

  /* user code 8 is unassigned; client code 3 too */
  check_decode_err(mimi_key_material_response_type(), HX("01", "08", V(A("bob")), V("")),
                   MIMI_ERR_PROTO_BAD_ENUM);
  check_decode_err(mimi_key_material_response_type(),
                   HX("01", "00", V(A("bob")), V(HX("03", V(A("c2"))))), MIMI_ERR_PROTO_BAD_ENUM);
  /* userUnknown with a client listed */
  check_decode_err(mimi_key_material_response_type(),
                   HX("01", "04", V(A("bob")), V(HX("01", V(A("c2"))))),
                   MIMI_ERR_PROTO_INCONSISTENT);
  /* noCompatibleMaterial may list clients */
  check_decode_err(mimi_key_material_response_type(),
                   HX("01", "03", V(A("bob")), V(HX("02", V(A("c2")), "00"))), MIMI_OK);
  /* bad optional byte for the capabilities */
  check_decode_err(mimi_key_material_response_type(),
                   HX("01", "00", V(A("bob")), V(HX("02", V(A("c2")), "02"))),
                   MIMI_ERR_BAD_OPTIONAL);
}

/* --- Update Room State ----------------------------------------------- */

static void test_handshake_bundle(void) {
  /* commit: Welcome present, partial GroupInfo, tree via the DS */
  mimi_handshake_bundle b = {0};
  load(mls_message_type(), PUB_COMMIT, &b.proposal_or_commit);
  b.commit.welcome = zalloc(1, sizeof(mls_welcome));
  load(mls_welcome_type(), WELCOME, b.commit.welcome);
  b.commit.group_info_option.representation = MIMI_GROUP_INFO_REP_PARTIAL;
  mimi_partial_group_info *pgi = &b.commit.group_info_option.partial_group_info;
  pgi->ratchet_tree_presence = MIMI_TREE_PRESENCE_PRESENT;
  pgi->group_info_extensions = zalloc(1, sizeof(mls_extension));
  pgi->group_info_extensions_count = 1;
  pgi->group_info_extensions[0].extension_type = MLS_EXT_EXTERNAL_PUB;
  set_hex(&pgi->group_info_extensions[0].extension_data, "0178");
  set_hex(&pgi->signature, "5656");
  b.commit.ratchet_tree_option.representation = MIMI_TREE_REP_DISTRIBUTION_SERVICE;
  const char *hex = HX(PUB_COMMIT, "01", WELCOME, "02", "01", V(HX("0004", V("0178"))),
                       V("5656"), "04");
  check_codec(mimi_handshake_bundle_type(), &b, hex);
  mimi_handshake_bundle_free(&b);

  /* commit: no Welcome, full GroupInfo, full tree of one blank and one
   * absent-welcome... */
  memset(&b, 0, sizeof b);
  load(mls_message_type(), PUB_COMMIT, &b.proposal_or_commit);
  b.commit.group_info_option.representation = MIMI_GROUP_INFO_REP_FULL;
  load(mls_group_info_type(), GROUP_INFO, &b.commit.group_info_option.group_info);
  b.commit.ratchet_tree_option.representation = MIMI_TREE_REP_FULL;
  b.commit.ratchet_tree_option.full.nodes = zalloc(1, sizeof(mls_optional_node));
  b.commit.ratchet_tree_option.full.nodes_count = 1; /* one blank node */
  check_codec(mimi_handshake_bundle_type(), &b,
              HX(PUB_COMMIT, "00", "01", GROUP_INFO, "01", V("00")));
  mimi_handshake_bundle_free(&b);

  /* proposal with one more proposal */
  memset(&b, 0, sizeof b);
  load(mls_message_type(), PUB_PROPOSAL, &b.proposal_or_commit);
  b.more_proposals.messages = zalloc(1, sizeof(mls_message));
  b.more_proposals.messages_count = 1;
  load(mls_message_type(), PUB_PROPOSAL, &b.more_proposals.messages[0]);
  check_codec(mimi_handshake_bundle_type(), &b, HX(PUB_PROPOSAL, V(PUB_PROPOSAL)));
  mimi_handshake_bundle_free(&b);

  /* an application message is not a handshake; a PrivateMessage proposal
   * is one the hub cannot read */
  check_decode_err(mimi_handshake_bundle_type(), PRIV_APP, MIMI_ERR_PROTO_BAD_MESSAGE);
  check_decode_err(mimi_handshake_bundle_type(), HX(PRIV_PROPOSAL, V("")),
                   MIMI_ERR_PROTO_BAD_MESSAGE);
  /* a commit among the extra proposals */
  check_decode_err(mimi_handshake_bundle_type(), HX(PUB_PROPOSAL, V(PUB_COMMIT)),
                   MIMI_ERR_PROTO_BAD_MESSAGE);
  /* GroupInfoRepresentation reserved(0), RatchetTreeRepresentation 5 */
  check_decode_err(mimi_handshake_bundle_type(), HX(PUB_COMMIT, "00", "00", GROUP_INFO, "04"),
                   MIMI_ERR_BAD_TAG);
  check_decode_err(mimi_handshake_bundle_type(), HX(PUB_COMMIT, "00", "01", GROUP_INFO, "05"),
                   MIMI_ERR_BAD_TAG);
  /* RatchetTreePresence 4 */
  check_decode_err(mimi_handshake_bundle_type(),
                   HX(PUB_COMMIT, "00", "02", "04", V(""), V("5656"), "04"),
                   MIMI_ERR_PROTO_BAD_ENUM);
}

static void test_ratchet_tree_option(void) {
  mimi_ratchet_tree_option o = {0};
  o.representation = MIMI_TREE_REP_HTTPS_URI;
  set_str(&o.https_uri.ratchet_tree_url, "https://t.example/x");
  set_hex(&o.https_uri.tree_signature, "5454");
  check_codec(mimi_ratchet_tree_option_type(), &o,
              HX("02", V(A("https://t.example/x")), V("5454")));
  mimi_ratchet_tree_option_free(&o);
  memset(&o, 0, sizeof o);
  o.representation = MIMI_TREE_REP_OUT_OF_BAND;
  set_hex(&o.out_of_band.tree_signature, "5454");
  check_codec(mimi_ratchet_tree_option_type(), &o, HX("03", V("5454")));
  mimi_ratchet_tree_option_free(&o);
  check_decode_err(mimi_ratchet_tree_option_type(), "00", MIMI_ERR_BAD_TAG);
}

static void test_update_room_response(void) {
  mimi_update_room_response r = {0};
  r.response_code = MIMI_UPDATE_SUCCESS;
  r.accepted_timestamp = 0x0000018f00000001ull;
  check_codec(mimi_update_room_response_type(), &r, HX("00", V(""), "0000018f00000001"));
  memset(&r, 0, sizeof r);
  r.response_code = MIMI_UPDATE_WRONG_EPOCH;
  set_str(&r.error_description, "epoch");
  r.current_epoch = 7;
  check_codec(mimi_update_room_response_type(), &r, HX("01", V(A("epoch")), "0000000000000007"));
  mimi_update_room_response_free(&r);
  r.response_code = MIMI_UPDATE_NOT_ALLOWED;
  check_codec(mimi_update_room_response_type(), &r, HX("02", V("")));
  r.response_code = MIMI_UPDATE_INVALID_PROPOSAL;
  r.invalid_proposals.refs = zalloc(2, sizeof(mimi_bytes));
  r.invalid_proposals.refs_count = 2;
  set_hex(&r.invalid_proposals.refs[0], "0102");
  set_hex(&r.invalid_proposals.refs[1], "03");
  check_codec(mimi_update_room_response_type(), &r, HX("03", V(""), V(HX(V("0102"), V("03")))));
  mimi_update_room_response_free(&r);
  check_decode_err(mimi_update_room_response_type(), HX("04", V("")), MIMI_ERR_PROTO_BAD_ENUM);
  check_decode_err(mimi_update_room_response_type(), HX("00", V("")), MIMI_ERR_TRUNCATED);
}

/* --- Submit a Message / franking structs ------------------------------ */

static void build_frank(mimi_frank *f) {
  for (int i = 0; i < 32; i++) f->server_frank[i] = (uint8_t)i;
  f->franking_signature_ciphersuite = 1;
  set_hex(&f->franking_integrity_signature, "5555");
}
#define FRANK_HEX "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f" "0001" "025555"

static void test_submit(void) {
  mimi_submit_message_request q = {0};
  q.protocol = MIMI_PROTOCOL_MLS10;
  load(mls_message_type(), PRIV_APP, &q.mls10.app_message);
  uri_of(&q.mls10.sending_uri, "alice");
  check_codec(mimi_submit_message_request_type(), &q, HX("01", PRIV_APP, V(A("alice"))));
  mimi_submit_message_request_free(&q);
  check_decode_err(mimi_submit_message_request_type(), HX("01", PUB_PROPOSAL, V(A("alice"))),
                   MIMI_ERR_PROTO_BAD_MESSAGE);
  check_decode_err(mimi_submit_message_request_type(), HX("01", PRIV_PROPOSAL, V(A("alice"))),
                   MIMI_ERR_PROTO_BAD_MESSAGE);
  check_decode_err(mimi_submit_message_request_type(), HX("02", PRIV_APP, V(A("alice"))),
                   MIMI_ERR_BAD_TAG);

  mimi_submit_message_response s = {0};
  s.protocol = MIMI_PROTOCOL_MLS10;
  s.mls10.status_code = MIMI_SUBMIT_ACCEPTED;
  s.mls10.accepted.accepted_timestamp = 1700000000000ull; /* 0x18bcfe56800 */
  s.mls10.accepted.frank = zalloc(1, sizeof(mimi_frank));
  build_frank(s.mls10.accepted.frank);
  check_codec(mimi_submit_message_response_type(), &s,
              HX("01", "00", "0000018bcfe56800", "01", FRANK_HEX));
  mimi_submit_message_response_free(&s);
  s.protocol = MIMI_PROTOCOL_MLS10;
  s.mls10.status_code = MIMI_SUBMIT_ACCEPTED;
  s.mls10.accepted.accepted_timestamp = 1;
  check_codec(mimi_submit_message_response_type(), &s, HX("01", "00", "0000000000000001", "00"));
  s.mls10.status_code = MIMI_SUBMIT_NOT_ALLOWED;
  check_codec(mimi_submit_message_response_type(), &s, "0101");
  s.mls10.status_code = MIMI_SUBMIT_EPOCH_TOO_OLD;
  s.mls10.current_epoch = 9;
  check_codec(mimi_submit_message_response_type(), &s, "0102" "0000000000000009");
  check_decode_err(mimi_submit_message_response_type(), "0103", MIMI_ERR_BAD_TAG);
  check_decode_err(mimi_submit_message_response_type(), "0100" "0000000000000001" "02",
                   MIMI_ERR_BAD_OPTIONAL);
}

static void test_franking_structs(void) {
  mimi_frank f = {0};
  build_frank(&f);
  check_codec(mimi_frank_type(), &f, FRANK_HEX);
  mimi_frank_free(&f);

  mimi_frank_aad a;
  memset(a.franking_tag, 0xab, 32);
  check_codec(mimi_frank_aad_type(), &a,
              "abababababababababababababababababababababababababababababababab");

  mimi_franking_agent_data g = {0};
  set_hex(&g.franking_signature_key, "a1a2");
  g.credential.credential_type = MLS_CREDENTIAL_BASIC;
  set_str(&g.credential.identity, "hub.example");
  check_codec(mimi_franking_agent_data_type(), &g, HX(V("a1a2"), "0001", V(A("hub.example"))));
  mimi_franking_agent_data_free(&g);

  mimi_franking_integrity_tbs t = {0};
  memset(t.server_frank, 0x11, 32);
  t.franking_signature_ciphersuite = 3;
  uri_of(&t.context.sender_uri, "s");
  uri_of(&t.context.room_uri, "r");
  t.context.accepted_timestamp = 0x0102030405060708ull;
  check_codec(mimi_franking_integrity_tbs_type(), &t,
              HX("1111111111111111111111111111111111111111111111111111111111111111", "0003",
                 "0173", "0172", "0102030405060708"));
  check_codec(mimi_server_franking_context_type(), &t.context,
              HX("0173", "0172", "0102030405060708"));
  mimi_franking_integrity_tbs_free(&t);
}

/* --- Fanout ----------------------------------------------------------- */

static void test_fanout(void) {
  mimi_fanout_message m = {0};
  m.timestamp = 2;
  load(mls_message_type(), PRIV_APP, &m.message);
  m.frank.frank = zalloc(1, sizeof(mimi_frank));
  build_frank(m.frank.frank);
  const char *app = HX("0000000000000002", PRIV_APP, "01", FRANK_HEX);
  check_codec(mimi_fanout_message_type(), &m, app);
  mimi_fanout_message_free(&m);

  m.timestamp = 3;
  load(mls_message_type(), WELCOME_MSG, &m.message);
  m.ratchet_tree_option.representation = MIMI_TREE_REP_OUT_OF_BAND;
  set_hex(&m.ratchet_tree_option.out_of_band.tree_signature, "");
  const char *wel = HX("0000000000000003", WELCOME_MSG, "03", V(""));
  check_codec(mimi_fanout_message_type(), &m, wel);
  mimi_fanout_message_free(&m);

  m.timestamp = 4;
  load(mls_message_type(), PUB_PROPOSAL, &m.message);
  m.more_proposals.messages = zalloc(1, sizeof(mls_message));
  m.more_proposals.messages_count = 1;
  load(mls_message_type(), PUB_PROPOSAL, &m.more_proposals.messages[0]);
  check_codec(mimi_fanout_message_type(), &m, HX("0000000000000004", PUB_PROPOSAL, V(PUB_PROPOSAL)));
  mimi_fanout_message_free(&m);

  m.timestamp = 5;
  load(mls_message_type(), PUB_COMMIT, &m.message);
  m.external_proposals.messages = zalloc(1, sizeof(mls_message));
  m.external_proposals.messages_count = 1;
  load(mls_message_type(), PUB_PROPOSAL, &m.external_proposals.messages[0]);
  const char *com = HX("0000000000000005", PUB_COMMIT, V(PUB_PROPOSAL));
  check_codec(mimi_fanout_message_type(), &m, com);
  mimi_fanout_message_free(&m);

  /* a GroupInfo is not fanned out; a commit stapled as a "proposal" */
  check_decode_err(mimi_fanout_message_type(), HX("0000000000000001", GROUP_INFO_MSG),
                   MIMI_ERR_PROTO_BAD_MESSAGE);
  check_decode_err(mimi_fanout_message_type(), HX("0000000000000005", PUB_COMMIT, V(PUB_COMMIT)),
                   MIMI_ERR_PROTO_BAD_MESSAGE);
  /* handshakes travel in the clear for the hub; applications encrypted */
  check_decode_err(mimi_fanout_message_type(), HX("0000000000000004", PRIV_PROPOSAL, V("")),
                   MIMI_ERR_PROTO_BAD_MESSAGE);
  check_decode_err(mimi_fanout_message_type(),
                   HX("0000000000000004", PUB_PROPOSAL, V(PRIV_PROPOSAL)),
                   MIMI_ERR_PROTO_BAD_MESSAGE);
  check_decode_err(mimi_fanout_message_type(),
                   HX("0000000000000004", PUB_PROPOSAL, V(PUB_PROPOSAL)), MIMI_OK);

  /* a /notify body: three messages back to back */
  mimi_bytes body;
  CHECK_OK(mimi_bytes_from_hex(&body, HX(app, wel, com)));
  mimi_reader r = mimi_reader_init(body.data, body.len);
  uint64_t want_ts[3] = {2, 3, 5};
  for (int i = 0; i < 3; i++) {
    CHECK_OK(mimi_proto_fanout_next(&r, &m));
    CHECK(m.timestamp == want_ts[i]);
    mimi_fanout_message_free(&m);
  }
  CHECK_ERR(mimi_proto_fanout_next(&r, &m), MIMI_ERR_NOT_FOUND);
  /* a truncated last message: error, reader not advanced */
  mimi_reader t = mimi_reader_init(body.data, body.len - 1);
  CHECK_OK(mimi_proto_fanout_next(&t, &m));
  mimi_fanout_message_free(&m);
  CHECK_OK(mimi_proto_fanout_next(&t, &m));
  mimi_fanout_message_free(&m);
  size_t pos = t.pos;
  CHECK_ERR(mimi_proto_fanout_next(&t, &m), MIMI_ERR_TRUNCATED);
  CHECK(t.pos == pos);
  mimi_bytes_free(&body);
  mimi_test_case();
}

/* --- Claim group key information ------------------------------------- */

static void test_group_info(void) {
  mimi_group_info_request_tbs tbs = {0};
  tbs.protocol = MIMI_PROTOCOL_MLS10;
  tbs.mls10.cipher_suite = 1;
  set_hex(&tbs.mls10.requesting_signature_key, "5a5a");
  tbs.mls10.requesting_credential.credential_type = MLS_CREDENTIAL_BASIC;
  set_str(&tbs.mls10.requesting_credential.identity, "alice");
  set_hex(&tbs.mls10.group_info_public_key, "6b6b");
  check_codec(mimi_group_info_request_tbs_type(), &tbs,
              HX("01", "0001", V("5a5a"), CRED_ALICE, V("6b6b"), "00"));
  tbs.mls10.joining_code = zalloc(1, sizeof(mimi_bytes));
  set_str(tbs.mls10.joining_code, "code");
  check_codec(mimi_group_info_request_tbs_type(), &tbs,
              HX("01", "0001", V("5a5a"), CRED_ALICE, V("6b6b"), "01", V(A("code"))));
  mimi_group_info_request_tbs_free(&tbs);

  mimi_group_info_request q = {0};
  q.protocol = MIMI_PROTOCOL_MLS10;
  q.mls10.cipher_suite = 1;
  set_hex(&q.mls10.requesting_signature_key, "5a5a");
  q.mls10.requesting_credential.credential_type = MLS_CREDENTIAL_BASIC;
  set_str(&q.mls10.requesting_credential.identity, "alice");
  set_hex(&q.mls10.group_info_public_key, "6b6b");
  set_str(&q.mls10.joining_code, "code");
  set_hex(&q.mls10.signature, "5353");
  check_codec(mimi_group_info_request_type(), &q,
              HX("01", "0001", V("5a5a"), CRED_ALICE, V("6b6b"), V(A("code")), V("5353")));
  mimi_group_info_request_free(&q);

  mimi_pending_proposal pp = {0};
  load(mls_message_type(), PUB_PROPOSAL, &pp.proposal);
  pp.hub_accepted_time = 6;
  check_codec(mimi_pending_proposal_type(), &pp, HX(PUB_PROPOSAL, "0000000000000006"));
  mimi_pending_proposal_free(&pp);
  check_decode_err(mimi_pending_proposal_type(), HX(PUB_COMMIT, "0000000000000006"),
                   MIMI_ERR_PROTO_BAD_MESSAGE);

  mimi_group_info_ratchet_tree_tbe tbe = {0};
  load(mls_group_info_type(), GROUP_INFO, &tbe.group_info);
  tbe.ratchet_tree_option.representation = MIMI_TREE_REP_DISTRIBUTION_SERVICE;
  tbe.pending_proposals = zalloc(1, sizeof(mimi_pending_proposal));
  tbe.pending_proposals_count = 1;
  load(mls_message_type(), PUB_PROPOSAL, &tbe.pending_proposals[0].proposal);
  tbe.pending_proposals[0].hub_accepted_time = 6;
  check_codec(mimi_group_info_ratchet_tree_tbe_type(), &tbe,
              HX(GROUP_INFO, "04", V(HX(PUB_PROPOSAL, "0000000000000006"))));
  mimi_group_info_ratchet_tree_tbe_free(&tbe);

  const char *body = HX("0001", V("a1a2"), "0001", V(A("hub.example")), V("e1e1"), V("c1c1c1"));
  mimi_group_info_response_tbs rt = {0};
  rt.version = MIMI_PROTOCOL_MLS10;
  set_str(&rt.mls10.room_id, "room");
  rt.mls10.status = MIMI_GROUP_INFO_SUCCESS;
  rt.mls10.cipher_suite = 1;
  set_hex(&rt.mls10.hub_sender.signature_key, "a1a2");
  rt.mls10.hub_sender.credential.credential_type = MLS_CREDENTIAL_BASIC;
  set_str(&rt.mls10.hub_sender.credential.identity, "hub.example");
  set_hex(&rt.mls10.encrypted_groupinfo_and_tree.kem_output, "e1e1");
  set_hex(&rt.mls10.encrypted_groupinfo_and_tree.ciphertext, "c1c1c1");
  check_codec(mimi_group_info_response_tbs_type(), &rt, HX("01", V(A("room")), "01", body));
  mimi_group_info_response_tbs_free(&rt);

  mimi_group_info_response r = {0};
  r.version = MIMI_PROTOCOL_MLS10;
  set_str(&r.mls10.room_id, "room");
  r.mls10.status = MIMI_GROUP_INFO_SUCCESS;
  mimi_group_info_response_success *s = &r.mls10.success;
  s->cipher_suite = 1;
  set_hex(&s->hub_sender.signature_key, "a1a2");
  s->hub_sender.credential.credential_type = MLS_CREDENTIAL_BASIC;
  set_str(&s->hub_sender.credential.identity, "hub.example");
  set_hex(&s->encrypted_groupinfo_and_tree.kem_output, "e1e1");
  set_hex(&s->encrypted_groupinfo_and_tree.ciphertext, "c1c1c1");
  set_hex(&s->signature, "5353");
  check_codec(mimi_group_info_response_type(), &r, HX("01", V(A("room")), "01", body, V("5353")));
  mimi_group_info_response_free(&r);
  r.version = MIMI_PROTOCOL_MLS10;
  set_str(&r.mls10.room_id, "room");
  r.mls10.status = MIMI_GROUP_INFO_NOT_AUTHORIZED;
  check_codec(mimi_group_info_response_type(), &r, HX("01", V(A("room")), "02"));
  r.mls10.status = MIMI_GROUP_INFO_NO_SUCH_ROOM;
  check_codec(mimi_group_info_response_type(), &r, HX("01", V(A("room")), "03"));
  mimi_group_info_response_free(&r);
  check_decode_err(mimi_group_info_response_type(), HX("01", V(A("room")), "00"),
                   MIMI_ERR_PROTO_BAD_ENUM);
  check_decode_err(mimi_group_info_response_type(), HX("01", V(A("room")), "04"),
                   MIMI_ERR_PROTO_BAD_ENUM);
  check_decode_err(mimi_group_info_response_type(), HX("00", V(A("room")), "02"),
                   MIMI_ERR_BAD_TAG);
}

/* --- Consent ---------------------------------------------------------- */

static void test_consent(void) {
  mimi_consent_entry e = {0};
  e.consent_operation = MIMI_CONSENT_REQUEST;
  uri_of(&e.requester_uri, "alice");
  uri_of(&e.target_uri, "bob");
  e.room_id = zalloc(1, sizeof(mimi_identifier_uri));
  uri_of(e.room_id, "room");
  check_codec(mimi_consent_entry_type(), &e,
              HX("01", V(A("alice")), V(A("bob")), "01", V(A("room")), V("")));
  mimi_consent_entry_free(&e);

  e.consent_operation = MIMI_CONSENT_GRANT;
  uri_of(&e.requester_uri, "alice");
  uri_of(&e.target_uri, "bob");
  e.client_key_packages.key_packages = zalloc(1, sizeof(mls_key_package));
  e.client_key_packages.key_packages_count = 1;
  load(mls_key_package_type(), KEY_PACKAGE, &e.client_key_packages.key_packages[0]);
  e.consent_extensions.component_data = zalloc(1, sizeof(mls_component_data));
  e.consent_extensions.component_data_count = 1;
  e.consent_extensions.component_data[0].component_id = 0x8000;
  set_hex(&e.consent_extensions.component_data[0].data, "99");
  check_codec(mimi_consent_entry_type(), &e,
              HX("02", V(A("alice")), V(A("bob")), "00", V(KEY_PACKAGE), V(HX("8000", V("99")))));
  mimi_consent_entry_free(&e);

  e.consent_operation = MIMI_CONSENT_CANCEL;
  uri_of(&e.requester_uri, "alice");
  uri_of(&e.target_uri, "bob");
  check_codec(mimi_consent_entry_type(), &e, HX("00", V(A("alice")), V(A("bob")), "00", V("")));
  e.consent_operation = MIMI_CONSENT_REVOKE;
  check_codec(mimi_consent_entry_type(), &e, HX("03", V(A("alice")), V(A("bob")), "00", V("")));
  mimi_consent_entry_free(&e);
  check_decode_err(mimi_consent_entry_type(), HX("04", V(A("alice")), V(A("bob")), "00", V("")),
                   MIMI_ERR_PROTO_BAD_ENUM);
  check_decode_err(mimi_consent_entry_type(), HX("01", V(A("alice")), V(A("bob")), "07", V("")),
                   MIMI_ERR_BAD_OPTIONAL);

  mimi_consent_scope sc = {0};
  uri_of(&sc.requester_uri, "alice");
  uri_of(&sc.target_uri, "bob");
  check_codec(mimi_consent_scope_type(), &sc, HX(V(A("alice")), V(A("bob")), "00"));
  mimi_consent_scope_free(&sc);
}

/* --- Find internal address ------------------------------------------- */

static void test_identifier_query(void) {
  mimi_identifier_request q = {0};
  q.query_elements = zalloc(3, sizeof(mimi_query_element));
  q.query_elements_count = 3;
  q.query_elements[0].search.search_type = MIMI_SEARCH_HANDLE;
  set_str(&q.query_elements[0].search_value, "im:alice@a.example");
  q.query_elements[1].search.search_type = MIMI_SEARCH_OIDC_STD_CLAIM;
  set_str(&q.query_elements[1].search.claim_name, "given_name");
  set_str(&q.query_elements[1].search_value, "Alice");
  q.query_elements[2].search.search_type = MIMI_SEARCH_VCARD_FIELD;
  set_str(&q.query_elements[2].search.property_name, "ORG");
  set_str(&q.query_elements[2].search_value, "X");
  check_codec(mimi_identifier_request_type(), &q,
              HX(V(HX("01", V(A("im:alice@a.example")), "07", V(A("given_name")), V(A("Alice")),
                      "08", V(A("ORG")), V(A("X")))),
                 V("")));
  mimi_identifier_request_free(&q);
  check_decode_err(mimi_identifier_request_type(), HX(V(HX("00", V(""))), V("")),
                   MIMI_ERR_BAD_TAG);
  check_decode_err(mimi_identifier_request_type(), HX(V(HX("09", V(""))), V("")),
                   MIMI_ERR_BAD_TAG);

  mimi_identifier_response r = {0};
  r.response_code = MIMI_IDQ_SUCCESS;
  r.uri = zalloc(1, sizeof(mimi_identifier_uri));
  r.uri_count = 1;
  uri_of(&r.uri[0], "alice");
  r.found_profiles = zalloc(1, sizeof(mimi_user_profile));
  r.found_profiles_count = 1;
  uri_of(&r.found_profiles[0].stable_uri, "alice");
  r.found_profiles[0].fields = zalloc(1, sizeof(mimi_profile_field));
  r.found_profiles[0].fields_count = 1;
  r.found_profiles[0].fields[0].field_source = MIMI_FIELD_SOURCE_VCARD_FIELD;
  set_str(&r.found_profiles[0].fields[0].field_name, "ORG");
  set_str(&r.found_profiles[0].fields[0].field_value, "X");
  check_codec(mimi_identifier_response_type(), &r,
              HX("00", V(V(A("alice"))),
                 V(HX(V(A("alice")), V(HX("08", V(A("ORG")), V(A("X")))))), V("")));
  mimi_identifier_response_free(&r);
  check_decode_err(mimi_identifier_response_type(), HX("05", V(""), V(""), V("")),
                   MIMI_ERR_PROTO_BAD_ENUM);
  /* FieldSource reserved(0) and an unassigned 6 */
  check_decode_err(mimi_identifier_response_type(),
                   HX("00", V(""), V(HX(V(""), V(HX("00", V(""), V(""))))), V("")),
                   MIMI_ERR_PROTO_BAD_ENUM);
  check_decode_err(mimi_identifier_response_type(),
                   HX("00", V(""), V(HX(V(""), V(HX("06", V(""), V(""))))), V("")),
                   MIMI_ERR_PROTO_BAD_ENUM);
}

/* --- Report abuse ----------------------------------------------------- */

static void test_abuse_report(void) {
  mimi_abuse_report a = {0};
  uri_of(&a.reporting_user, "bob");
  uri_of(&a.alleged_abuser_uri, "mallory");
  a.reason_code = MIMI_ABUSE_TYPE_RESERVED;
  set_str(&a.note, "spam");
  a.messages = zalloc(1, sizeof(mimi_abusive_message));
  a.messages_count = 1;
  set_hex(&a.messages[0].message_content, "87");
  build_frank(&a.messages[0].frank);
  a.messages[0].accepted_timestamp = 8;
  check_codec(mimi_abuse_report_type(), &a,
              HX(V(A("bob")), V(A("mallory")), "00", V(A("spam")),
                 V(HX(V("87"), FRANK_HEX, "0000000000000008")), V("")));
  /* AbuseType has no assigned values yet: any reason code passes */
  a.reason_code = 0x2a;
  check_codec(mimi_abuse_report_type(), &a,
              HX(V(A("bob")), V(A("mallory")), "2a", V(A("spam")),
                 V(HX(V("87"), FRANK_HEX, "0000000000000008")), V("")));
  mimi_abuse_report_free(&a);
}

/* --- Minimal metadata rooms ------------------------------------------ */

static void test_pseudonymous(void) {
  mimi_pseudonymous_credential c = {0};
  uri_of(&c.client_pseudonym, "cp");
  uri_of(&c.user_pseudonym, "up");
  set_hex(&c.signature_public_key, "5a");
  set_hex(&c.identity_link_ciphertext, "ccdd");
  check_codec(mimi_pseudonymous_credential_type(), &c,
              HX(V(A("cp")), V(A("up")), V("5a"), V("ccdd")));
  check_codec(mimi_pseudonymous_credential_tbs_type(), &c, HX(V(A("cp")), V(A("up")), V("5a")));
  mimi_pseudonymous_credential_free(&c);

  mimi_identity_link_tbe t = {0};
  set_hex(&t.pseudonymous_credential_signature, "5353");
  t.client_credential.credential_type = MLS_CREDENTIAL_BASIC;
  set_str(&t.client_credential.identity, "alice");
  check_codec(mimi_identity_link_tbe_type(), &t, HX(V("5353"), CRED_ALICE));
  mimi_identity_link_tbe_free(&t);
}

/* mimi_proto_encode refuses what mimi_proto_decode would refuse. */
static void test_encode_refuses(void) {
  mimi_update_room_response r = {0};
  r.response_code = 9;
  mimi_bytes out = {0};
  CHECK_ERR(mimi_proto_encode(mimi_update_room_response_type(), &r, &out), MIMI_ERR_PROTO_BAD_ENUM);
  CHECK(out.data == NULL);
  mimi_submit_message_request q = {0};
  q.protocol = MIMI_PROTOCOL_MLS10;
  load(mls_message_type(), PUB_PROPOSAL, &q.mls10.app_message);
  CHECK_ERR(mimi_proto_encode(mimi_submit_message_request_type(), &q, &out),
            MIMI_ERR_PROTO_BAD_MESSAGE);
  mimi_submit_message_request_free(&q);
  q.protocol = 7;
  CHECK_ERR(mimi_proto_encode(mimi_submit_message_request_type(), &q, &out), MIMI_ERR_BAD_TAG);
  CHECK_ERR(mimi_proto_validate(NULL, &q), MIMI_ERR_INVALID_ARG);
  mimi_test_case();
}

int main(void) {
  test_identifier_uri();
  test_key_material_request();
  test_key_material_response();
  test_handshake_bundle();
  test_ratchet_tree_option();
  test_update_room_response();
  test_submit();
  test_franking_structs();
  test_fanout();
  test_group_info();
  test_consent();
  test_identifier_query();
  test_abuse_report();
  test_pseudonymous();
  test_encode_refuses();
  pt_cleanup();
  return mimi_test_summary("test_protocol_wire");
}
