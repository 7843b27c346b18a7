/* fetch.c: a wasi:http/incoming-handler@0.2.12 test component in C that sends
 * outbound requests (wasi:http/outgoing-handler), built at test time by
 * tests/cli/real_components.py's http_c_component with the bindings of
 * examples/hello-http-c/wasi_http.h. Routes, by the path below the
 * component's route (the `spin-path-info` header, else the path):
 *
 *   /fetch?url=URL[&method=M][&header=NAME][&send=N][&late=1][&timeout_ms=T]
 *       Sends M (default GET) to URL through wasi_http_fetch: URL is
 *       scheme://authority/path?query (everything after "url=" up to the next
 *       '&' that starts one of this route's own parameters, taken as is), or
 *       a path alone ("/x": a request without scheme and authority, to the
 *       application itself). send=N: a body of N bytes of 'y' (late=1: written
 *       after outgoing-handler.handle, as streaming SDKs do). timeout_ms=T: the
 *       first-byte and between-bytes timeouts. The answer: the upstream's
 *       status and body, with `x-upstream-status: STATUS` and, for header=NAME,
 *       `x-upstream-header: VALUE` (the upstream's first NAME value; `(none)`
 *       when it has none). A failed request: 502 text/plain
 *       `error-code NAME\n` or `error-code NAME: DETAIL\n`.
 *   /fetch-twice?url=URL
 *       The same GET twice in one instance; 200 text/plain with both statuses
 *       and body lengths, `S1 L1 S2 L2\n`.
 *   anything else 404.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasi_http.h"

static void respond_text(wasi_response_outparam out, int status, const char *text) {
  wasi_http_response resp;
  if (wasi_http_respond(out, status, "text/plain", NULL, &resp) != 0) return;
  wasi_http_write_str(resp.stream, text);
  wasi_http_response_finish(&resp, WASI_NO_TRAILERS);
}

/* The value of query parameter `name` ("" when present without a value),
 * malloc'd, or NULL. The value of `url` runs to the next "&name=" of the
 * route's own parameters, so a URL keeps its own query. */
static char *param(const char *query, const char *name) {
  static const char *const own[] = {"&method=", "&header=", "&send=", "&late=", "&timeout_ms=", NULL};
  size_t n = strlen(name);
  for (const char *p = query; p && *p; p = strchr(p, '&')) {
    if (*p == '&') p++;
    if (strncmp(p, name, n) != 0 || p[n] != '=') continue;
    const char *v = p + n + 1;
    size_t len = strcspn(v, "&");
    if (strcmp(name, "url") == 0) {
      const char *end = v + strlen(v);
      for (int i = 0; own[i]; i++) {
        const char *o = strstr(v, own[i]);
        if (o && o < end) end = o;
      }
      len = (size_t)(end - v);
    }
    char *r = malloc(len + 1);
    memcpy(r, v, len);
    r[len] = '\0';
    return r;
  }
  return NULL;
}

/* "http://host:port/p?q" -> scheme, authority, path (all malloc'd); a bare path keeps scheme and authority NULL. */
static void split_url(const char *url, char **scheme, char **authority, char **path) {
  *scheme = *authority = NULL;
  const char *sep = strstr(url, "://");
  if (!sep) {
    *path = strdup(url);
    return;
  }
  *scheme = strndup(url, (size_t)(sep - url));
  const char *a = sep + 3;
  size_t alen = strcspn(a, "/?");
  *authority = strndup(a, alen);
  *path = strdup(a[alen] == '/' ? a + alen : "/");
}

static int fetch_url(const char *url, const char *method, const uint8_t *body, size_t body_len, int late,
                     uint32_t timeout_ms, wasi_http_fetch_response *resp, char **error_text) {
  wasi_http_fetch_request req;
  memset(&req, 0, sizeof req);
  char *scheme, *authority, *path;
  split_url(url, &scheme, &authority, &path);
  req.method = method;
  req.scheme = scheme;
  req.authority = authority;
  req.path_with_query = path;
  req.body = body;
  req.body_len = body_len;
  req.body_after_handle = late;
  req.first_byte_timeout_ms = req.between_bytes_timeout_ms = timeout_ms;
  int code;
  char *detail;
  int rc = wasi_http_fetch(&req, resp, &code, &detail);
  free(scheme);
  free(authority);
  free(path);
  if (rc == 0) return 0;
  const char *name = code >= 0 ? wasi_http_error_code_name(code) : "(none)";
  size_t len = strlen(name) + (detail ? strlen(detail) : 0) + 32;
  *error_text = malloc(len);
  if (detail)
    snprintf(*error_text, len, "error-code %s: %s\n", name, detail);
  else
    snprintf(*error_text, len, "error-code %s\n", name);
  free(detail);
  return -1;
}

