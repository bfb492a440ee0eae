/* treekem.c — the private side of the ratchet tree (§7.4-§7.6): a member's
 * node keys and path secrets, path-secret derivation, generating an
 * UpdatePath as committer and decrypting one as receiver. Every secret held
 * here is wiped when dropped. */
#include <stdlib.h>
#include <string.h>

#include "tree_internal.h"

typedef struct {
  uint32_t node;
  bool has_secret; /* leaves have a key but no path secret */
  uint8_t path_secret[MIMI_MAX_HASH];
  mimi_bytes priv, pub;
} tk_entry;

struct mls_treekem_private {
  const mimi_suite *suite;
  uint32_t leaf;
  tk_entry *e;
  size_t count, cap;
};

static void entry_wipe(tk_entry *e) {
  mimi_bytes_free(&e->priv);
  mimi_bytes_free(&e->pub);
  mimi_secure_zero(e, sizeof *e);
}

void mls_treekem_private_free(mls_treekem_private *p) {
  if (p == NULL) return;
  for (size_t i = 0; i < p->count; i++) entry_wipe(&p->e[i]);
  free(p->e);
  free(p);
}

uint32_t mls_treekem_private_leaf(const mls_treekem_private *p) { return p->leaf; }

static tk_entry *find(const mls_treekem_private *p, uint32_t node) {
  for (size_t i = 0; i < p->count; i++)
    if (p->e[i].node == node) return &p->e[i];
  return NULL;
}

/* Stores (node, secret?, priv, pub), taking the key bytes; replaces an
 * entry for the same node. The bytes are freed on error. */
static mimi_err put(mls_treekem_private *p, uint32_t node, const uint8_t *secret,
                    mimi_bytes *priv, mimi_bytes *pub) {
  tk_entry *e = find(p, node);
  if (e == NULL) {
    if (p->count == p->cap) {
      /* Not realloc: the old block holds path secrets and must be wiped. */
      size_t cap = p->cap ? 2 * p->cap : 8;
      tk_entry *ne = malloc(cap * sizeof *ne);
      if (ne == NULL) {
        mimi_bytes_free(priv);
        mimi_bytes_free(pub);
        return MIMI_ERR_NOMEM;
      }
      if (p->count > 0) {
        memcpy(ne, p->e, p->count * sizeof *ne);
        mimi_secure_zero(p->e, p->count * sizeof *ne);
      }
      free(p->e);
      p->e = ne;
      p->cap = cap;
    }
    e = &p->e[p->count++];
  } else {
    entry_wipe(e);
  }
  memset(e, 0, sizeof *e);
  e->node = node;
  if (secret != NULL) {
    e->has_secret = true;
    memcpy(e->path_secret, secret, p->suite->hash_len);
  }
  e->priv = *priv;
  e->pub = *pub;
  *priv = (mimi_bytes){NULL, 0};
  *pub = (mimi_bytes){NULL, 0};
  return MIMI_OK;
}

static void drop_at(mls_treekem_private *p, size_t i) {
  entry_wipe(&p->e[i]);
  if (i != p->count - 1) {
    p->e[i] = p->e[p->count - 1];
    /* The vacated slot's secret copy goes; its key bytes now belong to e[i]. */
    mimi_secure_zero(&p->e[p->count - 1], sizeof p->e[0]);
  }
  p->count--;
}

static mimi_err private_alloc(mls_treekem_private **out, const mimi_suite *s, uint32_t leaf) {
  mls_treekem_private *p = calloc(1, sizeof *p);
  if (p == NULL) return MIMI_ERR_NOMEM;
  p->suite = s;
  p->leaf = leaf;
  *out = p;
  return MIMI_OK;
}

mimi_err mls_treekem_private_new(mls_treekem_private **out, uint16_t suite, uint32_t leaf,
                                 const uint8_t *leaf_priv, size_t leaf_priv_len) {
  const mimi_suite *s;
  MIMI_TRY(mls_suite_lookup(suite, &s));
  if (leaf >= MLS_TREE_MAX_LEAVES) return MIMI_ERR_INVALID_ARG;
  mimi_bytes priv, pub;
  MIMI_TRY(mimi_kem_public_key(s->kem, leaf_priv, leaf_priv_len, &pub));
  mimi_err err = mimi_bytes_copy(&priv, leaf_priv, leaf_priv_len);
  if (err != MIMI_OK) {
    mimi_bytes_free(&pub);
    return err;
  }
  mls_treekem_private *p = NULL;
  err = private_alloc(&p, s, leaf);
  if (err == MIMI_OK) err = put(p, 2 * leaf, NULL, &priv, &pub);
  else {
    mimi_bytes_free(&priv);
    mimi_bytes_free(&pub);
  }
  if (err != MIMI_OK) {
    mls_treekem_private_free(p);
    return err;
  }
  *out = p;
  return MIMI_OK;
}

