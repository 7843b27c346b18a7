#include "component/WitLexer.h"

#include <array>
#include <utility>

namespace wasmops::component::wit {
namespace {

constexpr std::array<std::pair<std::string_view, TokenKind>, 43> kKeywords{{
    {"as", TokenKind::KwAs},         {"async", TokenKind::KwAsync},
    {"bool", TokenKind::KwBool},     {"borrow", TokenKind::KwBorrow},
    {"char", TokenKind::KwChar},     {"constructor", TokenKind::KwConstructor},
    {"enum", TokenKind::KwEnum},     {"export", TokenKind::KwExport},
    {"f32", TokenKind::KwF32},       {"f64", TokenKind::KwF64},
    {"flags", TokenKind::KwFlags},   {"from", TokenKind::KwFrom},
    {"func", TokenKind::KwFunc},     {"future", TokenKind::KwFuture},
    {"import", TokenKind::KwImport}, {"include", TokenKind::KwInclude},
    {"interface", TokenKind::KwInterface}, {"list", TokenKind::KwList},
    {"map", TokenKind::KwMap},       {"option", TokenKind::KwOption},
    {"own", TokenKind::KwOwn},       {"package", TokenKind::KwPackage},
    {"record", TokenKind::KwRecord}, {"resource", TokenKind::KwResource},
    {"result", TokenKind::KwResult}, {"s16", TokenKind::KwS16},
    {"s32", TokenKind::KwS32},       {"s64", TokenKind::KwS64},
    {"s8", TokenKind::KwS8},         {"static", TokenKind::KwStatic},
    {"stream", TokenKind::KwStream}, {"string", TokenKind::KwString},
    {"tuple", TokenKind::KwTuple},   {"type", TokenKind::KwType},
    {"u16", TokenKind::KwU16},       {"u32", TokenKind::KwU32},
    {"u64", TokenKind::KwU64},       {"u8", TokenKind::KwU8},
    {"use", TokenKind::KwUse},       {"variant", TokenKind::KwVariant},
    {"with", TokenKind::KwWith},     {"world", TokenKind::KwWorld},
    {"_", TokenKind::Underscore},
}};

bool isIdStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isIdChar(char c) { return isIdStart(c) || isDigit(c) || c == '-'; }
bool isVersionChar(char c) { return isIdChar(c) || c == '.' || c == '+'; }

class Lexer {
 public:
  Lexer(std::string_view src, const std::string& file) : src_(src), file_(file) {}

  Expected<std::vector<Token>> run() {
    std::vector<Token> tokens;
    std::string docs;
    for (;;) {
      WASMOPS_TRY_VOID(skipTrivia(docs));
      Token t;
      t.line = line_;
      t.column = column_;
      t.offset = pos_;
      t.docs = std::move(docs);
      docs.clear();
      if (pos_ >= src_.size()) {
        tokens.push_back(std::move(t));
        return tokens;
      }
      WASMOPS_TRY_VOID(lexOne(t));
      tokens.push_back(std::move(t));
    }
  }

 private:
  Unexpected errorHere(std::string message) const {
    Error e(ErrorCode::Malformed, std::move(message));
    e.file = file_;
    e.line = line_;
    e.column = column_;
    e.offset = pos_;
    return Unexpected(std::move(e));
  }

  // Advances over one UTF-8 character, checking it is well formed and allowed.
  Expected<void> advance() {
    auto b = static_cast<unsigned char>(src_[pos_]);
    if (b == '\n') {
      ++pos_;
      ++line_;
      column_ = 1;
      return {};
    }
    if (b < 0x80) {
      if (b < 0x20 && b != '\t' && b != '\r') return errorHere("control character U+00" + hex2(b) + " is not allowed");
      if (b == 0x7f) return errorHere("control character U+007F is not allowed");
      ++pos_;
      ++column_;
      return {};
    }
    std::size_t len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 0;
    if (len == 0 || b >= 0xf8 || pos_ + len > src_.size()) return errorHere("invalid UTF-8");
    std::uint32_t cp = b & (0x3f >> (len - 1));
    for (std::size_t i = 1; i < len; ++i) {
      auto c = static_cast<unsigned char>(src_[pos_ + i]);
      if ((c & 0xc0) != 0x80) return errorHere("invalid UTF-8");
      cp = (cp << 6) | (c & 0x3f);
    }
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return errorHere("invalid UTF-8");
    // Bidirectional overrides can make source read differently than it parses.
    if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || (cp >= 0x80 && cp < 0xa0))
      return errorHere("character U+" + hex4(cp) + " is not allowed");
    pos_ += len;
    ++column_;
    return {};
  }

