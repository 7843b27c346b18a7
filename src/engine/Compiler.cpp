#include "engine/Compiler.h"

#include <fmt/format.h>

#include <csignal>

#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <numeric>
#include <thread>
#include <sys/stat.h>
#include <climits>
#include <vector>

#include "base/Process.h"

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

namespace {

// The limits of one compiler process: generous, but a runaway compile of
// generated code (an emitter bug) must end.
ProcessLimits compileLimits() {
  ProcessLimits limits;
  limits.cpuSeconds = 600;
  limits.addressSpaceBytes = 8ull << 30;
  limits.timeout = std::chrono::minutes(10);
  return limits;
}

// Runs one compiler command; a failure names what it was doing ("compiling
// x.c", "linking x.so") and the log.
Expected<void> runCompiler(const Compiler& compiler, const std::vector<std::string>& argv, const std::string& doing,
                           const std::string& logFile) {
  const ProcessLimits limits = compileLimits();
  ProcessSpec spec;
  spec.argv = argv;
  spec.limits = limits;
  spec.outputPath = logFile;
  spec.niceness = compiler.niceness;
  spec.cancel = compiler.cancel;
  auto r = runProcess(spec);
  if (!r) return Unexpected(r.error());
  if (r->ok()) return {};
  if (r->cancelled) return makeError(ErrorCode::Io, fmt::format("{} was cancelled {}", compiler.program, doing));
  // A limit that stopped the compiler is a limit, not a bug: a busy machine
  // or a huge unit reaches it, and the same unit may compile on the next try.
  if (r->timedOut)
    return makeError(ErrorCode::LimitExceeded,
                     fmt::format("{} was stopped {}: it reached the wall-clock limit of {} s per compiler process (log: {})",
                                 compiler.program, doing,
                                 std::chrono::duration_cast<std::chrono::seconds>(limits.timeout).count(), logFile));
  if (r->signal == SIGXCPU)
    return makeError(ErrorCode::LimitExceeded,
                     fmt::format("{} was stopped {}: it reached the CPU-time limit of {} s per compiler process (log: {})",
                                 compiler.program, doing, limits.cpuSeconds, logFile));
  if (r->signal == SIGKILL)
    return makeError(ErrorCode::LimitExceeded,
                     fmt::format("{} was killed {} (SIGKILL: its CPU-time limit of {} s, or the system ran out of "
                                 "memory; log: {})",
                                 compiler.program, doing, limits.cpuSeconds, logFile));
  const std::string why = r->signal ? fmt::format("was killed by signal {}", r->signal)
                                    : fmt::format("failed with exit status {}", r->exitCode);
  return makeError(ErrorCode::Internal, fmt::format("{} {} {} (log: {}); this is a wasmops emitter bug, "
                                                    "please report it (unless the log says it ran out of memory: "
                                                    "the limit is {} GiB of address space)",
                                                    compiler.program, why, doing, logFile,
                                                    limits.addressSpaceBytes >> 30));
}

// Runs `task(order[k])` for every k on at most `jobs` threads, starting in
// that order; the first failure in index order is the result. After a
// failure no further task starts: the artifact is lost anyway.
Expected<void> runParallel(const std::vector<std::size_t>& order, unsigned jobs,
                           const std::function<Expected<void>(std::size_t)>& task) {
  const std::size_t n = order.size();
  std::vector<Expected<void>> results(n);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  {
    std::vector<std::jthread> workers;
    const std::size_t threads = std::min<std::size_t>(n, std::max(1u, jobs));
    for (std::size_t w = 0; w < threads; ++w)
      workers.emplace_back([&] {
        for (std::size_t k = next++; k < n && !failed; k = next++) {
          results[order[k]] = task(order[k]);
          if (!results[order[k]]) failed = true;
        }
      });
  }  // joined here
  for (auto& r : results)
    if (!r) return r;
  return {};
}

}  // namespace

Expected<void> compileSharedObject(const Compiler& compiler, const std::string& cFile, const std::string& soFile,
                                   const std::string& logFile) {
  std::vector<std::string> argv = {compiler.program};
  argv.insert(argv.end(), compiler.flags.begin(), compiler.flags.end());
  argv.insert(argv.end(), {"-o", soFile, cFile, "-lm"});
  return runCompiler(compiler, argv, "compiling " + cFile, logFile);
}

Expected<void> compileUnits(const Compiler& compiler, const std::vector<std::string>& cFiles, const std::string& soFile,
                            unsigned jobs) {
  if (cFiles.size() == 1) return compileSharedObject(compiler, cFiles[0], soFile, cFiles[0] + ".log");
  if (compiler.tier == Tier::Fast) {
    std::vector<std::string> argv = {compiler.program};
    argv.insert(argv.end(), compiler.flags.begin(), compiler.flags.end());
    argv.insert(argv.end(), {"-o", soFile});
    argv.insert(argv.end(), cFiles.begin(), cFiles.end());
    argv.emplace_back("-lm");
    return runCompiler(compiler, argv, fmt::format("compiling {} and {} more units", cFiles[0], cFiles.size() - 1),
                       soFile + ".log");
  }
  // Objects: the same code-generation flags, without -shared.
  std::vector<std::string> objectFlags;
  for (const auto& f : compiler.flags)
    if (f != "-shared") objectFlags.push_back(f);
  // Largest first (C size stands for compile time): on 2 cores, index order
  // can leave one core idle behind the last big unit.
  std::vector<std::size_t> order(cFiles.size());
  std::vector<std::uintmax_t> sizes;
  for (const auto& c : cFiles) {
    std::error_code ec;
    sizes.push_back(std::filesystem::file_size(c, ec));
  }
  std::iota(order.begin(), order.end(), std::size_t{0});
  // Largest first, ties in unit order. (std::sort with an explicit tie-break:
  // std::stable_sort's temporary buffer trips clang-19 with libstdc++ 12.)
  std::sort(order.begin(), order.end(),
            [&](std::size_t a, std::size_t b) { return sizes[a] != sizes[b] ? sizes[a] > sizes[b] : a < b; });
  WASMOPS_TRY_VOID(runParallel(order, jobs, [&](std::size_t i) {
    std::vector<std::string> argv = {compiler.program};
    argv.insert(argv.end(), objectFlags.begin(), objectFlags.end());
    argv.insert(argv.end(), {"-c", "-o", cFiles[i] + ".o", cFiles[i]});
    return runCompiler(compiler, argv, "compiling " + cFiles[i], cFiles[i] + ".log");
  }));
  std::vector<std::string> argv = {compiler.program, "-shared", "-o", soFile};
  for (const auto& c : cFiles) argv.push_back(c + ".o");
  argv.emplace_back("-lm");
  return runCompiler(compiler, argv, "linking " + soFile, soFile + ".log");
}

}  // namespace wasmops::engine
