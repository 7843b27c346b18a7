/* wasi_http.h: hand-written canonical-ABI bindings for the part of
 * wasi:http/types@0.2.12, wasi:http/outgoing-handler@0.2.12 and
 * wasi:io/{streams,poll,error}@0.2.12 that a wasi:http/incoming-handler in C
 * needs, outbound requests included (there is no wit-bindgen offline).
 *
 * Two layers:
 *  - wasi_raw_*: the core imports exactly as wit-component lowers them
 *    (import module = the interface, import name = "[constructor]R",
 *    "[method]R.f", "[static]R.f" or "[resource-drop]R"). Only the functions a
 *    program calls become imports of its core module.
 *  - wasi_http_*: small helpers over them (wasi_http.c), enough for handlers.
 *
 * Canonical ABI rules used here (MAX_FLAT_PARAMS 16, MAX_FLAT_RESULTS 1):
 *  - a resource handle (own or borrow) is one i32;
 *  - a string or list<T> is (ptr, len); lists the host returns are allocated
 *    with this module's cabi_realloc (malloc), so the caller frees them with
 *    wasi_free(ptr, len): an empty one got no block (cabi_realloc answers a
 *    zero-size request with the alignment, as wit-bindgen's does);
 *  - a result that flattens to more than one value (any result with a
 *    payload, any option, any list, string or variant with a payload) comes
 *    back through a return pointer: one extra trailing i32 parameter pointing
 *    at memory laid out as the wasi_ret_* structs below (checked by
 *    _Static_assert on wasm32);
 *  - result<_, _> without payloads, u16 and handles return directly as i32;
 *  - a parameter of variant type is flattened: discriminant, then the joined
 *    payload slots (i32 next to i64 widens the slot to i64), see
 *    wasi_raw_response_outparam_set.
 *
 * The handler itself is exported by the program as
 *   __attribute__((export_name("wasi:http/incoming-handler@0.2.12#handle")))
 *   void handle(wasi_incoming_request request, wasi_response_outparam out);
 * (two i32 handles, both owned by the callee). wasi_http.c exports
 * cabi_realloc.
 */
#ifndef WASI_HTTP_H
#define WASI_HTTP_H

#include <stddef.h>
#include <stdint.h>

#define WASI_HTTP_VERSION "0.2.12"
#define WASI_HTTP_TYPES "wasi:http/types@0.2.12"
#define WASI_IO_STREAMS "wasi:io/streams@0.2.12"
#define WASI_IO_POLL "wasi:io/poll@0.2.12"
#define WASI_IO_ERROR "wasi:io/error@0.2.12"
#define WASI_HTTP_OUTGOING_HANDLER "wasi:http/outgoing-handler@0.2.12"
#define WASI_HTTP_HANDLE_EXPORT "wasi:http/incoming-handler@0.2.12#handle"

#define WASI_IMPORT(module, name) __attribute__((import_module(module), import_name(name)))

/* Resource handles. */
typedef int32_t wasi_fields;             /* wasi:http/types fields (also headers, trailers) */
typedef int32_t wasi_incoming_request;
typedef int32_t wasi_incoming_body;
typedef int32_t wasi_outgoing_response;
typedef int32_t wasi_outgoing_body;
typedef int32_t wasi_response_outparam;
typedef int32_t wasi_future_trailers;
typedef int32_t wasi_outgoing_request;
typedef int32_t wasi_request_options;
typedef int32_t wasi_future_incoming_response;
typedef int32_t wasi_incoming_response;
typedef int32_t wasi_input_stream;       /* wasi:io/streams */
typedef int32_t wasi_output_stream;
typedef int32_t wasi_pollable;           /* wasi:io/poll */
typedef int32_t wasi_io_error;           /* wasi:io/error */

/* ---- return areas (memory layouts of the results) ---------------------- */

/* option<string>: u8 discriminant @0, ptr @4, len @8 */
typedef struct { uint8_t is_some; char *ptr; size_t len; } wasi_ret_option_string;

/* result<own<R>> (also result<own<R>, E> with a one-byte E that we ignore):
 * u8 discriminant @0 (0 = ok), handle @4 */
typedef struct { uint8_t is_err; int32_t handle; } wasi_ret_result_handle;

