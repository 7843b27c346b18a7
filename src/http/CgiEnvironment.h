#pragma once
// What a WAGI guest is given for one request (CGI/1.1, RFC 3875, as WAGI
// and Spin's WAGI executor set it): the environment variables, and argv
// from the executor's `argv` template. The body goes to stdin separately.
#include <string>
#include <vector>

#include "app/RouteTable.h"
#include "http/HttpMessage.h"

namespace wasmops::http {

struct WagiRoute {
  const app::RouteMatch* match = nullptr;  // which route matched, and its captures
  std::string componentId;
  std::string basePath = "/";              // [application.trigger.http] base
  std::string argvTemplate = "${SCRIPT_NAME} ${ARGS}";
};

// What Spin tells a guest about the route that matched a request, under
// two names: the WAGI environment variable and the request header its
// wasi:http executor adds (crates/trigger-http/src/headers.rs: SPIN_FULL_URL
// as "spin-full-url", ...). An empty header name: WAGI only.
struct RouteValue {
  std::string wagiName;    // "X_FULL_URL"
  std::string headerName;  // "spin-full-url"
  std::string value;
};
std::vector<RouteValue> spinRouteValues(const Request& request, const WagiRoute& route);

// "KEY=VALUE" entries: the CGI variables, Spin's X_* ones, HTTP_* for each
// request header (Authorization and Connection are withheld, as CGI says;
// a header name that is not a token is dropped), then `componentEnv`
// (the manifest's `environment`) last, which cannot override the request's.
std::vector<std::string> wagiEnvironment(const Request& request, const WagiRoute& route,
                                         const std::vector<std::string>& componentEnv);

// argv: the template split on spaces, ${SCRIPT_NAME} replaced by the
// request's path as received and ${ARGS} by the query string's
// '&'-separated parts, neither decoded (as WAGI and Spin; docs/wagi.md).
std::vector<std::string> wagiArgv(const Request& request, const WagiRoute& route);

// Decodes "%XX" escapes; a '+' stays (it is a space only in form bodies),
// and an invalid escape, or "%00" (a NUL would cut an environment
// string), is kept as written.
std::string percentDecode(std::string_view text);

}  // namespace wasmops::http
