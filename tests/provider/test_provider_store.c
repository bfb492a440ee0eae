/* test_provider_store.c — the SQLite store: migrations, constraints, the
 * KeyPackage claim rules, the inbox, and transactions that roll back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "mimi/provider.h"

static const uint8_t H1[MIMI_TOKEN_HASH_LEN] = {1};
static const uint8_t H2[MIMI_TOKEN_HASH_LEN] = {2};

static mimi_bytes B(const char *s) {
  mimi_bytes b = {0};
  CHECK_OK(mimi_bytes_copy(&b, (const uint8_t *)s, strlen(s)));
  return b;
}

static size_t kp_count(mimi_store *st, int64_t client) {
  mimi_store_key_package *k = NULL;
  size_t n = 0;
  CHECK_OK(st->ops->key_packages_of_client(st->impl, client, &k, &n));
  mimi_store_key_packages_free(k, n);
  return n;
}

static void test_migrations(void) {
  char path[64];
  snprintf(path, sizeof path, "/tmp/mimi-store-test-%ld.db", (long)getpid());
  unlink(path);
  mimi_store st;
  int v = -1;
  CHECK_OK(mimi_store_open_sqlite(path, &st));
  CHECK_OK(mimi_store_sqlite_version(&st, &v));
  CHECK(v == 2);
  int64_t uid;
  CHECK_OK(st.ops->user_add(st.impl, "mimi://a.example/u/alice", &uid));
  mimi_store_close(&st);
  /* reopening runs no migration again and keeps the rows */
  CHECK_OK(mimi_store_open_sqlite(path, &st));
  CHECK_OK(mimi_store_sqlite_version(&st, &v));
  CHECK(v == 2);
  int64_t again;
  CHECK_OK(st.ops->user_find(st.impl, "mimi://a.example/u/alice", &again));
  CHECK(again == uid);
  mimi_store_close(&st);
  unlink(path);
  CHECK_ERR(mimi_store_open_sqlite("/nonexistent/dir/x.db", &st), MIMI_ERR_STORE);
  CHECK_ERR(mimi_store_open_sqlite(NULL, &st), MIMI_ERR_INVALID_ARG);
  mimi_test_case();
}

static void test_users_clients(void) {
  mimi_store st;
  CHECK_OK(mimi_store_open_sqlite(":memory:", &st));
  int64_t uid, uid2, cid, cid2;
  CHECK_OK(st.ops->user_add(st.impl, "mimi://a.example/u/alice", &uid));
  CHECK_ERR(st.ops->user_add(st.impl, "mimi://a.example/u/alice", &uid2), MIMI_ERR_STORE_CONFLICT);
  CHECK_ERR(st.ops->user_find(st.impl, "mimi://a.example/u/bob", &uid2), MIMI_ERR_NOT_FOUND);
  mimi_bytes key = B("public-key");
  CHECK_OK(st.ops->client_add(st.impl, uid, "mimi://a.example/d/alice/phone", &key, H1, &cid));
  /* same URI, or same token, is a conflict; an unknown user a constraint */
  CHECK_ERR(st.ops->client_add(st.impl, uid, "mimi://a.example/d/alice/phone", &key, H2, &cid2),
            MIMI_ERR_STORE_CONFLICT);
  CHECK_ERR(st.ops->client_add(st.impl, uid, "mimi://a.example/d/alice/laptop", &key, H1, &cid2),
            MIMI_ERR_STORE_CONFLICT);
  CHECK_ERR(st.ops->client_add(st.impl, 999, "mimi://a.example/d/x/y", &key, H2, &cid2),
            MIMI_ERR_STORE_CONFLICT);
  CHECK_OK(st.ops->client_add(st.impl, uid, "mimi://a.example/d/alice/laptop", &key, H2, &cid2));
  mimi_store_client c;
  CHECK_OK(st.ops->client_by_token(st.impl, H2, &c));
  CHECK(c.id == cid2 && c.user_id == uid && strcmp(c.uri, "mimi://a.example/d/alice/laptop") == 0);
  CHECK_BYTES(c.signature_key, key);
  mimi_store_client_free(&c);
  uint8_t h3[MIMI_TOKEN_HASH_LEN] = {3};
  CHECK_ERR(st.ops->client_by_token(st.impl, h3, &c), MIMI_ERR_NOT_FOUND);
  mimi_store_client *all = NULL;
  size_t n = 0;
  CHECK_OK(st.ops->clients_of_user(st.impl, uid, &all, &n));
  CHECK(n == 2 && all[0].id == cid && all[1].id == cid2);
  mimi_store_clients_free(all, n);
  mimi_bytes_free(&key);
  mimi_store_close(&st);
  mimi_test_case();
}