/* result<_, header-error>: u8 @0, header-error enum u8 @1 */
typedef struct { uint8_t is_err; uint8_t error; } wasi_ret_result_header;

/* variant method { get, head, post, put, delete, connect, options, trace,
 * patch, other(string) }: u8 @0, string @4 */
enum { WASI_METHOD_GET, WASI_METHOD_HEAD, WASI_METHOD_POST, WASI_METHOD_PUT, WASI_METHOD_DELETE,
       WASI_METHOD_CONNECT, WASI_METHOD_OPTIONS, WASI_METHOD_TRACE, WASI_METHOD_PATCH, WASI_METHOD_OTHER };
typedef struct { uint8_t tag; char *other_ptr; size_t other_len; } wasi_ret_method;

/* list<u8> */
typedef struct { uint8_t *ptr; size_t len; } wasi_list_u8;
/* list<list<u8>> (fields.get) */
typedef struct { wasi_list_u8 *ptr; size_t len; } wasi_ret_list_list_u8;
/* list<tuple<string, list<u8>>> (fields.entries): elements of 16 bytes */
typedef struct { char *name; size_t name_len; uint8_t *value; size_t value_len; } wasi_field_entry;
typedef struct { wasi_field_entry *ptr; size_t len; } wasi_ret_field_entries;

/* variant stream-error { last-operation-failed(own<error>), closed }:
 * u8 @0, handle @4 (size 8, align 4) */
enum { WASI_STREAM_ERROR_LAST_OPERATION_FAILED = 0, WASI_STREAM_ERROR_CLOSED = 1 };
typedef struct { uint8_t tag; wasi_io_error error; } wasi_stream_error;

/* result<list<u8>, stream-error>: u8 @0, payload @4 (list ptr/len or stream-error) */
typedef struct {
  uint8_t is_err;
  union { wasi_list_u8 ok; wasi_stream_error err; } val;
} wasi_ret_read;

/* result<_, stream-error>: u8 @0, stream-error @4 */
typedef struct { uint8_t is_err; wasi_stream_error err; } wasi_ret_stream_unit;

/* result<u64, stream-error>: u8 @0, payload @8 (u64 aligns the payload to 8) */
typedef struct {
  uint8_t is_err;
  union { uint64_t ok; wasi_stream_error err; } val;
} wasi_ret_stream_u64;

/* result<_, error-code>: u8 @0, error-code @8. error-code is a variant of 39
 * cases whose largest payload, option<field-size-payload>, takes 24 bytes and
 * whose most aligned one, option<u64>, aligns it to 8: u8 tag @0, payload @8,
 * size 32. The whole result is 40 bytes, aligned to 8. */
typedef struct {
  uint8_t is_err;
  struct { uint8_t tag; uint8_t payload[24] __attribute__((aligned(8))); } error __attribute__((aligned(8)));
} wasi_ret_result_error_code;

/* error-code case numbers used here (0-based, in WIT order) */
enum { WASI_ERROR_CODE_DNS_ERROR = 1, WASI_ERROR_CODE_HTTP_REQUEST_DENIED = 15,
       WASI_ERROR_CODE_HTTP_RESPONSE_INCOMPLETE = 25, WASI_ERROR_CODE_INTERNAL_ERROR = 38 };

/* error-code by itself: u8 tag @0, payload @8 (size 32, align 8). The
 * payloads of DNS-error (rcode) and internal-error start with an
 * option<string>: u8 @8, ptr @12, len @16. */
typedef struct { uint8_t tag; uint8_t payload[24] __attribute__((aligned(8))); } wasi_error_code;

/* result<own<R>, error-code> (outgoing-handler.handle): u8 @0, payload @8
 * (the handle, or the error-code); 40 bytes, aligned to 8. */
typedef struct {
  uint8_t is_err;
  union { int32_t handle; wasi_error_code error; } val __attribute__((aligned(8)));
} wasi_ret_result_handle_error_code;

/* option<result<result<own<incoming-response>, error-code>>>
 * (future-incoming-response.get): option u8 @0; outer result u8 @8 (err:
 * the response was taken already); inner result u8 @16; handle or
 * error-code @24. 56 bytes, aligned to 8. */
