#include "app/RouteTable.h"

#include <gtest/gtest.h>

namespace wasmops::app {
namespace {

RouteTable table(std::string_view base, std::vector<std::pair<std::string, std::string>> routes) {
  RouteTable t;
  for (auto& [route, component] : routes) {
    auto parsed = parseRoute(base, route);
    EXPECT_TRUE(parsed) << route << ": " << parsed.error().message;
    if (!parsed) continue;
    auto added = t.add(std::move(*parsed), component, component + "-http-trigger");
    EXPECT_TRUE(added) << added.error().message;
  }
  return t;
}

std::string served(const RouteTable& t, std::string_view path) {
  auto m = t.match(path);
  return m ? m->entry->component : "(none)";
}

// The cases of spinframework/spin crates/http/src/routes.rs (route_tests).
TEST(RouteTable, ExactRoutesAndTheBase) {
  auto t = table("/", {{"/foo", "foo"}, {"/foo/bar", "foobar"}});
  EXPECT_EQ(served(t, "/foo"), "foo");
  EXPECT_EQ(served(t, "/foo/bar"), "foobar");
  EXPECT_EQ(served(t, "/foo/"), "foo");  // routefinder ignores a trailing slash
  EXPECT_EQ(served(t, "/fo"), "(none)");
  EXPECT_EQ(served(t, "/foo/bar/baz"), "(none)");
  auto based = table("/base", {{"/foo", "foo"}, {"/foo/bar", "foobar"}});
  EXPECT_EQ(served(based, "/base/foo"), "foo");
  EXPECT_EQ(served(based, "/base/foo/bar"), "foobar");
  EXPECT_EQ(served(based, "/foo"), "(none)");
}

TEST(RouteTable, WildcardMatchesEverythingBelowAndItself) {
  auto t = table("/", {{"/...", "all"}});
  EXPECT_EQ(served(t, "/foo/bar"), "all");
  EXPECT_EQ(served(t, "/abc/"), "all");
  EXPECT_EQ(served(t, "/"), "all");
  EXPECT_EQ(served(t, "/this/should/be/captured?abc=def"), "all");
  auto star = table("/", {{"/static/*", "files"}});
  EXPECT_EQ(served(star, "/static"), "files");
  EXPECT_EQ(served(star, "/static/a/b.css"), "files");
  EXPECT_EQ(served(star, "/staticx"), "(none)");
}

TEST(RouteTable, LongestWildcardPrefixWinsRegardlessOfOrder) {
  auto t = table("/", {{"/one/...", "one"}, {"/one/two/...", "onetwo"}, {"/one/two/three/...", "onetwothree"}});
  EXPECT_EQ(served(t, "/one/two/three/four"), "onetwothree");
  EXPECT_EQ(served(t, "/one/two/x"), "onetwo");
  EXPECT_EQ(served(t, "/one"), "one");
  auto reversed = table("/", {{"/one/two/three/...", "onetwothree"}, {"/one/two/...", "onetwo"}, {"/one/...", "one"}});
  EXPECT_EQ(served(reversed, "/one/two/three/four"), "onetwothree");
}

TEST(RouteTable, ExactBeatsParameterBeatsWildcard) {
  auto t = table("/", {{"/...", "wildcard"}, {"/users/:id", "user"}, {"/users/me", "me"}, {"/one", "one_exact"}});
  EXPECT_EQ(served(t, "/one"), "one_exact");
  EXPECT_EQ(served(t, "/users/me"), "me");
  EXPECT_EQ(served(t, "/users/42"), "user");
  EXPECT_EQ(served(t, "/users"), "wildcard");
  EXPECT_EQ(served(t, "/users/42/posts"), "wildcard");
  // An exact route beats a wildcard on the same prefix for the prefix itself.
  auto same = table("/", {{"/api/...", "api"}, {"/api", "root"}});
  EXPECT_EQ(served(same, "/api"), "root");
  EXPECT_EQ(served(same, "/api/x"), "api");
}

TEST(RouteTable, CapturesParametersAndTheTrailingWildcardAsSpinDoes) {
  auto t = table("/", {{"/1/:two/3", "a"}});
  auto m = t.match("/1/2/3");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->params.at("two"), "2");
  EXPECT_FALSE(t.match("/1//3"));  // a parameter needs a non-empty segment

  auto w = table("/", {{"/1/:two/...", "a"}});
  m = w.match("/1/2/3");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->params.at("two"), "2");
  EXPECT_EQ(m->trailingWildcard, "/3");

  auto root = table("/", {{"/...", "c"}});
  EXPECT_EQ(root.match("/1/2/3")->trailingWildcard, "/1/2/3");
  EXPECT_EQ(root.match("/")->trailingWildcard, "/");
  auto test = table("/", {{"/test/...", "c"}});
  EXPECT_EQ(test.match("/test")->trailingWildcard, "");
  EXPECT_EQ(test.match("/test/")->trailingWildcard, "/");
  EXPECT_EQ(test.match("/test/hello")->trailingWildcard, "/hello");
  EXPECT_EQ(test.match("/test/hello/")->trailingWildcard, "/hello/");
}

TEST(RouteTable, DuplicateRoutesAreAnErrorNamingBothComponents) {
  RouteTable t;
  ASSERT_TRUE(t.add(*parseRoute("/", "/foo"), "first", "t1"));
  auto dup = t.add(*parseRoute("/", "/foo/"), "second", "t2");  // the same route once sanitized
  ASSERT_FALSE(dup);
  EXPECT_NE(dup.error().message.find("\"first\" and \"second\""), std::string::npos) << dup.error().message;
  ASSERT_TRUE(t.add(*parseRoute("/", "/a/:x"), "x", "t3"));
  auto renamed = t.add(*parseRoute("/", "/a/:y"), "y", "t4");
  ASSERT_FALSE(renamed);
  EXPECT_NE(renamed.error().message.find("matches the same paths"), std::string::npos) << renamed.error().message;
  ASSERT_TRUE(t.add(*parseRoute("/", "/..."), "all", "t5"));
  EXPECT_FALSE(t.add(*parseRoute("/", "/*"), "star", "t6"));
}

TEST(RouteTable, RefusesRoutesThatCannotMatchAsWritten) {
  EXPECT_FALSE(parseRoute("/", ""));
  EXPECT_FALSE(parseRoute("/", "/a/.../b"));
  EXPECT_FALSE(parseRoute("/", "/a*b"));
  EXPECT_FALSE(parseRoute("/", "/a//b"));
  EXPECT_FALSE(parseRoute("/", "/users/:"));
  EXPECT_FALSE(parseRoute("/", "/users/:a-b"));
  EXPECT_FALSE(parseRoute("/", "/search?q=1"));
  auto relative = parseRoute("/", "foo");  // Spin makes a relative route absolute
  ASSERT_TRUE(relative);
  EXPECT_EQ(relative->based, "/foo");
  EXPECT_EQ(parseRoute("/api/", "/")->based, "/api");
}

}  // namespace
}  // namespace wasmops::app
