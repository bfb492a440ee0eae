/* policy_authz.c — the room-policy decision for one action (room-policy-04
 * §3-§8): which role the actor acts with, which capability and role
 * transition the action needs, the room-level policy flags, and the role
 * and room limits, checked by applying the action to a scratch state and
 * comparing counts before and after. */
#include <stdlib.h>
#include <string.h>

#include "mimi/identity.h"
#include "mimi/policy.h"
#include "policy_internal.h"

/* ------------------------------------------------------------------------ */
/* Roles and preauthorization                                               */

static bool claim_id_eq(const mimi_claim_id *a, const mimi_claim_id *b) {
  return a->credential_type == b->credential_type && mimi_bytes_eq(&a->id, &b->id);
}

/* §4: every claim of the set has an exactly matching claim in the credential */
static bool claimset_matches(const mimi_preauth_entry *e, const mimi_claim *claims, size_t n) {
  for (size_t i = 0; i < e->claimset_count; i++) {
    const mimi_claim *want = &e->claimset[i];
    bool found = false;
    for (size_t j = 0; j < n && !found; j++)
      found = claim_id_eq(&want->claim_id, &claims[j].claim_id) &&
              mimi_bytes_eq(&want->claim_value, &claims[j].claim_value);
    if (!found) return false;
  }
  return true;
}

bool mimi_room_preauth_match(const mimi_room_state *st, const mimi_claim *claims, size_t n,
                             bool skip_zero, uint32_t *role) {
  if (!st->preauth) return false;
  for (size_t i = 0; i < st->preauth->preauthorized_entries_count; i++) {
    const mimi_preauth_entry *e = &st->preauth->preauthorized_entries[i];
    if (skip_zero && e->target_role.role_index == MIMI_ROLE_NONE) continue;
    if (claimset_matches(e, claims, n)) {
      *role = e->target_role.role_index;
      return true;
    }
  }
  return false;
}

uint32_t mimi_room_effective_role(const mimi_room_state *st, const mimi_actor *actor) {
  size_t i;
  if (mimi_room_find_user(st, actor->user, actor->user_len, &i))
    return st->participants->participants[i].role_index;
  /* §4: preauthorization counts only for external joins and proposals */
  uint32_t r;
  if (actor->via != MIMI_VIA_MEMBER &&
      mimi_room_preauth_match(st, actor->claims, actor->claims_count, false, &r))
    return r;
  return MIMI_ROLE_NONE;
}

static bool has_cap(const mimi_room_state *st, uint32_t role, uint16_t cap) {
  return mimi_role_has_capability(mimi_room_find_role(st, role), cap);
}

/* The role's authorized_role_changes allow from -> to. */
static bool transition_ok(const mimi_room_state *st, uint32_t holder, uint32_t from, uint32_t to) {
  const mimi_role *r = mimi_room_find_role(st, holder);
  if (!r) return false;
  for (size_t i = 0; i < r->authorized_role_changes_count; i++) {
    const mimi_role_change_targets *c = &r->authorized_role_changes[i];
    if (c->from_role_index != from) continue;
    for (size_t j = 0; j < c->target_role_indexes_count; j++)
      if (c->target_role_indexes[j] == to) return true;
  }
  return false;
}

/* ------------------------------------------------------------------------ */
/* State edits (on the scratch copy)                                        */

static mimi_err add_user(mimi_room_state *st, const uint8_t *user, size_t len, uint32_t role,
                         uint32_t clients) {
  if (!st->participants) {
    st->participants = calloc(1, sizeof *st->participants);
    if (!st->participants) return MIMI_ERR_NOMEM;
  }
  mimi_participant_list *pl = st->participants;
  size_t n = pl->participants_count;
  if (n && !st->clients) {
    st->clients = calloc(n, sizeof *st->clients); /* no counts kept yet: all zero */
    if (!st->clients) return MIMI_ERR_NOMEM;
  }
  mimi_user_role_pair *grown = realloc(pl->participants, (n + 1) * sizeof *grown);
  if (!grown) return MIMI_ERR_NOMEM;
  pl->participants = grown;
  uint32_t *cl = realloc(st->clients, (n + 1) * sizeof *cl);
  if (!cl) return MIMI_ERR_NOMEM;
  st->clients = cl;
  memset(&grown[n], 0, sizeof grown[n]);
  MIMI_TRY(mimi_bytes_copy(&grown[n].user, user, len));
  grown[n].role_index = role;
  cl[n] = clients;
  pl->participants_count = n + 1;
  return MIMI_OK;
}