typedef struct {
  uint8_t is_some;
  struct {
    uint8_t is_err;
    wasi_ret_result_handle_error_code val __attribute__((aligned(8)));
  } val __attribute__((aligned(8)));
} wasi_ret_future_get;

#if defined(__wasm32__)
_Static_assert(sizeof(wasi_ret_option_string) == 12 && offsetof(wasi_ret_option_string, ptr) == 4, "option<string>");
_Static_assert(sizeof(wasi_ret_result_handle) == 8 && offsetof(wasi_ret_result_handle, handle) == 4, "result<own>");
_Static_assert(sizeof(wasi_ret_result_header) == 2, "result<_, header-error>");
_Static_assert(sizeof(wasi_ret_method) == 12 && offsetof(wasi_ret_method, other_ptr) == 4, "method");
_Static_assert(sizeof(wasi_field_entry) == 16, "tuple<string, list<u8>>");
_Static_assert(sizeof(wasi_ret_read) == 12 && offsetof(wasi_ret_read, val) == 4, "result<list<u8>, stream-error>");
_Static_assert(sizeof(wasi_ret_stream_unit) == 12 && offsetof(wasi_ret_stream_unit, err.error) == 8, "result<_, stream-error>");
_Static_assert(sizeof(wasi_ret_stream_u64) == 16 && offsetof(wasi_ret_stream_u64, val) == 8, "result<u64, stream-error>");
_Static_assert(sizeof(wasi_ret_result_error_code) == 40 && offsetof(wasi_ret_result_error_code, error) == 8 &&
               _Alignof(wasi_ret_result_error_code) == 8, "result<_, error-code>");
_Static_assert(sizeof(wasi_error_code) == 32 && offsetof(wasi_error_code, payload) == 8 && _Alignof(wasi_error_code) == 8,
               "error-code");
_Static_assert(sizeof(wasi_ret_result_handle_error_code) == 40 && offsetof(wasi_ret_result_handle_error_code, val) == 8,
               "result<own, error-code>");
_Static_assert(sizeof(wasi_ret_future_get) == 56 && offsetof(wasi_ret_future_get, val) == 8 &&
               offsetof(wasi_ret_future_get, val.val) == 16 && offsetof(wasi_ret_future_get, val.val.val) == 24 &&
               _Alignof(wasi_ret_future_get) == 8, "option<result<result<own, error-code>>>");
#endif

/* ---- wasi:http/types@0.2.12 --------------------------------------------- */

/* fields */
WASI_IMPORT(WASI_HTTP_TYPES, "[constructor]fields")
wasi_fields wasi_raw_fields_new(void);
WASI_IMPORT(WASI_HTTP_TYPES, "[method]fields.append")
void wasi_raw_fields_append(wasi_fields self, const char *name, size_t name_len, const uint8_t *value,
                            size_t value_len, wasi_ret_result_header *ret);
WASI_IMPORT(WASI_HTTP_TYPES, "[method]fields.get")
void wasi_raw_fields_get(wasi_fields self, const char *name, size_t name_len, wasi_ret_list_list_u8 *ret);
WASI_IMPORT(WASI_HTTP_TYPES, "[method]fields.entries")
void wasi_raw_fields_entries(wasi_fields self, wasi_ret_field_entries *ret);
WASI_IMPORT(WASI_HTTP_TYPES, "[resource-drop]fields")
void wasi_raw_fields_drop(wasi_fields self);

/* incoming-request */
WASI_IMPORT(WASI_HTTP_TYPES, "[method]incoming-request.method")
void wasi_raw_incoming_request_method(wasi_incoming_request self, wasi_ret_method *ret);
WASI_IMPORT(WASI_HTTP_TYPES, "[method]incoming-request.path-with-query")
void wasi_raw_incoming_request_path_with_query(wasi_incoming_request self, wasi_ret_option_string *ret);
WASI_IMPORT(WASI_HTTP_TYPES, "[method]incoming-request.authority")
void wasi_raw_incoming_request_authority(wasi_incoming_request self, wasi_ret_option_string *ret);
/* own<fields>, immutable, a child of the request: drop it before the request */
WASI_IMPORT(WASI_HTTP_TYPES, "[method]incoming-request.headers")
wasi_fields wasi_raw_incoming_request_headers(wasi_incoming_request self);
/* result<own<incoming-body>>: ok the first time only */
WASI_IMPORT(WASI_HTTP_TYPES, "[method]incoming-request.consume")
void wasi_raw_incoming_request_consume(wasi_incoming_request self, wasi_ret_result_handle *ret);
WASI_IMPORT(WASI_HTTP_TYPES, "[resource-drop]incoming-request")
void wasi_raw_incoming_request_drop(wasi_incoming_request self);

