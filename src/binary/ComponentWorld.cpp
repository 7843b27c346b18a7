#include "binary/ComponentWorld.h"

#include <fmt/format.h>

#include <algorithm>

namespace wasmops::binary {
namespace {

struct TypeSlot {
  const ComponentTypeDef* def = nullptr;  // null: imported, aliased, or not resolvable
  std::string name;                       // from the import, export or alias that made the index
};

// The component-level type and function index spaces, in definition order
// (sections interleave, so items are replayed by file offset).
class IndexSpaces {
 public:
  explicit IndexSpaces(const Component& c) {
    enum class Ev : std::uint8_t { Type, Import, Alias, Canon, Export };
    struct Event {
      std::uint64_t offset;
      Ev kind;
      std::size_t index;
    };
    std::vector<Event> events;
    for (std::size_t i = 0; i < c.types.size(); ++i) events.push_back({c.types[i].offset, Ev::Type, i});
    for (std::size_t i = 0; i < c.imports.size(); ++i) events.push_back({c.imports[i].offset, Ev::Import, i});
    for (std::size_t i = 0; i < c.aliases.size(); ++i) events.push_back({c.aliases[i].offset, Ev::Alias, i});
    for (std::size_t i = 0; i < c.canons.size(); ++i) events.push_back({c.canons[i].offset, Ev::Canon, i});
    for (std::size_t i = 0; i < c.exports.size(); ++i) events.push_back({c.exports[i].offset, Ev::Export, i});
    // Items start at distinct offsets, so a plain sort is stable enough (and
    // std::stable_sort does not build under clang 19 with libstdc++ 12).
    std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) { return a.offset < b.offset; });
    for (const auto& e : events) {
      switch (e.kind) {
        case Ev::Type: types.push_back({&c.types[e.index], ""}); break;
        case Ev::Import: {
          const auto& imp = c.imports[e.index];
          if (imp.desc.kind == ComponentExternKind::Type)
            types.push_back({imp.desc.subResource ? nullptr : def(imp.desc.index), imp.name.name});
          if (imp.desc.kind == ComponentExternKind::Func) funcs.push_back(imp.desc.index);
          break;
        }
        case Ev::Alias: {
          const auto& a = c.aliases[e.index];
          if (a.sort == Sort::Type) types.push_back({nullptr, a.target == ComponentAlias::Target::Outer ? "" : a.name});
          if (a.sort == Sort::Func) funcs.push_back(std::nullopt);
          break;
        }
        case Ev::Canon:
          if (c.canons[e.index].kind == CanonFunc::Kind::Lift) funcs.push_back(c.canons[e.index].type);
          break;
        case Ev::Export: {
          const auto& x = c.exports[e.index];
          if (x.item.sort == Sort::Type) types.push_back({def(x.item.index), x.name.name});
          if (x.item.sort == Sort::Func) {
            if (x.desc && x.desc->kind == ComponentExternKind::Func) funcs.push_back(x.desc->index);
            else funcs.push_back(funcType(x.item.index));
          }
          break;
        }
      }
    }
  }

  const ComponentTypeDef* def(std::uint32_t typeIndex) const {
    return typeIndex < types.size() ? types[typeIndex].def : nullptr;
  }
  std::optional<std::uint32_t> funcType(std::uint32_t funcIndex) const {
    return funcIndex < funcs.size() ? funcs[funcIndex] : std::nullopt;
  }

  std::vector<TypeSlot> types;
  std::vector<std::optional<std::uint32_t>> funcs;  // type index of each function, when known
};

// Rendering stops this deep: indices in an unvalidated component may form cycles.
constexpr int kMaxDepth = 8;

std::string valType(const IndexSpaces& s, const ComponentValType& t, int depth);

std::string optionalList(const IndexSpaces& s, const char* head, const std::optional<ComponentValType>& t, int depth) {
  return t ? fmt::format("{}<{}>", head, valType(s, *t, depth)) : std::string(head);
}

