// http::wagiEnvironment / wagiArgv / percentDecode: what a WAGI guest is
// given for a request (docs/wagi.md; RFC 3875 §4; Spin's WAGI executor:
// crates/http/src/wagi/mod.rs build_headers, crates/trigger-http/src/headers.rs
// compute_default_headers and wagi.rs for argv). Routes are real RouteTable
// matches, so SCRIPT_NAME / PATH_INFO come from the same code the host uses.
#include "http/CgiEnvironment.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wasmops::http {
namespace {

using namespace std::string_literals;

// One request against one route of an application with `base`.
struct Exchange {
  app::RouteTable table;
  std::optional<app::RouteMatch> match;
  Request request;
  WagiRoute route;

  Exchange(std::string_view base, std::string_view routeText, std::string target) {
    auto parsed = app::parseRoute(base, routeText);
    EXPECT_TRUE(parsed) << parsed.error().message;
    if (parsed) {
      EXPECT_TRUE(table.add(std::move(*parsed), "comp", "comp-trigger"));
    }
    request.method = "GET";
    request.target = target;
    const auto q = target.find('?');
    request.path = target.substr(0, q);
    request.query = q == std::string::npos ? "" : target.substr(q + 1);
    request.clientAddress = "127.0.0.1:54321";
    request.localAddress = "127.0.0.1:3000";
    request.requestId = "req-1";
    match = table.match(request.path);
    EXPECT_TRUE(match.has_value()) << routeText << " does not match " << request.path;
    route.match = match ? &*match : nullptr;
    route.componentId = "comp";
    route.basePath = std::string(base);
  }
  Exchange(const Exchange&) = delete;  // route.match points into this object
  Exchange& operator=(const Exchange&) = delete;

