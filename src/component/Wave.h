#pragma once
// WAVE, the WebAssembly Value Encoding (bytecodealliance/wasm-tools,
// crates/wasm-wave): component values as text, as `wasmtime run --invoke`
// reads arguments and prints results. Printing follows wasm-wave's writer
// (`{a: 1, b: "x"}`, `case(payload)`, `%ok` for keyword labels, `{:}` for a
// record of nones, floats in shortest round-trip decimal, `nan`, `inf`).
// Parse errors carry the 1-based line and column (in characters).
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/Error.h"
#include "component/Value.h"
#include "component/ValueType.h"

namespace wasmops::component {

Expected<std::string> printWave(const Value& value, const ValueType& type);
Expected<Value> parseWave(std::string_view text, const ValueType& type);

// `name(arg, ...)`: trailing option arguments may be left out (they are none).
struct WaveCall {
  std::string name;
  std::vector<Value> args;
};
using FunctionLookup = std::function<Expected<const FunctionType*>(std::string_view name)>;
Expected<WaveCall> parseWaveCall(std::string_view text, const FunctionLookup& lookup);

}  // namespace wasmops::component
