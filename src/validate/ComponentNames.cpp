#include "validate/ComponentNames.h"

#include <fmt/format.h>

namespace wasmops::validate {
namespace {

bool isLower(char c) { return c >= 'a' && c <= 'z'; }
bool isUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }

std::string lowered(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (isUpper(c)) c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string quoted(std::string_view s) { return fmt::format("`{}`", s); }

std::optional<std::string> labelError(std::string_view label, std::string_view whole) {
  if (isKebabLabel(label)) return std::nullopt;
  if (label == whole) return fmt::format("{} is not a valid kebab-case name", quoted(whole));
  return fmt::format("{} in name {} is not a valid kebab-case label", quoted(label), quoted(whole));
}

// `[method]r.m` / `[static]r.m`: two labels around one dot.
std::optional<std::string> dottedError(std::string_view rest, std::string_view whole) {
  const auto dot = rest.find('.');
  if (dot == std::string_view::npos)
    return fmt::format("name {} needs `resource.name` after its annotation", quoted(whole));
  if (auto e = labelError(rest.substr(0, dot), whole)) return e;
  return labelError(rest.substr(dot + 1), whole);
}

bool isNumericId(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!isDigit(c)) return false;
  return s.size() == 1 || s[0] != '0';
}

bool dotSeparated(std::string_view s, bool prerelease) {
  if (s.empty()) return false;
  std::size_t start = 0;
  while (true) {
    const auto end = s.find('.', start);
    const auto id = s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (id.empty()) return false;
    bool allDigits = true;
    for (char c : id) {
      if (!(isDigit(c) || isLower(c) || isUpper(c) || c == '-')) return false;
      allDigits = allDigits && isDigit(c);
    }
    if (prerelease && allDigits && !isNumericId(id)) return false;  // no leading zeros
    if (end == std::string_view::npos) return true;
    start = end + 1;
  }
}

}  // namespace

bool isKebabLabel(std::string_view s) {
  if (s.empty() || s.back() == '-') return false;
  bool first = true;
  std::size_t i = 0;
  while (i < s.size()) {
    // One fragment: [a-z][a-z0-9]* or [A-Z][A-Z0-9]*; after the first, a
    // fragment may also start with a digit (Explainer: `[0-9] <word>`).
    const char c = s[i];
    bool lower = isLower(c), upper = isUpper(c);
    if (!lower && !upper) {
      if (first || !isDigit(c)) return false;
    }
    ++i;
    while (i < s.size() && s[i] != '-') {
      const char d = s[i];
      if (isDigit(d)) {
      } else if (isLower(d) && !upper) {
        lower = true;
      } else if (isUpper(d) && !lower) {
        upper = true;
      } else {
        return false;
      }
      ++i;
    }
    if (i < s.size()) ++i;  // the '-'
    first = false;
  }
  return true;
}

bool isSemver(std::string_view s) {
  auto build = s.find('+');
  std::string_view core = s.substr(0, build);
  if (build != std::string_view::npos && !dotSeparated(s.substr(build + 1), false)) return false;
  auto pre = core.find('-');
  if (pre != std::string_view::npos) {
    if (!dotSeparated(core.substr(pre + 1), true)) return false;
    core = core.substr(0, pre);
  }
  const auto d1 = core.find('.');
  if (d1 == std::string_view::npos) return false;
  const auto d2 = core.find('.', d1 + 1);
  if (d2 == std::string_view::npos) return false;
  return isNumericId(core.substr(0, d1)) && isNumericId(core.substr(d1 + 1, d2 - d1 - 1)) &&
         isNumericId(core.substr(d2 + 1));
}

std::optional<std::string> externNameError(std::string_view name) {
  if (name.empty()) return std::string("empty import or export name");
  // Dependency and URL names (`url=<...>`, `locked-dep=<...>`, ...) are not checked further.
  for (std::string_view p : {"url=", "relative-url=", "locked-dep=", "unlocked-dep=", "integrity="})
    if (name.substr(0, p.size()) == p) return std::nullopt;
  if (name.find(':') != std::string_view::npos) {
    // interfacename: ns:pkg/iface[@semver]
    const auto colon = name.find(':');
    const auto slash = name.find('/', colon);
    if (slash == std::string_view::npos)
      return fmt::format("interface name {} lacks `/interface` (expected `namespace:package/interface`)", quoted(name));
    const auto at = name.find('@', slash);
    const auto iface = name.substr(slash + 1, at == std::string_view::npos ? std::string_view::npos : at - slash - 1);
    if (auto e = labelError(name.substr(0, colon), name)) return e;
    if (auto e = labelError(name.substr(colon + 1, slash - colon - 1), name)) return e;
    if (auto e = labelError(iface, name)) return e;
    if (at != std::string_view::npos && !isSemver(name.substr(at + 1)))
      return fmt::format("`{}` in name {} is not a valid semantic version", name.substr(at + 1), quoted(name));
    return std::nullopt;
  }
  if (name[0] == '[') {
    const auto close = name.find(']');
    if (close == std::string_view::npos) return fmt::format("name {} has an unterminated annotation", quoted(name));
    const auto ann = name.substr(0, close + 1);
    const auto rest = name.substr(close + 1);
    if (ann == "[constructor]" || ann == "[async]") return labelError(rest, name);
    if (ann == "[method]" || ann == "[static]" || ann == "[async method]" || ann == "[async static]")
      return dottedError(rest, name);
    return fmt::format("unknown annotation `{}` in name {}", ann, quoted(name));
  }
  return labelError(name, name);
}

std::optional<std::string> UniqueNames::add(const std::string& name) {
  Entry e;
  e.name = name;
  std::string_view key = name;
  if (!key.empty() && key[0] == '[' && key.find(']') != std::string_view::npos) {
    e.constructor = key.substr(0, 13) == "[constructor]";
    key = key.substr(key.find(']') + 1);
  } else {
    e.plain = true;
  }
  auto& same = byKey_[lowered(key)];
  for (const auto& prev : same) {
    // `l` and `[constructor]l` are strongly-unique; anything else equal after
    // lowercasing acronyms and stripping annotations is not.
    if ((prev.plain && e.constructor) || (prev.constructor && e.plain)) continue;
    return prev.name;
  }
  same.push_back(std::move(e));
  return std::nullopt;
}

}  // namespace wasmops::validate