static void remove_user(mimi_room_state *st, size_t i) {
  mimi_participant_list *pl = st->participants;
  mimi_user_role_pair_free(&pl->participants[i]);
  size_t tail = pl->participants_count - i - 1;
  memmove(&pl->participants[i], &pl->participants[i + 1], tail * sizeof pl->participants[0]);
  if (st->clients) memmove(&st->clients[i], &st->clients[i + 1], tail * sizeof st->clients[0]);
  pl->participants_count--;
}

/* ------------------------------------------------------------------------ */
/* Limits: counts taken before and after, so only changes are judged.     */

/* What the limits look at. users/active are per entry of the roles list,
 * which membership actions do not change. */
typedef struct {
  size_t *users, *active;
  size_t n_roles;
  size_t unbanned;
  uint64_t clients;
  uint64_t excess; /* clients beyond the first, summed over users */
} census;

static void census_free(census *c) {
  free(c->users);
  c->users = NULL;
}

static mimi_err census_take(const mimi_room_state *st, census *c) {
  memset(c, 0, sizeof *c);
  c->n_roles = st->roles ? st->roles->roles_count : 0;
  if (c->n_roles) {
    c->users = calloc(2 * c->n_roles, sizeof *c->users);
    if (!c->users) return MIMI_ERR_NOMEM;
    c->active = c->users + c->n_roles;
  }
  size_t n = st->participants ? st->participants->participants_count : 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t role = st->participants->participants[i].role_index, k = mimi_room_clients_at(st, i);
    for (size_t r = 0; r < c->n_roles; r++)
      if (st->roles->roles[r].role_index == role) {
        c->users[r]++;
        c->active[r] += k > 0;
        break;
      }
    c->unbanned += role != MIMI_ROLE_BANNED;
    c->clients += k;
    c->excess += k > 1 ? k - 1 : 0;
  }
  return MIMI_OK;
}

static bool below_min(size_t before, size_t after, uint32_t min) {
  return after < before && after < min;
}
static bool above_max(size_t before, size_t after, const uint32_t *max) {
  return max && after > before && after > *max;
}
static bool grew_above(uint64_t before, uint64_t after, const uint32_t *max) {
  return max && after > before && after > *max;
}

static mimi_err check_limits(const census *b, const mimi_room_state *after) {
  census a;
  MIMI_TRY(census_take(after, &a));
  mimi_err err = MIMI_OK;
  for (size_t i = 0; i < a.n_roles && i < b->n_roles && err == MIMI_OK; i++) {
    const mimi_role *r = &after->roles->roles[i];
    if (below_min(b->users[i], a.users[i], r->minimum_participants_constraint) ||
        above_max(b->users[i], a.users[i], r->maximum_participants_constraint) ||
        below_min(b->active[i], a.active[i], r->minimum_active_participants_constraint) ||
        above_max(b->active[i], a.active[i], r->maximum_active_participants_constraint))
      err = MIMI_ERR_POLICY_LIMIT;
  }
  const mimi_base_room_policy *base = after->base;
  /* §5 max_users counts non-banned entries, max_clients the MLS members;
   * without multi_device no user gains a second client */
  if (err == MIMI_OK && base &&
      (grew_above(b->unbanned, a.unbanned, base->max_users) ||
       grew_above(b->clients, a.clients, base->max_clients) ||
       (!base->multi_device && a.excess > b->excess)))
    err = MIMI_ERR_POLICY_LIMIT;
  census_free(&a);
  return err;
}

/* ------------------------------------------------------------------------ */
/* Room-level flags (§5, §7)                                                */

static bool is_pseudonym(const uint8_t *user, size_t len) {
  mimi_uri u;
  if (mimi_uri_parse((const char *)user, len, &u) != MIMI_OK) return false;
  bool p = u.kind == MIMI_URI_PSEUDONYM;
  mimi_uri_free(&u);
  return p;
}

