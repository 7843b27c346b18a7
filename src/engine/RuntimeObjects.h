#pragma once
// The host-side objects behind memories, tables, globals and host functions;
// generated code sees only their C records (wasmops_memory, ...).
#include <sys/mman.h>

#include <cstdint>
#include <vector>

#include "binary/Module.h"
#include "engine/MemoryImage.h"
#include "engine/MemoryReservation.h"
#include "engine/HostCallback.h"
#include "engine/rt/wasmops_rt.h"

namespace wasmops::engine {

struct MemoryObject {
  wasmops_memory m{};
  binary::Limits type;
  std::size_t mapped = 0;
  // A guard-page memory: base is the start of a MemoryReservation that
  // never moves; growing makes more of it accessible.
  bool reserved = false;
  // A reservation from this image's pool, which it goes back to.
  std::shared_ptr<MemoryImage> image;
  // The type's own maximum in pages, before the store's limit, and whether
  // a grow failed only because of that limit (hosts report it apart).
  std::uint64_t typeMaxPages = 65536;
  bool limitRefusedGrow = false;

  ~MemoryObject() {
    if (image)
      image->release(m.base, m.size);
    else if (reserved)
      MemoryReservation::release(m.base);
    else if (m.base)
      ::munmap(m.base, mapped);
  }
  bool inReservation(std::uintptr_t addr) const {
    const auto base = reinterpret_cast<std::uintptr_t>(m.base);
    return reserved && addr >= base && addr - base < kReservationBytes;
  }
  // Returns the old size in pages, or -1 (as u32) past the limit.
  std::uint32_t grow(std::uint32_t delta) {
    const std::uint64_t old = m.size >> 16;
    const std::uint64_t want = old + delta;
    if (want > m.max_pages) {
      if (want <= typeMaxPages) limitRefusedGrow = true;
      return 0xffffffffu;
    }
    if (delta == 0) return static_cast<std::uint32_t>(old);
    const std::size_t bytes = static_cast<std::size_t>(want) << 16;
    if (reserved) {
      if (::mprotect(m.base + m.size, bytes - m.size, PROT_READ | PROT_WRITE) != 0) return 0xffffffffu;
    } else {
      void* p = m.base ? ::mremap(m.base, mapped, bytes, MREMAP_MAYMOVE)
                       : ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
      if (p == MAP_FAILED) return 0xffffffffu;
      m.base = static_cast<std::uint8_t*>(p);
    }
    mapped = bytes;
    m.size = bytes;
    return static_cast<std::uint32_t>(old);
  }
};

struct TableObject {
  wasmops_table t{};
  std::vector<void*> elems;
  binary::TableType type;

  std::uint32_t grow(std::uint32_t delta, void* init) {
    const std::uint64_t old = elems.size();
    const std::uint64_t want = old + delta;
    const std::uint64_t max = type.limits.max ? *type.limits.max : 10'000'000;
    if (want > max || want > 10'000'000) return 0xffffffffu;
    elems.resize(want, init);
    t.elems = elems.data();
    t.size = static_cast<std::uint32_t>(want);
    return static_cast<std::uint32_t>(old);
  }
};

struct GlobalObject {
  wasmops_global g{};
  binary::GlobalType type;
};

struct HostFunction : wasmops_host_func {
  binary::FuncType type;
  HostCallback fn;
  std::uint32_t typeId = 0;
};

}  // namespace wasmops::engine
