#pragma once
// sightglass_runner's measurements, and its component path: a sightglass
// component (cm-online-stats) instantiated on the component layer with the
// WASI 0.2 host and a `bench` interface, its wasi:cli/run called.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wasmops/wasi.h"

namespace sightglass {

using Clock = std::chrono::steady_clock;

inline double msBetween(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

struct Measurement {
  std::optional<double> compileMs, instantiateMs, totalMs;
  std::optional<int> exitCode;
  std::string error;
  int startCalls = 0, endCalls = 0;
  std::optional<Clock::time_point> benchStart, benchEnd;
};

bool isComponent(const std::vector<std::uint8_t>& wasm);

// compile: decode and PreparedComponent::prepare (every core module through
// the artifact cache); instantiate: ComponentInstance::instantiate of the
// prepared component; then wasi:cli/run.
Measurement runComponent(const std::vector<std::uint8_t>& wasm, const wasmops::embed::WasiConfig& config, bool fastTier,
                         const std::string& cacheDir);

}  // namespace sightglass
