#include "ops/LogSink.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace wasmops::ops {

LogSink LogSink::standardOutput() { return LogSink(UniqueFd(), STDOUT_FILENO); }
LogSink LogSink::standardError() { return LogSink(UniqueFd(), STDERR_FILENO); }

Expected<LogSink> LogSink::openFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    Error error(errno == ENOENT ? ErrorCode::NotFound : ErrorCode::Io,
                std::string("cannot open log file: ") + std::strerror(errno));
    return Unexpected(std::move(error).inFile(path));
  }
  return LogSink(UniqueFd(fd));
}

LogSink::LogSink(UniqueFd fd) : owned_(std::move(fd)), fd_(owned_.get()) {}

Expected<void> LogSink::write(std::string_view lines) const {
  while (!lines.empty()) {
    ssize_t n = ::write(fd_, lines.data(), lines.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return makeError(ErrorCode::Io, std::string("cannot write log line: ") + std::strerror(errno));
    }
    lines.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

}  // namespace wasmops::ops
