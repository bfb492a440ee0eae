/* bench_protocol.c — the MIMI protocol hot paths of a provider: request
 * path matching, decoding a submitted message and a fanout, the hub's
 * frank and a receiver's frank verification, per signature suite. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mimi/crypto.h"
#include "mimi/protocol.h"
#include "util.h"

static void row(const char *op, const char *variant, double ops) {
  printf("| %-28s | %-34s | %12.0f | %10.3f |\n", op, variant, ops, 1e6 / ops);
}

static void die(const char *what) {
  fprintf(stderr, "bench_protocol: %s failed\n", what);
  exit(1);
}

/* draft-ietf-mimi-content example "original" (senderUri alice-smith,
 * roomUri engineering_team). */
static const char *content_hex =
    "87505eed9406c2545547ab6f09f20a18b003f640f6f6a20178206d696d693a2f2f6578616d706c652e636f"
    "6d2f752f616c6963652d736d6974680278256d696d693a2f2f6578616d706c652e636f6d2f722f656e67"
    "696e656572696e675f7465616d85016001781e746578742f6d61726b646f776e3b76617269616e743d47"
    "464d2d4d494d49583948692065766572796f6e652c207765206a75737420736869707065642072656c65"
    "61736520322e302e205f5f476f6f642020776f726b5f5f21";
#define SENDER "mimi://example.com/u/alice-smith"
#define ROOM "mimi://example.com/r/engineering_team"
#define PATH "/v1/submitMessage/mimi%3A%2F%2Fexample.com%2Fr%2Fengineering_team"

typedef struct {
  uint16_t suite;
  mimi_bytes content, aad, priv, pub, hub_key, submit_enc, fanout_enc;
  mls_extension agent_ext;
  mimi_submit_message_request submit;
  mimi_frank frank;
} ctx;

static int op_match(void *arg) {
  (void)arg;
  mimi_route r;
  if (mimi_endpoint_match("POST", PATH, strlen(PATH), "/v1", &r) != MIMI_OK) return 1;
  mimi_route_free(&r);
  return 0;
}

static int op_decode_submit(void *arg) {
  ctx *c = arg;
  mimi_submit_message_request q;
  if (mimi_proto_decode(mimi_submit_message_request_type(), c->submit_enc.data, c->submit_enc.len,
                        &q) != MIMI_OK)
    return 1;
  mimi_submit_message_request_free(&q);
  return 0;
}

static int op_decode_fanout(void *arg) {
  ctx *c = arg;
  mimi_fanout_message m;
  if (mimi_proto_decode(mimi_fanout_message_type(), c->fanout_enc.data, c->fanout_enc.len, &m) !=
      MIMI_OK)
    return 1;
  mimi_fanout_message_free(&m);
  return 0;
}

static int op_hub_frank(void *arg) {
  ctx *c = arg;
  mimi_hub_franking hub = {c->suite, c->hub_key.data, c->hub_key.len, c->priv.data, c->priv.len};
  mimi_frank f;
  if (mimi_frank_hub(&hub, &c->submit, (const uint8_t *)ROOM, strlen(ROOM), 1, &f) != MIMI_OK)
    return 1;
  mimi_frank_free(&f);
  return 0;
}

static int op_verify(void *arg) {
  ctx *c = arg;
  mimi_frank_receiver rx = {c->suite, &c->agent_ext, 1, "example.com",
                            (const uint8_t *)ROOM, strlen(ROOM), (const uint8_t *)SENDER,
                            strlen(SENDER)};
  return mimi_frank_verify(&rx, c->aad.data, c->aad.len, c->content.data, c->content.len,
                           c->content.data, c->content.len, &c->frank, 1) != MIMI_OK;
}

