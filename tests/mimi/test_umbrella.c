/* test_umbrella.c — the layer includes stand alone and together: each public
 * header compiles on its own first (this file includes mimi.h before any
 * other), and a program using all layers links. */
#include "mimi/mimi.h"
#include "mimi/mls.h"
#include "harness.h"

int main(void) {
  CHECK(mimi_suite_get(1) != NULL);
  CHECK(mls_message_type() != NULL);
  mimi_content_limits l;
  mimi_content_limits_default(&l);
  CHECK(l.max_part_depth == 4);
  mimi_test_case();
  return mimi_test_summary("umbrella");
}
