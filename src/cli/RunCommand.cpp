#include <fmt/format.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "cli/Commands.h"
#include "cli/InputFile.h"
#include "cli/SizeArgument.h"
#include "engine/Runtime.h"

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

int runRun(const RunOptions& options) {
  auto tier = engine::parseTier(options.tier);
  if (!tier) return reportError(tier.error());
  std::uint64_t maxMemory = 0;
  if (!options.maxMemory.empty()) {
    auto size = parseSize(options.maxMemory);
    if (!size) return reportError(size.error());
    maxMemory = *size;
  }
  auto file = openInput(options.file);
  if (!file) return reportError(file.error());
  engine::Engine eng(engine::EngineConfig{.tier = *tier, .cacheDir = options.cacheDir, .split = {}});
  auto compiled = eng.compile(file->bytes());
  if (!compiled) return reportError(Error(compiled.error()).inFile(options.file));
  const auto& m = (*compiled)->module();
  for (const auto& imp : m.imports) {
    if (imp.module == "wasi_snapshot_preview1" || imp.module == "wasi_unstable")
      return reportError(Error(ErrorCode::Unsupported, "this module imports WASI (" + imp.module + "." + imp.name +
                                                           "); running WASI programs comes with the WASI host")
                             .inFile(options.file));
  }
  engine::Store store(engine::Store::Limits{maxMemory});
  auto instance = store.instantiate(*compiled, [](const std::string&, const std::string&) { return std::nullopt; });
  if (!instance) {
    const auto& e = instance.error();
    if (e.trap) {
      std::fprintf(stderr, "wasmops: error: %s: trap during instantiation: %s\n", options.file.c_str(), e.trap->message.c_str());
      return 1;
    }
    return reportError(Error(ErrorCode::Invalid, e.message + " (wasmops run provides no imports yet)").inFile(options.file));
  }
  std::string func = options.invoke;
  if (func.empty()) {
    bool hasStart = false;
    for (const auto& e : m.exports) hasStart |= e.kind == binary::ExternKind::Func && e.name == "_start";
    if (!hasStart) {
      if (m.start) return 0;  // the start function has run
      return reportError(Error(ErrorCode::Usage, "nothing to run: the module exports no _start; pass --invoke FUNC").inFile(options.file));
    }
    func = "_start";
  }
  const binary::FuncType* ft = nullptr;
  for (const auto& e : m.exports)
    if (e.kind == binary::ExternKind::Func && e.name == func) ft = m.funcType(*m.functionTypeIndex(e.index));
  if (!ft) {
    std::string names;
    for (const auto& e : m.exports)
      if (e.kind == binary::ExternKind::Func) names += (names.empty() ? "" : ", ") + e.name;
    return reportError(Error(ErrorCode::Usage, fmt::format("no exported function '{}' (exported functions: {})", func,
                                                           names.empty() ? "none" : names))
                           .inFile(options.file));
  }
  if (options.args.size() != ft->params.size())
    return reportError(Error(ErrorCode::Usage, fmt::format("'{}' takes {} arguments {}, got {}", func, ft->params.size(),
                                                           binary::toString(*ft), options.args.size())));
  std::vector<wasmops_val> args;
  for (std::size_t i = 0; i < options.args.size(); ++i) {
    auto v = parseArgument(options.args[i], ft->params[i].kind, i);
    if (!v) return reportError(v.error());
    args.push_back(*v);
  }
  auto outcome = (*instance)->call(func, args);
  if (!outcome) return reportError(Error(ErrorCode::Usage, outcome.error()));
  if (outcome->trap) {
    const auto& t = *outcome->trap;
    std::fprintf(stderr, "wasmops: error: %s: trap: %s%s\n", options.file.c_str(), t.message.c_str(),
                 t.function.empty() ? "" : fmt::format(" (in function '{}')", t.function).c_str());
    return 1;
  }
  std::string out;
  for (std::size_t i = 0; i < outcome->results.size(); ++i) out += formatResult(outcome->results[i], ft->results[i].kind) + "\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace wasmops::cli
