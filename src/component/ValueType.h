#pragma once
// Resolved component value types: a tree without indices, each node carrying
// what the canonical ABI needs (size, alignment, flat core types, field and
// payload offsets), computed once when the type is built, so that lifting
// and lowering never analyse a type per call. Layout rules are those of the
// spec's design/mvp/CanonicalABI.md (32-bit memories).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/Error.h"
#include "binary/Component.h"

namespace wasmops::component {

enum class ValueKind : std::uint8_t {
  Bool, S8, U8, S16, U16, S32, U32, S64, U64, F32, F64, Char, String,
  List, FixedList, Record, Tuple, Variant, Enum, Option, Result, Flags, Own, Borrow,
};
const char* toString(ValueKind kind);  // WIT spelling: "u32", "list", "own"

enum class CoreType : std::uint8_t { I32, I64, F32, F64 };
const char* toString(CoreType type);  // "i32", ...

// The spec's limits on flattening (CanonicalABI.md "Flattening").
inline constexpr std::size_t kMaxFlatParams = 16;
inline constexpr std::size_t kMaxFlatResults = 1;
// Deeper types are refused: lifting and lowering recurse once per level.
inline constexpr std::uint32_t kMaxTypeDepth = 100;
// Larger types are refused (a fixed-length list of 2^32 records would overflow the layout).
inline constexpr std::uint64_t kMaxTypeSize = std::uint64_t{1} << 31;

struct ValueType;
using ValueTypePtr = std::shared_ptr<const ValueType>;

struct ValueType {
  ValueKind kind = ValueKind::Bool;
  // Record: field names; Variant, Enum: case names; Flags: flag names;
  // Option: "none", "some"; Result: "ok", "error" (the spec's despecialisation).
  std::vector<std::string> labels;
  // Record, Tuple: field types; Variant, Option, Result, Enum: one payload
  // per case, nullptr for none; List, FixedList: the element.
  std::vector<ValueTypePtr> members;
  std::uint32_t length = 0;    // FixedList
  std::uint32_t resource = 0;  // Own, Borrow: the resource type's id

  // Precomputed layout.
  std::uint32_t size = 0;
  std::uint32_t alignment = 1;
  std::vector<std::uint32_t> offsets;  // Record, Tuple: of each field
  std::uint32_t discriminantSize = 0;  // variant-like kinds: 1, 2 or 4
  std::uint32_t payloadOffset = 0;     // variant-like kinds: where every case's payload starts
  // The flattened core types, or empty with flatTooWide when there are more
  // than kMaxFlatParams of them (such a type always travels through memory).
  std::vector<CoreType> flat;
  bool flatTooWide = false;
  std::uint32_t depth = 1;

  bool isVariantLike() const {
    return kind == ValueKind::Variant || kind == ValueKind::Enum || kind == ValueKind::Option ||
           kind == ValueKind::Result;
  }
};

// Builders: each checks its arguments (non-empty records and variants, at most
// 32 flags, unique labels, depth and size limits) and computes the layout.
ValueTypePtr primitiveType(ValueKind kind);  // Bool ... String; nullptr for other kinds
Expected<ValueTypePtr> listType(ValueTypePtr element);
Expected<ValueTypePtr> fixedListType(ValueTypePtr element, std::uint32_t length);
Expected<ValueTypePtr> recordType(std::vector<std::pair<std::string, ValueTypePtr>> fields);
Expected<ValueTypePtr> tupleType(std::vector<ValueTypePtr> elements);
Expected<ValueTypePtr> variantType(std::vector<std::pair<std::string, ValueTypePtr>> cases);
Expected<ValueTypePtr> enumType(std::vector<std::string> labels);
Expected<ValueTypePtr> optionType(ValueTypePtr payload);
Expected<ValueTypePtr> resultType(ValueTypePtr ok, ValueTypePtr error);  // either may be nullptr
Expected<ValueTypePtr> flagsType(std::vector<std::string> labels);
ValueTypePtr ownType(std::uint32_t resource);
ValueTypePtr borrowType(std::uint32_t resource);

// A function type with everything `canon lift` and `canon lower` need.
struct FunctionType {
  std::vector<std::string> paramNames;
  std::vector<ValueTypePtr> params;
  ValueTypePtr result;  // nullptr: no result

  ValueTypePtr paramTuple;               // the params as one tuple (their layout in memory when spilled)
  std::vector<CoreType> flatParams;      // flattened, when !paramsInMemory
  bool paramsInMemory = false;           // more than kMaxFlatParams: one pointer to paramTuple
  bool resultInMemory = false;           // more than kMaxFlatResults: through a pointer
  bool borrowsInParams = false;

  // The core function signatures (CanonicalABI.md flatten_functype, sync).
  // A lifted export takes liftParams and returns liftResults; a lowered
  // import takes lowerParams (a trailing return pointer when the result is
  // in memory) and returns lowerResults.
  std::vector<CoreType> liftParams, liftResults, lowerParams, lowerResults;
};
Expected<FunctionType> functionType(std::vector<std::pair<std::string, ValueTypePtr>> params, ValueTypePtr result);

// How a decoded component's type indices are looked up: the type at an index
// of the component's type index space (after imports and aliases, which only
// the caller knows), and the runtime id of the resource type at an index.
struct TypeSpace {
  std::function<Expected<const binary::ComponentTypeDef*>(std::uint32_t index)> type;
  std::function<Expected<std::uint32_t>(std::uint32_t index)> resource;  // unset: the index itself
};
// A type space that is exactly a type section (no imported or aliased types).
TypeSpace typeSpaceOf(const std::vector<binary::ComponentTypeDef>& types);

// Resolves decoded value and function types, once per index; refuses cycles,
// too deep or too large types and the kinds the canonical ABI here does not
// carry (stream, future, error-context), naming the type index.
class ValueTypeResolver {
 public:
  explicit ValueTypeResolver(TypeSpace space) : space_(std::move(space)) {}
  Expected<ValueTypePtr> resolve(const binary::ComponentValType& type);
  Expected<ValueTypePtr> resolveIndex(std::uint32_t index);
  Expected<FunctionType> resolveFunction(const binary::ComponentFuncType& type);
  Expected<FunctionType> resolveFunctionIndex(std::uint32_t index);

 private:
  Expected<ValueTypePtr> resolveDefined(const binary::DefinedValType& type, std::uint32_t index);
  TypeSpace space_;
  std::unordered_map<std::uint32_t, ValueTypePtr> resolved_;
  std::unordered_set<std::uint32_t> inProgress_;  // met again: a cycle
};

}  // namespace wasmops::component
