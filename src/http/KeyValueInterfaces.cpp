#include "http/KeyValueInterfaces.h"

#include <algorithm>
#include <mutex>
#include <unordered_map>
#include <variant>

#include <fmt/format.h>

#include "component/HostTable.h"
#include "component/Value.h"
#include "http/HostInterfaces.h"

namespace wasmops::http {

using component::Value;
using Args = std::span<const Value>;
using Result = Expected<std::optional<Value>>;

namespace {

// An open store (Spin's `store`, wasi:keyvalue's `bucket`): the database of
// its label, and the label (the store's name inside the database).
struct OpenStore {
  std::shared_ptr<app::KeyValueStore> db;
  std::string label;
};

// wasi:keyvalue/atomics' `cas`: the value seen when it was made (or by
// `current`), which `swap` compares against.
struct CasHandle {
  std::shared_ptr<app::KeyValueStore> db;
  std::string label;
  std::string key;
  std::optional<std::string> seen;
};

// Why an operation failed, before it is spelled as one interface's `error`.
struct Failure {
  enum Kind { NoSuchStore, AccessDenied, TableFull, Other } kind = Other;
  std::string message;
};
Failure other(const Error& e) { return {Failure::Other, e.message}; }

// fermyon:spin/key-value@2.0.0 error: store-table-full, no-such-store, access-denied, other(string).
Value spinError(const Failure& f) {
  switch (f.kind) {
    case Failure::TableFull: return Value::variant(0);
    case Failure::NoSuchStore: return Value::variant(1);
    case Failure::AccessDenied: return Value::variant(2);
    case Failure::Other: break;
  }
  return Value::variant(3, Value::string(f.message));
}

// wasi:keyvalue/store error: no-such-store, access-denied, other(string).
Value wasiError(const Failure& f) {
  switch (f.kind) {
    case Failure::NoSuchStore: return Value::variant(0);
    case Failure::AccessDenied: return Value::variant(1);
    case Failure::TableFull: return Value::variant(2, Value::string("store table full"));
    case Failure::Other: break;
  }
  return Value::variant(2, Value::string(f.message));
}

using ErrorOf = Value (*)(const Failure&);

Value stringList(const std::vector<std::string>& strings) {
  std::vector<Value> items;
  items.reserve(strings.size());
  for (const auto& s : strings) items.push_back(Value::string(s));
  return Value::list(std::move(items));
}

Value optionalBytes(const std::optional<std::string>& bytes) {
  return bytes ? Value::some(Value::bytes(*bytes)) : Value::none();
}

// A list<u8> argument's bytes (packed, as lifting makes them, or u8 items).
Expected<std::string> bytesArg(const Value& v) {
  if (v.packed) return v.text;
  auto bytes = v.listBytes();
  if (!bytes) return makeError(ErrorCode::Invalid, "trap: a list<u8> argument holds other values");
  return std::move(*bytes);
}

std::vector<std::string> stringsArg(const Value& list) {
  std::vector<std::string> out;
  out.reserve(list.items.size());
  for (const auto& s : list.items) out.push_back(s.text);
  return out;
}

std::uint32_t repOf(const Value& handle) { return static_cast<std::uint32_t>(handle.bits); }

}  // namespace

// The objects of one instance (or of a host's calls outside bound stores).
struct KeyValueState {
  explicit KeyValueState(std::shared_ptr<const KeyValueOptions> o) : options(std::move(o)) {}
  std::shared_ptr<const KeyValueOptions> options;
  component::HostTable<OpenStore> stores{"key-value store"};
  component::HostTable<CasHandle> cases{"cas"};

  // Spin's open: the component must list the label, a runtime config (or
  // the built-in "default") must define it, and the table must have room.
  Expected<std::variant<std::uint32_t, Failure>> open(const std::string& label) {
    using Out = std::variant<std::uint32_t, Failure>;
    if (!options->allowedLabels.count(label)) return Out(Failure{Failure::AccessDenied, {}});
    if (!options->stores || !options->stores->defined(label)) return Out(Failure{Failure::NoSuchStore, {}});
    if (stores.live() >= KeyValueHost::kMaxOpenStores) return Out(Failure{Failure::TableFull, {}});
    auto db = options->stores->open(label);
    if (!db) return Out(other(db.error()));
    WASMOPS_TRY(std::uint32_t rep, stores.add(OpenStore{std::move(*db), label}));
    return Out(rep);
  }
};

namespace {

using State = KeyValueState;
using Registry = KeyValueHost::Registry;

}  // namespace

struct KeyValueHost::Registry {
  explicit Registry(std::shared_ptr<const KeyValueOptions> o) : options(o), unbound(std::move(o)) {}
  std::shared_ptr<const KeyValueOptions> options;
  State unbound;
  mutable std::mutex mutex;
  std::unordered_map<const engine::Store*, State*> bound;

