#include "wasi/FileStat.h"

#include <dirent.h>
#include <sys/socket.h>

#include <algorithm>

namespace wasmops::wasi {

std::uint8_t filetypeOf(mode_t mode, int fd) {
  if (S_ISREG(mode)) return filetype::RegularFile;
  if (S_ISDIR(mode)) return filetype::Directory;
  if (S_ISCHR(mode)) return filetype::CharacterDevice;
  if (S_ISBLK(mode)) return filetype::BlockDevice;
  if (S_ISLNK(mode)) return filetype::SymbolicLink;
  if (S_ISSOCK(mode)) {
    int type = 0;
    socklen_t len = sizeof type;
    if (fd >= 0 && ::getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_DGRAM)
      return filetype::SocketDgram;
    return filetype::SocketStream;
  }
  return filetype::Unknown;  // FIFOs have no WASI type
}

std::uint8_t filetypeOfDirent(unsigned char dtype) {
  switch (dtype) {
    case DT_REG: return filetype::RegularFile;
    case DT_DIR: return filetype::Directory;
    case DT_CHR: return filetype::CharacterDevice;
    case DT_BLK: return filetype::BlockDevice;
    case DT_LNK: return filetype::SymbolicLink;
    case DT_SOCK: return filetype::SocketStream;
    default: return filetype::Unknown;
  }
}

namespace {
std::uint64_t ns(const timespec& ts) {
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000ull + static_cast<std::uint64_t>(ts.tv_nsec);
}
}  // namespace

Errno storeFilestat(const GuestMemory& mem, std::uint32_t ptr, const struct stat& st) {
  if (!mem.inBounds(ptr, layout::FilestatSize)) return Errno::Fault;
  auto out = *mem.bytes(ptr, layout::FilestatSize);
  std::fill(out.begin(), out.end(), 0);
  mem.store<std::uint64_t>(ptr + 0, st.st_dev);
  mem.store<std::uint64_t>(ptr + 8, st.st_ino);
  mem.store<std::uint8_t>(ptr + 16, filetypeOf(st.st_mode, -1));
  mem.store<std::uint64_t>(ptr + 24, st.st_nlink);
  mem.store<std::uint64_t>(ptr + 32, static_cast<std::uint64_t>(st.st_size));
  mem.store<std::uint64_t>(ptr + 40, ns(st.st_atim));
  mem.store<std::uint64_t>(ptr + 48, ns(st.st_mtim));
  mem.store<std::uint64_t>(ptr + 56, ns(st.st_ctim));
  return Errno::Success;
}

Errno timesFromFlags(std::uint64_t atim, std::uint64_t mtim, std::uint16_t flags, timespec out[2]) {
  if (flags & ~(fstflags::Atim | fstflags::AtimNow | fstflags::Mtim | fstflags::MtimNow)) return Errno::Inval;
  if ((flags & fstflags::Atim) && (flags & fstflags::AtimNow)) return Errno::Inval;
  if ((flags & fstflags::Mtim) && (flags & fstflags::MtimNow)) return Errno::Inval;
  auto one = [](std::uint64_t t, bool set, bool now) {
    timespec ts{};
    if (now) ts.tv_nsec = UTIME_NOW;
    else if (set) {
      ts.tv_sec = static_cast<time_t>(t / 1000000000ull);
      ts.tv_nsec = static_cast<long>(t % 1000000000ull);
    } else ts.tv_nsec = UTIME_OMIT;
    return ts;
  };
  out[0] = one(atim, flags & fstflags::Atim, flags & fstflags::AtimNow);
  out[1] = one(mtim, flags & fstflags::Mtim, flags & fstflags::MtimNow);
  return Errno::Success;
}

std::uint64_t rightsForType(std::uint8_t type) {
  switch (type) {
    case filetype::Directory: return rights::Directory;
    case filetype::RegularFile: return rights::File;
    case filetype::SocketStream:
    case filetype::SocketDgram: return rights::Socket & ~rights::SockAccept;
    default: return rights::File & ~(rights::FdSeek | rights::FdTell | rights::FdAllocate);
  }
}

}  // namespace wasmops::wasi