mimi_err mls_treekem_private_clone(mls_treekem_private **out, const mls_treekem_private *p) {
  mls_treekem_private *c;
  MIMI_TRY(private_alloc(&c, p->suite, p->leaf));
  for (size_t i = 0; i < p->count; i++) {
    const tk_entry *e = &p->e[i];
    mimi_bytes priv = {NULL, 0}, pub = {NULL, 0};
    mimi_err err = mimi_bytes_dup(&priv, &e->priv);
    if (err == MIMI_OK) err = mimi_bytes_dup(&pub, &e->pub);
    if (err == MIMI_OK) err = put(c, e->node, e->has_secret ? e->path_secret : NULL, &priv, &pub);
    else mimi_bytes_free(&priv);
    if (err != MIMI_OK) {
      mls_treekem_private_free(c);
      return err;
    }
  }
  *out = c;
  return MIMI_OK;
}

/* node_priv, node_pub = DeriveKeyPair(DeriveSecret(path_secret, "node")). */
static mimi_err node_key_pair(const mimi_suite *s, const uint8_t *path_secret, mimi_bytes *priv,
                              mimi_bytes *pub) {
  uint8_t node_secret[MIMI_MAX_HASH];
  mimi_err err = mls_derive_secret(s->id, path_secret, s->hash_len, MLS_LABEL("node"),
                                   node_secret);
  if (err == MIMI_OK) err = mimi_kem_derive_key_pair(s->kem, node_secret, s->hash_len, priv, pub);
  mimi_secure_zero(node_secret, sizeof node_secret);
  return err;
}

/* path_secret[n] = DeriveSecret(path_secret[n-1], "path"), in place. */
static mimi_err next_path_secret(const mimi_suite *s, uint8_t *secret) {
  uint8_t next[MIMI_MAX_HASH];
  mimi_err err = mls_derive_secret(s->id, secret, s->hash_len, MLS_LABEL("path"), next);
  if (err == MIMI_OK) memcpy(secret, next, s->hash_len);
  mimi_secure_zero(next, sizeof next);
  return err;
}

static mimi_err put_path_secret(mls_treekem_private *p, uint32_t node, const uint8_t *secret) {
  mimi_bytes priv, pub;
  MIMI_TRY(node_key_pair(p->suite, secret, &priv, &pub));
  return put(p, node, secret, &priv, &pub);
}

mimi_err mls_treekem_private_set_path_secret(mls_treekem_private *p, uint32_t node,
                                             const uint8_t *path_secret, size_t len) {
  if (node % 2 == 0 || !tree_in_subtree(2 * p->leaf, node)) return MIMI_ERR_INVALID_ARG;
  if (len != p->suite->hash_len) return MIMI_ERR_BAD_LENGTH;
  return put_path_secret(p, node, path_secret);
}

mimi_err mls_treekem_private_path_secret(const mls_treekem_private *p, uint32_t node,
                                         uint8_t *out) {
  const tk_entry *e = find(p, node);
  if (e == NULL || !e->has_secret) return MIMI_ERR_NOT_FOUND;
  memcpy(out, e->path_secret, p->suite->hash_len);
  return MIMI_OK;
}

mimi_err mls_treekem_private_check(const mls_treekem_private *p, const mls_rtree *t) {
  if (p->suite != t->suite) return MIMI_ERR_INVALID_ARG;
  for (size_t i = 0; i < p->count; i++) {
    const tk_entry *e = &p->e[i];
    const mls_node *n = mls_rtree_node(t, e->node);
    if (n == NULL || !mimi_bytes_eq(tree_node_key(n), &e->pub)) return MIMI_ERR_BAD_KEY;
  }
  return MIMI_OK;
}

/* The provisional GroupContext of §7.6 / §12.4.2: ctx with the new tree
 * hash, encoded. */
