/* public_group_internal.h — the hub's public group struct, shared by its
 * lifecycle (public_group.c), commit processing (public_group_commit.c)
 * and persistence (public_group_store.c). */
#ifndef MIMI_MLS_PUBLIC_GROUP_INTERNAL_H
#define MIMI_MLS_PUBLIC_GROUP_INTERNAL_H

#include "group_internal.h"

struct mls_public_group {
  /* The epoch's public state in the member engine's struct, with no
   * secrets and no own leaf (group_internal.h), so that proposals and
   * commits go through the engine's own rules. */
  mls_group *state;
  mls_group_info *group_info; /* the epoch's, from a member; NULL if none */
  mls_public_group_config cfg;
  mls_public_group_policy policy; /* cfg.policy points here when set */
};

/* An empty public group around a fresh shell of suite s. */
MIMI_MUST_CHECK mimi_err public_group_alloc(mls_public_group **out, const mimi_suite *s,
                                            const mls_public_group_config *cfg);

/* Frees the held GroupInfo and takes gi (NULL: none). */
void public_group_replace_info(mls_public_group *pg, mls_group_info *gi);
/* A PublicMessage of pg's epoch with the given content type, checked as a
 * non-member can (BAD_GROUP_STATE after a committed ReInit). */
MIMI_MUST_CHECK mimi_err public_group_read(const mls_public_group *pg, const mls_message *msg,
                                           uint8_t content_type, mls_authenticated_content *out);

#endif /* MIMI_MLS_PUBLIC_GROUP_INTERNAL_H */
