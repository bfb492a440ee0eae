/* mimi_demo.c — `./run.sh demo`: a room conversation on the libraries as they
 * are today, in every RFC 9420 cipher suite. Alice creates an MLS group,
 * adds Bob from his KeyPackage and sends him a Welcome; Bob joins. They
 * exchange MIMI content messages (markdown, sender and room URIs, a reply
 * linked by message ID and checked against the reader's history), each
 * signed and encrypted as an MLS PrivateMessage and carried as MLSMessage
 * bytes. Bob then commits a path update and Alice processes it; both must
 * agree on the epoch authenticator after every epoch, and a replayed
 * ciphertext is refused. Real randomness, so every run differs; every step
 * is checked and any failure exits non-zero, so the demo is also a test.
 * mimi-demo-providers carries such messages through two mimid on loopback. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "demo_content.h"
#include "mimi/mimi.h"
#include "mimi/mls.h"

static int failed(const char *who, const char *what, mimi_err err) {
  fprintf(stderr, "demo: %s: %s failed: %s (%s)\n", who, what, mimi_strerror(err),
          mimi_errname(err));
  return 1;
}

#define STEP(who, what, expr)                                   \
  do {                                                          \
    mimi_err step_err_ = (expr);                                \
    if (step_err_ != MIMI_OK) return failed(who, what, step_err_); \
  } while (0)

/* One client: its identity, signature key, KeyPackage and group state. */
typedef struct {
  const char *uri;
  mls_credential credential;
  mimi_bytes sig_priv, sig_pub;
  mls_key_package_bundle kp;
  mls_group *group;
  mimi_history *history;
} member;

static void member_free(member *m) {
  mimi_bytes_free(&m->sig_priv);
  mimi_bytes_free(&m->sig_pub);
  mls_key_package_bundle_free(&m->kp);
  mls_group_free(m->group);
  mimi_history_free(m->history);
}

static mimi_err member_init(member *m, const mimi_suite *s, const char *uri) {
  memset(m, 0, sizeof *m);
  m->uri = uri;
  /* A basic credential naming the user's mimi: URI (view, not owned). */
  m->credential.credential_type = MLS_CREDENTIAL_BASIC;
  m->credential.identity.data = (uint8_t *)uri;
  m->credential.identity.len = strlen(uri);
  MIMI_TRY(mimi_history_new(&m->history));
  MIMI_TRY(mimi_sig_generate(s->sig, mimi_rng_system(), &m->sig_priv, &m->sig_pub));
  mls_key_package_options opt;
  memset(&opt, 0, sizeof opt);
  opt.credential = &m->credential;
  opt.sig_priv = m->sig_priv.data;
  opt.sig_priv_len = m->sig_priv.len;
  return mls_key_package_create(&m->kp, s->id, &opt, mimi_rng_system());
}

/* Sends `content` into the room: MLS PrivateMessage → MLSMessage bytes. */
static mimi_err send_content(member *from, const mimi_bytes *content, mimi_bytes *wire) {
  mls_message msg;
  memset(&msg, 0, sizeof msg);
  mimi_err err = mls_group_protect(from->group, content->data, content->len, NULL, 0,
                                   mimi_rng_system(), &msg);
  if (err == MIMI_OK) err = mls_message_encode(&msg, wire);
  mls_message_free(&msg);
  return err;
}

/* Receives MLSMessage bytes: decrypt and verify, then take in the content. */
static mimi_err receive_content(member *to, const mimi_bytes *wire, bool show) {
  mls_message msg;
  memset(&msg, 0, sizeof msg);
  mimi_bytes data = {NULL, 0};
  uint32_t sender = 0;
  mimi_err err = mls_message_decode(wire->data, wire->len, &msg);
  if (err == MIMI_OK) err = mls_group_unprotect(to->group, &msg, &data, &sender);
  if (err == MIMI_OK)
    err = demo_take_content(to->history, to->uri, data.data, data.len, sender, wire->len, show);
  mimi_bytes_free(&data);
  mls_message_free(&msg);
  return err;
}

