/*
 * render_layout.c — the renderer's back end: sanitizing source text into
 * cells, greedy word wrapping to the terminal width, and writing UTF-8 with
 * the SGR sequences for each cell's style. This is the only place that
 * writes an escape byte, and it writes only SGR sequences it composes.
 */
#include <stdlib.h>
#include <string.h>

#include "render_internal.h"
#include "text_util.h"

#define TAB_STOP 4
#define REPLACEMENT 0xfffd

void rline_push(rline *l, uint32_t cp, uint8_t style) {
  if (l->err != MIMI_OK) return;
  if (l->n == l->cap) {
    size_t cap = l->cap ? l->cap * 2 : 64;
    rcell *v = realloc(l->v, cap * sizeof *v);
    if (!v) {
      l->err = MIMI_ERR_NOMEM;
      return;
    }
    l->v = v;
    l->cap = cap;
  }
  rcell c = {cp, style, (uint8_t)mimi_text_cp_width(cp)};
  l->v[l->n++] = c;
}

void rline_push_ascii(rline *l, const char *s, uint8_t style) {
  for (; *s; s++) rline_push(l, (uint8_t)*s, style);
}

void rline_clear(rline *l) { l->n = 0; }

void rline_free(rline *l) {
  free(l->v);
  memset(l, 0, sizeof *l);
}

void render_sanitize(const uint8_t *s, size_t n, rline *out) {
  size_t i = 0, col = 0;
  while (i < n) {
    uint32_t cp;
    size_t k = mimi_utf8_next(s + i, n - i, &cp);
    if (k == 0) {
      /* one replacement per invalid byte keeps resynchronisation simple */
      cp = REPLACEMENT;
      k = 1;
    }
    i += k;
    if (cp == '\r') continue;
    if (cp == '\t') {
      do {
        rline_push(out, ' ', 0);
        col++;
      } while (col % TAB_STOP != 0);
      continue;
    }
    if (mimi_text_is_unsafe(cp)) cp = REPLACEMENT;
    rline_push(out, cp, 0);
    col += mimi_text_cp_width(cp);
  }
}

/* ---- output ------------------------------------------------------------ */

static void put_utf8(mimi_writer *w, uint32_t cp) {
  uint8_t b[4];
  size_t n;
  if (cp < 0x80) {
    b[0] = (uint8_t)cp;
    n = 1;
  } else if (cp < 0x800) {
    b[0] = (uint8_t)(0xc0 | cp >> 6);
    b[1] = (uint8_t)(0x80 | (cp & 0x3f));
    n = 2;
  } else if (cp < 0x10000) {
    b[0] = (uint8_t)(0xe0 | cp >> 12);
    b[1] = (uint8_t)(0x80 | (cp >> 6 & 0x3f));
    b[2] = (uint8_t)(0x80 | (cp & 0x3f));
    n = 3;
  } else {
    b[0] = (uint8_t)(0xf0 | cp >> 18);
    b[1] = (uint8_t)(0x80 | (cp >> 12 & 0x3f));
    b[2] = (uint8_t)(0x80 | (cp >> 6 & 0x3f));
    b[3] = (uint8_t)(0x80 | (cp & 0x3f));
    n = 4;
  }
  mimi_write_raw(w, b, n);
}

static void put_str(mimi_writer *w, const char *s) {
  mimi_write_raw(w, (const uint8_t *)s, strlen(s));
}

/* "\x1b[0m" for no style, else "\x1b[0;a;b…m": the leading 0 resets what
 * the previous cell had, so transitions need no bookkeeping. */
static void put_sgr(mimi_writer *w, uint8_t style) {
  static const struct {
    uint8_t bit;
    const char *code;
  } attrs[] = {{RS_BOLD, ";1"},      {RS_DIM, ";2"},    {RS_ITALIC, ";3"},
               {RS_UNDERLINE, ";4"}, {RS_STRIKE, ";9"}, {RS_CODE, ";36"}};
  put_str(w, "\x1b[0");
  for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++)
    if (style & attrs[i].bit) put_str(w, attrs[i].code);
  put_str(w, "m");
}

