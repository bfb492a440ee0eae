/* group_io.c — a group's messages on the wire (RFC 9420 §6): signing and
 * wrapping what we send, reading what we receive (sender keys from the
 * tree, the external_senders extension or the message itself), the
 * proposal cache, and application messages. */
#include <stdlib.h>
#include <string.h>

#include "group_internal.h"

mls_framing_epoch group_framing(const mls_group *g) {
  mls_framing_epoch ep;
  ep.suite = g->suite->id;
  ep.context = &g->ctx;
  ep.membership_key = g->secrets.membership_key;
  ep.sender_data_secret = g->secrets.sender_data_secret;
  ep.secret_tree = g->st;
  return ep;
}

typedef struct {
  const mls_group *g;
  mimi_bytes key; /* an external sender's key, owned for the call */
} signer_ctx;

static mimi_err external_sender_key(signer_ctx *c, uint32_t index) {
  const mls_group_context *ctx = &c->g->ctx;
  const mls_extension *e =
      group_find_extension(ctx->extensions, ctx->extensions_count, MLS_EXT_EXTERNAL_SENDERS);
  if (e == NULL) return MIMI_ERR_BAD_SENDER;
  mls_external_senders es;
  if (mls_external_senders_decode(e->extension_data.data, e->extension_data.len, &es) != MIMI_OK)
    return MIMI_ERR_BAD_SENDER;
  mimi_err err = MIMI_ERR_BAD_SENDER;
  if (index < es.external_senders_count) {
    mimi_bytes_free(&c->key);
    err = mimi_bytes_dup(&c->key, &es.external_senders[index].signature_key);
  }
  mls_external_senders_free(&es);
  return err;
}

static mimi_err signer_get(void *vctx, const mls_framed_content *content, const uint8_t **pub,
                           size_t *pub_len) {
  signer_ctx *c = vctx;
  const mimi_bytes *key = NULL;
  switch (content->sender.sender_type) {
    case MLS_SENDER_MEMBER: {
      const mls_leaf_node *leaf = mls_rtree_leaf(c->g->tree, content->sender.leaf_index);
      if (leaf == NULL) return MIMI_ERR_BAD_SENDER;
      key = &leaf->signature_key;
      break;
    }
    case MLS_SENDER_EXTERNAL:
      MIMI_TRY(external_sender_key(c, content->sender.sender_index));
      key = &c->key;
      break;
    default:
      MIMI_TRY(mls_new_member_signature_key(content, &key));
  }
  *pub = key->data;
  *pub_len = key->len;
  return MIMI_OK;
}

mimi_err group_framed(const mls_group *g, mls_framed_content *fc) {
  memset(fc, 0, sizeof *fc);
  MIMI_TRY(mimi_bytes_dup(&fc->group_id, &g->ctx.group_id));
  fc->epoch = g->ctx.epoch;
  fc->sender.sender_type = MLS_SENDER_MEMBER;
  fc->sender.leaf_index = g->own_leaf;
  mimi_err err = group_default_aad(g, &fc->authenticated_data);
  if (err != MIMI_OK) mimi_bytes_free(&fc->group_id);
  return err;
}

mimi_err group_wrap(mls_group *g, const mls_authenticated_content *ac, const mimi_rng *rng,
                    mls_message *out) {
  mls_framing_epoch ep = group_framing(g);
  mls_message m;
  memset(&m, 0, sizeof m);
  m.version = MLS_VERSION_MLS10;
  m.body.wire_format = ac->wire_format;
  mimi_err err;
  if (ac->wire_format == MLS_WIRE_PRIVATE_MESSAGE)
    err = mls_private_message_protect(&ep, ac, g->cfg.padding, rng, &m.body.private_message);
  else
    err = mls_public_message_protect(&ep, ac, &m.body.public_message);
  if (err != MIMI_OK) return err;
  *out = m;
  return MIMI_OK;
}