/* incoming-body */
WASI_IMPORT(WASI_HTTP_TYPES, "[method]incoming-body.stream")
void wasi_raw_incoming_body_stream(wasi_incoming_body self, wasi_ret_result_handle *ret);
WASI_IMPORT(WASI_HTTP_TYPES, "[static]incoming-body.finish")
wasi_future_trailers wasi_raw_incoming_body_finish(wasi_incoming_body self);
WASI_IMPORT(WASI_HTTP_TYPES, "[resource-drop]incoming-body")
void wasi_raw_incoming_body_drop(wasi_incoming_body self);
WASI_IMPORT(WASI_HTTP_TYPES, "[resource-drop]future-trailers")
void wasi_raw_future_trailers_drop(wasi_future_trailers self);

/* outgoing-response: the constructor takes ownership of the headers */
WASI_IMPORT(WASI_HTTP_TYPES, "[constructor]outgoing-response")
wasi_outgoing_response wasi_raw_outgoing_response_new(wasi_fields headers);
/* result (no payloads) flattens to one i32: 0 ok, 1 invalid status */
WASI_IMPORT(WASI_HTTP_TYPES, "[method]outgoing-response.set-status-code")
int32_t wasi_raw_outgoing_response_set_status_code(wasi_outgoing_response self, int32_t status);
WASI_IMPORT(WASI_HTTP_TYPES, "[method]outgoing-response.body")
void wasi_raw_outgoing_response_body(wasi_outgoing_response self, wasi_ret_result_handle *ret);
WASI_IMPORT(WASI_HTTP_TYPES, "[resource-drop]outgoing-response")
void wasi_raw_outgoing_response_drop(wasi_outgoing_response self);

/* outgoing-body */
WASI_IMPORT(WASI_HTTP_TYPES, "[method]outgoing-body.write")
void wasi_raw_outgoing_body_write(wasi_outgoing_body self, wasi_ret_result_handle *ret);
/* finish(this: own<outgoing-body>, trailers: option<own<trailers>>) -> result<_, error-code>:
 * the option flattens to (discriminant, handle); the result comes back through ret.
 * The body's output-stream must have been dropped first. */
WASI_IMPORT(WASI_HTTP_TYPES, "[static]outgoing-body.finish")
void wasi_raw_outgoing_body_finish(wasi_outgoing_body self, int32_t has_trailers, wasi_fields trailers,
                                   wasi_ret_result_error_code *ret);
WASI_IMPORT(WASI_HTTP_TYPES, "[resource-drop]outgoing-body")
void wasi_raw_outgoing_body_drop(wasi_outgoing_body self);

/* response-outparam.set(param: own<response-outparam>, response: result<own<outgoing-response>, error-code>)
 * The result parameter flattens to 8 core values: its discriminant, then the
 * join of ok's [i32 handle] and error-code's flattening [i32 tag, i32, i64,
 * i32, i32, i32, i32] (error-code's widest case payloads: 6 slots, the second
 * one i64 because of HTTP-request-body-size(option<u64>)).
 *   ok(response):          (param, 0, response, 0, 0, 0, 0, 0, 0)
 *   err(internal-error(some(s))): (param, 1, 38, 1, (int64_t)(uintptr_t)s, len, 0, 0, 0)
 *   err(internal-error(none)):    (param, 1, 38, 0, 0, 0, 0, 0, 0)
 * 1 + 8 = 9 parameters: under MAX_FLAT_PARAMS (16), so passed flat. */
WASI_IMPORT(WASI_HTTP_TYPES, "[static]response-outparam.set")
void wasi_raw_response_outparam_set(wasi_response_outparam param, int32_t is_err, int32_t a0, int32_t a1,
                                    int64_t a2, int32_t a3, int32_t a4, int32_t a5, int32_t a6);
WASI_IMPORT(WASI_HTTP_TYPES, "[resource-drop]response-outparam")
void wasi_raw_response_outparam_drop(wasi_response_outparam self);

