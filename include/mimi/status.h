/*
 * mimi/status.h — delivery and read status reports
 * (draft-mahy-mimi-message-status-01, media type
 * application/mimi-message-status), and their aggregation per message.
 *
 *   MessageStatusReport = [ * PerMessageStatus ]
 *   PerMessageStatus    = [ messageId: bstr .size 32, status: 0..255 ]
 *
 * Status 0..6 are defined (§3); 7..255 are "unknownStatus" in the CDDL and
 * decode fine (they are carried, not interpreted). The encoding is
 * deterministic CBOR (RFC 8949 §4.2.1); decoding is strict:
 *   MIMI_ERR_CBOR_TYPE          a value of the wrong major type
 *   MIMI_ERR_BAD_CONTENT        an entry that is not a 2-element array, a
 *                               message ID that is not 32 octets, a status
 *                               above 255
 *   MIMI_ERR_CBOR_INDEFINITE    indefinite-length array or byte string
 *   MIMI_ERR_CBOR_NON_CANONICAL a length or integer not in shortest form
 *   MIMI_ERR_CBOR               not well-formed CBOR
 *   MIMI_ERR_TRUNCATED          input ends inside the report
 *   MIMI_ERR_TRAILING_DATA      bytes after the report
 */
#ifndef MIMI_STATUS_H
#define MIMI_STATUS_H

#include "mimi/base.h"
#include "mimi/content.h" /* MIMI_MESSAGE_ID_LEN */

#ifdef __cplusplus
extern "C" {
#endif


/* baseStatus (draft-mahy-mimi-message-status-01 §3) */
enum {
  MIMI_STATUS_UNREAD = 0,
  MIMI_STATUS_DELIVERED = 1,
  MIMI_STATUS_READ = 2,
  MIMI_STATUS_EXPIRED = 3,
  MIMI_STATUS_DELETED = 4,
  MIMI_STATUS_HIDDEN = 5,
  MIMI_STATUS_ERROR = 6,
  MIMI_STATUS_FIRST_UNKNOWN = 7, /* 7..255: unknownStatus */
};

typedef struct {
  uint8_t message_id[MIMI_MESSAGE_ID_LEN];
  uint8_t status;
} mimi_status_entry;

typedef struct {
  mimi_status_entry *entries;
  size_t count;
} mimi_status_report;

MIMI_MUST_CHECK mimi_err mimi_status_report_encode(const mimi_status_report *report,
                                                   mimi_bytes *out);
/* Decodes exactly one report spanning data[0..len). On error *out is untouched. */
MIMI_MUST_CHECK mimi_err mimi_status_report_decode(const uint8_t *data, size_t len,
                                                   mimi_status_report *out);
void mimi_status_report_free(mimi_status_report *report);
/* "unread", "delivered", …, "error"; "unknown" for 7..255. */
const char *mimi_status_name(uint8_t status);

/* ------------------------------------------------------------------------ */
/* Aggregation: the current status of each message for each reporting user.
 *
 * The draft leaves transitions to the implementation (§3); the merge here is
 * (docs/spec-notes.md "Message status"):
 *   deleted is final; expired is final except for deleted;
 *   otherwise statuses rank error < delivered < {unread, read, hidden}, and
 *   a lower rank never replaces a higher one whatever the order of arrival
 *   (a late "delivered" from a second device does not undo "read");
 *   among unread/read/hidden the report with the later timestamp wins, and
 *   on equal timestamps the one applied later;
 *   an unknown status (7..255) is kept only until any known status arrives.
 * Reporters are identified by mimi:// URI and compared canonically; a client
 * URI that names its user (/d/<user>/<device>) counts as that user. */

typedef struct mimi_status_agg mimi_status_agg;

typedef struct {
  size_t recipients;   /* reporters with any status for the message */
  size_t delivered;    /* status delivered, unread, read or hidden */
  size_t read;         /* status read */
  size_t by_status[8]; /* 0..6, and [7] for all unknown values */
} mimi_status_summary;

MIMI_MUST_CHECK mimi_err mimi_status_agg_new(mimi_status_agg **out);
void mimi_status_agg_free(mimi_status_agg *agg);
/* Applies every entry of a report sent by `reporter` (a mimi:// URI) at
 * `timestamp` (e.g. the hub-accepted time of the report, in ms). BAD_URI for
 * an invalid reporter. All or nothing: on error the aggregate is unchanged. */
MIMI_MUST_CHECK mimi_err mimi_status_agg_apply(mimi_status_agg *agg, const char *reporter,
                                               size_t reporter_len, uint64_t timestamp,
                                               const mimi_status_report *report);
/* NOT_FOUND if no report mentioned the message. */
MIMI_MUST_CHECK mimi_err mimi_status_agg_summary(const mimi_status_agg *agg,
                                                 const uint8_t message_id[MIMI_MESSAGE_ID_LEN],
                                                 mimi_status_summary *out);
/* The current status of one reporter for one message; NOT_FOUND if none. */
MIMI_MUST_CHECK mimi_err mimi_status_agg_get(const mimi_status_agg *agg,
                                             const uint8_t message_id[MIMI_MESSAGE_ID_LEN],
                                             const char *reporter, size_t reporter_len,
                                             uint8_t *status);

#ifdef __cplusplus
}
#endif
#endif /* MIMI_STATUS_H */
