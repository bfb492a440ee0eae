/* test_protocol_franking.c — MIMI message franking (draft-ietf-mimi-
 * protocol-06 §"Message Franking") with known answers derived step by step
 * from the draft's formulas by an independent implementation (OpenSSL's
 * command line, run at development time), then every verification step
 * failing on its own with its own error code.
 *
 * Inputs: the MIMI content example original.cbor (draft-ietf-mimi-content,
 * salt 5eed9406c2545547ab6f09f20a18b003, senderUri
 * "mimi://example.com/u/alice-smith", roomUri
 * "mimi://example.com/r/engineering_team"), accepted_timestamp
 * 1644387225019 (0x0000017edd1dcdbb), hub_key = 32 x 0x42, and the franking
 * key = the Ed25519 key of RFC 8032 §7.1 TEST 1 (suite 1).
 *
 * franking_tag = HMAC_SHA256(salt, application_data):
 *   openssl dgst -sha256 -mac HMAC \
 *     -macopt hexkey:5eed9406c2545547ab6f09f20a18b003 original.cbor
 * context = ServerFrankingContext = 20 <sender> 25 <room> 0000017edd1dcdbb
 * server_frank = HMAC_SHA256(hub_key, franking_tag || context):
 *   echo -n "$TAG$CTX" | xxd -r -p > in.bin
 *   openssl dgst -sha256 -mac HMAC -macopt hexkey:4242...42 in.bin
 * FrankingIntegrityTBS = server_frank || 0001 || context (113 octets);
 * SignWithLabel = Ed25519 over SignContent{"MLS 1.0 FrankingIntegrityTBS",
 * TBS} = 1c <label> 4071 <TBS>:
 *   echo -n "302e020100300506032b657004220420$SEED" | xxd -r -p > sk.der
 *   openssl pkey -inform DER -in sk.der -out sk.pem
 *   echo -n "1c$LABEL""4071$TBS" | xxd -r -p > sc.bin
 *   openssl pkeyutl -sign -inkey sk.pem -rawin -in sc.bin
 */
#include "mimi/content.h"
#include "mimi/mls.h"
#include "protocol_test_util.h"

#define SENDER "mimi://example.com/u/alice-smith"
#define ROOM "mimi://example.com/r/engineering_team"
#define TS 1644387225019ull
#define SALT "5eed9406c2545547ab6f09f20a18b003"
#define TAG "a9a69f1d2fe6f37984190c093ecb8a10d647093db735fb7ba926bfdccff4c2bf"
#define CTX                                                                        \
  "206d696d693a2f2f6578616d706c652e636f6d2f752f616c6963652d736d697468256d696d693a2f2f" \
  "6578616d706c652e636f6d2f722f656e67696e656572696e675f7465616d0000017edd1dcdbb"
#define SERVER_FRANK "2c5fb24e36dfaccd3ee0a9cd140d907bc7621769fcb5950809ddaa35b9caf672"
#define SIG                                                                        \
  "6a4eb20e09159863a091e08f2c559b76835f92bfb6888ad44a15c5ee8c5f6776b6514ad2f7f113080d" \
  "d44b7adff08c8c77d29e1ece289a5facf333590ca63e0e"
#define SEED "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
#define PUB "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"

typedef struct {
  mimi_bytes content, salt, tag, aad, hub_key, seed, pub;
} fixture;

static void fixture_init(fixture *f) {
  size_t n = 0;
  char *c = mimi_vec_read("mimi-content/original.cbor", &n);
  CHECK(c != NULL);
  CHECK_OK(mimi_bytes_copy(&f->content, (const uint8_t *)c, n));
  free(c);
  set_hex(&f->salt, SALT);
  set_hex(&f->tag, TAG);
  /* SafeAAD{[SafeAADItem{frank_aad 0x0020, FrankAAD}]} */
  set_hex(&f->aad, HX(V(HX("0020", V(TAG)))));
  CHECK_OK(mimi_bytes_alloc(&f->hub_key, 32));
  memset(f->hub_key.data, 0x42, 32);
  set_hex(&f->seed, SEED);
  set_hex(&f->pub, PUB);
}

