#include "component/WitParser.h"

#include <utility>

#include "component/WitLexer.h"

namespace wasmops::component::wit {
namespace {

using K = TokenKind;

std::optional<binary::PrimValType> primitiveOf(K kind) {
  using P = binary::PrimValType;
  switch (kind) {
    case K::KwBool: return P::Bool;
    case K::KwS8: return P::S8;
    case K::KwU8: return P::U8;
    case K::KwS16: return P::S16;
    case K::KwU16: return P::U16;
    case K::KwS32: return P::S32;
    case K::KwU32: return P::U32;
    case K::KwS64: return P::S64;
    case K::KwU64: return P::U64;
    case K::KwF32: return P::F32;
    case K::KwF64: return P::F64;
    case K::KwChar: return P::Char;
    case K::KwString: return P::String;
    default: return std::nullopt;
  }
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, std::string file) : toks_(std::move(tokens)), file_(std::move(file)) {}

  Expected<WitFile> run() {
    WitFile out;
    out.file = file_;
    out.root.package.at = here();
    bool first = true;
    while (!peek(K::End)) {
      std::string docs = cur().docs;
      WASMOPS_TRY_VOID(skipGates());
      if (peek(K::KwPackage)) {
        Location at = here();
        next();
        WASMOPS_TRY(PackageName name, parsePackageName());
        if (peek(K::Semicolon)) {
          if (!first) return fail(at, "the `package` declaration must come before every other item");
          next();
          out.root.package.name = std::move(name);
          out.root.package.at = at;
          out.root.declared = true;
        } else {
          WASMOPS_TRY_VOID(expect(K::LBrace));
          PackageBody body;
          body.package.name = std::move(name);
          body.package.at = at;
          body.declared = true;
          while (!peek(K::RBrace)) {
            if (peek(K::End)) return unexpected("`}`");
            std::string itemDocs = cur().docs;
            WASMOPS_TRY_VOID(skipGates());
            if (peek(K::KwPackage)) return fail(here(), "package blocks cannot be nested");
            WASMOPS_TRY_VOID(parsePackageItem(body, std::move(itemDocs)));
          }
          next();
          out.nested.push_back(std::move(body));
        }
      } else {
        WASMOPS_TRY_VOID(parsePackageItem(out.root, std::move(docs)));
      }
      first = false;
    }
    return out;
  }

 private:
  const Token& cur() const { return toks_[pos_]; }
  bool peek(K kind) const { return cur().kind == kind; }
  bool peekAt(std::size_t ahead, K kind) const {
    std::size_t i = pos_ + ahead;
    return i < toks_.size() ? toks_[i].kind == kind : kind == K::End;
  }
  const Token& next() {
    const Token& t = toks_[pos_];
    if (pos_ + 1 < toks_.size()) ++pos_;
    return t;
  }
  Location locOf(const Token& t) const { return Location{file_, t.line, t.column, t.offset}; }
  Location here() const { return locOf(cur()); }

  Unexpected fail(const Location& at, std::string message) const {
    Error e(ErrorCode::Malformed, std::move(message));
    e.file = at.file;
    e.line = at.line;
    e.column = at.column;
    e.offset = at.offset;
    return Unexpected(std::move(e));
  }
  Unexpected unexpected(const std::string& wanted) const {
    std::string found = describe(cur().kind);
    if (peek(K::Id) || peek(K::ExplicitId)) found = "identifier `" + cur().text + "`";
    return fail(here(), "expected " + wanted + ", found " + found);
  }
  Expected<void> expect(K kind) {
    if (!peek(kind)) return unexpected(describe(kind));
    next();
    return {};
  }
  bool eat(K kind) {
    if (!peek(kind)) return false;
    next();
    return true;
  }

  // A name: a kebab-case identifier, or `%keyword`.
  Expected<std::string> parseId() {
    if (!peek(K::Id) && !peek(K::ExplicitId)) return unexpected("an identifier");
    if (!isValidWitIdentifier(cur().text))
      return fail(here(), "`" + cur().text + "` is not a valid identifier: use kebab-case (`a-b2`), each word all "
                                             "lower- or all upper-case, starting with a letter");
    return next().text;
  }

  Expected<std::string> parseVersion() {
    if (!peek(K::Version) && !peek(K::Integer)) return unexpected("a version");
    Location at = here();
    std::string v = next().text;
    if (!isValidSemver(v)) return fail(at, "`" + v + "` is not a valid semver version (major.minor.patch)");
    return v;
  }

