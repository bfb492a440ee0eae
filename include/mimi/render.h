/*
 * mimi/render.h — text/plain and text/markdown message bodies rendered for a
 * terminal: word-wrapped to a width, markdown shown with ANSI SGR attributes
 * (or as plain text), and nothing from the message able to reach the
 * terminal as a control sequence.
 *
 * Safety: every C0 control except LF and TAB, DEL, every C1 control, and the
 * bidi embedding/override/isolate characters are replaced by U+FFFD; CR is
 * dropped (CRLF line ends); TAB becomes spaces; invalid UTF-8 becomes U+FFFD.
 * The only escape sequences in the output are the SGR sequences this module
 * writes itself ("\x1b[0m" and "\x1b[0;<attrs>m"), and only when color is on.
 *
 * Markdown (the GFM subset a chat client needs, draft-ietf-mimi-content's
 * "text/markdown;variant=GFM-MIMI"): ATX headings, block quotes, bullet and
 * ordered lists (nested by indentation), fenced code blocks, thematic breaks,
 * *emphasis*, **strong**, ~~strikethrough~~, `code`, [links](url) and
 * <autolinks>. A line break in the source is a line break on screen. A link
 * whose text differs from its target is shown as "text <target>" so the
 * target cannot hide behind the text.
 */
#ifndef MIMI_RENDER_H
#define MIMI_RENDER_H

#include "mimi/base.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  size_t width; /* terminal columns to wrap at; 0 = do not wrap */
  bool color;   /* emit ANSI SGR attributes */
} mimi_render_opts;

/* Largest body accepted (TOO_LARGE above). */
#define MIMI_RENDER_MAX_INPUT ((size_t)1 << 20)

/* Renders body as text/plain. Output lines end in "\n". */
MIMI_MUST_CHECK mimi_err mimi_render_plain(const uint8_t *body, size_t len,
                                           const mimi_render_opts *opts, mimi_bytes *out);
/* Renders body as markdown. */
MIMI_MUST_CHECK mimi_err mimi_render_markdown(const uint8_t *body, size_t len,
                                              const mimi_render_opts *opts, mimi_bytes *out);
/* Picks the renderer by media type ("text/plain", "text/markdown", with or
 * without parameters such as ";charset=utf-8" or ";variant=GFM-MIMI"; type
 * and subtype case-insensitive). UNSUPPORTED for any other type or a charset
 * other than UTF-8 (or US-ASCII). */
MIMI_MUST_CHECK mimi_err mimi_render(const char *media_type, const uint8_t *body, size_t len,
                                     const mimi_render_opts *opts, mimi_bytes *out);

#ifdef __cplusplus
}
#endif
#endif /* MIMI_RENDER_H */
