/* fuzz_roundtrip.h — the check every wire-codec fuzz target makes: the TLS
 * presentation language as RFC 9420 constrains it has exactly one encoding
 * per value, so whatever a decoder accepts must re-encode to the very same
 * bytes, clone equal, and free cleanly. Decoder and encoder are parameters
 * so layers with extra validation (the MIMI protocol) plug theirs in. */
#ifndef MIMI_FUZZ_ROUNDTRIP_H
#define MIMI_FUZZ_ROUNDTRIP_H

#include <stdlib.h>
#include <string.h>

#include "mimi/base.h"

typedef mimi_err (*fuzz_decode_fn)(const mimi_type *t, const uint8_t *data, size_t len,
                                   void *out);
typedef mimi_err (*fuzz_encode_fn)(const mimi_type *t, const void *value, mimi_bytes *out);

static inline void fuzz_codec_roundtrip(const mimi_type *t, const uint8_t *data, size_t size,
                                        fuzz_decode_fn decode, fuzz_encode_fn encode) {
  void *v = calloc(1, t->size), *c = calloc(1, t->size);
  if (v == NULL || c == NULL) abort();
  if (decode(t, data, size, v) == MIMI_OK) {
    mimi_bytes enc;
    if (encode(t, v, &enc) != MIMI_OK) abort();
    if (enc.len != size || memcmp(enc.data, data, size) != 0) abort();
    if (mimi_clone(t, c, v) != MIMI_OK || !mimi_equal(t, c, v)) abort();
    mimi_free(t, c);
    mimi_bytes_free(&enc);
    mimi_free(t, v);
  }
  free(v);
  free(c);
}

#endif
