#include "engine/Compiler.h"

#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
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

// The compiler's fingerprint for the cache key: its resolved path, size and
// modification time. A stat instead of running `cc --version` keeps a
// cached start free of process spawns; an upgraded compiler is a different
// file, so it still gets a new key. Empty if the program cannot be found.
std::string fingerprint(const std::string& program) {
  std::string path;
  if (program.find('/') != std::string::npos) {
    path = program;
  } else {
    const char* env = std::getenv("PATH");
    std::string dirs = env ? env : "/usr/bin:/bin";
    for (std::size_t at = 0; at <= dirs.size();) {
      const std::size_t colon = std::min(dirs.find(':', at), dirs.size());
      std::string candidate = dirs.substr(at, colon - at) + "/" + program;
      if (::access(candidate.c_str(), X_OK) == 0) {
        path = std::move(candidate);
        break;
      }
      at = colon + 1;
    }
  }
  if (path.empty()) return {};
  char resolved[PATH_MAX];
  if (!::realpath(path.c_str(), resolved)) return {};
  struct stat st {};
  if (::stat(resolved, &st) != 0 || !S_ISREG(st.st_mode)) return {};
  return fmt::format("{} {} {}.{}", resolved, st.st_size, st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
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
    std::string v = fingerprint(c.program);
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
    std::string v = fingerprint(c.program);
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
