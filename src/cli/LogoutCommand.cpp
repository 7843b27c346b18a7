#include <cstdio>

#include "cli/Commands.h"
#include "oci/DockerConfig.h"
#include "oci/Reference.h"

namespace wasmops::cli {

int runLogout(const LogoutOptions& options) {
  auto registry = oci::normaliseRegistry(options.registry);
  if (!registry) return reportError(Error(ErrorCode::Usage, registry.error().message));
  auto config = oci::DockerConfig::load();
  if (!config) return reportError(config.error());
  auto erased = config->erase(*registry);
  if (!erased) return reportError(erased.error());
  if (*erased)
    std::printf("Removed credentials for %s\n", registry->c_str());
  else
    std::printf("Not logged in to %s\n", registry->c_str());
  return 0;
}

}  // namespace wasmops::cli
