/* replay_member.c — follows one member of a foreign group with our
 * primitives (see replay_member.h). */
#include "replay_member.h"

#include <stdlib.h>
#include <string.h>

#define LBL(s) (const uint8_t *)(s), (sizeof(s) - 1)

static mimi_err tree_signer_get(void *ctx, const mls_framed_content *content,
                                const uint8_t **pub, size_t *pub_len) {
  if (content->sender.sender_type != MLS_SENDER_MEMBER) return MIMI_ERR_BAD_SENDER;
  const mls_leaf_node *leaf = mls_rtree_leaf(ctx, content->sender.leaf_index);
  if (leaf == NULL) return MIMI_ERR_BAD_SENDER;
  *pub = leaf->signature_key.data;
  *pub_len = leaf->signature_key.len;
  return MIMI_OK;
}

static size_t hash_len(uint16_t suite) { return mimi_suite_get(suite)->hash_len; }

void replay_welcome_free(replay_welcome *w) {
  mls_group_secrets_free(&w->secrets);
  mls_group_info_free(&w->group_info);
  mls_epoch_secrets_clear(&w->epoch);
}

/* §12.4.3.1: welcome_key/nonce from welcome_secret, GroupInfo sealed with
 * an empty AAD. */
static mimi_err open_group_info(uint16_t suite, const uint8_t *welcome_secret,
                                const mimi_bytes *sealed, mls_group_info *out) {
  const mimi_suite *cs = mimi_suite_get(suite);
  uint8_t key[MIMI_MAX_AEAD_KEY], nonce[MIMI_MAX_AEAD_NONCE];
  mimi_bytes plain = {0};
  if (sealed->len < MIMI_AEAD_TAG) return MIMI_ERR_AEAD_OPEN;
  mimi_err err = mls_expand_with_label(suite, welcome_secret, cs->hash_len, LBL("key"), NULL, 0,
                                       key, cs->aead_key_len);
  if (err == MIMI_OK)
    err = mls_expand_with_label(suite, welcome_secret, cs->hash_len, LBL("nonce"), NULL, 0,
                                nonce, cs->aead_nonce_len);
  if (err == MIMI_OK) err = mimi_bytes_alloc(&plain, sealed->len - MIMI_AEAD_TAG);
  if (err == MIMI_OK)
    err = mimi_aead_open(cs->aead, key, nonce, NULL, 0, sealed->data, sealed->len, plain.data);
  if (err == MIMI_OK) err = mls_group_info_decode(plain.data, plain.len, out);
  mimi_bytes_free(&plain);
  mimi_secure_zero(key, sizeof key);
  mimi_secure_zero(nonce, sizeof nonce);
  return err;
}

mimi_err replay_open_welcome(uint16_t suite, const mls_welcome *w, const mimi_bytes *key_package,
                             const mimi_bytes *init_priv, replay_welcome *out) {
  const size_t nh = hash_len(suite);
  uint8_t ref[MIMI_MAX_HASH];
  MIMI_TRY(mls_make_key_package_ref(suite, key_package->data, key_package->len, ref));
  const mls_encrypted_group_secrets *egs = NULL;
  for (size_t i = 0; i < w->secrets_count; i++)
    if (w->secrets[i].new_member.len == nh && memcmp(w->secrets[i].new_member.data, ref, nh) == 0)
      egs = &w->secrets[i];
  if (egs == NULL) return MIMI_ERR_NOT_FOUND;

  replay_welcome r;
  memset(&r, 0, sizeof r);
  mls_epoch_secrets first;
  mimi_bytes plain = {0}, ctx = {0};
  mimi_err err = mls_decrypt_with_label(
      suite, init_priv->data, init_priv->len, LBL("Welcome"), w->encrypted_group_info.data,
      w->encrypted_group_info.len, egs->encrypted_group_secrets.kem_output.data,
      egs->encrypted_group_secrets.kem_output.len, egs->encrypted_group_secrets.ciphertext.data,
      egs->encrypted_group_secrets.ciphertext.len, &plain);
  if (err == MIMI_OK) err = mls_group_secrets_decode(plain.data, plain.len, &r.secrets);
  if (err == MIMI_OK && r.secrets.psks_count != 0) err = MIMI_ERR_UNSUPPORTED;
  /* welcome_secret does not depend on the GroupContext, which is inside
   * the GroupInfo it protects. */
  if (err == MIMI_OK)
    err = mls_key_schedule_from_joiner(&first, suite, r.secrets.joiner_secret.data,
                                       r.secrets.joiner_secret.len, NULL, 0, NULL, 0);
  if (err == MIMI_OK) {
    err = open_group_info(suite, first.welcome_secret, &w->encrypted_group_info, &r.group_info);
    mls_epoch_secrets_clear(&first);
  }
  if (err == MIMI_OK) err = mls_group_context_encode(&r.group_info.group_context, &ctx);
  if (err == MIMI_OK)
    err = mls_key_schedule_from_joiner(&r.epoch, suite, r.secrets.joiner_secret.data,
                                       r.secrets.joiner_secret.len, NULL, 0, ctx.data, ctx.len);
  mimi_bytes_free(&plain);
  mimi_bytes_free(&ctx);
  if (err != MIMI_OK) {
    replay_welcome_free(&r);
    return err;
  }
  *out = r;
  return MIMI_OK;
}

