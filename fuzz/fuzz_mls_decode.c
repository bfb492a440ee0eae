/* fuzz_mls_decode.c — libFuzzer target for the RFC 9420 wire decoders. The
 * first input byte picks one of the message types a peer can send us, the
 * rest is decoded with the declared-once codec and must survive the
 * round-trip check of fuzz_roundtrip.h. */
#include "fuzz_roundtrip.h"
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
  fuzz_codec_roundtrip(t, data, size, mimi_decode_exact, mimi_encode_alloc);
  return 0;
}
