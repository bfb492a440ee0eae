/* test_protocol_endpoints.c — the endpoint table against the draft's
 * §"MIMI Endpoints and Framing" (method, path, bodies), request-path
 * matching with percent-decoded parameters, hostile paths with their exact
 * error codes, path building and the directory document. */
#include <jansson.h>

#include "protocol_test_util.h"

typedef struct {
  mimi_endpoint_id id;
  const char *method, *tmpl, *dir_key;
  mimi_param_kind kind;
  mimi_type_fn req, resp;
  unsigned status;
} want_ep;

/* Written from the draft: the request line of each section, the body
 * structs it names, and 201 where it says the response carries no body. */
static const want_ep want[] = {
    {MIMI_EP_DIRECTORY, "GET", "/.well-known/mimi-protocol-directory", NULL, MIMI_PARAM_NONE,
     NULL, NULL, 200},
    {MIMI_EP_KEY_MATERIAL, "POST", "/keyMaterial/{targetUser}", "keyMaterial",
     MIMI_PARAM_USER_URI, mimi_key_material_request_type, mimi_key_material_response_type, 200},
    {MIMI_EP_UPDATE, "POST", "/update/{roomId}", "update", MIMI_PARAM_ROOM_URI,
     mimi_handshake_bundle_type, mimi_update_room_response_type, 200},
    {MIMI_EP_NOTIFY, "POST", "/notify/{roomId}", "notify", MIMI_PARAM_ROOM_URI,
     mimi_fanout_message_type, NULL, 201},
    {MIMI_EP_SUBMIT_MESSAGE, "POST", "/submitMessage/{roomId}", "submitMessage",
     MIMI_PARAM_ROOM_URI, mimi_submit_message_request_type, mimi_submit_message_response_type,
     200},
    {MIMI_EP_GROUP_INFO, "POST", "/groupInfo/{roomId}", "groupInfo", MIMI_PARAM_ROOM_URI,
     mimi_group_info_request_type, mimi_group_info_response_type, 200},
    {MIMI_EP_REQUEST_CONSENT, "POST", "/requestConsent/{targetDomain}", "requestConsent",
     MIMI_PARAM_DOMAIN, mimi_consent_entry_type, NULL, 201},
    {MIMI_EP_UPDATE_CONSENT, "POST", "/updateConsent/{requesterDomain}", "updateConsent",
     MIMI_PARAM_DOMAIN, mimi_consent_entry_type, NULL, 201},
    {MIMI_EP_IDENTIFIER_QUERY, "POST", "/identifierQuery/{domain}", "identifierQuery",
     MIMI_PARAM_DOMAIN, mimi_identifier_request_type, mimi_identifier_response_type, 200},
    {MIMI_EP_REPORT_ABUSE, "POST", "/reportAbuse/{roomId}", "reportAbuse", MIMI_PARAM_ROOM_URI,
     mimi_abuse_report_type, NULL, 201},
    {MIMI_EP_PROXY_DOWNLOAD, "GET", "/proxyDownload/{downloadUrl}", "proxyDownload",
     MIMI_PARAM_HTTPS_URL, NULL, NULL, 200},
};

static void test_table(void) {
  CHECK(sizeof want / sizeof want[0] == MIMI_EP_COUNT);
  for (size_t i = 0; i < MIMI_EP_COUNT; i++) {
    const mimi_endpoint *e = mimi_endpoint_get(want[i].id);
    CHECK(e != NULL && e->id == want[i].id);
    if (e == NULL) continue;
    CHECK(strcmp(e->method, want[i].method) == 0);
    CHECK(strcmp(e->path_template, want[i].tmpl) == 0);
    CHECK((e->directory_key == NULL) == (want[i].dir_key == NULL));
    if (want[i].dir_key) CHECK(strcmp(e->directory_key, want[i].dir_key) == 0);
    CHECK(e->param_kind == want[i].kind);
    CHECK(e->request_type == want[i].req);
    CHECK(e->response_type == want[i].resp);
    CHECK(e->success_status == want[i].status);
    CHECK(e->request_is_sequence == (want[i].id == MIMI_EP_NOTIFY));
    CHECK((e->request_media_type != NULL) == (want[i].req != NULL));
    if (e->response_type != NULL)
      CHECK(strcmp(e->response_media_type, "application/octet-stream") == 0);
    mimi_test_case();
  }
  CHECK(mimi_endpoint_get(MIMI_EP_COUNT) == NULL);
  CHECK(mimi_endpoint_get((mimi_endpoint_id)-1) == NULL);
}

