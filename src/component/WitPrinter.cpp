#include "component/WitPrinter.h"

#include <fmt/format.h>

#include <string_view>
#include <utility>
#include <variant>

namespace wasmops::component {

namespace {

// wit-parser's keywords: as names they need the `%` prefix.
constexpr std::string_view kKeywords[] = {
    "use",      "type",   "func",     "u8",        "u16",    "u32",      "u64",     "s8",
    "s16",      "s32",    "s64",      "f32",       "f64",    "float32",  "float64", "char",
    "resource", "record", "flags",    "variant",   "enum",   "bool",     "string",  "option",
    "result",   "future", "stream",   "list",      "own",    "borrow",   "_",       "as",
    "from",     "static", "interface", "tuple",    "world",  "import",   "export",  "package",
    "with",     "include", "constructor", "error-context", "async", "map"};

// Indentation as wit-component's OutputToString does it: a line is indented
// when its first text arrives, so blank lines carry no spaces.
class Out {
 public:
  void str(std::string_view s) {
    indentIfNeeded();
    text_ += s;
  }
  void newline() {
    text_ += '\n';
    needsIndent_ = true;
  }
  void open() {  // ` {` and a new line
    text_ += " {";
    ++indent_;
    newline();
  }
  void close() {  // `}` and a new line
    if (indent_ > 0) --indent_;
    indentIfNeeded();
    text_ += '}';
    newline();
  }
  void semicolon() {
    text_ += ';';
    newline();
  }
  void docs(const std::string& docs) {
    if (docs.empty()) return;
    std::size_t start = 0;
    while (start < docs.size()) {  // as Rust's lines(): no line after a final newline
      std::size_t end = docs.find('\n', start);
      if (end == std::string::npos) end = docs.size();
      std::string_view line(docs.data() + start, end - start);
      indentIfNeeded();
      text_ += "///";
      if (!line.empty()) {
        text_ += ' ';
        text_ += line;
      }
      newline();
      if (end == docs.size()) break;
      start = end + 1;
    }
  }
  std::string take() { return std::move(text_); }

 private:
  void indentIfNeeded() {
    if (!needsIndent_) return;
    for (int i = 0; i < indent_; ++i) text_ += "  ";
    needsIndent_ = false;
  }
  std::string text_;
  int indent_ = 0;
  bool needsIndent_ = false;
};

std::string name(const std::string& n) { return escapeWitName(n); }

std::string path(const wit::UsePath& p) {
  if (p.ns.empty() && p.package.empty()) return name(p.interface);
  std::string s = name(p.ns) + ":" + name(p.package) + "/" + name(p.interface);
  if (!p.version.empty()) s += "@" + p.version;
  return s;
}

class Printer {
 public:
  std::string print(const wit::Document& doc) {
    for (std::size_t i = 0; i < doc.packages.size(); ++i) {
      if (i > 1) {
        out_.newline();
        out_.newline();
      }
      package(doc.packages[i], i == 0);
    }
    return out_.take();
  }

 private:
  void package(const wit::Package& p, bool isMain) {
    out_.str("package " + name(p.name.ns) + ":" + name(p.name.name));
    if (!p.name.version.empty()) out_.str("@" + p.name.version);
    if (isMain) {
      out_.semicolon();
      out_.newline();
    } else {
      out_.open();
    }
    for (const auto& i : p.interfaces) {
      out_.docs(i.docs);
      out_.str("interface " + name(i.name));
      out_.open();
      interfaceBody(i);
      out_.close();
      if (isMain) out_.newline();
    }
    for (const auto& w : p.worlds) {
      out_.docs(w.docs);
      out_.str("world " + name(w.name));
      out_.open();
      world(w);
      out_.close();
    }
    if (!isMain) out_.close();
  }

  // A blank line between items, but not before the first.
  void newItem() {
    if (anyItems_) out_.newline();
    anyItems_ = true;
  }

  void use(const wit::Use& u) {
    anyItems_ = true;
    std::string s = "use " + path(u.from) + ".{";
    for (std::size_t i = 0; i < u.names.size(); ++i) {
      if (i) s += ", ";
      s += name(u.names[i].name);
      if (!u.names[i].as.empty() && u.names[i].as != u.names[i].name) s += " as " + name(u.names[i].as);
    }
    out_.str(s + "}");
    out_.semicolon();
  }

