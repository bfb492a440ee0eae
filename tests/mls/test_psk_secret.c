/* test_psk_secret.c — psk_secret (RFC 9420 §8.4) against the mlswg
 * psk_secret.json vectors (external PSKs, 0..10 per case, all suites), and
 * bad inputs. */
#include <stdlib.h>

#include "harness.h"
#include "mimi/mls.h"

static void test_vectors(void) {
  json_t *root = mimi_vec_load("mls/psk_secret.json");
  size_t i;
  json_t *c;
  json_array_foreach(root, i, c) {
    uint16_t suite = (uint16_t)mimi_vec_int(c, "cipher_suite");
    json_t *list = json_object_get(c, "psks");
    size_t n = json_array_size(list);
    mls_pre_shared_key_id *ids = calloc(n + 1, sizeof *ids);
    mls_psk_entry *entries = calloc(n + 1, sizeof *entries);
    mimi_bytes *values = calloc(n + 1, sizeof *values);
    for (size_t k = 0; k < n; k++) {
      json_t *p = json_array_get(list, k);
      ids[k].source.psktype = MLS_PSK_EXTERNAL;
      ids[k].source.external.psk_id = mimi_vec_hex(p, "psk_id");
      ids[k].psk_nonce = mimi_vec_hex(p, "psk_nonce");
      values[k] = mimi_vec_hex(p, "psk");
      entries[k].id = &ids[k];
      entries[k].psk = values[k].data;
      entries[k].psk_len = values[k].len;
    }
    mimi_bytes want = mimi_vec_hex(c, "psk_secret");
    uint8_t out[MIMI_MAX_HASH];
    CHECK_OK(mls_psk_secret(suite, entries, n, out));
    CHECK_MEM(out, want.len, want.data, want.len);
    if (n >= 2) {
      /* The order is bound in: swapping two PSKs changes the result. */
      mls_psk_entry t = entries[0];
      entries[0] = entries[1];
      entries[1] = t;
      uint8_t swapped[MIMI_MAX_HASH];
      CHECK_OK(mls_psk_secret(suite, entries, n, swapped));
      CHECK(memcmp(swapped, out, want.len) != 0);
    }
    for (size_t k = 0; k < n; k++) {
      mls_pre_shared_key_id_free(&ids[k]);
      mimi_bytes_free(&values[k]);
    }
    free(ids);
    free(entries);
    free(values);
    mimi_bytes_free(&want);
    mimi_test_case();
  }
  json_decref(root);
}

static void test_errors(void) {
  uint8_t out[MIMI_MAX_HASH], psk[4] = {1, 2, 3, 4};
  memset(out, 0xcc, sizeof out);
  mls_pre_shared_key_id id;
  memset(&id, 0, sizeof id);
  id.source.psktype = MLS_PSK_EXTERNAL;
  mls_psk_entry e = {&id, psk, sizeof psk};
  CHECK_ERR(mls_psk_secret(0, &e, 1, out), MIMI_ERR_UNSUPPORTED_SUITE);
  CHECK_ERR(mls_psk_secret(1, NULL, 1, out), MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mls_psk_secret(1, &e, 65536, out), MIMI_ERR_TOO_LARGE);
  mls_psk_entry no_id = {NULL, psk, sizeof psk}, no_value = {&id, NULL, 4};
  CHECK_ERR(mls_psk_secret(1, &no_id, 1, out), MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mls_psk_secret(1, &no_value, 1, out), MIMI_ERR_INVALID_ARG);
  for (size_t i = 0; i < sizeof out; i++) CHECK(out[i] == 0xcc);
  /* An empty PSK value is not forbidden by §8.4; it still counts. */
  mls_psk_entry empty = {&id, NULL, 0};
  CHECK_OK(mls_psk_secret(1, &empty, 1, out));
  CHECK(out[0] != 0 || out[1] != 0 || out[2] != 0);
  /* No PSKs: Nh zero bytes (§8.4). */
  CHECK_OK(mls_psk_secret(5, NULL, 0, out));
  for (size_t i = 0; i < 64; i++) CHECK(out[i] == 0);
  mimi_test_case();
}

int main(void) {
  test_vectors();
  test_errors();
  return mimi_test_summary("psk_secret");
}
