/* test_cbor_strict.c — the strict CBOR reader and canonical writer against
 * the encodings of RFC 8949 Appendix A and the rules of §3, §4.2.1, and
 * draft-ietf-mimi-content §6. */
/* cbor_strict.h is internal to the mimi layer. */
#include "../../src/mimi/cbor_strict.h"
#include "harness.h"

#include <stdlib.h>

static mimi_bytes hex(const char *h) {
  mimi_bytes b;
  if (mimi_bytes_from_hex(&b, h) != MIMI_OK) abort();
  return b;
}

/* Validates `h` as one item with the given depth/flags; expects `want`, and
 * on success that the whole input was consumed. */
static void item_case(const char *h, unsigned depth, unsigned flags, mimi_err want) {
  mimi_bytes b = hex(h);
  mimi_reader r = mimi_reader_init(b.data, b.len);
  const uint8_t *item = NULL;
  size_t len = 0;
  mimi_err got = mimi_cbor_read_item(&r, depth, flags, &item, &len);
  mimi_test_checks++;
  if (got != want)
    mimi_test_fail(__FILE__, __LINE__, "item %s: %s, expected %s", h, mimi_errname(got),
                   mimi_errname(want));
  if (want == MIMI_OK) {
    if (item != b.data || len != b.len) mimi_test_fail(__FILE__, __LINE__, "item %s not consumed", h);
    CHECK_OK(mimi_reader_done(&r));
  } else {
    CHECK(r.pos == 0 && item == NULL); /* no progress, nothing written */
  }
  mimi_test_case();
  mimi_bytes_free(&b);
}

static void test_well_formed(void) {
  /* RFC 8949 Appendix A, deterministic entries. */
  static const char *ok[] = {
      "00", "01", "0a", "17", "1818", "1819", "1864", "1903e8", "1a000f4240",
      "1b000000e8d4a51000", "1bffffffffffffffff", "c249010000000000000000",
      "3bffffffffffffffff", "c349010000000000000000", "20", "29", "3863", "3903e7",
      "f90000", "f98000", "f93c00", "fb3ff199999999999a", "f93e00", "f97bff",
      "fa47c35000", "fa7f7fffff", "fb7e37e43c8800759c", "f90001", "f90400", "f9c400",
      "fbc010666666666666", "f97c00", "f97e00", "f9fc00", "f4", "f5", "f6", "f7", "f0",
      "f8ff", "c074323031332d30332d32315432303a30343a30305a", "c11a514b67b0",
      "c1fb41d452d9ec200000", "d74401020304", "d818456449455446",
      "d82076687474703a2f2f7777772e6578616d706c652e636f6d", "40", "4401020304", "60",
      "6161", "6449455446", "62225c", "62c3bc", "63e6b0b4", "64f0908591", "80",
      "83010203", "8301820203820405",
      "98190102030405060708090a0b0c0d0e0f101112131415161718181819", "a0", "a201020304",
      "a26161016162820203", "826161a161626163",
      "a56161614161626142616361436164614461656145"};
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) item_case(ok[i], 8, 0, MIMI_OK);
}

