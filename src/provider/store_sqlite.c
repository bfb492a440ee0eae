/* store_sqlite.c — the storage interface on SQLite: schema migrations and
 * one prepared statement per operation. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mimi/provider.h"

typedef struct {
  sqlite3 *db;
} sq_store;

/* Schema versions, applied in order; PRAGMA user_version records how far a
 * database got. Never edit a released step: append a new one. */
static const char *const migrations[] = {
    /* 1: users, clients, KeyPackages, claims, rooms, outbox, inbox */
    "CREATE TABLE users(id INTEGER PRIMARY KEY, uri TEXT NOT NULL UNIQUE,"
    "  deleted INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE clients(id INTEGER PRIMARY KEY,"
    "  user_id INTEGER NOT NULL REFERENCES users(id), uri TEXT NOT NULL UNIQUE,"
    "  signature_key BLOB NOT NULL, token_hash BLOB NOT NULL UNIQUE);"
    "CREATE TABLE key_packages(id INTEGER PRIMARY KEY,"
    "  client_id INTEGER NOT NULL REFERENCES clients(id), suite INTEGER NOT NULL,"
    "  not_after INTEGER NOT NULL, last_resort INTEGER NOT NULL, data BLOB NOT NULL);"
    "CREATE INDEX key_packages_by_client ON key_packages(client_id, last_resort, id);"
    "CREATE TABLE key_package_claims(ref BLOB PRIMARY KEY,"
    "  client_id INTEGER NOT NULL REFERENCES clients(id), requester TEXT NOT NULL,"
    "  claimed_at INTEGER NOT NULL);"
    "CREATE TABLE rooms(id INTEGER PRIMARY KEY, room_uri TEXT NOT NULL UNIQUE,"
    "  group_id BLOB NOT NULL, epoch INTEGER NOT NULL, public_state BLOB);"
    "CREATE TABLE outbox(id INTEGER PRIMARY KEY,"
    "  room_id INTEGER NOT NULL REFERENCES rooms(id), target_domain TEXT NOT NULL,"
    "  body BLOB NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,"
    "  next_attempt INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE inbox(seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  client_id INTEGER NOT NULL REFERENCES clients(id), message BLOB NOT NULL);"
    "CREATE INDEX inbox_by_client ON inbox(client_id, seq);",
    /* 2: a follower's local members of rooms hosted elsewhere */
    "CREATE TABLE room_clients(room_uri TEXT NOT NULL,"
    "  client_id INTEGER NOT NULL REFERENCES clients(id), PRIMARY KEY(room_uri, client_id));"
    "CREATE INDEX outbox_due ON outbox(next_attempt, id);",
};
#define N_MIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

static mimi_err exec(sq_store *s, const char *sql) {
  return sqlite3_exec(s->db, sql, NULL, NULL, NULL) == SQLITE_OK ? MIMI_OK : MIMI_ERR_STORE;
}

static mimi_err step_err(int rc) {
  if (rc == SQLITE_DONE || rc == SQLITE_ROW) return MIMI_OK;
  if (rc == SQLITE_CONSTRAINT) return MIMI_ERR_STORE_CONFLICT;
  if (rc == SQLITE_NOMEM) return MIMI_ERR_NOMEM;
  return MIMI_ERR_STORE;
}

static mimi_err prepare(sq_store *s, const char *sql, sqlite3_stmt **st) {
  int rc = sqlite3_prepare_v2(s->db, sql, -1, st, NULL);
  if (rc == SQLITE_NOMEM) return MIMI_ERR_NOMEM;
  return rc == SQLITE_OK ? MIMI_OK : MIMI_ERR_STORE;
}

/* Runs a statement that returns no rows; extended codes collapse to the
 * primary one so constraint violations are recognized. */
static mimi_err run(sqlite3_stmt *st) {
  int rc = sqlite3_step(st) & 0xff;
  mimi_err err = step_err(rc);
  sqlite3_finalize(st);
  return err;
}

