/* policy_assets.c — the asset policy of room-policy-04 §6.4 applied to one
 * attached asset: where it was uploaded, its media type and its size. */
#include <string.h>

#include "mimi/policy.h"

/* Domain names and media type/subtype and parameter names are
 * case-insensitive (RFC 4343, RFC 2045 §5.1). */
static bool ascii_case_eq(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen) {
  if (alen != blen) return false;
  for (size_t i = 0; i < alen; i++) {
    uint8_t x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = (uint8_t)(x + 32);
    if (y >= 'A' && y <= 'Z') y = (uint8_t)(y + 32);
    if (x != y) return false;
  }
  return true;
}

static bool bytes_case_eq(const mimi_bytes *a, const uint8_t *b, size_t blen) {
  return ascii_case_eq(a->data, a->len, b, blen);
}

static bool host_listed(const mimi_provider_upload_domains *p, const uint8_t *host, size_t len) {
  for (size_t i = 0; i < p->asset_upload_destinations_count; i++)
    if (bytes_case_eq(&p->asset_upload_destinations[i].domain, host, len)) return true;
  return false;
}

static mimi_err check_location(const mimi_asset_policy *a, const uint8_t *sender_domain,
                               size_t sd_len, const uint8_t *host, size_t host_len) {
  switch (a->asset_upload_location) {
  case MIMI_UPLOAD_UNSPECIFIED: return MIMI_OK;
  case MIMI_UPLOAD_LOCAL_PROVIDER:
    /* the entry of the provider whose name is the sender's domain */
    for (size_t i = 0; i < a->upload_domains_count; i++)
      if (bytes_case_eq(&a->upload_domains[i].provider.domain, sender_domain, sd_len))
        return host_listed(&a->upload_domains[i], host, host_len) ? MIMI_OK
                                                                  : MIMI_ERR_POLICY_FORBIDDEN;
    return MIMI_ERR_POLICY_FORBIDDEN;
  default: /* hub: the single entry is the hub's */
    return a->upload_domains_count == 1 && host_listed(&a->upload_domains[0], host, host_len)
               ? MIMI_OK
               : MIMI_ERR_POLICY_FORBIDDEN;
  }
}

static bool param_in(const mimi_media_parameter *p, const mimi_media_type *t) {
  for (size_t i = 0; i < t->parameters_count; i++)
    if (bytes_case_eq(&t->parameters[i].parameter_name, p->parameter_name.data,
                      p->parameter_name.len) &&
        mimi_bytes_eq(&t->parameters[i].parameter_value, &p->parameter_value))
      return true;
  return false;
}

/* §6.4: an entry without parameters matches its type/subtype with any
 * parameters; an entry with parameters matches exactly those (any order). */
static bool entry_matches(const mimi_media_type *entry, const mimi_media_type *t) {
  if (!bytes_case_eq(&entry->type, t->type.data, t->type.len)) return false;
  if (entry->parameters_count == 0) return true;
  if (entry->parameters_count != t->parameters_count) return false;
  for (size_t i = 0; i < entry->parameters_count; i++)
    if (!param_in(&entry->parameters[i], t)) return false;
  return true;
}

static bool listed(const mimi_media_type *list, size_t n, const mimi_media_type *t) {
  for (size_t i = 0; i < n; i++)
    if (entry_matches(&list[i], t)) return true;
  return false;
}

mimi_err mimi_room_check_asset(const mimi_room_state *st, const uint8_t *sender_domain,
                               size_t sender_domain_len, const uint8_t *host, size_t host_len,
                               const mimi_media_type *type, uint32_t kind, uint64_t size) {
  if (!st || !type) return MIMI_ERR_INVALID_ARG;
  const mimi_asset_policy *a = st->asset;
  if (!a) return MIMI_OK;
  uint64_t max;
  switch (kind) {
  case MIMI_MSG_IMAGE: max = a->max_image; break;
  case MIMI_MSG_AUDIO: max = a->max_audio; break;
  case MIMI_MSG_VIDEO: max = a->max_video; break;
  case MIMI_MSG_ATTACHMENT: max = a->max_attachment; break;
  default: return MIMI_ERR_INVALID_ARG;
  }
  MIMI_TRY(check_location(a, sender_domain, sender_domain_len, host, host_len));
  if (listed(a->forbidden_media_types, a->forbidden_media_types_count, type))
    return MIMI_ERR_POLICY_FORBIDDEN;
  if (a->permitted_media_types &&
      !listed(a->permitted_media_types->media_types, a->permitted_media_types->media_types_count,
              type))
    return MIMI_ERR_POLICY_FORBIDDEN;
  return size > max ? MIMI_ERR_POLICY_FORBIDDEN : MIMI_OK;
}
