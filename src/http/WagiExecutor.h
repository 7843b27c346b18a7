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
#include "http/HttpMessage.h"
#include "wasi/WasiHost.h"

namespace wasmops::http {

struct GuestLimits {
  std::chrono::milliseconds deadline{30'000};      // per request: 504 after it
  std::chrono::microseconds timeSlice{2'000};      // a guest yields its thread this often
  std::uint64_t maxMemoryBytes = 128ull << 20;     // per instance: 500 past it
  std::size_t maxResponseBytes = 64ull << 20;      // the guest's stdout
  std::size_t maxStderrBytes = 64 * 1024;          // kept for the log; the rest is dropped
};

struct WagiComponentConfig {
  std::string id;
  std::vector<std::string> env;  // the manifest's `environment`, "KEY=VALUE"
  std::string filesRoot;         // host folder shown read-only at "/" (empty: no files)
  std::string argvTemplate = "${SCRIPT_NAME} ${ARGS}";
  std::string entrypoint = "_start";
  std::string basePath = "/";
};

class WagiComponent {
 public:
  // Checks that the module is a WASI command this host can link (every
  // import is a WASI preview1 function; `entrypoint` is an exported
  // function [] -> []) by instantiating it once without running it.
  static Expected<std::shared_ptr<WagiComponent>> create(std::shared_ptr<engine::CompiledModule> module,
                                                          WagiComponentConfig config);
  const WagiComponentConfig& config() const { return config_; }
  const std::shared_ptr<engine::CompiledModule>& module() const { return module_; }

 private:
  WagiComponent(std::shared_ptr<engine::CompiledModule> m, WagiComponentConfig c) : module_(std::move(m)), config_(std::move(c)) {}
  std::shared_ptr<engine::CompiledModule> module_;
  WagiComponentConfig config_;
};

// How a request's guest ended.
struct GuestOutcome {
  enum class Kind { Ok, Trap, Timeout, MemoryLimit, ExitCode, BadResponse, ResponseTooLarge, StartFailed };
  Kind kind = Kind::Ok;
  Response response;          // Ok: the guest's; otherwise the host's error response
  std::string detail;         // for the log: the trap, the parse error, ...
  std::string stderrOutput;   // what the guest wrote to stderr (capped)
  bool stderrTruncated = false;
  std::chrono::nanoseconds instantiation{0};
  std::uint64_t memoryBytes = 0;  // the guest's memory at the end
  std::uint64_t yields = 0;
};

class GuestRun {
 public:
  // Instantiates the component for `request` (whose body it takes) and
  // prepares the call; nothing runs until step(). Errors are host
  // failures (a missing files folder, out of memory pools).
  static Expected<std::unique_ptr<GuestRun>> start(const WagiComponent& component, Request& request,
                                                   const app::RouteMatch& match, const GuestLimits& limits);
  ~GuestRun();
  // Runs the guest for up to one time slice; true once it is over.
  bool step();
  // Once step() returned true.
  GuestOutcome finish();

 private:
  GuestRun() = default;
  std::string requestId_;
  GuestLimits limits_;
  std::chrono::steady_clock::time_point deadline_;
  bool timedOut_ = false;
  std::unique_ptr<engine::Store> store_;
  std::unique_ptr<wasi::WasiHost> wasi_;
  wasi::MemoryStdio stdio_;
  engine::Instance* instance_ = nullptr;
  std::unique_ptr<engine::GuestTask> task_;
  std::chrono::nanoseconds instantiation_{0};
};

}  // namespace wasmops::http
