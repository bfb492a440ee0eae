/* secret_tree.c — the per-epoch secret tree and sender hash ratchets of
 * RFC 9420 §9, derived lazily and pruned per the §9.2 deletion schedule.
 *
 * Only the "frontier" is stored: node secrets not yet split into their
 * children (initially just the root, the encryption_secret), and for each
 * leaf that has been used the two ratchets' current secrets plus a bounded
 * list of skipped keys kept for out-of-order delivery. Every mutation is
 * prepared first (allocations, derivations into scratch space) and only then
 * committed, so an error leaves the tree as it was. */
#include <stdlib.h>
#include <string.h>

#include "mls_internal.h"

typedef struct {
  uint32_t node;
  uint8_t secret[MIMI_MAX_HASH];
} node_secret;

typedef struct {
  uint64_t next; /* generation whose key comes next; 2^32 when exhausted */
  uint8_t secret[MIMI_MAX_HASH]; /* ratchet_secret_[next] */
  mls_key_nonce *kept;           /* skipped generations, ascending */
  size_t n_kept, cap_kept;
} ratchet;

typedef struct {
  uint32_t leaf;
  ratchet r[2]; /* by mls_ratchet_type */
} leaf_state;

struct mls_secret_tree {
  uint16_t suite;
  size_t nh, nk, nn;
  uint32_t n_leaves;
  mls_secret_tree_config cfg;
  node_secret *nodes; /* ascending by node */
  size_t n_nodes, cap_nodes;
  leaf_state *leaves; /* ascending by leaf */
  size_t n_leaf_states, cap_leaf_states;
};

void mls_key_nonce_clear(mls_key_nonce *k) { mimi_secure_zero(k, sizeof *k); }

void mls_key_nonce_apply_reuse_guard(mls_key_nonce *k, const uint8_t reuse_guard[4]) {
  for (size_t i = 0; i < 4 && i < k->nonce_len; i++) k->nonce[i] ^= reuse_guard[i];
}

/* Grows *arr to hold `need` elements. Secrets never stay behind in freed
 * memory, so this copies and wipes instead of calling realloc. */
static mimi_err reserve(void **arr, size_t *cap, size_t need, size_t elem) {
  if (need <= *cap) return MIMI_OK;
  size_t n = *cap ? *cap * 2 : 4;
  if (n < need) n = need;
  uint8_t *p = calloc(n, elem);
  if (p == NULL) return MIMI_ERR_NOMEM;
  if (*arr != NULL) {
    memcpy(p, *arr, *cap * elem);
    mimi_secure_zero(*arr, *cap * elem);
    free(*arr);
  }
  *arr = p;
  *cap = n;
  return MIMI_OK;
}

/* Binary search over an array of structs whose first member is a uint32
 * key, ascending; returns whether key is present and where it is / would go. */
static bool find_u32(const void *arr, size_t n, size_t elem, uint32_t key, size_t *pos) {
  const uint8_t *base = arr;
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    uint32_t k;
    memcpy(&k, base + mid * elem, sizeof k);
    if (k < key)
      lo = mid + 1;
    else
      hi = mid;
  }
  *pos = lo;
  uint32_t k = 0;
  if (lo < n) memcpy(&k, base + lo * elem, sizeof k);
  return lo < n && k == key;
}

static bool find_node(const mls_secret_tree *st, uint32_t node, size_t *pos) {
  return find_u32(st->nodes, st->n_nodes, sizeof *st->nodes, node, pos);
}

static bool find_leaf(const mls_secret_tree *st, uint32_t leaf, size_t *pos) {
  return find_u32(st->leaves, st->n_leaf_states, sizeof *st->leaves, leaf, pos);
}

static void remove_node_at(mls_secret_tree *st, size_t pos) {
  mimi_secure_zero(&st->nodes[pos], sizeof st->nodes[pos]);
  memmove(&st->nodes[pos], &st->nodes[pos + 1], (st->n_nodes - pos - 1) * sizeof *st->nodes);
  st->n_nodes--;
  mimi_secure_zero(&st->nodes[st->n_nodes], sizeof st->nodes[0]);
}

/* Capacity must have been reserved. */
static void insert_node(mls_secret_tree *st, uint32_t node, const uint8_t *secret) {
  size_t pos;
  (void)find_node(st, node, &pos);
  memmove(&st->nodes[pos + 1], &st->nodes[pos], (st->n_nodes - pos) * sizeof *st->nodes);
  st->nodes[pos].node = node;
  memcpy(st->nodes[pos].secret, secret, st->nh);
  st->n_nodes++;
}

