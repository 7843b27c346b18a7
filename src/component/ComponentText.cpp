#include "component/ComponentText.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "binary/DefinitionOrder.h"
#include "validate/WabtBridge.h"

namespace wasmops::component {
namespace {

using namespace binary;

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

Error unsupported(std::string what, std::uint64_t offset) {
  Error e(ErrorCode::Unsupported, "cannot print " + std::move(what) + " as text yet");
  e.offset = offset;
  return e;
}

std::string valType(const ComponentValType& t) {
  return t.isPrimitive ? toString(t.primitive) : std::to_string(t.index);
}

std::string coreFuncType(const FuncType& f) {
  std::string out = "(func";
  if (!f.params.empty()) {
    out += " (param";
    for (const auto& p : f.params) out += fmt::format(" {}", toString(p));
    out += ")";
  }
  if (!f.results.empty()) {
    out += " (result";
    for (const auto& r : f.results) out += fmt::format(" {}", toString(r));
    out += ")";
  }
  return out + ")";
}

Expected<std::string> coreTypeEntry(const TypeEntry& t) {
  if (t.kind != CompositeKind::Func || !t.final || !t.supertypes.empty())
    return tl::unexpected(unsupported("a core GC type (struct, array or sub)", t.offset));
  return coreFuncType(t.func);
}

std::string limitsText(const Limits& l) {
  std::string out = l.is64 ? "i64 " : "";
  out += std::to_string(l.min);
  if (l.max) out += fmt::format(" {}", std::to_string(*l.max));
  if (l.shared) out += " shared";
  return out;
}

// An import or export description inside a core module type.
std::string coreExternDesc(const Import& i) {
  switch (i.kind) {
    case ExternKind::Func: return fmt::format("(func (type {}))", i.typeIndex);
    case ExternKind::Table: return fmt::format("(table {} {})", limitsText(i.table.limits), toString(i.table.elem));
    case ExternKind::Memory: return fmt::format("(memory {})", limitsText(i.memory));
    case ExternKind::Global:
      return i.global.mutable_ ? fmt::format("(global (mut {}))", toString(i.global.type))
                               : fmt::format("(global {})", toString(i.global.type));
    case ExternKind::Tag: return fmt::format("(tag (type {}))", i.typeIndex);
  }
  return "?";
}

// Sorts as written inside `(alias ...)`, `(with ...)` and `(export ...)`:
// core sorts keep their `core` prefix at component level only.
std::string sortWord(Sort s, bool inCoreInstance) {
  std::string word = toString(s);
  if (inCoreInstance && word.rfind("core ", 0) == 0) word = word.substr(5);
  return word;
}

std::string externDesc(const ExternDesc& d) {
  switch (d.kind) {
    case ComponentExternKind::CoreModule: return fmt::format("(core module (type {}))", d.index);
    case ComponentExternKind::Func: return fmt::format("(func (type {}))", d.index);
    case ComponentExternKind::Value:
      return d.valueEq ? fmt::format("(value (eq {}))", d.index) : fmt::format("(value {})", valType(d.valueType));
    case ComponentExternKind::Type:
      return d.subResource ? "(type (sub resource))" : fmt::format("(type (eq {}))", d.index);
    case ComponentExternKind::Component: return fmt::format("(component (type {}))", d.index);
    case ComponentExternKind::Instance: return fmt::format("(instance (type {}))", d.index);
  }
  return "?";
}

std::string definedType(const DefinedValType& t) {
  switch (t.kind) {
    case DefinedKind::Primitive: return toString(t.primitive);
    case DefinedKind::Record: {
      std::string out = "(record";
      for (const auto& f : t.fields) out += fmt::format(" (field {} {})", quote(f.label), valType(f.type));
      return out + ")";
    }
    case DefinedKind::Variant: {
      std::string out = "(variant";
      for (const auto& c : t.cases) {
        out += " (case " + quote(c.label);
        if (c.type) out += fmt::format(" {}", valType(*c.type));
        out += ")";
      }
      return out + ")";
    }
    case DefinedKind::List: return fmt::format("(list {})", valType(*t.element));
    case DefinedKind::FixedList: return fmt::format("(list {} {})", valType(*t.element), t.length);
    case DefinedKind::Tuple: {
      std::string out = "(tuple";
      for (const auto& e : t.types) out += fmt::format(" {}", valType(e));
      return out + ")";
    }
    case DefinedKind::Flags:
    case DefinedKind::Enum: {
      std::string out = t.kind == DefinedKind::Flags ? "(flags" : "(enum";
      for (const auto& l : t.labels) out += fmt::format(" {}", quote(l));
      return out + ")";
    }
    case DefinedKind::Option: return fmt::format("(option {})", valType(*t.element));
    case DefinedKind::Result: {
      std::string out = "(result";
      if (t.element) out += fmt::format(" {}", valType(*t.element));
      if (t.second) out += fmt::format(" (error {})", valType(*t.second));
      return out + ")";
    }
    case DefinedKind::Own: return fmt::format("(own {})", t.resource);
    case DefinedKind::Borrow: return fmt::format("(borrow {})", t.resource);
    case DefinedKind::Stream: return t.element ? fmt::format("(stream {})", valType(*t.element)) : "(stream)";
    case DefinedKind::Future: return t.element ? fmt::format("(future {})", valType(*t.element)) : "(future)";
    case DefinedKind::Map: return fmt::format("(map {} {})", valType(*t.element), valType(*t.second));
  }
  return "?";
}

std::string funcType(const ComponentFuncType& f) {
  std::string out = f.async ? "(func async" : "(func";
  for (const auto& p : f.params) out += fmt::format(" (param {} {})", quote(p.label), valType(p.type));
  if (f.result) out += fmt::format(" (result {})", valType(*f.result));
  return out + ")";
}

std::string canonOptions(const CanonOptions& o) {
  std::string out;
  auto encoding = [](std::uint8_t op) {
    return op == 0x00 ? "utf8" : op == 0x01 ? "utf16" : "latin1+utf16";
  };
  for (std::uint8_t op : o.order) {
    switch (op) {
      case 0x00:
      case 0x01:
      case 0x02: out += fmt::format(" string-encoding={}", encoding(op)); break;
      case 0x03: out += fmt::format(" (memory {})", o.memory.value_or(0)); break;
      case 0x04: out += fmt::format(" (realloc {})", o.realloc.value_or(0)); break;
      case 0x05: out += fmt::format(" (post-return {})", o.postReturn.value_or(0)); break;
      case 0x06: out += " async"; break;
      case 0x07: out += fmt::format(" (callback {})", o.callback.value_or(0)); break;
      case 0x08: out += fmt::format(" (core-type {})", o.coreType.value_or(0)); break;
      case 0x09: out += " gc"; break;
      default: break;
    }
  }
  return out;
}

// Index spaces at one level, for the `(;N;)` comments.
class IndexCounters {
 public:
  std::uint32_t next(Sort s) { return counts_[static_cast<std::size_t>(s)]++; }

