// Small pure functions: WWW-Authenticate, URLs, backoff.
#include <gtest/gtest.h>

#include "oci/AuthChallenge.h"
#include "oci/HttpClient.h"
#include "oci/RetryPolicy.h"

namespace wasmops::oci {
namespace {

TEST(AuthChallenge, ParsesBearerAsRegistriesSendIt) {
  auto c = parseAuthChallenges(
      R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull,push")");
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_EQ(c->size(), 1u);
  EXPECT_EQ((*c)[0].scheme, "bearer");
  EXPECT_EQ((*c)[0].param("realm"), "https://auth.docker.io/token");
  EXPECT_EQ((*c)[0].param("service"), "registry.docker.io");
  EXPECT_EQ((*c)[0].param("scope"), "repository:library/alpine:pull,push");
}

TEST(AuthChallenge, ParsesSeveralChallengesTokensAndEscapes) {
  auto c =
      parseAuthChallenges(R"(Basic realm="a \"quoted\" realm", Bearer realm=https://x/token, error=invalid_token)");
  ASSERT_TRUE(c) << c.error().message;
  ASSERT_EQ(c->size(), 2u);
  EXPECT_EQ((*c)[0].scheme, "basic");
  EXPECT_EQ((*c)[0].param("realm"), "a \"quoted\" realm");
  EXPECT_EQ((*c)[1].scheme, "bearer");
  EXPECT_EQ((*c)[1].param("realm"), "https://x/token");
  EXPECT_EQ((*c)[1].param("error"), "invalid_token");
  EXPECT_FALSE(parseAuthChallenges(R"(Bearer realm="unterminated)"));
}

TEST(Url, ResolvesLocationsAndEncodes) {
  EXPECT_EQ(resolveUrl("http://h:5000/v2/", "/v2/a/blobs/uploads/u?x=1"), "http://h:5000/v2/a/blobs/uploads/u?x=1");
  EXPECT_EQ(resolveUrl("http://h:5000/v2/", "https://other/up"), "https://other/up");
  EXPECT_EQ(resolveUrl("http://h/v2/", "a/b"), "http://h/v2/a/b");
  EXPECT_EQ(urlEncode("sha256:ab/c d"), "sha256%3Aab%2Fc%20d");
}

TEST(RetryPolicy, BacksOffExponentiallyWithJitterAndCaps) {
  RetryPolicy p;
  std::mt19937 rng(42);
  for (int attempt = 1; attempt <= 8; ++attempt) {
    auto full = std::min<long long>(250LL << (attempt - 1), 4000);
    for (int i = 0; i < 50; ++i) {
      auto d = p.delay(attempt, rng).count();
      EXPECT_GE(d, full / 2) << attempt;
      EXPECT_LE(d, full) << attempt;
    }
  }
  EXPECT_EQ(p.delay(1, rng, std::string("2")).count(), 2000);
  EXPECT_EQ(p.delay(1, rng, std::string("600")).count(), 4000);  // capped
  EXPECT_LE(p.delay(1, rng, std::string("soon")).count(), 250);  // unparsable: ignored
  EXPECT_TRUE(RetryPolicy::isRetryableStatus(429));
  EXPECT_TRUE(RetryPolicy::isRetryableStatus(503));
  EXPECT_FALSE(RetryPolicy::isRetryableStatus(401));
  EXPECT_FALSE(RetryPolicy::isRetryableStatus(404));
  EXPECT_FALSE(RetryPolicy::isRetryableStatus(501));
}

}  // namespace
}  // namespace wasmops::oci
