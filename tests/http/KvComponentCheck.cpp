// A real component over the key-value host interfaces, linked as the
// wasi:http executor links components: one ComponentLinker per component,
// defined once by http::KeyValueHost, and per instance a fresh engine::Store
// bound to the host (KeyValueHost::bind) so the functions find that
// instance's open stores.
//
// COMPONENT is tests/data/components/kv_counter.wat assembled by `jco parse`.
// Two instances call `bump` (open "default", increment "counter", drop the
// bucket), each over a fresh app::KeyValueStores reading the same SQLite
// file: 1, then 2. An instance calling `hold` (open, keep) leaves one store
// open in its own binding and none in the host's unbound objects. A
// component whose key_value_stores is empty traps in `bump` (open is
// access-denied) and the counter stays 2.
// Run by tests/http/kv_component_test.py; prints "ok" and exits 0, else
// says what differed and exits 1.
#include <cstdio>
#include <string>

#include "app/KeyValueStore.h"
#include "base/MappedFile.h"
#include "binary/ComponentDecoder.h"
#include "component/ComponentInstance.h"
#include "engine/Engine.h"
#include "engine/Store.h"
#include "http/KeyValueInterfaces.h"

using namespace wasmops;

namespace {

int failed(const std::string& what) {
  std::fprintf(stderr, "kv_component_check: %s\n", what.c_str());
  return 1;
}

// A component's linker and key-value host, made once.
struct Linked {
  std::unique_ptr<http::KeyValueHost> host;
  component::ComponentLinker linker;
};

Expected<std::unique_ptr<Linked>> link(const std::string& stateDir, bool allowDefault) {
  auto options = std::make_shared<http::KeyValueOptions>();
  options->stores = std::make_shared<app::KeyValueStores>(nullptr, stateDir);
  if (allowDefault) options->allowedLabels = {"default"};
  auto linked = std::make_unique<Linked>();
  linked->host = std::make_unique<http::KeyValueHost>(options);
  WASMOPS_TRY_VOID(linked->host->define(linked->linker));
  return linked;
}

// One instance: a fresh store bound to the host; the result of calling `function`.
Expected<std::optional<component::Value>> callOnce(const component::PreparedComponent& prepared, Linked& linked,
                                                   const char* function, std::uint32_t* openAfter = nullptr) {
  engine::Store store;
  auto bound = linked.host->bind(store);
  WASMOPS_TRY(auto instance, component::ComponentInstance::instantiate(prepared, store, linked.linker));
  auto result = instance->call(function, {});
  if (openAfter) *openAfter = bound->openStores();
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return failed("usage: kv_component_check COMPONENT.wasm WORK_DIR");
  const std::string work = argv[2];
  auto file = MappedFile::open(argv[1]);
  if (!file) return failed(file.error().format());
  auto decoded = binary::decodeComponent(file->bytes());
  if (!decoded) return failed(decoded.error().format());
  engine::EngineConfig config;
  config.cacheDir = work + "/cache";
  engine::Engine engine(config);
  auto prepared = component::PreparedComponent::prepare(*decoded, engine);
  if (!prepared) return failed(prepared.error().format());

  const std::string stateDir = work + "/.spin";
  for (std::int64_t want : {1, 2}) {
    auto linked = link(stateDir, true);  // a fresh KeyValueStores each time: the value comes from the file
    if (!linked) return failed(linked.error().format());
    auto got = callOnce(**prepared, **linked, "bump");
    if (!got) return failed("bump: " + got.error().format());
    if (!*got || (*got)->kind != component::ValueKind::S64 || (*got)->asSigned() != want)
      return failed("bump returned " + (*got ? std::to_string((*got)->asSigned()) : std::string("nothing")) +
                    ", expected " + std::to_string(want));
  }

  auto linked = link(stateDir, true);
  if (!linked) return failed(linked.error().format());
  std::uint32_t open = 0;
  auto held = callOnce(**prepared, **linked, "hold", &open);
  if (!held) return failed("hold: " + held.error().format());
  if (open != 1 || (*linked)->host->openStores() != 0)
    return failed("after hold: " + std::to_string(open) + " store(s) open in the instance's binding and " +
                  std::to_string((*linked)->host->openStores()) + " in the host's own objects, expected 1 and 0");

  auto deniedHost = link(stateDir, false);
  if (!deniedHost) return failed(deniedHost.error().format());
  auto denied = callOnce(**prepared, **deniedHost, "bump");
  if (denied) return failed("bump without access to \"default\" did not trap");
  if (denied.error().message.rfind("trap: ", 0) != 0) return failed("unexpected error: " + denied.error().format());

  auto db = app::KeyValueStore::open(stateDir + "/sqlite_key_value.db");
  if (!db) return failed(db.error().format());
  auto counter = (*db)->increment("default", "counter", 0);
  if (!counter || *counter != 2)
    return failed("the file holds " + (counter ? std::to_string(*counter) : counter.error().message) + ", expected 2");
  std::printf("ok\n");
  return 0;
}
