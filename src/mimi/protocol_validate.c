/* protocol_validate.c — the semantic checks of MIMI protocol messages that
 * the declared-once codec cannot express (enum ranges of fields that are not
 * variant tags, which MLS message kind a field may hold, cross-field rules),
 * applied by one walk over the type descriptors, and the decode/encode entry
 * points that run them. */
#include <stdlib.h>
#include <string.h>

#include "mimi/protocol.h"

#define BIT(v) (1u << (v))
#define RANGE(lo, hi) ((uint32_t)((BIT((hi) + 1) - 1) & ~(BIT(lo) - 1)))

/* An enum field (uint8) and the values defined for it (all below 32). */
typedef struct {
  mimi_type_fn type;
  size_t offset;
  uint32_t allowed;
} enum_rule;

static const enum_rule enum_rules[] = {
    {mimi_partial_group_info_type, offsetof(mimi_partial_group_info, ratchet_tree_presence),
     RANGE(MIMI_TREE_PRESENCE_NONE, MIMI_TREE_PRESENCE_ADDED)},
    {mimi_client_key_material_type, offsetof(mimi_client_key_material, client_status),
     RANGE(MIMI_KM_CLIENT_SUCCESS, MIMI_KM_CLIENT_NOTHING_COMPATIBLE)},
    {mimi_key_material_response_mls_type, offsetof(mimi_key_material_response_mls, user_status),
     RANGE(MIMI_KM_USER_SUCCESS, MIMI_KM_USER_DELETED)},
    {mimi_update_room_response_type, offsetof(mimi_update_room_response, response_code),
     RANGE(MIMI_UPDATE_SUCCESS, MIMI_UPDATE_INVALID_PROPOSAL)},
    {mimi_group_info_response_tbs_mls_type, offsetof(mimi_group_info_response_tbs_mls, status),
     RANGE(MIMI_GROUP_INFO_SUCCESS, MIMI_GROUP_INFO_NO_SUCH_ROOM)},
    {mimi_group_info_response_mls_type, offsetof(mimi_group_info_response_mls, status),
     RANGE(MIMI_GROUP_INFO_SUCCESS, MIMI_GROUP_INFO_NO_SUCH_ROOM)},
    {mimi_consent_entry_type, offsetof(mimi_consent_entry, consent_operation),
     RANGE(MIMI_CONSENT_CANCEL, MIMI_CONSENT_REVOKE)},
    {mimi_profile_field_type, offsetof(mimi_profile_field, field_source),
     BIT(MIMI_FIELD_SOURCE_OIDC_STD_CLAIM) | BIT(MIMI_FIELD_SOURCE_VCARD_FIELD)},
    {mimi_identifier_response_type, offsetof(mimi_identifier_response, response_code),
     RANGE(MIMI_IDQ_SUCCESS, MIMI_IDQ_UNSUPPORTED_FIELD)},
};

static mimi_err check_enum(const mimi_type *t, const mimi_field *f, const void *value) {
  for (size_t i = 0; i < sizeof enum_rules / sizeof enum_rules[0]; i++) {
    if (enum_rules[i].type() != t || enum_rules[i].offset != f->offset) continue;
    uint8_t v = *((const uint8_t *)value + f->offset);
    if (v >= 32 || !(enum_rules[i].allowed & BIT(v))) return MIMI_ERR_PROTO_BAD_ENUM;
  }
  return MIMI_OK;
}

/* --- per-type rules ------------------------------------------------------- */

/* The hub must read handshakes: proposals and commits travel as
 * PublicMessages (SemiPrivateMessage has no wire format here yet). */
static bool is_public(const mls_message *m, mimi_msg_kind kind) {
  return m->body.wire_format == MLS_WIRE_PUBLIC_MESSAGE && mimi_proto_message_kind(m) == kind;
}

static mimi_err check_proposals(const mimi_mls_message_list *l) {
  for (size_t i = 0; i < l->messages_count; i++)
    if (!is_public(&l->messages[i], MIMI_MSG_KIND_PROPOSAL)) return MIMI_ERR_PROTO_BAD_MESSAGE;
  return MIMI_OK;
}

