/* app_data.c — the extensions draft's application data: the
 * app_data_dictionary extension (sorted, one entry per component), the
 * AppDataUpdate and AppEphemeral proposal rules, applying them to the
 * next epoch's GroupContext through the application's component handlers,
 * and the required components (app_components, safe_aad) every leaf must
 * list. */
#include <stdlib.h>
#include <string.h>

#include "group_internal.h"

static mimi_err check_sorted(const mls_app_data_dictionary *d) {
  for (size_t i = 1; i < d->component_data_count; i++)
    if (d->component_data[i].component_id <= d->component_data[i - 1].component_id)
      return MIMI_ERR_BAD_APP_DATA;
  return MIMI_OK;
}

mimi_err mls_app_data_dictionary_parse(const uint8_t *data, size_t len,
                                       mls_app_data_dictionary *out) {
  mls_app_data_dictionary d;
  MIMI_TRY(mls_app_data_dictionary_decode(data, len, &d));
  mimi_err err = check_sorted(&d);
  if (err != MIMI_OK) {
    mls_app_data_dictionary_free(&d);
    return err;
  }
  *out = d;
  return MIMI_OK;
}

mimi_err mls_app_data_dictionary_extension(const mls_component_data *entries, size_t n,
                                           mls_extension *out) {
  mls_app_data_dictionary d = {(mls_component_data *)entries, n}; /* view */
  MIMI_TRY(check_sorted(&d));
  mimi_bytes data;
  MIMI_TRY(mls_app_data_dictionary_encode(&d, &data));
  out->extension_type = MLS_EXT_APP_DATA_DICTIONARY;
  out->extension_data = data;
  return MIMI_OK;
}

/* The dictionary of an extension list; an absent one is empty. */
static mimi_err dictionary_of(const mls_extension *exts, size_t n, mls_app_data_dictionary *out,
                              bool *present) {
  const mls_extension *e = group_find_extension(exts, n, MLS_EXT_APP_DATA_DICTIONARY);
  if (present != NULL) *present = e != NULL;
  if (e == NULL) {
    memset(out, 0, sizeof *out);
    return MIMI_OK;
  }
  if (mls_app_data_dictionary_parse(e->extension_data.data, e->extension_data.len, out) !=
      MIMI_OK)
    return MIMI_ERR_BAD_APP_DATA;
  return MIMI_OK;
}

mimi_err group_check_dictionary(const mls_extension *exts, size_t n) {
  mls_app_data_dictionary d;
  MIMI_TRY(dictionary_of(exts, n, &d, NULL));
  mls_app_data_dictionary_free(&d);
  return MIMI_OK;
}

static const mls_component_data *entry_of(const mls_app_data_dictionary *d, uint16_t id) {
  for (size_t i = 0; i < d->component_data_count; i++)
    if (d->component_data[i].component_id == id) return &d->component_data[i];
  return NULL;
}

/* A component's data as a view into the extension, walking the whole
 * dictionary (ids checked) without decoding it: lookups run on every
 * message (safe_aad) and a participant list can be large. */
static mimi_err dictionary_view(const mls_extension *exts, size_t n, uint16_t id,
                                const uint8_t **data, size_t *len) {
  const mls_extension *e = group_find_extension(exts, n, MLS_EXT_APP_DATA_DICTIONARY);
  if (e == NULL) return MIMI_ERR_NOT_FOUND;
  mimi_reader r = mimi_reader_init(e->extension_data.data, e->extension_data.len), body;
  if (mimi_read_vec(&r, &body) != MIMI_OK || mimi_reader_done(&r) != MIMI_OK)
    return MIMI_ERR_BAD_APP_DATA;
  bool found = false, first = true;
  uint16_t prev = 0;
  while (mimi_reader_remaining(&body) > 0) {
    uint16_t cid;
    mimi_reader item;
    if (mimi_read_u16(&body, &cid) != MIMI_OK || mimi_read_vec(&body, &item) != MIMI_OK ||
        (!first && cid <= prev))
      return MIMI_ERR_BAD_APP_DATA;
    if (cid == id) {
      found = true;
      *len = mimi_reader_remaining(&item);
      if (mimi_read_view(&item, *len, data) != MIMI_OK) return MIMI_ERR_BAD_APP_DATA;
    }
    first = false;
    prev = cid;
  }
  return found ? MIMI_OK : MIMI_ERR_NOT_FOUND;
}

mimi_err mls_app_data_get(const mls_extension *exts, size_t n, uint16_t component_id,
                          mimi_bytes *out) {
  const uint8_t *data;
  size_t len;
  MIMI_TRY(dictionary_view(exts, n, component_id, &data, &len));
  return mimi_bytes_copy(out, data, len);
}

