#include "component/ValueType.h"
#include "component/TypeShape.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

namespace wasmops::component {
namespace {

using enum CoreType;
using Flat = std::vector<CoreType>;

ValueTypePtr prim(ValueKind k) { return primitiveType(k); }
template <typename T>
T ok(Expected<T> e) {
  EXPECT_TRUE(e) << e.error().message;
  return e ? std::move(*e) : T{};
}

TEST(ValueType, PrimitivesTakeTheirSizeAsAlignment) {
  // alignment/elem_size: integers and floats are their byte width; char is 4;
  // a string is two pointers (ptr, code units), aligned as a pointer.
  struct Row { ValueKind kind; std::uint32_t size, align; Flat flat; };
  Row rows[] = {{ValueKind::Bool, 1, 1, {I32}},  {ValueKind::S8, 1, 1, {I32}},     {ValueKind::U16, 2, 2, {I32}},
                {ValueKind::S32, 4, 4, {I32}},   {ValueKind::U64, 8, 8, {I64}},    {ValueKind::F32, 4, 4, {F32}},
                {ValueKind::F64, 8, 8, {F64}},   {ValueKind::Char, 4, 4, {I32}},   {ValueKind::String, 8, 4, {I32, I32}}};
  for (const auto& row : rows) {
    auto t = prim(row.kind);
    ASSERT_TRUE(t) << toString(row.kind);
    EXPECT_EQ(t->size, row.size) << toString(row.kind);
    EXPECT_EQ(t->alignment, row.align) << toString(row.kind);
    EXPECT_EQ(t->flat, row.flat) << toString(row.kind);
  }
  EXPECT_EQ(primitiveType(ValueKind::List), nullptr);
}

TEST(ValueType, RecordFieldsAreAlignedAndTheSizeRoundedUp) {
  // elem_size_record: each field at align_to(s, alignment(field)); the total
  // rounded to the largest field alignment. {u8 @0, u32 @4, u16 @8} = 10 -> 12.
  auto r = ok(recordType({{"a", prim(ValueKind::U8)}, {"b", prim(ValueKind::U32)}, {"c", prim(ValueKind::U16)}}));
  EXPECT_EQ(r->offsets, (std::vector<std::uint32_t>{0, 4, 8}));
  EXPECT_EQ(r->size, 12u);
  EXPECT_EQ(r->alignment, 4u);
  EXPECT_EQ(r->flat, (Flat{I32, I32, I32}));
  // {u64 @0, u8 @8} = 9 -> 16, flat is the fields' flats in order.
  auto r2 = ok(recordType({{"a", prim(ValueKind::U64)}, {"b", prim(ValueKind::U8)}}));
  EXPECT_EQ(r2->size, 16u);
  EXPECT_EQ(r2->alignment, 8u);
  EXPECT_EQ(r2->flat, (Flat{I64, I32}));
  // tuple<u8, string> despecialises to a record: string at 4, size 12.
  auto t = ok(tupleType({prim(ValueKind::U8), prim(ValueKind::String)}));
  EXPECT_EQ(t->offsets, (std::vector<std::uint32_t>{0, 4}));
  EXPECT_EQ(t->size, 12u);
  EXPECT_EQ(t->flat, (Flat{I32, I32, I32}));
}

TEST(ValueType, VariantLayoutAndJoinedFlatTypes) {
  // 4 cases: discriminant u8; payload at align_to(1, max case alignment 8) = 8;
  // size align_to(8 + 8, 8) = 16. flatten_variant: i32 discriminant, then
  // join(i32, f32) = i32, join(i32, i64) = i64.
  auto v = ok(variantType({{"a", prim(ValueKind::U8)}, {"b", prim(ValueKind::F32)}, {"c", prim(ValueKind::U64)}, {"d", nullptr}}));
  EXPECT_EQ(v->discriminantSize, 1u);
  EXPECT_EQ(v->payloadOffset, 8u);
  EXPECT_EQ(v->size, 16u);
  EXPECT_EQ(v->alignment, 8u);
  EXPECT_EQ(v->flat, (Flat{I32, I64}));
  // join(f32, f32) = f32; join(f32, f64) = i64 (different widths).
  EXPECT_EQ(ok(variantType({{"a", prim(ValueKind::F32)}, {"b", prim(ValueKind::F32)}}))->flat, (Flat{I32, F32}));
  EXPECT_EQ(ok(variantType({{"a", prim(ValueKind::F32)}, {"b", prim(ValueKind::F64)}}))->flat, (Flat{I32, I64}));
  // Payloads of different lengths: slot-wise join, the longer one's tail kept.
  auto pair = ok(tupleType({prim(ValueKind::U8), prim(ValueKind::U8)}));
  EXPECT_EQ(ok(variantType({{"a", pair}, {"b", prim(ValueKind::F32)}}))->flat, (Flat{I32, I32, I32}));
}

TEST(ValueType, DiscriminantWidthFollowsTheCaseCount) {
  // discriminant_type: ceil(log2(n)/8) bytes: 256 cases fit u8, 257 need u16.
  auto labels = [](std::size_t n) {
    std::vector<std::string> l;
    for (std::size_t i = 0; i < n; ++i) l.push_back(fmt::format("c{}", i));
    return l;
  };
  auto e3 = ok(enumType(labels(3)));
  EXPECT_EQ(e3->size, 1u);
  EXPECT_EQ(e3->flat, (Flat{I32}));
  EXPECT_EQ(ok(enumType(labels(256)))->size, 1u);
  auto e257 = ok(enumType(labels(257)));
  EXPECT_EQ(e257->size, 2u);
  EXPECT_EQ(e257->alignment, 2u);
  EXPECT_EQ(ok(enumType(labels(65537)))->size, 4u);
}

TEST(ValueType, OptionAndResultAreVariants) {
  // option<u32> = variant {none, some(u32)}: payload at 4, size 8.
  auto o = ok(optionType(prim(ValueKind::U32)));
  EXPECT_EQ(o->payloadOffset, 4u);
  EXPECT_EQ(o->size, 8u);
  EXPECT_EQ(o->flat, (Flat{I32, I32}));
  // option<u8>: payload at 1, size 2, alignment 1.
  auto o8 = ok(optionType(prim(ValueKind::U8)));
  EXPECT_EQ(o8->size, 2u);
  EXPECT_EQ(o8->alignment, 1u);
  // result<string, u8>: payload at 4, size 4 + 8 = 12; flat join of (i32, i32) and (i32).
  auto r = ok(resultType(prim(ValueKind::String), prim(ValueKind::U8)));
  EXPECT_EQ(r->size, 12u);
  EXPECT_EQ(r->flat, (Flat{I32, I32, I32}));
  // result without payloads is one byte.
  auto bare = ok(resultType(nullptr, nullptr));
  EXPECT_EQ(bare->size, 1u);
  EXPECT_EQ(bare->flat, (Flat{I32}));
}

TEST(ValueType, FlagsListsAndHandles) {
  auto labels = [](std::size_t n) {
    std::vector<std::string> l;
    for (std::size_t i = 0; i < n; ++i) l.push_back(fmt::format("f{}", i));
    return l;
  };
  // elem_size_flags: up to 8 flags in a byte, 16 in two, 32 in four; flat i32.
  EXPECT_EQ(ok(flagsType(labels(8)))->size, 1u);
  EXPECT_EQ(ok(flagsType(labels(9)))->size, 2u);
  EXPECT_EQ(ok(flagsType(labels(17)))->size, 4u);
  EXPECT_EQ(ok(flagsType(labels(32)))->flat, (Flat{I32}));
  EXPECT_FALSE(flagsType(labels(33)));
  EXPECT_FALSE(flagsType({}));
  // list: (ptr, length) whatever the element.
  auto l = ok(listType(prim(ValueKind::U64)));
  EXPECT_EQ(l->size, 8u);
  EXPECT_EQ(l->alignment, 4u);
  EXPECT_EQ(l->flat, (Flat{I32, I32}));
  // fixed-length list: length * element, the element's alignment and flat repeated.
  auto f = ok(fixedListType(prim(ValueKind::U16), 3));
  EXPECT_EQ(f->size, 6u);
  EXPECT_EQ(f->alignment, 2u);
  EXPECT_EQ(f->flat, (Flat{I32, I32, I32}));
  EXPECT_FALSE(fixedListType(prim(ValueKind::U8), 0));
  // own and borrow: an i32 handle.
  EXPECT_EQ(ownType(7)->size, 4u);
  EXPECT_EQ(borrowType(7)->flat, (Flat{I32}));
}

TEST(ValueType, FlatteningStopsBeyondSixteen) {
  std::vector<std::pair<std::string, ValueTypePtr>> fields;
  for (int i = 0; i < 16; ++i) fields.emplace_back(fmt::format("f{}", i), prim(ValueKind::U8));
  auto sixteen = ok(recordType(fields));
  EXPECT_EQ(sixteen->flat.size(), 16u);
  EXPECT_FALSE(sixteen->flatTooWide);
  fields.emplace_back("g", prim(ValueKind::U8));
  auto seventeen = ok(recordType(fields));
  EXPECT_TRUE(seventeen->flatTooWide);
  EXPECT_TRUE(seventeen->flat.empty());
  EXPECT_TRUE(ok(fixedListType(prim(ValueKind::U8), 17))->flatTooWide);
  // A huge fixed-length list is refused by size, not flattened element by element.
  auto big = ok(fixedListType(prim(ValueKind::U64), 1u << 16));
  auto e = fixedListType(big, 1u << 16);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, ErrorCode::LimitExceeded);
}

TEST(ValueType, FunctionSignaturesFollowFlattenFunctype) {
  std::vector<std::pair<std::string, ValueTypePtr>> params;
  for (int i = 0; i < 16; ++i) params.emplace_back(fmt::format("p{}", i), prim(ValueKind::U32));
  auto flat = ok(functionType(params, prim(ValueKind::U32)));
  EXPECT_FALSE(flat.paramsInMemory);
  EXPECT_EQ(flat.liftParams.size(), 16u);
  EXPECT_EQ(flat.liftResults, (Flat{I32}));
  EXPECT_EQ(flat.lowerResults, (Flat{I32}));
  // MAX_FLAT_PARAMS = 16: a 17th flat parameter sends them all through one pointer.
  params.emplace_back("p16", prim(ValueKind::U32));
  // MAX_FLAT_RESULTS = 1: a string result (2 flat) goes through a pointer:
  // returned by a lifted export, passed as a trailing argument to a lowered import.
  auto spilled = ok(functionType(params, prim(ValueKind::String)));
  EXPECT_TRUE(spilled.paramsInMemory);
  EXPECT_TRUE(spilled.resultInMemory);
  EXPECT_EQ(spilled.liftParams, (Flat{I32}));
  EXPECT_EQ(spilled.liftResults, (Flat{I32}));
  EXPECT_EQ(spilled.lowerParams, (Flat{I32, I32}));
  EXPECT_TRUE(spilled.lowerResults.empty());
  EXPECT_EQ(spilled.paramTuple->size, 17u * 4);
  auto none = ok(functionType({}, nullptr));
  EXPECT_TRUE(none.liftParams.empty() && none.liftResults.empty());
  EXPECT_FALSE(functionType({{"a", prim(ValueKind::U8)}, {"a", prim(ValueKind::U8)}}, nullptr));
}

TEST(ValueType, BuildersRefuseMalformedTypes) {
  EXPECT_FALSE(recordType({}));
  EXPECT_FALSE(tupleType({}));
  EXPECT_FALSE(variantType({}));
  EXPECT_FALSE(enumType({"a", "a"}));
  EXPECT_FALSE(recordType({{"x", nullptr}}));
  ValueTypePtr t = prim(ValueKind::U8);
  for (std::uint32_t i = 1; i < kMaxTypeDepth; ++i) t = ok(listType(t));
  EXPECT_EQ(t->depth, kMaxTypeDepth);
  auto deeper = listType(t);
  ASSERT_FALSE(deeper);
  EXPECT_EQ(deeper.error().code, ErrorCode::LimitExceeded);
}

// ---- resolving decoded types ----------------------------------------------

binary::ComponentTypeDef defined(binary::DefinedValType d) {
  binary::ComponentTypeDef t;
  t.kind = binary::ComponentTypeKind::Defined;
  t.defined = std::move(d);
  return t;
}
binary::ComponentValType ref(std::uint32_t index) { return {false, binary::PrimValType::Bool, index}; }
binary::ComponentValType primRef(binary::PrimValType p) { return {true, p, 0}; }

TEST(ValueTypeResolver, ResolvesIndicesOnce) {
  std::vector<binary::ComponentTypeDef> types;
  binary::DefinedValType point;
  point.kind = binary::DefinedKind::Record;
  point.fields = {{"x", primRef(binary::PrimValType::S32)}, {"y", primRef(binary::PrimValType::S32)}};
  types.push_back(defined(point));
  binary::DefinedValType list;
  list.kind = binary::DefinedKind::List;
  list.element = ref(0);
  types.push_back(defined(list));
  binary::DefinedValType own;
  own.kind = binary::DefinedKind::Own;
  own.resource = 9;
  types.push_back(defined(own));
  binary::ComponentTypeDef fn;
  fn.kind = binary::ComponentTypeKind::Func;
  fn.func.params = {{"points", ref(1)}, {"h", ref(2)}};
  fn.func.result = primRef(binary::PrimValType::U32);
  types.push_back(fn);

  auto space = typeSpaceOf(types);
  space.resource = [](std::uint32_t index) -> Expected<std::uint32_t> { return index + 100; };
  ValueTypeResolver resolver(space);
  auto l = ok(resolver.resolveIndex(1));
  EXPECT_EQ(l->kind, ValueKind::List);
  EXPECT_EQ(l->members[0]->kind, ValueKind::Record);
  EXPECT_EQ(l->members[0]->labels, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(ok(resolver.resolveIndex(0)), l->members[0]);  // the same node, resolved once
  auto f = ok(resolver.resolveFunctionIndex(3));
  EXPECT_EQ(f.paramNames, (std::vector<std::string>{"points", "h"}));
  EXPECT_EQ(f.params[1]->resource, 109u);
  EXPECT_EQ(f.lowerParams, (Flat{I32, I32, I32}));
}

TEST(ValueTypeResolver, RefusesCyclesDepthAndUnsupportedKinds) {
  std::vector<binary::ComponentTypeDef> types;
  binary::DefinedValType self;
  self.kind = binary::DefinedKind::List;
  self.element = ref(0);
  types.push_back(defined(self));
  binary::DefinedValType stream;
  stream.kind = binary::DefinedKind::Stream;
  types.push_back(defined(stream));
  binary::ComponentTypeDef resource;
  resource.kind = binary::ComponentTypeKind::Resource;
  resource.offset = 77;
  types.push_back(resource);
  ValueTypeResolver resolver(typeSpaceOf(types));
  auto cycle = resolver.resolveIndex(0);
  ASSERT_FALSE(cycle);
  EXPECT_NE(cycle.error().message.find("refers to itself"), std::string::npos);
  auto s = resolver.resolveIndex(1);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::Unsupported);
  auto r = resolver.resolveIndex(2);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("not a value type"), std::string::npos);
  EXPECT_FALSE(resolver.resolveIndex(50));
  EXPECT_FALSE(resolver.resolve(primRef(binary::PrimValType::ErrorContext)));

