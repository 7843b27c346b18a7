#pragma once
// The HTTP trigger's router: which component serves a request path.
//
// Routes are written as in Spin (spinframework/spin crates/http/src/routes.rs,
// which hands them to the `routefinder` crate): an exact path ("/api/users"),
// `:name` segments that capture one non-empty path segment
// ("/users/:id"), and a trailing wildcard ("/static/..." or "/static/*",
// which also matches "/static" itself). `{ private = true }` routes are
// reachable only through service chaining, never from a request path.
//
// Precedence among the routes that match a path (routefinder's RouteSpec
// ordering, which Spin relies on for "exact beats wildcard" and "longest
// prefix wins"): compare segment by segment from the left; at the first
// position where the kinds differ, an exact segment beats a `:name` capture,
// which beats the wildcard; when one route's segments are a prefix of the
// other's, the shorter route (with no wildcard tail to spend) wins. So
// "/one" beats "/...", and "/one/two/..." beats "/one/...".
//
// Duplicates: Spin keeps the last of two identical routes and logs a
// warning; wasmops refuses them, naming both components, because the first
// one silently stops serving. Two routes that differ only in parameter names
// ("/a/:x" and "/a/:y") match the same paths and count as duplicates too.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/Error.h"

namespace wasmops::app {

enum class SegmentKind { Exact, Param, Wildcard };

struct RouteSegment {
  SegmentKind kind = SegmentKind::Exact;
  std::string text;  // the literal, or the parameter's name
};

// A route as written, with the application's base applied.
struct ParsedRoute {
  std::string raw;                     // as written in the manifest
  std::string based;                   // base + route, one trailing '/' stripped from each (Spin's sanitize_with_base)
  std::vector<RouteSegment> segments;  // a wildcard is only ever the last
  bool wildcard() const { return !segments.empty() && segments.back().kind == SegmentKind::Wildcard; }
};

// "/a/:b/..." under `base` ("/" or "/api"). Errors name what is wrong with
// the route; the caller adds where it was written.
Expected<ParsedRoute> parseRoute(std::string_view base, std::string_view route);

struct RouteEntry {
  ParsedRoute route;
  std::string component;
  std::string triggerId;
};

struct RouteMatch {
  const RouteEntry* entry = nullptr;
  std::map<std::string, std::string> params;  // `:name` captures
  // The part of the path the wildcard matched, as Spin reports it: "" for
  // "/static" against "/static/...", "/" for "/static/", "/a/b" for
  // "/static/a/b", "/a/b/" for "/static/a/b/".
  std::string trailingWildcard;
};

class RouteTable {
 public:
  // Adds one route; a duplicate of a route already there is an error that
  // names both components. Private routes are not added (they never match).
  Expected<void> add(ParsedRoute route, std::string component, std::string triggerId);

  // The best route for `path` (a query string is ignored), or nullopt.
  std::optional<RouteMatch> match(std::string_view path) const;

  const std::vector<RouteEntry>& entries() const { return entries_; }

 private:
  std::vector<RouteEntry> entries_;
};

}  // namespace wasmops::app
