/* loopback.c — providers on 127.0.0.1 (see loopback.h). */
#include "loopback.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

void lb_sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

int lb_sh(const char *fmt, ...) {
  char cmd[4096];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(cmd, sizeof cmd, fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= sizeof cmd) return -1;
  return system(cmd);
}

bool lb_write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  if (f == NULL) return false;
  bool ok = fputs(text, f) >= 0;
  return fclose(f) == 0 && ok;
}

bool lb_make_pki(const char *dir, const char *const *names, size_t n) {
  int rc = lb_sh("cd '%s' && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
                 " -keyout ca.key -out ca.pem -days 2 -subj /CN=mimi-test-ca"
                 " -addext basicConstraints=critical,CA:TRUE"
                 " -addext keyUsage=critical,keyCertSign >openssl.log 2>&1",
                 dir);
  for (size_t i = 0; rc == 0 && i < n; i++) {
    char ext[256], extpath[600];
    LB_SNP(ext, sizeof ext,
           "subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth,clientAuth\n"
           "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n",
           names[i]);
    LB_SNP(extpath, sizeof extpath, "%s/%s.ext", dir, names[i]);
    if (!lb_write_file(extpath, ext)) return false;
    rc = lb_sh("cd '%s' && openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
               " -keyout %s.key -out %s.csr -subj /CN=%s >>openssl.log 2>&1 &&"
               " openssl x509 -req -in %s.csr -CA ca.pem -CAkey ca.key -CAcreateserial"
               " -days 2 -extfile %s.ext -out %s.pem >>openssl.log 2>&1",
               dir, names[i], names[i], names[i], names[i], names[i], names[i]);
  }
  return rc == 0;
}

bool lb_start(const char *mimid, const char *dir, const char *name, unsigned port,
              const char *extra, lb_daemon *d) {
  char conf[2048], path[600], portfile[600], log[600];
  LB_SNP(portfile, sizeof portfile, "%s/%s.port", dir, name);
  unlink(portfile);
  LB_SNP(conf, sizeof conf,
         "domain = %s\nlisten = 127.0.0.1\nport = %u\nport_file = %s\n"
         "cert = %s/%s.pem\nkey = %s/%s.key\nca = %s/ca.pem\ndb = %s/%s.db\n"
         "admin_token = adm-%s\n%s",
         name, port, portfile, dir, name, dir, name, dir, dir, name, name, extra);
  LB_SNP(path, sizeof path, "%s/%s.conf", dir, name);
  if (!lb_write_file(path, conf)) return false;
  LB_SNP(log, sizeof log, "%s/%s.log", dir, name);
  fflush(NULL); /* the child must not repeat our buffered output */
  pid_t pid = fork();
  if (pid == 0) {
    FILE *f = freopen(log, "w", stderr);
    (void)f;
    execl(mimid, "mimid", "-c", path, (char *)NULL);
    _exit(127);
  }
  if (pid < 0) return false;
  d->pid = pid;
  d->port = 0;
  /* The daemon writes the bound port once it listens. */
  for (int i = 0; i < 1000; i++) {
    FILE *f = fopen(portfile, "r");
    if (f != NULL) {
      int ok = fscanf(f, "%u", &d->port);
      fclose(f);
      if (ok == 1 && d->port > 0) return true;
    }
    int st;
    if (waitpid(pid, &st, WNOHANG) == pid) {
      d->pid = 0;
      fprintf(stderr, "mimid %s exited early; see %s\n", name, log);
      return false;
    }
    lb_sleep_ms(10);
  }
  return false;
}

int lb_stop(lb_daemon *d) {
  if (d->pid <= 0) return -1;
  kill(d->pid, SIGTERM);
  for (int i = 0; i < 1000; i++) {
    int st;
    if (waitpid(d->pid, &st, WNOHANG) == d->pid) {
      d->pid = 0;
      return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    }
    lb_sleep_ms(10);
  }
  kill(d->pid, SIGKILL);
  waitpid(d->pid, NULL, 0);
  d->pid = 0;
  return -1;
}

