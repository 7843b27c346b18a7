// app::KeyValueStore (SQLite, Spin's layout) and app::KeyValueStores (labels
// to databases), and a component's key_value_stores from its manifest.
#include "app/KeyValueStore.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <thread>
#include <vector>

#include "app/RuntimeConfig.h"
#include "app/SpinManifest.h"
#include "base/FileKind.h"
#include "support/SpinFolder.h"
#include "support/TempDir.h"

namespace wasmops::app {
namespace {

using test::TempDir;

std::shared_ptr<KeyValueStore> openOrDie(const std::string& path, KeyValueLimits limits = {}) {
  auto db = KeyValueStore::open(path, limits);
  EXPECT_TRUE(db) << db.error().message;
  return db ? *db : nullptr;
}

TEST(KeyValueStore, GetSetDeleteExistsAndKeysPerStore) {
  auto db = openOrDie("");
  ASSERT_TRUE(db);
  EXPECT_EQ(db->get("default", "a").value(), std::nullopt);
  EXPECT_FALSE(db->exists("default", "a").value());
  ASSERT_TRUE(db->set("default", "a", "one"));
  ASSERT_TRUE(db->set("default", "b", std::string("\0\1\2", 3)));
  ASSERT_TRUE(db->set("other", "a", "elsewhere"));
  ASSERT_TRUE(db->set("default", "empty", ""));
  EXPECT_EQ(db->get("default", "a").value(), "one");
  EXPECT_EQ(db->get("default", "b").value(), std::string("\0\1\2", 3));
  EXPECT_EQ(db->get("default", "empty").value(), "");  // an empty value is a value, not an absent key
  EXPECT_EQ(db->get("other", "a").value(), "elsewhere");
  EXPECT_TRUE(db->exists("default", "empty").value());
  ASSERT_TRUE(db->set("default", "a", "two"));  // overwrite
  EXPECT_EQ(db->get("default", "a").value(), "two");
  EXPECT_EQ(db->keys("default").value(), (std::vector<std::string>{"a", "b", "empty"}));
  EXPECT_EQ(db->keys("other").value(), (std::vector<std::string>{"a"}));
  EXPECT_EQ(db->keys("none").value(), (std::vector<std::string>{}));
  ASSERT_TRUE(db->erase("default", "a"));
  ASSERT_TRUE(db->erase("default", "never-there"));
  EXPECT_FALSE(db->exists("default", "a").value());
  EXPECT_EQ(db->get("other", "a").value(), "elsewhere");
}

TEST(KeyValueStore, PersistsAcrossReopeningTheSameFile) {
  TempDir dir;
  const std::string path = dir.path() + "/nested/.spin/sqlite_key_value.db";  // folders are created
  {
    auto db = openOrDie(path);
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->set("default", "greeting", "hello"));
    ASSERT_EQ(db->increment("default", "count", 41).value(), 41);
  }
  auto again = openOrDie(path);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->get("default", "greeting").value(), "hello");
  EXPECT_EQ(again->increment("default", "count", 1).value(), 42);
  EXPECT_EQ(again->path(), path);
}

TEST(KeyValueStore, UsesSpinsTableSoSpinsFilesAreShared) {
  TempDir dir;
  const std::string path = dir.path() + "/kv.db";
  {
    // What Spin's key-value-spin writes: one table, (store, key) primary key, counters as 8-byte LE.
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw,
                           "CREATE TABLE spin_key_value (store TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL,"
                           " PRIMARY KEY (store, key));"
                           "INSERT INTO spin_key_value VALUES ('default', 'from-spin', x'6869');"
                           "INSERT INTO spin_key_value VALUES ('default', 'n', x'0700000000000000');",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
  }
  auto db = openOrDie(path);
  ASSERT_TRUE(db);
  EXPECT_EQ(db->get("default", "from-spin").value(), "hi");
  EXPECT_EQ(db->increment("default", "n", 3).value(), 10);
  EXPECT_EQ(db->get("default", "n").value(), std::string("\x0a\0\0\0\0\0\0\0", 8));
}

