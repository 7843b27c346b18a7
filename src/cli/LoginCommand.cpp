#include <unistd.h>

#include <fmt/format.h>
#include <cstdio>
#include <iostream>
#include <iterator>

#include "cli/Commands.h"
#include "oci/DockerConfig.h"
#include "oci/Reference.h"
#include "oci/RegistryClient.h"

namespace wasmops::cli {

int runLogin(const LoginOptions& options) {
  auto registry = oci::normaliseRegistry(options.registry);
  if (!registry) return reportError(Error(ErrorCode::Usage, registry.error().message));
  if (options.username.empty())
    return reportError(
        Error(ErrorCode::Usage, "login needs -u USER (and the password on stdin with --password-stdin)"));
  if (!options.passwordStdin)
    return reportError(Error(ErrorCode::Usage,
                             "login reads the password from stdin: pass --password-stdin, e.g. "
                             "`echo \"$TOKEN\" | wasmops login REGISTRY -u USER --password-stdin`"));
  std::string password((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) password.pop_back();
  if (password.empty()) return reportError(Error(ErrorCode::Usage, "no password on stdin"));

  oci::Credentials credentials{options.username, password};
  oci::RegistryOptions registryOptions;
  registryOptions.insecure = options.insecure;
  registryOptions.credentials = credentials;
  oci::RegistryClient client(*registry, registryOptions);
  auto checked = client.checkLogin();
  if (!checked) return reportError(checked.error());
  if (!*checked) std::fprintf(stderr, "wasmops: note: %s does not ask for authentication\n", registry->c_str());

  auto config = oci::DockerConfig::load();
  if (!config) return reportError(config.error());
  if (auto stored = config->store(*registry, credentials); !stored) return reportError(stored.error());
  std::string where = config->helperFor(*registry).empty()
                          ? config->path()
                          : fmt::format("docker-credential-{}", config->helperFor(*registry));
  std::printf("Login succeeded for %s (credentials in %s)\n", registry->c_str(), where.c_str());
  return 0;
}

}  // namespace wasmops::cli
