#include "component/ComponentTypeScope.h"

#include <fmt/format.h>

namespace wasmops::component {
namespace {

using binary::ComponentTypeKind;
using binary::DefinedKind;
using binary::PrimValType;

Expected<ValueTypePtr> primitive(PrimValType p) {
  switch (p) {
    case PrimValType::Bool: return primitiveType(ValueKind::Bool);
    case PrimValType::S8: return primitiveType(ValueKind::S8);
    case PrimValType::U8: return primitiveType(ValueKind::U8);
    case PrimValType::S16: return primitiveType(ValueKind::S16);
    case PrimValType::U16: return primitiveType(ValueKind::U16);
    case PrimValType::S32: return primitiveType(ValueKind::S32);
    case PrimValType::U32: return primitiveType(ValueKind::U32);
    case PrimValType::S64: return primitiveType(ValueKind::S64);
    case PrimValType::U64: return primitiveType(ValueKind::U64);
    case PrimValType::F32: return primitiveType(ValueKind::F32);
    case PrimValType::F64: return primitiveType(ValueKind::F64);
    case PrimValType::Char: return primitiveType(ValueKind::Char);
    case PrimValType::String: return primitiveType(ValueKind::String);
    case PrimValType::ErrorContext: break;
  }
  return makeError(ErrorCode::Unsupported, fmt::format("the {} type is not supported", binary::toString(p)));
}

}  // namespace

std::uint32_t TypeScope::addDefinition(const binary::ComponentTypeDef* def) {
  Slot s;
  s.def = def;
  if (def->kind == ComponentTypeKind::Resource) s.resource = newResourceId();
  slots_.push_back(s);
  return size() - 1;
}

std::uint32_t TypeScope::addAlias(const TypeScope* home, std::uint32_t index) {
  Slot s;
  s.home = home;
  s.homeIndex = index;
  slots_.push_back(s);
  return size() - 1;
}

std::uint32_t TypeScope::addResource(std::uint32_t id) {
  Slot s;
  s.resource = id;
  slots_.push_back(s);
  return size() - 1;
}

Expected<const TypeScope*> TypeScope::outer(std::uint32_t count) const {
  const TypeScope* s = this;
  for (std::uint32_t i = 0; i < count; ++i) {
    if (!s->parent_) return makeError(ErrorCode::Invalid, fmt::format("outer alias count {} leaves the outermost scope", count));
    s = s->parent_;
  }
  return s;
}

Expected<void> TypeScope::addDeclarations(const std::vector<binary::TypeDecl>& decls) {
  using Kind = binary::TypeDecl::Kind;
  for (const auto& d : decls) {
    switch (d.kind) {
      case Kind::CoreType: break;  // the core type index space is not needed to call functions
      case Kind::Type: addDefinition(d.type.get()); break;
      case Kind::Alias: {
        const auto& a = d.alias;
        if (a.target != binary::ComponentAlias::Target::Outer || a.sort != binary::Sort::Type)
          return makeErrorAt(ErrorCode::Unsupported, d.offset,
                             fmt::format("a {} alias inside a type declaration", binary::toString(a.sort)));
        WASMOPS_TRY(const TypeScope* home, outer(a.outerCount));
        if (a.outerIndex >= home->size())
          return makeErrorAt(ErrorCode::Invalid, d.offset, fmt::format("outer alias of undefined type {}", a.outerIndex));
        addAlias(home, a.outerIndex);
        break;
      }
      case Kind::Export:
      case Kind::Import: {
        if (d.desc.kind == binary::ComponentExternKind::Type) {
          std::uint32_t slot = d.desc.subResource ? addResource(newResourceId()) : addAlias(this, d.desc.index);
          if (d.kind == Kind::Export) exports_.push_back({d.name.name, {d.desc.kind, slot}});
        } else if (d.kind == Kind::Export) {
          exports_.push_back({d.name.name, {d.desc.kind, d.desc.index}});
        }
        break;
      }
    }
  }
  return {};
}

Expected<TypeScope::Found> TypeScope::find(std::uint32_t index) const {
  const TypeScope* scope = this;
  for (std::uint32_t hops = 0; hops < 10000; ++hops) {
    if (index >= scope->slots_.size())
      return makeError(ErrorCode::Invalid, fmt::format("type index {} is not defined", index));
    const Slot& s = scope->slots_[index];
    if (!s.home) return Found{scope, index, s.def, s.resource};
    scope = s.home;
    index = s.homeIndex;
  }
  return makeError(ErrorCode::Invalid, fmt::format("type index {} aliases itself", index));
}

Expected<ValueTypePtr> TypeScope::value(const binary::ComponentValType& type) const { return valueDepth(type, 0); }
Expected<ValueTypePtr> TypeScope::valueAt(std::uint32_t index) const { return valueAtDepth(index, 0); }

Expected<ValueTypePtr> TypeScope::valueDepth(const binary::ComponentValType& type, std::uint32_t depth) const {
  if (type.isPrimitive) return primitive(type.primitive);
  return valueAtDepth(type.index, depth);
}

Expected<ValueTypePtr> TypeScope::valueAtDepth(std::uint32_t index, std::uint32_t depth) const {
  if (depth >= kMaxTypeDepth)
    return makeError(ErrorCode::LimitExceeded, fmt::format("type index {} nests deeper than {} levels", index, kMaxTypeDepth));
  WASMOPS_TRY(Found f, find(index));
  if (f.scope != this) return f.scope->valueAtDepth(f.index, depth);
  if (auto it = resolved_.find(index); it != resolved_.end()) return it->second;
  if (!f.def || f.def->kind != ComponentTypeKind::Defined)
    return makeError(ErrorCode::Invalid, fmt::format("type index {} is not a value type", index));
  auto type = defined(f.def->defined, index, depth + 1);
  if (!type) {
    Error e = std::move(type).error();
    if (!e.offset) e.offset = f.def->offset;
    return tl::unexpected(std::move(e));
  }
  resolved_[index] = *type;
  return *type;
}

Expected<std::uint32_t> TypeScope::resourceAt(std::uint32_t index) const {
  WASMOPS_TRY(Found f, find(index));
  if (!f.resource) return makeError(ErrorCode::Invalid, fmt::format("type index {} is not a resource type", index));
  return *f.resource;
}

Expected<ValueTypePtr> TypeScope::defined(const binary::DefinedValType& def, std::uint32_t index, std::uint32_t depth) const {
  // A definition refers only to earlier indices (as the validator requires);
  // checking it here keeps resolution linear on hostile input.
  auto sub = [&](const binary::ComponentValType& t) -> Expected<ValueTypePtr> {
    if (!t.isPrimitive && t.index >= index)
      return makeError(ErrorCode::Invalid, fmt::format("type index {} refers to type index {}, not defined before it", index, t.index));
    return valueDepth(t, depth);
  };
  auto optional = [&](const std::optional<binary::ComponentValType>& t) -> Expected<ValueTypePtr> {
    if (!t) return ValueTypePtr{};
    return sub(*t);
  };
  switch (def.kind) {
    case DefinedKind::Primitive: return primitive(def.primitive);
    case DefinedKind::Record: {
      std::vector<std::pair<std::string, ValueTypePtr>> fields;
      for (const auto& f : def.fields) {
        WASMOPS_TRY(auto t, sub(f.type));
        fields.emplace_back(f.label, std::move(t));
      }
      return recordType(std::move(fields));
    }
    case DefinedKind::Variant: {
      std::vector<std::pair<std::string, ValueTypePtr>> cases;
      for (const auto& c : def.cases) {
        WASMOPS_TRY(auto t, optional(c.type));
        cases.emplace_back(c.label, std::move(t));
      }
      return variantType(std::move(cases));
    }
    case DefinedKind::List:
    case DefinedKind::FixedList: {
      if (!def.element) return makeError(ErrorCode::Invalid, fmt::format("type index {}: list without element", index));
      WASMOPS_TRY(auto e, sub(*def.element));
      if (def.kind == DefinedKind::List) return listType(std::move(e));
      return fixedListType(std::move(e), def.length);
    }
    case DefinedKind::Tuple: {
      std::vector<ValueTypePtr> elements;
      for (const auto& t : def.types) {
        WASMOPS_TRY(auto e, sub(t));
        elements.push_back(std::move(e));
      }
      return tupleType(std::move(elements));
    }
    case DefinedKind::Flags: return flagsType(def.labels);
    case DefinedKind::Enum: return enumType(def.labels);
    case DefinedKind::Option: {
      WASMOPS_TRY(auto p, optional(def.element));
      return optionType(std::move(p));
    }
    case DefinedKind::Result: {
      WASMOPS_TRY(auto ok, optional(def.element));
      WASMOPS_TRY(auto err, optional(def.second));
      return resultType(std::move(ok), std::move(err));
    }
    case DefinedKind::Own:
    case DefinedKind::Borrow: {
      WASMOPS_TRY(std::uint32_t id, resourceAt(def.resource));
      return def.kind == DefinedKind::Own ? ownType(id) : borrowType(id);
    }
    case DefinedKind::Map: {
      if (!def.element || !def.second)
        return makeError(ErrorCode::Invalid, fmt::format("type index {}: map without key or value", index));
      WASMOPS_TRY(auto k, sub(*def.element));
      WASMOPS_TRY(auto v, sub(*def.second));
      WASMOPS_TRY(auto entry, tupleType({std::move(k), std::move(v)}));
      return listType(std::move(entry));
    }
    case DefinedKind::Stream:
    case DefinedKind::Future: break;
  }
  return makeError(ErrorCode::Unsupported, fmt::format("type index {}: {} types are not supported", index,
                                                       binary::toString(def.kind)));
}

Expected<FunctionType> TypeScope::function(const binary::ComponentFuncType& type) const {
  if (type.async) return makeError(ErrorCode::Unsupported, "async function types are not supported");
  std::vector<std::pair<std::string, ValueTypePtr>> params;
  for (const auto& p : type.params) {
    WASMOPS_TRY(auto t, value(p.type));
    params.emplace_back(p.label, std::move(t));
  }
  ValueTypePtr result;
  if (type.result) WASMOPS_TRY_ASSIGN(result, value(*type.result));
  return functionType(std::move(params), std::move(result));
}

Expected<FunctionType> TypeScope::functionAt(std::uint32_t index) const {
  WASMOPS_TRY(Found f, find(index));
  if (!f.def || f.def->kind != ComponentTypeKind::Func)
    return makeError(ErrorCode::Invalid, fmt::format("type index {} is not a function type", index));
  auto fn = f.scope->function(f.def->func);
  if (!fn) {
    Error e = std::move(fn).error();
    if (!e.offset) e.offset = f.def->offset;
    return tl::unexpected(std::move(e));
  }
  return fn;
}

}  // namespace wasmops::component