static mimi_err provisional_context(const mls_group_context *ctx, const uint8_t *tree_hash,
                                    size_t len, mimi_bytes *out) {
  mls_group_context c = *ctx; /* shallow: only encoded */
  c.tree_hash = (mimi_bytes){(uint8_t *)tree_hash, len};
  return mls_group_context_encode(&c, out);
}

/* The new leaf of a committer: the template with a fresh encryption key,
 * source commit with the parent hash, signed (§7.5). */
static mimi_err committer_leaf(const mls_rtree *t, const tree_path *tp,
                               const mls_leaf_node *tmpl, const mimi_bytes *leaf_pub,
                               const uint8_t *sig_priv, size_t sig_priv_len,
                               const mls_group_context *ctx, mls_node **out) {
  mls_node *n;
  MIMI_TRY(tree_node_from_leaf(tmpl, &n));
  mls_leaf_node *leaf = &n->leaf_node;
  mimi_bytes_free(&leaf->encryption_key);
  mls_leaf_node_source_free(&leaf->source);
  leaf->source.leaf_node_source = MLS_LEAF_SOURCE_COMMIT;
  mimi_err err = mimi_bytes_dup(&leaf->encryption_key, leaf_pub);
  if (err == MIMI_OK)
    err = mimi_bytes_copy(&leaf->source.parent_hash, tp->leaf_parent_hash,
                          tp->leaf_parent_hash_len);
  if (err == MIMI_OK)
    err = tree_leaf_sign(t->suite, leaf, sig_priv, sig_priv_len, ctx->group_id.data,
                         ctx->group_id.len, tp->leaf);
  if (err != MIMI_OK) {
    tree_node_free(n);
    return err;
  }
  *out = n;
  return MIMI_OK;
}

/* One UpdatePathNode: the key and the path secret sealed to every node of
 * the copath child's resolution (minus the new members). */
static mimi_err seal_node(const mls_rtree *t, const tree_path *tp, uint32_t i,
                          const mimi_bytes *pub, const uint8_t *secret, const mimi_bytes *gc,
                          const uint32_t *excluded, size_t n_excluded, const mimi_rng *rng,
                          mls_update_path_node *out) {
  uint32_t own_child, copath_child;
  MIMI_TRY(tree_children(t, tp->fdp.nodes[i], tp->leaf, &own_child, &copath_child));
  mls_node_list res;
  MIMI_TRY(mls_rtree_resolution(t, copath_child, excluded, n_excluded, &res));
  mimi_err err = mimi_bytes_dup(&out->encryption_key, pub);
  if (err == MIMI_OK && res.count > 0) {
    out->encrypted_path_secret = calloc(res.count, sizeof *out->encrypted_path_secret);
    if (out->encrypted_path_secret == NULL) err = MIMI_ERR_NOMEM;
  }
  for (size_t k = 0; err == MIMI_OK && k < res.count; k++) {
    const mimi_bytes *to = tree_node_key(t->nodes[res.nodes[k]].node);
    mls_hpke_ciphertext *ct = &out->encrypted_path_secret[k];
    err = mls_encrypt_with_label(t->suite->id, to->data, to->len, MLS_LABEL("UpdatePathNode"),
                                 gc->data, gc->len, secret, t->suite->hash_len, rng,
                                 &ct->kem_output, &ct->ciphertext);
    if (err == MIMI_OK) out->encrypted_path_secret_count++;
  }
  mls_node_list_free(&res);
  return err;
}