static void fixture_free(fixture *f) {
  mimi_bytes *all[] = {&f->content, &f->salt, &f->tag, &f->aad, &f->hub_key, &f->seed, &f->pub};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) mimi_bytes_free(all[i]);
}

static void test_tag(const fixture *f) {
  uint8_t tag[32];
  CHECK_OK(mimi_frank_tag(f->salt.data, f->salt.len, f->content.data, f->content.len, tag));
  CHECK_MEM(tag, 32, f->tag.data, f->tag.len);
  memset(tag, 0, sizeof tag);
  CHECK_OK(mimi_frank_tag_content(f->content.data, f->content.len, tag));
  CHECK_MEM(tag, 32, f->tag.data, f->tag.len);
  CHECK_ERR(mimi_frank_tag(NULL, 0, f->content.data, f->content.len, tag), MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mimi_frank_tag_content((const uint8_t *)"\x01", 1, tag), MIMI_ERR_CBOR_TYPE);
  mimi_test_case();
}

static void test_aad(const fixture *f) {
  mimi_bytes ad;
  CHECK_OK(mimi_frank_aad_build(f->tag.data, NULL, &ad));
  CHECK_BYTES(ad, f->aad);
  mimi_bytes_free(&ad);

  /* other Safe AAD components keep their places around frank_aad */
  mls_safe_aad others = {0};
  others.aad_items = zalloc(2, sizeof(mls_safe_aad_item));
  others.aad_items_count = 2;
  others.aad_items[0].component_id = 0x0005;
  set_hex(&others.aad_items[0].aad_item_data, "aa");
  others.aad_items[1].component_id = 0x8000;
  set_hex(&others.aad_items[1].aad_item_data, "bb");
  CHECK_OK(mimi_frank_aad_build(f->tag.data, &others, &ad));
  mimi_bytes want;
  set_hex(&want, HX(V(HX("0005", V("aa"), "0020", V(TAG), "8000", V("bb")))));
  CHECK_BYTES(ad, want);
  uint8_t tag[32];
  CHECK_OK(mimi_frank_aad_find(ad.data, ad.len, tag));
  CHECK_MEM(tag, 32, f->tag.data, 32);
  /* the MLS layer's SafeAAD builder gives the same bytes for the same items */
  mls_safe_aad_item three[3] = {others.aad_items[0],
                                {MIMI_COMPONENT_FRANK_AAD, f->tag},
                                others.aad_items[1]};
  mimi_bytes via_mls;
  CHECK_OK(mls_safe_aad_build(three, 3, &via_mls));
  CHECK_BYTES(via_mls, want);
  mimi_bytes_free(&via_mls);
  mimi_bytes_free(&ad);
  mimi_bytes_free(&want);
  /* unsorted or already franked input is refused */
  others.aad_items[1].component_id = 0x0001;
  ad.data = NULL;
  CHECK_ERR(mimi_frank_aad_build(f->tag.data, &others, &ad), MIMI_ERR_INVALID_ARG);
  others.aad_items[1].component_id = MIMI_COMPONENT_FRANK_AAD;
  CHECK_ERR(mimi_frank_aad_build(f->tag.data, &others, &ad), MIMI_ERR_INVALID_ARG);
  CHECK(ad.data == NULL);
  mls_safe_aad_free(&others);

  /* find: the exact error for each malformation */
  /* mls: what the MLS layer's SafeAAD parser says of the same bytes (the
   * frank item's own length is franking's business, not SafeAAD's) */
  struct {
    const char *hex;
    mimi_err err, mls;
  } cases[] = {
      {"", MIMI_ERR_FRANK_MISSING, MIMI_ERR_TRUNCATED},
      {"00", MIMI_ERR_FRANK_MISSING, MIMI_OK},
      {HX(V(HX("0005", V("aa")))), MIMI_ERR_FRANK_MISSING, MIMI_OK},
      {HX(V(HX("8000", V("aa"), "0020", V(TAG)))), MIMI_ERR_FRANK_BAD_AAD,
       MIMI_ERR_BAD_SAFE_AAD}, /* unsorted */
      {HX(V(HX("0020", V(TAG), "0020", V(TAG)))), MIMI_ERR_FRANK_BAD_AAD,
       MIMI_ERR_BAD_SAFE_AAD}, /* duplicate */
      {HX(V(HX("0020", V("a9a69f1d")))), MIMI_ERR_FRANK_BAD_AAD, MIMI_OK},    /* short tag */
      {HX(V(HX("0020", V(HX(TAG, "00"))))), MIMI_ERR_FRANK_BAD_AAD, MIMI_OK}, /* long tag */
      {HX(V(HX("0020", V(TAG))), "00"), MIMI_ERR_FRANK_BAD_AAD,
       MIMI_ERR_TRAILING_DATA},                                          /* trailing */
      {"0500", MIMI_ERR_FRANK_BAD_AAD, MIMI_ERR_TRUNCATED},               /* truncated */
      {"48656c6c6f", MIMI_ERR_FRANK_BAD_AAD, MIMI_ERR_TRUNCATED},         /* "Hello" */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    mimi_bytes b;
    set_hex(&b, cases[i].hex);
    memset(tag, 0x77, sizeof tag);
    CHECK_ERR(mimi_frank_aad_find(b.data, b.len, tag), cases[i].err);
    CHECK(tag[0] == 0x77 && tag[31] == 0x77);
    mls_safe_aad parsed;
    mimi_err e = mls_safe_aad_parse(b.data, b.len, &parsed);
    CHECK(e == cases[i].mls);
    if (e == MIMI_OK) mls_safe_aad_free(&parsed);
    mimi_bytes_free(&b);
    mimi_test_case();
  }
}

