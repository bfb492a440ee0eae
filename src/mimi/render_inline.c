/*
 * render_inline.c — inline markdown (emphasis, strong, strikethrough, code
 * spans, links, autolinks, backslash escapes) turned into styled cells.
 *
 * A simplified CommonMark: a delimiter run opens if followed by a non-space
 * and closes on the next run of the same character and length preceded by a
 * non-space; "_" does not open or close inside a word (so engineering_team
 * stays as it is). Unmatched markup is shown literally. Recursion depth and
 * the length of a line parsed for markup are bounded so hostile input costs
 * at most O(n * MAX_MARKUP_LINE) per line.
 */
#include <stdlib.h>

#include "render_internal.h"

#define MAX_DEPTH 8
#define MAX_MARKUP_LINE 4096

static bool is_space(uint32_t c) { return c == ' '; }
static bool is_alnum(uint32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         c >= 0x80;
}
static bool is_ascii_punct(uint32_t c) {
  return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') ||
         (c >= '{' && c <= '~');
}

static size_t run_len(const rcell *s, size_t i, size_t end, uint32_t ch) {
  size_t j = i;
  while (j < end && s[j].cp == ch) j++;
  return j - i;
}

static void emit_plain(const rcell *s, size_t i, size_t j, uint8_t style, rline *out) {
  for (; i < j; i++) rline_push(out, s[i].cp, style);
}

/* Closing run for a delimiter run of n × ch opening at i. */
static bool find_closer(const rcell *s, size_t i, size_t n, size_t end, size_t *at) {
  uint32_t ch = s[i].cp;
  size_t k = i + n;
  while (k < end) {
    if (s[k].cp == '\\') {
      k += 2;
      continue;
    }
    if (s[k].cp != ch) {
      k++;
      continue;
    }
    size_t m = run_len(s, k, end, ch);
    bool after_ok = ch != '_' || k + m >= end || !is_alnum(s[k + m].cp);
    if (m == n && k > i + n && !is_space(s[k - 1].cp) && after_ok) {
      *at = k;
      return true;
    }
    k += m;
  }
  return false;
}

/* "]" matching the "[" at i (nesting counted), then "(" target ")". */
static bool find_link(const rcell *s, size_t i, size_t end, size_t *close, size_t *url_end) {
  size_t depth = 0, k = i;
  for (; k < end; k++) {
    if (s[k].cp == '\\') {
      k++;
      continue;
    }
    if (s[k].cp == '[') depth++;
    if (s[k].cp == ']' && --depth == 0) break;
  }
  if (k >= end || k + 1 >= end || s[k + 1].cp != '(') return false;
  size_t u = k + 2, parens = 0;
  for (; u < end; u++) {
    if (is_space(s[u].cp)) return false;
    if (s[u].cp == '(') parens++;
    if (s[u].cp == ')') {
      if (parens == 0) break;
      parens--;
    }
  }
  if (u >= end || u == k + 2) return false;
  *close = k;
  *url_end = u;
  return true;
}

/* <scheme:rest> with no spaces: RFC 3986 scheme, then anything but ">". */
static bool find_autolink(const rcell *s, size_t i, size_t end, size_t *gt) {
  size_t k = i + 1;
  size_t scheme = 0;
  while (k < end && ((s[k].cp >= 'a' && s[k].cp <= 'z') || (s[k].cp >= 'A' && s[k].cp <= 'Z') ||
                     (scheme > 0 && ((s[k].cp >= '0' && s[k].cp <= '9') || s[k].cp == '+' ||
                                     s[k].cp == '-' || s[k].cp == '.')))) {
    k++;
    scheme++;
  }
  if (scheme < 2 || k >= end || s[k].cp != ':') return false;
  for (; k < end; k++) {
    if (is_space(s[k].cp) || s[k].cp == '<') return false;
    if (s[k].cp == '>') {
      *gt = k;
      return true;
    }
  }
  return false;
}

static bool same_text(const rcell *s, size_t a, size_t alen, size_t b, size_t blen) {
  if (alen != blen) return false;
  for (size_t i = 0; i < alen; i++)
    if (s[a + i].cp != s[b + i].cp) return false;
  return true;
}

static void parse(const rcell *s, size_t i, size_t end, uint8_t style, unsigned depth,
                  rline *out) {
  while (i < end) {
    uint32_t c = s[i].cp;
    if (c == '\\' && i + 1 < end && is_ascii_punct(s[i + 1].cp)) {
      rline_push(out, s[i + 1].cp, style);
      i += 2;
      continue;
    }
    if (c == '`') {
      size_t n = run_len(s, i, end, '`');
      size_t k = i + n;
      while (k < end) {
        size_t m = run_len(s, k, end, '`');
        if (m == n) break;
        k += m ? m : 1;
      }
      if (k < end) {
        size_t a = i + n, b = k;
        /* CommonMark: one space of padding on both sides is stripped */
        if (b - a >= 2 && s[a].cp == ' ' && s[b - 1].cp == ' ') a++, b--;
        emit_plain(s, a, b, (uint8_t)(style | RS_CODE), out);
        i = k + n;
      } else {
        emit_plain(s, i, i + n, style, out);
        i += n;
      }
      continue;
    }
    if ((c == '*' || c == '_' || c == '~') && depth < MAX_DEPTH) {
      size_t n = run_len(s, i, end, c);
      bool can_open = i + n < end && !is_space(s[i + n].cp) &&
                      (c != '_' || i == 0 || !is_alnum(s[i - 1].cp)) &&
                      (c == '~' ? n == 2 : n <= 3);
      size_t k;
      if (can_open && find_closer(s, i, n, end, &k)) {
        uint8_t add = c == '~' ? RS_STRIKE : n == 1 ? RS_ITALIC : n == 2 ? RS_BOLD
                                                                     : RS_BOLD | RS_ITALIC;
        parse(s, i + n, k, (uint8_t)(style | add), depth + 1, out);
        i = k + n;
      } else {
        emit_plain(s, i, i + n, style, out);
        i += n;
      }
      continue;
    }
    size_t close, url_end;
    if (c == '[' && depth < MAX_DEPTH && find_link(s, i, end, &close, &url_end)) {
      parse(s, i + 1, close, (uint8_t)(style | RS_UNDERLINE), depth + 1, out);
      size_t url = close + 2;
      if (!same_text(s, i + 1, close - i - 1, url, url_end - url)) {
        rline_push(out, ' ', style);
        rline_push(out, '<', (uint8_t)(style | RS_DIM));
        emit_plain(s, url, url_end, (uint8_t)(style | RS_DIM), out);
        rline_push(out, '>', (uint8_t)(style | RS_DIM));
      }
      i = url_end + 1;
      continue;
    }
    size_t gt;
    if (c == '<' && find_autolink(s, i, end, &gt)) {
      emit_plain(s, i + 1, gt, (uint8_t)(style | RS_UNDERLINE), out);
      i = gt + 1;
      continue;
    }
    rline_push(out, c, style);
    i++;
  }
}

void render_inline(const rcell *src, size_t n, uint8_t style, rline *out) {
  if (n > MAX_MARKUP_LINE) {
    emit_plain(src, 0, n, style, out);
    return;
  }
  parse(src, 0, n, style, 0, out);
}