mimi_err replay_verify_group_info(uint16_t suite, const mls_rtree *t, const mls_group_info *gi) {
  const mls_leaf_node *signer = mls_rtree_leaf(t, gi->signer);
  if (signer == NULL) return MIMI_ERR_BAD_SENDER;
  mls_group_info_tbs tbs = {gi->group_context, gi->extensions, gi->extensions_count,
                            gi->confirmation_tag, gi->signer};
  mimi_bytes enc = {0};
  MIMI_TRY(mls_group_info_tbs_encode(&tbs, &enc));
  mimi_err err = mls_verify_with_label(suite, signer->signature_key.data, signer->signature_key.len,
                                       LBL("GroupInfoTBS"), enc.data, enc.len, gi->signature.data,
                                       gi->signature.len);
  mimi_bytes_free(&enc);
  return err;
}

const mls_extension *replay_find_extension(const mls_extension *ext, size_t n, uint16_t type) {
  for (size_t i = 0; i < n; i++)
    if (ext[i].extension_type == type) return &ext[i];
  return NULL;
}

static mimi_err find_own_leaf(const mls_rtree *t, uint16_t suite, const mimi_bytes *hpke_priv,
                              uint32_t *leaf) {
  mimi_bytes pub = {0};
  MIMI_TRY(mimi_kem_public_key(mimi_suite_get(suite)->kem, hpke_priv->data, hpke_priv->len, &pub));
  mimi_err err = MIMI_ERR_NOT_FOUND;
  for (uint32_t l = 0; l < mls_rtree_leaf_count(t) && err != MIMI_OK; l++) {
    const mls_leaf_node *n = mls_rtree_leaf(t, l);
    if (n != NULL && mimi_bytes_eq(&n->encryption_key, &pub)) {
      *leaf = l;
      err = MIMI_OK;
    }
  }
  mimi_bytes_free(&pub);
  return err;
}

mimi_err replay_join(replay_member *m, const replay_welcome *w, const mimi_bytes *hpke_priv,
                     const mimi_bytes *sig_priv) {
  const mls_group_info *gi = &w->group_info;
  const uint16_t suite = gi->group_context.cipher_suite;
  const size_t nh = hash_len(suite);
  const mls_extension *ext =
      replay_find_extension(gi->extensions, gi->extensions_count, MLS_EXT_RATCHET_TREE);
  if (ext == NULL) return MIMI_ERR_NOT_FOUND;
  replay_member r;
  memset(&r, 0, sizeof r);
  r.suite = suite;
  mimi_err err = mls_rtree_decode(&r.tree, suite, ext->extension_data.data, ext->extension_data.len);
  if (err == MIMI_OK)
    err = mls_rtree_validate(r.tree, gi->group_context.group_id.data,
                             gi->group_context.group_id.len, NULL, gi->group_context.tree_hash.data);
  if (err == MIMI_OK) err = replay_verify_group_info(suite, r.tree, gi);
  if (err == MIMI_OK)
    err = mls_confirmation_tag_verify(suite, w->epoch.confirmation_key,
                                      gi->group_context.confirmed_transcript_hash.data,
                                      &gi->confirmation_tag);
  if (err == MIMI_OK) err = find_own_leaf(r.tree, suite, hpke_priv, &r.leaf);
  if (err == MIMI_OK)
    err = mls_treekem_private_new(&r.priv, suite, r.leaf, hpke_priv->data, hpke_priv->len);
  if (err == MIMI_OK && w->secrets.path_secret != NULL)
    err = mls_treekem_private_join(r.priv, r.tree, gi->signer,
                                   w->secrets.path_secret->path_secret.data,
                                   w->secrets.path_secret->path_secret.len);
  if (err == MIMI_OK) err = mls_treekem_private_check(r.priv, r.tree);
  if (err == MIMI_OK) err = mimi_clone(mls_group_context_type(), &r.ctx, &gi->group_context);
  if (err == MIMI_OK)
    err = mls_interim_transcript_hash(suite, gi->group_context.confirmed_transcript_hash.data, nh,
                                      gi->confirmation_tag.data, gi->confirmation_tag.len,
                                      r.interim);
  if (err == MIMI_OK) r.secrets = w->epoch;
  if (err == MIMI_OK)
    err = mls_secret_tree_new(&r.st, suite, r.secrets.encryption_secret, nh,
                              mls_rtree_leaf_count(r.tree), NULL);
  if (err == MIMI_OK) err = mimi_bytes_dup(&r.sig_priv, sig_priv);
  if (err != MIMI_OK) {
    replay_member_free(&r);
    return err;
  }
  *m = r;
  return MIMI_OK;
}