static void test_rejections(void) {
  /* Non-minimal heads (RFC 8949 §4.2.1 first bullet). */
  item_case("1817", 8, 0, MIMI_ERR_CBOR_NON_CANONICAL);
  item_case("190017", 8, 0, MIMI_ERR_CBOR_NON_CANONICAL);
  item_case("1900ff", 8, 0, MIMI_ERR_CBOR_NON_CANONICAL);
  item_case("1a0000ffff", 8, 0, MIMI_ERR_CBOR_NON_CANONICAL);
  item_case("1b00000000ffffffff", 8, 0, MIMI_ERR_CBOR_NON_CANONICAL);
  item_case("3817", 8, 0, MIMI_ERR_CBOR_NON_CANONICAL);
  item_case("5800", 8, 0, MIMI_ERR_CBOR_NON_CANONICAL);
  item_case("780161", 8, 0, MIMI_ERR_CBOR_NON_CANONICAL);
  item_case("9800", 8, 0, MIMI_ERR_CBOR_NON_CANONICAL);
  item_case("b800", 8, 0, MIMI_ERR_CBOR_NON_CANONICAL);
  item_case("d80100", 8, 0, MIMI_ERR_CBOR_NON_CANONICAL);
  /* Floats must use the shortest width that keeps the value. */
  item_case("fa3f800000", 8, 0, MIMI_ERR_CBOR_NON_CANONICAL);          /* 1.0 */
  item_case("fb3ff0000000000000", 8, 0, MIMI_ERR_CBOR_NON_CANONICAL);  /* 1.0 */
  item_case("fa7f800000", 8, 0, MIMI_ERR_CBOR_NON_CANONICAL);          /* inf */
  item_case("fa33800000", 8, 0, MIMI_ERR_CBOR_NON_CANONICAL);          /* 2^-24 */
  item_case("fb47efffffe0000000", 8, 0, MIMI_ERR_CBOR_NON_CANONICAL);  /* FLT_MAX */
  item_case("fb3e70000000000000", 8, 0, MIMI_ERR_CBOR_NON_CANONICAL);  /* 2^-24 */
  item_case("fb3e60000000000000", 8, 0, MIMI_ERR_CBOR_NON_CANONICAL);  /* 2^-25: single */
  item_case("fa33000000", 8, 0, MIMI_OK);                              /* 2^-25 */
  item_case("fb7ff8000000000000", 8, 0, MIMI_ERR_CBOR_NON_CANONICAL);  /* NaN */
  item_case("fa7fc00000", 8, 0, MIMI_ERR_CBOR_NON_CANONICAL);          /* NaN */
  item_case("f97e01", 8, 0, MIMI_ERR_CBOR_NON_CANONICAL);              /* NaN payload */
  item_case("f9fe00", 8, 0, MIMI_ERR_CBOR_NON_CANONICAL);              /* -NaN */
  /* Bignums that fit an integer, or with leading zeros. */
  item_case("c24101", 8, 0, MIMI_ERR_CBOR_NON_CANONICAL);
  item_case("c240", 8, 0, MIMI_ERR_CBOR_NON_CANONICAL);
  item_case("c3480102030405060708", 8, 0, MIMI_ERR_CBOR_NON_CANONICAL);
  item_case("c249000100000000000000", 8, 0, MIMI_ERR_CBOR_NON_CANONICAL);
  item_case("c201", 8, 0, MIMI_ERR_CBOR_TYPE);
  /* Indefinite lengths. */
  item_case("5f42010243030405ff", 8, 0, MIMI_ERR_CBOR_INDEFINITE);
  item_case("7f657374726561646d696e67ff", 8, 0, MIMI_ERR_CBOR_INDEFINITE);
  item_case("9fff", 8, 0, MIMI_ERR_CBOR_INDEFINITE);
  item_case("bf61610161629f0203ffff", 8, 0, MIMI_ERR_CBOR_INDEFINITE);
  item_case("8201" "9f01ff", 8, 0, MIMI_ERR_CBOR_INDEFINITE);
  /* Not well-formed (RFC 8949 Appendix F). */
  item_case("1c", 8, 0, MIMI_ERR_CBOR);
  item_case("5d", 8, 0, MIMI_ERR_CBOR);
  item_case("fe", 8, 0, MIMI_ERR_CBOR);
  item_case("ff", 8, 0, MIMI_ERR_CBOR);
  item_case("1f", 8, 0, MIMI_ERR_CBOR);
  item_case("df00", 8, 0, MIMI_ERR_CBOR);
  item_case("f800", 8, 0, MIMI_ERR_CBOR);
  item_case("f81f", 8, 0, MIMI_ERR_CBOR);
  item_case("f820", 8, 0, MIMI_OK);
  /* Truncation. */
  item_case("18", 8, 0, MIMI_ERR_TRUNCATED);
  item_case("1a0102", 8, 0, MIMI_ERR_TRUNCATED);
  item_case("6261", 8, 0, MIMI_ERR_TRUNCATED);
  item_case("5affffffff00", 8, 0, MIMI_ERR_TRUNCATED);
  item_case("8201", 8, 0, MIMI_ERR_TRUNCATED);
  item_case("9bffffffffffffffff00", 8, 0, MIMI_ERR_TRUNCATED);
  item_case("a201", 8, 0, MIMI_ERR_TRUNCATED);
  item_case("c1", 8, 0, MIMI_ERR_TRUNCATED);
  item_case("", 8, 0, MIMI_ERR_TRUNCATED);
  /* Invalid UTF-8: overlong, surrogate, above U+10FFFF, stray continuation. */
  item_case("62c0af", 8, 0, MIMI_ERR_CBOR);
  item_case("63eda080", 8, 0, MIMI_ERR_CBOR);
  item_case("64f4908080", 8, 0, MIMI_ERR_CBOR);
  item_case("6180", 8, 0, MIMI_ERR_CBOR);
  item_case("62e29d", 8, 0, MIMI_ERR_CBOR);
  item_case("63e29da4", 8, 0, MIMI_OK);
  item_case("8163eda080", 8, 0, MIMI_ERR_CBOR);
  /* Map key order: bytewise on encodings, so 100 (1864) before -1 (20);
   * RFC 7049 length-first order (-1 first) is refused; duplicates too. */
  item_case("a2186400" "2000", 8, 0, MIMI_OK);
  item_case("a22000" "186400", 8, 0, MIMI_ERR_CBOR_NON_CANONICAL);
  item_case("a203040102", 8, 0, MIMI_ERR_CBOR_NON_CANONICAL);
  item_case("a201020103", 8, 0, MIMI_ERR_CBOR);
  item_case("a2616101616101", 8, 0, MIMI_ERR_CBOR);
  item_case("a2616101616201", 8, 0, MIMI_OK);
  item_case("a2616201616101", 8, 0, MIMI_ERR_CBOR_NON_CANONICAL);
  item_case("a1a1010201", 8, 0, MIMI_OK);
  /* Depth: the item itself is level 1; tags count. */
  item_case("818181", 3, 0, MIMI_ERR_TRUNCATED);
  item_case("81818100", 3, 0, MIMI_OK);
  item_case("81818100", 2, 0, MIMI_ERR_DEPTH);
  item_case("c18100", 2, 0, MIMI_OK);
  item_case("c18100", 1, 0, MIMI_ERR_DEPTH);
  item_case("a101a101a10100", 3, 0, MIMI_OK);
  item_case("a101a101a101a10100", 3, 0, MIMI_ERR_DEPTH);
  item_case("00", 0, 0, MIMI_OK);
  item_case("80", 0, 0, MIMI_ERR_DEPTH);
  /* §6.2 data model: key types and the ±(2^53-1) range. */
  item_case("a11b001fffffffffffff00", 4, MIMI_CBOR_DATA_MODEL, MIMI_OK);
  item_case("a11b002000000000000000", 4, MIMI_CBOR_DATA_MODEL, MIMI_ERR_BAD_CONTENT);
  item_case("a11b002000000000000000", 4, 0, MIMI_OK);
  item_case("a13b001ffffffffffffe00", 4, MIMI_CBOR_DATA_MODEL, MIMI_OK);
  item_case("a13b001fffffffffffff00", 4, MIMI_CBOR_DATA_MODEL, MIMI_ERR_BAD_CONTENT);
  item_case("a1f93c0000", 4, MIMI_CBOR_DATA_MODEL, MIMI_ERR_BAD_CONTENT);
  item_case("a18000", 4, MIMI_CBOR_DATA_MODEL, MIMI_ERR_BAD_CONTENT);
  item_case("a1f500", 4, MIMI_CBOR_DATA_MODEL, MIMI_ERR_BAD_CONTENT);
  item_case("a1c10000", 4, MIMI_CBOR_DATA_MODEL, MIMI_ERR_BAD_CONTENT);
  item_case("a18000", 4, 0, MIMI_OK);
  item_case("a1420102" "00", 4, MIMI_CBOR_DATA_MODEL, MIMI_OK);
  item_case("81a18000", 4, MIMI_CBOR_DATA_MODEL, MIMI_ERR_BAD_CONTENT);
}

