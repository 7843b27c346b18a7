#include "app/TomlGuard.h"

#include <vector>

#include <fmt/format.h>

namespace wasmops::app {
namespace {

// The code points for which toml++ 3.3.0's is_non_ascii_horizontal_whitespace()
// falls into its unreachable default case (its lookup: child (c - 0xA0) / 0x3FA,
// bitmask 0x7FFFFFFFFFFFF75E, cases 5 and 7, and U+00A0, U+3000, U+FEFF).
bool unreadable(char32_t c) {
  return (c >= 0xA1 && c <= 0x499) || (c >= 0x2C5E && c <= 0x2FFF) || (c >= 0x3001 && c <= 0x3057) ||
         (c >= 0xFB26 && c <= 0xFEFE);
}

class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}
  bool eof() const { return at_ >= text_.size(); }
  // The code point here (malformed UTF-8: the byte, which toml++ refuses anyway).
  char32_t peek() const { return decode().first; }
  void next() {
    if (eof()) return;
    if (text_[at_] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
    at_ += decode().second;
  }
  // How many `q` characters start here.
  std::size_t run(char q) const {
    std::size_t n = 0;
    while (at_ + n < text_.size() && text_[at_ + n] == q) ++n;
    return n;
  }
  void skip(std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) next();
  }
  TomlHazard hazard(bool inString) const { return TomlHazard{line_, column_, peek(), inString}; }

 private:
  std::pair<char32_t, std::size_t> decode() const {
    auto b = [&](std::size_t k) { return static_cast<unsigned char>(text_[at_ + k]); };
    const unsigned char lead = b(0);
    std::size_t len = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3 : (lead >> 3) == 0x1E ? 4 : 0;
    if (len == 0 || at_ + len > text_.size()) return {lead, 1};
    char32_t c = len == 1 ? lead : len == 2 ? (lead & 0x1F) : len == 3 ? (lead & 0x0F) : (lead & 0x07);
    for (std::size_t k = 1; k < len; ++k) {
      if ((b(k) & 0xC0) != 0x80) return {lead, 1};
      c = (c << 6) | (b(k) & 0x3F);
    }
    return {c, len};
  }

  std::string_view text_;
  std::size_t at_ = 0;
  std::uint32_t line_ = 1, column_ = 1;
};

bool isSpace(char32_t c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Past a single-line string's closing quote (or to the end of the line).
void skipString(Cursor& c, char quote, bool escapes) {
  while (!c.eof()) {
    char32_t ch = c.peek();
    if (ch == '\n') return;
    c.next();
    if (ch == static_cast<char32_t>(quote)) return;
    if (escapes && ch == '\\') c.next();
  }
}

// Past a multi-line string (its opening delimiter consumed); for basic
// strings, a hazard after a backslash.
std::optional<TomlHazard> skipMultiLine(Cursor& c, char quote, bool escapes) {
  while (!c.eof()) {
    if (std::size_t n = c.run(quote); n >= 3) {
      c.skip(n);  // the closing delimiter is the last three of a run of up to five
      return std::nullopt;
    }
    if (escapes && c.peek() == '\\') {
      c.next();
      if (c.eof()) break;
      if (isSpace(c.peek())) {
        // A line-ending backslash: toml++ checks the first character after the whitespace.
        while (!c.eof() && isSpace(c.peek())) c.next();
        if (!c.eof() && unreadable(c.peek())) return c.hazard(true);
        continue;
      }
      if (unreadable(c.peek())) return c.hazard(true);  // the escaped character is checked too
    }
    c.next();
  }
  return std::nullopt;
}

}  // namespace

std::string TomlHazard::message() const {
  if (inString)
    return fmt::format(
        "character U+{:04X} right after a backslash in a multi-line string cannot be read (a defect of toml++ 3.3); "
        "write it as \\u{:04X}",
        static_cast<std::uint32_t>(codePoint), static_cast<std::uint32_t>(codePoint));
  return fmt::format("unexpected character U+{:04X} outside a string (only keys, values and comments may stand here)",
                     static_cast<std::uint32_t>(codePoint));
}

std::optional<TomlHazard> findTomlHazard(std::string_view text) {
  // Where the cursor stands: where a key may start, where a value may start
  // (toml++ then scans a bare value up to a terminator, over quotes too), or
  // elsewhere. `nest`: the open arrays ('['), inline tables ('{') and table
  // headers ('h').
  enum class At { Key, Value, Other } at = At::Key;
  std::vector<char> nest;
  auto after = [&](char closer) {
    if (!nest.empty() && (closer == '}' ? nest.back() == '{' : nest.back() != '{')) nest.pop_back();
  };
  Cursor c(text);
  while (!c.eof()) {
    const char32_t ch = c.peek();
    if (ch == '\n') {
      c.next();
      if (nest.empty() || nest.back() == 'h') {
        nest.clear();
        at = At::Key;
      }
    } else if (ch == ' ' || ch == '\t' || ch == '\r') {
      c.next();
    } else if (ch == '#') {
      while (!c.eof() && c.peek() != '\n') c.next();
    } else if (ch == '"' || ch == '\'') {
      const char quote = static_cast<char>(ch);
      const bool escapes = quote == '"';
      if (c.run(quote) >= 3) {
        c.skip(3);
        if (auto h = skipMultiLine(c, quote, escapes)) return h;
      } else {
        c.next();
        skipString(c, quote, escapes);
      }
      at = at == At::Key ? At::Key : At::Other;  // a quoted key segment may be followed by '.'
    } else if (ch == '=') {
      c.next();
      at = At::Value;
    } else if (ch == '.' && at != At::Value) {
      c.next();
      at = At::Key;
    } else if (ch == '[') {
      c.next();
      nest.push_back(at == At::Value ? '[' : 'h');
      at = at == At::Value ? At::Value : At::Key;
    } else if (ch == '{') {
      c.next();
      nest.push_back('{');
      at = At::Key;
    } else if (ch == ']' || ch == '}') {
      c.next();
      after(static_cast<char>(ch));
      at = At::Other;
    } else if (ch == ',') {
      c.next();
      at = nest.empty() ? At::Other : nest.back() == '[' ? At::Value : nest.back() == '{' ? At::Key : At::Other;
    } else if (at == At::Value) {
      // A bare value (number, date, boolean, or a mistake): toml++ asks whether
      // each character ends it, quotes included.
      while (!c.eof()) {
        const char32_t v = c.peek();
        if (v == ' ' || v == '\t' || v == '\r' || v == '\n' || v == ',' || v == ']' || v == '}' || v == '#') break;
        if (unreadable(v)) return c.hazard(false);
        c.next();
      }
      at = At::Other;
    } else if (unreadable(ch)) {
      return c.hazard(false);
    } else {
      c.next();
    }
  }
  return std::nullopt;
}

}  // namespace wasmops::app