static void match_ok(const char *method, const char *path, const char *base,
                     mimi_endpoint_id id, const char *param) {
  mimi_route r;
  mimi_err err = mimi_endpoint_match(method, path, strlen(path), base, &r);
  if (err != MIMI_OK) {
    mimi_test_fail(__FILE__, __LINE__, "%s %s -> %s", method, path, mimi_errname(err));
    return;
  }
  CHECK(r.endpoint->id == id);
  if (param == NULL) CHECK(r.param == NULL);
  else CHECK(r.param != NULL && strcmp(r.param, param) == 0 && r.param_len == strlen(param));
  mimi_route_free(&r);
  mimi_test_case();
}

static void match_err_len(const char *method, const char *path, size_t len, const char *base,
                          mimi_err code, int line) {
  mimi_route r, sentinel;
  memset(&r, 0x5a, sizeof r);
  sentinel = r;
  mimi_err err = mimi_endpoint_match(method, path, len, base, &r);
  if (err != code)
    mimi_test_fail(__FILE__, line, "%s %.*s -> %s, expected %s", method, (int)(len > 80 ? 80 : len),
                   path, mimi_errname(err), mimi_errname(code));
  mimi_test_checks++;
  CHECK(memcmp(&r, &sentinel, sizeof r) == 0);
  mimi_test_case();
}
#define match_err(m, p, b, c) match_err_len(m, p, strlen(p), b, c, __LINE__)

#define ROOM "mimi://hub.example/r/Rl33FWLCYWOwxHrYnpWDQg"
#define ROOM_ENC "mimi%3A%2F%2Fhub.example%2Fr%2FRl33FWLCYWOwxHrYnpWDQg"
#define BOB "mimi://b.example/u/bob"
#define BOB_ENC "mimi%3A%2F%2Fb.example%2Fu%2Fbob"

static void test_match(void) {
  match_ok("GET", "/.well-known/mimi-protocol-directory", "", MIMI_EP_DIRECTORY, NULL);
  match_ok("GET", "/.well-known/mimi-protocol-directory", "/v1", MIMI_EP_DIRECTORY, NULL);
  match_ok("POST", "/keyMaterial/" BOB_ENC, "", MIMI_EP_KEY_MATERIAL, BOB);
  match_ok("POST", "/v1/keyMaterial/" BOB_ENC, "/v1", MIMI_EP_KEY_MATERIAL, BOB);
  /* lowercase hex, and ':' left raw (pchar) */
  match_ok("POST", "/keyMaterial/mimi:%2f%2fb.example%2fu%2fbob", "", MIMI_EP_KEY_MATERIAL, BOB);
  match_ok("POST", "/keyMaterial/mimi%3A%2F%2Fb.example%2Fp%2Fcrazykoala75", "",
           MIMI_EP_KEY_MATERIAL, "mimi://b.example/p/crazykoala75");
  match_ok("POST", "/update/" ROOM_ENC, "", MIMI_EP_UPDATE, ROOM);
  match_ok("POST", "/notify/" ROOM_ENC, "", MIMI_EP_NOTIFY, ROOM);
  match_ok("POST", "/submitMessage/" ROOM_ENC, "", MIMI_EP_SUBMIT_MESSAGE, ROOM);
  match_ok("POST", "/a/b/groupInfo/" ROOM_ENC, "/a/b", MIMI_EP_GROUP_INFO, ROOM);
  match_ok("POST", "/requestConsent/b.example", "", MIMI_EP_REQUEST_CONSENT, "b.example");
  match_ok("POST", "/updateConsent/a.example", "", MIMI_EP_UPDATE_CONSENT, "a.example");
  match_ok("POST", "/identifierQuery/xyz.example", "", MIMI_EP_IDENTIFIER_QUERY, "xyz.example");
  match_ok("POST", "/reportAbuse/" ROOM_ENC, "", MIMI_EP_REPORT_ABUSE, ROOM);
  match_ok("GET", "/proxyDownload/https%3A%2F%2Fassets.c.example%2Fa%2F1%3Fx%3D1", "",
           MIMI_EP_PROXY_DOWNLOAD, "https://assets.c.example/a/1?x=1");
}