mimi_err mls_group_app_data(const mls_group *g, uint16_t component_id, mimi_bytes *out) {
  return mls_app_data_get(g->ctx.extensions, g->ctx.extensions_count, component_id, out);
}

mimi_err mls_group_set_components(mls_group *g, const mls_component_handler *handlers,
                                  size_t n, const mls_commit_hook *hook) {
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < i; k++)
      if (handlers[i].component_id == handlers[k].component_id) return MIMI_ERR_INVALID_ARG;
  g->cfg.components = handlers;
  g->cfg.n_components = n;
  g->cfg.commit_hook = hook;
  return MIMI_OK;
}

mimi_err group_run_commit_hook(const mls_group *g, const mls_group *next,
                               const group_proposal_list *list) {
  const mls_commit_hook *h = g->cfg.commit_hook;
  if (h == NULL || h->check == NULL) return MIMI_OK;
  uint32_t *senders = list->n > 0 ? calloc(list->n, sizeof *senders) : NULL;
  if (list->n > 0 && senders == NULL) return MIMI_ERR_NOMEM;
  for (size_t i = 0; i < list->n; i++)
    senders[i] = list->by_value[i] ? list->committer : list->proposers[i];
  mls_commit_view v = {&g->ctx, &next->ctx, list->props, senders, list->n, list->committer};
  mimi_err err = h->check(h->ctx, &v);
  free(senders);
  return err;
}

static const mls_component_handler *handler_of(const mls_group *g, uint16_t id) {
  for (size_t i = 0; i < g->cfg.n_components; i++)
    if (g->cfg.components[i].component_id == id) return &g->cfg.components[i];
  return NULL;
}

/* ---- rules of a proposal list ------------------------------------------ */

/* A known component, and per component either one `remove` or only
 * `update`s in the list. */
mimi_err group_check_app_proposal(const mls_group *g, const mls_proposal *list, size_t n,
                                  size_t i) {
  const mls_proposal *p = &list[i];
  if (p->proposal_type == MLS_PROPOSAL_APP_EPHEMERAL)
    return handler_of(g, p->app_ephemeral.component_id) != NULL ? MIMI_OK
                                                                 : MIMI_ERR_BAD_PROPOSAL;
  uint16_t id = p->app_data_update.component_id;
  if (handler_of(g, id) == NULL) return MIMI_ERR_BAD_PROPOSAL;
  bool remove = p->app_data_update.op.op == MLS_APP_DATA_UPDATE_OP_REMOVE;
  for (size_t k = 0; k < n; k++) {
    if (k == i || list[k].proposal_type != MLS_PROPOSAL_APP_DATA_UPDATE ||
        list[k].app_data_update.component_id != id)
      continue;
    if (remove || list[k].app_data_update.op.op == MLS_APP_DATA_UPDATE_OP_REMOVE)
      return MIMI_ERR_BAD_PROPOSAL;
  }
  return MIMI_OK;
}

/* When AppDataUpdate is a required proposal type, a GroupContextExtensions
 * proposal must leave the dictionary exactly as it is. */
mimi_err group_check_gce_dictionary(const mls_group *g, const mls_group_context_extensions *gce) {
  const mls_group_context *ctx = &g->ctx;
  const mls_extension *rce =
      group_find_extension(ctx->extensions, ctx->extensions_count, MLS_EXT_REQUIRED_CAPABILITIES);
  const mls_extension *now =
      group_find_extension(ctx->extensions, ctx->extensions_count, MLS_EXT_APP_DATA_DICTIONARY);
  const mls_extension *then = group_find_extension(gce->extensions, gce->extensions_count,
                                                   MLS_EXT_APP_DATA_DICTIONARY);
  if (then != NULL) {
    mls_app_data_dictionary d;
    if (mls_app_data_dictionary_parse(then->extension_data.data, then->extension_data.len, &d) !=
        MIMI_OK)
      return MIMI_ERR_BAD_PROPOSAL;
    mls_app_data_dictionary_free(&d);
  }
  if (rce == NULL) return MIMI_OK;
  mls_required_capabilities rc;
  if (mls_required_capabilities_decode(rce->extension_data.data, rce->extension_data.len, &rc) !=
      MIMI_OK)
    return MIMI_ERR_BAD_PROPOSAL;
  bool required = group_u16_in(rc.proposal_types, rc.proposal_types_count,
                               MLS_PROPOSAL_APP_DATA_UPDATE);
  mls_required_capabilities_free(&rc);
  if (!required) return MIMI_OK;
  if (now == NULL && then == NULL) return MIMI_OK;
  if (now == NULL || then == NULL || !mimi_bytes_eq(&now->extension_data, &then->extension_data))
    return MIMI_ERR_BAD_PROPOSAL;
  return MIMI_OK;
}

/* ---- applying ------------------------------------------------------------ */

