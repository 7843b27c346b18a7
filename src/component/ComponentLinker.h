#pragma once
// What the host provides to the components it instantiates: functions
// taking and returning component Values, by plain name (`log`) or by
// interface name and function name (`ns:pkg/iface@1.2.3`, `get`). An
// imported interface links to a provided one as wasmtime links them: same
// namespace, package and interface, and a semver-compatible version (same
// major, or for 0.x the same minor, or for 0.0.x the same patch; the
// highest compatible one wins; pre-release versions only match exactly).
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/Error.h"
#include "component/Value.h"

namespace wasmops::component {

using HostFunction = std::function<Expected<std::optional<Value>>(std::span<const Value> args)>;
// Runs when a guest drops the last owning handle of a host resource: `rep`
// is what the host returned as Value::own(rep). An error traps the guest.
using HostDestructor = std::function<Expected<void>(std::uint32_t rep)>;

class ComponentLinker {
 public:
  // A top-level function import `name`.
  Expected<void> define(std::string name, HostFunction fn);
  // Function `function` of interface `interface` (`ns:pkg/iface@x.y.z`).
  // `params`, when given, is what the function reads (TypeShape.h's
  // paramShapes, e.g. "borrow, list<u8>"): an import declaring other
  // parameters is refused at link time instead of reaching it.
  Expected<void> define(std::string interface, std::string function, HostFunction fn,
                        std::optional<std::string> params = std::nullopt);

  // Resource type `resource` of interface `interface`: the guest's handles
  // to it carry host reps; `destructor` (may be empty) runs on drop.
  Expected<void> defineResource(std::string interface, std::string resource, HostDestructor destructor);

  const HostFunction* function(std::string_view name) const;
  // The provided interface an imported interface name links to, if any.
  std::optional<std::string> interfaceFor(std::string_view imported) const;
  const HostFunction* function(std::string_view interface, std::string_view function) const;
  // The parameter shapes `function` was defined with (nullptr: unchecked).
  const std::string* params(std::string_view interface, std::string_view function) const;
  const HostDestructor* resource(std::string_view interface, std::string_view resource) const;

 private:
  struct Entry {
    HostFunction fn;
    std::optional<std::string> params;
  };
  struct Interface {
    std::map<std::string, Entry, std::less<>> functions;
    std::map<std::string, HostDestructor, std::less<>> resources;
  };
  std::map<std::string, HostFunction, std::less<>> functions_;
  std::map<std::string, Interface, std::less<>> interfaces_;
};

// Whether a host providing version `provided` satisfies an import of version `wanted`.
bool semverCompatible(std::string_view wanted, std::string_view provided);

}  // namespace wasmops::component
