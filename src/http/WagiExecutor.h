#pragma once
// The WAGI executor: a CGI-style WASI preview1 command serves one request
// in a fresh instance. A WagiComponent is the template, checked and linked
// once when the application loads; a GuestRun is one request's instance,
// run on its own fiber in time slices so a CPU-bound guest shares its
// thread with the server (engine/GuestTask.h), until it returns, traps, or
// passes the request's deadline.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/Error.h"
#include "engine/Runtime.h"
#include "engine/GuestTask.h"
#include "http/CgiEnvironment.h"
#include "http/GuestRun.h"
#include "http/HttpMessage.h"
#include "wasi/WasiHost.h"

namespace wasmops::http {

struct WagiComponentConfig {
  std::string id;
  std::vector<std::string> env;  // the manifest's `environment`, "KEY=VALUE"
  std::string filesRoot;         // host folder shown read-only at "/" (empty: no files)
  std::string argvTemplate = "${SCRIPT_NAME} ${ARGS}";
  std::string entrypoint = "_start";
  std::string basePath = "/";
};

class WagiComponent final : public HttpComponent {
 public:
  // Checks that the module is a WASI command this host can link (every
  // import is a WASI preview1 function; `entrypoint` is an exported
  // function [] -> []) by instantiating it once without running it.
  static Expected<std::shared_ptr<WagiComponent>> create(std::shared_ptr<engine::CompiledModule> module,
                                                          WagiComponentConfig config);
  Expected<std::unique_ptr<GuestRun>> start(Request& request, const app::RouteMatch& match,
                                            const GuestLimits& limits) const override;
  const WagiComponentConfig& config() const { return config_; }
  const std::shared_ptr<engine::CompiledModule>& module() const { return module_; }

 private:
  WagiComponent(std::shared_ptr<engine::CompiledModule> m, WagiComponentConfig c) : module_(std::move(m)), config_(std::move(c)) {}
  std::shared_ptr<engine::CompiledModule> module_;
  WagiComponentConfig config_;
};

// One request's WAGI guest.
class WagiRun final : public GuestRun {
 public:
  static Expected<std::unique_ptr<WagiRun>> start(const WagiComponent& component, Request& request,
                                                  const app::RouteMatch& match, const GuestLimits& limits);
  ~WagiRun() override;
  bool step() override;
  GuestOutcome finish() override;

 private:
  explicit WagiRun(const GuestLimits& limits) : clock_(limits) {}
  std::string requestId_;
  GuestLimits limits_;
  RequestClock clock_;
  std::unique_ptr<engine::Store> store_;
  std::unique_ptr<wasi::WasiHost> wasi_;
  wasi::MemoryStdio stdio_;
  engine::Instance* instance_ = nullptr;
  std::unique_ptr<engine::GuestTask> task_;
  std::chrono::nanoseconds instantiation_{0};
};

}  // namespace wasmops::http
