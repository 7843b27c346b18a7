#pragma once
// A guest's standard error as JSON lines, one record per line it printed,
// tagged with the component and the request:
//
//   {"time":"…","request_id":"…","component":"hello","stream":"stderr","message":"…"}
//
// Limits per request keep one guest from flooding the log: at most
// `maxLines` records, and at most `maxLineBytes` of any one line (the record
// of a cut line has "cut":true; a cut never splits a UTF-8 character, so it
// may keep up to 3 bytes less). Lines past the limit are counted, and a
// final record says how many were left out:
//
//   {…,"truncated":true,"dropped_lines":42,"message":"guest output truncated: …"}
//
// Empty lines are skipped; a '\r' before the '\n' is dropped.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/Error.h"
#include "ops/LogSink.h"

namespace wasmops::ops {

struct GuestLogLimits {
  std::size_t maxLines = 100;
  // Below PIPE_BUF with room for the JSON around it, so a record stays one
  // unbroken write on a pipe (unless escaping blows a line up).
  std::size_t maxLineBytes = 2048;
};

// One per request; not thread-safe (a request's output arrives in order).
class GuestLog {
 public:
  // `sink` must outlive this object.
  GuestLog(const LogSink& sink, std::string component, std::string requestId, GuestLogLimits limits = {});
  ~GuestLog();  // finish()
  GuestLog(const GuestLog&) = delete;
  GuestLog& operator=(const GuestLog&) = delete;

  // Output as the guest wrote it, in any pieces; whole lines are logged as
  // they complete, an unfinished one waits for the rest.
  void append(std::string_view bytes);
  // Logs the unfinished last line, then the truncation record if lines were
  // dropped. Later calls do nothing. The first failed write, if any.
  Expected<void> finish();

  std::uint64_t droppedLines() const { return dropped_; }

 private:
  void endLine();
  void record(std::string_view message, bool cut);
  void writeLine(const std::string& line);

  const LogSink& sink_;
  std::string component_;
  std::string requestId_;
  GuestLogLimits limits_;
  std::string pending_;     // the line so far, at most maxLineBytes + 1 (room for a '\r')
  bool lineCut_ = false;    // pending_ is full; the rest of the line is skipped
  std::size_t logged_ = 0;  // records written
  std::uint64_t dropped_ = 0;
  bool finished_ = false;
  Expected<void> firstFailure_;
};

}  // namespace wasmops::ops
