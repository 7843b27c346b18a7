#include "component/Wave.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <optional>

#include <fmt/format.h>

#include "component/Unicode.h"

namespace wasmops::component {

namespace {

bool isKeyword(std::string_view label) {
  return label == "true" || label == "false" || label == "some" || label == "none" || label == "ok" || label == "err" ||
         label == "inf" || label == "nan";
}

// ---- printing --------------------------------------------------------------

void printChar(std::string& out, char32_t c) {
  switch (c) {
    case '\\': out += "\\\\"; return;
    case '"': out += "\\\""; return;
    case '\'': out += "\\'"; return;
    case '\t': out += "\\t"; return;
    case '\r': out += "\\r"; return;
    case '\n': out += "\\n"; return;
    default: break;
  }
  // Rust's char::escape_unicode for control characters (general category Cc).
  if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
    out += fmt::format("\\u{{{:x}}}", static_cast<std::uint32_t>(c));
    return;
  }
  appendUtf8(out, c);
}

template <typename Float>
void printFloat(std::string& out, Float f) {
  if (std::isnan(f)) {
    out += "nan";
  } else if (std::isinf(f)) {
    out += f < 0 ? "-inf" : "inf";
  } else {
    // Rust's Display: the shortest digits that read back the same, never in exponent form.
    char buffer[400];
    auto result = std::to_chars(buffer, buffer + sizeof buffer, f, std::chars_format::fixed);
    out.append(buffer, result.ptr);
  }
}

void printLabel(std::string& out, const std::string& label) {
  if (isKeyword(label)) out += '%';
  out += label;
}

void print(std::string& out, const Value& v, const ValueType& type) {
  auto list = [&](char open, char close, const std::vector<Value>& items, auto typeOf) {
    out += open;
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i) out += ", ";
      print(out, items[i], typeOf(i));
    }
    out += close;
  };
  switch (type.kind) {
    case ValueKind::Bool: out += v.bits ? "true" : "false"; return;
    case ValueKind::S8: case ValueKind::S16: case ValueKind::S32: case ValueKind::S64:
      out += std::to_string(v.asSigned());
      return;
    case ValueKind::U8: case ValueKind::U16: case ValueKind::U32: case ValueKind::U64:
      out += std::to_string(v.bits);
      return;
    case ValueKind::F32: printFloat(out, v.asF32()); return;
    case ValueKind::F64: printFloat(out, v.asF64()); return;
    case ValueKind::Char:
      out += '\'';
      printChar(out, static_cast<char32_t>(v.bits));
      out += '\'';
      return;
    case ValueKind::String: {
      out += '"';
      std::size_t at = 0;
      while (at < v.text.size()) printChar(out, *nextUtf8(v.text, at));
      out += '"';
      return;
    }
    case ValueKind::List:
    case ValueKind::FixedList: {
      std::vector<Value> unpacked;
      if (v.packed)
        for (unsigned char c : v.text) unpacked.push_back(Value::u8(c));
      list('[', ']', v.packed ? unpacked : v.items, [&](std::size_t) -> const ValueType& { return *type.members[0]; });
      return;
    }
    case ValueKind::Tuple:
      list('(', ')', v.items, [&](std::size_t i) -> const ValueType& { return *type.members[i]; });
      return;
    case ValueKind::Record: {
      out += '{';
      bool first = true;
      for (std::size_t i = 0; i < v.items.size(); ++i) {
        // A field whose value is `none` is left out, as wasm-wave's writer does.
        if (type.members[i]->kind == ValueKind::Option && v.items[i].bits == 0) continue;
        if (!first) out += ", ";
        first = false;
        out += type.labels[i];
        out += ": ";
        print(out, v.items[i], *type.members[i]);
      }
      if (first) out += ':';
      out += '}';
      return;
    }
    case ValueKind::Variant:
    case ValueKind::Enum:
    case ValueKind::Option:
    case ValueKind::Result: {
      const std::string& label = type.labels[v.bits];
      if (type.kind == ValueKind::Option || type.kind == ValueKind::Result)
        out += type.kind == ValueKind::Result && v.bits == 1 ? "err" : label;
      else
        printLabel(out, label);
      if (const Value* payload = v.payload()) {
        out += '(';
        print(out, *payload, *type.members[v.bits]);
        out += ')';
      }
      return;
    }
    case ValueKind::Flags: {
      out += '{';
      bool first = true;
      for (std::size_t i = 0; i < type.labels.size(); ++i) {
        if (!(v.bits >> i & 1)) continue;
        if (!first) out += ", ";
        first = false;
        out += type.labels[i];
      }
      out += '}';
      return;
    }
    case ValueKind::Own:
    case ValueKind::Borrow: return;  // refused by printWave before printing starts
  }
}

