#include "wasi/FdTable.h"

namespace wasmops::wasi {

FdEntry* FdTable::get(std::uint32_t fd) {
  if (fd >= slots_.size()) return nullptr;
  return slots_[fd].get();
}

Errno FdTable::get(std::uint32_t fd, std::uint64_t needed, FdEntry*& out) {
  out = get(fd);
  if (!out) return Errno::Badf;
  if (!out->has(needed)) return Errno::NotCapable;
  return Errno::Success;
}

Errno FdTable::insert(FdEntry entry, std::uint32_t& fd) {
  std::uint32_t i = 0;
  while (i < slots_.size() && slots_[i]) ++i;
  if (i >= kMaxFds) return Errno::Mfile;
  insertAt(i, std::move(entry));
  fd = i;
  return Errno::Success;
}

void FdTable::insertAt(std::uint32_t fd, FdEntry entry) {
  if (fd >= slots_.size()) slots_.resize(fd + 1);
  slots_[fd] = std::make_unique<FdEntry>(std::move(entry));
}

Errno FdTable::close(std::uint32_t fd) {
  if (!get(fd)) return Errno::Badf;
  slots_[fd].reset();
  trim();
  return Errno::Success;
}

Errno FdTable::renumber(std::uint32_t from, std::uint32_t to) {
  if (!get(from) || !get(to)) return Errno::Badf;
  if (from == to) return Errno::Success;
  slots_[to] = std::move(slots_[from]);
  trim();
  return Errno::Success;
}

void FdTable::trim() {
  while (!slots_.empty() && !slots_.back()) slots_.pop_back();
}

}  // namespace wasmops::wasi
