/* test_render.c — the terminal renderer against outputs written out by hand
 * from the rules in mimi/render.h: wrapping, markdown blocks and inlines in
 * plain and color modes, media type dispatch, and above all that no byte of
 * a message can reach the terminal as a control character or escape
 * sequence. */
#include <stdlib.h>

#include "harness.h"
#include "mimi/render.h"

#define ESC "\x1b"
#define RESET ESC "[0m"
#define BAR "\xe2\x94\x82"    /* U+2502 */
#define BULLET "\xe2\x80\xa2" /* U+2022 */
#define FFFD "\xef\xbf\xbd"

typedef enum { PLAIN, MD } mode;

static void expect_n(mode m, const char *in, size_t in_len, size_t width, bool color,
                     const char *want, int line) {
  mimi_render_opts o = {width, color};
  mimi_bytes out = {NULL, 0};
  mimi_err e = m == MD ? mimi_render_markdown((const uint8_t *)in, in_len, &o, &out)
                       : mimi_render_plain((const uint8_t *)in, in_len, &o, &out);
  mimi_test_checks++;
  if (e != MIMI_OK) {
    mimi_test_fail(__FILE__, line, "render -> %s", mimi_errname(e));
    return;
  }
  mimi_test_checks++;
  if (out.len != strlen(want) || memcmp(out.data, want, out.len) != 0)
    mimi_test_fail(__FILE__, line, "got \"%.*s\" want \"%s\"", (int)out.len,
                   out.data ? (const char *)out.data : "", want);
  mimi_bytes_free(&out);
  mimi_test_case();
}
#define EXPECT(m, in, width, color, want) expect_n(m, in, strlen(in), width, color, want, __LINE__)

static void test_plain(void) {
  EXPECT(PLAIN, "The quick brown fox jumps over the lazy dog", 10, false,
         "The quick\nbrown fox\njumps over\nthe lazy\ndog\n");
  EXPECT(PLAIN, "abcdefghijkl", 5, false, "abcde\nfghij\nkl\n");
  EXPECT(PLAIN, "ab cdefghijkl", 5, false, "ab\ncdefg\nhijkl\n");
  EXPECT(PLAIN, "The quick brown fox", 0, false, "The quick brown fox\n");
  EXPECT(PLAIN, "a  b", 0, false, "a  b\n");   /* spacing kept in plain text */
  EXPECT(PLAIN, "  x", 0, false, "  x\n");     /* indentation kept */
  EXPECT(PLAIN, "x   ", 0, false, "x\n");      /* trailing spaces dropped */
  EXPECT(PLAIN, "aaaa  bbbb", 5, false, "aaaa\nbbbb\n");
  EXPECT(PLAIN, "a\n\n\n\nb\n", 0, false, "a\n\nb\n");
  EXPECT(PLAIN, "\n\na\n\n", 0, false, "a\n");
  EXPECT(PLAIN, "a\r\nb\r\n", 0, false, "a\nb\n");
  EXPECT(PLAIN, "a\tb", 0, false, "a   b\n"); /* tab stops every 4 columns */
  EXPECT(PLAIN, "", 0, false, "");
  /* wide characters take two columns */
  EXPECT(PLAIN, "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x83\x86\xe3\x82\xad\xe3\x82\xb9\xe3\x83\x88",
         6, false,
         "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\n\xe3\x83\x86\xe3\x82\xad\xe3\x82\xb9\n\xe3\x83\x88\n");
  /* a combining accent stays with its base letter */
  EXPECT(PLAIN, "ae\xcc\x81", 1, false, "a\ne\xcc\x81\n");
  /* a wide character on a one-column terminal still makes progress */
  EXPECT(PLAIN, "\xe6\x97\xa5\xe6\x9c\xac", 1, false, "\xe6\x97\xa5\n\xe6\x9c\xac\n");
  /* no markdown in text/plain */
  EXPECT(PLAIN, "**x** # y", 0, true, "**x** # y\n");
  /* invalid UTF-8: one U+FFFD per bad byte */
  EXPECT(PLAIN, "a\xff\xc3z", 0, false, "a" FFFD FFFD "z\n");
}