bool containsHandle(const ValueType& type) {
  if (type.kind == ValueKind::Own || type.kind == ValueKind::Borrow) return true;
  for (const auto& member : type.members)
    if (member && containsHandle(*member)) return true;
  return false;
}

// ---- parsing ---------------------------------------------------------------

enum class Token { End, Punct, Number, Label, Char, String, MultilineString, Bad };

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Expected<Value> value(const ValueType& type);
  Expected<void> expectEnd() {
    skip();
    if (at_ < text_.size()) return error(at_, "unexpected text after the value");
    return {};
  }
  Expected<std::string> callName();
  Expected<std::vector<Value>> arguments(const FunctionType& fn);

 private:
  struct Lexeme {
    Token token = Token::End;
    std::size_t begin = 0, end = 0;
  };

  Unexpected error(std::size_t offset, std::string message) const {
    std::uint32_t line = 1, column = 1;
    std::size_t i = 0;
    while (i < offset && i < text_.size()) {
      if (text_[i] == '\n') {
        ++line, column = 1, ++i;
        continue;
      }
      std::size_t before = i;
      if (!nextUtf8(text_, i)) i = before + 1;
      ++column;
    }
    Error e(ErrorCode::Invalid, fmt::format("{}:{}: {}", line, column, message));
    e.line = line;
    e.column = column;
    return Unexpected(std::move(e));
  }

  void skip() {
    while (at_ < text_.size()) {
      char c = text_[at_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++at_;
      } else if (c == '/' && at_ + 1 < text_.size() && text_[at_ + 1] == '/') {
        while (at_ < text_.size() && text_[at_] != '\n') ++at_;
      } else {
        break;
      }
    }
  }

  static bool isAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
  static bool isDigit(char c) { return c >= '0' && c <= '9'; }

  // The next token (without consuming it).
  Lexeme peek() {
    skip();
    Lexeme l;
    l.begin = at_;
    if (at_ >= text_.size()) return l;
    char c = text_[at_];
    std::size_t i = at_;
    auto done = [&](Token t) {
      l.token = t;
      l.end = i;
      return l;
    };
    if (std::string_view("{}()[]:,").find(c) != std::string_view::npos) {
      ++i;
      return done(Token::Punct);
    }
    if (c == '-' || isDigit(c)) {
      if (text_.substr(i, 4) == "-inf") {
        i += 4;
        return done(Token::Number);
      }
      if (c == '-') ++i;
      if (i >= text_.size() || !isDigit(text_[i])) return done(Token::Bad);
      if (text_[i] == '0') ++i;
      else while (i < text_.size() && isDigit(text_[i])) ++i;
      if (i + 1 < text_.size() && text_[i] == '.' && isDigit(text_[i + 1])) {
        ++i;
        while (i < text_.size() && isDigit(text_[i])) ++i;
      }
      if (i < text_.size() && (text_[i] == 'e' || text_[i] == 'E')) {
        std::size_t j = i + 1;
        if (j < text_.size() && (text_[j] == '+' || text_[j] == '-')) ++j;
        if (j < text_.size() && isDigit(text_[j])) {
          i = j;
          while (i < text_.size() && isDigit(text_[i])) ++i;
        }
      }
      return done(Token::Number);
    }
    if (c == '%' || isAlpha(c)) {
      if (c == '%') ++i;
      while (i < text_.size() && (isAlpha(text_[i]) || isDigit(text_[i]) || text_[i] == '-')) ++i;
      return done(Token::Label);
    }
    if (c == '\'' || c == '"') {
      if (c == '"' && text_.substr(i, 3) == "\"\"\"") {
        std::size_t close = text_.find("\"\"\"", i + 3);
        i = close == std::string_view::npos ? text_.size() : close + 3;
        return done(close == std::string_view::npos ? Token::Bad : Token::MultilineString);
      }
      ++i;
      while (i < text_.size() && text_[i] != c && text_[i] != '\n') i += text_[i] == '\\' ? 2 : 1;
      if (i >= text_.size() || text_[i] != c) return done(Token::Bad);
      ++i;
      return done(c == '"' ? Token::String : Token::Char);
    }
    ++i;
    return done(Token::Bad);
  }

  std::string_view slice(const Lexeme& l) const { return text_.substr(l.begin, l.end - l.begin); }

  bool takePunct(char c) {
    Lexeme l = peek();
    if (l.token == Token::Punct && text_[l.begin] == c) {
      at_ = l.end;
      return true;
    }
    return false;
  }
  Expected<void> expectPunct(char c, const char* context) {
    Lexeme l = peek();
    if (takePunct(c)) return {};
    return error(l.begin, fmt::format("expected '{}' {}{}", c, context, describe(l)));
  }
  std::string describe(const Lexeme& l) const {
    if (l.token == Token::End) return ", found the end of the input";
    std::string_view s = slice(l);
    if (s.size() > 20) s = s.substr(0, 20);
    return fmt::format(", found '{}'", s);
  }

  Expected<Lexeme> take(Token token, const char* what) {
    Lexeme l = peek();
    if (l.token != token) return error(l.begin, fmt::format("expected {}{}", what, describe(l)));
    at_ = l.end;
    return l;
  }

  // A label without its optional '%'; `keywordOk`: a bare keyword is accepted.
  Expected<std::string_view> label(const Lexeme& l, bool keywordOk) {
    std::string_view s = slice(l);
    bool escaped = !s.empty() && s[0] == '%';
    if (escaped) s.remove_prefix(1);
    if (s.empty() || !isAlpha(s[0]) || s.back() == '-' || s.find("--") != std::string_view::npos)
      return error(l.begin, fmt::format("'{}' is not a label", slice(l)));
    if (!escaped && !keywordOk && isKeyword(s))
      return error(l.begin, fmt::format("the label '{}' is a keyword and must be written '%{}'", s, s));
    return s;
  }

  Expected<std::uint32_t> findLabel(const Lexeme& l, const ValueType& type, bool keywordOk, const char* what) {
    WASMOPS_TRY(std::string_view name, label(l, keywordOk));
    for (std::size_t i = 0; i < type.labels.size(); ++i)
      if (type.labels[i] == name) return static_cast<std::uint32_t>(i);
    return error(l.begin, fmt::format("'{}' is not a {} of the {} type", name, what, toString(type.kind)));
  }

  Expected<char32_t> escape(std::string_view s, std::size_t& i, std::size_t base) {
    // s[i] is the backslash.
    if (i + 1 >= s.size()) return error(base + i, "incomplete escape");
    char e = s[i + 1];
    i += 2;
    switch (e) {
      case '\'': return U'\'';
      case '"': return U'"';
      case '\\': return U'\\';
      case 't': return U'\t';
      case 'n': return U'\n';
      case 'r': return U'\r';
      case 'u': {
        std::size_t open = i;
        if (open >= s.size() || s[open] != '{') return error(base + open - 2, "expected '{' after \\u");
        std::size_t close = s.find('}', open);
        std::string_view hex = close == std::string_view::npos ? std::string_view() : s.substr(open + 1, close - open - 1);
        std::uint32_t code = 0;
        auto r = std::from_chars(hex.data(), hex.data() + hex.size(), code, 16);
        if (hex.empty() || hex.size() > 6 || r.ptr != hex.data() + hex.size() || !isScalarValue(code))
          return error(base + open - 2, "\\u{...} must hold 1 to 6 hex digits of a Unicode scalar value");
        i = close + 1;
        return static_cast<char32_t>(code);
      }
      default: return error(base + i - 2, fmt::format("unknown escape '\\{}'", e));
    }
  }

  // The characters between the quotes of a char or string token, unescaped.
  Expected<std::string> unquote(const Lexeme& l) {
    std::string_view s = slice(l).substr(1, l.end - l.begin - 2);
    std::size_t base = l.begin + 1;
    std::string out;
    std::size_t i = 0;
    while (i < s.size()) {
      if (s[i] == '\\') {
        WASMOPS_TRY(char32_t c, escape(s, i, base));
        appendUtf8(out, c);
        continue;
      }
      std::size_t before = i;
      auto c = nextUtf8(s, i);
      if (!c) return error(base + before, "invalid UTF-8");
      appendUtf8(out, *c);
    }
    return out;
  }

  Expected<std::string> multiline(const Lexeme& l) {
    // """<newline> lines <newline><indent>""": the closing line's indent is removed from every line.
    std::string_view body = slice(l).substr(3, l.end - l.begin - 6);
    std::size_t base = l.begin + 3;
    std::size_t first = body.starts_with("\r\n") ? 2 : body.starts_with("\n") ? 1 : 0;
    if (first == 0) return error(l.begin, "a multiline string starts with \"\"\" and a line break");
    std::size_t lastBreak = body.rfind('\n');
    std::string_view indent = body.substr(lastBreak + 1);
    if (lastBreak < first || indent.find_first_not_of(' ') != std::string_view::npos)
      return error(l.end - 3, "a multiline string ends with a line break, spaces and \"\"\"");
    std::size_t contentEnd = lastBreak > 0 && body[lastBreak - 1] == '\r' ? lastBreak - 1 : lastBreak;
    std::string out;
    std::size_t i = first;
    bool lineStart = true;
    while (i < contentEnd) {
      if (lineStart) {
        if (body.substr(i, indent.size()) != indent && body[i] != '\n' && body[i] != '\r')
          return error(base + i, fmt::format("line is indented less than the closing delimiter ({} spaces)", indent.size()));
        if (body.substr(i, indent.size()) == indent) i += indent.size();
        lineStart = false;
        continue;
      }
      if (body[i] == '\\') {
        WASMOPS_TRY(char32_t c, escape(body, i, base));
        appendUtf8(out, c);
        continue;
      }
      if (body[i] == '\r' && i + 1 < body.size() && body[i + 1] == '\n') ++i;
      if (body[i] == '\n') {
        out += '\n';
        ++i;
        lineStart = true;
        continue;
      }
      std::size_t before = i;
      auto c = nextUtf8(body, i);
      if (!c) return error(base + before, "invalid UTF-8");
      appendUtf8(out, *c);
    }
    return out;
  }

  Expected<Value> integer(const Lexeme& l, const ValueType& type) {
    std::string_view s = slice(l);
    if (l.token != Token::Number || s.find_first_of(".eEi") != std::string_view::npos)
      return error(l.begin, fmt::format("expected an integer for {}{}", toString(type.kind), describe(l)));
    bool isSigned = type.kind == ValueKind::S8 || type.kind == ValueKind::S16 || type.kind == ValueKind::S32 ||
                    type.kind == ValueKind::S64;
    unsigned bits = type.kind == ValueKind::S8 || type.kind == ValueKind::U8     ? 8
                    : type.kind == ValueKind::S16 || type.kind == ValueKind::U16 ? 16
                    : type.kind == ValueKind::S32 || type.kind == ValueKind::U32 ? 32
                                                                                  : 64;
    Value v;
    v.kind = type.kind;
    auto outOfRange = [&] { return error(l.begin, fmt::format("{} is out of range for {}", s, toString(type.kind))); };
    if (isSigned) {
      std::int64_t x = 0;
      auto r = std::from_chars(s.data(), s.data() + s.size(), x);
      std::int64_t lo = bits == 64 ? INT64_MIN : -(std::int64_t{1} << (bits - 1));
      std::int64_t hi = bits == 64 ? INT64_MAX : (std::int64_t{1} << (bits - 1)) - 1;
      if (r.ec != std::errc() || x < lo || x > hi) return outOfRange();
      v.bits = static_cast<std::uint64_t>(x);
    } else {
      std::uint64_t x = 0;
      if (s[0] == '-') return outOfRange();
      auto r = std::from_chars(s.data(), s.data() + s.size(), x);
      if (r.ec != std::errc() || (bits < 64 && x >> bits)) return outOfRange();
      v.bits = x;
    }
    return v;
  }

  Expected<Value> floating(const Lexeme& l, const ValueType& type) {
    std::string_view s = slice(l);
    bool f32 = type.kind == ValueKind::F32;
    double d = 0;
    if (l.token == Token::Label && (s == "nan" || s == "inf")) {
      d = s == "nan" ? NAN : INFINITY;
    } else if (l.token == Token::Number && s == "-inf") {
      d = -INFINITY;
    } else if (l.token == Token::Number) {
      std::string copy(s);  // strtof/strtod: overflow gives inf, as Rust's parse does
      if (f32) return Value::f32(std::strtof(copy.c_str(), nullptr));
      d = std::strtod(copy.c_str(), nullptr);
    } else {
      return error(l.begin, fmt::format("expected a number for {}{}", toString(type.kind), describe(l)));
    }
    return f32 ? Value::f32(static_cast<float>(d)) : Value::f64(d);
  }

  Expected<Value> payloadOf(const ValueType& type, std::uint32_t index, const Lexeme& at) {
    Value v;
    v.kind = type.kind;
    v.bits = index;
    const auto& payload = type.members[index];
    if (takePunct('(')) {
      if (!payload)
        return error(at.begin, fmt::format("case '{}' has no payload", type.labels[index]));
      WASMOPS_TRY(Value p, value(*payload));
      v.items.push_back(std::move(p));
      WASMOPS_TRY_VOID(expectPunct(')', "after the payload"));
    } else if (payload) {
      return error(at.end, fmt::format("case '{}' needs a payload in parentheses", type.labels[index]));
    }
    return v;
  }

  static bool flattenable(const ValueTypePtr& t) {
    return t && t->kind != ValueKind::Option && t->kind != ValueKind::Result;
  }

  Expected<std::vector<Value>> sequence(char close, const std::function<const ValueType*(std::size_t)>& typeOf,
                                        const char* what) {
    std::vector<Value> items;
    while (!takePunct(close)) {
      Lexeme l = peek();
      const ValueType* t = typeOf(items.size());
      if (!t) return error(l.begin, fmt::format("too many elements for the {}", what));
      WASMOPS_TRY(Value v, value(*t));
      items.push_back(std::move(v));
      if (!takePunct(',')) {
        WASMOPS_TRY_VOID(expectPunct(close, fmt::format("or ',' in the {}", what).c_str()));
        break;
      }
    }
    return items;
  }

  std::string_view text_;
  std::size_t at_ = 0;
  std::uint32_t depth_ = 0;
};