/* outgoing-request: the constructor takes ownership of the headers. The
 * setters return result<_, _> as one i32 (0 ok). Flattened parameters:
 *   set-method(self, method):          (self, tag, other_ptr, other_len)
 *   set-scheme(self, option<scheme>):  (self, is_some, tag, other_ptr, other_len); scheme is
 *                                      variant { HTTP, HTTPS, other(string) }
 *   set-authority / set-path-with-query(self, option<string>): (self, is_some, ptr, len) */
enum { WASI_SCHEME_HTTP, WASI_SCHEME_HTTPS, WASI_SCHEME_OTHER };
WASI_IMPORT(WASI_HTTP_TYPES, "[constructor]outgoing-request")
wasi_outgoing_request wasi_raw_outgoing_request_new(wasi_fields headers);
WASI_IMPORT(WASI_HTTP_TYPES, "[method]outgoing-request.body")
void wasi_raw_outgoing_request_body(wasi_outgoing_request self, wasi_ret_result_handle *ret);
WASI_IMPORT(WASI_HTTP_TYPES, "[method]outgoing-request.set-method")
int32_t wasi_raw_outgoing_request_set_method(wasi_outgoing_request self, int32_t tag, const char *other, size_t other_len);
WASI_IMPORT(WASI_HTTP_TYPES, "[method]outgoing-request.set-scheme")
int32_t wasi_raw_outgoing_request_set_scheme(wasi_outgoing_request self, int32_t is_some, int32_t tag, const char *other,
                                             size_t other_len);
WASI_IMPORT(WASI_HTTP_TYPES, "[method]outgoing-request.set-authority")
int32_t wasi_raw_outgoing_request_set_authority(wasi_outgoing_request self, int32_t is_some, const char *ptr, size_t len);
WASI_IMPORT(WASI_HTTP_TYPES, "[method]outgoing-request.set-path-with-query")
int32_t wasi_raw_outgoing_request_set_path_with_query(wasi_outgoing_request self, int32_t is_some, const char *ptr,
                                                      size_t len);
WASI_IMPORT(WASI_HTTP_TYPES, "[resource-drop]outgoing-request")
void wasi_raw_outgoing_request_drop(wasi_outgoing_request self);

/* request-options: durations in nanoseconds; set-*(self, option<u64>) flattens to (self, is_some, i64). */
WASI_IMPORT(WASI_HTTP_TYPES, "[constructor]request-options")
wasi_request_options wasi_raw_request_options_new(void);
WASI_IMPORT(WASI_HTTP_TYPES, "[method]request-options.set-connect-timeout")
int32_t wasi_raw_request_options_set_connect_timeout(wasi_request_options self, int32_t is_some, uint64_t ns);
WASI_IMPORT(WASI_HTTP_TYPES, "[method]request-options.set-first-byte-timeout")
int32_t wasi_raw_request_options_set_first_byte_timeout(wasi_request_options self, int32_t is_some, uint64_t ns);
WASI_IMPORT(WASI_HTTP_TYPES, "[method]request-options.set-between-bytes-timeout")
int32_t wasi_raw_request_options_set_between_bytes_timeout(wasi_request_options self, int32_t is_some, uint64_t ns);
WASI_IMPORT(WASI_HTTP_TYPES, "[resource-drop]request-options")
void wasi_raw_request_options_drop(wasi_request_options self);

/* future-incoming-response: subscribe gives a pollable (a child: drop it first) */
WASI_IMPORT(WASI_HTTP_TYPES, "[method]future-incoming-response.subscribe")
wasi_pollable wasi_raw_future_incoming_response_subscribe(wasi_future_incoming_response self);
WASI_IMPORT(WASI_HTTP_TYPES, "[method]future-incoming-response.get")
void wasi_raw_future_incoming_response_get(wasi_future_incoming_response self, wasi_ret_future_get *ret);
WASI_IMPORT(WASI_HTTP_TYPES, "[resource-drop]future-incoming-response")
void wasi_raw_future_incoming_response_drop(wasi_future_incoming_response self);

/* incoming-response: status is a u16 (one i32); headers an own<fields>,
 * immutable, a child of the response; consume a result<own<incoming-body>> */
