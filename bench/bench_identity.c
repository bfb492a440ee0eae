/* bench_identity.c — the MIMI pieces around content: URI parsing, status
 * report codec and aggregation, terminal rendering, attachment seal/open. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mimi/attachment.h"
#include "mimi/crypto.h"
#include "mimi/identity.h"
#include "mimi/render.h"
#include "mimi/status.h"
#include "util.h"

static void row(const char *op, const char *variant, double ops, double bytes) {
  if (bytes > 0)
    printf("| %-28s | %-34s | %12.0f | %10.3f | %9.1f |\n", op, variant, ops, 1e6 / ops,
           ops * bytes / 1e6);
  else
    printf("| %-28s | %-34s | %12.0f | %10.3f | %9s |\n", op, variant, ops, 1e6 / ops, "");
}

/* ---- URIs ---------------------------------------------------------------- */

static const char *uri_text;

static int op_uri_parse(void *arg) {
  (void)arg;
  mimi_uri u;
  if (mimi_uri_parse(uri_text, strlen(uri_text), &u) != MIMI_OK) return 1;
  mimi_uri_free(&u);
  return 0;
}

/* ---- status -------------------------------------------------------------- */

typedef struct {
  mimi_bytes enc;
  mimi_status_report report;
} status_arg;

static int op_status_decode(void *arg) {
  status_arg *a = arg;
  mimi_status_report r;
  if (mimi_status_report_decode(a->enc.data, a->enc.len, &r) != MIMI_OK) return 1;
  mimi_status_report_free(&r);
  return 0;
}

static int op_status_encode(void *arg) {
  status_arg *a = arg;
  mimi_bytes out;
  if (mimi_status_report_encode(&a->report, &out) != MIMI_OK) return 1;
  mimi_bytes_free(&out);
  return 0;
}

static void make_report(status_arg *a, size_t n) {
  a->report.entries = calloc(n, sizeof *a->report.entries);
  a->report.count = n;
  for (size_t i = 0; i < n; i++) {
    a->report.entries[i].message_id[0] = 1;
    memcpy(a->report.entries[i].message_id + 1, &i, sizeof i);
    a->report.entries[i].status = (uint8_t)(i % 7);
  }
  if (mimi_status_report_encode(&a->report, &a->enc) != MIMI_OK) exit(1);
}

typedef struct {
  mimi_status_agg *agg;
  mimi_status_report report;
  uint64_t t;
  size_t users;
} agg_arg;

static int op_agg_apply(void *arg) {
  agg_arg *a = arg;
  char who[64];
  int n = snprintf(who, sizeof who, "mimi://a.example/u/user%zu", (size_t)(a->t % a->users));
  a->t++;
  return mimi_status_agg_apply(a->agg, who, (size_t)n, a->t, &a->report) != MIMI_OK;
}

/* ---- render -------------------------------------------------------------- */

typedef struct {
  const char *text;
  mimi_render_opts opts;
  bool markdown;
} render_arg;

static int op_render(void *arg) {
  render_arg *a = arg;
  mimi_bytes out;
  mimi_err e = a->markdown
                   ? mimi_render_markdown((const uint8_t *)a->text, strlen(a->text), &a->opts, &out)
                   : mimi_render_plain((const uint8_t *)a->text, strlen(a->text), &a->opts, &out);
  if (e != MIMI_OK) return 1;
  mimi_bytes_free(&out);
  return 0;
}

/* ---- attachments --------------------------------------------------------- */

typedef struct {
  uint8_t *file;
  size_t len;
  mimi_attachment_params p;
  mimi_attachment_info info;
  mimi_bytes blob;
} att_arg;

static int op_seal(void *arg) {
  att_arg *a = arg;
  mimi_attachment_info info;
  mimi_bytes blob;
  if (mimi_attachment_seal(a->file, a->len, &a->p, mimi_rng_system(), &info, &blob) != MIMI_OK)
    return 1;
  mimi_attachment_info_free(&info);
  mimi_bytes_free(&blob);
  return 0;
}

static int op_open(void *arg) {
  att_arg *a = arg;
  mimi_bytes out;
  if (mimi_attachment_open(&a->info, a->blob.data, a->blob.len, &out) != MIMI_OK) return 1;
  mimi_bytes_free(&out);
  return 0;
}

