// Canonical-ABI round trips through the component layer's C++ API: a 1 MB
// string and a list of 100,000 records, each passed to an export of
// bench/components/roundtrip.wat (assembled) that returns its argument, so
// one call lowers the value into guest memory and lifts it back.
// bench/components.py runs it next to the same calls through `jco
// transpile` under Node.
//
// Usage: component_abi_bench [--tier fast|optimized] [--runs N] ROUNDTRIP.wasm
// Prints one JSON line: per case, the median and minimum milliseconds of one call.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "binary/ComponentDecoder.h"
#include "component/ComponentInstance.h"
#include "engine/Engine.h"
#include "engine/Store.h"

using namespace wasmops;
using Clock = std::chrono::steady_clock;

namespace {

struct Case {
  const char* name;
  const char* function;
  component::Value argument;
};

}  // namespace

int main(int argc, char** argv) {
  std::string tier = "optimized", path;
  int runs = 21;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--tier" && i + 1 < argc) tier = argv[++i];
    else if (a == "--runs" && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
    else path = a;
  }
  std::ifstream in(path, std::ios::binary);
  if (path.empty() || !in) {
    std::fprintf(stderr, "usage: component_abi_bench [--tier fast|optimized] [--runs N] ROUNDTRIP.wasm\n");
    return 2;
  }
  const std::vector<std::uint8_t> bytes{std::istreambuf_iterator<char>(in), {}};
  auto decoded = binary::decodeComponent(bytes);
  if (!decoded) {
    std::fprintf(stderr, "%s\n", decoded.error().message.c_str());
    return 1;
  }
  engine::EngineConfig config;
  config.tier = tier == "fast" ? engine::Tier::Fast : engine::Tier::Optimized;
  engine::Engine engine(config);
  engine::Store store(engine::Store::Limits{});
  component::ComponentLinker linker;
  auto instance = component::ComponentInstance::instantiate(*decoded, engine, store, linker);
  if (!instance) {
    std::fprintf(stderr, "%s\n", instance.error().message.c_str());
    return 1;
  }
  std::vector<component::Value> points;
  points.reserve(100000);
  for (int i = 0; i < 100000; ++i)
    points.push_back(component::Value::record({component::Value::s32(i), component::Value::s32(-i), component::Value::u8(static_cast<std::uint8_t>(i))}));
  const Case cases[] = {
      {"string_1mb", "echo-string", component::Value::string(std::string(1000000, 'x'))},
      {"records_100k", "wasmops:bench/records@0.1.0#echo-points", component::Value::list(std::move(points))},
  };
  std::string json = "{\"engine\":\"wasmops\",\"tier\":\"" + tier + "\",\"runs\":" + std::to_string(runs);
  for (const auto& c : cases) {
    std::vector<double> ms;
    for (int r = 0; r < runs; ++r) {
      const auto t0 = Clock::now();
      auto result = (*instance)->call(c.function, {&c.argument, 1});
      const auto t1 = Clock::now();
      if (!result || !*result || **result != c.argument) {
        std::fprintf(stderr, "%s: %s\n", c.name, result ? "the value came back different" : result.error().message.c_str());
        return 1;
      }
      ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    char buf[160];
    std::snprintf(buf, sizeof buf, ",\"%s\":{\"median_ms\":%.3f,\"min_ms\":%.3f}", c.name, ms[ms.size() / 2], ms.front());
    json += buf;
  }
  std::printf("%s}\n", json.c_str());
  return 0;
}
