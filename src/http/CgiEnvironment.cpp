#include "http/CgiEnvironment.h"

#include <algorithm>
#include <cctype>

namespace wasmops::http {
namespace {

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A header field name is an RFC 9110 token; anything else cannot be an
// environment variable name safely.
bool isToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c))) continue;
    if (std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) return false;
  }
  return true;
}

// "X-Forwarded-For" -> "HTTP_X_FORWARDED_FOR"
std::string cgiHeaderName(std::string_view name) {
  std::string out = "HTTP_";
  for (char c : name) out += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// `route` without a trailing wildcard ("/static/..." or "/static/*" ->
// "/static"; "/..." -> "").
std::string withoutWildcard(std::string route) {
  for (std::string_view tail : {std::string_view("/..."), std::string_view("/*")})
    if (route.ends_with(tail)) {
      route.resize(route.size() - tail.size());
      break;
    }
  return route;
}

// SCRIPT_NAME: the matched route with the base, without its wildcard
// ("/static/..." -> "/static"), so that SCRIPT_NAME + PATH_INFO is the
// path: "" for a bare wildcard (as Spin's based_route_or_prefix; RFC 3875
// §4.1.13 allows an empty SCRIPT_NAME), "/" for the exact route "/".
std::string scriptName(const app::RouteMatch& m) {
  const auto& route = m.entry->route;
  if (route.wildcard()) return withoutWildcard(route.based);
  return route.based.empty() ? "/" : route.based;
}

std::pair<std::string, std::string> hostAndPort(const Request& r) {
  std::string host(r.header("Host"));
  if (host.empty()) host = r.localAddress;
  std::string port = r.scheme == "https" ? "443" : "80";
  // "[::1]:3000", "example.com:8080", "example.com", "example.com:" (default port)
  const auto close = host.rfind(']');
  const auto colon = host.rfind(':');
  if (colon != std::string::npos && (close == std::string::npos || colon > close)) {
    if (colon + 1 < host.size()) port = host.substr(colon + 1);
    host.resize(colon);
  }
  return {host, port};
}

std::string addressOnly(const std::string& hostPort) {
  const auto colon = hostPort.rfind(':');
  std::string a = colon == std::string::npos ? hostPort : hostPort.substr(0, colon);
  if (a.size() >= 2 && a.front() == '[' && a.back() == ']') a = a.substr(1, a.size() - 2);
  return a;
}

}  // namespace