 private:
  std::array<std::uint32_t, 13> counts_{};
};

class TextWriter {
 public:
  void line(const std::string& text) { out_ += std::string(depth_ * 2, ' ') + text + "\n"; }
  void open(const std::string& text) {
    line(text);
    ++depth_;
  }
  // Closes what the last open() opened; `parens` when its head opened more
  // than one list on its line (`(core type (module`).
  void close(std::size_t parens = 1) {
    --depth_;
    // Close on the last line, as wasm-tools does for nested blocks.
    out_.insert(out_.size() - 1, std::string(parens, ')'));
  }
  // Lines written by another printer, indented to the current depth.
  void block(std::string_view text) {
    while (!text.empty()) {
      auto nl = text.find('\n');
      auto piece = text.substr(0, nl);
      if (!piece.empty()) out_ += std::string(depth_ * 2, ' ') + std::string(piece) + "\n";
      if (nl == std::string_view::npos) break;
      text.remove_prefix(nl + 1);
    }
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
  std::size_t depth_ = 0;
};

class Printer {
 public:
  Expected<std::string> print(const Component& c) {
    WASMOPS_TRY_VOID(component(c, "(component"));
    return w_.take();
  }

 private:
  TextWriter w_;

  Expected<void> coreType(const CoreTypeDef& t, const std::string& head) {
    if (!t.isModule) {
      if (t.recGroup.size() == 1) {
        WASMOPS_TRY(auto body, coreTypeEntry(t.recGroup[0]));
        w_.line(head + " " + body + ")");
        return {};
      }
      w_.open(head + " (rec");
      for (const auto& e : t.recGroup) {
        WASMOPS_TRY(auto body, coreTypeEntry(e));
        w_.line("(type " + body + ")");
      }
      w_.close(2);
      return {};
    }
    w_.open(head + " (module");
    for (const auto& d : t.module) {
      switch (d.kind) {
        case ModuleTypeDecl::Kind::Import:
          w_.line(fmt::format("(import {} {} {})", quote(d.import.module), quote(d.import.name), coreExternDesc(d.import)));
          break;
        case ModuleTypeDecl::Kind::Type:
          if (d.types.size() != 1) return tl::unexpected(unsupported("a recursion group in a module type", d.offset));
          {
            WASMOPS_TRY(auto body, coreTypeEntry(d.types[0]));
            w_.line("(type " + body + ")");
          }
          break;
        case ModuleTypeDecl::Kind::OuterAlias:
          w_.line(fmt::format("(alias outer {} {} (type))", d.outerCount, d.outerIndex));
          break;
        case ModuleTypeDecl::Kind::Export:
          w_.line(fmt::format("(export {} {})", quote(d.import.name), coreExternDesc(d.import)));
          break;
      }
    }
    w_.close(2);
    return {};
  }

