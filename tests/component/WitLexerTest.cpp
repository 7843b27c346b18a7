#include "component/WitLexer.h"

#include <gtest/gtest.h>

using namespace wasmops::component::wit;

namespace {

std::vector<Token> lex(std::string_view s) {
  auto r = lexWit(s, "t.wit");
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return r ? *r : std::vector<Token>{};
}

wasmops::Error lexError(std::string_view s) {
  auto r = lexWit(s, "t.wit");
  EXPECT_FALSE(r.has_value());
  return r ? wasmops::Error{} : r.error();
}

}  // namespace

TEST(WitLexer, KeywordsIdentifiersOperatorsWithPositions) {
  auto t = lex("package a:b@0.2.6-rc.1;\n  record %type -> _");
  ASSERT_EQ(t.size(), 12u);
  EXPECT_EQ(t[0].kind, TokenKind::KwPackage);
  EXPECT_EQ(t[1].kind, TokenKind::Id);
  EXPECT_EQ(t[1].text, "a");
  EXPECT_EQ(t[2].kind, TokenKind::Colon);
  EXPECT_EQ(t[4].kind, TokenKind::At);
  EXPECT_EQ(t[5].kind, TokenKind::Version);
  EXPECT_EQ(t[5].text, "0.2.6-rc.1");
  EXPECT_EQ(t[6].kind, TokenKind::Semicolon);
  EXPECT_EQ(t[7].kind, TokenKind::KwRecord);
  EXPECT_EQ(t[7].line, 2u);
  EXPECT_EQ(t[7].column, 3u);
  EXPECT_EQ(t[8].kind, TokenKind::ExplicitId);
  EXPECT_EQ(t[8].text, "type");
  EXPECT_EQ(t[9].kind, TokenKind::Arrow);
  EXPECT_EQ(t[10].kind, TokenKind::Underscore);
  EXPECT_EQ(t[11].kind, TokenKind::End);
}

TEST(WitLexer, VersionStopsBeforeUseBraces) {
  auto t = lex("wasi:io/poll@0.2.12.{pollable}");
  ASSERT_GE(t.size(), 8u);
  EXPECT_EQ(t[6].text, "0.2.12");
  EXPECT_EQ(t[7].kind, TokenKind::Period);
  EXPECT_EQ(t[8].kind, TokenKind::LBrace);
}

TEST(WitLexer, ColumnsCountUtf8Characters) {
  auto t = lex("// h\xc3\xa9llo \xe2\x98\x83\n/* \xe2\x98\x83 */ x");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].line, 2u);
  EXPECT_EQ(t[0].column, 9u);  // "/* ☃ */ " is 8 characters, 10 bytes
}

TEST(WitLexer, NestedBlockCommentsAndDocComments) {
  auto t = lex("/* a /* b */ c */\n/// first\n/// second\n/** block */\nx");
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0].text, "x");
  EXPECT_EQ(t[0].docs, "first\nsecond\nblock ");
}

TEST(WitLexer, UnterminatedBlockCommentIsLocatedAtItsStart) {
  auto e = lexError("x\n  /* /* */ never closed");
  EXPECT_EQ(e.message, "unterminated block comment");
  EXPECT_EQ(e.line, 2u);
  EXPECT_EQ(e.column, 3u);
}

TEST(WitLexer, UnexpectedCharacter) {
  auto e = lexError("a \xe2\x98\x83 $");
  EXPECT_EQ(e.message, "unexpected character byte 0xE2");
  EXPECT_EQ(e.column, 3u);
  e = lexError("a $");
  EXPECT_EQ(e.message, "unexpected character `$`");
  EXPECT_EQ(e.column, 3u);
}

TEST(WitLexer, InvalidUtf8AndControlCharacters) {
  auto e = lexError("// ok\nab \xff");
  EXPECT_EQ(e.message, "invalid UTF-8");
  EXPECT_EQ(e.line, 2u);
  EXPECT_EQ(e.column, 4u);
  e = lexError("a\x01");
  EXPECT_EQ(e.message, "control character U+0001 is not allowed");
  EXPECT_EQ(e.column, 2u);
  e = lexError("// \xe2\x80\xae reversed");  // U+202E in a comment
  EXPECT_EQ(e.message, "character U+202E is not allowed");
  EXPECT_EQ(e.column, 4u);
}

TEST(WitLexer, IdentifiersStartWithALetter) {
  auto e = lexError("  _x");
  EXPECT_EQ(e.message, "identifiers must start with a letter");
  EXPECT_EQ(e.column, 3u);
}
