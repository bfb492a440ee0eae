/*
 * text_util.h — UTF-8 decoding and the "is this safe to show" test shared by
 * the identifier parser and the terminal renderer (internal to the mimi layer).
 */
#ifndef MIMI_TEXT_UTIL_H
#define MIMI_TEXT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes one code point from s[0..n) (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF). Returns the octets used (1..4), or 0
 * for an invalid or truncated sequence (n == 0 included). */
size_t mimi_utf8_next(const uint8_t *s, size_t n, uint32_t *cp);

/* Code points a message must not be able to put on a terminal or into an
 * identifier: C0 controls, DEL, C1 controls (U+0080..U+009F, which include
 * the 8-bit CSI), and the bidi embeddings, overrides and isolates
 * (U+202A..U+202E, U+2066..U+2069) that reorder displayed text. */
bool mimi_text_is_unsafe(uint32_t cp);

/* Terminal columns a code point takes: 0 for combining marks and zero-width
 * characters, 2 for East Asian wide/fullwidth and emoji, 1 otherwise (a
 * fixed table, independent of the C locale). */
unsigned mimi_text_cp_width(uint32_t cp);

/* Valid UTF-8 containing no unsafe code point. */
bool mimi_text_is_clean_utf8(const uint8_t *s, size_t n);

#endif