  std::string alias(const ComponentAlias& a, const std::string& comment) {
    const std::string sort = sortWord(a.sort, false);
    switch (a.target) {
      case ComponentAlias::Target::InstanceExport:
        return fmt::format("(alias export {} {} ({}{}))", a.instance, quote(a.name), sort, comment);
      case ComponentAlias::Target::CoreInstanceExport:
        return fmt::format("(alias core export {} {} ({}{}))", a.instance, quote(a.name), sort, comment);
      case ComponentAlias::Target::Outer:
        return fmt::format("(alias outer {} {} ({}{}))", a.outerCount, a.outerIndex, sort, comment);
    }
    return "?";
  }

  // A type definition; component and instance types take several lines.
  Expected<void> typeDef(const ComponentTypeDef& t, const std::string& head) {
    switch (t.kind) {
      case ComponentTypeKind::Defined: w_.line(head + " " + definedType(t.defined) + ")"); return {};
      case ComponentTypeKind::Func: w_.line(head + " " + funcType(t.func) + ")"); return {};
      case ComponentTypeKind::Resource: {
        std::string r = "(resource (rep " + toString(t.resource.rep) + ")";
        if (t.resource.dtor) r += fmt::format(" (dtor (func {}))", *t.resource.dtor);
        w_.line(head + " " + r + "))");
        return {};
      }
      case ComponentTypeKind::Component:
      case ComponentTypeKind::Instance:
        w_.open(head);
        w_.open(t.kind == ComponentTypeKind::Component ? "(component" : "(instance");
        for (const auto& d : t.decls) WASMOPS_TRY_VOID(typeDecl(d));
        w_.close();
        w_.close();
        return {};
    }
    return {};
  }

  Expected<void> typeDecl(const TypeDecl& d) {
    switch (d.kind) {
      case TypeDecl::Kind::CoreType: return coreType(d.coreType, "(core type");
      case TypeDecl::Kind::Type: return typeDef(*d.type, "(type");
      case TypeDecl::Kind::Alias: w_.line(alias(d.alias, "")); return {};
      case TypeDecl::Kind::Export: w_.line(fmt::format("(export {} {})", quote(d.name.name), externDesc(d.desc))); return {};
      case TypeDecl::Kind::Import: w_.line(fmt::format("(import {} {})", quote(d.name.name), externDesc(d.desc))); return {};
    }
    return {};
  }