typedef struct {
  remit *e;
  uint8_t cur; /* style the terminal is in */
} out_line;

static void put_cells(out_line *o, const rcell *c, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (o->e->opts->color && c[i].style != o->cur) {
      put_sgr(&o->e->w, c[i].style);
      o->cur = c[i].style;
    }
    put_utf8(&o->e->w, c[i].cp);
  }
}

static void end_line(out_line *o) {
  if (o->cur != 0) put_str(&o->e->w, "\x1b[0m");
  o->cur = 0;
  put_str(&o->e->w, "\n");
}

void render_blank(remit *e) { put_str(&e->w, "\n"); }

static size_t cells_width(const rcell *c, size_t n) {
  size_t w = 0;
  for (size_t i = 0; i < n; i++) w += c[i].width;
  return w;
}

/* ---- wrapping ---------------------------------------------------------- */

typedef struct {
  remit *e;
  const rline *first, *rest;
  out_line o;
  size_t lines; /* lines started */
  size_t used;  /* columns used on the current line after the prefix */
  size_t avail; /* columns for content; SIZE_MAX without wrapping */
} wrapper;

static void start_line(wrapper *wr) {
  const rline *p = wr->lines == 0 ? wr->first : wr->rest;
  put_cells(&wr->o, p->v, p->n);
  wr->used = 0;
  size_t width = wr->e->opts->width;
  if (width == 0) {
    wr->avail = SIZE_MAX;
  } else {
    size_t pw = cells_width(p->v, p->n);
    /* a prefix wider than the terminal still leaves one column */
    wr->avail = pw < width ? width - pw : 1;
  }
  wr->lines++;
}

static void break_line(wrapper *wr) {
  end_line(&wr->o);
  start_line(wr);
}

/* A word (no break opportunity inside) goes on the current line if it fits,
 * else on a fresh line, split at cell boundaries if wider than a line.
 * Zero-width cells stay with the cell before them. */
static void place_word(wrapper *wr, const rcell *c, size_t n) {
  size_t ww = cells_width(c, n);
  if (wr->used > 0 && wr->used + ww > wr->avail) break_line(wr);
  size_t i = 0;
  while (i < n) {
    size_t j = i, w = 0;
    while (j < n && (wr->used + w + c[j].width <= wr->avail || (wr->used == 0 && j == i) ||
                     c[j].width == 0)) {
      w += c[j].width;
      j++;
    }
    put_cells(&wr->o, c + i, j - i);
    wr->used += w;
    i = j;
    if (i < n) break_line(wr);
  }
}

void render_layout(remit *e, const rline *first, const rline *rest, const rline *content,
                   bool collapse) {
  wrapper wr = {e, first, rest, {e, 0}, 0, 0, 0};
  start_line(&wr);
  const rcell *c = content->v;
  size_t n = content->n, i = 0;
  bool leading = true;
  while (i < n) {
    size_t s = i;
    while (i < n && c[i].cp == ' ') i++;
    size_t spaces = i - s;
    size_t w = i;
    while (w < n && c[w].cp != ' ') w++;
    if (spaces > 0 && w > i) {
      /* a separator before a word: kept if it and the word fit */
      const rcell *sep = c + s;
      size_t sep_n = collapse ? 1 : spaces;
      if (collapse && leading) sep_n = 0;
      size_t ww = cells_width(c + i, w - i);
      if (wr.used > 0 && wr.used + sep_n + ww > wr.avail) {
        break_line(&wr);
      } else if (sep_n > 0) {
        put_cells(&wr.o, sep, sep_n);
        wr.used += sep_n;
      }
    } /* spaces with no word after them (line end) are dropped */
    place_word(&wr, c + i, w - i);
    if (w > i) leading = false;
    i = w;
  }
  end_line(&wr.o);
}