unsigned lb_https(lb_target t, const char *method, const char *path, const char *cert,
                  const char *bearer, const char *from, const mimi_bytes *body,
                  mimi_bytes *resp) {
  char url[1024], connect_to[128], cap[600], certp[600], keyp[600];
  LB_SNP(url, sizeof url, "https://%s:%u%s", t.domain, t.port, path);
  LB_SNP(connect_to, sizeof connect_to, "%s::127.0.0.1:", t.domain);
  LB_SNP(cap, sizeof cap, "%s/ca.pem", t.dir);
  if (cert) {
    LB_SNP(certp, sizeof certp, "%s/%s.pem", t.dir, cert);
    LB_SNP(keyp, sizeof keyp, "%s/%s.key", t.dir, cert);
  }
  mimi_https_request r = {
      .method = method,
      .url = url,
      .ca_file = cap,
      .cert_file = cert ? certp : NULL,
      .key_file = cert ? keyp : NULL,
      .bearer = bearer,
      .from = from,
      .connect_to = connect_to,
      .content_type = body ? "application/octet-stream" : NULL,
      .body = body ? body->data : NULL,
      .body_len = body ? body->len : 0,
      .timeout_ms = 10000,
  };
  unsigned status = 0;
  mimi_bytes out = {0};
  mimi_err err = mimi_https_call(&r, &status, &out);
  if (err != MIMI_OK) {
    fprintf(stderr, "%s %s: %s\n", method, url, mimi_errname(err));
    status = 0;
  }
  if (resp) *resp = out;
  else mimi_bytes_free(&out);
  return status;
}

mimi_err lb_upload_bundle_body(const mls_key_package_bundle *kp, mimi_bytes *out) {
  mimi_client_upload_request u;
  memset(&u, 0, sizeof u);
  u.key_packages = (mls_key_package *)&kp->key_package; /* borrowed: encoded, never freed */
  u.key_packages_count = 1;
  return mimi_client_upload_request_encode(&u, out);
}

mimi_err lb_create_room_body(const char *room_uri, mls_group *g, mimi_bytes *out) {
  mimi_client_create_room_request r;
  memset(&r, 0, sizeof r);
  mimi_err err = mimi_bytes_copy(&r.room_uri, (const uint8_t *)room_uri, strlen(room_uri));
  if (err == MIMI_OK) err = mls_group_group_info(g, true, false, &r.group_info);
  if (err == MIMI_OK) err = mimi_client_create_room_request_encode(&r, out);
  mimi_client_create_room_request_free(&r);
  return err;
}

mimi_err lb_update_body(const mls_message *commit, const mls_welcome *w, mls_group *g,
                        mimi_bytes *out) {
  mimi_handshake_bundle b;
  memset(&b, 0, sizeof b);
  mimi_err err = mimi_clone(mls_message_type(), &b.proposal_or_commit, commit);
  if (err == MIMI_OK && w != NULL && w->secrets_count) {
    b.commit.welcome = calloc(1, sizeof *b.commit.welcome);
    err = b.commit.welcome == NULL ? MIMI_ERR_NOMEM
                                   : mimi_clone(mls_welcome_type(), b.commit.welcome, w);
  }
  b.commit.group_info_option.representation = MIMI_GROUP_INFO_REP_FULL;
  if (err == MIMI_OK)
    err = mls_group_group_info(g, true, false, &b.commit.group_info_option.group_info);
  b.commit.ratchet_tree_option.representation = MIMI_TREE_REP_DISTRIBUTION_SERVICE;
  if (err == MIMI_OK) err = mimi_proto_encode(mimi_handshake_bundle_type(), &b, out);
  mimi_handshake_bundle_free(&b);
  return err;
}

mimi_err lb_submit_body(const char *sender_uri, const uint8_t *data, size_t len, mls_group *g,
                        const mimi_rng *rng, mimi_bytes *out) {
  mimi_submit_message_request s;
  memset(&s, 0, sizeof s);
  s.protocol = MIMI_PROTOCOL_MLS10;
  mimi_err err = mls_group_protect(g, data, len, NULL, 0, rng, &s.mls10.app_message);
  if (err == MIMI_OK)
    err = mimi_bytes_copy(&s.mls10.sending_uri.uri, (const uint8_t *)sender_uri,
                          strlen(sender_uri));
  if (err == MIMI_OK) err = mimi_proto_encode(mimi_submit_message_request_type(), &s, out);
  mimi_submit_message_request_free(&s);
  return err;
}