  // A chain of 500 lists, each of the next: refused by depth, not by stack overflow.
  std::vector<binary::ComponentTypeDef> chain;
  for (std::uint32_t i = 0; i < 500; ++i) {
    binary::DefinedValType d;
    d.kind = binary::DefinedKind::List;
    d.element = i + 1 < 500 ? ref(i + 1) : primRef(binary::PrimValType::U8);
    chain.push_back(defined(d));
  }
  ValueTypeResolver deep(typeSpaceOf(chain));
  auto e = deep.resolveIndex(0);
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code, ErrorCode::LimitExceeded);
}

TEST(ValueTypeResolver, MapIsAListOfPairs) {
  std::vector<binary::ComponentTypeDef> types;
  binary::DefinedValType map;
  map.kind = binary::DefinedKind::Map;
  map.element = primRef(binary::PrimValType::String);
  map.second = primRef(binary::PrimValType::U8);
  types.push_back(defined(map));
  ValueTypeResolver resolver(typeSpaceOf(types));
  auto t = ok(resolver.resolveIndex(0));
  EXPECT_EQ(t->kind, ValueKind::List);
  EXPECT_EQ(t->members[0]->kind, ValueKind::Tuple);
  EXPECT_EQ(t->members[0]->size, 12u);
}

}  // namespace
}  // namespace wasmops::component

