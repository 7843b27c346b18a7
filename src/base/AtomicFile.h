#pragma once
// Files that appear whole or not at all: bytes go to a temporary file in the
// destination's folder, are fsync'ed, and only then renamed over the target
// (rename is atomic within one file system). A TempFile that is never
// committed is unlinked by its destructor, so an error path leaves nothing.
#include <sys/types.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "base/Error.h"

namespace wasmops::base {

class TempFile {
 public:
  // Creates "<dir>/.partial-<pid>-XXXXXX" with `mode`. The pid in the name
  // lets a later process remove what a killed one left (removeStalePartials).
  static Expected<TempFile> create(const std::string& dir, mode_t mode);

  TempFile() = default;
  TempFile(TempFile&& other) noexcept;
  TempFile& operator=(TempFile&& other) noexcept;
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile();

  Expected<void> write(std::span<const std::uint8_t> bytes);
  Expected<void> write(std::string_view bytes);
  // fsync, close and rename onto `target`, then fsync the folder.
  Expected<void> commit(const std::string& target);
  const std::string& path() const { return path_; }
  int fd() const { return fd_; }

 private:
  void discard();
  int fd_ = -1;
  std::string path_;
  std::string dir_;
};

// Writes `bytes` to `path` atomically with `mode`; creates the parent folder.
Expected<void> writeFileAtomically(const std::string& path, std::string_view bytes, mode_t mode);

// Creates `dir` and its parents (mode 0700 for new ones when `private_`).
Expected<void> makeDirectories(const std::string& dir, bool private_ = false);

// Removes "<dir>/.partial-<pid>-*" files whose process no longer runs.
void removeStalePartials(const std::string& dir);

// Whole file into memory, refusing more than `maxBytes`.
Expected<std::string> readSmallFile(const std::string& path, std::size_t maxBytes);

}  // namespace wasmops::base
