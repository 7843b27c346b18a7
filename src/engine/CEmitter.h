#pragma once
// Translates a decoded, validated core module into one C translation unit
// that includes the runtime ABI (rt/wasmops_rt.h) and exports
// `wasmops_module`. One streaming pass per function body over
// binary::InstructionReader: the operand stack becomes C temporaries
// assigned once, blocks become labels and gotos.
#include <cstdint>
#include <span>
#include <string>

#include "base/Error.h"
#include "binary/Module.h"

namespace wasmops::engine {

// Bumped whenever the generated code changes meaning (cache key).
inline constexpr std::uint32_t kEmitterVersion = 4;

// Function bodies larger than this (wasm bytes) are compiled at -O1.
inline constexpr std::uint32_t kLargeFunctionBytes = 32 * 1024;

// The runtime header's text, embedded at build time.
const std::string& runtimeHeaderText();
const std::string& simdHeaderText();  // rt/wasmops_simd.h, for modules using v128

Expected<std::string> emitC(const binary::Module& module, std::span<const std::uint8_t> bytes);

}  // namespace wasmops::engine