static void test_markdown_inline(void) {
  EXPECT(MD, "**bold** and *it*", 0, false, "bold and it\n");
  EXPECT(MD, "**bold** and *it*", 0, true,
         ESC "[0;1mbold" RESET " and " ESC "[0;3mit" RESET "\n");
  EXPECT(MD, "__b__ _i_", 0, true, ESC "[0;1mb" RESET " " ESC "[0;3mi" RESET "\n");
  EXPECT(MD, "***both***", 0, true, ESC "[0;1;3mboth" RESET "\n");
  EXPECT(MD, "**b *bi* b**", 0, true,
         ESC "[0;1mb " ESC "[0;1;3mbi" ESC "[0;1m b" RESET "\n");
  EXPECT(MD, "~~gone~~ ~no~", 0, true, ESC "[0;9mgone" RESET " ~no~\n");
  EXPECT(MD, "see `a*b*c` here", 0, true, "see " ESC "[0;36ma*b*c" RESET " here\n");
  EXPECT(MD, "`` a`b ``", 0, false, "a`b\n");
  EXPECT(MD, "`open", 0, false, "`open\n");
  /* not emphasis */
  EXPECT(MD, "engineering_team and snake_case_name", 0, true,
         "engineering_team and snake_case_name\n");
  EXPECT(MD, "2 * 3 * 4", 0, true, "2 * 3 * 4\n");
  EXPECT(MD, "**unclosed", 0, true, "**unclosed\n");
  EXPECT(MD, "\\*not\\* \\# \\[x\\]", 0, true, "*not* # [x]\n");
  /* links show their target unless it is the text */
  EXPECT(MD, "[x](https://e.example)", 0, false, "x <https://e.example>\n");
  EXPECT(MD, "[x](https://e.example)", 0, true,
         ESC "[0;4mx" RESET " " ESC "[0;2m<https://e.example>" RESET "\n");
  EXPECT(MD, "[https://e.example](https://e.example)", 0, true,
         ESC "[0;4mhttps://e.example" RESET "\n");
  EXPECT(MD, "<mimi://example.com/u/alice-smith>", 0, true,
         ESC "[0;4mmimi://example.com/u/alice-smith" RESET "\n");
  EXPECT(MD, "[a](b c) <no space> <x>", 0, false, "[a](b c) <no space> <x>\n");
  EXPECT(MD, "[**b**](u)", 0, true,
         ESC "[0;1;4mb" RESET " " ESC "[0;2m<u>" RESET "\n");
  /* draft-ietf-mimi-content §5.3 mention example body */
  EXPECT(MD, "Kudos to [@Alice Smith](mimi://example.com/u/alice-smith) for making the "
             "release happen!",
         0, false,
         "Kudos to @Alice Smith <mimi://example.com/u/alice-smith> for making the release "
         "happen!\n");
  /* styled words wrap like any other; no style leaks past a line end */
  EXPECT(MD, "aa **bb cc** dd", 5, true,
         "aa " ESC "[0;1mbb" RESET "\n" ESC "[0;1mcc" RESET " dd\n");
}

