// Small pure functions: digests, base64, WWW-Authenticate, URLs, backoff.
#include <gtest/gtest.h>

#include "oci/AuthChallenge.h"
#include "oci/Base64.h"
#include "oci/Digest.h"
#include "oci/HttpClient.h"
#include "oci/RetryPolicy.h"

namespace wasmops::oci {
namespace {

TEST(Digest, ParsesOnlySha256WithLowercaseHex) {
  auto d = Digest::of(std::string_view("hello"));
  EXPECT_EQ(d.str(), "sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
  EXPECT_EQ(*Digest::parse(d.str()), d);
  EXPECT_EQ(Digest::parse("sha512:abc").error().code, ErrorCode::Unsupported);
  EXPECT_EQ(Digest::parse("sha256:" + std::string(63, 'a')).error().code, ErrorCode::Invalid);
  EXPECT_EQ(Digest::parse("sha256:" + std::string(64, 'g')).error().code, ErrorCode::Invalid);
  EXPECT_EQ(Digest::parse("2cf24dba").error().code, ErrorCode::Invalid);
}

TEST(Base64, RoundTripsAndRejectsGarbage) {
  EXPECT_EQ(base64Encode(""), "");
  EXPECT_EQ(base64Encode("f"), "Zg==");
  EXPECT_EQ(base64Encode("fo"), "Zm8=");
  EXPECT_EQ(base64Encode("foo"), "Zm9v");
  EXPECT_EQ(base64Encode("alice:s3cret"), "YWxpY2U6czNjcmV0");
  EXPECT_EQ(*base64Decode("YWxpY2U6czNjcmV0"), "alice:s3cret");
  EXPECT_EQ(*base64Decode("Zg=="), "f");
  EXPECT_EQ(*base64Decode("Zg"), "f");
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  EXPECT_EQ(*base64Decode(base64Encode(all)), all);
  EXPECT_FALSE(base64Decode("Zm9v!"));
  EXPECT_FALSE(base64Decode("Z"));
}

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