/* A user entering the participant list (added or joining). */
static mimi_err check_entry(const mimi_room_state *st, const mimi_room_env *env,
                            const uint8_t *user, size_t len) {
  const mimi_base_room_policy *b = st->base;
  if (!b) return MIMI_OK;
  if (b->fixed_membership) return MIMI_ERR_POLICY_FORBIDDEN;
  if (!b->pseudonyms_allowed && is_pseudonym(user, len)) return MIMI_ERR_POLICY_FORBIDDEN;
  if (b->parent_dependant) {
    /* §5: the participants are a subset of the parent room's */
    const mimi_participant_list *parent = env ? env->parent_participants : NULL;
    bool in_parent = false;
    for (size_t i = 0; parent && i < parent->participants_count && !in_parent; i++) {
      const mimi_user_role_pair *p = &parent->participants[i];
      in_parent = p->role_index != MIMI_ROLE_BANNED && p->user.len == len &&
                  memcmp(p->user.data, user, len) == 0;
    }
    if (!in_parent) return MIMI_ERR_POLICY_FORBIDDEN;
  }
  return MIMI_OK;
}

static mimi_err check_via(const mimi_room_state *st, const mimi_actor *actor) {
  const mimi_operational_parameters *o = st->operational;
  if (!o) return MIMI_OK;
  if (actor->via == MIMI_VIA_EXTERNAL_COMMIT && !o->external_commit_allowed)
    return MIMI_ERR_POLICY_FORBIDDEN;
  if (actor->via == MIMI_VIA_EXTERNAL_PROPOSAL && !o->external_proposal_allowed)
    return MIMI_ERR_POLICY_FORBIDDEN;
  return MIMI_OK;
}

/* ------------------------------------------------------------------------ */
/* Participant-list actions (§8.1)                                          */

static bool same_user(const mimi_actor *a, const mimi_action *act) {
  return a->user_len == act->target_len && memcmp(a->user, act->target, a->user_len) == 0;
}

static mimi_err target_index(const mimi_room_state *st, const mimi_action *act, size_t *i) {
  return mimi_room_find_user(st, act->target, act->target_len, i) ? MIMI_OK
                                                                 : MIMI_ERR_POLICY_NO_SUCH_USER;
}

static mimi_err valid_new_role(const mimi_room_state *st, uint32_t role) {
  return role != MIMI_ROLE_NONE && mimi_room_find_role(st, role) ? MIMI_OK
                                                                 : MIMI_ERR_POLICY_INVALID;
}

static mimi_err act_add_participant(mimi_room_state *st, const mimi_room_env *env,
                                    const mimi_actor *actor, uint32_t role,
                                    const mimi_action *act) {
  size_t i;
  if (same_user(actor, act)) return MIMI_ERR_POLICY_DENIED; /* self: JOIN */
  if (mimi_room_find_user(st, act->target, act->target_len, &i))
    return st->participants->participants[i].role_index == MIMI_ROLE_BANNED
               ? MIMI_ERR_POLICY_BANNED
               : MIMI_ERR_POLICY_USER_PRESENT;
  MIMI_TRY(valid_new_role(st, act->role));
  if (!has_cap(st, role, MIMI_CAP_ADD_PARTICIPANT) ||
      !transition_ok(st, role, MIMI_ROLE_NONE, act->role))
    return MIMI_ERR_POLICY_DENIED;
  MIMI_TRY(check_entry(st, env, act->target, act->target_len));
  return add_user(st, act->target, act->target_len, act->role, act->clients);
}

static mimi_err act_remove(mimi_room_state *st, uint32_t role, size_t i, uint16_t cap) {
  if (st->base && st->base->fixed_membership) return MIMI_ERR_POLICY_FORBIDDEN;
  uint32_t from = st->participants->participants[i].role_index;
  if (!has_cap(st, role, cap) || !transition_ok(st, role, from, MIMI_ROLE_NONE))
    return MIMI_ERR_POLICY_DENIED;
  remove_user(st, i);
  return MIMI_OK;
}

static mimi_err act_change_role(mimi_room_state *st, const mimi_actor *actor, uint32_t role,
                                const mimi_action *act) {
  size_t i;
  MIMI_TRY(target_index(st, act, &i));
  if (same_user(actor, act)) return MIMI_ERR_POLICY_DENIED; /* self: CHANGE_OWN_ROLE */
  uint32_t from = st->participants->participants[i].role_index, to = act->role;
  MIMI_TRY(valid_new_role(st, to));
  if (from == to) return MIMI_ERR_POLICY_INVALID;
  bool banned_ok = mimi_room_banned_role_ok(st);
  /* §8.1.3 canBan: the change to role 1 also removes the user's clients */
  bool ban = to == MIMI_ROLE_BANNED && has_cap(st, role, MIMI_CAP_BAN) &&
             transition_ok(st, role, from, to);
  bool unban = from == MIMI_ROLE_BANNED && has_cap(st, role, MIMI_CAP_UNBAN) &&
               transition_ok(st, role, from, to);
  bool general = has_cap(st, role, MIMI_CAP_CHANGE_USER_ROLE) && transition_ok(st, role, from, to);
  if ((ban || unban) && !banned_ok && !general) return MIMI_ERR_POLICY_NO_BANNED_ROLE;
  if (!((ban || unban) && banned_ok) && !general) return MIMI_ERR_POLICY_DENIED;
  st->participants->participants[i].role_index = to;
  if (ban && banned_ok && st->clients) st->clients[i] = 0;
  return MIMI_OK;
}