static mls_framing_epoch framing_epoch(replay_member *m) {
  mls_framing_epoch ep = {m->suite, &m->ctx, m->secrets.membership_key,
                          m->secrets.sender_data_secret, m->st};
  return ep;
}

mimi_err replay_open(replay_member *m, const mls_private_message *pm,
                     mls_authenticated_content *out) {
  mls_framing_epoch ep = framing_epoch(m);
  mls_signer_lookup lookup = {tree_signer_get, m->tree};
  return mls_private_message_unprotect(&ep, pm, &lookup, out);
}

/* §12.3 order: removes, then adds (updates and everything else by value
 * are outside what the replay follows). */
static mimi_err apply_proposals(mls_rtree *t, const mls_commit *c, uint32_t self,
                                uint32_t *added, size_t *n_added) {
  *n_added = 0;
  for (size_t pass = 0; pass < 2; pass++) {
    for (size_t i = 0; i < c->proposals_count; i++) {
      if (c->proposals[i].type != MLS_PROPOSAL_OR_REF_PROPOSAL) return MIMI_ERR_UNSUPPORTED;
      const mls_proposal *p = &c->proposals[i].proposal;
      if (p->proposal_type == MLS_PROPOSAL_REMOVE) {
        if (pass != 0) continue;
        if (p->remove.removed == self) return MIMI_ERR_UNSUPPORTED;
        MIMI_TRY(mls_rtree_remove(t, p->remove.removed));
      } else if (p->proposal_type == MLS_PROPOSAL_ADD) {
        if (pass != 1) continue;
        MIMI_TRY(mls_rtree_add(t, &p->add.key_package.leaf_node, &added[(*n_added)++]));
      } else {
        return MIMI_ERR_UNSUPPORTED;
      }
    }
  }
  return MIMI_OK;
}

/* Everything of the next epoch, built aside and swapped in on success. */
static mimi_err next_epoch(replay_member *m, const mls_authenticated_content *ac,
                           replay_member *n) {
  const size_t nh = hash_len(m->suite);
  const mls_commit *c = &ac->content.body.commit;
  const uint32_t sender = ac->content.sender.leaf_index;
  uint32_t *added = calloc(c->proposals_count + 1, sizeof *added);
  size_t n_added = 0;
  uint8_t commit_secret[MIMI_MAX_HASH] = {0}, confirmed[MIMI_MAX_HASH];
  mimi_bytes ctx_enc = {0};
  if (added == NULL) return MIMI_ERR_NOMEM;
  n->suite = m->suite;
  n->leaf = m->leaf;
  mimi_err err = mls_rtree_clone(&n->tree, m->tree);
  if (err == MIMI_OK) err = mls_treekem_private_clone(&n->priv, m->priv);
  if (err == MIMI_OK) err = apply_proposals(n->tree, c, m->leaf, added, &n_added);
  /* §12.4.2 provisional GroupContext: next epoch, old transcript hash. */
  if (err == MIMI_OK) err = mimi_clone(mls_group_context_type(), &n->ctx, &m->ctx);
  if (err == MIMI_OK) n->ctx.epoch++;
  if (err == MIMI_OK && c->path != NULL)
    err = mls_treekem_decap(n->tree, n->priv, sender, c->path, &n->ctx, added, n_added,
                            commit_secret);
  if (err == MIMI_OK) err = mls_rtree_root_hash(n->tree, n->ctx.tree_hash.data);
  if (err == MIMI_OK)
    err = mls_transcript_hashes_update(m->suite, m->interim, nh, ac, confirmed, n->interim);
  if (err == MIMI_OK) memcpy(n->ctx.confirmed_transcript_hash.data, confirmed, nh);
  if (err == MIMI_OK) err = mls_group_context_encode(&n->ctx, &ctx_enc);
  if (err == MIMI_OK)
    err = mls_key_schedule_epoch(&n->secrets, m->suite, m->secrets.init_secret, nh,
                                 commit_secret, nh, NULL, 0, ctx_enc.data, ctx_enc.len);
  if (err == MIMI_OK)
    err = mls_confirmation_tag_verify(m->suite, n->secrets.confirmation_key, confirmed,
                                      &ac->confirmation_tag);
  if (err == MIMI_OK)
    err = mls_secret_tree_new(&n->st, m->suite, n->secrets.encryption_secret, nh,
                              mls_rtree_leaf_count(n->tree), NULL);
  if (err == MIMI_OK) err = mimi_bytes_dup(&n->sig_priv, &m->sig_priv);
  free(added);
  mimi_bytes_free(&ctx_enc);
  mimi_secure_zero(commit_secret, sizeof commit_secret);
  return err;
}

