// Runs every command of the WebAssembly 2.0 spec suite (../shared/conformance
// /spec, tests/ and tests-draft1/) on the engine in one tier, and compares
// with the expected-failures list: an unlisted failure fails the test, and
// so does a listed entry that passes. Prints totals beside wabt's baseline.
#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>
#include <unistd.h>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "SpecSuite.h"
#include "base/MappedFile.h"
#include "engine/Runtime.h"

namespace fs = std::filesystem;
using namespace wasmops;
using namespace wasmops::engine;
using nlohmann::json;

namespace {

struct Counts {
  int total = 0, passed = 0;
};

// Host references N map to distinct non-null pointers N+1.
void* externRef(const std::string& v) { return v == "null" ? nullptr : reinterpret_cast<void*>(std::stoull(v) + 1); }

// v128 values come as lanes of `lane_type`, each as a decimal bit pattern.
unsigned laneBytes(const std::string& lt) {
  return lt == "i8" ? 1 : lt == "i16" ? 2 : (lt == "i32" || lt == "f32") ? 4 : 8;
}

std::optional<wasmops_val> parseValue(const json& j) {
  wasmops_val v{};
  const std::string t = j["type"];
  if (t == "v128") {
    const unsigned w = laneBytes(j["lane_type"]);
    std::size_t i = 0;
    for (const auto& lane : j["value"]) {
      std::uint64_t bits = std::stoull(lane.get<std::string>());
      std::memcpy(v.v128 + i * w, &bits, w);
      ++i;
    }
    return v;
  }
  const std::string s = j["value"];
  if (t == "i32") v.i32 = static_cast<std::uint32_t>(std::stoull(s));
  else if (t == "i64") v.i64 = std::stoull(s);
  else if (t == "f32") {
    auto b = static_cast<std::uint32_t>(std::stoull(s));
    std::memcpy(&v.f32, &b, 4);
  } else if (t == "f64") {
    auto b = std::stoull(s);
    std::memcpy(&v.f64, &b, 8);
  } else if (t == "externref") v.ref = externRef(s);
  else v.ref = nullptr;  // funcref: only null occurs
  return v;
}

bool matches(const json& expected, const wasmops_val& got, std::string& why);
bool matches(const json& expected, const wasmops_val& got, std::string& why) {
  const std::string t = expected["type"];
  const std::string s = expected["value"].is_string() ? expected["value"].get<std::string>() : "";
  auto fail = [&](const std::string& g) {
    why = "expected " + t + ":" + s + ", got " + g;
    return false;
  };
  if (t == "i32") return got.i32 == static_cast<std::uint32_t>(std::stoull(s)) || fail(std::to_string(got.i32));
  if (t == "i64") return got.i64 == std::stoull(s) || fail(std::to_string(got.i64));
  if (t == "f32") {
    std::uint32_t b;
    std::memcpy(&b, &got.f32, 4);
    if (s == "nan:canonical") return (b & 0x7fffffffu) == 0x7fc00000u || fail(std::to_string(b));
    if (s == "nan:arithmetic") return (b & 0x7fc00000u) == 0x7fc00000u || fail(std::to_string(b));
    return b == static_cast<std::uint32_t>(std::stoull(s)) || fail(std::to_string(b));
  }
  if (t == "f64") {
    std::uint64_t b;
    std::memcpy(&b, &got.f64, 8);
    if (s == "nan:canonical") return (b & 0x7fffffffffffffffull) == 0x7ff8000000000000ull || fail(std::to_string(b));
    if (s == "nan:arithmetic") return (b & 0x7ff8000000000000ull) == 0x7ff8000000000000ull || fail(std::to_string(b));
    return b == std::stoull(s) || fail(std::to_string(b));
  }
  if (t == "externref") return got.ref == externRef(s) || fail("another reference");
  if (t == "v128") {
    const std::string lt = expected["lane_type"];
    const unsigned w = laneBytes(lt);
    std::size_t i = 0;
    for (const auto& lane : expected["value"]) {
      wasmops_val one{};
      std::memcpy(&one, got.v128 + i * w, w);
      json scalar = {{"type", lt == "f32" || lt == "f64" ? lt : (w == 8 ? "i64" : "i32")}, {"value", lane}};
      if (lt == "i8" || lt == "i16") {
        // Compare the lane's own bits.
        std::uint64_t want = std::stoull(lane.get<std::string>()) & ((1ull << (8 * w)) - 1);
        std::uint64_t have = 0;
        std::memcpy(&have, got.v128 + i * w, w);
        if (want != have) {
          why = "v128 lane " + std::to_string(i) + ": expected " + std::to_string(want) + ", got " + std::to_string(have);
          return false;
        }
      } else if (!matches(scalar, one, why)) {
        why = "v128 lane " + std::to_string(i) + ": " + why;
        return false;
      }
      ++i;
    }
    return true;
  }
  if (t == "funcref") return (s == "null") == (got.ref == nullptr) || fail(got.ref ? "non-null" : "null");
  why = "cannot compare " + t;
  return false;
}

class FileRunner {
 public:
  FileRunner(const Engine& engine, const fs::path& jsonPath) : engine_(engine), json_(jsonPath) { makeSpectest(); }

