// The public WASI API (include/wasmops/wasi.h) over WasiHost.
#include "wasi/WasiHost.h"
#include "wasmops/engine.h"
#include "wasmops/wasi.h"

namespace wasmops::embed {

Result<Wasi> Wasi::create(const WasiConfig& config) {
  Result<Wasi> out;
  auto host = wasi::WasiHost::create(config);
  if (!host) {
    out.error = host.error().message;
    return out;
  }
  Wasi w;
  w.host_ = std::move(*host);
  out.value = std::move(w);
  return out;
}

Wasi::Wasi(Wasi&&) noexcept = default;
Wasi& Wasi::operator=(Wasi&&) noexcept = default;
Wasi::~Wasi() = default;

void Wasi::define(Store& store) {
  host_->defineImports(store.engineStore(), [&](const std::string& module, const std::string& name,
                                                const engine::Extern& ext) { store.defineExtern(module, name, ext); });
}

Result<bool> Wasi::bind(Instance& instance) {
  Result<bool> out;
  auto bound = host_->bindMemory(*instance.impl);
  if (!bound) out.error = bound.error().message;
  else out.value = true;
  return out;
}

WasiOutcome Wasi::runCommand(Instance& instance) {
  WasiOutcome out;
  auto bound = bind(instance);
  if (!bound) {
    out.error = bound.error;
    return out;
  }
  auto r = instance.call("_start", {});
  if (!r.error.empty()) {
    out.error = r.error;
    return out;
  }
  if (auto code = host_->exitCode()) {
    out.exitCode = static_cast<int>(*code);
    return out;
  }
  out.trap = r.trap;
  return out;
}

}  // namespace wasmops::embed
