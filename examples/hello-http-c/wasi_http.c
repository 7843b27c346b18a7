/* wasi_http.c: cabi_realloc and the helpers declared in wasi_http.h. */
#include "wasi_http.h"

#include <stdlib.h>
#include <string.h>

/* The host allocates the lists and strings it returns (and the arguments of
 * exports that take any) through this export. malloc aligns to 16, enough
 * for every canonical-ABI alignment. */
__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *ptr, size_t old_size, size_t align, size_t new_size) {
  (void)old_size;
  if (new_size == 0) return (void *)align;
  void *p = realloc(ptr, new_size);
  if (!p) abort();
  return p;
}

void wasi_free(void *ptr, size_t len) {
  if (len) free(ptr);
}

static char *dup_n(const char *s, size_t n) {
  char *r = malloc(n + 1);
  if (!r) abort();
  memcpy(r, s, n);
  r[n] = '\0';
  return r;
}

char *wasi_http_request_method(wasi_incoming_request req) {
  static const char *const names[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"};
  wasi_ret_method m;
  wasi_raw_incoming_request_method(req, &m);
  if (m.tag == WASI_METHOD_OTHER) {
    char *r = dup_n(m.other_ptr, m.other_len);
    wasi_free(m.other_ptr, m.other_len);
    return r;
  }
  const char *n = m.tag < sizeof names / sizeof *names ? names[m.tag] : "?";
  return dup_n(n, strlen(n));
}

char *wasi_http_request_path_with_query(wasi_incoming_request req) {
  wasi_ret_option_string p;
  wasi_raw_incoming_request_path_with_query(req, &p);
  if (!p.is_some) return dup_n("", 0);
  char *r = dup_n(p.ptr, p.len);
  wasi_free(p.ptr, p.len);
  return r;
}

char *wasi_http_fields_get_first(wasi_fields fields, const char *name) {
  wasi_ret_list_list_u8 values;
  wasi_raw_fields_get(fields, name, strlen(name), &values);
  char *r = values.len ? dup_n((const char *)values.ptr[0].ptr, values.ptr[0].len) : NULL;
  for (size_t i = 0; i < values.len; i++) wasi_free(values.ptr[i].ptr, values.ptr[i].len);
  wasi_free(values.ptr, values.len);
  return r;
}

int wasi_http_fields_append(wasi_fields fields, const char *name, const char *value) {
  wasi_ret_result_header r;
  wasi_raw_fields_append(fields, name, strlen(name), (const uint8_t *)value, strlen(value), &r);
  return r.is_err ? -1 : 0;
}

void wasi_http_respond_error(wasi_response_outparam out, const char *message) {
  if (message)
    wasi_raw_response_outparam_set(out, 1, WASI_ERROR_CODE_INTERNAL_ERROR, 1, (int64_t)(uintptr_t)message,
                                   (int32_t)strlen(message), 0, 0, 0);
  else
    wasi_raw_response_outparam_set(out, 1, WASI_ERROR_CODE_INTERNAL_ERROR, 0, 0, 0, 0, 0, 0);
}

int wasi_http_respond(wasi_response_outparam out, int status, const char *content_type,
                      const char *const *extra_headers, wasi_http_response *resp) {
  wasi_fields headers = wasi_raw_fields_new();
  if (content_type && wasi_http_fields_append(headers, "content-type", content_type) != 0) goto bad_headers;
  for (const char *const *h = extra_headers; h && h[0]; h += 2)
    if (wasi_http_fields_append(headers, h[0], h[1]) != 0) goto bad_headers;

  wasi_outgoing_response response = wasi_raw_outgoing_response_new(headers); /* takes the headers */
  if (wasi_raw_outgoing_response_set_status_code(response, status) != 0) {
    wasi_raw_outgoing_response_drop(response);
    wasi_http_respond_error(out, "invalid status code");
    return -1;
  }
  wasi_ret_result_handle r;
  wasi_raw_outgoing_response_body(response, &r);
  if (r.is_err) {
    wasi_raw_outgoing_response_drop(response);
    wasi_http_respond_error(out, "outgoing-response.body failed");
    return -1;
  }
  resp->body = r.handle;
  wasi_raw_outgoing_body_write(resp->body, &r);
  if (r.is_err) {
    wasi_raw_outgoing_body_drop(resp->body);
    wasi_raw_outgoing_response_drop(response);
    wasi_http_respond_error(out, "outgoing-body.write failed");
    return -1;
  }
  resp->stream = r.handle;
  /* Hand the response over before writing the body: a host streams it from
   * here on, and a body larger than its buffers could not be written before. */
  wasi_raw_response_outparam_set(out, 0, response, 0, 0, 0, 0, 0, 0);
  return 0;

bad_headers:
  wasi_raw_fields_drop(headers);
  wasi_http_respond_error(out, "invalid header");
  return -1;
}

void wasi_stream_error_drop(const wasi_stream_error *err) {
  if (err->tag == WASI_STREAM_ERROR_LAST_OPERATION_FAILED) wasi_raw_io_error_drop(err->error);
}

int wasi_http_write_all(wasi_output_stream stream, const void *data, size_t len) {
  const uint8_t *p = data;
  while (len > 0) {
    size_t n = len < 4096 ? len : 4096;
    wasi_ret_stream_unit r;
    wasi_raw_output_stream_blocking_write_and_flush(stream, p, n, &r);
    if (r.is_err) {
      wasi_stream_error_drop(&r.err);
      return -1;
    }
    p += n;
    len -= n;
  }
  return 0;
}

int wasi_http_write_str(wasi_output_stream stream, const char *s) { return wasi_http_write_all(stream, s, strlen(s)); }

int wasi_http_response_finish(wasi_http_response *resp, wasi_fields trailers) {
  wasi_raw_output_stream_drop(resp->stream);
  wasi_ret_result_error_code r;
  if (trailers != WASI_NO_TRAILERS)
    wasi_raw_outgoing_body_finish(resp->body, 1, trailers, &r);
  else
    wasi_raw_outgoing_body_finish(resp->body, 0, 0, &r);
  return r.is_err ? -1 : 0;
}

/* ---- outbound requests -------------------------------------------------- */

const char *wasi_http_error_code_name(int error_code) {
  static const char *const names[] = {
      "DNS-timeout", "DNS-error", "destination-not-found", "destination-unavailable", "destination-IP-prohibited",
      "destination-IP-unroutable", "connection-refused", "connection-terminated", "connection-timeout",
      "connection-read-timeout", "connection-write-timeout", "connection-limit-reached", "TLS-protocol-error",
      "TLS-certificate-error", "TLS-alert-received", "HTTP-request-denied", "HTTP-request-length-required",
      "HTTP-request-body-size", "HTTP-request-method-invalid", "HTTP-request-URI-invalid", "HTTP-request-URI-too-long",
      "HTTP-request-header-section-size", "HTTP-request-header-size", "HTTP-request-trailer-section-size",
      "HTTP-request-trailer-size", "HTTP-response-incomplete", "HTTP-response-header-section-size",
      "HTTP-response-header-size", "HTTP-response-body-size", "HTTP-response-trailer-section-size",
      "HTTP-response-trailer-size", "HTTP-response-transfer-coding", "HTTP-response-content-coding",
      "HTTP-response-timeout", "HTTP-upgrade-failed", "HTTP-protocol-error", "loop-detected", "configuration-error",
      "internal-error"};
  return error_code >= 0 && error_code < (int)(sizeof names / sizeof *names) ? names[error_code] : "?";
}

/* An error-code's case and, for the cases whose payload starts with an
 * option<string> (DNS-error's rcode, internal-error), that text. */
static int take_error_code(const wasi_error_code *e, char **detail) {
  if (e->tag == WASI_ERROR_CODE_DNS_ERROR || e->tag == WASI_ERROR_CODE_INTERNAL_ERROR) {
    const wasi_ret_option_string *text = (const wasi_ret_option_string *)(const void *)e->payload;
    if (text->is_some) {
      *detail = dup_n(text->ptr, text->len);
      wasi_free(text->ptr, text->len);
    }
  }
  return e->tag;
}

static int set_text(int32_t (*set)(wasi_outgoing_request, int32_t, const char *, size_t), wasi_outgoing_request r,
                    const char *text) {
  return text ? set(r, 1, text, strlen(text)) : 0;
}

static int set_method(wasi_outgoing_request r, const char *method) {
  static const char *const names[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"};
  if (!method) return 0;
  for (int i = 0; i < (int)(sizeof names / sizeof *names); i++)
    if (strcmp(method, names[i]) == 0) return wasi_raw_outgoing_request_set_method(r, i, NULL, 0);
  return wasi_raw_outgoing_request_set_method(r, WASI_METHOD_OTHER, method, strlen(method));
}

static int set_scheme(wasi_outgoing_request r, const char *scheme) {
  if (!scheme) return 0;
  if (strcmp(scheme, "http") == 0) return wasi_raw_outgoing_request_set_scheme(r, 1, WASI_SCHEME_HTTP, NULL, 0);
  if (strcmp(scheme, "https") == 0) return wasi_raw_outgoing_request_set_scheme(r, 1, WASI_SCHEME_HTTPS, NULL, 0);
  return wasi_raw_outgoing_request_set_scheme(r, 1, WASI_SCHEME_OTHER, scheme, strlen(scheme));
}

/* Writes and finishes an outgoing body (its stream dropped first). */
static int write_body(wasi_outgoing_body body, const void *data, size_t len) {
  wasi_ret_result_handle r;
  wasi_raw_outgoing_body_write(body, &r);
  if (r.is_err) {
    wasi_raw_outgoing_body_drop(body);
    return -1;
  }
  int rc = wasi_http_write_all(r.handle, data, len);
  wasi_raw_output_stream_drop(r.handle);
  wasi_ret_result_error_code f;
  wasi_raw_outgoing_body_finish(body, 0, 0, &f);
  return rc == 0 && !f.is_err ? 0 : -1;
}

static int fail(int *error_code, char **error_detail, int code, const char *what) {
  *error_code = code;
  if (what && !*error_detail) *error_detail = dup_n(what, strlen(what));
  return -1;
}

int wasi_http_fetch(const wasi_http_fetch_request *req, wasi_http_fetch_response *resp, int *error_code,
                    char **error_detail) {
  memset(resp, 0, sizeof *resp);
  *error_code = -1;
  *error_detail = NULL;

  wasi_fields headers = wasi_raw_fields_new();
  for (const char *const *h = req->headers; h && h[0]; h += 2)
    if (wasi_http_fields_append(headers, h[0], h[1]) != 0) {
      wasi_raw_fields_drop(headers);
      return fail(error_code, error_detail, -1, "invalid request header");
    }
  wasi_outgoing_request request = wasi_raw_outgoing_request_new(headers); /* takes the headers */
  if (set_method(request, req->method) || set_scheme(request, req->scheme) ||
      set_text(wasi_raw_outgoing_request_set_authority, request, req->authority) ||
      set_text(wasi_raw_outgoing_request_set_path_with_query, request, req->path_with_query)) {
    wasi_raw_outgoing_request_drop(request);
    return fail(error_code, error_detail, -1, "an outgoing-request setter refused its value");
  }
  wasi_outgoing_body body = -1;
  if (req->body) {
    wasi_ret_result_handle r;
    wasi_raw_outgoing_request_body(request, &r);
    if (r.is_err) {
      wasi_raw_outgoing_request_drop(request);
      return fail(error_code, error_detail, -1, "outgoing-request.body failed");
    }
    body = r.handle;
    if (!req->body_after_handle && write_body(body, req->body, req->body_len) != 0) {
      wasi_raw_outgoing_request_drop(request);
      return fail(error_code, error_detail, -1, "writing the request body failed");
    }
  }

  int has_options = req->connect_timeout_ms || req->first_byte_timeout_ms || req->between_bytes_timeout_ms;
  wasi_request_options options = 0;
  if (has_options) {
    options = wasi_raw_request_options_new();
    if (req->connect_timeout_ms)
      wasi_raw_request_options_set_connect_timeout(options, 1, (uint64_t)req->connect_timeout_ms * 1000000u);
    if (req->first_byte_timeout_ms)
      wasi_raw_request_options_set_first_byte_timeout(options, 1, (uint64_t)req->first_byte_timeout_ms * 1000000u);
    if (req->between_bytes_timeout_ms)
      wasi_raw_request_options_set_between_bytes_timeout(options, 1, (uint64_t)req->between_bytes_timeout_ms * 1000000u);
  }

  wasi_ret_result_handle_error_code sent;
  wasi_raw_outgoing_handler_handle(request, has_options, options, &sent); /* takes both */
  if (sent.is_err) {
    if (req->body && req->body_after_handle) wasi_raw_outgoing_body_drop(body);
    return fail(error_code, error_detail, take_error_code(&sent.val.error, error_detail), NULL);
  }
  wasi_future_incoming_response future = sent.val.handle;
  if (req->body && req->body_after_handle && write_body(body, req->body, req->body_len) != 0) {
    wasi_raw_future_incoming_response_drop(future);
    return fail(error_code, error_detail, -1, "writing the request body failed");
  }

  wasi_pollable ready = wasi_raw_future_incoming_response_subscribe(future);
  wasi_ret_future_get got;
  for (;;) {
    wasi_raw_future_incoming_response_get(future, &got);
    if (got.is_some) break;
    wasi_raw_pollable_block(ready);
  }
  wasi_raw_pollable_drop(ready);
  wasi_raw_future_incoming_response_drop(future);
  if (got.val.is_err) return fail(error_code, error_detail, -1, "the response was taken already");
  if (got.val.val.is_err) return fail(error_code, error_detail, take_error_code(&got.val.val.val.error, error_detail), NULL);

  wasi_incoming_response response = got.val.val.val.handle;
  resp->response = response;
  resp->status = wasi_raw_incoming_response_status(response);
  resp->headers = wasi_raw_incoming_response_headers(response);
  wasi_ret_result_handle r;
  wasi_raw_incoming_response_consume(response, &r);
  if (r.is_err) {
    wasi_http_fetch_response_free(resp);
    return fail(error_code, error_detail, -1, "incoming-response.consume failed");
  }
  wasi_incoming_body in_body = r.handle;
  wasi_raw_incoming_body_stream(in_body, &r);
  if (r.is_err) {
    wasi_raw_incoming_body_drop(in_body);
    wasi_http_fetch_response_free(resp);
    return fail(error_code, error_detail, -1, "incoming-body.stream failed");
  }
  wasi_input_stream in = r.handle;
  size_t cap = 0;
  for (;;) {
    wasi_ret_read rd;
    wasi_raw_input_stream_blocking_read(in, 65536, &rd);
    if (rd.is_err) {
      wasi_stream_error_drop(&rd.val.err); /* closed: the end of the body */
      break;
    }
    if (resp->body_len + rd.val.ok.len > cap) {
      cap = (resp->body_len + rd.val.ok.len) * 2;
      resp->body = realloc(resp->body, cap);
      if (!resp->body) abort();
    }
    memcpy(resp->body + resp->body_len, rd.val.ok.ptr, rd.val.ok.len);
    resp->body_len += rd.val.ok.len;
    wasi_free(rd.val.ok.ptr, rd.val.ok.len);
  }
  wasi_raw_input_stream_drop(in); /* the stream before its body */
  wasi_raw_incoming_body_drop(in_body);
  return 0;
}

void wasi_http_fetch_response_free(wasi_http_fetch_response *resp) {
  if (resp->headers) wasi_raw_fields_drop(resp->headers);
  if (resp->response) wasi_raw_incoming_response_drop(resp->response);
  free(resp->body);
  memset(resp, 0, sizeof *resp);
}
