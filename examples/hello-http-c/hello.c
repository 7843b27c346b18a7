/* hello.c: a wasi:http/incoming-handler@0.2.12 component in C (clang
 * --target=wasm32-wasi -mexec-model=reactor, wasi-libc, the hand-written
 * bindings of wasi_http.h). Every request gets
 *
 *   200, content-type: text/plain
 *   Hello from a C wasi:http component
 *   METHOD PATH-WITH-QUERY
 */
#include <stdio.h>
#include <stdlib.h>

#include "wasi_http.h"

__attribute__((export_name(WASI_HTTP_HANDLE_EXPORT)))
void handle(wasi_incoming_request request, wasi_response_outparam out) {
  char *method = wasi_http_request_method(request);
  char *path = wasi_http_request_path_with_query(request);
  wasi_raw_incoming_request_drop(request);

  wasi_http_response resp;
  if (wasi_http_respond(out, 200, "text/plain", NULL, &resp) == 0) {
    wasi_http_write_str(resp.stream, "Hello from a C wasi:http component\n");
    wasi_http_write_str(resp.stream, method);
    wasi_http_write_str(resp.stream, " ");
    wasi_http_write_str(resp.stream, path);
    wasi_http_write_str(resp.stream, "\n");
    wasi_http_response_finish(&resp, WASI_NO_TRAILERS);
  }
  free(method);
  free(path);
}
