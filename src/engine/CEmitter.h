#pragma once
// Translates a decoded, validated core module into C that includes the
// runtime ABI (rt/wasmops_rt.h) and exports `wasmops_module`. One streaming
// pass per function body over binary::InstructionReader: the operand stack
// becomes C temporaries assigned once, blocks become labels and gotos.
//
// A large module becomes several translation units (DESIGN.md 5b) so that
// the C compiler can work on them in parallel: a shared internal header
// (runtime ABI, types, a hidden-visibility prototype of every function) and
// units of about equal wasm code size, the last one also holding the entry
// trampolines, host thunks and the module descriptor.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "base/Error.h"
#include "binary/Module.h"

namespace wasmops::engine {

// Bumped whenever the generated code changes meaning (cache key).
inline constexpr std::uint32_t kEmitterVersion = 7;

// Function bodies larger than this (wasm bytes) are compiled at -O1.
inline constexpr std::uint32_t kLargeFunctionBytes = 32 * 1024;

// The runtime header's text, embedded at build time.
const std::string& runtimeHeaderText();
const std::string& simdHeaderText();  // rt/wasmops_simd.h, for modules using v128

// How a module is cut into translation units (numbers: docs/perf.md). The
// units are compiled `jobs` at a time, so their number is a multiple of
// `jobs`: on 2 cores, 3 equal units take as long as 4.
struct SplitPolicy {
  // Less wasm code than this: one unit without a header, as before
  // splitting existed (process and link overhead outweigh the gain).
  std::uint64_t minSplitBytes = std::uint64_t{8} * 1024;
  // More units (in multiples of `jobs`) past this much code per unit: bounds
  // each compiler's memory and evens out the load.
  std::uint64_t maxUnitBytes = std::uint64_t{128} * 1024;
  std::uint32_t maxUnits = 32;  // bounds process overhead and the link
};

// The first defined function of each unit: contiguous ranges in index order
// (neighbours tend to call each other) of about equal code size, decided
// from the code section's body sizes before anything is emitted. Always at
// least one unit; never an empty one.
std::vector<std::uint32_t> partitionFunctions(const binary::Module& module, const SplitPolicy& policy,
                                              std::uint32_t jobs);

// Receives the emitted text: the internal header (only when there are
// several units) and each unit in link order, as soon as it is complete.
struct EmitSink {
  std::function<Expected<void>(const std::string& text)> header;
  std::function<Expected<void>(std::size_t unit, const std::string& text)> unit;
};

// Emits one unit per entry of `unitStarts` (from partitionFunctions); the
// units include the header as `#include "headerName"`.
Expected<void> emitUnits(const binary::Module& module, std::span<const std::uint8_t> bytes,
                         const std::vector<std::uint32_t>& unitStarts, const std::string& headerName,
                         const EmitSink& sink);

// The whole module as one translation unit.
Expected<std::string> emitC(const binary::Module& module, std::span<const std::uint8_t> bytes);

}  // namespace wasmops::engine