Expected<Value> Parser::value(const ValueType& type) {
  Lexeme l = peek();
  if (l.token == Token::Bad) return error(l.begin, fmt::format("malformed token{}", describe(l)));
  switch (type.kind) {
    case ValueKind::Bool: {
      std::string_view s = slice(l);
      if (l.token != Token::Label || (s != "true" && s != "false"))
        return error(l.begin, fmt::format("expected true or false{}", describe(l)));
      at_ = l.end;
      return Value::boolean(s == "true");
    }
    case ValueKind::S8: case ValueKind::U8: case ValueKind::S16: case ValueKind::U16:
    case ValueKind::S32: case ValueKind::U32: case ValueKind::S64: case ValueKind::U64: {
      WASMOPS_TRY(Value v, integer(l, type));
      at_ = l.end;
      return v;
    }
    case ValueKind::F32:
    case ValueKind::F64: {
      WASMOPS_TRY(Value v, floating(l, type));
      at_ = l.end;
      return v;
    }
    case ValueKind::Char: {
      WASMOPS_TRY(auto tok, take(Token::Char, "a char like 'x'"));
      WASMOPS_TRY(std::string s, unquote(tok));
      std::size_t i = 0;
      auto c = nextUtf8(s, i);
      if (!c || i != s.size()) return error(tok.begin, "a char literal holds exactly one character");
      return Value::character(*c);
    }
    case ValueKind::String: {
      if (l.token == Token::MultilineString) {
        at_ = l.end;
        WASMOPS_TRY(std::string s, multiline(l));
        return Value::string(std::move(s));
      }
      WASMOPS_TRY(auto tok, take(Token::String, "a string like \"text\""));
      WASMOPS_TRY(std::string s, unquote(tok));
      return Value::string(std::move(s));
    }
    default: break;
  }
  if (++depth_ > kMaxTypeDepth) return error(l.begin, "value nests too deeply");
  struct Leave {
    std::uint32_t& d;
    ~Leave() { --d; }
  } leave{depth_};
  switch (type.kind) {
    case ValueKind::List:
    case ValueKind::FixedList: {
      WASMOPS_TRY_VOID(expectPunct('[', "to open a list"));
      WASMOPS_TRY(auto items, sequence(']', [&](std::size_t i) -> const ValueType* {
        return type.kind == ValueKind::FixedList && i >= type.length ? nullptr : type.members[0].get();
      }, "list"));
      if (type.kind == ValueKind::FixedList && items.size() != type.length)
        return error(l.begin, fmt::format("the fixed-length list needs {} elements, found {}", type.length, items.size()));
      return type.kind == ValueKind::List ? Value::list(std::move(items)) : Value::fixedList(std::move(items));
    }
    case ValueKind::Tuple: {
      WASMOPS_TRY_VOID(expectPunct('(', "to open a tuple"));
      WASMOPS_TRY(auto items, sequence(')', [&](std::size_t i) -> const ValueType* {
        return i < type.members.size() ? type.members[i].get() : nullptr;
      }, "tuple"));
      if (items.size() != type.members.size())
        return error(l.begin, fmt::format("the tuple needs {} elements, found {}", type.members.size(), items.size()));
      return Value::tuple(std::move(items));
    }
    case ValueKind::Record: {
      WASMOPS_TRY_VOID(expectPunct('{', "to open a record"));
      std::vector<std::optional<Value>> fields(type.members.size());
      if (takePunct(':')) {
        WASMOPS_TRY_VOID(expectPunct('}', "after '{:'"));
      } else {
        while (!takePunct('}')) {
          WASMOPS_TRY(auto name, take(Token::Label, "a field name"));
          WASMOPS_TRY(std::uint32_t index, findLabel(name, type, true, "field"));
          if (fields[index]) return error(name.begin, fmt::format("field '{}' is given twice", type.labels[index]));
          WASMOPS_TRY_VOID(expectPunct(':', "after the field name"));
          WASMOPS_TRY(Value v, value(*type.members[index]));
          fields[index] = std::move(v);
          if (!takePunct(',')) {
            WASMOPS_TRY_VOID(expectPunct('}', "or ',' in the record"));
            break;
          }
        }
      }
      Value v;
      v.kind = ValueKind::Record;
      for (std::size_t i = 0; i < fields.size(); ++i) {
        if (!fields[i]) {
          // Only option fields may be left out: they are none.
          if (type.members[i]->kind != ValueKind::Option)
            return error(l.begin, fmt::format("the record has no field '{}'", type.labels[i]));
          fields[i] = Value::none();
        }
        v.items.push_back(std::move(*fields[i]));
      }
      return v;
    }
    case ValueKind::Flags: {
      WASMOPS_TRY_VOID(expectPunct('{', "to open flags"));
      std::uint64_t mask = 0;
      while (!takePunct('}')) {
        WASMOPS_TRY(auto name, take(Token::Label, "a flag name"));
        WASMOPS_TRY(std::uint32_t index, findLabel(name, type, true, "flag"));
        if (mask >> index & 1) return error(name.begin, fmt::format("flag '{}' is given twice", type.labels[index]));
        mask |= std::uint64_t{1} << index;
        if (!takePunct(',')) {
          WASMOPS_TRY_VOID(expectPunct('}', "or ',' in the flags"));
          break;
        }
      }
      return Value::flags(static_cast<std::uint32_t>(mask));
    }
    case ValueKind::Variant:
    case ValueKind::Enum: {
      WASMOPS_TRY(auto name, take(Token::Label, type.kind == ValueKind::Enum ? "an enum case" : "a variant case"));
      WASMOPS_TRY(std::uint32_t index, findLabel(name, type, false, "case"));
      return payloadOf(type, index, name);
    }
    case ValueKind::Option: {
      std::string_view s = slice(l);
      if (l.token == Token::Label && (s == "some" || s == "none")) {
        at_ = l.end;
        return payloadOf(type, s == "some" ? 1 : 0, l);
      }
      if (!flattenable(type.members[1]))
        return error(l.begin, fmt::format("expected some(...) or none{}", describe(l)));
      WASMOPS_TRY(Value p, value(*type.members[1]));
      return Value::some(std::move(p));
    }
    case ValueKind::Result: {
      std::string_view s = slice(l);
      if (l.token == Token::Label && (s == "ok" || s == "err")) {
        at_ = l.end;
        return payloadOf(type, s == "ok" ? 0 : 1, l);
      }
      if (!flattenable(type.members[0]))
        return error(l.begin, fmt::format("expected ok or err{}", describe(l)));
      WASMOPS_TRY(Value p, value(*type.members[0]));
      return Value::ok(std::move(p));
    }
    case ValueKind::Own:
    case ValueKind::Borrow:
      return error(l.begin, "resource handles have no WAVE form");
    default: break;
  }
  return makeError(ErrorCode::Internal, "unknown value kind");
}

