#include "sightglass_component.h"

#include "binary/ComponentDecoder.h"
#include "binary/Preamble.h"
#include "component/ComponentInstance.h"
#include "engine/Engine.h"
#include "engine/Store.h"
#include "wasi/Preview2Host.h"

namespace sightglass {

using namespace wasmops;

bool isComponent(const std::vector<std::uint8_t>& wasm) {
  auto preamble = binary::readPreamble(wasm);
  return preamble && preamble->kind == binary::BinaryKind::Component;
}

Measurement runComponent(const std::vector<std::uint8_t>& wasm, const embed::WasiConfig& config, bool fastTier,
                         const std::string& cacheDir) {
  Measurement m;
  auto host = wasi::Preview2Host::create(config);
  if (!host) {
    m.error = "WASI setup: " + host.error().message;
    return m;
  }
  component::ComponentLinker linker;
  auto start = [&m](std::span<const component::Value>) -> Expected<std::optional<component::Value>> {
    ++m.startCalls;
    if (!m.benchStart) m.benchStart = Clock::now();
    return std::nullopt;
  };
  auto end = [&m](std::span<const component::Value>) -> Expected<std::optional<component::Value>> {
    m.benchEnd = Clock::now();
    ++m.endCalls;
    return std::nullopt;
  };
  if (auto ok = (*host)->define(linker); !ok) {
    m.error = ok.error().message;
    return m;
  }
  (void)linker.define("bench", "start", start);
  (void)linker.define("bench", "end", end);

  engine::EngineConfig ec;
  ec.tier = fastTier ? engine::Tier::Fast : engine::Tier::Optimized;
  ec.cacheDir = cacheDir;
  engine::Engine engine(ec);
  const auto t0 = Clock::now();
  auto decoded = binary::decodeComponent(wasm);
  if (!decoded) {
    m.error = "decode: " + decoded.error().message;
    return m;
  }
  auto prepared = component::PreparedComponent::prepare(*decoded, engine);
  if (!prepared) {
    m.error = "compile: " + prepared.error().message;
    return m;
  }
  const auto t1 = Clock::now();
  m.compileMs = msBetween(t0, t1);
  engine::Store store(engine::Store::Limits{});
  auto instance = component::ComponentInstance::instantiate(**prepared, store, linker);
  const auto t2 = Clock::now();
  if (!instance) {
    m.error = "instantiate: " + instance.error().message;
    return m;
  }
  m.instantiateMs = msBetween(t1, t2);
  std::optional<std::string> run = wasi::commandExport(**instance);
  if (!run) {
    m.error = "the component exports no wasi:cli/run";
    return m;
  }
  auto result = (*instance)->call(*run, {});
  m.totalMs = msBetween(t0, Clock::now());
  if (auto code = (*host)->exitCode()) {
    m.exitCode = static_cast<int>(*code);
  } else if (!result) {
    m.error = result.error().message;
  } else {
    m.exitCode = *result && (*result)->caseIndex() != 0 ? 1 : 0;
  }
  return m;
}

}  // namespace sightglass
