#include "wasi/HostEntropy.h"

#include <sys/random.h>

#include <cerrno>

namespace wasmops::wasi {

Errno fillRandom(std::span<std::uint8_t> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::getrandom(out.data() + done, out.size() - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fromHostErrno(errno);
    }
    done += static_cast<std::size_t>(n);
  }
  return Errno::Success;
}

}  // namespace wasmops::wasi