static void test_server_frank(const fixture *f) {
  mimi_server_franking_context ctx = {0};
  set_uri(&ctx.sender_uri, SENDER);
  set_uri(&ctx.room_uri, ROOM);
  ctx.accepted_timestamp = TS;
  mimi_bytes enc, want;
  CHECK_OK(mimi_server_franking_context_encode(&ctx, &enc));
  set_hex(&want, CTX);
  CHECK_BYTES(enc, want);
  mimi_bytes_free(&enc);
  mimi_bytes_free(&want);
  uint8_t sf[32];
  CHECK_OK(mimi_frank_server(f->hub_key.data, f->hub_key.len, f->tag.data, &ctx, sf));
  set_hex(&want, SERVER_FRANK);
  CHECK_MEM(sf, 32, want.data, want.len);
  mimi_bytes_free(&want);
  mimi_server_franking_context_free(&ctx);
  mimi_test_case();
}

/* submitMessage request carrying an application PrivateMessage with ad */
static void make_request(mimi_submit_message_request *q, const mimi_bytes *ad, const char *sender) {
  memset(q, 0, sizeof *q);
  q->protocol = MIMI_PROTOCOL_MLS10;
  mls_message *m = &q->mls10.app_message;
  m->version = MLS_VERSION_MLS10;
  m->body.wire_format = MLS_WIRE_PRIVATE_MESSAGE;
  set_str(&m->body.private_message.group_id, "g");
  m->body.private_message.epoch = 5;
  m->body.private_message.content_type = MLS_CONTENT_APPLICATION;
  CHECK_OK(mimi_bytes_dup(&m->body.private_message.authenticated_data, ad));
  set_hex(&m->body.private_message.encrypted_sender_data, "aabb");
  set_hex(&m->body.private_message.ciphertext, "ccddee");
  set_uri(&q->mls10.sending_uri, sender);
}

static mimi_err hub_frank(const fixture *f, const mimi_bytes *ad, const char *sender,
                          const char *room, uint64_t ts, mimi_frank *out) {
  mimi_hub_franking hub = {1, f->hub_key.data, f->hub_key.len, f->seed.data, f->seed.len};
  mimi_submit_message_request q;
  make_request(&q, ad, sender);
  mimi_err err = mimi_frank_hub(&hub, &q, (const uint8_t *)room, strlen(room), ts, out);
  mimi_submit_message_request_free(&q);
  return err;
}

