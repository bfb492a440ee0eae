/* bench_util.c — see util.h. */
#include "util.h"

#include "mimi/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

double bench_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void bench_check(int err, const char *what) {
  if (err == 0) return;
  fprintf(stderr, "bench: %s: %s\n", what, mimi_errname((mimi_err)err));
  exit(1);
}

double bench_seconds(void) {
  const char *s = getenv("MIMI_BENCH_SECONDS");
  double v = s ? atof(s) : 0.5;
  return v > 0 ? v : 0.5;
}

double bench_ops_per_sec(int (*fn)(void *arg), void *arg, double seconds) {
  for (int i = 0; i < 3; i++)
    if (fn(arg) != 0) {
      fprintf(stderr, "benchmark operation failed\n");
      exit(1);
    }
  long n = 0, batch = 1;
  double start = bench_now(), elapsed = 0;
  while (elapsed < seconds) {
    for (long i = 0; i < batch; i++)
      if (fn(arg) != 0) {
        fprintf(stderr, "benchmark operation failed\n");
        exit(1);
      }
    n += batch;
    elapsed = bench_now() - start;
    if (elapsed < seconds / 10) batch *= 2;
  }
  return (double)n / elapsed;
}
