#include "engine/Compiler.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <unistd.h>
#include <vector>

#include "base/Subprocess.h"

namespace wasmops::engine {

const char* toString(Tier tier) { return tier == Tier::Fast ? "fast" : "optimized"; }

Expected<Tier> parseTier(const std::string& text) {
  if (text == "fast") return Tier::Fast;
  if (text == "optimized") return Tier::Optimized;
  return makeError(ErrorCode::Usage, "unknown tier '" + text + "' (use fast or optimized)");
}

namespace {

// First line of `program --version` (or -v for tcc), or empty if it cannot run.
std::string versionLine(const std::string& program, const char* flag) {
  char tmpl[] = "/tmp/wasmops-ccver-XXXXXX";
  int fd = ::mkstemp(tmpl);
  if (fd < 0) return {};
  ::close(fd);
  auto r = runProcess({program, flag}, tmpl, ProcessLimits{10, 0, std::chrono::seconds(10)});
  std::string line;
  if (r && r->ok()) {
    std::ifstream in(tmpl);
    std::getline(in, line);
  }
  std::remove(tmpl);
  return line;
}

}  // namespace

Expected<Compiler> findCompiler(Tier tier) {
  static std::mutex mu;
  static std::map<Tier, Compiler> found;
  std::lock_guard lock(mu);
  if (auto it = found.find(tier); it != found.end()) return it->second;
  Compiler c;
  c.tier = tier;
  if (tier == Tier::Fast) {
    c.program = "tcc";
    c.flags = {"-shared", "-fPIC", "-O2", "-w"};
    std::string v = versionLine(c.program, "-v");
    if (v.empty()) return makeError(ErrorCode::NotFound, "the fast tier needs tcc (Debian package tcc); not found");
    c.identity = v;
  } else {
    const char* cc = std::getenv("CC");
    c.program = cc && *cc ? cc : "cc";
    // -ffp-contract=off: no fused multiply-add, wasm rounds every operation.
    // -fsignaling-nans: x - 0.0 and x * 1.0 must still quiet a signaling NaN.
    // -fno-optimize-sibling-calls: a recursive call must use stack, so that
    // unbounded recursion reaches the stack-limit check instead of looping.
    c.flags = {"-shared", "-fPIC", "-O2", "-march=native", "-fvisibility=hidden", "-ffp-contract=off",
               "-fno-optimize-sibling-calls", "-fsignaling-nans", "-fno-reorder-blocks-and-partition",
               "-fno-strict-aliasing", "-w"};
    std::string v = versionLine(c.program, "--version");
    if (v.empty()) return makeError(ErrorCode::NotFound, "the optimized tier needs a C compiler ($CC or cc); not found");
    c.identity = v;
  }
  for (const auto& f : c.flags) c.identity += " " + f;
  found[tier] = c;
  return c;
}

Expected<void> compileSharedObject(const Compiler& compiler, const std::string& cFile, const std::string& soFile,
                                   const std::string& logFile) {
  std::vector<std::string> argv = {compiler.program};
  argv.insert(argv.end(), compiler.flags.begin(), compiler.flags.end());
  argv.insert(argv.end(), {"-o", soFile, cFile, "-lm"});
  ProcessLimits limits;
  limits.cpuSeconds = 600;
  limits.addressSpaceBytes = 8ull << 30;
  limits.timeout = std::chrono::minutes(10);
  auto r = runProcess(argv, logFile, limits);
  if (!r) return Unexpected(r.error());
  if (!r->ok()) {
    std::string why = r->timedOut ? "timed out" : r->signal ? fmt::format("was killed by signal {}", r->signal)
                                                            : fmt::format("failed with exit status {}", r->exitCode);
    return makeError(ErrorCode::Internal, fmt::format("{} {} compiling {} (log: {}); this is a wasmops emitter bug, "
                                                      "please report it",
                                                      compiler.program, why, cFile, logFile));
  }
  return {};
}

}  // namespace wasmops::engine