namespace wasmops::component {
namespace {

TEST(TypeShape, NamesEveryKindWithoutLabels) {
  auto u8 = primitiveType(ValueKind::U8);
  auto u64 = primitiveType(ValueKind::U64);
  EXPECT_EQ(shapeOf(*u8), "u8");
  EXPECT_EQ(shapeOf(**listType(u8)), "list<u8>");
  EXPECT_EQ(shapeOf(**optionType(u64)), "option<u64>");
  EXPECT_EQ(shapeOf(**resultType(nullptr, u8)), "result<_,u8>");
  EXPECT_EQ(shapeOf(**resultType(nullptr, nullptr)), "result<_,_>");
  EXPECT_EQ(shapeOf(**recordType({{"seconds", u64}, {"nanoseconds", primitiveType(ValueKind::U32)}})), "record<u64,u32>");
  EXPECT_EQ(shapeOf(**variantType({{"no-change", nullptr}, {"now", nullptr}, {"at", u64}})), "variant<_,_,u64>");
  EXPECT_EQ(shapeOf(**enumType({"a", "b", "c"})), "enum<3>");
  EXPECT_EQ(shapeOf(**flagsType({"read", "write"})), "flags<2>");
  EXPECT_EQ(shapeOf(**tupleType({u8, *listType(u8)})), "tuple<u8,list<u8>>");
  EXPECT_EQ(shapeOf(*ownType(3)), "own");
  EXPECT_EQ(shapeOf(*borrowType(3)), "borrow");
}

}  // namespace
}  // namespace wasmops::component
