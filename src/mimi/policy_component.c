/* policy_component.c — the rules one room component must satisfy on its own
 * (enum ranges and the field constraints of room-policy-04 §3-§7 and
 * protocol-06 §Room Metadata), and the id -> type map. */
#include <stdlib.h>
#include <string.h>

#include "mimi/policy.h"

const mimi_type *mimi_room_component_type(uint16_t id) {
  switch (id) {
  case MIMI_COMPONENT_PARTICIPANT_LIST: return mimi_participant_list_type();
  case MIMI_COMPONENT_ROOM_METADATA: return mimi_room_metadata_type();
  case MIMI_COMPONENT_MLS_OPERATIONAL_POLICY: return mimi_operational_parameters_type();
  case MIMI_COMPONENT_ROLES_LIST: return mimi_role_data_type();
  case MIMI_COMPONENT_PREAUTH_LIST: return mimi_preauth_data_type();
  case MIMI_COMPONENT_BASE_ROOM_POLICY: return mimi_base_room_policy_type();
  case MIMI_COMPONENT_STATUS_NOTIFICATION_POLICY: return mimi_status_notification_policy_type();
  case MIMI_COMPONENT_JOIN_LINK_POLICY: return mimi_join_link_policy_type();
  case MIMI_COMPONENT_JOIN_LINKS: return mimi_join_links_type();
  case MIMI_COMPONENT_LINK_PREVIEW_POLICY: return mimi_link_preview_policy_type();
  case MIMI_COMPONENT_ASSET_POLICY: return mimi_asset_policy_type();
  case MIMI_COMPONENT_LOGGING_POLICY: return mimi_logging_policy_type();
  case MIMI_COMPONENT_CHAT_HISTORY_POLICY: return mimi_history_policy_type();
  case MIMI_COMPONENT_BOT_POLICY: return mimi_bot_policy_type();
  case MIMI_COMPONENT_MESSAGE_EXPIRATION_POLICY: return mimi_message_expiration_type();
  default: return NULL;
  }
}

bool mimi_role_has_capability(const mimi_role *role, uint16_t cap) {
  if (!role) return false;
  for (size_t i = 0; i < role->role_capabilities_count; i++)
    if (role->role_capabilities[i] == cap) return true;
  return false;
}

const char *mimi_capability_name(uint16_t cap) {
  switch (cap) {
#define MIMI_CAP_NAME_(name, value, text) case value: return text;
    MIMI_CAPABILITIES(MIMI_CAP_NAME_)
#undef MIMI_CAP_NAME_
  default: return NULL;
  }
}

/* bool is `enum { false(0), true(1) }` (§5): any other byte is a bad tag. */
static mimi_err check_bool(uint8_t v) { return v <= 1 ? MIMI_OK : MIMI_ERR_BAD_TAG; }
static mimi_err check_optionality(uint8_t v) {
  return v <= MIMI_FORBIDDEN ? MIMI_OK : MIMI_ERR_BAD_TAG;
}

static bool u32_in(const uint32_t *v, size_t n, uint32_t x) {
  for (size_t i = 0; i < n; i++)
    if (v[i] == x) return true;
  return false;
}

/* §3, §8.1.1: per-role rules that need no other component. */
static mimi_err validate_roles(const mimi_role_data *rd) {
  for (size_t i = 0; i < rd->roles_count; i++) {
    const mimi_role *r = &rd->roles[i];
    for (size_t j = 0; j < i; j++)
      if (rd->roles[j].role_index == r->role_index) return MIMI_ERR_POLICY_INVALID;
    if (r->maximum_participants_constraint &&
        *r->maximum_participants_constraint < r->minimum_participants_constraint)
      return MIMI_ERR_POLICY_INVALID;
    if (r->maximum_active_participants_constraint &&
        *r->maximum_active_participants_constraint < r->minimum_active_participants_constraint)
      return MIMI_ERR_POLICY_INVALID;
    /* an entry per from_role_index: "the" entry of §8.1 must be unique */
    bool has_from_zero = false;
    for (size_t k = 0; k < r->authorized_role_changes_count; k++) {
      uint32_t from = r->authorized_role_changes[k].from_role_index;
      if (from == MIMI_ROLE_NONE) has_from_zero = true;
      for (size_t m = 0; m < k; m++)
        if (r->authorized_role_changes[m].from_role_index == from) return MIMI_ERR_POLICY_INVALID;
    }
    bool open_join = mimi_role_has_capability(r, MIMI_CAP_OPEN_JOIN);
    /* §8.1.1 canOpenJoin: only on role zero, which then needs a from-0 entry */
    if (open_join && (r->role_index != MIMI_ROLE_NONE || !has_from_zero))
      return MIMI_ERR_POLICY_INVALID;
  }
  return MIMI_OK;
}

