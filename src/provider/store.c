/* store.c — what every storage backend shares: closing and freeing rows. */
#include <stdlib.h>
#include <string.h>

#include "mimi/provider.h"

void mimi_store_close(mimi_store *st) {
  if (st == NULL || st->ops == NULL) return;
  st->ops->close(st->impl);
  st->ops = NULL;
  st->impl = NULL;
}

void mimi_store_client_free(mimi_store_client *c) {
  if (c == NULL) return;
  free(c->uri);
  mimi_bytes_free(&c->signature_key);
  memset(c, 0, sizeof *c);
}

void mimi_store_clients_free(mimi_store_client *c, size_t n) {
  for (size_t i = 0; c != NULL && i < n; i++) mimi_store_client_free(&c[i]);
  free(c);
}

void mimi_store_key_packages_free(mimi_store_key_package *k, size_t n) {
  for (size_t i = 0; k != NULL && i < n; i++) mimi_bytes_free(&k[i].key_package);
  free(k);
}

void mimi_store_inbox_free(mimi_store_inbox_entry *e, size_t n) {
  for (size_t i = 0; e != NULL && i < n; i++) mimi_bytes_free(&e[i].message);
  free(e);
}
