#pragma once
// Docker's credential-helper protocol: `docker-credential-<name> get|store|erase`
// with the server address or a JSON object on stdin
// (https://github.com/docker/docker-credential-helpers).
#include <optional>
#include <string>

#include "base/Error.h"
#include "oci/Credentials.h"

namespace wasmops::oci {

class CredentialHelper {
 public:
  explicit CredentialHelper(std::string name) : name_(std::move(name)) {}
  const std::string& name() const { return name_; }
  std::string program() const { return "docker-credential-" + name_; }

  // nullopt when the helper has no credentials for `serverUrl`; NotFound when
  // the helper program is not on PATH.
  Expected<std::optional<Credentials>> get(const std::string& serverUrl) const;
  Expected<void> store(const std::string& serverUrl, const Credentials& credentials) const;
  Expected<void> erase(const std::string& serverUrl) const;

 private:
  std::string name_;
};

}  // namespace wasmops::oci