  static std::string hex2(unsigned v) {
    static const char* d = "0123456789ABCDEF";
    return {d[(v >> 4) & 15], d[v & 15]};
  }
  static std::string hex4(std::uint32_t v) { return hex2(v >> 8) + hex2(v & 0xff); }

  bool at(std::string_view s) const { return src_.substr(pos_, s.size()) == s; }

  // Whitespace and comments; doc comments are appended to `docs`.
  Expected<void> skipTrivia(std::string& docs) {
    while (pos_ < src_.size()) {
      char c = src_[pos_];
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        WASMOPS_TRY_VOID(advance());
      } else if (at("//")) {
        bool doc = at("///") && !at("////");
        std::size_t start = pos_ + (doc ? 3 : 2);
        while (pos_ < src_.size() && src_[pos_] != '\n') WASMOPS_TRY_VOID(advance());
        if (doc) appendDoc(docs, src_.substr(start, pos_ - start));
      } else if (at("/*")) {
        WASMOPS_TRY_VOID(skipBlockComment(docs));
      } else {
        break;
      }
    }
    return {};
  }

  static void appendDoc(std::string& docs, std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    if (!docs.empty()) docs += '\n';
    docs += line;
  }

  // Block comments nest; `/** ... */` (not `/**/`) is a doc comment.
  Expected<void> skipBlockComment(std::string& docs) {
    std::uint32_t line = line_, column = column_;
    std::size_t origin = pos_;
    bool doc = at("/**") && !at("/**/");
    std::size_t start = pos_ + 3;
    std::size_t depth = 0;
    while (pos_ < src_.size()) {
      if (at("/*")) {
        ++depth;
        pos_ += 2;
        column_ += 2;
      } else if (at("*/")) {
        pos_ += 2;
        column_ += 2;
        if (--depth == 0) {
          if (doc) {
            std::string_view body = src_.substr(start, pos_ - 2 - start);
            std::size_t from = 0;
            while (from <= body.size()) {
              std::size_t nl = body.find('\n', from);
              if (nl == std::string_view::npos) nl = body.size();
              std::string_view l = body.substr(from, nl - from);
              while (!l.empty() && (l.front() == ' ' || l.front() == '\t')) l.remove_prefix(1);
              if (!l.empty() && l.front() == '*') l.remove_prefix(1);
              appendDoc(docs, l);
              from = nl + 1;
            }
          }
          return {};
        }
      } else {
        WASMOPS_TRY_VOID(advance());
      }
    }
    line_ = line;
    column_ = column;
    pos_ = origin;
    return errorHere("unterminated block comment");
  }

  Expected<void> lexOne(Token& t) {
    char c = src_[pos_];
    auto single = [&](TokenKind k) -> Expected<void> {
      t.kind = k;
      return advance();
    };
    switch (c) {
      case '=': return single(TokenKind::Equals);
      case ',': return single(TokenKind::Comma);
      case ':': return single(TokenKind::Colon);
      case ';': return single(TokenKind::Semicolon);
      case '(': return single(TokenKind::LParen);
      case ')': return single(TokenKind::RParen);
      case '{': return single(TokenKind::LBrace);
      case '}': return single(TokenKind::RBrace);
      case '<': return single(TokenKind::Less);
      case '>': return single(TokenKind::Greater);
      case '*': return single(TokenKind::Star);
      case '/': return single(TokenKind::Slash);
      case '.': return single(TokenKind::Period);
      case '@': return single(TokenKind::At);
      case '"': return lexString(t);
      case '%': {
        WASMOPS_TRY_VOID(advance());
        if (pos_ >= src_.size() || !isIdStart(src_[pos_])) return errorHere("expected an identifier after `%`");
        t.kind = TokenKind::ExplicitId;
        t.text = takeWhile(isIdChar);
        return {};
      }
      case '-':
        if (at("->")) {
          t.kind = TokenKind::Arrow;
          pos_ += 2;
          column_ += 2;
          return {};
        }
        break;
      default: break;
    }
    if (isDigit(c)) {
      t.text = takeWhile(isDigit);
      t.kind = TokenKind::Integer;
      // `0.2.6-rc.1+build`: a version is the only token with a '.' right after digits.
      if (pos_ + 1 < src_.size() && src_[pos_] == '.' && isDigit(src_[pos_ + 1])) {
        t.text += takeWhile(isVersionChar);
        // `@0.2.6.{a}`: the '.' before `{` belongs to the `use`, and a version never ends in '.'.
        while (t.text.back() == '.') {
          t.text.pop_back();
          --pos_;
          --column_;
        }
        t.kind = TokenKind::Version;
      }
      return {};
    }
    if (isIdStart(c) || c == '_') {
      t.text = c == '_' && (pos_ + 1 >= src_.size() || !isIdChar(src_[pos_ + 1])) ? takeOne() : takeWhile(isIdChar);
      t.kind = TokenKind::Id;
      for (const auto& [word, kind] : kKeywords)
        if (word == t.text) t.kind = kind;
      if (t.kind == TokenKind::Id && !isIdStart(c)) {
        pos_ = t.offset;
        column_ = t.column;
        return errorHere("identifiers must start with a letter");
      }
      return {};
    }
    if (static_cast<unsigned char>(c) >= 0x80 || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      WASMOPS_TRY_VOID(advance());  // reports bad UTF-8 or forbidden characters first
      pos_ = t.offset;
      column_ = t.column;
    }
    return errorHere(std::string("unexpected character ") + printable(c));
  }

