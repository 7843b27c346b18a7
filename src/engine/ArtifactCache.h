#pragma once
// Content-addressed cache of compiled artifacts. Key = sha256 of the wasm,
// the compiler identity (program, version, flags incl. -march), the emitter
// version, the runtime header and the memory strategy. Entries are written
// to a temp file and renamed, guarded by a lock file between processes, and
// carry a checksum: a corrupt entry is rebuilt.
#include <functional>
#include <optional>
#include <string>

#include "base/Error.h"

namespace wasmops::engine {

class ArtifactCache {
 public:
  // `dir` empty: $XDG_CACHE_HOME/wasmops/artifacts (or ~/.cache/...). A dir
  // that cannot be written degrades to a private temp dir with a warning.
  static ArtifactCache open(const std::string& dir = {});

  const std::string& dir() const { return dir_; }

  // Path of a valid artifact for `key`, building it with `build(tmpPath)`
  // when missing or corrupt.
  // Path of a valid artifact for `key`, if there is one.
  std::optional<std::string> lookup(const std::string& key) const;
  Expected<std::string> getOrBuild(const std::string& key, const std::function<Expected<void>(const std::string&)>& build);

  struct Entry {
    std::string key;
    std::string path;
    std::uint64_t size = 0;
  };
  std::vector<Entry> list() const;
  std::uint64_t totalSize() const;
  Expected<std::size_t> clear();

 private:
  std::string dir_;
};

std::string defaultCacheRoot();  // $XDG_CACHE_HOME/wasmops or ~/.cache/wasmops

}  // namespace wasmops::engine
