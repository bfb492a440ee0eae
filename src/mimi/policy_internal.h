/* policy_internal.h — what the room-state, authorization and apply files of
 * the policy code share and do not export. */
#ifndef MIMI_POLICY_INTERNAL_H
#define MIMI_POLICY_INTERNAL_H

#include "mimi/policy.h"

/* Address of the state's pointer for component `id`, or NULL. */
void **mimi_room_component_slot(mimi_room_state *st, uint16_t id);
/* Frees a heap component value of type mimi_room_component_type(id). */
void mimi_room_component_release(uint16_t id, void *value);
/* Heap deep copy of a component value. */
MIMI_MUST_CHECK mimi_err mimi_room_component_copy(uint16_t id, const void *src, void **out);
/* Client count of participant i (0 when no counts are kept). */
uint32_t mimi_room_clients_at(const mimi_room_state *st, size_t i);
/* §8.1.3: role 1 exists and is named exactly "banned". */
bool mimi_room_banned_role_ok(const mimi_room_state *st);

/* Authorizes one action against *work and applies it there (work is a
 * scratch copy the caller throws away on error). */
MIMI_MUST_CHECK mimi_err mimi_room_step(mimi_room_state *work, const mimi_room_env *env,
                                        const mimi_actor *actor, const mimi_action *action);

#endif
