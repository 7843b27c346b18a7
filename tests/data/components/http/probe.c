/* probe.c: a wasi:http/incoming-handler@0.2.12 test component in C, built at
 * test time by tests/cli/real_components.py's http_c_component with the
 * bindings of examples/hello-http-c/wasi_http.h. Routes, by the path below the
 * component's route (the `spin-path-info` header a Spin host adds, else the
 * path; the query is ignored unless said):
 *
 *   /echo         200; the request body streamed back (incoming-request.consume,
 *                 incoming-body.stream, input-stream.blocking-read of up to 64 KiB
 *                 until the stream is closed, each chunk written with
 *                 blocking-write-and-flush, 4096 bytes a call); content-type is the
 *                 request's (application/octet-stream when it has none). The
 *                 response is handed over before the body is read.
 *   /headers      200 text/plain; one line `name: value` per request header, in
 *                 fields.entries order, then an empty line, then `query: Q` with
 *                 the query string (without '?'; empty when there is none).
 *   /status/NNN   the status NNN, body `status NNN\n` (empty for 1xx, 204 and 304);
 *                 a status outgoing-response.set-status-code refuses (below 100,
 *                 above 999) makes the outparam an error-code instead.
 *   /big?bytes=N  200 application/octet-stream; N bytes of 'x' (default 1 MiB),
 *                 written in 64 KiB chunks through output-stream.check-write,
 *                 write and subscribe + pollable.block, then blocking-flush.
 *   /trailers     200 text/plain, body `ok`, then outgoing-body.finish with the
 *                 trailers `x-trailer: yes`.
 *   /trap         traps (__builtin_trap) before setting the outparam.
 *   /loop         never returns: a loop without calls, before setting the outparam.
 *   /stderr       writes `probe: a line on stderr` to stderr (fprintf), then 200
 *                 text/plain `wrote to stderr\n`.
 *   /error        sets the outparam to err(internal-error(some("probe"))).
 *   anything else 404 text/plain `no route for PATH-WITH-QUERY\n`.
 *
 * Every response has the header `x-probe-method: METHOD`.
 *
 * Under the peer `jco serve` (jco 1.35.0, preview2-shim 0.26.1; default mode:
 * one instance, requests in turn): /echo, /headers, /status/NNN (101..999),
 * /big, /stderr (the line shows on jco's stderr) and 404 answer as above. It
 * leaves the `host` header out of the fields (authority carries it) and gives
 * other methods lowercased (other("purge")). /status/100: Node sends `100
 * Continue` and no final response, so the client waits. /trailers: finish with
 * trailers returns err(internal-error("trailers unsupported")); the body `ok`
 * still ends normally, without trailers. /trap, /error, /status/99 and
 * /status/1000 (its set-status-code refuses neither; Node's writeHead then
 * throws) end the whole jco serve process, the request getting an empty reply;
 * /loop blocks it for good. /trap does the same under `--isolate-requests
 * instance`. With `--isolate-requests worker`, /trap, /error and /status/99
 * answer 502 Bad Gateway, /loop never answers (no deadline; its worker spins),
 * and the server keeps serving.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasi_http.h"

static void respond_text(wasi_response_outparam out, int status, const char *method, const char *text) {
  const char *extra[] = {"x-probe-method", method, NULL};
  wasi_http_response resp;
  if (wasi_http_respond(out, status, "text/plain", extra, &resp) != 0) return;
  wasi_http_write_str(resp.stream, text);
  wasi_http_response_finish(&resp, WASI_NO_TRAILERS);
}

static void route_echo(wasi_incoming_request req, wasi_response_outparam out, const char *method) {
  wasi_fields headers = wasi_raw_incoming_request_headers(req);
  char *content_type = wasi_http_fields_get_first(headers, "content-type");
  wasi_raw_fields_drop(headers);

  wasi_ret_result_handle r;
  wasi_raw_incoming_request_consume(req, &r);
  if (r.is_err) {
    free(content_type);
    wasi_http_respond_error(out, "incoming-request.consume failed");
    return;
  }
  wasi_incoming_body body = r.handle;
  wasi_raw_incoming_body_stream(body, &r);
  if (r.is_err) {
    free(content_type);
    wasi_raw_incoming_body_drop(body);
    wasi_http_respond_error(out, "incoming-body.stream failed");
    return;
  }
  wasi_input_stream in = r.handle;

  const char *extra[] = {"x-probe-method", method, NULL};
  wasi_http_response resp;
  int ok = wasi_http_respond(out, 200, content_type ? content_type : "application/octet-stream", extra, &resp) == 0;
  free(content_type);
  while (ok) {
    wasi_ret_read rd;
    wasi_raw_input_stream_blocking_read(in, 65536, &rd);
    if (rd.is_err) {
      wasi_stream_error_drop(&rd.val.err); /* closed: the end of the body */
      break;
    }
    int w = wasi_http_write_all(resp.stream, rd.val.ok.ptr, rd.val.ok.len);
    wasi_free(rd.val.ok.ptr, rd.val.ok.len);
    if (w != 0) break;
  }
  wasi_raw_input_stream_drop(in); /* the stream before its body */
  wasi_raw_incoming_body_drop(body);
  if (ok) wasi_http_response_finish(&resp, WASI_NO_TRAILERS);
}

