#pragma once
// Host file metadata in WASI's terms (filetype, filestat, timestamps).
#include <sys/stat.h>

#include <cstdint>
#include <ctime>

#include "wasi/GuestMemory.h"
#include "wasi/WasiAbi.h"

namespace wasmops::wasi {

// The WASI filetype of a host file; `fd` (or -1) lets sockets tell stream from datagram.
std::uint8_t filetypeOf(mode_t mode, int fd);
std::uint8_t filetypeOfDirent(unsigned char dtype);
// Writes a 64-byte filestat at `ptr`; EFAULT when it does not fit.
Errno storeFilestat(const GuestMemory& mem, std::uint32_t ptr, const struct stat& st);
// timespec pair for utimensat/futimens from WASI's (atim, mtim, fstflags); EINVAL on contradicting flags.
Errno timesFromFlags(std::uint64_t atim, std::uint64_t mtim, std::uint16_t flags, timespec out[2]);
// Rights a freshly opened file of this type can hold at most.
std::uint64_t rightsForType(std::uint8_t type);

}  // namespace wasmops::wasi
