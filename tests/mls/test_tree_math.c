/* test_tree_math.c — RFC 9420 Appendix C tree math against the mlswg
 * tree-math.json vectors (every node of every tree), direct paths, copaths
 * and common ancestors derived from the vectors' parent/sibling tables, a
 * 2^31-leaf tree at the index limits, and the range errors. */
#include "harness.h"
#include "mimi/mls.h"

/* Expected value of array `key` at i: -1 for JSON null. */
static long long vec_at(json_t *c, const char *key, size_t i) {
  json_t *v = json_array_get(json_object_get(c, key), i);
  return json_is_null(v) ? -1 : (long long)json_integer_value(v);
}

static void check_rel(mimi_err (*fn)(uint32_t, uint32_t, uint32_t *), uint32_t node,
                      uint32_t n, long long want) {
  uint32_t got = 0xdeadbeef;
  if (want < 0) {
    CHECK_ERR(fn(node, n, &got), MIMI_ERR_NOT_FOUND);
    CHECK(got == 0xdeadbeef);
  } else {
    CHECK_OK(fn(node, n, &got));
    CHECK(got == (uint32_t)want);
  }
}

/* Ancestors of x (x included) from the vector's parent table. */
static size_t ancestors(json_t *c, uint32_t x, uint32_t *out) {
  size_t k = 0;
  out[k++] = x;
  for (long long p = vec_at(c, "parent", x); p >= 0; p = vec_at(c, "parent", (size_t)p))
    out[k++] = (uint32_t)p;
  return k;
}

static void check_paths(json_t *c, uint32_t n, uint32_t width) {
  uint32_t anc[40], anc2[40];
  for (uint32_t x = 0; x < width; x++) {
    size_t na = ancestors(c, x, anc);
    mls_node_path dp, cp;
    CHECK_OK(mls_tree_direct_path(x, n, &dp));
    CHECK_OK(mls_tree_copath(x, n, &cp));
    CHECK(dp.count == na - 1 && cp.count == na - 1);
    for (size_t i = 0; i + 1 < na && i < dp.count; i++) {
      CHECK(dp.nodes[i] == anc[i + 1]);
      CHECK((long long)cp.nodes[i] == vec_at(c, "sibling", anc[i]));
    }
  }
  /* Common ancestor by the RFC's semantic definition, on a bounded sample
   * of pairs so the biggest trees stay fast. */
  uint32_t step = width > 64 ? width / 61 : 1;
  for (uint32_t x = 0; x < width; x += step) {
    size_t na = ancestors(c, x, anc);
    for (uint32_t y = 0; y < width; y += step) {
      size_t nb = ancestors(c, y, anc2);
      uint32_t want = 0;
      bool found = false;
      for (size_t i = 0; i < na && !found; i++)
        for (size_t j = 0; j < nb; j++)
          if (anc[i] == anc2[j]) {
            want = anc[i];
            found = true;
            break;
          }
      uint32_t got;
      CHECK_OK(mls_tree_common_ancestor(x, y, n, &got));
      CHECK(found && got == want);
    }
  }
}

static void test_vectors(void) {
  json_t *root = mimi_vec_load("mls/tree-math.json");
  size_t idx;
  json_t *c;
  json_array_foreach(root, idx, c) {
    uint32_t n = (uint32_t)mimi_vec_int(c, "n_leaves");
    uint32_t width, r;
    CHECK_OK(mls_tree_width(n, &width));
    CHECK(width == (uint32_t)mimi_vec_int(c, "n_nodes"));
    CHECK_OK(mls_tree_root(n, &r));
    CHECK(r == (uint32_t)mimi_vec_int(c, "root"));
    CHECK(json_array_size(json_object_get(c, "left")) == width);
    for (uint32_t x = 0; x < width; x++) {
      check_rel(mls_tree_left, x, n, vec_at(c, "left", x));
      check_rel(mls_tree_right, x, n, vec_at(c, "right", x));
      check_rel(mls_tree_parent, x, n, vec_at(c, "parent", x));
      check_rel(mls_tree_sibling, x, n, vec_at(c, "sibling", x));
    }
    check_paths(c, n, width);
    mimi_test_case();
  }
  json_decref(root);
}

