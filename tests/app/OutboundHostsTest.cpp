#include "app/OutboundHosts.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace wasmops::app
