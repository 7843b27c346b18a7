#pragma once
// Spin's runtime configuration file (`spin up --runtime-config-file`,
// spinframework/spin crates/runtime-config): what a deployment decides and
// the manifest does not. wasmops reads the parts it provides:
//
//   state_dir = ".spin"            # where "default" lives; "" = nowhere (memory)
//   [key_value_store.NAME]
//   type = "spin"                  # SQLite, Spin's own format
//   path = "data/NAME.db"          # relative to this file's folder; absent = memory
//
// Errors are located (line and column): an unknown store type, a store type
// Spin has and wasmops does not (redis, azure_cosmos, aws_dynamo), a missing
// or non-string `type`/`path`, and a top-level key Spin would refuse too
// ("unused runtime config key"). Spin keys for services wasmops does not
// provide yet (sqlite_database, llm_compute, variables_provider, ...) are
// warnings.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/Diagnostic.h"
#include "base/Error.h"

namespace wasmops::app {

struct KeyValueStoreConfig {
  std::string type;                 // "spin"
  std::optional<std::string> path;  // resolved against the file's folder; nullopt: in memory
  std::uint32_t line = 0, column = 0;
};

struct RuntimeConfig {
  std::string path;  // the file
  // `state_dir`: absolute (a relative one is taken from the working folder,
  // as Spin does); "" when the file sets it empty; nullopt when absent.
  std::optional<std::string> stateDir;
  std::map<std::string, KeyValueStoreConfig> keyValueStores;  // by label
  std::vector<Diagnostic> warnings;
};

// `path` names the file in errors, and its folder is where relative store
// paths start. Every error of the file is in the one Error (combineErrors).
Expected<RuntimeConfig> parseRuntimeConfig(std::string_view text, const std::string& path);
Expected<RuntimeConfig> loadRuntimeConfig(const std::string& path);

}  // namespace wasmops::app
