/* fuzz_content_decode.c — libFuzzer target for the MIMI content decoder.
 * Beyond "no crash, no leak": anything the strict decoder accepts must be
 * the canonical encoding of what it decoded (re-encoding gives the same
 * bytes), and its message ID must be computable. The same input also goes
 * through the MessageDerivedValues decoder and the diagnostic printer. */
#include <stdlib.h>
#include <string.h>

#include "mimi/content.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mimi_content c;
  if (mimi_content_decode(data, size, NULL, &c) == MIMI_OK) {
    mimi_bytes enc;
    if (mimi_content_encode(&c, &enc) != MIMI_OK) abort();
    if (enc.len != size || memcmp(enc.data, data, size) != 0) abort();
    uint8_t id[MIMI_MESSAGE_ID_LEN];
    if (mimi_message_id(enc.data, enc.len, (const uint8_t *)"s", 1, (const uint8_t *)"r", 1, id) !=
        MIMI_OK)
      abort();
    mimi_content d;
    if (mimi_content_decode(enc.data, enc.len, NULL, &d) != MIMI_OK) abort();
    if (!mimi_content_equal(&c, &d)) abort();
    mimi_content_free(&d);
    mimi_bytes_free(&enc);
    mimi_content_free(&c);
  }
  mimi_derived_values v;
  if (mimi_derived_values_decode(data, size, &v) == MIMI_OK) {
    mimi_bytes enc;
    if (mimi_derived_values_encode(&v, &enc) != MIMI_OK) abort();
    /* A tag-1001 timestamp with "-3: 0" decodes to the same value as
     * one without it, so only the non-extended form must match exactly. */
    if (v.hub_accepted.form == MIMI_TIME_MSECS && (enc.len != size || memcmp(enc.data, data, size) != 0))
      abort();
    mimi_bytes_free(&enc);
    mimi_derived_values_free(&v);
  }
  char *diag = NULL;
  if (mimi_cbor_to_diag(data, size, &diag) == MIMI_OK) free(diag);
  return 0;
}
