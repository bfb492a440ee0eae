/*
 * status.c — the MessageStatusReport codec of
 * draft-mahy-mimi-message-status-01 §4: a CBOR array of
 * [messageId, status] pairs, written deterministically and read strictly
 * through cbor_strict (which owns every well-formedness and shortest-form
 * rule; this file only checks the report's shape).
 */
#include <stdlib.h>
#include <string.h>

#include "cbor_strict.h"
#include "mimi/status.h"

const char *mimi_status_name(uint8_t status) {
  static const char *const names[] = {"unread", "delivered", "read",  "expired",
                                      "deleted", "hidden",   "error"};
  return status < MIMI_STATUS_FIRST_UNKNOWN ? names[status] : "unknown";
}

mimi_err mimi_status_report_encode(const mimi_status_report *report, mimi_bytes *out) {
  if (!report || !out || (report->count && !report->entries)) return MIMI_ERR_INVALID_ARG;
  mimi_writer w;
  mimi_writer_init(&w);
  mimi_cbor_write_array(&w, report->count);
  for (size_t i = 0; i < report->count; i++) {
    mimi_cbor_write_array(&w, 2);
    mimi_cbor_write_bytes(&w, report->entries[i].message_id, MIMI_MESSAGE_ID_LEN);
    mimi_cbor_write_uint(&w, report->entries[i].status);
  }
  return mimi_writer_finish(&w, out);
}

static mimi_err read_entry(mimi_reader *r, mimi_status_entry *e) {
  size_t n;
  MIMI_TRY(mimi_cbor_read_array(r, &n));
  if (n != 2) return MIMI_ERR_BAD_CONTENT;
  const uint8_t *id;
  size_t id_len;
  MIMI_TRY(mimi_cbor_read_bytes(r, &id, &id_len));
  if (id_len != MIMI_MESSAGE_ID_LEN) return MIMI_ERR_BAD_CONTENT;
  uint64_t status;
  MIMI_TRY(mimi_cbor_read_uint(r, &status));
  if (status > 255) return MIMI_ERR_BAD_CONTENT; /* unknownStatus = 7..255 */
  memcpy(e->message_id, id, MIMI_MESSAGE_ID_LEN);
  e->status = (uint8_t)status;
  return MIMI_OK;
}

mimi_err mimi_status_report_decode(const uint8_t *data, size_t len, mimi_status_report *out) {
  if ((!data && len) || !out) return MIMI_ERR_INVALID_ARG;
  mimi_reader r = mimi_reader_init(data, len);
  size_t count;
  MIMI_TRY(mimi_cbor_read_array(&r, &count)); /* count is bounded by the input */
  mimi_status_entry *entries = NULL;
  if (count > 0) {
    entries = calloc(count, sizeof *entries);
    if (!entries) return MIMI_ERR_NOMEM;
  }
  mimi_err err = MIMI_OK;
  for (size_t i = 0; i < count && err == MIMI_OK; i++) err = read_entry(&r, &entries[i]);
  if (err == MIMI_OK) err = mimi_reader_done(&r);
  if (err != MIMI_OK) {
    free(entries);
    return err;
  }
  out->entries = entries;
  out->count = count;
  return MIMI_OK;
}

void mimi_status_report_free(mimi_status_report *report) {
  if (!report) return;
  free(report->entries);
  report->entries = NULL;
  report->count = 0;
}
