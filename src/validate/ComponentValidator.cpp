#include "validate/ComponentValidator.h"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <map>
#include <memory>

#include "binary/ComponentDecoder.h"
#include "binary/DefinitionOrder.h"
#include "binary/ModuleDecoder.h"
#include "validate/ComponentNames.h"

namespace wasmops::validate {
namespace {

using namespace binary;

// The first problem found; thrown from deep inside the checks, caught once.
struct Failure {
  ErrorCode code = ErrorCode::Invalid;
  std::uint64_t offset = 0;
  std::string message;
};

struct Space;
struct InstanceInfo;
struct ComponentInfo;

// What a component-level type index refers to. `def` and `scope` are known
// for types defined in this file (indices inside `def` resolve in `scope`);
// Unknown stands for what this model cannot follow (checks then pass).
struct TypeRef {
  enum class Kind : std::uint8_t { Unknown, Defined, Func, Component, Instance, Resource } kind = Kind::Unknown;
  const ComponentTypeDef* def = nullptr;
  const Space* scope = nullptr;
};

const char* toString(TypeRef::Kind k) {
  switch (k) {
    case TypeRef::Kind::Unknown: return "unknown";
    case TypeRef::Kind::Defined: return "value";
    case TypeRef::Kind::Func: return "function";
    case TypeRef::Kind::Component: return "component";
    case TypeRef::Kind::Instance: return "instance";
    case TypeRef::Kind::Resource: return "resource";
  }
  return "?";
}

// A core import or export: its kind, and its function type when known.
struct CoreItem {
  ExternKind kind = ExternKind::Func;
  std::optional<FuncType> func;
};
using CoreExports = std::map<std::string, CoreItem>;

struct ModuleInfo {
  struct Imp {
    std::string module, name;
    CoreItem item;
  };
  std::vector<Imp> imports;
  CoreExports exports;
};

struct CoreTypeSlot {
  std::optional<FuncType> func;
  std::shared_ptr<const ModuleInfo> module;  // a module type
  bool isModule = false;
};

// An import or export of a component or an instance.
struct Item {
  Sort sort = Sort::Func;
  TypeRef type;  // Func, Type, Instance, Component
  std::shared_ptr<const InstanceInfo> instance;
  std::shared_ptr<const ComponentInfo> component;
  std::shared_ptr<const ModuleInfo> module;
};

struct InstanceInfo {
  std::map<std::string, Item> exports;
};

struct ComponentInfo {
  std::vector<std::pair<std::string, Item>> imports;
  std::map<std::string, Item> exports;
};

// A scope of type indices: a component's, or a type declarator's. Component
// scopes also hold their modules and components (outer aliases reach them).
struct Space {
  const Space* parent = nullptr;
  std::vector<TypeRef> types;
  std::vector<CoreTypeSlot> coreTypes;
  std::vector<std::shared_ptr<const ModuleInfo>> modules;
  std::vector<std::shared_ptr<const ComponentInfo>> components;
  bool component = false;