static void test_key_packages(void) {
  mimi_store st;
  CHECK_OK(mimi_store_open_sqlite(":memory:", &st));
  int64_t uid, cid;
  mimi_bytes key = B("k"), kp1 = B("kp-one"), kp2 = B("kp-two"), lr = B("kp-last");
  CHECK_OK(st.ops->user_add(st.impl, "mimi://a.example/u/alice", &uid));
  CHECK_OK(st.ops->client_add(st.impl, uid, "mimi://a.example/d/alice/p", &key, H1, &cid));
  CHECK_OK(st.ops->key_package_add(st.impl, cid, 1, 100, true, &lr));
  CHECK_OK(st.ops->key_package_add(st.impl, cid, 1, UINT64_MAX, false, &kp1));
  CHECK_OK(st.ops->key_package_add(st.impl, cid, 3, 200, false, &kp2));
  CHECK_ERR(st.ops->key_package_add(st.impl, 999, 1, 1, false, &kp2), MIMI_ERR_STORE_CONFLICT);
  mimi_store_key_package *k = NULL;
  size_t n = 0;
  CHECK_OK(st.ops->key_packages_of_client(st.impl, cid, &k, &n));
  /* ordinary ones oldest first, then the last-resort one */
  CHECK(n == 3);
  if (n == 3) {
    CHECK_BYTES(k[0].key_package, kp1);
    CHECK(k[0].suite == 1 && !k[0].last_resort && k[0].not_after == (uint64_t)INT64_MAX);
    CHECK_BYTES(k[1].key_package, kp2);
    CHECK(k[1].suite == 3 && k[1].not_after == 200);
    CHECK_BYTES(k[2].key_package, lr);
    CHECK(k[2].last_resort);
    const uint8_t ref1[32] = {0xaa}, ref2[32] = {0xbb}, ref3[32] = {0xcc};
    CHECK_OK(st.ops->key_package_claim(st.impl, k[0].id, ref1, 32, "b.example", 5));
    CHECK(kp_count(&st, cid) == 2);
    /* a claimed (gone) KeyPackage cannot be claimed again */
    CHECK_ERR(st.ops->key_package_claim(st.impl, k[0].id, ref2, 32, "b.example", 6),
              MIMI_ERR_NOT_FOUND);
    CHECK(kp_count(&st, cid) == 2);
    /* last resort: recorded, kept */
    CHECK_OK(st.ops->key_package_claim(st.impl, k[2].id, ref3, 32, "b.example", 7));
    CHECK_OK(st.ops->key_package_claim(st.impl, k[2].id, ref3, 32, "c.example", 8));
    CHECK(kp_count(&st, cid) == 2);
  }
  mimi_store_key_packages_free(k, n);
  mimi_bytes_free(&key);
  mimi_bytes_free(&kp1);
  mimi_bytes_free(&kp2);
  mimi_bytes_free(&lr);
  mimi_store_close(&st);
  mimi_test_case();
}

static void test_transactions(void) {
  mimi_store st;
  CHECK_OK(mimi_store_open_sqlite(":memory:", &st));
  int64_t uid, cid;
  mimi_bytes key = B("k"), kp = B("kp");
  CHECK_OK(st.ops->user_add(st.impl, "mimi://a.example/u/alice", &uid));
  CHECK_OK(st.ops->client_add(st.impl, uid, "mimi://a.example/d/alice/p", &key, H1, &cid));
  /* rolled back: neither row stays */
  CHECK_OK(st.ops->begin(st.impl));
  int64_t bob;
  CHECK_OK(st.ops->user_add(st.impl, "mimi://a.example/u/bob", &bob));
  CHECK_OK(st.ops->key_package_add(st.impl, cid, 1, 10, false, &kp));
  st.ops->rollback(st.impl);
  CHECK_ERR(st.ops->user_find(st.impl, "mimi://a.example/u/bob", &bob), MIMI_ERR_NOT_FOUND);
  CHECK(kp_count(&st, cid) == 0);
  /* nesting is refused; the outer transaction is unaffected */
  CHECK_OK(st.ops->begin(st.impl));
  CHECK_ERR(st.ops->begin(st.impl), MIMI_ERR_STORE);
  CHECK_OK(st.ops->key_package_add(st.impl, cid, 1, 10, false, &kp));
  /* a failing claim inside a transaction undoes only itself */
  const uint8_t ref[32] = {1};
  CHECK_ERR(st.ops->key_package_claim(st.impl, 4242, ref, 32, "b.example", 1), MIMI_ERR_NOT_FOUND);
  CHECK_OK(st.ops->commit(st.impl));
  CHECK(kp_count(&st, cid) == 1);
  CHECK_ERR(st.ops->commit(st.impl), MIMI_ERR_STORE); /* none open */
  mimi_bytes_free(&key);
  mimi_bytes_free(&kp);
  mimi_store_close(&st);
  mimi_test_case();
}