  // `ns:name@1.2.3`
  Expected<PackageName> parsePackageName() {
    PackageName name;
    WASMOPS_TRY_ASSIGN(name.ns, parseId());
    WASMOPS_TRY_VOID(expect(K::Colon));
    WASMOPS_TRY_ASSIGN(name.name, parseId());
    if (peek(K::Colon)) return fail(here(), "nested namespaces (`a:b:c`) are not supported");
    if (peek(K::Slash)) return fail(here(), "nested packages (`a:b/c`) are not supported");
    if (eat(K::At)) WASMOPS_TRY_ASSIGN(name.version, parseVersion());
    return name;
  }

  // `iface` or `ns:pkg/iface@1.2.3`.
  Expected<UsePath> parseUsePath() {
    UsePath path;
    path.at = here();
    WASMOPS_TRY(std::string first, parseId());
    if (!eat(K::Colon)) {
      path.interface = std::move(first);
      return path;
    }
    path.ns = std::move(first);
    WASMOPS_TRY_ASSIGN(path.package, parseId());
    if (peek(K::Colon)) return fail(here(), "nested namespaces (`a:b:c`) are not supported");
    WASMOPS_TRY_VOID(expect(K::Slash));
    WASMOPS_TRY_ASSIGN(path.interface, parseId());
    if (peek(K::Slash)) return fail(here(), "nested packages (`a:b/c/d`) are not supported");
    if (eat(K::At)) WASMOPS_TRY_ASSIGN(path.version, parseVersion());
    return path;
  }

  // `@since(version = 1.2.3)`, `@unstable(feature = x)`, `@deprecated(...)`,
  // `@external-id("...")`: accepted and not kept.
  Expected<void> skipGates() {
    while (peek(K::At)) {
      next();
      Location at = here();
      if (!peek(K::Id)) return unexpected("`since`, `unstable`, `deprecated` or `external-id`");
      std::string name = next().text;
      if (name != "since" && name != "unstable" && name != "deprecated" && name != "external-id")
        return fail(at, "unknown attribute `@" + name + "`");
      WASMOPS_TRY_VOID(expect(K::LParen));
      if (name == "external-id") {
        WASMOPS_TRY_VOID(expect(K::String));
      } else {
        WASMOPS_TRY(std::string key, parseId());
        std::string wanted = name == "unstable" ? "feature" : "version";
        if (key != wanted) return fail(locOf(toks_[pos_ - 1]), "expected `" + wanted + "` in `@" + name + "`");
        WASMOPS_TRY_VOID(expect(K::Equals));
        if (wanted == "feature") {
          WASMOPS_TRY_VOID(parseId());
        } else {
          WASMOPS_TRY_VOID(parseVersion());
        }
      }
      WASMOPS_TRY_VOID(expect(K::RParen));
    }
    return {};
  }

  Expected<void> parsePackageItem(PackageBody& body, std::string docs) {
    if (peek(K::KwUse)) {
      TopLevelUse use;
      use.at = here();
      next();
      WASMOPS_TRY_ASSIGN(use.path, parseUsePath());
      if (eat(K::KwAs)) WASMOPS_TRY_ASSIGN(use.as, parseId());
      WASMOPS_TRY_VOID(expect(K::Semicolon));
      body.uses.push_back(std::move(use));
      return {};
    }
    if (peek(K::KwInterface)) {
      Interface iface;
      iface.docs = std::move(docs);
      iface.at = here();
      next();
      WASMOPS_TRY_ASSIGN(iface.name, parseId());
      WASMOPS_TRY_VOID(parseInterfaceBody(iface));
      body.package.interfaces.push_back(std::move(iface));
      return {};
    }
    if (peek(K::KwWorld)) {
      World world;
      world.docs = std::move(docs);
      world.at = here();
      next();
      WASMOPS_TRY_ASSIGN(world.name, parseId());
      WASMOPS_TRY_VOID(parseWorldBody(world));
      body.package.worlds.push_back(std::move(world));
      return {};
    }
    return unexpected("`interface`, `world`, `use` or `package`");
  }