static mimi_err act_change_own_role(mimi_room_state *st, const mimi_actor *actor, uint32_t role,
                                    const mimi_action *act) {
  size_t i;
  if (!mimi_room_find_user(st, actor->user, actor->user_len, &i))
    return MIMI_ERR_POLICY_NO_SUCH_USER;
  if (!has_cap(st, role, MIMI_CAP_CHANGE_OWN_ROLE)) return MIMI_ERR_POLICY_DENIED;
  /* §8.1.3 canChangeOwnRole: the first non-zero preauthorized match, and
   * authorized_role_changes is not consulted */
  uint32_t to;
  if (!mimi_room_preauth_match(st, actor->claims, actor->claims_count, true, &to) ||
      to != act->role)
    return MIMI_ERR_POLICY_DENIED;
  MIMI_TRY(valid_new_role(st, to));
  if (to == role) return MIMI_ERR_POLICY_INVALID;
  st->participants->participants[i].role_index = to;
  return MIMI_OK;
}

static bool join_link_known(const mimi_room_state *st, const mimi_action *act) {
  if (!st->join_links || !act->join_link) return false;
  for (size_t i = 0; i < st->join_links->links_count; i++) {
    const mimi_bytes *l = &st->join_links->links[i].join_link;
    if (l->len == act->join_link_len && memcmp(l->data, act->join_link, l->len) == 0) return true;
  }
  return false;
}

static mimi_err act_join(mimi_room_state *st, const mimi_room_env *env, const mimi_actor *actor,
                         const mimi_action *act) {
  size_t i;
  if (mimi_room_find_user(st, actor->user, actor->user_len, &i))
    return st->participants->participants[i].role_index == MIMI_ROLE_BANNED
               ? MIMI_ERR_POLICY_BANNED
               : MIMI_ERR_POLICY_USER_PRESENT;
  if (actor->via == MIMI_VIA_MEMBER) return MIMI_ERR_POLICY_INVALID;
  uint32_t to = act->role, pre;
  MIMI_TRY(valid_new_role(st, to));
  /* §8.1.1, in this order: preauthorized (first match only), open join on
   * role 0, join code held by role 0 */
  bool ok = mimi_room_preauth_match(st, actor->claims, actor->claims_count, false, &pre) &&
            pre == to && has_cap(st, pre, MIMI_CAP_JOIN_IF_PREAUTHORIZED);
  ok = ok || (has_cap(st, MIMI_ROLE_NONE, MIMI_CAP_OPEN_JOIN) &&
              transition_ok(st, MIMI_ROLE_NONE, MIMI_ROLE_NONE, to));
  ok = ok || (has_cap(st, MIMI_ROLE_NONE, MIMI_CAP_USE_JOIN_CODE) && join_link_known(st, act) &&
              to != MIMI_ROLE_BANNED && transition_ok(st, MIMI_ROLE_NONE, MIMI_ROLE_NONE, to));
  if (!ok) return MIMI_ERR_POLICY_DENIED;
  MIMI_TRY(check_entry(st, env, actor->user, actor->user_len));
  return add_user(st, actor->user, actor->user_len, to, 1);
}

/* ------------------------------------------------------------------------ */
/* Clients (§8.1.1 canAddOwnClient, §8.1.2 canRemoveOwnClient / canKick)    */

