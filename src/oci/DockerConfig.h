#pragma once
// Registry credentials in Docker's config file, shared with docker, podman,
// skopeo, oras, wkg and wash: $DOCKER_CONFIG/config.json, or
// ~/.docker/config.json. "auths" holds base64 "user:pass"; "credHelpers"
// (per registry) or "credsStore" (default) name a docker-credential-<name>
// program that keeps the secret instead. Writes keep every other field and
// are atomic with mode 0600.
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "base/Error.h"
#include "oci/Credentials.h"

namespace wasmops::oci {

class DockerConfig {
 public:
  // The path from the environment (the file need not exist).
  static std::string defaultPath();
  // A missing file is an empty configuration; a malformed one is an error.
  static Expected<DockerConfig> load(const std::string& path);
  static Expected<DockerConfig> load() { return load(defaultPath()); }

  const std::string& path() const { return path_; }
  // The helper that holds `registry`'s secret ("" when the file does).
  std::string helperFor(const std::string& registry) const;

  // Credentials for a normalised registry name ("docker.io", "host:port").
  Expected<std::optional<Credentials>> get(const std::string& registry) const;
  // Stores through the helper if one is configured, else in "auths", and
  // saves the file.
  Expected<void> store(const std::string& registry, const Credentials& credentials);
  // Removes the registry's credentials; false when there were none.
  Expected<bool> erase(const std::string& registry);

 private:
  Expected<void> save() const;
  // The key Docker uses: "https://index.docker.io/v1/" for Docker Hub.
  static std::string keyFor(const std::string& registry);
  // The existing "auths" key that names `registry` (keys may carry a scheme).
  std::optional<std::string> findAuthKey(const std::string& registry) const;

  std::string path_;
  nlohmann::ordered_json doc_ = nlohmann::ordered_json::object();
};

}  // namespace wasmops::oci
