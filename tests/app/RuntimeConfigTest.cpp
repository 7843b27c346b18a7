// app::parseRuntimeConfig: Spin's runtime config, the key-value part.
#include "app/RuntimeConfig.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace wasmops::app {
namespace {

TEST(RuntimeConfig, ReadsKeyValueStoresWithPathsFromTheFilesFolder) {
  auto config = parseRuntimeConfig(R"(
[key_value_store.default]
type = "spin"
path = "../data/default.db"

[key_value_store.absolute]
type = "spin"
path = "/var/lib/app/kv.db"

[key_value_store.memory]
type = "spin"
)",
                                   "/srv/app/config/runtime-config.toml");
  ASSERT_TRUE(config) << config.error().format();
  EXPECT_EQ(config->path, "/srv/app/config/runtime-config.toml");
  ASSERT_EQ(config->keyValueStores.size(), 3u);
  EXPECT_EQ(config->keyValueStores.at("default").type, "spin");
  EXPECT_EQ(config->keyValueStores.at("default").path, "/srv/app/data/default.db");
  EXPECT_EQ(config->keyValueStores.at("default").line, 2u);
  EXPECT_EQ(config->keyValueStores.at("absolute").path, "/var/lib/app/kv.db");
  EXPECT_EQ(config->keyValueStores.at("memory").path, std::nullopt);
  EXPECT_EQ(config->stateDir, std::nullopt);
  EXPECT_TRUE(config->warnings.empty());
}

TEST(RuntimeConfig, AFileInTheWorkingFolderKeepsRelativePaths) {
  auto config = parseRuntimeConfig("[key_value_store.x]\ntype = \"spin\"\npath = \"kv.db\"\n", "rc.toml");
  ASSERT_TRUE(config) << config.error().format();
  EXPECT_EQ(config->keyValueStores.at("x").path, "kv.db");
}

TEST(RuntimeConfig, StateDirIsAbsoluteOrEmpty) {
  auto config = parseRuntimeConfig("state_dir = \"/tmp/state\"\n", "rc.toml");
  ASSERT_TRUE(config);
  EXPECT_EQ(config->stateDir, "/tmp/state");
  config = parseRuntimeConfig("state_dir = \"\"\n", "rc.toml");
  ASSERT_TRUE(config);
  EXPECT_EQ(config->stateDir, "");
  config = parseRuntimeConfig("state_dir = \"rel\"\n", "rc.toml");
  ASSERT_TRUE(config);
  EXPECT_EQ(config->stateDir, (std::filesystem::current_path() / "rel").string());  // Spin: std::path::absolute
}

TEST(RuntimeConfig, UnknownAndUnsupportedStoreTypesAreLocatedErrors) {
  auto unknown = parseRuntimeConfig("[key_value_store.x]\ntype = \"mongo\"\n", "rc.toml");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, ErrorCode::Invalid);
  EXPECT_EQ(unknown.error().file, "rc.toml");
  EXPECT_EQ(unknown.error().line, 2u);
  EXPECT_EQ(unknown.error().column, 8u);
  EXPECT_EQ(unknown.error().message,
            "[key_value_store.x]: unknown store type \"mongo\" (wasmops provides \"spin\"; Spin also has \"redis\", "
            "\"azure_cosmos\" and \"aws_dynamo\")");

  auto redis = parseRuntimeConfig("[key_value_store.x]\ntype = \"redis\"\nurl = \"redis://localhost\"\n", "rc.toml");
  ASSERT_FALSE(redis);
  EXPECT_EQ(redis.error().code, ErrorCode::Unsupported);
  EXPECT_EQ(redis.error().line, 2u);

  auto noType = parseRuntimeConfig("[key_value_store.x]\npath = \"a.db\"\n", "rc.toml");
  ASSERT_FALSE(noType);
  EXPECT_EQ(noType.error().message, "[key_value_store.x] has no type (write type = \"spin\")");

  auto badPath = parseRuntimeConfig("[key_value_store.x]\ntype = \"spin\"\npath = 3\n", "rc.toml");
  ASSERT_FALSE(badPath);
  EXPECT_EQ(badPath.error().line, 3u);
  EXPECT_EQ(badPath.error().message, "[key_value_store.x]: path must be a string (a file)");
}

TEST(RuntimeConfig, EveryErrorIsReportedAndSpinOnlyKeysAreWarnings) {
  auto config = parseRuntimeConfig(R"(
key_value_stor = 1
[key_value_store.a]
type = "nope"
[key_value_store.b]
type = "spin"
colour = "blue"
[sqlite_database.default]
type = "spin"
)",
                                   "rc.toml");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().line, 2u);
  EXPECT_EQ(config.error().message.substr(0, config.error().message.find('\n')),
            "unused runtime config key \"key_value_stor\"; did you mean \"key_value_store\"?");
  EXPECT_NE(config.error().message.find("rc.toml:4:8: [key_value_store.a]: unknown store type \"nope\""),
            std::string::npos)
      << config.error().message;

  auto warned = parseRuntimeConfig("[key_value_store.b]\ntype = \"spin\"\ncolour = \"blue\"\n[sqlite_database.default]\n"
                                   "type = \"spin\"\n",
                                   "rc.toml");
  ASSERT_TRUE(warned) << warned.error().format();
  ASSERT_EQ(warned->warnings.size(), 2u);
  EXPECT_EQ(warned->warnings[0].format("rc.toml"), "rc.toml:3:1: warning: [key_value_store.b]: unknown key \"colour\" is ignored");
  EXPECT_EQ(warned->warnings[1].format("rc.toml"),
            "rc.toml:4:2: warning: \"sqlite_database\" is ignored: wasmops does not provide it yet");
}

TEST(RuntimeConfig, TomlSyntaxErrorsAreLocated) {
  auto config = parseRuntimeConfig("[key_value_store.x\ntype = \"spin\"\n", "rc.toml");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().code, ErrorCode::Malformed);
  EXPECT_EQ(config.error().line, 1u);
  EXPECT_EQ(config.error().message.substr(0, 6), "TOML: ");
}

TEST(RuntimeConfig, KeyValueStoreMustBeATableOfTables) {
  auto config = parseRuntimeConfig("key_value_store = \"default\"\n", "rc.toml");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().message, "key_value_store must be a table of [key_value_store.LABEL] tables");
  config = parseRuntimeConfig("[key_value_store]\nx = 1\n", "rc.toml");
  ASSERT_FALSE(config);
  EXPECT_EQ(config.error().line, 2u);
  EXPECT_EQ(config.error().message, "[key_value_store.x] must be a table (type = \"spin\", path = \"...\")");
}

TEST(RuntimeConfig, LoadReadsAFile) {
  auto missing = loadRuntimeConfig("/nonexistent/runtime-config.toml");
  ASSERT_FALSE(missing);
}

}  // namespace
}  // namespace wasmops::app