static void test_inbox(void) {
  mimi_store st;
  CHECK_OK(mimi_store_open_sqlite(":memory:", &st));
  int64_t uid, c1, c2;
  mimi_bytes key = B("k"), m1 = B("one"), m2 = B("two"), m3 = B("three");
  CHECK_OK(st.ops->user_add(st.impl, "mimi://a.example/u/alice", &uid));
  CHECK_OK(st.ops->client_add(st.impl, uid, "mimi://a.example/d/alice/p", &key, H1, &c1));
  CHECK_OK(st.ops->client_add(st.impl, uid, "mimi://a.example/d/alice/q", &key, H2, &c2));
  uint64_t s1, s2, s3;
  CHECK_OK(st.ops->inbox_push(st.impl, c1, &m1, &s1));
  CHECK_OK(st.ops->inbox_push(st.impl, c2, &m2, &s2));
  CHECK_OK(st.ops->inbox_push(st.impl, c1, &m3, &s3));
  CHECK(s1 < s2 && s2 < s3);
  mimi_store_inbox_entry *e = NULL;
  size_t n = 0;
  CHECK_OK(st.ops->inbox_fetch(st.impl, c1, 0, 10, &e, &n));
  CHECK(n == 2);
  if (n == 2) {
    CHECK(e[0].seq == s1 && e[1].seq == s3);
    CHECK_BYTES(e[0].message, m1);
    CHECK_BYTES(e[1].message, m3);
  }
  mimi_store_inbox_free(e, n);
  CHECK_OK(st.ops->inbox_fetch(st.impl, c1, 0, 1, &e, &n));
  CHECK(n == 1 && e[0].seq == s1);
  mimi_store_inbox_free(e, n);
  CHECK_OK(st.ops->inbox_fetch(st.impl, c1, s1, 10, &e, &n));
  CHECK(n == 1 && e[0].seq == s3);
  mimi_store_inbox_free(e, n);
  CHECK_OK(st.ops->inbox_ack(st.impl, c1, s1));
  CHECK_OK(st.ops->inbox_fetch(st.impl, c1, 0, 10, &e, &n));
  CHECK(n == 1 && e[0].seq == s3);
  mimi_store_inbox_free(e, n);
  /* acks are per client */
  CHECK_OK(st.ops->inbox_ack(st.impl, c1, UINT64_MAX));
  CHECK_OK(st.ops->inbox_fetch(st.impl, c2, 0, 10, &e, &n));
  CHECK(n == 1 && e[0].seq == s2);
  mimi_store_inbox_free(e, n);
  CHECK_ERR(st.ops->inbox_push(st.impl, 999, &m1, &s1), MIMI_ERR_STORE_CONFLICT);
  mimi_bytes_free(&key);
  mimi_bytes_free(&m1);
  mimi_bytes_free(&m2);
  mimi_bytes_free(&m3);
  mimi_store_close(&st);
  mimi_test_case();
}

/* Rooms (compare-and-set on the epoch), the outbox (per-domain order,
 * retry, done), clients by URI and by claimed KeyPackageRef, room_clients. */
