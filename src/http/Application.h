#pragma once
// An application ready to serve: each HTTP component compiled (or taken
// from the artifact cache) and linked before the host says it is ready, so
// no request pays for a compile; its files laid out for the guest; the
// routes in one table. A trigger with `executor = { type = "wagi" }` runs
// a WASI command module (WagiExecutor); the default executor runs a
// wasi:http component (WasiHttpExecutor).
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/RuntimeConfig.h"
#include "app/SpinManifest.h"
#include "base/TempFolder.h"
#include "engine/Engine.h"
#include "http/GuestRun.h"

namespace wasmops::http {

struct LoadOptions {
  std::optional<engine::Tier> tier;  // unset: the engine's policy (cached optimized code, else fast now)
  std::string cacheDir;              // empty: the default artifact cache
  std::vector<std::string> env;      // --env K=V for every component, over the manifest's
  // --runtime-config-file, read during load only (its key-value store labels
  // and state_dir); null: none, so only "default" exists.
  const app::RuntimeConfig* runtimeConfig = nullptr;
  // The folder whose .spin holds the "default" store; empty: the manifest's
  // folder (`serve` has no manifest of its own and passes the working folder).
  std::string stateBase;
  // Called as each component is prepared ("hello: compiled (fast tier) in 41 ms").
  std::function<void(const std::string&)> progress;
};

class Application {
 public:
  static Expected<std::unique_ptr<Application>> load(const app::SpinApp& spinApp, const LoadOptions& options);

  struct Target {
    const HttpComponent* component = nullptr;
    app::RouteMatch match;
  };
  // The component for a request path, or nullopt (404).
  std::optional<Target> route(std::string_view path) const;

  const std::string& name() const { return name_; }
  std::size_t componentCount() const { return components_.size(); }
  const app::RouteTable& routes() const { return routes_; }

 private:
  std::string name_;
  app::RouteTable routes_;
  std::map<std::string, std::shared_ptr<HttpComponent>> components_;
  base::TempFolder files_;  // each component's files, linked into one folder per component
};

}  // namespace wasmops::http