std::string defined(const IndexSpaces& s, const DefinedValType& d, int depth) {
  switch (d.kind) {
    case DefinedKind::Primitive: return toString(d.primitive);
    case DefinedKind::List: return fmt::format("list<{}>", valType(s, *d.element, depth));
    case DefinedKind::FixedList: return fmt::format("list<{}, {}>", valType(s, *d.element, depth), d.length);
    case DefinedKind::Option: return fmt::format("option<{}>", valType(s, *d.element, depth));
    case DefinedKind::Result:
      if (!d.element && !d.second) return "result";
      if (!d.second) return fmt::format("result<{}>", valType(s, *d.element, depth));
      return fmt::format("result<{}, {}>", d.element ? valType(s, *d.element, depth) : "_", valType(s, *d.second, depth));
    case DefinedKind::Tuple: {
      std::string out = "tuple<";
      for (std::size_t i = 0; i < d.types.size(); ++i) out += (i ? ", " : "") + valType(s, d.types[i], depth);
      return out + ">";
    }
    case DefinedKind::Own: return valType(s, ComponentValType{false, PrimValType::Bool, d.resource}, depth);
    case DefinedKind::Borrow:
      return fmt::format("borrow<{}>", valType(s, ComponentValType{false, PrimValType::Bool, d.resource}, depth));
    case DefinedKind::Stream: return optionalList(s, "stream", d.element, depth);
    case DefinedKind::Future: return optionalList(s, "future", d.element, depth);
    case DefinedKind::Map: return fmt::format("map<{}, {}>", valType(s, *d.element, depth), valType(s, *d.second, depth));
    case DefinedKind::Record:
    case DefinedKind::Variant:
    case DefinedKind::Enum:
    case DefinedKind::Flags: return toString(d.kind);  // anonymous: WIT always names these
  }
  return "?";
}

std::string valType(const IndexSpaces& s, const ComponentValType& t, int depth) {
  if (t.isPrimitive) return toString(t.primitive);
  if (t.index < s.types.size() && !s.types[t.index].name.empty()) return s.types[t.index].name;
  const auto* d = s.def(t.index);
  if (!d || d->kind != ComponentTypeKind::Defined || depth >= kMaxDepth) return fmt::format("type {}", t.index);
  return defined(s, d->defined, depth + 1);
}

std::string funcType(const IndexSpaces& s, std::uint32_t typeIndex) {
  const auto* d = s.def(typeIndex);
  if (!d || d->kind != ComponentTypeKind::Func) return "";
  std::string out = d->func.async ? "async func(" : "func(";
  for (std::size_t i = 0; i < d->func.params.size(); ++i)
    out += fmt::format("{}{}: {}", i ? ", " : "", d->func.params[i].label, valType(s, d->func.params[i].type, 0));
  out += ")";
  if (d->func.result) out += " -> " + valType(s, *d->func.result, 0);
  return out;
}

const char* sortKind(Sort sort) {
  switch (sort) {
    case Sort::CoreModule: return "module";
    default: return toString(sort);
  }
}

}  // namespace

ComponentWorld describeWorld(const Component& c) {
  IndexSpaces spaces(c);
  ComponentWorld w;
  for (const auto& imp : c.imports) {
    WorldItem item;
    item.name = imp.name.name;
    item.interfaceName = splitInterfaceName(item.name);
    item.kind = toString(imp.desc.kind);
    if (!(imp.desc.kind == ComponentExternKind::Type && imp.desc.subResource) &&
        !(imp.desc.kind == ComponentExternKind::Value && !imp.desc.valueEq))
      item.typeIndex = imp.desc.index;
    if (imp.desc.kind == ComponentExternKind::Func) item.type = funcType(spaces, imp.desc.index);
    if (imp.desc.kind == ComponentExternKind::Type && imp.desc.subResource) item.type = "resource";
    item.offset = imp.offset;
    w.imports.push_back(std::move(item));
  }
  for (const auto& x : c.exports) {
    WorldItem item;
    item.name = x.name.name;
    item.interfaceName = splitInterfaceName(item.name);
    item.kind = sortKind(x.item.sort);
    item.index = x.item.index;
    if (x.desc) item.typeIndex = x.desc->index;
    if (x.item.sort == Sort::Func) {
      if (!item.typeIndex) item.typeIndex = spaces.funcType(x.item.index);
      if (item.typeIndex) item.type = funcType(spaces, *item.typeIndex);
    }
    item.offset = x.offset;
    w.exports.push_back(std::move(item));
  }
  return w;
}

}  // namespace wasmops::binary
