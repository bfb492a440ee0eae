/* test_alloc_failure.c — every decoder survives running out of memory. For
 * each input, the Nth allocation is made to fail for N = 0, 1, 2, … until
 * the decoder gets through without hitting a failure; each failing run must
 * return MIMI_ERR_NOMEM and leave exactly as many live allocations as before
 * (nothing leaked, nothing half-built). The allocator is interposed here, so
 * this test cannot run under ASan (which owns malloc); it reports SKIP
 * there, and runs in the plain build, where the counting is exact.
 *
 * Covered: the declared-once TLS codec on every mlswg messages.json field,
 * ratchet tree loading, MIMI content and status report decoding, the
 * codec's clone, room state decoding and the room-policy apply (which must
 * also leave the old state as it was). */
#include <stdlib.h>

#include "harness.h"
#include "mimi/content.h"
#include "mimi/mls.h"
#include "mimi/status.h"
#include "policy_fixtures.h"

#if defined(__SANITIZE_ADDRESS__)
#define MIMI_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MIMI_UNDER_ASAN 1
#endif
#endif

#ifndef MIMI_UNDER_ASAN
/* glibc's own entry points, which our interposers forward to. */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static long fail_at = -1; /* allocation number to fail; -1 = never */
static long seen;         /* allocations since arming */
static long live;         /* allocated and not yet freed */
static int failed;        /* the armed failure happened */

static int should_fail(void) {
  if (fail_at < 0) return 0;
  if (seen++ == fail_at) {
    failed = 1;
    return 1;
  }
  return 0;
}

void *malloc(size_t n) {
  if (should_fail()) return NULL;
  void *p = __libc_malloc(n);
  if (p) live++;
  return p;
}

void *calloc(size_t a, size_t b) {
  if (should_fail()) return NULL;
  void *p = __libc_calloc(a, b);
  if (p) live++;
  return p;
}

void *realloc(void *p, size_t n) {
  if (p == NULL) return malloc(n);
  if (n == 0) {
    free(p);
    return NULL;
  }
  if (should_fail()) return NULL;
  return __libc_realloc(p, n);
}

void free(void *p) {
  if (p) live--;
  __libc_free(p);
}

typedef mimi_err (*decode_fn)(const void *arg, const uint8_t *data, size_t len);

/* Runs fn with the Nth allocation failing, for every N it reaches. */
static void exhaust(const char *what, decode_fn fn, const void *arg, const uint8_t *data,
                    size_t len) {
  for (long n = 0;; n++) {
    long before = live;
    seen = 0;
    failed = 0;
    fail_at = n;
    mimi_err err = fn(arg, data, len);
    fail_at = -1;
    if (!failed) {
      if (err != MIMI_OK) mimi_test_fail(__FILE__, __LINE__, "%s: %s without an injected failure", what, mimi_errname(err));
      CHECK(live == before);
      break;
    }
    if (err != MIMI_ERR_NOMEM)
      mimi_test_fail(__FILE__, __LINE__, "%s: allocation %ld failed, got %s", what, n,
                     mimi_errname(err));
    if (live != before)
      mimi_test_fail(__FILE__, __LINE__, "%s: allocation %ld failed, %ld allocations leaked",
                     what, n, live - before);
    mimi_test_checks++;
  }
  mimi_test_case();
}

/* decode, clone, free — the decoded and cloned values are freed inside, so a
 * successful run must also end with no new live allocation */
static mimi_err codec_roundtrip(const void *arg, const uint8_t *data, size_t len) {
  const mimi_type *t = ((mimi_type_fn)arg)();
  uint8_t v[4096], c[4096];
  if (t->size > sizeof v) return MIMI_ERR_INTERNAL;
  MIMI_TRY(mimi_decode_exact(t, data, len, v));
  mimi_err err = mimi_clone(t, c, v);
  if (err == MIMI_OK) mimi_free(t, c);
  mimi_free(t, v);
  return err;
}

static mimi_err tree_load(const void *arg, const uint8_t *data, size_t len) {
  (void)arg;
  mls_rtree *t = NULL;
  MIMI_TRY(mls_rtree_decode(&t, 1, data, len));
  mls_rtree_free(t);
  return MIMI_OK;
}

static mimi_err content_decode(const void *arg, const uint8_t *data, size_t len) {
  (void)arg;
  mimi_content c;
  MIMI_TRY(mimi_content_decode(data, len, NULL, &c));
  mimi_bytes enc;
  mimi_err err = mimi_content_encode(&c, &enc);
  if (err == MIMI_OK) mimi_bytes_free(&enc);
  mimi_content_free(&c);
  return err;
}

static mimi_err status_decode(const void *arg, const uint8_t *data, size_t len) {
  (void)arg;
  mimi_status_report r;
  MIMI_TRY(mimi_status_report_decode(data, len, &r));
  mimi_status_report_free(&r);
  return MIMI_OK;
}

static mimi_err room_decode(const void *arg, const uint8_t *data, size_t len) {
  (void)arg;
  mimi_room_state st;
  MIMI_TRY(mimi_room_state_decode(data, len, &st));
  mimi_bytes enc;
  mimi_err err = mimi_room_state_encode(&st, &enc);
  if (err == MIMI_OK) mimi_bytes_free(&enc);
  mimi_room_state_free(&st);
  return err;
}

/* A commit of several changes, then the same as AppDataUpdate proposals
 * (data = an encoded ParticipantListUpdate). The old state must come out
 * unchanged whatever fails. */
