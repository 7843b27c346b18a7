#include "base/MappedFile.h"

#include "base/Sha256.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

namespace wasmops {
namespace {

struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) ::close(fd);
  }
};

Unexpected ioError(const std::string& path, const std::string& what, int err) {
  return Unexpected(Error(err == ENOENT ? ErrorCode::NotFound : ErrorCode::Io,
                          what + ": " + std::strerror(err))
                        .inFile(path));
}

}  // namespace

Expected<MappedFile> MappedFile::open(const std::string& path) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return ioError(path, "cannot open file", errno);
  FdCloser closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) return ioError(path, "cannot stat file", errno);
  if (S_ISDIR(st.st_mode))
    return Unexpected(Error(ErrorCode::Io, "is a directory, expected a .wasm file").inFile(path));
  if (!S_ISREG(st.st_mode))
    return Unexpected(Error(ErrorCode::Io, "not a regular file (a device, FIFO or socket), expected a .wasm file").inFile(path));

  MappedFile file;
  file.path_ = path;
  file.size_ = static_cast<std::size_t>(st.st_size);
  if (file.size_ == 0) return file;
  void* p = ::mmap(nullptr, file.size_, PROT_READ, MAP_PRIVATE, fd, 0);
  if (p == MAP_FAILED) return ioError(path, "cannot map file", errno);
  file.data_ = static_cast<const std::uint8_t*>(p);
  file.mapped_ = true;
  return file;
}

std::string MappedFile::sha256() const {
  // Hash in chunks and drop each chunk's pages afterwards, so hashing a 2 GiB
  // file does not keep 2 GiB resident. The mapping is read-only and
  // file-backed, so dropped pages are re-read from the file if used again.
  constexpr std::size_t kChunk = 8u << 20;
  Sha256 hasher;
  for (std::size_t off = 0; off < size_; off += kChunk) {
    std::size_t len = std::min(kChunk, size_ - off);
    hasher.update({data_ + off, len});
    if (size_ > kChunk) ::madvise(const_cast<std::uint8_t*>(data_) + off, len, MADV_DONTNEED);
  }
  return hasher.finishHex();
}

MappedFile::MappedFile(MappedFile&& other) noexcept { *this = std::move(other); }

MappedFile& MappedFile::operator=(MappedFile&& other) noexcept {
  if (this != &other) {
    reset();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    mapped_ = std::exchange(other.mapped_, false);
    path_ = std::move(other.path_);
  }
  return *this;
}

MappedFile::~MappedFile() { reset(); }

void MappedFile::reset() {
  if (mapped_) ::munmap(const_cast<std::uint8_t*>(data_), size_);
  data_ = nullptr;
  size_ = 0;
  mapped_ = false;
}

}  // namespace wasmops
