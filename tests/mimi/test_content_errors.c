/* test_content_errors.c — every decoding rule of the MIMI content codec
 * with its exact error code (and the output left untouched), the encoder's
 * refusals, message-ID and derived-value errors. Inputs are hand-written
 * CBOR: a minimal valid message with one field replaced at a time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "mimi/content.h"

#define SALT "50000102030405060708090a0b0c0d0e0f"
#define ID32 "5820017ce54837404c3696e0c747b985cb172716d0ed0a3d249ca63ace7d82a096f4"
#define NULLPART "83016000"           /* [1, "", 0] */
#define SINGLE "85016001" "6161" "4162" /* [1, "", 1, "a", h'62'] */

/* A message from its seven fields (hex), the others being the defaults. */
static char *msg(const char *salt, const char *replaces, const char *topic, const char *expires,
                 const char *irt, const char *ext, const char *body) {
  static char buf[32768];
  snprintf(buf, sizeof buf, "87%s%s%s%s%s%s%s", salt ? salt : SALT, replaces ? replaces : "f6",
           topic ? topic : "40", expires ? expires : "f6", irt ? irt : "f6", ext ? ext : "a0",
           body ? body : NULLPART);
  return buf;
}

static void decode_case(const char *hex, const mimi_content_limits *lim, mimi_err want,
                        int line) {
  mimi_bytes b;
  if (mimi_bytes_from_hex(&b, hex) != MIMI_OK) {
    mimi_test_fail(__FILE__, line, "bad test hex");
    return;
  }
  mimi_content c, sentinel;
  memset(&c, 0xa5, sizeof c);
  memset(&sentinel, 0xa5, sizeof sentinel);
  mimi_err got = mimi_content_decode(b.data, b.len, lim, &c);
  mimi_test_checks++;
  if (got != want)
    mimi_test_fail(__FILE__, line, "decode -> %s, expected %s", mimi_errname(got),
                   mimi_errname(want));
  /* The encoder always applies the draft's depth of 4. */
  if (got == MIMI_OK && (lim == NULL || lim->max_part_depth <= 4)) {
    mimi_bytes re;
    CHECK_OK(mimi_content_encode(&c, &re));
    CHECK_BYTES(re, b);
    mimi_bytes_free(&re);
  }
  if (got == MIMI_OK) {
    mimi_content_free(&c);
  } else {
    mimi_test_checks++;
    if (memcmp(&c, &sentinel, sizeof c) != 0)
      mimi_test_fail(__FILE__, line, "output written on error");
  }
  mimi_bytes_free(&b);
  mimi_test_case();
}
#define DEC(hex, want) decode_case((hex), NULL, (want), __LINE__)
#define DEC_LIM(hex, lim, want) decode_case((hex), (lim), (want), __LINE__)

