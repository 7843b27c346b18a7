#include "oci/Reference.h"

#include <gtest/gtest.h>

#include <cctype>
#include <ostream>

namespace wasmops::oci {
namespace {

const std::string kHex = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

// CTest names parameterised tests after the printed parameter: keep it short
// and free of spaces and control bytes.
std::string printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 40))
    out +=
        (std::isalnum(static_cast<unsigned char>(c)) || std::string_view("._:/@-[]").find(c) != std::string_view::npos)
            ? c
            : '?';
  return out.empty() ? "(empty)" : out;
}

struct Case {
  const char* text;
  const char* registry;
  const char* repository;
  const char* tag;
  bool hasDigest;
};
void PrintTo(const Case& c, std::ostream* os) {
  *os << printable(c.text);
}

class ValidReference : public ::testing::TestWithParam<Case> {};

TEST_P(ValidReference, Parses) {
  const auto& c = GetParam();
  auto ref = Reference::parse(c.text);
  ASSERT_TRUE(ref) << c.text << ": " << ref.error().message;
  EXPECT_EQ(ref->registry, c.registry) << c.text;
  EXPECT_EQ(ref->repository, c.repository) << c.text;
  EXPECT_EQ(ref->tag, c.tag) << c.text;
  EXPECT_EQ(ref->digest.has_value(), c.hasDigest) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Reference, ValidReference,
    ::testing::Values(Case{"hello", "docker.io", "library/hello", "latest", false},
                      Case{"hello:1.0", "docker.io", "library/hello", "1.0", false},
                      Case{"org/hello", "docker.io", "org/hello", "latest", false},
                      Case{"docker.io/hello", "docker.io", "library/hello", "latest", false},
                      Case{"index.docker.io/org/app:v2", "docker.io", "org/app", "v2", false},
                      Case{"ghcr.io/org/app:1.2.3", "ghcr.io", "org/app", "1.2.3", false},
                      Case{"ghcr.io/org/team/app", "ghcr.io", "org/team/app", "latest", false},
                      Case{"localhost/app", "localhost", "app", "latest", false},
                      Case{"localhost:5000/app:dev", "localhost:5000", "app", "dev", false},
                      Case{"127.0.0.1:5000/a/b:c", "127.0.0.1:5000", "a/b", "c", false},
                      Case{"[::1]:5000/app:x", "[::1]:5000", "app", "x", false},
                      Case{"Registry/app", "Registry", "app", "latest", false},  // uppercase: a host
                      Case{"my-registry.example.com:443/a_b/c__d/e-f/g--h/i.j:T_1.x-y", "my-registry.example.com:443",
                           "a_b/c__d/e-f/g--h/i.j", "T_1.x-y", false},
                      Case{"app:_tag", "docker.io", "library/app", "_tag", false}));

TEST(Reference, DigestWithAndWithoutTag) {
  auto byDigest = Reference::parse("ghcr.io/org/app@sha256:" + kHex);
  ASSERT_TRUE(byDigest) << byDigest.error().message;
  EXPECT_EQ(byDigest->tag, "");
  EXPECT_EQ(byDigest->digest->hex(), kHex);
  EXPECT_EQ(byDigest->manifestSelector(), "sha256:" + kHex);
  EXPECT_EQ(byDigest->str(), "ghcr.io/org/app@sha256:" + kHex);

  auto both = Reference::parse("localhost:5000/app:v1@sha256:" + kHex);
  ASSERT_TRUE(both) << both.error().message;
  EXPECT_EQ(both->tag, "v1");
  EXPECT_EQ(both->manifestSelector(), "sha256:" + kHex);  // the digest wins
  EXPECT_EQ(both->str(), "localhost:5000/app:v1@sha256:" + kHex);
}

TEST(Reference, ApiHostAndLoopback) {
  EXPECT_EQ(Reference::parse("alpine")->apiHost(), "registry-1.docker.io");
  EXPECT_EQ(Reference::parse("ghcr.io/a/b")->apiHost(), "ghcr.io");
  EXPECT_TRUE(Reference::parse("localhost:5000/a")->isLoopback());
  EXPECT_TRUE(Reference::parse("localhost/a")->isLoopback());
  EXPECT_TRUE(Reference::parse("127.0.0.1:1/a")->isLoopback());
  EXPECT_TRUE(Reference::parse("[::1]:5000/a")->isLoopback());
  EXPECT_FALSE(Reference::parse("ghcr.io/a")->isLoopback());
  EXPECT_FALSE(Reference::parse("localhost.example.com/a")->isLoopback());
}

