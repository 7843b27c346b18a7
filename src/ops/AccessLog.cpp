#include "ops/AccessLog.h"

#include <cmath>
#include <nlohmann/json.hpp>

#include "ops/LogTime.h"

namespace wasmops::ops {

std::string formatAccessRecord(const AccessRecord& record) {
  // ordered_json keeps the keys in the documented order, for people reading
  // the log; `replace` turns bytes that are not UTF-8 into U+FFFD.
  nlohmann::ordered_json line = {
      {"time", formatRfc3339Millis(record.time)},
      {"request_id", record.requestId},
      {"method", record.method},
      {"path", record.path},
      {"route", record.route},
      {"component", record.component},
      {"status", record.status},
      {"duration_ms", std::round(std::chrono::duration<double, std::micro>(record.duration).count()) / 1000.0},
      {"bytes_in", record.bytesIn},
      {"bytes_out", record.bytesOut},
  };
  if (!record.client.empty()) line["client"] = record.client;
  std::string text = line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  text += '\n';
  return text;
}

Expected<void> AccessLog::write(const AccessRecord& record) const { return sink_.write(formatAccessRecord(record)); }

}  // namespace wasmops::ops