/* The largest tree: 2^31 leaves, node indices up to 2^32 - 2. */
static void test_limits(void) {
  const uint32_t n = MLS_TREE_MAX_LEAVES, last = 0xfffffffeu;
  uint32_t v;
  CHECK_OK(mls_tree_width(n, &v));
  CHECK(v == 0xffffffffu);
  CHECK_OK(mls_tree_root(n, &v));
  CHECK(v == 0x7fffffffu);
  CHECK(mls_tree_level(0x7fffffffu) == 31);
  CHECK(mls_tree_level(0xffffffffu) == 32);
  CHECK_OK(mls_tree_parent(last, n, &v));
  CHECK(v == 0xfffffffdu);
  CHECK_OK(mls_tree_sibling(last, n, &v));
  CHECK(v == 0xfffffffcu);
  CHECK_OK(mls_tree_right(0x7fffffffu, n, &v));
  CHECK(v == 0xbfffffffu);
  CHECK_OK(mls_tree_left(0x7fffffffu, n, &v));
  CHECK(v == 0x3fffffffu);
  CHECK_OK(mls_tree_parent(0xbfffffffu, n, &v));
  CHECK(v == 0x7fffffffu);
  mls_node_path p;
  CHECK_OK(mls_tree_direct_path(last, n, &p));
  CHECK(p.count == 31 && p.nodes[30] == 0x7fffffffu && p.nodes[0] == 0xfffffffdu);
  CHECK_OK(mls_tree_copath(0, n, &p));
  CHECK(p.count == 31 && p.nodes[0] == 2 && p.nodes[30] == 0xbfffffffu);
  CHECK_OK(mls_tree_common_ancestor(0, last, n, &v));
  CHECK(v == 0x7fffffffu);
  CHECK_OK(mls_tree_common_ancestor(last, 0xfffffffcu, n, &v));
  CHECK(v == 0xfffffffdu);
  CHECK_OK(mls_tree_common_ancestor(0x7fffffffu, 0x7fffffffu, n, &v));
  CHECK(v == 0x7fffffffu);
  mimi_test_case();
}

static void test_errors(void) {
  uint32_t v = 77;
  mls_node_path p = {.count = 5};
  /* leaf counts that are zero, not powers of two or above 2^31 */
  const uint32_t bad_n[] = {0, 3, 6, 100, 0x80000001u, 0xffffffffu};
  for (size_t i = 0; i < sizeof bad_n / sizeof bad_n[0]; i++) {
    CHECK_ERR(mls_tree_width(bad_n[i], &v), MIMI_ERR_INVALID_ARG);
    CHECK_ERR(mls_tree_root(bad_n[i], &v), MIMI_ERR_INVALID_ARG);
    CHECK_ERR(mls_tree_parent(0, bad_n[i], &v), MIMI_ERR_INVALID_ARG);
  }
  /* node outside the tree */
  CHECK_ERR(mls_tree_left(7, 4, &v), MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mls_tree_right(7, 4, &v), MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mls_tree_parent(7, 4, &v), MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mls_tree_sibling(0xffffffffu, 4, &v), MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mls_tree_parent(0xffffffffu, MLS_TREE_MAX_LEAVES, &v), MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mls_tree_direct_path(9, 4, &p), MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mls_tree_copath(9, 4, &p), MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mls_tree_common_ancestor(0, 7, 4, &v), MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mls_tree_common_ancestor(7, 0, 4, &v), MIMI_ERR_INVALID_ARG);
  /* relatives that do not exist */
  CHECK_ERR(mls_tree_left(2, 4, &v), MIMI_ERR_NOT_FOUND);
  CHECK_ERR(mls_tree_right(0, 1, &v), MIMI_ERR_NOT_FOUND);
  CHECK_ERR(mls_tree_parent(3, 4, &v), MIMI_ERR_NOT_FOUND);
  CHECK_ERR(mls_tree_sibling(0, 1, &v), MIMI_ERR_NOT_FOUND);
  CHECK(v == 77 && p.count == 5); /* untouched on error */
  CHECK_OK(mls_tree_direct_path(3, 4, &p));
  CHECK(p.count == 0);
  mimi_test_case();
}

int main(void) {
  test_vectors();
  test_limits();
  test_errors();
  return mimi_test_summary("tree_math");
}