  Expected<void> nestedModule(const NestedModule& m, std::uint32_t index) {
    auto wabt = validate::readAndValidateWithWabt(m.bytes, /*readNames=*/true);
    if (!wabt.diagnostics.empty()) {
      Error e = wabt.diagnostics.front().toError();
      e.message = fmt::format("cannot print nested core module {} as text: {}", index, e.message);
      if (e.offset) *e.offset += m.offset;
      return tl::unexpected(std::move(e));
    }
    WASMOPS_TRY(auto text, validate::writeWat(*wabt.module, /*foldExprs=*/false, /*inlineExports=*/false));
    // wabt writes `(module` + body + `)`: keep the body, under our own head.
    std::string_view body = text;
    auto first = body.find('\n');
    auto last = body.rfind(')');
    w_.open(fmt::format("(core module (;{};)", index));
    if (first != std::string_view::npos && last != std::string_view::npos && last > first) {
      // The body is indented by wabt already; strip its two spaces.
      std::string inner;
      std::string_view rest = body.substr(first + 1, last - first - 1);
      while (!rest.empty()) {
        auto nl = rest.find('\n');
        auto piece = rest.substr(0, nl);
        if (piece.rfind("  ", 0) == 0) piece.remove_prefix(2);
        inner += std::string(piece) + "\n";
        if (nl == std::string_view::npos) break;
        rest.remove_prefix(nl + 1);
      }
      w_.block(inner);
    }
    w_.close();
    return {};
  }

  Expected<void> component(const Component& c, const std::string& head) {
    if (!c.values.empty()) return tl::unexpected(unsupported("a value definition", c.values.front().offset));
    IndexCounters n;
    w_.open(head);
    for (const auto& e : definitionOrder(c)) {
      switch (e.kind) {
        case DefinitionKind::CoreModule: WASMOPS_TRY_VOID(nestedModule(c.modules[e.index], n.next(Sort::CoreModule))); break;
        case DefinitionKind::Component:
          WASMOPS_TRY_VOID(component(c.components[e.index], fmt::format("(component (;{};)", n.next(Sort::Component))));
          break;
        case DefinitionKind::CoreInstance: coreInstance(c.coreInstances[e.index], n.next(Sort::CoreInstance)); break;
        case DefinitionKind::CoreType:
          WASMOPS_TRY_VOID(coreType(c.coreTypes[e.index], fmt::format("(core type (;{};)", n.next(Sort::CoreType))));
          break;
        case DefinitionKind::Instance: instance(c.instances[e.index], n.next(Sort::Instance)); break;
        case DefinitionKind::Alias: {
          const auto& a = c.aliases[e.index];
          w_.line(alias(a, fmt::format(" (;{};)", n.next(a.sort))));
          break;
        }
        case DefinitionKind::Type:
          WASMOPS_TRY_VOID(typeDef(c.types[e.index], fmt::format("(type (;{};)", n.next(Sort::Type))));
          break;
        case DefinitionKind::Canon: WASMOPS_TRY_VOID(canon(c.canons[e.index], n)); break;
        case DefinitionKind::Start: {
          const auto& s = c.starts[e.index];
          std::string text = fmt::format("(start {}", s.func);
          for (auto v : s.args) text += fmt::format(" (value {})", v);
          for (std::uint32_t i = 0; i < s.results; ++i) text += fmt::format(" (result (value (;{};)))", n.next(Sort::Value));
          w_.line(text + ")");
          break;
        }
        case DefinitionKind::Import: {
          const auto& i = c.imports[e.index];
          std::string desc = externDesc(i.desc);
          // `(func (type 3))` -> `(func (;N;) (type 3))`: the comment names the new index.
          const std::size_t at = i.desc.kind == ComponentExternKind::CoreModule ? std::string_view("(core module").size()
                                                                                : desc.find(' ');
          desc.insert(at, fmt::format(" (;{};)", n.next(sortOf(i.desc.kind))));
          w_.line(fmt::format("(import {} {})", quote(i.name.name), desc));
          break;
        }
        case DefinitionKind::Export: {
          const auto& x = c.exports[e.index];
          std::string text = fmt::format("(export (;{};) {} ({} {})", n.next(x.item.sort), quote(x.name.name),
                                         sortWord(x.item.sort, false), x.item.index);
          if (x.desc) text += fmt::format(" {}", externDesc(*x.desc));
          w_.line(text + ")");
          break;
        }
        case DefinitionKind::Value: break;  // refused above
      }
    }
    w_.close();
    return {};
  }

