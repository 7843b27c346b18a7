// A real component over the key-value host interfaces: instantiates
// COMPONENT (tests/data/components/kv_counter.wat assembled by `jco parse`)
// with component::ComponentInstance and a linker carrying
// http::KeyValueHost, and calls its `bump` export (open "default",
// increment "counter", drop the bucket) in two instances, each over a fresh
// app::KeyValueStores reading the same SQLite file: 1, then 2. Then a third
// instance whose component may not use "default" (key_value_stores empty):
// open is access-denied, the guest traps, the counter stays 2.
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

// One instance of the component over the stores in `stateDir`; the result of bump().
Expected<std::optional<component::Value>> bumpOnce(const component::PreparedComponent& prepared,
                                                   const std::string& stateDir, bool allowDefault) {
  auto options = std::make_shared<http::KeyValueOptions>();
  options->stores = std::make_shared<app::KeyValueStores>(nullptr, stateDir);
  if (allowDefault) options->allowedLabels = {"default"};
  http::KeyValueHost host(options);
  component::ComponentLinker linker;
  WASMOPS_TRY_VOID(host.define(linker));
  engine::Store store;
  WASMOPS_TRY(auto instance, component::ComponentInstance::instantiate(prepared, store, linker));
  return instance->call("bump", {});
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
    auto got = bumpOnce(**prepared, stateDir, true);
    if (!got) return failed("bump: " + got.error().format());
    if (!*got || (*got)->kind != component::ValueKind::S64 || (*got)->asSigned() != want)
      return failed("bump returned " + (*got ? std::to_string((*got)->asSigned()) : std::string("nothing")) +
                    ", expected " + std::to_string(want));
  }
  auto denied = bumpOnce(**prepared, stateDir, false);
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
