#include "cli/SizeArgument.h"

#include <cstdlib>

namespace wasmops::cli {

Expected<std::uint64_t> parseSize(const std::string& text) {
  char* end = nullptr;
  const unsigned long long n = std::strtoull(text.c_str(), &end, 10);
  std::string unit(end);
  std::uint64_t mul = 1;
  if (unit.empty() || unit == "B") mul = 1;
  else if (unit == "K" || unit == "Ki" || unit == "KiB" || unit == "KB") mul = 1ull << 10;
  else if (unit == "M" || unit == "Mi" || unit == "MiB" || unit == "MB") mul = 1ull << 20;
  else if (unit == "G" || unit == "Gi" || unit == "GiB" || unit == "GB") mul = 1ull << 30;
  else return makeError(ErrorCode::Usage, "cannot read size '" + text + "' (examples: 65536, 64KiB, 512MiB, 4GiB)");
  if (end == text.c_str()) return makeError(ErrorCode::Usage, "cannot read size '" + text + "'");
  return static_cast<std::uint64_t>(n) * mul;
}

}  // namespace wasmops::cli
