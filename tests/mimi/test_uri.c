/* test_uri.c — mimi:// identifier URIs: the examples of
 * draft-mahy-mimi-identity-05 §4 and draft-ietf-mimi-protocol-06 §2 with the
 * components they name, every mimi: URI in the MIMI content examples,
 * RFC 3986 §6.2.2 normalization, the builder, and rejections (BAD_URI, no
 * output written). */
#include <stdlib.h>

#include "harness.h"
#include "mimi/identity.h"

typedef struct {
  const char *text;
  mimi_uri_kind kind;
  const char *provider, *user, *device, *room, *group, *team;
} valid_case;

static bool str_eq_opt(const char *a, const char *b) {
  if (!a || !b) return a == b;
  return strcmp(a, b) == 0;
}

/* Straight from the drafts' tables and lists: already canonical. */
static const valid_case spec_examples[] = {
    /* draft-ietf-mimi-protocol-06 §2, table "MIMI URI examples" */
    {"mimi://a.example", MIMI_URI_PROVIDER, "a.example", NULL, NULL, NULL, NULL, NULL},
    {"mimi://a.example/u/alice", MIMI_URI_USER, "a.example", "alice", NULL, NULL, NULL, NULL},
    {"mimi://a.example/d/ClientA1", MIMI_URI_CLIENT, "a.example", NULL, "ClientA1", NULL, NULL, NULL},
    {"mimi://a.example/r/clubhouse", MIMI_URI_ROOM, "a.example", NULL, NULL, "clubhouse", NULL, NULL},
    {"mimi://a.example/g/clubhouse", MIMI_URI_GROUP, "a.example", NULL, NULL, NULL, "clubhouse", NULL},
    /* draft-ietf-mimi-protocol-06 §5.3 franking example */
    {"mimi://hub.example/r/Rl33FWLCYWOwxHrYnpWDQg", MIMI_URI_ROOM, "hub.example", NULL, NULL,
     "Rl33FWLCYWOwxHrYnpWDQg", NULL, NULL},
    /* draft-mahy-mimi-identity-05 §4 */
    {"mimi://example.com", MIMI_URI_PROVIDER, "example.com", NULL, NULL, NULL, NULL, NULL},
    {"mimi://example.com/u/juliet", MIMI_URI_USER, "example.com", "juliet", NULL, NULL, NULL, NULL},
    {"mimi://example.com/d/juliet/balcony", MIMI_URI_CLIENT, "example.com", "juliet", "balcony",
     NULL, NULL, NULL},
    {"mimi://irc.example.com/u/jcapulet1583@example.com", MIMI_URI_USER, "irc.example.com",
     "jcapulet1583@example.com", NULL, NULL, NULL, NULL},
    {"mimi://irc.example.com/r/local_announcements_channel", MIMI_URI_ROOM, "irc.example.com",
     NULL, NULL, "local_announcements_channel", NULL, NULL},
    {"mimi://irc.example.com/r/projectX", MIMI_URI_ROOM, "irc.example.com", NULL, NULL,
     "projectX", NULL, NULL},
    {"mimi://a.example/p/crazykoala75", MIMI_URI_PSEUDONYM, "a.example", "crazykoala75", NULL,
     NULL, NULL, NULL},
    {"mimi://a.example/d/alice/ClientA1", MIMI_URI_CLIENT, "a.example", "alice", "ClientA1", NULL,
     NULL, NULL},
    {"mimi://a.example/g/TII9t5viBrXiXc", MIMI_URI_GROUP, "a.example", NULL, NULL, NULL,
     "TII9t5viBrXiXc", NULL},
    {"mimi://a.example/t/engineering", MIMI_URI_TEAM, "a.example", NULL, NULL, NULL, NULL,
     "engineering"},
    {"mimi://local.invalid/u/alice.smith", MIMI_URI_USER, "local.invalid", "alice.smith", NULL,
     NULL, NULL, NULL},
    {"mimi://example.com/d/SvPfLlwBQi-6oddVRrkqpw/04c7", MIMI_URI_CLIENT, "example.com",
     "SvPfLlwBQi-6oddVRrkqpw", "04c7", NULL, NULL, NULL},
    /* draft-ietf-mimi-content §5.1: the sender client URL */
    {"mimi://example.com/d/3b52249d-68f9-45ce-8bf5-c799f3cad7ec/0003", MIMI_URI_CLIENT,
     "example.com", "3b52249d-68f9-45ce-8bf5-c799f3cad7ec", "0003", NULL, NULL, NULL},
    {"mimi://example.com/u/alice-smith", MIMI_URI_USER, "example.com", "alice-smith", NULL, NULL,
     NULL, NULL},
    {"mimi://example.com/r/engineering_team", MIMI_URI_ROOM, "example.com", NULL, NULL,
     "engineering_team", NULL, NULL},
};

