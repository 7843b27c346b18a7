#pragma once
// A guest stdio stream held in host memory instead of an fd. The HTTP host
// hands a request body in and takes the response out this way: no pipe per
// request (no syscalls), and no deadlock when a guest writes more than a
// pipe holds while nobody reads it.
#include <sys/uio.h>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "wasi/WasiAbi.h"

namespace wasmops::wasi {

class MemoryStream {
 public:
  // Reads `data` from its start; writes fail (EBADF: the fd has no write right).
  static std::shared_ptr<MemoryStream> input(std::string data);
  // Keeps what the guest writes, at most `limit` bytes: a write past the
  // limit stores nothing, fails with EFBIG and marks the stream overflowed.
  static std::shared_ptr<MemoryStream> output(std::size_t limit);

  bool isInput() const { return input_; }
  // Copies into the buffers; the byte count read (0 at the end).
  std::size_t read(const std::vector<iovec>& buffers);
  Errno write(const std::vector<iovec>& buffers, std::size_t& written);
  // Bytes not read yet (input) or written so far (output).
  std::size_t available() const { return input_ ? data_.size() - position_ : data_.size(); }

  const std::string& data() const { return data_; }
  std::string take() { return std::move(data_); }
  bool overflowed() const { return overflowed_; }

 private:
  MemoryStream(bool input, std::string data, std::size_t limit)
      : input_(input), data_(std::move(data)), limit_(limit) {}
  bool input_;
  std::string data_;
  std::size_t position_ = 0;
  std::size_t limit_;
  bool overflowed_ = false;
};

// Streams to use instead of the config's stdio fds (null: use the fd).
struct MemoryStdio {
  std::shared_ptr<MemoryStream> in, out, err;
};

}  // namespace wasmops::wasi