static void test_hostile(void) {
  const char *b = "";
  /* traversal, raw or encoded */
  match_err("POST", "/keyMaterial/../update/" ROOM_ENC, b, MIMI_ERR_PROTO_BAD_PATH);
  match_err("POST", "/v1/../keyMaterial/" BOB_ENC, "/v1", MIMI_ERR_PROTO_BAD_PATH);
  match_err("POST", "/keyMaterial/.", b, MIMI_ERR_PROTO_BAD_PATH);
  match_err("POST", "/keyMaterial/%2e%2e", b, MIMI_ERR_PROTO_BAD_PATH);
  match_err("POST", "/keyMaterial/%2E", b, MIMI_ERR_PROTO_BAD_PATH);
  match_err("POST", "/notify/mimi%3A%2F%2Fhub.example%2Fr%2Fa%2F..%2Fb", b,
            MIMI_ERR_PROTO_BAD_PARAM);
  /* a raw '/' splits the parameter */
  match_err("POST", "/keyMaterial/mimi://b.example/u/bob", b, MIMI_ERR_PROTO_BAD_PATH);
  match_err("POST", "/keyMaterial/a/b", b, MIMI_ERR_PROTO_BAD_PATH);
  match_err("POST", "/keyMaterial", b, MIMI_ERR_PROTO_BAD_PATH);
  match_err("POST", "/keyMaterial/", b, MIMI_ERR_PROTO_BAD_PATH);
  match_err("POST", "//keyMaterial/" BOB_ENC, b, MIMI_ERR_PROTO_BAD_PATH);
  match_err("POST", "/", b, MIMI_ERR_PROTO_BAD_PATH);
  match_err("POST", "", b, MIMI_ERR_PROTO_BAD_PATH);
  match_err("POST", "keyMaterial/" BOB_ENC, b, MIMI_ERR_PROTO_BAD_PATH);
  /* query, fragment, space, non-ASCII, NUL, backslash */
  match_err("POST", "/keyMaterial/" BOB_ENC "?x=1", b, MIMI_ERR_PROTO_BAD_PATH);
  match_err("POST", "/keyMaterial/" BOB_ENC "#f", b, MIMI_ERR_PROTO_BAD_PATH);
  match_err("POST", "/keyMaterial/a b", b, MIMI_ERR_PROTO_BAD_PATH);
  match_err("POST", "/keyMaterial/\xc3\xa9", b, MIMI_ERR_PROTO_BAD_PATH);
  match_err("POST", "/keyMaterial/a\\b", b, MIMI_ERR_PROTO_BAD_PATH);
  match_err_len("POST", "/keyMaterial/a\0b", 16, b, MIMI_ERR_PROTO_BAD_PATH, __LINE__);
  match_err_len("POST", "/keyMaterial/a\0b", 15, b, MIMI_ERR_PROTO_BAD_PATH, __LINE__);
  /* percent-encoding */
  match_err("POST", "/keyMaterial/abc%2", b, MIMI_ERR_PROTO_BAD_PERCENT);
  match_err("POST", "/keyMaterial/abc%", b, MIMI_ERR_PROTO_BAD_PERCENT);
  match_err("POST", "/keyMaterial/%zz" BOB_ENC, b, MIMI_ERR_PROTO_BAD_PERCENT);
  match_err("POST", "/keyMaterial/%g1", b, MIMI_ERR_PROTO_BAD_PERCENT);
  match_err("POST", "/keyMaterial/" BOB_ENC "%00", b, MIMI_ERR_PROTO_BAD_PARAM);
  match_err("POST", "/keyMaterial/" BOB_ENC "%0a", b, MIMI_ERR_PROTO_BAD_PARAM);
  match_err("POST", "/keyMaterial/" BOB_ENC "%7F", b, MIMI_ERR_PROTO_BAD_PARAM);
  /* wrong method */
  match_err("GET", "/keyMaterial/" BOB_ENC, b, MIMI_ERR_PROTO_BAD_METHOD);
  match_err("post", "/keyMaterial/" BOB_ENC, b, MIMI_ERR_PROTO_BAD_METHOD);
  match_err("POST", "/.well-known/mimi-protocol-directory", b, MIMI_ERR_PROTO_BAD_METHOD);
  match_err("POST", "/proxyDownload/https%3A%2F%2Fc.example%2Fa", b, MIMI_ERR_PROTO_BAD_METHOD);
  match_err("DELETE", "/notify/" ROOM_ENC, b, MIMI_ERR_PROTO_BAD_METHOD);
  /* unknown endpoint */
  match_err("POST", "/keymaterial/" BOB_ENC, b, MIMI_ERR_PROTO_UNKNOWN_ENDPOINT);
  match_err("POST", "/v2/keyMaterial/" BOB_ENC, "/v1", MIMI_ERR_PROTO_UNKNOWN_ENDPOINT);
  match_err("POST", "/keyMaterial/" BOB_ENC, "/v1", MIMI_ERR_PROTO_UNKNOWN_ENDPOINT);
  match_err("POST", "/v1", "/v1", MIMI_ERR_PROTO_UNKNOWN_ENDPOINT);
  match_err("GET", "/.well-known/other", b, MIMI_ERR_PROTO_UNKNOWN_ENDPOINT);
  /* parameter of the wrong kind */
  match_err("POST", "/keyMaterial/" ROOM_ENC, b, MIMI_ERR_PROTO_BAD_PARAM);
  match_err("POST", "/update/" BOB_ENC, b, MIMI_ERR_PROTO_BAD_PARAM);
  match_err("POST", "/update/room", b, MIMI_ERR_PROTO_BAD_PARAM);
  match_err("POST", "/requestConsent/" BOB_ENC, b, MIMI_ERR_PROTO_BAD_PARAM);
  match_err("POST", "/requestConsent/b.example:443", b, MIMI_ERR_PROTO_BAD_PARAM);
  match_err("POST", "/identifierQuery/user@b.example", b, MIMI_ERR_PROTO_BAD_PARAM);
  match_err("POST", "/identifierQuery/-bad-.example", b, MIMI_ERR_PROTO_BAD_PARAM);
  match_err("GET", "/proxyDownload/http%3A%2F%2Fc.example%2Fa", b, MIMI_ERR_PROTO_BAD_PARAM);
  match_err("GET", "/proxyDownload/https%3A%2F%2Fu%40c.example%2Fa", b, MIMI_ERR_PROTO_BAD_PARAM);
  match_err("GET", "/proxyDownload/https%3A%2F%2F%2Fa", b, MIMI_ERR_PROTO_BAD_PARAM);
  match_err("GET", "/proxyDownload/https%3A%2F%2Fc.example%2Fa%23frag", b,
            MIMI_ERR_PROTO_BAD_PARAM);
  match_err("GET", "/proxyDownload/https%3A%2F%2Fc.example%2Fa%20b", b, MIMI_ERR_PROTO_BAD_PARAM);

  /* length: one over the limit is refused before anything else; at the
   * limit the path is parsed (and its parameter is no URI) */
  size_t n = MIMI_PROTO_MAX_PATH + 1;
  char *longp = malloc(n + 1);
  memcpy(longp, "/keyMaterial/", 13);
  memset(longp + 13, 'a', n - 13);
  longp[n] = '\0';
  match_err_len("POST", longp, n, b, MIMI_ERR_PROTO_PATH_TOO_LONG, __LINE__);
  match_err_len("POST", longp, n - 1, b, MIMI_ERR_PROTO_BAD_PARAM, __LINE__);
  free(longp);

  /* bad arguments */
  mimi_route r;
  CHECK_ERR(mimi_endpoint_match(NULL, "/", 1, "", &r), MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mimi_endpoint_match("GET", "/", 1, "v1", &r), MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mimi_endpoint_match("GET", "/", 1, "/v1/", &r), MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mimi_endpoint_match("GET", "/", 1, "", NULL), MIMI_ERR_INVALID_ARG);
}