static mimi_err room_apply(const void *arg, const uint8_t *data, size_t len) {
  const mimi_room_state *st = arg;
  mimi_room_state before, out;
  MIMI_TRY(mimi_room_state_clone(&before, st));
  mimi_actor alice = fx_actor("mimi://a.example/u/alice", MIMI_VIA_MEMBER);
  mimi_actor frank = fx_actor("mimi://f.example/u/frank", MIMI_VIA_EXTERNAL_COMMIT);
  mimi_status_notification_policy sn = {0, 1};
  mimi_room_change ch[] = {
      {&alice, fx_act(MIMI_ACT_ADD_PARTICIPANT, "mimi://g.example/u/grace", 2)},
      {&alice, fx_act(MIMI_ACT_CHANGE_ROLE, "mimi://c.example/u/cathy", 1)},
      {&frank, fx_act(MIMI_ACT_JOIN, NULL, 2)},
      {&alice, fx_act(MIMI_ACT_UPDATE_COMPONENT, NULL, 0)},
  };
  ch[3].action.component_id = MIMI_COMPONENT_STATUS_NOTIFICATION_POLICY;
  ch[3].action.value = &sn;
  mimi_err err = mimi_room_apply(st, NULL, ch, 4, &out);
  if (err == MIMI_OK) mimi_room_state_free(&out);
  if (err == MIMI_OK) {
    mls_app_data_update u;
    memset(&u, 0, sizeof u);
    u.component_id = MIMI_COMPONENT_PARTICIPANT_LIST;
    u.op.op = MLS_APP_DATA_UPDATE_OP_UPDATE;
    u.op.update = (mimi_bytes){(uint8_t *)data, len};
    err = mimi_room_apply_app_data(st, NULL, &alice, &u, 1, NULL, 0, &out);
    if (err == MIMI_OK) mimi_room_state_free(&out);
  }
  if (!mimi_room_state_equal(st, &before)) err = MIMI_ERR_INTERNAL;
  mimi_room_state_free(&before);
  return err;
}

static void test_policy(void) {
  /* A.2 room with an open-join role 0, so every change above is allowed */
  static const fx_member m[] = {{"mimi://a.example/u/alice", 4, 1},
                                {"mimi://b.example/u/bob", 3, 1},
                                {"mimi://c.example/u/cathy", 2, 2},
                                {"mimi://e.example/u/erin", 5, 0}};
  mimi_room_state st;
  fx_state(&st, fx_a2, FX_N(fx_a2), m, FX_N(m));
  mimi_role *r0 = (mimi_role *)mimi_room_find_role(&st, 0);
  r0->role_capabilities[0] = MIMI_CAP_OPEN_JOIN;
  fx_add_caps(fx_role_mut(&st, 4), "canChangeOtherPolicyAttribute");
  st.metadata = calloc(1, sizeof *st.metadata);
  CHECK_OK(mimi_bytes_copy(&st.metadata->room_uri.uri, (const uint8_t *)"mimi://h/r/1", 12));
  CHECK_OK(mimi_room_state_validate(&st));
  mimi_bytes enc;
  CHECK_OK(mimi_room_state_encode(&st, &enc));
  exhaust("room state", room_decode, NULL, enc.data, enc.len);
  mimi_bytes_free(&enc);
  /* alice: cathy -> 3, henry added as 2 */
  mimi_user_index_role_pair chg = {2, 3};
  mimi_user_role_pair add = {{(uint8_t *)"mimi://h.example/u/henry", 24}, 2};
  mimi_participant_list_update plu = {&chg, 1, NULL, 0, &add, 1};
  CHECK_OK(mimi_participant_list_update_encode(&plu, &enc));
  exhaust("room apply", room_apply, &st, enc.data, enc.len);
  mimi_bytes_free(&enc);
  mimi_room_state_free(&st);
}

static const struct {
  const char *key;
  mimi_type_fn type;
} mls_fields[] = {
    {"mls_welcome", mls_message_type},    {"mls_group_info", mls_message_type},
    {"mls_key_package", mls_message_type}, {"ratchet_tree", mls_ratchet_tree_type},
    {"group_secrets", mls_group_secrets_type}, {"commit", mls_commit_type},
    {"public_message_commit", mls_message_type}, {"private_message", mls_message_type},
};

static void test_mls(void) {
  json_t *all = mimi_vec_load("mls/messages.json");
  json_t *c = json_array_get(all, 0); /* one case: every field type, many allocations */
  for (size_t i = 0; i < sizeof mls_fields / sizeof mls_fields[0]; i++) {
    mimi_bytes b = mimi_vec_hex(c, mls_fields[i].key);
    exhaust(mls_fields[i].key, codec_roundtrip, (const void *)mls_fields[i].type, b.data, b.len);
    if (strcmp(mls_fields[i].key, "ratchet_tree") == 0)
      exhaust("rtree", tree_load, NULL, b.data, b.len);
    mimi_bytes_free(&b);
  }
  json_decref(all);
}

static void test_mimi(void) {
  static const char *examples[] = {"multipart-3.cbor", "attachment.cbor", "reply.cbor",
                                   "expiring.cbor"};
  for (size_t i = 0; i < sizeof examples / sizeof examples[0]; i++) {
    char rel[128];
    snprintf(rel, sizeof rel, "mimi-content/%s", examples[i]);
    size_t len;
    char *data = mimi_vec_read(rel, &len);
    exhaust(examples[i], content_decode, NULL, (const uint8_t *)data, len);
    free(data);
  }
  size_t len;
  char *data = mimi_vec_read("mimi-message-status/status.cbor", &len);
  exhaust("status", status_decode, NULL, (const uint8_t *)data, len);
  free(data);
}

int main(void) {
  test_mls();
  test_mimi();
  test_policy();
  return mimi_test_summary("alloc_failure");
}
#else
int main(void) {
  printf("alloc_failure: skipped under ASan (it interposes malloc itself)\n");
  return 77;
}
#endif
