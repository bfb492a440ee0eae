/*
 * render.c — block structure of text/plain and text/markdown bodies for the
 * terminal: lines, paragraphs, headings, quotes, lists, code fences and
 * rules, each handed to the layout with its prefix. Media type dispatch.
 */
#include <string.h>

#include "render_internal.h"

#define MAX_QUOTE 8
#define MAX_LIST_LEVEL 8

typedef struct {
  remit e;
  rline src;          /* current source line, sanitized */
  rline first, rest;  /* prefixes */
  rline content;
  bool in_code;
  uint32_t fence_ch;
  size_t fence_len;
  bool pending_blank; /* a blank line seen since the last output */
  bool any_output;
} renderer;

/* Renders each "\n"-separated line of body with fn (a final empty line
 * after a trailing newline is not a line). */
static mimi_err run(const uint8_t *body, size_t len, const mimi_render_opts *opts,
                    void (*fn)(renderer *r), mimi_bytes *out) {
  if ((!body && len) || !opts || !out) return MIMI_ERR_INVALID_ARG;
  if (len > MIMI_RENDER_MAX_INPUT) return MIMI_ERR_TOO_LARGE;
  renderer r;
  memset(&r, 0, sizeof r);
  mimi_writer_init(&r.e.w);
  r.e.opts = opts;
  size_t i = 0;
  while (i < len) {
    const uint8_t *nl = memchr(body + i, '\n', len - i);
    size_t end = nl ? (size_t)(nl - body) : len;
    rline_clear(&r.src);
    render_sanitize(body + i, end - i, &r.src);
    fn(&r);
    i = end + 1;
  }
  mimi_err err = r.src.err     ? r.src.err
                 : r.first.err ? r.first.err
                 : r.rest.err  ? r.rest.err
                               : r.content.err;
  rline_free(&r.src);
  rline_free(&r.first);
  rline_free(&r.rest);
  rline_free(&r.content);
  if (err != MIMI_OK) {
    mimi_writer_free(&r.e.w);
    return err;
  }
  return mimi_writer_finish(&r.e.w, out);
}

/* Blank lines between blocks are collapsed to one, none at the start or end. */
static void flush_blank(renderer *r) {
  if (r->pending_blank && r->any_output) render_blank(&r->e);
  r->pending_blank = false;
  r->any_output = true;
}

static bool line_blank(const rline *l) {
  for (size_t i = 0; i < l->n; i++)
    if (l->v[i].cp != ' ') return false;
  return true;
}

/* ---- text/plain -------------------------------------------------------- */

static void plain_line(renderer *r) {
  if (line_blank(&r->src)) {
    r->pending_blank = true;
    return;
  }
  flush_blank(r);
  render_layout(&r->e, &r->first, &r->rest, &r->src, false);
}

mimi_err mimi_render_plain(const uint8_t *body, size_t len, const mimi_render_opts *opts,
                           mimi_bytes *out) {
  return run(body, len, opts, plain_line, out);
}

/* ---- text/markdown ----------------------------------------------------- */

static size_t skip_spaces(const rline *l, size_t i) {
  while (i < l->n && l->v[i].cp == ' ') i++;
  return i;
}

/* ``` or ~~~ (three or more), after at most three spaces of indentation;
 * *bare is set when nothing but spaces follows (a closing fence). */
static bool fence_at(const rline *l, uint32_t *ch, size_t *n, bool *bare) {
  size_t i = skip_spaces(l, 0);
  if (i > 3 || i >= l->n || (l->v[i].cp != '`' && l->v[i].cp != '~')) return false;
  size_t j = i;
  while (j < l->n && l->v[j].cp == l->v[i].cp) j++;
  if (j - i < 3) return false;
  *ch = l->v[i].cp;
  *n = j - i;
  *bare = skip_spaces(l, j) == l->n;
  return true;
}

/* ---, ***, ___ (three or more of one character, spaces allowed). */
static bool rule_at(const rline *l, size_t i) {
  uint32_t ch = 0;
  size_t count = 0;
  for (; i < l->n; i++) {
    uint32_t c = l->v[i].cp;
    if (c == ' ') continue;
    if (c != '-' && c != '*' && c != '_') return false;
    if (ch && c != ch) return false;
    ch = c;
    count++;
  }
  return count >= 3;
}

