#pragma once
// Key-value storage as Spin applications expect it: named stores ("default",
// or any label a runtime config maps) of string keys and byte values, kept in
// an embedded SQLite database.
//
// The layout is Spin's own (spinframework/spin crates/key-value-spin,
// store.rs): one table `spin_key_value (store, key, value)` with primary key
// (store, key), so a database file written by `spin up`
// (`.spin/sqlite_key_value.db` under the application's folder) is read and
// written by wasmops unchanged, and back. Counters (`increment`) are 8-byte
// little-endian signed integers, as Spin stores them.
//
// A KeyValueStore is one database (a file, or memory) and is safe to use
// from several threads at once: one connection behind a mutex, the file in
// WAL mode with a busy timeout, so another process (another wasmops, or
// Spin) may use the same file. Read-modify-write operations (increment,
// compare-and-swap, set-many, delete-many) run in one IMMEDIATE transaction.
//
// KeyValueStores maps an application's store labels to databases: "default"
// to `<state dir>/sqlite_key_value.db`, every `[key_value_store.LABEL]` of a
// runtime config (RuntimeConfig.h) to its own path or to memory. Databases
// are opened on first use, as Spin opens them.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/LockedApp.h"
#include "base/Error.h"

namespace wasmops::app {

struct RuntimeConfig;

struct KeyValueLimits {
  // Spin's documented limits for a key and a value.
  std::size_t maxKeyBytes = 255;
  std::size_t maxValueBytes = 1u << 20;
  // The most one result (a value read, the keys of a store, a get-many) may
  // hold: Spin's MAX_HOST_BUFFERED_BYTES.
  std::size_t maxResultBytes = 128u << 20;
  // How long an operation waits for another connection's write lock.
  std::chrono::milliseconds busyTimeout{5000};
};

class KeyValueStore {
 public:
  // `path` empty: a private in-memory database (Spin's store without a
  // path). A file's parent folders are created. Errors: the file cannot be
  // opened or is not an SQLite database (Io, naming the path).
  static Expected<std::shared_ptr<KeyValueStore>> open(const std::string& path, KeyValueLimits limits = {});
  ~KeyValueStore();
  KeyValueStore(const KeyValueStore&) = delete;
  KeyValueStore& operator=(const KeyValueStore&) = delete;

  const std::string& path() const { return path_; }  // empty for memory
  const KeyValueLimits& limits() const { return limits_; }

  // Every operation names the store (label) it works in. Keys over
  // maxKeyBytes and values over maxValueBytes are LimitExceeded errors that
  // say which limit; SQLite failures are Io errors.
  Expected<std::optional<std::string>> get(std::string_view store, std::string_view key);
  Expected<void> set(std::string_view store, std::string_view key, std::string_view value);
  Expected<void> erase(std::string_view store, std::string_view key);  // absent keys are fine
  Expected<bool> exists(std::string_view store, std::string_view key);
  // All keys of `store`, sorted (bytewise).
  Expected<std::vector<std::string>> keys(std::string_view store);

  // Adds `delta` to the counter at `key` (absent: 0) and returns the new
  // value, in one transaction. A value that is not 8 bytes, or a sum that
  // overflows, is an Invalid error and changes nothing.
  Expected<std::int64_t> increment(std::string_view store, std::string_view key, std::int64_t delta);
  // The same over an unsigned counter (wasi:keyvalue 0.2.0-draft's u64).
  Expected<std::uint64_t> incrementUnsigned(std::string_view store, std::string_view key, std::uint64_t delta);

  // Sets `key` to `value` when its current value is `expected` (nullopt:
  // the key is absent); false, changing nothing, when it is not.
  Expected<bool> compareAndSwap(std::string_view store, std::string_view key,
                                const std::optional<std::string>& expected, std::string_view value);

  // One entry per key asked for, in order (a key asked twice appears twice);
  // nullopt for keys that are absent.
  using KeyAndValue = std::pair<std::string, std::optional<std::string>>;
  Expected<std::vector<KeyAndValue>> getMany(std::string_view store, std::span<const std::string> keys);
  // All or nothing: every key and value is checked against the limits first.
  Expected<void> setMany(std::string_view store, std::span<const std::pair<std::string, std::string>> entries);
  Expected<void> eraseMany(std::string_view store, std::span<const std::string> keys);

 private:
  struct Db;
  KeyValueStore(std::string path, KeyValueLimits limits, std::unique_ptr<Db> db);
  Expected<void> checkKey(std::string_view key) const;
  Expected<void> checkValue(std::string_view value) const;
  template <typename Counter>
  Expected<Counter> add(std::string_view store, std::string_view key, Counter delta);

  std::string path_;
  KeyValueLimits limits_;
  std::mutex mutex_;
  std::unique_ptr<Db> db_;
};

// Where one store label lives.
struct KeyValueStoreSettings {
  std::string path;  // the database file; empty: memory
};

// The key-value stores of one application, by label.
class KeyValueStores {
 public:
  // "default" lives in `<stateDir>/sqlite_key_value.db` (stateDir empty:
  // memory), unless `config` maps it; every `[key_value_store.LABEL]` of
  // `config` (may be null) is added. Nothing is opened yet.
  KeyValueStores(const RuntimeConfig* config, const std::string& stateDir, KeyValueLimits limits = {});
  // Spin's state folder of an application: `<application folder>/.spin`, or
  // the runtime config's `state_dir` (empty there: none, so "default" lives in memory).
  static std::string defaultStateDir(const RuntimeConfig* config, const std::string& appFolder);

  bool defined(std::string_view label) const;
  std::vector<std::string> labels() const;
  const KeyValueStoreSettings* settings(std::string_view label) const;
  // The database of `label`, opened on first use (labels with the same file
  // share one); NotFound for a label that is not defined.
  Expected<std::shared_ptr<KeyValueStore>> open(std::string_view label);

 private:
  KeyValueLimits limits_;
  std::map<std::string, KeyValueStoreSettings, std::less<>> labels_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<KeyValueStore>, std::less<>> opened_;  // by label
};

// A component's `key_value_stores` (the manifest's list, carried in the
// locked component's metadata).
std::vector<std::string> keyValueStoreLabels(const LockedComponent& component);

// The stores of an application, what an executor makes once: "default" in
// `<appFolder>/.spin` (or the config's state_dir), the labels of `config`
// (may be null), checked against every component's key_value_stores.
Expected<std::shared_ptr<KeyValueStores>> applicationKeyValueStores(const LockedApp& app, const std::string& appFolder,
                                                                    const RuntimeConfig* config = nullptr,
                                                                    KeyValueLimits limits = {});

// Spin refuses an application whose component names a store label no
// runtime config defines: "unknown key_value_stores label". The error names
// the component and the label, and says how to define it.
Expected<void> checkKeyValueLabels(const LockedApp& app, const KeyValueStores& stores);

}  // namespace wasmops::app
