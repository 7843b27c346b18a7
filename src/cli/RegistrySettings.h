#pragma once
// What push, pull and login share: the reference from the command line
// (a malformed one is a usage error, exit 2) and the registry options with
// credentials from Docker's config file.
#include <string>

#include "base/Error.h"
#include "oci/Reference.h"
#include "oci/RegistryClient.h"

namespace wasmops::cli {

Expected<oci::Reference> parseReferenceArgument(const std::string& text);
Expected<oci::RegistryOptions> registryOptionsFor(const std::string& registry, bool insecure);

}  // namespace wasmops::cli