mimi_err mls_group_read(mls_group *g, const mls_message *msg, mls_authenticated_content *out) {
  if (!g->active) return MIMI_ERR_BAD_GROUP_STATE;
  if (msg->version != MLS_VERSION_MLS10) return MIMI_ERR_BAD_WIRE_FORMAT;
  mls_framing_epoch ep = group_framing(g);
  signer_ctx c = {g, {NULL, 0}};
  mls_signer_lookup lookup = {signer_get, &c};
  mimi_err err;
  if (msg->body.wire_format == MLS_WIRE_PUBLIC_MESSAGE) {
    err = mls_public_message_unprotect(&ep, &msg->body.public_message, &lookup, out);
  } else if (msg->body.wire_format == MLS_WIRE_PRIVATE_MESSAGE) {
    err = mls_private_message_unprotect(&ep, &msg->body.private_message, &lookup, out);
  } else {
    err = MIMI_ERR_BAD_WIRE_FORMAT;
  }
  mimi_bytes_free(&c.key);
  if (err == MIMI_OK) {
    err = group_check_aad(g, &out->content.authenticated_data);
    if (err != MIMI_OK) mls_authenticated_content_free(out);
  }
  return err;
}

const group_cached_proposal *group_find_proposal(const mls_group *g, const uint8_t *ref,
                                                 size_t ref_len) {
  if (ref_len != g->suite->hash_len) return NULL;
  for (size_t i = 0; i < g->n_props; i++)
    if (memcmp(g->props[i].ref, ref, ref_len) == 0) return &g->props[i];
  return NULL;
}

mimi_err group_cache_proposal(mls_group *g, const mls_proposal *p, const uint8_t *ref,
                              uint32_t sender) {
  group_cached_proposal *np = realloc(g->props, (g->n_props + 1) * sizeof *np);
  if (np == NULL) return MIMI_ERR_NOMEM;
  g->props = np;
  group_cached_proposal *e = &np[g->n_props];
  memset(e, 0, sizeof *e);
  MIMI_TRY(mimi_clone(mls_proposal_type(), &e->proposal, p));
  memcpy(e->ref, ref, g->suite->hash_len);
  e->sender = sender;
  g->n_props++;
  return MIMI_OK;
}

/* §12.1: what may be sent as a standalone proposal, and by whom. */
static mimi_err check_standalone(const mls_group *g, const mls_authenticated_content *ac) {
  const mls_proposal *p = &ac->content.body.proposal;
  uint8_t st = ac->content.sender.sender_type;
  switch (p->proposal_type) {
    case MLS_PROPOSAL_EXTERNAL_INIT:
      return MIMI_ERR_BAD_PROPOSAL;
    case MLS_PROPOSAL_SELF_REMOVE:
      if (ac->wire_format != MLS_WIRE_PUBLIC_MESSAGE) return MIMI_ERR_BAD_PROPOSAL;
      /* fall through */
    case MLS_PROPOSAL_UPDATE:
      if (st != MLS_SENDER_MEMBER) return MIMI_ERR_BAD_PROPOSAL;
      break;
    case MLS_PROPOSAL_ADD:
      MIMI_TRY(mls_key_package_validate(&p->add.key_package, g->suite->id, g->cfg.now));
      break;
    default:
      if (st == MLS_SENDER_NEW_MEMBER_PROPOSAL) return MIMI_ERR_BAD_PROPOSAL;
  }
  /* §12.1.8: a new member may only propose to add itself. */
  if (st == MLS_SENDER_NEW_MEMBER_PROPOSAL && p->proposal_type != MLS_PROPOSAL_ADD)
    return MIMI_ERR_BAD_PROPOSAL;
  if (p->proposal_type == MLS_PROPOSAL_UPDATE) {
    const mls_leaf_node *leaf = &p->update.leaf_node;
    if (leaf->source.leaf_node_source != MLS_LEAF_SOURCE_UPDATE) return MIMI_ERR_BAD_PROPOSAL;
    MIMI_TRY(mls_leaf_node_verify(g->suite->id, leaf, g->ctx.group_id.data, g->ctx.group_id.len,
                                  ac->content.sender.leaf_index));
  }
  return MIMI_OK;
}