  void interfaceBody(const wit::Interface& iface) {
    const bool prev = std::exchange(anyItems_, false);
    for (const auto& item : iface.items)
      if (const auto* u = std::get_if<wit::Use>(&item)) use(*u);
    for (const auto& item : iface.items)
      if (const auto* t = std::get_if<wit::TypeDef>(&item)) typeDef(*t);
    for (const auto& item : iface.items)
      if (const auto* f = std::get_if<wit::Function>(&item)) {
        newItem();
        out_.docs(f->docs);
        out_.str(name(f->name) + ": ");
        function(*f);
        out_.semicolon();
      }
    anyItems_ = prev;
  }

  void typeDef(const wit::TypeDef& t) {
    newItem();
    out_.docs(t.docs);
    switch (t.kind) {
      case wit::TypeDef::Kind::Alias:
        // `type a = own<b>` stays a handle: `type a = b` would be an alias of the resource.
        out_.str("type " + name(t.name) + " = " +
                 (t.alias.kind == wit::Type::Kind::Own ? "own<" + name(t.alias.name) + ">" : printWitType(t.alias)));
        out_.semicolon();
        return;
      case wit::TypeDef::Kind::Record:
        out_.str("record " + name(t.name));
        out_.open();
        for (const auto& f : t.fields) {
          out_.docs(f.docs);
          out_.str(name(f.name) + ": " + printWitType(f.type) + ",");
          out_.newline();
        }
        out_.close();
        return;
      case wit::TypeDef::Kind::Variant:
      case wit::TypeDef::Kind::Enum:
      case wit::TypeDef::Kind::Flags:
        out_.str(std::string(t.kind == wit::TypeDef::Kind::Variant ? "variant "
                             : t.kind == wit::TypeDef::Kind::Enum  ? "enum "
                                                                   : "flags ") +
                 name(t.name));
        out_.open();
        for (const auto& c : t.cases) {
          out_.docs(c.docs);
          // fmt rather than `"(" + std::string`: GCC 12 warns (-Wrestrict) on the latter at -O3.
          out_.str(c.type ? fmt::format("{}({}),", name(c.name), printWitType(*c.type)) : name(c.name) + ",");
          out_.newline();
        }
        out_.close();
        return;
      case wit::TypeDef::Kind::Resource:
        out_.str("resource " + name(t.name));
        if (t.functions.empty()) {
          out_.semicolon();
          return;
        }
        out_.open();
        for (const auto& f : t.functions) {
          out_.docs(f.docs);
          if (f.kind == wit::Function::Kind::Method) out_.str(name(f.name) + ": ");
          if (f.kind == wit::Function::Kind::Static) out_.str(name(f.name) + ": static ");
          if (f.kind == wit::Function::Kind::Freestanding) out_.str(name(f.name) + ": ");
          function(f);
          out_.semicolon();
        }
        out_.close();
        return;
    }
  }

  void function(const wit::Function& f) {
    std::string s = f.async ? "async " : "";
    s += f.kind == wit::Function::Kind::Constructor ? "constructor(" : "func(";
    for (std::size_t i = 0; i < f.params.size(); ++i)
      s += (i ? ", " : "") + name(f.params[i].name) + ": " + printWitType(f.params[i].type);
    s += ")";
    if (f.result) s += " -> " + printWitType(*f.result);
    out_.str(s);
  }

