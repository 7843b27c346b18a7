#pragma once
// A read-only view of a whole file, mapped rather than read so that a 2 GiB
// input costs address space, not memory. Move-only RAII.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "base/Error.h"

namespace wasmops {

class MappedFile {
 public:
  static Expected<MappedFile> open(const std::string& path);

  MappedFile() = default;
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::span<const std::uint8_t> bytes() const { return {data_, size_}; }
  std::size_t size() const { return size_; }
  const std::string& path() const { return path_; }
  // sha256 of the contents as hex, without keeping the whole file resident.
  std::string sha256() const;

 private:
  void reset();
  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  bool mapped_ = false;
  std::string path_;
};

}  // namespace wasmops