mimi_err mls_group_store_proposal(mls_group *g, const mls_authenticated_content *ac) {
  if (ac->content.body.content_type != MLS_CONTENT_PROPOSAL) return MIMI_ERR_BAD_CONTENT_TYPE;
  MIMI_TRY(check_standalone(g, ac));
  mimi_bytes enc;
  MIMI_TRY(mls_authenticated_content_encode(ac, &enc));
  uint8_t ref[MIMI_MAX_HASH];
  mimi_err err = mls_make_proposal_ref(g->suite->id, enc.data, enc.len, ref);
  mimi_bytes_free(&enc);
  MIMI_TRY(err);
  if (group_find_proposal(g, ref, g->suite->hash_len) != NULL) return MIMI_ERR_BAD_PROPOSAL;
  uint32_t sender = ac->content.sender.sender_type == MLS_SENDER_MEMBER
                        ? ac->content.sender.leaf_index
                        : GROUP_NO_LEAF;
  return group_cache_proposal(g, &ac->content.body.proposal, ref, sender);
}

mimi_err mls_group_protect(mls_group *g, const uint8_t *data, size_t len, const uint8_t *aad,
                           size_t aad_len, const mimi_rng *rng, mls_message *out) {
  if (!group_can_send(g)) return MIMI_ERR_BAD_GROUP_STATE;
  mls_framed_content fc;
  MIMI_TRY(group_framed(g, &fc));
  fc.body.content_type = MLS_CONTENT_APPLICATION;
  mimi_err err = mimi_bytes_copy(&fc.body.application_data, data, len);
  if (err == MIMI_OK) {
    mimi_bytes_free(&fc.authenticated_data);
    err = mimi_bytes_copy(&fc.authenticated_data, aad, aad_len);
  }
  if (err == MIMI_OK) err = group_check_aad(g, &fc.authenticated_data);
  mls_authenticated_content ac;
  memset(&ac, 0, sizeof ac);
  mls_framing_epoch ep = group_framing(g);
  if (err == MIMI_OK)
    err = mls_authenticated_content_sign(&ep, MLS_WIRE_PRIVATE_MESSAGE, &fc, g->sig_priv.data,
                                         g->sig_priv.len, &ac);
  if (err == MIMI_OK) err = group_wrap(g, &ac, rng, out);
  mls_authenticated_content_free(&ac);
  mls_framed_content_free(&fc);
  return err;
}

mimi_err mls_group_unprotect(mls_group *g, const mls_message *msg, mimi_bytes *data,
                             uint32_t *sender) {
  if (msg->body.wire_format != MLS_WIRE_PRIVATE_MESSAGE) return MIMI_ERR_BAD_WIRE_FORMAT;
  if (msg->body.private_message.content_type != MLS_CONTENT_APPLICATION)
    return MIMI_ERR_BAD_CONTENT_TYPE;
  mls_authenticated_content ac;
  MIMI_TRY(mls_group_read(g, msg, &ac));
  mimi_err err = MIMI_OK;
  if (ac.content.body.content_type != MLS_CONTENT_APPLICATION ||
      ac.content.sender.sender_type != MLS_SENDER_MEMBER)
    err = MIMI_ERR_BAD_CONTENT_TYPE;
  if (err == MIMI_OK) {
    *sender = ac.content.sender.leaf_index;
    *data = ac.content.body.application_data;
    ac.content.body.application_data = (mimi_bytes){NULL, 0};
  }
  mls_authenticated_content_free(&ac);
  return err;
}

/* ---- the hub's view (public_group.c) ------------------------------------ */

mimi_err group_read_public_nonmember(const mls_group *g, const mls_public_message *in,
                                     mls_authenticated_content *out) {
  mls_framing_epoch ep = group_framing(g);
  ep.membership_key = NULL;
  signer_ctx c = {g, {NULL, 0}};
  mls_signer_lookup lookup = {signer_get, &c};
  mimi_err err = mls_public_message_unprotect_nonmember(&ep, in, &lookup, out);
  mimi_bytes_free(&c.key);
  return err;
}
