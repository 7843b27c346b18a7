#include "app/OutboundHosts.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "app/Variables.h"

namespace wasmops::app {
namespace {

Unexpected invalid(std::string message) {
  return makeError(ErrorCode::Invalid, std::move(message));
}

bool allDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool isPortNumber(std::string_view s) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  return ec == std::errc() && end == s.data() + s.size() && value <= 65535;
}

bool hasDefaultPort(std::string_view scheme) {
  for (std::string_view known : {"postgres", "mysql", "redis", "mqtt", "http", "https"})
    if (scheme == known) return true;
  return false;
}

}  // namespace

Expected<void> checkAllowedOutboundHost(std::string_view entry) {
  if (entry.find("{{") != std::string_view::npos) {
    auto parts = parseTemplate(entry);
    if (!parts) return invalid(fmt::format("allowed outbound host \"{}\": {}", entry, parts.error().message));
    return {};
  }
  if (entry == "insecure:allow-all")
    return invalid("\"insecure:allow-all\" is not allowed; write \"*://*:*\" if you really mean all outbound traffic");
  auto trimmed = entry;
  while (!trimmed.empty() && trimmed.front() == ' ') trimmed.remove_prefix(1);
  while (!trimmed.empty() && trimmed.back() == ' ') trimmed.remove_suffix(1);
  auto sep = trimmed.find("://");
  if (sep == std::string_view::npos) {
    if (trimmed.empty() || trimmed == "*" || trimmed == ":" || trimmed == "?")
      return invalid(
          fmt::format("\"{}\" is not an allowed outbound host: write <scheme>://<host>[:<port>], with '*' "
                      "wildcards for each part (\"*://*:*\" allows everything)",
                      entry));
    return invalid(
        fmt::format("allowed outbound host \"{}\" has no scheme; write e.g. \"https://{}\" (or \"*://{}:*\" "
                    "for any scheme and port)",
                    entry, trimmed, trimmed));
  }
  std::string_view scheme = trimmed.substr(0, sep);
  std::string_view rest = trimmed.substr(sep + 3);
  if (scheme != "*" && (scheme.empty() || !std::all_of(scheme.begin(), scheme.end(), [](char c) {
                          return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
                        })))
    return invalid(
        fmt::format("allowed outbound host \"{}\": scheme \"{}\" must be letters only, or '*'", entry, scheme));
  auto colon = rest.rfind(':');
  std::string_view host = colon == std::string_view::npos ? rest : rest.substr(0, colon);
  std::string_view port = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
  if (auto slash = port.find('/'); slash != std::string_view::npos) {
    if (slash + 1 < port.size())
      return invalid(fmt::format("allowed outbound host \"{}\" has a path; list only scheme, host and port", entry));
    port = port.substr(0, slash);
  }
  // Host: '*', "self", "*.domain", a CIDR range, or a name.
  if (auto slash = host.find('/'); slash != std::string_view::npos) {
    std::string_view after = host.substr(slash + 1);
    if (!after.empty() && !allDigits(after))
      return invalid(fmt::format("allowed outbound host \"{}\" has a path; list only scheme, host and port", entry));
    host = host.substr(0, slash);
  }
  if (host.empty())
    return invalid(fmt::format("allowed outbound host \"{}\" has no host; write '*' for any host", entry));
  if (host != "*") {
    std::string_view name = host.starts_with("*.") ? host.substr(2) : host;
    if (name.find('*') != std::string_view::npos)
      return invalid(
          fmt::format("allowed outbound host \"{}\": '*' is allowed only as the whole host or as a "
                      "subdomain prefix (\"*.example.com\")",
                      entry));
  }
  if (port.empty()) {
    if (scheme == "*" || !hasDefaultPort(scheme))
      return invalid(
          fmt::format("allowed outbound host \"{}\" needs a port: scheme \"{}\" has no default port "
                      "(write \":*\" for any port)",
                      entry, scheme));
    return {};
  }
  if (port == "*") return {};
  if (auto dots = port.find(".."); dots != std::string_view::npos) {
    if (!isPortNumber(port.substr(0, dots)) || !isPortNumber(port.substr(dots + 2)))
      return invalid(fmt::format(
          "allowed outbound host \"{}\": port range \"{}\" must be two numbers, as in 8000..9000", entry, port));
    return {};
  }
  if (!isPortNumber(port))
    return invalid(fmt::format("allowed outbound host \"{}\": port \"{}\" is not a number", entry, port));
  return {};
}

}  // namespace wasmops::app