static void route_headers(wasi_incoming_request req, wasi_response_outparam out, const char *method,
                          const char *path) {
  wasi_fields headers = wasi_raw_incoming_request_headers(req);
  wasi_ret_field_entries e;
  wasi_raw_fields_entries(headers, &e);
  wasi_raw_fields_drop(headers);

  const char *extra[] = {"x-probe-method", method, NULL};
  wasi_http_response resp;
  int ok = wasi_http_respond(out, 200, "text/plain", extra, &resp) == 0;
  for (size_t i = 0; i < e.len; i++) {
    if (ok) {
      wasi_http_write_all(resp.stream, e.ptr[i].name, e.ptr[i].name_len);
      wasi_http_write_str(resp.stream, ": ");
      wasi_http_write_all(resp.stream, e.ptr[i].value, e.ptr[i].value_len);
      wasi_http_write_str(resp.stream, "\n");
    }
    wasi_free(e.ptr[i].name, e.ptr[i].name_len);
    wasi_free(e.ptr[i].value, e.ptr[i].value_len);
  }
  wasi_free(e.ptr, e.len);
  if (!ok) return;
  const char *q = strchr(path, '?');
  wasi_http_write_str(resp.stream, "\nquery: ");
  wasi_http_write_str(resp.stream, q ? q + 1 : "");
  wasi_http_write_str(resp.stream, "\n");
  wasi_http_response_finish(&resp, WASI_NO_TRAILERS);
}

static void route_status(wasi_response_outparam out, const char *method, const char *digits) {
  int status = atoi(digits);
  const char *extra[] = {"x-probe-method", method, NULL};
  wasi_http_response resp;
  if (wasi_http_respond(out, status, "text/plain", extra, &resp) != 0) return;
  if (!(status < 200 || status == 204 || status == 304)) {
    char text[32];
    snprintf(text, sizeof text, "status %d\n", status);
    wasi_http_write_str(resp.stream, text);
  }
  wasi_http_response_finish(&resp, WASI_NO_TRAILERS);
}

/* The write pattern blocking-write-and-flush stands for (wasi:io/streams'
 * documentation), with writes as large as check-write allows. */