  Expected<void> parseInterfaceBody(Interface& iface) {
    WASMOPS_TRY_VOID(expect(K::LBrace));
    while (!eat(K::RBrace)) {
      std::string docs = cur().docs;
      WASMOPS_TRY_VOID(skipGates());
      if (peek(K::KwUse)) {
        WASMOPS_TRY(Use use, parseUse());
        iface.items.emplace_back(std::move(use));
      } else if (isTypedefStart()) {
        WASMOPS_TRY(TypeDef def, parseTypedef(std::move(docs)));
        iface.items.emplace_back(std::move(def));
      } else if (peek(K::Id) || peek(K::ExplicitId)) {
        Location at = here();
        WASMOPS_TRY(std::string name, parseId());
        WASMOPS_TRY_VOID(expect(K::Colon));
        WASMOPS_TRY(Function f, parseFuncType());
        WASMOPS_TRY_VOID(expect(K::Semicolon));
        f.name = std::move(name);
        f.docs = std::move(docs);
        f.at = at;
        iface.items.emplace_back(std::move(f));
      } else if (peek(K::End)) {
        return unexpected("`}`");
      } else {
        return unexpected("`use`, a type definition, a function or `}`");
      }
    }
    return {};
  }

  bool isTypedefStart() const {
    switch (cur().kind) {
      case K::KwType: case K::KwRecord: case K::KwVariant: case K::KwEnum: case K::KwFlags: case K::KwResource:
        return true;
      default: return false;
    }
  }

  // `use path.{a, b as c};`
  Expected<Use> parseUse() {
    Use use;
    use.at = here();
    next();
    WASMOPS_TRY_ASSIGN(use.from, parseUsePath());
    WASMOPS_TRY_VOID(expect(K::Period));
    WASMOPS_TRY_VOID(expect(K::LBrace));
    do {
      if (peek(K::RBrace) && !use.names.empty()) break;
      UseName n;
      n.at = here();
      WASMOPS_TRY_ASSIGN(n.name, parseId());
      if (eat(K::KwAs)) WASMOPS_TRY_ASSIGN(n.as, parseId());
      use.names.push_back(std::move(n));
    } while (eat(K::Comma));
    WASMOPS_TRY_VOID(expect(K::RBrace));
    WASMOPS_TRY_VOID(expect(K::Semicolon));
    return use;
  }

  Expected<TypeDef> parseTypedef(std::string docs) {
    TypeDef def;
    def.docs = std::move(docs);
    def.at = here();
    K kind = next().kind;
    WASMOPS_TRY_ASSIGN(def.name, parseId());
    switch (kind) {
      case K::KwType:
        def.kind = TypeDef::Kind::Alias;
        WASMOPS_TRY_VOID(expect(K::Equals));
        WASMOPS_TRY_ASSIGN(def.alias, parseType(0));
        WASMOPS_TRY_VOID(expect(K::Semicolon));
        return def;
      case K::KwRecord: {
        def.kind = TypeDef::Kind::Record;
        auto item0 = [&]() -> Expected<void> {
          Field f;
          f.docs = cur().docs;
          f.at = here();
          WASMOPS_TRY_ASSIGN(f.name, parseId());
          WASMOPS_TRY_VOID(expect(K::Colon));
          WASMOPS_TRY_ASSIGN(f.type, parseType(0));
          def.fields.push_back(std::move(f));
          return {};
        };
        WASMOPS_TRY_VOID(parseBraceList(item0));
        return def;
      }
      case K::KwVariant:
      case K::KwEnum:
      case K::KwFlags: {
        def.kind = kind == K::KwVariant ? TypeDef::Kind::Variant
                   : kind == K::KwEnum  ? TypeDef::Kind::Enum
                                        : TypeDef::Kind::Flags;
        auto item1 = [&]() -> Expected<void> {
          Case c;
          c.docs = cur().docs;
          c.at = here();
          WASMOPS_TRY_ASSIGN(c.name, parseId());
          if (kind == K::KwVariant && eat(K::LParen)) {
            WASMOPS_TRY(Type t, parseType(0));
            c.type = std::move(t);
            WASMOPS_TRY_VOID(expect(K::RParen));
          }
          def.cases.push_back(std::move(c));
          return {};
        };
        WASMOPS_TRY_VOID(parseBraceList(item1));
        return def;
      }
      case K::KwResource:
        def.kind = TypeDef::Kind::Resource;
        if (eat(K::Semicolon)) return def;
        WASMOPS_TRY_VOID(parseResourceBody(def));
        return def;
      default: return fail(def.at, "internal: not a type definition");
    }
  }

  // `{ item, item, }`: a trailing comma is allowed.
  template <typename F>
  Expected<void> parseBraceList(F item) {
    WASMOPS_TRY_VOID(expect(K::LBrace));
    while (!peek(K::RBrace)) {
      WASMOPS_TRY_VOID(item());
      if (!eat(K::Comma)) break;
    }
    return expect(K::RBrace);
  }