static void test_container(void) {
  DEC(msg(0, 0, 0, 0, 0, 0, 0), MIMI_OK);
  DEC(msg(0, 0, 0, 0, 0, 0, SINGLE), MIMI_OK);
  DEC("a0", MIMI_ERR_CBOR_TYPE);
  DEC("86" SALT "f640f6f6a0", MIMI_ERR_BAD_CONTENT);
  static char buf[32800];
  snprintf(buf, sizeof buf, "88%s00", msg(0, 0, 0, 0, 0, 0, 0) + 2);
  DEC(buf, MIMI_ERR_BAD_CONTENT); /* eight elements */
  snprintf(buf, sizeof buf, "9f%sff", msg(0, 0, 0, 0, 0, 0, 0) + 2);
  DEC(buf, MIMI_ERR_CBOR_INDEFINITE);
  snprintf(buf, sizeof buf, "%s00", msg(0, 0, 0, 0, 0, 0, 0));
  DEC(buf, MIMI_ERR_TRAILING_DATA);
  snprintf(buf, sizeof buf, "%s", msg(0, 0, 0, 0, 0, 0, 0));
  buf[strlen(buf) - 2] = 0;
  DEC(buf, MIMI_ERR_TRUNCATED);
  DEC("", MIMI_ERR_TRUNCATED);
  DEC("9807" SALT "f640f6f6a0" NULLPART, MIMI_ERR_CBOR_NON_CANONICAL);
  /* salt */
  DEC(msg("4f000102030405060708090a0b0c0d0e", 0, 0, 0, 0, 0, 0), MIMI_ERR_BAD_CONTENT);
  DEC(msg("5111000102030405060708090a0b0c0d0e0f", 0, 0, 0, 0, 0, 0), MIMI_ERR_BAD_CONTENT);
  DEC(msg("70000102030405060708090a0b0c0d0e0f", 0, 0, 0, 0, 0, 0), MIMI_ERR_CBOR_TYPE);
  DEC(msg("f6", 0, 0, 0, 0, 0, 0), MIMI_ERR_CBOR_TYPE);
  /* replaces / inReplyTo: null or exactly 32 octets */
  DEC(msg(0, ID32, 0, 0, ID32, 0, 0), MIMI_OK);
  DEC(msg(0, "581f" "00000000000000000000000000000000000000000000000000000000000000", 0, 0, 0,
          0, 0),
      MIMI_ERR_BAD_CONTENT);
  DEC(msg(0, 0, 0, 0, "5821" "000000000000000000000000000000000000000000000000000000000000000000",
          0, 0),
      MIMI_ERR_BAD_CONTENT);
  DEC(msg(0, "f4", 0, 0, 0, 0, 0), MIMI_ERR_CBOR_TYPE);
  DEC(msg(0, 0, 0, 0, "f7", 0, 0), MIMI_ERR_CBOR_TYPE);
  /* topicId */
  DEC(msg(0, 0, "60", 0, 0, 0, 0), MIMI_ERR_CBOR_TYPE);
  DEC(msg(0, 0, "f6", 0, 0, 0, 0), MIMI_ERR_CBOR_TYPE);
  DEC(msg(0, 0, "5800", 0, 0, 0, 0), MIMI_ERR_CBOR_NON_CANONICAL);
  DEC(msg(0, 0, "5f4100ff", 0, 0, 0, 0), MIMI_ERR_CBOR_INDEFINITE);
  /* expires = [relative: bool, time: uint .size 4] */
  DEC(msg(0, 0, 0, "82f41a6202f174", 0, 0, 0), MIMI_OK);
  DEC(msg(0, 0, 0, "82f51a00000258", 0, 0, 0), MIMI_ERR_CBOR_NON_CANONICAL);
  DEC(msg(0, 0, 0, "82f51affffffff", 0, 0, 0), MIMI_OK);
  DEC(msg(0, 0, 0, "82f51b0000000100000000", 0, 0, 0), MIMI_ERR_BAD_CONTENT);
  DEC(msg(0, 0, 0, "830000f4", 0, 0, 0), MIMI_ERR_BAD_CONTENT);
  DEC(msg(0, 0, 0, "81f4", 0, 0, 0), MIMI_ERR_BAD_CONTENT);
  DEC(msg(0, 0, 0, "820100", 0, 0, 0), MIMI_ERR_CBOR_TYPE);
  DEC(msg(0, 0, 0, "82f420", 0, 0, 0), MIMI_ERR_CBOR_TYPE);
  DEC(msg(0, 0, 0, "00", 0, 0, 0), MIMI_ERR_CBOR_TYPE);
}

