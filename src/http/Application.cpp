#include "http/Application.h"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <set>
#include <thread>
#include <vector>

#include "app/OutboundHosts.h"
#include "app/Variables.h"
#include "base/MappedFile.h"
#include "engine/ModuleInput.h"
#include "engine/TierPolicy.h"
#include "http/OutboundClient.h"
#include "http/WagiExecutor.h"
#include "http/WasiHttpExecutor.h"

namespace wasmops::http {
namespace {

namespace fs = std::filesystem;

// A manifest named without a folder is in the working folder. (A named
// string, not `folder = "."`: GCC 12 warns about that assignment, -Wrestrict.)
const std::string kWorkingFolder = ".";

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

  // Which components serve routes, checked before anything is compiled.
  struct Job {
    const app::HttpTrigger* trigger;
    std::size_t index;  // into spinApp.locked.components / spinApp.local
  };
  std::vector<Job> jobs;
  std::set<std::string> seen;
  for (const auto& trigger : spinApp.http) {
    const std::string& id = trigger.component;
    if (!seen.insert(id).second) continue;
    std::size_t index = 0;
    while (index < spinApp.locked.components.size() && spinApp.locked.components[index].id != id) ++index;
    if (index == spinApp.locked.components.size())
      return makeError(ErrorCode::Invalid, fmt::format("trigger '{}' names component '{}', which the manifest does not define", trigger.id, id));
    const std::string where = fmt::format("component '{}'", id);
    if (spinApp.local[index].wasmPath.empty())
      return makeError(ErrorCode::Unsupported,
                       fmt::format("{}: `source` is a URL or a registry package; `wasmops up` serves local files "
                                   "(pull the application first, or use `wasmops up --from REF`)", where));
    jobs.push_back({&trigger, index});
    // Laid out before anything is linked: a component is instantiated once
    // while loading, with these files as its "/".
    if (!spinApp.local[index].files.empty()) WASMOPS_TRY_VOID(layOutFiles(spinApp.local[index].files, a.files_.path() + "/" + id));
  }

