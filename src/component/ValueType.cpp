#include "component/ValueType.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

namespace wasmops::component {

const char* toString(ValueKind kind) {
  switch (kind) {
    case ValueKind::Bool: return "bool";
    case ValueKind::S8: return "s8";
    case ValueKind::U8: return "u8";
    case ValueKind::S16: return "s16";
    case ValueKind::U16: return "u16";
    case ValueKind::S32: return "s32";
    case ValueKind::U32: return "u32";
    case ValueKind::S64: return "s64";
    case ValueKind::U64: return "u64";
    case ValueKind::F32: return "f32";
    case ValueKind::F64: return "f64";
    case ValueKind::Char: return "char";
    case ValueKind::String: return "string";
    case ValueKind::List: return "list";
    case ValueKind::FixedList: return "fixed-length list";
    case ValueKind::Record: return "record";
    case ValueKind::Tuple: return "tuple";
    case ValueKind::Variant: return "variant";
    case ValueKind::Enum: return "enum";
    case ValueKind::Option: return "option";
    case ValueKind::Result: return "result";
    case ValueKind::Flags: return "flags";
    case ValueKind::Own: return "own";
    case ValueKind::Borrow: return "borrow";
  }
  return "?";
}

const char* toString(CoreType type) {
  switch (type) {
    case CoreType::I32: return "i32";
    case CoreType::I64: return "i64";
    case CoreType::F32: return "f32";
    case CoreType::F64: return "f64";
  }
  return "?";
}

namespace {

std::uint64_t alignTo(std::uint64_t value, std::uint64_t alignment) {
  return (value + alignment - 1) / alignment * alignment;
}

// CanonicalABI.md `join`: the core type both of two case payload slots fit in.
CoreType join(CoreType a, CoreType b) {
  if (a == b) return a;
  if ((a == CoreType::I32 && b == CoreType::F32) || (a == CoreType::F32 && b == CoreType::I32)) return CoreType::I32;
  return CoreType::I64;
}

void appendFlat(ValueType& into, const ValueType& from) {
  if (into.flatTooWide) return;
  if (from.flatTooWide || into.flat.size() + from.flat.size() > kMaxFlatParams) {
    into.flat.clear();
    into.flatTooWide = true;
    return;
  }
  into.flat.insert(into.flat.end(), from.flat.begin(), from.flat.end());
}

Expected<void> checkLabels(const std::vector<std::string>& labels, const char* what) {
  std::set<std::string_view> seen;
  for (const auto& label : labels) {
    if (label.empty()) return makeError(ErrorCode::Invalid, fmt::format("{} has an empty label", what));
    if (!seen.insert(label).second)
      return makeError(ErrorCode::Invalid, fmt::format("{} has the label '{}' twice", what, label));
  }
  return {};
}

// Depth, size and alignment checks shared by every composite; `size` is
// computed in 64 bits so that an overflowing layout is refused, not wrapped.
Expected<ValueTypePtr> finish(ValueType type, std::uint64_t size) {
  std::uint32_t depth = 0;
  for (const auto& member : type.members)
    if (member) depth = std::max(depth, member->depth);
  type.depth = depth + 1;
  if (type.depth > kMaxTypeDepth)
    return makeError(ErrorCode::LimitExceeded,
                     fmt::format("{} type nests deeper than {} levels", toString(type.kind), kMaxTypeDepth));
  if (size > kMaxTypeSize)
    return makeError(ErrorCode::LimitExceeded,
                     fmt::format("{} type is {} bytes, more than the limit of {}", toString(type.kind), size, kMaxTypeSize));
  type.size = static_cast<std::uint32_t>(size);
  return std::make_shared<const ValueType>(std::move(type));
}

Expected<void> checkMembers(const std::vector<ValueTypePtr>& members, bool payloads, const char* what) {
  for (const auto& member : members)
    if (!member && !payloads) return makeError(ErrorCode::Invalid, fmt::format("{} has a missing type", what));
  return {};
}

Expected<ValueTypePtr> recordLike(ValueKind kind, std::vector<std::string> labels, std::vector<ValueTypePtr> members) {
  const char* what = toString(kind);
  if (members.empty()) return makeError(ErrorCode::Invalid, fmt::format("{} type has no fields", what));
  WASMOPS_TRY_VOID(checkMembers(members, false, what));
  if (kind == ValueKind::Record) WASMOPS_TRY_VOID(checkLabels(labels, what));
  ValueType type;
  type.kind = kind;
  type.labels = std::move(labels);
  type.members = std::move(members);
  std::uint64_t size = 0;
  for (const auto& field : type.members) {
    size = alignTo(size, field->alignment);
    type.offsets.push_back(static_cast<std::uint32_t>(std::min<std::uint64_t>(size, UINT32_MAX)));
    size += field->size;
    type.alignment = std::max(type.alignment, field->alignment);
    appendFlat(type, *field);
  }
  return finish(std::move(type), alignTo(size, type.alignment));
}

// Variant, enum, option and result share one layout (the spec despecialises
// them all to variants).
Expected<ValueTypePtr> variantLike(ValueKind kind, std::vector<std::string> labels, std::vector<ValueTypePtr> payloads) {
  const char* what = toString(kind);
  if (labels.empty()) return makeError(ErrorCode::Invalid, fmt::format("{} type has no cases", what));
  WASMOPS_TRY_VOID(checkLabels(labels, what));
  ValueType type;
  type.kind = kind;
  std::size_t n = labels.size();
  type.labels = std::move(labels);
  type.members = std::move(payloads);
  // discriminant_type: the smallest unsigned integer that counts the cases.
  type.discriminantSize = n <= 0x100 ? 1 : n <= 0x10000 ? 2 : 4;
  std::uint32_t caseAlignment = 1;
  std::uint64_t caseSize = 0;
  std::vector<CoreType> joined;
  bool tooWide = false;
  for (const auto& payload : type.members) {
    if (!payload) continue;
    caseAlignment = std::max(caseAlignment, payload->alignment);
    caseSize = std::max<std::uint64_t>(caseSize, payload->size);
    if (payload->flatTooWide) tooWide = true;
    for (std::size_t i = 0; !tooWide && i < payload->flat.size(); ++i) {
      if (i < joined.size()) joined[i] = join(joined[i], payload->flat[i]);
      else joined.push_back(payload->flat[i]);
    }
  }
  type.alignment = std::max(type.discriminantSize, caseAlignment);
  type.payloadOffset = static_cast<std::uint32_t>(alignTo(type.discriminantSize, caseAlignment));
  if (tooWide || joined.size() + 1 > kMaxFlatParams) {
    type.flatTooWide = true;
  } else {
    type.flat.push_back(CoreType::I32);
    type.flat.insert(type.flat.end(), joined.begin(), joined.end());
  }
  return finish(std::move(type), alignTo(type.payloadOffset + caseSize, type.alignment));
}

ValueTypePtr scalar(ValueKind kind, std::uint32_t size, std::vector<CoreType> flat) {
  auto type = std::make_shared<ValueType>();
  type->kind = kind;
  type->size = size;
  type->alignment = kind == ValueKind::String ? 4 : size;
  type->flat = std::move(flat);
  return type;
}

}  // namespace

ValueTypePtr primitiveType(ValueKind kind) {
  using enum CoreType;
  // CanonicalABI.md `alignment`/`elem_size`/`flatten_type`: integers and floats
  // are their own size and alignment; char is 4; a string is (ptr, length).
  static const ValueTypePtr types[] = {
      scalar(ValueKind::Bool, 1, {I32}), scalar(ValueKind::S8, 1, {I32}),  scalar(ValueKind::U8, 1, {I32}),
      scalar(ValueKind::S16, 2, {I32}),  scalar(ValueKind::U16, 2, {I32}), scalar(ValueKind::S32, 4, {I32}),
      scalar(ValueKind::U32, 4, {I32}),  scalar(ValueKind::S64, 8, {I64}), scalar(ValueKind::U64, 8, {I64}),
      scalar(ValueKind::F32, 4, {F32}),  scalar(ValueKind::F64, 8, {F64}), scalar(ValueKind::Char, 4, {I32}),
      scalar(ValueKind::String, 8, {I32, I32}),
  };
  auto index = static_cast<std::size_t>(kind);
  return index < std::size(types) ? types[index] : nullptr;
}

Expected<ValueTypePtr> listType(ValueTypePtr element) {
  if (!element) return makeError(ErrorCode::Invalid, "list type has no element type");
  ValueType type;
  type.kind = ValueKind::List;
  type.members = {std::move(element)};
  type.alignment = 4;
  type.flat = {CoreType::I32, CoreType::I32};
  return finish(std::move(type), 8);
}

Expected<ValueTypePtr> fixedListType(ValueTypePtr element, std::uint32_t length) {
  if (!element) return makeError(ErrorCode::Invalid, "fixed-length list type has no element type");
  if (length == 0) return makeError(ErrorCode::Invalid, "fixed-length list type has length 0");
  ValueType type;
  type.kind = ValueKind::FixedList;
  type.length = length;
  type.alignment = element->alignment;
  if (element->flatTooWide || std::uint64_t{length} * element->flat.size() > kMaxFlatParams) {
    type.flatTooWide = true;
  } else {
    for (std::uint32_t i = 0; i < length; ++i) type.flat.insert(type.flat.end(), element->flat.begin(), element->flat.end());
  }
  std::uint64_t size = std::uint64_t{length} * element->size;
  type.members = {std::move(element)};
  return finish(std::move(type), size);
}

Expected<ValueTypePtr> recordType(std::vector<std::pair<std::string, ValueTypePtr>> fields) {
  std::vector<std::string> labels;
  std::vector<ValueTypePtr> members;
  for (auto& [label, type] : fields) {
    labels.push_back(std::move(label));
    members.push_back(std::move(type));
  }
  return recordLike(ValueKind::Record, std::move(labels), std::move(members));
}

Expected<ValueTypePtr> tupleType(std::vector<ValueTypePtr> elements) {
  return recordLike(ValueKind::Tuple, {}, std::move(elements));
}

Expected<ValueTypePtr> variantType(std::vector<std::pair<std::string, ValueTypePtr>> cases) {
  std::vector<std::string> labels;
  std::vector<ValueTypePtr> payloads;
  for (auto& [label, type] : cases) {
    labels.push_back(std::move(label));
    payloads.push_back(std::move(type));
  }
  return variantLike(ValueKind::Variant, std::move(labels), std::move(payloads));
}

Expected<ValueTypePtr> enumType(std::vector<std::string> labels) {
  std::vector<ValueTypePtr> payloads(labels.size());
  return variantLike(ValueKind::Enum, std::move(labels), std::move(payloads));
}

Expected<ValueTypePtr> optionType(ValueTypePtr payload) {
  if (!payload) return makeError(ErrorCode::Invalid, "option type has no payload type");
  return variantLike(ValueKind::Option, {"none", "some"}, {nullptr, std::move(payload)});
}

Expected<ValueTypePtr> resultType(ValueTypePtr ok, ValueTypePtr error) {
  return variantLike(ValueKind::Result, {"ok", "error"}, {std::move(ok), std::move(error)});
}

Expected<ValueTypePtr> flagsType(std::vector<std::string> labels) {
  if (labels.empty()) return makeError(ErrorCode::Invalid, "flags type has no flags");
  if (labels.size() > 32)
    return makeError(ErrorCode::Invalid, fmt::format("flags type has {} flags, more than 32", labels.size()));
  WASMOPS_TRY_VOID(checkLabels(labels, "flags"));
  ValueType type;
  type.kind = ValueKind::Flags;
  std::size_t n = labels.size();
  type.labels = std::move(labels);
  type.alignment = n <= 8 ? 1 : n <= 16 ? 2 : 4;
  type.flat = {CoreType::I32};
  return finish(std::move(type), type.alignment);
}

namespace {
ValueTypePtr handleType(ValueKind kind, std::uint32_t resource) {
  auto type = std::make_shared<ValueType>();
  type->kind = kind;
  type->resource = resource;
  type->size = 4;
  type->alignment = 4;
  type->flat = {CoreType::I32};
  return type;
}
}  // namespace

ValueTypePtr ownType(std::uint32_t resource) { return handleType(ValueKind::Own, resource); }
ValueTypePtr borrowType(std::uint32_t resource) { return handleType(ValueKind::Borrow, resource); }

Expected<FunctionType> functionType(std::vector<std::pair<std::string, ValueTypePtr>> params, ValueTypePtr result) {
  FunctionType fn;
  ValueType flatParams;  // only its flat list is used
  for (auto& [name, type] : params) {
    if (!type) return makeError(ErrorCode::Invalid, fmt::format("parameter '{}' has no type", name));
    for (const auto& other : fn.paramNames)
      if (other == name) return makeError(ErrorCode::Invalid, fmt::format("parameter '{}' is named twice", name));
    appendFlat(flatParams, *type);
    if (type->kind == ValueKind::Borrow) fn.borrowsInParams = true;
    fn.paramNames.push_back(std::move(name));
    fn.params.push_back(std::move(type));
  }
  if (!fn.params.empty()) WASMOPS_TRY_ASSIGN(fn.paramTuple, tupleType(fn.params));
  fn.result = std::move(result);
  fn.paramsInMemory = flatParams.flatTooWide;
  if (!fn.paramsInMemory) fn.flatParams = flatParams.flat;
  fn.resultInMemory = fn.result && (fn.result->flatTooWide || fn.result->flat.size() > kMaxFlatResults);

  // flatten_functype (synchronous): spilled params become one pointer; a
  // spilled result is returned through a pointer by a lifted function and
  // written through a caller-supplied pointer by a lowered one.
  std::vector<CoreType> params0 = fn.paramsInMemory ? std::vector<CoreType>{CoreType::I32} : fn.flatParams;
  std::vector<CoreType> results0;
  if (fn.result && !fn.resultInMemory) results0 = fn.result->flat;
  fn.liftParams = params0;
  fn.liftResults = fn.resultInMemory ? std::vector<CoreType>{CoreType::I32} : results0;
  fn.lowerParams = params0;
  if (fn.resultInMemory) fn.lowerParams.push_back(CoreType::I32);
  fn.lowerResults = results0;
  return fn;
}

TypeSpace typeSpaceOf(const std::vector<binary::ComponentTypeDef>& types) {
  TypeSpace space;
  space.type = [&types](std::uint32_t index) -> Expected<const binary::ComponentTypeDef*> {
    if (index >= types.size())
      return makeError(ErrorCode::Invalid, fmt::format("type index {} is out of range ({} types)", index, types.size()));
    return &types[index];
  };
  return space;
}

namespace {
ValueKind primitiveKind(binary::PrimValType type, bool& ok) {
  using binary::PrimValType;
  ok = true;
  switch (type) {
    case PrimValType::Bool: return ValueKind::Bool;
    case PrimValType::S8: return ValueKind::S8;
    case PrimValType::U8: return ValueKind::U8;
    case PrimValType::S16: return ValueKind::S16;
    case PrimValType::U16: return ValueKind::U16;
    case PrimValType::S32: return ValueKind::S32;
    case PrimValType::U32: return ValueKind::U32;
    case PrimValType::S64: return ValueKind::S64;
    case PrimValType::U64: return ValueKind::U64;
    case PrimValType::F32: return ValueKind::F32;
    case PrimValType::F64: return ValueKind::F64;
    case PrimValType::Char: return ValueKind::Char;
    case PrimValType::String: return ValueKind::String;
    case PrimValType::ErrorContext: break;
  }
  ok = false;
  return ValueKind::Bool;
}

Expected<ValueTypePtr> primitive(binary::PrimValType type) {
  bool ok = false;
  ValueKind kind = primitiveKind(type, ok);
  if (!ok)
    return makeError(ErrorCode::Unsupported, fmt::format("the canonical ABI here does not carry {}", binary::toString(type)));
  return primitiveType(kind);
}
}  // namespace

Expected<ValueTypePtr> ValueTypeResolver::resolve(const binary::ComponentValType& type) {
  if (type.isPrimitive) return primitive(type.primitive);
  return resolveIndex(type.index);
}

Expected<ValueTypePtr> ValueTypeResolver::resolveIndex(std::uint32_t index) {
  if (auto it = resolved_.find(index); it != resolved_.end()) return it->second;
  if (inProgress_.count(index))
    return makeError(ErrorCode::Invalid, fmt::format("type index {} refers to itself", index));
  // Each unresolved index on the stack is one level of the type being built.
  if (inProgress_.size() >= kMaxTypeDepth)
    return makeError(ErrorCode::LimitExceeded,
                     fmt::format("type index {} nests deeper than {} levels", index, kMaxTypeDepth));
  if (!space_.type) return makeError(ErrorCode::Internal, "type space has no type lookup");
  WASMOPS_TRY(const binary::ComponentTypeDef* def, space_.type(index));
  if (!def) return makeError(ErrorCode::Invalid, fmt::format("type index {} is not defined", index));
  if (def->kind != binary::ComponentTypeKind::Defined)
    return makeError(ErrorCode::Invalid, fmt::format("type index {} is a {} type, not a value type", index,
                                                     binary::toString(def->kind)));
  inProgress_.insert(index);
  auto type = resolveDefined(def->defined, index);
  inProgress_.erase(index);
  if (!type) {
    Error error = std::move(type).error();
    if (!error.offset) error.offset = def->offset;
    return tl::unexpected(std::move(error));
  }
  resolved_[index] = *type;
  return *type;
}

Expected<ValueTypePtr> ValueTypeResolver::resolveDefined(const binary::DefinedValType& def, std::uint32_t index) {
  using binary::DefinedKind;
  auto resourceId = [&](std::uint32_t resourceIndex) -> Expected<std::uint32_t> {
    if (!space_.resource) return resourceIndex;
    return space_.resource(resourceIndex);
  };
  auto optionalType = [&](const std::optional<binary::ComponentValType>& t) -> Expected<ValueTypePtr> {
    if (!t) return ValueTypePtr{};
    return resolve(*t);
  };
  switch (def.kind) {
    case DefinedKind::Primitive: return primitive(def.primitive);
    case DefinedKind::Record: {
      std::vector<std::pair<std::string, ValueTypePtr>> fields;
      for (const auto& field : def.fields) {
        WASMOPS_TRY(auto type, resolve(field.type));
        fields.emplace_back(field.label, std::move(type));
      }
      return recordType(std::move(fields));
    }
    case DefinedKind::Variant: {
      std::vector<std::pair<std::string, ValueTypePtr>> cases;
      for (const auto& c : def.cases) {
        WASMOPS_TRY(auto type, optionalType(c.type));
        cases.emplace_back(c.label, std::move(type));
      }
      return variantType(std::move(cases));
    }
    case DefinedKind::List:
    case DefinedKind::FixedList: {
      if (!def.element) return makeError(ErrorCode::Invalid, fmt::format("type index {}: list without element", index));
      WASMOPS_TRY(auto element, resolve(*def.element));
      if (def.kind == DefinedKind::List) return listType(std::move(element));
      return fixedListType(std::move(element), def.length);
    }
    case DefinedKind::Tuple: {
      std::vector<ValueTypePtr> elements;
      for (const auto& t : def.types) {
        WASMOPS_TRY(auto type, resolve(t));
        elements.push_back(std::move(type));
      }
      return tupleType(std::move(elements));
    }
    case DefinedKind::Flags: return flagsType(def.labels);
    case DefinedKind::Enum: return enumType(def.labels);
    case DefinedKind::Option: {
      WASMOPS_TRY(auto payload, optionalType(def.element));
      return optionType(std::move(payload));
    }
    case DefinedKind::Result: {
      WASMOPS_TRY(auto ok, optionalType(def.element));
      WASMOPS_TRY(auto error, optionalType(def.second));
      return resultType(std::move(ok), std::move(error));
    }
    case DefinedKind::Own:
    case DefinedKind::Borrow: {
      WASMOPS_TRY(std::uint32_t id, resourceId(def.resource));
      return def.kind == DefinedKind::Own ? ownType(id) : borrowType(id);
    }
    case DefinedKind::Map: {
      // The spec despecialises map<k, v> to list<tuple<k, v>>.
      if (!def.element || !def.second)
        return makeError(ErrorCode::Invalid, fmt::format("type index {}: map without key or value", index));
      WASMOPS_TRY(auto key, resolve(*def.element));
      WASMOPS_TRY(auto value, resolve(*def.second));
      WASMOPS_TRY(auto entry, tupleType({std::move(key), std::move(value)}));
      return listType(std::move(entry));
    }
    case DefinedKind::Stream:
    case DefinedKind::Future: break;
  }
  return makeError(ErrorCode::Unsupported,
                   fmt::format("type index {}: the canonical ABI here does not carry {} types", index, binary::toString(def.kind)));
}

Expected<FunctionType> ValueTypeResolver::resolveFunction(const binary::ComponentFuncType& type) {
  if (type.async) return makeError(ErrorCode::Unsupported, "async function types are not supported");
  std::vector<std::pair<std::string, ValueTypePtr>> params;
  for (const auto& param : type.params) {
    WASMOPS_TRY(auto t, resolve(param.type));
    params.emplace_back(param.label, std::move(t));
  }
  ValueTypePtr result;
  if (type.result) WASMOPS_TRY_ASSIGN(result, resolve(*type.result));
  return functionType(std::move(params), std::move(result));
}

Expected<FunctionType> ValueTypeResolver::resolveFunctionIndex(std::uint32_t index) {
  if (!space_.type) return makeError(ErrorCode::Internal, "type space has no type lookup");
  WASMOPS_TRY(const binary::ComponentTypeDef* def, space_.type(index));
  if (!def || def->kind != binary::ComponentTypeKind::Func)
    return makeError(ErrorCode::Invalid, fmt::format("type index {} is not a function type", index));
  auto fn = resolveFunction(def->func);
  if (!fn) {
    Error error = std::move(fn).error();
    if (!error.offset) error.offset = def->offset;
    return tl::unexpected(std::move(error));
  }
  return fn;
}

}  // namespace wasmops::component
