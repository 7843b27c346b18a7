#include "ops/Utf8.h"

#include <gtest/gtest.h>

namespace wasmops::ops {
namespace {

constexpr std::string_view kFFFD = "\xEF\xBF\xBD";

std::string r(int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += kFFFD;
  return out;
}

TEST(Utf8, ValidTextIsUnchanged) {
  for (std::string_view ok : {"", "plain ascii", "caf\xC3\xA9", "\xE2\x82\xAC 5", "\xF0\x9F\x98\x80",
                              "\xED\x9F\xBF",      // U+D7FF, just below the surrogates
                              "\xEE\x80\x80",      // U+E000, just above them
                              "\xF4\x8F\xBF\xBF",  // U+10FFFF, the last code point
                              "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xF0\x90\x80\x80"}) {
    EXPECT_EQ(toValidUtf8(ok), ok);
  }
  std::string nul("a\0b", 3);
  EXPECT_EQ(toValidUtf8(nul), nul);
}

TEST(Utf8, EveryBadByteBecomesOneReplacement) {
  EXPECT_EQ(toValidUtf8("a\xFF"
                        "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(toValidUtf8("\x80"), r(1));              // a lone continuation byte
  EXPECT_EQ(toValidUtf8("\xC0\xAF"), r(2));          // overlong '/'
  EXPECT_EQ(toValidUtf8("\xC1\xBF"), r(2));          // overlong
  EXPECT_EQ(toValidUtf8("\xE0\x80\xAF"), r(3));      // overlong, 3 bytes
  EXPECT_EQ(toValidUtf8("\xF0\x80\x80\xAF"), r(4));  // overlong, 4 bytes
  EXPECT_EQ(toValidUtf8("\xED\xA0\x80"), r(3));      // U+D800, a surrogate
  EXPECT_EQ(toValidUtf8("\xF4\x90\x80\x80"), r(4));  // above U+10FFFF
  EXPECT_EQ(toValidUtf8("\xF5\x80\x80\x80"), r(4));
  EXPECT_EQ(toValidUtf8("caf\xE9"), "caf\xEF\xBF\xBD");  // Latin-1
  EXPECT_EQ(toValidUtf8("\xE2\x82"), r(2));              // cut at the end
  EXPECT_EQ(toValidUtf8("\xE2\x82"
                        "x\xE2\x82\xAC"),
            r(2) + "x\xE2\x82\xAC");  // the next character survives
  EXPECT_EQ(toValidUtf8("\xF0\x9F\x98"), r(3));
}

TEST(Utf8, OutputIsAlwaysValid) {
  // Every two-byte string: the result must come back unchanged a second time.
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; b += 7) {
      std::string in{static_cast<char>(a), static_cast<char>(b)};
      std::string once = toValidUtf8(in);
      ASSERT_EQ(toValidUtf8(once), once) << a << " " << b;
    }
  }
}

}  // namespace
}  // namespace wasmops::ops