  // Returns the ids of failed commands (with a reason) and updates counts.
  void run(std::map<std::string, Counts>& counts, std::map<std::string, std::string>& failures, const std::string& prefix);

 private:
  void makeSpectest();
  std::optional<Extern> resolve(const std::string& module, const std::string& name);
  struct ModuleResult {
    Instance* instance = nullptr;
    std::string error;
    bool link = false, trap = false, compileFailed = false;
  };
  ModuleResult load(const std::string& file);
  // Performs an action; returns error text, or results.
  tl::expected<CallOutcome, std::string> act(const json& action);

  const Engine& engine_;
  fs::path json_;
  Store store_;
  std::map<std::string, Extern> spectest_;
  std::map<std::string, Instance*> registered_, named_;
  Instance* current_ = nullptr;
};

void FileRunner::makeSpectest() {
  using binary::ValKind;
  auto fn = [&](const char* name, std::vector<binary::ValType> params) {
    binary::FuncType ft;
    ft.params = std::move(params);
    spectest_[name] = store_.hostFunction(ft, [](const wasmops_val*, wasmops_val*) { return std::nullopt; });
  };
  fn("print", {});
  fn("print_i32", {{ValKind::I32}});
  fn("print_i64", {{ValKind::I64}});
  fn("print_f32", {{ValKind::F32}});
  fn("print_f64", {{ValKind::F64}});
  fn("print_i32_f32", {{ValKind::I32}, {ValKind::F32}});
  fn("print_f64_f64", {{ValKind::F64}, {ValKind::F64}});
  wasmops_val v{};
  v.i32 = 666;
  spectest_["global_i32"] = store_.newGlobal({{ValKind::I32}, false}, v);
  v.i64 = 666;
  spectest_["global_i64"] = store_.newGlobal({{ValKind::I64}, false}, v);
  v = {};
  v.f32 = 666.6f;
  spectest_["global_f32"] = store_.newGlobal({{ValKind::F32}, false}, v);
  v = {};
  v.f64 = 666.6;
  spectest_["global_f64"] = store_.newGlobal({{ValKind::F64}, false}, v);
  binary::TableType tt;
  tt.limits.min = 10;
  tt.limits.max = 20;
  spectest_["table"] = store_.newTable(tt);
  binary::Limits ml;
  ml.min = 1;
  ml.max = 2;
  spectest_["memory"] = store_.newMemory(ml);
}

std::optional<Extern> FileRunner::resolve(const std::string& module, const std::string& name) {
  if (module == "spectest") {
    auto it = spectest_.find(name);
    if (it == spectest_.end()) return std::nullopt;
    return it->second;
  }
  auto it = registered_.find(module);
  if (it == registered_.end()) return std::nullopt;
  return it->second->exported(name);
}

FileRunner::ModuleResult FileRunner::load(const std::string& file) {
  ModuleResult r;
  auto bytes = MappedFile::open((json_.parent_path() / file).string());
  if (!bytes) {
    r.error = bytes.error().format();
    r.compileFailed = true;
    return r;
  }
  auto cm = engine_.compile(bytes->bytes());
  if (!cm) {
    r.error = "compile: " + cm.error().format();
    r.compileFailed = true;
    return r;
  }
  auto inst = store_.instantiate(*cm, [&](const std::string& m, const std::string& n) { return resolve(m, n); });
  if (!inst) {
    r.link = inst.error().link;
    r.trap = inst.error().trap.has_value();
    r.error = r.trap ? "trap: " + inst.error().trap->message : inst.error().message;
    return r;
  }
  r.instance = *inst;
  return r;
}

tl::expected<CallOutcome, std::string> FileRunner::act(const json& action) {
  Instance* target = current_;
  if (action.contains("module")) {
    auto it = named_.find(action["module"]);
    target = it == named_.end() ? nullptr : it->second;
  }
  if (!target) return tl::unexpected(std::string("no module instance to act on"));
  const std::string field = action["field"];
  if (action["type"] == "get") {
    auto ext = target->exported(field);
    if (!ext || ext->kind != binary::ExternKind::Global) return tl::unexpected("no global " + field);
    CallOutcome out;
    out.results.push_back(reinterpret_cast<wasmops_global*>(ext->global)->v);
    return out;
  }
  std::vector<wasmops_val> args;
  for (const auto& a : action["args"]) {
    auto v = parseValue(a);
    if (!v) return tl::unexpected(std::string("unsupported argument"));
    args.push_back(*v);
  }
  return target->call(field, args);
}

void FileRunner::run(std::map<std::string, Counts>& counts, std::map<std::string, std::string>& failures,
                     const std::string& prefix) {
  std::ifstream in(json_);
  auto doc = json::parse(in);
  for (const auto& cmd : doc["commands"]) {
    const std::string type = cmd["type"];
    if (type == "assert_invalid" || type == "assert_malformed") continue;  // the validate runner covers these
    const std::string id = prefix + ":" + std::to_string(cmd["line"].get<int>());
    auto& c = counts[type];
    ++c.total;
    std::string failure;
    if (type == "module") {
      auto r = load(cmd["filename"]);
      current_ = r.instance;
      if (r.instance && cmd.contains("name")) named_[cmd["name"]] = r.instance;
      if (!r.instance) failure = r.error;
    } else if (type == "register") {
      Instance* target = cmd.contains("name") ? named_[cmd["name"]] : current_;
      if (target) registered_[cmd["as"]] = target;
      else failure = "nothing to register";
    } else if (type == "assert_uninstantiable" || type == "assert_unlinkable") {
      auto r = load(cmd["filename"]);
      bool ok = type == "assert_uninstantiable" ? r.trap : r.link;
      if (!ok) failure = r.instance ? "instantiated" : r.error;
    } else {  // action, assert_return, assert_trap, assert_exhaustion
      auto out = act(cmd["action"]);
      if (!out) {
        failure = out.error();
      } else if (type == "action") {
        if (out->trap) failure = "trapped: " + out->trap->message;
      } else if (type == "assert_return") {
        if (out->trap) {
          failure = "trapped: " + out->trap->message;
        } else if (out->results.size() != cmd["expected"].size()) {
          failure = "wrong number of results";
        } else {
          for (std::size_t i = 0; i < out->results.size() && failure.empty(); ++i) {
            matches(cmd["expected"][i], out->results[i], failure);
          }
        }
      } else {
        const std::string want = cmd["text"];
        if (!out->trap) failure = "did not trap (expected " + want + ")";
        else if (out->trap->message.rfind(want.substr(0, std::min<std::size_t>(want.size(), 20)), 0) != 0 &&
                 want.rfind(out->trap->message, 0) != 0)
          failure = "trapped with '" + out->trap->message + "', expected '" + want + "'";
      }
    }
    if (failure.empty()) ++c.passed;
    else failures[id] = type + ": " + failure;
  }
}

}  // namespace