/* Everything of an encap that can fail, before the tree changes. */
static mimi_err encap_prepare(const mls_rtree *t, tree_path *tp, const mls_leaf_node *tmpl,
                              const uint8_t *sig_priv, size_t sig_priv_len,
                              const mls_group_context *ctx, const uint32_t *excluded,
                              size_t n_excluded, const mimi_rng *rng, mls_update_path *path,
                              mls_treekem_private *priv, uint8_t *commit_secret) {
  const mimi_suite *s = t->suite;
  size_t nh = s->hash_len;
  uint8_t secrets[MLS_TREE_MAX_DEPTH + 1][MIMI_MAX_HASH];
  const mimi_bytes *keys[MLS_TREE_MAX_DEPTH];
  mimi_bytes gc = {NULL, 0};
  mimi_err err = mimi_rng_fill(rng, secrets[0], nh);
  /* secrets[i] belongs to fdp node i; the one past the root is commit_secret. */
  for (uint32_t i = 0; err == MIMI_OK && i < tp->fdp.count; i++) {
    err = put_path_secret(priv, tp->fdp.nodes[i], secrets[i]);
    if (err == MIMI_OK) {
      memcpy(secrets[i + 1], secrets[i], nh);
      err = next_path_secret(s, secrets[i + 1]);
    }
  }
  if (err == MIMI_OK && tp->fdp.count == 0) err = next_path_secret(s, secrets[0]);
  /* Taken only now: put() may move the entries. */
  for (uint32_t i = 0; err == MIMI_OK && i < tp->fdp.count; i++)
    keys[i] = &find(priv, tp->fdp.nodes[i])->pub;
  if (err == MIMI_OK) err = tree_path_set_keys(tp, t, keys);
  if (err == MIMI_OK)
    err = committer_leaf(t, tp, tmpl, &find(priv, 2 * tp->leaf)->pub, sig_priv, sig_priv_len,
                         ctx, &tp->new_leaf);
  uint8_t root[MIMI_MAX_HASH];
  if (err == MIMI_OK) err = tree_path_root_hash(tp, t, root);
  if (err == MIMI_OK) err = provisional_context(ctx, root, nh, &gc);
  if (err == MIMI_OK) err = mimi_clone(mls_leaf_node_type(), &path->leaf_node, &tp->new_leaf->leaf_node);
  if (err == MIMI_OK && tp->fdp.count > 0) {
    path->nodes = calloc(tp->fdp.count, sizeof *path->nodes);
    if (path->nodes == NULL) err = MIMI_ERR_NOMEM;
  }
  for (uint32_t i = 0; err == MIMI_OK && i < tp->fdp.count; i++) {
    err = seal_node(t, tp, i, keys[i], secrets[i], &gc, excluded, n_excluded, rng,
                    &path->nodes[i]);
    path->nodes_count = i + 1;
  }
  if (err == MIMI_OK) memcpy(commit_secret, secrets[tp->fdp.count], nh);
  mimi_bytes_free(&gc);
  mimi_secure_zero(secrets, sizeof secrets);
  return err;
}

mimi_err mls_treekem_encap(mls_rtree *t, uint32_t leaf, const mls_leaf_node *leaf_template,
                           const uint8_t *sig_priv, size_t sig_priv_len,
                           const mls_group_context *ctx, const uint32_t *excluded,
                           size_t n_excluded, const mimi_rng *rng, mls_update_path *path_out,
                           mls_treekem_private **priv_out, uint8_t *commit_secret) {
  if (leaf >= t->n_leaves) return MIMI_ERR_INVALID_ARG;
  const mls_leaf_node *current = tree_leaf_at(t, 2 * leaf);
  if (current == NULL) return MIMI_ERR_NOT_FOUND;
  const mimi_suite *s = t->suite;
  mimi_bytes sk, pk;
  MIMI_TRY(mimi_kem_generate_key_pair(s->kem, rng, &sk, &pk));
  mls_treekem_private *priv = NULL;
  mimi_err err = private_alloc(&priv, s, leaf);
  if (err == MIMI_OK) {
    err = put(priv, 2 * leaf, NULL, &sk, &pk);
  } else {
    mimi_bytes_free(&sk);
    mimi_bytes_free(&pk);
  }
  tree_path tp;
  mls_update_path path;
  memset(&path, 0, sizeof path);
  memset(&tp, 0, sizeof tp);
  uint8_t secret[MIMI_MAX_HASH];
  if (err == MIMI_OK) err = tree_path_init(&tp, t, leaf);
  if (err == MIMI_OK)
    err = encap_prepare(t, &tp, leaf_template != NULL ? leaf_template : current, sig_priv,
                        sig_priv_len, ctx, excluded, n_excluded, rng, &path, priv, secret);
  if (err == MIMI_OK) {
    tree_path_apply(&tp, t);
    *path_out = path;
    *priv_out = priv;
    memcpy(commit_secret, secret, s->hash_len);
  } else {
    mls_update_path_free(&path);
    mls_treekem_private_free(priv);
  }
  tree_path_clear(&tp);
  mimi_secure_zero(secret, sizeof secret);
  return err;
}

/* The ciphertext addressed to p in UpdatePathNode k and the key opening it:
 * the first node of the copath child's resolution p holds a key for. */
