#include "ops/LogTime.h"

#include <fmt/format.h>

#include <ctime>

namespace wasmops::ops {

std::string formatRfc3339Millis(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  // floor, not truncation toward zero, so times before 1970 stay correct.
  auto ms = floor<milliseconds>(time.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
  auto millis = static_cast<int>(ms - static_cast<long long>(seconds) * 1000);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                     utc.tm_hour, utc.tm_min, utc.tm_sec, millis);
}

}  // namespace wasmops::ops
