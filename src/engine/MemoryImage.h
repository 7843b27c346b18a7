#pragma once
// Copy-on-write instantiation (DESIGN.md §4, as wasmtime's memory images):
// the initial contents of a module's memory are built once per compiled
// module in a memfd, and each instance maps them MAP_PRIVATE at the start of
// a guard-page reservation. Reservations are pooled per image: a released
// one has its first pages copied back from the image and the rest dropped
// (MADV_DONTNEED brings the image back) and any growth made inaccessible again, so the next
// instantiation is pointer setup, not mmap and memcpy.
#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "base/Error.h"
#include "binary/Module.h"

namespace wasmops::engine {

struct MemoryPoolLimits {
  std::size_t maxLive = 10'000;  // reservations in use at once, per image (6 GiB of address space each)
  std::size_t maxIdle = 64;      // released ones kept mapped for reuse
  // The first bytes of a released memory are restored by copying the image
  // back and stay resident, instead of being dropped (as wasmtime's
  // linear_memory_keep_resident): the next instance finds them mapped and
  // writable, where MADV_DONTNEED would cost it a read fault and a
  // copy-on-write fault for each page it writes, and the madvise itself a
  // TLB shootdown on every core the process runs on. Each idle reservation
  // holds up to this much memory. 0: drop everything.
  std::size_t keepResidentBytes = 128 * 1024;
};

class MemoryImage {
 public:
  // The image of defined memory 0: its minimum size with every active data
  // segment applied. Null when there is no such memory, when a segment's
  // offset is not a constant or falls out of bounds (instantiation then
  // copies, and traps, as without images), or when the process cannot make
  // guard-page reservations.
  static std::shared_ptr<MemoryImage> build(const binary::Module& m, std::span<const std::uint8_t> bytes);
  ~MemoryImage();
  MemoryImage(const MemoryImage&) = delete;
  MemoryImage& operator=(const MemoryImage&) = delete;

  std::uint64_t initialBytes() const { return initial_; }
  // A reservation whose first initialBytes() show the image.
  Expected<std::uint8_t*> acquire();
  // `currentBytes`: how far the instance grew the memory.
  void release(std::uint8_t* base, std::uint64_t currentBytes);

  static void setLimits(MemoryPoolLimits limits);
  static MemoryPoolLimits limits();
  struct Stats {
    std::size_t live = 0, idle = 0;
  };
  Stats stats() const;

 private:
  MemoryImage(int fd, std::uint64_t initial) : fd_(fd), initial_(initial) {}
  int fd_;
  std::uint64_t initial_;
  const std::uint8_t* pristine_ = nullptr;  // the image, mapped read-only: what a kept page is restored from
  mutable std::mutex mu_;
  std::vector<std::uint8_t*> idle_;
  std::size_t live_ = 0;
};

}  // namespace wasmops::engine
