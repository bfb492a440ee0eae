/* policy_apply.c — one commit's worth of room changes, all or nothing: the
 * rules on what may share a commit, then each change authorized in order
 * against a scratch copy; and the translation of AppDataUpdate proposals
 * (ParticipantListUpdate, JoinLinksUpdate, whole components) into changes. */
#include <stdlib.h>
#include <string.h>

#include "mimi/policy.h"
#include "policy_internal.h"

static bool is_list_change(mimi_action_kind k) {
  return k == MIMI_ACT_ADD_PARTICIPANT || k == MIMI_ACT_REMOVE_PARTICIPANT ||
         k == MIMI_ACT_REMOVE_SELF || k == MIMI_ACT_CHANGE_ROLE ||
         k == MIMI_ACT_CHANGE_OWN_ROLE || k == MIMI_ACT_JOIN;
}
static bool is_list_removal(mimi_action_kind k) {
  return k == MIMI_ACT_REMOVE_PARTICIPANT || k == MIMI_ACT_REMOVE_SELF;
}

/* The user a participant-list change is about. */
static void subject(const mimi_room_change *c, const uint8_t **u, size_t *len) {
  mimi_action_kind k = c->action.kind;
  if (k == MIMI_ACT_REMOVE_SELF || k == MIMI_ACT_CHANGE_OWN_ROLE || k == MIMI_ACT_JOIN) {
    *u = c->actor->user;
    *len = c->actor->user_len;
  } else {
    *u = c->action.target;
    *len = c->action.target_len;
  }
}

static bool is_update_of(const mimi_room_change *c, uint16_t id) {
  return c->action.kind == MIMI_ACT_UPDATE_COMPONENT && c->action.component_id == id;
}

static mimi_err check_combination(const mimi_room_change *ch, size_t n) {
  bool roles = false, preauth = false, list = false, list_non_removal = false;
  size_t metadata = 0;
  for (size_t i = 0; i < n; i++) {
    const mimi_room_change *c = &ch[i];
    if (!c->actor) return MIMI_ERR_INVALID_ARG;
    roles |= is_update_of(c, MIMI_COMPONENT_ROLES_LIST);
    preauth |= is_update_of(c, MIMI_COMPONENT_PREAUTH_LIST);
    metadata += is_update_of(c, MIMI_COMPONENT_ROOM_METADATA);
    if (is_list_change(c->action.kind)) {
      list = true;
      list_non_removal |= !is_list_removal(c->action.kind);
      /* protocol §Participant List: one change per user per commit */
      const uint8_t *u, *v;
      size_t ul, vl;
      subject(c, &u, &ul);
      for (size_t j = 0; j < i; j++) {
        if (!is_list_change(ch[j].action.kind)) continue;
        subject(&ch[j], &v, &vl);
        if (ul == vl && (ul == 0 || memcmp(u, v, ul) == 0)) return MIMI_ERR_POLICY_CONFLICT;
      }
    }
    /* ext §AppDataUpdate: a removal is the only operation on its component */
    if (c->action.kind == MIMI_ACT_UPDATE_COMPONENT)
      for (size_t j = 0; j < i; j++)
        if (is_update_of(&ch[j], c->action.component_id) && (!c->action.value || !ch[j].action.value))
          return MIMI_ERR_POLICY_CONFLICT;
  }
  /* §3: role definitions never share a commit with list changes; §4:
   * preauthorization only with removals; protocol §Room Metadata: one */
  if (roles && list) return MIMI_ERR_POLICY_CONFLICT;
  if (preauth && list_non_removal) return MIMI_ERR_POLICY_CONFLICT;
  if (metadata > 1) return MIMI_ERR_POLICY_CONFLICT;
  return MIMI_OK;
}

mimi_err mimi_room_apply(const mimi_room_state *st, const mimi_room_env *env,
                         const mimi_room_change *changes, size_t n, mimi_room_state *out) {
  if (!st || !out || (n && !changes)) return MIMI_ERR_INVALID_ARG;
  MIMI_TRY(check_combination(changes, n));
  mimi_room_state work;
  MIMI_TRY(mimi_room_state_clone(&work, st));
  mimi_err err = MIMI_OK;
  for (size_t i = 0; i < n && err == MIMI_OK; i++)
    err = mimi_room_step(&work, env, changes[i].actor, &changes[i].action);
  if (err == MIMI_OK) err = mimi_room_state_validate(&work);
  if (err != MIMI_OK) {
    mimi_room_state_free(&work);
    return err;
  }
  *out = work;
  return MIMI_OK;
}

/* ------------------------------------------------------------------------ */
/* AppDataUpdate translation                                                */

/* Everything the translated changes point into, freed after applying. */
typedef struct {
  mimi_room_change *changes;
  size_t n, cap;
  void **values; /* decoded component values / updates, with their types */
  const mimi_type **types;
  size_t n_values;
} batch;

static void batch_free(batch *b) {
  for (size_t i = 0; i < b->n_values; i++) {
    mimi_free(b->types[i], b->values[i]);
    free(b->values[i]);
  }
  free(b->values);
  free(b->types);
  free(b->changes);
}

static mimi_err batch_push(batch *b, const mimi_actor *actor, const mimi_action *a) {
  if (b->n == b->cap) {
    size_t cap = b->cap ? 2 * b->cap : 8;
    mimi_room_change *g = realloc(b->changes, cap * sizeof *g);
    if (!g) return MIMI_ERR_NOMEM;
    b->changes = g;
    b->cap = cap;
  }
  b->changes[b->n].actor = actor;
  b->changes[b->n].action = *a;
  b->n++;
  return MIMI_OK;
}

