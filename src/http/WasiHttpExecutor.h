#pragma once
// The wasi:http executor: a component exporting
// `wasi:http/incoming-handler@0.2.x` serves one request in a fresh
// instance, as `wasmtime serve` and Spin 3 run them. WasiHttpComponent is
// the template (decoded, its core modules compiled, linked once when the
// application loads); WasiHttpRun is one request's instance, whose
// handle() call runs on its own fiber in time slices until it returns,
// traps, or passes the request's deadline.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/Error.h"
#include "base/MappedFile.h"
#include "binary/Component.h"
#include "component/ComponentInstance.h"
#include "component/ComponentLinker.h"
#include "engine/Engine.h"
#include "engine/GuestTask.h"
#include "http/GuestRun.h"
#include "http/KeyValueInterfaces.h"
#include "http/VariableInterfaces.h"
#include "wasi/HttpExchange.h"
#include "wasi/Preview2Host.h"

namespace wasmops::http {

struct OutboundConfig;  // http/OutboundClient.h

struct WasiHttpComponentConfig {
  std::string id;
  std::vector<std::string> env;  // the manifest's `environment`, "KEY=VALUE"
  std::string filesRoot;         // host folder shown read-only at "/" (empty: no files)
  std::string basePath = "/";
  // Spin's key-value stores and variables (docs/keyvalue.md); null: none.
  std::shared_ptr<const KeyValueOptions> keyValue;
  std::shared_ptr<const VariableOptions> variables;
  std::shared_ptr<const OutboundConfig> outbound;  // allowed_outbound_hosts; null: all refused
};

class WasiHttpComponent final : public HttpComponent {
 public:
  // Decodes the component in `file`, finds its incoming-handler export (a
  // component written for Spin's own `fermyon:spin/inbound-http` is refused
  // by name), compiles its core modules through `engine` (or takes them
  // from the artifact cache) and instantiates it once without calling it,
  // so an import this host lacks stops `up` before it is ready.
  static Expected<std::shared_ptr<WasiHttpComponent>> create(MappedFile file, const engine::Engine& engine,
                                                             WasiHttpComponentConfig config);
  Expected<std::unique_ptr<GuestRun>> start(Request& request, const app::RouteMatch& match,
                                            const GuestLimits& limits) const override;
  bool streamsRequestBody() const override { return true; }
  const WasiHttpComponentConfig& config() const { return config_; }
  // "wasi:http/incoming-handler@0.2.10#handle"
  const std::string& handler() const { return handler_; }
  // The host functions, defined once; each instance binds its own host objects.
  const component::ComponentLinker& linker() const { return linker_; }
  KeyValueHost& keyValue() const { return *keyValue_; }

 private:
  WasiHttpComponent() = default;
  MappedFile file_;                 // the decoded component points into it
  std::unique_ptr<binary::Component> component_;
  std::shared_ptr<const component::PreparedComponent> prepared_;
  std::string handler_;
  WasiHttpComponentConfig config_;
  std::unique_ptr<wasi::Preview2Host> definer_;  // the objects of calls outside any instance (none expected)
  std::unique_ptr<KeyValueHost> keyValue_;
  component::ComponentLinker linker_;
  std::shared_ptr<const component::LinkedComponent> linked_;  // prepared_ against linker_, once
};

// Whether `bytes` start with the component preamble (not a core module's).
bool isComponentBinary(std::span<const std::uint8_t> bytes);

// The wasi:http request a guest sees for `request`: its method, scheme,
// authority (the Host header), path and query as sent, its headers, and
// Spin's route headers (spin-full-url, ...).
wasi::HttpRequestHead wasiHttpRequestHead(const Request& request, const app::RouteMatch& match,
                                         const WasiHttpComponentConfig& config);

}  // namespace wasmops::http
