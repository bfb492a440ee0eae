/* test_provider_integration.c — two real mimid processes over mutual TLS.
 * A throwaway CA and provider certificates come from the openssl command;
 * alice registers on a.example with KeyPackages, bob's provider b.example
 * fetches her key material from a.example (mTLS, peer = SAN DNS), and bob
 * checks the KeyPackage with the MLS validation. Requests to a MIMI
 * endpoint without a client certificate, or with one from another CA, are
 * refused. Both daemons then stop on SIGTERM and must exit 0 (under ASan
 * that includes their leak check). */
#include <errno.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "provider_fixture.h"

static char dir[512];

/* snprintf that refuses to truncate (paths built here must be whole). */
#define SNP(buf, size, ...)                                                     \
  do {                                                                          \
    int snp_n_ = snprintf(buf, size, __VA_ARGS__);                              \
    if (snp_n_ < 0 || (size_t)snp_n_ >= (size_t)(size)) abort();                \
  } while (0)
static const char *mimid;

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

static char *at(const char *name) {
  static char bufs[8][640];
  static int next;
  char *b = bufs[next++ % 8];
  SNP(b, sizeof bufs[0], "%s/%s", dir, name);
  return b;
}

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...) {
  char cmd[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(cmd, sizeof cmd, fmt, ap);
  va_end(ap);
  return system(cmd);
}

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  CHECK(f != NULL);
  if (f == NULL) return;
  fputs(text, f);
  fclose(f);
}

/* CA, then one EC P-256 certificate per name with SAN DNS:<name>, usable
 * as TLS server and client certificate. */
static bool make_pki(void) {
  int rc = sh("cd '%s' && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
              " -keyout ca.key -out ca.pem -days 2 -subj /CN=mimi-test-ca"
              " -addext basicConstraints=critical,CA:TRUE"
              " -addext keyUsage=critical,keyCertSign >openssl.log 2>&1",
              dir);
  const char *names[] = {"a.example", "b.example"};
  for (int i = 0; rc == 0 && i < 2; i++) {
    char ext[256];
    SNP(ext, sizeof ext,
             "subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth,clientAuth\n"
             "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n",
             names[i]);
    char extpath[600];
    SNP(extpath, sizeof extpath, "%s/%s.ext", dir, names[i]);
    write_file(extpath, ext);
    rc = sh("cd '%s' && openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
            " -keyout %s.key -out %s.csr -subj /CN=%s >>openssl.log 2>&1 &&"
            " openssl x509 -req -in %s.csr -CA ca.pem -CAkey ca.key -CAcreateserial"
            " -days 2 -extfile %s.ext -out %s.pem >>openssl.log 2>&1",
            dir, names[i], names[i], names[i], names[i], names[i], names[i]);
  }
  /* b.example's name, but not from our CA */
  if (rc == 0)
    rc = sh("cd '%s' && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
            " -keyout rogue.key -out rogue.pem -days 2 -subj /CN=b.example"
            " -addext subjectAltName=DNS:b.example"
            " -addext extendedKeyUsage=serverAuth,clientAuth >>openssl.log 2>&1",
            dir);
  return rc == 0;
}

typedef struct {
  pid_t pid;
  unsigned port;
} daemon_proc;

static bool start(const char *name, const char *extra, daemon_proc *d) {
  char conf[2048], path[600], portfile[600];
  SNP(portfile, sizeof portfile, "%s/%s.port", dir, name);
  unlink(portfile);
  SNP(conf, sizeof conf,
           "domain = %s\nlisten = 127.0.0.1\nport = 0\nport_file = %s\n"
           "cert = %s/%s.pem\nkey = %s/%s.key\nca = %s/ca.pem\ndb = %s/%s.db\n"
           "admin_token = adm-%s\n%s",
           name, portfile, dir, name, dir, name, dir, dir, name, name, extra);
  SNP(path, sizeof path, "%s/%s.conf", dir, name);
  write_file(path, conf);
  char log[600];
  SNP(log, sizeof log, "%s/%s.log", dir, name);
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
    sleep_ms(10);
  }
  return false;
}

