#include "component/ResourceTable.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "component/CanonicalAbi.h"
#include "component/TestMemory.h"

namespace wasmops::component {
namespace {

void expectTrap(const auto& result, const std::string& words) {
  ASSERT_FALSE(result) << "no trap";
  EXPECT_EQ(result.error().message.rfind("trap: ", 0), 0u) << result.error().message;
  EXPECT_NE(result.error().message.find(words), std::string::npos) << result.error().message;
}

struct Fixture {
  std::vector<std::uint32_t> destroyed;
  ResourceType file{1, 7, [this](std::uint32_t rep) -> Expected<void> {
    destroyed.push_back(rep);
    return {};
  }};
  ResourceType other{2, 7, {}};
  ResourceTable table{7};
};

TEST(ResourceTable, NewRepDropRunsTheDestructorOnce) {
  Fixture f;
  auto a = *f.table.resourceNew(f.file, 100);
  auto b = *f.table.resourceNew(f.file, 200);
  EXPECT_EQ(a, 1u);  // index 0 is reserved
  EXPECT_EQ(b, 2u);
  EXPECT_EQ(*f.table.resourceRep(f.file, b), 200u);
  ASSERT_TRUE(f.table.resourceDrop(f.file, a));
  EXPECT_EQ(f.destroyed, (std::vector<std::uint32_t>{100}));
  EXPECT_EQ(f.table.size(), 1u);
  EXPECT_EQ(*f.table.resourceNew(f.file, 300), a);  // the freed index is reused
}

TEST(ResourceTable, DoubleDropTraps) {
  Fixture f;
  auto a = *f.table.resourceNew(f.file, 1);
  ASSERT_TRUE(f.table.resourceDrop(f.file, a));
  expectTrap(f.table.resourceDrop(f.file, a), "not in the table");
  EXPECT_EQ(f.destroyed.size(), 1u);
}

TEST(ResourceTable, DanglingAndZeroHandlesTrap) {
  Fixture f;
  expectTrap(f.table.resourceRep(f.file, 0), "index 0");
  expectTrap(f.table.resourceRep(f.file, 42), "handle index 42");
}

TEST(ResourceTable, WrongResourceTypeTraps) {
  Fixture f;
  auto a = *f.table.resourceNew(f.file, 1);
  expectTrap(f.table.resourceRep(f.other, a), "resource type 1, not 2");
  expectTrap(f.table.resourceDrop(f.other, a), "resource type 1, not 2");
}

TEST(ResourceTable, DroppingOrMovingALentHandleTraps) {
  Fixture f;
  auto a = *f.table.resourceNew(f.file, 5);
  {
    BorrowScope call;
    EXPECT_EQ(*f.table.liftBorrow(a, f.file.id, call), 5u);
    expectTrap(f.table.resourceDrop(f.file, a), "lent to 1 call");
    expectTrap(f.table.liftOwn(a, f.file.id), "lent to 1 call");
    call.endCall();
    ASSERT_TRUE(f.table.liftOwn(a, f.file.id));  // free again once the call is over
  }
  EXPECT_TRUE(f.destroyed.empty());  // moving ownership out runs no destructor
}

TEST(ResourceTable, PassingOwnershipOfABorrowTraps) {
  Fixture f;
  ResourceTable callee{8};
  BorrowScope call;
  auto h = *callee.lowerBorrow(9, f.file.id, false, call);
  expectTrap(callee.liftOwn(h, f.file.id), "which is a borrow");
}

TEST(ResourceTable, ABorrowOutlivingItsCallTraps) {
  Fixture f;
  ResourceTable callee{8};
  BorrowScope call;
  auto h = *callee.lowerBorrow(9, f.file.id, false, call);
  EXPECT_EQ(call.borrows(), 1u);
  expectTrap(call.checkReturn(), "not dropped before the call returned");
  ASSERT_TRUE(callee.resourceDrop(f.file, h));  // dropping a borrow runs no destructor
  EXPECT_TRUE(f.destroyed.empty());
  EXPECT_TRUE(call.checkReturn());
}

TEST(ResourceTable, ABorrowIntoItsImplementerIsTheRep) {
  Fixture f;
  BorrowScope call;
  EXPECT_EQ(*f.table.lowerBorrow(1234, f.file.id, true, call), 1234u);
  EXPECT_EQ(call.borrows(), 0u);
  EXPECT_EQ(f.table.size(), 0u);
}

TEST(ResourceTable, DestructorErrorsAreReturned) {
  ResourceType failing{3, 1, [](std::uint32_t) -> Expected<void> { return makeError(ErrorCode::Invalid, "trap: in dtor"); }};
  ResourceTable table;
  auto h = *table.resourceNew(failing, 1);
  auto r = table.resourceDrop(failing, h);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "trap: in dtor");
}

TEST(InstanceFlags, ReentranceAndLeavingTrap) {
  InstanceFlags flags;
  ASSERT_TRUE(flags.enter());
  expectTrap(flags.enter(), "entered again");
  flags.leave();
  EXPECT_TRUE(flags.enter());
  flags.mayLeave = false;
  expectTrap(flags.checkMayLeave("resource.new"), "resource.new called while the instance may not leave");
}

TEST(ResourceTable, OwnAndBorrowThroughTheAbi) {
  // An own handle lowered into the guest's table and lifted back out; a
  // borrow lifted from it is lent until the call ends.
  test::TestMemory memory;
  ResourceTable table{1};
  BorrowScope call;
  AbiContext cx;
  cx.memory = &memory;
  cx.handles = &table;
  cx.call = &call;
  auto own = ownType(4);
  std::vector<CoreValue> flat;
  ASSERT_TRUE(lowerFlat(cx, Value::own(77), *own, flat));
  EXPECT_EQ(table.size(), 1u);
  std::uint32_t index = static_cast<std::uint32_t>(flat[0].bits);
  std::size_t p = 0;
  auto borrowed = liftFlat(cx, *borrowType(4), flat, p);
  ASSERT_TRUE(borrowed);
  EXPECT_EQ(*borrowed, Value::borrow(77));
  p = 0;
  expectTrap(liftFlat(cx, *own, flat, p), "lent");
  call.endCall();
  p = 0;
  EXPECT_EQ(*liftFlat(cx, *own, flat, p), Value::own(77));
  EXPECT_EQ(table.size(), 0u);
  p = 0;
  expectTrap(liftFlat(cx, *own, flat, p), fmt::format("handle index {}", index));
  p = 0;
  auto wrongType = lowerFlat(cx, Value::own(1), *own, flat);
  ASSERT_TRUE(wrongType);
  std::vector<CoreValue> second = {flat.back()};
  expectTrap(liftFlat(cx, *ownType(5), second, p), "resource type 4, not 5");
}

}  // namespace
}  // namespace wasmops::component
