#pragma once
// Parses WWW-Authenticate (RFC 7235) as registries send it:
//   Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull"
//   Basic realm="registry"
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/Error.h"

namespace wasmops::oci {

struct AuthChallenge {
  std::string scheme;                         // lower-case: "bearer", "basic"
  std::map<std::string, std::string> params;  // keys lower-case, values unquoted

  std::string param(const std::string& key) const {
    auto it = params.find(key);
    return it == params.end() ? std::string() : it->second;
  }
};

// Every challenge in one header value; Invalid on a syntax error.
Expected<std::vector<AuthChallenge>> parseAuthChallenges(std::string_view header);

}  // namespace wasmops::oci
