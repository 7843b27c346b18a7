#include "wasi/MemoryStream.h"

#include <algorithm>
#include <cstring>

namespace wasmops::wasi {

std::shared_ptr<MemoryStream> MemoryStream::input(std::string data) {
  return std::shared_ptr<MemoryStream>(new MemoryStream(true, std::move(data), 0));
}

std::shared_ptr<MemoryStream> MemoryStream::output(std::size_t limit) {
  return std::shared_ptr<MemoryStream>(new MemoryStream(false, {}, limit));
}

std::size_t MemoryStream::read(const std::vector<iovec>& buffers) {
  if (!input_) return 0;  // an output stream is not read back by the guest
  std::size_t total = 0;
  for (const iovec& b : buffers) {
    if (position_ == data_.size()) break;
    // An empty buffer is skipped, not taken for the end: readv fills the
    // ones after it too, and a 0 count would tell the guest "end of file".
    const std::size_t n = std::min(b.iov_len, data_.size() - position_);
    if (n == 0) continue;
    std::memcpy(b.iov_base, data_.data() + position_, n);
    position_ += n;
    total += n;
  }
  return total;
}

Errno MemoryStream::write(const std::vector<iovec>& buffers, std::size_t& written) {
  written = 0;
  // An input stream has no room: limit_ - data_.size() would wrap around.
  if (input_) return Errno::Badf;
  std::size_t total = 0;
  for (const iovec& b : buffers) total += b.iov_len;
  if (total > limit_ - data_.size()) {
    overflowed_ = true;
    return Errno::Fbig;
  }
  for (const iovec& b : buffers) data_.append(static_cast<const char*>(b.iov_base), b.iov_len);
  written = total;
  return Errno::Success;
}

}  // namespace wasmops::wasi
