#include "app/RouteTable.h"

#include <fmt/format.h>

#include <algorithm>

namespace wasmops::app {
namespace {

std::string absolutize(std::string_view s) {
  std::string out;
  if (s.empty() || s.front() != '/') out += '/';
  out += s;
  return out;
}

// Spin's sanitize(): strips a single trailing '/'.
std::string stripOneSlash(std::string s) {
  if (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

bool isParamName(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

int rank(SegmentKind k) {
  switch (k) {
    case SegmentKind::Exact: return 0;
    case SegmentKind::Param: return 1;
    case SegmentKind::Wildcard: return 2;
  }
  return 2;
}

// True when `a` is more specific than `b` (see the header for the rule).
bool moreSpecific(const ParsedRoute& a, const ParsedRoute& b) {
  std::size_t n = std::min(a.segments.size(), b.segments.size());
  for (std::size_t i = 0; i < n; ++i) {
    int ra = rank(a.segments[i].kind), rb = rank(b.segments[i].kind);
    if (ra != rb) return ra < rb;
  }
  return a.segments.size() < b.segments.size();
}

bool sameShape(const ParsedRoute& a, const ParsedRoute& b) {
  if (a.segments.size() != b.segments.size()) return false;
  for (std::size_t i = 0; i < a.segments.size(); ++i) {
    const auto &x = a.segments[i], &y = b.segments[i];
    if (x.kind != y.kind) return false;
    if (x.kind == SegmentKind::Exact && x.text != y.text) return false;
  }
  return true;
}

std::string shown(const ParsedRoute& r) {
  return r.based.empty() ? "/" : r.based;
}

}  // namespace

Expected<ParsedRoute> parseRoute(std::string_view base, std::string_view route) {
  if (route.empty())
    return makeError(ErrorCode::Invalid,
                     "a route cannot be empty; write \"/\" for the root only or \"/...\" for every path");
  if (route.find_first_of("?#") != std::string_view::npos)
    return makeError(ErrorCode::Invalid,
                     fmt::format("route \"{}\" has a query or fragment ('?' or '#'); routes match paths only", route));
  ParsedRoute out;
  out.raw = std::string(route);
  out.based = stripOneSlash(absolutize(base.empty() ? "/" : base)) + stripOneSlash(absolutize(route));
  std::string_view rest = out.based;
  bool wildcard = false;
  for (std::string_view tail : {std::string_view("/..."), std::string_view("/*")}) {
    if (rest.ends_with(tail)) {
      rest.remove_suffix(tail.size());
      wildcard = true;
      break;
    }
  }
  while (!rest.empty()) {
    rest.remove_prefix(1);  // the '/' before each segment
    auto slash = rest.find('/');
    std::string_view seg = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
    if (seg.empty())
      return makeError(ErrorCode::Invalid, fmt::format("route \"{}\" has an empty segment (\"//\")", route));
    if (seg == "..." || seg.find('*') != std::string_view::npos)
      return makeError(ErrorCode::Invalid,
                       fmt::format("route \"{}\": a wildcard (\"...\" or \"*\") can only be the whole last segment, "
                                   "as in \"/static/...\"",
                                   route));
    if (seg.front() == ':') {
      if (!isParamName(seg.substr(1)))
        return makeError(ErrorCode::Invalid,
                         fmt::format("route \"{}\": parameter \"{}\" needs a name of letters, digits and '_' "
                                     "after ':'",
                                     route, seg));
      out.segments.push_back({SegmentKind::Param, std::string(seg.substr(1))});
    } else {
      out.segments.push_back({SegmentKind::Exact, std::string(seg)});
    }
  }
  if (wildcard) out.segments.push_back({SegmentKind::Wildcard, {}});
  return out;
}

Expected<void> RouteTable::add(ParsedRoute route, std::string component, std::string triggerId) {
  for (const auto& e : entries_) {
    if (!sameShape(e.route, route)) continue;
    std::string same =
        e.route.based == route.based ? "" : fmt::format(" (\"{}\" matches the same paths)", shown(e.route));
    return makeError(ErrorCode::Invalid,
                     fmt::format("duplicate route \"{}\": components \"{}\" and \"{}\" both claim it{}; give each "
                                 "component its own route",
                                 shown(route), e.component, component, same));
  }
  entries_.push_back({std::move(route), std::move(component), std::move(triggerId)});
  return {};
}

std::optional<RouteMatch> RouteTable::match(std::string_view path) const {
  path = path.substr(0, path.find('?'));
  bool trailingSlash = path.size() > 1 && path.back() == '/';
  std::string_view body = path;
  if (!body.empty() && body.front() == '/') body.remove_prefix(1);
  if (trailingSlash) body.remove_suffix(1);
  std::vector<std::string_view> parts;
  while (!body.empty()) {
    auto slash = body.find('/');
    parts.push_back(body.substr(0, slash));
    body = slash == std::string_view::npos ? std::string_view() : body.substr(slash + 1);
  }

  std::optional<RouteMatch> best;
  for (const auto& e : entries_) {
    const auto& segs = e.route.segments;
    bool wildcard = e.route.wildcard();
    std::size_t fixed = wildcard ? segs.size() - 1 : segs.size();
    if (parts.size() < fixed || (!wildcard && parts.size() != fixed)) continue;
    RouteMatch m;
    bool ok = true;
    for (std::size_t i = 0; i < fixed && ok; ++i) {
      if (segs[i].kind == SegmentKind::Exact) {
        ok = parts[i] == segs[i].text;
      } else if (parts[i].empty()) {
        ok = false;
      } else {
        m.params[segs[i].text] = std::string(parts[i]);
      }
    }
    if (!ok) continue;
    if (wildcard) {
      // Spin's RouteMatch::trailing_wildcard keeps a trailing slash, which
      // routefinder itself drops.
      std::string rest;
      for (std::size_t i = fixed; i < parts.size(); ++i) {
        rest += '/';
        rest += parts[i];
      }
      if (trailingSlash || (path == "/" && fixed == 0)) rest += "/";
      m.trailingWildcard = std::move(rest);
    }
    m.entry = &e;
    if (!best || moreSpecific(e.route, best->entry->route)) best = std::move(m);
  }
  return best;
}

}  // namespace wasmops::app
