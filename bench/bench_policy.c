/* bench_policy.c — room-policy decisions at room sizes 16 / 256 / 1024:
 * a message (read-only, no copy), a participant added (scratch copy +
 * limits), a three-change commit, and the room state decode from its
 * app_data_dictionary bytes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mimi/policy.h"
#include "util.h"

static void row(const char *op, size_t n, double ops) {
  printf("| %-34s | %6zu | %12.0f | %10.3f |\n", op, n, ops, 1e6 / ops);
}

static void add_role(mimi_role_data *rd, uint32_t index, const char *name, const uint16_t *caps,
                     size_t ncaps, const char *arcs_from, const char *arcs_to) {
  mimi_role *r = &rd->roles[rd->roles_count++];
  memset(r, 0, sizeof *r);
  r->role_index = index;
  if (mimi_bytes_copy(&r->role_name, (const uint8_t *)name, strlen(name)) != MIMI_OK) abort();
  r->role_capabilities = malloc(ncaps * sizeof(uint16_t) + 1);
  memcpy(r->role_capabilities, caps, ncaps * sizeof(uint16_t));
  r->role_capabilities_count = ncaps;
  /* arcs: from each digit of arcs_from to all digits of arcs_to */
  size_t nf = strlen(arcs_from);
  r->authorized_role_changes = calloc(nf + 1, sizeof *r->authorized_role_changes);
  for (size_t i = 0; i < nf; i++) {
    mimi_role_change_targets *t = &r->authorized_role_changes[r->authorized_role_changes_count++];
    t->from_role_index = (uint32_t)(arcs_from[i] - '0');
    size_t nt = strlen(arcs_to);
    t->target_role_indexes = calloc(nt + 1, sizeof(uint32_t));
    for (size_t j = 0; j < nt; j++)
      if (arcs_to[j] != arcs_from[i]) t->target_role_indexes[t->target_role_indexes_count++] =
          (uint32_t)(arcs_to[j] - '0');
  }
}

static void make_room(mimi_room_state *st, size_t n) {
  memset(st, 0, sizeof *st);
  st->roles = calloc(1, sizeof *st->roles);
  st->roles->roles = calloc(4, sizeof(mimi_role));
  static const uint16_t member[] = {MIMI_CAP_ADD_PARTICIPANT, MIMI_CAP_REMOVE_SELF,
                                    MIMI_CAP_ADD_OWN_CLIENT, MIMI_CAP_SEND_MESSAGE,
                                    MIMI_CAP_REPLY_TO_MESSAGE, MIMI_CAP_REACT_TO_MESSAGE};
  static const uint16_t admin[] = {MIMI_CAP_ADD_PARTICIPANT, MIMI_CAP_REMOVE_PARTICIPANT,
                                   MIMI_CAP_BAN,  MIMI_CAP_UNBAN, MIMI_CAP_KICK,
                                   MIMI_CAP_CHANGE_USER_ROLE, MIMI_CAP_SEND_MESSAGE};
  add_role(st->roles, 0, "no_role", NULL, 0, "", "");
  add_role(st->roles, 1, "banned", NULL, 0, "", "");
  add_role(st->roles, 2, "member", member, 6, "02", "02");
  add_role(st->roles, 3, "admin", admin, 7, "0123", "0123");
  st->participants = calloc(1, sizeof *st->participants);
  st->participants->participants = calloc(n, sizeof(mimi_user_role_pair));
  st->participants->participants_count = n;
  st->clients = calloc(n, sizeof(uint32_t));
  for (size_t i = 0; i < n; i++) {
    char u[64];
    int len = snprintf(u, sizeof u, "mimi://p%zu.example/u/user%05zu", i % 7, i);
    if (mimi_bytes_copy(&st->participants->participants[i].user, (const uint8_t *)u, (size_t)len) !=
        MIMI_OK)
      abort();
    st->participants->participants[i].role_index = i == 0 ? 3 : 2;
    st->clients[i] = 1 + (uint32_t)(i % 3);
  }
  if (mimi_room_state_validate(st) != MIMI_OK) abort();
}

typedef struct {
  mimi_room_state st;
  mimi_actor last, admin;
  mimi_bytes enc;
} bench_room;

static int op_message(void *arg) {
  bench_room *b = arg;
  mimi_action a = {.kind = MIMI_ACT_SEND_MESSAGE, .message = MIMI_MSG_REPLY};
  return mimi_room_authorize(&b->st, NULL, &b->last, &a) != MIMI_OK;
}

static int op_add(void *arg) {
  bench_room *b = arg;
  mimi_action a = {.kind = MIMI_ACT_ADD_PARTICIPANT,
                   .target = (const uint8_t *)"mimi://new.example/u/newcomer",
                   .target_len = 29, .role = 2, .clients = 1};
  return mimi_room_authorize(&b->st, NULL, &b->last, &a) != MIMI_OK;
}

static int op_commit(void *arg) {
  bench_room *b = arg;
  const mimi_user_role_pair *victim = &b->st.participants->participants[1];
  const mimi_user_role_pair *other = &b->st.participants->participants[2];
  mimi_room_change ch[] = {
      {&b->admin, {.kind = MIMI_ACT_ADD_PARTICIPANT, .target = (const uint8_t *)"mimi://n.example/u/n",
                   .target_len = 20, .role = 2, .clients = 2}},
      {&b->admin, {.kind = MIMI_ACT_CHANGE_ROLE, .target = victim->user.data,
                   .target_len = victim->user.len, .role = 1}},
      {&b->admin, {.kind = MIMI_ACT_KICK, .target = other->user.data, .target_len = other->user.len}},
  };
  mimi_room_state out;
  if (mimi_room_apply(&b->st, NULL, ch, 3, &out) != MIMI_OK) return 1;
  mimi_room_state_free(&out);
  return 0;
}

static int op_decode(void *arg) {
  bench_room *b = arg;
  mimi_room_state st;
  if (mimi_room_state_decode(b->enc.data, b->enc.len, &st) != MIMI_OK) return 1;
  mimi_room_state_free(&st);
  return 0;
}

int main(void) {
  double secs = bench_seconds();
  printf("| %-34s | %6s | %12s | %10s |\n", "operation", "users", "ops/s", "us/op");
  printf("|%s|%s|%s|%s|\n", "------------------------------------", "--------", "--------------",
         "------------");
  static const size_t sizes[] = {16, 256, 1024};
  for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
    size_t n = sizes[s];
    bench_room b;
    make_room(&b.st, n);
    /* the last participant: the lookup walks the whole list */
    const mimi_bytes *u = &b.st.participants->participants[n - 1].user;
    b.last = (mimi_actor){u->data, u->len, NULL, 0, MIMI_VIA_MEMBER};
    const mimi_bytes *a = &b.st.participants->participants[0].user;
    b.admin = (mimi_actor){a->data, a->len, NULL, 0, MIMI_VIA_MEMBER};
    if (mimi_room_state_encode(&b.st, &b.enc) != MIMI_OK) abort();
    row("authorize message (reply)", n, bench_ops_per_sec(op_message, &b, secs));
    row("authorize add participant", n, bench_ops_per_sec(op_add, &b, secs));
    row("apply commit (add, ban, kick)", n, bench_ops_per_sec(op_commit, &b, secs));
    row("room state decode", n, bench_ops_per_sec(op_decode, &b, secs));
    mimi_bytes_free(&b.enc);
    mimi_room_state_free(&b.st);
  }
  return 0;
}