static void test_extensions(void) {
  DEC(msg(0, 0, 0, 0, 0, "a2016161026162", 0), MIMI_OK);
  DEC(msg(0, 0, 0, 0, 0, "80", 0), MIMI_ERR_CBOR_TYPE);
  DEC(msg(0, 0, 0, 0, 0, "bf016161ff", 0), MIMI_ERR_CBOR_INDEFINITE);
  DEC(msg(0, 0, 0, 0, 0, "a2026162016161", 0), MIMI_ERR_CBOR_NON_CANONICAL);
  DEC(msg(0, 0, 0, 0, 0, "a2016161016162", 0), MIMI_ERR_CBOR);
  /* RFC 7049 "canonical" (length-first) order is refused (§6.1). */
  DEC(msg(0, 0, 0, 0, 0, "a21864002000", 0), MIMI_OK);
  DEC(msg(0, 0, 0, 0, 0, "a22000186400", 0), MIMI_ERR_CBOR_NON_CANONICAL);
  DEC(msg(0, 0, 0, 0, 0, "a203006161f5", 0), MIMI_OK); /* int keys sort before text */
  DEC(msg(0, 0, 0, 0, 0, "a26161f50300", 0), MIMI_ERR_CBOR_NON_CANONICAL);
  /* senderUri / roomUri are text */
  DEC(msg(0, 0, 0, 0, 0, "a10105", 0), MIMI_ERR_CBOR_TYPE);
  DEC(msg(0, 0, 0, 0, 0, "a1024161", 0), MIMI_ERR_CBOR_TYPE);
  DEC(msg(0, 0, 0, 0, 0, "a10162c0af", 0), MIMI_ERR_CBOR);
  /* keys: int within ±(2^53-1) or text of 1..255 octets */
  DEC(msg(0, 0, 0, 0, 0, "a16000", 0), MIMI_ERR_BAD_CONTENT);
  DEC(msg(0, 0, 0, 0, 0, "a1411100", 0), MIMI_ERR_BAD_CONTENT);
  DEC(msg(0, 0, 0, 0, 0, "a1f500", 0), MIMI_ERR_BAD_CONTENT);
  DEC(msg(0, 0, 0, 0, 0, "a1800000", 0), MIMI_ERR_BAD_CONTENT);
  DEC(msg(0, 0, 0, 0, 0, "a11b001fffffffffffff00", 0), MIMI_OK);
  DEC(msg(0, 0, 0, 0, 0, "a11b002000000000000000", 0), MIMI_ERR_BAD_CONTENT);
  DEC(msg(0, 0, 0, 0, 0, "a13b001ffffffffffffe00", 0), MIMI_OK);
  DEC(msg(0, 0, 0, 0, 0, "a13b001fffffffffffff00", 0), MIMI_ERR_BAD_CONTENT);
  char key[1024], ext[1200];
  memset(key, 0, sizeof key);
  for (int i = 0; i < 255; i++) memcpy(key + 2 * i, "61", 2);
  snprintf(ext, sizeof ext, "a178ff%s00", key);
  DEC(msg(0, 0, 0, 0, 0, ext, 0), MIMI_OK);
  snprintf(ext, sizeof ext, "a1790100%s6100", key);
  DEC(msg(0, 0, 0, 0, 0, ext, 0), MIMI_ERR_BAD_CONTENT);
  /* values: deterministic, within the §6.3 depth (map = level 1) */
  DEC(msg(0, 0, 0, 0, 0, "a103818181f6", 0), MIMI_OK);
  DEC(msg(0, 0, 0, 0, 0, "a10381818181f6", 0), MIMI_ERR_DEPTH);
  DEC(msg(0, 0, 0, 0, 0, "a103c1c1c1f6", 0), MIMI_OK);
  DEC(msg(0, 0, 0, 0, 0, "a103c1c1c1c1f6", 0), MIMI_ERR_DEPTH);
  DEC(msg(0, 0, 0, 0, 0, "a1031817", 0), MIMI_ERR_CBOR_NON_CANONICAL);
  DEC(msg(0, 0, 0, 0, 0, "a103fb3ff0000000000000", 0), MIMI_ERR_CBOR_NON_CANONICAL);
  DEC(msg(0, 0, 0, 0, 0, "a103f97e00", 0), MIMI_OK);
  DEC(msg(0, 0, 0, 0, 0, "a103fa7fc00000", 0), MIMI_ERR_CBOR_NON_CANONICAL);
  DEC(msg(0, 0, 0, 0, 0, "a1039f00ff", 0), MIMI_ERR_CBOR_INDEFINITE);
  DEC(msg(0, 0, 0, 0, 0, "a103a1800000", 0), MIMI_ERR_BAD_CONTENT);
  DEC(msg(0, 0, 0, 0, 0, "a103a1f40000", 0), MIMI_ERR_BAD_CONTENT);
  DEC(msg(0, 0, 0, 0, 0, "a103a2020001", 0), MIMI_ERR_CBOR_NON_CANONICAL);
  DEC(msg(0, 0, 0, 0, 0, "a103a2410100410200", 0), MIMI_OK);
  DEC(msg(0, 0, 0, 0, 0, "a103ff", 0), MIMI_ERR_CBOR);
  /* The §6.3 example map is accepted at exactly 4 levels. */
  DEC(msg(0, 0, 0, 0, 0,
          "a2" "01" "78186d696d693a2f2f612e6578616d706c652f752f616c696365" "190100" "82" "82"
          "421234" "d820" "72687474703a2f2f6578616d706c652e636f6d" "82" "423456" "19168b",
          0),
      MIMI_OK);
  mimi_content_limits lim;
  mimi_content_limits_default(&lim);
  lim.max_extension_depth = 3;
  DEC_LIM(msg(0, 0, 0, 0, 0, "a103818100", 0), &lim, MIMI_OK);
  DEC_LIM(msg(0, 0, 0, 0, 0, "a10381818100", 0), &lim, MIMI_ERR_DEPTH);
}