static void test_depth_example_6_3(void) {
  /* The §6.3 example map, encoded by hand from its diagnostic notation:
   * { 1: "mimi://a.example/u/alice",
   *   256: [[h'1234', 32("http://example.com")], [h'3456', 5771]] } */
  const char *ex = "a2"
                   "01" "78186d696d693a2f2f612e6578616d706c652f752f616c696365"
                   "190100" "82"
                   "82" "421234" "d820" "72687474703a2f2f6578616d706c652e636f6d"
                   "82" "423456" "19168b";
  item_case(ex, 4, MIMI_CBOR_DATA_MODEL, MIMI_OK);
  item_case(ex, 3, MIMI_CBOR_DATA_MODEL, MIMI_ERR_DEPTH);
}

static void test_typed_reads(void) {
  mimi_bytes b = hex("20");
  mimi_reader r = mimi_reader_init(b.data, b.len);
  uint64_t u = 7;
  CHECK_ERR(mimi_cbor_read_uint(&r, &u), MIMI_ERR_CBOR_TYPE);
  CHECK(u == 7 && r.pos == 0);
  int64_t i = 0;
  CHECK_OK(mimi_cbor_read_int(&r, &i));
  CHECK(i == -1);
  mimi_bytes_free(&b);

  b = hex("3b7fffffffffffffff3b8000000000000000");
  r = mimi_reader_init(b.data, b.len);
  CHECK_OK(mimi_cbor_read_int(&r, &i));
  CHECK(i == INT64_MIN);
  CHECK_ERR(mimi_cbor_read_int(&r, &i), MIMI_ERR_TOO_LARGE);
  CHECK(r.pos == 9 && i == INT64_MIN);
  mimi_bytes_free(&b);

  b = hex("f6f5f4f97c00");
  r = mimi_reader_init(b.data, b.len);
  bool v = false;
  CHECK_ERR(mimi_cbor_read_bool(&r, &v), MIMI_ERR_CBOR_TYPE);
  CHECK(mimi_cbor_next_is_null(&r));
  CHECK_OK(mimi_cbor_read_null(&r));
  CHECK(!mimi_cbor_next_is_null(&r));
  CHECK_OK(mimi_cbor_read_bool(&r, &v));
  CHECK(v);
  CHECK_OK(mimi_cbor_read_bool(&r, &v));
  CHECK(!v);
  CHECK_ERR(mimi_cbor_read_null(&r), MIMI_ERR_CBOR_TYPE); /* a float is not null */
  CHECK(r.pos == 3);
  mimi_bytes_free(&b);

  b = hex("4401020304" "6449455446" "83" "c1" "a0");
  r = mimi_reader_init(b.data, b.len);
  const uint8_t *p;
  size_t n;
  CHECK_ERR(mimi_cbor_read_text(&r, &p, &n), MIMI_ERR_CBOR_TYPE);
  CHECK_OK(mimi_cbor_read_bytes(&r, &p, &n));
  CHECK_MEM(p, n, "\x01\x02\x03\x04", 4);
  CHECK_OK(mimi_cbor_read_text(&r, &p, &n));
  CHECK_MEM(p, n, "IETF", 4);
  CHECK_ERR(mimi_cbor_read_array(&r, &n), MIMI_ERR_TRUNCATED); /* 3 elements, 2 bytes left */
  mimi_bytes_free(&b);

  b = hex("82c1a0");
  r = mimi_reader_init(b.data, b.len);
  CHECK_OK(mimi_cbor_read_array(&r, &n));
  CHECK(n == 2);
  uint64_t tag = 0;
  CHECK_ERR(mimi_cbor_read_map(&r, &n), MIMI_ERR_CBOR_TYPE);
  CHECK_OK(mimi_cbor_read_tag(&r, &tag));
  CHECK(tag == 1);
  CHECK_OK(mimi_cbor_read_map(&r, &n));
  CHECK(n == 0);
  CHECK_OK(mimi_reader_done(&r));
  mimi_bytes_free(&b);

  /* An item followed by more bytes: the item is read, the rest left. */
  b = hex("8101ff");
  r = mimi_reader_init(b.data, b.len);
  const uint8_t *item;
  CHECK_OK(mimi_cbor_read_item(&r, 4, 0, &item, &n));
  CHECK(n == 2 && item == b.data);
  CHECK_ERR(mimi_reader_done(&r), MIMI_ERR_TRAILING_DATA);
  mimi_bytes_free(&b);
}

