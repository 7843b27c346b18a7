#pragma once
// A folder built beside its destination and moved into place when whole, so
// an interrupted pull never leaves half an application where the user
// expects one. The destination must be missing, empty, or hold only entries
// this same staging writes (a previous pull): those are replaced. Anything
// else there is left alone and the pull is refused before it downloads.
#include <string>
#include <vector>

#include "base/Error.h"

namespace wasmops::oci {

class StagingFolder {
 public:
  // Checks `target` (see above) against the entry names the pull writes,
  // then creates "<parent>/.wasmops-pull-<pid>-XXXXXX".
  static Expected<StagingFolder> create(const std::string& target, std::vector<std::string> entries);

  StagingFolder() = default;
  StagingFolder(StagingFolder&& other) noexcept;
  StagingFolder& operator=(StagingFolder&& other) noexcept;
  StagingFolder(const StagingFolder&) = delete;
  StagingFolder& operator=(const StagingFolder&) = delete;
  ~StagingFolder();  // removes the staging folder unless committed

  const std::string& path() const { return path_; }
  // Moves the staged entries into the target (the whole folder at once when
  // the target does not exist yet) and removes what they replace.
  Expected<void> commit();

 private:
  void discard();
  std::string path_;
  std::string target_;
  std::vector<std::string> entries_;
};

}  // namespace wasmops::oci