int main(void) {
  double secs = bench_seconds();
  printf("| operation                    | input                              |        ops/s |      us/op |      MB/s |\n");
  printf("|---|---|---:|---:|---:|\n");

  static const char *uris[] = {
      "mimi://example.com/u/alice-smith",
      "mimi://example.com/d/3b52249d-68f9-45ce-8bf5-c799f3cad7ec/0003",
      "MIMI://Example.COM/u/caf%c3%a9%20%41lice",
  };
  for (size_t i = 0; i < 3; i++) {
    uri_text = uris[i];
    double ops = bench_ops_per_sec(op_uri_parse, NULL, secs);
    char v[40];
    snprintf(v, sizeof v, "%.34s", uris[i] + 7);
    row("uri parse+canonicalize", v, ops, (double)strlen(uris[i]));
  }

  static const size_t counts[] = {4, 100, 10000};
  for (size_t i = 0; i < 3; i++) {
    status_arg a;
    memset(&a, 0, sizeof a);
    make_report(&a, counts[i]);
    char v[40];
    snprintf(v, sizeof v, "%zu entries (%zu B)", counts[i], a.enc.len);
    row("status report decode", v, bench_ops_per_sec(op_status_decode, &a, secs), (double)a.enc.len);
    row("status report encode", v, bench_ops_per_sec(op_status_encode, &a, secs), (double)a.enc.len);
    mimi_bytes_free(&a.enc);
    mimi_status_report_free(&a.report);
  }

  /* aggregation grows as it runs: a bounded number of calls per row */
  static const size_t msgs[] = {10, 100};
  for (size_t i = 0; i < 2; i++) {
    agg_arg a;
    memset(&a, 0, sizeof a);
    a.users = 50;
    status_arg s;
    memset(&s, 0, sizeof s);
    make_report(&s, msgs[i]);
    a.report = s.report;
    if (mimi_status_agg_new(&a.agg) != MIMI_OK) return 1;
    double ops = bench_ops_per_sec(op_agg_apply, &a, secs);
    char v[40];
    snprintf(v, sizeof v, "%zu msgs x 50 users per report", msgs[i]);
    row("status agg apply", v, ops, 0);
    mimi_status_agg_free(a.agg);
    mimi_bytes_free(&s.enc);
    mimi_status_report_free(&s.report);
  }

  static const char *md =
      "# Release notes\n\nKudos to [@Alice Smith](mimi://example.com/u/alice-smith) for making "
      "the **release** happen! See `engineering_team` and *the* ~~old~~ notes.\n\n"
      "> quoted text that is rather long and should wrap nicely inside the quote bar\n\n"
      "- item one is a long item that wraps around the edge\n  - nested item\n1. first\n\n"
      "```\nint main(void) { return 0; }\n```\n";
  render_arg r1 = {md, {80, true}, true};
  char v[48];
  snprintf(v, sizeof v, "markdown %zu B, width 80, color", strlen(md));
  row("render", v, bench_ops_per_sec(op_render, &r1, secs), (double)strlen(md));
  render_arg r2 = {md, {80, false}, false};
  snprintf(v, sizeof v, "plain %zu B, width 80", strlen(md));
  row("render", v, bench_ops_per_sec(op_render, &r2, secs), (double)strlen(md));

  static const struct {
    uint16_t enc;
    const char *name;
  } encs[] = {{MIMI_ENC_AES_128_GCM, "AES-128-GCM"},
              {MIMI_ENC_AES_256_GCM, "AES-256-GCM"},
              {MIMI_ENC_CHACHA20_POLY1305, "ChaCha20-Poly1305"}};
  static const size_t sizes[] = {4096, 1 << 20};
  for (size_t s = 0; s < 2; s++) {
    for (size_t e = 0; e < 3; e++) {
      att_arg a;
      memset(&a, 0, sizeof a);
      a.len = sizes[s];
      a.file = calloc(1, a.len);
      mimi_attachment_params_default(&a.p);
      a.p.enc_alg = encs[e].enc;
      if (mimi_attachment_seal(a.file, a.len, &a.p, mimi_rng_system(), &a.info, &a.blob) !=
          MIMI_OK)
        return 1;
      snprintf(v, sizeof v, "%s, SHA-256, %zu KiB", encs[e].name, a.len / 1024);
      row("attachment seal", v, bench_ops_per_sec(op_seal, &a, secs), (double)a.len);
      row("attachment open (verify)", v, bench_ops_per_sec(op_open, &a, secs), (double)a.len);
      mimi_attachment_info_free(&a.info);
      mimi_bytes_free(&a.blob);
      free(a.file);
    }
  }
  return 0;
}