Expected<std::string> Parser::callName() {
  skip();
  std::size_t open = text_.find('(', at_);
  if (open == std::string_view::npos) return error(text_.size(), "expected '(' after the function name");
  std::string_view name = text_.substr(at_, open - at_);
  while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
  if (name.empty()) return error(at_, "expected a function name");
  at_ = open + 1;
  return std::string(name);
}

Expected<std::vector<Value>> Parser::arguments(const FunctionType& fn) {
  WASMOPS_TRY(auto args, sequence(')', [&](std::size_t i) -> const ValueType* {
    return i < fn.params.size() ? fn.params[i].get() : nullptr;
  }, "arguments"));
  for (std::size_t i = args.size(); i < fn.params.size(); ++i) {
    if (fn.params[i]->kind != ValueKind::Option)
      return error(at_, fmt::format("argument '{}' is missing", fn.paramNames[i]));
    args.push_back(Value::none());
  }
  return args;
}

}  // namespace

Expected<std::string> printWave(const Value& value, const ValueType& type) {
  WASMOPS_TRY_VOID(checkValue(value, type));
  if (containsHandle(type)) return makeError(ErrorCode::Unsupported, "resource handles have no WAVE form");
  std::string out;
  print(out, value, type);
  return out;
}

Expected<Value> parseWave(std::string_view text, const ValueType& type) {
  Parser parser(text);
  WASMOPS_TRY(Value v, parser.value(type));
  WASMOPS_TRY_VOID(parser.expectEnd());
  return v;
}

Expected<WaveCall> parseWaveCall(std::string_view text, const FunctionLookup& lookup) {
  Parser parser(text);
  WaveCall call;
  WASMOPS_TRY_ASSIGN(call.name, parser.callName());
  WASMOPS_TRY(const FunctionType* fn, lookup(call.name));
  WASMOPS_TRY_ASSIGN(call.args, parser.arguments(*fn));
  WASMOPS_TRY_VOID(parser.expectEnd());
  return call;
}

}  // namespace wasmops::component