static void test_parts(void) {
  /* disposition 0..255 (9..255 unknown but valid), language text */
  DEC(msg(0, 0, 0, 0, 0, 0, "8318ff6000"), MIMI_OK);
  DEC(msg(0, 0, 0, 0, 0, 0, "831901006000"), MIMI_ERR_BAD_CONTENT);
  DEC(msg(0, 0, 0, 0, 0, 0, "83206000"), MIMI_ERR_CBOR_TYPE);
  DEC(msg(0, 0, 0, 0, 0, 0, "83014000"), MIMI_ERR_CBOR_TYPE);
  DEC(msg(0, 0, 0, 0, 0, 0, "830160f6"), MIMI_ERR_CBOR_TYPE);
  DEC(msg(0, 0, 0, 0, 0, 0, "83016004"), MIMI_ERR_BAD_CONTENT); /* cardinality 4 */
  DEC(msg(0, 0, 0, 0, 0, 0, "820160"), MIMI_ERR_BAD_CONTENT);
  DEC(msg(0, 0, 0, 0, 0, 0, "8401600000"), MIMI_ERR_BAD_CONTENT);  /* null part + extra */
  DEC(msg(0, 0, 0, 0, 0, 0, "84016001" "6161"), MIMI_ERR_BAD_CONTENT);
  DEC(msg(0, 0, 0, 0, 0, 0, "86016001" "6161" "4162" "00"), MIMI_ERR_BAD_CONTENT);
  DEC(msg(0, 0, 0, 0, 0, 0, "85016001" "6161" "6162"), MIMI_ERR_CBOR_TYPE);
  DEC(msg(0, 0, 0, 0, 0, 0, "85016001" "4161" "4162"), MIMI_ERR_CBOR_TYPE);
  DEC(msg(0, 0, 0, 0, 0, 0, "85016001" "6161" "7f6162ff"), MIMI_ERR_CBOR_INDEFINITE);
  DEC(msg(0, 0, 0, 0, 0, 0, "85016001" "6161" "5f4162ff"), MIMI_ERR_CBOR_INDEFINITE);
  DEC(msg(0, 0, 0, 0, 0, 0, "85016001" "6161" "580162"), MIMI_ERR_CBOR_NON_CANONICAL);
  DEC(msg(0, 0, 0, 0, 0, 0, "85016001" "62c0af" "4162"), MIMI_ERR_CBOR);
  /* external: 15 elements, uint sizes 4 / 8 / 2 / 1 */
#define EXT_HEAD "8f06626672" "02" "6161" "6175"
#define EXT_TAIL "40" "40" "40" "00" "40" "60" "60"
  DEC(msg(0, 0, 0, 0, 0, 0, EXT_HEAD "1affffffff" "1bffffffffffffffff" "19ffff" EXT_TAIL), MIMI_OK);
  DEC(msg(0, 0, 0, 0, 0, 0, EXT_HEAD "1b0000000100000000" "00" "00" EXT_TAIL),
      MIMI_ERR_BAD_CONTENT);
  DEC(msg(0, 0, 0, 0, 0, 0, EXT_HEAD "00" "00" "1a00010000" EXT_TAIL), MIMI_ERR_BAD_CONTENT);
  DEC(msg(0, 0, 0, 0, 0, 0, EXT_HEAD "00" "00" "00" "404040" "190100" "406060"),
      MIMI_ERR_BAD_CONTENT);
  DEC(msg(0, 0, 0, 0, 0, 0, EXT_HEAD "00" "00" "00" "404040" "18ff" "406060"), MIMI_OK);
  DEC(msg(0, 0, 0, 0, 0, 0, EXT_HEAD "00" "00" "00" "404040" "00" "4060"),
      MIMI_ERR_TRUNCATED);
  DEC(msg(0, 0, 0, 0, 0, 0, "8e06626672" "02" "6161" "6175" "00" "00" "00" "404040" "00" "4060"),
      MIMI_ERR_BAD_CONTENT);
  DEC(msg(0, 0, 0, 0, 0, 0, EXT_HEAD "20" "00" "00" EXT_TAIL), MIMI_ERR_CBOR_TYPE);
  DEC(msg(0, 0, 0, 0, 0, 0, EXT_HEAD "00" "00" "00" "606060" "00" "406060"), MIMI_ERR_CBOR_TYPE);
  /* multi: semantics 0..2, at least two parts */
  DEC(msg(0, 0, 0, 0, 0, 0, "8501600302" "82" NULLPART NULLPART), MIMI_OK);
  DEC(msg(0, 0, 0, 0, 0, 0, "8501600303" "82" NULLPART NULLPART), MIMI_ERR_BAD_CONTENT);
  DEC(msg(0, 0, 0, 0, 0, 0, "8501600300" "81" NULLPART), MIMI_ERR_BAD_CONTENT);
  DEC(msg(0, 0, 0, 0, 0, 0, "8501600300" "80"), MIMI_ERR_BAD_CONTENT);
  DEC(msg(0, 0, 0, 0, 0, 0, "8501600300" "9f" NULLPART NULLPART "ff"), MIMI_ERR_CBOR_INDEFINITE);
  DEC(msg(0, 0, 0, 0, 0, 0, "8501600300" "a0"), MIMI_ERR_CBOR_TYPE);
  DEC(msg(0, 0, 0, 0, 0, 0, "8601600300" "82" NULLPART NULLPART "00"), MIMI_ERR_BAD_CONTENT);
  DEC(msg(0, 0, 0, 0, 0, 0, "8501600300" "82" NULLPART "8301600a"), MIMI_ERR_BAD_CONTENT);
}