  Expected<void> parseResourceBody(TypeDef& def) {
    WASMOPS_TRY_VOID(expect(K::LBrace));
    while (!eat(K::RBrace)) {
      std::string docs = cur().docs;
      WASMOPS_TRY_VOID(skipGates());
      Location at = here();
      Function f;
      if (eat(K::KwConstructor)) {
        f.kind = Function::Kind::Constructor;
        f.name = "constructor";
        WASMOPS_TRY_ASSIGN(f.params, parseParams());
        if (eat(K::Arrow)) {
          WASMOPS_TRY(Type t, parseType(0));
          f.result = std::move(t);
        }
      } else if (peek(K::Id) || peek(K::ExplicitId)) {
        WASMOPS_TRY(std::string name, parseId());
        WASMOPS_TRY_VOID(expect(K::Colon));
        bool isStatic = eat(K::KwStatic);
        WASMOPS_TRY_ASSIGN(f, parseFuncType());
        f.name = std::move(name);
        f.kind = isStatic ? Function::Kind::Static : Function::Kind::Method;
      } else if (peek(K::End)) {
        return unexpected("`}`");
      } else {
        return unexpected("`constructor`, a method or `}`");
      }
      WASMOPS_TRY_VOID(expect(K::Semicolon));
      f.docs = std::move(docs);
      f.at = at;
      def.functions.push_back(std::move(f));
    }
    return {};
  }

  // `async? func(params) (-> T)?`
  Expected<Function> parseFuncType() {
    Function f;
    f.async = eat(K::KwAsync);
    if (!peek(K::KwFunc)) return unexpected(f.async ? "`func`" : "`func` or `async`");
    next();
    WASMOPS_TRY_ASSIGN(f.params, parseParams());
    if (eat(K::Arrow)) {
      if (peek(K::LParen)) return fail(here(), "functions return at most one unnamed type (`-> T`)");
      WASMOPS_TRY(Type t, parseType(0));
      f.result = std::move(t);
    }
    return f;
  }

  Expected<std::vector<Param>> parseParams() {
    std::vector<Param> params;
    WASMOPS_TRY_VOID(expect(K::LParen));
    while (!peek(K::RParen)) {
      Param p;
      p.at = here();
      WASMOPS_TRY_ASSIGN(p.name, parseId());
      WASMOPS_TRY_VOID(expect(K::Colon));
      WASMOPS_TRY_ASSIGN(p.type, parseType(0));
      params.push_back(std::move(p));
      if (!eat(K::Comma)) break;
    }
    WASMOPS_TRY_VOID(expect(K::RParen));
    return params;
  }