/* SIGTERM, then wait up to 10 s for a clean exit. */
static int stop(daemon_proc *d) {
  if (d->pid <= 0) return -1;
  kill(d->pid, SIGTERM);
  for (int i = 0; i < 1000; i++) {
    int st;
    if (waitpid(d->pid, &st, WNOHANG) == d->pid) {
      d->pid = 0;
      return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    }
    sleep_ms(10);
  }
  kill(d->pid, SIGKILL);
  waitpid(d->pid, NULL, 0);
  d->pid = 0;
  return -1;
}

typedef struct {
  const char *domain;
  unsigned port;
} target;

/* One HTTPS call to a daemon by its domain name (certificate checked
 * against it), connecting to 127.0.0.1. */
static unsigned https(target t, const char *method, const char *path, const char *cert,
                      const char *bearer, const char *from, const mimi_bytes *body,
                      mimi_bytes *resp) {
  char url[1024], connect_to[128], certp[600], keyp[600];
  SNP(url, sizeof url, "https://%s:%u%s", t.domain, t.port, path);
  SNP(connect_to, sizeof connect_to, "%s::127.0.0.1:", t.domain);
  if (cert) {
    SNP(certp, sizeof certp, "%s/%s.pem", dir, cert);
    SNP(keyp, sizeof keyp, "%s/%s.key", dir, cert);
  }
  mimi_https_request r = {
      .method = method,
      .url = url,
      .ca_file = at("ca.pem"),
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

static char *register_client(target t, const fx_client *c, const char *admin) {
  mimi_client_register_request r = {0};
  CHECK_OK(mimi_bytes_copy(&r.client_uri, (const uint8_t *)c->uri, strlen(c->uri)));
  CHECK_OK(mimi_bytes_dup(&r.signature_key, &c->sig_pub));
  mimi_bytes body = {0}, resp = {0};
  CHECK_OK(mimi_client_register_request_encode(&r, &body));
  mimi_client_register_request_free(&r);
  CHECK(https(t, "POST", "/client/v1/register", NULL, admin, NULL, &body, &resp) == 201);
  mimi_client_register_response out = {0};
  char *tok = NULL;
  if (mimi_client_register_response_decode(resp.data, resp.len, &out) == MIMI_OK) {
    tok = calloc(1, out.token.len + 1);
    memcpy(tok, out.token.data, out.token.len);
  }
  CHECK(tok != NULL);
  mimi_client_register_response_free(&out);
  mimi_bytes_free(&body);
  mimi_bytes_free(&resp);
  return tok;
}

static void scenario(target a, target b, const mimi_rng *rng) {
  /* the directory, over TLS, without a client certificate */
  mimi_bytes resp = {0};
  CHECK(https(a, "GET", MIMI_DIRECTORY_PATH, NULL, NULL, NULL, NULL, &resp) == 200);
  mimi_directory d;
  CHECK_OK(mimi_directory_parse((const char *)resp.data, resp.len, &d));
  mimi_directory_free(&d);
  mimi_bytes_free(&resp);

  fx_client alice, bob;
  fx_client_init(&alice, "mimi://a.example/d/alice/phone", rng);
  fx_client_init(&bob, "mimi://b.example/d/bob/phone", rng);
  char *alice_tok = register_client(a, &alice, "adm-a.example");
  char *bob_tok = register_client(b, &bob, "adm-b.example");
  mimi_bytes up = fx_upload_body(&alice, rng, 2, false, 0);
  CHECK(https(a, "POST", "/client/v1/keyPackages", NULL, alice_tok, NULL, &up, NULL) == 204);
  mimi_bytes_free(&up);

  /* bob asks his provider, which asks alice's over mutual TLS */
  const uint16_t suites[] = {FX_SUITE};
  mimi_key_material_request req;
  fx_km_request(&bob, "mimi://b.example/u/bob", "mimi://a.example/u/alice", suites, 1, &req);
  mimi_bytes body = fx_encode_km(&req);
  char *cpath = NULL, *path = NULL;
  CHECK_OK(mimi_endpoint_path(MIMI_EP_KEY_MATERIAL, "/client/v1", "mimi://a.example/u/alice",
                              &cpath));
  CHECK_OK(mimi_endpoint_path(MIMI_EP_KEY_MATERIAL, "/v1", "mimi://a.example/u/alice", &path));
  for (int round = 0; round < 2; round++) {
    CHECK(https(b, "POST", cpath, NULL, bob_tok, NULL, &body, &resp) == 200);
    mimi_key_material_response kmr;
    CHECK_OK(mimi_proto_decode(mimi_key_material_response_type(), resp.data, resp.len, &kmr));
    CHECK(kmr.mls10.user_status == MIMI_KM_USER_SUCCESS && kmr.mls10.clients_count == 1);
    if (kmr.mls10.clients_count == 1) {
      const mimi_client_key_material *c = &kmr.mls10.clients[0];
      CHECK(c->client_status == MIMI_KM_CLIENT_SUCCESS);
      CHECK_OK(mls_key_package_validate(&c->key_package, FX_SUITE, (uint64_t)time(NULL)));
      CHECK_BYTES(c->key_package.leaf_node.signature_key, alice.sig_pub);
    }
    mimi_key_material_response_free(&kmr);
    mimi_bytes_free(&resp);
  }
  /* both KeyPackages handed out: the third fetch finds none */
  CHECK(https(b, "POST", cpath, NULL, bob_tok, NULL, &body, &resp) == 200);
  mimi_key_material_response kmr;
  CHECK_OK(mimi_proto_decode(mimi_key_material_response_type(), resp.data, resp.len, &kmr));
  CHECK(kmr.mls10.user_status == MIMI_KM_USER_NO_COMPATIBLE_MATERIAL &&
        kmr.mls10.clients_count == 1 &&
        kmr.mls10.clients[0].client_status == MIMI_KM_CLIENT_KEY_MATERIAL_EXHAUSTED);
  mimi_key_material_response_free(&kmr);
  mimi_bytes_free(&resp);

  /* straight to a.example's MIMI endpoint: without a client certificate,
   * with one from another CA, and with b's certificate but another From */
  CHECK(https(a, "POST", path, NULL, NULL, "mimi@b.example", &body, NULL) == 401);
  CHECK(https(a, "POST", path, "rogue", NULL, "mimi@b.example", &body, NULL) == 401);
  CHECK(https(a, "POST", path, "b.example", NULL, "mimi@c.example", &body, NULL) == 403);
  CHECK(https(a, "POST", path, "b.example", NULL, "mimi@b.example", &body, &resp) == 200);
  mimi_bytes_free(&resp);

  free(cpath);
  free(path);
  mimi_bytes_free(&body);
  mimi_key_material_request_free(&req);
  free(alice_tok);
  free(bob_tok);
  fx_client_free(&alice);
  fx_client_free(&bob);
  mimi_test_case();
}

int main(void) {
  mimid = getenv("MIMID");
  const char *tmp = getenv("MIMI_TEST_TMP");
  if (mimid == NULL || tmp == NULL) {
    fprintf(stderr, "MIMID / MIMI_TEST_TMP not set (run through ctest)\n");
    return 77;
  }
  SNP(dir, sizeof dir, "%s/%ld", tmp, (long)getpid());
  CHECK(sh("rm -rf '%s' && mkdir -p '%s'", dir, dir) == 0);
  if (!make_pki()) {
    mimi_test_fail(__FILE__, __LINE__, "openssl failed; see %s", at("openssl.log"));
    return mimi_test_summary("test_provider_integration");
  }
  mimi_test_prng ps;
  mimi_rng rng = mimi_test_rng_prng(&ps, 0x1234);
  daemon_proc a = {0}, b = {0};
  bool up = start("a.example", "", &a);
  CHECK(up);
  if (up) {
    char peer[256];
    SNP(peer, sizeof peer, "peer = a.example https://a.example:%u/v1 127.0.0.1\n", a.port);
    up = start("b.example", peer, &b);
    CHECK(up);
  }
  if (up) scenario((target){"a.example", a.port}, (target){"b.example", b.port}, &rng);
  if (b.pid > 0) CHECK(stop(&b) == 0);
  if (a.pid > 0) CHECK(stop(&a) == 0);
  if (mimi_test_failures == 0) CHECK(sh("rm -rf '%s'", dir) == 0);
  else fprintf(stderr, "logs kept in %s\n", dir);
  return mimi_test_summary("test_provider_integration");
}