TEST(KeyValueStore, IncrementsSignedAndUnsignedCountersAndRefusesOtherValues) {
  auto db = openOrDie("");
  ASSERT_TRUE(db);
  EXPECT_EQ(db->increment("s", "c", -5).value(), -5);
  EXPECT_EQ(db->increment("s", "c", 7).value(), 2);
  EXPECT_EQ(db->incrementUnsigned("s", "u", 18446744073709551615ull).value(), 18446744073709551615ull);
  auto overflow = db->incrementUnsigned("s", "u", 1);
  ASSERT_FALSE(overflow);
  EXPECT_NE(overflow.error().message.find("overflows"), std::string::npos) << overflow.error().message;
  EXPECT_EQ(db->incrementUnsigned("s", "u", 0).value(), 18446744073709551615ull);  // unchanged
  ASSERT_TRUE(db->set("s", "text", "hello"));
  auto notCounter = db->increment("s", "text", 1);
  ASSERT_FALSE(notCounter);
  EXPECT_NE(notCounter.error().message.find("is not a counter"), std::string::npos) << notCounter.error().message;
  EXPECT_EQ(db->get("s", "text").value(), "hello");
}

TEST(KeyValueStore, IncrementFromTwoThreadsGivesTheExactTotal) {
  TempDir dir;
  const std::string path = dir.path() + "/kv.db";
  auto shared = openOrDie(path);
  auto second = openOrDie(path);  // a second connection to the same file: the lock is SQLite's, not the mutex
  ASSERT_TRUE(shared && second);
  constexpr int kPerThread = 500;
  auto work = [&](std::shared_ptr<KeyValueStore> db, int* failures) {
    for (int i = 0; i < kPerThread; ++i)
      if (!db->increment("default", "hits", 1)) ++*failures;
  };
  int f1 = 0, f2 = 0, f3 = 0;
  std::thread a(work, shared, &f1), b(work, shared, &f2), c(work, second, &f3);
  a.join();
  b.join();
  c.join();
  EXPECT_EQ(f1 + f2 + f3, 0);
  EXPECT_EQ(shared->increment("default", "hits", 0).value(), 3 * kPerThread);
}

TEST(KeyValueStore, EnforcesKeyAndValueLimitsWithClearErrors) {
  auto db = openOrDie("");
  ASSERT_TRUE(db);
  EXPECT_TRUE(db->set("s", std::string(255, 'k'), "v"));
  auto longKey = db->set("s", std::string(256, 'k'), "v");
  ASSERT_FALSE(longKey);
  EXPECT_EQ(longKey.error().code, ErrorCode::LimitExceeded);
  EXPECT_EQ(longKey.error().message, "key of 256 bytes is longer than the limit of 255 bytes");
  EXPECT_FALSE(db->get("s", std::string(256, 'k')));
  EXPECT_TRUE(db->set("s", "big", std::string(1u << 20, 'x')));
  auto bigValue = db->set("s", "big", std::string((1u << 20) + 1, 'x'));
  ASSERT_FALSE(bigValue);
  EXPECT_EQ(bigValue.error().code, ErrorCode::LimitExceeded);
  EXPECT_EQ(bigValue.error().message, "value of 1048577 bytes is larger than the limit of 1048576 bytes");
  EXPECT_EQ(db->get("s", "big").value()->size(), 1u << 20);

  KeyValueLimits small;
  small.maxKeyBytes = 4;
  small.maxValueBytes = 8;
  small.maxResultBytes = 200;
  auto tight = openOrDie("", small);
  ASSERT_TRUE(tight);
  EXPECT_FALSE(tight->set("s", "12345", "v"));
  EXPECT_FALSE(tight->setMany("s", std::vector<std::pair<std::string, std::string>>{{"a", "1"}, {"b", "123456789"}}));
  EXPECT_EQ(tight->get("s", "a").value(), std::nullopt);  // set-many is all or nothing
  for (char i = 0; i < 10; ++i) ASSERT_TRUE(tight->set("s", std::string{'k', static_cast<char>('0' + i)}, "v"));
  auto keys = tight->keys("s");
  ASSERT_FALSE(keys);
  EXPECT_NE(keys.error().message.find("result limit of 200 bytes"), std::string::npos) << keys.error().message;
}