  std::vector<std::string> envList(const std::vector<std::string>& componentEnv = {}) const {
    return wagiEnvironment(request, route, componentEnv);
  }
  std::map<std::string, std::string> env(const std::vector<std::string>& componentEnv = {}) const {
    std::map<std::string, std::string> m;
    for (const auto& e : envList(componentEnv)) {
      const auto eq = e.find('=');
      EXPECT_NE(eq, std::string::npos) << e;
      EXPECT_FALSE(m.contains(e.substr(0, eq))) << "variable set twice: " << e;
      m[e.substr(0, eq)] = e.substr(eq + 1);
    }
    return m;
  }
  std::vector<std::string> argv() const { return wagiArgv(request, route); }
};

TEST(CgiEnvironment, DocumentedExample) {
  // docs/wagi.md: GET /echo/a%20b?x=1&y=two, Host localhost:3000, route /echo/...
  Exchange x("/", "/echo/...", "/echo/a%20b?x=1&y=two");
  x.request.headers = {{"Host", "localhost:3000"}, {"User-Agent", "curl/8"}};
  const auto e = x.env();
  EXPECT_EQ(e.at("REQUEST_METHOD"), "GET");
  EXPECT_EQ(e.at("QUERY_STRING"), "x=1&y=two");
  EXPECT_EQ(e.at("SCRIPT_NAME"), "/echo");
  EXPECT_EQ(e.at("PATH_INFO"), "/a b");
  EXPECT_EQ(e.at("PATH_TRANSLATED"), "/a b");
  EXPECT_EQ(e.at("X_RAW_PATH_INFO"), "/a%20b");
  EXPECT_EQ(e.at("CONTENT_LENGTH"), "0");
  EXPECT_EQ(e.at("CONTENT_TYPE"), "");
  EXPECT_EQ(e.at("GATEWAY_INTERFACE"), "CGI/1.1");
  EXPECT_EQ(e.at("SERVER_SOFTWARE"), "WAGI/1");
  EXPECT_EQ(e.at("SERVER_PROTOCOL"), "HTTP/1.1");
  EXPECT_EQ(e.at("SERVER_NAME"), "localhost");
  EXPECT_EQ(e.at("SERVER_PORT"), "3000");
  EXPECT_EQ(e.at("REMOTE_ADDR"), "127.0.0.1");
  EXPECT_EQ(e.at("REMOTE_HOST"), "127.0.0.1");
  EXPECT_EQ(e.at("AUTH_TYPE"), "");
  EXPECT_EQ(e.at("REMOTE_USER"), "");
  EXPECT_EQ(e.at("HTTP_HOST"), "localhost:3000");
  EXPECT_EQ(e.at("HTTP_USER_AGENT"), "curl/8");
  EXPECT_EQ(e.at("X_FULL_URL"), "http://localhost:3000/echo/a%20b?x=1&y=two");
  EXPECT_EQ(e.at("X_MATCHED_ROUTE"), "/echo/...");
  EXPECT_EQ(e.at("X_COMPONENT_ROUTE"), "/echo");
  EXPECT_EQ(e.at("X_RAW_COMPONENT_ROUTE"), "/echo/...");
  EXPECT_EQ(e.at("X_BASE_PATH"), "/");
  EXPECT_EQ(e.at("X_CLIENT_ADDR"), "127.0.0.1:54321");
  EXPECT_EQ(e.at("X_REQUEST_ID"), "req-1");
  EXPECT_EQ(x.argv(), (std::vector<std::string>{"/echo/a%20b", "x=1", "y=two"}));
}

TEST(CgiEnvironment, ExactRouteHasEmptyPathInfo) {
  Exchange x("/", "/hello", "/hello");
  const auto e = x.env();
  EXPECT_EQ(e.at("SCRIPT_NAME"), "/hello");
  EXPECT_EQ(e.at("PATH_INFO"), "");
  EXPECT_EQ(e.at("X_RAW_PATH_INFO"), "");
  EXPECT_EQ(e.at("X_MATCHED_ROUTE"), "/hello");
  EXPECT_EQ(e.at("X_COMPONENT_ROUTE"), "/hello");
  EXPECT_EQ(e.at("QUERY_STRING"), "");
  EXPECT_EQ(x.argv(), (std::vector<std::string>{"/hello"}));
}

TEST(CgiEnvironment, ExactRootRouteIsSlash) {
  Exchange x("/", "/", "/");
  const auto e = x.env();
  EXPECT_EQ(e.at("SCRIPT_NAME"), "/");
  EXPECT_EQ(e.at("PATH_INFO"), "");
  EXPECT_EQ(e.at("X_MATCHED_ROUTE"), "/");
}

TEST(CgiEnvironment, WildcardPathInfoKeepsTheTrailingSlash) {
  // As Spin's trailing_wildcard: "" for the prefix itself, "/" for "prefix/".
  EXPECT_EQ(Exchange("/", "/static/...", "/static").env().at("PATH_INFO"), "");
  EXPECT_EQ(Exchange("/", "/static/...", "/static/").env().at("PATH_INFO"), "/");
  EXPECT_EQ(Exchange("/", "/static/...", "/static/a/b").env().at("PATH_INFO"), "/a/b");
  EXPECT_EQ(Exchange("/", "/static/...", "/static/a/b/").env().at("PATH_INFO"), "/a/b/");
  EXPECT_EQ(Exchange("/", "/static/*", "/static/css/x.css").env().at("PATH_INFO"), "/css/x.css");
  EXPECT_EQ(Exchange("/", "/static/*", "/static/css/x.css").env().at("SCRIPT_NAME"), "/static");
}

TEST(CgiEnvironment, ScriptNamePlusPathInfoIsThePathForARootWildcard) {
  // RFC 3875 §4.1.13/§4.1.5: the script's URI path is SCRIPT_NAME + PATH_INFO.
  // For "/..." SCRIPT_NAME is empty (as Spin's based_route_or_prefix), not "/",
  // which would make "//foo".
  for (const char* path : {"/", "/foo", "/foo/bar/", "/a%2Fb"}) {
    Exchange x("/", "/...", path);
    const auto e = x.env();
    EXPECT_EQ(e.at("SCRIPT_NAME"), "") << path;
    EXPECT_EQ(e.at("SCRIPT_NAME") + e.at("X_RAW_PATH_INFO"), path);
    EXPECT_EQ(e.at("X_MATCHED_ROUTE"), "/...");
    EXPECT_EQ(e.at("X_COMPONENT_ROUTE"), "");
  }
  for (const char* path : {"/static", "/static/", "/static/a/b"}) {
    const auto e = Exchange("/", "/static/...", path).env();
    EXPECT_EQ(e.at("SCRIPT_NAME") + e.at("X_RAW_PATH_INFO"), path);
  }
}

TEST(CgiEnvironment, BasePathIsInScriptNameButNotInTheComponentRoute) {
  Exchange x("/api", "/users/...", "/api/users/42");
  const auto e = x.env();
  EXPECT_EQ(e.at("SCRIPT_NAME"), "/api/users");
  EXPECT_EQ(e.at("PATH_INFO"), "/42");
  EXPECT_EQ(e.at("X_BASE_PATH"), "/api");
  EXPECT_EQ(e.at("X_MATCHED_ROUTE"), "/api/users/...");
  EXPECT_EQ(e.at("X_RAW_COMPONENT_ROUTE"), "/users/...");
  EXPECT_EQ(e.at("X_COMPONENT_ROUTE"), "/users");  // Spin's raw_route_or_prefix: no base
  EXPECT_EQ(x.argv(), (std::vector<std::string>{"/api/users/42"}));
}

TEST(CgiEnvironment, BasePathWithATrailingSlashAndARootWildcard) {
  Exchange x("/api/", "/...", "/api/x");
  const auto e = x.env();
  EXPECT_EQ(e.at("SCRIPT_NAME"), "/api");
  EXPECT_EQ(e.at("PATH_INFO"), "/x");
  EXPECT_EQ(e.at("X_MATCHED_ROUTE"), "/api/...");
  EXPECT_EQ(e.at("X_COMPONENT_ROUTE"), "");
}

TEST(CgiEnvironment, EmptyBasePathIsShownAsSlash) {
  Exchange x("", "/a", "/a");
  EXPECT_EQ(x.env().at("X_BASE_PATH"), "/");
}

TEST(CgiEnvironment, NamedCapturesBecomeXPathMatch) {
  Exchange x("/", "/users/:userId/posts/:post_id/...", "/users/42/posts/7/comments");
  const auto e = x.env();
  EXPECT_EQ(e.at("X_PATH_MATCH_USERID"), "42");
  EXPECT_EQ(e.at("X_PATH_MATCH_POST_ID"), "7");
  EXPECT_EQ(e.at("SCRIPT_NAME"), "/users/:userId/posts/:post_id");
  EXPECT_EQ(e.at("X_COMPONENT_ROUTE"), "/users/:userId/posts/:post_id");
  EXPECT_EQ(e.at("PATH_INFO"), "/comments");
}

TEST(CgiEnvironment, PathInfoIsPercentDecodedButRawPathInfoIsNot) {
  Exchange x("/", "/f/...", "/f/caf%C3%A9/%2e%2e/a+b/100%25/%zz/%4");
  const auto e = x.env();
  EXPECT_EQ(e.at("PATH_INFO"), "/caf\xc3\xa9/../a+b/100%/%zz/%4");
  EXPECT_EQ(e.at("X_RAW_PATH_INFO"), "/caf%C3%A9/%2e%2e/a+b/100%25/%zz/%4");
  EXPECT_EQ(e.at("X_FULL_URL"), "http://127.0.0.1:3000/f/caf%C3%A9/%2e%2e/a+b/100%25/%zz/%4");
}

TEST(CgiEnvironment, EncodedNulStaysEncodedInPathInfo) {
  Exchange x("/", "/f/...", "/f/a%00b");
  const auto list = x.envList();
  for (const auto& v : list) EXPECT_EQ(v.find('\0'), std::string::npos) << "a NUL would cut the variable: " << v;
  EXPECT_EQ(x.env().at("PATH_INFO"), "/a%00b");
}

TEST(CgiEnvironment, PercentDecode) {
  EXPECT_EQ(percentDecode(""), "");
  EXPECT_EQ(percentDecode("plain"), "plain");
  EXPECT_EQ(percentDecode("a%20b"), "a b");
  EXPECT_EQ(percentDecode("%41%62%7e%7E"), "Ab~~");
  EXPECT_EQ(percentDecode("%2F%2f"), "//");
  EXPECT_EQ(percentDecode("%C3%A9"), "\xc3\xa9");
  EXPECT_EQ(percentDecode("%ff%FE"), "\xff\xfe");           // bytes, not necessarily UTF-8
  EXPECT_EQ(percentDecode("a+b"), "a+b");                   // '+' is a space only in form bodies
  EXPECT_EQ(percentDecode("%2B"), "+");
  EXPECT_EQ(percentDecode("%zz"), "%zz");                   // invalid: kept as written
  EXPECT_EQ(percentDecode("%g0%0g"), "%g0%0g");
  EXPECT_EQ(percentDecode("%"), "%");
  EXPECT_EQ(percentDecode("%4"), "%4");                     // truncated at the end
  EXPECT_EQ(percentDecode("abc%"), "abc%");
  EXPECT_EQ(percentDecode("abc%4"), "abc%4");
  EXPECT_EQ(percentDecode("%%41"), "%A");                   // the first '%' is not an escape
  EXPECT_EQ(percentDecode("%2541"), "%41");                 // decoded once only
  EXPECT_EQ(percentDecode("%00"), "%00");                   // no NUL in a C string
  EXPECT_EQ(percentDecode("a%00b%01"), "a%00b\x01");
  EXPECT_EQ(percentDecode("%0A%0d"), "\n\r");
}

TEST(CgiEnvironment, ContentLengthIsTheBodyAndContentTypeTheHeader) {
  Exchange x("/", "/p", "/p");
  x.request.method = "POST";
  x.request.body = "a\0b=c"s;
  x.request.headers = {{"content-type", "application/x-www-form-urlencoded"}, {"Content-Length", "999"}};
  const auto e = x.env();
  EXPECT_EQ(e.at("REQUEST_METHOD"), "POST");
  EXPECT_EQ(e.at("CONTENT_LENGTH"), "5");  // the body as received, not the header
  EXPECT_EQ(e.at("CONTENT_TYPE"), "application/x-www-form-urlencoded");
  // Given once, as CONTENT_*, not also as HTTP_CONTENT_* (RFC 3875 §4.1.18).
  EXPECT_FALSE(e.contains("HTTP_CONTENT_TYPE"));
  EXPECT_FALSE(e.contains("HTTP_CONTENT_LENGTH"));
}

TEST(CgiEnvironment, HeadersBecomeHttpVariables) {
  Exchange x("/", "/h", "/h");
  x.request.headers = {{"Host", "example.com"},
                       {"X-Forwarded-For", "10.0.0.1"},
                       {"accept-language", "en"},
                       {"X-Empty", ""},
                       {"DNT", "1"},
                       {"X-A.b", "dot"}};
  const auto e = x.env();
  EXPECT_EQ(e.at("HTTP_HOST"), "example.com");
  EXPECT_EQ(e.at("HTTP_X_FORWARDED_FOR"), "10.0.0.1");
  EXPECT_EQ(e.at("HTTP_ACCEPT_LANGUAGE"), "en");
  EXPECT_EQ(e.at("HTTP_X_EMPTY"), "");
  EXPECT_EQ(e.at("HTTP_DNT"), "1");
  EXPECT_EQ(e.at("HTTP_X_A.B"), "dot");
}

TEST(CgiEnvironment, RepeatedHeadersAreJoinedIntoOneVariable) {
  Exchange x("/", "/h", "/h");
  x.request.headers = {{"Accept", "text/html"}, {"X-Foo", "1"}, {"accept", "application/json"}, {"x-foo", "2"},
                       {"X-FOO", "3"}};
  const auto list = x.envList();
  int accepts = 0;
  for (const auto& v : list) accepts += v.starts_with("HTTP_ACCEPT=");
  EXPECT_EQ(accepts, 1);
  const auto e = x.env();  // (fails on a variable set twice)
  EXPECT_EQ(e.at("HTTP_ACCEPT"), "text/html, application/json");
  EXPECT_EQ(e.at("HTTP_X_FOO"), "1, 2, 3");
}

TEST(CgiEnvironment, AuthorizationConnectionAndProxyAreWithheld) {
  Exchange x("/", "/h", "/h");
  x.request.headers = {{"Authorization", "Bearer secret"},
                       {"connection", "keep-alive"},
                       {"Proxy", "http://evil:8080"},  // httpoxy: HTTP_PROXY would be taken for a proxy setting
                       {"Proxy-Authorization", "x"},
                       {"X-Ok", "1"}};
  const auto e = x.env();
  EXPECT_FALSE(e.contains("HTTP_AUTHORIZATION"));
  EXPECT_FALSE(e.contains("HTTP_CONNECTION"));
  EXPECT_FALSE(e.contains("HTTP_PROXY"));
  EXPECT_EQ(e.at("HTTP_PROXY_AUTHORIZATION"), "x");  // a different name; passed like any other
  EXPECT_EQ(e.at("HTTP_X_OK"), "1");
  for (const auto& v : x.envList()) EXPECT_EQ(v.find("secret"), std::string::npos) << v;
}

TEST(CgiEnvironment, HeaderNamesThatAreNotTokensAreDropped) {
  Exchange x("/", "/h", "/h");
  x.request.headers = {{"X Bad", "1"}, {"X=Y", "2"}, {"", "3"}, {"X\xc3\xa9", "4"}, {"X-Good", "5"}};
  const auto list = x.envList();
  for (const auto& v : list) {
    EXPECT_FALSE(v.starts_with("HTTP_X BAD")) << v;
    EXPECT_FALSE(v.starts_with("HTTP_X=")) << v;
    EXPECT_FALSE(v.starts_with("HTTP_=")) << v;
  }
  const auto e = x.env();
  EXPECT_EQ(e.at("HTTP_X_GOOD"), "5");
  int http = 0;
  for (const auto& [k, v] : e) http += k.starts_with("HTTP_");
  EXPECT_EQ(http, 1);
}

TEST(CgiEnvironment, ServerNameAndPortFromTheHostHeader) {
  auto hostPort = [](std::string host, std::string scheme = "http") {
    Exchange x("/", "/h", "/h");
    x.request.scheme = scheme;
    if (!host.empty()) x.request.headers = {{"Host", host}};
    const auto e = x.env();
    return std::pair(e.at("SERVER_NAME"), e.at("SERVER_PORT"));
  };
  EXPECT_EQ(hostPort("example.com"), std::pair("example.com"s, "80"s));
  EXPECT_EQ(hostPort("example.com", "https"), std::pair("example.com"s, "443"s));
  EXPECT_EQ(hostPort("example.com:8080"), std::pair("example.com"s, "8080"s));
  EXPECT_EQ(hostPort("[::1]:3000"), std::pair("[::1]"s, "3000"s));
  EXPECT_EQ(hostPort("[::1]"), std::pair("[::1]"s, "80"s));
  EXPECT_EQ(hostPort("example.com:"), std::pair("example.com"s, "80"s));  // an empty port is the default
  EXPECT_EQ(hostPort(""), std::pair("127.0.0.1"s, "3000"s));               // no Host: the listener
}

TEST(CgiEnvironment, FullUrlUsesSchemeHostAndTheTargetAsReceived) {
  Exchange x("/", "/...", "/a/b?q=1&r=%20");
  x.request.scheme = "https";
  x.request.headers = {{"Host", "example.com"}};
  EXPECT_EQ(x.env().at("X_FULL_URL"), "https://example.com/a/b?q=1&r=%20");
  Exchange y("/", "/...", "/a");
  EXPECT_EQ(y.env().at("X_FULL_URL"), "http://127.0.0.1:3000/a");
}

TEST(CgiEnvironment, RemoteAddressOfIpv6Clients) {
  Exchange x("/", "/h", "/h");
  x.request.clientAddress = "[::1]:40000";
  const auto e = x.env();
  EXPECT_EQ(e.at("REMOTE_ADDR"), "::1");
  EXPECT_EQ(e.at("REMOTE_HOST"), "::1");
  EXPECT_EQ(e.at("X_CLIENT_ADDR"), "[::1]:40000");
}

TEST(CgiEnvironment, ProtocolVersion) {
  Exchange x("/", "/h", "/h");
  x.request.versionMajor = 1;
  x.request.versionMinor = 0;
  EXPECT_EQ(x.env().at("SERVER_PROTOCOL"), "HTTP/1.0");
}

TEST(CgiEnvironment, QueryStringIsPassedAsReceived) {
  Exchange x("/", "/q", "/q?a=1+2&b=%26&&c");
  EXPECT_EQ(x.env().at("QUERY_STRING"), "a=1+2&b=%26&&c");
  Exchange empty("/", "/q", "/q?");
  EXPECT_EQ(empty.env().at("QUERY_STRING"), "");
}

TEST(CgiEnvironment, ComponentEnvironmentComesLastAndCannotOverrideTheRequest) {
  Exchange x("/", "/h", "/h?x=1");
  x.request.headers = {{"X-Mode", "from-request"}};
  const auto list = x.envList({"APP_MODE=prod", "QUERY_STRING=spoofed", "HTTP_X_MODE=spoofed", "EMPTY=", "A=1=2"});
  ASSERT_GE(list.size(), 3u);
  // The component's own variables are the last entries, in their order.
  EXPECT_EQ(list[list.size() - 3], "APP_MODE=prod");
  EXPECT_EQ(list[list.size() - 2], "EMPTY=");
  EXPECT_EQ(list[list.size() - 1], "A=1=2");
  const auto e = x.env({"APP_MODE=prod", "QUERY_STRING=spoofed", "HTTP_X_MODE=spoofed"});
  EXPECT_EQ(e.at("QUERY_STRING"), "x=1");
  EXPECT_EQ(e.at("HTTP_X_MODE"), "from-request");
  EXPECT_EQ(e.at("APP_MODE"), "prod");
}

TEST(CgiEnvironment, AComponentVariableNamedLikeAPrefixIsKept) {
  // "QUERY" is not "QUERY_STRING": a prefix of a request variable's name is another name.
  Exchange x("/", "/h", "/h?x=1");
  const auto e = x.env({"QUERY=mine", "SCRIPT=mine2"});
  EXPECT_EQ(e.at("QUERY"), "mine");
  EXPECT_EQ(e.at("SCRIPT"), "mine2");
}

// argv from the "${SCRIPT_NAME} ${ARGS}" template, as Spin builds it:
// ${SCRIPT_NAME} is the request's path as received, and neither it nor the
// query parts are decoded.
TEST(CgiArgv, DefaultTemplateIsThePathThenTheQueryParts) {
  EXPECT_EQ(Exchange("/", "/hello", "/hello").argv(), (std::vector<std::string>{"/hello"}));
  EXPECT_EQ(Exchange("/", "/a/...", "/a/b?x=1&y=two").argv(), (std::vector<std::string>{"/a/b", "x=1", "y=two"}));
  EXPECT_EQ(Exchange("/", "/...", "/a/b?x=1").argv(), (std::vector<std::string>{"/a/b", "x=1"}));
}

TEST(CgiArgv, EmptyQueryAndEmptyPartsGiveNoEmptyWords) {
  EXPECT_EQ(Exchange("/", "/q", "/q?").argv(), (std::vector<std::string>{"/q"}));
  EXPECT_EQ(Exchange("/", "/q", "/q?&&a&&b&").argv(), (std::vector<std::string>{"/q", "a", "b"}));
}

TEST(CgiArgv, QueryPartsAreNotDecoded) {
  // '+' and escapes stay as the client sent them (the guest decodes, as it does QUERY_STRING).
  EXPECT_EQ(Exchange("/", "/q", "/q?a+b=c%20d&%26=%00").argv(), (std::vector<std::string>{"/q", "a+b=c%20d", "%26=%00"}));
}

TEST(CgiArgv, ScriptNameIsThePathAsReceived) {
  EXPECT_EQ(Exchange("/api", "/echo/...", "/api/echo/a%20b/").argv(), (std::vector<std::string>{"/api/echo/a%20b/"}));
  EXPECT_EQ(Exchange("/", "/u/:id", "/u/7?v").argv(), (std::vector<std::string>{"/u/7", "v"}));
}

TEST(CgiArgv, CustomTemplates) {
  Exchange x("/", "/...", "/run?one&two");
  x.route.argvTemplate = "prog --script=${SCRIPT_NAME} -- ${ARGS} end";
  EXPECT_EQ(x.argv(), (std::vector<std::string>{"prog", "--script=/run", "--", "one", "two", "end"}));
  x.route.argvTemplate = "  ${ARGS}   ${SCRIPT_NAME}  ";
  EXPECT_EQ(x.argv(), (std::vector<std::string>{"one", "two", "/run"}));
  x.route.argvTemplate = "x${ARGS}y";
  EXPECT_EQ(x.argv(), (std::vector<std::string>{"xone", "twoy"}));
  x.route.argvTemplate = "${ARGS}";
  EXPECT_EQ(x.argv(), (std::vector<std::string>{"one", "two"}));
  x.route.argvTemplate = "${UNKNOWN} $ {ARGS}";
  EXPECT_EQ(x.argv(), (std::vector<std::string>{"${UNKNOWN}", "$", "{ARGS}"}));
}

TEST(CgiArgv, AnEmptyResultFallsBackToThePath) {
  Exchange x("/", "/run/...", "/run/x");
  x.route.argvTemplate = "${ARGS}";  // no query: nothing at all
  EXPECT_EQ(x.argv(), (std::vector<std::string>{"/run/x"}));
  x.route.argvTemplate = "";
  EXPECT_EQ(x.argv(), (std::vector<std::string>{"/run/x"}));
}

TEST(CgiArgv, SubstitutionIsOnePass) {
  // A query that spells a placeholder is not expanded again.
  Exchange x("/", "/p", "/p?${SCRIPT_NAME}");
  EXPECT_EQ(x.argv(), (std::vector<std::string>{"/p", "${SCRIPT_NAME}"}));
}

}  // namespace
}  // namespace wasmops::http