  Expected<Type> parseType(unsigned depth) {
    if (depth >= kMaxWitTypeDepth)
      return fail(here(), "types nest more than " + std::to_string(kMaxWitTypeDepth) + " deep");
    Type t;
    t.at = here();
    if (auto prim = primitiveOf(cur().kind)) {
      next();
      t.kind = Type::Kind::Primitive;
      t.primitive = *prim;
      return t;
    }
    auto one = [&](Type::Kind kind, bool optional) -> Expected<Type> {
      next();
      t.kind = kind;
      if (optional && !peek(K::Less)) return t;
      WASMOPS_TRY_VOID(expect(K::Less));
      WASMOPS_TRY(Type arg, parseType(depth + 1));
      t.args.push_back(std::move(arg));
      WASMOPS_TRY_VOID(expect(K::Greater));
      return t;
    };
    switch (cur().kind) {
      case K::Id:
      case K::ExplicitId:
        t.kind = Type::Kind::Named;
        WASMOPS_TRY_ASSIGN(t.name, parseId());
        return t;
      case K::KwOption: return one(Type::Kind::Option, false);
      case K::KwFuture: return one(Type::Kind::Future, true);
      case K::KwStream: return one(Type::Kind::Stream, true);
      case K::KwBorrow:
      case K::KwOwn: {
        t.kind = peek(K::KwBorrow) ? Type::Kind::Borrow : Type::Kind::Own;
        next();
        WASMOPS_TRY_VOID(expect(K::Less));
        WASMOPS_TRY_ASSIGN(t.name, parseId());
        WASMOPS_TRY_VOID(expect(K::Greater));
        return t;
      }
      case K::KwList: {
        next();
        t.kind = Type::Kind::List;
        WASMOPS_TRY_VOID(expect(K::Less));
        WASMOPS_TRY(Type arg, parseType(depth + 1));
        t.args.push_back(std::move(arg));
        if (eat(K::Comma)) {
          Location at = here();
          if (!peek(K::Integer)) return unexpected("the list's length");
          const std::string& digits = next().text;
          if (digits.size() > 9 || digits[0] == '0' || std::stoul(digits) == 0)
            return fail(at, "a fixed-length list has a length from 1 to 999999999");
          t.kind = Type::Kind::FixedList;
          t.length = static_cast<std::uint32_t>(std::stoul(digits));
        }
        WASMOPS_TRY_VOID(expect(K::Greater));
        return t;
      }
      case K::KwMap: {
        next();
        t.kind = Type::Kind::Map;
        WASMOPS_TRY_VOID(expect(K::Less));
        WASMOPS_TRY(Type key, parseType(depth + 1));
        WASMOPS_TRY_VOID(expect(K::Comma));
        WASMOPS_TRY(Type value, parseType(depth + 1));
        WASMOPS_TRY_VOID(expect(K::Greater));
        t.args.push_back(std::move(key));
        t.args.push_back(std::move(value));
        return t;
      }
      case K::KwTuple: {
        next();
        t.kind = Type::Kind::Tuple;
        WASMOPS_TRY_VOID(expect(K::Less));
        do {
          if (peek(K::Greater) && !t.args.empty()) break;
          WASMOPS_TRY(Type arg, parseType(depth + 1));
          t.args.push_back(std::move(arg));
        } while (eat(K::Comma));
        WASMOPS_TRY_VOID(expect(K::Greater));
        return t;
      }
      case K::KwResult: {
        next();
        t.kind = Type::Kind::Result;
        if (!eat(K::Less)) return t;
        if (eat(K::Underscore)) {
          WASMOPS_TRY_VOID(expect(K::Comma));
        } else {
          WASMOPS_TRY(Type ok, parseType(depth + 1));
          t.args.push_back(std::move(ok));
          t.resultOk = true;
          if (eat(K::Greater)) return t;
          WASMOPS_TRY_VOID(expect(K::Comma));
        }
        WASMOPS_TRY(Type err, parseType(depth + 1));
        t.args.push_back(std::move(err));
        t.resultErr = true;
        WASMOPS_TRY_VOID(expect(K::Greater));
        return t;
      }
      default: return unexpected("a type");
    }
  }

  Expected<void> parseWorldBody(World& world) {
    WASMOPS_TRY_VOID(expect(K::LBrace));
    while (!eat(K::RBrace)) {
      std::string docs = cur().docs;
      WASMOPS_TRY_VOID(skipGates());
      Location at = here();
      if (peek(K::KwImport) || peek(K::KwExport)) {
        WorldItem item;
        item.at = at;
        item.isImport = next().kind == K::KwImport;
        WASMOPS_TRY_VOID(parseExtern(item, std::move(docs)));
        world.items.push_back(std::move(item));
      } else if (peek(K::KwUse)) {
        WorldItem item;
        item.at = at;
        item.kind = WorldItem::Kind::Use;
        WASMOPS_TRY_ASSIGN(item.use, parseUse());
        world.items.push_back(std::move(item));
      } else if (isTypedefStart()) {
        WorldItem item;
        item.at = at;
        item.kind = WorldItem::Kind::Type;
        WASMOPS_TRY_ASSIGN(item.type, parseTypedef(std::move(docs)));
        item.name = item.type.name;
        world.items.push_back(std::move(item));
      } else if (peek(K::KwInclude)) {
        next();
        Include inc;
        inc.at = at;
        WASMOPS_TRY_ASSIGN(inc.world, parseUsePath());
        if (eat(K::KwWith)) {
          auto item2 = [&]() -> Expected<void> {
            UseName n;
            n.at = here();
            WASMOPS_TRY_ASSIGN(n.name, parseId());
            WASMOPS_TRY_VOID(expect(K::KwAs));
            WASMOPS_TRY_ASSIGN(n.as, parseId());
            inc.with.push_back(std::move(n));
            return {};
          };
          WASMOPS_TRY_VOID(parseBraceList(item2));
        } else {
          WASMOPS_TRY_VOID(expect(K::Semicolon));
        }
        world.includes.push_back(std::move(inc));
      } else if (peek(K::End)) {
        return unexpected("`}`");
      } else {
        return unexpected("`import`, `export`, `use`, `include`, a type definition or `}`");
      }
    }
    return {};
  }