TEST(Reference, NameAndDigestReference) {
  auto ref = Reference::parse("ghcr.io/org/team/app:1");
  EXPECT_EQ(ref->name(), "app");
  EXPECT_EQ(ref->withDigest(base::Digest::fromHex(kHex)), "ghcr.io/org/team/app@sha256:" + kHex);
  EXPECT_EQ(Reference::parse("alpine")->name(), "alpine");
}

struct BadCase {
  std::string text;
  std::string needle;  // must appear in the message
};

void PrintTo(const BadCase& c, std::ostream* os) {
  *os << printable(c.text);
}

class InvalidReference : public ::testing::TestWithParam<BadCase> {};

TEST_P(InvalidReference, IsRejectedWithALocatedMessage) {
  const auto& c = GetParam();
  auto ref = Reference::parse(c.text);
  ASSERT_FALSE(ref) << c.text << " parsed as " << ref->str();
  EXPECT_EQ(ref.error().code, ErrorCode::Invalid);
  EXPECT_NE(ref.error().message.find(c.needle), std::string::npos) << c.text << ": " << ref.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Reference, InvalidReference,
    ::testing::Values(
        BadCase{"", "empty"}, BadCase{"ghcr.io/Org/app", "'O' at position 9: repository names must be lowercase"},
        BadCase{"ghcr.io/org/ap!p", "'!' at position 15"}, BadCase{"ghcr.io/org/app:bad tag", "a space at position 20"},
        BadCase{"ghcr.io/org/app:v1+x", "'+' at position 19: tags allow only"},
        BadCase{"ghcr.io/org//app", "'/' at position 13: empty path component"},
        BadCase{"ghcr.io/org/app/", "ends with '/'"},
        BadCase{"ghcr.io/-app", "'-' at position 9: a repository path component must start"},
        BadCase{"ghcr.io/app-", "'-' at position 12: a repository path component must end"},
        BadCase{"ghcr.io/a..b", "'.' at position 11: separators"}, BadCase{"ghcr.io/a___b", "'_' at position 12"},
        BadCase{"ghcr.io/app:", "empty tag"}, BadCase{"ghcr.io/app:" + std::string(129, 'a'), "longer than 128"},
        BadCase{"ghcr.io/app:.x", "'.' at position 13: a tag must start"},
        BadCase{"local_host:5000/app", "'_' at position 6: registry host names"},
        BadCase{"localhost:50x0/app", "'x' at position 13: a registry port"}, BadCase{"localhost:/app", "empty port"},
        BadCase{"ghcr.io/app@sha256:abc", "64 lowercase hex"},
        BadCase{"ghcr.io/app@sha512:" + std::string(128, 'a'), "sha512"},
        BadCase{"ghcr.io/app@sha256:" + std::string(64, 'A'), "64 lowercase hex"},
        BadCase{"@sha256:" + std::string(64, 'a'), "empty repository"},
        BadCase{"ghcr.io/\xc3\xa9t\xc3\xa9", "byte 0xc3 at position 9"},
        BadCase{"ghcr.io/" + std::string(300, 'a'), "longer than 255"}));

TEST(NormaliseRegistry, AcceptsTheFormsDockerWrites) {
  EXPECT_EQ(*normaliseRegistry("https://index.docker.io/v1/"), "docker.io");
  EXPECT_EQ(*normaliseRegistry("docker.io"), "docker.io");
  EXPECT_EQ(*normaliseRegistry("registry-1.docker.io"), "docker.io");
  EXPECT_EQ(*normaliseRegistry("GHCR.io"), "ghcr.io");
  EXPECT_EQ(*normaliseRegistry("http://localhost:5000"), "localhost:5000");
  EXPECT_FALSE(normaliseRegistry("bad host"));
  EXPECT_FALSE(normaliseRegistry(""));
}

}  // namespace
}  // namespace wasmops::oci
