#include "ops/GuestLog.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "ops/LogTime.h"

namespace wasmops::ops {
namespace {

// The keys every record starts with.
nlohmann::ordered_json recordStart(const std::string& requestId, const std::string& component) {
  return {
      {"time", formatRfc3339Millis(std::chrono::system_clock::now())},
      {"request_id", requestId},
      {"component", component},
      {"stream", "stderr"},
  };
}

// The length of `text` without a UTF-8 sequence that the cut at its end left
// unfinished, so a cut line ends with its last whole character rather than a
// U+FFFD the guest never wrote.
std::size_t completeUtf8Prefix(std::string_view text) {
  for (std::size_t back = 1; back <= 3 && back <= text.size(); ++back) {
    auto b = static_cast<unsigned char>(text[text.size() - back]);
    if (b < 0x80) break;     // ASCII: nothing unfinished after it
    if (b < 0xC0) continue;  // a continuation byte: look further back for the lead
    std::size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
    return need > back ? text.size() - back : text.size();
  }
  return text.size();
}

std::string dumpLine(const nlohmann::ordered_json& record) {
  // `replace`: a guest may print any bytes; the line must stay valid JSON.
  std::string text = record.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  text += '\n';
  return text;
}

}  // namespace

GuestLog::GuestLog(const LogSink& sink, std::string component, std::string requestId, GuestLogLimits limits)
    : sink_(sink), component_(std::move(component)), requestId_(std::move(requestId)), limits_(limits) {}

GuestLog::~GuestLog() { (void)finish(); }

void GuestLog::append(std::string_view bytes) {
  while (!bytes.empty()) {
    std::size_t newline = bytes.find('\n');
    std::string_view piece = bytes.substr(0, newline);
    if (!lineCut_) {
      // One byte past the limit is kept: it may be the '\r' of a "\r\n",
      // which endLine() drops, and only then is it known whether the line
      // fits (a line of exactly maxLineBytes ending in CRLF is not cut).
      std::size_t room = limits_.maxLineBytes + 1 - pending_.size();
      if (piece.size() > room) lineCut_ = true;
      pending_.append(piece.substr(0, room));
    }
    if (newline == std::string_view::npos) return;
    endLine();
    bytes.remove_prefix(newline + 1);
  }
}

void GuestLog::endLine() {
  if (!pending_.empty() && pending_.back() == '\r' && !lineCut_) pending_.pop_back();
  if (pending_.size() > limits_.maxLineBytes) {
    lineCut_ = true;
    pending_.resize(completeUtf8Prefix(std::string_view(pending_).substr(0, limits_.maxLineBytes)));
  }
  if (!pending_.empty()) {
    if (logged_ < limits_.maxLines) {
      record(pending_, lineCut_);
      ++logged_;
    } else {
      ++dropped_;
    }
  }
  pending_.clear();
  lineCut_ = false;
}

void GuestLog::record(std::string_view message, bool cut) {
  nlohmann::ordered_json line = recordStart(requestId_, component_);
  line["message"] = message;
  if (cut) line["cut"] = true;
  writeLine(dumpLine(line));
}

void GuestLog::writeLine(const std::string& line) {
  auto written = sink_.write(line);
  if (!written && firstFailure_) firstFailure_ = std::move(written);
}

Expected<void> GuestLog::finish() {
  if (finished_) return firstFailure_;
  finished_ = true;
  endLine();
  if (dropped_ > 0) {
    nlohmann::ordered_json line = recordStart(requestId_, component_);
    line["truncated"] = true;
    line["dropped_lines"] = dropped_;
    line["message"] = fmt::format("guest output truncated: {} more line{} not logged (limit {} lines per request)",
                                  dropped_, dropped_ == 1 ? "" : "s", limits_.maxLines);
    writeLine(dumpLine(line));
  }
  return firstFailure_;
}

}  // namespace wasmops::ops
