#include "component/ComponentTypeScope.h"

#include <gtest/gtest.h>

namespace wasmops::component {
namespace {

using binary::ComponentTypeDef;
using binary::DefinedKind;

binary::ComponentValType ref(std::uint32_t index) { return {false, binary::PrimValType::Bool, index}; }
binary::ComponentValType u32() { return {true, binary::PrimValType::U32, 0}; }

ComponentTypeDef defined(DefinedKind kind, std::optional<binary::ComponentValType> element) {
  ComponentTypeDef t;
  t.defined.kind = kind;
  t.defined.element = element;
  return t;
}

TEST(TypeScope, AnAliasedIndexResolvesInItsHomeScope) {
  std::uint32_t ids = 1;
  // Outer: 0 = u32, 1 = list<0>. Inner: 0 = option<u32>, 1 = outer 1, 2 = option<1>.
  ComponentTypeDef outer0 = defined(DefinedKind::Primitive, std::nullopt);
  outer0.defined.primitive = binary::PrimValType::U32;
  ComponentTypeDef outer1 = defined(DefinedKind::List, ref(0));
  ComponentTypeDef inner0 = defined(DefinedKind::Option, u32());
  ComponentTypeDef inner2 = defined(DefinedKind::Option, ref(1));
  TypeScope outer(nullptr, &ids);
  outer.addDefinition(&outer0);
  outer.addDefinition(&outer1);
  TypeScope inner(&outer, &ids);
  inner.addDefinition(&inner0);
  inner.addAlias(&outer, 1);
  inner.addDefinition(&inner2);
  auto t = inner.valueAt(2);
  ASSERT_TRUE(t) << t.error().message;
  // option<list<u32>>: the list's element is outer 0 (u32), not inner 0 (option<u32>).
  ASSERT_EQ((*t)->kind, ValueKind::Option);
  const auto& list = (*t)->members.at(1);
  ASSERT_EQ(list->kind, ValueKind::List);
  EXPECT_EQ(list->members.at(0)->kind, ValueKind::U32);
}

TEST(TypeScope, AForwardReferenceIsRefused) {
  std::uint32_t ids = 1;
  ComponentTypeDef list = defined(DefinedKind::List, ref(1));
  ComponentTypeDef self = defined(DefinedKind::List, ref(1));
  TypeScope scope(nullptr, &ids);
  scope.addDefinition(&list);
  scope.addDefinition(&self);
  auto t = scope.valueAt(0);
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().message.find("not defined before it"), std::string::npos) << t.error().message;
  EXPECT_FALSE(scope.valueAt(1));
  EXPECT_FALSE(scope.valueAt(2));
}

TEST(TypeScope, ResourcesGetDistinctIdsAndAliasesShareThem) {
  std::uint32_t ids = 1;
  ComponentTypeDef resource;
  resource.kind = binary::ComponentTypeKind::Resource;
  TypeScope scope(nullptr, &ids);
  scope.addDefinition(&resource);
  scope.addDefinition(&resource);
  scope.addAlias(&scope, 1);
  auto a = scope.resourceAt(0), b = scope.resourceAt(1), c = scope.resourceAt(2);
  ASSERT_TRUE(a && b && c);
  EXPECT_NE(*a, *b);
  EXPECT_EQ(*b, *c);
}

}  // namespace
}  // namespace wasmops::component
