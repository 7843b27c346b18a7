#include "app/KeyValueStore.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <set>

#include <fmt/format.h>

#include "app/RuntimeConfig.h"
#include "base/AtomicFile.h"

namespace wasmops::app {
namespace {

// Spin's schema (crates/key-value-spin/src/store.rs), so the files are interchangeable.
constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS spin_key_value ("
    " store TEXT NOT NULL,"
    " key   TEXT NOT NULL,"
    " value BLOB NOT NULL,"
    " PRIMARY KEY (store, key))";

enum Sql : std::size_t { Get, Upsert, Delete, Exists, Keys, Update, InsertNew, Begin, Commit, Rollback, kSqlCount };

constexpr const char* kSql[kSqlCount] = {
    "SELECT value FROM spin_key_value WHERE store = ?1 AND key = ?2",
    ("INSERT INTO spin_key_value (store, key, value) VALUES (?1, ?2, ?3) "
     "ON CONFLICT(store, key) DO UPDATE SET value = excluded.value"),
    "DELETE FROM spin_key_value WHERE store = ?1 AND key = ?2",
    "SELECT 1 FROM spin_key_value WHERE store = ?1 AND key = ?2",
    "SELECT key FROM spin_key_value WHERE store = ?1 ORDER BY key",
    "UPDATE spin_key_value SET value = ?4 WHERE store = ?1 AND key = ?2 AND value = ?3",
    "INSERT INTO spin_key_value (store, key, value) VALUES (?1, ?2, ?3) ON CONFLICT(store, key) DO NOTHING",
    "BEGIN IMMEDIATE",
    "COMMIT",
    "ROLLBACK",
};

std::string folderOf(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return {};
  return slash == 0 ? std::string("/") : path.substr(0, slash);
}

}  // namespace

struct KeyValueStore::Db {
  sqlite3* handle = nullptr;
  sqlite3_stmt* statements[kSqlCount] = {};
  std::string where;  // the path, or "in-memory key-value store", for messages

  ~Db() {
    for (auto* s : statements) sqlite3_finalize(s);
    sqlite3_close_v2(handle);
  }

  Unexpected fail(std::string_view what) const {
    return makeError(ErrorCode::Io, fmt::format("key-value store {}: {}: {}", where, what, sqlite3_errmsg(handle)));
  }

  Expected<void> exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(handle, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      std::string text = message ? message : sqlite3_errmsg(handle);
      sqlite3_free(message);
      return makeError(ErrorCode::Io, fmt::format("key-value store {}: {}", where, text));
    }
    return {};
  }

  // A prepared statement, reset and with its parameters bound when used.
  class Use {
   public:
    Use(Db& db, Sql which) : db_(db), stmt_(db.statements[which]) {}
    ~Use() {
      sqlite3_reset(stmt_);
      sqlite3_clear_bindings(stmt_);
    }
    Use(const Use&) = delete;
    Use& operator=(const Use&) = delete;

    Use& text(int index, std::string_view s) {
      if (ok_) ok_ = sqlite3_bind_text(stmt_, index, s.data(), static_cast<int>(s.size()), SQLITE_STATIC) == SQLITE_OK;
      return *this;
    }
    Use& blob(int index, std::string_view b) {
      // A zero-length blob must not bind as NULL (the column is NOT NULL).
      if (ok_) ok_ = sqlite3_bind_blob(stmt_, index, b.empty() ? "" : b.data(), static_cast<int>(b.size()), SQLITE_STATIC) == SQLITE_OK;
      return *this;
    }
    // SQLITE_ROW: true, SQLITE_DONE: false.
    Expected<bool> step() {
      if (!ok_) return db_.fail("binding parameters");
      int rc = sqlite3_step(stmt_);
      if (rc == SQLITE_ROW) return true;
      if (rc == SQLITE_DONE) return false;
      return db_.fail(sqlite3_sql(stmt_));
    }
    std::string column(int i) const {
      const void* p = sqlite3_column_blob(stmt_, i);
      int n = sqlite3_column_bytes(stmt_, i);
      return p ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
    }
    std::size_t columnBytes(int i) const { return static_cast<std::size_t>(sqlite3_column_bytes(stmt_, i)); }
    int changes() const { return sqlite3_changes(db_.handle); }

   private:
    Db& db_;
    sqlite3_stmt* stmt_;
    bool ok_ = true;
  };

  Expected<void> run(Sql which) {
    Use u(*this, which);
    WASMOPS_TRY_VOID(u.step());
    return {};
  }