  const Space* outer(std::uint32_t count) const {
    const Space* s = this;
    for (std::uint32_t i = 0; i < count && s; ++i) s = s->parent;
    return s;
  }
};

// Shared by a component and the components nested in it.
struct Context {
  std::span<const std::uint8_t> bytes;
  std::deque<Space> spaces;  // deque: spaces point at each other
  std::map<const ComponentTypeDef*, std::shared_ptr<const InstanceInfo>> instanceTypes;
  std::map<const ComponentTypeDef*, std::shared_ptr<const ComponentInfo>> componentTypes;
};

constexpr std::size_t kMaxFlatParams = 16;
constexpr std::size_t kMaxFlatResults = 1;
constexpr int kMaxDepth = 100;

bool isCoreSort(Sort s) { return s <= Sort::CoreInstance; }

std::optional<ExternKind> externKindOf(Sort s) {
  switch (s) {
    case Sort::CoreFunc: return ExternKind::Func;
    case Sort::CoreTable: return ExternKind::Table;
    case Sort::CoreMemory: return ExternKind::Memory;
    case Sort::CoreGlobal: return ExternKind::Global;
    case Sort::CoreTag: return ExternKind::Tag;
    default: return std::nullopt;
  }
}

FuncType reallocType() {
  const ValType i32{ValKind::I32};
  return FuncType{{i32, i32, i32, i32}, {i32}};
}

bool sameFuncType(const FuncType& a, const FuncType& b) { return a.params == b.params && a.results == b.results; }

// ---- Canonical ABI flattening (CanonicalABI.md `flatten_functype`) ----

void pushPrimitive(PrimValType p, std::vector<ValType>& out) {
  switch (p) {
    case PrimValType::S64:
    case PrimValType::U64: out.push_back({ValKind::I64}); break;
    case PrimValType::F32: out.push_back({ValKind::F32}); break;
    case PrimValType::F64: out.push_back({ValKind::F64}); break;
    case PrimValType::String:
      out.push_back({ValKind::I32});
      out.push_back({ValKind::I32});
      break;
    default: out.push_back({ValKind::I32}); break;
  }
}

ValType join(ValType a, ValType b) {
  if (a.kind == b.kind) return a;
  if ((a.kind == ValKind::I32 && b.kind == ValKind::F32) || (a.kind == ValKind::F32 && b.kind == ValKind::I32))
    return {ValKind::I32};
  return {ValKind::I64};
}

// False when a type cannot be followed (imported, aliased from elsewhere).
bool flatten(const Space& s, const ComponentValType& t, std::vector<ValType>& out, int depth);

bool flattenVariant(const Space& s, const std::vector<const ComponentValType*>& cases, std::vector<ValType>& out,
                    int depth) {
  out.push_back({ValKind::I32});
  const std::size_t start = out.size();
  for (const auto* c : cases) {
    std::vector<ValType> tmp;
    if (!flatten(s, *c, tmp, depth + 1)) return false;
    for (std::size_t i = 0; i < tmp.size(); ++i) {
      if (start + i < out.size()) out[start + i] = join(out[start + i], tmp[i]);
      else out.push_back(tmp[i]);
    }
  }
  return true;
}

bool flatten(const Space& s, const ComponentValType& t, std::vector<ValType>& out, int depth) {
  if (depth > kMaxDepth) return false;
  if (t.isPrimitive) {
    pushPrimitive(t.primitive, out);
    return true;
  }
  if (t.index >= s.types.size()) return false;
  const TypeRef& r = s.types[t.index];
  if (r.kind != TypeRef::Kind::Defined || !r.def || !r.scope) return false;
  const Space& ds = *r.scope;
  const DefinedValType& d = r.def->defined;
  switch (d.kind) {
    case DefinedKind::Primitive: pushPrimitive(d.primitive, out); return true;
    case DefinedKind::Record:
      for (const auto& f : d.fields)
        if (!flatten(ds, f.type, out, depth + 1)) return false;
      return true;
    case DefinedKind::Tuple:
      for (const auto& e : d.types)
        if (!flatten(ds, e, out, depth + 1)) return false;
      return true;
    case DefinedKind::Variant: {
      std::vector<const ComponentValType*> cases;
      for (const auto& c : d.cases)
        if (c.type) cases.push_back(&*c.type);
      return flattenVariant(ds, cases, out, depth);
    }
    case DefinedKind::Option: return flattenVariant(ds, {&*d.element}, out, depth);
    case DefinedKind::Result: {
      std::vector<const ComponentValType*> cases;
      if (d.element) cases.push_back(&*d.element);
      if (d.second) cases.push_back(&*d.second);
      return flattenVariant(ds, cases, out, depth);
    }
    case DefinedKind::Flags:
      for (std::size_t i = 0; i < (d.labels.size() + 31) / 32; ++i) out.push_back({ValKind::I32});
      return true;
    case DefinedKind::List:
    case DefinedKind::Map:
      out.push_back({ValKind::I32});
      out.push_back({ValKind::I32});
      return true;
    case DefinedKind::FixedList:
      // Only whether the total passes MAX_FLAT_* matters past a few entries.
      for (std::uint32_t i = 0; i < d.length && out.size() <= 2 * kMaxFlatParams; ++i)
        if (!flatten(ds, *d.element, out, depth + 1)) return false;
      return true;
    case DefinedKind::Enum:
    case DefinedKind::Own:
    case DefinedKind::Borrow:
    case DefinedKind::Stream:
    case DefinedKind::Future: out.push_back({ValKind::I32}); return true;
  }
  return false;
}

// Whether a value of this type points into linear memory (strings, lists).
std::optional<bool> containsPtr(const Space& s, const ComponentValType& t, int depth) {
  if (depth > kMaxDepth) return std::nullopt;
  if (t.isPrimitive) return t.primitive == PrimValType::String;
  if (t.index >= s.types.size()) return std::nullopt;
  const TypeRef& r = s.types[t.index];
  if (r.kind != TypeRef::Kind::Defined || !r.def || !r.scope) return std::nullopt;
  const Space& ds = *r.scope;
  const DefinedValType& d = r.def->defined;
  auto any = [&](std::initializer_list<const ComponentValType*> ts) -> std::optional<bool> {
    for (const auto* e : ts) {
      if (!e) continue;
      auto v = containsPtr(ds, *e, depth + 1);
      if (!v || *v) return v;
    }
    return false;
  };
  switch (d.kind) {
    case DefinedKind::Primitive: return d.primitive == PrimValType::String;
    case DefinedKind::List:
    case DefinedKind::Map: return true;
    case DefinedKind::Record:
      for (const auto& f : d.fields) {
        auto v = containsPtr(ds, f.type, depth + 1);
        if (!v || *v) return v;
      }
      return false;
    case DefinedKind::Tuple:
      for (const auto& e : d.types) {
        auto v = containsPtr(ds, e, depth + 1);
        if (!v || *v) return v;
      }
      return false;
    case DefinedKind::Variant:
      for (const auto& c : d.cases) {
        if (!c.type) continue;
        auto v = containsPtr(ds, *c.type, depth + 1);
        if (!v || *v) return v;
      }
      return false;
    case DefinedKind::Option:
    case DefinedKind::FixedList: return any({d.element ? &*d.element : nullptr});
    case DefinedKind::Result: return any({d.element ? &*d.element : nullptr, d.second ? &*d.second : nullptr});
    default: return false;
  }
}

bool containsBorrow(const Space& s, const ComponentValType& t, int depth) {
  if (depth > kMaxDepth || t.isPrimitive || t.index >= s.types.size()) return false;
  const TypeRef& r = s.types[t.index];
  if (r.kind != TypeRef::Kind::Defined || !r.def || !r.scope) return false;
  const Space& ds = *r.scope;
  const DefinedValType& d = r.def->defined;
  switch (d.kind) {
    case DefinedKind::Borrow: return true;
    case DefinedKind::Record:
      return std::any_of(d.fields.begin(), d.fields.end(),
                         [&](const auto& f) { return containsBorrow(ds, f.type, depth + 1); });
    case DefinedKind::Tuple:
      return std::any_of(d.types.begin(), d.types.end(), [&](const auto& e) { return containsBorrow(ds, e, depth + 1); });
    case DefinedKind::Variant:
      return std::any_of(d.cases.begin(), d.cases.end(),
                         [&](const auto& c) { return c.type && containsBorrow(ds, *c.type, depth + 1); });
    default:
      return (d.element && containsBorrow(ds, *d.element, depth + 1)) ||
             (d.second && containsBorrow(ds, *d.second, depth + 1));
  }
}

// The core signature of lifting or lowering a function type, and what it needs.
struct Lowered {
  FuncType type;
  bool needsMemory = false, needsRealloc = false;
};

std::optional<Lowered> lowerSignature(const TypeRef& f, bool lift) {
  if (f.kind != TypeRef::Kind::Func || !f.def || !f.scope) return std::nullopt;
  const Space& s = *f.scope;
  const auto& ft = f.def->func;
  Lowered out;
  for (const auto& p : ft.params) {
    if (!flatten(s, p.type, out.type.params, 0)) return std::nullopt;
    auto ptr = containsPtr(s, p.type, 0);
    if (!ptr) return std::nullopt;
    out.needsMemory |= *ptr;
    if (lift) out.needsRealloc |= *ptr;
  }
  if (out.type.params.size() > kMaxFlatParams) {
    out.type.params = {ValType{ValKind::I32}};
    out.needsMemory = true;
    if (lift) out.needsRealloc = true;
  }
  if (ft.result) {
    if (!flatten(s, *ft.result, out.type.results, 0)) return std::nullopt;
    auto ptr = containsPtr(s, *ft.result, 0);
    if (!ptr) return std::nullopt;
    out.needsMemory |= *ptr;
    if (!lift) out.needsRealloc |= *ptr;
  }
  if (out.type.results.size() > kMaxFlatResults) {
    out.type.results.clear();
    if (lift) {
      out.type.results.push_back({ValKind::I32});
    } else {
      out.type.params.push_back({ValKind::I32});
    }
    out.needsMemory = true;
  }
  out.needsMemory |= out.needsRealloc;
  return out;
}

// ---- The checker of one component ----

class Checker {
 public:
  Checker(Context& ctx, const Component& c, const Space* parent, std::string path)
      : ctx_(ctx), c_(c), space_(ctx.spaces.emplace_back()), path_(std::move(path)) {
    space_.parent = parent;
    space_.component = true;
  }