static void check_components(const mimi_uri *u, const valid_case *c) {
  CHECK(u->kind == c->kind);
  CHECK(str_eq_opt(u->provider, c->provider));
  CHECK(str_eq_opt(u->user, c->user));
  CHECK(str_eq_opt(u->device, c->device));
  CHECK(str_eq_opt(u->room, c->room));
  CHECK(str_eq_opt(u->group, c->group));
  CHECK(str_eq_opt(u->team, c->team));
}

static void test_spec_examples(void) {
  for (size_t i = 0; i < sizeof spec_examples / sizeof spec_examples[0]; i++) {
    const valid_case *c = &spec_examples[i];
    mimi_uri u;
    mimi_err e = mimi_uri_parse(c->text, strlen(c->text), &u);
    CHECK_OK(e);
    if (e != MIMI_OK) {
      fprintf(stderr, "  rejected: %s\n", c->text);
      continue;
    }
    check_components(&u, c);
    CHECK(strcmp(u.canonical, c->text) == 0);
    CHECK(u.canonical_len == strlen(c->text));

    /* round trip through the builder: same identifier, same text */
    mimi_uri b;
    CHECK_OK(mimi_uri_build(&u, &b));
    CHECK(mimi_uri_equal(&u, &b));
    check_components(&b, c);
    mimi_uri_free(&b);
    mimi_uri_free(&u);
    mimi_test_case();
  }
}

/* Every mimi: URI the content examples use, wherever it appears (extension
 * values, and the markdown link in mention.edn). */
static void test_content_examples(void) {
  static const char *files[] = {
      "attachment", "conferencing", "delete",      "edit",        "expiring",
      "implied-original", "mention-html", "mention", "multipart-1", "multipart-2",
      "multipart-3", "original",   "reaction",     "reply",       "unlike",
  };
  size_t found = 0;
  for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
    char rel[128];
    snprintf(rel, sizeof rel, "mimi-content/%s.edn", files[f]);
    size_t len;
    char *text = mimi_vec_read(rel, &len);
    for (char *p = strstr(text, "mimi:"); p; p = strstr(p + 1, "mimi:")) {
      size_t n = strcspn(p, "\"')<> \t\n");
      mimi_uri u;
      mimi_err e = mimi_uri_parse(p, n, &u);
      CHECK_OK(e);
      if (e != MIMI_OK) {
        fprintf(stderr, "  %s: rejected %.*s\n", rel, (int)n, p);
        continue;
      }
      /* the examples are written canonically */
      CHECK_MEM(u.canonical, u.canonical_len, p, n);
      CHECK(strcmp(u.provider, "example.com") == 0);
      CHECK(u.kind == MIMI_URI_USER || u.kind == MIMI_URI_ROOM || u.kind == MIMI_URI_CLIENT);
      mimi_uri_free(&u);
      found++;
      mimi_test_case();
    }
    free(text);
  }
  /* 15 files: 15 rooms, 15 senders, the client URL in implied-original,
   * the mentions in mention and mention-html (hand count of the files) */
  CHECK(found == 33);
}