mimi_err mls_secret_tree_new(mls_secret_tree **out, uint16_t suite,
                             const uint8_t *encryption_secret, size_t secret_len,
                             uint32_t n_leaves, const mls_secret_tree_config *cfg) {
  const mimi_suite *s;
  MIMI_TRY(mls_suite_lookup(suite, &s));
  if (encryption_secret == NULL || secret_len != s->hash_len) return MIMI_ERR_BAD_LENGTH;
  uint32_t root;
  MIMI_TRY(mls_tree_root(n_leaves, &root));
  mls_secret_tree *st = calloc(1, sizeof *st);
  if (st == NULL) return MIMI_ERR_NOMEM;
  st->suite = suite;
  st->nh = s->hash_len;
  st->nk = s->aead_key_len;
  st->nn = s->aead_nonce_len;
  st->n_leaves = n_leaves;
  if (cfg != NULL) {
    st->cfg = *cfg;
  } else {
    st->cfg.max_forward = MLS_SECRET_TREE_DEFAULT_MAX_FORWARD;
    st->cfg.max_retained = MLS_SECRET_TREE_DEFAULT_MAX_RETAINED;
  }
  mimi_err err = reserve((void **)&st->nodes, &st->cap_nodes, 1, sizeof *st->nodes);
  if (err != MIMI_OK) {
    free(st);
    return err;
  }
  insert_node(st, root, encryption_secret);
  *out = st;
  return MIMI_OK;
}

static void ratchet_wipe(ratchet *r) {
  if (r->kept != NULL) {
    mimi_secure_zero(r->kept, r->cap_kept * sizeof *r->kept);
    free(r->kept);
  }
  mimi_secure_zero(r, sizeof *r);
}

void mls_secret_tree_free(mls_secret_tree *st) {
  if (st == NULL) return;
  for (size_t i = 0; i < st->n_leaf_states; i++) {
    ratchet_wipe(&st->leaves[i].r[0]);
    ratchet_wipe(&st->leaves[i].r[1]);
  }
  if (st->leaves != NULL) {
    mimi_secure_zero(st->leaves, st->cap_leaf_states * sizeof *st->leaves);
    free(st->leaves);
  }
  if (st->nodes != NULL) {
    mimi_secure_zero(st->nodes, st->cap_nodes * sizeof *st->nodes);
    free(st->nodes);
  }
  mimi_secure_zero(st, sizeof *st);
  free(st);
}

/* Splits a node secret into its children's (Figure 25). */
static mimi_err split(const mls_secret_tree *st, const uint8_t *secret, uint8_t *left,
                      uint8_t *right) {
  MIMI_TRY(mls_expand_with_label(st->suite, secret, st->nh, MLS_LABEL("tree"),
                                 (const uint8_t *)"left", 4, left, st->nh));
  return mls_expand_with_label(st->suite, secret, st->nh, MLS_LABEL("tree"),
                               (const uint8_t *)"right", 5, right, st->nh);
}

/* Derives the secrets from the lowest stored ancestor down to `leaf`,
 * stores the siblings met on the way and the leaf's two ratchets, and
 * deletes the ancestor and the leaf secret. *pos is the new leaf_state. */
static mimi_err leaf_init(mls_secret_tree *st, uint32_t leaf, size_t *pos) {
  uint32_t path[MLS_TREE_MAX_DEPTH + 1];
  size_t depth = 0, anc_pos;
  path[0] = mls_tree_leaf_to_node(leaf);
  while (!find_node(st, path[depth], &anc_pos)) {
    /* A leaf with no state always has a stored ancestor; reaching the root
     * without one means the tree was corrupted. */
    if (depth == MLS_TREE_MAX_DEPTH ||
        mls_tree_parent(path[depth], st->n_leaves, &path[depth + 1]) != MIMI_OK)
      return MIMI_ERR_INTERNAL;
    depth++;
  }

  MIMI_TRY(reserve((void **)&st->nodes, &st->cap_nodes, st->n_nodes + depth,
                   sizeof *st->nodes));
  MIMI_TRY(reserve((void **)&st->leaves, &st->cap_leaf_states, st->n_leaf_states + 1,
                   sizeof *st->leaves));

  /* scratch: cur, the other child, and the siblings to store */
  uint8_t cur[MIMI_MAX_HASH], left[MIMI_MAX_HASH], right[MIMI_MAX_HASH];
  uint8_t sib[MLS_TREE_MAX_DEPTH][MIMI_MAX_HASH];
  uint32_t sib_node[MLS_TREE_MAX_DEPTH];
  leaf_state ls;
  memset(&ls, 0, sizeof ls);
  memcpy(cur, st->nodes[anc_pos].secret, st->nh);
  mimi_err err = MIMI_OK;
  for (size_t i = depth; err == MIMI_OK && i > 0; i--) {
    uint32_t l, r;
    err = mls_tree_left(path[i], st->n_leaves, &l);
    if (err == MIMI_OK) err = mls_tree_right(path[i], st->n_leaves, &r);
    if (err == MIMI_OK) err = split(st, cur, left, right);
    if (err != MIMI_OK) break;
    bool go_left = path[i - 1] == l;
    sib_node[i - 1] = go_left ? r : l;
    memcpy(sib[i - 1], go_left ? right : left, st->nh);
    memcpy(cur, go_left ? left : right, st->nh);
  }
  if (err == MIMI_OK)
    err = mls_expand_with_label(st->suite, cur, st->nh, MLS_LABEL("handshake"), NULL, 0,
                                ls.r[MLS_RATCHET_HANDSHAKE].secret, st->nh);
  if (err == MIMI_OK)
    err = mls_expand_with_label(st->suite, cur, st->nh, MLS_LABEL("application"), NULL, 0,
                                ls.r[MLS_RATCHET_APPLICATION].secret, st->nh);
  if (err == MIMI_OK) {
    remove_node_at(st, anc_pos);
    for (size_t i = 0; i < depth; i++) insert_node(st, sib_node[i], sib[i]);
    ls.leaf = leaf;
    (void)find_leaf(st, leaf, pos);
    memmove(&st->leaves[*pos + 1], &st->leaves[*pos],
            (st->n_leaf_states - *pos) * sizeof *st->leaves);
    st->leaves[*pos] = ls;
    st->n_leaf_states++;
  }
  mimi_secure_zero(cur, sizeof cur);
  mimi_secure_zero(left, sizeof left);
  mimi_secure_zero(right, sizeof right);
  mimi_secure_zero(sib, sizeof sib);
  mimi_secure_zero(&ls, sizeof ls);
  return err;
}

