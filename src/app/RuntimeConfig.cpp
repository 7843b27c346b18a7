#include "app/RuntimeConfig.h"

#include "app/Toml.h"  // toml++, configured for this layer

#include <algorithm>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "app/ManifestHints.h"
#include "base/AtomicFile.h"

namespace wasmops::app {
namespace {

constexpr std::size_t kMaxRuntimeConfigBytes = 1u << 20;

// Spin's runtime-config keys (crates/runtime-config and the factors' TOML
// sources) for services wasmops does not provide yet: read past, with a warning.
constexpr std::string_view kIgnoredKeys[] = {
    "log_dir",          "sqlite_database",   "llm_compute",   "variables_provider", "config_provider",
    "outbound_networking", "outbound_http", "outbound_redis", "outbound_pg",        "outbound_mysql",
    "outbound_mqtt",    "client_tls",        "otel",
};

// Key-value store types Spin knows (crates/runtime-config key_value_config_resolver).
constexpr std::string_view kSpinStoreTypes[] = {"redis", "azure_cosmos", "aws_dynamo"};

std::string folderOf(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
}

class RuntimeConfigParser {
 public:
  explicit RuntimeConfigParser(std::string path) : path_(std::move(path)) { config_.path = path_; }

  Expected<RuntimeConfig> parse(std::string_view text) {
    run(text);
    sortByPosition(diags_);
    if (hasErrors(diags_)) return Unexpected(combineErrors(path_, diags_));
    config_.warnings = std::move(diags_);
    return std::move(config_);
  }

 private:
  void run(std::string_view text) {
    auto parsed = parseTomlDocument(text, path_, diags_);
    if (!parsed) return;
    const toml::table& doc = *parsed;
    for (const auto& [k, v] : doc) {
      const std::string key(k.str());
      if (key == "key_value_store") {
        keyValueStores(v);
      } else if (key == "state_dir") {
        stateDir(v);
      } else if (std::find(std::begin(kIgnoredKeys), std::end(kIgnoredKeys), key) != std::end(kIgnoredKeys)) {
        warn(k.source().begin, fmt::format("\"{}\" is ignored: wasmops does not provide it yet", key));
      } else {
        error(k.source().begin, ErrorCode::Invalid,
              fmt::format("unused runtime config key \"{}\"{}", key,
                          suggestion(key, {"key_value_store", "state_dir", "sqlite_database", "variables_provider"})));
      }
    }
  }

  void stateDir(const toml::node& v) {
    const auto* s = v.as_string();
    if (!s) return error(v.source().begin, ErrorCode::Invalid, "state_dir must be a string (a folder)");
    if (s->get().empty()) {
      config_.stateDir = std::string();
      return;
    }
    if (s->get().find('\0') != std::string::npos)
      return error(v.source().begin, ErrorCode::Invalid, "state_dir holds a NUL character");
    std::error_code ec;
    auto absolute = std::filesystem::absolute(s->get(), ec);
    config_.stateDir = ec ? s->get() : absolute.lexically_normal().string();
  }

  void keyValueStores(const toml::node& v) {
    const auto* stores = v.as_table();
    if (!stores)
      return error(v.source().begin, ErrorCode::Invalid,
                   "key_value_store must be a table of [key_value_store.LABEL] tables");
    for (const auto& [k, store] : *stores) keyValueStore(std::string(k.str()), store);
  }

  void keyValueStore(const std::string& label, const toml::node& node) {
    const std::string what = fmt::format("[key_value_store.{}]", label);
    const auto* t = node.as_table();
    if (!t) return error(node.source().begin, ErrorCode::Invalid, what + " must be a table (type = \"spin\", path = \"...\")");
    KeyValueStoreConfig store;
    store.line = node.source().begin.line;
    store.column = node.source().begin.column;
    const toml::node* type = t->get("type");
    if (!type)
      return error(node.source().begin, ErrorCode::Invalid, what + " has no type (write type = \"spin\")");
    const auto* typeName = type->as_string();
    if (!typeName) return error(type->source().begin, ErrorCode::Invalid, what + ": type must be a string");
    store.type = typeName->get();
    if (store.type != "spin") {
      if (std::find(std::begin(kSpinStoreTypes), std::end(kSpinStoreTypes), store.type) != std::end(kSpinStoreTypes))
        return error(type->source().begin, ErrorCode::Unsupported,
                     fmt::format("{}: store type \"{}\" is not supported by wasmops yet; use type = \"spin\" "
                                 "(SQLite)",
                                 what, store.type));
      return error(type->source().begin, ErrorCode::Invalid,
                   fmt::format("{}: unknown store type \"{}\" (wasmops provides \"spin\"; Spin also has \"redis\", "
                               "\"azure_cosmos\" and \"aws_dynamo\")",
                               what, store.type));
    }
    for (const auto& [k, v] : *t) {
      const std::string key(k.str());
      if (key == "type") continue;
      if (key == "path") {
        const auto* p = v.as_string();
        if (!p) return error(v.source().begin, ErrorCode::Invalid, what + ": path must be a string (a file)");
        if (p->get().empty()) return error(v.source().begin, ErrorCode::Invalid, what + ": path is empty");
        if (p->get().find('\0') != std::string::npos)
          return error(v.source().begin, ErrorCode::Invalid, what + ": path holds a NUL character");
        std::string path = p->get();
        if (path.front() != '/') path = folderOf(path_) + "/" + path;
        store.path = std::filesystem::path(path).lexically_normal().string();
      } else {
        warn(k.source().begin, fmt::format("{}: unknown key \"{}\" is ignored{}", what, key, suggestion(key, {"type", "path"})));
      }
    }
    config_.keyValueStores[label] = std::move(store);
  }

  void error(toml::source_position pos, ErrorCode code, std::string message) {
    diags_.push_back({Severity::Error, code, std::move(message), pos.line, pos.column});
  }
  void warn(toml::source_position pos, std::string message) {
    diags_.push_back({Severity::Warning, ErrorCode::Invalid, std::move(message), pos.line, pos.column});
  }

  std::string path_;
  RuntimeConfig config_;
  std::vector<Diagnostic> diags_;
};

}  // namespace

Expected<RuntimeConfig> parseRuntimeConfig(std::string_view text, const std::string& path) {
  return RuntimeConfigParser(path).parse(text);
}

Expected<RuntimeConfig> loadRuntimeConfig(const std::string& path) {
  WASMOPS_TRY(auto text, base::readSmallFile(path, kMaxRuntimeConfigBytes));
  return parseRuntimeConfig(text, path);
}

}  // namespace wasmops::app