  void coreInstance(const CoreInstance& i, std::uint32_t index) {
    if (i.instantiate) {
      if (i.args.empty()) {
        w_.line(fmt::format("(core instance (;{};) (instantiate {}))", index, i.module));
        return;
      }
      w_.open(fmt::format("(core instance (;{};) (instantiate {}", index, i.module));
      for (const auto& a : i.args) w_.line(fmt::format("(with {} (instance {}))", quote(a.name), a.instance));
      w_.close(2);
      return;
    }
    if (i.exports.empty()) {
      w_.line(fmt::format("(core instance (;{};))", index));
      return;
    }
    w_.open(fmt::format("(core instance (;{};)", index));
    for (const auto& x : i.exports)
      w_.line(fmt::format("(export {} ({} {}))", quote(x.name), sortWord(x.item.sort, true), x.item.index));
    w_.close();
  }

  void instance(const ComponentInstance& i, std::uint32_t index) {
    if (i.instantiate) {
      if (i.args.empty()) {
        w_.line(fmt::format("(instance (;{};) (instantiate {}))", index, i.component));
        return;
      }
      w_.open(fmt::format("(instance (;{};) (instantiate {}", index, i.component));
      for (const auto& a : i.args)
        w_.line(fmt::format("(with {} ({} {}))", quote(a.name), sortWord(a.item.sort, false), a.item.index));
      w_.close(2);
      return;
    }
    if (i.exports.empty()) {
      w_.line(fmt::format("(instance (;{};))", index));
      return;
    }
    w_.open(fmt::format("(instance (;{};)", index));
    for (const auto& x : i.exports)
      w_.line(fmt::format("(export {} ({} {}))", quote(x.name.name), sortWord(x.item.sort, false), x.item.index));
    w_.close();
  }

  Expected<void> canon(const CanonFunc& c, IndexCounters& n) {
    switch (c.kind) {
      case CanonFunc::Kind::Lift:
        w_.line(fmt::format("(func (;{};) (type {}) (canon lift (core func {}){}))", n.next(Sort::Func), c.type, c.func,
                            canonOptions(c.options)));
        return {};
      case CanonFunc::Kind::Lower:
        w_.line(fmt::format("(core func (;{};) (canon lower (func {}){}))", n.next(Sort::CoreFunc), c.func,
                            canonOptions(c.options)));
        return {};
      case CanonFunc::Kind::ResourceNew:
      case CanonFunc::Kind::ResourceRep:
        w_.line(fmt::format("(core func (;{};) (canon {} {}))", n.next(Sort::CoreFunc), c.builtin, c.type));
        return {};
      case CanonFunc::Kind::ResourceDrop:
        w_.line(fmt::format("(core func (;{};) (canon resource.drop {}{}))", n.next(Sort::CoreFunc), c.type,
                            c.flag ? " async" : ""));
        return {};
      case CanonFunc::Kind::Builtin: break;
    }
    return tl::unexpected(unsupported(fmt::format("the canon built-in {}", c.builtin), c.offset));
  }
};

}  // namespace

Expected<std::string> printComponentText(const binary::Component& component) {
  Printer p;
  return p.print(component);
}

}  // namespace wasmops::component