static void test_rooms_outbox(void) {
  mimi_store st;
  CHECK_OK(mimi_store_open_sqlite(":memory:", &st));
  const char *room = "mimi://a.example/r/club";
  mimi_bytes gid = B("club"), s0 = B("state0"), s1 = B("state1"), key = B("key");
  int64_t rid, dup, uid, cid;
  mimi_store_room r;
  CHECK_ERR(st.ops->room_get(st.impl, room, &r), MIMI_ERR_NOT_FOUND);
  CHECK_OK(st.ops->room_add(st.impl, room, &gid, 0, &s0, &rid));
  CHECK_ERR(st.ops->room_add(st.impl, room, &gid, 0, &s1, &dup), MIMI_ERR_STORE_CONFLICT);
  CHECK_ERR(st.ops->room_update(st.impl, rid, 1, 2, &s1), MIMI_ERR_STORE_CONFLICT);
  CHECK_OK(st.ops->room_get(st.impl, room, &r));
  CHECK(r.id == rid && r.epoch == 0);
  CHECK_BYTES(r.state, s0);
  mimi_store_room_free(&r);
  CHECK_OK(st.ops->room_update(st.impl, rid, 0, 1, &s1));
  CHECK_ERR(st.ops->room_update(st.impl, rid, 0, 1, &s1), MIMI_ERR_STORE_CONFLICT);
  CHECK_OK(st.ops->room_get(st.impl, room, &r));
  CHECK(r.epoch == 1);
  CHECK_BYTES(r.state, s1);
  mimi_store_room_free(&r);

  /* b's second row waits while its first is not due; c's is independent */
  CHECK_OK(st.ops->outbox_add(st.impl, rid, "b.example", &s0));
  CHECK_OK(st.ops->outbox_add(st.impl, rid, "b.example", &s1));
  CHECK_OK(st.ops->outbox_add(st.impl, rid, "c.example", &s1));
  mimi_store_outbox_row *rows = NULL;
  size_t n = 0;
  CHECK_OK(st.ops->outbox_due(st.impl, 100, 10, &rows, &n));
  CHECK(n == 3 && strcmp(rows[0].room_uri, room) == 0 &&
        strcmp(rows[0].target_domain, "b.example") == 0 && rows[0].attempts == 0);
  int64_t first = rows[0].id, second = rows[1].id, third = rows[2].id;
  mimi_store_outbox_free(rows, n);
  CHECK_OK(st.ops->outbox_retry(st.impl, first, 110));
  CHECK_OK(st.ops->outbox_due(st.impl, 100, 10, &rows, &n));
  CHECK(n == 1 && rows[0].id == third);
  mimi_store_outbox_free(rows, n);
  CHECK_OK(st.ops->outbox_due(st.impl, 110, 1, &rows, &n));
  CHECK(n == 1 && rows[0].id == first && rows[0].attempts == 1);
  CHECK_BYTES(rows[0].body, s0);
  mimi_store_outbox_free(rows, n);
  CHECK_OK(st.ops->outbox_done(st.impl, first));
  CHECK_OK(st.ops->outbox_done(st.impl, third));
  CHECK_OK(st.ops->outbox_due(st.impl, 100, 10, &rows, &n));
  CHECK(n == 1 && rows[0].id == second);
  mimi_store_outbox_free(rows, n);

  /* clients by URI and by claim; a follower's room members */
  mimi_store_client c;
  CHECK_OK(st.ops->user_add(st.impl, "mimi://a.example/u/bob", &uid));
  CHECK_OK(st.ops->client_add(st.impl, uid, "mimi://a.example/d/bob/pc", &key, H1, &cid));
  CHECK_ERR(st.ops->client_by_uri(st.impl, "mimi://a.example/d/bob/tv", &c), MIMI_ERR_NOT_FOUND);
  CHECK_OK(st.ops->client_by_uri(st.impl, "mimi://a.example/d/bob/pc", &c));
  CHECK(c.id == cid);
  mimi_store_client_free(&c);
  const uint8_t ref[] = {7, 7, 7};
  CHECK_ERR(st.ops->client_by_claim(st.impl, ref, sizeof ref, &c), MIMI_ERR_NOT_FOUND);
  CHECK_OK(st.ops->key_package_add(st.impl, cid, 1, 0, false, &s0));
  mimi_store_key_package *k = NULL;
  CHECK_OK(st.ops->key_packages_of_client(st.impl, cid, &k, &n));
  CHECK(n == 1);
  if (n == 1) CHECK_OK(st.ops->key_package_claim(st.impl, k[0].id, ref, sizeof ref, "b.example", 5));
  mimi_store_key_packages_free(k, n);
  CHECK_OK(st.ops->client_by_claim(st.impl, ref, sizeof ref, &c));
  CHECK(c.id == cid);
  mimi_store_client_free(&c);
  int64_t *ids = NULL;
  CHECK_OK(st.ops->room_clients(st.impl, room, &ids, &n));
  CHECK(n == 0);
  free(ids);
  CHECK_OK(st.ops->room_client_add(st.impl, room, cid));
  CHECK_OK(st.ops->room_client_add(st.impl, room, cid)); /* idempotent */
  CHECK_ERR(st.ops->room_client_add(st.impl, room, cid + 100), MIMI_ERR_STORE_CONFLICT);
  CHECK_OK(st.ops->room_clients(st.impl, room, &ids, &n));
  CHECK(n == 1 && ids[0] == cid);
  free(ids);
  mimi_bytes_free(&gid);
  mimi_bytes_free(&s0);
  mimi_bytes_free(&s1);
  mimi_bytes_free(&key);
  mimi_store_close(&st);
  mimi_test_case();
}

int main(void) {
  test_migrations();
  test_users_clients();
  test_key_packages();
  test_transactions();
  test_inbox();
  test_rooms_outbox();
  return mimi_test_summary("test_provider_store");
}
