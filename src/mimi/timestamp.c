/* timestamp.c — the Timestamp of draft-ietf-mimi-content §4.6: either
 * milliseconds since the UNIX epoch as a uint, or RFC 9581 extended time
 * (tag 1001) holding base seconds (key 1) and optional milliseconds (key -3).
 * Finer fractions (keys -6, -9) and other keys cannot be represented in
 * milliseconds without loss and are refused as UNSUPPORTED. */
#include "content_internal.h"

#define TAG_EXTENDED_TIME 1001
#define KEY_SECONDS 1
#define KEY_MILLIS (-3)

static mimi_err read_extended(mimi_reader *r, uint64_t *ms) {
  /* Validate the whole map first: order, duplicates, well-formedness. */
  mimi_reader check = *r;
  const uint8_t *item;
  size_t item_len, n;
  MIMI_TRY(mimi_cbor_read_item(&check, 2, 0, &item, &item_len));
  MIMI_TRY(mimi_cbor_read_map(r, &n));
  bool have_secs = false;
  uint64_t secs = 0, millis = 0;
  for (size_t i = 0; i < n; i++) {
    int64_t key;
    mimi_err err = mimi_cbor_read_int(r, &key);
    if (err == MIMI_ERR_CBOR_TYPE) return MIMI_ERR_UNSUPPORTED;
    MIMI_TRY(err);
    if (key == KEY_SECONDS) {
      MIMI_TRY(mimi_cbor_read_uint(r, &secs)); /* uint: MsecsSinceEpoch is unsigned */
      have_secs = true;
    } else if (key == KEY_MILLIS) {
      MIMI_TRY(mimi_cbor_read_uint(r, &millis));
      if (millis > 999) return MIMI_ERR_BAD_CONTENT;
    } else {
      return MIMI_ERR_UNSUPPORTED;
    }
  }
  if (!have_secs) return MIMI_ERR_BAD_CONTENT;
  if (secs > (UINT64_MAX - millis) / 1000) return MIMI_ERR_TOO_LARGE;
  *ms = secs * 1000 + millis;
  return MIMI_OK;
}

mimi_err mimi_timestamp_read(mimi_reader *r, mimi_timestamp *out) {
  mimi_reader save = *r;
  mimi_cbor_head h;
  mimi_timestamp t = {0, MIMI_TIME_MSECS};
  MIMI_TRY(mimi_cbor_peek_head(r, &h));
  mimi_err err;
  if (h.major == MIMI_CBOR_UINT) {
    err = mimi_cbor_read_uint(r, &t.ms);
  } else if (h.major == MIMI_CBOR_TAG && h.arg == TAG_EXTENDED_TIME) {
    uint64_t tag;
    t.form = MIMI_TIME_EXTENDED;
    err = mimi_cbor_read_tag(r, &tag);
    if (err == MIMI_OK) err = read_extended(r, &t.ms);
  } else {
    err = MIMI_ERR_CBOR_TYPE;
  }
  if (err != MIMI_OK) {
    *r = save;
    return err;
  }
  *out = t;
  return MIMI_OK;
}

void mimi_timestamp_write(mimi_writer *w, const mimi_timestamp *t) {
  if (t->form == MIMI_TIME_MSECS) {
    mimi_cbor_write_uint(w, t->ms);
    return;
  }
  uint64_t millis = t->ms % 1000;
  mimi_cbor_write_tag(w, TAG_EXTENDED_TIME);
  mimi_cbor_write_map(w, millis ? 2 : 1);
  mimi_cbor_write_int(w, KEY_SECONDS); /* 0x01 sorts before -3 (0x22) */
  mimi_cbor_write_uint(w, t->ms / 1000);
  if (millis) {
    mimi_cbor_write_int(w, KEY_MILLIS);
    mimi_cbor_write_uint(w, millis);
  }
}
