/*
 * render_internal.h — the pieces of the terminal renderer shared between its
 * files: styled cells, a line of cells, and layout/emission to a writer.
 *
 * A rendered block is a prefix (quote bars, list bullet) plus content cells;
 * render_layout wraps the content to the width left after the prefix and
 * writes UTF-8 with SGR transitions between differently styled cells.
 */
#ifndef MIMI_RENDER_INTERNAL_H
#define MIMI_RENDER_INTERNAL_H

#include "mimi/render.h"

enum {
  RS_BOLD = 1u << 0,
  RS_DIM = 1u << 1,
  RS_ITALIC = 1u << 2,
  RS_UNDERLINE = 1u << 3,
  RS_STRIKE = 1u << 4,
  RS_CODE = 1u << 5,
};

typedef struct {
  uint32_t cp;
  uint8_t style;
  uint8_t width;
} rcell;

/* Growable cell array with a sticky error, like mimi_writer. */
typedef struct {
  rcell *v;
  size_t n, cap;
  mimi_err err;
} rline;

void rline_push(rline *l, uint32_t cp, uint8_t style);
void rline_push_ascii(rline *l, const char *s, uint8_t style);
void rline_clear(rline *l); /* keeps the allocation */
void rline_free(rline *l);

typedef struct {
  mimi_writer w;
  const mimi_render_opts *opts;
} remit;

/* Writes content wrapped after `first` (first line) / `rest` (following
 * lines) prefixes, each output line ending in "\n". With collapse, runs of
 * spaces are one break opportunity; without, spaces are kept as written
 * (dropped only where a line is broken). */
void render_layout(remit *e, const rline *first, const rline *rest, const rline *content,
                   bool collapse);
/* Emits an empty line. */
void render_blank(remit *e);

/* Decodes one source line of the body into sanitized code points (see
 * render.h: unsafe -> U+FFFD, CR dropped, invalid UTF-8 -> U+FFFD). */
void render_sanitize(const uint8_t *s, size_t n, rline *out);

/* Inline markdown of src[0..n) appended to out with base style. */
void render_inline(const rcell *src, size_t n, uint8_t style, rline *out);

#endif