static mimi_err validate_role_data(const void *v) { return validate_roles(v); }

static mimi_err validate_preauth(const void *v) {
  const mimi_preauth_data *p = v;
  for (size_t i = 0; i < p->preauthorized_entries_count; i++) {
    mimi_role_data one = {(mimi_role *)&p->preauthorized_entries[i].target_role, 1};
    MIMI_TRY(validate_roles(&one));
  }
  return MIMI_OK;
}

static mimi_err validate_base(const void *v) {
  const mimi_base_room_policy *b = v;
  MIMI_TRY(check_bool(b->fixed_membership));
  MIMI_TRY(check_bool(b->parent_dependant));
  MIMI_TRY(check_bool(b->multi_device));
  MIMI_TRY(check_bool(b->pseudonyms_allowed));
  MIMI_TRY(check_bool(b->persistent_room));
  MIMI_TRY(check_bool(b->discoverable));
  /* §5: parent_room names the parent iff parent-dependent, else is empty */
  size_t want = b->parent_dependant ? 1 : 0;
  if (b->parent_room_count != want) return MIMI_ERR_POLICY_INVALID;
  if (want && b->parent_room[0].uri.len == 0) return MIMI_ERR_POLICY_INVALID;
  return MIMI_OK;
}

static mimi_err validate_status(const void *v) {
  const mimi_status_notification_policy *s = v;
  MIMI_TRY(check_optionality(s->delivery_notifications));
  return check_optionality(s->read_receipts);
}

static mimi_err validate_join_link_policy(const void *v) {
  const mimi_join_link_policy *j = v;
  MIMI_TRY(check_bool(j->on_request));
  return check_bool(j->multiuser);
}

static mimi_err validate_join_links(const void *v) {
  const mimi_join_links *l = v;
  for (size_t i = 0; i < l->links_count; i++) {
    if (l->links[i].join_link.len == 0) return MIMI_ERR_POLICY_INVALID;
    for (size_t j = 0; j < i; j++)
      if (mimi_bytes_eq(&l->links[i].join_link, &l->links[j].join_link))
        return MIMI_ERR_POLICY_INVALID;
  }
  return MIMI_OK;
}

static mimi_err validate_link_preview(const void *v) {
  const mimi_link_preview_policy *p = v;
  MIMI_TRY(check_optionality(p->autodetect_hyperlinks_in_text));
  MIMI_TRY(check_optionality(p->send_link_previews));
  MIMI_TRY(check_optionality(p->automatic_link_previews));
  /* §6.3: autodetection "MUST NOT be mandatory"; a proxy URI is required
   * whenever proxy use is not forbidden */
  if (p->autodetect_hyperlinks_in_text == MIMI_REQUIRED) return MIMI_ERR_POLICY_INVALID;
  if (p->proxy.link_preview_proxy_use != MIMI_FORBIDDEN) {
    const mimi_wire_uri_list *l = &p->proxy.when_optional; /* same member for both arms */
    if (l->uris_count == 0) return MIMI_ERR_POLICY_INVALID;
    for (size_t i = 0; i < l->uris_count; i++)
      if (l->uris[i].uri.len == 0) return MIMI_ERR_POLICY_INVALID;
  }
  return MIMI_OK;
}