static void expect_written(mimi_writer *w, const char *want_hex, int line) {
  mimi_bytes out, want = hex(want_hex);
  mimi_err err = mimi_writer_finish(w, &out);
  mimi_test_checks++;
  if (err != MIMI_OK || out.len != want.len || memcmp(out.data, want.data, want.len) != 0)
    mimi_test_fail(__FILE__, line, "writer output differs from %s", want_hex);
  mimi_bytes_free(&out);
  mimi_bytes_free(&want);
  mimi_writer_init(w);
}

static void test_writer(void) {
  mimi_writer w;
  mimi_writer_init(&w);
  mimi_cbor_write_uint(&w, 0);
  mimi_cbor_write_uint(&w, 23);
  mimi_cbor_write_uint(&w, 24);
  mimi_cbor_write_uint(&w, 1000);
  mimi_cbor_write_uint(&w, 1000000);
  mimi_cbor_write_uint(&w, 1000000000000);
  mimi_cbor_write_uint(&w, UINT64_MAX);
  expect_written(&w, "00" "17" "1818" "1903e8" "1a000f4240" "1b000000e8d4a51000"
                 "1bffffffffffffffff", __LINE__);
  mimi_cbor_write_int(&w, -1);
  mimi_cbor_write_int(&w, -100);
  mimi_cbor_write_int(&w, -1000);
  mimi_cbor_write_int(&w, 10);
  mimi_cbor_write_int(&w, INT64_MIN);
  expect_written(&w, "20" "3863" "3903e7" "0a" "3b7fffffffffffffff", __LINE__);
  mimi_cbor_write_bytes(&w, (const uint8_t *)"\x01\x02\x03\x04", 4);
  mimi_cbor_write_bytes(&w, NULL, 0);
  mimi_cbor_write_cstr(&w, "IETF");
  mimi_cbor_write_cstr(&w, "");
  mimi_cbor_write_cstr(&w, "abcdefghijklmnopqrstuvwx"); /* 24 bytes: 1-byte length */
  expect_written(&w, "4401020304" "40" "6449455446" "60"
                 "78186162636465666768696a6b6c6d6e6f707172737475767778", __LINE__);
  mimi_cbor_write_array(&w, 3);
  mimi_cbor_write_array(&w, 25);
  mimi_cbor_write_map(&w, 2);
  mimi_cbor_write_tag(&w, 1);
  mimi_cbor_write_tag(&w, 1001);
  mimi_cbor_write_bool(&w, true);
  mimi_cbor_write_bool(&w, false);
  mimi_cbor_write_null(&w);
  expect_written(&w, "83" "9819" "a2" "c1" "d903e9" "f5" "f4" "f6", __LINE__);
  mimi_writer_free(&w);
}

static void test_key_cmp(void) {
  CHECK(mimi_cbor_key_cmp((const uint8_t *)"\x0a", 1, (const uint8_t *)"\x18\x64", 2) < 0);
  CHECK(mimi_cbor_key_cmp((const uint8_t *)"\x18\x64", 2, (const uint8_t *)"\x20", 1) < 0);
  CHECK(mimi_cbor_key_cmp((const uint8_t *)"\x61\x61", 2, (const uint8_t *)"\x61\x61", 2) == 0);
  CHECK(mimi_cbor_key_cmp((const uint8_t *)"\x61", 1, (const uint8_t *)"\x61\x61", 2) < 0);
}

int main(void) {
  test_well_formed();
  test_rejections();
  test_depth_example_6_3();
  test_typed_reads();
  test_writer();
  test_key_cmp();
  return mimi_test_summary("test_cbor_strict");
}