WASI_IMPORT(WASI_HTTP_TYPES, "[method]incoming-response.status")
int32_t wasi_raw_incoming_response_status(wasi_incoming_response self);
WASI_IMPORT(WASI_HTTP_TYPES, "[method]incoming-response.headers")
wasi_fields wasi_raw_incoming_response_headers(wasi_incoming_response self);
WASI_IMPORT(WASI_HTTP_TYPES, "[method]incoming-response.consume")
void wasi_raw_incoming_response_consume(wasi_incoming_response self, wasi_ret_result_handle *ret);
WASI_IMPORT(WASI_HTTP_TYPES, "[resource-drop]incoming-response")
void wasi_raw_incoming_response_drop(wasi_incoming_response self);

/* ---- wasi:http/outgoing-handler@0.2.12 ---------------------------------- */

/* handle(request: own<outgoing-request>, options: option<own<request-options>>)
 *   -> result<own<future-incoming-response>, error-code>
 * Both handles pass to the host; the option flattens to (is_some, handle). */
WASI_IMPORT(WASI_HTTP_OUTGOING_HANDLER, "handle")
void wasi_raw_outgoing_handler_handle(wasi_outgoing_request request, int32_t has_options, wasi_request_options options,
                                      wasi_ret_result_handle_error_code *ret);

/* ---- wasi:io/streams@0.2.12 --------------------------------------------- */

WASI_IMPORT(WASI_IO_STREAMS, "[method]input-stream.read")
void wasi_raw_input_stream_read(wasi_input_stream self, uint64_t len, wasi_ret_read *ret);
WASI_IMPORT(WASI_IO_STREAMS, "[method]input-stream.blocking-read")
void wasi_raw_input_stream_blocking_read(wasi_input_stream self, uint64_t len, wasi_ret_read *ret);
WASI_IMPORT(WASI_IO_STREAMS, "[method]input-stream.subscribe")
wasi_pollable wasi_raw_input_stream_subscribe(wasi_input_stream self);
WASI_IMPORT(WASI_IO_STREAMS, "[resource-drop]input-stream")
void wasi_raw_input_stream_drop(wasi_input_stream self);

WASI_IMPORT(WASI_IO_STREAMS, "[method]output-stream.check-write")
void wasi_raw_output_stream_check_write(wasi_output_stream self, wasi_ret_stream_u64 *ret);
WASI_IMPORT(WASI_IO_STREAMS, "[method]output-stream.write")
void wasi_raw_output_stream_write(wasi_output_stream self, const uint8_t *ptr, size_t len,
                                  wasi_ret_stream_unit *ret);
/* at most 4096 bytes per call (the WIT contract; wasmtime enforces it) */
WASI_IMPORT(WASI_IO_STREAMS, "[method]output-stream.blocking-write-and-flush")
void wasi_raw_output_stream_blocking_write_and_flush(wasi_output_stream self, const uint8_t *ptr, size_t len,
                                                     wasi_ret_stream_unit *ret);
WASI_IMPORT(WASI_IO_STREAMS, "[method]output-stream.flush")
void wasi_raw_output_stream_flush(wasi_output_stream self, wasi_ret_stream_unit *ret);
WASI_IMPORT(WASI_IO_STREAMS, "[method]output-stream.blocking-flush")
void wasi_raw_output_stream_blocking_flush(wasi_output_stream self, wasi_ret_stream_unit *ret);
WASI_IMPORT(WASI_IO_STREAMS, "[method]output-stream.subscribe")
wasi_pollable wasi_raw_output_stream_subscribe(wasi_output_stream self);
WASI_IMPORT(WASI_IO_STREAMS, "[resource-drop]output-stream")
void wasi_raw_output_stream_drop(wasi_output_stream self);

/* ---- wasi:io/poll@0.2.12, wasi:io/error@0.2.12 --------------------------- */

WASI_IMPORT(WASI_IO_POLL, "[method]pollable.block")
void wasi_raw_pollable_block(wasi_pollable self);
WASI_IMPORT(WASI_IO_POLL, "[resource-drop]pollable")
void wasi_raw_pollable_drop(wasi_pollable self);
WASI_IMPORT(WASI_IO_ERROR, "[resource-drop]error")
void wasi_raw_io_error_drop(wasi_io_error self);