TEST(KeyValueStore, CompareAndSwapWritesOnlyOverTheExpectedValue) {
  auto db = openOrDie("");
  ASSERT_TRUE(db);
  // Absent expected: creates the key only if nobody did.
  EXPECT_TRUE(db->compareAndSwap("s", "k", std::nullopt, "first").value());
  EXPECT_FALSE(db->compareAndSwap("s", "k", std::nullopt, "second").value());
  EXPECT_EQ(db->get("s", "k").value(), "first");
  EXPECT_FALSE(db->compareAndSwap("s", "k", std::string("stale"), "third").value());
  EXPECT_EQ(db->get("s", "k").value(), "first");
  EXPECT_TRUE(db->compareAndSwap("s", "k", std::string("first"), "fourth").value());
  EXPECT_EQ(db->get("s", "k").value(), "fourth");
  EXPECT_TRUE(db->compareAndSwap("s", "k", std::string("fourth"), "fourth").value());  // same value: still a swap
  ASSERT_TRUE(db->erase("s", "k"));
  EXPECT_FALSE(db->compareAndSwap("s", "k", std::string("fourth"), "fifth").value());
  EXPECT_EQ(db->get("s", "k").value(), std::nullopt);
}

TEST(KeyValueStore, BatchesKeepOrderAndReportAbsentKeys) {
  auto db = openOrDie("");
  ASSERT_TRUE(db);
  std::vector<std::pair<std::string, std::string>> entries{{"a", "1"}, {"b", "2"}, {"c", "3"}};
  ASSERT_TRUE(db->setMany("s", entries));
  std::vector<std::string> ask{"c", "missing", "a", "c"};
  auto got = db->getMany("s", ask).value();
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0], (KeyValueStore::KeyAndValue{"c", "3"}));
  EXPECT_EQ(got[1], (KeyValueStore::KeyAndValue{"missing", std::nullopt}));
  EXPECT_EQ(got[2], (KeyValueStore::KeyAndValue{"a", "1"}));
  EXPECT_EQ(got[3], (KeyValueStore::KeyAndValue{"c", "3"}));
  std::vector<std::string> drop{"a", "c", "missing"};
  ASSERT_TRUE(db->eraseMany("s", drop));
  EXPECT_EQ(db->keys("s").value(), (std::vector<std::string>{"b"}));
}

TEST(KeyValueStore, RefusesAFileThatIsNotADatabase) {
  TempDir dir;
  const std::string path = dir.path() + "/not.db";
  test::writeFile(path, std::string(4096, 'x'));
  auto db = KeyValueStore::open(path);
  ASSERT_FALSE(db);
  EXPECT_EQ(db.error().code, ErrorCode::Io);
  EXPECT_NE(db.error().message.find(path), std::string::npos) << db.error().message;
}

