#pragma once
// What a path names, following symbolic links (stat): the questions the
// manifest reader asks of a user's files. A path that cannot be stat'ed is
// none of these.
#include <sys/stat.h>

#include <string>

namespace wasmops::base {

inline bool pathExists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

inline bool isRegularFile(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

inline bool isDirectory(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace wasmops::base
