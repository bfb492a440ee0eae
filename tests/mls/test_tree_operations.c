/* test_tree_operations.c — Add, Update and Remove applied to a ratchet tree
 * (§7.7, §12.1.1-§12.1.3) against the mlswg tree-operations.json vectors:
 * tree bytes and tree hash before and after. */
#include "harness.h"
#include "mimi/mls.h"

static mimi_err apply(mls_rtree *t, const mls_proposal *p, uint32_t sender) {
  uint32_t idx;
  switch (p->proposal_type) {
  case MLS_PROPOSAL_ADD:
    return mls_rtree_add(t, &p->add.key_package.leaf_node, &idx);
  case MLS_PROPOSAL_UPDATE:
    return mls_rtree_update(t, sender, &p->update.leaf_node);
  case MLS_PROPOSAL_REMOVE:
    return mls_rtree_remove(t, p->remove.removed);
  default:
    return MIMI_ERR_UNSUPPORTED;
  }
}

static void check_hash(const mls_rtree *t, json_t *c, const char *key) {
  mimi_bytes want = mimi_vec_hex(c, key);
  uint8_t got[MIMI_MAX_HASH];
  CHECK_OK(mls_rtree_root_hash(t, got));
  CHECK_MEM(got, want.len, want.data, want.len);
  mimi_bytes_free(&want);
}

static void check_case(json_t *c) {
  uint16_t suite = (uint16_t)mimi_vec_int(c, "cipher_suite");
  mimi_bytes before = mimi_vec_hex(c, "tree_before"), after = mimi_vec_hex(c, "tree_after");
  mimi_bytes prop = mimi_vec_hex(c, "proposal");
  mls_proposal p;
  mls_rtree *t = NULL;
  CHECK_OK(mls_proposal_decode(prop.data, prop.len, &p));
  CHECK_OK(mls_rtree_decode(&t, suite, before.data, before.len));
  if (t != NULL) {
    check_hash(t, c, "tree_hash_before");
    CHECK_OK(apply(t, &p, (uint32_t)mimi_vec_int(c, "proposal_sender")));
    mimi_bytes enc;
    CHECK_OK(mls_rtree_encode(t, &enc));
    CHECK_BYTES(enc, after);
    mimi_bytes_free(&enc);
    check_hash(t, c, "tree_hash_after");
    mls_rtree_free(t);
  }
  mls_proposal_free(&p);
  mimi_bytes_free(&before);
  mimi_bytes_free(&after);
  mimi_bytes_free(&prop);
  mimi_test_case();
}

int main(void) {
  json_t *v = mimi_vec_load("mls/tree-operations.json");
  size_t i;
  json_t *c;
  json_array_foreach(v, i, c) check_case(c);
  json_decref(v);
  return mimi_test_summary("test_tree_operations");
}