static mimi_err act_clients(mimi_room_state *st, const mimi_actor *actor, uint32_t role,
                            const mimi_action *act) {
  size_t i;
  if (act->kind == MIMI_ACT_KICK) {
    MIMI_TRY(target_index(st, act, &i));
    if (same_user(actor, act)) return MIMI_ERR_POLICY_DENIED;
  } else if (!mimi_room_find_user(st, actor->user, actor->user_len, &i)) {
    return MIMI_ERR_POLICY_NO_SUCH_USER;
  }
  uint32_t *c = st->clients ? &st->clients[i] : NULL;
  if (!c) return MIMI_ERR_INTERNAL;
  switch (act->kind) {
  case MIMI_ACT_ADD_OWN_CLIENT:
    if (!has_cap(st, role, MIMI_CAP_ADD_OWN_CLIENT)) return MIMI_ERR_POLICY_DENIED;
    if (*c == UINT32_MAX) return MIMI_ERR_POLICY_LIMIT;
    (*c)++;
    return MIMI_OK;
  case MIMI_ACT_REMOVE_OWN_CLIENT:
    if (*c == 0) return MIMI_ERR_POLICY_INVALID;
    if (!has_cap(st, role, MIMI_CAP_REMOVE_OWN_CLIENT)) return MIMI_ERR_POLICY_DENIED;
    (*c)--;
    return MIMI_OK;
  default: /* KICK */
    if (*c == 0) return MIMI_ERR_POLICY_INVALID;
    if (!has_cap(st, role, MIMI_CAP_KICK)) return MIMI_ERR_POLICY_DENIED;
    *c = 0;
    return MIMI_OK;
  }
}

/* ------------------------------------------------------------------------ */
/* Messages (§8.3, §8.4, §6.3, §6.8; content §9.3)                          */

static mimi_err act_send(const mimi_room_state *st, uint32_t role, const mimi_action *act) {
  uint32_t m = act->message;
  static const struct {
    uint32_t flag;
    uint16_t cap;
  } needs[] = {
      {MIMI_MSG_REPLY, MIMI_CAP_REPLY_TO_MESSAGE},  {MIMI_MSG_TOPIC, MIMI_CAP_START_TOPIC},
      {MIMI_MSG_REPLY_IN_TOPIC, MIMI_CAP_REPLY_IN_TOPIC}, {MIMI_MSG_LINK, MIMI_CAP_SEND_LINK},
      {MIMI_MSG_LINK_PREVIEW, MIMI_CAP_SEND_LINK_PREVIEW}, {MIMI_MSG_IMAGE, MIMI_CAP_UPLOAD_IMAGE},
      {MIMI_MSG_AUDIO, MIMI_CAP_UPLOAD_AUDIO},      {MIMI_MSG_VIDEO, MIMI_CAP_UPLOAD_VIDEO},
      {MIMI_MSG_ATTACHMENT, MIMI_CAP_UPLOAD_ATTACHMENT},
  };
  /* a reaction needs canReactToMessage, not canSendMessage (A.3 guests) */
  uint16_t base = (m & MIMI_MSG_REACTION) ? MIMI_CAP_REACT_TO_MESSAGE : MIMI_CAP_SEND_MESSAGE;
  if (!has_cap(st, role, base)) return MIMI_ERR_POLICY_DENIED;
  for (size_t i = 0; i < sizeof needs / sizeof needs[0]; i++)
    if ((m & needs[i].flag) && !has_cap(st, role, needs[i].cap)) return MIMI_ERR_POLICY_DENIED;
  if (st->link_preview) {
    uint8_t s = st->link_preview->send_link_previews;
    if ((m & MIMI_MSG_LINK_PREVIEW) && s == MIMI_FORBIDDEN) return MIMI_ERR_POLICY_FORBIDDEN;
    if ((m & MIMI_MSG_LINK) && !(m & MIMI_MSG_LINK_PREVIEW) && s == MIMI_REQUIRED)
      return MIMI_ERR_POLICY_FORBIDDEN;
  }
  if (st->expiration) {
    const mimi_message_expiration *e = st->expiration;
    bool exp = (m & MIMI_MSG_EXPIRING) != 0;
    if (e->expiring_messages == MIMI_FORBIDDEN) {
      if (exp) return MIMI_ERR_POLICY_FORBIDDEN;
    } else {
      const mimi_expiration_bounds *b = &e->when_optional;
      if (!exp && e->expiring_messages == MIMI_REQUIRED) return MIMI_ERR_POLICY_FORBIDDEN;
      if (exp && (act->expiration_seconds < b->min_expiration_duration ||
                  act->expiration_seconds > b->max_expiration_duration))
        return MIMI_ERR_POLICY_FORBIDDEN;
    }
  }
  return MIMI_OK;
}