static int write_polled(wasi_output_stream s, const uint8_t *p, size_t len) {
  wasi_pollable ready = wasi_raw_output_stream_subscribe(s);
  int rc = 0;
  while (len > 0) {
    wasi_ret_stream_u64 cw;
    wasi_raw_output_stream_check_write(s, &cw);
    if (cw.is_err) {
      wasi_stream_error_drop(&cw.val.err);
      rc = -1;
      break;
    }
    if (cw.val.ok == 0) {
      wasi_raw_pollable_block(ready);
      continue;
    }
    size_t n = cw.val.ok < len ? (size_t)cw.val.ok : len;
    wasi_ret_stream_unit w;
    wasi_raw_output_stream_write(s, p, n, &w);
    if (w.is_err) {
      wasi_stream_error_drop(&w.err);
      rc = -1;
      break;
    }
    p += n;
    len -= n;
  }
  wasi_raw_pollable_drop(ready); /* a child of the stream: before it */
  return rc;
}

static void route_big(wasi_response_outparam out, const char *method, const char *path) {
  const char *q = strstr(path, "bytes=");
  unsigned long long total = q ? strtoull(q + 6, NULL, 10) : 1048576;
  enum { CHUNK = 64 * 1024 };
  static uint8_t chunk[CHUNK];
  memset(chunk, 'x', sizeof chunk);

  const char *extra[] = {"x-probe-method", method, NULL};
  wasi_http_response resp;
  if (wasi_http_respond(out, 200, "application/octet-stream", extra, &resp) != 0) return;
  unsigned long long left = total;
  while (left > 0) {
    size_t n = left < CHUNK ? (size_t)left : CHUNK;
    if (write_polled(resp.stream, chunk, n) != 0) break;
    left -= n;
  }
  wasi_ret_stream_unit f;
  wasi_raw_output_stream_blocking_flush(resp.stream, &f);
  if (f.is_err) wasi_stream_error_drop(&f.err);
  wasi_http_response_finish(&resp, WASI_NO_TRAILERS);
}

static void route_trailers(wasi_response_outparam out, const char *method) {
  const char *extra[] = {"x-probe-method", method, NULL};
  wasi_http_response resp;
  if (wasi_http_respond(out, 200, "text/plain", extra, &resp) != 0) return;
  wasi_http_write_str(resp.stream, "ok");
  wasi_fields trailers = wasi_raw_fields_new();
  wasi_http_fields_append(trailers, "x-trailer", "yes");
  wasi_http_response_finish(&resp, trailers);
}

__attribute__((export_name(WASI_HTTP_HANDLE_EXPORT)))
void handle(wasi_incoming_request req, wasi_response_outparam out) {
  char *method = wasi_http_request_method(req);
  char *path = wasi_http_request_path_with_query(req);
  wasi_fields headers = wasi_raw_incoming_request_headers(req);
  char *info = wasi_http_fields_get_first(headers, "spin-path-info");
  wasi_raw_fields_drop(headers);
  const char *key = info ? info : path;
  size_t plen = info ? strlen(info) : strcspn(path, "?");
#define IS(route) (plen == strlen(route) && strncmp(key, route, plen) == 0)

  if (IS("/echo")) {
    route_echo(req, out, method);
  } else if (IS("/headers")) {
    route_headers(req, out, method, path);
  } else if (plen > 8 && strncmp(key, "/status/", 8) == 0) {
    route_status(out, method, key + 8);
  } else if (IS("/big")) {
    route_big(out, method, path);
  } else if (IS("/trailers")) {
    route_trailers(out, method);
  } else if (IS("/trap")) {
    __builtin_trap();
  } else if (IS("/loop")) {
    volatile unsigned long n = 0;
    for (;;) ++n;
  } else if (IS("/stderr")) {
    fprintf(stderr, "probe: a line on stderr\n");
    fflush(stderr);
    respond_text(out, 200, method, "wrote to stderr\n");
  } else if (IS("/error")) {
    wasi_http_respond_error(out, "probe");
  } else {
    char *text = malloc(strlen(path) + 16);
    sprintf(text, "no route for %s\n", path);
    respond_text(out, 404, method, text);
    free(text);
  }
  wasi_raw_incoming_request_drop(req);
  free(method);
  free(path);
  free(info);
}