  // Runs `body` in an IMMEDIATE transaction (the write lock taken up front,
  // so two writers never deadlock upgrading a read lock); rolls back on error.
  template <typename F>
  auto transaction(F&& body) -> decltype(body()) {
    WASMOPS_TRY_VOID(run(Begin));
    auto result = body();
    if (!result) {
      (void)run(Rollback);
      return result;
    }
    if (auto committed = run(Commit); !committed) {
      (void)run(Rollback);
      return tl::unexpected(std::move(committed).error());
    }
    return result;
  }

  Expected<std::optional<std::string>> read(std::string_view store, std::string_view key, std::size_t maxBytes) {
    Use u(*this, Get);
    u.text(1, store).text(2, key);
    WASMOPS_TRY(bool row, u.step());
    if (!row) return std::optional<std::string>();
    if (u.columnBytes(0) > maxBytes)
      return makeError(ErrorCode::LimitExceeded,
                       fmt::format("the value of \"{}\" ({} bytes) exceeds the result limit of {} bytes", key,
                                   u.columnBytes(0), maxBytes));
    return std::optional<std::string>(u.column(0));
  }

  Expected<void> upsert(std::string_view store, std::string_view key, std::string_view value) {
    Use u(*this, Upsert);
    u.text(1, store).text(2, key).blob(3, value);
    WASMOPS_TRY_VOID(u.step());
    return {};
  }

