/* fuzz_mls_decode.c — libFuzzer target for the RFC 9420 wire decoders. The
 * first input byte picks one of the message types a peer can send us, the
 * rest is decoded with the declared-once codec. Beyond "no crash, no leak":
 * the TLS presentation language as RFC 9420 constrains it (minimal varints,
 * optional bytes 0/1) has exactly one encoding per value, so anything
 * accepted must re-encode to the same bytes, clone equal, and free cleanly. */
#include <stdlib.h>
#include <string.h>

#include "mimi/mls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const mimi_type_fn targets[] = {
    mls_message_type,       mls_key_package_type,  mls_welcome_type,
    mls_group_info_type,    mls_ratchet_tree_type, mls_group_secrets_type,
    mls_commit_type,        mls_proposal_type,     mls_public_message_type,
    mls_private_message_type, mls_leaf_node_type,  mls_authenticated_content_type,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1) return 0;
  const mimi_type *t = targets[data[0] % (sizeof targets / sizeof targets[0])]();
  data++;
  size--;
  void *v = malloc(t->size), *c = malloc(t->size);
  if (v == NULL || c == NULL) abort();
  if (mimi_decode_exact(t, data, size, v) == MIMI_OK) {
    mimi_bytes enc;
    if (mimi_encode_alloc(t, v, &enc) != MIMI_OK) abort();
    if (enc.len != size || memcmp(enc.data, data, size) != 0) abort();
    if (mimi_clone(t, c, v) != MIMI_OK || !mimi_equal(t, c, v)) abort();
    mimi_free(t, c);
    mimi_bytes_free(&enc);
    mimi_free(t, v);
  }
  free(v);
  free(c);
  return 0;
}