static mimi_err act_on_message(const mimi_room_state *st, const mimi_actor *actor, uint32_t role,
                               const mimi_action *act) {
  bool own = same_user(actor, act);
  uint16_t cap;
  switch (act->kind) {
  case MIMI_ACT_EDIT_MESSAGE:
    /* content §9.3: no capability lets anyone edit another's message body */
    if (!own) return MIMI_ERR_POLICY_DENIED;
    cap = MIMI_CAP_EDIT_OWN_MESSAGE;
    break;
  case MIMI_ACT_DELETE_MESSAGE:
    cap = own ? MIMI_CAP_DELETE_OWN_MESSAGE : MIMI_CAP_DELETE_OTHER_MESSAGE;
    break;
  case MIMI_ACT_EDIT_REACTION:
    if (!own) return MIMI_ERR_POLICY_DENIED;
    cap = MIMI_CAP_EDIT_REACTION;
    break;
  case MIMI_ACT_DELETE_REACTION:
    cap = own ? MIMI_CAP_DELETE_OWN_REACTION : MIMI_CAP_DELETE_OTHER_REACTION;
    break;
  default: /* EDIT_TOPIC */
    cap = own ? MIMI_CAP_EDIT_OWN_TOPIC : MIMI_CAP_EDIT_OTHER_TOPIC;
    break;
  }
  return has_cap(st, role, cap) ? MIMI_OK : MIMI_ERR_POLICY_DENIED;
}

/* ------------------------------------------------------------------------ */
/* Components (§3, §4, §5, §6, §7, §8.2, §8.6)                              */

static mimi_err metadata_caps(const mimi_room_state *st, uint32_t role,
                              const mimi_room_metadata *new_md) {
  static const mimi_room_metadata empty;
  const mimi_room_metadata *old = st->metadata ? st->metadata : &empty;
  /* the room URI is the room's identity: set once */
  if (st->metadata && !mimi_bytes_eq(&old->room_uri.uri, &new_md->room_uri.uri))
    return MIMI_ERR_POLICY_INVALID;
  struct {
    bool changed;
    uint16_t cap;
  } f[] = {
      {!mimi_bytes_eq(&old->room_name.string, &new_md->room_name.string), MIMI_CAP_CHANGE_ROOM_NAME},
      {false, MIMI_CAP_CHANGE_ROOM_DESCRIPTION}, /* set below */
      {!mimi_bytes_eq(&old->room_avatar.uri, &new_md->room_avatar.uri), MIMI_CAP_CHANGE_ROOM_AVATAR},
      {!mimi_bytes_eq(&old->room_subject.string, &new_md->room_subject.string),
       MIMI_CAP_CHANGE_ROOM_SUBJECT},
      {!mimi_bytes_eq(&old->room_mood.string, &new_md->room_mood.string), MIMI_CAP_CHANGE_ROOM_MOOD},
  };
  bool desc_changed = old->room_descriptions_count != new_md->room_descriptions_count;
  for (size_t i = 0; !desc_changed && i < old->room_descriptions_count; i++)
    desc_changed = !mimi_rich_description_equal(&old->room_descriptions[i],
                                                &new_md->room_descriptions[i]);
  f[1].changed = desc_changed;
  for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
    if (f[i].changed && !has_cap(st, role, f[i].cap)) return MIMI_ERR_POLICY_DENIED;
  return MIMI_OK;
}

static uint16_t component_cap(uint16_t id) {
  switch (id) {
  case MIMI_COMPONENT_ROLES_LIST: return MIMI_CAP_CHANGE_ROLE_DEFINITIONS;
  case MIMI_COMPONENT_PREAUTH_LIST: return MIMI_CAP_CHANGE_PREAUTHORIZED_USER_LIST;
  case MIMI_COMPONENT_BASE_ROOM_POLICY: return MIMI_CAP_CHANGE_ROOM_MEMBERSHIP_STYLE;
  case MIMI_COMPONENT_MLS_OPERATIONAL_POLICY: return MIMI_CAP_CHANGE_MLS_OPERATIONAL_POLICIES;
  default: return MIMI_CAP_CHANGE_OTHER_POLICY_ATTRIBUTE;
  }
}