/* A chain of multiParts `levels` deep (the body is level 1). */
static char *nested(unsigned levels) {
  static char buf[4096];
  buf[0] = 0;
  for (unsigned i = 1; i < levels; i++) strcat(buf, "8501600300" "82" NULLPART);
  strcat(buf, NULLPART);
  return buf;
}

static void test_limits(void) {
  char body[4096];
  strcpy(body, nested(4));
  DEC(msg(0, 0, 0, 0, 0, 0, body), MIMI_OK);
  strcpy(body, nested(5));
  DEC(msg(0, 0, 0, 0, 0, 0, body), MIMI_ERR_DEPTH);
  strcpy(body, nested(60));
  DEC(msg(0, 0, 0, 0, 0, 0, body), MIMI_ERR_DEPTH);
  mimi_content_limits lim;
  mimi_content_limits_default(&lim);
  lim.max_part_depth = 5;
  strcpy(body, nested(5));
  DEC_LIM(msg(0, 0, 0, 0, 0, 0, body), &lim, MIMI_OK);
  lim.max_part_depth = 1;
  strcpy(body, nested(2));
  DEC_LIM(msg(0, 0, 0, 0, 0, 0, body), &lim, MIMI_ERR_DEPTH);
  DEC_LIM(msg(0, 0, 0, 0, 0, 0, NULLPART), &lim, MIMI_OK);
  lim.max_part_depth = 65;
  DEC_LIM(msg(0, 0, 0, 0, 0, 0, NULLPART), &lim, MIMI_ERR_INVALID_ARG);

  /* parts: nested(4) has 7 NestedParts */
  mimi_content_limits_default(&lim);
  strcpy(body, nested(4));
  lim.max_parts = 7;
  DEC_LIM(msg(0, 0, 0, 0, 0, 0, body), &lim, MIMI_OK);
  lim.max_parts = 6;
  DEC_LIM(msg(0, 0, 0, 0, 0, 0, body), &lim, MIMI_ERR_TOO_LARGE);
  /* 1025 null parts in one multiPart: over the default 1024 */
  static char wide[16384];
  strcpy(wide, "8501600302" "990401");
  for (int i = 0; i < 1025; i++) strcat(wide, NULLPART);
  DEC(msg(0, 0, 0, 0, 0, 0, wide), MIMI_ERR_TOO_LARGE);
  strcpy(wide, "8501600302" "9903ff");
  for (int i = 0; i < 1023; i++) strcat(wide, NULLPART);
  DEC(msg(0, 0, 0, 0, 0, 0, wide), MIMI_OK);

  /* topic, field and message sizes */
  mimi_content_limits_default(&lim);
  lim.max_topic_len = 3;
  DEC_LIM(msg(0, 0, "44666f6f6f", 0, 0, 0, 0), &lim, MIMI_ERR_TOO_LARGE);
  DEC_LIM(msg(0, 0, "44666f6f6f", 0, 0, 0, 0), NULL, MIMI_OK);
  DEC_LIM(msg(0, 0, "43666f6f", 0, 0, 0, 0), &lim, MIMI_OK);
  mimi_content_limits_default(&lim);
  lim.max_part_size = 1;
  DEC_LIM(msg(0, 0, 0, 0, 0, 0, "85016001" "6161" "42aabb"), &lim, MIMI_ERR_TOO_LARGE);
  DEC_LIM(msg(0, 0, 0, 0, 0, 0, "85016001" "6161" "41aa"), &lim, MIMI_OK);
  DEC_LIM(msg(0, 0, 0, 0, 0, 0, "8501626672" "01" "6161" "41aa"), &lim, MIMI_ERR_TOO_LARGE);
  mimi_content_limits_default(&lim);
  lim.max_message_size = 27;
  DEC_LIM(msg(0, 0, 0, 0, 0, 0, 0), &lim, MIMI_OK); /* 27 bytes */
  lim.max_message_size = 26;
  DEC_LIM(msg(0, 0, 0, 0, 0, 0, 0), &lim, MIMI_ERR_TOO_LARGE);
}

