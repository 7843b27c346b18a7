#include "component/Wit.h"

namespace wasmops::component::wit {

std::string toString(const PackageName& name) {
  std::string s = name.ns + ":" + name.name;
  if (!name.version.empty()) s += "@" + name.version;
  return s;
}

std::string toString(const UsePath& path) {
  if (path.ns.empty() && path.package.empty()) return path.interface;
  std::string s = path.ns + ":" + path.package + "/" + path.interface;
  if (!path.version.empty()) s += "@" + path.version;
  return s;
}

}  // namespace wasmops::component::wit