static void test_path_build(void) {
  char *p = NULL;
  CHECK_OK(mimi_endpoint_path(MIMI_EP_KEY_MATERIAL, "/v1", BOB, &p));
  CHECK(p && strcmp(p, "/v1/keyMaterial/mimi%3A%2F%2Fb.example%2Fu%2Fbob") == 0);
  mimi_route r;
  CHECK_OK(mimi_endpoint_match("POST", p, strlen(p), "/v1", &r));
  CHECK(r.endpoint->id == MIMI_EP_KEY_MATERIAL && strcmp(r.param, BOB) == 0);
  mimi_route_free(&r);
  free(p);
  CHECK_OK(mimi_endpoint_path(MIMI_EP_NOTIFY, "", ROOM, &p));
  CHECK(p && strcmp(p, "/notify/" ROOM_ENC) == 0);
  free(p);
  CHECK_OK(mimi_endpoint_path(MIMI_EP_DIRECTORY, "/v1", NULL, &p));
  CHECK(p && strcmp(p, "/.well-known/mimi-protocol-directory") == 0);
  free(p);
  p = NULL;
  CHECK_ERR(mimi_endpoint_path(MIMI_EP_UPDATE, "", BOB, &p), MIMI_ERR_PROTO_BAD_PARAM);
  CHECK_ERR(mimi_endpoint_path(MIMI_EP_REQUEST_CONSENT, "", "..", &p), MIMI_ERR_PROTO_BAD_PARAM);
  CHECK_ERR(mimi_endpoint_path(MIMI_EP_REQUEST_CONSENT, "", "a\nb", &p), MIMI_ERR_PROTO_BAD_PARAM);
  CHECK_ERR(mimi_endpoint_path(MIMI_EP_UPDATE, "", NULL, &p), MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mimi_endpoint_path(MIMI_EP_COUNT, "", ROOM, &p), MIMI_ERR_INVALID_ARG);
  CHECK(p == NULL);
  mimi_test_case();
}