static void setup(ctx *c, uint16_t suite) {
  memset(c, 0, sizeof *c);
  c->suite = suite;
  const mimi_suite *s = mimi_suite_get(suite);
  if (s == NULL) die("suite");
  if (mimi_bytes_from_hex(&c->content, content_hex) != MIMI_OK) die("content");
  uint8_t tag[MIMI_FRANK_LEN];
  if (mimi_frank_tag_content(c->content.data, c->content.len, tag) != MIMI_OK) die("tag");
  if (mimi_frank_aad_build(tag, NULL, &c->aad) != MIMI_OK) die("aad");
  if (mimi_sig_generate(s->sig, mimi_rng_system(), &c->priv, &c->pub) != MIMI_OK) die("keygen");
  if (mimi_bytes_alloc(&c->hub_key, 32) != MIMI_OK) die("alloc");
  memset(c->hub_key.data, 0x42, 32);

  c->submit.protocol = MIMI_PROTOCOL_MLS10;
  mls_message *m = &c->submit.mls10.app_message;
  m->version = MLS_VERSION_MLS10;
  m->body.wire_format = MLS_WIRE_PRIVATE_MESSAGE;
  mls_private_message *pm = &m->body.private_message;
  pm->content_type = MLS_CONTENT_APPLICATION;
  pm->epoch = 5;
  if (mimi_bytes_alloc(&pm->group_id, 16) != MIMI_OK ||
      mimi_bytes_dup(&pm->authenticated_data, &c->aad) != MIMI_OK ||
      mimi_bytes_alloc(&pm->encrypted_sender_data, 28) != MIMI_OK ||
      mimi_bytes_alloc(&pm->ciphertext, 1024) != MIMI_OK ||
      mimi_bytes_copy(&c->submit.mls10.sending_uri.uri, (const uint8_t *)SENDER,
                      strlen(SENDER)) != MIMI_OK)
    die("request");
  if (mimi_proto_encode(mimi_submit_message_request_type(), &c->submit, &c->submit_enc) != MIMI_OK)
    die("encode submit");
  mimi_hub_franking hub = {suite, c->hub_key.data, c->hub_key.len, c->priv.data, c->priv.len};
  if (mimi_frank_hub(&hub, &c->submit, (const uint8_t *)ROOM, strlen(ROOM), 1, &c->frank) !=
      MIMI_OK)
    die("frank");

  mimi_fanout_message f;
  memset(&f, 0, sizeof f);
  f.timestamp = 1;
  f.message = *m; /* shallow: encoded only */
  f.frank.frank = &c->frank;
  if (mimi_proto_encode(mimi_fanout_message_type(), &f, &c->fanout_enc) != MIMI_OK)
    die("encode fanout");

  mimi_franking_agent_data agent;
  memset(&agent, 0, sizeof agent);
  agent.franking_signature_key = c->pub; /* shallow */
  agent.credential.credential_type = MLS_CREDENTIAL_BASIC;
  agent.credential.identity.data = (uint8_t *)"example.com";
  agent.credential.identity.len = 11;
  mls_component_data cd = {MIMI_COMPONENT_FRANKING_AGENT, {NULL, 0}};
  if (mimi_franking_agent_data_encode(&agent, &cd.data) != MIMI_OK) die("agent");
  mls_app_data_dictionary dict = {&cd, 1};
  c->agent_ext.extension_type = MLS_EXT_APP_DATA_DICTIONARY;
  if (mls_app_data_dictionary_encode(&dict, &c->agent_ext.extension_data) != MIMI_OK) die("dict");
  mimi_bytes_free(&cd.data);
}

static void teardown(ctx *c) {
  mimi_bytes *all[] = {&c->content, &c->aad, &c->priv, &c->pub, &c->hub_key, &c->submit_enc,
                       &c->fanout_enc};
  for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) mimi_bytes_free(all[i]);
  mls_extension_free(&c->agent_ext);
  mimi_submit_message_request_free(&c->submit);
  mimi_frank_free(&c->frank);
}

int main(void) {
  double secs = bench_seconds();
  printf("| operation                    | input                              |        ops/s |      us/op |\n");
  printf("|---|---|---:|---:|\n");
  row("endpoint match", "POST submitMessage/<room URI>", bench_ops_per_sec(op_match, NULL, secs));
  static const uint16_t suites[] = {1, 2};
  for (size_t i = 0; i < 2; i++) {
    ctx c;
    setup(&c, suites[i]);
    char v[40];
    snprintf(v, sizeof v, "1 KiB ciphertext (%zu B)", c.submit_enc.len);
    if (i == 0) {
      row("decode submitMessage", v, bench_ops_per_sec(op_decode_submit, &c, secs));
      snprintf(v, sizeof v, "app + frank (%zu B)", c.fanout_enc.len);
      row("decode fanout", v, bench_ops_per_sec(op_decode_fanout, &c, secs));
    }
    snprintf(v, sizeof v, "%s", mimi_suite_get(suites[i])->name);
    v[34] = '\0';
    row("hub frank (HMAC + sign)", v, bench_ops_per_sec(op_hub_frank, &c, secs));
    row("receiver frank verify", v, bench_ops_per_sec(op_verify, &c, secs));
    teardown(&c);
  }
  return 0;
}