mimi_err replay_commit(replay_member *m, const mls_message *msg) {
  mls_framing_epoch ep = framing_epoch(m);
  mls_signer_lookup lookup = {tree_signer_get, m->tree};
  mls_authenticated_content ac;
  memset(&ac, 0, sizeof ac);
  mimi_err err;
  if (msg->body.wire_format == MLS_WIRE_PUBLIC_MESSAGE)
    err = mls_public_message_unprotect(&ep, &msg->body.public_message, &lookup, &ac);
  else if (msg->body.wire_format == MLS_WIRE_PRIVATE_MESSAGE)
    err = mls_private_message_unprotect(&ep, &msg->body.private_message, &lookup, &ac);
  else
    return MIMI_ERR_INVALID_ARG;
  if (err != MIMI_OK) return err;
  if (ac.content.body.content_type != MLS_CONTENT_COMMIT ||
      ac.content.sender.sender_type != MLS_SENDER_MEMBER ||
      ac.content.sender.leaf_index == m->leaf)
    err = MIMI_ERR_INVALID_ARG;
  replay_member n;
  memset(&n, 0, sizeof n);
  if (err == MIMI_OK) err = next_epoch(m, &ac, &n);
  mls_authenticated_content_free(&ac);
  if (err != MIMI_OK) {
    replay_member_free(&n);
    return err;
  }
  replay_member_free(m);
  *m = n;
  return MIMI_OK;
}

/* FramedContent from this member in its epoch, body left for the caller.
 * It holds views into m: never freed, the signer clones it. */
static mls_framed_content member_content(const replay_member *m, uint8_t content_type) {
  mls_framed_content fc;
  memset(&fc, 0, sizeof fc);
  fc.group_id = m->ctx.group_id;
  fc.epoch = m->ctx.epoch;
  fc.sender.sender_type = MLS_SENDER_MEMBER;
  fc.sender.leaf_index = m->leaf;
  fc.body.content_type = content_type;
  return fc;
}

mimi_err replay_send(replay_member *m, const uint8_t *data, size_t len, size_t padding,
                     mimi_bytes *out) {
  mls_framing_epoch ep = framing_epoch(m);
  mls_framed_content fc = member_content(m, MLS_CONTENT_APPLICATION);
  fc.body.application_data.data = (uint8_t *)data;
  fc.body.application_data.len = len;
  mls_authenticated_content ac;
  mls_message msg;
  memset(&ac, 0, sizeof ac);
  memset(&msg, 0, sizeof msg);
  msg.version = MLS_VERSION_MLS10;
  msg.body.wire_format = MLS_WIRE_PRIVATE_MESSAGE;
  mimi_err err = mls_authenticated_content_sign(&ep, MLS_WIRE_PRIVATE_MESSAGE, &fc,
                                                m->sig_priv.data, m->sig_priv.len, &ac);
  if (err == MIMI_OK)
    err = mls_private_message_protect(&ep, &ac, padding, mimi_rng_system(),
                                      &msg.body.private_message);
  if (err == MIMI_OK) err = mls_message_encode(&msg, out);
  mls_authenticated_content_free(&ac);
  mls_message_free(&msg);
  return err;
}

/* The next epoch of our own commit (ac signed, confirmation tag not yet
 * set): transcript, key schedule, then the tag and the interim hash. */
