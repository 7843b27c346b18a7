#include "app/OutboundHosts.h"

#include <gtest/gtest.h>

#include "app/Variables.h"

namespace wasmops::app {
namespace {

// What spinframework/spin crates/outbound-networking-config accepts and
// refuses when it loads an application.
TEST(OutboundHosts, AcceptsSpinsForms) {
  for (const char* ok :
       {"https://example.com", "http://localhost:3000", "*://*:*", "https://*.example.com", "redis://cache",
        "postgres://db:5432", "http://10.0.0.0/8:80", "https://example.com/", "mqtt://broker:1883..1890", "http://self",
        "http://old-test.spin.internal", "https://{{ api_host }}"})
    EXPECT_TRUE(checkAllowedOutboundHost(ok)) << ok;
}

TEST(OutboundHosts, RefusesWhatSpinRefusesWithTheFix) {
  auto noScheme = checkAllowedOutboundHost("example.com");
  ASSERT_FALSE(noScheme);
  EXPECT_NE(noScheme.error().message.find("write e.g. \"https://example.com\""), std::string::npos);
  auto star = checkAllowedOutboundHost("*");
  ASSERT_FALSE(star);
  EXPECT_NE(star.error().message.find("\"*://*:*\""), std::string::npos);
  EXPECT_FALSE(checkAllowedOutboundHost("insecure:allow-all"));
  EXPECT_FALSE(checkAllowedOutboundHost("https://example.com/api"));  // a path
  EXPECT_FALSE(checkAllowedOutboundHost("*://example.com"));          // any scheme needs a port
  EXPECT_FALSE(checkAllowedOutboundHost("tcp://example.com"));        // no default port
  EXPECT_FALSE(checkAllowedOutboundHost("https://ex*ample.com"));
  EXPECT_FALSE(checkAllowedOutboundHost("https://example.com:http"));
  EXPECT_FALSE(checkAllowedOutboundHost("https://example.com:70000"));
  EXPECT_FALSE(checkAllowedOutboundHost("h2c+tls://example.com:1"));
  EXPECT_FALSE(checkAllowedOutboundHost("https://{{ unclosed"));
}

AllowedOutboundHosts hosts(std::vector<std::string> entries) {
  auto parsed = AllowedOutboundHosts::parse(entries);
  EXPECT_TRUE(parsed) << (parsed ? "" : parsed.error().message);
  return parsed ? std::move(*parsed) : AllowedOutboundHosts();
}

// Spin's AllowedHostsConfig::allows, case by case.
TEST(AllowedOutboundHosts, SchemeHostAndPortMustAllMatch) {
  auto h = hosts({"https://example.com", "http://localhost:3000"});
  EXPECT_TRUE(h.allows("https", "example.com", std::nullopt));  // the scheme's own port
  EXPECT_TRUE(h.allows("https", "example.com", 443));
  EXPECT_TRUE(h.allows("HTTPS", "Example.COM", 443));  // without case
  EXPECT_FALSE(h.allows("https", "example.com", 8443));
  EXPECT_FALSE(h.allows("http", "example.com", 443));
  EXPECT_FALSE(h.allows("https", "www.example.com", 443));
  EXPECT_TRUE(h.allows("http", "localhost", 3000));
  EXPECT_FALSE(h.allows("http", "localhost", std::nullopt));  // 80
  EXPECT_FALSE(h.allows("http", "127.0.0.1", 3000));          // names are not resolved
  EXPECT_FALSE(hosts({}).allows("https", "example.com", 443));
}

TEST(AllowedOutboundHosts, WildcardsRangesAndNetworks) {
  auto any = hosts({"*://*:*"});
  EXPECT_TRUE(any.allows("http", "anything.test", 1));
  EXPECT_TRUE(any.allowsSelf("http"));
  auto sub = hosts({"https://*.example.com"});
  EXPECT_TRUE(sub.allows("https", "api.example.com", 443));
  EXPECT_TRUE(sub.allows("https", "a.b.example.com", 443));
  EXPECT_FALSE(sub.allows("https", "example.com", 443));
  EXPECT_FALSE(sub.allows("https", "badexample.com", 443));
  auto range = hosts({"http://api.test:8000..8002"});  // Rust's 8000..8002: 8000 and 8001
  EXPECT_TRUE(range.allows("http", "api.test", 8000));
  EXPECT_TRUE(range.allows("http", "api.test", 8001));
  EXPECT_FALSE(range.allows("http", "api.test", 8002));
  auto net = hosts({"http://10.0.0.0/8:80", "http://127.0.0.1:*", "http://[::1]:8080"});
  EXPECT_TRUE(net.allows("http", "10.1.2.3", 80));
  EXPECT_FALSE(net.allows("http", "11.1.2.3", 80));
  EXPECT_FALSE(net.allows("http", "10.1.2.3", 81));
  EXPECT_TRUE(net.allows("http", "127.0.0.1", 12345));
  EXPECT_FALSE(net.allows("http", "127.0.0.2", 12345));
  EXPECT_TRUE(net.allows("http", "::1", 8080));
  EXPECT_TRUE(net.allows("http", "[::1]", 8080));
  auto anyScheme = hosts({"*://example.com:443"});
  EXPECT_TRUE(anyScheme.allows("https", "example.com", std::nullopt));
  EXPECT_TRUE(anyScheme.allows("http", "example.com", 443));
}

TEST(AllowedOutboundHosts, SelfAllowsOnlyRequestsWithoutAHost) {
  auto self = hosts({"http://self"});
  EXPECT_TRUE(self.allowsSelf("http"));
  EXPECT_FALSE(self.allowsSelf("https"));
  EXPECT_FALSE(self.allows("http", "self", 80));
  EXPECT_FALSE(self.allows("http", "localhost", 80));
  EXPECT_FALSE(hosts({"https://example.com"}).allowsSelf("https"));
}

TEST(AllowedOutboundHosts, TemplatesAreResolvedFromVariables) {
  std::map<std::string, LockedVariable> vars;
  vars["api_host"].defaultValue = "api.example.com";
  VariableResolver resolver(vars, {});
  auto h = AllowedOutboundHosts::parse({"https://{{ api_host }}"}, &resolver);
  ASSERT_TRUE(h) << h.error().message;
  EXPECT_TRUE(h->allows("https", "api.example.com", 443));
  EXPECT_EQ(h->entries(), (std::vector<std::string>{"https://api.example.com"}));
  auto unknown = AllowedOutboundHosts::parse({"https://{{ nope }}"}, &resolver);
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("{{ nope }}"), std::string::npos) << unknown.error().message;
  EXPECT_FALSE(AllowedOutboundHosts::parse({"https://{{ api_host }}"}));  // no resolver
  vars["bad"].defaultValue = "not a host/with/path";
  VariableResolver badResolver(vars, {});
  EXPECT_FALSE(AllowedOutboundHosts::parse({"https://{{ bad }}"}, &badResolver));
}

}  // namespace
}  // namespace wasmops::app