static mimi_bytes text(const char *s) {
  mimi_bytes b;
  if (mimi_bytes_copy(&b, (const uint8_t *)s, strlen(s)) != MIMI_OK) exit(2);
  return b;
}

static void encode_fails(const mimi_content *c, mimi_err want, int line) {
  mimi_bytes out = {(uint8_t *)"untouched", 9};
  mimi_err got = mimi_content_encode(c, &out);
  mimi_test_checks++;
  if (got != want)
    mimi_test_fail(__FILE__, line, "encode -> %s, expected %s", mimi_errname(got),
                   mimi_errname(want));
  CHECK(out.len == 9 && memcmp(out.data, "untouched", 9) == 0);
  mimi_test_case();
}

static void test_encoder_refusals(void) {
  mimi_content c;
  memset(&c, 0, sizeof c);
  mimi_nested_part kids[2];
  memset(kids, 0, sizeof kids);
  c.body.cardinality = MIMI_PART_MULTI;
  c.body.parts = kids;
  c.body.part_count = 1;
  encode_fails(&c, MIMI_ERR_BAD_CONTENT, __LINE__);
  c.body.part_count = 2;
  c.body.semantics = (mimi_part_semantics)3;
  encode_fails(&c, MIMI_ERR_BAD_CONTENT, __LINE__);
  c.body.semantics = MIMI_SEM_PROCESS_ALL;
  mimi_bytes enc;
  CHECK_OK(mimi_content_encode(&c, &enc));
  mimi_bytes_free(&enc);
  kids[1].cardinality = (mimi_cardinality)9;
  encode_fails(&c, MIMI_ERR_BAD_CONTENT, __LINE__);
  kids[1].cardinality = MIMI_PART_NULL;
  kids[0].language = text("\xc0\xaf");
  encode_fails(&c, MIMI_ERR_BAD_CONTENT, __LINE__);
  mimi_bytes_free(&kids[0].language);
  /* Chains of multiParts: pairs[i][0] holds pairs[i + 1]. */
  mimi_nested_part pairs[5][2];
  memset(pairs, 0, sizeof pairs);
  for (int i = 0; i < 4; i++) {
    pairs[i][0].cardinality = MIMI_PART_MULTI;
    pairs[i][0].parts = pairs[i + 1];
    pairs[i][0].part_count = 2;
  }
  c.body.parts = pairs[1];
  encode_fails(&c, MIMI_ERR_DEPTH, __LINE__); /* five levels */
  c.body.parts = pairs[2];
  CHECK_OK(mimi_content_encode(&c, &enc)); /* four */
  mimi_bytes_free(&enc);
  c.body.parts = NULL;
  c.body.part_count = 0;

  /* extensions */
  mimi_extension ext[2];
  memset(ext, 0, sizeof ext);
  c.body.cardinality = MIMI_PART_NULL;
  c.extensions = ext;
  c.extension_count = 2;
  ext[0].key_int = 7;
  ext[0].value = text("\x01");
  ext[1].key_int = 7;
  ext[1].value = text("\x02");
  encode_fails(&c, MIMI_ERR_BAD_CONTENT, __LINE__); /* duplicate key */
  ext[1].key_int = -7;
  CHECK_OK(mimi_content_encode(&c, &enc));
  mimi_bytes_free(&enc);
  ext[1].key_int = (int64_t)1 << 53;
  encode_fails(&c, MIMI_ERR_BAD_CONTENT, __LINE__);
  ext[1].key_int = 8;
  ext[1].key_is_text = true;
  encode_fails(&c, MIMI_ERR_BAD_CONTENT, __LINE__); /* empty text key */
  ext[1].key_text = text("k");
  CHECK_OK(mimi_content_encode(&c, &enc));
  mimi_bytes_free(&enc);
  mimi_bytes_free(&ext[1].value);
  ext[1].value = text("\x18\x01");
  encode_fails(&c, MIMI_ERR_CBOR_NON_CANONICAL, __LINE__);
  mimi_bytes_free(&ext[1].value);
  ext[1].value = text("\x01\x02");
  encode_fails(&c, MIMI_ERR_TRAILING_DATA, __LINE__);
  mimi_bytes_free(&ext[1].value);
  ext[1].value = text("\x81\x81\x81\x81\x01");
  encode_fails(&c, MIMI_ERR_DEPTH, __LINE__);
  mimi_bytes_free(&ext[1].value);
  ext[1].value = text("");
  encode_fails(&c, MIMI_ERR_TRUNCATED, __LINE__);
  ext[0].key_int = MIMI_EXT_SENDER_URI;
  encode_fails(&c, MIMI_ERR_CBOR_TYPE, __LINE__); /* senderUri value 0x01 is not text */
  for (int i = 0; i < 2; i++) {
    mimi_bytes_free(&ext[i].value);
    mimi_bytes_free(&ext[i].key_text);
  }
  c.extensions = NULL;
  c.extension_count = 0;
  uint8_t id[MIMI_MESSAGE_ID_LEN];
  CHECK_ERR(mimi_content_message_id(&c, id), MIMI_ERR_NOT_FOUND);
  CHECK_OK(mimi_content_add_text_ext(&c, MIMI_EXT_SENDER_URI, "mimi://a/u/x"));
  CHECK_ERR(mimi_content_add_text_ext(&c, MIMI_EXT_SENDER_URI, "mimi://a/u/y"),
            MIMI_ERR_BAD_CONTENT);
  CHECK_ERR(mimi_content_add_text_ext(&c, (int64_t)1 << 60, "x"), MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mimi_content_add_text_ext(&c, 5, "\xff"), MIMI_ERR_INVALID_ARG);
  CHECK(c.extension_count == 1);
  CHECK_ERR(mimi_content_message_id(&c, id), MIMI_ERR_NOT_FOUND); /* no roomUri */
  mimi_content_free(&c);
}