static void test_hub(const fixture *f) {
  mimi_frank fr;
  CHECK_OK(hub_frank(f, &f->aad, SENDER, ROOM, TS, &fr));
  mimi_bytes want;
  set_hex(&want, SERVER_FRANK);
  CHECK_MEM(fr.server_frank, 32, want.data, want.len);
  mimi_bytes_free(&want);
  CHECK(fr.franking_signature_ciphersuite == 1);
  set_hex(&want, SIG);
  CHECK_BYTES(fr.franking_integrity_signature, want);
  mimi_bytes_free(&want);
  mimi_frank_free(&fr);

  /* nothing to frank: the hub accepts the message without a frank */
  mimi_frank sentinel;
  memset(&sentinel, 0x3c, sizeof sentinel);
  fr = sentinel;
  mimi_bytes none = {0};
  CHECK_ERR(hub_frank(f, &none, SENDER, ROOM, TS, &fr), MIMI_ERR_FRANK_MISSING);
  mimi_bytes bad;
  set_hex(&bad, "05");
  CHECK_ERR(hub_frank(f, &bad, SENDER, ROOM, TS, &fr), MIMI_ERR_FRANK_BAD_AAD);
  mimi_bytes_free(&bad);
  CHECK(memcmp(&fr, &sentinel, sizeof fr) == 0);

  /* only application PrivateMessages are franked */
  mimi_hub_franking hub = {1, f->hub_key.data, f->hub_key.len, f->seed.data, f->seed.len};
  mimi_submit_message_request q;
  make_request(&q, &f->aad, SENDER);
  q.mls10.app_message.body.private_message.content_type = MLS_CONTENT_PROPOSAL;
  CHECK_ERR(mimi_frank_hub(&hub, &q, (const uint8_t *)ROOM, strlen(ROOM), TS, &fr),
            MIMI_ERR_PROTO_BAD_MESSAGE);
  hub.hub_key_len = 8; /* too short a hub key */
  CHECK_ERR(mimi_frank_hub(&hub, &q, (const uint8_t *)ROOM, strlen(ROOM), TS, &fr),
            MIMI_ERR_INVALID_ARG);
  mimi_submit_message_request_free(&q);
  CHECK(memcmp(&fr, &sentinel, sizeof fr) == 0);
  mimi_test_case();
}

/* GroupContext extensions: app_data_dictionary holding franking_agent. */
static void make_agent_exts(const fixture *f, const char *identity, uint16_t cred_type,
                            uint16_t component, mls_extension *ext) {
  mimi_franking_agent_data agent = {0};
  CHECK_OK(mimi_bytes_dup(&agent.franking_signature_key, &f->pub));
  agent.credential.credential_type = cred_type;
  if (cred_type == MLS_CREDENTIAL_BASIC) set_str(&agent.credential.identity, identity);
  mls_app_data_dictionary dict = {0};
  dict.component_data = zalloc(1, sizeof(mls_component_data));
  dict.component_data_count = 1;
  dict.component_data[0].component_id = component;
  CHECK_OK(mimi_franking_agent_data_encode(&agent, &dict.component_data[0].data));
  ext->extension_type = MLS_EXT_APP_DATA_DICTIONARY;
  CHECK_OK(mls_app_data_dictionary_encode(&dict, &ext->extension_data));
  mls_app_data_dictionary_free(&dict);
  mimi_franking_agent_data_free(&agent);
}

static mimi_err verify(const fixture *f, const mls_extension *ext, size_t n_ext, const char *hub,
                       const char *room, const char *sender, const mimi_bytes *ad,
                       const mimi_bytes *content, const mimi_frank *fr, uint64_t ts) {
  mimi_frank_receiver rx = {1,   ext, n_ext, hub, (const uint8_t *)room, strlen(room),
                            (const uint8_t *)sender, strlen(sender)};
  (void)f;
  return mimi_frank_verify(&rx, ad->data, ad->len, content->data, content->len, content->data,
                           content->len, fr, ts);
}

