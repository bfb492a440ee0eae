/* rooms.c — the hub side of rooms this provider owns: creation from the
 * creator's GroupInfo, the update endpoint (one commit per epoch, checked
 * by the MLS public group view, stored with its fan-out in one
 * transaction) and submitMessage (application messages of the current
 * epoch fanned out). */
#include <stdlib.h>
#include <string.h>

#include "mimi/mls.h"
#include "provider_internal.h"

#define CLIENT_MEDIA "application/mimi-client"

/* The client URI a leaf's basic credential names, NULL otherwise. */
static char *leaf_client_uri(const mls_leaf_node *leaf) {
  if (leaf == NULL || leaf->credential.credential_type != MLS_CREDENTIAL_BASIC) return NULL;
  mimi_uri u;
  if (prov_parse_uri(&leaf->credential.identity, MIMI_URI_CLIENT, &u) != MIMI_OK) return NULL;
  char *s = strdup(u.canonical);
  mimi_uri_free(&u);
  return s;
}

/* The requester is allowed to speak for this leaf: it is the client, or
 * (for a peer) the client's provider. */
static bool speaks_for(const prov_requester *who, const mls_leaf_node *leaf) {
  char *uri = leaf_client_uri(leaf);
  bool ok = false;
  if (uri != NULL) {
    mimi_uri u;
    if (mimi_uri_parse(uri, strlen(uri), &u) == MIMI_OK) {
      ok = who->client_uri ? strcmp(who->client_uri, u.canonical) == 0
                           : strcmp(who->domain, u.provider) == 0;
      mimi_uri_free(&u);
    }
  }
  free(uri);
  return ok;
}

static void free_uris(char **v, size_t n) {
  for (size_t i = 0; v != NULL && i < n; i++) free(v[i]);
  free(v);
}

/* Client URIs of the roster's leaves, skipping `skip` (UINT32_MAX: none)
 * and leaves without a routable credential. */
static mimi_err roster(const mls_public_group *pg, uint32_t skip, char ***out, size_t *n) {
  uint32_t leaves = mls_rtree_leaf_count(mls_public_group_tree(pg));
  char **v = calloc(leaves ? leaves : 1, sizeof *v);
  if (v == NULL) return MIMI_ERR_NOMEM;
  size_t k = 0;
  for (uint32_t i = 0; i < leaves; i++) {
    const mls_leaf_node *leaf = mls_public_group_member(pg, i);
    if (i == skip || leaf == NULL) continue;
    if ((v[k] = leaf_client_uri(leaf)) != NULL) k++;
  }
  *out = v;
  *n = k;
  return MIMI_OK;
}

/* ---- room creation (client API) ------------------------------------------ */

void prov_room_create(const mimi_provider *p, const mimi_store_client *c,
                      const mimi_http_request *req, mimi_http_response *resp) {
  mimi_client_create_room_request r;
  mimi_err err = mimi_client_create_room_request_decode(req->body, req->body_len, &r);
  if (err != MIMI_OK) {
    prov_error(resp, 400, mimi_strerror(err));
    return;
  }
  mimi_uri room = {0};
  mls_public_group *pg = NULL;
  mimi_bytes state = {0};
  int64_t id;
  if (prov_parse_uri(&r.room_uri, MIMI_URI_ROOM, &room) != MIMI_OK) {
    prov_error(resp, 400, "room_uri must be mimi://<domain>/r/<room>");
  } else if (strcmp(room.provider, p->cfg->domain) != 0) {
    prov_error(resp, 400, "room_uri is not at this provider");
  } else if ((err = mls_public_group_from_group_info(&pg, &r.group_info, NULL, NULL)) !=
             MIMI_OK) {
    prov_error(resp, 400, mimi_strerror(err));
  } else if (mls_public_group_epoch(pg) != 0 ||
             !speaks_for(&(prov_requester){p->cfg->domain, c->uri},
                         mls_public_group_member(pg, r.group_info.signer))) {
    prov_error(resp, 403, "the GroupInfo must be of epoch 0 and signed by this client's leaf");
  } else if ((err = mls_public_group_serialize(pg, &state)) != MIMI_OK) {
    prov_error(resp, 500, mimi_strerror(err));
  } else if ((err = p->store->ops->room_add(p->store->impl, room.canonical,
                                            &mls_public_group_context(pg)->group_id, 0, &state,
                                            &id)) != MIMI_OK) {
    prov_error(resp, err == MIMI_ERR_STORE_CONFLICT ? 409 : 500,
               err == MIMI_ERR_STORE_CONFLICT ? "room exists" : mimi_strerror(err));
  } else {
    resp->status = 201;
  }
  mimi_bytes_free(&state);
  mls_public_group_free(pg);
  mimi_uri_free(&room);
  mimi_client_create_room_request_free(&r);
}