  Expected<void> erase(std::string_view store, std::string_view key) {
    Use u(*this, Delete);
    u.text(1, store).text(2, key);
    WASMOPS_TRY_VOID(u.step());
    return {};
  }
};

KeyValueStore::KeyValueStore(std::string path, KeyValueLimits limits, std::unique_ptr<Db> db)
    : path_(std::move(path)), limits_(limits), db_(std::move(db)) {}

KeyValueStore::~KeyValueStore() = default;

Expected<std::shared_ptr<KeyValueStore>> KeyValueStore::open(const std::string& path, KeyValueLimits limits) {
  auto db = std::make_unique<Db>();
  db->where = path.empty() ? std::string("(in memory)") : fmt::format("\"{}\"", path);
  if (!path.empty()) {
    if (std::string parent = folderOf(path); !parent.empty())
      if (auto made = base::makeDirectories(parent); !made)
        return makeError(ErrorCode::Io, fmt::format("key-value store \"{}\": cannot create its folder: {}", path,
                                                    made.error().message));
  }
  // NOMUTEX: this object serializes its own use of the connection.
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  int rc = sqlite3_open_v2(path.empty() ? ":memory:" : path.c_str(), &db->handle, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string why = db->handle ? sqlite3_errmsg(db->handle) : sqlite3_errstr(rc);
    return makeError(ErrorCode::Io, fmt::format("key-value store {}: cannot open: {}", db->where, why));
  }
  sqlite3_busy_timeout(db->handle, static_cast<int>(std::min<std::int64_t>(limits.busyTimeout.count(), 1 << 30)));
  if (!path.empty()) {
    // WAL: readers never block the writer; several processes may share the file.
    WASMOPS_TRY_VOID(db->exec("PRAGMA journal_mode=WAL"));
    WASMOPS_TRY_VOID(db->exec("PRAGMA synchronous=NORMAL"));
  }
  WASMOPS_TRY_VOID(db->exec(kSchema));
  for (std::size_t i = 0; i < kSqlCount; ++i)
    if (sqlite3_prepare_v3(db->handle, kSql[i], -1, SQLITE_PREPARE_PERSISTENT, &db->statements[i], nullptr) != SQLITE_OK)
      return db->fail(fmt::format("preparing \"{}\"", kSql[i]));
  return std::shared_ptr<KeyValueStore>(new KeyValueStore(path, limits, std::move(db)));
}

Expected<void> KeyValueStore::checkKey(std::string_view key) const {
  if (key.size() > limits_.maxKeyBytes)
    return makeError(ErrorCode::LimitExceeded,
                     fmt::format("key of {} bytes is longer than the limit of {} bytes", key.size(), limits_.maxKeyBytes));
  return {};
}

Expected<void> KeyValueStore::checkValue(std::string_view value) const {
  if (value.size() > limits_.maxValueBytes)
    return makeError(ErrorCode::LimitExceeded, fmt::format("value of {} bytes is larger than the limit of {} bytes",
                                                           value.size(), limits_.maxValueBytes));
  return {};
}

Expected<std::optional<std::string>> KeyValueStore::get(std::string_view store, std::string_view key) {
  WASMOPS_TRY_VOID(checkKey(key));
  std::lock_guard lock(mutex_);
  return db_->read(store, key, limits_.maxResultBytes);
}

Expected<void> KeyValueStore::set(std::string_view store, std::string_view key, std::string_view value) {
  WASMOPS_TRY_VOID(checkKey(key));
  WASMOPS_TRY_VOID(checkValue(value));
  std::lock_guard lock(mutex_);
  return db_->upsert(store, key, value);
}

Expected<void> KeyValueStore::erase(std::string_view store, std::string_view key) {
  WASMOPS_TRY_VOID(checkKey(key));
  std::lock_guard lock(mutex_);
  return db_->erase(store, key);
}

Expected<bool> KeyValueStore::exists(std::string_view store, std::string_view key) {
  WASMOPS_TRY_VOID(checkKey(key));
  std::lock_guard lock(mutex_);
  Db::Use u(*db_, Exists);
  u.text(1, store).text(2, key);
  return u.step();
}

Expected<std::vector<std::string>> KeyValueStore::keys(std::string_view store) {
  std::lock_guard lock(mutex_);
  Db::Use u(*db_, Keys);
  u.text(1, store);
  std::vector<std::string> out;
  std::size_t total = 0;
  for (;;) {
    WASMOPS_TRY(bool row, u.step());
    if (!row) break;
    total += u.columnBytes(0) + sizeof(std::string);
    if (total > limits_.maxResultBytes)
      return makeError(ErrorCode::LimitExceeded,
                       fmt::format("the keys of store \"{}\" exceed the result limit of {} bytes", store,
                                   limits_.maxResultBytes));
    out.push_back(u.column(0));
  }
  return out;
}

template <typename Counter>
Expected<Counter> KeyValueStore::add(std::string_view store, std::string_view key, Counter delta) {
  WASMOPS_TRY_VOID(checkKey(key));
  std::lock_guard lock(mutex_);
  return db_->transaction([&]() -> Expected<Counter> {
    WASMOPS_TRY(auto current, db_->read(store, key, limits_.maxResultBytes));
    Counter value = 0;
    if (current) {
      if (current->size() != sizeof(Counter))
        return makeError(ErrorCode::Invalid,
                         fmt::format("the value of \"{}\" is not a counter (it has {} bytes, a counter 8)", key,
                                     current->size()));
      std::memcpy(&value, current->data(), sizeof value);  // little-endian hosts only (DESIGN.md §5)
    }
    Counter sum;
    if (__builtin_add_overflow(value, delta, &sum))
      return makeError(ErrorCode::Invalid,
                       fmt::format("incrementing \"{}\" ({}) by {} overflows a 64-bit counter", key, value, delta));
    char bytes[sizeof sum];
    std::memcpy(bytes, &sum, sizeof sum);
    WASMOPS_TRY_VOID(db_->upsert(store, key, std::string_view(bytes, sizeof bytes)));
    return sum;
  });
}

Expected<std::int64_t> KeyValueStore::increment(std::string_view store, std::string_view key, std::int64_t delta) {
  return add<std::int64_t>(store, key, delta);
}

Expected<std::uint64_t> KeyValueStore::incrementUnsigned(std::string_view store, std::string_view key,
                                                         std::uint64_t delta) {
  return add<std::uint64_t>(store, key, delta);
}

Expected<bool> KeyValueStore::compareAndSwap(std::string_view store, std::string_view key,
                                             const std::optional<std::string>& expected, std::string_view value) {
  WASMOPS_TRY_VOID(checkKey(key));
  WASMOPS_TRY_VOID(checkValue(value));
  std::lock_guard lock(mutex_);
  return db_->transaction([&]() -> Expected<bool> {
    if (expected) {
      Db::Use u(*db_, Update);
      u.text(1, store).text(2, key).blob(3, *expected).blob(4, value);
      WASMOPS_TRY_VOID(u.step());
      return u.changes() == 1;
    }
    Db::Use u(*db_, InsertNew);
    u.text(1, store).text(2, key).blob(3, value);
    WASMOPS_TRY_VOID(u.step());
    return u.changes() == 1;
  });
}

Expected<std::vector<KeyValueStore::KeyAndValue>> KeyValueStore::getMany(std::string_view store,
                                                                       std::span<const std::string> keys) {
  for (const auto& k : keys) WASMOPS_TRY_VOID(checkKey(k));
  std::lock_guard lock(mutex_);
  std::vector<KeyAndValue> out;
  out.reserve(keys.size());
  std::size_t total = 0;
  for (const auto& k : keys) {
    WASMOPS_TRY(auto value, db_->read(store, k, limits_.maxResultBytes));
    total += k.size() + (value ? value->size() : 0) + sizeof(KeyAndValue);
    if (total > limits_.maxResultBytes)
      return makeError(ErrorCode::LimitExceeded,
                       fmt::format("the values asked for exceed the result limit of {} bytes", limits_.maxResultBytes));
    out.emplace_back(k, std::move(value));
  }
  return out;
}

Expected<void> KeyValueStore::setMany(std::string_view store,
                                      std::span<const std::pair<std::string, std::string>> entries) {
  for (const auto& [k, v] : entries) {
    WASMOPS_TRY_VOID(checkKey(k));
    WASMOPS_TRY_VOID(checkValue(v));
  }
  if (entries.empty()) return {};
  std::lock_guard lock(mutex_);
  return db_->transaction([&]() -> Expected<void> {
    for (const auto& [k, v] : entries) WASMOPS_TRY_VOID(db_->upsert(store, k, v));
    return {};
  });
}

Expected<void> KeyValueStore::eraseMany(std::string_view store, std::span<const std::string> keys) {
  for (const auto& k : keys) WASMOPS_TRY_VOID(checkKey(k));
  if (keys.empty()) return {};
  std::lock_guard lock(mutex_);
  return db_->transaction([&]() -> Expected<void> {
    for (const auto& k : keys) WASMOPS_TRY_VOID(db_->erase(store, k));
    return {};
  });
}

// --- KeyValueStores -----------------------------------------------------------

namespace {
constexpr const char* kDefaultLabel = "default";
constexpr const char* kDefaultFile = "sqlite_key_value.db";  // Spin's DEFAULT_SPIN_STORE_FILENAME
}  // namespace

KeyValueStores::KeyValueStores(const RuntimeConfig* config, const std::string& stateDir, KeyValueLimits limits)
    : limits_(limits) {
  labels_[kDefaultLabel] = {stateDir.empty() ? std::string() : stateDir + "/" + kDefaultFile};
  if (config)
    for (const auto& [label, store] : config->keyValueStores) labels_[label] = {store.path.value_or("")};
}

std::string KeyValueStores::defaultStateDir(const RuntimeConfig* config, const std::string& appFolder) {
  if (config && config->stateDir) return *config->stateDir;
  if (appFolder.empty()) return ".spin";
  return appFolder + "/.spin";
}

bool KeyValueStores::defined(std::string_view label) const { return labels_.find(label) != labels_.end(); }

std::vector<std::string> KeyValueStores::labels() const {
  std::vector<std::string> out;
  for (const auto& [label, _] : labels_) out.push_back(label);
  return out;
}

const KeyValueStoreSettings* KeyValueStores::settings(std::string_view label) const {
  auto it = labels_.find(label);
  return it == labels_.end() ? nullptr : &it->second;
}

Expected<std::shared_ptr<KeyValueStore>> KeyValueStores::open(std::string_view label) {
  auto it = labels_.find(label);
  if (it == labels_.end())
    return makeError(ErrorCode::NotFound, fmt::format("no key-value store is configured for label \"{}\"", label));
  std::lock_guard lock(mutex_);
  if (auto found = opened_.find(label); found != opened_.end()) return found->second;
  const std::string& path = it->second.path;
  std::shared_ptr<KeyValueStore> db;
  if (!path.empty())
    for (const auto& [other, store] : opened_)
      if (store->path() == path) db = store;  // one connection per file
  if (!db) WASMOPS_TRY_ASSIGN(db, KeyValueStore::open(path, limits_));
  opened_.emplace(std::string(label), db);
  return db;
}

std::vector<std::string> keyValueStoreLabels(const LockedComponent& component) {
  std::vector<std::string> out;
  auto it = component.metadata.find("key_value_stores");
  if (it == component.metadata.end() || !it->is_array()) return out;
  for (const auto& v : *it)
    if (v.is_string()) out.push_back(v.get<std::string>());
  return out;
}

Expected<void> checkKeyValueLabels(const LockedApp& app, const KeyValueStores& stores) {
  for (const auto& c : app.components)
    for (const auto& label : keyValueStoreLabels(c))
      if (!stores.defined(label))
        return makeError(ErrorCode::Invalid,
                         fmt::format("unknown key_value_stores label \"{}\" for component \"{}\": only \"default\" "
                                     "exists unless a runtime config defines it ([key_value_store.{}] type = \"spin\")",
                                     label, c.id, label));
  return {};
}

Expected<std::shared_ptr<KeyValueStores>> applicationKeyValueStores(const LockedApp& app, const std::string& appFolder,
                                                                    const RuntimeConfig* config, KeyValueLimits limits) {
  auto stores =
      std::make_shared<KeyValueStores>(config, KeyValueStores::defaultStateDir(config, appFolder), limits);
  WASMOPS_TRY_VOID(checkKeyValueLabels(app, *stores));
  return stores;
}

}  // namespace wasmops::app
