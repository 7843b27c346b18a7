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