static int user_version(sq_store *s) {
  sqlite3_stmt *st;
  if (prepare(s, "PRAGMA user_version", &st) != MIMI_OK) return -1;
  int v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
  sqlite3_finalize(st);
  return v;
}

static mimi_err migrate(sq_store *s) {
  int v = user_version(s);
  if (v < 0 || v > N_MIGRATIONS) return MIMI_ERR_STORE; /* a newer mimid's database */
  for (; v < N_MIGRATIONS; v++) {
    MIMI_TRY(exec(s, "BEGIN IMMEDIATE"));
    char pragma[64];
    snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d", v + 1);
    if (exec(s, migrations[v]) != MIMI_OK || exec(s, pragma) != MIMI_OK) {
      (void)exec(s, "ROLLBACK");
      return MIMI_ERR_STORE;
    }
    MIMI_TRY(exec(s, "COMMIT"));
  }
  return MIMI_OK;
}

/* ---- transactions -------------------------------------------------------- */

static void sq_close(void *impl) {
  sq_store *s = impl;
  sqlite3_close(s->db);
  free(s);
}
static mimi_err sq_begin(void *impl) { return exec(impl, "BEGIN IMMEDIATE"); }
static mimi_err sq_commit(void *impl) { return exec(impl, "COMMIT"); }
static void sq_rollback(void *impl) { (void)exec(impl, "ROLLBACK"); }

/* Operations touching several rows run in a savepoint, which nests inside a
 * caller's transaction. */
static mimi_err sp_begin(sq_store *s) { return exec(s, "SAVEPOINT op"); }
static mimi_err sp_end(sq_store *s, mimi_err err) {
  if (err == MIMI_OK) return exec(s, "RELEASE op");
  (void)exec(s, "ROLLBACK TO op");
  (void)exec(s, "RELEASE op");
  return err;
}

/* ---- users and clients ----------------------------------------------------- */

static mimi_err sq_user_add(void *impl, const char *uri, int64_t *id) {
  sq_store *s = impl;
  sqlite3_stmt *st;
  MIMI_TRY(prepare(s, "INSERT INTO users(uri) VALUES(?)", &st));
  sqlite3_bind_text(st, 1, uri, -1, SQLITE_TRANSIENT);
  MIMI_TRY(run(st));
  *id = sqlite3_last_insert_rowid(s->db);
  return MIMI_OK;
}

