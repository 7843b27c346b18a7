#include "base/Log.h"

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>

namespace wasmops::log {
namespace {

// One JSON object per line on stderr; nlohmann does the escaping that a
// spdlog pattern cannot.
class JsonLineSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    auto seconds = std::chrono::duration<double>(msg.time.time_since_epoch()).count();
    nlohmann::json line = {
        {"ts", seconds},
        {"level", std::string(spdlog::level::to_string_view(msg.level).data(),
                              spdlog::level::to_string_view(msg.level).size())},
        {"msg", std::string(msg.payload.data(), msg.payload.size())},
    };
    std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    text.push_back('\n');
    std::fwrite(text.data(), 1, text.size(), stderr);
  }
  void flush_() override { std::fflush(stderr); }
};

}  // namespace

Expected<Format> parseFormat(std::string_view text) {
  if (text == "human" || text == "text") return Format::Human;
  if (text == "json") return Format::Json;
  return makeError(ErrorCode::Usage, "unknown log format '" + std::string(text) + "' (use human or json)");
}

void setup(Format format, bool verbose) {
  std::shared_ptr<spdlog::logger> logger;
  if (format == Format::Json) {
    logger = std::make_shared<spdlog::logger>("wasmops", std::make_shared<JsonLineSink>());
  } else {
    logger = std::make_shared<spdlog::logger>("wasmops",
                                              std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    logger->set_pattern("%^%l%$: %v");
  }
  logger->set_level(verbose ? spdlog::level::debug : spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace wasmops::log
