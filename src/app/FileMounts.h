#pragma once
// A component's `files`: which file of the application folder appears at
// which path below the component's mount root, as Spin's loader decides
// (copy_file_mounts in spinframework/spin crates/loader/src/local.rs),
// without copying anything. Entries are "file", "dir" (mounted at /dir,
// spinframework/spin#1488), glob patterns, and { source, destination }
// placements; `exclude_files` patterns filter them; paths that leave the
// application folder are refused, and two different files at one path are
// an error.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "base/Error.h"

namespace wasmops::app {

// One file a component sees: where it is on this machine, and its path
// below the component's mount root ("static/app.css", no leading '/').
struct LocalFile {
  std::string hostPath;
  std::string guestPath;
};

// Which part of a `files` entry an error is about, so the manifest reader
// can point at it.
enum class MountPart { Entry, Source, Destination };
struct MountError {
  MountPart part = MountPart::Entry;
  Error error;
};
using MountResult = tl::expected<void, MountError>;

class FileMounts {
 public:
  // `root`: the application folder; `where`: "component.ID", for messages.
  FileMounts(std::string root, std::string where, std::vector<std::string> excludes);

  MountResult addPattern(std::string_view pattern);                                 // "file", "dir", a glob
  MountResult addPlacement(std::string_view source, std::string_view destination);  // { source, destination }

  std::vector<LocalFile> files() const;  // sorted by guest path

 private:
  using Found = std::vector<std::pair<std::string, std::string>>;  // guest, app-relative host path
  MountResult add(const Found& found);
  bool excluded(const std::string& appRelative) const;

  std::string root_;
  std::string where_;
  std::vector<std::string> excludes_;
  std::map<std::string, std::string> byGuest_;  // guest -> app-relative host path
};

}  // namespace wasmops::app
