#pragma once
// `allowed_outbound_hosts` entries, checked as Spin parses them when it
// loads an application (AllowedHostConfig::parse and
// AllowedHostsConfig::validate in spinframework/spin
// crates/outbound-networking-config/src/allowed_hosts.rs), so a manifest
// that Spin would refuse is refused here too, at load time and located:
// "<scheme>://<host>[:<port>]" with '*' wildcards for each part, "*.domain"
// for subdomains, "self", CIDR ranges, port ranges "a..b", no path; a scheme
// without a default port (http, https, postgres, mysql, redis, mqtt) needs
// an explicit port. Entries with "{{ variable }}" templates are checked for
// template syntax only; their value is known when variables are resolved.
//
// AllowedOutboundHosts decides, as Spin's AllowedHostsConfig::allows does,
// whether a component may send a request to a URL.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/Error.h"

namespace wasmops::app {

class VariableResolver;

Expected<void> checkAllowedOutboundHost(std::string_view entry);

class AllowedOutboundHosts {
 public:
  // A component's entries, each checked as above; templates are rendered
  // through `resolver` first (without one, a template is an error). The
  // first entry that fails is the error.
  static Expected<AllowedOutboundHosts> parse(const std::vector<std::string>& entries,
                                              const VariableResolver* resolver = nullptr);

  // Whether a request to scheme://host[:port] may go out; an unset port is
  // the scheme's default (http 80, https 443, ...). Scheme and host compare
  // without case; an entry's IP address or CIDR range matches IP hosts
  // (IPv6 ones with or without brackets); "*.example.com" matches the
  // subdomains of example.com, not example.com itself; a port range "a..b"
  // takes a up to b - 1 (Rust's a..b). "self" never matches a URL with a host.
  bool allows(std::string_view scheme, std::string_view host, std::optional<std::uint16_t> port) const;
  // Whether a request without an authority (to the application itself) may
  // go out under `scheme`: an entry for host "self" (or "self.alt") or "*"
  // whose scheme matches.
  bool allowsSelf(std::string_view scheme) const;
  bool empty() const { return entries_.empty(); }
  const std::vector<std::string>& entries() const { return texts_; }

 private:
  struct Entry {
    std::string scheme;  // empty: any
    enum class Host { Any, Self, Subdomain, Name, Network } host = Host::Any;
    std::string name;                        // Name: the host; Subdomain: ".example.com"
    std::array<std::uint8_t, 16> address{};  // Network: the address, IPv4 in its first 4 bytes
    bool v6 = false;
    unsigned prefix = 0;  // Network: bits that must match
    bool anyPort = false;
    int portLow = 0, portHigh = -1;  // allowed ports, both included (none when portHigh < portLow)
  };
  static Expected<Entry> parseEntry(std::string_view text);
  std::vector<Entry> entries_;
  std::vector<std::string> texts_;  // as resolved, for messages
};

// The port a scheme implies when a URL has none (Spin's well_known_port).
std::optional<std::uint16_t> wellKnownPort(std::string_view scheme);

}  // namespace wasmops::app