static void test_message_id_errors(void) {
  uint8_t id[MIMI_MESSAGE_ID_LEN];
  memset(id, 0x5a, sizeof id);
  mimi_bytes b;
  CHECK_OK(mimi_bytes_from_hex(&b, msg(0, 0, 0, 0, 0, 0, 0)));
  static uint8_t big[65536];
  CHECK_ERR(mimi_message_id(b.data, b.len, big, sizeof big, big, 1, id), MIMI_ERR_TOO_LARGE);
  CHECK_ERR(mimi_message_id(b.data, b.len, big, 1, big, sizeof big, id), MIMI_ERR_TOO_LARGE);
  CHECK_OK(mimi_message_id(b.data, b.len, big, sizeof big - 1, big, 0, id));
  CHECK(id[0] == 0x01);
  mimi_bytes_free(&b);
  memset(id, 0x5a, sizeof id);
  CHECK_OK(mimi_bytes_from_hex(&b, "86" SALT "f640f6f6a0"));
  CHECK_ERR(mimi_message_id(b.data, b.len, big, 1, big, 1, id), MIMI_ERR_BAD_CONTENT);
  mimi_bytes_free(&b);
  CHECK_OK(mimi_bytes_from_hex(&b, "87" "4f000102030405060708090a0b0c0d0e"));
  CHECK_ERR(mimi_message_id(b.data, b.len, big, 1, big, 1, id), MIMI_ERR_BAD_CONTENT);
  mimi_bytes_free(&b);
  CHECK_OK(mimi_bytes_from_hex(&b, "a0"));
  CHECK_ERR(mimi_message_id(b.data, b.len, big, 1, big, 1, id), MIMI_ERR_CBOR_TYPE);
  mimi_bytes_free(&b);
  CHECK(id[0] == 0x5a && id[31] == 0x5a);
}

