/* interop_peer.c — one mimi group member (mls_group) driven over a line
 * protocol, so that tsmls_group.mjs can put it in a group with ts-mls
 * members. One command per stdin line, one reply per stdout line: "ok ..."
 * or "err <error name>". Byte strings are hex; messages are MLSMessages.
 *
 *   kp <suite> <public|private>  fresh KeyPackage (handshake framing for the
 *                                group made from it)       -> ok <kp>
 *   create <group_id>            a group from that KeyPackage   -> ok
 *   join <welcome>               join from a Welcome        -> ok <leaf>
 *   handshake <msg>              a proposal or commit from another member
 *                                -> ok proposal | ok <epoch> | ok removed
 *   open <msg>                   application message -> ok <sender> <data>
 *   send <data>                  application message        -> ok <msg>
 *   commit update                empty commit with a path
 *   commit add <kp>              commit adding a KeyPackage
 *   commit remove <leaf>         commit removing a member (each commit also
 *                                covers the proposals received or made)
 *                                -> ok <commit> <welcome or ->  (merged)
 *   propose update               Update proposal            -> ok <msg>
 *   propose remove <leaf>        Remove proposal            -> ok <msg>
 *   group_info                   signed GroupInfo with ratchet_tree and
 *                                external_pub               -> ok <msg>
 *   state                        -> ok <epoch> <epoch_authenticator>
 *                                      <exporter> <ratchet tree>
 *   quit
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mimi/mls.h"
#include "mimi/mls_group.h"

#define LBL(s) (const uint8_t *)(s), (sizeof(s) - 1)

typedef struct {
  uint16_t suite;
  mls_group_config cfg;
  mls_key_package_bundle kp;
  bool have_kp;
  mimi_bytes sig_priv;
  mls_group *g;
  char *out; /* the reply being built; sent whole, or replaced by "err" */
  size_t out_len, out_cap;
  bool out_failed;
} peer;

