/* rng.c — the default mimi_rng: OpenSSL's DRBG behind a constant object. */
#include <limits.h>

#include <openssl/rand.h>

#include "mimi/crypto.h"

static mimi_err rand_fill(void *ctx, uint8_t *out, size_t len) {
  (void)ctx;
  while (len > 0) {
    int n = len > INT_MAX ? INT_MAX : (int)len;
    if (RAND_bytes(out, n) != 1) return MIMI_ERR_RNG;
    out += n;
    len -= (size_t)n;
  }
  return MIMI_OK;
}

static const mimi_rng system_rng = {rand_fill, NULL};

const mimi_rng *mimi_rng_system(void) { return &system_rng; }