/* ---- helpers (wasi_http.c) ---------------------------------------------- */

/* An outgoing response already handed to the host: write to `stream`, then
 * wasi_http_response_finish. */
typedef struct {
  wasi_outgoing_body body;
  wasi_output_stream stream;
} wasi_http_response;

/* Frees a string or list the host returned (nothing when it is empty). */
void wasi_free(void *ptr, size_t len);

/* The method as text ("GET", ..., or the other(...) string), malloc'd. */
char *wasi_http_request_method(wasi_incoming_request req);
/* path-with-query, malloc'd and NUL-terminated; "" when the request has none. */
char *wasi_http_request_path_with_query(wasi_incoming_request req);
/* The first value of header `name` in `fields`, malloc'd and NUL-terminated, or NULL. */
char *wasi_http_fields_get_first(wasi_fields fields, const char *name);
/* fields.append(name, value); 0 on success. */
int wasi_http_fields_append(wasi_fields fields, const char *name, const char *value);
/* Makes a response (status, and a content-type header unless NULL, plus
 * `extra_headers`, a NULL-terminated list of name, value pairs, may be NULL),
 * sets it as `out`'s result and opens its body. 0 on success; on failure the
 * outparam has been set to an error-code. */
int wasi_http_respond(wasi_response_outparam out, int status, const char *content_type,
                      const char *const *extra_headers, wasi_http_response *resp);
/* Writes all of `len` bytes with blocking-write-and-flush, 4096 at a time. 0 on success. */
int wasi_http_write_all(wasi_output_stream stream, const void *data, size_t len);
int wasi_http_write_str(wasi_output_stream stream, const char *s);
/* Drops the stream and finishes the body, with `trailers` (a fields handle,
 * ownership passes) or without (WASI_NO_TRAILERS). 0 on success. */
#define WASI_NO_TRAILERS (-1)
int wasi_http_response_finish(wasi_http_response *resp, wasi_fields trailers);
/* Sets `out` to err(internal-error(some(message))) (message NULL: none). */
void wasi_http_respond_error(wasi_response_outparam out, const char *message);
/* Drops a stream-error's error resource, if it has one. */
void wasi_stream_error_drop(const wasi_stream_error *err);

/* ---- outbound requests (wasi_http.c) ------------------------------------ */

/* What wasi_http_fetch sends. NULL scheme or authority: left unset (no
 * authority: a request to the application itself, where the host allows
 * it); NULL path: "/". Timeouts in milliseconds, 0: the host's default. */
typedef struct {
  const char *method;            /* "GET", "POST", ... or any token; NULL: GET */
  const char *scheme;            /* "http", "https" */
  const char *authority;         /* "example.com:8080" */
  const char *path_with_query;   /* "/a?b=c" */
  const char *const *headers;    /* NULL-terminated name, value pairs; may be NULL */
  const void *body;              /* NULL: no body */
  size_t body_len;
  int body_after_handle;         /* write and finish the body after outgoing-handler.handle (streaming order) */
  uint32_t connect_timeout_ms, first_byte_timeout_ms, between_bytes_timeout_ms;
} wasi_http_fetch_request;

/* The whole response. */
typedef struct {
  int status;
  wasi_incoming_response response;
  wasi_fields headers;  /* the response's (immutable), for wasi_http_fields_get_first */
  uint8_t *body;        /* malloc'd (NULL when empty) */
  size_t body_len;
} wasi_http_fetch_response;

/* Sends `req` through wasi:http/outgoing-handler, waits for the response
 * (pollable.block on its future) and reads its body to the end. 0 on
 * success. On failure -1 with *error_code the error-code case (0-based,
 * WIT order; -1 when something else failed) and *error_detail its text
 * payload (internal-error, DNS-error's rcode) or a description, malloc'd
 * or NULL. */
int wasi_http_fetch(const wasi_http_fetch_request *req, wasi_http_fetch_response *resp, int *error_code,
                    char **error_detail);
/* Drops the headers, then the response (a parent after its children); frees the body. */
void wasi_http_fetch_response_free(wasi_http_fetch_response *resp);
/* The WIT name of an error-code case ("HTTP-request-denied"), "?" for others. */
const char *wasi_http_error_code_name(int error_code);

#endif
