#pragma once
// The WASI preview1 host for one guest: builds the guest's world from a
// WasiConfig (stdio, preopens, args, env), provides the
// wasi_snapshot_preview1 imports and binds them to the instance's memory.
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "base/Error.h"
#include "engine/Runtime.h"
#include "engine/Store.h"
#include "wasi/MemoryStream.h"
#include "wasi/WasiContext.h"
#include "wasmops/wasi.h"

namespace wasmops::wasi {

inline constexpr const char* kModuleName = "wasi_snapshot_preview1";

// The message of the host trap proc_exit raises to unwind the guest.
inline constexpr const char* kExitMessage = "wasi proc_exit";

class WasiHost {
 public:
  // Fails when a preopen is missing or not a directory, or a stdio fd is closed.
  // Streams in `memoryStdio` replace the config's stdio fds.
  static Expected<std::unique_ptr<WasiHost>> create(const embed::WasiConfig& config, const MemoryStdio& memoryStdio = {});

  using Define = std::function<void(const std::string& module, const std::string& name, const engine::Extern&)>;
  // Creates every wasi_snapshot_preview1 function in `store` and hands each to `define`.
  void defineImports(engine::Store& store, const Define& define);
  // One wasi_snapshot_preview1 function by import name, created in `store`
  // only when asked for (a resolver that defines what a module imports and
  // nothing else: a per-request instance imports a handful of the 46);
  // nullopt for a name WASI preview1 does not have.
  std::optional<engine::Extern> defineImport(engine::Store& store, std::string_view name);
  // The linking rule for modules, shared by `run` and the HTTP host: a
  // resolver for Store::instantiate that defines each wasi_snapshot_preview1
  // function the module imports (and only those) as the instance asks for
  // it; any other import is left unresolved (the store names it).
  engine::Store::Resolver resolver(engine::Store& store);
  // Binds calls to the instance's exported "memory".
  Expected<void> bindMemory(const engine::Instance& instance);
  // Set once the guest called proc_exit.
  std::optional<std::uint32_t> exitCode() const { return cx_.exitCode; }
  WasiContext& context() { return cx_; }

 private:
  WasiContext cx_;
};

// Whether `module` imports anything from WASI (preview1 or the older name).
bool importsWasi(const binary::Module& module);

// What running a module calls, by the WASI application ABI: a command's
// `_start` (FUNC empty; nothing for a module without WASI imports whose
// start section already ran), or FUNC, after `_initialize` when the module
// is a reactor that exports one. Errors (Usage): no `_start` and no FUNC (the
// message lists the exports), FUNC not exported; Invalid: a `_start` that
// is not [] -> [].
Expected<std::vector<std::string>> entryCalls(const binary::Module& module, const std::string& func);

}  // namespace wasmops::wasi