static void push_prefix(renderer *r, uint32_t cp, uint8_t style) {
  rline_push(&r->first, cp, style);
  rline_push(&r->rest, cp, style);
}

/* Quote bars go on every line of the block. */
static void push_quote_prefix(renderer *r, size_t quotes) {
  for (size_t q = 0; q < quotes; q++) {
    if (r->e.opts->color) {
      push_prefix(r, 0x2502, RS_DIM); /* │ */
      push_prefix(r, ' ', 0);
    } else {
      push_prefix(r, '>', 0);
      push_prefix(r, ' ', 0);
    }
  }
}

static void start_block(renderer *r) {
  rline_clear(&r->first);
  rline_clear(&r->rest);
  rline_clear(&r->content);
}

static void code_line(renderer *r) {
  start_block(r);
  for (size_t k = 0; k < 4; k++) push_prefix(r, ' ', 0);
  for (size_t i = 0; i < r->src.n; i++) rline_push(&r->content, r->src.v[i].cp, RS_CODE);
  flush_blank(r);
  render_layout(&r->e, &r->first, &r->rest, &r->content, false);
}

static void rule_line(renderer *r) {
  size_t width = r->e.opts->width, pw = r->first.n; /* prefix cells are 1 column */
  size_t w = width == 0 ? 20 : width > pw ? width - pw : 1;
  for (size_t k = 0; k < w; k++) {
    if (r->e.opts->color) rline_push(&r->content, 0x2500, RS_DIM); /* ─ */
    else rline_push(&r->content, '-', 0);
  }
}

/* ATX heading at i: 1-6 "#" then a space or the end; returns the text span. */
static bool heading_at(const rline *l, size_t i, size_t *level, size_t *text, size_t *end) {
  size_t h = 0;
  while (i + h < l->n && l->v[i + h].cp == '#') h++;
  if (h < 1 || h > 6 || (i + h < l->n && l->v[i + h].cp != ' ')) return false;
  size_t t = skip_spaces(l, i + h), e = l->n;
  while (e > t && l->v[e - 1].cp == ' ') e--;
  /* optional closing sequence " ###" */
  size_t c = e;
  while (c > t && l->v[c - 1].cp == '#') c--;
  if (c < e && (c == t || l->v[c - 1].cp == ' ')) e = c;
  while (e > t && l->v[e - 1].cp == ' ') e--;
  *level = h;
  *text = t;
  *end = e;
  return true;
}

/* List marker at i: "-", "*", "+" or 1-9 digits and "." or ")", then a
 * space. Returns the index just past the marker (0 if none). */
static size_t list_marker_at(const rline *l, size_t i, bool *ordered) {
  if (i + 1 < l->n && (l->v[i].cp == '-' || l->v[i].cp == '*' || l->v[i].cp == '+') &&
      l->v[i + 1].cp == ' ') {
    *ordered = false;
    return i + 1;
  }
  size_t d = i;
  while (d < l->n && d - i < 9 && l->v[d].cp >= '0' && l->v[d].cp <= '9') d++;
  if (d > i && d + 1 < l->n && (l->v[d].cp == '.' || l->v[d].cp == ')') &&
      l->v[d + 1].cp == ' ') {
    *ordered = true;
    return d + 1;
  }
  return 0;
}

static void list_prefix(renderer *r, const rline *l, size_t indent, size_t i, size_t marker_end,
                        bool ordered) {
  size_t level = indent / 2 < MAX_LIST_LEVEL ? indent / 2 : MAX_LIST_LEVEL;
  for (size_t k = 0; k < level * 2; k++) push_prefix(r, ' ', 0);
  size_t mw = 1;
  if (ordered) {
    for (size_t k = i; k < marker_end; k++) rline_push(&r->first, l->v[k].cp, 0);
    mw = marker_end - i;
  } else {
    rline_push(&r->first, r->e.opts->color ? 0x2022 : '*', 0); /* • */
  }
  rline_push(&r->first, ' ', 0);
  for (size_t k = 0; k < mw + 1; k++) rline_push(&r->rest, ' ', 0);
}