static void print_epoch(const member *m) {
  size_t n;
  const uint8_t *ea = mls_group_epoch_authenticator(m->group, &n);
  printf("  epoch %llu, both members agree: epoch_authenticator ",
         (unsigned long long)mls_group_epoch(m->group));
  for (size_t i = 0; i < 8 && i < n; i++) printf("%02x", ea[i]);
  printf("…\n");
}

static int conversation(const mimi_suite *s, member *alice, member *bob, bool show) {
  static const char room[] = "mimi://hub.example/r/demo-room";
  mls_group_config cfg;
  memset(&cfg, 0, sizeof cfg);

  /* Alice creates the room's group and adds Bob by value with his
   * KeyPackage; the Welcome carries the ratchet tree. */
  STEP(alice->uri, "create group",
       mls_group_create(&alice->group, (const uint8_t *)room, strlen(room), &alice->kp,
                        alice->sig_priv.data, alice->sig_priv.len, NULL, 0, &cfg,
                        mimi_rng_system()));
  mls_proposal add;
  memset(&add, 0, sizeof add);
  add.proposal_type = MLS_PROPOSAL_ADD;
  add.add.key_package = bob->kp.key_package; /* a view */
  mls_commit_options opt;
  memset(&opt, 0, sizeof opt);
  opt.inline_proposals = &add;
  opt.n_inline = 1;
  opt.welcome_with_tree = true;
  mls_message commit;
  mls_welcome welcome;
  memset(&commit, 0, sizeof commit);
  memset(&welcome, 0, sizeof welcome);
  mimi_bytes welcome_wire = {NULL, 0};
  mimi_err err = mls_group_commit(alice->group, &opt, mimi_rng_system(), &commit, &welcome);
  /* The hub would order this commit; here it is accepted at once. */
  if (err == MIMI_OK) err = mls_group_merge_pending(alice->group);
  if (err == MIMI_OK) err = mls_welcome_encode(&welcome, &welcome_wire);
  mls_message_free(&commit);
  mls_welcome_free(&welcome);
  if (err != MIMI_OK) return failed(alice->uri, "commit Add(bob)", err);

  mls_welcome got;
  err = mls_welcome_decode(welcome_wire.data, welcome_wire.len, &got);
  if (err == MIMI_OK)
    err = mls_group_join(&bob->group, &got, &bob->kp, bob->sig_priv.data, bob->sig_priv.len,
                         NULL, &cfg);
  mls_welcome_free(&got); /* zeroed by a failed decode, so always safe */
  if (show && err == MIMI_OK)
    printf("  %s joined from a %zu-byte Welcome\n", bob->uri, welcome_wire.len);
  mimi_bytes_free(&welcome_wire);
  if (err != MIMI_OK) return failed(bob->uri, "join from Welcome", err);
  if (!demo_same_epoch(alice->group, bob->group))
    return failed(bob->uri, "agree on epoch 1", MIMI_ERR_INTERNAL);
  if (show) print_epoch(alice);

  /* The conversation. */
  mimi_bytes m1 = {NULL, 0}, m2 = {NULL, 0}, w1 = {NULL, 0}, w2 = {NULL, 0};
  uint8_t id1[MIMI_MESSAGE_ID_LEN], id2[MIMI_MESSAGE_ID_LEN];
  err = demo_compose(alice->uri, room, "Hi **Bob**, this room is end-to-end encrypted with *MLS*.",
                     NULL, &m1, id1);
  if (err == MIMI_OK)
    err = mimi_history_add(alice->history, id1, (const uint8_t *)alice->uri, strlen(alice->uri));
  if (err == MIMI_OK) err = send_content(alice, &m1, &w1);
  if (err == MIMI_OK) err = receive_content(bob, &w1, show);
  if (err == MIMI_OK)
    err = demo_compose(bob->uri, room, "Hello Alice — reading you via `mimi`.", id1, &m2, id2);
  if (err == MIMI_OK) err = send_content(bob, &m2, &w2);
  if (err == MIMI_OK) err = receive_content(alice, &w2, show);
  mimi_err replay = err == MIMI_OK ? receive_content(bob, &w1, false) : MIMI_OK;
  mimi_bytes_free(&m1);
  mimi_bytes_free(&m2);
  mimi_bytes_free(&w2);
  size_t w1_len = w1.len;
  mimi_bytes_free(&w1);
  if (err != MIMI_OK) return failed("conversation", "message exchange", err);
  if (replay == MIMI_OK) return failed(bob->uri, "refuse a replay", MIMI_ERR_INTERNAL);
  if (show) printf("  a replay of Alice's message is refused: %s\n", mimi_errname(replay));

  /* Bob refreshes his keys with a path-update commit; Alice processes it. */
  mls_message upd;
  mls_welcome none;
  mls_authenticated_content ac;
  mls_staged_commit *sc = NULL;
  mimi_bytes upd_wire = {NULL, 0};
  memset(&upd, 0, sizeof upd);
  memset(&none, 0, sizeof none);
  memset(&ac, 0, sizeof ac);
  mls_commit_options path = {NULL, 0, true, false};
  err = mls_group_commit(bob->group, &path, mimi_rng_system(), &upd, &none);
  mls_welcome_free(&none); /* nobody new: no Welcome to send */
  if (err == MIMI_OK) err = mls_group_merge_pending(bob->group);
  if (err == MIMI_OK) err = mls_message_encode(&upd, &upd_wire);
  mls_message_free(&upd);
  if (err == MIMI_OK) err = mls_message_decode(upd_wire.data, upd_wire.len, &upd);
  if (err == MIMI_OK) err = mls_group_read(alice->group, &upd, &ac);
  if (err == MIMI_OK) err = mls_group_stage_commit(alice->group, &ac, &sc);
  if (err == MIMI_OK) mls_group_merge(alice->group, sc);
  mls_authenticated_content_free(&ac);
  mls_message_free(&upd);
  if (err != MIMI_OK) {
    mimi_bytes_free(&upd_wire);
    return failed("update", "bob's path update", err);
  }
  if (!demo_same_epoch(alice->group, bob->group))
    return failed(alice->uri, "agree on epoch 2", MIMI_ERR_INTERNAL);
  if (show) {
    printf("  %s committed a path update (%zu B); %s processed it\n", bob->uri, upd_wire.len,
           alice->uri);
    print_epoch(alice);
  } else {
    printf("  group of 2, Welcome join, messages both ways (%zu B), reply checked, replay "
           "refused, path update: epoch %llu agreed\n",
           w1_len, (unsigned long long)mls_group_epoch(alice->group));
  }
  mimi_bytes_free(&upd_wire);
  (void)s;
  return 0;
}

int main(void) {
  printf("mimi demo — an MLS room with MIMI content, in all seven RFC 9420 cipher suites\n");
  int failures = 0;
  for (uint16_t id = 1; id <= 7; id++) {
    const mimi_suite *s = mimi_suite_get(id);
    if (s == NULL) {
      fprintf(stderr, "suite %u unsupported\n", id);
      failures++;
      continue;
    }
    printf("\nsuite %u  %s\n", s->id, s->name);
    member alice, bob;
    mimi_err err = member_init(&alice, s, "mimi://a.example/u/alice");
    if (err == MIMI_OK) err = member_init(&bob, s, "mimi://b.example/u/bob");
    if (err != MIMI_OK) {
      failures += failed("setup", "credentials and KeyPackages", err);
    } else {
      failures += conversation(s, &alice, &bob, id == 1);
    }
    member_free(&alice);
    member_free(&bob);
  }
  printf("\n%s\n", failures ? "demo FAILED" : "all suites OK");
  return failures ? 1 : 0;
}
