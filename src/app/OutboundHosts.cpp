#include "app/OutboundHosts.h"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstring>

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
  return wellKnownPort(scheme).has_value();
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// An IPv4 or IPv6 address (brackets allowed around IPv6): its 16 bytes
// (IPv4 in the first 4) and whether it is IPv6.
std::optional<std::pair<std::array<std::uint8_t, 16>, bool>> ipAddress(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  std::string s(text);
  std::array<std::uint8_t, 16> bytes{};
  in_addr v4{};
  if (::inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    std::memcpy(bytes.data(), &v4, 4);
    return std::pair{bytes, false};
  }
  in6_addr v6{};
  if (::inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    std::memcpy(bytes.data(), &v6, 16);
    return std::pair{bytes, true};
  }
  return std::nullopt;
}

std::uint16_t portNumber(std::string_view s) {
  unsigned value = 0;
  std::from_chars(s.data(), s.data() + s.size(), value);
  return static_cast<std::uint16_t>(value);
}

}  // namespace

std::optional<std::uint16_t> wellKnownPort(std::string_view scheme) {
  if (scheme == "postgres") return 5432;
  if (scheme == "mysql") return 3306;
  if (scheme == "redis") return 6379;
  if (scheme == "mqtt") return 1883;
  if (scheme == "http") return 80;
  if (scheme == "https") return 443;
  return std::nullopt;
}

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

// An entry checkAllowedOutboundHost accepted, taken apart as Spin's
// AllowedHostConfig::parse does: "<scheme>://<host>[:<port>]", the port
// after the last ':'.
Expected<AllowedOutboundHosts::Entry> AllowedOutboundHosts::parseEntry(std::string_view text) {
  WASMOPS_TRY_VOID(checkAllowedOutboundHost(text));
  if (text.find("{{") != std::string_view::npos)
    return invalid(fmt::format("allowed outbound host \"{}\" has a template that was not resolved", text));
  const std::string_view entry = trim(text);
  const auto sep = entry.find("://");
  Entry e;
  const std::string_view scheme = entry.substr(0, sep);
  if (scheme != "*") e.scheme = lower(scheme);
  std::string_view rest = entry.substr(sep + 3);
  const auto colon = rest.rfind(':');
  std::string_view host = trim(colon == std::string_view::npos ? rest : rest.substr(0, colon));
  std::string_view port = colon == std::string_view::npos ? std::string_view() : rest.substr(colon + 1);
  if (const auto slash = port.find('/'); slash != std::string_view::npos) port = port.substr(0, slash);

  if (host == "*") {
    e.host = Entry::Host::Any;
  } else if (host == "self" || host == "self.alt") {
    e.host = Entry::Host::Self;
  } else {
    // An address, or a CIDR range (the address's host bits ignored, as
    // ip_network's from_str_truncate does).
    std::string_view address = host;
    std::optional<unsigned> bits;
    if (const auto slash = host.find('/'); slash != std::string_view::npos) {
      address = host.substr(0, slash);
      if (slash + 1 < host.size()) bits = portNumber(host.substr(slash + 1));
    }
    if (auto ip = ipAddress(address)) {
      e.host = Entry::Host::Network;
      e.address = ip->first;
      e.v6 = ip->second;
      const unsigned width = e.v6 ? 128 : 32;
      e.prefix = std::min(bits.value_or(width), width);
    } else if (host.starts_with("*.")) {
      e.host = Entry::Host::Subdomain;
      e.name = lower(host.substr(1));
    } else {
      e.host = Entry::Host::Name;
      while (host.ends_with('/')) host.remove_suffix(1);
      e.name = lower(host);
    }
  }

  if (port.empty()) {
    const auto p = wellKnownPort(e.scheme);  // the check made sure there is one
    e.portLow = e.portHigh = p.value_or(0);
  } else if (port == "*") {
    e.anyPort = true;
  } else if (const auto dots = port.find(".."); dots != std::string_view::npos) {
    e.portLow = portNumber(port.substr(0, dots));
    e.portHigh = portNumber(port.substr(dots + 2)) - 1;
  } else {
    e.portLow = e.portHigh = portNumber(port);
  }
  return e;
}

Expected<AllowedOutboundHosts> AllowedOutboundHosts::parse(const std::vector<std::string>& entries,
                                                           const VariableResolver* resolver) {
  AllowedOutboundHosts out;
  for (const auto& text : entries) {
    std::string resolved = text;
    if (resolver && text.find("{{") != std::string::npos) {
      auto rendered = resolver->render(text);
      if (!rendered) return invalid(fmt::format("allowed outbound host \"{}\": {}", text, rendered.error().message));
      resolved = std::move(*rendered);
    }
    WASMOPS_TRY(Entry e, parseEntry(resolved));
    out.entries_.push_back(std::move(e));
    out.texts_.push_back(std::move(resolved));
  }
  return out;
}

bool AllowedOutboundHosts::allows(std::string_view scheme, std::string_view host,
                                  std::optional<std::uint16_t> port) const {
  const std::string s = lower(scheme), h = lower(host);
  const std::optional<std::uint16_t> effective = port ? port : wellKnownPort(s);
  const auto ip = ipAddress(h);
  for (const Entry& e : entries_) {
    if (!e.scheme.empty() && e.scheme != s) continue;
    bool hostOk = false;
    switch (e.host) {
      case Entry::Host::Any: hostOk = true; break;
      case Entry::Host::Self: hostOk = false; break;
      case Entry::Host::Subdomain: hostOk = h.size() > e.name.size() && h.ends_with(e.name); break;
      case Entry::Host::Name: hostOk = h == e.name; break;
      case Entry::Host::Network: {
        if (!ip || ip->second != e.v6) break;
        hostOk = true;
        for (unsigned bit = 0; bit < e.prefix && hostOk; ++bit) {
          const unsigned mask = 0x80u >> (bit % 8);
          hostOk = (ip->first[bit / 8] & mask) == (e.address[bit / 8] & mask);
        }
        break;
      }
    }
    if (!hostOk) continue;
    if (e.anyPort) return true;
    if (effective && *effective >= e.portLow && *effective <= e.portHigh) return true;
  }
  return false;
}

bool AllowedOutboundHosts::allowsSelf(std::string_view scheme) const {
  const std::string s = lower(scheme);
  return std::any_of(entries_.begin(), entries_.end(), [&](const Entry& e) {
    return (e.scheme.empty() || e.scheme == s) && (e.host == Entry::Host::Self || e.host == Entry::Host::Any);
  });
}

}  // namespace wasmops::app