static void markdown_line(renderer *r) {
  rline *l = &r->src;
  uint32_t fch;
  size_t flen;
  bool bare;
  if (r->in_code) {
    if (fence_at(l, &fch, &flen, &bare) && fch == r->fence_ch && flen >= r->fence_len && bare)
      r->in_code = false;
    else
      code_line(r);
    return;
  }
  if (line_blank(l)) {
    r->pending_blank = true;
    return;
  }
  if (fence_at(l, &fch, &flen, &bare)) {
    r->in_code = true;
    r->fence_ch = fch;
    r->fence_len = flen;
    return;
  }

  start_block(r);
  /* block quotes: up to three spaces, ">", an optional space; repeated */
  size_t i = 0, quotes = 0, indent;
  for (;;) {
    size_t s = skip_spaces(l, i);
    if (s < l->n && l->v[s].cp == '>' && s - i <= 3 && quotes < MAX_QUOTE) {
      quotes++;
      i = s + 1;
      if (i < l->n && l->v[i].cp == ' ') i++;
      continue;
    }
    indent = s - i;
    i = s;
    break;
  }
  push_quote_prefix(r, quotes);

  uint8_t style = 0;
  size_t text = i, end = l->n, level, marker_end;
  bool ordered;
  if (i == l->n) {
    /* a quote line with nothing in it */
  } else if (rule_at(l, i)) {
    rule_line(r);
    flush_blank(r);
    render_layout(&r->e, &r->first, &r->rest, &r->content, false);
    return;
  } else if (heading_at(l, i, &level, &text, &end)) {
    style = level == 1 ? (RS_BOLD | RS_UNDERLINE) : RS_BOLD;
  } else if ((marker_end = list_marker_at(l, i, &ordered)) != 0) {
    list_prefix(r, l, indent, i, marker_end, ordered);
    text = skip_spaces(l, marker_end);
  }
  render_inline(l->v + text, end - text, style, &r->content);
  flush_blank(r);
  render_layout(&r->e, &r->first, &r->rest, &r->content, true);
}

mimi_err mimi_render_markdown(const uint8_t *body, size_t len, const mimi_render_opts *opts,
                              mimi_bytes *out) {
  return run(body, len, opts, markdown_line, out);
}

/* ---- dispatch ---------------------------------------------------------- */

static bool ieq(const char *a, size_t n, const char *b) {
  if (strlen(b) != n) return false;
  for (size_t i = 0; i < n; i++) {
    char c = a[i];
    if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
    if (c != b[i]) return false;
  }
  return true;
}

static size_t trim_end(const char *s, size_t n) {
  while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
  return n;
}

mimi_err mimi_render(const char *media_type, const uint8_t *body, size_t len,
                     const mimi_render_opts *opts, mimi_bytes *out) {
  if (!media_type) return MIMI_ERR_INVALID_ARG;
  size_t n = strcspn(media_type, ";");
  size_t tn = trim_end(media_type, n);
  bool markdown;
  if (ieq(media_type, tn, "text/plain")) markdown = false;
  else if (ieq(media_type, tn, "text/markdown")) markdown = true;
  else return MIMI_ERR_UNSUPPORTED;
  /* parameters: only charset matters here (RFC 7763 §2: UTF-8 is usual) */
  const char *p = media_type + n;
  while (*p == ';') {
    p++;
    while (*p == ' ' || *p == '\t') p++;
    size_t pn = strcspn(p, ";");
    size_t eq = strcspn(p, "=");
    if (eq < pn && ieq(p, trim_end(p, eq), "charset")) {
      const char *v = p + eq + 1;
      size_t vn = trim_end(v, pn - eq - 1);
      if (vn >= 2 && v[0] == '"' && v[vn - 1] == '"') v++, vn -= 2;
      if (!ieq(v, vn, "utf-8") && !ieq(v, vn, "us-ascii")) return MIMI_ERR_UNSUPPORTED;
    }
    p += pn;
  }
  return markdown ? mimi_render_markdown(body, len, opts, out)
                  : mimi_render_plain(body, len, opts, out);
}