static void derived_case_at(const char *hex, mimi_err want, int line) {

  mimi_bytes b;
  if (mimi_bytes_from_hex(&b, hex) != MIMI_OK) exit(2);
  mimi_derived_values v, sentinel;
  memset(&v, 0x3c, sizeof v);
  memset(&sentinel, 0x3c, sizeof sentinel);
  mimi_err got = mimi_derived_values_decode(b.data, b.len, &v);
  mimi_test_checks++;
  if (got != want)
    mimi_test_fail(__FILE__, line, "derived -> %s, expected %s", mimi_errname(got),
                   mimi_errname(want));
  if (got == MIMI_OK) {
    mimi_bytes re;
    CHECK_OK(mimi_derived_values_encode(&v, &re));
    CHECK_BYTES(re, b);
    mimi_bytes_free(&re);
    mimi_derived_values_free(&v);
  } else {
    CHECK(memcmp(&v, &sentinel, sizeof v) == 0);
  }
  mimi_bytes_free(&b);
  mimi_test_case();
}

#define derived_case(hex, want) derived_case_at((hex), (want), __LINE__)

static void test_derived_errors(void) {
  char buf[512];
#define DV(ts, leaf) (snprintf(buf, sizeof buf, "87" ID32 "%s" "4100" "%s" "6161" "6162" "6163", ts, leaf), buf)
  derived_case(DV("00", "00"), MIMI_OK);
  derived_case(DV("1b0000017edd1dcdbb", "1affffffff"), MIMI_OK);
  derived_case(DV("00", "1b0000000100000000"), MIMI_ERR_BAD_CONTENT);
  derived_case(DV("20", "00"), MIMI_ERR_CBOR_TYPE);
  derived_case(DV("c100", "00"), MIMI_ERR_CBOR_TYPE);
  derived_case(DV("fa4ec00000", "00"), MIMI_ERR_CBOR_TYPE);
  derived_case(DV("d903e9a1011a62035b99", "00"), MIMI_OK);
  derived_case(DV("d903e9a2011a62035b99221903e7", "00"), MIMI_OK);
  derived_case(DV("d903e9a2011a62035b99221903e8", "00"), MIMI_ERR_BAD_CONTENT);
  derived_case(DV("d903e9a2011a62035b99251903e8", "00"), MIMI_ERR_UNSUPPORTED); /* -6: µs */
  derived_case(DV("d903e9a2011a62035b99200a", "00"), MIMI_ERR_UNSUPPORTED);     /* -1 */
  derived_case(DV("d903e9a22201011a62035b99", "00"), MIMI_ERR_CBOR_NON_CANONICAL);
  derived_case(DV("d903e9a12201", "00"), MIMI_ERR_BAD_CONTENT); /* no base seconds */
  derived_case(DV("d903e9a101fa4ec00000", "00"), MIMI_ERR_CBOR_TYPE);
  derived_case(DV("d903e9a16174f5", "00"), MIMI_ERR_UNSUPPORTED);
  derived_case(DV("d903e9a1011bffffffffffffffff", "00"), MIMI_ERR_TOO_LARGE);
  derived_case(DV("d903e900", "00"), MIMI_ERR_CBOR_TYPE);
  derived_case("86" ID32 "004100006161" "6162", MIMI_ERR_BAD_CONTENT);
  derived_case("87" "4100" "004100006161" "6162" "6163", MIMI_ERR_BAD_CONTENT);
  char longer[600];
  snprintf(longer, sizeof longer, "%s00", DV("00", "00"));
  derived_case(longer, MIMI_ERR_TRAILING_DATA);
#undef DV
}

int main(void) {
  test_container();
  test_extensions();
  test_parts();
  test_limits();
  test_encoder_refusals();
  test_message_id_errors();
  test_derived_errors();
  return mimi_test_summary("test_content_errors");
}
