/* fuzz_room_policy.c — libFuzzer target for the room state and the policy
 * engine. The input is an AppDataDictionary followed by a vector of
 * AppDataUpdate proposals. An accepted state must re-encode to the same
 * bytes and validate; the proposals are then applied as a commit by each
 * participant in turn, and an accepted result must validate and survive an
 * encode/decode round trip, while the original state never changes. */
#include <stdlib.h>
#include <string.h>

#include "mimi/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_roundtrip(const mimi_room_state *st) {
  if (mimi_room_state_validate(st) != MIMI_OK) abort();
  mimi_bytes enc;
  if (mimi_room_state_encode(st, &enc) != MIMI_OK) abort();
  mimi_room_state back;
  if (mimi_room_state_decode(enc.data, enc.len, &back) != MIMI_OK) abort();
  mimi_bytes again;
  if (mimi_room_state_encode(&back, &again) != MIMI_OK) abort();
  if (!mimi_bytes_eq(&enc, &again)) abort();
  mimi_bytes_free(&again);
  mimi_bytes_free(&enc);
  mimi_room_state_free(&back);
}

typedef struct {
  mls_app_data_update *items;
  size_t count;
} updates;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mimi_reader r = mimi_reader_init(data, size);
  mls_app_data_dictionary dict;
  if (mimi_decode(mls_app_data_dictionary_type(), &r, &dict) != MIMI_OK) return 0;
  mimi_room_state st;
  mimi_err err = mimi_room_state_from_dictionary(&dict, &st);
  mls_app_data_dictionary_free(&dict);
  if (err != MIMI_OK) return 0;
  size_t dict_len = r.pos;
  mimi_bytes enc;
  if (mimi_room_state_encode(&st, &enc) != MIMI_OK) abort();
  if (enc.len != dict_len || memcmp(enc.data, data, dict_len) != 0) abort();
  mimi_bytes_free(&enc);

  /* the rest: AppDataUpdate proposals, one after another */
  updates u = {NULL, 0};
  while (mimi_reader_remaining(&r) > 0 && u.count < 16) {
    mls_app_data_update *g = realloc(u.items, (u.count + 1) * sizeof *g);
    if (!g) abort();
    u.items = g;
    if (mimi_decode(mls_app_data_update_type(), &r, &u.items[u.count]) != MIMI_OK) break;
    u.count++;
  }
  mimi_room_state before;
  if (mimi_room_state_clone(&before, &st) != MIMI_OK) abort();
  size_t n = st.participants ? st.participants->participants_count : 0;
  for (size_t i = 0; i <= n && i < 8; i++) {
    /* each participant, and one outsider joining with a code */
    mimi_actor a = {(const uint8_t *)"mimi://x.example/u/outsider", 27, NULL, 0,
                    MIMI_VIA_EXTERNAL_COMMIT};
    if (i < n) {
      a.user = st.participants->participants[i].user.data;
      a.user_len = st.participants->participants[i].user.len;
      a.via = (mimi_via)(i % 3);
    }
    mimi_room_state out;
    if (mimi_room_apply_app_data(&st, NULL, &a, u.items, u.count, (const uint8_t *)"code", 4,
                                 &out) == MIMI_OK) {
      check_roundtrip(&out);
      mimi_room_state_free(&out);
    }
    if (!mimi_room_state_equal(&st, &before)) abort();
  }
  for (size_t i = 0; i < u.count; i++) mls_app_data_update_free(&u.items[i]);
  free(u.items);
  mimi_room_state_free(&before);
  mimi_room_state_free(&st);
  return 0;
}
