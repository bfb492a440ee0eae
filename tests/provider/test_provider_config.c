/* test_provider_config.c — the mimid configuration file: values, defaults
 * and every refusal with its line number. */
#include <string.h>

#include "harness.h"
#include "mimi/provider.h"

static mimi_err parse(const char *text, mimi_provider_config *c, size_t *line) {
  return mimi_provider_config_parse(text, strlen(text), c, line);
}

static void test_full(void) {
  const char *text =
      "# provider a\n"
      "domain = a.example\n"
      "  listen=0.0.0.0  \n"
      "port = 8443\n"
      "\n"
      "cert = a.pem\t# our chain\n"
      "key = a.key\n"
      "ca = ca.pem\n"
      "db = /var/lib/mimid/a.db\n"
      "port_file = a.port\n"
      "admin_token = s3cret\n"
      "peer = b.example https://b.example:9443/v1/ 127.0.0.1\n"
      "peer = c.example https://mimi.c.example/api\n";
  mimi_provider_config c;
  size_t line = 99;
  CHECK_OK(parse(text, &c, &line));
  CHECK(strcmp(c.domain, "a.example") == 0);
  CHECK(strcmp(c.listen, "0.0.0.0") == 0);
  CHECK(c.port == 8443);
  CHECK(strcmp(c.cert_file, "a.pem") == 0);
  CHECK(strcmp(c.key_file, "a.key") == 0);
  CHECK(strcmp(c.ca_file, "ca.pem") == 0);
  CHECK(strcmp(c.db_path, "/var/lib/mimid/a.db") == 0);
  CHECK(strcmp(c.port_file, "a.port") == 0);
  CHECK(strcmp(c.admin_token, "s3cret") == 0);
  CHECK(strcmp(c.base_path, "/v1") == 0);
  CHECK(strcmp(c.public_url, "https://a.example/v1") == 0);
  CHECK(c.n_peers == 2);
  const mimi_peer_config *b = mimi_provider_config_peer(&c, "B.example");
  CHECK(b != NULL && strcmp(b->base_url, "https://b.example:9443/v1") == 0);
  CHECK(b != NULL && strcmp(b->connect_ip, "127.0.0.1") == 0);
  const mimi_peer_config *pc = mimi_provider_config_peer(&c, "c.example");
  CHECK(pc != NULL && pc->connect_ip == NULL);
  CHECK(mimi_provider_config_peer(&c, "d.example") == NULL);
  mimi_provider_config_free(&c);
  mimi_test_case();
}

static void test_minimal(void) {
  mimi_provider_config c;
  size_t line;
  CHECK_OK(parse("domain=a.example\ndb=:memory:\nbase_path=/mimi/v2\n", &c, &line));
  CHECK(strcmp(c.listen, "127.0.0.1") == 0);
  CHECK(c.port == 0);
  CHECK(c.admin_token == NULL && c.cert_file == NULL && c.n_peers == 0);
  CHECK(strcmp(c.public_url, "https://a.example/mimi/v2") == 0);
  mimi_provider_config_free(&c);
  mimi_test_case();
}

static void bad(const char *text, size_t want_line, int src_line) {
  mimi_provider_config c;
  memset(&c, 0x5a, sizeof c);
  size_t line = 12345;
  mimi_err err = parse(text, &c, &line);
  if (err != MIMI_ERR_PROVIDER_CONFIG || line != want_line)
    mimi_test_fail(__FILE__, src_line, "-> %s line %zu, expected PROVIDER_CONFIG line %zu",
                   mimi_errname(err), line, want_line);
  mimi_test_checks++;
  /* out untouched */
  CHECK(((unsigned char *)&c)[0] == 0x5a && ((unsigned char *)&c)[sizeof c - 1] == 0x5a);
}
#define BAD(text, line) bad(text, line, __LINE__)

static void test_refusals(void) {
  BAD("domain=a.example\ndb=x.db\nprot=1\n", 3);          /* unknown key */
  BAD("domain=a.example\ndomain=b.example\ndb=x\n", 2);    /* repeated */
  BAD("domain=a.example\ndb=x\nport=65536\n", 3);          /* port range */
  BAD("domain=a.example\ndb=x\nport=-1\n", 3);
  BAD("domain=a.example\ndb=x\nport=80x\n", 3);
  BAD("domain=a.example\ndb=x\nport=1\nport=2\n", 4);
  BAD("domain=A.example\ndb=x\n", 1);                      /* not lowercase */
  BAD("domain=a..example\ndb=x\n", 1);
  BAD("domain=a.example.\ndb=x\n", 1);
  BAD("domain=a.example\ndb=x\nbase_path=v1\n", 3);        /* no leading '/' */
  BAD("domain=a.example\ndb=x\nbase_path=/v1/\n", 3);
  BAD("domain=a.example\ndb=x\npublic_url=http://a.example\n", 3);
  BAD("domain=a.example\ndb=x\npeer=b.example http://b.example\n", 3);
  BAD("domain=a.example\ndb=x\npeer=b.example\n", 3);
  BAD("domain=a.example\ndb=x\npeer=b.example https://b 1.2.3.4 extra\n", 3);
  BAD("domain=a.example\ndb=x\npeer=b.example https://b\npeer=b.example https://c\n", 4);
  BAD("domain=a.example\ndb=x\njust words\n", 3);          /* no '=' */
  BAD("domain=a.example\ndb=x\n=value\n", 3);              /* empty key */
  BAD("domain=a.example\ndb=x\nkey=\n", 3);                /* empty value */
  BAD("domain=a.example\ndb=x\ncert=a b\n", 3);            /* space inside */
  BAD("db=x\n", 0);                                        /* no domain */
  BAD("domain=a.example\n", 0);                            /* no db */
  {
    const char with_nul[] = "domain=a.example\ndb=x\0\n";
    mimi_provider_config c;
    size_t line = 7;
    CHECK_ERR(mimi_provider_config_parse(with_nul, sizeof with_nul - 1, &c, &line),
              MIMI_ERR_PROVIDER_CONFIG);
    CHECK(line == 0);
  }
  mimi_provider_config c;
  size_t line;
  CHECK_ERR(mimi_provider_config_load("/nonexistent/mimid.conf", &c, &line), MIMI_ERR_NOT_FOUND);
  CHECK_ERR(mimi_provider_config_parse(NULL, 0, &c, &line), MIMI_ERR_INVALID_ARG);
  mimi_test_case();
}

int main(void) {
  test_full();
  test_minimal();
  test_refusals();
  return mimi_test_summary("test_provider_config");
}