  // Compiling (or loading from the cache) is most of the start-up of a large
  // application and each component's is independent: one worker per core.
  struct Loaded {
    // WAGI: the compiled module, linked below; wasi:http: the whole component.
    Expected<std::shared_ptr<engine::CompiledModule>> module = tl::unexpected(Error(ErrorCode::Internal, "not loaded"));
    std::shared_ptr<HttpComponent> component;
    std::chrono::steady_clock::duration took{};
    bool ran = false;
  };
  // Spin's services for wasi:http components: the key-value stores ("default"
  // in <app folder>/.spin unless the runtime config moves it, the config's
  // labels; opened on first use) and the variables.
  const std::string manifestFolder = fs::path(spinApp.manifestPath).parent_path().string();
  const std::string& appFolder = !options.stateBase.empty() ? options.stateBase
                                 : manifestFolder.empty()   ? kWorkingFolder
                                                            : manifestFolder;
  WASMOPS_TRY(auto stores, app::applicationKeyValueStores(spinApp.locked, appFolder, options.runtimeConfig));
  auto resolver = std::make_shared<const app::VariableResolver>(spinApp.locked.variables);
  // Each component's allowed_outbound_hosts (templates resolved from the
  // application's variables), and one outbound client for all of them, made
  // only when some component may send anywhere.
  std::vector<std::shared_ptr<OutboundConfig>> outbound(jobs.size());
  {
    const app::VariableResolver variables(spinApp.locked.variables);
    std::shared_ptr<OutboundClient> client;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      const auto& meta = spinApp.locked.components[jobs[i].index].metadata;
      std::vector<std::string> entries;
      if (meta.contains("allowed_outbound_hosts") && meta["allowed_outbound_hosts"].is_array())
        for (const auto& e : meta["allowed_outbound_hosts"])
          if (e.is_string()) entries.push_back(e.get<std::string>());
      auto allowed = app::AllowedOutboundHosts::parse(entries, &variables);
      if (!allowed)
        return makeError(ErrorCode::Invalid,
                         fmt::format("component '{}': {}", jobs[i].trigger->component, allowed.error().message));
      outbound[i] = std::make_shared<OutboundConfig>();
      outbound[i]->allowed = std::move(*allowed);
      if (outbound[i]->allowed.empty() || jobs[i].trigger->executor.type == app::HttpExecutor::Type::Wagi) continue;
      if (!client) WASMOPS_TRY_ASSIGN(client, OutboundClient::create());
      outbound[i]->client = client;
    }
  }
  auto componentConfig = [&](const Job& job) {
    WasiHttpComponentConfig cfg;
    const auto& locked = spinApp.locked.components[job.index];
    cfg.keyValue = keyValueOptions(locked, stores);
    cfg.variables = variableOptions(locked, resolver);
    cfg.id = job.trigger->component;
    cfg.env = componentEnv(spinApp.locked.components[job.index], options.env);
    cfg.basePath = spinApp.httpBase;
    if (!spinApp.local[job.index].files.empty()) cfg.filesRoot = a.files_.path() + "/" + cfg.id;
    cfg.outbound = outbound[static_cast<std::size_t>(&job - jobs.data())];
    return cfg;
  };
  // A wasi:http component, made whole here (its core modules compiled as a
  // module is); `module` stays empty. The errors say which executor wants what.
  auto loadComponent = [&](MappedFile file, const Job& job, bool wagi,
                           std::shared_ptr<HttpComponent>& out) -> Expected<std::shared_ptr<engine::CompiledModule>> {
    const std::string& path = file.path();
    const std::string where = fmt::format("component '{}'", job.trigger->component);
    if (wagi)
      return makeError(ErrorCode::Invalid,
                       fmt::format("{}: {} is a component, and the WAGI executor runs WASI command modules; remove "
                                   "`executor = {{ type = \"wagi\" }}` to serve it as a wasi:http component",
                                   where, path));
    if (!isComponentBinary(file.bytes()))
      return makeError(ErrorCode::Invalid,
                       fmt::format("{}: {} is a core module, and the default executor runs wasi:http components; "
                                   "for a WASI command module set `executor = {{ type = \"wagi\" }}` on its trigger",
                                   where, path));
    engine::EngineConfig ec;
    ec.tier = options.tier.value_or(engine::Tier::Fast);
    ec.cacheDir = options.cacheDir;
    engine::Engine engine(ec);
    auto made = WasiHttpComponent::create(std::move(file), engine, componentConfig(job));
    if (!made) return tl::unexpected(Error(made.error()).inFile(path));
    out = std::move(*made);
    return std::shared_ptr<engine::CompiledModule>();
  };
  std::vector<Loaded> loaded(jobs.size());
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  auto work = [&] {
    for (std::size_t i; !failed.load() && (i = next.fetch_add(1)) < jobs.size();) {
      const auto started = std::chrono::steady_clock::now();
      const std::string& path = spinApp.local[jobs[i].index].wasmPath;
      auto file = MappedFile::open(path);
      const bool wagi = jobs[i].trigger->executor.type == app::HttpExecutor::Type::Wagi;
      if (!file) {
        loaded[i].module = tl::unexpected(Error(file.error()).inFile(path));
      } else if (!wagi || isComponentBinary(file->bytes())) {
        loaded[i].module = loadComponent(std::move(*file), jobs[i], wagi, loaded[i].component);
      } else {
        engine::ModuleInput input(file->bytes());
        engine::LoadPolicy policy;
        policy.tier = options.tier;
        policy.cacheDir = options.cacheDir;
        auto compiled = engine::loadModule(input, policy);
        if (compiled)
          loaded[i].module = std::move(*compiled);
        else
          loaded[i].module = tl::unexpected(Error(compiled.error()).inFile(path));
      }
      if (!loaded[i].module) failed.store(true);
      loaded[i].ran = true;
      loaded[i].took = std::chrono::steady_clock::now() - started;
    }
  };
  const std::size_t workers = std::min<std::size_t>(jobs.size(), std::max(1u, std::thread::hardware_concurrency()));
  std::vector<std::thread> threads;
  for (std::size_t w = 1; w < workers; ++w) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();

  // Then in manifest order: the first error, or each component linked.
  for (const auto& l : loaded)
    if (l.ran && !l.module) return tl::unexpected(l.module.error());
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    const auto started = std::chrono::steady_clock::now();
    const app::HttpTrigger& trigger = *jobs[i].trigger;
    const std::string& id = trigger.component;
    const auto& locked = spinApp.locked.components[jobs[i].index];
    const auto& local = spinApp.local[jobs[i].index];
    auto ready = [&] {
      if (!options.progress) return;
      const auto took = loaded[i].took + (std::chrono::steady_clock::now() - started);
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
      options.progress(fmt::format("{}: ready in {} ms ({})", id, ms, local.wasmPath));
    };
    if (loaded[i].component) {
      a.components_[id] = std::move(loaded[i].component);
      ready();
      continue;
    }
    WagiComponentConfig cfg;
    cfg.id = id;
    cfg.env = componentEnv(locked, options.env);
    cfg.argvTemplate = trigger.executor.argv;
    cfg.entrypoint = trigger.executor.entrypoint;
    cfg.basePath = spinApp.httpBase;
    if (!local.files.empty()) cfg.filesRoot = a.files_.path() + "/" + id;
    WASMOPS_TRY(auto component, WagiComponent::create(std::move(*loaded[i].module), std::move(cfg)));
    a.components_[id] = std::move(component);
    ready();
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