static void test_receiver(const fixture *f) {
  mls_extension ext[2] = {{0}};
  make_agent_exts(f, "example.com", MLS_CREDENTIAL_BASIC, MIMI_COMPONENT_FRANKING_AGENT, &ext[0]);
  mimi_frank fr;
  CHECK_OK(hub_frank(f, &f->aad, SENDER, ROOM, TS, &fr));
  const mimi_bytes *ad = &f->aad, *c = &f->content;

  CHECK_OK(verify(f, ext, 1, "example.com", ROOM, SENDER, ad, c, &fr, TS));
  CHECK_OK(verify(f, ext, 1, "EXAMPLE.com", ROOM, SENDER, ad, c, &fr, TS));
  /* step by step, each failure on its own */
  CHECK_ERR(verify(f, ext, 1, "example.com", ROOM, SENDER, ad, c, NULL, TS),
            MIMI_ERR_FRANK_MISSING);
  mimi_bytes plain_ad;
  set_hex(&plain_ad, "00");
  CHECK_ERR(verify(f, ext, 1, "example.com", ROOM, SENDER, &plain_ad, c, &fr, TS),
            MIMI_ERR_FRANK_MISSING);
  mimi_bytes_free(&plain_ad);
  fr.franking_signature_ciphersuite = 3;
  CHECK_ERR(verify(f, ext, 1, "example.com", ROOM, SENDER, ad, c, &fr, TS),
            MIMI_ERR_FRANK_SUITE_MISMATCH);
  fr.franking_signature_ciphersuite = 1;
  CHECK_ERR(verify(f, NULL, 0, "example.com", ROOM, SENDER, ad, c, &fr, TS),
            MIMI_ERR_FRANK_NO_AGENT);
  make_agent_exts(f, "example.com", MLS_CREDENTIAL_BASIC, MIMI_COMPONENT_ROOM_METADATA, &ext[1]);
  CHECK_ERR(verify(f, &ext[1], 1, "example.com", ROOM, SENDER, ad, c, &fr, TS),
            MIMI_ERR_FRANK_NO_AGENT);
  mls_extension_free(&ext[1]);
  CHECK_ERR(verify(f, ext, 1, "other.example", ROOM, SENDER, ad, c, &fr, TS),
            MIMI_ERR_FRANK_AGENT_DOMAIN);
  make_agent_exts(f, "mimi://example.com", MLS_CREDENTIAL_BASIC, MIMI_COMPONENT_FRANKING_AGENT,
                  &ext[1]);
  CHECK_OK(verify(f, &ext[1], 1, "example.com", ROOM, SENDER, ad, c, &fr, TS));
  mls_extension_free(&ext[1]);
  make_agent_exts(f, "mimi://evil.example", MLS_CREDENTIAL_BASIC, MIMI_COMPONENT_FRANKING_AGENT,
                  &ext[1]);
  CHECK_ERR(verify(f, &ext[1], 1, "example.com", ROOM, SENDER, ad, c, &fr, TS),
            MIMI_ERR_FRANK_AGENT_DOMAIN);
  mls_extension_free(&ext[1]);
  make_agent_exts(f, NULL, MLS_CREDENTIAL_X509, MIMI_COMPONENT_FRANKING_AGENT, &ext[1]);
  CHECK_ERR(verify(f, &ext[1], 1, "example.com", ROOM, SENDER, ad, c, &fr, TS),
            MIMI_ERR_UNSUPPORTED);
  mls_extension_free(&ext[1]);

  /* wrong context: timestamp, room */
  CHECK_ERR(verify(f, ext, 1, "example.com", ROOM, SENDER, ad, c, &fr, TS + 1),
            MIMI_ERR_FRANK_BAD_SIGNATURE);
  CHECK_ERR(verify(f, ext, 1, "example.com", "mimi://example.com/r/other", SENDER, ad, c, &fr, TS),
            MIMI_ERR_FRANK_BAD_SIGNATURE);
  /* tampered frank fields */
  fr.server_frank[0] ^= 1;
  CHECK_ERR(verify(f, ext, 1, "example.com", ROOM, SENDER, ad, c, &fr, TS),
            MIMI_ERR_FRANK_BAD_SIGNATURE);
  fr.server_frank[0] ^= 1;
  fr.franking_integrity_signature.data[10] ^= 0x80;
  CHECK_ERR(verify(f, ext, 1, "example.com", ROOM, SENDER, ad, c, &fr, TS),
            MIMI_ERR_FRANK_BAD_SIGNATURE);
  fr.franking_integrity_signature.data[10] ^= 0x80;

  /* tampered content: same sender/room, so the signature holds; the tag not */
  mimi_bytes t;
  CHECK_OK(mimi_bytes_dup(&t, c));
  uint8_t *hi = NULL;
  for (size_t i = 0; i + 2 <= t.len && hi == NULL; i++)
    if (memcmp(t.data + i, "Hi", 2) == 0) hi = t.data + i;
  CHECK(hi != NULL);
  if (hi) hi[0] = 'h';
  CHECK_ERR(verify(f, ext, 1, "example.com", ROOM, SENDER, ad, &t, &fr, TS),
            MIMI_ERR_FRANK_TAG_MISMATCH);
  mimi_bytes_free(&t);
  /* the tag made with the wrong key (salt) */
  uint8_t wrong[32];
  CHECK_OK(mimi_frank_tag((const uint8_t *)"0123456789abcdef", 16, c->data, c->len, wrong));
  mimi_bytes wad;
  CHECK_OK(mimi_frank_aad_build(wrong, NULL, &wad));
  mimi_frank fw;
  CHECK_OK(hub_frank(f, &wad, SENDER, ROOM, TS, &fw));
  CHECK_ERR(verify(f, ext, 1, "example.com", ROOM, SENDER, &wad, c, &fw, TS),
            MIMI_ERR_FRANK_TAG_MISMATCH);
  mimi_frank_free(&fw);
  mimi_bytes_free(&wad);

  /* the sender's user from its client credential; another spelling of the
   * same URIs is the same identifier */
  mls_credential cred = {0};
  cred.credential_type = MLS_CREDENTIAL_BASIC;
  set_str(&cred.identity, "mimi://example.com/d/alice-smith/dev1");
  char *user = NULL;
  CHECK_OK(mimi_frank_sender_of_credential(&cred, &user));
  CHECK(user && strcmp(user, SENDER) == 0);
  if (user) CHECK_OK(verify(f, ext, 1, "example.com", ROOM, user, ad, c, &fr, TS));
  free(user);
  mls_credential_free(&cred);
  CHECK_OK(verify(f, ext, 1, "example.com", ROOM, "MIMI://Example.COM/u/alice-smith", ad, c, &fr,
                  TS));
  cred.credential_type = MLS_CREDENTIAL_BASIC;
  set_str(&cred.identity, "mimi://example.com/d/dev1");
  user = NULL;
  CHECK_ERR(mimi_frank_sender_of_credential(&cred, &user), MIMI_ERR_NOT_FOUND);
  mls_credential_free(&cred);
  cred.credential_type = MLS_CREDENTIAL_BASIC;
  set_str(&cred.identity, "mimi://example.com/r/room");
  CHECK_ERR(mimi_frank_sender_of_credential(&cred, &user), MIMI_ERR_BAD_URI);
  mls_credential_free(&cred);
  cred.credential_type = MLS_CREDENTIAL_BASIC;
  set_str(&cred.identity, "alice");
  CHECK_ERR(mimi_frank_sender_of_credential(&cred, &user), MIMI_ERR_BAD_URI);
  mls_credential_free(&cred);
  cred.credential_type = MLS_CREDENTIAL_X509;
  CHECK_ERR(mimi_frank_sender_of_credential(&cred, &user), MIMI_ERR_UNSUPPORTED);
  CHECK(user == NULL);
  /* the credential's user is not the content's sender */
  CHECK_ERR(verify(f, ext, 1, "example.com", ROOM, "mimi://example.com/u/bob", ad, c, &fr, TS),
            MIMI_ERR_FRANK_SENDER_MISMATCH);
  /* the sender told the hub another identity than the content claims */
  CHECK_OK(hub_frank(f, &f->aad, "mimi://example.com/u/mallory", ROOM, TS, &fw));
  CHECK_ERR(verify(f, ext, 1, "example.com", ROOM, SENDER, ad, c, &fw, TS),
            MIMI_ERR_FRANK_BAD_SIGNATURE);
  mimi_frank_free(&fw);
  /* the hub's room is not the room the content claims */
  const char *room2 = "mimi://example.com/r/other";
  CHECK_OK(hub_frank(f, &f->aad, SENDER, room2, TS, &fw));
  CHECK_ERR(verify(f, ext, 1, "example.com", room2, SENDER, ad, c, &fw, TS),
            MIMI_ERR_FRANK_ROOM_MISMATCH);
  mimi_frank_free(&fw);
  /* content without the senderUri extension cannot be franked */
  mimi_content bare;
  CHECK_OK(mimi_content_decode(c->data, c->len, NULL, &bare));
  for (size_t i = 0; i < bare.extension_count; i++) {
    mimi_extension *e = &bare.extensions[i];
    if (e->key_is_text || e->key_int != MIMI_EXT_SENDER_URI) continue;
    mimi_bytes_free(&e->key_text);
    mimi_bytes_free(&e->value);
    *e = bare.extensions[--bare.extension_count];
    break;
  }
  mimi_bytes bare_enc;
  CHECK_OK(mimi_content_encode(&bare, &bare_enc));
  mimi_content_free(&bare);
  CHECK_ERR(verify(f, ext, 1, "example.com", ROOM, SENDER, ad, &bare_enc, &fr, TS),
            MIMI_ERR_NOT_FOUND);
  mimi_bytes_free(&bare_enc);

  mimi_frank_free(&fr);
  mls_extension_free(&ext[0]);
  mimi_test_case();
}

