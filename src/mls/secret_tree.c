/* secret_tree.c — the per-epoch secret tree and sender hash ratchets of
 * RFC 9420 §9, derived lazily and pruned per the §9.2 deletion schedule.
 *
 * Only the "frontier" is stored: node secrets not yet split into their
 * children (initially just the root, the encryption_secret), and for each
 * leaf that has been used the two ratchets' current secrets plus a bounded
 * list of skipped keys kept for out-of-order delivery.
 *
 * Using up a generation is planned first, reading the tree only: every
 * derivation and every allocation happens into a ticket. Applying a ticket
 * only moves memory, so it cannot fail. A receiver holds the ticket until
 * its message has verified (§9.2 consumes a key only on successful
 * decryption), so a rejected message leaves the tree exactly as it was. */
#include <stdlib.h>
#include <string.h>

#include "secret_tree_internal.h"

/* What using up (leaf, type, generation) changes. */
struct mls_secret_tree_ticket {
  const mls_secret_tree *tree;
  uint64_t version;
  uint32_t leaf, generation;
  mls_ratchet_type type;
  bool from_kept; /* a retained key: only it goes */
  /* Otherwise the ratchet moves past `generation`: */
  uint8_t secret[MIMI_MAX_HASH]; /* ratchet_secret_[generation + 1] */
  mls_key_nonce *kept;           /* the new retained list (owned); NULL: unchanged */
  size_t n_kept;
  /* First use of the leaf: the lowest stored ancestor gives way to the
   * siblings met on the path down, and the leaf state is inserted. */
  bool init;
  uint32_t anc_node;
  size_t depth;
  uint32_t sib_node[MLS_TREE_MAX_DEPTH];
  uint8_t sib[MLS_TREE_MAX_DEPTH][MIMI_MAX_HASH];
  uint8_t other[MIMI_MAX_HASH]; /* first secret of the leaf's other ratchet */
  node_secret *nodes_buf;       /* larger arrays when the old ones are full */
  size_t nodes_cap;
  leaf_state *leaves_buf;
  size_t leaves_cap;
};

void mls_key_nonce_clear(mls_key_nonce *k) { mimi_secure_zero(k, sizeof *k); }

void mls_key_nonce_apply_reuse_guard(mls_key_nonce *k, const uint8_t reuse_guard[4]) {
  for (size_t i = 0; i < 4 && i < k->nonce_len; i++) k->nonce[i] ^= reuse_guard[i];
}

/* Growing an array is split in two so that only the first half can fail:
 * grow_prepare allocates the larger array (NULL *buf when `need` fits) and
 * grow_commit moves the n live elements over. Secrets never stay behind in
 * freed memory, so this copies and wipes instead of calling realloc. */
static mimi_err grow_prepare(size_t cap, size_t need, size_t elem, void **buf, size_t *new_cap) {
  *buf = NULL;
  if (need <= cap) return MIMI_OK;
  size_t n = cap ? cap * 2 : 4;
  if (n < need) n = need;
  *buf = calloc(n, elem);
  if (*buf == NULL) return MIMI_ERR_NOMEM;
  *new_cap = n;
  return MIMI_OK;
}

static void grow_commit(void **arr, size_t *cap, size_t n, size_t elem, void **buf,
                        size_t new_cap) {
  if (*buf == NULL) return;
  if (n > 0) memcpy(*buf, *arr, n * elem);
  if (*arr != NULL) {
    mimi_secure_zero(*arr, *cap * elem);
    free(*arr);
  }
  *arr = *buf;
  *cap = new_cap;
  *buf = NULL;
}

static void free_keys(mls_key_nonce *k, size_t n) {
  if (k == NULL) return;
  mimi_secure_zero(k, n * sizeof *k);
  free(k);
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

/* Capacity must have been grown. */
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
  st->nodes = calloc(1, sizeof *st->nodes);
  if (st->nodes == NULL) {
    free(st);
    return MIMI_ERR_NOMEM;
  }
  st->cap_nodes = 1;
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
  insert_node(st, root, encryption_secret);
  *out = st;
  return MIMI_OK;
}

