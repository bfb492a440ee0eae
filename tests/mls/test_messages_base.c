/* test_messages_base.c — GroupContext and PreSharedKeyID encodings written
 * out by hand from RFC 9420 §8.1 and §8.4. */
#include <stdlib.h>

#include "harness.h"
#include "mimi/mls_messages.h"

static void test_group_context(void) {
  mimi_bytes want;
  CHECK_OK(mimi_bytes_from_hex(&want,
                               "0001" "0003" "02" "6869" "0000000000000005" "01" "aa"
                               "00" "05" "000a" "02" "0102"));
  mls_group_context gc;
  CHECK_OK(mls_group_context_decode(want.data, want.len, &gc));
  CHECK(gc.version == 1 && gc.cipher_suite == 3 && gc.epoch == 5);
  CHECK(gc.group_id.len == 2 && gc.tree_hash.len == 1 && gc.confirmed_transcript_hash.len == 0);
  CHECK(gc.extensions_count == 1 && gc.extensions[0].extension_type == 10);
  mimi_bytes re;
  CHECK_OK(mls_group_context_encode(&gc, &re));
  CHECK_BYTES(re, want);
  mls_group_context_free(&gc);
  mimi_bytes_free(&re);
  mimi_bytes_free(&want);
  mimi_test_case();
}

static void test_psk_id(void) {
  mimi_bytes ext, res;
  CHECK_OK(mimi_bytes_from_hex(&ext, "01" "03" "707369" "02" "abcd"));
  CHECK_OK(mimi_bytes_from_hex(&res, "02" "01" "01" "67" "0000000000000002" "00"));
  mls_pre_shared_key_id id;
  CHECK_OK(mls_pre_shared_key_id_decode(ext.data, ext.len, &id));
  CHECK(id.source.psktype == MLS_PSK_EXTERNAL && id.source.external.psk_id.len == 3);
  CHECK(id.psk_nonce.len == 2);
  mls_pre_shared_key_id_free(&id);
  CHECK_OK(mls_pre_shared_key_id_decode(res.data, res.len, &id));
  CHECK(id.source.psktype == MLS_PSK_RESUMPTION);
  CHECK(id.source.resumption.usage == MLS_RESUMPTION_APPLICATION);
  CHECK(id.source.resumption.psk_epoch == 2 && id.psk_nonce.len == 0);
  mls_pre_shared_key_id_free(&id);
  res.data[0] = 0; /* reserved PSKType */
  CHECK_ERR(mls_pre_shared_key_id_decode(res.data, res.len, &id), MIMI_ERR_BAD_TAG);
  mimi_bytes_free(&ext);
  mimi_bytes_free(&res);
  mimi_test_case();
}

int main(void) {
  test_group_context();
  test_psk_id();
  return mimi_test_summary("messages_base");
}