static mimi_err own_next_epoch(replay_member *m, mls_authenticated_content *ac,
                               const uint8_t *commit_secret, replay_member *n) {
  const size_t nh = hash_len(m->suite);
  uint8_t confirmed[MIMI_MAX_HASH], unused[MIMI_MAX_HASH];
  mimi_bytes ctx_enc = {0};
  mimi_err err = mls_transcript_hashes_update(m->suite, m->interim, nh, ac, confirmed, unused);
  if (err == MIMI_OK) memcpy(n->ctx.confirmed_transcript_hash.data, confirmed, nh);
  if (err == MIMI_OK) err = mls_rtree_root_hash(n->tree, n->ctx.tree_hash.data);
  if (err == MIMI_OK) err = mls_group_context_encode(&n->ctx, &ctx_enc);
  if (err == MIMI_OK)
    err = mls_key_schedule_epoch(&n->secrets, m->suite, m->secrets.init_secret, nh, commit_secret,
                                 nh, NULL, 0, ctx_enc.data, ctx_enc.len);
  if (err == MIMI_OK)
    err = mls_confirmation_tag(m->suite, n->secrets.confirmation_key, confirmed,
                               &ac->confirmation_tag);
  if (err == MIMI_OK)
    err = mls_interim_transcript_hash(m->suite, confirmed, nh, ac->confirmation_tag.data,
                                      ac->confirmation_tag.len, n->interim);
  if (err == MIMI_OK)
    err = mls_secret_tree_new(&n->st, m->suite, n->secrets.encryption_secret, nh,
                              mls_rtree_leaf_count(n->tree), NULL);
  if (err == MIMI_OK) err = mimi_bytes_dup(&n->sig_priv, &m->sig_priv);
  mimi_bytes_free(&ctx_enc);
  return err;
}

mimi_err replay_commit_update(replay_member *m, bool as_public, mimi_bytes *out) {
  const uint16_t wf = as_public ? MLS_WIRE_PUBLIC_MESSAGE : MLS_WIRE_PRIVATE_MESSAGE;
  uint8_t commit_secret[MIMI_MAX_HASH];
  replay_member n;
  memset(&n, 0, sizeof n);
  n.suite = m->suite;
  n.leaf = m->leaf;
  mls_update_path path;
  mls_authenticated_content ac;
  mls_message msg;
  memset(&path, 0, sizeof path);
  memset(&ac, 0, sizeof ac);
  memset(&msg, 0, sizeof msg);
  msg.version = MLS_VERSION_MLS10;
  msg.body.wire_format = wf;
  mimi_err err = mls_rtree_clone(&n.tree, m->tree);
  /* §12.4.1 provisional GroupContext: next epoch, old transcript hash */
  if (err == MIMI_OK) err = mimi_clone(mls_group_context_type(), &n.ctx, &m->ctx);
  if (err == MIMI_OK) n.ctx.epoch++;
  if (err == MIMI_OK)
    err = mls_treekem_encap(n.tree, m->leaf, NULL, m->sig_priv.data, m->sig_priv.len, &n.ctx,
                            NULL, 0, mimi_rng_system(), &path, &n.priv, commit_secret);
  mls_framed_content fc = member_content(m, MLS_CONTENT_COMMIT);
  fc.body.commit.path = &path;
  mls_framing_epoch ep = framing_epoch(m);
  if (err == MIMI_OK)
    err = mls_authenticated_content_sign(&ep, wf, &fc, m->sig_priv.data, m->sig_priv.len, &ac);
  if (err == MIMI_OK) err = own_next_epoch(m, &ac, commit_secret, &n);
  if (err == MIMI_OK && as_public)
    err = mls_public_message_protect(&ep, &ac, &msg.body.public_message);
  else if (err == MIMI_OK)
    err = mls_private_message_protect(&ep, &ac, 0, mimi_rng_system(), &msg.body.private_message);
  if (err == MIMI_OK) err = mls_message_encode(&msg, out);
  mls_update_path_free(&path);
  mls_authenticated_content_free(&ac);
  mls_message_free(&msg);
  mimi_secure_zero(commit_secret, sizeof commit_secret);
  if (err != MIMI_OK) {
    replay_member_free(&n);
    return err;
  }
  replay_member_free(m);
  *m = n;
  return MIMI_OK;
}

void replay_member_free(replay_member *m) {
  mls_rtree_free(m->tree);
  mls_treekem_private_free(m->priv);
  mls_group_context_free(&m->ctx);
  mls_epoch_secrets_clear(&m->secrets);
  mimi_secure_zero(m->interim, sizeof m->interim);
  mls_secret_tree_free(m->st);
  mimi_bytes_free(&m->sig_priv);
  memset(m, 0, sizeof *m);
}