static void test_markdown_blocks(void) {
  EXPECT(MD, "# Title", 0, true, ESC "[0;1;4mTitle" RESET "\n");
  EXPECT(MD, "## Sub ##", 0, true, ESC "[0;1mSub" RESET "\n");
  EXPECT(MD, "###### six", 0, false, "six\n");
  EXPECT(MD, "####### seven", 0, false, "####### seven\n");
  EXPECT(MD, "#nospace", 0, true, "#nospace\n");
  EXPECT(MD, "> q", 0, false, "> q\n");
  EXPECT(MD, "> q", 0, true, ESC "[0;2m" BAR RESET " q\n");
  EXPECT(MD, "> > deep", 0, false, "> > deep\n");
  EXPECT(MD, "> aaa bbb", 6, false, "> aaa\n> bbb\n");
  EXPECT(MD, "- a\n- b", 0, false, "* a\n* b\n");
  EXPECT(MD, "* a\n+ b", 0, true, BULLET " a\n" BULLET " b\n");
  EXPECT(MD, "1. one\n2) two\n10. ten", 0, false, "1. one\n2) two\n10. ten\n");
  EXPECT(MD, "- a\n  - b\n    - c", 0, false, "* a\n  * b\n    * c\n");
  EXPECT(MD, "- aaa bbb ccc", 8, false, "* aaa\n  bbb\n  ccc\n");
  EXPECT(MD, "12. aaa bbb", 8, false, "12. aaa\n    bbb\n");
  EXPECT(MD, "> - item", 0, false, "> * item\n");
  EXPECT(MD, "-notalist", 0, false, "-notalist\n");
  EXPECT(MD, "---", 10, false, "----------\n");
  EXPECT(MD, "> ***", 6, false, "> ----\n");
  EXPECT(MD, "- - -", 4, true, ESC "[0;2m\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80" RESET
                                "\n");
  EXPECT(MD, "```c\nx  =\t1;\n**y**\n```\nafter", 0, false,
         "    x  =    1;\n    **y**\nafter\n");
  EXPECT(MD, "```\ncode\n```", 0, true, "    " ESC "[0;36mcode" RESET "\n");
  EXPECT(MD, "~~~~\na\n~~~\nb\n~~~~~", 0, false, "    a\n    ~~~\n    b\n");
  EXPECT(MD, "```\nnever closed\n# not a heading", 0, false,
         "    never closed\n    # not a heading\n");
  EXPECT(MD, "para one\n\n\n\npara two\n", 0, false, "para one\n\npara two\n");
  EXPECT(MD, "line one\nline two", 0, false, "line one\nline two\n");
  EXPECT(MD, "   leading spaces", 0, false, "leading spaces\n");
  /* prefix wider than the terminal: one column left for text */
  EXPECT(MD, "> > x", 1, false, "> > x\n");
}

/* The output may contain: printable ASCII, "\n", UTF-8 sequences of code
 * points that are not controls or bidi overrides, and (color only) the SGR
 * sequences ESC "[0" (";" digits)* "m" with our attribute numbers. */
