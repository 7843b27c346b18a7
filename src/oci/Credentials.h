#pragma once
#include <string>

namespace wasmops::oci {

// A user name and password (or personal access token) for one registry.
struct Credentials {
  std::string username;
  std::string password;
};

}  // namespace wasmops::oci