static void test_abuse_check(const fixture *f) {
  mimi_abusive_message m = {0};
  CHECK_OK(mimi_bytes_dup(&m.message_content, &f->content));
  CHECK_OK(hub_frank(f, &f->aad, SENDER, ROOM, TS, &m.frank));
  m.accepted_timestamp = TS;
  CHECK_OK(mimi_frank_hub_check_report(f->hub_key.data, f->hub_key.len, f->pub.data, f->pub.len,
                                       &m));
  uint8_t other_key[32];
  memset(other_key, 0x43, sizeof other_key);
  CHECK_ERR(mimi_frank_hub_check_report(other_key, 32, f->pub.data, f->pub.len, &m),
            MIMI_ERR_FRANK_SERVER_MISMATCH);
  m.accepted_timestamp = TS - 1;
  CHECK_ERR(mimi_frank_hub_check_report(f->hub_key.data, f->hub_key.len, f->pub.data, f->pub.len,
                                        &m),
            MIMI_ERR_FRANK_SERVER_MISMATCH);
  m.accepted_timestamp = TS;
  m.message_content.data[m.message_content.len - 2] ^= 0x20; /* "work__!" -> "worK__!"-ish */
  CHECK_ERR(mimi_frank_hub_check_report(f->hub_key.data, f->hub_key.len, f->pub.data, f->pub.len,
                                        &m),
            MIMI_ERR_FRANK_SERVER_MISMATCH);
  m.message_content.data[m.message_content.len - 2] ^= 0x20;
  m.frank.franking_integrity_signature.data[0] ^= 1;
  CHECK_ERR(mimi_frank_hub_check_report(f->hub_key.data, f->hub_key.len, f->pub.data, f->pub.len,
                                        &m),
            MIMI_ERR_FRANK_BAD_SIGNATURE);
  m.frank.franking_integrity_signature.data[0] ^= 1;
  m.frank.franking_signature_ciphersuite = 0;
  CHECK_ERR(mimi_frank_hub_check_report(f->hub_key.data, f->hub_key.len, f->pub.data, f->pub.len,
                                        &m),
            MIMI_ERR_UNSUPPORTED_SUITE);
  mimi_abusive_message_free(&m);
  mimi_test_case();
}

int main(void) {
  fixture f;
  memset(&f, 0, sizeof f);
  fixture_init(&f);
  test_tag(&f);
  test_aad(&f);
  test_server_frank(&f);
  test_hub(&f);
  test_receiver(&f);
  test_abuse_check(&f);
  fixture_free(&f);
  pt_cleanup();
  return mimi_test_summary("test_protocol_franking");
}
