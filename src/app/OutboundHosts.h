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
#include <string_view>

#include "base/Error.h"

namespace wasmops::app {

Expected<void> checkAllowedOutboundHost(std::string_view entry);

}  // namespace wasmops::app
