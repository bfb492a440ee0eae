/* derived.c — MessageDerivedValues (draft-ietf-mimi-content §4.6, implied
 * fields A.2): the values a receiver learns from the hub and MLS rather than
 * from the message, in the same strict CBOR as the content. */
#include <string.h>

#include "content_internal.h"

#define DERIVED_FIELDS 7
/* The URLs and group ID are bounded like any content field. */
#define DERIVED_FIELD_MAX ((size_t)1 << 16)

void mimi_derived_values_free(mimi_derived_values *v) {
  mimi_bytes_free(&v->mls_group_id);
  mimi_bytes_free(&v->sender_client_url);
  mimi_bytes_free(&v->sender_user_url);
  mimi_bytes_free(&v->room_url);
  memset(v, 0, sizeof *v);
}

static mimi_err read_derived(mimi_reader *r, mimi_derived_values *v) {
  size_t n;
  uint64_t leaf;
  MIMI_TRY(mimi_cbor_read_array(r, &n));
  if (n != DERIVED_FIELDS) return MIMI_ERR_BAD_CONTENT;
  MIMI_TRY(mimi_message_id_read(r, v->message_id));
  MIMI_TRY(mimi_timestamp_read(r, &v->hub_accepted));
  MIMI_TRY(mimi_cbor_read_bytes_copy(r, DERIVED_FIELD_MAX, &v->mls_group_id));
  MIMI_TRY(mimi_cbor_read_uint(r, &leaf));
  if (leaf > UINT32_MAX) return MIMI_ERR_BAD_CONTENT; /* uint .size 4 */
  v->sender_leaf_index = (uint32_t)leaf;
  MIMI_TRY(mimi_cbor_read_text_copy(r, DERIVED_FIELD_MAX, &v->sender_client_url));
  MIMI_TRY(mimi_cbor_read_text_copy(r, DERIVED_FIELD_MAX, &v->sender_user_url));
  return mimi_cbor_read_text_copy(r, DERIVED_FIELD_MAX, &v->room_url);
}

mimi_err mimi_derived_values_decode(const uint8_t *data, size_t len, mimi_derived_values *out) {
  mimi_reader r = mimi_reader_init(data, len);
  mimi_derived_values v;
  memset(&v, 0, sizeof v);
  mimi_err err = read_derived(&r, &v);
  if (err == MIMI_OK) err = mimi_reader_done(&r);
  if (err != MIMI_OK) {
    mimi_derived_values_free(&v);
    return err;
  }
  *out = v;
  return MIMI_OK;
}

mimi_err mimi_derived_values_encode(const mimi_derived_values *v, mimi_bytes *out) {
  if (!mimi_text_ok(&v->sender_client_url) || !mimi_text_ok(&v->sender_user_url) ||
      !mimi_text_ok(&v->room_url) || (unsigned)v->hub_accepted.form > MIMI_TIME_EXTENDED)
    return MIMI_ERR_BAD_CONTENT;
  mimi_writer w;
  mimi_writer_init(&w);
  mimi_cbor_write_array(&w, DERIVED_FIELDS);
  mimi_cbor_write_bytes(&w, v->message_id, MIMI_MESSAGE_ID_LEN);
  mimi_timestamp_write(&w, &v->hub_accepted);
  mimi_cbor_write_bytes(&w, v->mls_group_id.data, v->mls_group_id.len);
  mimi_cbor_write_uint(&w, v->sender_leaf_index);
  mimi_cbor_write_text(&w, v->sender_client_url.data, v->sender_client_url.len);
  mimi_cbor_write_text(&w, v->sender_user_url.data, v->sender_user_url.len);
  mimi_cbor_write_text(&w, v->room_url.data, v->room_url.len);
  return mimi_writer_finish(&w, out);
}

bool mimi_derived_values_equal(const mimi_derived_values *a, const mimi_derived_values *b) {
  return memcmp(a->message_id, b->message_id, MIMI_MESSAGE_ID_LEN) == 0 &&
         a->hub_accepted.ms == b->hub_accepted.ms &&
         a->hub_accepted.form == b->hub_accepted.form &&
         mimi_bytes_same(&a->mls_group_id, &b->mls_group_id) &&
         a->sender_leaf_index == b->sender_leaf_index &&
         mimi_bytes_same(&a->sender_client_url, &b->sender_client_url) &&
         mimi_bytes_same(&a->sender_user_url, &b->sender_user_url) && mimi_bytes_same(&a->room_url, &b->room_url);
}
