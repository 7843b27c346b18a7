// Runs ONE sightglass benchmark (a core wasm module importing bench.start,
// bench.end and wasi_snapshot_preview1, on the wasmops embedding API; or a
// component importing `bench` and WASI 0.2, such as cm-online-stats, through
// sightglass_component.cpp: components are not in the embedding API yet) and
// prints one JSON line with the same fields as
// ../shared/bench/sightglass/run-node.mjs, so bench/sightglass.py can put the
// two side by side.
//
// Usage:
//   sightglass_runner [--tier fast|optimized] [--cache-dir DIR] [--small]
//                     [--no-check] MODULE.wasm WORKDIR STDOUT_FILE STDERR_FILE
//
// Environment given to the guest (as run-node.mjs and upstream sightglass):
//   * WORKDIR (the benchmark's folder) is the only preopen, named "." (fd 3);
//     wasi-libc resolves the relative input paths against it;
//   * argv = [<wasm file name>], empty environment except
//     WASM_BENCH_USE_SMALL_WORKLOAD=1 with --small, stdin = /dev/null;
//   * stdout/stderr go to STDOUT_FILE/STDERR_FILE and are compared line by
//     line with <stem>.stdout.expected / <stem>.stderr.expected next to the
//     module, falling back to default.stdout.expected / default.stderr.expected.
//
// Timings (steady clock):
//   compile_ms      Engine::compile: validate, emit C + run the C compiler, or
//                   load the artifact from the cache (artifact_cached says
//                   which), dlopen
//   instantiate_ms  Store + bench/WASI imports + Store::instantiate
//   measured_ms     first bench.start -> last bench.end (also measured_ns)
//   total_ms        start of compile -> return from _start
// Exit status: 0 = ran with exit code 0 and outputs matched (or no expected
// files), 1 = failure or mismatch, 2 = usage error.
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "sightglass_component.h"
#include "wasmops/engine.h"
#include "wasmops/version.h"
#include "wasmops/wasi.h"

namespace fs = std::filesystem;
using Clock = sightglass::Clock;
using sightglass::Measurement;

namespace {

struct Options {
  std::string tier = "optimized";
  std::string cacheDir;
  bool small = false;
  bool check = true;
  std::string module, workdir, stdoutFile, stderrFile;
};

int usage(const std::string& message) {
  if (!message.empty()) std::fprintf(stderr, "sightglass_runner: %s\n", message.c_str());
  std::fprintf(stderr,
               "usage: sightglass_runner [--tier fast|optimized] [--cache-dir DIR] [--small] [--no-check]\n"
               "                         MODULE.wasm WORKDIR STDOUT_FILE STDERR_FILE\n");
  return 2;
}

std::optional<Options> parseArgs(int argc, char** argv) {
  Options o;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if ((a == "--tier" || a == "--cache-dir") && i + 1 < argc) {
      (a == "--tier" ? o.tier : o.cacheDir) = argv[++i];
    } else if (a == "--small") {
      o.small = true;
    } else if (a == "--no-check") {
      o.check = false;
    } else if (a.starts_with("--")) {
      usage("unknown option " + a);
      return std::nullopt;
    } else {
      positional.push_back(a);
    }
  }
  if (positional.size() != 4 || (o.tier != "fast" && o.tier != "optimized")) {
    usage(positional.size() != 4 ? "expected MODULE WORKDIR STDOUT_FILE STDERR_FILE" : "--tier is fast or optimized");
    return std::nullopt;
  }
  o.module = positional[0];
  o.workdir = positional[1];
  o.stdoutFile = positional[2];
  o.stderrFile = positional[3];
  return o;
}

std::string jsonString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string jsonMs(std::optional<double> ms) {
  if (!ms) return "null";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6f", *ms);
  return buf;
}

using sightglass::msBetween;

// Rust str::lines semantics: split on \n, drop one trailing empty element,
// strip a trailing \r from each line.
std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::string line;
  std::istringstream in(text);
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(line);
  }
  return out;
}

std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// "match", "mismatch" or "no-expected", as run-node.mjs reports.
std::string compareOutput(const fs::path& actual, const fs::path& moduleDir, const std::string& stem,
                          const std::string& kind) {
  for (const auto& name : {stem + "." + kind + ".expected", "default." + kind + ".expected"}) {
    const fs::path expected = moduleDir / name;
    if (fs::exists(expected)) return lines(readFile(actual)) == lines(readFile(expected)) ? "match" : "mismatch";
  }
  return "no-expected";
}

// Number of artifacts in the cache directory: unchanged by a compile = cache hit.
std::optional<std::size_t> countArtifacts(const std::string& dir) {
  if (dir.empty()) return std::nullopt;
  std::size_t n = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (it->path().extension() == ".so") ++n;
  return n;
}

