#include "engine/MemoryImage.h"

#include <fmt/format.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

#include "binary/InstructionReader.h"
#include "engine/MemoryReservation.h"

namespace wasmops::engine {
namespace {

std::atomic<std::size_t> gMaxLive{MemoryPoolLimits{}.maxLive};
std::atomic<std::size_t> gMaxIdle{MemoryPoolLimits{}.maxIdle};

// The offset of an active segment when it is a plain i32.const.
std::optional<std::uint32_t> constantOffset(const binary::ConstExpr& e) {
  if (e.truncated || e.instrs.size() != 1 || e.instrs[0].opcode != binary::op::I32Const) return std::nullopt;
  return static_cast<std::uint32_t>(e.instrs[0].bits);
}

bool writeAll(int fd, const std::uint8_t* data, std::size_t n, off_t at) {
  while (n > 0) {
    const ssize_t w = ::pwrite(fd, data, n, at);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    data += w;
    n -= static_cast<std::size_t>(w);
    at += w;
  }
  return true;
}

}  // namespace

std::shared_ptr<MemoryImage> MemoryImage::build(const binary::Module& m, std::span<const std::uint8_t> bytes) {
  if (m.importedMemories != 0 || m.memories.empty() || !MemoryReservation::available()) return nullptr;
  const auto& limits = m.memories[0];
  if (limits.is64 || limits.min > 65536) return nullptr;
  const std::uint64_t initial = limits.min << 16;
  for (const auto& seg : m.datas) {
    if (seg.mode != binary::SegmentMode::Active) continue;
    if (seg.memory != 0) return nullptr;
    const auto off = constantOffset(seg.offsetExpr);
    if (!off || std::uint64_t{*off} + seg.size > initial || seg.dataOffset + seg.size > bytes.size()) return nullptr;
  }
  const int fd = ::memfd_create("wasmops-memory-image", MFD_CLOEXEC);
  if (fd < 0) return nullptr;
  auto image = std::shared_ptr<MemoryImage>(new MemoryImage(fd, initial));
  if (::ftruncate(fd, static_cast<off_t>(initial)) != 0) return nullptr;
  for (const auto& seg : m.datas) {
    if (seg.mode != binary::SegmentMode::Active || seg.size == 0) continue;
    if (!writeAll(fd, bytes.data() + seg.dataOffset, seg.size, static_cast<off_t>(*constantOffset(seg.offsetExpr))))
      return nullptr;
  }
  return image;
}

MemoryImage::~MemoryImage() {
  for (auto* base : idle_) MemoryReservation::release(base);
  ::close(fd_);
}

void MemoryImage::setLimits(MemoryPoolLimits limits) {
  gMaxLive.store(limits.maxLive);
  gMaxIdle.store(limits.maxIdle);
}

Expected<std::uint8_t*> MemoryImage::acquire() {
  {
    std::lock_guard lock(mu_);
    if (live_ >= gMaxLive.load())
      return makeError(ErrorCode::LimitExceeded,
                       fmt::format("instance pool exhausted: {} instances of this module's memory are live (the limit; "
                                   "MemoryPoolLimits::maxLive)",
                                   live_));
    ++live_;
    if (!idle_.empty()) {
      std::uint8_t* base = idle_.back();
      idle_.pop_back();
      return base;
    }
  }
  std::uint8_t* base = MemoryReservation::reserve();
  if (base && initial_ &&
      ::mmap(base, initial_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd_, 0) == MAP_FAILED) {
    MemoryReservation::release(base);
    base = nullptr;
  }
  if (!base) {
    std::lock_guard lock(mu_);
    --live_;
    return makeError(ErrorCode::LimitExceeded,
                     fmt::format("cannot reserve address space for a memory: {}", std::strerror(errno)));
  }
  return base;
}

void MemoryImage::release(std::uint8_t* base, std::uint64_t currentBytes) {
  // Back to the image: written pages of the private mapping are dropped,
  // growth beyond it zeroed and closed again.
  bool keep = ::madvise(base, std::max(currentBytes, initial_), MADV_DONTNEED) == 0;
  if (keep && currentBytes > initial_)
    keep = ::mprotect(base + initial_, currentBytes - initial_, PROT_NONE) == 0;
  std::lock_guard lock(mu_);
  --live_;
  if (keep && idle_.size() < gMaxIdle.load())
    idle_.push_back(base);
  else
    MemoryReservation::release(base);
}

MemoryImage::Stats MemoryImage::stats() const {
  std::lock_guard lock(mu_);
  return {live_, idle_.size()};
}

}  // namespace wasmops::engine