static bool output_is_safe(const mimi_bytes *b, bool color) {
  size_t i = 0;
  while (i < b->len) {
    uint8_t c = b->data[i];
    if (c == 0x1b) {
      if (!color) return false;
      if (i + 3 > b->len || b->data[i + 1] != '[' || b->data[i + 2] != '0') return false;
      i += 3;
      while (i < b->len && b->data[i] == ';') {
        i++;
        size_t d = i;
        while (i < b->len && b->data[i] >= '0' && b->data[i] <= '9') i++;
        size_t n = i - d;
        bool known = (n == 1 && strchr("12349", b->data[d])) ||
                     (n == 2 && b->data[d] == '3' && b->data[d + 1] == '6');
        if (!known) return false;
      }
      if (i >= b->len || b->data[i] != 'm') return false;
      i++;
      continue;
    }
    if (c == '\n') {
      i++;
      continue;
    }
    if (c < 0x20 || c == 0x7f) return false;
    if (c < 0x80) {
      i++;
      continue;
    }
    /* decode to check the code point */
    uint32_t cp;
    size_t n;
    if ((c & 0xe0) == 0xc0) cp = c & 0x1f, n = 2;
    else if ((c & 0xf0) == 0xe0) cp = c & 0x0f, n = 3;
    else if ((c & 0xf8) == 0xf0) cp = c & 0x07, n = 4;
    else return false;
    if (i + n > b->len) return false;
    for (size_t k = 1; k < n; k++) {
      if ((b->data[i + k] & 0xc0) != 0x80) return false;
      cp = cp << 6 | (b->data[i + k] & 0x3f);
    }
    if (cp <= 0x9f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
      return false;
    i += n;
  }
  return true;
}

static void test_injection(void) {
  static const struct {
    const char *in;
    size_t len; /* 0: strlen */
  } hostile[] = {
      {ESC "[2J" ESC "[H", 0},                                   /* clear screen */
      {ESC "]8;;http://evil.example" ESC "\\click" ESC "]8;;" ESC "\\", 0}, /* OSC 8 link */
      {ESC "]0;new title\x07", 0},                               /* OSC title */
      {ESC "P1$r" ESC "\\", 0},                                  /* DCS */
      {"\x9b" "31m raw 8-bit CSI", 0},                           /* invalid UTF-8 */
      {"\xc2\x9b" "31m UTF-8 CSI", 0},                           /* U+009B */
      {"\xc2\x9d" "0;x\xc2\x9c", 0},                             /* U+009D OSC, U+009C ST */
      {"bell\x07 bs\x08\x08 del\x7f vt\x0b ff\x0c", 0},
      {"nul\0inside", 11},
      {"\xe2\x80\xae" "evil" "\xe2\x80\xac", 0},                 /* RLO ... PDF */
      {"\xe2\x81\xa6" "iso" "\xe2\x81\xa9", 0},                  /* LRI ... PDI */
      {"# " ESC "[31mheading", 0},
      {"**" ESC "[5mblink**", 0},
      {"`" ESC "[8m hidden`", 0},
      {"[" ESC "[31mtext](" ESC "[32m)", 0},
      {"[text](http://x/" ESC "]8;;)", 0},
      {"<http://x/" ESC "[0m>", 0},
      {"> " ESC "[1A" ESC "[2K", 0},
      {"- " ESC "c", 0},                                         /* RIS */
      {"```\n" ESC "[31mcode\n```", 0},
      {"a\r" ESC "[2Kb\rc", 0},                                  /* CR overwrite */
      {"\xed\xa0\x80 surrogate \xc0\xaf overlong", 0},
  };
  for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
    size_t len = hostile[i].len ? hostile[i].len : strlen(hostile[i].in);
    for (int m = 0; m < 2; m++) {
      for (int color = 0; color < 2; color++) {
        mimi_render_opts o = {m ? 8 : 0, color != 0};
        mimi_bytes out = {NULL, 0};
        mimi_err e = m ? mimi_render_markdown((const uint8_t *)hostile[i].in, len, &o, &out)
                       : mimi_render_plain((const uint8_t *)hostile[i].in, len, &o, &out);
        CHECK_OK(e);
        if (!output_is_safe(&out, color != 0)) {
          mimi_test_fail(__FILE__, __LINE__, "unsafe output for hostile[%zu] mode %d color %d",
                         i, m, color);
        }
        mimi_test_checks++;
        mimi_bytes_free(&out);
      }
    }
    mimi_test_case();
  }
  /* exact replacement: the control becomes U+FFFD, the rest stays visible */
  EXPECT(PLAIN, ESC "[2J", 0, false, FFFD "[2J\n");
  EXPECT(MD, "**" ESC "[5mx**", 0, true, ESC "[0;1m" FFFD "[5mx" RESET "\n");
  EXPECT(PLAIN, "\xe2\x80\xae" "abc", 0, false, FFFD "abc\n");
  expect_n(PLAIN, "a\0b", 3, 0, false, "a" FFFD "b\n", __LINE__);
  /* the checker itself rejects what it must */
  mimi_bytes bad = {(uint8_t *)ESC "[2J", 4};
  CHECK(!output_is_safe(&bad, true));
  mimi_bytes bad2 = {(uint8_t *)"\xc2\x9b", 2};
  CHECK(!output_is_safe(&bad2, false));
  mimi_bytes good = {(uint8_t *)ESC "[0;1;36mx" ESC "[0m", 14};
  CHECK(output_is_safe(&good, true));
  CHECK(!output_is_safe(&good, false));
}

static void test_hostile_markup(void) {
  /* deeply nested and unbalanced markup: finishes, stays safe */
  size_t n = 20000;
  char *s = malloc(n + 1);
  const char *pats[] = {"[", "*a ", "**", "[a](", "`", "> ", "_a_"};
  for (size_t p = 0; p < sizeof pats / sizeof pats[0]; p++) {
    size_t pl = strlen(pats[p]);
    for (size_t i = 0; i < n; i++) s[i] = pats[p][i % pl];
    s[n] = '\0';
    mimi_render_opts o = {80, true};
    mimi_bytes out = {NULL, 0};
    CHECK_OK(mimi_render_markdown((const uint8_t *)s, n, &o, &out));
    CHECK(output_is_safe(&out, true));
    mimi_bytes_free(&out);
  }
  free(s);
  /* nesting: each construct adds its attribute to the enclosing ones */
  EXPECT(MD, "*a ~~b **c [d](u) c** b~~ a*", 0, true,
         ESC "[0;3ma " ESC "[0;3;9mb " ESC "[0;1;3;9mc " ESC "[0;1;3;4;9md" ESC "[0;1;3;9m "
         ESC "[0;1;2;3;9m<u>" ESC "[0;1;3;9m c" ESC "[0;3;9m b" ESC "[0;3m a" RESET "\n");
  /* nesting deeper than 8 levels degrades to literal text */
  EXPECT(MD, "[[[[[[[[[[x](u)](u)](u)](u)](u)](u)](u)](u)](u)](u)", 0, false,
         "[[x](u)](u) <u> <u> <u> <u> <u> <u> <u> <u>\n");
}