/* ---- shared by update and submit ------------------------------------------ */

/* The room row and its public group. NOT_FOUND for a room we do not own. */
static mimi_err load_room(const mimi_provider *p, const char *room_uri, mimi_store_room *row,
                          mls_public_group **pg) {
  MIMI_TRY(p->store->ops->room_get(p->store->impl, room_uri, row));
  mimi_err err = mls_public_group_deserialize(pg, row->state.data, row->state.len, NULL);
  if (err != MIMI_OK) mimi_store_room_free(row);
  return err;
}

static mimi_err encode_fanout(uint64_t ts, const mls_message *m,
                              const mimi_ratchet_tree_option *tree, mimi_bytes *out) {
  mimi_fanout_message f;
  memset(&f, 0, sizeof f);
  f.timestamp = ts;
  f.message = *m;
  if (tree != NULL) f.ratchet_tree_option = *tree;
  else f.ratchet_tree_option.representation = MIMI_TREE_REP_DISTRIBUTION_SERVICE;
  /* f borrows the caller's values: encode only, never free. */
  return mimi_proto_encode(mimi_fanout_message_type(), &f, out);
}

/* ---- update ------------------------------------------------------------------ */

typedef struct {
  unsigned http;
  uint8_t code;
  const char *why;
  uint64_t epoch;
} update_outcome;

static void update_reply(const update_outcome *o, uint64_t now, mimi_http_response *resp) {
  if (o->http != 200) {
    prov_error(resp, o->http, o->why);
    return;
  }
  mimi_update_room_response r;
  memset(&r, 0, sizeof r);
  r.response_code = o->code;
  r.error_description.data = (uint8_t *)(o->why ? o->why : "");
  r.error_description.len = o->why ? strlen(o->why) : 0;
  r.accepted_timestamp = now * 1000;
  r.current_epoch = o->epoch;
  mimi_bytes enc = {0};
  mimi_err err = mimi_proto_encode(mimi_update_room_response_type(), &r, &enc);
  if (err != MIMI_OK) prov_error(resp, 500, mimi_strerror(err));
  else prov_reply(resp, 200, mimi_endpoint_get(MIMI_EP_UPDATE)->response_media_type, &enc);
}

#define REFUSE(http_, code_, why_)                                                          \
  do {                                                                                      \
    o->http = (http_);                                                                      \
    o->code = (code_);                                                                      \
    o->why = (why_);                                                                        \
    return MIMI_ERR_INVALID_ARG;                                                            \
  } while (0)

