#pragma once
// Tokens of one WIT file (design/mvp/WIT.md, "Lexical structure"), each with
// its line and column so every later error can point at the source.
// Columns count UTF-8 characters, not bytes, as editors do.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/Error.h"

namespace wasmops::component::wit {

enum class TokenKind : std::uint8_t {
  End,
  Id,            // `foo`, or `%foo` (text holds the name without '%')
  ExplicitId,    // `%record`: a keyword used as a name
  Integer,       // `[0-9]+`
  Version,       // the semver after '@' when a digit follows it directly
  String,        // "..." (only in `@external-id`)
  // Operators.
  Equals, Comma, Colon, Semicolon, LParen, RParen, LBrace, RBrace, Less, Greater, Star, Arrow, Slash,
  Period, At, Underscore,
  // Keywords.
  KwAs, KwAsync, KwBool, KwBorrow, KwChar, KwConstructor, KwEnum, KwExport, KwF32, KwF64, KwFlags, KwFrom,
  KwFunc, KwFuture, KwImport, KwInclude, KwInterface, KwList, KwMap, KwOption, KwOwn, KwPackage, KwRecord,
  KwResource, KwResult, KwS16, KwS32, KwS64, KwS8, KwStatic, KwStream, KwString, KwTuple, KwType, KwU16,
  KwU32, KwU64, KwU8, KwUse, KwVariant, KwWith, KwWorld,
};

struct Token {
  TokenKind kind = TokenKind::End;
  std::string text;          // Id/ExplicitId: the name; Integer/Version/String: the literal
  std::uint32_t line = 1;    // 1-based
  std::uint32_t column = 1;  // 1-based, in characters
  std::uint64_t offset = 0;  // byte offset
  std::string docs;          // `///` and `/** */` comments right before this token, one line each
};

// How a token kind is spelled in messages: "`record`", "identifier", "end of file".
std::string describe(TokenKind kind);

// Splits `source` into tokens ending with one End token. Errors carry `file`,
// line and column: an unknown character, an unterminated comment or string,
// invalid UTF-8, a control or bidirectional-override character.
Expected<std::vector<Token>> lexWit(std::string_view source, const std::string& file);

}  // namespace wasmops::component::wit
