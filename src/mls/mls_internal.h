/* mls_internal.h — helpers shared by the MLS layer's sources, not exported. */
#ifndef MIMI_MLS_INTERNAL_H
#define MIMI_MLS_INTERNAL_H

#include "mimi/mls.h"

/* A string literal as the (label, label_len) argument pair. */
#define MLS_LABEL(s) (const uint8_t *)(s), (sizeof(s) - 1)

/* The suite row for id, or UNSUPPORTED_SUITE. */
MIMI_MUST_CHECK mimi_err mls_suite_lookup(uint16_t id, const mimi_suite **out);

/* struct { opaque label<V>; opaque second<V>; } with label prefixed by
 * "MLS 1.0 ": the shape of SignContent and EncryptContext. */
MIMI_MUST_CHECK mimi_err mls_label_pair(const uint8_t *label, size_t label_len,
                                        const uint8_t *second, size_t second_len,
                                        mimi_bytes *out);

/* The suite of an epoch's secrets, checking the struct is consistent. */
MIMI_MUST_CHECK mimi_err mls_epoch_suite(const mls_epoch_secrets *s, const mimi_suite **out);

/* Hash (the suite's) of everything written to w; w is consumed. */
MIMI_MUST_CHECK mimi_err mls_hash_written(const mimi_suite *s, mimi_writer *w,
                                          uint8_t *out /* Nh */);

/* HPKE base-mode parameters of a suite, with the given info. */
mimi_hpke_params mls_hpke_base_params(const mimi_suite *s, const uint8_t *info,
                                      size_t info_len);

#endif
