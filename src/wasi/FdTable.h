#pragma once
// The guest's file descriptor table: WASI fd numbers → host fds with the
// rights the guest holds on them. Preopens keep their guest name.
#include <dirent.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/UniqueFd.h"
#include "wasi/MemoryStream.h"
#include "wasi/WasiAbi.h"

namespace wasmops::wasi {

struct DirCloser {
  void operator()(DIR* d) const { ::closedir(d); }
};

struct FdEntry {
  UniqueFd host;
  std::uint8_t type = filetype::Unknown;
  std::uint64_t base = 0;        // rights on this fd
  std::uint64_t inheriting = 0;  // rights of fds opened through it
  std::uint16_t flags = 0;       // fdflags the guest asked for
  std::optional<std::string> preopenName;
  // fd_readdir's stream: its own open file description, so it never moves
  // the offset the guest sees through fd_seek.
  std::unique_ptr<DIR, DirCloser> dir;
  bool listening = false;  // a socket the host pre-opened for sock_accept
  // Set for stdio the host keeps in memory (`host` is then closed).
  std::shared_ptr<MemoryStream> memory;

  bool has(std::uint64_t needed) const { return (base & needed) == needed; }
};

class FdTable {
 public:
  // At most this many guest fds at once (EMFILE beyond).
  static constexpr std::uint32_t kMaxFds = 4096;

  FdEntry* get(std::uint32_t fd);
  // Looks up `fd` and checks it holds `needed`: EBADF or ENOTCAPABLE otherwise.
  Errno get(std::uint32_t fd, std::uint64_t needed, FdEntry*& out);
  // Puts `entry` at the lowest free number; EMFILE when full.
  Errno insert(FdEntry entry, std::uint32_t& fd);
  void insertAt(std::uint32_t fd, FdEntry entry);
  Errno close(std::uint32_t fd);
  Errno renumber(std::uint32_t from, std::uint32_t to);

 private:
  void trim();
  std::vector<std::unique_ptr<FdEntry>> slots_;
};

}  // namespace wasmops::wasi