typedef struct {
  const char *in, *canonical;
} norm_case;

/* RFC 3986 §6.2.2: case (scheme, host, hex digits), percent-encoding of
 * unreserved characters; plus the scheme-specific rule that a reserved
 * character allowed in a segment is equivalent to its encoding. */
static const norm_case norms[] = {
    {"MIMI://A.Example/u/alice", "mimi://a.example/u/alice"},
    {"Mimi://EXAMPLE.COM", "mimi://example.com"},
    {"mimi://a.example/u/%61lice", "mimi://a.example/u/alice"},
    {"mimi://a.example/%75/alice", "mimi://a.example/u/alice"},
    {"mimi://%61.example/u/alice", "mimi://a.example/u/alice"},
    {"mimi://a%2Eexample/r/x", "mimi://a.example/r/x"},
    {"mimi://a.example/u/caf%c3%a9", "mimi://a.example/u/caf%C3%A9"},
    {"mimi://a.example/u/a%20b", "mimi://a.example/u/a%20b"},
    {"mimi://a.example/u/a%7e%2d%5F", "mimi://a.example/u/a~-_"},
    {"mimi://a.example/u/bob%40example.com", "mimi://a.example/u/bob@example.com"},
    {"mimi://a.example/u/a%2fb", "mimi://a.example/u/a%2Fb"},
    {"mimi://a.example/r/a:b;c=d", "mimi://a.example/r/a:b;c=d"},
    {"mimi://a.example/u/Alice", "mimi://a.example/u/Alice"}, /* path case is significant */
    {"mimi://xn--bcher-kva.example/u/x", "mimi://xn--bcher-kva.example/u/x"},
    {"mimi://localhost/u/x", "mimi://localhost/u/x"},
    {"mimi://a.example/u/%E2%9D%A4", "mimi://a.example/u/%E2%9D%A4"},
};

static void test_normalization(void) {
  for (size_t i = 0; i < sizeof norms / sizeof norms[0]; i++) {
    char *out = NULL;
    mimi_err e = mimi_uri_canonicalize(norms[i].in, strlen(norms[i].in), &out);
    CHECK_OK(e);
    if (e != MIMI_OK) {
      fprintf(stderr, "  rejected: %s\n", norms[i].in);
      continue;
    }
    if (strcmp(out, norms[i].canonical) != 0)
      mimi_test_fail(__FILE__, __LINE__, "%s -> %s, expected %s", norms[i].in, out,
                     norms[i].canonical);
    /* canonical form is a fixed point */
    char *again = NULL;
    CHECK_OK(mimi_uri_canonicalize(out, strlen(out), &again));
    CHECK(again && strcmp(again, out) == 0);
    free(again);
    free(out);
    mimi_test_case();
  }
  /* decoded values, not encodings, land in the struct */
  mimi_uri u;
  const char *s = "mimi://a.example/d/caf%C3%A9/ph%20one";
  CHECK_OK(mimi_uri_parse(s, strlen(s), &u));
  CHECK(strcmp(u.user, "caf\xc3\xa9") == 0);
  CHECK(strcmp(u.device, "ph one") == 0);
  mimi_uri_free(&u);
  /* mimi_uri_equal compares identifiers */
  mimi_uri a, b;
  const char *sa = "mimi://A.EXAMPLE/u/%41", *sb = "mimi://a.example/u/A";
  CHECK_OK(mimi_uri_parse(sa, strlen(sa), &a));
  CHECK_OK(mimi_uri_parse(sb, strlen(sb), &b));
  CHECK(mimi_uri_equal(&a, &b));
  mimi_uri_free(&b);
  const char *sc = "mimi://a.example/u/a";
  CHECK_OK(mimi_uri_parse(sc, strlen(sc), &b));
  CHECK(!mimi_uri_equal(&a, &b));
  mimi_uri_free(&b);
  const char *sd = "mimi://a.example/p/A";
  CHECK_OK(mimi_uri_parse(sd, strlen(sd), &b));
  CHECK(!mimi_uri_equal(&a, &b)); /* same name, other kind */
  mimi_uri_free(&b);
  mimi_uri_free(&a);
}

