#include "component/ComponentLinker.h"

#include <charconv>
#include <tuple>

#include <fmt/format.h>

#include "binary/Component.h"

namespace wasmops::component {
namespace {

struct Version {
  std::uint64_t major = 0, minor = 0, patch = 0;
  std::string pre;  // pre-release, without '-'
};

std::optional<Version> parseVersion(std::string_view text) {
  if (auto plus = text.find('+'); plus != std::string_view::npos) text = text.substr(0, plus);  // build metadata
  Version v;
  if (auto dash = text.find('-'); dash != std::string_view::npos) {
    v.pre = std::string(text.substr(dash + 1));
    text = text.substr(0, dash);
  }
  std::uint64_t* parts[] = {&v.major, &v.minor, &v.patch};
  for (int i = 0; i < 3; ++i) {
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *parts[i]);
    if (ec != std::errc() || end == text.data()) return std::nullopt;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()));
    if (i < 2) {
      if (text.empty() || text.front() != '.') return std::nullopt;
      text.remove_prefix(1);
    }
  }
  if (!text.empty()) return std::nullopt;
  return v;
}

}  // namespace

bool semverCompatible(std::string_view wanted, std::string_view provided) {
  if (wanted == provided) return true;
  auto w = parseVersion(wanted), p = parseVersion(provided);
  if (!w || !p || !w->pre.empty() || !p->pre.empty()) return false;
  if (w->major != p->major) return false;
  // wasmtime's compatibility key: the major version, or 0.minor, or 0.0.patch.
  if (w->major != 0) return true;
  if (w->minor != p->minor) return false;
  return w->minor != 0 || w->patch == p->patch;
}

Expected<void> ComponentLinker::define(std::string name, HostFunction fn) {
  if (functions_.count(name)) return makeError(ErrorCode::Invalid, fmt::format("function '{}' is defined twice", name));
  functions_.emplace(std::move(name), std::move(fn));
  return {};
}

Expected<void> ComponentLinker::define(std::string interface, std::string function, HostFunction fn,
                                       std::optional<std::string> params) {
  auto& fns = interfaces_[interface].functions;
  if (fns.count(function))
    return makeError(ErrorCode::Invalid, fmt::format("function '{}' of '{}' is defined twice", function, interface));
  fns.emplace(std::move(function), Entry{std::move(fn), std::move(params)});
  return {};
}

Expected<void> ComponentLinker::defineResource(std::string interface, std::string resource, HostDestructor destructor) {
  auto& rs = interfaces_[interface].resources;
  if (rs.count(resource))
    return makeError(ErrorCode::Invalid, fmt::format("resource '{}' of '{}' is defined twice", resource, interface));
  rs.emplace(std::move(resource), std::move(destructor));
  return {};
}

const HostFunction* ComponentLinker::function(std::string_view name) const {
  auto it = functions_.find(name);
  return it == functions_.end() ? nullptr : &it->second;
}

std::optional<std::string> ComponentLinker::interfaceFor(std::string_view imported) const {
  if (interfaces_.count(imported)) return std::string(imported);
  auto want = binary::splitInterfaceName(std::string(imported));
  if (!want.interface || want.version.empty()) return std::nullopt;
  std::optional<std::string> best;
  std::optional<Version> bestVersion;
  for (const auto& [name, fns] : interfaces_) {
    auto have = binary::splitInterfaceName(name);
    if (!have.interface || have.ns != want.ns || have.package != want.package || have.name != want.name) continue;
    if (!semverCompatible(want.version, have.version)) continue;
    auto v = parseVersion(have.version);
    if (!v) continue;
    if (!bestVersion || std::tie(v->major, v->minor, v->patch) > std::tie(bestVersion->major, bestVersion->minor, bestVersion->patch)) {
      best = name;
      bestVersion = v;
    }
  }
  return best;
}

const HostFunction* ComponentLinker::function(std::string_view interface, std::string_view function) const {
  auto it = interfaces_.find(interface);
  if (it == interfaces_.end()) return nullptr;
  auto fn = it->second.functions.find(function);
  return fn == it->second.functions.end() ? nullptr : &fn->second.fn;
}

const std::string* ComponentLinker::params(std::string_view interface, std::string_view function) const {
  auto it = interfaces_.find(interface);
  if (it == interfaces_.end()) return nullptr;
  auto fn = it->second.functions.find(function);
  return fn == it->second.functions.end() || !fn->second.params ? nullptr : &*fn->second.params;
}

const HostDestructor* ComponentLinker::resource(std::string_view interface, std::string_view resource) const {
  auto it = interfaces_.find(interface);
  if (it == interfaces_.end()) return nullptr;
  auto r = it->second.resources.find(resource);
  return r == it->second.resources.end() ? nullptr : &r->second;
}

}  // namespace wasmops::component
