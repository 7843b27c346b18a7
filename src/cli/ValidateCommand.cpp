#include <fmt/format.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "cli/Commands.h"
#include "cli/InputFile.h"
#include "validate/Validator.h"

namespace wasmops::cli {

using Json = nlohmann::ordered_json;

int runValidate(const ValidateOptions& options) {
  Json files = Json::array();
  std::size_t valid = 0, failed = 0;
  std::string text;
  for (const auto& path : options.files) {
    Json entry = {{"file", path}};
    Json errors = Json::array();
    std::string verdict;
    auto file = openInputOrReference(path);
    if (!file) {
      verdict = "error";
      errors.push_back({{"code", errorCodeName(file.error().code)}, {"offset", nullptr}, {"message", file.error().message}});
      text += fmt::format("{}: error: {}\n", path, file.error().message);
    } else {
      auto result = validate::validateBinary(file->bytes());
      verdict = validate::toString(result.verdict);
      if (result.ok()) {
        text += fmt::format("{}: valid\n", path);
      } else {
        text += fmt::format("{}: {}\n", path, verdict);
      }
      for (const auto& d : result.diagnostics) {
        errors.push_back({{"code", errorCodeName(d.code)},
                          {"offset", d.offset ? Json(*d.offset) : Json(nullptr)},
                          {"message", d.message}});
        text += d.offset ? fmt::format("  {}:0x{:x}: {}\n", path, *d.offset, d.message)
                         : fmt::format("  {}: {}\n", path, d.message);
      }
    }
    entry["valid"] = verdict == "valid";
    entry["verdict"] = verdict;
    entry["errors"] = errors;
    (verdict == "valid" ? valid : failed)++;
    files.push_back(entry);
  }
  std::string out;
  if (options.json) {
    Json doc = {{"files", files}, {"valid", valid}, {"failed", failed}};
    out = doc.dump(2) + "\n";
  } else {
    out = text;
    if (options.files.size() > 1) out += fmt::format("{} valid, {} failed\n", valid, failed);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return failed == 0 ? 0 : 1;
}

}  // namespace wasmops::cli
