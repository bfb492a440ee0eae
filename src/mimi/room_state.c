/* room_state.c — the room state as a set of decoded app_data_dictionary
 * components: conversion from/to the dictionary, copy/compare/free, lookups,
 * and the rules that relate one component to another. */
#include <stdlib.h>
#include <string.h>

#include "mimi/policy.h"
#include "policy_internal.h"

/* Every interpreted component: its id and where the state keeps it. Sorted
 * by id, which is also the dictionary order. */
typedef struct {
  uint16_t id;
  size_t offset;
} slot;

#define SLOT_(id, field) {id, offsetof(mimi_room_state, field)}
static const slot slots[] = {
    SLOT_(MIMI_COMPONENT_PARTICIPANT_LIST, participants),
    SLOT_(MIMI_COMPONENT_ROOM_METADATA, metadata),
    SLOT_(MIMI_COMPONENT_MLS_OPERATIONAL_POLICY, operational),
    SLOT_(MIMI_COMPONENT_ROLES_LIST, roles),
    SLOT_(MIMI_COMPONENT_PREAUTH_LIST, preauth),
    SLOT_(MIMI_COMPONENT_BASE_ROOM_POLICY, base),
    SLOT_(MIMI_COMPONENT_STATUS_NOTIFICATION_POLICY, status_notification),
    SLOT_(MIMI_COMPONENT_JOIN_LINK_POLICY, join_link_policy),
    SLOT_(MIMI_COMPONENT_JOIN_LINKS, join_links),
    SLOT_(MIMI_COMPONENT_LINK_PREVIEW_POLICY, link_preview),
    SLOT_(MIMI_COMPONENT_ASSET_POLICY, asset),
    SLOT_(MIMI_COMPONENT_LOGGING_POLICY, logging),
    SLOT_(MIMI_COMPONENT_CHAT_HISTORY_POLICY, history),
    SLOT_(MIMI_COMPONENT_BOT_POLICY, bot),
    SLOT_(MIMI_COMPONENT_MESSAGE_EXPIRATION_POLICY, expiration),
};
#define N_SLOTS (sizeof slots / sizeof slots[0])

static void **slot_ptr(mimi_room_state *st, size_t i) {
  return (void **)((uint8_t *)st + slots[i].offset);
}
static void *const *slot_cptr(const mimi_room_state *st, size_t i) {
  return (void *const *)((const uint8_t *)st + slots[i].offset);
}

void **mimi_room_component_slot(mimi_room_state *st, uint16_t id) {
  for (size_t i = 0; i < N_SLOTS; i++)
    if (slots[i].id == id) return slot_ptr(st, i);
  return NULL;
}

void mimi_room_component_release(uint16_t id, void *value) {
  if (!value) return;
  mimi_free(mimi_room_component_type(id), value);
  free(value);
}

mimi_err mimi_room_component_copy(uint16_t id, const void *src, void **out) {
  const mimi_type *t = mimi_room_component_type(id);
  void *v = calloc(1, t->size);
  if (!v) return MIMI_ERR_NOMEM;
  mimi_err err = mimi_clone(t, v, src);
  if (err != MIMI_OK) {
    free(v);
    return err;
  }
  *out = v;
  return MIMI_OK;
}

void mimi_room_state_free(mimi_room_state *st) {
  if (!st) return;
  for (size_t i = 0; i < N_SLOTS; i++) mimi_room_component_release(slots[i].id, *slot_ptr(st, i));
  for (size_t i = 0; i < st->other_count; i++) mls_component_data_free(&st->other[i]);
  free(st->other);
  free(st->clients);
  memset(st, 0, sizeof *st);
}

static size_t n_participants(const mimi_room_state *st) {
  return st->participants ? st->participants->participants_count : 0;
}

mimi_err mimi_room_state_clone(mimi_room_state *dst, const mimi_room_state *src) {
  mimi_room_state t;
  memset(&t, 0, sizeof t);
  mimi_err err = MIMI_OK;
  for (size_t i = 0; i < N_SLOTS && err == MIMI_OK; i++)
    if (*slot_cptr(src, i)) err = mimi_room_component_copy(slots[i].id, *slot_cptr(src, i), slot_ptr(&t, i));
  if (err == MIMI_OK && src->other_count) {
    t.other = calloc(src->other_count, sizeof *t.other);
    if (!t.other) err = MIMI_ERR_NOMEM;
    for (size_t i = 0; err == MIMI_OK && i < src->other_count; i++) {
      err = mimi_clone(mls_component_data_type(), &t.other[i], &src->other[i]);
      if (err == MIMI_OK) t.other_count++;
    }
  }
  size_t n = n_participants(src);
  if (err == MIMI_OK && n) {
    t.clients = calloc(n, sizeof *t.clients);
    if (!t.clients) err = MIMI_ERR_NOMEM;
    else if (src->clients) memcpy(t.clients, src->clients, n * sizeof *t.clients);
  }
  if (err != MIMI_OK) {
    mimi_room_state_free(&t);
    return err;
  }
  *dst = t;
  return MIMI_OK;
}

