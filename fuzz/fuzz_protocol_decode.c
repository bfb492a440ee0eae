/* fuzz_protocol_decode.c — libFuzzer target for the MIMI protocol message
 * decoders (draft-ietf-mimi-protocol-06). The first input byte picks a
 * message a peer provider can send us, the rest goes through
 * mimi_proto_decode (codec + semantic validation). Anything accepted must
 * re-encode to the same bytes through mimi_proto_encode (which validates
 * again), clone equal, and free cleanly. Two more selectors feed the
 * request path matcher and the directory parser. */
#include <stdlib.h>
#include <string.h>

#include "fuzz_roundtrip.h"
#include "mimi/protocol.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const mimi_type_fn targets[] = {
    mimi_key_material_request_type,  mimi_key_material_response_type,
    mimi_handshake_bundle_type,      mimi_update_room_response_type,
    mimi_submit_message_request_type, mimi_submit_message_response_type,
    mimi_fanout_message_type,        mimi_group_info_request_type,
    mimi_group_info_response_type,   mimi_group_info_ratchet_tree_tbe_type,
    mimi_consent_entry_type,         mimi_identifier_request_type,
    mimi_identifier_response_type,   mimi_abuse_report_type,
    mimi_franking_agent_data_type,   mimi_pseudonymous_credential_type,
    mimi_identity_link_tbe_type,
};
#define N_TARGETS (sizeof targets / sizeof targets[0])

static void fuzz_path(const uint8_t *data, size_t size) {
  static const char *const methods[] = {"GET", "POST"};
  if (size < 1) return;
  const char *method = methods[data[0] & 1];
  const char *base = (data[0] & 2) ? "/v1" : "";
  mimi_route r;
  if (mimi_endpoint_match(method, (const char *)data + 1, size - 1, base, &r) == MIMI_OK) {
    if (r.endpoint == NULL) abort();
    if (r.param != NULL && strlen(r.param) != r.param_len) abort();
    /* what we matched, we can build again and match to the same route */
    char *p = NULL;
    if (mimi_endpoint_path(r.endpoint->id, base, r.param, &p) == MIMI_OK) {
      mimi_route again;
      if (mimi_endpoint_match(method, p, strlen(p), base, &again) != MIMI_OK) abort();
      if (again.endpoint != r.endpoint) abort();
      if ((again.param == NULL) != (r.param == NULL)) abort();
      if (r.param != NULL && strcmp(again.param, r.param) != 0) abort();
      mimi_route_free(&again);
      free(p);
    }
    mimi_route_free(&r);
  }
}

static void fuzz_directory(const uint8_t *data, size_t size) {
  mimi_directory d;
  if (mimi_directory_parse((const char *)data, size, &d) != MIMI_OK) return;
  for (int i = 1; i < MIMI_EP_COUNT; i++) {
    char *u = NULL;
    mimi_err err = mimi_directory_url(&d, (mimi_endpoint_id)i, "b.example", &u);
    if ((err == MIMI_OK) != (u != NULL)) abort();
    if (err == MIMI_ERR_NOT_FOUND && d.url[i] != NULL) abort();
    free(u);
  }
  mimi_directory_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  size_t pick = data[0] % (N_TARGETS + 2);
  data++;
  size--;
  if (pick == N_TARGETS) {
    fuzz_path(data, size);
    return 0;
  }
  if (pick == N_TARGETS + 1) {
    fuzz_directory(data, size);
    return 0;
  }
  const mimi_type *t = targets[pick]();
  fuzz_codec_roundtrip(t, data, size, mimi_proto_decode, mimi_proto_encode);
  return 0;
}