/* The directory of §Directory, with the example's two typos fixed (the
 * ':' after "proxyDownload", the '/' in "update/{roomId}") and the consent
 * parameters as the endpoint sections name them. */
static const char *want_directory =
    "{\n"
    "  \"keyMaterial\": \"https://mimi.example.com/v1/keyMaterial/{targetUser}\",\n"
    "  \"update\": \"https://mimi.example.com/v1/update/{roomId}\",\n"
    "  \"notify\": \"https://mimi.example.com/v1/notify/{roomId}\",\n"
    "  \"submitMessage\": \"https://mimi.example.com/v1/submitMessage/{roomId}\",\n"
    "  \"groupInfo\": \"https://mimi.example.com/v1/groupInfo/{roomId}\",\n"
    "  \"requestConsent\": \"https://mimi.example.com/v1/requestConsent/{targetDomain}\",\n"
    "  \"updateConsent\": \"https://mimi.example.com/v1/updateConsent/{requesterDomain}\",\n"
    "  \"identifierQuery\": \"https://mimi.example.com/v1/identifierQuery/{domain}\",\n"
    "  \"reportAbuse\": \"https://mimi.example.com/v1/reportAbuse/{roomId}\",\n"
    "  \"proxyDownload\": \"https://mimi.example.com/v1/proxyDownload/{downloadUrl}\"\n"
    "}\n";

static void test_directory(void) {
  char *d = NULL;
  CHECK_OK(mimi_directory_render("https://mimi.example.com/v1", &d));
  CHECK(d && strcmp(d, want_directory) == 0);
  json_error_t jerr;
  json_t *j = d ? json_loads(d, 0, &jerr) : NULL;
  CHECK(j != NULL && json_is_object(j) && json_object_size(j) == MIMI_EP_COUNT - 1);
  json_decref(j);
  free(d);
  d = NULL;
  CHECK_ERR(mimi_directory_render("https://x.example/\"", &d), MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mimi_directory_render("https://x.example/", &d), MIMI_ERR_INVALID_ARG);
  CHECK_ERR(mimi_directory_render("https://x.example/a b", &d), MIMI_ERR_INVALID_ARG);
  CHECK(d == NULL);
  mimi_test_case();
}