static mimi_err validate_asset(const void *v) {
  const mimi_asset_policy *a = v;
  if (a->asset_upload_location > MIMI_UPLOAD_HUB) return MIMI_ERR_BAD_TAG;
  const mimi_download_privacy *d = &a->download_privacy;
  for (size_t i = 0; i < d->allowed_download_types_count; i++)
    if (d->allowed_download_types[i] > MIMI_DOWNLOAD_OHTTP) return MIMI_ERR_BAD_TAG;
  for (size_t i = 0; i < d->forbidden_download_types_count; i++)
    if (d->forbidden_download_types[i] > MIMI_DOWNLOAD_OHTTP) return MIMI_ERR_BAD_TAG;
  if (d->default_download_type > MIMI_DOWNLOAD_OHTTP) return MIMI_ERR_BAD_TAG;
  /* a mechanism cannot be both allowed and forbidden, nor the default forbidden */
  for (size_t i = 0; i < d->forbidden_download_types_count; i++) {
    uint8_t f = d->forbidden_download_types[i];
    if (f == d->default_download_type) return MIMI_ERR_POLICY_INVALID;
    for (size_t j = 0; j < d->allowed_download_types_count; j++)
      if (d->allowed_download_types[j] == f) return MIMI_ERR_POLICY_INVALID;
  }
  /* §6.4: with hub upload, only the hub's provider entry is present */
  if (a->asset_upload_location == MIMI_UPLOAD_HUB && a->upload_domains_count != 1)
    return MIMI_ERR_POLICY_INVALID;
  return MIMI_OK;
}

static mimi_err validate_logging(const void *v) {
  const mimi_logging_policy *l = v;
  /* §6.5: required logging names at least one logging client */
  if (l->logging == MIMI_REQUIRED && l->when_required.logging_clients_count == 0)
    return MIMI_ERR_POLICY_INVALID;
  return MIMI_OK;
}

static mimi_err validate_history(const void *v) {
  const mimi_history_policy *h = v;
  if (h->history_sharing == MIMI_FORBIDDEN) return MIMI_OK;
  const mimi_history_sharing *s = &h->when_optional;
  MIMI_TRY(check_bool(s->automatically_share));
  /* §6.6: roles 0 and 1 cannot share (role max_active is checked against
   * the roles list in mimi_room_state_validate) */
  if (u32_in(s->roles_that_can_share, s->roles_that_can_share_count, MIMI_ROLE_NONE) ||
      u32_in(s->roles_that_can_share, s->roles_that_can_share_count, MIMI_ROLE_BANNED))
    return MIMI_ERR_POLICY_INVALID;
  return MIMI_OK;
}

static mimi_err validate_bot(const void *v) {
  const mimi_bot_policy *b = v;
  for (size_t i = 0; i < b->allowed_bots_count; i++) {
    const mimi_bot *bot = &b->allowed_bots[i];
    MIMI_TRY(check_bool(bot->local_client_bot));
    MIMI_TRY(check_bool(bot->can_target_message_in_group));
    MIMI_TRY(check_bool(bot->per_user_content));
    /* §6.7: a local client bot has bot_role_index 0 */
    if (bot->local_client_bot && bot->bot_role_index != MIMI_ROLE_NONE)
      return MIMI_ERR_POLICY_INVALID;
  }
  return MIMI_OK;
}

static mimi_err validate_expiration(const void *v) {
  const mimi_message_expiration *e = v;
  if (e->expiring_messages == MIMI_FORBIDDEN) return MIMI_OK;
  const mimi_expiration_bounds *b = &e->when_optional;
  if (b->min_expiration_duration > b->max_expiration_duration) return MIMI_ERR_POLICY_INVALID;
  if (b->default_expiration_duration &&
      (*b->default_expiration_duration < b->min_expiration_duration ||
       *b->default_expiration_duration > b->max_expiration_duration))
    return MIMI_ERR_POLICY_INVALID;
  return MIMI_OK;
}

static mimi_err validate_operational(const void *v) {
  const mimi_operational_parameters *o = v;
  MIMI_TRY(check_bool(o->external_proposal_allowed));
  MIMI_TRY(check_bool(o->external_commit_allowed));
  const mimi_min_default_max_time *t[] = {&o->leaf_node_update_time,
                                          &o->sender_nonce_keypair_lifetime,
                                          &o->buffer_incoming_message_time};
  for (size_t i = 0; i < 3; i++)
    if (t[i]->minimum_time > t[i]->default_time || t[i]->default_time > t[i]->maximum_time)
      return MIMI_ERR_POLICY_INVALID;
  if (o->pending_proposal_policy.pending_proposal_strategy == MIMI_PENDING_RANDOM_DELAY &&
      o->pending_proposal_policy.random_delay.minimum_delay_ms >
          o->pending_proposal_policy.random_delay.maximum_delay_ms)
    return MIMI_ERR_POLICY_INVALID;
  return MIMI_OK;
}

