// Runs `validate` over the WebAssembly 2.0 spec suite (../shared/conformance/
// spec, tests/ and tests-draft1/) and the sightglass modules: every module
// accepted, every assert_invalid and binary assert_malformed rejected, each
// sightglass module judged as its MANIFEST says. Mismatches not listed in the
// expected-failures file fail the test, and so do listed ones that now pass.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>

#include "base/MappedFile.h"
#include "SpecSuite.h"
#include "validate/Validator.h"

namespace fs = std::filesystem;
using wasmops::validate::Verdict;

namespace {

struct Totals {
  std::map<std::string, int> checked, passed;
  int wrongKind = 0;  // rejected, but as invalid instead of malformed or the reverse
};

Verdict validateFile(const fs::path& path, std::string& firstMessage) {
  auto file = wasmops::MappedFile::open(path.string());
  if (!file) {
    firstMessage = file.error().format();
    return Verdict::Malformed;
  }
  auto r = wasmops::validate::validateBinary(file->bytes());
  firstMessage = r.diagnostics.empty() ? "" : r.diagnostics.front().message;
  return r.verdict;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s SHARED_DIR EXPECTED_FAILURES\n", argv[0]);
    return 2;
  }
  const fs::path shared = argv[1];
  auto expected = wasmops::spec::loadExpectedFailures(argv[2]);
  std::set<std::string> seenExpected;
  Totals totals;
  int unexpected = 0;

  auto record = [&](const std::string& kind, const std::string& id, bool ok, const std::string& detail) {
    totals.checked[kind]++;
    if (ok) {
      totals.passed[kind]++;
      if (expected.count(id)) {
        std::printf("FIXED (remove from the expected-failures list): %s\n", id.c_str());
        ++unexpected;
      }
      return;
    }
    if (expected.count(id)) {
      seenExpected.insert(id);
      return;
    }
    std::printf("FAIL %s: %s\n", id.c_str(), detail.c_str());
    ++unexpected;
  };

  for (const char* suite : {"tests", "tests-draft1"}) {
    auto jsons = wasmops::spec::suiteJsonFiles(shared, suite);
    if (!jsons) {
      std::printf("FAIL missing %s\n", (shared / "conformance" / "spec" / suite).c_str());
      return 1;
    }
    for (const auto& json : *jsons) {
      std::ifstream in(json);
      auto doc = nlohmann::json::parse(in);
      for (const auto& cmd : doc["commands"]) {
        const std::string type = cmd["type"];
        bool mustAccept = type == "module" || type == "assert_uninstantiable" || type == "assert_unlinkable";
        bool mustReject = type == "assert_invalid" || (type == "assert_malformed" && cmd.value("module_type", "") == "binary");
        if (!mustAccept && !mustReject) continue;
        const fs::path wasm = json.parent_path() / cmd["filename"].get<std::string>();
        std::string msg;
        Verdict v = validateFile(wasm, msg);
        const std::string id = std::string(suite) + "/" + json.stem().string() + ".wast:" + std::to_string(cmd["line"].get<int>());
        if (mustAccept) {
          record(type, id, v == Verdict::Valid, "rejected a valid module " + wasm.filename().string() + ": " + msg);
        } else {
          bool ok = v != Verdict::Valid;
          record(type, id, ok, "accepted " + wasm.filename().string() + ", expected: " + cmd.value("text", ""));
          if (ok && ((type == "assert_invalid") != (v == Verdict::Invalid))) totals.wrongKind++;
        }
      }
    }
  }

  // Sightglass: core modules that wabt validates as 2.0 must be valid; the
  // rest (GC, exceptions) must be reported as not valid, never as valid.
  // Components go through the component validator: well-formed and valid,
  // or unsupported where a nested core module uses a proposal beyond 2.0
  // (kotlin-richards), but never malformed or invalid.
  const fs::path sg = shared / "bench" / "sightglass";
  std::ifstream manifestIn(sg / "MANIFEST.json");
  if (!manifestIn) {
    std::printf("FAIL missing %s\n", (sg / "MANIFEST.json").c_str());
    return 1;
  }
  auto manifest = nlohmann::json::parse(manifestIn);
  for (const auto& b : manifest["benchmarks"]) {
    const std::string path = b["path"];
    std::string msg;
    Verdict v = validateFile(sg / path, msg);
    if (b["kind"] == "component") {
      record("sightglass", "sightglass/" + path, v == Verdict::Valid || v == Verdict::Unsupported,
             "a component rejected as " + std::string(toString(v)) + ": " + msg);
      continue;
    }
    bool want = b.value("wabt_validates_as_wasm2", false);
    record("sightglass", "sightglass/" + path, (v == Verdict::Valid) == want,
           std::string(want ? "rejected: " : "accepted a module beyond 2.0: ") + msg);
  }

  int checked = 0, passed = 0;
  for (const auto& [kind, n] : totals.checked) {
    std::printf("%-22s %5d / %5d\n", kind.c_str(), totals.passed[kind], n);
    checked += n;
    passed += totals.passed[kind];
  }
  std::printf("spec validate: %d checked, %d passed, %zu expected failures, %d unexpected; %d rejections with the "
              "other kind (invalid vs malformed)\n",
              checked, passed, seenExpected.size(), unexpected, totals.wrongKind);
  return unexpected == 0 ? 0 : 1;
}