int main(int argc, char** argv) {
  // --units N: every module with at least N functions is compiled as N
  // translation units (spec modules are far below the size that splits).
  // --memory guard|bounds: the memory strategy (default: guard pages where
  // the process can reserve them).
  std::optional<std::uint32_t> forceUnits;
  MemoryStrategy memory = MemoryStrategy::Auto;
  bool usage = argc < 5;
  for (int i = 5; !usage && i < argc; i += 2) {
    if (i + 1 >= argc) {
      usage = true;
    } else if (std::strcmp(argv[i], "--units") == 0) {
      forceUnits = static_cast<std::uint32_t>(std::stoul(argv[i + 1]));
    } else if (std::strcmp(argv[i], "--memory") == 0 && std::strcmp(argv[i + 1], "guard") == 0) {
      memory = MemoryStrategy::GuardPages;
    } else if (std::strcmp(argv[i], "--memory") == 0 && std::strcmp(argv[i + 1], "bounds") == 0) {
      memory = MemoryStrategy::BoundsChecks;
    } else {
      usage = true;
    }
  }
  if (usage) {
    std::fprintf(stderr,
                 "usage: %s SHARED_DIR fast|optimized EXPECTED_FAILURES CACHE_DIR [--units N] [--memory guard|bounds]\n",
                 argv[0]);
    return 2;
  }
  const fs::path shared = argv[1];
  auto tier = parseTier(argv[2]);
  if (!tier) return 2;
  auto expected = spec::loadExpectedFailures(argv[3]);
  EngineConfig config{.tier = *tier, .memory = memory, .cacheDir = argv[4], .split = {}};
  if (forceUnits) config.split = SplitPolicy{.minSplitBytes = 0, .maxUnitBytes = 1, .maxUnits = *forceUnits};
  Engine engine(config);
  // A miscompiled loop or a compiler that hangs would stall the run: a
  // watchdog ends it with the file name. One optimized compile of a large
  // SIMD module takes over a minute on a quiet 2-core machine and more than
  // two when other builds share the cores (CI saw 120 s pass in
  // simd_const.json), so only 10 minutes without progress count as a hang.
  static constexpr int kStallSeconds = 600;
  static std::atomic<int> progress{0};
  static std::string currentFile;
  static std::mutex fileMu;
  std::thread([] {
    int last = -1, still = 0;
    for (;;) {
      std::this_thread::sleep_for(std::chrono::seconds(1));
      int now = progress.load();
      still = now == last ? still + 1 : 0;
      last = now;
      if (still >= kStallSeconds) {
        std::lock_guard lock(fileMu);
        std::printf("FAIL no progress for %d s in %s (a guest loop or a compiler that does not end?)\n", kStallSeconds,
                    currentFile.c_str());
        std::fflush(stdout);
        ::_exit(1);
      }
    }
  }).detach();
  std::map<std::string, Counts> counts;
  std::map<std::string, std::string> failures;
  for (const char* suite : {"tests", "tests-draft1"}) {
    auto jsons = spec::suiteJsonFiles(shared, suite);
    if (!jsons) {
      std::printf("FAIL missing %s (the shared conformance data)\n", (shared / "conformance" / "spec" / suite).c_str());
      return 1;
    }
    for (const auto& j : *jsons) {
      {
        std::lock_guard lock(fileMu);
        currentFile = j.string();
      }
      ++progress;
      FileRunner fr(engine, j);
      fr.run(counts, failures, std::string(suite) + "/" + j.stem().string() + ".wast");
    }
  }
  // An entry "suite/file.wast:*" covers a whole file.
  int unexpected = 0, expectedSeen = 0;
  std::set<std::string> used;
  for (const auto& [id, why] : failures) {
    std::string file = id.substr(0, id.rfind(':')) + ":*";
    if (expected.count(id)) used.insert(id);
    else if (expected.count(file)) used.insert(file);
    else {
      std::printf("FAIL %s %s\n", id.c_str(), why.c_str());
      ++unexpected;
      continue;
    }
    ++expectedSeen;
  }
  for (const auto& [id, line] : expected)
    if (!used.count(id)) {
      std::printf("FIXED (remove from the expected-failures list): %s\n", id.c_str());
      ++unexpected;
    }
  int total = 0, passed = 0;
  for (const auto& [type, c] : counts) {
    std::printf("%-22s %6d / %6d\n", type.c_str(), c.passed, c.total);
    total += c.total;
    passed += c.passed;
  }
  std::printf("spec run (%s tier): %d / %d commands passed, %d expected failures, %d unexpected "
              "(wabt spectest-interp baseline: 53,546 / 53,553 + 419 / 419)\n",
              argv[2], passed, total, expectedSeen, unexpected);
  return unexpected == 0 ? 0 : 1;
}
