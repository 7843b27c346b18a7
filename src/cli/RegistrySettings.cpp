#include "cli/RegistrySettings.h"

#include <spdlog/spdlog.h>

#include "oci/DockerConfig.h"

namespace wasmops::cli {

Expected<oci::Reference> parseReferenceArgument(const std::string& text) {
  auto ref = oci::Reference::parse(text);
  if (!ref) {
    Error e = ref.error();
    e.code = ErrorCode::Usage;
    return Unexpected(std::move(e));
  }
  return ref;
}

Expected<oci::RegistryOptions> registryOptionsFor(const std::string& registry, bool insecure) {
  oci::RegistryOptions options;
  options.insecure = insecure;
  WASMOPS_TRY(auto config, oci::DockerConfig::load());
  WASMOPS_TRY(auto credentials, config.get(registry));
  if (credentials) spdlog::debug("using credentials for {} from {}", registry, config.path());
  options.credentials = std::move(credentials);
  return options;
}

}  // namespace wasmops::cli
