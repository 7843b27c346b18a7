#pragma once
// Where JSON log lines go: standard output, standard error, or a file opened
// for appending. Each write() is one write(2) call, so lines written whole by
// many threads (or processes) never interleave: O_APPEND makes each write
// land at the end of a regular file in one piece, and a pipe keeps writes of
// up to PIPE_BUF (4 KiB) bytes whole.
#include <string>
#include <string_view>

#include "base/Error.h"
#include "base/UniqueFd.h"

namespace wasmops::ops {

class LogSink {
 public:
  static LogSink standardOutput();
  static LogSink standardError();
  // Creates the file (mode 0644) when missing; appends to it otherwise.
  static Expected<LogSink> openFile(const std::string& path);
  // Takes ownership of `fd`.
  explicit LogSink(UniqueFd fd);

  LogSink(LogSink&&) noexcept = default;
  LogSink& operator=(LogSink&&) noexcept = default;

  // Writes `lines` (whole lines, each ending with '\n') with one write(2); a
  // short write, which only a full disk or a signal causes, is completed by
  // further calls. Safe to call from many threads at once.
  Expected<void> write(std::string_view lines) const;
  int fd() const { return fd_; }

 private:
  LogSink(UniqueFd owned, int fd) : owned_(std::move(owned)), fd_(fd) {}
  UniqueFd owned_;  // empty for the standard streams, which this process does not close
  int fd_ = -1;
};

}  // namespace wasmops::ops
