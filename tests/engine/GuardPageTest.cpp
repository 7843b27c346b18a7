// Guard-page memories: out-of-bounds accesses trap through the guard in both
// tiers (unused loads too), growth keeps the base, the explicit-check
// fallback works when reservations are refused, and a fault the guest did
// not cause still crashes the process.
#include <gtest/gtest.h>
#include <signal.h>

#include "EngineFixture.h"
#include "engine/MemoryReservation.h"
#include "engine/RuntimeObjects.h"

namespace wasmops::engine::testing {
namespace {

class GuardPageTest : public EngineTest {
 protected:
  Instance* instantiateGuard(Store& store, std::shared_ptr<CompiledModule> cm, std::function<void()> poke = [] {}) {
    auto pokeFn = store.hostFunction(binary::FuncType{}, [poke](const wasmops_val*, wasmops_val*) {
      poke();
      return std::optional<std::string>{};
    });
    auto inst = store.instantiate(std::move(cm), [&](const std::string& mod, const std::string& name) -> std::optional<Extern> {
      if (mod == "env" && name == "poke") return pokeFn;
      return std::nullopt;
    });
    EXPECT_TRUE(inst) << (inst ? "" : inst.error().message);
    return inst ? *inst : nullptr;
  }
};

std::shared_ptr<CompiledModule> compileWith(const std::filesystem::path& cacheDir, Tier tier, MemoryStrategy memory) {
  auto file = MappedFile::open(std::string(WASMOPS_TEST_DATA) + "/guard.wasm");
  EXPECT_TRUE(file);
  Engine engine(EngineConfig{.tier = tier, .memory = memory, .cacheDir = cacheDir.string()});
  auto cm = engine.compile(file->bytes());
  EXPECT_TRUE(cm) << cm.error().format();
  return cm ? *cm : nullptr;
}

TEST_F(GuardPageTest, OutOfBoundsAccessesTrapThroughTheGuardInBothTiers) {
  ASSERT_TRUE(MemoryReservation::available()) << "this machine cannot reserve guard-page memories";
  for (Tier tier : {Tier::Fast, Tier::Optimized}) {
    auto cm = compileWith(cacheDir_, tier, MemoryStrategy::GuardPages);
    ASSERT_TRUE(cm && cm->guardPages());
    Store store;
    auto* inst = instantiateGuard(store, cm);
    ASSERT_TRUE(inst);
    auto r = inst->call("store", {i32(65532)});  // the last 4 bytes: in bounds
    ASSERT_TRUE(r && !r->trap) << toString(tier);
    for (std::uint32_t addr : {65533u, 65536u, 1u << 20, 0xfffffffcu}) {
      r = inst->call("store", {i32(addr)});
      ASSERT_TRUE(r && r->trap) << toString(tier) << " store at " << addr;
      EXPECT_EQ(r->trap->kind, TrapKind::MemoryOutOfBounds);
      EXPECT_EQ(r->trap->function, "store") << toString(tier);
    }
    // A load whose value is dropped still happens, and traps.
    r = inst->call("load_unused", {i32(65536)});
    ASSERT_TRUE(r && r->trap) << toString(tier) << ": the unused load was optimized away";
    EXPECT_EQ(r->trap->kind, TrapKind::MemoryOutOfBounds);
    // An offset past the guard keeps its explicit check.
    r = inst->call("load_far", {i32(0x10000000)});
    ASSERT_TRUE(r && r->trap);
    EXPECT_EQ(r->trap->kind, TrapKind::MemoryOutOfBounds);
    // The instance keeps working after trapping faults.
    r = inst->call("load", {i32(65532)});
    ASSERT_TRUE(r && !r->trap);
    EXPECT_EQ(r->results.at(0).i32, 42u);
  }
}

TEST_F(GuardPageTest, GrowKeepsTheBaseAndOpensTheNextPage) {
  auto cm = compileWith(cacheDir_, Tier::Optimized, MemoryStrategy::GuardPages);
  ASSERT_TRUE(cm);
  Store store;
  auto* inst = instantiateGuard(store, cm);
  ASSERT_TRUE(inst);
  const auto* before = inst->memoryBytes("memory").data();
  auto r = inst->call("store", {i32(70000)});
  ASSERT_TRUE(r && r->trap);
  r = inst->call("grow", {});
  ASSERT_TRUE(r && !r->trap);
  EXPECT_EQ(r->results.at(0).i32, 1u);
  EXPECT_EQ(inst->memoryBytes("memory").data(), before);
  r = inst->call("store", {i32(70000)});
  ASSERT_TRUE(r && !r->trap);
  r = inst->call("load", {i32(70000)});
  ASSERT_TRUE(r && !r->trap);
  EXPECT_EQ(r->results.at(0).i32, 42u);
  // Past the declared maximum (3 pages) growth fails.
  ASSERT_TRUE(inst->call("grow", {}));
  r = inst->call("grow", {});
  ASSERT_TRUE(r && !r->trap);
  EXPECT_EQ(r->results.at(0).i32, 0xffffffffu);
}

TEST_F(GuardPageTest, RefusedReservationFallsBackToExplicitChecks) {
  MemoryReservation::forceAvailable(false);
  auto cm = compileWith(cacheDir_, Tier::Fast, MemoryStrategy::Auto);
  ASSERT_TRUE(cm);
  EXPECT_FALSE(cm->guardPages());
  Store store;
  auto* inst = instantiateGuard(store, cm);
  MemoryReservation::forceAvailable(true);
  ASSERT_TRUE(inst);
  auto r = inst->call("store", {i32(65536)});
  ASSERT_TRUE(r && r->trap);
  EXPECT_EQ(r->trap->kind, TrapKind::MemoryOutOfBounds);
  r = inst->call("load_unused", {i32(65536)});
  ASSERT_TRUE(r && r->trap);
}

TEST_F(GuardPageTest, GuardCodeRefusesAMemoryWithoutReservation) {
  auto cm = compileWith(cacheDir_, Tier::Fast, MemoryStrategy::GuardPages);
  ASSERT_TRUE(cm && cm->guardPages());
  MemoryReservation::forceAvailable(false);
  Store store;
  auto pokeFn = store.hostFunction(binary::FuncType{}, [](const wasmops_val*, wasmops_val*) { return std::nullopt; });
  auto inst = store.instantiate(cm, [&](const std::string&, const std::string&) -> std::optional<Extern> { return pokeFn; });
  MemoryReservation::forceAvailable(true);
  ASSERT_FALSE(inst);
  EXPECT_NE(inst.error().message.find("guard-page"), std::string::npos) << inst.error().message;
}

using GuardPageDeathTest = GuardPageTest;

TEST_F(GuardPageDeathTest, HostFaultInsideAGuestCallStillCrashes) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto cm = compileWith(cacheDir_, Tier::Optimized, MemoryStrategy::GuardPages);
  ASSERT_TRUE(cm && cm->guardPages());
  // The host function writes into the guard of the guest's own memory: the
  // address is in a reservation, but the instruction is not guest code.
  EXPECT_EXIT(
      {
        Store store;
        Instance* inst = nullptr;
        inst = instantiateGuard(store, cm, [&] {
          volatile std::uint8_t* guard = inst->memoryBytes("memory").data() + (1u << 20);
          *guard = 1;
        });
        (void)inst->call("call_poke", {});
        std::exit(0);
      },
      ::testing::KilledBySignal(SIGSEGV), "");
}

TEST_F(GuardPageDeathTest, HostFaultOutsideGuestCodeStillCrashes) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  auto cm = compileWith(cacheDir_, Tier::Fast, MemoryStrategy::GuardPages);
  ASSERT_TRUE(cm);
  EXPECT_EXIT(
      {
        Store store;
        auto* inst = instantiateGuard(store, cm);  // installs the handler
        (void)inst->call("store", {i32(65536)});   // and uses it once
        volatile std::uintptr_t where = 16;  // opaque to the compiler
        *reinterpret_cast<volatile int*>(where) = 1;
        std::exit(0);
      },
      ::testing::KilledBySignal(SIGSEGV), "");
}

}  // namespace
}  // namespace wasmops::engine::testing
