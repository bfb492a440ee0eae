/* group_snapshot.h — the "no state change" check of the group tests: a
 * group's serialization before a refused call, compared after it. */
#ifndef MIMI_TEST_GROUP_SNAPSHOT_H
#define MIMI_TEST_GROUP_SNAPSHOT_H

#include "harness.h"
#include "mimi/mls.h"

static inline mimi_bytes snap(const mls_group *g) {
  mimi_bytes b = {NULL, 0};
  CHECK_OK(mls_group_serialize(g, &b));
  return b;
}

static inline void same(const mls_group *g, mimi_bytes *before) {
  mimi_bytes now = snap(g);
  CHECK_BYTES(now, *before);
  mimi_bytes_free(&now);
  mimi_bytes_free(before);
}

#endif /* MIMI_TEST_GROUP_SNAPSHOT_H */