  std::shared_ptr<const ComponentInfo> run();

 private:
  [[noreturn]] void fail(std::uint64_t offset, const std::string& message, ErrorCode code = ErrorCode::Invalid) const {
    throw Failure{code, offset, fmt::format("{}{}: {}", path_, where_, message)};
  }

  template <typename T>
  void locate(const std::vector<T>& items, std::size_t i) {
    const auto at = items[i].offset;
    for (const auto& s : c_.sections) {
      if (at < s.payloadOffset || at >= s.payloadOffset + s.size) continue;
      const auto first = std::lower_bound(items.begin(), items.end(), s.payloadOffset,
                                          [](const T& item, std::uint64_t o) { return item.offset < o; });
      where_ = fmt::format("{} section, item {}", s.name, i - static_cast<std::size_t>(first - items.begin()));
      return;
    }
    where_ = fmt::format("item {}", i);
  }

  // Bounds checks.
  void bound(std::uint64_t index, std::size_t size, const char* what, std::uint64_t at) const {
    if (index >= size)
      fail(at, fmt::format("{} index {} out of bounds ({} defined)", what, index, size));
  }
  const TypeRef& typeAt(const Space& s, std::uint32_t index, std::uint64_t at) const {
    bound(index, s.types.size(), "type", at);
    return s.types[index];
  }
  void expectKind(const TypeRef& t, TypeRef::Kind kind, std::uint32_t index, std::uint64_t at) const {
    if (t.kind != TypeRef::Kind::Unknown && t.kind != kind)
      fail(at, fmt::format("type {} is a {} type, expected a {} type", index, toString(t.kind), toString(kind)));
  }

  void checkLabel(UniqueNames& names, const std::string& label, const char* what, std::uint64_t at) const {
    if (!isKebabLabel(label)) fail(at, fmt::format("{} `{}` is not a valid kebab-case name", what, label));
    if (auto prev = names.add(label)) fail(at, fmt::format("{} `{}` conflicts with `{}`", what, label, *prev));
  }
  void checkExternName(UniqueNames& names, const std::string& name, const char* what, std::uint64_t at) const {
    if (auto e = externNameError(name)) fail(at, fmt::format("{} name: {}", what, *e));
    if (auto prev = names.add(name))
      fail(at, fmt::format("{} name `{}` conflicts with `{}` (names must be strongly-unique)", what, name, *prev));
  }

  // Types.
  void checkValType(const Space& s, const ComponentValType& t, std::uint64_t at) const;
  void checkDefined(const Space& s, const DefinedValType& d, std::uint64_t at) const;
  void checkFuncType(const Space& s, const ComponentFuncType& f, std::uint64_t at) const;
  TypeRef defineType(Space& s, const ComponentTypeDef& def, bool inComponent);
  CoreTypeSlot defineCoreType(const Space& s, const CoreTypeDef& def) const;
  std::optional<TypeRef> checkDesc(const Space& s, const ExternDesc& d, std::uint64_t at) const;
  Item itemOfDesc(const Space& s, const ExternDesc& d, const std::optional<TypeRef>& type) const;

  // Index spaces of this component.
  Item itemAt(const SortIndex& si, std::uint64_t at) const;
  void push(const Item& item);
  void pushCore(Sort sort, std::optional<FuncType> func);

  void nestedModule(std::size_t i);
  void nestedComponent(std::size_t i);
  void coreInstance(const CoreInstance& ci);
  void instance(const ComponentInstance& ci);
  void alias(const ComponentAlias& a);
  void canon(const CanonFunc& cf);
  void checkOptions(const CanonOptions& o, bool lift, std::uint64_t at) const;
  void importItem(const ComponentImport& imp);
  void exportItem(const ComponentExport& x);

  Context& ctx_;
  const Component& c_;
  Space& space_;
  std::string path_;
  std::string where_;