  void world(const wit::World& w) {
    const bool prev = std::exchange(anyItems_, false);
    for (const auto& inc : w.includes) {
      std::string s = "include " + path(inc.world);
      if (!inc.with.empty()) {
        s += " with { ";
        for (std::size_t i = 0; i < inc.with.size(); ++i)
          s += (i ? ", " : "") + name(inc.with[i].name) + " as " + name(inc.with[i].as);
        s += " }";
        out_.str(s);
        out_.newline();
      } else {
        out_.str(s);
        out_.semicolon();
      }
      anyItems_ = true;
    }
    // Interfaces first, then types, then functions: wit-component's order,
    // which keeps a world's items roughly topological.
    for (const auto& item : w.items)
      if (item.isImport && (item.kind == wit::WorldItem::Kind::InterfaceRef ||
                            item.kind == wit::WorldItem::Kind::InlineInterface)) {
        worldItem(item);
        anyItems_ = true;
      }
    for (const auto& item : w.items)
      if (item.kind == wit::WorldItem::Kind::Use) use(item.use);
    for (const auto& item : w.items)
      if (item.kind == wit::WorldItem::Kind::Type) typeDef(item.type);
    for (const auto& item : w.items)
      if (item.isImport && item.kind == wit::WorldItem::Kind::Function) {
        worldItem(item);
        anyItems_ = true;
      }
    bool exports = false;
    for (const auto& item : w.items)
      if (!item.isImport && (item.kind == wit::WorldItem::Kind::InterfaceRef ||
                             item.kind == wit::WorldItem::Kind::InlineInterface ||
                             item.kind == wit::WorldItem::Kind::Function)) {
        if (!exports) newItem();
        exports = true;
        worldItem(item);
      }
    anyItems_ = prev;
  }

  void worldItem(const wit::WorldItem& item) {
    const char* keyword = item.isImport ? "import " : "export ";
    switch (item.kind) {
      case wit::WorldItem::Kind::InterfaceRef:
        out_.str(keyword + (item.name.empty() || item.name == wit::toString(item.path) ? path(item.path)
                                                                                       : name(item.name) + ": " + path(item.path)));
        out_.semicolon();
        return;
      case wit::WorldItem::Kind::InlineInterface:
        out_.docs(item.inlineInterface.docs);
        out_.str(keyword + name(item.name) + ": interface");
        out_.open();
        interfaceBody(item.inlineInterface);
        out_.close();
        return;
      case wit::WorldItem::Kind::Function:
        out_.docs(item.function.docs);
        out_.str(keyword + name(item.name.empty() ? item.function.name : item.name) + ": ");
        function(item.function);
        out_.semicolon();
        return;
      default: return;
    }
  }

  Out out_;
  bool anyItems_ = false;
};

}  // namespace

std::string escapeWitName(const std::string& n) {
  for (auto k : kKeywords)
    if (n == k) return "%" + n;
  return n;
}

std::string printWitType(const wit::Type& t) {
  auto args = [&](std::size_t from) {
    std::string s;
    for (std::size_t i = from; i < t.args.size(); ++i) s += (i > from ? ", " : "") + printWitType(t.args[i]);
    return s;
  };
  auto one = [&](const char* head) {
    return t.args.empty() ? std::string(head) : fmt::format("{}<{}>", head, printWitType(t.args[0]));
  };
  switch (t.kind) {
    case wit::Type::Kind::Primitive: return binary::toString(t.primitive);
    case wit::Type::Kind::Named: return escapeWitName(t.name);
    case wit::Type::Kind::List: return one("list");
    case wit::Type::Kind::FixedList: return fmt::format("list<{}, {}>", args(0), t.length);
    case wit::Type::Kind::Option: return one("option");
    case wit::Type::Kind::Tuple: return "tuple<" + args(0) + ">";
    case wit::Type::Kind::Own: return escapeWitName(t.name);
    case wit::Type::Kind::Borrow: return "borrow<" + escapeWitName(t.name) + ">";
    case wit::Type::Kind::Future: return one("future");
    case wit::Type::Kind::Stream: return one("stream");
    case wit::Type::Kind::Map: return "map<" + args(0) + ">";
    case wit::Type::Kind::Result: {
      if (!t.resultOk && !t.resultErr) return "result";
      if (!t.resultErr) return one("result");
      const std::string err = printWitType(t.args.back());
      return t.resultOk && t.args.size() >= 2 ? fmt::format("result<{}, {}>", printWitType(t.args[0]), err)
                                              : "result<_, " + err + ">";
    }
  }
  return "?";
}

std::string printWit(const wit::Document& document) { return Printer().print(document); }

}  // namespace wasmops::component