/* The §Directory example as published: not JSON (no ':' after
 * "proxyDownload"). */
static const char *draft_directory =
    "{\n"
    "  \"keyMaterial\":\n"
    "     \"https://mimi.example.com/v1/keyMaterial/{targetUser}\",\n"
    "  \"update\": \"https://mimi.example.com/v1/update{roomId}\",\n"
    "  \"notify\": \"https://mimi.example.com/v1/notify/{roomId}\",\n"
    "  \"submitMessage\":\n"
    "     \"https://mimi.example.com/v1/submitMessage/{roomId}\",\n"
    "  \"groupInfo\":\n"
    "     \"https://mimi.example.com/v1/groupInfo/{roomId}\",\n"
    "  \"requestConsent\":\n"
    "     \"https://mimi.example.com/v1/requestConsent/{targetUser}\",\n"
    "  \"updateConsent\":\n"
    "     \"https://mimi.example.com/v1/updateConsent/{requesterUser}\",\n"
    "  \"identifierQuery\":\n"
    "     \"https://mimi.example.com/v1/identifierQuery/{domain}\",\n"
    "  \"reportAbuse\":\n"
    "     \"https://mimi.example.com/v1/reportAbuse/{roomId}\",\n"
    "  \"proxyDownload\"\n"
    "     \"https://mimi.example.com/v1/proxyDownload/{downloadUrl}\"\n"
    "}\n";

static void dir_err(const char *json, mimi_err code, int line) {
  mimi_directory d;
  memset(&d, 0x5a, sizeof d);
  mimi_err err = mimi_directory_parse(json, strlen(json), &d);
  if (err != code)
    mimi_test_fail(__FILE__, line, "parse %s -> %s, expected %s", json, mimi_errname(err),
                   mimi_errname(code));
  mimi_test_checks++;
  if (err == MIMI_OK) mimi_directory_free(&d);
  else CHECK(((const unsigned char *)&d)[0] == 0x5a);
  mimi_test_case();
}

