/* safe_aad.c — the extensions draft's Safe AAD: authenticated_data framed
 * as a SafeAAD (items in strictly increasing component order) once the
 * GroupContext's app_data_dictionary has the safe_aad component, and
 * application messages protected with such items. */
#include <stdlib.h>
#include <string.h>

#include "group_internal.h"

static mimi_err check_order(const mls_safe_aad_item *items, size_t n) {
  for (size_t i = 1; i < n; i++)
    if (items[i].component_id <= items[i - 1].component_id) return MIMI_ERR_BAD_SAFE_AAD;
  return MIMI_OK;
}

mimi_err mls_safe_aad_build(const mls_safe_aad_item *items, size_t n, mimi_bytes *out) {
  if (n > 0 && items == NULL) return MIMI_ERR_INVALID_ARG;
  MIMI_TRY(check_order(items, n));
  mls_safe_aad aad = {(mls_safe_aad_item *)items, n}; /* view */
  return mls_safe_aad_encode(&aad, out);
}

mimi_err mls_safe_aad_parse(const uint8_t *data, size_t len, mls_safe_aad *out) {
  mls_safe_aad aad;
  MIMI_TRY(mls_safe_aad_decode(data, len, &aad));
  mimi_err err = check_order(aad.aad_items, aad.aad_items_count);
  if (err != MIMI_OK) {
    mls_safe_aad_free(&aad);
    return err;
  }
  *out = aad;
  return MIMI_OK;
}

const mls_safe_aad_item *mls_safe_aad_find(const mls_safe_aad *aad, uint16_t component_id) {
  for (size_t i = 0; i < aad->aad_items_count; i++)
    if (aad->aad_items[i].component_id == component_id) return &aad->aad_items[i];
  return NULL;
}

mimi_err group_context_default_aad(const mls_group_context *ctx, mimi_bytes *out) {
  *out = (mimi_bytes){NULL, 0};
  if (!group_context_uses_safe_aad(ctx)) return MIMI_OK;
  return mls_safe_aad_build(NULL, 0, out);
}

mimi_err group_default_aad(const mls_group *g, mimi_bytes *out) {
  return group_context_default_aad(&g->ctx, out);
}

mimi_err group_check_aad(const mls_group *g, const mimi_bytes *aad) {
  if (!mls_group_uses_safe_aad(g)) return MIMI_OK;
  mls_safe_aad parsed;
  MIMI_TRY(mls_safe_aad_parse(aad->data, aad->len, &parsed));
  mls_safe_aad_free(&parsed);
  return MIMI_OK;
}

mimi_err mls_group_protect_safe(mls_group *g, const uint8_t *data, size_t len,
                                const mls_safe_aad_item *items, size_t n_items,
                                const mimi_rng *rng, mls_message *out) {
  mimi_bytes aad;
  MIMI_TRY(mls_safe_aad_build(items, n_items, &aad));
  mimi_err err = mls_group_protect(g, data, len, aad.data, aad.len, rng, out);
  mimi_bytes_free(&aad);
  return err;
}

/* The AAD travels in the clear, so a malformed SafeAAD is refused before
 * decryption and costs no generation; the AEAD then authenticates it. */
mimi_err mls_group_unprotect_safe(mls_group *g, const mls_message *msg, mimi_bytes *data,
                                  uint32_t *sender, mls_safe_aad *aad) {
  if (msg->body.wire_format != MLS_WIRE_PRIVATE_MESSAGE) return MIMI_ERR_BAD_WIRE_FORMAT;
  const mimi_bytes *ad = &msg->body.private_message.authenticated_data;
  mls_safe_aad parsed;
  MIMI_TRY(mls_safe_aad_parse(ad->data, ad->len, &parsed));
  mimi_err err = mls_group_unprotect(g, msg, data, sender);
  if (err != MIMI_OK) {
    mls_safe_aad_free(&parsed);
    return err;
  }
  *aad = parsed;
  return MIMI_OK;
}