static mimi_err pick_ciphertext(const mls_rtree *t, const tree_path *tp,
                                const mls_treekem_private *p, uint32_t k,
                                const mls_update_path_node *upn, const uint32_t *excluded,
                                size_t n_excluded, const mls_hpke_ciphertext **ct,
                                const tk_entry **key) {
  /* From the sender's side this is the copath child: the one holding us. */
  uint32_t copath_child, sender_child;
  MIMI_TRY(tree_children(t, tp->fdp.nodes[k], p->leaf, &copath_child, &sender_child));
  mls_node_list res;
  MIMI_TRY(mls_rtree_resolution(t, copath_child, excluded, n_excluded, &res));
  mimi_err err = MIMI_ERR_NOT_FOUND;
  if (res.count != upn->encrypted_path_secret_count) err = MIMI_ERR_BAD_UPDATE_PATH;
  for (size_t i = 0; err == MIMI_ERR_NOT_FOUND && i < res.count; i++) {
    const tk_entry *e = find(p, res.nodes[i]);
    if (e == NULL) continue;
    *ct = &upn->encrypted_path_secret[i];
    *key = e;
    err = MIMI_OK;
  }
  mls_node_list_free(&res);
  return err;
}

/* §7.5 steps 4-7: from the path secret of fdp[k], the keys of fdp[k..]
 * into np, each checked against keys[i]; the secret one past the root goes
 * to commit_secret (NULL: not wanted). */
static mimi_err derive_up(mls_treekem_private *np, const mls_node_path *fdp, uint32_t k,
                          const uint8_t *secret, const mimi_bytes *const *keys,
                          uint8_t *commit_secret) {
  const mimi_suite *s = np->suite;
  uint8_t ps[MIMI_MAX_HASH];
  memcpy(ps, secret, s->hash_len);
  mimi_err err = MIMI_OK;
  for (uint32_t i = k; err == MIMI_OK && i < fdp->count; i++) {
    err = put_path_secret(np, fdp->nodes[i], ps);
    if (err == MIMI_OK && !mimi_bytes_eq(&find(np, fdp->nodes[i])->pub, keys[i]))
      err = MIMI_ERR_BAD_UPDATE_PATH;
    if (err == MIMI_OK) err = next_path_secret(s, ps);
  }
  if (err == MIMI_OK && commit_secret != NULL) memcpy(commit_secret, ps, s->hash_len);
  mimi_secure_zero(ps, sizeof ps);
  return err;
}

/* Moves np's contents into p and frees what p held (now in np). */
static void private_replace(mls_treekem_private *p, mls_treekem_private *np) {
  mls_treekem_private tmp = *p;
  *p = *np;
  *np = tmp;
  mls_treekem_private_free(np);
}

mimi_err mls_treekem_private_join(mls_treekem_private *p, const mls_rtree *t, uint32_t committer,
                                  const uint8_t *path_secret, size_t len) {
  if (p->suite != t->suite || committer == p->leaf || committer >= t->n_leaves ||
      p->leaf >= t->n_leaves)
    return MIMI_ERR_INVALID_ARG;
  if (len != p->suite->hash_len) return MIMI_ERR_BAD_LENGTH;
  mls_node_path fdp;
  uint32_t lca;
  MIMI_TRY(mls_rtree_filtered_direct_path(t, committer, &fdp));
  MIMI_TRY(mls_tree_common_ancestor(2 * p->leaf, 2 * committer, t->n_leaves, &lca));
  uint32_t k = 0;
  while (k < fdp.count && fdp.nodes[k] != lca) k++;
  if (k == fdp.count) return MIMI_ERR_BAD_UPDATE_PATH;
  const mimi_bytes *keys[MLS_TREE_MAX_DEPTH];
  for (uint32_t i = k; i < fdp.count; i++) {
    const mls_node *n = t->nodes[fdp.nodes[i]].node;
    if (n == NULL) return MIMI_ERR_BAD_UPDATE_PATH;
    keys[i] = tree_node_key(n);
  }
  mls_treekem_private *np;
  MIMI_TRY(mls_treekem_private_clone(&np, p));
  mimi_err err = derive_up(np, &fdp, k, path_secret, keys, NULL);
  if (err != MIMI_OK) {
    mls_treekem_private_free(np);
    return err;
  }
  private_replace(p, np);
  return MIMI_OK;
}