// A core module on the embedding API: compile, instantiate with bench.* and
// WASI preview1, run _start.
Measurement runModule(const std::vector<std::uint8_t>& wasm, wasmops::embed::Wasi& wasi, wasmops::embed::Tier tier,
                      const std::string& cacheDir) {
  using namespace wasmops::embed;
  Measurement m;
  const Engine engine(tier, cacheDir);
  const auto t0 = Clock::now();
  auto module = engine.compile(wasm);
  const auto t1 = Clock::now();
  if (!module) {
    m.error = "compile: " + module.error;
    return m;
  }
  m.compileMs = msBetween(t0, t1);
  Store store;
  store.defineFunction("bench", "start", {}, {}, [&](std::span<const Value>, std::span<Value>) {
    ++m.startCalls;
    if (!m.benchStart) m.benchStart = Clock::now();
    return std::optional<std::string>();
  });
  store.defineFunction("bench", "end", {}, {}, [&](std::span<const Value>, std::span<Value>) {
    m.benchEnd = Clock::now();
    ++m.endCalls;
    return std::optional<std::string>();
  });
  wasi.define(store);
  auto instance = store.instantiate(*module);
  const auto t2 = Clock::now();
  if (!instance) {
    m.error = "instantiate: " + instance.error;
    return m;
  }
  m.instantiateMs = msBetween(t1, t2);
  const WasiOutcome outcome = wasi.runCommand(*instance);
  m.totalMs = msBetween(t0, Clock::now());
  if (outcome.trap) {
    m.error = "trap: " + outcome.trap->message +
              (outcome.trap->function.empty() ? "" : " (in function '" + outcome.trap->function + "')");
  } else if (!outcome.error.empty()) {
    m.error = outcome.error;
  } else {
    m.exitCode = outcome.exitCode;
  }
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  auto opts = parseArgs(argc, argv);
  if (!opts) return 2;
  using namespace wasmops::embed;

  const fs::path modulePath = fs::absolute(opts->module);
  const std::string stem = modulePath.stem().string();
  const std::string name =
      modulePath.filename() == "benchmark.wasm" ? modulePath.parent_path().filename().string() : stem;
  std::ifstream in(modulePath, std::ios::binary);
  if (!in) return usage("cannot read " + opts->module);
  const std::vector<std::uint8_t> wasm{std::istreambuf_iterator<char>(in), {}};

  const int stdinFd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  const int stdoutFd = ::open(opts->stdoutFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const int stderrFd = ::open(opts->stderrFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (stdinFd < 0 || stdoutFd < 0 || stderrFd < 0) return usage("cannot open /dev/null or the capture files");

  // The WASI context is set up before the clock starts, as run-node.mjs
  // creates its WASI object before WebAssembly.compile.
  WasiConfig config;
  config.args = {modulePath.filename().string()};
  if (opts->small) config.env = {"WASM_BENCH_USE_SMALL_WORKLOAD=1"};
  config.preopens.push_back({fs::absolute(opts->workdir).string(), ".", false});
  config.stdinFd = stdinFd;
  config.stdoutFd = stdoutFd;
  config.stderrFd = stderrFd;
  auto wasi = Wasi::create(config);
  if (!wasi) return usage("WASI setup: " + wasi.error);

  Measurement m;
  const auto cachedBefore = countArtifacts(opts->cacheDir);
  if (sightglass::isComponent(wasm)) {
    m = sightglass::runComponent(wasm, config, opts->tier == "fast", opts->cacheDir);
  } else {
    m = runModule(wasm, *wasi, opts->tier == "fast" ? Tier::Fast : Tier::Optimized, opts->cacheDir);
  }
  std::optional<bool> artifactCached;
  if (cachedBefore) artifactCached = countArtifacts(opts->cacheDir) == cachedBefore;
  std::optional<double> measuredMs;
  std::optional<std::int64_t> measuredNs;
  if (m.benchStart && m.benchEnd) {
    measuredNs = std::chrono::duration_cast<std::chrono::nanoseconds>(*m.benchEnd - *m.benchStart).count();
    measuredMs = msBetween(*m.benchStart, *m.benchEnd);
  }
  const auto& [compileMs, instantiateMs, totalMs, exitCode, error, startCalls, endCalls, benchStart, benchEnd] = m;
  ::close(stdinFd);
  ::close(stdoutFd);
  ::close(stderrFd);

  std::string stdoutCheck = "null", stderrCheck = "null";
  bool mismatch = false;
  if (opts->check) {
    const std::string o = compareOutput(opts->stdoutFile, modulePath.parent_path(), stem, "stdout");
    const std::string e = compareOutput(opts->stderrFile, modulePath.parent_path(), stem, "stderr");
    mismatch = o == "mismatch" || e == "mismatch";
    stdoutCheck = jsonString(o);
    stderrCheck = jsonString(e);
  }
  const bool ok = error.empty() && exitCode == 0 && !mismatch;

  std::string json = "{\"name\":" + jsonString(name) + ",\"wasm\":" + jsonString(opts->module) +
                     ",\"compile_ms\":" + jsonMs(compileMs) + ",\"instantiate_ms\":" + jsonMs(instantiateMs) +
                     ",\"measured_ms\":" + jsonMs(measuredMs) + ",\"total_ms\":" + jsonMs(totalMs) +
                     ",\"exit_code\":" + (exitCode ? std::to_string(*exitCode) : "null") +
                     ",\"bench_start_calls\":" + std::to_string(startCalls) +
                     ",\"bench_end_calls\":" + std::to_string(endCalls) + ",\"stdout_check\":" + stdoutCheck +
                     ",\"stderr_check\":" + stderrCheck + ",\"engine\":\"wasmops " WASMOPS_VERSION_STRING "\"" +
                     ",\"tier\":" + jsonString(opts->tier) +
                     ",\"measured_ns\":" + (measuredNs ? std::to_string(*measuredNs) : "null") +
                     ",\"artifact_cached\":" + (artifactCached ? (*artifactCached ? "true" : "false") : "null");
  if (!error.empty()) json += ",\"error\":" + jsonString(error);
  json += std::string(",\"ok\":") + (ok ? "true" : "false") + "}";
  std::printf("%s\n", json.c_str());
  return ok ? 0 : 1;
}