static mimi_err set_dictionary(mls_group_context *ctx, const mls_app_data_dictionary *d) {
  mimi_bytes data;
  MIMI_TRY(mls_app_data_dictionary_encode(d, &data));
  for (size_t i = 0; i < ctx->extensions_count; i++)
    if (ctx->extensions[i].extension_type == MLS_EXT_APP_DATA_DICTIONARY) {
      mimi_bytes_free(&ctx->extensions[i].extension_data);
      ctx->extensions[i].extension_data = data;
      return MIMI_OK;
    }
  /* none yet: appended at the end of the list, as the draft says */
  mls_extension *e = realloc(ctx->extensions, (ctx->extensions_count + 1) * sizeof *e);
  if (e == NULL) {
    mimi_bytes_free(&data);
    return MIMI_ERR_NOMEM;
  }
  ctx->extensions = e;
  e[ctx->extensions_count].extension_type = MLS_EXT_APP_DATA_DICTIONARY;
  e[ctx->extensions_count].extension_data = data;
  ctx->extensions_count++;
  return MIMI_OK;
}

/* Puts (data != NULL) or drops a component's entry, keeping the order. */
static mimi_err dict_put(mls_app_data_dictionary *d, uint16_t id, mimi_bytes *data) {
  size_t at = 0;
  while (at < d->component_data_count && d->component_data[at].component_id < id) at++;
  bool exists = at < d->component_data_count && d->component_data[at].component_id == id;
  if (data == NULL) {
    if (!exists) return MIMI_ERR_BAD_PROPOSAL;
    mls_component_data_free(&d->component_data[at]);
    memmove(&d->component_data[at], &d->component_data[at + 1],
            (d->component_data_count - at - 1) * sizeof *d->component_data);
    d->component_data_count--;
    return MIMI_OK;
  }
  if (exists) {
    mimi_bytes_free(&d->component_data[at].data);
    d->component_data[at].data = *data;
    *data = (mimi_bytes){NULL, 0};
    return MIMI_OK;
  }
  mls_component_data *e =
      realloc(d->component_data, (d->component_data_count + 1) * sizeof *e);
  if (e == NULL) return MIMI_ERR_NOMEM;
  d->component_data = e;
  memmove(&e[at + 1], &e[at], (d->component_data_count - at) * sizeof *e);
  e[at].component_id = id;
  e[at].data = *data;
  *data = (mimi_bytes){NULL, 0};
  d->component_data_count++;
  return MIMI_OK;
}

static mls_component_event event_of(const mls_group *g, const group_proposal_list *list,
                                    size_t i, uint16_t id) {
  mls_component_event ev;
  ev.component_id = id;
  ev.sender = list->by_value[i] ? list->committer : list->proposers[i];
  ev.committer = list->committer;
  ev.context = &g->ctx;
  return ev;
}

/* One AppDataUpdate: the handler computes and judges the new data. */
static mimi_err apply_update(const mls_group *g, const group_proposal_list *list, size_t i,
                             mls_app_data_dictionary *d) {
  const mls_app_data_update *u = &list->props[i].app_data_update;
  const mls_component_handler *h = handler_of(g, u->component_id);
  if (h == NULL) return MIMI_ERR_BAD_PROPOSAL;
  mls_component_event ev = event_of(g, list, i, u->component_id);
  const mls_component_data *cur = entry_of(d, u->component_id);
  const mimi_bytes *old = cur != NULL ? &cur->data : NULL;
  mimi_bytes next = {NULL, 0};
  bool remove = u->op.op == MLS_APP_DATA_UPDATE_OP_REMOVE;
  if (remove && old == NULL) return MIMI_ERR_BAD_PROPOSAL;
  mimi_err err = MIMI_OK;
  if (!remove)
    err = h->apply != NULL ? h->apply(h->ctx, &ev, old, &u->op.update, &next)
                           : mimi_bytes_dup(&next, &u->op.update);
  if (err == MIMI_OK && h->validate != NULL)
    err = h->validate(h->ctx, &ev, old, remove ? NULL : &next);
  if (err == MIMI_OK) err = dict_put(d, u->component_id, remove ? NULL : &next);
  mimi_bytes_free(&next);
  return err;
}

/* The draft's order: AppEphemeral after the RFC's proposals, AppDataUpdate
 * last, each in commit order. */