std::string percentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int hi = hexValue(text[i + 1]), lo = hexValue(text[i + 2]);
      // "%00" stays as written: a NUL cannot be part of an environment
      // variable (the guest's C string would end there).
      if (hi >= 0 && lo >= 0 && (hi | lo) != 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

std::vector<RouteValue> spinRouteValues(const Request& r, const WagiRoute& route) {
  const app::RouteMatch& m = *route.match;
  std::vector<RouteValue> out;
  out.reserve(8 + m.params.size());
  auto add = [&](std::string_view wagi, std::string_view header, std::string value) {
    out.push_back({std::string(wagi), std::string(header), std::move(value)});
  };
  const std::string_view host = r.header("Host").empty() ? std::string_view(r.localAddress) : r.header("Host");
  std::string fullUrl;
  fullUrl.append(r.scheme).append("://").append(host).append(r.target);
  add("X_FULL_URL", "spin-full-url", std::move(fullUrl));
  add("X_RAW_PATH_INFO", "spin-path-info", m.trailingWildcard);
  add("X_MATCHED_ROUTE", "spin-matched-route", m.entry->route.based.empty() ? "/" : m.entry->route.based);
  add("X_BASE_PATH", "spin-base-path", route.basePath.empty() ? "/" : route.basePath);
  add("X_RAW_COMPONENT_ROUTE", "spin-raw-component-route", m.entry->route.raw);
  // The route as written, without its wildcard (Spin's raw_route_or_prefix): no base.
  add("X_COMPONENT_ROUTE", "spin-component-route", withoutWildcard(m.entry->route.raw));
  add("X_CLIENT_ADDR", "spin-client-addr", r.clientAddress);
  add("X_REQUEST_ID", "", r.requestId);
  for (const auto& [name, value] : m.params) {
    std::string wagi = "X_PATH_MATCH_", header = "spin-path-match-";
    for (char c : name) {
      wagi += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      header += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    add(wagi, header, value);
  }
  return out;
}

std::vector<std::string> wagiEnvironment(const Request& r, const WagiRoute& route, const std::vector<std::string>& componentEnv) {
  const app::RouteMatch& m = *route.match;
  const auto [host, port] = hostAndPort(r);
  const std::string script = scriptName(m);
  std::string rawPathInfo = m.trailingWildcard;
  std::vector<std::string> env;
  env.reserve(32 + r.headers.size() + componentEnv.size());
  auto set = [&](std::string_view k, std::string_view v) {
    std::string e;
    e.reserve(k.size() + v.size() + 1);
    e.append(k).append("=").append(v);
    env.push_back(std::move(e));
  };
  set("AUTH_TYPE", "");
  set("CONTENT_LENGTH", std::to_string(r.body.size()));
  set("CONTENT_TYPE", r.header("Content-Type"));
  set("GATEWAY_INTERFACE", "CGI/1.1");
  set("PATH_INFO", percentDecode(rawPathInfo));
  set("PATH_TRANSLATED", percentDecode(rawPathInfo));
  set("QUERY_STRING", r.query);
  set("REMOTE_ADDR", addressOnly(r.clientAddress));
  set("REMOTE_HOST", addressOnly(r.clientAddress));
  set("REMOTE_USER", "");
  set("REQUEST_METHOD", r.method);
  set("SCRIPT_NAME", script);
  set("SERVER_NAME", host);
  set("SERVER_PORT", port);
  set("SERVER_PROTOCOL", "HTTP/" + std::to_string(r.versionMajor) + "." + std::to_string(r.versionMinor));
  set("SERVER_SOFTWARE", "WAGI/1");
  for (auto& v : spinRouteValues(r, route)) set(v.wagiName, v.value);
  // One HTTP_* variable per header name, repeated headers joined with ", "
  // (RFC 9110 §5.3), in the order the first of each arrived.
  const std::size_t firstHeader = env.size();
  for (const auto& [name, value] : r.headers) {
    if (!isToken(name) || equalsIgnoreCase(name, "Authorization") || equalsIgnoreCase(name, "Connection")) continue;
    // No HTTP_PROXY: a CGI program would take it for its proxy setting (httpoxy, CVE-2016-5385).
    if (equalsIgnoreCase(name, "Proxy")) continue;
    // Already given as CONTENT_TYPE / CONTENT_LENGTH (RFC 3875 §4.1.18).
    if (equalsIgnoreCase(name, "Content-Type") || equalsIgnoreCase(name, "Content-Length")) continue;
    const std::string key = cgiHeaderName(name);
    bool joined = false;
    for (std::size_t i = firstHeader; i < env.size() && !joined; ++i) {
      std::string& e = env[i];
      if (e.size() > key.size() && e.compare(0, key.size(), key) == 0 && e[key.size()] == '=') {
        e.append(", ").append(value);
        joined = true;
      }
    }
    if (!joined) set(key, value);
  }
  for (const auto& kv : componentEnv) {
    const std::string key = kv.substr(0, kv.find('='));
    bool taken = false;
    for (const auto& e : env)
      if (e.size() > key.size() && e.compare(0, key.size(), key) == 0 && e[key.size()] == '=') taken = true;
    if (!taken) env.push_back(kv);
  }
  return env;
}

std::vector<std::string> wagiArgv(const Request& r, const WagiRoute& route) {
  // The template with ${SCRIPT_NAME} replaced by the request's path as
  // received (as Spin does: percent-encoding kept, no query; never empty)
  // and ${ARGS} by the query string with each '&' turned into a space, not
  // decoded (as WAGI and Spin: a guest written for them decodes its
  // arguments itself, and would decode twice); then split at spaces, empty
  // words dropped (Spin keeps them: a trailing "" when there is no query).
  // Substituted in one pass, so a query spelling "${SCRIPT_NAME}" stays as it is.
  const std::string& script = r.path;
  std::string args = r.query;
  std::replace(args.begin(), args.end(), '&', ' ');
  constexpr std::string_view kScript = "${SCRIPT_NAME}", kArgs = "${ARGS}";
  const std::string& t = route.argvTemplate;
  std::string line;
  for (std::size_t i = 0; i < t.size();) {
    if (t.compare(i, kScript.size(), kScript) == 0) {
      line += script;
      i += kScript.size();
    } else if (t.compare(i, kArgs.size(), kArgs) == 0) {
      line += args;
      i += kArgs.size();
    } else {
      line += t[i++];
    }
  }
  std::vector<std::string> argv;
  std::size_t start = 0;
  while (start <= line.size()) {
    auto space = line.find(' ', start);
    if (space == std::string::npos) space = line.size();
    if (space > start) argv.push_back(line.substr(start, space - start));
    start = space + 1;
  }
  if (argv.empty()) argv.push_back(script);
  return argv;
}

}  // namespace wasmops::http