/* Random bytes, biased towards markup and control characters, never get
 * through as anything but safe output. */
static void test_random_input(void) {
  static const char alphabet[] = "*_~`[]()<>#>-+. 1a\x1b\x9b\xc2\x07\r\n\t\\:/";
  mimi_test_prng prng;
  mimi_test_rng_prng(&prng, 0xbadc0de);
  uint8_t buf[300];
  for (int round = 0; round < 3000; round++) {
    size_t n = mimi_test_prng_next(&prng) % sizeof buf;
    for (size_t i = 0; i < n; i++) {
      uint64_t x = mimi_test_prng_next(&prng);
      buf[i] = (x & 3) == 0 ? (uint8_t)(x >> 8) : (uint8_t)alphabet[(x >> 8) % (sizeof alphabet - 1)];
    }
    mimi_render_opts o = {(size_t)(mimi_test_prng_next(&prng) % 30), (round & 1) != 0};
    mimi_bytes out = {NULL, 0};
    mimi_err e = (round & 2) ? mimi_render_markdown(buf, n, &o, &out)
                             : mimi_render_plain(buf, n, &o, &out);
    CHECK_OK(e);
    if (e == MIMI_OK && !output_is_safe(&out, o.color))
      mimi_test_fail(__FILE__, __LINE__, "unsafe output in round %d", round);
    mimi_bytes_free(&out);
  }
  mimi_test_case();
}

static void test_dispatch(void) {
  mimi_render_opts o = {0, true};
  mimi_bytes out;
  const uint8_t *body = (const uint8_t *)"**x**";
  static const struct {
    const char *type;
    mimi_err err;
    const char *want;
  } cases[] = {
      {"text/plain", MIMI_OK, "**x**\n"},
      {"text/plain;charset=utf-8", MIMI_OK, "**x**\n"},
      {"text/plain ; charset=\"UTF-8\"", MIMI_OK, "**x**\n"},
      {"Text/Plain;Charset=US-ASCII", MIMI_OK, "**x**\n"},
      {"text/markdown", MIMI_OK, ESC "[0;1mx" RESET "\n"},
      {"text/markdown;variant=GFM-MIMI", MIMI_OK, ESC "[0;1mx" RESET "\n"},
      {"TEXT/MARKDOWN; charset=utf-8; variant=GFM", MIMI_OK, ESC "[0;1mx" RESET "\n"},
      {"text/html", MIMI_ERR_UNSUPPORTED, NULL},
      {"text/plainx", MIMI_ERR_UNSUPPORTED, NULL},
      {"text/markdown;charset=iso-8859-1", MIMI_ERR_UNSUPPORTED, NULL},
      {"", MIMI_ERR_UNSUPPORTED, NULL},
      {"image/png", MIMI_ERR_UNSUPPORTED, NULL},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    out.data = (uint8_t *)"untouched";
    out.len = 9;
    CHECK_ERR(mimi_render(cases[i].type, body, 5, &o, &out), cases[i].err);
    if (cases[i].err == MIMI_OK) {
      CHECK_MEM(out.data, out.len, cases[i].want, strlen(cases[i].want));
      mimi_bytes_free(&out);
    } else {
      CHECK(out.len == 9 && memcmp(out.data, "untouched", 9) == 0);
    }
    mimi_test_case();
  }
  CHECK_ERR(mimi_render(NULL, body, 5, &o, &out), MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mimi_render_plain(NULL, 5, &o, &out), MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mimi_render_plain(body, 5, NULL, &out), MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mimi_render_markdown(body, MIMI_RENDER_MAX_INPUT + 1, &o, &out), MIMI_ERR_TOO_LARGE);
  CHECK(out.len == 9);
}

int main(void) {
  test_plain();
  test_markdown_inline();
  test_markdown_blocks();
  test_injection();
  test_hostile_markup();
  test_random_input();
  test_dispatch();
  return mimi_test_summary("test_render");
}