void mls_secret_tree_free(mls_secret_tree *st) {
  if (st == NULL) return;
  for (size_t i = 0; i < st->n_leaf_states; i++)
    for (int t = 0; t < 2; t++) free_keys(st->leaves[i].r[t].kept, st->leaves[i].r[t].cap_kept);
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

/* Releases what a ticket owns and wipes it; the struct itself stays. */
static void ticket_clear(mls_secret_tree_ticket *t) {
  free_keys(t->kept, t->n_kept);
  free(t->nodes_buf); /* calloc'd and never written: nothing to wipe */
  free(t->leaves_buf);
  mimi_secure_zero(t, sizeof *t);
}

/* Splits a node secret into its children's (Figure 25). */
static mimi_err split(const mls_secret_tree *st, const uint8_t *secret, uint8_t *left,
                      uint8_t *right) {
  MIMI_TRY(mls_expand_with_label(st->suite, secret, st->nh, MLS_LABEL("tree"),
                                 (const uint8_t *)"left", 4, left, st->nh));
  return mls_expand_with_label(st->suite, secret, st->nh, MLS_LABEL("tree"),
                               (const uint8_t *)"right", 5, right, st->nh);
}

/* Plans the first use of `leaf`: derives from its lowest stored ancestor
 * down, recording the siblings met on the way in t, and gives the leaf's two
 * first ratchet secrets (by mls_ratchet_type) in `base`. */
static mimi_err plan_leaf(const mls_secret_tree *st, uint32_t leaf, mls_secret_tree_ticket *t,
                          uint8_t base[2][MIMI_MAX_HASH]) {
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
  MIMI_TRY(grow_prepare(st->cap_nodes, st->n_nodes + depth, sizeof *st->nodes,
                        (void **)&t->nodes_buf, &t->nodes_cap));
  MIMI_TRY(grow_prepare(st->cap_leaf_states, st->n_leaf_states + 1, sizeof *st->leaves,
                        (void **)&t->leaves_buf, &t->leaves_cap));

  uint8_t cur[MIMI_MAX_HASH], left[MIMI_MAX_HASH], right[MIMI_MAX_HASH];
  memcpy(cur, st->nodes[anc_pos].secret, st->nh);
  mimi_err err = MIMI_OK;
  for (size_t i = depth; err == MIMI_OK && i > 0; i--) {
    uint32_t l, r;
    err = mls_tree_left(path[i], st->n_leaves, &l);
    if (err == MIMI_OK) err = mls_tree_right(path[i], st->n_leaves, &r);
    if (err == MIMI_OK) err = split(st, cur, left, right);
    if (err != MIMI_OK) break;
    bool go_left = path[i - 1] == l;
    t->sib_node[i - 1] = go_left ? r : l;
    memcpy(t->sib[i - 1], go_left ? right : left, st->nh);
    memcpy(cur, go_left ? left : right, st->nh);
  }
  if (err == MIMI_OK)
    err = mls_expand_with_label(st->suite, cur, st->nh, MLS_LABEL("handshake"), NULL, 0,
                                base[MLS_RATCHET_HANDSHAKE], st->nh);
  if (err == MIMI_OK)
    err = mls_expand_with_label(st->suite, cur, st->nh, MLS_LABEL("application"), NULL, 0,
                                base[MLS_RATCHET_APPLICATION], st->nh);
  if (err == MIMI_OK) {
    t->init = true;
    t->anc_node = path[depth];
    t->depth = depth;
  }
  mimi_secure_zero(cur, sizeof cur);
  mimi_secure_zero(left, sizeof left);
  mimi_secure_zero(right, sizeof right);
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

/* Plans moving a ratchet at (secret, next, kept[n_kept]) to just past
 * `gen` (>= next): the key for gen into *out, the new ratchet secret and,
 * when generations are skipped, the new retained list — the last
 * max_retained of the old ones and the skipped ones, oldest evicted first.
 * Skipped keys that would be evicted at once are never derived. */
static mimi_err plan_advance(const mls_secret_tree *st, const uint8_t *secret, uint64_t next,
                             const mls_key_nonce *kept, size_t n_kept, uint32_t gen,
                             mls_secret_tree_ticket *t, mls_key_nonce *out) {
  uint64_t skip = gen - next;
  size_t n_new = (size_t)(skip < st->cfg.max_retained ? skip : st->cfg.max_retained);
  uint64_t keep_from = gen - n_new;
  size_t total = n_kept + n_new;
  size_t evict = total > st->cfg.max_retained ? total - st->cfg.max_retained : 0;
  mls_key_nonce *fresh = NULL;
  if (n_new > 0) {
    t->kept = calloc(total - evict, sizeof *t->kept);
    if (t->kept == NULL) return MIMI_ERR_NOMEM;
    t->n_kept = total - evict;
    if (n_kept > evict) memcpy(t->kept, kept + evict, (n_kept - evict) * sizeof *kept);
    fresh = t->kept + (n_kept - evict);
  }

  uint8_t cur[MIMI_MAX_HASH], nxt[MIMI_MAX_HASH];
  mls_key_nonce k;
  memset(&k, 0, sizeof k);
  memcpy(cur, secret, st->nh);
  mimi_err err = MIMI_OK;
  for (uint64_t g = next; err == MIMI_OK && g <= gen; g++) {
    if (g == gen)
      err = key_nonce(st, cur, (uint32_t)g, &k);
    else if (g >= keep_from)
      err = key_nonce(st, cur, (uint32_t)g, &fresh[g - keep_from]);
    if (err == MIMI_OK)
      err = mls_derive_tree_secret(st->suite, cur, st->nh, MLS_LABEL("secret"), (uint32_t)g,
                                   nxt, st->nh);
    memcpy(cur, nxt, st->nh);
  }
  if (err == MIMI_OK) {
    memcpy(t->secret, cur, st->nh);
    *out = k;
  }
  mimi_secure_zero(cur, sizeof cur);
  mimi_secure_zero(nxt, sizeof nxt);
  mimi_secure_zero(&k, sizeof k);
  return err;
}

/* Fills *t (all of it: t is wiped first) for using up (leaf, type, gen),
 * reading st only; the key goes to *out. On error the caller clears t. */
static mimi_err plan(const mls_secret_tree *st, uint32_t leaf, mls_ratchet_type type,
                     uint32_t gen, mls_secret_tree_ticket *t, mls_key_nonce *out) {
  memset(t, 0, sizeof *t);
  t->tree = st;
  t->version = st->version;
  t->leaf = leaf;
  t->type = type;
  t->generation = gen;
  size_t pos;
  const ratchet *r = find_leaf(st, leaf, &pos) ? &st->leaves[pos].r[type] : NULL;
  uint64_t next = r != NULL ? r->next : 0;
  if (gen < next) {
    for (size_t i = 0; i < r->n_kept; i++) {
      if (r->kept[i].generation != gen) continue;
      t->from_kept = true;
      *out = r->kept[i];
      return MIMI_OK;
    }
    return MIMI_ERR_GENERATION_TOO_OLD;
  }
  /* Before any derivation, so a rejected generation costs no work. */
  if (gen - next > st->cfg.max_forward) return MIMI_ERR_GENERATION_TOO_FAR;
  if (r != NULL) return plan_advance(st, r->secret, r->next, r->kept, r->n_kept, gen, t, out);
  uint8_t base[2][MIMI_MAX_HASH];
  mimi_err err = plan_leaf(st, leaf, t, base);
  if (err == MIMI_OK) {
    memcpy(t->other, base[1 - type], st->nh);
    err = plan_advance(st, base[type], 0, NULL, 0, gen, t, out);
  }
  mimi_secure_zero(base, sizeof base);
  return err;
}

static void remove_kept(ratchet *r, uint32_t gen) {
  for (size_t i = 0; i < r->n_kept; i++) {
    if (r->kept[i].generation != gen) continue;
    mimi_secure_zero(&r->kept[i], sizeof r->kept[i]);
    memmove(&r->kept[i], &r->kept[i + 1], (r->n_kept - i - 1) * sizeof *r->kept);
    r->n_kept--;
    mimi_secure_zero(&r->kept[r->n_kept], sizeof *r->kept);
    return;
  }
}

/* Applies a current ticket (same tree, same version). Nothing here can
 * fail: all memory was allocated and all secrets derived by plan(). What
 * the ticket owned moves into the tree; the caller still clears t. */
static void apply(mls_secret_tree *st, mls_secret_tree_ticket *t) {
  size_t pos;
  if (t->init) {
    grow_commit((void **)&st->nodes, &st->cap_nodes, st->n_nodes, sizeof *st->nodes,
                (void **)&t->nodes_buf, t->nodes_cap);
    grow_commit((void **)&st->leaves, &st->cap_leaf_states, st->n_leaf_states,
                sizeof *st->leaves, (void **)&t->leaves_buf, t->leaves_cap);
    (void)find_node(st, t->anc_node, &pos);
    remove_node_at(st, pos);
    for (size_t i = 0; i < t->depth; i++) insert_node(st, t->sib_node[i], t->sib[i]);
    (void)find_leaf(st, t->leaf, &pos);
    memmove(&st->leaves[pos + 1], &st->leaves[pos],
            (st->n_leaf_states - pos) * sizeof *st->leaves);
    memset(&st->leaves[pos], 0, sizeof st->leaves[pos]);
    st->leaves[pos].leaf = t->leaf;
    memcpy(st->leaves[pos].r[1 - t->type].secret, t->other, st->nh);
    st->n_leaf_states++;
  } else {
    (void)find_leaf(st, t->leaf, &pos);
  }
  ratchet *r = &st->leaves[pos].r[t->type];
  if (t->from_kept) {
    remove_kept(r, t->generation);
  } else {
    if (t->kept != NULL) {
      free_keys(r->kept, r->cap_kept);
      r->kept = t->kept;
      r->n_kept = r->cap_kept = t->n_kept;
      t->kept = NULL;
      t->n_kept = 0;
    }
    memcpy(r->secret, t->secret, st->nh);
    r->next = (uint64_t)t->generation + 1;
  }
  st->version++;
}

static mimi_err check_args(const mls_secret_tree *st, uint32_t leaf, mls_ratchet_type type) {
  if (st == NULL || leaf >= st->n_leaves) return MIMI_ERR_INVALID_ARG;
  if (type != MLS_RATCHET_HANDSHAKE && type != MLS_RATCHET_APPLICATION)
    return MIMI_ERR_INVALID_ARG;
  return MIMI_OK;
}

mimi_err mls_secret_tree_next(mls_secret_tree *st, uint32_t leaf, mls_ratchet_type type,
                              mls_key_nonce *out) {
  MIMI_TRY(check_args(st, leaf, type));
  size_t pos;
  uint64_t next = find_leaf(st, leaf, &pos) ? st->leaves[pos].r[type].next : 0;
  if (next > UINT32_MAX) return MIMI_ERR_TOO_LARGE;
  mls_secret_tree_ticket t;
  mimi_err err = plan(st, leaf, type, (uint32_t)next, &t, out);
  if (err == MIMI_OK) apply(st, &t);
  ticket_clear(&t);
  return err;
}

mimi_err mls_secret_tree_peek(const mls_secret_tree *st, uint32_t leaf, mls_ratchet_type type,
                              uint32_t generation, mls_key_nonce *out,
                              mls_secret_tree_ticket **ticket) {
  MIMI_TRY(check_args(st, leaf, type));
  if (out == NULL || ticket == NULL) return MIMI_ERR_INVALID_ARG;
  mls_secret_tree_ticket *t = malloc(sizeof *t);
  if (t == NULL) return MIMI_ERR_NOMEM;
  mimi_err err = plan(st, leaf, type, generation, t, out);
  if (err != MIMI_OK) {
    ticket_clear(t);
    free(t);
    return err;
  }
  *ticket = t;
  return MIMI_OK;
}

mimi_err mls_secret_tree_consume(mls_secret_tree *st, mls_secret_tree_ticket *ticket) {
  if (ticket == NULL) return MIMI_ERR_INVALID_ARG;
  mimi_err err = MIMI_ERR_INVALID_ARG;
  if (st != NULL && ticket->tree == st && ticket->version == st->version) {
    apply(st, ticket);
    err = MIMI_OK;
  }
  mls_secret_tree_discard(ticket);
  return err;
}

void mls_secret_tree_discard(mls_secret_tree_ticket *ticket) {
  if (ticket == NULL) return;
  ticket_clear(ticket);
  free(ticket);
}
