// app::findTomlHazard: the characters toml++ 3.3.0 cannot classify without
// undefined behaviour, found where its parser would ask (TomlGuard.h).
#include "app/TomlGuard.h"

#include <gtest/gtest.h>

#include "app/RuntimeConfig.h"
#include "app/SpinManifest.h"

namespace wasmops::app {
namespace {

TEST(TomlGuard, FindsUnreadableCharactersOutsideStrings) {
  auto h = findTomlHazard("a = 1\nb = 2\xc3\xa9\n");  // U+00E9 after a value
  ASSERT_TRUE(h);
  EXPECT_EQ(h->line, 2u);
  EXPECT_EQ(h->column, 6u);
  EXPECT_EQ(h->codePoint, U'\u00e9');
  EXPECT_FALSE(h->inString);
  EXPECT_EQ(h->message(), "unexpected character U+00E9 outside a string (only keys, values and comments may stand here)");
  // The fuzzer's input: U+FEFE after a string.
  EXPECT_TRUE(findTomlHazard("key_value_spe = \"spUn\"\xef\xbb\xbe, path"));
  // marzer/tomlplusplus issue 295: U+032A alone.
  EXPECT_TRUE(findTomlHazard("\xcc\xaa"));
  // A bare value is scanned up to a terminator, quotes included: what looks like a string is not one.
  EXPECT_TRUE(findTomlHazard("kto = 0.%spUn\"\xef\xbb\xbe, path = \"e../}, v''' = \"x\""));
  EXPECT_TRUE(findTomlHazard("x = 0=\"\xc2\xa7\""));
  EXPECT_TRUE(findTomlHazard("x = [1,\n 2\"\xc2\xa7\"]"));
  EXPECT_TRUE(findTomlHazard("x = {a = true'\xc2\xa7'}"));
}

TEST(TomlGuard, FindsThemAfterABackslashInMultiLineBasicStrings) {
  // marzer/tomlplusplus issue 190: U+00A7 first on the line after a line-ending backslash.
  auto h = findTomlHazard("s = \"\"\"\\\n\xc2\xa7\"\"\"\n");
  ASSERT_TRUE(h);
  EXPECT_TRUE(h->inString);
  EXPECT_EQ(h->line, 2u);
  EXPECT_EQ(h->column, 1u);
  EXPECT_TRUE(findTomlHazard("s = \"\"\"\\  \t\r\n  \n \xc2\xa7\"\"\""));
  EXPECT_TRUE(findTomlHazard("s = \"\"\"\\\xc2\xa7\"\"\""));  // an escaped U+00A7 (an invalid escape anyway)
}

TEST(TomlGuard, LeavesStringsCommentsAndOtherCharactersAlone) {
  for (const char* ok : {"a = \"caf\xc3\xa9\"\n", "# caf\xc3\xa9\n", "a = 'caf\xc3\xa9'\n", "\"caf\xc3\xa9\" = 1\n",
                         "s = \"\"\"\n\xc2\xa7\"\"\"\n", "s = '''\\\n\xc2\xa7'''\n", "s = \"\"\"\\\\\xc2\xa7\"\"\"\n",
                         "s = \"\"\"a\"\"\"\"\" \nb = \"\xc2\xa7\"\n", "s = \"\\\"\xc2\xa7\"\n", "a = 1 # \xe3\x80\x81\n",
                         "[a.\"\xc2\xa7\"]\nb = 1\n", "a.\"\xc2\xa7\" = 1\n", "x = [\"\xc2\xa7\", 1]\n",
                         "x = [\n  1, # \xc2\xa7\n  '\xc2\xa7',\n]\n", "x = {a = \"\xc2\xa7\", b = [\"\xc2\xa7\"]}\n",
                         "[[t]]\n\"\xc2\xa7\" = '\xc2\xa7'\n",
                         "a = 1\xe4\xb8\x80\n"}) {  // U+4E00 is not among the unreadable ones
    EXPECT_FALSE(findTomlHazard(ok)) << ok;
  }
}

TEST(TomlGuard, ManifestAndRuntimeConfigParsersRefuseThemLocated) {
  auto config = parseRuntimeConfig("[key_value_store.x]\ntype = \"spin\"\xc2\xa7\n", "rc.toml");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, ErrorCode::Malformed);
  EXPECT_EQ(config.error().line, 2u);
  EXPECT_EQ(config.error().column, 14u);
  auto manifest = parseSpinManifest("spin_manifest_version = 2\xc3\xa9\n", "/app/spin.toml", "/app");
  ASSERT_FALSE(manifest);
  EXPECT_EQ(manifest.error().code, ErrorCode::Malformed);
  EXPECT_EQ(manifest.error().line, 1u);
  EXPECT_EQ(manifest.error().message.substr(0, 38), "TOML: unexpected character U+00E9 outs");
}

}  // namespace
}  // namespace wasmops::app