/* Everything of an accepted commit, inside the caller's transaction. */
static mimi_err apply_commit(const mimi_provider *p, const mimi_store_room *row,
                             mls_public_group *pg, const mimi_handshake_bundle *b,
                             const prov_requester *who, uint64_t now, update_outcome *o) {
  const mls_message *msg = &b->proposal_or_commit;
  o->epoch = mls_public_group_epoch(pg);
  if (msg->body.public_message.content.epoch != o->epoch)
    REFUSE(200, MIMI_UPDATE_WRONG_EPOCH, "commit is not for the current epoch");
  mls_public_staged_commit *sc = NULL;
  mimi_err err = mls_public_group_stage_commit(pg, msg, &sc);
  if (err == MIMI_ERR_WRONG_EPOCH) REFUSE(200, MIMI_UPDATE_WRONG_EPOCH, mimi_strerror(err));
  if (err != MIMI_OK) REFUSE(200, MIMI_UPDATE_INVALID_PROPOSAL, mimi_strerror(err));
  const mls_public_commit_view *v = mls_public_staged_commit_view(sc);
  if (!speaks_for(who, v->committer_node)) {
    mls_public_staged_commit_free(sc);
    REFUSE(200, MIMI_UPDATE_NOT_ALLOWED, "the committer is not the requester's");
  }
  /* Recipients: the old roster but the committer gets the commit (removed
   * members too), the added leaves the Welcome. */
  char **existing = NULL, **added = NULL;
  size_t n_existing = 0, n_added = 0;
  uint32_t *added_leaves = v->n_added ? calloc(v->n_added, sizeof *added_leaves) : NULL;
  size_t n_added_leaves = v->n_added;
  if (v->n_added && added_leaves == NULL) err = MIMI_ERR_NOMEM;
  else if (v->n_added) memcpy(added_leaves, v->added, v->n_added * sizeof *added_leaves);
  if (err == MIMI_OK) err = roster(pg, v->committer, &existing, &n_existing);
  if (err != MIMI_OK) {
    mls_public_staged_commit_free(sc);
    free(added_leaves);
    o->http = 500;
    o->why = mimi_strerror(err);
    return err;
  }
  mls_public_group_merge(pg, sc);
  const mimi_handshake_commit_part *cp = &b->commit;
  mimi_bytes state = {0}, main_msg = {0}, welcome_msg = {0};
  /* The hub cannot check the confirmation tag; a GroupInfo of the new
   * epoch signed by a member is what vouches for it (and what joiners
   * fetch), so a partial one is refused until it can be rebuilt. */
  if (cp->group_info_option.representation != MIMI_GROUP_INFO_REP_FULL) {
    err = MIMI_ERR_UNSUPPORTED;
    o->http = 200;
    o->code = MIMI_UPDATE_INVALID_PROPOSAL;
    o->why = "a full GroupInfo is required";
  } else if ((err = mls_public_group_set_group_info(pg, &cp->group_info_option.group_info)) !=
             MIMI_OK) {
    o->http = 200;
    o->code = MIMI_UPDATE_INVALID_PROPOSAL;
    o->why = "GroupInfo does not match the commit";
  } else if ((added = calloc(n_added_leaves ? n_added_leaves : 1, sizeof *added)) == NULL) {
    err = MIMI_ERR_NOMEM;
  } else {
    for (size_t i = 0; i < n_added_leaves; i++) {
      char *u = leaf_client_uri(mls_public_group_member(pg, added_leaves[i]));
      if (u != NULL) added[n_added++] = u;
    }
    if (n_added && cp->welcome == NULL) {
      o->http = 200;
      o->code = MIMI_UPDATE_INVALID_PROPOSAL;
      o->why = "an Add needs a Welcome";
      err = MIMI_ERR_INVALID_ARG;
    }
  }
  mls_message wm;
  memset(&wm, 0, sizeof wm);
  if (err == MIMI_OK && cp->welcome != NULL) {
    wm.version = msg->version;
    wm.body.wire_format = MLS_WIRE_WELCOME;
    wm.body.welcome = *cp->welcome; /* borrowed for encoding */
    err = encode_fanout(now * 1000, &wm, &cp->ratchet_tree_option, &welcome_msg);
  }
  if (err == MIMI_OK) err = encode_fanout(now * 1000, msg, NULL, &main_msg);
  if (err == MIMI_OK) err = mls_public_group_serialize(pg, &state);
  if (err == MIMI_OK)
    err = p->store->ops->room_update(p->store->impl, row->id, o->epoch, mls_public_group_epoch(pg),
                                     &state);
  if (err == MIMI_ERR_STORE_CONFLICT) {
    o->http = 200;
    o->code = MIMI_UPDATE_WRONG_EPOCH;
    o->why = "another commit won this epoch";
  }
  if (err == MIMI_OK)
    err = prov_fanout(p, row->id, (const char *const *)existing, n_existing, &main_msg,
                      (const char *const *)added, n_added, cp->welcome ? &welcome_msg : NULL);
  if (err != MIMI_OK && o->why == NULL) {
    o->http = 500;
    o->why = mimi_strerror(err);
  }
  if (err == MIMI_OK) o->code = MIMI_UPDATE_SUCCESS;
  mimi_bytes_free(&state);
  mimi_bytes_free(&main_msg);
  mimi_bytes_free(&welcome_msg);
  free_uris(existing, n_existing);
  free_uris(added, n_added);
  free(added_leaves);
  return err == MIMI_OK ? MIMI_OK : MIMI_ERR_INVALID_ARG;
}