static mimi_err sq_user_find(void *impl, const char *uri, int64_t *id) {
  sq_store *s = impl;
  sqlite3_stmt *st;
  MIMI_TRY(prepare(s, "SELECT id FROM users WHERE uri = ? AND deleted = 0", &st));
  sqlite3_bind_text(st, 1, uri, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(st);
  mimi_err err = rc == SQLITE_ROW ? MIMI_OK : rc == SQLITE_DONE ? MIMI_ERR_NOT_FOUND
                                                                : MIMI_ERR_STORE;
  if (err == MIMI_OK) *id = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return err;
}

static mimi_err sq_client_add(void *impl, int64_t user_id, const char *uri,
                              const mimi_bytes *sig_key,
                              const uint8_t token_hash[MIMI_TOKEN_HASH_LEN], int64_t *id) {
  sq_store *s = impl;
  sqlite3_stmt *st;
  MIMI_TRY(prepare(s,
                   "INSERT INTO clients(user_id, uri, signature_key, token_hash)"
                   " VALUES(?, ?, ?, ?)",
                   &st));
  sqlite3_bind_int64(st, 1, user_id);
  sqlite3_bind_text(st, 2, uri, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob(st, 3, sig_key->data, (int)sig_key->len, SQLITE_TRANSIENT);
  sqlite3_bind_blob(st, 4, token_hash, MIMI_TOKEN_HASH_LEN, SQLITE_TRANSIENT);
  MIMI_TRY(run(st));
  *id = sqlite3_last_insert_rowid(s->db);
  return MIMI_OK;
}

static mimi_err blob_col(sqlite3_stmt *st, int col, mimi_bytes *out) {
  const void *p = sqlite3_column_blob(st, col);
  int n = sqlite3_column_bytes(st, col);
  return mimi_bytes_copy(out, p, (size_t)n);
}

static mimi_err read_client(sqlite3_stmt *st, mimi_store_client *c) {
  memset(c, 0, sizeof *c);
  c->id = sqlite3_column_int64(st, 0);
  c->user_id = sqlite3_column_int64(st, 1);
  const char *uri = (const char *)sqlite3_column_text(st, 2);
  c->uri = strdup(uri ? uri : "");
  if (c->uri == NULL || blob_col(st, 3, &c->signature_key) != MIMI_OK) {
    mimi_store_client_free(c);
    return MIMI_ERR_NOMEM;
  }
  return MIMI_OK;
}

static mimi_err sq_client_by_token(void *impl, const uint8_t hash[MIMI_TOKEN_HASH_LEN],
                                   mimi_store_client *out) {
  sq_store *s = impl;
  sqlite3_stmt *st;
  MIMI_TRY(prepare(s,
                   "SELECT c.id, c.user_id, c.uri, c.signature_key FROM clients c"
                   " JOIN users u ON u.id = c.user_id"
                   " WHERE c.token_hash = ? AND u.deleted = 0",
                   &st));
  sqlite3_bind_blob(st, 1, hash, MIMI_TOKEN_HASH_LEN, SQLITE_TRANSIENT);
  int rc = sqlite3_step(st);
  mimi_err err = rc == SQLITE_ROW ? read_client(st, out)
                 : rc == SQLITE_DONE ? MIMI_ERR_NOT_FOUND
                                     : MIMI_ERR_STORE;
  sqlite3_finalize(st);
  return err;
}

/* Collects the rows of st through read(), growing an array of `size`. */
static mimi_err collect(sqlite3_stmt *st, size_t size, mimi_err (*read)(sqlite3_stmt *, void *),
                        void (*free_all)(void *, size_t), void **out, size_t *n) {
  uint8_t *arr = NULL;
  size_t count = 0, cap = 0;
  mimi_err err = MIMI_OK;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    if (count == cap) {
      cap = cap ? 2 * cap : 4;
      uint8_t *na = realloc(arr, cap * size);
      if (na == NULL) {
        err = MIMI_ERR_NOMEM;
        break;
      }
      arr = na;
    }
    if ((err = read(st, arr + count * size)) != MIMI_OK) break;
    count++;
  }
  if (err == MIMI_OK && rc != SQLITE_DONE) err = MIMI_ERR_STORE;
  sqlite3_finalize(st);
  if (err != MIMI_OK) {
    free_all(arr, count);
    return err;
  }
  *out = arr;
  *n = count;
  return MIMI_OK;
}

static mimi_err read_client_v(sqlite3_stmt *st, void *c) { return read_client(st, c); }
static void free_clients_v(void *c, size_t n) { mimi_store_clients_free(c, n); }

static mimi_err sq_clients_of_user(void *impl, int64_t user_id, mimi_store_client **out,
                                   size_t *n) {
  sq_store *s = impl;
  sqlite3_stmt *st;
  MIMI_TRY(prepare(s,
                   "SELECT id, user_id, uri, signature_key FROM clients WHERE user_id = ?"
                   " ORDER BY id",
                   &st));
  sqlite3_bind_int64(st, 1, user_id);
  return collect(st, sizeof **out, read_client_v, free_clients_v, (void **)out, n);
}

/* ---- KeyPackages ---------------------------------------------------------- */

static mimi_err sq_kp_add(void *impl, int64_t client_id, uint16_t suite, uint64_t not_after,
                          bool last_resort, const mimi_bytes *kp) {
  sq_store *s = impl;
  sqlite3_stmt *st;
  MIMI_TRY(prepare(s,
                   "INSERT INTO key_packages(client_id, suite, not_after, last_resort, data)"
                   " VALUES(?, ?, ?, ?, ?)",
                   &st));
  sqlite3_bind_int64(st, 1, client_id);
  sqlite3_bind_int(st, 2, suite);
  /* SQLite integers are signed 64-bit; "never expires" saturates. */
  sqlite3_bind_int64(st, 3, not_after > INT64_MAX ? INT64_MAX : (int64_t)not_after);
  sqlite3_bind_int(st, 4, last_resort ? 1 : 0);
  sqlite3_bind_blob(st, 5, kp->data, (int)kp->len, SQLITE_TRANSIENT);
  return run(st);
}

static mimi_err read_kp(sqlite3_stmt *st, void *v) {
  mimi_store_key_package *k = v;
  memset(k, 0, sizeof *k);
  k->id = sqlite3_column_int64(st, 0);
  k->suite = (uint16_t)sqlite3_column_int(st, 1);
  k->not_after = (uint64_t)sqlite3_column_int64(st, 2);
  k->last_resort = sqlite3_column_int(st, 3) != 0;
  return blob_col(st, 4, &k->key_package);
}
static void free_kps_v(void *k, size_t n) { mimi_store_key_packages_free(k, n); }

static mimi_err sq_kps_of_client(void *impl, int64_t client_id, mimi_store_key_package **out,
                                 size_t *n) {
  sq_store *s = impl;
  sqlite3_stmt *st;
  MIMI_TRY(prepare(s,
                   "SELECT id, suite, not_after, last_resort, data FROM key_packages"
                   " WHERE client_id = ? ORDER BY last_resort, id",
                   &st));
  sqlite3_bind_int64(st, 1, client_id);
  return collect(st, sizeof **out, read_kp, free_kps_v, (void **)out, n);
}

static mimi_err claim_steps(sq_store *s, int64_t kp_id, const uint8_t *ref, size_t ref_len,
                            const char *requester, uint64_t now) {
  sqlite3_stmt *st;
  MIMI_TRY(prepare(s,
                   "INSERT OR REPLACE INTO key_package_claims(ref, client_id, requester,"
                   " claimed_at) SELECT ?, client_id, ?, ? FROM key_packages WHERE id = ?",
                   &st));
  sqlite3_bind_blob(st, 1, ref, (int)ref_len, SQLITE_TRANSIENT);
  sqlite3_bind_text(st, 2, requester, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 3, now > INT64_MAX ? INT64_MAX : (int64_t)now);
  sqlite3_bind_int64(st, 4, kp_id);
  MIMI_TRY(run(st));
  if (sqlite3_changes(s->db) != 1) return MIMI_ERR_NOT_FOUND;
  MIMI_TRY(prepare(s, "DELETE FROM key_packages WHERE id = ? AND last_resort = 0", &st));
  sqlite3_bind_int64(st, 1, kp_id);
  return run(st);
}

static mimi_err sq_kp_claim(void *impl, int64_t kp_id, const uint8_t *ref, size_t ref_len,
                            const char *requester, uint64_t now) {
  sq_store *s = impl;
  MIMI_TRY(sp_begin(s));
  return sp_end(s, claim_steps(s, kp_id, ref, ref_len, requester, now));
}

/* ---- inbox ------------------------------------------------------------------ */

static mimi_err sq_inbox_push(void *impl, int64_t client_id, const mimi_bytes *m,
                              uint64_t *seq) {
  sq_store *s = impl;
  sqlite3_stmt *st;
  MIMI_TRY(prepare(s, "INSERT INTO inbox(client_id, message) VALUES(?, ?)", &st));
  sqlite3_bind_int64(st, 1, client_id);
  sqlite3_bind_blob(st, 2, m->data, (int)m->len, SQLITE_TRANSIENT);
  MIMI_TRY(run(st));
  *seq = (uint64_t)sqlite3_last_insert_rowid(s->db);
  return MIMI_OK;
}

static mimi_err read_entry(sqlite3_stmt *st, void *v) {
  mimi_store_inbox_entry *e = v;
  memset(e, 0, sizeof *e);
  e->seq = (uint64_t)sqlite3_column_int64(st, 0);
  return blob_col(st, 1, &e->message);
}
static void free_entries_v(void *e, size_t n) { mimi_store_inbox_free(e, n); }

static mimi_err sq_inbox_fetch(void *impl, int64_t client_id, uint64_t after, size_t max,
                               mimi_store_inbox_entry **out, size_t *n) {
  sq_store *s = impl;
  sqlite3_stmt *st;
  MIMI_TRY(prepare(s,
                   "SELECT seq, message FROM inbox WHERE client_id = ? AND seq > ?"
                   " ORDER BY seq LIMIT ?",
                   &st));
  sqlite3_bind_int64(st, 1, client_id);
  sqlite3_bind_int64(st, 2, after > INT64_MAX ? INT64_MAX : (int64_t)after);
  sqlite3_bind_int64(st, 3, max > INT64_MAX ? INT64_MAX : (int64_t)max);
  return collect(st, sizeof **out, read_entry, free_entries_v, (void **)out, n);
}

static mimi_err sq_inbox_ack(void *impl, int64_t client_id, uint64_t upto) {
  sq_store *s = impl;
  sqlite3_stmt *st;
  MIMI_TRY(prepare(s, "DELETE FROM inbox WHERE client_id = ? AND seq <= ?", &st));
  sqlite3_bind_int64(st, 1, client_id);
  sqlite3_bind_int64(st, 2, upto > INT64_MAX ? INT64_MAX : (int64_t)upto);
  return run(st);
}

/* ---- clients by URI / by claimed KeyPackage --------------------------------- */

static mimi_err one_client(sqlite3_stmt *st, mimi_store_client *out) {
  int rc = sqlite3_step(st);
  mimi_err err = rc == SQLITE_ROW ? read_client(st, out)
                 : rc == SQLITE_DONE ? MIMI_ERR_NOT_FOUND
                                     : MIMI_ERR_STORE;
  sqlite3_finalize(st);
  return err;
}

static mimi_err sq_client_by_uri(void *impl, const char *uri, mimi_store_client *out) {
  sqlite3_stmt *st;
  MIMI_TRY(prepare(impl,
                   "SELECT c.id, c.user_id, c.uri, c.signature_key FROM clients c"
                   " JOIN users u ON u.id = c.user_id WHERE c.uri = ? AND u.deleted = 0",
                   &st));
  sqlite3_bind_text(st, 1, uri, -1, SQLITE_TRANSIENT);
  return one_client(st, out);
}

static mimi_err sq_client_by_claim(void *impl, const uint8_t *ref, size_t ref_len,
                                   mimi_store_client *out) {
  sqlite3_stmt *st;
  MIMI_TRY(prepare(impl,
                   "SELECT c.id, c.user_id, c.uri, c.signature_key FROM key_package_claims k"
                   " JOIN clients c ON c.id = k.client_id JOIN users u ON u.id = c.user_id"
                   " WHERE k.ref = ? AND u.deleted = 0",
                   &st));
  sqlite3_bind_blob(st, 1, ref, (int)ref_len, SQLITE_TRANSIENT);
  return one_client(st, out);
}

/* ---- rooms and outbox ---------------------------------------------------------- */

static int64_t clamp64(uint64_t v) { return v > INT64_MAX ? INT64_MAX : (int64_t)v; }

static mimi_err sq_room_add(void *impl, const char *room_uri, const mimi_bytes *group_id,
                            uint64_t epoch, const mimi_bytes *state, int64_t *id) {
  sq_store *s = impl;
  sqlite3_stmt *st;
  MIMI_TRY(prepare(s,
                   "INSERT INTO rooms(room_uri, group_id, epoch, public_state) VALUES(?, ?, ?, ?)",
                   &st));
  sqlite3_bind_text(st, 1, room_uri, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob(st, 2, group_id->data, (int)group_id->len, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 3, clamp64(epoch));
  sqlite3_bind_blob(st, 4, state->data, (int)state->len, SQLITE_TRANSIENT);
  MIMI_TRY(run(st));
  *id = sqlite3_last_insert_rowid(s->db);
  return MIMI_OK;
}

static mimi_err sq_room_get(void *impl, const char *room_uri, mimi_store_room *out) {
  sqlite3_stmt *st;
  MIMI_TRY(prepare(impl, "SELECT id, epoch, public_state FROM rooms WHERE room_uri = ?", &st));
  sqlite3_bind_text(st, 1, room_uri, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(st);
  mimi_err err = rc == SQLITE_ROW ? MIMI_OK : rc == SQLITE_DONE ? MIMI_ERR_NOT_FOUND
                                                                : MIMI_ERR_STORE;
  mimi_store_room r = {0};
  if (err == MIMI_OK) {
    r.id = sqlite3_column_int64(st, 0);
    r.epoch = (uint64_t)sqlite3_column_int64(st, 1);
    err = blob_col(st, 2, &r.state);
  }
  sqlite3_finalize(st);
  if (err == MIMI_OK) *out = r;
  return err;
}

static mimi_err sq_room_update(void *impl, int64_t id, uint64_t old_epoch, uint64_t new_epoch,
                               const mimi_bytes *state) {
  sq_store *s = impl;
  sqlite3_stmt *st;
  MIMI_TRY(prepare(s, "UPDATE rooms SET epoch = ?, public_state = ? WHERE id = ? AND epoch = ?",
                   &st));
  sqlite3_bind_int64(st, 1, clamp64(new_epoch));
  sqlite3_bind_blob(st, 2, state->data, (int)state->len, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 3, id);
  sqlite3_bind_int64(st, 4, clamp64(old_epoch));
  MIMI_TRY(run(st));
  return sqlite3_changes(s->db) == 1 ? MIMI_OK : MIMI_ERR_STORE_CONFLICT;
}

static mimi_err sq_outbox_add(void *impl, int64_t room_id, const char *target_domain,
                              const mimi_bytes *body) {
  sqlite3_stmt *st;
  MIMI_TRY(prepare(impl, "INSERT INTO outbox(room_id, target_domain, body) VALUES(?, ?, ?)",
                   &st));
  sqlite3_bind_int64(st, 1, room_id);
  sqlite3_bind_text(st, 2, target_domain, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob(st, 3, body->data, (int)body->len, SQLITE_TRANSIENT);
  return run(st);
}

static mimi_err read_outbox(sqlite3_stmt *st, void *v) {
  mimi_store_outbox_row *r = v;
  memset(r, 0, sizeof *r);
  r->id = sqlite3_column_int64(st, 0);
  const char *room = (const char *)sqlite3_column_text(st, 1);
  const char *dom = (const char *)sqlite3_column_text(st, 2);
  r->attempts = (uint32_t)sqlite3_column_int(st, 3);
  r->room_uri = strdup(room ? room : "");
  r->target_domain = strdup(dom ? dom : "");
  if (r->room_uri == NULL || r->target_domain == NULL || blob_col(st, 4, &r->body) != MIMI_OK) {
    free(r->room_uri);
    free(r->target_domain);
    return MIMI_ERR_NOMEM;
  }
  return MIMI_OK;
}
static void free_outbox_v(void *r, size_t n) { mimi_store_outbox_free(r, n); }

static mimi_err sq_outbox_due(void *impl, uint64_t now, size_t max,
                              mimi_store_outbox_row **out, size_t *n) {
  sqlite3_stmt *st;
  MIMI_TRY(prepare(impl,
                   "SELECT o.id, r.room_uri, o.target_domain, o.attempts, o.body FROM outbox o"
                   " JOIN rooms r ON r.id = o.room_id WHERE o.next_attempt <= ?1"
                   " AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.target_domain ="
                   " o.target_domain AND e.id < o.id AND e.next_attempt > ?1)"
                   " ORDER BY o.id LIMIT ?2",
                   &st));
  sqlite3_bind_int64(st, 1, clamp64(now));
  sqlite3_bind_int64(st, 2, clamp64(max));
  return collect(st, sizeof **out, read_outbox, free_outbox_v, (void **)out, n);
}

static mimi_err sq_outbox_done(void *impl, int64_t id) {
  sqlite3_stmt *st;
  MIMI_TRY(prepare(impl, "DELETE FROM outbox WHERE id = ?", &st));
  sqlite3_bind_int64(st, 1, id);
  return run(st);
}

static mimi_err sq_outbox_retry(void *impl, int64_t id, uint64_t next_attempt) {
  sqlite3_stmt *st;
  MIMI_TRY(prepare(impl,
                   "UPDATE outbox SET attempts = attempts + 1, next_attempt = ? WHERE id = ?",
                   &st));
  sqlite3_bind_int64(st, 1, clamp64(next_attempt));
  sqlite3_bind_int64(st, 2, id);
  return run(st);
}

static mimi_err sq_room_client_add(void *impl, const char *room_uri, int64_t client_id) {
  sqlite3_stmt *st;
  MIMI_TRY(prepare(impl, "INSERT OR IGNORE INTO room_clients(room_uri, client_id) VALUES(?, ?)",
                   &st));
  sqlite3_bind_text(st, 1, room_uri, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(st, 2, client_id);
  return run(st);
}

static mimi_err read_id(sqlite3_stmt *st, void *v) {
  *(int64_t *)v = sqlite3_column_int64(st, 0);
  return MIMI_OK;
}
static void free_ids_v(void *v, size_t n) {
  (void)n;
  free(v);
}

static mimi_err sq_room_clients(void *impl, const char *room_uri, int64_t **ids, size_t *n) {
  sqlite3_stmt *st;
  MIMI_TRY(prepare(impl, "SELECT client_id FROM room_clients WHERE room_uri = ? ORDER BY client_id",
                   &st));
  sqlite3_bind_text(st, 1, room_uri, -1, SQLITE_TRANSIENT);
  return collect(st, sizeof **ids, read_id, free_ids_v, (void **)ids, n);
}

static const mimi_store_ops sq_ops = {
    .close = sq_close,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .user_add = sq_user_add,
    .user_find = sq_user_find,
    .client_add = sq_client_add,
    .client_by_token = sq_client_by_token,
    .clients_of_user = sq_clients_of_user,
    .key_package_add = sq_kp_add,
    .key_packages_of_client = sq_kps_of_client,
    .key_package_claim = sq_kp_claim,
    .inbox_push = sq_inbox_push,
    .inbox_fetch = sq_inbox_fetch,
    .inbox_ack = sq_inbox_ack,
    .client_by_uri = sq_client_by_uri,
    .client_by_claim = sq_client_by_claim,
    .room_add = sq_room_add,
    .room_get = sq_room_get,
    .room_update = sq_room_update,
    .outbox_add = sq_outbox_add,
    .outbox_due = sq_outbox_due,
    .outbox_done = sq_outbox_done,
    .outbox_retry = sq_outbox_retry,
    .room_client_add = sq_room_client_add,
    .room_clients = sq_room_clients,
};

mimi_err mimi_store_open_sqlite(const char *path, mimi_store *out) {
  if (path == NULL || out == NULL) return MIMI_ERR_INVALID_ARG;
  sq_store *s = calloc(1, sizeof *s);
  if (s == NULL) return MIMI_ERR_NOMEM;
  int rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  mimi_err err = rc == SQLITE_OK ? MIMI_OK : MIMI_ERR_STORE;
  if (err == MIMI_OK) sqlite3_busy_timeout(s->db, 5000);
  if (err == MIMI_OK) err = exec(s, "PRAGMA foreign_keys = ON");
  if (err == MIMI_OK) err = migrate(s);
  if (err != MIMI_OK) {
    sqlite3_close(s->db);
    free(s);
    return err;
  }
  out->ops = &sq_ops;
  out->impl = s;
  return MIMI_OK;
}

mimi_err mimi_store_sqlite_version(const mimi_store *st, int *version) {
  if (st == NULL || st->ops != &sq_ops || version == NULL) return MIMI_ERR_INVALID_ARG;
  int v = user_version(st->impl);
  if (v < 0) return MIMI_ERR_STORE;
  *version = v;
  return MIMI_OK;
}