static mimi_err act_component(mimi_room_state *st, uint32_t role, const mimi_action *act) {
  uint16_t id = act->component_id;
  /* the participant list and join links change by deltas, never wholesale */
  if (id == MIMI_COMPONENT_PARTICIPANT_LIST || id == MIMI_COMPONENT_JOIN_LINKS)
    return MIMI_ERR_POLICY_INVALID;
  void **slotp = mimi_room_component_slot(st, id);
  if (!slotp) return MIMI_ERR_UNSUPPORTED;
  if (!act->value) {
    /* ext §AppDataUpdate: removing absent state is invalid; the room's
     * identity (metadata) is never removed */
    if (!*slotp || id == MIMI_COMPONENT_ROOM_METADATA) return MIMI_ERR_POLICY_INVALID;
    /* without role definitions the listed participants' roles mean nothing */
    if (id == MIMI_COMPONENT_ROLES_LIST && st->participants && st->participants->participants_count)
      return MIMI_ERR_POLICY_INVALID;
  } else {
    MIMI_TRY(mimi_room_component_validate(id, act->value));
  }
  if (id == MIMI_COMPONENT_ROOM_METADATA) {
    MIMI_TRY(metadata_caps(st, role, act->value));
  } else if (!has_cap(st, role, component_cap(id))) {
    return MIMI_ERR_POLICY_DENIED;
  }
  void *copy = NULL;
  if (act->value) MIMI_TRY(mimi_room_component_copy(id, act->value, &copy));
  mimi_room_component_release(id, *slotp);
  *slotp = copy;
  return mimi_room_state_validate(st);
}

static mimi_err act_join_links(mimi_room_state *st, uint32_t role, const mimi_action *act) {
  const mimi_join_links_update *u = act->join_links_update;
  if (!u) return MIMI_ERR_INVALID_ARG;
  if (u->removed_indices_count && !has_cap(st, role, MIMI_CAP_DELETE_JOIN_CODE))
    return MIMI_ERR_POLICY_DENIED;
  if (u->added_links_count && !has_cap(st, role, MIMI_CAP_CREATE_JOIN_CODE))
    return MIMI_ERR_POLICY_DENIED;
  mimi_join_links cur = {NULL, 0}, next = {NULL, 0};
  if (st->join_links) cur = *st->join_links;
  for (size_t i = 0; i < u->removed_indices_count; i++) {
    if (u->removed_indices[i] >= cur.links_count) return MIMI_ERR_POLICY_INVALID;
    for (size_t j = 0; j < i; j++)
      if (u->removed_indices[j] == u->removed_indices[i]) return MIMI_ERR_POLICY_CONFLICT;
  }
  size_t n = cur.links_count - u->removed_indices_count + u->added_links_count;
  next.links = n ? calloc(n, sizeof *next.links) : NULL;
  if (n && !next.links) return MIMI_ERR_NOMEM;
  mimi_err err = MIMI_OK;
  for (size_t i = 0; err == MIMI_OK && i < cur.links_count; i++) {
    bool removed = false;
    for (size_t j = 0; j < u->removed_indices_count; j++) removed |= u->removed_indices[j] == i;
    if (removed) continue;
    err = mimi_clone(mimi_join_link_type(), &next.links[next.links_count], &cur.links[i]);
    if (err == MIMI_OK) next.links_count++;
  }
  for (size_t i = 0; err == MIMI_OK && i < u->added_links_count; i++) {
    err = mimi_clone(mimi_join_link_type(), &next.links[next.links_count], &u->added_links[i]);
    if (err == MIMI_OK) next.links_count++;
  }
  if (err == MIMI_OK) {
    mimi_room_component_release(MIMI_COMPONENT_JOIN_LINKS, st->join_links);
    st->join_links = calloc(1, sizeof *st->join_links);
    if (!st->join_links) err = MIMI_ERR_NOMEM;
    else *st->join_links = next;
  }
  if (err != MIMI_OK) {
    mimi_join_links_free(&next);
    return err;
  }
  return mimi_room_state_validate(st);
}

/* ------------------------------------------------------------------------ */

