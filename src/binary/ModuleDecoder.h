#pragma once
// Decodes a core module from bytes in one pass, checking every length,
// count and encoding against the bytes that are there. Function bodies are
// decoded instruction by instruction (so the result is known well-formed and
// safe to hand to wabt) but only their offsets are kept.
#include <cstdint>
#include <span>

#include "base/Error.h"
#include "binary/Module.h"

namespace wasmops::binary {

// Implementation limits, as in the JS API and wasmtime; past them a module is
// refused with LimitExceeded rather than costing unbounded memory.
struct DecodeLimits {
  std::uint32_t maxLocals = 50000;
  std::uint32_t maxFunctionBodySize = 7654321;
  std::uint32_t maxParams = 1000;
  std::uint32_t maxResults = 1000;
  std::uint32_t maxStructFields = 10000;
  std::uint32_t maxBrTableTargets = 65520;
  std::uint32_t maxNesting = 100000;
};

struct DecodeOptions {
  bool decodeBodies = true;
  DecodeLimits limits;
};

Expected<Module> decodeModule(std::span<const std::uint8_t> bytes, const DecodeOptions& options = {});

// The instruction pass that `decodeBodies = false` skipped, over a module
// decoded from these same `bytes`: a cache hit needs only the sections, a
// miss finishes the decode here instead of starting again.
Expected<void> decodeFunctionBodies(Module& m, std::span<const std::uint8_t> bytes, const DecodeLimits& limits = {});

}  // namespace wasmops::binary
