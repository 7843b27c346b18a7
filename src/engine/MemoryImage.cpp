#include "engine/MemoryImage.h"

#include <fmt/format.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <vector>

#include "binary/InstructionReader.h"
#include "engine/MemoryReservation.h"

namespace wasmops::engine {
namespace {

std::atomic<std::size_t> gMaxLive{MemoryPoolLimits{}.maxLive};
std::atomic<std::size_t> gMaxIdle{MemoryPoolLimits{}.maxIdle};
std::atomic<std::size_t> gKeepResident{MemoryPoolLimits{}.keepResidentBytes};

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

// Which of the pages at `base` hold private copies (written since they were
// mapped): /proc/self/pagemap says "present" and not "file page" for them.
// Pages never written still show the image and need no copy; copying them
// too would make every idle reservation hold all of its kept bytes (a
// component loaded but never called would cost that much). Empty when
// pagemap cannot be read: then every page is copied.
std::vector<bool> writtenPages(const std::uint8_t* base, std::size_t pages, std::uint64_t pageSize) {
  static const int fd = ::open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
  if (fd < 0 || pages == 0) return {};
  std::vector<std::uint64_t> entries(pages);
  const off_t at = static_cast<off_t>(reinterpret_cast<std::uintptr_t>(base) / pageSize * sizeof(std::uint64_t));
  const std::size_t want = pages * sizeof(std::uint64_t);
  if (::pread(fd, entries.data(), want, at) != static_cast<ssize_t>(want)) return {};
  constexpr std::uint64_t kPresent = 1ull << 63, kFilePage = 1ull << 61;
  std::vector<bool> written(pages);
  for (std::size_t i = 0; i < pages; ++i) written[i] = (entries[i] & kPresent) && !(entries[i] & kFilePage);
  return written;
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
  if (initial > 0) {
    void* view = ::mmap(nullptr, initial, PROT_READ, MAP_SHARED, fd, 0);
    if (view == MAP_FAILED) return nullptr;
    image->pristine_ = static_cast<const std::uint8_t*>(view);
  }
  return image;
}

MemoryImage::~MemoryImage() {
  for (auto* base : idle_) MemoryReservation::release(base);
  if (pristine_) ::munmap(const_cast<std::uint8_t*>(pristine_), initial_);
  ::close(fd_);
}

void MemoryImage::setLimits(MemoryPoolLimits limits) {
  gMaxLive.store(limits.maxLive);
  gMaxIdle.store(limits.maxIdle);
  gKeepResident.store(limits.keepResidentBytes);
}

MemoryPoolLimits MemoryImage::limits() {
  return {.maxLive = gMaxLive.load(), .maxIdle = gMaxIdle.load(), .keepResidentBytes = gKeepResident.load()};
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
  // Back to the image: the first pages copied back from it (they stay
  // resident, see MemoryPoolLimits::keepResidentBytes), the rest of the
  // private mapping's written pages dropped, growth beyond it zeroed and
  // closed again.
  const std::uint64_t page = static_cast<std::uint64_t>(::getpagesize());
  const std::uint64_t kept = std::min<std::uint64_t>(gKeepResident.load() / page * page, initial_);
  const auto written = writtenPages(base, kept / page, page);
  for (std::uint64_t i = 0; i < kept / page;) {
    if (!written.empty() && !written[i]) {
      ++i;
      continue;
    }
    std::uint64_t end = i + 1;  // one memcpy per run of written pages
    while (end < kept / page && (written.empty() || written[end])) ++end;
    std::memcpy(base + i * page, pristine_ + i * page, (end - i) * page);
    i = end;
  }
  const std::uint64_t used = std::max(currentBytes, initial_);
  bool keep = used == kept || ::madvise(base + kept, used - kept, MADV_DONTNEED) == 0;
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