static const char *const invalid[] = {
    "",
    "mimi:",
    "mimi:/",
    "mimi://",
    "mimi:a.example/u/alice",   /* no authority */
    "mimi:/a.example/u/alice",
    "im://a.example/u/alice",   /* other scheme */
    "mimix://a.example",
    "http://a.example/u/alice",
    " mimi://a.example",
    "mimi://a.example ",
    "mimi://alice@a.example/u/alice", /* userinfo */
    "mimi://@a.example",
    "mimi://a.example:443/u/alice", /* port */
    "mimi://a.example:/u/alice",
    "mimi://[2001:db8::1]/u/alice", /* IP literal */
    "mimi://192.0.2.1/u/alice",     /* IPv4 */
    "mimi://a.example/u/alice?x=1", /* query */
    "mimi://a.example/u/alice#frag", /* fragment */
    "mimi://a.example?x",
    "mimi://a.example#x",
    "mimi://a.example/",            /* empty segment */
    "mimi://a.example//u/alice",
    "mimi://a.example/u//alice",
    "mimi://a.example/u/alice/",
    "mimi://a.example/u/",
    "mimi://a.example/u",           /* missing id */
    "mimi://a.example/d",
    "mimi://a.example/d/a/b/c",     /* too many segments */
    "mimi://a.example/u/alice/x",
    "mimi://a.example/r/a/b",
    "mimi://a.example/x/alice",     /* unknown type */
    "mimi://b.example/b/bob",       /* draft-ietf-mimi-protocol-06 §3.3 typo */
    "mimi://a.example/U/alice",     /* type letters are lowercase */
    "mimi://a.example/user/alice",
    "mimi://a.example/u/.",         /* dot segments */
    "mimi://a.example/u/..",
    "mimi://a.example/u/%2E%2E",
    "mimi://a.example/u/al ice",    /* raw characters outside pchar */
    "mimi://a.example/u/al\"ice",
    "mimi://a.example/u/al<ice",
    "mimi://a.example/u/al\\ice",
    "mimi://a.example/u/al%ice",    /* bad percent-encoding */
    "mimi://a.example/u/al%4",
    "mimi://a.example/u/al%",
    "mimi://a.example/u/al%g0",
    "mimi://a.example/u/caf\xc3\xa9", /* raw non-ASCII */
    "mimi://a.example/u/a%00b",      /* NUL */
    "mimi://a.example/u/a%0Ab",      /* newline */
    "mimi://a.example/u/a%1B%5B31m", /* ESC [ 31 m */
    "mimi://a.example/u/a%7F",       /* DEL */
    "mimi://a.example/u/a%C2%9B",    /* U+009B, 8-bit CSI */
    "mimi://a.example/u/a%E2%80%AE", /* U+202E right-to-left override */
    "mimi://a.example/u/a%FF",       /* not UTF-8 */
    "mimi://a.example/u/a%C3",       /* truncated UTF-8 */
    "mimi://a.example/u/%C0%AF",     /* overlong */
    "mimi://a.example/u/%ED%A0%80",  /* surrogate */
    "mimi://a..example/u/x",         /* empty label */
    "mimi://.a.example/u/x",
    "mimi://a.example./u/x",         /* trailing dot */
    "mimi://-a.example/u/x",         /* hyphen at label edge */
    "mimi://a-.example/u/x",
    "mimi://a_b.example/u/x",        /* not LDH */
    "mimi://a%20b.example/u/x",
    "mimi://a.example%2Fu/x",
    "mimi://caf\xc3\xa9.example/u/x",
    "mimi://a.123/u/x",              /* numeric top label */
};

