/* framing_internal.h — helpers shared by the PublicMessage, PrivateMessage
 * and sender data code of the framing layer (RFC 9420 §6). */
#ifndef MIMI_MLS_FRAMING_INTERNAL_H
#define MIMI_MLS_FRAMING_INTERNAL_H

#include "mimi/crypto.h"
#include "mimi/mls_framing.h"

/* The epoch's suite row; UNSUPPORTED_SUITE for an unknown id, INVALID_ARG
 * without a group context. */
MIMI_MUST_CHECK mimi_err mls_framing_suite(const mls_framing_epoch *ep, const mimi_suite **out);

/* WRONG_GROUP / WRONG_EPOCH unless group_id and epoch are the epoch's. */
MIMI_MUST_CHECK mimi_err mls_framing_check_epoch(const mls_framing_epoch *ep,
                                                 const mimi_bytes *group_id, uint64_t epoch);

/* INVALID_ARG for a commit without its confirmation_tag (set it from the
 * new transcript hash before protecting). */
MIMI_MUST_CHECK mimi_err mls_framing_check_auth(const mls_authenticated_content *ac);

/* §6.3.2 encrypted_sender_data for `sd`, keyed by the content ciphertext. */
MIMI_MUST_CHECK mimi_err mls_sender_data_seal(const mimi_suite *s, const uint8_t *sender_data_secret,
                                              const mls_sender_data_aad *aad,
                                              const mls_sender_data *sd,
                                              const mimi_bytes *ciphertext,
                                              mimi_bytes *encrypted);
/* The inverse: AEAD_OPEN for a bad tag, decoder errors for a malformed
 * SenderData. */
MIMI_MUST_CHECK mimi_err mls_sender_data_open(const mimi_suite *s, const uint8_t *sender_data_secret,
                                              const mls_sender_data_aad *aad,
                                              const mimi_bytes *encrypted,
                                              const mimi_bytes *ciphertext, mls_sender_data *sd);

#endif /* MIMI_MLS_FRAMING_INTERNAL_H */
