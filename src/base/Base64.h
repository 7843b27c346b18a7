#pragma once
// Standard base64 (RFC 4648, with padding) for Docker's config.json "auth"
// field and HTTP Basic credentials.
#include <string>
#include <string_view>

#include "base/Error.h"

namespace wasmops::base {

std::string base64Encode(std::string_view bytes);
// Rejects characters outside the alphabet; accepts missing padding.
Expected<std::string> base64Decode(std::string_view text);

}  // namespace wasmops::base