/* Decrypts and derives into a copy of p (the new private state). */
static mimi_err decap_prepare(const mls_rtree *t, tree_path *tp, const mls_treekem_private *p,
                              const mls_update_path *path, const mls_group_context *ctx,
                              const uint32_t *excluded, size_t n_excluded,
                              mls_treekem_private *np, uint8_t *commit_secret) {
  const mimi_suite *s = t->suite;
  size_t nh = s->hash_len;
  /* The lowest node of the sender's direct path above us (§7.5 step 1). */
  uint32_t j = 0;
  while (j < tp->dp.count && !tree_in_subtree(2 * p->leaf, tp->dp.nodes[j])) j++;
  if (j == tp->dp.count || !tp->in_fdp[j]) return MIMI_ERR_NOT_FOUND;
  uint32_t k = 0;
  while (tp->fdp.nodes[k] != tp->dp.nodes[j]) k++;
  const mls_hpke_ciphertext *ct = NULL;
  const tk_entry *key = NULL;
  MIMI_TRY(pick_ciphertext(t, tp, p, k, &path->nodes[k], excluded, n_excluded, &ct, &key));
  uint8_t root[MIMI_MAX_HASH];
  MIMI_TRY(tree_path_root_hash(tp, t, root));
  mimi_bytes gc, secret;
  MIMI_TRY(provisional_context(ctx, root, nh, &gc));
  mimi_err err = mls_decrypt_with_label(s->id, key->priv.data, key->priv.len,
                                        MLS_LABEL("UpdatePathNode"), gc.data, gc.len,
                                        ct->kem_output.data, ct->kem_output.len,
                                        ct->ciphertext.data, ct->ciphertext.len, &secret);
  mimi_bytes_free(&gc);
  if (err != MIMI_OK) return err;
  if (secret.len != nh) {
    mimi_bytes_free(&secret);
    return MIMI_ERR_BAD_UPDATE_PATH;
  }
  /* Keys of the sender's direct path are replaced; keys of blank nodes are
   * outdated (§7.5: delete replaced key material). */
  for (size_t i = np->count; i-- > 0;) {
    uint32_t n = np->e[i].node;
    bool on_path = false;
    for (uint32_t d = 0; d < tp->dp.count; d++) on_path |= tp->dp.nodes[d] == n;
    if (on_path || n >= tree_width(t) || t->nodes[n].node == NULL) drop_at(np, i);
  }
  const mimi_bytes *keys[MLS_TREE_MAX_DEPTH];
  for (uint32_t i = 0; i < tp->fdp.count; i++) keys[i] = &path->nodes[i].encryption_key;
  err = derive_up(np, &tp->fdp, k, secret.data, keys, commit_secret);
  mimi_bytes_free(&secret);
  return err;
}

mimi_err mls_treekem_decap(mls_rtree *t, mls_treekem_private *p, uint32_t sender,
                           const mls_update_path *path, const mls_group_context *ctx,
                           const uint32_t *excluded, size_t n_excluded,
                           uint8_t *commit_secret) {
  if (p->suite != t->suite) return MIMI_ERR_INVALID_ARG;
  if (p->leaf == sender || tree_list_has(excluded, n_excluded, p->leaf))
    return MIMI_ERR_INVALID_ARG;
  tree_path tp;
  mimi_err err = tree_path_prepare_received(&tp, t, sender, path, ctx->group_id.data,
                                            ctx->group_id.len);
  mls_treekem_private *np = NULL;
  uint8_t secret[MIMI_MAX_HASH];
  if (err == MIMI_OK) err = mls_treekem_private_clone(&np, p);
  if (err == MIMI_OK)
    err = decap_prepare(t, &tp, p, path, ctx, excluded, n_excluded, np, secret);
  if (err == MIMI_OK) {
    tree_path_apply(&tp, t);
    private_replace(p, np);
    memcpy(commit_secret, secret, t->suite->hash_len);
  } else {
    mls_treekem_private_free(np);
  }
  tree_path_clear(&tp);
  mimi_secure_zero(secret, sizeof secret);
  return err;
}

mimi_err mls_treekem_private_leaf_key(const mls_treekem_private *p, mimi_bytes *priv) {
  const tk_entry *e = find(p, 2 * p->leaf);
  if (e == NULL) return MIMI_ERR_NOT_FOUND;
  return mimi_bytes_dup(priv, &e->priv);
}