void prov_room_update(const mimi_provider *p, const char *room_uri, const mimi_http_request *req,
                      const prov_requester *who, uint64_t now, mimi_http_response *resp) {
  mimi_handshake_bundle b;
  mimi_err err = mimi_proto_decode(mimi_handshake_bundle_type(), req->body, req->body_len, &b);
  if (err != MIMI_OK) {
    prov_error(resp, 400, mimi_strerror(err));
    return;
  }
  update_outcome o = {200, MIMI_UPDATE_SUCCESS, NULL, 0};
  mimi_store *st = p->store;
  mimi_store_room row = {0};
  mls_public_group *pg = NULL;
  if (mimi_proto_message_kind(&b.proposal_or_commit) != MIMI_MSG_KIND_COMMIT) {
    o = (update_outcome){501, 0, "standalone proposals are not handled yet", 0};
  } else if ((err = st->ops->begin(st->impl)) != MIMI_OK) {
    o = (update_outcome){500, 0, mimi_strerror(err), 0};
  } else {
    err = load_room(p, room_uri, &row, &pg);
    if (err == MIMI_ERR_NOT_FOUND) o = (update_outcome){404, 0, "no such room here", 0};
    else if (err != MIMI_OK) o = (update_outcome){500, 0, mimi_strerror(err), 0};
    else err = apply_commit(p, &row, pg, &b, who, now, &o);
    if (err == MIMI_OK && (err = st->ops->commit(st->impl)) != MIMI_OK)
      o = (update_outcome){500, 0, mimi_strerror(err), 0};
    if (err != MIMI_OK) st->ops->rollback(st->impl);
  }
  update_reply(&o, now, resp);
  mls_public_group_free(pg);
  mimi_store_room_free(&row);
  mimi_handshake_bundle_free(&b);
}

/* ---- submitMessage ------------------------------------------------------------ */

static void submit_reply(uint8_t code, uint64_t value, mimi_http_response *resp) {
  mimi_submit_message_response r;
  memset(&r, 0, sizeof r);
  r.protocol = MIMI_PROTOCOL_MLS10;
  r.mls10.status_code = code;
  if (code == MIMI_SUBMIT_ACCEPTED) r.mls10.accepted.accepted_timestamp = value;
  if (code == MIMI_SUBMIT_EPOCH_TOO_OLD) r.mls10.current_epoch = value;
  mimi_bytes enc = {0};
  mimi_err err = mimi_proto_encode(mimi_submit_message_response_type(), &r, &enc);
  if (err != MIMI_OK) prov_error(resp, 500, mimi_strerror(err));
  else prov_reply(resp, 200, mimi_endpoint_get(MIMI_EP_SUBMIT_MESSAGE)->response_media_type, &enc);
}

