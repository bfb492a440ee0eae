/* util.h — timing loop and table printing shared by every benchmark. */
#ifndef MIMI_BENCH_UTIL_H
#define MIMI_BENCH_UTIL_H

#include <stddef.h>

/* Runs fn(arg) repeatedly for about `seconds` (after a short warm-up) and
 * returns operations per second. fn returns 0 on success; a failure aborts. */
double bench_ops_per_sec(int (*fn)(void *arg), void *arg, double seconds);
/* Setup steps: exits naming `what` unless err (a mimi_err) is 0. */
void bench_check(int err, const char *what);
#define BENCH_OK(expr) bench_check((int)(expr), #expr)
/* Monotonic seconds. */
double bench_now(void);
/* Default measuring time per row: MIMI_BENCH_SECONDS or 0.5. */
double bench_seconds(void);

#endif
