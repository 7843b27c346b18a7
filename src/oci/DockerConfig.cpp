#include "oci/DockerConfig.h"

#include <spdlog/spdlog.h>

#include <fmt/format.h>
#include <cstdlib>

#include "base/AtomicFile.h"
#include "base/Base64.h"
#include "oci/CredentialHelper.h"
#include "oci/Reference.h"

namespace wasmops::oci {
namespace {

constexpr std::size_t kMaxConfigBytes = 16u << 20;

std::string parentOf(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

}  // namespace

std::string DockerConfig::defaultPath() {
  if (const char* dir = std::getenv("DOCKER_CONFIG"); dir && *dir) return std::string(dir) + "/config.json";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.docker/config.json";
}

Expected<DockerConfig> DockerConfig::load(const std::string& path) {
  DockerConfig config;
  config.path_ = path;
  auto text = base::readSmallFile(path, kMaxConfigBytes);
  if (!text) {
    if (text.error().code == ErrorCode::NotFound) return config;
    return Unexpected(text.error());
  }
  auto doc = nlohmann::ordered_json::parse(*text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return Unexpected(Error(ErrorCode::Invalid, "not a JSON object (Docker's config.json format)").inFile(path));
  if (doc.contains("auths") && !doc["auths"].is_object())
    return Unexpected(Error(ErrorCode::Invalid, "\"auths\" is not an object").inFile(path));
  if (doc.contains("credHelpers") && !doc["credHelpers"].is_object())
    return Unexpected(Error(ErrorCode::Invalid, "\"credHelpers\" is not an object").inFile(path));
  config.doc_ = std::move(doc);
  return config;
}

std::string DockerConfig::keyFor(const std::string& registry) {
  return registry == kDockerHub ? std::string("https://index.docker.io/v1/") : registry;
}

std::optional<std::string> DockerConfig::findAuthKey(const std::string& registry) const {
  if (!doc_.contains("auths")) return std::nullopt;
  const auto& auths = doc_["auths"];
  if (auths.contains(keyFor(registry))) return keyFor(registry);
  for (auto it = auths.begin(); it != auths.end(); ++it) {
    auto normalised = normaliseRegistry(it.key());
    if (normalised && *normalised == registry) return it.key();
  }
  return std::nullopt;
}

std::string DockerConfig::helperFor(const std::string& registry) const {
  if (doc_.contains("credHelpers")) {
    for (auto it = doc_["credHelpers"].begin(); it != doc_["credHelpers"].end(); ++it) {
      auto normalised = normaliseRegistry(it.key());
      if (normalised && *normalised == registry && it.value().is_string()) return it.value().get<std::string>();
    }
  }
  if (doc_.contains("credsStore") && doc_["credsStore"].is_string()) return doc_["credsStore"].get<std::string>();
  return {};
}

Expected<std::optional<Credentials>> DockerConfig::get(const std::string& registry) const {
  if (auto helperName = helperFor(registry); !helperName.empty()) {
    CredentialHelper helper(helperName);
    auto creds = helper.get(keyFor(registry));
    if (creds || creds.error().code != ErrorCode::NotFound) return creds;
    // Docker falls back to the file when the configured helper is missing.
    spdlog::debug("{}: {}; using \"auths\" in {}", helper.program(), creds.error().message, path_);
  }
  auto key = findAuthKey(registry);
  if (!key) return std::optional<Credentials>{};
  const auto& entry = doc_["auths"][*key];
  if (!entry.is_object() || !entry.contains("auth") || !entry["auth"].is_string()) return std::optional<Credentials>{};
  auto decoded = base::base64Decode(entry["auth"].get<std::string>());
  auto colon = decoded ? decoded->find(':') : std::string::npos;
  if (colon == std::string::npos)
    return Unexpected(
        Error(ErrorCode::Invalid, fmt::format("\"auths\".\"{}\".\"auth\" is not base64 of USER:PASSWORD", *key))
            .inFile(path_));
  return std::optional<Credentials>(Credentials{decoded->substr(0, colon), decoded->substr(colon + 1)});
}

Expected<void> DockerConfig::store(const std::string& registry, const Credentials& credentials) {
  if (auto helperName = helperFor(registry); !helperName.empty()) {
    CredentialHelper helper(helperName);
    auto stored = helper.store(keyFor(registry), credentials);
    if (!stored && stored.error().code == ErrorCode::NotFound)
      return Unexpected(
          Error(ErrorCode::Auth, fmt::format("{} names credential helper '{}' but {}; install it or remove the entry",
                                             path_, helperName, stored.error().message)));
    WASMOPS_TRY_VOID(std::move(stored));
    // Docker keeps an empty entry so tools can list the registries logged in.
    doc_["auths"][keyFor(registry)] = nlohmann::ordered_json::object();
    return save();
  }
  if (auto old = findAuthKey(registry); old && *old != keyFor(registry)) doc_["auths"].erase(*old);
  doc_["auths"][keyFor(registry)] = {{"auth", base::base64Encode(credentials.username + ":" + credentials.password)}};
  return save();
}

Expected<bool> DockerConfig::erase(const std::string& registry) {
  bool removed = false;
  if (auto helperName = helperFor(registry); !helperName.empty()) {
    CredentialHelper helper(helperName);
    auto erased = helper.erase(keyFor(registry));
    if (!erased && erased.error().code != ErrorCode::NotFound) return Unexpected(erased.error());
    removed = static_cast<bool>(erased);
  }
  while (auto key = findAuthKey(registry)) {
    doc_["auths"].erase(*key);
    removed = true;
  }
  if (removed) WASMOPS_TRY_VOID(save());
  return removed;
}

Expected<void> DockerConfig::save() const {
  WASMOPS_TRY_VOID(base::makeDirectories(parentOf(path_), /*private_=*/true));
  return base::writeFileAtomically(path_, doc_.dump(1, '\t') + "\n", 0600);
}

}  // namespace wasmops::oci