static void test_invalid(void) {
  for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
    mimi_uri u;
    memset(&u, 0xa5, sizeof u);
    mimi_uri before = u;
    mimi_err e = mimi_uri_parse(invalid[i], strlen(invalid[i]), &u);
    CHECK_ERR(e, MIMI_ERR_BAD_URI);
    if (e == MIMI_OK) {
      fprintf(stderr, "  accepted: %s\n", invalid[i]);
      mimi_uri_free(&u);
      continue;
    }
    CHECK(memcmp(&u, &before, sizeof u) == 0); /* out untouched */
    char *c = (char *)"unchanged";
    CHECK_ERR(mimi_uri_canonicalize(invalid[i], strlen(invalid[i]), &c), MIMI_ERR_BAD_URI);
    CHECK(strcmp(c, "unchanged") == 0);
    mimi_test_case();
  }
}

static void test_lengths(void) {
  /* a label of 63 is fine, 64 is not; a host of 253 is fine, 254 is not */
  char buf[MIMI_URI_MAX_LEN + 64];
  mimi_uri u;
  snprintf(buf, sizeof buf, "mimi://%.*s.example", 63,
           "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  CHECK_OK(mimi_uri_parse(buf, strlen(buf), &u));
  mimi_uri_free(&u);
  snprintf(buf, sizeof buf, "mimi://%.*s.example", 64,
           "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  CHECK_ERR(mimi_uri_parse(buf, strlen(buf), &u), MIMI_ERR_BAD_URI);

  char host[300];
  size_t n = 0;
  while (n < 253) { /* "a.a.a....a": 127 labels, 253 octets */
    host[n++] = 'a';
    if (n < 253) host[n++] = '.';
  }
  host[n] = '\0';
  snprintf(buf, sizeof buf, "mimi://%s", host);
  CHECK_OK(mimi_uri_parse(buf, strlen(buf), &u));
  mimi_uri_free(&u);
  snprintf(buf, sizeof buf, "mimi://b%s", host);
  CHECK_ERR(mimi_uri_parse(buf, strlen(buf), &u), MIMI_ERR_BAD_URI);

  /* whole URI: MIMI_URI_MAX_LEN accepted, one more rejected */
  const char *prefix = "mimi://a.example/u/";
  size_t plen = strlen(prefix);
  memcpy(buf, prefix, plen);
  memset(buf + plen, 'x', MIMI_URI_MAX_LEN - plen);
  CHECK_OK(mimi_uri_parse(buf, MIMI_URI_MAX_LEN, &u));
  CHECK(u.canonical_len == MIMI_URI_MAX_LEN);
  mimi_uri_free(&u);
  buf[MIMI_URI_MAX_LEN] = 'x';
  CHECK_ERR(mimi_uri_parse(buf, MIMI_URI_MAX_LEN + 1, &u), MIMI_ERR_BAD_URI);

  /* length is explicit: bytes after len are not read, no NUL needed */
  const char *s = "mimi://a.example/u/alice?junk";
  CHECK_OK(mimi_uri_parse(s, strlen("mimi://a.example/u/alice"), &u));
  CHECK(strcmp(u.user, "alice") == 0);
  mimi_uri_free(&u);
  mimi_test_case();
}

static void test_build(void) {
  mimi_uri p, u;
  memset(&p, 0, sizeof p);
  p.kind = MIMI_URI_CLIENT;
  p.provider = "A.Example";
  p.user = "alice smith/x";
  p.device = "phone\xe2\x9d\xa4";
  CHECK_OK(mimi_uri_build(&p, &u));
  CHECK(strcmp(u.canonical, "mimi://a.example/d/alice%20smith%2Fx/phone%E2%9D%A4") == 0);
  CHECK(strcmp(u.provider, "a.example") == 0);
  /* parse(build(x)) == build(x) */
  mimi_uri back;
  CHECK_OK(mimi_uri_parse(u.canonical, u.canonical_len, &back));
  CHECK(mimi_uri_equal(&u, &back));
  CHECK(strcmp(back.user, "alice smith/x") == 0);
  CHECK(strcmp(back.device, "phone\xe2\x9d\xa4") == 0);

  /* user_of: the client's user */
  mimi_uri owner;
  CHECK_OK(mimi_uri_user_of(&back, &owner));
  CHECK(strcmp(owner.canonical, "mimi://a.example/u/alice%20smith%2Fx") == 0);
  CHECK(owner.kind == MIMI_URI_USER);
  mimi_uri_free(&owner);
  mimi_uri_free(&back);
  mimi_uri_free(&u);

  const char *s = "mimi://a.example/d/ClientA1";
  CHECK_OK(mimi_uri_parse(s, strlen(s), &u));
  memset(&owner, 0x5a, sizeof owner);
  mimi_uri before = owner;
  CHECK_ERR(mimi_uri_user_of(&u, &owner), MIMI_ERR_NOT_FOUND);
  CHECK(memcmp(&owner, &before, sizeof owner) == 0);
  mimi_uri_free(&u);
  s = "mimi://a.example/u/alice";
  CHECK_OK(mimi_uri_parse(s, strlen(s), &u));
  CHECK_ERR(mimi_uri_user_of(&u, &owner), MIMI_ERR_INVALID_ARG);
  mimi_uri_free(&u);

  /* every kind builds and names itself */
  static const mimi_uri_kind all[] = {MIMI_URI_PROVIDER, MIMI_URI_USER,  MIMI_URI_PSEUDONYM,
                                      MIMI_URI_CLIENT,   MIMI_URI_ROOM,  MIMI_URI_GROUP,
                                      MIMI_URI_TEAM};
  static const char *const expect[] = {
      "mimi://h.example",     "mimi://h.example/u/v", "mimi://h.example/p/v",
      "mimi://h.example/d/v", "mimi://h.example/r/v", "mimi://h.example/g/v",
      "mimi://h.example/t/v",
  };
  for (size_t i = 0; i < 7; i++) {
    memset(&p, 0, sizeof p);
    p.kind = all[i];
    p.provider = "h.example";
    p.user = all[i] == MIMI_URI_CLIENT ? NULL : "v";
    p.device = p.room = p.group = p.team = "v";
    CHECK_OK(mimi_uri_build(&p, &u));
    CHECK(strcmp(u.canonical, expect[i]) == 0);
    CHECK(strcmp(mimi_uri_kind_name(all[i]), "?") != 0);
    mimi_uri_free(&u);
  }
  CHECK(strcmp(mimi_uri_kind_name((mimi_uri_kind)99), "?") == 0);

  /* invalid components */
  struct {
    mimi_uri_kind kind;
    const char *provider, *user, *device;
  } bad[] = {
      {MIMI_URI_USER, "a.example", NULL, NULL},        /* missing user */
      {MIMI_URI_USER, "a.example", "", NULL},          /* empty */
      {MIMI_URI_USER, "a.example", "..", NULL},        /* dot segment */
      {MIMI_URI_USER, "a.example", "a\x1b[2Jb", NULL}, /* escape */
      {MIMI_URI_USER, "a.example", "a\xff", NULL},     /* not UTF-8 */
      {MIMI_URI_CLIENT, "a.example", "alice", NULL},   /* missing device */
      {MIMI_URI_USER, NULL, "alice", NULL},            /* missing provider */
      {MIMI_URI_USER, "a.example:80", "alice", NULL},
      {MIMI_URI_USER, "a_b.example", "alice", NULL},
      {(mimi_uri_kind)42, "a.example", "alice", NULL},
  };
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    memset(&p, 0, sizeof p);
    p.kind = bad[i].kind;
    p.provider = bad[i].provider;
    p.user = bad[i].user;
    p.device = bad[i].device;
    memset(&u, 0x5a, sizeof u);
    before = u;
    CHECK_ERR(mimi_uri_build(&p, &u), MIMI_ERR_BAD_URI);
    CHECK(memcmp(&u, &before, sizeof u) == 0);
  }
  /* a value whose encoding overflows MIMI_URI_MAX_LEN */
  char big[400];
  memset(big, ' ', sizeof big - 1); /* each becomes %20 */
  big[sizeof big - 1] = '\0';
  memset(&p, 0, sizeof p);
  p.kind = MIMI_URI_ROOM;
  p.provider = "a.example";
  p.room = big;
  CHECK_ERR(mimi_uri_build(&p, &u), MIMI_ERR_BAD_URI);
  big[300] = '\0';
  CHECK_OK(mimi_uri_build(&p, &u));
  CHECK(u.canonical_len == strlen("mimi://a.example/r/") + 900);
  mimi_uri_free(&u);

  CHECK_ERR(mimi_uri_parse(NULL, 0, &u), MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mimi_uri_build(NULL, &u), MIMI_ERR_INVALID_ARG);
  mimi_uri_free(NULL);
  mimi_test_case();
}

/* Random strings over URI-ish characters: either BAD_URI with nothing
 * written, or a URI whose canonical form is a fixed point naming the same
 * components. */
static void test_random_input(void) {
  static const char *const pieces[] = {"mimi://", "MIMI://", "a.example", "A.Ex", "/", "u", "d",
                                       "r", "x",  "%",       "%2F",       "%41", "%c3%a9", "@",
                                       ":", "?",  "#",       ".",         "..",  "-",      " ",
                                       "%00", "\xc3\xa9", "[", "]",     "9",   "%E2%80%AE"};
  mimi_test_prng prng;
  mimi_test_rng_prng(&prng, 0x0715);
  size_t accepted = 0;
  for (int round = 0; round < 20000; round++) {
    char buf[128];
    size_t n = 0;
    size_t parts = 1 + mimi_test_prng_next(&prng) % 6;
    uint64_t start = mimi_test_prng_next(&prng) % 4;
    if (start != 0) { /* mostly start plausibly */
      const char *pre = start == 1 ? "mimi://a.example/" : "mimi://a.example/d/x";
      n = strlen(pre);
      memcpy(buf, pre, n);
    }
    for (size_t k = 0; k < parts; k++) {
      const char *p = pieces[mimi_test_prng_next(&prng) % (sizeof pieces / sizeof pieces[0])];
      size_t pl = strlen(p);
      if (n + pl > sizeof buf) break;
      memcpy(buf + n, p, pl);
      n += pl;
    }
    mimi_uri u;
    memset(&u, 0xa5, sizeof u);
    mimi_err e = mimi_uri_parse(buf, n, &u);
    if (e != MIMI_OK) {
      CHECK_ERR(e, MIMI_ERR_BAD_URI);
      CHECK(u.buf_ == (char *)(uintptr_t)0xa5a5a5a5a5a5a5a5ull);
      continue;
    }
    accepted++;
    mimi_uri again;
    CHECK_OK(mimi_uri_parse(u.canonical, u.canonical_len, &again));
    CHECK(strcmp(again.canonical, u.canonical) == 0);
    CHECK(again.kind == u.kind && strcmp(again.provider, u.provider) == 0);
    CHECK(str_eq_opt(again.user, u.user) && str_eq_opt(again.device, u.device) &&
          str_eq_opt(again.room, u.room));
    mimi_uri built;
    CHECK_OK(mimi_uri_build(&u, &built));
    CHECK(mimi_uri_equal(&built, &u));
    mimi_uri_free(&built);
    mimi_uri_free(&again);
    mimi_uri_free(&u);
  }
  CHECK(accepted > 1000); /* the generator reaches valid URIs too */
  mimi_test_case();
}

int main(void) {
  test_spec_examples();
  test_content_examples();
  test_normalization();
  test_invalid();
  test_lengths();
  test_build();
  test_random_input();
  return mimi_test_summary("test_uri");
}
