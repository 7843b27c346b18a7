#include "cli/ComponentRun.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdio>

#include "base/AtomicFile.h"
#include "binary/ComponentDecoder.h"
#include "component/ComponentInstance.h"
#include "component/ComponentLinker.h"
#include "component/Wave.h"
#include "cli/GuestExit.h"
#include "cli/Watchdog.h"
#include "engine/Compiler.h"
#include "engine/Engine.h"
#include "engine/Store.h"
#include "wasi/Preview2Host.h"

namespace wasmops::cli {
namespace {

// `--invoke @FILE` reads at most this much: WAVE text of a value the canonical
// ABI can carry (strings and lists up to 256 MiB) with room for quoting.
constexpr std::size_t kMaxInvokeFile = 1u << 30;

// "a, b, c" or "none": for the messages that say what a component exports.
std::string exportedFunctions(const component::ComponentInstance& instance) {
  const auto names = instance.functionNames();
  return names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", "));
}

}  // namespace

int runComponent(const RunOptions& options, std::span<const std::uint8_t> bytes, std::uint64_t maxMemory,
                 std::optional<std::chrono::milliseconds> timeout, const embed::WasiConfig& wasi) {
  auto fail = [&](Error e) { return reportError(std::move(e).inFile(options.file)); };
  // `FILE --invoke CALL` (wasmtime users' order) reads as `--invoke CALL FILE`.
  std::string invoke = options.invoke;
  embed::WasiConfig world = wasi;
  if (invoke.empty() && options.args.size() == 2 && options.args[0] == "--invoke") {
    invoke = options.args[1];
    world.args.resize(1);
  }
  // `--invoke @FILE`: the call's text from FILE, for arguments no command line holds (a
  // single argument is at most 128 KiB on Linux).
  if (invoke.size() > 1 && invoke.front() == '@') {
    auto text = base::readSmallFile(invoke.substr(1), kMaxInvokeFile);
    if (!text) return reportError(Error(text.error()).inFile(invoke.substr(1)));
    invoke = std::move(*text);
    while (!invoke.empty() && (invoke.back() == '\n' || invoke.back() == '\r')) invoke.pop_back();
  }
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
  auto host = wasi::Preview2Host::create(world);
  if (!host) return reportError(host.error());
  component::ComponentLinker linker;
  if (auto defined = (*host)->define(linker); !defined) return fail(defined.error());
  // A guest that exits (wasi:cli/exit) unwinds with a trap; its status is the outcome.
  auto exited = [&]() -> std::optional<int> {
    if (auto code = (*host)->exitCode()) return guestExitStatus(*code);
    return std::nullopt;
  };
  auto instance = component::ComponentInstance::instantiate(*decoded, engine, store, linker);
  if (!instance) {
    if (auto code = exited()) return *code;
    return timedOut() ? kTimeoutExitStatus : fail(instance.error());
  }

  if (invoke.empty()) {
    auto run = wasi::commandExport(**instance);
    if (!run)
      return fail(Error(ErrorCode::Usage, fmt::format("not a command: the component exports no wasi:cli/run; pass --invoke "
                                                      "'name(args)' (exported functions: {})",
                                                      exportedFunctions(**instance))));
    auto result = (*instance)->call(*run, {});
    if (!result) {
      if (auto code = exited()) return *code;
      return timedOut() ? kTimeoutExitStatus : fail(result.error());
    }
    // run: func() -> result: an error case is a failed program (wasmtime exits 1 too).
    return *result && (*result)->caseIndex() != 0 ? 1 : 0;
  }
  if (world.args.size() > 1)
    return fail(Error(ErrorCode::Usage, fmt::format("--invoke takes no arguments after FILE (got '{}')", world.args[1])));

  auto call = component::parseWaveCall(invoke, [&](std::string_view name) -> Expected<const component::FunctionType*> {
    if (const auto* type = (*instance)->functionType(name)) return type;
    return makeError(ErrorCode::Usage,
                     fmt::format("no exported function '{}' (exported functions: {})", name, exportedFunctions(**instance)));
  });
  if (!call) {
    Error e = call.error();
    if (e.code == ErrorCode::Invalid) e = Error(ErrorCode::Usage, "--invoke: " + e.message);
    return fail(std::move(e));
  }
  auto result = (*instance)->call(call->name, call->args);
  if (!result) {
    if (auto code = exited()) return *code;
    return timedOut() ? kTimeoutExitStatus : fail(result.error());
  }
  if (!*result) return 0;
  const auto* type = (*instance)->functionType(call->name);
  auto text = component::printWave(**result, *type->result);
  if (!text) return fail(text.error());
  std::printf("%s\n", text->c_str());
  return 0;
}

}  // namespace wasmops::cli
