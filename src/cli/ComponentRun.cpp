#include "cli/ComponentRun.h"

#include <fmt/format.h>

#include <cstdio>

#include "binary/ComponentDecoder.h"
#include "component/ComponentInstance.h"
#include "component/ComponentLinker.h"
#include "component/Wave.h"
#include "cli/Watchdog.h"
#include "engine/Compiler.h"
#include "engine/Engine.h"
#include "engine/Store.h"

namespace wasmops::cli {

int runComponent(const RunOptions& options, std::span<const std::uint8_t> bytes, std::uint64_t maxMemory,
                 std::optional<std::chrono::milliseconds> timeout) {
  auto fail = [&](Error e) { return reportError(std::move(e).inFile(options.file)); };
  // No guest argv here (a component gets no WASI yet), so `FILE --invoke CALL`
  // reads as `--invoke CALL FILE`, in the order the issue and wasmtime users write.
  std::string invoke = options.invoke;
  if (invoke.empty() && options.args.size() == 2 && options.args[0] == "--invoke") invoke = options.args[1];
  else if (!options.args.empty())
    return fail(Error(ErrorCode::Usage, fmt::format("a component takes no arguments after FILE (got '{}')", options.args[0])));
  if (invoke.empty())
    return fail(Error(ErrorCode::Usage,
                      "running a component needs --invoke 'name(args)' (components exporting wasi:cli/run are not supported yet)"));
  auto decoded = binary::decodeComponent(bytes);
  if (!decoded) return fail(decoded.error());
  engine::EngineConfig config;
  if (!options.tier.empty()) {
    auto tier = engine::parseTier(options.tier);
    if (!tier) return fail(tier.error());
    config.tier = *tier;
  }
  config.cacheDir = options.cacheDir;
  engine::Engine engine(config);
  engine::Store store(engine::Store::Limits{maxMemory});
  const std::string timeoutMessage = fmt::format("wasmops: error: {}: timed out after {}", options.file, options.timeout);
  std::optional<Watchdog> watchdog;
  if (timeout) watchdog.emplace(store, *timeout, timeoutMessage);
  auto timedOut = [&] {
    if (!watchdog || !watchdog->fired()) return false;
    std::fprintf(stderr, "%s\n", timeoutMessage.c_str());
    return true;
  };
  component::ComponentLinker linker;  // WASI 0.2 and other host interfaces come later
  auto instance = component::ComponentInstance::instantiate(*decoded, engine, store, linker);
  if (!instance) return timedOut() ? kTimeoutExitStatus : fail(instance.error());

  auto call = component::parseWaveCall(invoke, [&](std::string_view name) -> Expected<const component::FunctionType*> {
    if (const auto* type = (*instance)->functionType(name)) return type;
    std::string names;
    for (const auto& n : (*instance)->functionNames()) names += (names.empty() ? "" : ", ") + n;
    return makeError(ErrorCode::Usage, fmt::format("no exported function '{}' (exported functions: {})", name,
                                                   names.empty() ? "none" : names));
  });
  if (!call) {
    Error e = call.error();
    if (e.code == ErrorCode::Invalid) e = Error(ErrorCode::Usage, "--invoke: " + e.message);
    return fail(std::move(e));
  }
  auto result = (*instance)->call(call->name, call->args);
  if (!result) return timedOut() ? kTimeoutExitStatus : fail(result.error());
  if (!*result) return 0;
  const auto* type = (*instance)->functionType(call->name);
  auto text = component::printWave(**result, *type->result);
  if (!text) return fail(text.error());
  std::printf("%s\n", text->c_str());
  return 0;
}

}  // namespace wasmops::cli
