/* test_wire.c — reader, writer and varints: the deserialization vectors of
 * mlswg plus the rejections RFC 9420 §2.1.2 requires. */
#include <stdlib.h>

#include "harness.h"

static void test_deserialization_vectors(void) {
  json_t *v = mimi_vec_load("mls/deserialization.json");
  size_t i;
  json_t *c;
  json_array_foreach(v, i, c) {
    mimi_bytes hdr = mimi_vec_hex(c, "vlbytes_header");
    uint32_t want = (uint32_t)mimi_vec_int(c, "length");
    mimi_reader r = mimi_reader_init(hdr.data, hdr.len);
    uint32_t got = 0;
    CHECK_OK(mimi_read_varint(&r, &got));
    CHECK(got == want);
    CHECK_OK(mimi_reader_done(&r));
    /* and our writer produces exactly the same header */
    mimi_writer w;
    mimi_writer_init(&w);
    mimi_write_varint(&w, want);
    mimi_bytes out;
    CHECK_OK(mimi_writer_finish(&w, &out));
    CHECK_BYTES(out, hdr);
    mimi_bytes_free(&out);
    mimi_bytes_free(&hdr);
    mimi_test_case();
  }
  json_decref(v);
}

static mimi_err read_varint_hex(const char *hex, uint32_t *v) {
  mimi_bytes b;
  if (mimi_bytes_from_hex(&b, hex) != MIMI_OK) abort();
  mimi_reader r = mimi_reader_init(b.data, b.len);
  mimi_err err = mimi_read_varint(&r, v);
  if (err != MIMI_OK) CHECK(r.pos == 0); /* cursor not advanced on error */
  mimi_bytes_free(&b);
  return err;
}

static void test_bad_varints(void) {
  uint32_t v = 12345;
  CHECK_ERR(read_varint_hex("", &v), MIMI_ERR_TRUNCATED);
  CHECK_ERR(read_varint_hex("40", &v), MIMI_ERR_TRUNCATED);
  CHECK_ERR(read_varint_hex("800000", &v), MIMI_ERR_TRUNCATED);
  CHECK_ERR(read_varint_hex("4001", &v), MIMI_ERR_VARINT_NON_MINIMAL);
  CHECK_ERR(read_varint_hex("403f", &v), MIMI_ERR_VARINT_NON_MINIMAL);
  CHECK_ERR(read_varint_hex("80003fff", &v), MIMI_ERR_VARINT_NON_MINIMAL);
  CHECK_ERR(read_varint_hex("80000000", &v), MIMI_ERR_VARINT_NON_MINIMAL);
  CHECK_ERR(read_varint_hex("c000000000000000", &v), MIMI_ERR_VARINT_RANGE);
  CHECK_ERR(read_varint_hex("ff", &v), MIMI_ERR_VARINT_RANGE);
  CHECK(v == 12345); /* never written on error */
  CHECK_OK(read_varint_hex("bfffffff", &v));
  CHECK(v == MIMI_VARINT_MAX);
  CHECK_OK(read_varint_hex("80004000", &v));
  CHECK(v == 0x4000);

  mimi_writer w;
  mimi_writer_init(&w);
  mimi_write_varint(&w, MIMI_VARINT_MAX + 1);
  mimi_write_u8(&w, 1); /* sticky: ignored */
  mimi_bytes out = {NULL, 0};
  CHECK_ERR(mimi_writer_finish(&w, &out), MIMI_ERR_TOO_LARGE);
  CHECK(out.data == NULL);
}

static void test_vectors_and_ints(void) {
  static const uint8_t in[] = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
                               0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f};
  mimi_reader r = mimi_reader_init(in, sizeof in);
  uint8_t a;
  uint16_t b;
  uint32_t c;
  uint64_t d;
  CHECK_OK(mimi_read_u8(&r, &a));
  CHECK_OK(mimi_read_u16(&r, &b));
  CHECK_OK(mimi_read_u32(&r, &c));
  CHECK_OK(mimi_read_u64(&r, &d));
  CHECK(a == 1 && b == 0x0203 && c == 0x04050607 && d == 0x08090a0b0c0d0e0fULL);
  CHECK_OK(mimi_reader_done(&r));
  CHECK_ERR(mimi_read_u8(&r, &a), MIMI_ERR_TRUNCATED);

  /* a length past the end of the input */
  static const uint8_t past[] = {0x05, 0xaa, 0xbb};
  r = mimi_reader_init(past, sizeof past);
  mimi_bytes o = {NULL, 0};
  CHECK_ERR(mimi_read_opaque(&r, &o), MIMI_ERR_TRUNCATED);
  CHECK(o.data == NULL && r.pos == 0);

  /* nested blocks back-patch minimal headers at every size boundary */
  size_t sizes[] = {0, 1, 63, 64, 16383, 16384, 70000};
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    uint8_t *body = calloc(sizes[i] + 1, 1);
    for (size_t k = 0; k < sizes[i]; k++) body[k] = (uint8_t)k;
    mimi_writer w;
    mimi_writer_init(&w);
    size_t outer = mimi_write_vec_begin(&w);
    mimi_write_opaque(&w, body, sizes[i]);
    mimi_write_u8(&w, 0x77);
    mimi_write_vec_end(&w, outer);
    mimi_bytes enc;
    CHECK_OK(mimi_writer_finish(&w, &enc));
    mimi_reader rr = mimi_reader_init(enc.data, enc.len), inner;
    CHECK_OK(mimi_read_vec(&rr, &inner));
    CHECK_OK(mimi_reader_done(&rr));
    mimi_bytes got;
    CHECK_OK(mimi_read_opaque(&inner, &got));
    CHECK_MEM(got.data, got.len, body, sizes[i]);
    CHECK_OK(mimi_read_u8(&inner, &a));
    CHECK(a == 0x77);
    CHECK_OK(mimi_reader_done(&inner));
    mimi_bytes_free(&got);
    mimi_bytes_free(&enc);
    free(body);
  }
}

static void test_secure(void) {
  uint8_t x[8] = {1, 2, 3, 4, 5, 6, 7, 8}, y[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  CHECK(mimi_ct_eq(x, y, 8));
  y[7] ^= 0x80;
  CHECK(!mimi_ct_eq(x, y, 8));
  mimi_secure_zero(x, sizeof x);
  for (int i = 0; i < 8; i++) CHECK(x[i] == 0);
  mimi_bytes h;
  CHECK_ERR(mimi_bytes_from_hex(&h, "abc"), MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mimi_bytes_from_hex(&h, "zz"), MIMI_ERR_INVALID_ARG);
  CHECK(strcmp(mimi_errname(MIMI_ERR_TRUNCATED), "MIMI_ERR_TRUNCATED") == 0);
  CHECK(strcmp(mimi_strerror(MIMI_ERR_TRUNCATED), "input truncated") == 0);
}

int main(void) {
  test_deserialization_vectors();
  test_bad_varints();
  test_vectors_and_ints();
  test_secure();
  return mimi_test_summary("wire");
}
