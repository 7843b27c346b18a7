#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <optional>

#include <unistd.h>

#include "binary/Preamble.h"
#include "cli/GuestExit.h"
#include "cli/Commands.h"
#include "cli/ComponentRun.h"
#include "cli/InputFile.h"
#include "cli/SizeArgument.h"
#include "cli/ModuleLoading.h"
#include "cli/WasiArguments.h"
#include "cli/Watchdog.h"
#include "engine/Runtime.h"
#include "wasi/WasiHost.h"

namespace wasmops::cli {
namespace {

using binary::ValKind;

// Parses a command-line argument as a wasm value of the parameter's type:
// integers in decimal or 0x hex (negative allowed), floats as C does plus
// nan/inf.
Expected<wasmops_val> parseArgument(const std::string& text, ValKind kind, std::size_t position) {
  wasmops_val v{};
  auto bad = [&](const char* what) {
    return makeError(ErrorCode::Usage, fmt::format("argument {} '{}' is not {}", position + 1, text, what));
  };
  errno = 0;
  char* end = nullptr;
  switch (kind) {
    case ValKind::I32:
    case ValKind::I64: {
      const bool negative = !text.empty() && text[0] == '-';
      if (negative) {
        long long s = std::strtoll(text.c_str(), &end, 0);
        if (errno || *end || text.size() == 1) return bad("an integer");
        if (kind == ValKind::I32 && s < INT32_MIN) return bad("an i32");
        if (kind == ValKind::I32) v.i32 = static_cast<std::uint32_t>(static_cast<std::int32_t>(s));
        else v.i64 = static_cast<std::uint64_t>(s);
      } else {
        unsigned long long u = std::strtoull(text.c_str(), &end, 0);
        if (errno || *end || text.empty()) return bad("an integer");
        if (kind == ValKind::I32 && u > UINT32_MAX) return bad("an i32");
        if (kind == ValKind::I32) v.i32 = static_cast<std::uint32_t>(u);
        else v.i64 = u;
      }
      return v;
    }
    case ValKind::F32:
    case ValKind::F64: {
      double d = std::strtod(text.c_str(), &end);
      if (*end || text.empty()) return bad("a number");
      if (kind == ValKind::F32) v.f32 = static_cast<float>(d);
      else v.f64 = d;
      return v;
    }
    default: return makeError(ErrorCode::Unsupported, fmt::format("parameter {} has a type the command line cannot pass", position + 1));
  }
}

std::string formatResult(const wasmops_val& v, ValKind kind) {
  switch (kind) {
    case ValKind::I32: return fmt::format("{}", static_cast<std::int32_t>(v.i32));
    case ValKind::I64: return fmt::format("{}", static_cast<std::int64_t>(v.i64));
    case ValKind::F32: return fmt::format("{}", v.f32);
    case ValKind::F64: return fmt::format("{}", v.f64);
    case ValKind::Ref: return v.ref ? "ref" : "null";
    default: return "?";
  }
}

}  // namespace

namespace {

struct RunSetup {
  std::uint64_t maxMemory = 0;
  std::optional<std::chrono::milliseconds> timeout;
  embed::WasiConfig wasi;
  std::vector<UniqueFd> listeners;  // kept open until the guest is done
};

Expected<RunSetup> parseRunOptions(const RunOptions& options) {
  RunSetup s;
  if (!options.maxMemory.empty()) WASMOPS_TRY_ASSIGN(s.maxMemory, parseSize(options.maxMemory));
  if (!options.timeout.empty()) WASMOPS_TRY_ASSIGN(s.timeout, parseDuration(options.timeout));
  s.wasi.args.push_back(options.file);
  for (const auto& a : options.args) s.wasi.args.push_back(a);
  // One entry per key: an --env after --env-inherit (or a later --env)
  // replaces the value in place, as a shell's export would.
  auto setEnv = [&](std::string kv) {
    const std::string key = kv.substr(0, kv.find('='));
    for (auto& existing : s.wasi.env)
      if (existing.compare(0, key.size() + 1, key + "=") == 0) {
        existing = std::move(kv);
        return;
      }
    s.wasi.env.push_back(std::move(kv));
  };
  if (options.envInherit)
    for (char** e = environ; *e; ++e) setEnv(*e);
  for (const auto& e : options.env) {
    WASMOPS_TRY(auto kv, parseEnvArgument(e));
    if (!kv.empty()) setEnv(std::move(kv));
  }
  for (const auto& d : options.dirs) {
    WASMOPS_TRY(auto p, parseDirArgument(d));
    s.wasi.preopens.push_back(std::move(p));
  }
  for (const auto& l : options.listen) {
    WASMOPS_TRY(auto fd, listenOn(l));
    s.wasi.listenFds.push_back(fd.get());
    s.listeners.push_back(std::move(fd));
  }
  return s;
}

int reportTrap(const std::string& file, const engine::Trap& t) {
  std::string text = fmt::format("wasmops: error: {}: trap: {}{}\n", file, t.message,
                                 t.function.empty() ? "" : fmt::format(" (in function '{}')", t.function));
  if (t.backtrace.size() > 1) {
    // Optimized code may have inlined some calls (those frames are missing)
    // or split a function in two (it shows twice): repeats are folded.
    text += "wasm backtrace (innermost first):\n";
    for (std::size_t i = 0; i < t.backtrace.size();) {
      std::size_t n = 1;
      while (i + n < t.backtrace.size() && t.backtrace[i + n] == t.backtrace[i]) ++n;
      text += n > 1 ? fmt::format("  {} (x{})\n", t.backtrace[i], n) : fmt::format("  {}\n", t.backtrace[i]);
      i += n;
    }
  }
  std::fwrite(text.data(), 1, text.size(), stderr);
  return 1;
}

// The function index of export `name` (entryCalls checked it exists).
std::uint32_t exportIndex(const binary::Module& m, const std::string& name) {
  for (const auto& e : m.exports)
    if (e.kind == binary::ExternKind::Func && e.name == name) return e.index;
  return 0;
}

}  // namespace

int runRun(const RunOptions& options) {
  auto setup = parseRunOptions(options);
  if (!setup) return reportError(setup.error());
  auto file = openInputOrReference(options.file);
  if (!file) return reportError(file.error());
  if (auto preamble = binary::readPreamble(file->bytes()); preamble && preamble->kind == binary::BinaryKind::Component)
    return runComponent(options, file->bytes(), setup->maxMemory, setup->timeout, setup->wasi);
  auto compiled = loadModule(options.file, file->bytes(), TierChoice{options.tier, options.cacheDir});
  if (!compiled) return reportError(Error(compiled.error()).inFile(options.file));
  const auto& m = (*compiled)->module();

  engine::Store store(engine::Store::Limits{setup->maxMemory});
  const std::string timeoutMessage =
      fmt::format("wasmops: error: {}: timed out after {}", options.file, options.timeout);
  // Instantiation runs guest code too (start functions): the deadline covers it.
  std::optional<Watchdog> watchdog;
  if (setup->timeout) watchdog.emplace(store, *setup->timeout, timeoutMessage);
  auto timedOut = [&](const engine::Trap& t) {
    if (t.kind != engine::TrapKind::Interrupted) return false;
    std::fprintf(stderr, "%s\n", timeoutMessage.c_str());
    return true;
  };
  std::unique_ptr<wasi::WasiHost> wasiHost;
  if (wasi::importsWasi(m)) {
    auto host = wasi::WasiHost::create(setup->wasi);
    if (!host) return reportError(host.error());
    wasiHost = std::move(*host);
  }
  auto instance = store.instantiate(*compiled, wasiHost ? wasiHost->resolver(store) : engine::Store::Resolver(
                                                              [](const std::string&, const std::string&) { return std::nullopt; }));
  if (!instance) {
    const auto& e = instance.error();
    if (e.trap) {
      if (wasiHost && wasiHost->exitCode()) return guestExitStatus(*wasiHost->exitCode());
      if (timedOut(*e.trap)) return kTimeoutExitStatus;
      std::fprintf(stderr, "wasmops: error: %s: trap during instantiation: %s\n", options.file.c_str(), e.trap->message.c_str());
      return 1;
    }
    return reportError(Error(ErrorCode::Invalid, e.message + (wasiHost ? " (wasmops run provides wasi_snapshot_preview1)"
                                                                         : " (wasmops run provides WASI imports only)"))
                           .inFile(options.file));
  }
  if (wasiHost) {
    if (auto bound = wasiHost->bindMemory(**instance); !bound) return reportError(Error(bound.error()).inFile(options.file));
  }

  // Calls `func` and turns the outcome into an exit status; prints results when asked.
  auto call = [&](const std::string& func, const binary::FuncType& ft, const std::vector<wasmops_val>& args,
                  bool printResults) -> int {
    auto outcome = (*instance)->call(func, args);
    if (!outcome) return reportError(Error(ErrorCode::Usage, outcome.error()));
    if (outcome->trap) {
      if (wasiHost && wasiHost->exitCode()) return guestExitStatus(*wasiHost->exitCode());
      if (timedOut(*outcome->trap)) return kTimeoutExitStatus;
      return reportTrap(options.file, *outcome->trap);
    }
    if (printResults) {
      std::string out;
      for (std::size_t i = 0; i < outcome->results.size(); ++i) out += formatResult(outcome->results[i], ft.results[i].kind) + "\n";
      std::fwrite(out.data(), 1, out.size(), stdout);
    }
    return 0;
  };

  auto calls = wasi::entryCalls(m, options.invoke);
  if (!calls) return reportError(Error(calls.error()).inFile(options.file));
  std::vector<wasmops_val> args;
  const binary::FuncType* ft = nullptr;
  if (!options.invoke.empty()) {
    ft = m.funcType(*m.functionTypeIndex(exportIndex(m, options.invoke)));
    if (options.args.size() != ft->params.size())
      return reportError(Error(ErrorCode::Usage, fmt::format("'{}' takes {} arguments {}, got {}", options.invoke, ft->params.size(),
                                                             binary::toString(*ft), options.args.size())));
    for (std::size_t i = 0; i < options.args.size(); ++i) {
      auto v = parseArgument(options.args[i], ft->params[i].kind, i);
      if (!v) return reportError(v.error());
      args.push_back(*v);
    }
  }
  for (const auto& func : *calls) {
    const bool invoked = func == options.invoke;
    static const binary::FuncType kNone;
    if (int rc = call(func, invoked ? *ft : kNone, invoked ? args : std::vector<wasmops_val>{}, invoked); rc != 0) return rc;
  }
  return 0;
}

}  // namespace wasmops::cli