  // The objects of the instance calling now.
  State& current() {
    if (const engine::Store* store = engine::Store::current()) {
      std::lock_guard lock(mutex);
      if (auto it = bound.find(store); it != bound.end()) return *it->second;
    }
    return unbound;
  }
};

namespace {

// What the functions capture: the registry, dereferenced to the calling instance's objects.
struct StateRef {
  Registry* registry;
  State& operator*() const { return registry->current(); }
  State* operator->() const { return &registry->current(); }
};

Result openWith(State& st, const Value& label, ErrorOf errorOf) {
  WASMOPS_TRY(auto opened, st.open(label.text));
  if (auto* failure = std::get_if<Failure>(&opened)) return Value::err(errorOf(*failure));
  return Value::ok(Value::own(std::get<std::uint32_t>(opened)));
}

// Runs `op` on the store `self` names; its error becomes `other`.
template <typename Op>
Result onStore(State& st, const Value& self, ErrorOf errorOf, Op op) {
  WASMOPS_TRY(OpenStore * s, st.stores.get(repOf(self)));
  auto out = op(*s);
  if (!out) {
    if (out.error().message.starts_with("trap: ")) return tl::unexpected(std::move(out).error());
    return Value::err(errorOf(other(out.error())));
  }
  return Value::ok(std::move(*out));
}

// get, set, delete, exists: the same in fermyon:spin/key-value and wasi:keyvalue/store.
void defineBasics(InterfaceFunctions& d, const std::string& resource, Registry& registry, ErrorOf errorOf) {
  StateRef s{&registry};
  d.function(fmt::format("[method]{}.get", resource), "borrow, string", [s, errorOf](Args a) -> Result {
     return onStore(*s, a[0], errorOf, [&](OpenStore& o) -> Expected<std::optional<Value>> {
       WASMOPS_TRY(auto v, o.db->get(o.label, a[1].text));
       return optionalBytes(v);
     });
   })
      .function(fmt::format("[method]{}.set", resource), "borrow, string, list<u8>", [s, errorOf](Args a) -> Result {
        return onStore(*s, a[0], errorOf, [&](OpenStore& o) -> Expected<std::optional<Value>> {
          WASMOPS_TRY(std::string value, bytesArg(a[2]));
          WASMOPS_TRY_VOID(o.db->set(o.label, a[1].text, value));
          return std::nullopt;
        });
      })
      .function(fmt::format("[method]{}.delete", resource), "borrow, string", [s, errorOf](Args a) -> Result {
        return onStore(*s, a[0], errorOf, [&](OpenStore& o) -> Expected<std::optional<Value>> {
          WASMOPS_TRY_VOID(o.db->erase(o.label, a[1].text));
          return std::nullopt;
        });
      })
      .function(fmt::format("[method]{}.exists", resource), "borrow, string", [s, errorOf](Args a) -> Result {
        return onStore(*s, a[0], errorOf, [&](OpenStore& o) -> Expected<std::optional<Value>> {
          WASMOPS_TRY(bool found, o.db->exists(o.label, a[1].text));
          return Value::boolean(found);
        });
      });
}

Expected<void> defineSpinKeyValue(Registry& registry, component::ComponentLinker& linker) {
  StateRef s{&registry};
  InterfaceFunctions d(linker, "fermyon:spin/key-value@2.0.0");
  d.resource("store", [s](std::uint32_t rep) { return s->stores.remove(rep); })
      .function("[static]store.open", "string", [s](Args a) -> Result { return openWith(*s, a[0], spinError); });
  defineBasics(d, "store", registry, spinError);
  d.function("[method]store.get-keys", "borrow", [s](Args a) -> Result {
    return onStore(*s, a[0], spinError, [&](OpenStore& o) -> Expected<std::optional<Value>> {
      WASMOPS_TRY(auto keys, o.db->keys(o.label));
      return stringList(keys);
    });
  });
  return d.finish();
}

// The two drafts of wasi:keyvalue differ in a few types (see the header).
enum class Draft { One, Two };

Expected<void> defineWasiKeyValue(Registry& registry, component::ComponentLinker& linker, Draft draft) {
  StateRef s{&registry};
  const std::string version = draft == Draft::Two ? "0.2.0-draft2" : "0.2.0-draft";

  InterfaceFunctions store(linker, "wasi:keyvalue/store@" + version);
  store.resource("bucket", [s](std::uint32_t rep) { return s->stores.remove(rep); })
      .function("open", "string", [s](Args a) -> Result { return openWith(*s, a[0], wasiError); });
  defineBasics(store, "bucket", registry, wasiError);
  // list-keys returns every key at once (cursor none), as Spin does; a
  // cursor given back is honoured all the same: draft2's is the last key
  // seen, the first draft's the number of keys seen.
  store.function("[method]bucket.list-keys", draft == Draft::Two ? "borrow, option<string>" : "borrow, option<u64>",
                 [s, draft](Args a) -> Result {
                   return onStore(*s, a[0], wasiError, [&](OpenStore& o) -> Expected<std::optional<Value>> {
                     WASMOPS_TRY(auto keys, o.db->keys(o.label));
                     if (const Value* cursor = a[1].payload()) {
                       if (draft == Draft::Two) {
                         keys.erase(keys.begin(), std::upper_bound(keys.begin(), keys.end(), cursor->text));
                       } else {
                         keys.erase(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(
                                                                     std::min<std::uint64_t>(cursor->bits, keys.size())));
                       }
                     }
                     return Value::record({stringList(keys), Value::none()});
                   });
                 });
  WASMOPS_TRY_VOID(store.finish());

  InterfaceFunctions atomics(linker, "wasi:keyvalue/atomics@" + version);
  if (draft == Draft::Two) {
    atomics.function("increment", "borrow, string, s64", [s](Args a) -> Result {
      return onStore(*s, a[0], wasiError, [&](OpenStore& o) -> Expected<std::optional<Value>> {
        WASMOPS_TRY(std::int64_t n, o.db->increment(o.label, a[1].text, a[2].asSigned()));
        return Value::s64(n);
      });
    });
    // cas: a read remembered; swap writes only if the value is still the one seen.
    auto snapshot = [](CasHandle& c) -> Expected<void> {
      WASMOPS_TRY_ASSIGN(c.seen, c.db->get(c.label, c.key));
      return {};
    };
    auto newCas = [s, snapshot](const OpenStore& o, std::string key) -> Expected<std::variant<std::uint32_t, Error>> {
      using Out = std::variant<std::uint32_t, Error>;
      CasHandle c{o.db, o.label, std::move(key), std::nullopt};
      if (auto seen = snapshot(c); !seen) return Out(std::move(seen).error());
      if (s->cases.live() >= KeyValueHost::kMaxOpenStores) return Out(Error(ErrorCode::LimitExceeded, "too many compare_and_swaps opened"));
      WASMOPS_TRY(std::uint32_t rep, s->cases.add(std::move(c)));
      return Out(rep);
    };
    atomics.resource("cas", [s](std::uint32_t rep) { return s->cases.remove(rep); })
        .function("[static]cas.new", "borrow, string", [s, newCas](Args a) -> Result {
          WASMOPS_TRY(OpenStore * o, s->stores.get(repOf(a[0])));
          WASMOPS_TRY(auto made, newCas(*o, a[1].text));
          if (auto* e = std::get_if<Error>(&made)) return Value::err(wasiError(other(*e)));
          return Value::ok(Value::own(std::get<std::uint32_t>(made)));
        })
        .function("[method]cas.current", "borrow", [s, snapshot](Args a) -> Result {
          WASMOPS_TRY(CasHandle * c, s->cases.get(repOf(a[0])));
          if (auto seen = snapshot(*c); !seen) return Value::err(wasiError(other(seen.error())));
          return Value::ok(optionalBytes(c->seen));
        })
        // swap takes the cas (own): it is the host's to drop. cas-error:
        // store-error(error), cas-failed(cas) with a fresh cas to retry with.
        .function("swap", "own, list<u8>", [s, newCas](Args a) -> Result {
          WASMOPS_TRY(CasHandle * found, s->cases.get(repOf(a[0])));
          CasHandle c = std::move(*found);
          WASMOPS_TRY_VOID(s->cases.remove(repOf(a[0])));
          WASMOPS_TRY(std::string value, bytesArg(a[1]));
          auto swapped = c.db->compareAndSwap(c.label, c.key, c.seen, value);
          if (!swapped) return Value::err(Value::variant(0, wasiError(other(swapped.error()))));
          if (*swapped) return Value::ok();
          WASMOPS_TRY(auto made, newCas(OpenStore{c.db, c.label}, c.key));
          if (auto* e = std::get_if<Error>(&made)) return Value::err(Value::variant(0, wasiError(other(*e))));
          return Value::err(Value::variant(1, Value::own(std::get<std::uint32_t>(made))));
        });
  } else {
    atomics.function("increment", "borrow, string, u64", [s](Args a) -> Result {
      return onStore(*s, a[0], wasiError, [&](OpenStore& o) -> Expected<std::optional<Value>> {
        WASMOPS_TRY(std::uint64_t n, o.db->incrementUnsigned(o.label, a[1].text, a[2].bits));
        return Value::u64(n);
      });
    });
  }
  WASMOPS_TRY_VOID(atomics.finish());

  InterfaceFunctions batch(linker, "wasi:keyvalue/batch@" + version);
  batch
      .function("get-many", "borrow, list<string>", [s, draft](Args a) -> Result {
        return onStore(*s, a[0], wasiError, [&](OpenStore& o) -> Expected<std::optional<Value>> {
          const auto keys = stringsArg(a[1]);
          WASMOPS_TRY(auto found, o.db->getMany(o.label, keys));
          std::vector<Value> items;
          items.reserve(found.size());
          for (auto& [key, value] : found) {
            if (draft == Draft::Two)  // list<tuple<string, option<list<u8>>>>
              items.push_back(Value::tuple({Value::string(key), optionalBytes(value)}));
            else  // list<option<tuple<string, list<u8>>>>
              items.push_back(value ? Value::some(Value::tuple({Value::string(key), Value::bytes(*value)})) : Value::none());
          }
          return Value::list(std::move(items));
        });
      })
      .function("set-many", "borrow, list<tuple<string,list<u8>>>", [s](Args a) -> Result {
        return onStore(*s, a[0], wasiError, [&](OpenStore& o) -> Expected<std::optional<Value>> {
          std::vector<std::pair<std::string, std::string>> entries;
          entries.reserve(a[1].items.size());
          for (const auto& pair : a[1].items) {
            if (pair.items.size() != 2) return makeError(ErrorCode::Invalid, "trap: set-many: an entry is not a pair");
            WASMOPS_TRY(std::string value, bytesArg(pair.items[1]));
            entries.emplace_back(pair.items[0].text, std::move(value));
          }
          WASMOPS_TRY_VOID(o.db->setMany(o.label, entries));
          return std::nullopt;
        });
      })
      .function("delete-many", "borrow, list<string>", [s](Args a) -> Result {
        return onStore(*s, a[0], wasiError, [&](OpenStore& o) -> Expected<std::optional<Value>> {
          const auto keys = stringsArg(a[1]);
          WASMOPS_TRY_VOID(o.db->eraseMany(o.label, keys));
          return std::nullopt;
        });
      });
  return batch.finish();
}

}  // namespace

std::shared_ptr<const KeyValueOptions> keyValueOptions(const app::LockedComponent& component,
                                                       std::shared_ptr<app::KeyValueStores> stores) {
  auto options = std::make_shared<KeyValueOptions>();
  options->stores = std::move(stores);
  for (auto& label : app::keyValueStoreLabels(component)) options->allowedLabels.insert(std::move(label));
  return options;
}

KeyValueHost::KeyValueHost(std::shared_ptr<const KeyValueOptions> options)
    : registry_(std::make_unique<Registry>(options ? std::move(options) : std::make_shared<const KeyValueOptions>())) {}

KeyValueHost::~KeyValueHost() = default;

Expected<void> KeyValueHost::define(component::ComponentLinker& linker) {
  WASMOPS_TRY_VOID(defineSpinKeyValue(*registry_, linker));
  WASMOPS_TRY_VOID(defineWasiKeyValue(*registry_, linker, Draft::Two));
  WASMOPS_TRY_VOID(defineWasiKeyValue(*registry_, linker, Draft::One));
  return {};
}

std::unique_ptr<KeyValueHost::Instance> KeyValueHost::bind(engine::Store& store) {
  std::unique_ptr<Instance> instance(new Instance());
  instance->host_ = this;
  instance->store_ = &store;
  instance->state_ = std::make_unique<State>(registry_->options);
  std::lock_guard lock(registry_->mutex);
  registry_->bound[&store] = instance->state_.get();
  return instance;
}

KeyValueHost::Instance::~Instance() {
  std::lock_guard lock(host_->registry_->mutex);
  auto& bound = host_->registry_->bound;
  if (auto it = bound.find(store_); it != bound.end() && it->second == state_.get()) bound.erase(it);
}

std::uint32_t KeyValueHost::Instance::openStores() const { return state_->stores.live(); }

std::uint32_t KeyValueHost::openStores() const { return registry_->unbound.stores.live(); }

}  // namespace wasmops::http
