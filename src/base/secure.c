/* secure.c — zeroization the optimizer cannot remove, constant-time compare. */
#include <string.h>

#include "mimi/base.h"

/* A volatile function pointer: the compiler cannot prove the call is memset
 * and so cannot drop it as a dead store before free(). */
static void *(*const volatile memset_v)(void *, int, size_t) = memset;

void mimi_secure_zero(void *p, size_t len) {
  if (p != NULL && len > 0) memset_v(p, 0, len);
}

bool mimi_ct_eq(const void *a, const void *b, size_t len) {
  const volatile uint8_t *x = a, *y = b;
  uint8_t acc = 0;
  for (size_t i = 0; i < len; i++) acc |= (uint8_t)(x[i] ^ y[i]);
  return acc == 0;
}