static mimi_err dispatch(mimi_room_state *st, const mimi_room_env *env, const mimi_actor *actor,
                         uint32_t role, const mimi_action *act) {
  size_t i;
  switch (act->kind) {
  case MIMI_ACT_ADD_PARTICIPANT: return act_add_participant(st, env, actor, role, act);
  case MIMI_ACT_REMOVE_PARTICIPANT:
    MIMI_TRY(target_index(st, act, &i));
    if (same_user(actor, act)) return MIMI_ERR_POLICY_DENIED; /* self: REMOVE_SELF */
    return act_remove(st, role, i, MIMI_CAP_REMOVE_PARTICIPANT);
  case MIMI_ACT_REMOVE_SELF:
    if (!mimi_room_find_user(st, actor->user, actor->user_len, &i))
      return MIMI_ERR_POLICY_NO_SUCH_USER;
    return act_remove(st, role, i, MIMI_CAP_REMOVE_SELF);
  case MIMI_ACT_CHANGE_ROLE: return act_change_role(st, actor, role, act);
  case MIMI_ACT_CHANGE_OWN_ROLE: return act_change_own_role(st, actor, role, act);
  case MIMI_ACT_JOIN: return act_join(st, env, actor, act);
  case MIMI_ACT_ADD_OWN_CLIENT:
  case MIMI_ACT_REMOVE_OWN_CLIENT:
  case MIMI_ACT_KICK: return act_clients(st, actor, role, act);
  case MIMI_ACT_UPDATE_COMPONENT: return act_component(st, role, act);
  case MIMI_ACT_JOIN_LINKS_UPDATE: return act_join_links(st, role, act);
  default: return MIMI_ERR_INVALID_ARG; /* read-only kinds never get here */
  }
}

/* Actions that never change the state: decided on the state itself. */
static bool is_read_only(mimi_action_kind k) {
  return k == MIMI_ACT_SEND_MESSAGE || k == MIMI_ACT_EDIT_MESSAGE || k == MIMI_ACT_DELETE_MESSAGE ||
         k == MIMI_ACT_EDIT_REACTION || k == MIMI_ACT_DELETE_REACTION || k == MIMI_ACT_EDIT_TOPIC ||
         k == MIMI_ACT_DESTROY_ROOM || k == MIMI_ACT_SEND_REINIT;
}

static mimi_err read_only(const mimi_room_state *st, const mimi_actor *actor, uint32_t role,
                          const mimi_action *act) {
  switch (act->kind) {
  case MIMI_ACT_SEND_MESSAGE: return act_send(st, role, act);
  case MIMI_ACT_DESTROY_ROOM:
    return has_cap(st, role, MIMI_CAP_DESTROY_ROOM) ? MIMI_OK : MIMI_ERR_POLICY_DENIED;
  case MIMI_ACT_SEND_REINIT:
    return has_cap(st, role, MIMI_CAP_SEND_MLS_REINIT_PROPOSAL) ? MIMI_OK : MIMI_ERR_POLICY_DENIED;
  default: return act_on_message(st, actor, role, act);
  }
}

/* What every action goes through first: the actor's role, a banned actor,
 * the way the action arrives (§7). */
static mimi_err prelude(const mimi_room_state *st, const mimi_actor *actor,
                        const mimi_action *act, uint32_t *role) {
  if (!st || !actor || !act || (!actor->user && actor->user_len)) return MIMI_ERR_INVALID_ARG;
  *role = mimi_room_effective_role(st, actor);
  /* a banned user acts with no capability at all; say so precisely */
  if (*role == MIMI_ROLE_BANNED && mimi_room_banned_role_ok(st)) return MIMI_ERR_POLICY_BANNED;
  return check_via(st, actor);
}

mimi_err mimi_room_step(mimi_room_state *work, const mimi_room_env *env, const mimi_actor *actor,
                        const mimi_action *act) {
  uint32_t role;
  MIMI_TRY(prelude(work, actor, act, &role));
  if (is_read_only(act->kind)) return read_only(work, actor, role, act);
  census before;
  MIMI_TRY(census_take(work, &before));
  mimi_err err = dispatch(work, env, actor, role, act);
  /* component updates leave the membership alone (and may renumber roles) */
  if (err == MIMI_OK && act->kind != MIMI_ACT_UPDATE_COMPONENT &&
      act->kind != MIMI_ACT_JOIN_LINKS_UPDATE)
    err = check_limits(&before, work);
  census_free(&before);
  return err;
}

mimi_err mimi_room_authorize(const mimi_room_state *st, const mimi_room_env *env,
                             const mimi_actor *actor, const mimi_action *act) {
  uint32_t role;
  MIMI_TRY(prelude(st, actor, act, &role));
  if (is_read_only(act->kind)) return read_only(st, actor, role, act);
  mimi_room_state work;
  MIMI_TRY(mimi_room_state_clone(&work, st));
  mimi_err err = mimi_room_step(&work, env, actor, act);
  mimi_room_state_free(&work);
  return err;
}
