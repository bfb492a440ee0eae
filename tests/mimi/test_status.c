/* test_status.c — message status reports (draft-mahy-mimi-message-status-01):
 * the upstream example decodes to the values its diagnostic notation states
 * and re-encodes byte for byte; malformed reports fail with exact codes and
 * leave the output untouched; the aggregation rule of mimi/status.h, also
 * against a naive model over random report sequences. */
#include <stdlib.h>

#include "harness.h"
#include "mimi/status.h"


static int hexv(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/* The (message ID, status) pairs of status.edn: each h'…' string (hex,
 * whitespace allowed) followed by ",", a number. */
static size_t parse_edn(const char *edn, mimi_status_entry *out, size_t max) {
  size_t n = 0;
  for (const char *p = strstr(edn, "h'"); p && n < max; p = strstr(p, "h'")) {
    p += 2;
    size_t k = 0;
    int hi = -1;
    for (; *p && *p != '\''; p++) {
      int v = hexv(*p);
      if (v < 0) continue; /* whitespace and line breaks inside the literal */
      if (hi < 0) {
        hi = v;
      } else {
        if (k < MIMI_MESSAGE_ID_LEN) out[n].message_id[k] = (uint8_t)(hi << 4 | v);
        k++;
        hi = -1;
      }
    }
    if (k != MIMI_MESSAGE_ID_LEN) abort();
    p++;
    while (*p == ',' || *p == ' ' || *p == '\n') p++;
    out[n].status = (uint8_t)strtoul(p, NULL, 10);
    n++;
  }
  return n;
}

static void test_example(void) {
  size_t cbor_len, edn_len;
  uint8_t *cbor = (uint8_t *)mimi_vec_read("mimi-message-status/status.cbor", &cbor_len);
  char *edn = mimi_vec_read("mimi-message-status/status.edn", &edn_len);
  mimi_status_entry want[8];
  size_t n = parse_edn(edn, want, 8);
  CHECK(n == 4);
  /* §4 names them: Original read, Reply read, Mention unread, Expiring expired */
  CHECK(want[0].status == MIMI_STATUS_READ && want[1].status == MIMI_STATUS_READ &&
        want[2].status == MIMI_STATUS_UNREAD && want[3].status == MIMI_STATUS_EXPIRED);
  CHECK(want[0].message_id[0] == 0x01 && want[0].message_id[1] == 0x7c &&
        want[3].message_id[31] == 0x03);

  mimi_status_report r;
  CHECK_OK(mimi_status_report_decode(cbor, cbor_len, &r));
  CHECK(r.count == n);
  for (size_t i = 0; i < n && i < r.count; i++) {
    CHECK_MEM(r.entries[i].message_id, MIMI_MESSAGE_ID_LEN, want[i].message_id,
              MIMI_MESSAGE_ID_LEN);
    CHECK(r.entries[i].status == want[i].status);
    mimi_test_case();
  }
  mimi_bytes enc;
  CHECK_OK(mimi_status_report_encode(&r, &enc));
  CHECK_MEM(enc.data, enc.len, cbor, cbor_len);
  mimi_bytes_free(&enc);

  /* and the report built from the edn values encodes to the same bytes */
  mimi_status_report built = {want, n};
  CHECK_OK(mimi_status_report_encode(&built, &enc));
  CHECK_MEM(enc.data, enc.len, cbor, cbor_len);
  mimi_bytes_free(&enc);
  mimi_status_report_free(&r);
  CHECK(r.entries == NULL && r.count == 0);
  mimi_test_case();

  /* every proper prefix is truncated */
  for (size_t k = 0; k < cbor_len; k++) {
    mimi_status_report t = {(mimi_status_entry *)&t, 77};
    CHECK_ERR(mimi_status_report_decode(cbor, k, &t), MIMI_ERR_TRUNCATED);
    CHECK(t.entries == (mimi_status_entry *)&t && t.count == 77);
  }
  mimi_test_case();
  free(cbor);
  free(edn);
}

static void test_encode_forms(void) {
  /* hand-assembled per RFC 8949 §4.2.1: shortest heads */
  mimi_status_entry e[2];
  memset(e, 0, sizeof e);
  e[0].message_id[0] = 0xaa;
  e[0].status = 23;
  e[1].message_id[31] = 0xbb;
  e[1].status = 255;
  mimi_status_report r = {e, 2};
  mimi_bytes enc, want;
  CHECK_OK(mimi_status_report_encode(&r, &enc));
#define Z8 "0000000000000000"
#define Z7 "00000000000000"
  CHECK_OK(mimi_bytes_from_hex(&want, "82"
                                      "82" "5820" "aa" Z8 Z8 Z8 Z7 "17"
                                      "82" "5820" Z8 Z8 Z8 Z7 "bb" "18ff"));
  CHECK_BYTES(enc, want);
  mimi_status_report back;
  CHECK_OK(mimi_status_report_decode(enc.data, enc.len, &back));
  CHECK(back.count == 2 && back.entries[1].status == 255);
  CHECK(strcmp(mimi_status_name(back.entries[1].status), "unknown") == 0);
  mimi_status_report_free(&back);
  mimi_bytes_free(&enc);
  mimi_bytes_free(&want);

  mimi_status_report empty = {NULL, 0};
  CHECK_OK(mimi_status_report_encode(&empty, &enc));
  CHECK(enc.len == 1 && enc.data[0] == 0x80);
  CHECK_OK(mimi_status_report_decode(enc.data, enc.len, &back));
  CHECK(back.count == 0);
  mimi_status_report_free(&back);
  mimi_bytes_free(&enc);

  static const char *const names[] = {"unread", "delivered", "read",  "expired",
                                      "deleted", "hidden",   "error", "unknown"};
  for (unsigned s = 0; s < 8; s++) CHECK(strcmp(mimi_status_name((uint8_t)s), names[s]) == 0);
  CHECK_ERR(mimi_status_report_encode(NULL, &enc), MIMI_ERR_INVALID_ARG);
  mimi_status_report bad = {NULL, 1};
  CHECK_ERR(mimi_status_report_encode(&bad, &enc), MIMI_ERR_INVALID_ARG);
  mimi_test_case();
}

#define ID32 "5820" "0102030405060708091011121314151617181920212223242526272829303132"

static void test_bad_reports(void) {
  static const struct {
    const char *hex;
    mimi_err err;
    const char *why;
  } cases[] = {
      {"", MIMI_ERR_TRUNCATED, "empty"},
      {"a0", MIMI_ERR_CBOR_TYPE, "map, not array"},
      {"40", MIMI_ERR_CBOR_TYPE, "byte string, not array"},
      {"f6", MIMI_ERR_CBOR_TYPE, "null"},
      {"9f82" ID32 "02ff", MIMI_ERR_CBOR_INDEFINITE, "indefinite report"},
      {"819f" ID32 "02ff", MIMI_ERR_CBOR_INDEFINITE, "indefinite entry"},
      {"81825f" ID32 "ff02", MIMI_ERR_CBOR_INDEFINITE, "indefinite message ID"},
      {"8101", MIMI_ERR_CBOR_TYPE, "entry not an array"},
      {"8183" ID32 "0200", MIMI_ERR_BAD_CONTENT, "entry of 3"},
      {"8181" ID32, MIMI_ERR_BAD_CONTENT, "entry of 1"},
      {"8180", MIMI_ERR_BAD_CONTENT, "entry of 0"},
      {"81827820"
       "0102030405060708091011121314151617181920212223242526272829303132"
       "02",
       MIMI_ERR_CBOR_TYPE, "message ID as text"},
      {"8182581f"
       "01020304050607080910111213141516171819202122232425262728293031"
       "02",
       MIMI_ERR_BAD_CONTENT, "31-octet message ID"},
      {"81825821"
       "010203040506070809101112131415161718192021222324252627282930313233"
       "02",
       MIMI_ERR_BAD_CONTENT, "33-octet message ID"},
      {"818240" "02", MIMI_ERR_BAD_CONTENT, "empty message ID"},
      {"818202" ID32, MIMI_ERR_CBOR_TYPE, "fields swapped"},
      {"8182" ID32 "20", MIMI_ERR_CBOR_TYPE, "negative status"},
      {"8182" ID32 "6472656164", MIMI_ERR_CBOR_TYPE, "status as text"},
      {"8182" ID32 "f6", MIMI_ERR_CBOR_TYPE, "null status"},
      {"8182" ID32 "f5", MIMI_ERR_CBOR_TYPE, "true status"},
      {"8182" ID32 "f94000", MIMI_ERR_CBOR_TYPE, "float status"},
      {"8182" ID32 "c202", MIMI_ERR_CBOR_TYPE, "tagged status"},
      {"8182" ID32 "190100", MIMI_ERR_BAD_CONTENT, "status 256"},
      {"8182" ID32 "1bffffffffffffffff", MIMI_ERR_BAD_CONTENT, "status 2^64-1"},
      {"8182" ID32 "1802", MIMI_ERR_CBOR_NON_CANONICAL, "status 2 in two bytes"},
      {"8182" ID32 "190007", MIMI_ERR_CBOR_NON_CANONICAL, "status 7 in three bytes"},
      {"980182" ID32 "02", MIMI_ERR_CBOR_NON_CANONICAL, "report length in two bytes"},
      {"81980282" ID32 "02", MIMI_ERR_CBOR_NON_CANONICAL, "entry length in two bytes"},
      {"818259" "0020" "0102030405060708091011121314151617181920212223242526272829303132" "02",
       MIMI_ERR_CBOR_NON_CANONICAL, "message ID length in three bytes"},
      {"8182" ID32 "1c", MIMI_ERR_CBOR, "reserved additional info"},
      {"8182" ID32 "ff", MIMI_ERR_CBOR, "stray break as status"},
      {"8182" ID32 "02" "00", MIMI_ERR_TRAILING_DATA, "trailing byte"},
      {"80" "80", MIMI_ERR_TRAILING_DATA, "two reports"},
      {"9bffffffffffffffff" "82" ID32 "02", MIMI_ERR_TRUNCATED, "2^64-1 entries claimed"},
      {"8282" ID32 "02", MIMI_ERR_TRUNCATED, "second entry missing"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    mimi_bytes in;
    CHECK_OK(mimi_bytes_from_hex(&in, cases[i].hex));
    mimi_status_report r = {(mimi_status_entry *)&in, 99};
    mimi_err e = mimi_status_report_decode(in.data, in.len, &r);
    CHECK_ERR(e, cases[i].err);
    if (e != cases[i].err) fprintf(stderr, "  case: %s\n", cases[i].why);
    if (e == MIMI_OK) mimi_status_report_free(&r);
    else CHECK(r.entries == (mimi_status_entry *)&in && r.count == 99);
    mimi_bytes_free(&in);
    mimi_test_case();
  }
  /* statuses 7..255 are unknownStatus, not errors */
  mimi_bytes in;
  CHECK_OK(mimi_bytes_from_hex(&in, "8282" ID32 "0782" ID32 "18c8"));
  mimi_status_report r;
  CHECK_OK(mimi_status_report_decode(in.data, in.len, &r));
  CHECK(r.count == 2 && r.entries[0].status == 7 && r.entries[1].status == 200);
  mimi_status_report_free(&r);
  mimi_bytes_free(&in);
  CHECK_ERR(mimi_status_report_decode(NULL, 3, &r), MIMI_ERR_INVALID_ARG);
}

/* ---- aggregation --------------------------------------------------------- */

static const char *BOB = "mimi://example.com/u/bob-jones";
static const char *ALICE = "mimi://example.com/u/alice-smith";

static void id_of(uint8_t id[MIMI_MESSAGE_ID_LEN], unsigned n) {
  memset(id, 0, MIMI_MESSAGE_ID_LEN);
  id[0] = (uint8_t)(n >> 8);
  id[31] = (uint8_t)n;
}

static mimi_err apply1(mimi_status_agg *a, const char *who, uint64_t ts, unsigned msg,
                       uint8_t status) {
  mimi_status_entry e;
  id_of(e.message_id, msg);
  e.status = status;
  mimi_status_report r = {&e, 1};
  return mimi_status_agg_apply(a, who, strlen(who), ts, &r);
}

static uint8_t status_of(mimi_status_agg *a, const char *who, unsigned msg) {
  uint8_t id[MIMI_MESSAGE_ID_LEN], s = 0xee;
  id_of(id, msg);
  mimi_err e = mimi_status_agg_get(a, id, who, strlen(who), &s);
  return e == MIMI_OK ? s : 0xee;
}

static void test_agg_example(void) {
  size_t len;
  uint8_t *cbor = (uint8_t *)mimi_vec_read("mimi-message-status/status.cbor", &len);
  mimi_status_report r;
  CHECK_OK(mimi_status_report_decode(cbor, len, &r));
  mimi_status_agg *a;
  CHECK_OK(mimi_status_agg_new(&a));
  CHECK_OK(mimi_status_agg_apply(a, BOB, strlen(BOB), 1000, &r));

  mimi_status_summary s;
  CHECK_OK(mimi_status_agg_summary(a, r.entries[0].message_id, &s)); /* original: read */
  CHECK(s.recipients == 1 && s.delivered == 1 && s.read == 1 && s.by_status[2] == 1);
  CHECK_OK(mimi_status_agg_summary(a, r.entries[2].message_id, &s)); /* mention: unread */
  CHECK(s.recipients == 1 && s.delivered == 1 && s.read == 0 && s.by_status[0] == 1);
  CHECK_OK(mimi_status_agg_summary(a, r.entries[3].message_id, &s)); /* expiring */
  CHECK(s.recipients == 1 && s.delivered == 0 && s.read == 0 && s.by_status[3] == 1);

  /* Alice's client reports delivery of the original */
  mimi_status_entry e = r.entries[0];
  e.status = MIMI_STATUS_DELIVERED;
  mimi_status_report one = {&e, 1};
  const char *alice_dev = "mimi://example.com/d/alice-smith/laptop";
  CHECK_OK(mimi_status_agg_apply(a, alice_dev, strlen(alice_dev), 900, &one));
  CHECK_OK(mimi_status_agg_summary(a, r.entries[0].message_id, &s));
  CHECK(s.recipients == 2 && s.delivered == 2 && s.read == 1 && s.by_status[1] == 1);
  uint8_t st;
  CHECK_OK(mimi_status_agg_get(a, r.entries[0].message_id, ALICE, strlen(ALICE), &st));
  CHECK(st == MIMI_STATUS_DELIVERED); /* the device counted as its user */
  const char *bob_odd = "MIMI://Example.COM/u/bob%2Djones";
  CHECK_OK(mimi_status_agg_get(a, r.entries[1].message_id, bob_odd, strlen(bob_odd), &st));
  CHECK(st == MIMI_STATUS_READ);

  /* lookups that find nothing, and a bad reporter that changes nothing */
  uint8_t other[MIMI_MESSAGE_ID_LEN] = {9};
  memset(&s, 0x77, sizeof s);
  CHECK_ERR(mimi_status_agg_summary(a, other, &s), MIMI_ERR_NOT_FOUND);
  CHECK(s.recipients == 0x7777777777777777ull);
  st = 0x55;
  CHECK_ERR(mimi_status_agg_get(a, r.entries[1].message_id, ALICE, strlen(ALICE), &st),
            MIMI_ERR_NOT_FOUND);
  const char *carol = "mimi://example.com/u/carol";
  CHECK_ERR(mimi_status_agg_get(a, r.entries[1].message_id, carol, strlen(carol), &st),
            MIMI_ERR_NOT_FOUND);
  CHECK(st == 0x55);
  const char *bad = "mimi://example.com/u/bob?x";
  CHECK_ERR(mimi_status_agg_apply(a, bad, strlen(bad), 2000, &r), MIMI_ERR_BAD_URI);
  CHECK_ERR(mimi_status_agg_get(a, r.entries[1].message_id, bad, strlen(bad), &st),
            MIMI_ERR_BAD_URI);
  CHECK_OK(mimi_status_agg_summary(a, r.entries[0].message_id, &s));
  CHECK(s.recipients == 2 && s.read == 1);
  CHECK_ERR(mimi_status_agg_apply(a, BOB, strlen(BOB), 1, NULL), MIMI_ERR_INVALID_ARG);

  mimi_status_agg_free(a);
  mimi_status_report_free(&r);
  free(cbor);
  mimi_test_case();
}

typedef struct {
  const char *name;
  uint8_t s1;
  uint64_t t1;
  uint8_t s2;
  uint64_t t2;
  uint8_t want;
} rule_case;

enum { U = 0, DV = 1, RD = 2, EX = 3, DL = 4, HD = 5, ER = 6 };

static void test_agg_rules(void) {
  static const rule_case rules[] = {
      {"delivered then read", DV, 1, RD, 2, RD},
      {"late delivered does not undo read", RD, 1, DV, 2, RD},
      {"older read still beats delivered", DV, 2, RD, 1, RD},
      {"read then marked unread", RD, 1, U, 2, U},
      {"older unread loses to newer read", RD, 2, U, 1, RD},
      {"equal time: applied later wins", RD, 5, U, 5, U},
      {"read then hidden", RD, 1, HD, 2, HD},
      {"hidden then read again", HD, 1, RD, 2, RD},
      {"deleted is final", DL, 1, RD, 2, DL},
      {"deleted is final for expired too", DL, 1, EX, 2, DL},
      {"deletion wins even if older", RD, 2, DL, 1, DL},
      {"expired stays", EX, 1, RD, 2, EX},
      {"expired then deleted", EX, 1, DL, 2, DL},
      {"expiry wins even if older", RD, 2, EX, 1, EX},
      {"error then delivered", ER, 1, DV, 2, DV},
      {"delivered not undone by error", DV, 1, ER, 2, DV},
      {"error not undoing read", RD, 1, ER, 2, RD},
      {"unknown then known", 200, 1, DV, 2, DV},
      {"known then unknown", DV, 1, 200, 2, DV},
      {"known (older) replaces unknown", 200, 2, U, 1, U},
      {"unknown then newer unknown", 200, 1, 9, 2, 9},
      {"unknown then older unknown", 200, 2, 9, 1, 200},
      {"same status, later", RD, 1, RD, 2, RD},
  };
  for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
    mimi_status_agg *a;
    CHECK_OK(mimi_status_agg_new(&a));
    CHECK_OK(apply1(a, BOB, rules[i].t1, 1, rules[i].s1));
    CHECK_OK(apply1(a, BOB, rules[i].t2, 1, rules[i].s2));
    uint8_t got = status_of(a, BOB, 1);
    if (got != rules[i].want)
      mimi_test_fail(__FILE__, __LINE__, "%s: got %u want %u", rules[i].name, got,
                     rules[i].want);
    mimi_test_checks++;
    mimi_status_agg_free(a);
    mimi_test_case();
  }
  /* two entries for one message in one report: in order */
  mimi_status_agg *a;
  CHECK_OK(mimi_status_agg_new(&a));
  mimi_status_entry e[2];
  id_of(e[0].message_id, 3);
  id_of(e[1].message_id, 3);
  e[0].status = RD;
  e[1].status = U;
  mimi_status_report r = {e, 2};
  CHECK_OK(mimi_status_agg_apply(a, BOB, strlen(BOB), 7, &r));
  CHECK(status_of(a, BOB, 3) == U);
  mimi_status_summary s;
  uint8_t id[MIMI_MESSAGE_ID_LEN];
  id_of(id, 3);
  CHECK_OK(mimi_status_agg_summary(a, id, &s));
  CHECK(s.recipients == 1);
  mimi_status_agg_free(a);
  mimi_status_agg_free(NULL);
}

/* Random reports against a direct transcription of the rule in status.h. */
static bool model_replaces(uint8_t cur, uint64_t ct, uint8_t inc, uint64_t it) {
  bool cu = cur >= 7, iu = inc >= 7;
  if (cur == DL) return false;
  if (inc == DL) return true;
  if (cur == EX) return false;
  if (inc == EX) return true;
  if (iu) return cu && it >= ct;
  if (cu) return true;
  int rc = cur == ER ? 1 : cur == DV ? 2 : 3, ri = inc == ER ? 1 : inc == DV ? 2 : 3;
  if (rc != ri) return ri > rc;
  return it >= ct;
}

static void test_agg_model(void) {
  enum { MSGS = 40, USERS = 6, ROUNDS = 3000 };
  static const char *users[USERS] = {
      "mimi://a.example/u/u0", "mimi://a.example/u/u1", "mimi://b.example/u/u2",
      "mimi://b.example/u/u3", "mimi://c.example/d/c4", "mimi://c.example/p/u5"};
  struct {
    bool set;
    uint8_t s;
    uint64_t t;
  } model[MSGS][USERS];
  memset(model, 0, sizeof model);
  mimi_test_prng prng;
  mimi_test_rng_prng(&prng, 0x5eed);
  mimi_status_agg *a;
  CHECK_OK(mimi_status_agg_new(&a));
  mimi_status_entry e[5];
  for (int round = 0; round < ROUNDS; round++) {
    size_t u = mimi_test_prng_next(&prng) % USERS;
    size_t n = 1 + mimi_test_prng_next(&prng) % 5;
    uint64_t t = mimi_test_prng_next(&prng) % 50;
    for (size_t k = 0; k < n; k++) {
      unsigned m = (unsigned)(mimi_test_prng_next(&prng) % MSGS);
      uint64_t x = mimi_test_prng_next(&prng) % 9;
      id_of(e[k].message_id, m * 37 + 5); /* spread over the id space */
      e[k].status = x < 7 ? (uint8_t)x : (uint8_t)(7 + x * 20);
      if (!model[m][u].set || model_replaces(model[m][u].s, model[m][u].t, e[k].status, t)) {
        model[m][u].set = true;
        model[m][u].s = e[k].status;
        model[m][u].t = t;
      }
    }
    mimi_status_report r = {e, n};
    CHECK_OK(mimi_status_agg_apply(a, users[u], strlen(users[u]), t, &r));
  }
  size_t mismatches = 0;
  for (unsigned m = 0; m < MSGS; m++) {
    mimi_status_summary want;
    memset(&want, 0, sizeof want);
    for (size_t u = 0; u < USERS; u++) {
      if (!model[m][u].set) continue;
      uint8_t s = model[m][u].s;
      want.recipients++;
      want.by_status[s >= 7 ? 7 : s]++;
      if (s == DV || s == U || s == RD || s == HD) want.delivered++;
      if (s == RD) want.read++;
      if (status_of(a, users[u], m * 37 + 5) != s) mismatches++;
    }
    uint8_t id[MIMI_MESSAGE_ID_LEN];
    id_of(id, m * 37 + 5);
    mimi_status_summary got;
    mimi_err err = mimi_status_agg_summary(a, id, &got);
    if (want.recipients == 0) {
      CHECK_ERR(err, MIMI_ERR_NOT_FOUND);
      continue;
    }
    CHECK_OK(err);
    CHECK(memcmp(&got, &want, sizeof got) == 0);
  }
  CHECK(mismatches == 0);
  mimi_status_agg_free(a);
  mimi_test_case();
}

int main(void) {
  test_example();
  test_encode_forms();
  test_bad_reports();
  test_agg_example();
  test_agg_rules();
  test_agg_model();
  return mimi_test_summary("test_status");
}