static void test_directory_parse(void) {
  mimi_directory d;
  CHECK_OK(mimi_directory_parse(want_directory, strlen(want_directory), &d));
  for (int i = 1; i < MIMI_EP_COUNT; i++) CHECK(d.url[i] != NULL);
  CHECK(d.url[MIMI_EP_DIRECTORY] == NULL);
  char *u = NULL;
  CHECK_OK(mimi_directory_url(&d, MIMI_EP_KEY_MATERIAL, BOB, &u));
  CHECK(u && strcmp(u, "https://mimi.example.com/v1/keyMaterial/" BOB_ENC) == 0);
  free(u);
  CHECK_OK(mimi_directory_url(&d, MIMI_EP_PROXY_DOWNLOAD, "https://c.example/a?b=1", &u));
  CHECK(u && strcmp(u, "https://mimi.example.com/v1/proxyDownload/"
                       "https%3A%2F%2Fc.example%2Fa%3Fb%3D1") == 0);
  free(u);
  u = NULL;
  CHECK_ERR(mimi_directory_url(&d, MIMI_EP_UPDATE, BOB, &u), MIMI_ERR_PROTO_BAD_PARAM);
  CHECK_ERR(mimi_directory_url(&d, MIMI_EP_DIRECTORY, BOB, &u), MIMI_ERR_INVALID_ARG);
  CHECK(u == NULL);
  mimi_directory_free(&d);
  mimi_test_case();

  /* the draft's example as published is refused; with the ':' restored it
   * reads, including its "update{roomId}" template */
  dir_err(draft_directory, MIMI_ERR_PROTO_BAD_DIRECTORY, __LINE__);
  char *fixed = strdup(draft_directory);
  char *pd = strstr(fixed, "\"proxyDownload\"");
  CHECK(pd != NULL);
  if (pd) pd[15] = ':'; /* the newline after the key */
  CHECK_OK(mimi_directory_parse(fixed, strlen(fixed), &d));
  CHECK_OK(mimi_directory_url(&d, MIMI_EP_UPDATE, ROOM, &u));
  CHECK(u && strcmp(u, "https://mimi.example.com/v1/update" ROOM_ENC) == 0);
  free(u);
  CHECK_OK(mimi_directory_url(&d, MIMI_EP_REQUEST_CONSENT, "b.example", &u));
  CHECK(u && strcmp(u, "https://mimi.example.com/v1/requestConsent/b.example") == 0);
  free(u);
  mimi_directory_free(&d);
  free(fixed);

  CHECK_OK(mimi_directory_parse("{}", 2, &d));
  CHECK_ERR(mimi_directory_url(&d, MIMI_EP_NOTIFY, ROOM, &u), MIMI_ERR_NOT_FOUND);
  mimi_directory_free(&d);
  const char *escaped = " { \"future\" : \"x\" ,\"notify\":"
                        "\"https:\\/\\/h.example\\/n\\u002F{r}\"} \n";
  CHECK_OK(mimi_directory_parse(escaped, strlen(escaped), &d));
  CHECK(d.url[MIMI_EP_NOTIFY] && strcmp(d.url[MIMI_EP_NOTIFY], "https://h.example/n/{r}") == 0);
  mimi_directory_free(&d);

  dir_err("", MIMI_ERR_PROTO_BAD_DIRECTORY, __LINE__);
  dir_err("[]", MIMI_ERR_PROTO_BAD_DIRECTORY, __LINE__);
  dir_err("{", MIMI_ERR_PROTO_BAD_DIRECTORY, __LINE__);
  dir_err("{}x", MIMI_ERR_PROTO_BAD_DIRECTORY, __LINE__);
  dir_err("{\"notify\": 1}", MIMI_ERR_PROTO_BAD_DIRECTORY, __LINE__);
  dir_err("{\"x\": {}}", MIMI_ERR_PROTO_BAD_DIRECTORY, __LINE__);
  dir_err("{\"notify\": \"https://h/{a}\",}", MIMI_ERR_PROTO_BAD_DIRECTORY, __LINE__);
  dir_err("{\"notify\": \"https://h/{a}\", \"notify\": \"https://h/{a}\"}",
          MIMI_ERR_PROTO_BAD_DIRECTORY, __LINE__);
  dir_err("{\"notify\": \"http://h/{a}\"}", MIMI_ERR_PROTO_BAD_DIRECTORY, __LINE__);
  dir_err("{\"notify\": \"https://h/notify\"}", MIMI_ERR_PROTO_BAD_DIRECTORY, __LINE__);
  dir_err("{\"notify\": \"https://h/{a}/{b}\"}", MIMI_ERR_PROTO_BAD_DIRECTORY, __LINE__);
  dir_err("{\"notify\": \"https://h/{a}x\"}", MIMI_ERR_PROTO_BAD_DIRECTORY, __LINE__);
  dir_err("{\"notify\": \"https://h/{a-b}\"}", MIMI_ERR_PROTO_BAD_DIRECTORY, __LINE__);
  dir_err("{\"notify\": \"https://h/\u00e9{a}\"}", MIMI_ERR_PROTO_BAD_DIRECTORY, __LINE__);
  dir_err("{\"notify\": \"https://h/\\u00e9{a}\"}", MIMI_ERR_PROTO_BAD_DIRECTORY, __LINE__);
  dir_err("{\"notify\": \"https://h/\\n{a}\"}", MIMI_ERR_PROTO_BAD_DIRECTORY, __LINE__);
  dir_err("{\"notify\": \"https://h/\\u00{a}\"}", MIMI_ERR_PROTO_BAD_DIRECTORY, __LINE__);
  dir_err("{\"notify\": \"https://h/{a}", MIMI_ERR_PROTO_BAD_DIRECTORY, __LINE__);
  char *big = malloc(65538);
  memset(big, ' ', 65537);
  big[0] = '{';
  big[65536] = '}';
  big[65537] = '\0';
  dir_err(big, MIMI_ERR_TOO_LARGE, __LINE__);
  big[65535] = '}';
  big[65536] = '\0';
  dir_err(big, MIMI_OK, __LINE__);
  free(big);
}

int main(void) {
  test_table();
  test_match();
  test_hostile();
  test_path_build();
  test_directory();
  test_directory_parse();
  pt_cleanup();
  return mimi_test_summary("test_protocol_endpoints");
}
