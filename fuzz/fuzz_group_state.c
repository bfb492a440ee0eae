/* fuzz_group_state.c — libFuzzer target for the stored group state
 * (mls_group_deserialize): a blob from disk is input like any other. Beyond
 * "no crash, no leak": a blob that loads must store back to the same bytes
 * (the format has one encoding per state). */
#include <stdlib.h>
#include <string.h>

#include "mimi/mls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mls_group *g = NULL;
  if (mls_group_deserialize(&g, data, size, NULL) != MIMI_OK) return 0;
  mimi_bytes again;
  if (mls_group_serialize(g, &again) != MIMI_OK) abort();
  if (again.len != size || memcmp(again.data, data, size) != 0) abort();
  mimi_bytes_free(&again);
  mls_group_free(g);
  return 0;
}
