/* mimid — the MIMI provider daemon: `mimid -c <config>` (docs/provider.md).
 * Serves until SIGINT or SIGTERM, then stops cleanly. */
#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mimi/crypto.h"
#include "mimi/provider.h"

static int usage(void) {
  fprintf(stderr, "usage: mimid -c <config file>\n");
  return 2;
}

/* Written to a temporary name and renamed so a reader never sees half. */
static int write_port_file(const char *path, uint16_t port) {
  size_t n = strlen(path) + 5;
  char *tmp = malloc(n);
  if (tmp == NULL) return -1;
  snprintf(tmp, n, "%s.tmp", path);
  FILE *f = fopen(tmp, "w");
  int rc = -1;
  if (f != NULL) {
    int w = fprintf(f, "%u\n", (unsigned)port);
    if (fclose(f) == 0 && w > 0 && rename(tmp, path) == 0) rc = 0;
  }
  free(tmp);
  return rc;
}

static int serve(const mimi_provider_config *cfg, const sigset_t *stop) {
  mimi_store store;
  mimi_peer_client *pc = NULL;
  mimi_server *srv = NULL;
  mimi_err err = mimi_store_open_sqlite(cfg->db_path, &store);
  if (err != MIMI_OK) {
    fprintf(stderr, "mimid: database %s: %s\n", cfg->db_path, mimi_strerror(err));
    return 1;
  }
  int rc = 1;
  if ((err = mimi_peer_client_new(cfg, &pc)) != MIMI_OK) {
    fprintf(stderr, "mimid: %s\n", mimi_strerror(err));
  } else {
    mimi_peer_transport t = mimi_peer_client_transport(pc);
    mimi_provider p = {cfg, &store, mimi_rng_system(), &t};
    if ((err = mimi_server_start(&p, &srv)) != MIMI_OK) {
      fprintf(stderr, "mimid: cannot listen on %s:%u: %s\n", cfg->listen, (unsigned)cfg->port,
              mimi_strerror(err));
    } else if (cfg->port_file && write_port_file(cfg->port_file, mimi_server_port(srv)) != 0) {
      fprintf(stderr, "mimid: cannot write %s\n", cfg->port_file);
    } else {
      fprintf(stderr, "mimid: %s listening on %s:%u\n", cfg->domain, cfg->listen,
              (unsigned)mimi_server_port(srv));
      int sig = 0;
      sigwait(stop, &sig);
      rc = 0;
    }
    mimi_server_stop(srv);
  }
  mimi_peer_client_free(pc);
  mimi_store_close(&store);
  return rc;
}

int main(int argc, char **argv) {
  if (argc != 3 || strcmp(argv[1], "-c") != 0) return usage();
  mimi_provider_config cfg;
  size_t bad_line = 0;
  mimi_err err = mimi_provider_config_load(argv[2], &cfg, &bad_line);
  if (err != MIMI_OK) {
    fprintf(stderr, "mimid: %s:%zu: %s\n", argv[2], bad_line, mimi_strerror(err));
    return 2;
  }
  /* Blocked before any thread starts, so only sigwait sees them. */
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, NULL);
  signal(SIGPIPE, SIG_IGN);
  curl_global_init(CURL_GLOBAL_DEFAULT);
  int rc = serve(&cfg, &stop);
  curl_global_cleanup();
  mimi_provider_config_free(&cfg);
  return rc;
}
