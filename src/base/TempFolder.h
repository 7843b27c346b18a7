#pragma once
// A folder that exists for as long as this object: created with mkdtemp
// under $TMPDIR (or /tmp), removed with everything in it on destruction.
#include <string>

#include "base/Error.h"

namespace wasmops::base {

class TempFolder {
 public:
  // `prefix` names the folder: "<tmp>/<prefix>-XXXXXX".
  static Expected<TempFolder> create(const std::string& prefix);
  TempFolder() = default;
  TempFolder(TempFolder&& other) noexcept;
  TempFolder& operator=(TempFolder&& other) noexcept;
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  ~TempFolder();

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace wasmops::base