uint32_t mimi_room_clients_at(const mimi_room_state *st, size_t i) {
  return st->clients ? st->clients[i] : 0;
}

bool mimi_room_state_equal(const mimi_room_state *a, const mimi_room_state *b) {
  for (size_t i = 0; i < N_SLOTS; i++) {
    const void *x = *slot_cptr(a, i), *y = *slot_cptr(b, i);
    if (!x != !y) return false;
    if (x && !mimi_equal(mimi_room_component_type(slots[i].id), x, y)) return false;
  }
  if (a->other_count != b->other_count) return false;
  for (size_t i = 0; i < a->other_count; i++)
    if (!mls_component_data_equal(&a->other[i], &b->other[i])) return false;
  for (size_t i = 0; i < n_participants(a); i++)
    if (mimi_room_clients_at(a, i) != mimi_room_clients_at(b, i)) return false;
  return true;
}

mimi_err mimi_room_state_from_dictionary(const mls_app_data_dictionary *dict,
                                         mimi_room_state *out) {
  mimi_room_state t;
  memset(&t, 0, sizeof t);
  mimi_err err = MIMI_OK;
  for (size_t i = 0; i < dict->component_data_count && err == MIMI_OK; i++) {
    const mls_component_data *cd = &dict->component_data[i];
    /* ext §AppData: sorted by component_id, at most one entry each */
    if (i > 0 && dict->component_data[i - 1].component_id >= cd->component_id) {
      err = MIMI_ERR_POLICY_INVALID;
      break;
    }
    void **slotp = mimi_room_component_slot(&t, cd->component_id);
    if (!slotp) {
      mls_component_data *grown = realloc(t.other, (t.other_count + 1) * sizeof *grown);
      if (!grown) {
        err = MIMI_ERR_NOMEM;
        break;
      }
      t.other = grown;
      err = mimi_clone(mls_component_data_type(), &t.other[t.other_count], cd);
      if (err == MIMI_OK) t.other_count++;
      continue;
    }
    const mimi_type *ty = mimi_room_component_type(cd->component_id);
    void *v = calloc(1, ty->size);
    if (!v) {
      err = MIMI_ERR_NOMEM;
      break;
    }
    err = mimi_room_component_decode(cd->component_id, cd->data.data, cd->data.len, v);
    if (err != MIMI_OK) {
      free(v);
      break;
    }
    *slotp = v;
  }
  if (err == MIMI_OK && n_participants(&t)) {
    t.clients = calloc(n_participants(&t), sizeof *t.clients);
    if (!t.clients) err = MIMI_ERR_NOMEM;
  }
  if (err == MIMI_OK) err = mimi_room_state_validate(&t);
  if (err != MIMI_OK) {
    mimi_room_state_free(&t);
    return err;
  }
  *out = t;
  return MIMI_OK;
}

mimi_err mimi_room_state_to_dictionary(const mimi_room_state *st, mls_app_data_dictionary *out) {
  size_t n = st->other_count;
  for (size_t i = 0; i < N_SLOTS; i++) n += *slot_cptr(st, i) != NULL;
  mls_app_data_dictionary d = {NULL, 0};
  if (n) {
    d.component_data = calloc(n, sizeof *d.component_data);
    if (!d.component_data) return MIMI_ERR_NOMEM;
  }
  /* merge the interpreted slots and the opaque ones in id order */
  size_t si = 0, oi = 0;
  mimi_err err = MIMI_OK;
  while (err == MIMI_OK && (si < N_SLOTS || oi < st->other_count)) {
    while (si < N_SLOTS && !*slot_cptr(st, si)) si++;
    bool take_slot = si < N_SLOTS &&
                     (oi >= st->other_count || slots[si].id < st->other[oi].component_id);
    if (!take_slot && oi >= st->other_count) break;
    mls_component_data *cd = &d.component_data[d.component_data_count];
    if (take_slot) {
      cd->component_id = slots[si].id;
      err = mimi_encode_alloc(mimi_room_component_type(slots[si].id), *slot_cptr(st, si), &cd->data);
      si++;
    } else {
      err = mimi_clone(mls_component_data_type(), cd, &st->other[oi]);
      oi++;
    }
    if (err == MIMI_OK) d.component_data_count++;
  }
  if (err != MIMI_OK) {
    mls_app_data_dictionary_free(&d);
    return err;
  }
  *out = d;
  return MIMI_OK;
}

mimi_err mimi_room_state_decode(const uint8_t *data, size_t len, mimi_room_state *out) {
  mls_app_data_dictionary d;
  MIMI_TRY(mls_app_data_dictionary_decode(data, len, &d));
  mimi_err err = mimi_room_state_from_dictionary(&d, out);
  mls_app_data_dictionary_free(&d);
  return err;
}

