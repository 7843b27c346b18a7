/* counter.c: a wasi:http/incoming-handler@0.2.12 component in C that counts
 * its requests in the Spin key-value store "default": every request
 * increments the key "counter" (wasi:keyvalue/atomics@0.2.0-draft2
 * increment, one transaction on the host) and gets
 *
 *   200, content-type: text/plain
 *   count: N
 *
 * A store that cannot be opened or incremented (the component does not list
 * "default" in key_value_stores, the database is unusable) is a 500 naming
 * the wasi:keyvalue error. The wasi:http side uses examples/hello-http-c's
 * hand-written bindings; the two key-value imports are declared here, with
 * the core signatures wit-component lowers them to (canonical ABI).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasi_http.h"

#define WASI_KEYVALUE_STORE "wasi:keyvalue/store@0.2.0-draft2"
#define WASI_KEYVALUE_ATOMICS "wasi:keyvalue/atomics@0.2.0-draft2"

typedef int32_t wasi_keyvalue_bucket;

/* variant error { no-such-store, access-denied, other(string) }: u8 tag @0,
 * string @4 (size 12, align 4). */
enum { KV_NO_SUCH_STORE, KV_ACCESS_DENIED, KV_OTHER };
typedef struct { uint8_t tag; char *other_ptr; size_t other_len; } kv_error;

/* result<own<bucket>, error>: u8 @0, payload @4 (the handle or the error). */
typedef struct {
  uint8_t is_err;
  union { wasi_keyvalue_bucket bucket; kv_error err; } val;
} kv_ret_open;
/* result<s64, error>: u8 @0, payload @8 (s64 aligns it). */
typedef struct {
  uint8_t is_err;
  union { int64_t value; kv_error err; } val;
} kv_ret_increment;

#if defined(__wasm32__)
_Static_assert(sizeof(kv_error) == 12 && offsetof(kv_error, other_ptr) == 4, "error layout");
_Static_assert(offsetof(kv_ret_open, val) == 4 && sizeof(kv_ret_open) == 16, "open's return area");
_Static_assert(offsetof(kv_ret_increment, val) == 8 && sizeof(kv_ret_increment) == 24, "increment's return area");
#endif

/* open(identifier: string) -> result<bucket, error> */
WASI_IMPORT(WASI_KEYVALUE_STORE, "open")
void kv_raw_open(const char *identifier, size_t len, kv_ret_open *ret);
WASI_IMPORT(WASI_KEYVALUE_STORE, "[resource-drop]bucket")
void kv_raw_bucket_drop(wasi_keyvalue_bucket self);
/* increment(bucket: borrow<bucket>, key: string, delta: s64) -> result<s64, error> */
WASI_IMPORT(WASI_KEYVALUE_ATOMICS, "increment")
void kv_raw_increment(wasi_keyvalue_bucket bucket, const char *key, size_t len, int64_t delta,
                      kv_ret_increment *ret);

/* The error as text, malloc'd; frees other(string)'s payload. */
static char *kv_error_text(const char *what, kv_error *err) {
  const char *name = err->tag == KV_NO_SUCH_STORE ? "no-such-store"
                     : err->tag == KV_ACCESS_DENIED ? "access-denied" : "other";
  size_t n = strlen(what) + strlen(name) + err->other_len + 16;
  char *text = malloc(n);
  if (err->tag == KV_OTHER)
    snprintf(text, n, "%s: other(%.*s)\n", what, (int)err->other_len, err->other_ptr);
  else
    snprintf(text, n, "%s: %s\n", what, name);
  if (err->tag == KV_OTHER) wasi_free(err->other_ptr, err->other_len);
  return text;
}

/* Increments "counter" in "default": 0 and *count, or -1 and *error (malloc'd). */
static int count_request(int64_t *count, char **error) {
  static const char store[] = "default", key[] = "counter";
  kv_ret_open opened;
  kv_raw_open(store, sizeof store - 1, &opened);
  if (opened.is_err) {
    *error = kv_error_text("open(\"default\")", &opened.val.err);
    return -1;
  }
  kv_ret_increment inc;
  kv_raw_increment(opened.val.bucket, key, sizeof key - 1, 1, &inc);
  kv_raw_bucket_drop(opened.val.bucket);
  if (inc.is_err) {
    *error = kv_error_text("increment(\"counter\")", &inc.val.err);
    return -1;
  }
  *count = inc.val.value;
  return 0;
}

__attribute__((export_name(WASI_HTTP_HANDLE_EXPORT)))
void handle(wasi_incoming_request request, wasi_response_outparam out) {
  wasi_raw_incoming_request_drop(request);
  int64_t count = 0;
  char *error = NULL;
  const int ok = count_request(&count, &error) == 0;
  wasi_http_response resp;
  if (wasi_http_respond(out, ok ? 200 : 500, "text/plain", NULL, &resp) == 0) {
    if (ok) {
      char line[32];
      snprintf(line, sizeof line, "count: %lld\n", (long long)count);
      wasi_http_write_str(resp.stream, line);
    } else {
      wasi_http_write_str(resp.stream, error);
    }
    wasi_http_response_finish(&resp, WASI_NO_TRAILERS);
  }
  free(error);
}