mimi_err group_apply_app_proposals(const mls_group *g, mls_group *next,
                                   const group_proposal_list *list) {
  bool any_update = false;
  for (size_t i = 0; i < list->n; i++) {
    const mls_proposal *p = &list->props[i];
    any_update = any_update || p->proposal_type == MLS_PROPOSAL_APP_DATA_UPDATE;
    if (p->proposal_type != MLS_PROPOSAL_APP_EPHEMERAL) continue;
    const mls_component_handler *h = handler_of(g, p->app_ephemeral.component_id);
    if (h == NULL) return MIMI_ERR_BAD_PROPOSAL;
    mls_component_event ev = event_of(g, list, i, p->app_ephemeral.component_id);
    if (h->ephemeral != NULL) MIMI_TRY(h->ephemeral(h->ctx, &ev, &p->app_ephemeral.data));
  }
  if (!any_update) return MIMI_OK;
  mls_app_data_dictionary d;
  MIMI_TRY(dictionary_of(next->ctx.extensions, next->ctx.extensions_count, &d, NULL));
  mimi_err err = MIMI_OK;
  for (size_t i = 0; err == MIMI_OK && i < list->n; i++)
    if (list->props[i].proposal_type == MLS_PROPOSAL_APP_DATA_UPDATE)
      err = apply_update(g, list, i, &d);
  if (err == MIMI_OK) err = set_dictionary(&next->ctx, &d);
  mls_app_data_dictionary_free(&d);
  return err;
}

bool group_app_proposal_acceptable(const mls_group *g, const mls_proposal *p, uint32_t sender,
                                   uint32_t committer) {
  if (p->proposal_type != MLS_PROPOSAL_APP_DATA_UPDATE &&
      p->proposal_type != MLS_PROPOSAL_APP_EPHEMERAL)
    return true;
  if (group_check_app_proposal(g, p, 1, 0) != MIMI_OK) return false;
  /* a scratch state holding only the GroupContext, which is all the
   * application proposals touch */
  mls_group *scratch = calloc(1, sizeof *scratch);
  if (scratch == NULL) return false;
  bool by_value = false;
  group_proposal_list one = {committer, p, &sender, &by_value, 1};
  bool ok = mimi_clone(mls_group_context_type(), &scratch->ctx, &g->ctx) == MIMI_OK &&
            group_apply_app_proposals(g, scratch, &one) == MIMI_OK;
  mls_group_context_free(&scratch->ctx);
  free(scratch);
  return ok;
}

/* ---- required components ------------------------------------------------- */

/* Whether `have` (a leaf's ComponentsList for `id`) covers `need`. */
static mimi_err leaf_covers(const mls_leaf_node *leaf, uint16_t id, const mls_components_list *need) {
  mimi_bytes data = {NULL, 0};
  mimi_err err = mls_app_data_get(leaf->extensions, leaf->extensions_count, id, &data);
  if (err == MIMI_ERR_NOT_FOUND) return need->component_ids_count == 0 ? MIMI_OK
                                                                        : MIMI_ERR_BAD_APP_DATA;
  MIMI_TRY(err);
  mls_components_list have;
  err = mls_components_list_decode(data.data, data.len, &have);
  mimi_bytes_free(&data);
  if (err != MIMI_OK) return MIMI_ERR_BAD_APP_DATA;
  for (size_t i = 0; err == MIMI_OK && i < need->component_ids_count; i++)
    if (!group_u16_in(have.component_ids, have.component_ids_count, need->component_ids[i]))
      err = MIMI_ERR_BAD_APP_DATA;
  mls_components_list_free(&have);
  return err;
}

mimi_err group_check_required_components(const mls_group_context *ctx, const mls_rtree *tree,
                                         const mls_leaf_node *extra) {
  static const uint16_t ids[] = {MLS_COMPONENT_APP_COMPONENTS, MLS_COMPONENT_SAFE_AAD};
  for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++) {
    mimi_bytes data = {NULL, 0};
    mimi_err err = mls_app_data_get(ctx->extensions, ctx->extensions_count, ids[k], &data);
    if (err == MIMI_ERR_NOT_FOUND) continue;
    MIMI_TRY(err);
    mls_components_list need;
    err = mls_components_list_decode(data.data, data.len, &need);
    mimi_bytes_free(&data);
    if (err != MIMI_OK) return MIMI_ERR_BAD_APP_DATA;
    uint32_t n = tree != NULL ? mls_rtree_leaf_count(tree) : 0;
    for (uint32_t i = 0; err == MIMI_OK && i < n; i++) {
      const mls_leaf_node *l = mls_rtree_leaf(tree, i);
      if (l != NULL) err = leaf_covers(l, ids[k], &need);
    }
    if (err == MIMI_OK && extra != NULL) err = leaf_covers(extra, ids[k], &need);
    mls_components_list_free(&need);
    MIMI_TRY(err);
  }
  return MIMI_OK;
}

bool group_context_uses_safe_aad(const mls_group_context *ctx) {
  const uint8_t *data;
  size_t len;
  return dictionary_view(ctx->extensions, ctx->extensions_count, MLS_COMPONENT_SAFE_AAD, &data,
                         &len) == MIMI_OK;
}

bool mls_group_uses_safe_aad(const mls_group *g) { return group_context_uses_safe_aad(&g->ctx); }