mimi_err mimi_room_state_encode(const mimi_room_state *st, mimi_bytes *out) {
  mls_app_data_dictionary d;
  MIMI_TRY(mimi_room_state_to_dictionary(st, &d));
  mimi_err err = mls_app_data_dictionary_encode(&d, out);
  mls_app_data_dictionary_free(&d);
  return err;
}

/* ------------------------------------------------------------------------ */

bool mimi_room_find_user(const mimi_room_state *st, const uint8_t *user, size_t len,
                         size_t *index) {
  for (size_t i = 0; i < n_participants(st); i++) {
    const mimi_bytes *u = &st->participants->participants[i].user;
    if (u->len == len && (len == 0 || memcmp(u->data, user, len) == 0)) {
      if (index) *index = i;
      return true;
    }
  }
  return false;
}

uint32_t mimi_room_role_of(const mimi_room_state *st, const uint8_t *user, size_t len) {
  size_t i;
  return mimi_room_find_user(st, user, len, &i) ? st->participants->participants[i].role_index
                                                : MIMI_ROLE_NONE;
}

const mimi_role *mimi_room_find_role(const mimi_room_state *st, uint32_t index) {
  if (!st->roles) return NULL;
  for (size_t i = 0; i < st->roles->roles_count; i++)
    if (st->roles->roles[i].role_index == index) return &st->roles->roles[i];
  return NULL;
}

mimi_err mimi_room_set_clients(mimi_room_state *st, const uint8_t *user, size_t len,
                               uint32_t clients) {
  size_t i;
  if (!mimi_room_find_user(st, user, len, &i)) return MIMI_ERR_POLICY_NO_SUCH_USER;
  if (!st->clients) return MIMI_ERR_INTERNAL; /* allocated with the list */
  st->clients[i] = clients;
  return MIMI_OK;
}

bool mimi_room_banned_role_ok(const mimi_room_state *st) {
  const mimi_role *r = mimi_room_find_role(st, MIMI_ROLE_BANNED);
  static const char name[] = "banned";
  return r && r->role_name.len == sizeof name - 1 &&
         memcmp(r->role_name.data, name, sizeof name - 1) == 0;
}

/* ------------------------------------------------------------------------ */
/* Cross-component rules                                                    */

static bool role_ok_target(const mimi_room_state *st, uint32_t idx) {
  return idx == MIMI_ROLE_NONE || mimi_room_find_role(st, idx) != NULL;
}

mimi_err mimi_room_state_validate(const mimi_room_state *st) {
  for (size_t i = 0; i < N_SLOTS; i++)
    if (*slot_cptr(st, i)) MIMI_TRY(mimi_room_component_validate(slots[i].id, *slot_cptr(st, i)));
  /* every participant holds a defined role, when roles are defined */
  if (st->roles) {
    for (size_t i = 0; i < n_participants(st); i++)
      if (!mimi_room_find_role(st, st->participants->participants[i].role_index))
        return MIMI_ERR_POLICY_INVALID;
    for (size_t i = 0; i < st->roles->roles_count; i++) {
      const mimi_role *r = &st->roles->roles[i];
      for (size_t k = 0; k < r->authorized_role_changes_count; k++) {
        const mimi_role_change_targets *c = &r->authorized_role_changes[k];
        if (!role_ok_target(st, c->from_role_index)) return MIMI_ERR_POLICY_INVALID;
        for (size_t m = 0; m < c->target_role_indexes_count; m++)
          if (!role_ok_target(st, c->target_role_indexes[m])) return MIMI_ERR_POLICY_INVALID;
      }
      /* §5: a fixed-membership room has no non-zero, non-banned role that
       * can add participants */
      if (st->base && st->base->fixed_membership && r->role_index != MIMI_ROLE_NONE &&
          r->role_index != MIMI_ROLE_BANNED &&
          mimi_role_has_capability(r, MIMI_CAP_ADD_PARTICIPANT))
        return MIMI_ERR_POLICY_INVALID;
    }
  }
  /* §6.6: sharers are roles that may have clients */
  if (st->history && st->history->history_sharing != MIMI_FORBIDDEN) {
    const mimi_history_sharing *h = &st->history->when_optional;
    for (size_t i = 0; i < h->roles_that_can_share_count; i++) {
      const mimi_role *r = mimi_room_find_role(st, h->roles_that_can_share[i]);
      if (!r || (r->maximum_active_participants_constraint &&
                 *r->maximum_active_participants_constraint == 0))
        return MIMI_ERR_POLICY_INVALID;
    }
  }
  /* §6.7: a participating bot acts in a defined role */
  if (st->bot)
    for (size_t i = 0; i < st->bot->allowed_bots_count; i++)
      if (!role_ok_target(st, st->bot->allowed_bots[i].bot_role_index)) return MIMI_ERR_POLICY_INVALID;
  /* §6.2: with on_request, at most one join link is persisted */
  if (st->join_link_policy && st->join_link_policy->on_request && st->join_links &&
      st->join_links->links_count > 1)
    return MIMI_ERR_POLICY_INVALID;
  return MIMI_OK;
}