/* The sender's leaf: the roster entry whose credential is sending_uri. */
static const mls_leaf_node *sender_leaf(const mls_public_group *pg, const mimi_bytes *uri,
                                        uint32_t *leaf) {
  mimi_uri want;
  if (prov_parse_uri(uri, MIMI_URI_CLIENT, &want) != MIMI_OK) return NULL;
  const mls_leaf_node *found = NULL;
  uint32_t leaves = mls_rtree_leaf_count(mls_public_group_tree(pg));
  for (uint32_t i = 0; found == NULL && i < leaves; i++) {
    char *u = leaf_client_uri(mls_public_group_member(pg, i));
    if (u != NULL && strcmp(u, want.canonical) == 0) {
      found = mls_public_group_member(pg, i);
      *leaf = i;
    }
    free(u);
  }
  mimi_uri_free(&want);
  return found;
}

static mimi_err submit_fanout(const mimi_provider *p, const mimi_store_room *row,
                              const mls_public_group *pg, uint32_t sender,
                              const mls_message *m, uint64_t now) {
  char **to = NULL;
  size_t n = 0;
  mimi_bytes body = {0};
  mimi_err err = roster(pg, sender, &to, &n);
  if (err == MIMI_OK) {
    mimi_fanout_message f;
    memset(&f, 0, sizeof f);
    f.timestamp = now * 1000;
    f.message = *m; /* borrowed for encoding */
    err = mimi_proto_encode(mimi_fanout_message_type(), &f, &body);
  }
  if (err == MIMI_OK)
    err = prov_fanout(p, row->id, (const char *const *)to, n, &body, NULL, 0, NULL);
  mimi_bytes_free(&body);
  free_uris(to, n);
  return err;
}

void prov_room_submit(const mimi_provider *p, const char *room_uri, const mimi_http_request *req,
                      const prov_requester *who, uint64_t now, mimi_http_response *resp) {
  mimi_submit_message_request s;
  mimi_err err =
      mimi_proto_decode(mimi_submit_message_request_type(), req->body, req->body_len, &s);
  if (err != MIMI_OK) {
    prov_error(resp, 400, mimi_strerror(err));
    return;
  }
  mimi_store *st = p->store;
  mimi_store_room row = {0};
  mls_public_group *pg = NULL;
  const mls_message *m = &s.mls10.app_message;
  const mls_private_message *pm = &m->body.private_message;
  if ((err = st->ops->begin(st->impl)) != MIMI_OK) {
    prov_error(resp, 500, mimi_strerror(err));
    mimi_submit_message_request_free(&s);
    return;
  }
  uint32_t sender = 0;
  const mls_leaf_node *leaf = NULL;
  err = load_room(p, room_uri, &row, &pg);
  if (err == MIMI_ERR_NOT_FOUND) {
    prov_error(resp, 404, "no such room here");
  } else if (err != MIMI_OK) {
    prov_error(resp, 500, mimi_strerror(err));
  } else if (!mimi_bytes_eq(&pm->group_id, &mls_public_group_context(pg)->group_id)) {
    err = MIMI_ERR_INVALID_ARG;
    prov_error(resp, 400, "message is not for this room's group");
  } else if (pm->epoch < mls_public_group_epoch(pg)) {
    err = MIMI_ERR_INVALID_ARG;
    submit_reply(MIMI_SUBMIT_EPOCH_TOO_OLD, mls_public_group_epoch(pg), resp);
  } else if (pm->epoch > mls_public_group_epoch(pg) ||
             (leaf = sender_leaf(pg, &s.mls10.sending_uri.uri, &sender)) == NULL ||
             !speaks_for(who, leaf)) {
    err = MIMI_ERR_INVALID_ARG;
    submit_reply(MIMI_SUBMIT_NOT_ALLOWED, 0, resp);
  } else if ((err = submit_fanout(p, &row, pg, sender, m, now)) != MIMI_OK) {
    prov_error(resp, 500, mimi_strerror(err));
  }
  if (err == MIMI_OK && (err = st->ops->commit(st->impl)) != MIMI_OK)
    prov_error(resp, 500, mimi_strerror(err));
  if (err == MIMI_OK) submit_reply(MIMI_SUBMIT_ACCEPTED, now * 1000, resp);
  else st->ops->rollback(st->impl);
  mls_public_group_free(pg);
  mimi_store_room_free(&row);
  mimi_submit_message_request_free(&s);
}