TEST(KeyValueStores, DefaultLivesInTheStateFolderAndRuntimeConfigAddsLabels) {
  TempDir dir;
  auto config = parseRuntimeConfig(R"(
[key_value_store.cache]
type = "spin"
[key_value_store.files]
type = "spin"
path = "data/files.db"
[key_value_store.again]
type = "spin"
path = "data/files.db"
)",
                                   dir.path() + "/runtime-config.toml");
  ASSERT_TRUE(config) << config.error().format();
  const std::string state = KeyValueStores::defaultStateDir(&*config, dir.path());
  EXPECT_EQ(state, dir.path() + "/.spin");
  KeyValueStores stores(&*config, state);
  EXPECT_EQ(stores.labels(), (std::vector<std::string>{"again", "cache", "default", "files"}));
  EXPECT_EQ(stores.settings("default")->path, dir.path() + "/.spin/sqlite_key_value.db");
  EXPECT_EQ(stores.settings("cache")->path, "");  // memory
  EXPECT_EQ(stores.settings("files")->path, dir.path() + "/data/files.db");
  EXPECT_FALSE(stores.defined("nope"));
  EXPECT_FALSE(stores.open("nope"));

  auto def = stores.open("default");
  ASSERT_TRUE(def) << def.error().message;
  ASSERT_TRUE((*def)->set("default", "k", "v"));
  EXPECT_TRUE(base::pathExists(dir.path() + "/.spin/sqlite_key_value.db"));
  auto files = stores.open("files"), again = stores.open("again");
  ASSERT_TRUE(files && again);
  EXPECT_EQ(files->get(), again->get());  // one connection per file
  EXPECT_NE(stores.open("cache")->get(), files->get());
  EXPECT_EQ(stores.open("default")->get(), def->get());  // opened once
}

TEST(KeyValueStores, AnEmptyStateDirKeepsDefaultInMemory) {
  auto config = parseRuntimeConfig("state_dir = \"\"\n", "/app/rc.toml");
  ASSERT_TRUE(config);
  EXPECT_EQ(KeyValueStores::defaultStateDir(&*config, "/app"), "");
  KeyValueStores stores(&*config, "");
  EXPECT_EQ(stores.settings("default")->path, "");
  EXPECT_EQ(KeyValueStores::defaultStateDir(nullptr, "/app"), "/app/.spin");
}

TEST(KeyValueStores, ComponentLabelsComeFromTheManifestAndUnknownOnesAreRefused) {
  TempDir dir;
  test::writeFile(dir.path() + "/a.wasm", test::wasmModule(20));
  auto app = parseSpinManifest(R"(spin_manifest_version = 2
[application]
name = "kv"
[[trigger.http]]
route = "/..."
component = "a"
[component.a]
source = "a.wasm"
key_value_stores = ["default", "my-cache"]
)",
                               dir.path() + "/spin.toml", dir.path());
  ASSERT_TRUE(app) << app.error().format();
  EXPECT_EQ(keyValueStoreLabels(app->locked.components[0]), (std::vector<std::string>{"default", "my-cache"}));
  KeyValueStores onlyDefault(nullptr, "");
  auto refused = checkKeyValueLabels(app->locked, onlyDefault);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().message,
            "unknown key_value_stores label \"my-cache\" for component \"a\": only \"default\" exists unless a "
            "runtime config defines it ([key_value_store.my-cache] type = \"spin\")");
  auto config = parseRuntimeConfig("[key_value_store.my-cache]\ntype = \"spin\"\n", dir.path() + "/rc.toml");
  ASSERT_TRUE(config);
  KeyValueStores configured(&*config, "");
  EXPECT_TRUE(checkKeyValueLabels(app->locked, configured));
}

TEST(KeyValueStores, ManifestLabelsMustBeKebabOrSnakeCase) {
  TempDir dir;
  test::writeFile(dir.path() + "/a.wasm", test::wasmModule(20));
  auto app = parseSpinManifest(R"(spin_manifest_version = 2
[application]
name = "kv"
[[trigger.http]]
route = "/..."
component = "a"
[component.a]
source = "a.wasm"
key_value_stores = ["default", "snake_case", "kebab-case", "b@dlabel"]
)",
                               dir.path() + "/spin.toml", dir.path());
  ASSERT_FALSE(app);
  EXPECT_EQ(app.error().line, 9u);
  EXPECT_EQ(app.error().column, 60u);
  EXPECT_NE(app.error().message.find("label \"b@dlabel\" must be kebab-case or snake_case"), std::string::npos)
      << app.error().message;
}

}  // namespace
}  // namespace wasmops::app
