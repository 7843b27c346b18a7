#include "http/CgiEnvironment.h"

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

// The route as the component sees it: the matched route without its
// wildcard ("/static/..." -> "/static"), "/" for a bare wildcard.
std::string scriptName(const app::RouteMatch& m) {
  const auto& route = m.entry->route;
  std::string s = route.based;
  if (route.wildcard()) {
    const auto cut = s.rfind('/');
    s = cut == std::string::npos ? "" : s.substr(0, cut);
  }
  return s.empty() ? "/" : s;
}

std::pair<std::string, std::string> hostAndPort(const Request& r) {
  std::string host(r.header("Host"));
  if (host.empty()) host = r.localAddress;
  std::string port = r.scheme == "https" ? "443" : "80";
  // "[::1]:3000", "example.com:8080", "example.com"
  const auto close = host.rfind(']');
  const auto colon = host.rfind(':');
  if (colon != std::string::npos && (close == std::string::npos || colon > close)) {
    port = host.substr(colon + 1);
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
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += text[i];
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
  // Spin's additions (crates/trigger-http/src/headers.rs, WAGI names).
  set("X_FULL_URL", r.scheme + "://" + std::string(r.header("Host").empty() ? r.localAddress : r.header("Host")) + r.target);
  set("X_RAW_PATH_INFO", rawPathInfo);
  set("X_MATCHED_ROUTE", m.entry->route.based.empty() ? "/" : m.entry->route.based);
  set("X_BASE_PATH", route.basePath.empty() ? "/" : route.basePath);
  set("X_RAW_COMPONENT_ROUTE", m.entry->route.raw);
  set("X_COMPONENT_ROUTE", script);
  set("X_CLIENT_ADDR", r.clientAddress);
  set("X_REQUEST_ID", r.requestId);
  for (const auto& [name, value] : m.params) {
    std::string key = "X_PATH_MATCH_";
    for (char c : name) key += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    set(key, value);
  }
  for (const auto& [name, value] : r.headers) {
    if (!isToken(name) || equalsIgnoreCase(name, "Authorization") || equalsIgnoreCase(name, "Connection")) continue;
    // Already given as CONTENT_TYPE / CONTENT_LENGTH (RFC 3875 §4.1.18).
    if (equalsIgnoreCase(name, "Content-Type") || equalsIgnoreCase(name, "Content-Length")) continue;
    set(cgiHeaderName(name), value);
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
  std::vector<std::string> args;
  std::vector<std::string> queryArgs;
  if (!r.query.empty()) {
    std::size_t start = 0;
    while (start <= r.query.size()) {
      const auto amp = r.query.find('&', start);
      const std::string_view part = std::string_view(r.query).substr(start, amp == std::string::npos ? std::string::npos : amp - start);
      if (!part.empty()) queryArgs.push_back(percentDecode(part));
      if (amp == std::string::npos) break;
      start = amp + 1;
    }
  }
  const std::string script = scriptName(*route.match);
  std::size_t start = 0;
  const std::string& t = route.argvTemplate;
  while (start < t.size()) {
    auto space = t.find(' ', start);
    if (space == std::string::npos) space = t.size();
    const std::string word = t.substr(start, space - start);
    start = space + 1;
    if (word.empty()) continue;
    if (word == "${ARGS}") {
      args.insert(args.end(), queryArgs.begin(), queryArgs.end());
      continue;
    }
    std::string w = word;
    for (std::size_t at; (at = w.find("${SCRIPT_NAME}")) != std::string::npos;) w.replace(at, 14, script);
    args.push_back(std::move(w));
  }
  if (args.empty()) args.push_back(script);
  return args;
}

}  // namespace wasmops::http