static mimi_err key_nonce(const mls_secret_tree *st, const uint8_t *secret, uint32_t gen,
                          mls_key_nonce *out) {
  out->generation = gen;
  out->key_len = st->nk;
  out->nonce_len = st->nn;
  MIMI_TRY(mls_derive_tree_secret(st->suite, secret, st->nh, MLS_LABEL("key"), gen, out->key,
                                  st->nk));
  return mls_derive_tree_secret(st->suite, secret, st->nh, MLS_LABEL("nonce"), gen, out->nonce,
                                st->nn);
}

/* Moves ratchet r forward to just past `gen` (>= r->next), handing out the
 * key for gen and keeping the last max_retained skipped ones. */
static mimi_err advance(mls_secret_tree *st, ratchet *r, uint32_t gen, mls_key_nonce *out) {
  uint64_t skip = gen - r->next;
  uint64_t n_new = skip < st->cfg.max_retained ? skip : st->cfg.max_retained;
  uint64_t keep_from = gen - n_new;
  /* New keys are derived into the slots past n_kept, live only on commit. */
  MIMI_TRY(reserve((void **)&r->kept, &r->cap_kept, r->n_kept + (size_t)n_new,
                   sizeof *r->kept));

  uint8_t cur[MIMI_MAX_HASH], nxt[MIMI_MAX_HASH];
  mls_key_nonce k;
  memset(&k, 0, sizeof k);
  memcpy(cur, r->secret, st->nh);
  mimi_err err = MIMI_OK;
  for (uint64_t g = r->next; err == MIMI_OK && g <= gen; g++) {
    if (g == gen)
      err = key_nonce(st, cur, (uint32_t)g, &k);
    else if (g >= keep_from)
      err = key_nonce(st, cur, (uint32_t)g, &r->kept[r->n_kept + (size_t)(g - keep_from)]);
    if (err == MIMI_OK)
      err = mls_derive_tree_secret(st->suite, cur, st->nh, MLS_LABEL("secret"), (uint32_t)g,
                                   nxt, st->nh);
    memcpy(cur, nxt, st->nh);
  }
  if (err == MIMI_OK) {
    size_t total = r->n_kept + (size_t)n_new;
    size_t evict = total > st->cfg.max_retained ? total - st->cfg.max_retained : 0;
    if (r->kept != NULL) {
      mimi_secure_zero(r->kept, evict * sizeof *r->kept);
      memmove(r->kept, r->kept + evict, (total - evict) * sizeof *r->kept);
    }
    r->n_kept = total - evict;
    memcpy(r->secret, cur, st->nh);
    r->next = (uint64_t)gen + 1;
    *out = k;
  }
  /* Wipes the scratch slots on failure and the moved-from tail on success. */
  if (r->kept != NULL)
    mimi_secure_zero(r->kept + r->n_kept, (r->cap_kept - r->n_kept) * sizeof *r->kept);
  mimi_secure_zero(cur, sizeof cur);
  mimi_secure_zero(nxt, sizeof nxt);
  mimi_secure_zero(&k, sizeof k);
  return err;
}