static void route_fetch(wasi_response_outparam out, const char *query) {
  char *url = param(query, "url");
  char *method = param(query, "method");
  char *header = param(query, "header");
  char *send = param(query, "send");
  char *late = param(query, "late");
  char *timeout = param(query, "timeout_ms");
  if (!url) {
    respond_text(out, 400, "no url\n");
    goto done;
  }
  size_t body_len = send ? (size_t)strtoull(send, NULL, 10) : 0;
  uint8_t *body = send ? malloc(body_len + 1) : NULL;
  if (body) memset(body, 'y', body_len);

  wasi_http_fetch_response resp;
  char *error_text = NULL;
  if (fetch_url(url, method, body, body_len, late && strcmp(late, "1") == 0,
                timeout ? (uint32_t)strtoul(timeout, NULL, 10) : 0, &resp, &error_text) != 0) {
    respond_text(out, 502, error_text);
    free(error_text);
    free(body);
    goto done;
  }
  free(body);

  char status[16];
  snprintf(status, sizeof status, "%d", resp.status);
  char *value = header ? wasi_http_fields_get_first(resp.headers, header) : NULL;
  const char *extra[] = {"x-upstream-status", status, header ? "x-upstream-header" : NULL, value ? value : "(none)", NULL};
  wasi_http_response r;
  if (wasi_http_respond(out, resp.status, "application/octet-stream", extra, &r) == 0) {
    wasi_http_write_all(r.stream, resp.body, resp.body_len);
    wasi_http_response_finish(&r, WASI_NO_TRAILERS);
  }
  free(value);
  wasi_http_fetch_response_free(&resp);
done:
  free(url);
  free(method);
  free(header);
  free(send);
  free(late);
  free(timeout);
}

static void route_fetch_twice(wasi_response_outparam out, const char *query) {
  char *url = param(query, "url");
  if (!url) {
    respond_text(out, 400, "no url\n");
    return;
  }
  char text[128] = "";
  for (int i = 0; i < 2; i++) {
    wasi_http_fetch_response resp;
    char *error_text = NULL;
    if (fetch_url(url, NULL, NULL, 0, 0, 0, &resp, &error_text) != 0) {
      respond_text(out, 502, error_text);
      free(error_text);
      free(url);
      return;
    }
    char one[48];
    snprintf(one, sizeof one, "%s%d %zu", i ? " " : "", resp.status, resp.body_len);
    strncat(text, one, sizeof text - strlen(text) - 1);
    wasi_http_fetch_response_free(&resp);
  }
  strncat(text, "\n", sizeof text - strlen(text) - 1);
  respond_text(out, 200, text);
  free(url);
}

__attribute__((export_name(WASI_HTTP_HANDLE_EXPORT)))
void handle(wasi_incoming_request req, wasi_response_outparam out) {
  char *path = wasi_http_request_path_with_query(req);
  wasi_fields headers = wasi_raw_incoming_request_headers(req);
  char *info = wasi_http_fields_get_first(headers, "spin-path-info");
  wasi_raw_fields_drop(headers);
  const char *key = info ? info : path;
  size_t plen = info ? strlen(info) : strcspn(path, "?");
  const char *q = strchr(path, '?');
  const char *query = q ? q + 1 : "";
#define IS(route) (plen == strlen(route) && strncmp(key, route, plen) == 0)
  if (IS("/fetch"))
    route_fetch(out, query);
  else if (IS("/fetch-twice"))
    route_fetch_twice(out, query);
  else
    respond_text(out, 404, "no route\n");
  wasi_raw_incoming_request_drop(req);
  free(path);
  free(info);
}