  // After `import`/`export`: `name: func...;`, `name: interface {...}`,
  // `name: path;`, or `path;`.
  Expected<void> parseExtern(WorldItem& item, std::string docs) {
    bool named = (peek(K::Id) || peek(K::ExplicitId)) && peekAt(1, K::Colon) &&
                 !((peekAt(2, K::Id) || peekAt(2, K::ExplicitId)) && peekAt(3, K::Slash));
    if (!named) {
      item.kind = WorldItem::Kind::InterfaceRef;
      WASMOPS_TRY_ASSIGN(item.path, parseUsePath());
      return expect(K::Semicolon);
    }
    Location nameAt = here();
    WASMOPS_TRY_ASSIGN(item.name, parseId());
    next();  // ':'
    if (peek(K::KwFunc) || peek(K::KwAsync)) {
      item.kind = WorldItem::Kind::Function;
      WASMOPS_TRY_ASSIGN(item.function, parseFuncType());
      item.function.name = item.name;
      item.function.docs = std::move(docs);
      item.function.at = nameAt;
      return expect(K::Semicolon);
    }
    if (peek(K::KwInterface)) {
      item.kind = WorldItem::Kind::InlineInterface;
      item.inlineInterface.at = here();
      item.inlineInterface.docs = std::move(docs);
      next();
      return parseInterfaceBody(item.inlineInterface);
    }
    item.kind = WorldItem::Kind::InterfaceRef;
    WASMOPS_TRY_ASSIGN(item.path, parseUsePath());
    return expect(K::Semicolon);
  }

  std::vector<Token> toks_;
  std::string file_;
  std::size_t pos_ = 0;
};

bool isNumericIdentifier(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool isDotSeparated(std::string_view s, bool noLeadingZeros) {
  if (s.empty()) return false;
  std::size_t from = 0;
  for (;;) {
    std::size_t dot = s.find('.', from);
    std::string_view part = s.substr(from, dot == std::string_view::npos ? std::string_view::npos : dot - from);
    if (part.empty()) return false;
    for (char c : part)
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-')) return false;
    if (noLeadingZeros && isNumericIdentifier(part) && part.size() > 1 && part[0] == '0') return false;
    if (dot == std::string_view::npos) return true;
    from = dot + 1;
  }
}

}  // namespace

bool isValidSemver(std::string_view v) {
  std::size_t plus = v.find('+');
  if (plus != std::string_view::npos) {
    if (!isDotSeparated(v.substr(plus + 1), false)) return false;
    v = v.substr(0, plus);
  }
  std::size_t dash = v.find('-');
  if (dash != std::string_view::npos) {
    if (!isDotSeparated(v.substr(dash + 1), true)) return false;
    v = v.substr(0, dash);
  }
  int parts = 0;
  std::size_t from = 0;
  for (;;) {
    std::size_t dot = v.find('.', from);
    std::string_view part = v.substr(from, dot == std::string_view::npos ? std::string_view::npos : dot - from);
    if (!isNumericIdentifier(part) || (part.size() > 1 && part[0] == '0') || part.size() > 19) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    from = dot + 1;
  }
  return parts == 3;
}

bool isValidWitIdentifier(std::string_view id) {
  if (id.empty()) return false;
  std::size_t from = 0;
  bool first = true;
  for (;;) {
    std::size_t dash = id.find('-', from);
    std::string_view part = id.substr(from, dash == std::string_view::npos ? std::string_view::npos : dash - from);
    if (part.empty()) return false;
    bool lower = false, upper = false;
    for (char c : part) {
      if (c >= 'a' && c <= 'z') lower = true;
      else if (c >= 'A' && c <= 'Z') upper = true;
      else if (c < '0' || c > '9') return false;
    }
    if (lower && upper) return false;
    if (first && (part[0] >= '0' && part[0] <= '9')) return false;
    first = false;
    if (dash == std::string_view::npos) return true;
    from = dash + 1;
  }
}

Expected<WitFile> parseWitFile(std::string_view source, const std::string& file) {
  if (source.size() > kMaxWitSourceBytes) {
    Error e(ErrorCode::LimitExceeded, "file is larger than " + std::to_string(kMaxWitSourceBytes >> 20) + " MiB");
    e.file = file;
    e.line = 1;
    e.column = 1;
    return Unexpected(std::move(e));
  }
  WASMOPS_TRY(std::vector<Token> tokens, lexWit(source, file));
  return Parser(std::move(tokens), file).run();
}

}  // namespace wasmops::component::wit