static mimi_err check_handshake_bundle(const void *v) {
  const mimi_handshake_bundle *b = v;
  const mls_message *m = &b->proposal_or_commit;
  if (is_public(m, MIMI_MSG_KIND_COMMIT)) return MIMI_OK;
  if (is_public(m, MIMI_MSG_KIND_PROPOSAL)) return check_proposals(&b->more_proposals);
  return MIMI_ERR_PROTO_BAD_MESSAGE;
}

static mimi_err check_submit_request(const void *v) {
  const mls_message *m = &((const mimi_submit_message_request_mls *)v)->app_message;
  if (m->body.wire_format != MLS_WIRE_PRIVATE_MESSAGE ||
      mimi_proto_message_kind(m) != MIMI_MSG_KIND_APPLICATION)
    return MIMI_ERR_PROTO_BAD_MESSAGE;
  return MIMI_OK;
}

static mimi_err check_fanout(const void *v) {
  const mimi_fanout_message *f = v;
  const mls_message *m = &f->message;
  switch (mimi_proto_message_kind(m)) {
    case MIMI_MSG_KIND_APPLICATION:
      return m->body.wire_format == MLS_WIRE_PRIVATE_MESSAGE ? MIMI_OK
                                                             : MIMI_ERR_PROTO_BAD_MESSAGE;
    case MIMI_MSG_KIND_WELCOME:
      return MIMI_OK;
    case MIMI_MSG_KIND_PROPOSAL:
      if (!is_public(m, MIMI_MSG_KIND_PROPOSAL)) return MIMI_ERR_PROTO_BAD_MESSAGE;
      return check_proposals(&f->more_proposals);
    case MIMI_MSG_KIND_COMMIT:
      if (!is_public(m, MIMI_MSG_KIND_COMMIT)) return MIMI_ERR_PROTO_BAD_MESSAGE;
      return check_proposals(&f->external_proposals);
    default:
      return MIMI_ERR_PROTO_BAD_MESSAGE;
  }
}

static mimi_err check_pending_proposal(const void *v) {
  const mimi_pending_proposal *p = v;
  return is_public(&p->proposal, MIMI_MSG_KIND_PROPOSAL) ? MIMI_OK : MIMI_ERR_PROTO_BAD_MESSAGE;
}

/* §Fetch Key Material: clients are listed only for success, partialSuccess
 * and (optionally) noCompatibleMaterial. */
static mimi_err check_key_material_response(const void *v) {
  const mimi_key_material_response_mls *r = v;
  bool may_list = r->user_status == MIMI_KM_USER_SUCCESS ||
                  r->user_status == MIMI_KM_USER_PARTIAL_SUCCESS ||
                  r->user_status == MIMI_KM_USER_NO_COMPATIBLE_MATERIAL;
  return (r->clients_count > 0 && !may_list) ? MIMI_ERR_PROTO_INCONSISTENT : MIMI_OK;
}

/* §Fetch Key Material: "a non-empty list of acceptable MLS ciphersuites". */
static mimi_err check_key_material_request(const void *v) {
  const mimi_key_material_request_mls *r = v;
  return r->acceptable_ciphersuites_count == 0 ? MIMI_ERR_PROTO_INCONSISTENT : MIMI_OK;
}
static mimi_err check_key_material_request_tbs(const void *v) {
  const mimi_key_material_request_tbs_mls *r = v;
  return r->acceptable_ciphersuites_count == 0 ? MIMI_ERR_PROTO_INCONSISTENT : MIMI_OK;
}

typedef struct {
  mimi_type_fn type;
  mimi_err (*check)(const void *value);
} type_rule;

static const type_rule type_rules[] = {
    {mimi_handshake_bundle_type, check_handshake_bundle},
    {mimi_submit_message_request_mls_type, check_submit_request},
    {mimi_fanout_message_type, check_fanout},
    {mimi_pending_proposal_type, check_pending_proposal},
    {mimi_key_material_response_mls_type, check_key_material_response},
    {mimi_key_material_request_tbs_mls_type, check_key_material_request_tbs},
    {mimi_key_material_request_mls_type, check_key_material_request},
};

/* MLS structs carry no protocol rules; not descending into them keeps the
 * walk cheap for large trees and GroupInfos. */
static bool is_mls_type(const mimi_type *t) { return strncmp(t->name, "mls_", 4) == 0; }

