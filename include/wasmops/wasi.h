#pragma once
// wasmops embedding API, WASI preview1: give a Store the
// `wasi_snapshot_preview1` imports, then run a command module's `_start`.
// Example in docs/embedding.md.
//
//   wasmops::embed::WasiConfig cfg;
//   cfg.args = {"prog.wasm", "--flag"};
//   cfg.preopens.push_back({"/srv/data", "/data", /*readOnly=*/true});
//   auto wasi = wasmops::embed::Wasi::create(cfg);     // fails on a bad preopen
//   wasi->define(store);                               // before store.instantiate
//   auto inst = store.instantiate(module);
//   auto outcome = wasi->runCommand(*inst);            // exit code or trap
//
// A guest sees only what the config gives it: the preopened directories
// (paths never resolve outside them), the environment listed, and the
// three standard streams.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wasmops/engine.h"

namespace wasmops::wasi {
class WasiHost;
}

namespace wasmops::embed {

struct WasiPreopen {
  std::string hostPath;   // a directory on the host
  std::string guestPath;  // the name the guest sees, e.g. "/" or "/data"
  bool readOnly = false;  // no writes, creates, renames or deletes beneath it
};

struct WasiConfig {
  std::vector<std::string> args;  // argv, including argv[0]
  std::vector<std::string> env;   // "KEY=VALUE", exactly what the guest sees
  std::vector<WasiPreopen> preopens;
  // Host fds given to the guest as 0, 1, 2 (duplicated; the caller keeps its own).
  int stdinFd = 0, stdoutFd = 1, stderrFd = 2;
  // Listening sockets the guest may sock_accept on (duplicated), after the preopens.
  std::vector<int> listenFds;
};

struct WasiOutcome {
  int exitCode = 0;           // proc_exit's value, 0 when _start returns
  std::optional<Trap> trap;   // the guest trapped (exitCode is then meaningless)
  std::string error;          // the program could not be run (no _start, no memory export)
  bool ok() const { return !trap && error.empty(); }
};

class Wasi {
 public:
  static Result<Wasi> create(const WasiConfig& config);
  Wasi(Wasi&&) noexcept;
  Wasi& operator=(Wasi&&) noexcept;
  ~Wasi();

  // Defines every wasi_snapshot_preview1 function in `store`.
  void define(Store& store);
  // Binds the instance's exported memory and calls its `_start`.
  WasiOutcome runCommand(Instance& instance);
  // Binds the instance's exported memory without running anything (for
  // reactors: then call exports through Instance::call).
  Result<bool> bind(Instance& instance);

 private:
  Wasi() = default;
  std::unique_ptr<wasi::WasiHost> host_;
};

}  // namespace wasmops::embed