static mimi_err check_args(const mls_secret_tree *st, uint32_t leaf, mls_ratchet_type type) {
  if (st == NULL || leaf >= st->n_leaves) return MIMI_ERR_INVALID_ARG;
  if (type != MLS_RATCHET_HANDSHAKE && type != MLS_RATCHET_APPLICATION)
    return MIMI_ERR_INVALID_ARG;
  return MIMI_OK;
}

/* The ratchet of (leaf, type), initialising the leaf if needed. */
static mimi_err get_ratchet(mls_secret_tree *st, uint32_t leaf, mls_ratchet_type type,
                            ratchet **out) {
  size_t pos;
  if (!find_leaf(st, leaf, &pos)) MIMI_TRY(leaf_init(st, leaf, &pos));
  *out = &st->leaves[pos].r[type];
  return MIMI_OK;
}

mimi_err mls_secret_tree_next(mls_secret_tree *st, uint32_t leaf, mls_ratchet_type type,
                              mls_key_nonce *out) {
  MIMI_TRY(check_args(st, leaf, type));
  ratchet *r;
  MIMI_TRY(get_ratchet(st, leaf, type, &r));
  if (r->next > UINT32_MAX) return MIMI_ERR_TOO_LARGE;
  return advance(st, r, (uint32_t)r->next, out);
}

mimi_err mls_secret_tree_get(mls_secret_tree *st, uint32_t leaf, mls_ratchet_type type,
                             uint32_t generation, mls_key_nonce *out) {
  MIMI_TRY(check_args(st, leaf, type));
  size_t pos;
  /* Window checks come before any derivation so a rejected message does
   * not even initialise the sender's leaf. */
  const ratchet *seen = find_leaf(st, leaf, &pos) ? &st->leaves[pos].r[type] : NULL;
  uint64_t next = seen != NULL ? seen->next : 0;
  if (generation < next) {
    for (size_t i = 0; i < seen->n_kept; i++) {
      if (seen->kept[i].generation != generation) continue;
      ratchet *r = &st->leaves[pos].r[type];
      *out = r->kept[i];
      mimi_secure_zero(&r->kept[i], sizeof r->kept[i]);
      memmove(&r->kept[i], &r->kept[i + 1], (r->n_kept - i - 1) * sizeof *r->kept);
      r->n_kept--;
      mimi_secure_zero(&r->kept[r->n_kept], sizeof *r->kept);
      return MIMI_OK;
    }
    return MIMI_ERR_GENERATION_TOO_OLD;
  }
  if (generation - next > st->cfg.max_forward) return MIMI_ERR_GENERATION_TOO_FAR;
  ratchet *r;
  MIMI_TRY(get_ratchet(st, leaf, type, &r));
  return advance(st, r, generation, out);
}

mimi_err mls_secret_tree_return_key(mls_secret_tree *st, uint32_t leaf, mls_ratchet_type type,
                                    mls_key_nonce *k) {
  mimi_err err = check_args(st, leaf, type);
  size_t pos = 0;
  if (err == MIMI_OK && !find_leaf(st, leaf, &pos)) err = MIMI_ERR_INVALID_ARG;
  ratchet *r = err == MIMI_OK ? &st->leaves[pos].r[type] : NULL;
  size_t at = 0;
  if (err == MIMI_OK) {
    if (k->generation >= r->next || k->key_len != st->nk || k->nonce_len != st->nn)
      err = MIMI_ERR_INVALID_ARG;
    while (err == MIMI_OK && at < r->n_kept && r->kept[at].generation < k->generation) at++;
    if (err == MIMI_OK && at < r->n_kept && r->kept[at].generation == k->generation)
      err = MIMI_ERR_INVALID_ARG;
  }
  /* Full: the oldest goes, which may be this very key. */
  if (err == MIMI_OK && r->n_kept >= st->cfg.max_retained && at == 0)
    err = MIMI_ERR_GENERATION_TOO_OLD;
  if (err == MIMI_OK && r->n_kept < st->cfg.max_retained)
    err = reserve((void **)&r->kept, &r->cap_kept, r->n_kept + 1, sizeof *r->kept);
  if (err == MIMI_OK) {
    if (r->n_kept >= st->cfg.max_retained) {
      /* evict kept[0], shift [1, at) down, insert at at-1 */
      mimi_secure_zero(&r->kept[0], sizeof *r->kept);
      memmove(&r->kept[0], &r->kept[1], (at - 1) * sizeof *r->kept);
      r->kept[at - 1] = *k;
    } else {
      memmove(&r->kept[at + 1], &r->kept[at], (r->n_kept - at) * sizeof *r->kept);
      r->kept[at] = *k;
      r->n_kept++;
    }
  }
  mls_key_nonce_clear(k);
  return err;
}
