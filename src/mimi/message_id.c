/* message_id.c — MIMI message IDs (draft-ietf-mimi-content §3.3):
 * 0x01 || SHA-256(u16 len(sender) || sender || u16 len(room) || room ||
 * content || salt)[0..30]. The salt is hashed twice on purpose: the draft
 * appends it again to defeat SHA-256 length extension. */
#include <stdlib.h>
#include <string.h>

#include "content_internal.h"
#include "mimi/crypto.h"

mimi_err mimi_message_id_read(mimi_reader *r, uint8_t out[MIMI_MESSAGE_ID_LEN]) {
  mimi_reader save = *r;
  const uint8_t *p;
  size_t n;
  MIMI_TRY(mimi_cbor_read_bytes(r, &p, &n));
  if (n != MIMI_MESSAGE_ID_LEN) {
    *r = save;
    return MIMI_ERR_BAD_CONTENT;
  }
  memcpy(out, p, MIMI_MESSAGE_ID_LEN);
  return MIMI_OK;
}

/* The salt is the first element of the mimiContent array. */
static mimi_err peek_salt(const uint8_t *content, size_t len, const uint8_t **salt) {
  mimi_reader r = mimi_reader_init(content, len);
  size_t n;
  MIMI_TRY(mimi_cbor_read_array(&r, &n));
  if (n != 7) return MIMI_ERR_BAD_CONTENT;
  MIMI_TRY(mimi_cbor_read_bytes(&r, salt, &n));
  return n == MIMI_SALT_LEN ? MIMI_OK : MIMI_ERR_BAD_CONTENT;
}

mimi_err mimi_message_id(const uint8_t *content, size_t content_len, const uint8_t *sender_uri,
                         size_t sender_len, const uint8_t *room_uri, size_t room_len,
                         uint8_t out[MIMI_MESSAGE_ID_LEN]) {
  if (sender_len > UINT16_MAX || room_len > UINT16_MAX) return MIMI_ERR_TOO_LARGE;
  const uint8_t *salt;
  MIMI_TRY(peek_salt(content, content_len, &salt));
  mimi_writer w;
  mimi_writer_init(&w);
  mimi_write_u16(&w, (uint16_t)sender_len);
  mimi_write_raw(&w, sender_uri, sender_len);
  mimi_write_u16(&w, (uint16_t)room_len);
  mimi_write_raw(&w, room_uri, room_len);
  mimi_write_raw(&w, content, content_len);
  mimi_write_raw(&w, salt, MIMI_SALT_LEN);
  mimi_bytes input;
  MIMI_TRY(mimi_writer_finish(&w, &input));
  uint8_t digest[MIMI_MAX_HASH];
  mimi_err err = mimi_hash(MIMI_KDF_HKDF_SHA256, input.data, input.len, digest);
  mimi_bytes_free(&input);
  if (err != MIMI_OK) return err;
  out[0] = MIMI_MESSAGE_ID_SHA256;
  memcpy(out + 1, digest, MIMI_MESSAGE_ID_LEN - 1);
  return MIMI_OK;
}

mimi_err mimi_content_message_id(const mimi_content *c, uint8_t out[MIMI_MESSAGE_ID_LEN]) {
  const uint8_t *sender, *room;
  size_t sender_len, room_len;
  MIMI_TRY(mimi_content_sender_uri(c, &sender, &sender_len));
  MIMI_TRY(mimi_content_room_uri(c, &room, &room_len));
  mimi_bytes enc;
  MIMI_TRY(mimi_content_encode(c, &enc));
  mimi_err err = mimi_message_id(enc.data, enc.len, sender, sender_len, room, room_len, out);
  mimi_bytes_free(&enc);
  return err;
}