  std::vector<std::optional<FuncType>> coreFuncs_;
  std::uint32_t coreTables_ = 0, coreMemories_ = 0, coreGlobals_ = 0, coreTags_ = 0;
  std::vector<std::shared_ptr<const CoreExports>> coreInstances_;
  std::vector<TypeRef> funcs_;
  std::uint32_t values_ = 0;
  std::vector<std::shared_ptr<const InstanceInfo>> instances_;
  UniqueNames importNames_, exportNames_;
  std::shared_ptr<ComponentInfo> info_ = std::make_shared<ComponentInfo>();
};

void Checker::checkValType(const Space& s, const ComponentValType& t, std::uint64_t at) const {
  if (t.isPrimitive) return;
  const auto& r = typeAt(s, t.index, at);
  if (r.kind != TypeRef::Kind::Unknown && r.kind != TypeRef::Kind::Defined)
    fail(at, fmt::format("type {} is a {} type, not a value type{}", t.index, toString(r.kind),
                         r.kind == TypeRef::Kind::Resource ? " (use own or borrow of it)" : ""));
}

void Checker::checkDefined(const Space& s, const DefinedValType& d, std::uint64_t at) const {
  auto opt = [&](const std::optional<ComponentValType>& t) {
    if (t) checkValType(s, *t, at);
  };
  UniqueNames labels;
  switch (d.kind) {
    case DefinedKind::Primitive: return;
    case DefinedKind::Record:
      if (d.fields.empty()) fail(at, "record type must have at least one field");
      for (const auto& f : d.fields) {
        checkLabel(labels, f.label, "record field", at);
        checkValType(s, f.type, at);
      }
      return;
    case DefinedKind::Variant:
      if (d.cases.empty()) fail(at, "variant type must have at least one case");
      for (const auto& c : d.cases) {
        checkLabel(labels, c.label, "variant case", at);
        opt(c.type);
      }
      return;
    case DefinedKind::Tuple:
      if (d.types.empty()) fail(at, "tuple type must have at least one element");
      for (const auto& t : d.types) checkValType(s, t, at);
      return;
    case DefinedKind::Flags:
    case DefinedKind::Enum:
      if (d.labels.empty()) fail(at, fmt::format("{} type must have at least one name", toString(d.kind)));
      if (d.kind == DefinedKind::Flags && d.labels.size() > 32) fail(at, "flags type may have at most 32 names");
      for (const auto& l : d.labels) checkLabel(labels, l, d.kind == DefinedKind::Flags ? "flag" : "enum case", at);
      return;
    case DefinedKind::FixedList:
      if (d.length == 0) fail(at, "fixed-length list must have a length above 0");
      opt(d.element);
      return;
    case DefinedKind::Own:
    case DefinedKind::Borrow: {
      const auto& r = typeAt(s, d.resource, at);
      if (r.kind != TypeRef::Kind::Unknown && r.kind != TypeRef::Kind::Resource)
        fail(at, fmt::format("{} of type {}, which is a {} type, not a resource type", toString(d.kind), d.resource,
                             toString(r.kind)));
      return;
    }
    default:
      opt(d.element);
      opt(d.second);
      return;
  }
}

void Checker::checkFuncType(const Space& s, const ComponentFuncType& f, std::uint64_t at) const {
  UniqueNames labels;
  for (const auto& p : f.params) {
    checkLabel(labels, p.label, "function parameter", at);
    checkValType(s, p.type, at);
  }
  if (f.result) {
    checkValType(s, *f.result, at);
    if (containsBorrow(s, *f.result, 0))
      fail(at, "function result contains a `borrow` handle (borrow is only allowed in parameters)");
  }
}

CoreTypeSlot Checker::defineCoreType(const Space& s, const CoreTypeDef& def) const {
  CoreTypeSlot slot;
  if (!def.isModule) {
    if (!def.recGroup.empty() && def.recGroup[0].kind == CompositeKind::Func) slot.func = def.recGroup[0].func;
    return slot;
  }
  slot.isModule = true;
  auto info = std::make_shared<ModuleInfo>();
  std::vector<std::optional<FuncType>> local;
  std::map<std::string, bool> exportNames;
  for (const auto& d : def.module) {
    switch (d.kind) {
      case ModuleTypeDecl::Kind::Type:
        for (const auto& t : d.types) local.push_back(t.kind == CompositeKind::Func ? std::optional(t.func) : std::nullopt);
        break;
      case ModuleTypeDecl::Kind::OuterAlias: {
        if (d.outerCount == 0) {
          bound(d.outerIndex, local.size(), "core type", d.offset);
          local.push_back(local[d.outerIndex]);
          break;
        }
        const Space* o = s.outer(d.outerCount - 1);
        if (!o) fail(d.offset, fmt::format("outer alias count {} reaches beyond the outermost component", d.outerCount));
        bound(d.outerIndex, o->coreTypes.size(), "core type", d.offset);
        local.push_back(o->coreTypes[d.outerIndex].func);
        break;
      }
      case ModuleTypeDecl::Kind::Import:
      case ModuleTypeDecl::Kind::Export: {
        CoreItem item{d.import.kind, std::nullopt};
        if (d.import.kind == ExternKind::Func || d.import.kind == ExternKind::Tag) {
          bound(d.import.typeIndex, local.size(), "core type", d.offset);
          item.func = local[d.import.typeIndex];
        }
        if (d.kind == ModuleTypeDecl::Kind::Import) {
          info->imports.push_back({d.import.module, d.import.name, item});
        } else {
          if (!exportNames.emplace(d.import.name, true).second)
            fail(d.offset, fmt::format("duplicate export `{}` in module type", d.import.name));
          info->exports[d.import.name] = item;
        }
        break;
      }
    }
  }
  slot.module = info;
  return slot;
}

std::optional<TypeRef> Checker::checkDesc(const Space& s, const ExternDesc& d, std::uint64_t at) const {
  switch (d.kind) {
    case ComponentExternKind::CoreModule:
      bound(d.index, s.coreTypes.size(), "core type", at);
      if (!s.coreTypes[d.index].isModule) fail(at, fmt::format("core type {} is not a module type", d.index));
      return std::nullopt;
    case ComponentExternKind::Func: {
      const auto& t = typeAt(s, d.index, at);
      expectKind(t, TypeRef::Kind::Func, d.index, at);
      return t;
    }
    case ComponentExternKind::Value:
      if (d.valueEq) {
        if (!s.component) return std::nullopt;
        bound(d.index, values_, "value", at);
      } else {
        checkValType(s, d.valueType, at);
      }
      return std::nullopt;
    case ComponentExternKind::Type:
      if (d.subResource) return TypeRef{TypeRef::Kind::Resource, nullptr, nullptr};
      return typeAt(s, d.index, at);
    case ComponentExternKind::Component: {
      const auto& t = typeAt(s, d.index, at);
      expectKind(t, TypeRef::Kind::Component, d.index, at);
      return t;
    }
    case ComponentExternKind::Instance: {
      const auto& t = typeAt(s, d.index, at);
      expectKind(t, TypeRef::Kind::Instance, d.index, at);
      return t;
    }
  }
  return std::nullopt;
}

Item Checker::itemOfDesc(const Space& s, const ExternDesc& d, const std::optional<TypeRef>& type) const {
  Item item;
  item.sort = sortOf(d.kind);
  if (type) item.type = *type;
  if (d.kind == ComponentExternKind::CoreModule && d.index < s.coreTypes.size()) item.module = s.coreTypes[d.index].module;
  if (type && type->def) {
    if (auto it = ctx_.instanceTypes.find(type->def); it != ctx_.instanceTypes.end()) item.instance = it->second;
    if (auto it = ctx_.componentTypes.find(type->def); it != ctx_.componentTypes.end()) item.component = it->second;
  }
  return item;
}

TypeRef Checker::defineType(Space& s, const ComponentTypeDef& def, bool inComponent) {
  const auto at = def.offset;
  switch (def.kind) {
    case ComponentTypeKind::Defined: checkDefined(s, def.defined, at); return {TypeRef::Kind::Defined, &def, &s};
    case ComponentTypeKind::Func: checkFuncType(s, def.func, at); return {TypeRef::Kind::Func, &def, &s};
    case ComponentTypeKind::Resource:
      if (!inComponent) fail(at, "resource types can only be defined in a component, not in a type declarator");
      if (def.resource.rep.kind != ValKind::I32) fail(at, "resource representation must be i32");
      if (def.resource.dtor) {
        bound(*def.resource.dtor, coreFuncs_.size(), "core func", at);
        const auto& f = coreFuncs_[*def.resource.dtor];
        const FuncType want{{ValType{ValKind::I32}}, {}};
        if (f && !sameFuncType(*f, want))
          fail(at, fmt::format("resource destructor has type {}, expected {}", toString(*f), toString(want)));
      }
      return {TypeRef::Kind::Resource, &def, &s};
    case ComponentTypeKind::Component:
    case ComponentTypeKind::Instance: {
      const bool isInstance = def.kind == ComponentTypeKind::Instance;
      Space& inner = ctx_.spaces.emplace_back();
      inner.parent = &s;
      UniqueNames imports, exports;
      auto cinfo = std::make_shared<ComponentInfo>();
      auto iinfo = std::make_shared<InstanceInfo>();
      for (const auto& d : def.decls) {
        switch (d.kind) {
          case TypeDecl::Kind::CoreType: inner.coreTypes.push_back(defineCoreType(inner, d.coreType)); break;
          case TypeDecl::Kind::Type: inner.types.push_back(defineType(inner, *d.type, false)); break;
          case TypeDecl::Kind::Alias: {
            const auto& a = d.alias;
            if (a.target == ComponentAlias::Target::Outer) {
              if (a.sort != Sort::Type && a.sort != Sort::CoreType)
                fail(d.offset, fmt::format("only type aliases may reach outward from a type declarator, not {}",
                                           toString(a.sort)));
              const Space* o = inner.outer(a.outerCount);
              if (!o) fail(d.offset, fmt::format("outer alias count {} reaches beyond the outermost component", a.outerCount));
              if (a.sort == Sort::Type) {
                inner.types.push_back(typeAt(*o, a.outerIndex, d.offset));
              } else {
                bound(a.outerIndex, o->coreTypes.size(), "core type", d.offset);
                inner.coreTypes.push_back(o->coreTypes[a.outerIndex]);
              }
            } else if (a.sort == Sort::Type) {
              inner.types.push_back({});  // an export of an instance declared in here: not followed
            }
            break;
          }
          case TypeDecl::Kind::Import:
          case TypeDecl::Kind::Export: {
            const bool isImport = d.kind == TypeDecl::Kind::Import;
            if (isImport && isInstance) fail(d.offset, "instance types cannot declare imports");
            checkExternName(isImport ? imports : exports, d.name.name, isImport ? "import" : "export", d.offset);
            auto t = checkDesc(inner, d.desc, d.offset);
            if (d.desc.kind == ComponentExternKind::Type && t) inner.types.push_back(*t);
            Item item = itemOfDesc(inner, d.desc, t);
            if (isImport) cinfo->imports.emplace_back(d.name.name, item);
            else (isInstance ? iinfo->exports : cinfo->exports)[d.name.name] = item;
            break;
          }
        }
      }
      if (isInstance) ctx_.instanceTypes[&def] = iinfo;
      else ctx_.componentTypes[&def] = cinfo;
      return {isInstance ? TypeRef::Kind::Instance : TypeRef::Kind::Component, &def, &s};
    }
  }
  return {};
}

Item Checker::itemAt(const SortIndex& si, std::uint64_t at) const {
  Item item;
  item.sort = si.sort;
  const auto i = si.index;
  switch (si.sort) {
    case Sort::Func: bound(i, funcs_.size(), "func", at); item.type = funcs_[i]; break;
    case Sort::Value: bound(i, values_, "value", at); break;
    case Sort::Type:
      item.type = typeAt(space_, i, at);
      if (item.type.def) {
        if (auto it = ctx_.instanceTypes.find(item.type.def); it != ctx_.instanceTypes.end()) item.instance = it->second;
      }
      break;
    case Sort::Component: bound(i, space_.components.size(), "component", at); item.component = space_.components[i]; break;
    case Sort::Instance: bound(i, instances_.size(), "instance", at); item.instance = instances_[i]; break;
    case Sort::CoreModule: bound(i, space_.modules.size(), "core module", at); item.module = space_.modules[i]; break;
    default:
      fail(at, fmt::format("a {} cannot be exported from a component or passed to one (only core modules can)",
                           toString(si.sort)));
  }
  return item;
}

void Checker::push(const Item& item) {
  switch (item.sort) {
    case Sort::Func: funcs_.push_back(item.type); break;
    case Sort::Value: ++values_; break;
    case Sort::Type: space_.types.push_back(item.type); break;
    case Sort::Component: space_.components.push_back(item.component); break;
    case Sort::Instance: instances_.push_back(item.instance); break;
    case Sort::CoreModule: space_.modules.push_back(item.module); break;
    default: break;
  }
}

void Checker::pushCore(Sort sort, std::optional<FuncType> func) {
  switch (sort) {
    case Sort::CoreFunc: coreFuncs_.push_back(std::move(func)); break;
    case Sort::CoreTable: ++coreTables_; break;
    case Sort::CoreMemory: ++coreMemories_; break;
    case Sort::CoreGlobal: ++coreGlobals_; break;
    case Sort::CoreTag: ++coreTags_; break;
    case Sort::CoreInstance: coreInstances_.push_back(nullptr); break;
    case Sort::CoreType: space_.coreTypes.push_back({}); break;
    case Sort::CoreModule: space_.modules.push_back(nullptr); break;
    default: break;
  }
}

void Checker::nestedModule(std::size_t i) {
  const auto& m = c_.modules[i];
  where_ = fmt::format("core module {}", i);
  std::optional<Module> decoded;
  const Module* module = m.module ? &*m.module : nullptr;
  if (!module) {
    auto d = decodeModule(m.bytes);
    if (!d) {
      const auto& e = d.error();
      fail(m.offset + e.offset.value_or(0), e.message, e.code);
    }
    decoded = std::move(*d);
    module = &*decoded;
  }
  auto r = validateModule(*module, m.bytes);
  if (!r.ok()) {
    const auto& d = r.diagnostics.front();
    fail(m.offset + d.offset.value_or(0), d.message, d.code);
  }
  auto info = std::make_shared<ModuleInfo>();
  for (const auto& imp : module->imports) {
    CoreItem item{imp.kind, std::nullopt};
    if (imp.kind == ExternKind::Func)
      if (const auto* ft = module->funcType(imp.typeIndex)) item.func = *ft;
    info->imports.push_back({imp.module, imp.name, item});
  }
  for (const auto& x : module->exports) {
    CoreItem item{x.kind, std::nullopt};
    if (x.kind == ExternKind::Func)
      if (auto ti = module->functionTypeIndex(x.index))
        if (const auto* ft = module->funcType(*ti)) item.func = *ft;
    info->exports[x.name] = item;
  }
  space_.modules.push_back(info);
}

void Checker::nestedComponent(std::size_t i) {
  Checker inner(ctx_, c_.components[i], &space_, fmt::format("{}component {}: ", path_, i));
  space_.components.push_back(inner.run());
}

void Checker::coreInstance(const CoreInstance& ci) {
  const auto at = ci.offset;
  auto exports = std::make_shared<CoreExports>();
  if (ci.instantiate) {
    bound(ci.module, space_.modules.size(), "core module", at);
    std::map<std::string, std::uint32_t> args;
    for (const auto& a : ci.args) {
      bound(a.instance, coreInstances_.size(), "core instance", at);
      if (!args.emplace(a.name, a.instance).second)
        fail(at, fmt::format("duplicate module instantiation argument named `{}`", a.name));
    }
    const auto& module = space_.modules[ci.module];
    if (!module) {
      coreInstances_.push_back(nullptr);
      return;
    }
    for (const auto& imp : module->imports) {
      auto it = args.find(imp.module);
      if (it == args.end())
        fail(at, fmt::format("missing module instantiation argument named `{}` (core module {} imports `{}` `{}`)",
                             imp.module, ci.module, imp.module, imp.name));
      const auto& inst = coreInstances_[it->second];
      if (!inst) continue;
      auto e = inst->find(imp.name);
      if (e == inst->end())
        fail(at, fmt::format("module instantiation argument `{}` (core instance {}) does not export `{}`", imp.module,
                             it->second, imp.name));
      if (e->second.kind != imp.item.kind)
        fail(at, fmt::format("core module {} imports `{}` `{}` as a {}, but core instance {} exports a {}", ci.module,
                             imp.module, imp.name, toString(imp.item.kind), it->second, toString(e->second.kind)));
      if (imp.item.kind == ExternKind::Func && imp.item.func && e->second.func &&
          !sameFuncType(*imp.item.func, *e->second.func))
        fail(at, fmt::format("core module {} imports `{}` `{}` with type {}, but core instance {} exports it with type {}",
                             ci.module, imp.module, imp.name, toString(*imp.item.func), it->second,
                             toString(*e->second.func)));
    }
    *exports = module->exports;
  } else {
    for (const auto& x : ci.exports) {
      CoreItem item;
      const auto i = x.item.index;
      switch (x.item.sort) {
        case Sort::CoreFunc: bound(i, coreFuncs_.size(), "core func", at); item.func = coreFuncs_[i]; break;
        case Sort::CoreTable: bound(i, coreTables_, "core table", at); break;
        case Sort::CoreMemory: bound(i, coreMemories_, "core memory", at); break;
        case Sort::CoreGlobal: bound(i, coreGlobals_, "core global", at); break;
        case Sort::CoreTag: bound(i, coreTags_, "core tag", at); break;
        default:
          fail(at, fmt::format("a core instance cannot export a {} (`{}`)", toString(x.item.sort), x.name));
      }
      item.kind = *externKindOf(x.item.sort);
      if (!exports->emplace(x.name, item).second) fail(at, fmt::format("duplicate core instance export `{}`", x.name));
    }
  }
  coreInstances_.push_back(exports);
}

void Checker::instance(const ComponentInstance& ci) {
  const auto at = ci.offset;
  auto info = std::make_shared<InstanceInfo>();
  if (ci.instantiate) {
    bound(ci.component, space_.components.size(), "component", at);
    std::map<std::string, Item> args;
    for (const auto& a : ci.args) {
      Item item = itemAt(a.item, at);
      if (!args.emplace(a.name, item).second)
        fail(at, fmt::format("duplicate instantiation argument named `{}`", a.name));
    }
    const auto& component = space_.components[ci.component];
    if (!component) {
      instances_.push_back(nullptr);
      return;
    }
    for (const auto& [name, imp] : component->imports) {
      auto it = args.find(name);
      if (it == args.end())
        fail(at, fmt::format("missing instantiation argument named `{}` (component {} imports a {})", name, ci.component,
                             toString(imp.sort)));
      if (it->second.sort != imp.sort)
        fail(at, fmt::format("instantiation argument `{}` is a {}, but component {} imports a {}", name,
                             toString(it->second.sort), ci.component, toString(imp.sort)));
    }
    info->exports = component->exports;
  } else {
    UniqueNames names;
    for (const auto& x : ci.exports) {
      checkExternName(names, x.name.name, "instance export", at);
      info->exports[x.name.name] = itemAt(x.item, at);
    }
  }
  instances_.push_back(info);
}

void Checker::alias(const ComponentAlias& a) {
  const auto at = a.offset;
  switch (a.target) {
    case ComponentAlias::Target::CoreInstanceExport: {
      bound(a.instance, coreInstances_.size(), "core instance", at);
      const auto kind = externKindOf(a.sort);
      if (!kind) fail(at, fmt::format("a core instance export cannot be aliased as a {}", toString(a.sort)));
      const auto& inst = coreInstances_[a.instance];
      std::optional<FuncType> func;
      if (inst) {
        auto e = inst->find(a.name);
        if (e == inst->end()) fail(at, fmt::format("core instance {} has no export named `{}`", a.instance, a.name));
        if (e->second.kind != *kind)
          fail(at, fmt::format("export `{}` of core instance {} is a {}, not a {}", a.name, a.instance,
                               toString(e->second.kind), toString(*kind)));
        func = e->second.func;
      }
      pushCore(a.sort, func);
      return;
    }
    case ComponentAlias::Target::InstanceExport: {
      bound(a.instance, instances_.size(), "instance", at);
      if (isCoreSort(a.sort) && a.sort != Sort::CoreModule)
        fail(at, fmt::format("an instance export cannot be aliased as a {}", toString(a.sort)));
      const auto& inst = instances_[a.instance];
      Item item;
      item.sort = a.sort;
      if (inst) {
        auto e = inst->exports.find(a.name);
        if (e == inst->exports.end()) fail(at, fmt::format("instance {} has no export named `{}`", a.instance, a.name));
        if (e->second.sort != a.sort)
          fail(at, fmt::format("export `{}` of instance {} is a {}, not a {}", a.name, a.instance,
                               toString(e->second.sort), toString(a.sort)));
        item = e->second;
      }
      push(item);
      return;
    }
    case ComponentAlias::Target::Outer: {
      const Space* o = space_.outer(a.outerCount);
      if (!o) fail(at, fmt::format("outer alias count {} reaches beyond the outermost component", a.outerCount));
      const auto i = a.outerIndex;
      Item item;
      item.sort = a.sort;
      switch (a.sort) {
        case Sort::Type:
          item.type = typeAt(*o, i, at);
          if (a.outerCount > 0 && item.type.kind == TypeRef::Kind::Resource)
            fail(at, "an outer alias may not refer to a resource type defined outside this component");
          push(item);
          return;
        case Sort::CoreType:
          bound(i, o->coreTypes.size(), "core type", at);
          space_.coreTypes.push_back(o->coreTypes[i]);
          return;
        case Sort::CoreModule:
          bound(i, o->modules.size(), "core module", at);
          item.module = o->modules[i];
          push(item);
          return;
        case Sort::Component:
          bound(i, o->components.size(), "component", at);
          item.component = o->components[i];
          push(item);
          return;
        default:
          fail(at, fmt::format("outer aliases may only refer to types, core types, core modules and components, not a {}",
                               toString(a.sort)));
      }
    }
  }
}

void Checker::checkOptions(const CanonOptions& o, bool lift, std::uint64_t at) const {
  const std::uint32_t distinct = (o.explicitEncoding ? 1 : 0) + (o.memory ? 1 : 0) + (o.realloc ? 1 : 0) +
                                 (o.postReturn ? 1 : 0) + (o.callback ? 1 : 0) + (o.coreType ? 1 : 0) +
                                 (o.async ? 1 : 0) + (o.gc ? 1 : 0);
  if (o.count > distinct)
    fail(at, fmt::format("a canonical option is given more than once ({} options, {} distinct); string-encoding, "
                         "memory, realloc, post-return and the others may each appear once",
                         o.count, distinct));
  if (o.memory) bound(*o.memory, coreMemories_, "core memory", at);
  if (o.realloc) {
    bound(*o.realloc, coreFuncs_.size(), "core func", at);
    const auto& f = coreFuncs_[*o.realloc];
    if (f && !sameFuncType(*f, reallocType()))
      fail(at, fmt::format("canonical option `realloc` (core func {}) has type {}, expected {}", *o.realloc,
                           toString(*f), toString(reallocType())));
  }
  if (o.postReturn) {
    if (!lift) fail(at, "canonical option `post-return` is only allowed on canon lift");
    bound(*o.postReturn, coreFuncs_.size(), "core func", at);
  }
  if (o.callback) {
    if (!o.async) fail(at, "canonical option `callback` requires `async`");
    bound(*o.callback, coreFuncs_.size(), "core func", at);
  }
}

void Checker::canon(const CanonFunc& cf) {
  const auto at = cf.offset;
  switch (cf.kind) {
    case CanonFunc::Kind::Lift: {
      bound(cf.func, coreFuncs_.size(), "core func", at);
      const auto type = typeAt(space_, cf.type, at);
      expectKind(type, TypeRef::Kind::Func, cf.type, at);
      checkOptions(cf.options, true, at);
      if (!cf.options.async) {
        if (auto sig = lowerSignature(type, true)) {
          if (sig->needsMemory && !cf.options.memory)
            fail(at, fmt::format("canon lift: canonical option `memory` is required (type {} passes strings or lists "
                                 "through linear memory)", cf.type));
          if (sig->needsRealloc && !cf.options.realloc)
            fail(at, fmt::format("canon lift: canonical option `realloc` is required (type {} has parameters that "
                                 "are strings or lists, or more than {} flat parameters)", cf.type, kMaxFlatParams));
          const auto& core = coreFuncs_[cf.func];
          if (core && !sameFuncType(*core, sig->type))
            fail(at, fmt::format("canon lift: core func {} has type {}, but lifting type {} needs {}", cf.func,
                                 toString(*core), cf.type, toString(sig->type)));
          if (cf.options.postReturn) {
            const FuncType want{sig->type.results, {}};
            const auto& pr = coreFuncs_[*cf.options.postReturn];
            if (pr && !sameFuncType(*pr, want))
              fail(at, fmt::format("canonical option `post-return` (core func {}) has type {}, expected {}",
                                   *cf.options.postReturn, toString(*pr), toString(want)));
          }
        }
      }
      funcs_.push_back(type);
      return;
    }
    case CanonFunc::Kind::Lower: {
      bound(cf.func, funcs_.size(), "func", at);
      checkOptions(cf.options, false, at);
      std::optional<FuncType> core;
      if (!cf.options.async) {
        if (auto sig = lowerSignature(funcs_[cf.func], false)) {
          if (sig->needsMemory && !cf.options.memory)
            fail(at, fmt::format("canon lower: canonical option `memory` is required (func {} passes strings or "
                                 "lists through linear memory)", cf.func));
          if (sig->needsRealloc && !cf.options.realloc)
            fail(at, fmt::format("canon lower: canonical option `realloc` is required (func {} returns strings or "
                                 "lists)", cf.func));
          core = sig->type;
        }
      }
      coreFuncs_.push_back(core);
      return;
    }
    case CanonFunc::Kind::ResourceNew:
    case CanonFunc::Kind::ResourceDrop:
    case CanonFunc::Kind::ResourceRep: {
      const auto& t = typeAt(space_, cf.type, at);
      if (t.kind != TypeRef::Kind::Unknown && t.kind != TypeRef::Kind::Resource)
        fail(at, fmt::format("{}: type {} is a {} type, not a resource type", cf.builtin, cf.type, toString(t.kind)));
      const ValType i32{ValKind::I32};
      if (cf.kind != CanonFunc::Kind::ResourceDrop && t.kind == TypeRef::Kind::Resource && t.scope != &space_)
        fail(at, fmt::format("{}: resource type {} is not defined by this component", cf.builtin, cf.type));
      if (cf.kind == CanonFunc::Kind::ResourceNew) coreFuncs_.push_back(FuncType{{i32}, {i32}});
      else if (cf.kind == CanonFunc::Kind::ResourceRep) coreFuncs_.push_back(FuncType{{i32}, {i32}});
      else coreFuncs_.push_back(FuncType{{i32}, {}});
      return;
    }
    case CanonFunc::Kind::Builtin:
      if (cf.options.count) checkOptions(cf.options, false, at);
      coreFuncs_.push_back(std::nullopt);
      return;
  }
}

void Checker::importItem(const ComponentImport& imp) {
  checkExternName(importNames_, imp.name.name, "import", imp.offset);
  auto t = checkDesc(space_, imp.desc, imp.offset);
  Item item = itemOfDesc(space_, imp.desc, t);
  push(item);
  info_->imports.emplace_back(imp.name.name, item);
}

void Checker::exportItem(const ComponentExport& x) {
  const auto at = x.offset;
  checkExternName(exportNames_, x.name.name, "export", at);
  Item item = itemAt(x.item, at);
  if (x.desc) {
    if (sortOf(x.desc->kind) != x.item.sort)
      fail(at, fmt::format("export `{}` of a {} is ascribed a {} type", x.name.name, toString(x.item.sort),
                           toString(x.desc->kind)));
    auto t = checkDesc(space_, *x.desc, at);
    if (t && t->kind != TypeRef::Kind::Unknown && x.item.sort != Sort::Type) item.type = *t;
  }
  push(item);
  info_->exports[x.name.name] = item;
}

std::shared_ptr<const ComponentInfo> Checker::run() {
  for (const auto& e : definitionOrder(c_)) {
    switch (e.kind) {
      case DefinitionKind::CoreModule: nestedModule(e.index); break;
      case DefinitionKind::Component: nestedComponent(e.index); break;
      case DefinitionKind::CoreInstance: locate(c_.coreInstances, e.index); coreInstance(c_.coreInstances[e.index]); break;
      case DefinitionKind::CoreType:
        locate(c_.coreTypes, e.index);
        if (c_.coreTypes[e.index].isModule) {
          space_.coreTypes.push_back(defineCoreType(space_, c_.coreTypes[e.index]));
        } else {
          for (const auto& t : c_.coreTypes[e.index].recGroup) {
            CoreTypeSlot slot;
            if (t.kind == CompositeKind::Func) slot.func = t.func;
            space_.coreTypes.push_back(slot);
          }
        }
        break;
      case DefinitionKind::Instance: locate(c_.instances, e.index); instance(c_.instances[e.index]); break;
      case DefinitionKind::Alias: locate(c_.aliases, e.index); alias(c_.aliases[e.index]); break;
      case DefinitionKind::Type: {
        locate(c_.types, e.index);
        auto t = defineType(space_, c_.types[e.index], true);
        space_.types.push_back(t);
        break;
      }
      case DefinitionKind::Canon: locate(c_.canons, e.index); canon(c_.canons[e.index]); break;
      case DefinitionKind::Start: {
        locate(c_.starts, e.index);
        const auto& s = c_.starts[e.index];
        bound(s.func, funcs_.size(), "func", s.offset);
        for (auto v : s.args) bound(v, values_, "value", s.offset);
        values_ += s.results;
        break;
      }
      case DefinitionKind::Import: locate(c_.imports, e.index); importItem(c_.imports[e.index]); break;
      case DefinitionKind::Export: locate(c_.exports, e.index); exportItem(c_.exports[e.index]); break;
      case DefinitionKind::Value:
        locate(c_.values, e.index);
        checkValType(space_, c_.values[e.index].type, c_.values[e.index].offset);
        ++values_;
        break;
    }
  }
  return info_;
}

Verdict verdictOf(ErrorCode code) {
  switch (code) {
    case ErrorCode::Malformed: return Verdict::Malformed;
    case ErrorCode::Invalid: return Verdict::Invalid;
    default: return Verdict::Unsupported;
  }
}

}  // namespace

ValidationResult validateComponent(const binary::Component& component, std::span<const std::uint8_t> bytes) {
  ValidationResult out;
  out.kind = BinaryKind::Component;
  Context ctx;
  ctx.bytes = bytes;
  try {
    Checker top(ctx, component, nullptr, "");
    (void)top.run();
  } catch (const Failure& f) {
    out.verdict = verdictOf(f.code);
    out.diagnostics.push_back({f.code, f.offset, f.message});
  }
  return out;
}

ValidationResult validateComponentBinary(std::span<const std::uint8_t> bytes) {
  auto component = decodeComponent(bytes);
  if (!component) {
    ValidationResult out;
    out.kind = BinaryKind::Component;
    out.verdict = verdictOf(component.error().code);
    out.diagnostics.push_back(Diagnostic::fromError(component.error()));
    return out;
  }
  return validateComponent(*component, bytes);
}

}  // namespace wasmops::validate