static mimi_err walk(const mimi_type *t, const void *value, unsigned depth) {
  if (depth > 32) return MIMI_ERR_DEPTH;
  if (is_mls_type(t)) return MIMI_OK;
  if (t->kind == MIMI_KIND_VARIANT) {
    uint32_t tag = 0;
    const uint8_t *p = (const uint8_t *)value + t->tag_offset;
    if (t->tag_kind == MIMI_KIND_U8) tag = *p;
    else if (t->tag_kind == MIMI_KIND_U16) tag = *(const uint16_t *)(const void *)p;
    else tag = *(const uint32_t *)(const void *)p;
    for (size_t i = 0; i < t->n_cases; i++)
      if (t->cases[i].tag == tag)
        return walk(t->cases[i].type(), (const uint8_t *)value + t->cases[i].offset, depth + 1);
    return MIMI_ERR_BAD_TAG;
  }
  if (t->kind != MIMI_KIND_STRUCT) return MIMI_OK;
  for (size_t i = 0; i < t->n_fields; i++) {
    const mimi_field *f = &t->fields[i];
    if (f->form == MIMI_FIELD_FIXED) continue;
    const mimi_type *ft = f->type();
    const uint8_t *fv = (const uint8_t *)value + f->offset;
    if (ft->kind == MIMI_KIND_U8) MIMI_TRY(check_enum(t, f, value));
    if (ft->kind != MIMI_KIND_STRUCT && ft->kind != MIMI_KIND_VARIANT) continue;
    switch (f->form) {
      case MIMI_FIELD_COND:
        if (!f->present(value)) break;
        /* fall through */
      case MIMI_FIELD_PLAIN:
        MIMI_TRY(walk(ft, fv, depth + 1));
        break;
      case MIMI_FIELD_OPT: {
        const void *inner = *(const void *const *)(const void *)fv;
        if (inner != NULL) MIMI_TRY(walk(ft, inner, depth + 1));
        break;
      }
      case MIMI_FIELD_VEC: {
        const uint8_t *elems = *(const uint8_t *const *)(const void *)fv;
        size_t n = *(const size_t *)(const void *)((const uint8_t *)value + f->count_offset);
        for (size_t j = 0; j < n; j++) MIMI_TRY(walk(ft, elems + j * ft->size, depth + 1));
        break;
      }
      default:
        break;
    }
  }
  for (size_t i = 0; i < sizeof type_rules / sizeof type_rules[0]; i++)
    if (type_rules[i].type() == t) MIMI_TRY(type_rules[i].check(value));
  return MIMI_OK;
}

mimi_err mimi_proto_validate(const mimi_type *t, const void *value) {
  if (t == NULL || value == NULL) return MIMI_ERR_INVALID_ARG;
  return walk(t, value, 0);
}

static mimi_err decode_from(const mimi_type *t, mimi_reader *r, void *out) {
  mimi_err err = mimi_decode(t, r, out);
  if (err != MIMI_OK) return err;
  err = mimi_proto_validate(t, out);
  if (err != MIMI_OK) mimi_free(t, out);
  return err;
}

mimi_err mimi_proto_decode(const mimi_type *t, const uint8_t *data, size_t len, void *out) {
  if (t == NULL || out == NULL || (data == NULL && len > 0)) return MIMI_ERR_INVALID_ARG;
  mimi_reader r = mimi_reader_init(data, len);
  MIMI_TRY(decode_from(t, &r, out));
  mimi_err err = mimi_reader_done(&r);
  if (err != MIMI_OK) mimi_free(t, out);
  return err;
}

mimi_err mimi_proto_encode(const mimi_type *t, const void *value, mimi_bytes *out) {
  if (out == NULL) return MIMI_ERR_INVALID_ARG;
  MIMI_TRY(mimi_proto_validate(t, value));
  return mimi_encode_alloc(t, value, out);
}

mimi_err mimi_proto_fanout_next(mimi_reader *r, mimi_fanout_message *out) {
  if (r == NULL || out == NULL) return MIMI_ERR_INVALID_ARG;
  if (mimi_reader_remaining(r) == 0) return MIMI_ERR_NOT_FOUND;
  mimi_reader save = *r;
  mimi_err err = decode_from(mimi_fanout_message_type(), r, out);
  if (err != MIMI_OK) *r = save;
  return err;
}
