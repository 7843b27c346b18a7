#pragma once
// The WebAssembly features a module uses, detected while decoding.
#include <cstdint>
#include <string>
#include <vector>

namespace wasmops::binary {

#define WASMOPS_FEATURES(X)                             \
  X(MutableGlobals, "mutable-globals", true)            \
  X(SignExtension, "sign-extension", true)              \
  X(NonTrappingFloatToInt, "nontrapping-float-to-int", true) \
  X(MultiValue, "multi-value", true)                    \
  X(BulkMemory, "bulk-memory", true)                    \
  X(ReferenceTypes, "reference-types", true)            \
  X(Simd, "simd128", true)                              \
  X(RelaxedSimd, "relaxed-simd", false)                 \
  X(Threads, "threads", false)                          \
  X(TailCall, "tail-call", false)                       \
  X(Exceptions, "exception-handling", false)            \
  X(Memory64, "memory64", false)                        \
  X(MultiMemory, "multi-memory", false)                 \
  X(ExtendedConst, "extended-const", false)             \
  X(FunctionReferences, "function-references", false)   \
  X(Gc, "gc", false)

enum class Feature : std::uint8_t {
#define X(name, text, wasm2) name,
  WASMOPS_FEATURES(X)
#undef X
      Count
};

const char* featureName(Feature f);
bool isWasm2Feature(Feature f);  // part of WebAssembly 2.0

class FeatureSet {
 public:
  void add(Feature f) { bits_ |= 1u << static_cast<unsigned>(f); }
  bool has(Feature f) const { return bits_ & (1u << static_cast<unsigned>(f)); }
  void merge(FeatureSet other) { bits_ |= other.bits_; }
  bool empty() const { return bits_ == 0; }
  std::vector<Feature> list() const;
  std::vector<std::string> names() const;
  // Features beyond WebAssembly 2.0 (what the engine will not run yet).
  std::vector<std::string> beyondWasm2() const;

 private:
  std::uint32_t bits_ = 0;
};

}  // namespace wasmops::binary