  static std::string printable(char c) {
    auto b = static_cast<unsigned char>(c);
    if (b >= 0x21 && b < 0x7f) return std::string("`") + c + "`";
    return "byte 0x" + hex2(b);
  }

  std::string takeOne() {
    ++column_;
    return std::string(1, src_[pos_++]);
  }

  std::string takeWhile(bool (*pred)(char)) {
    std::size_t start = pos_;
    while (pos_ < src_.size() && pred(src_[pos_])) ++pos_;
    column_ += static_cast<std::uint32_t>(pos_ - start);
    return std::string(src_.substr(start, pos_ - start));
  }

  Expected<void> lexString(Token& t) {
    t.kind = TokenKind::String;
    WASMOPS_TRY_VOID(advance());
    std::size_t start = pos_;
    while (pos_ < src_.size() && src_[pos_] != '"' && src_[pos_] != '\n') {
      if (src_[pos_] == '\\' && pos_ + 1 < src_.size() && src_[pos_ + 1] != '\n') WASMOPS_TRY_VOID(advance());
      WASMOPS_TRY_VOID(advance());
    }
    if (pos_ >= src_.size() || src_[pos_] != '"') {
      pos_ = t.offset;
      line_ = t.line;
      column_ = t.column;
      return errorHere("unterminated string literal");
    }
    t.text = std::string(src_.substr(start, pos_ - start));
    return advance();
  }

  std::string_view src_;
  const std::string& file_;
  std::size_t pos_ = 0;
  std::uint32_t line_ = 1;
  std::uint32_t column_ = 1;
};

}  // namespace

std::string describe(TokenKind kind) {
  switch (kind) {
    case TokenKind::End: return "end of file";
    case TokenKind::Id: return "an identifier";
    case TokenKind::ExplicitId: return "an identifier";
    case TokenKind::Integer: return "an integer";
    case TokenKind::Version: return "a version";
    case TokenKind::String: return "a string";
    case TokenKind::Equals: return "`=`";
    case TokenKind::Comma: return "`,`";
    case TokenKind::Colon: return "`:`";
    case TokenKind::Semicolon: return "`;`";
    case TokenKind::LParen: return "`(`";
    case TokenKind::RParen: return "`)`";
    case TokenKind::LBrace: return "`{`";
    case TokenKind::RBrace: return "`}`";
    case TokenKind::Less: return "`<`";
    case TokenKind::Greater: return "`>`";
    case TokenKind::Star: return "`*`";
    case TokenKind::Arrow: return "`->`";
    case TokenKind::Slash: return "`/`";
    case TokenKind::Period: return "`.`";
    case TokenKind::At: return "`@`";
    case TokenKind::Underscore: return "`_`";
    default: break;
  }
  for (const auto& [word, k] : kKeywords)
    if (k == kind) return "keyword `" + std::string(word) + "`";
  return "a token";
}

Expected<std::vector<Token>> lexWit(std::string_view source, const std::string& file) {
  return Lexer(source, file).run();
}

}  // namespace wasmops::component::wit
