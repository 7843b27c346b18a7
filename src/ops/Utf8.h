#pragma once
// Text from guests, manifests and requests is not always UTF-8, but the
// Prometheus exposition format and JSON both require it.
#include <string>
#include <string_view>

namespace wasmops::ops {

// `text` with every byte that is not part of a well-formed UTF-8 sequence
// (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF) replaced by
// U+FFFD. Valid text comes back unchanged.
std::string toValidUtf8(std::string_view text);

}  // namespace wasmops::ops
