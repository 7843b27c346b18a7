#include "http/Application.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>

#include "base/MappedFile.h"
#include "engine/ModuleInput.h"
#include "engine/TierPolicy.h"

namespace wasmops::http {
namespace {

namespace fs = std::filesystem;

// Lays the component's files out below `root` as the guest sees them: a
// hard link where the file system allows one, a copy otherwise. The guest
// gets the folder read-only, so a link never lets it change the original.
Expected<void> layOutFiles(const std::vector<app::LocalFile>& files, const std::string& root) {
  for (const auto& f : files) {
    const fs::path to = fs::path(root) / f.guestPath;
    std::error_code ec;
    fs::create_directories(to.parent_path(), ec);
    if (ec) return makeError(ErrorCode::Io, fmt::format("cannot create {}: {}", to.parent_path().string(), ec.message()));
    if (::link(f.hostPath.c_str(), to.c_str()) == 0) continue;
    fs::copy_file(f.hostPath, to, fs::copy_options::overwrite_existing, ec);
    if (ec) return makeError(ErrorCode::Io, fmt::format("cannot give the guest {}: {}", f.hostPath, ec.message()));
  }
  return {};
}

std::vector<std::string> componentEnv(const app::LockedComponent& c, const std::vector<std::string>& overrides) {
  std::vector<std::string> env;
  for (const auto& [k, v] : c.env) env.push_back(k + "=" + v);
  for (const auto& kv : overrides) {
    const std::string key = kv.substr(0, kv.find('='));
    std::erase_if(env, [&](const std::string& e) { return e.compare(0, key.size() + 1, key + "=") == 0; });
    env.push_back(kv);
  }
  return env;
}

}  // namespace

Expected<std::unique_ptr<Application>> Application::load(const app::SpinApp& spinApp, const LoadOptions& options) {
  auto appPtr = std::make_unique<Application>();
  Application& a = *appPtr;
  const auto& metadata = spinApp.locked.metadata;
  a.name_ = metadata.is_object() && metadata.contains("name") && metadata["name"].is_string()
                ? metadata["name"].get<std::string>()
                : "app";
  a.routes_ = spinApp.routes;
  WASMOPS_TRY_ASSIGN(a.files_, base::TempFolder::create("wasmops-up"));

  for (const auto& trigger : spinApp.http) {
    const std::string& id = trigger.component;
    if (a.components_.count(id)) continue;
    std::size_t index = 0;
    while (index < spinApp.locked.components.size() && spinApp.locked.components[index].id != id) ++index;
    if (index == spinApp.locked.components.size())
      return makeError(ErrorCode::Invalid, fmt::format("trigger '{}' names component '{}', which the manifest does not define", trigger.id, id));
    const auto& locked = spinApp.locked.components[index];
    const auto& local = spinApp.local[index];
    const std::string where = fmt::format("component '{}'", id);
    if (trigger.executor.type != app::HttpExecutor::Type::Wagi)
      return makeError(ErrorCode::Unsupported,
                       fmt::format("{}: the default executor runs wasi:http components, which `wasmops up` does not serve "
                                   "yet; for a WASI command module set `executor = {{ type = \"wagi\" }}` on its trigger",
                                   where));
    if (local.wasmPath.empty())
      return makeError(ErrorCode::Unsupported,
                       fmt::format("{}: `source` is a URL or a registry package; `wasmops up` serves local files "
                                   "(pull the application first, or use `wasmops up --from REF`)", where));
    const auto started = std::chrono::steady_clock::now();
    auto file = MappedFile::open(local.wasmPath);
    if (!file) return tl::unexpected(Error(file.error()).inFile(local.wasmPath));
    engine::ModuleInput input(file->bytes());
    engine::LoadPolicy policy;
    policy.tier = options.tier;
    policy.cacheDir = options.cacheDir;
    auto compiled = engine::loadModule(input, policy);
    if (!compiled) return tl::unexpected(Error(compiled.error()).inFile(local.wasmPath));

    WagiComponentConfig cfg;
    cfg.id = id;
    cfg.env = componentEnv(locked, options.env);
    cfg.argvTemplate = trigger.executor.argv;
    cfg.entrypoint = trigger.executor.entrypoint;
    cfg.basePath = spinApp.httpBase;
    if (!local.files.empty()) {
      cfg.filesRoot = a.files_.path() + "/" + id;
      WASMOPS_TRY_VOID(layOutFiles(local.files, cfg.filesRoot));
    }
    WASMOPS_TRY(auto component, WagiComponent::create(std::move(*compiled), std::move(cfg)));
    a.components_[id] = std::move(component);
    if (options.progress) {
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
      options.progress(fmt::format("{}: ready in {} ms ({})", id, ms, local.wasmPath));
    }
  }
  return appPtr;
}

std::optional<Application::Target> Application::route(std::string_view path) const {
  auto m = routes_.match(path);
  if (!m) return std::nullopt;
  auto it = components_.find(m->entry->component);
  if (it == components_.end()) return std::nullopt;
  return Target{it->second.get(), std::move(*m)};
}

}  // namespace wasmops::http
