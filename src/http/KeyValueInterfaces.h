#pragma once
// The key-value host interfaces a Spin 3 / wasi:http component imports,
// defined on the ComponentLinker of one component instance (one request),
// over the application's app::KeyValueStores:
//
//   fermyon:spin/key-value@2.0.0           resource store: open(label), get, set, delete, exists, get-keys
//   wasi:keyvalue/store@0.2.0-draft2       open(identifier) -> bucket; get, set, delete, exists, list-keys
//   wasi:keyvalue/atomics@0.2.0-draft2     increment (s64), resource cas (new, current), swap
//   wasi:keyvalue/batch@0.2.0-draft2       get-many, set-many, delete-many
//   wasi:keyvalue/{store,atomics,batch}@0.2.0-draft   the same with the first draft's types
//                                          (u64 counter, u64 cursor, get-many's list<option<tuple>>)
//
// Spin 3's SDKs import draft2 (Spin's wit/deps/keyvalue-2024-10-17); the
// first draft is what the wasi-keyvalue repository tags v0.2.0-draft. Pre-
// release versions link only exactly, so both are defined.
//
// As Spin's KeyValueDispatch (crates/factor-key-value/src/host.rs): opening a
// label the component's `key_value_stores` does not list is access-denied;
// a listed label no runtime config defines is no-such-store (Spin refuses
// such an application at load: app::checkKeyValueLabels); at most 256 stores
// are open at once per instance (store-table-full). Limits of the store
// (key 255 bytes, value 1 MiB) come back as `other` errors whose text says
// which limit. Every function declares its parameter shapes, so an import of
// another shape is refused at link time.
#include <memory>
#include <set>
#include <string>

#include "app/KeyValueStore.h"
#include "base/Error.h"
#include "component/ComponentLinker.h"
#include "engine/Store.h"

namespace wasmops::http {

// What one component may use: the same for all its instances.
struct KeyValueOptions {
  std::shared_ptr<app::KeyValueStores> stores;  // the application's; null: no store is configured
  std::set<std::string, std::less<>> allowedLabels;  // app::keyValueStoreLabels(component)
};

// The options of `component` over the application's stores (app::applicationKeyValueStores).
std::shared_ptr<const KeyValueOptions> keyValueOptions(const app::LockedComponent& component,
                                                       std::shared_ptr<app::KeyValueStores> stores);

struct KeyValueState;  // one instance's open stores and CAS handles (KeyValueInterfaces.cpp)

// The key-value host of one component: its functions are defined once (one
// linker for all the component's instances) and find the objects of the
// instance that calls them (its open stores and CAS handles) through the
// calling store (engine::Store::current()): those of the Instance bound to
// that store, else this host's own (calls outside a bound store: a linker
// made per instance, or tests calling the functions directly). Must outlive
// every instance linked with it and every Instance it bound.
class KeyValueHost {
 public:
  // Spin's DEFAULT_STORE_TABLE_CAPACITY.
  static constexpr std::uint32_t kMaxOpenStores = 256;

  explicit KeyValueHost(std::shared_ptr<const KeyValueOptions> options);
  ~KeyValueHost();
  KeyValueHost(const KeyValueHost&) = delete;
  KeyValueHost& operator=(const KeyValueHost&) = delete;

  // Defines every interface listed above in `linker`.
  Expected<void> define(component::ComponentLinker& linker);

  // One instance's objects, found by the functions while it lives, for
  // calls from guest code running in `store`. Keep it as long as the
  // instance (a request); it closes what the guest left open.
  class Instance {
   public:
    ~Instance();
    Instance(const Instance&) = delete;
    Instance& operator=(const Instance&) = delete;
    std::uint32_t openStores() const;  // buckets and stores the guest holds

   private:
    friend class KeyValueHost;
    Instance() = default;
    KeyValueHost* host_ = nullptr;
    const engine::Store* store_ = nullptr;
    std::unique_ptr<KeyValueState> state_;
  };
  std::unique_ptr<Instance> bind(engine::Store& store);

  // The stores open in this host's own objects (calls outside a bound store).
  std::uint32_t openStores() const;

  struct Registry;

 private:
  std::unique_ptr<Registry> registry_;
};

}  // namespace wasmops::http