/* Decodes `data` as type t into a value the batch owns. */
static mimi_err batch_decode(batch *b, const mimi_type *t, const mimi_bytes *data, void **out) {
  void **vals = realloc(b->values, (b->n_values + 1) * sizeof *vals);
  if (!vals) return MIMI_ERR_NOMEM;
  b->values = vals;
  const mimi_type **tys = realloc(b->types, (b->n_values + 1) * sizeof *tys);
  if (!tys) return MIMI_ERR_NOMEM;
  b->types = tys;
  void *v = calloc(1, t->size);
  if (!v) return MIMI_ERR_NOMEM;
  mimi_err err = mimi_decode_exact(t, data->data, data->len, v);
  if (err != MIMI_OK) {
    free(v);
    return err;
  }
  b->values[b->n_values] = v;
  b->types[b->n_values] = t;
  b->n_values++;
  *out = v;
  return MIMI_OK;
}

static bool user_is_actor(const mimi_actor *a, const mimi_bytes *u) {
  return u->len == a->user_len && (u->len == 0 || memcmp(u->data, a->user, u->len) == 0);
}

/* protocol §Participant List: indexes refer to the list before the update;
 * role changes, then removals, then additions. */
static mimi_err translate_list(batch *b, const mimi_participant_list *pl, const mimi_actor *actor,
                               const mimi_participant_list_update *u, const uint8_t *link,
                               size_t link_len) {
  size_t n = pl ? pl->participants_count : 0;
  for (size_t i = 0; i < u->changed_role_participants_count; i++) {
    const mimi_user_index_role_pair *c = &u->changed_role_participants[i];
    if (c->user_index >= n || c->role_index == MIMI_ROLE_NONE) return MIMI_ERR_POLICY_INVALID;
    const mimi_bytes *user = &pl->participants[c->user_index].user;
    mimi_action a = {.kind = user_is_actor(actor, user) ? MIMI_ACT_CHANGE_OWN_ROLE
                                                        : MIMI_ACT_CHANGE_ROLE,
                     .target = user->data,
                     .target_len = user->len,
                     .role = c->role_index};
    MIMI_TRY(batch_push(b, actor, &a));
  }
  for (size_t i = 0; i < u->removed_indices_count; i++) {
    if (u->removed_indices[i] >= n) return MIMI_ERR_POLICY_INVALID;
    const mimi_bytes *user = &pl->participants[u->removed_indices[i]].user;
    mimi_action a = {.kind = user_is_actor(actor, user) ? MIMI_ACT_REMOVE_SELF
                                                        : MIMI_ACT_REMOVE_PARTICIPANT,
                     .target = user->data,
                     .target_len = user->len};
    MIMI_TRY(batch_push(b, actor, &a));
  }
  for (size_t i = 0; i < u->added_participants_count; i++) {
    const mimi_user_role_pair *p = &u->added_participants[i];
    bool self = user_is_actor(actor, &p->user);
    mimi_action a = {.kind = self ? MIMI_ACT_JOIN : MIMI_ACT_ADD_PARTICIPANT,
                     .target = p->user.data,
                     .target_len = p->user.len,
                     .role = p->role_index,
                     .join_link = self ? link : NULL,
                     .join_link_len = self ? link_len : 0};
    MIMI_TRY(batch_push(b, actor, &a));
  }
  return MIMI_OK;
}

mimi_err mimi_room_apply_app_data(const mimi_room_state *st, const mimi_room_env *env,
                                  const mimi_actor *actor, const mls_app_data_update *updates,
                                  size_t n, const uint8_t *join_link, size_t join_link_len,
                                  mimi_room_state *out) {
  if (!st || !actor || !out || (n && !updates)) return MIMI_ERR_INVALID_ARG;
  batch b;
  memset(&b, 0, sizeof b);
  mimi_err err = MIMI_OK;
  for (size_t i = 0; i < n && err == MIMI_OK; i++) {
    const mls_app_data_update *u = &updates[i];
    uint16_t id = u->component_id;
    const mimi_type *t = mimi_room_component_type(id);
    if (!t) {
      err = MIMI_ERR_UNSUPPORTED;
      break;
    }
    bool remove = u->op.op == MLS_APP_DATA_UPDATE_OP_REMOVE;
    void *v = NULL;
    if (id == MIMI_COMPONENT_PARTICIPANT_LIST || id == MIMI_COMPONENT_JOIN_LINKS) {
      if (remove) {
        err = MIMI_ERR_POLICY_INVALID; /* these only change by deltas */
        break;
      }
      bool pl = id == MIMI_COMPONENT_PARTICIPANT_LIST;
      err = batch_decode(&b, pl ? mimi_participant_list_update_type() : mimi_join_links_update_type(),
                         &u->op.update, &v);
      if (err != MIMI_OK) break;
      if (pl) {
        err = translate_list(&b, st->participants, actor, v, join_link, join_link_len);
      } else {
        mimi_action a = {.kind = MIMI_ACT_JOIN_LINKS_UPDATE, .join_links_update = v};
        err = batch_push(&b, actor, &a);
      }
      continue;
    }
    if (!remove) {
      err = batch_decode(&b, t, &u->op.update, &v);
      if (err == MIMI_OK) err = mimi_room_component_validate(id, v);
      if (err != MIMI_OK) break;
    }
    mimi_action a = {.kind = MIMI_ACT_UPDATE_COMPONENT, .component_id = id, .value = v};
    err = batch_push(&b, actor, &a);
  }
  if (err == MIMI_OK) err = mimi_room_apply(st, env, b.changes, b.n, out);
  batch_free(&b);
  return err;
}