static int user_cmp(const void *a, const void *b) {
  const mimi_bytes *x = *(const mimi_bytes *const *)a, *y = *(const mimi_bytes *const *)b;
  if (x->len != y->len) return x->len < y->len ? -1 : 1;
  return memcmp(x->data, y->data, x->len);
}

static mimi_err validate_participants(const void *v) {
  const mimi_participant_list *p = v;
  size_t n = p->participants_count;
  for (size_t i = 0; i < n; i++)
    /* role 0 means "not in the list" (§3), so no entry carries it */
    if (p->participants[i].user.len == 0 || p->participants[i].role_index == MIMI_ROLE_NONE)
      return MIMI_ERR_POLICY_INVALID;
  if (n < 2) return MIMI_OK;
  /* unique users, by sorting (rooms can be large) */
  const mimi_bytes **users = malloc(n * sizeof *users);
  if (!users) return MIMI_ERR_NOMEM;
  for (size_t i = 0; i < n; i++) users[i] = &p->participants[i].user;
  qsort(users, n, sizeof *users, user_cmp);
  mimi_err err = MIMI_OK;
  for (size_t i = 1; i < n && err == MIMI_OK; i++)
    if (user_cmp(&users[i - 1], &users[i]) == 0) err = MIMI_ERR_POLICY_INVALID;
  free(users);
  return err;
}

static mimi_err validate_metadata(const void *v) {
  const mimi_room_metadata *m = v;
  /* the room URI is the room's identity; the other fields may be empty */
  return m->room_uri.uri.len ? MIMI_OK : MIMI_ERR_POLICY_INVALID;
}

mimi_err mimi_room_component_validate(uint16_t id, const void *value) {
  if (!value) return MIMI_ERR_INVALID_ARG;
  switch (id) {
  case MIMI_COMPONENT_PARTICIPANT_LIST: return validate_participants(value);
  case MIMI_COMPONENT_ROOM_METADATA: return validate_metadata(value);
  case MIMI_COMPONENT_MLS_OPERATIONAL_POLICY: return validate_operational(value);
  case MIMI_COMPONENT_ROLES_LIST: return validate_role_data(value);
  case MIMI_COMPONENT_PREAUTH_LIST: return validate_preauth(value);
  case MIMI_COMPONENT_BASE_ROOM_POLICY: return validate_base(value);
  case MIMI_COMPONENT_STATUS_NOTIFICATION_POLICY: return validate_status(value);
  case MIMI_COMPONENT_JOIN_LINK_POLICY: return validate_join_link_policy(value);
  case MIMI_COMPONENT_JOIN_LINKS: return validate_join_links(value);
  case MIMI_COMPONENT_LINK_PREVIEW_POLICY: return validate_link_preview(value);
  case MIMI_COMPONENT_ASSET_POLICY: return validate_asset(value);
  case MIMI_COMPONENT_LOGGING_POLICY: return validate_logging(value);
  case MIMI_COMPONENT_CHAT_HISTORY_POLICY: return validate_history(value);
  case MIMI_COMPONENT_BOT_POLICY: return validate_bot(value);
  case MIMI_COMPONENT_MESSAGE_EXPIRATION_POLICY: return validate_expiration(value);
  default: return MIMI_ERR_UNSUPPORTED;
  }
}

mimi_err mimi_room_component_decode(uint16_t id, const uint8_t *data, size_t len, void *out) {
  const mimi_type *t = mimi_room_component_type(id);
  if (!t) return MIMI_ERR_UNSUPPORTED;
  MIMI_TRY(mimi_decode_exact(t, data, len, out));
  mimi_err err = mimi_room_component_validate(id, out);
  if (err != MIMI_OK) mimi_free(t, out);
  return err;
}
