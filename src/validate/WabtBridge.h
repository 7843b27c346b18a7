#pragma once
// The only place that talks to libwabt. Callers must have decoded the bytes
// with binary::decodeModule first: wabt's asserts are live in Debian's build.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "validate/Diagnostic.h"

namespace wabt {
struct Module;
}

namespace wasmops::validate {

struct WabtModule {
  std::unique_ptr<wabt::Module> module;
  std::vector<Diagnostic> diagnostics;  // read or validation errors
  ~WabtModule();
  WabtModule();
  WabtModule(WabtModule&&) noexcept;
};

// Reads the binary into wabt's IR and validates it (WebAssembly 2.0 features).
WabtModule readAndValidateWithWabt(std::span<const std::uint8_t> bytes, bool readNames);

// WebAssembly text of a module that readAndValidateWithWabt accepted.
Expected<std::string> writeWat(wabt::Module& module, bool foldExprs, bool inlineExports);

}  // namespace wasmops::validate
