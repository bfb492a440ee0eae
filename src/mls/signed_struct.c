/* signed_struct.c — the TBS form of KeyPackage and GroupInfo (§10,
 * §12.4.3): each is its TBS struct followed by `opaque signature<V>`, so
 * the TBS encoding is the whole encoding minus that last field. */
#include "group_internal.h"

/* Bytes of the §2.1.2 varint length header of an n-byte vector. */
static size_t varint_size(size_t n) { return n < 64 ? 1 : n < 16384 ? 2 : 4; }

mimi_err group_tbs_encode(const mimi_type *t, const void *value, const mimi_bytes *signature,
                          mimi_bytes *out) {
  mimi_bytes enc;
  MIMI_TRY(mimi_encode_alloc(t, value, &enc));
  size_t tail = varint_size(signature->len) + signature->len;
  if (tail > enc.len) {
    mimi_bytes_free(&enc);
    return MIMI_ERR_INTERNAL;
  }
  mimi_secure_zero(enc.data + enc.len - tail, tail);
  enc.len -= tail;
  *out = enc;
  return MIMI_OK;
}