static void emit(peer *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(peer *p, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0 || p->out_failed) return;
  if (p->out_len + (size_t)n + 1 > p->out_cap) {
    size_t cap = (p->out_len + (size_t)n + 1) * 2;
    char *bigger = realloc(p->out, cap);
    if (bigger == NULL) {
      p->out_failed = true;
      return;
    }
    p->out = bigger;
    p->out_cap = cap;
  }
  va_start(ap, fmt);
  vsnprintf(p->out + p->out_len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  p->out_len += (size_t)n;
}

/* A whole line without its newline (free() it); NULL at end of input. */
static char *read_line(FILE *in) {
  size_t cap = 256, len = 0;
  char *buf = malloc(cap);
  int c;
  if (buf == NULL) return NULL;
  while ((c = getc(in)) != EOF && c != '\n') {
    if (len + 1 == cap) {
      char *bigger = realloc(buf, cap *= 2);
      if (bigger == NULL) {
        free(buf);
        return NULL;
      }
      buf = bigger;
    }
    buf[len++] = (char)c;
  }
  if (c == EOF && len == 0) {
    free(buf);
    return NULL;
  }
  buf[len] = '\0';
  return buf;
}

static void put_hex(peer *p, const uint8_t *data, size_t len) {
  for (size_t i = 0; i < len; i++) emit(p, "%02x", data[i]);
}

static mimi_err put_message(peer *p, const mls_message *m) {
  mimi_bytes enc = {0};
  MIMI_TRY(mls_message_encode(m, &enc));
  put_hex(p, enc.data, enc.len);
  mimi_bytes_free(&enc);
  return MIMI_OK;
}

static mimi_err parse_message(const char *hex, uint16_t wire_format, mls_message *out) {
  mimi_bytes b = {0};
  if (hex == NULL) return MIMI_ERR_INVALID_ARG;
  MIMI_TRY(mimi_bytes_from_hex(&b, hex));
  mimi_err err = mls_message_decode(b.data, b.len, out);
  mimi_bytes_free(&b);
  if (err == MIMI_OK && wire_format != 0 && out->body.wire_format != wire_format) {
    mls_message_free(out);
    err = MIMI_ERR_BAD_WIRE_FORMAT;
  }
  return err;
}

static mimi_err cmd_kp(peer *p, const char *suite, const char *framing) {
  const mimi_suite *cs = suite != NULL ? mimi_suite_get((uint16_t)atoi(suite)) : NULL;
  if (cs == NULL || framing == NULL || p->have_kp || p->g != NULL) return MIMI_ERR_INVALID_ARG;
  p->suite = cs->id;
  p->cfg.encrypt_handshake = strcmp(framing, "private") == 0;
  mimi_bytes pub = {0};
  MIMI_TRY(mimi_sig_generate(cs->sig, mimi_rng_system(), &p->sig_priv, &pub));
  mimi_bytes_free(&pub);
  mls_credential cred;
  memset(&cred, 0, sizeof cred);
  cred.credential_type = MLS_CREDENTIAL_BASIC;
  cred.identity.data = (uint8_t *)"mimi";
  cred.identity.len = 4;
  mls_key_package_options opt;
  memset(&opt, 0, sizeof opt);
  opt.credential = &cred;
  opt.sig_priv = p->sig_priv.data;
  opt.sig_priv_len = p->sig_priv.len;
  MIMI_TRY(mls_key_package_create(&p->kp, p->suite, &opt, mimi_rng_system()));
  p->have_kp = true;
  mls_message m;
  memset(&m, 0, sizeof m);
  m.version = MLS_VERSION_MLS10;
  m.body.wire_format = MLS_WIRE_KEY_PACKAGE;
  m.body.key_package = p->kp.key_package; /* a view, not freed */
  emit(p, "ok ");
  return put_message(p, &m);
}

static mimi_err cmd_create(peer *p, const char *gid_hex) {
  mimi_bytes gid = {0};
  if (!p->have_kp || p->g != NULL || gid_hex == NULL) return MIMI_ERR_INVALID_ARG;
  MIMI_TRY(mimi_bytes_from_hex(&gid, gid_hex));
  mimi_err err = mls_group_create(&p->g, gid.data, gid.len, &p->kp, p->sig_priv.data,
                                  p->sig_priv.len, NULL, 0, &p->cfg, mimi_rng_system());
  mimi_bytes_free(&gid);
  if (err == MIMI_OK) emit(p, "ok");
  return err;
}

static mimi_err cmd_join(peer *p, const char *welcome_hex) {
  mls_message m;
  if (!p->have_kp || p->g != NULL) return MIMI_ERR_INVALID_ARG;
  MIMI_TRY(parse_message(welcome_hex, MLS_WIRE_WELCOME, &m));
  mimi_err err = mls_group_join(&p->g, &m.body.welcome, &p->kp, p->sig_priv.data,
                                p->sig_priv.len, NULL, &p->cfg);
  mls_message_free(&m);
  if (err == MIMI_OK) emit(p, "ok %u", mls_group_own_leaf(p->g));
  return err;
}

static mimi_err cmd_handshake(peer *p, const char *hex) {
  mls_message m;
  mls_authenticated_content ac;
  mls_staged_commit *sc = NULL;
  if (p->g == NULL) return MIMI_ERR_INVALID_ARG;
  MIMI_TRY(parse_message(hex, 0, &m));
  memset(&ac, 0, sizeof ac);
  mimi_err err = mls_group_read(p->g, &m, &ac);
  mls_message_free(&m);
  if (err != MIMI_OK) return err;
  if (ac.content.body.content_type == MLS_CONTENT_PROPOSAL) {
    err = mls_group_store_proposal(p->g, &ac);
    if (err == MIMI_OK) emit(p, "ok proposal");
  } else if (ac.content.body.content_type == MLS_CONTENT_COMMIT) {
    err = mls_group_stage_commit(p->g, &ac, &sc);
    if (err == MIMI_OK) {
      bool removed = mls_staged_commit_removes_self(sc);
      mls_group_merge(p->g, sc);
      if (removed)
        emit(p, "ok removed");
      else
        emit(p, "ok %llu", (unsigned long long)mls_group_epoch(p->g));
    }
  } else {
    err = MIMI_ERR_BAD_CONTENT_TYPE;
  }
  mls_authenticated_content_free(&ac);
  return err;
}

static mimi_err cmd_open(peer *p, const char *hex) {
  mls_message m;
  mimi_bytes data = {0};
  uint32_t sender = 0;
  if (p->g == NULL) return MIMI_ERR_INVALID_ARG;
  MIMI_TRY(parse_message(hex, MLS_WIRE_PRIVATE_MESSAGE, &m));
  mimi_err err = mls_group_unprotect(p->g, &m, &data, &sender);
  mls_message_free(&m);
  if (err == MIMI_OK) {
    emit(p, "ok %u ", sender);
    put_hex(p, data.data, data.len);
  }
  mimi_bytes_free(&data);
  return err;
}

static mimi_err cmd_send(peer *p, const char *hex) {
  mimi_bytes data = {0};
  mls_message m;
  if (p->g == NULL || hex == NULL) return MIMI_ERR_INVALID_ARG;
  MIMI_TRY(mimi_bytes_from_hex(&data, hex));
  memset(&m, 0, sizeof m);
  mimi_err err = mls_group_protect(p->g, data.data, data.len, NULL, 0, mimi_rng_system(), &m);
  mimi_bytes_free(&data);
  if (err == MIMI_OK) {
    emit(p, "ok ");
    err = put_message(p, &m);
  }
  mls_message_free(&m);
  return err;
}

static mimi_err cmd_commit(peer *p, const char *kind, const char *arg) {
  mls_proposal prop;
  mls_message kp_msg, commit;
  mls_welcome welcome;
  mls_commit_options opt;
  memset(&prop, 0, sizeof prop);
  memset(&kp_msg, 0, sizeof kp_msg);
  memset(&commit, 0, sizeof commit);
  memset(&welcome, 0, sizeof welcome);
  memset(&opt, 0, sizeof opt);
  opt.welcome_with_tree = true;
  if (p->g == NULL || kind == NULL) return MIMI_ERR_INVALID_ARG;
  if (strcmp(kind, "update") == 0) {
    opt.force_path = true;
  } else if (strcmp(kind, "add") == 0) {
    MIMI_TRY(parse_message(arg, MLS_WIRE_KEY_PACKAGE, &kp_msg));
    prop.proposal_type = MLS_PROPOSAL_ADD;
    prop.add.key_package = kp_msg.body.key_package; /* a view into kp_msg */
    opt.inline_proposals = &prop;
    opt.n_inline = 1;
  } else if (strcmp(kind, "remove") == 0 && arg != NULL) {
    prop.proposal_type = MLS_PROPOSAL_REMOVE;
    prop.remove.removed = (uint32_t)strtoul(arg, NULL, 10);
    opt.inline_proposals = &prop;
    opt.n_inline = 1;
  } else {
    return MIMI_ERR_INVALID_ARG;
  }
  mimi_err err = mls_group_commit(p->g, &opt, mimi_rng_system(), &commit, &welcome);
  if (err == MIMI_OK) err = mls_group_merge_pending(p->g);
  if (err == MIMI_OK) {
    emit(p, "ok ");
    err = put_message(p, &commit);
  }
  if (err == MIMI_OK && welcome.secrets_count > 0) {
    mls_message w;
    memset(&w, 0, sizeof w);
    w.version = MLS_VERSION_MLS10;
    w.body.wire_format = MLS_WIRE_WELCOME;
    w.body.welcome = welcome; /* a view, freed below */
    emit(p, " ");
    err = put_message(p, &w);
  } else if (err == MIMI_OK) {
    emit(p, " -");
  }
  mls_message_free(&kp_msg);
  mls_message_free(&commit);
  mls_welcome_free(&welcome);
  return err;
}

static mimi_err cmd_propose(peer *p, const char *kind, const char *arg) {
  mls_message m;
  memset(&m, 0, sizeof m);
  mimi_err err;
  if (p->g == NULL || kind == NULL) return MIMI_ERR_INVALID_ARG;
  if (strcmp(kind, "update") == 0)
    err = mls_group_propose_update(p->g, mimi_rng_system(), &m);
  else if (strcmp(kind, "remove") == 0 && arg != NULL)
    err = mls_group_propose_remove(p->g, (uint32_t)strtoul(arg, NULL, 10), mimi_rng_system(), &m);
  else
    return MIMI_ERR_INVALID_ARG;
  if (err == MIMI_OK) {
    emit(p, "ok ");
    err = put_message(p, &m);
  }
  mls_message_free(&m);
  return err;
}

static mimi_err cmd_group_info(peer *p) {
  mls_message m;
  memset(&m, 0, sizeof m);
  if (p->g == NULL) return MIMI_ERR_INVALID_ARG;
  m.version = MLS_VERSION_MLS10;
  m.body.wire_format = MLS_WIRE_GROUP_INFO;
  mimi_err err = mls_group_group_info(p->g, true, true, &m.body.group_info);
  if (err == MIMI_OK) {
    emit(p, "ok ");
    err = put_message(p, &m);
  }
  mls_message_free(&m);
  return err;
}

static mimi_err cmd_state(peer *p) {
  size_t ea_len = 0;
  uint8_t exported[32];
  mimi_bytes tree = {0};
  if (p->g == NULL) return MIMI_ERR_INVALID_ARG;
  const uint8_t *ea = mls_group_epoch_authenticator(p->g, &ea_len);
  MIMI_TRY(mls_group_export(p->g, LBL("mimi interop"), LBL("exporter context"), exported,
                            sizeof exported));
  MIMI_TRY(mls_rtree_encode(mls_group_tree(p->g), &tree));
  emit(p, "ok %llu ", (unsigned long long)mls_group_epoch(p->g));
  put_hex(p, ea, ea_len);
  emit(p, " ");
  put_hex(p, exported, sizeof exported);
  emit(p, " ");
  put_hex(p, tree.data, tree.len);
  mimi_bytes_free(&tree);
  return MIMI_OK;
}

/* The next space-separated word of *s (NUL-terminated in place), or NULL. */
static const char *next_word(char **s) {
  while (**s == ' ') (*s)++;
  if (**s == '\0') return NULL;
  char *w = *s;
  while (**s != '\0' && **s != ' ') (*s)++;
  if (**s == ' ') *(*s)++ = '\0';
  return w;
}

static mimi_err dispatch(peer *p, char *line, bool *quit) {
  const char *cmd = next_word(&line);
  const char *a1 = next_word(&line);
  const char *a2 = next_word(&line);
  if (cmd == NULL) return MIMI_ERR_INVALID_ARG;
  if (strcmp(cmd, "kp") == 0) return cmd_kp(p, a1, a2);
  if (strcmp(cmd, "create") == 0) return cmd_create(p, a1);
  if (strcmp(cmd, "join") == 0) return cmd_join(p, a1);
  if (strcmp(cmd, "handshake") == 0) return cmd_handshake(p, a1);
  if (strcmp(cmd, "open") == 0) return cmd_open(p, a1);
  if (strcmp(cmd, "send") == 0) return cmd_send(p, a1);
  if (strcmp(cmd, "commit") == 0) return cmd_commit(p, a1, a2);
  if (strcmp(cmd, "propose") == 0) return cmd_propose(p, a1, a2);
  if (strcmp(cmd, "state") == 0) return cmd_state(p);
  if (strcmp(cmd, "group_info") == 0) return cmd_group_info(p);
  if (strcmp(cmd, "quit") == 0) {
    *quit = true;
    emit(p, "ok");
    return MIMI_OK;
  }
  return MIMI_ERR_INVALID_ARG;
}

int main(void) {
  peer p;
  memset(&p, 0, sizeof p);
  p.cfg = mls_group_config_default();
  bool quit = false;
  char *line;
  while (!quit && (line = read_line(stdin)) != NULL) {
    p.out_len = 0;
    p.out_failed = false;
    emit(&p, "%s", "");
    mimi_err err = dispatch(&p, line, &quit);
    free(line);
    if (err == MIMI_OK && p.out_failed) err = MIMI_ERR_NOMEM;
    if (err != MIMI_OK)
      printf("err %s\n", mimi_errname(err));
    else
      printf("%s\n", p.out);
    fflush(stdout);
  }
  free(p.out);
  mls_group_free(p.g);
  if (p.have_kp) mls_key_package_bundle_free(&p.kp);
  mimi_bytes_free(&p.sig_priv);
  return 0;
}
