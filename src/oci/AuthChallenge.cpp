#include "oci/AuthChallenge.h"

#include <fmt/format.h>
#include <cctype>

namespace wasmops::oci {
namespace {

bool isTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~/").find(c) != std::string_view::npos;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Expected<std::vector<AuthChallenge>> parse() {
    std::vector<AuthChallenge> out;
    skipSpaceAndCommas();
    while (pos_ < text_.size()) {
      AuthChallenge c;
      auto scheme = token();
      if (scheme.empty()) return fail("expected an authentication scheme");
      c.scheme = lower(scheme);
      skipSpace();
      // Parameters until the next "scheme " (a token followed by a space, not '=').
      while (pos_ < text_.size()) {
        std::size_t save = pos_;
        auto key = token();
        skipSpace();
        if (key.empty() || pos_ >= text_.size() || text_[pos_] != '=') {
          pos_ = save;
          break;
        }
        ++pos_;
        skipSpace();
        std::string value;
        if (pos_ < text_.size() && text_[pos_] == '"') {
          WASMOPS_TRY_ASSIGN(value, quoted());
        } else {
          // Lenient: some servers send unquoted URLs, which are not tokens.
          std::size_t begin = pos_;
          while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != ' ' && text_[pos_] != '\t') ++pos_;
          value = std::string(text_.substr(begin, pos_ - begin));
        }
        c.params[lower(key)] = value;
        skipSpace();
        if (pos_ < text_.size() && text_[pos_] == ',') {
          ++pos_;
          skipSpace();
        }
      }
      out.push_back(std::move(c));
      skipSpaceAndCommas();
    }
    return out;
  }

 private:
  std::string_view token() {
    std::size_t begin = pos_;
    while (pos_ < text_.size() && isTokenChar(text_[pos_])) ++pos_;
    return text_.substr(begin, pos_ - begin);
  }
  Expected<std::string> quoted() {
    ++pos_;  // opening quote
    std::string out;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
      out += text_[pos_++];
    }
    if (pos_ >= text_.size()) return fail("unterminated quoted string");
    ++pos_;
    return out;
  }
  void skipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }
  void skipSpaceAndCommas() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == ',')) ++pos_;
  }
  Unexpected fail(std::string_view what) const {
    return makeError(ErrorCode::Invalid,
                     fmt::format("malformed WWW-Authenticate header at column {}: {}: {}", pos_ + 1, what, text_));
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

}  // namespace

Expected<std::vector<AuthChallenge>> parseAuthChallenges(std::string_view header) {
  return Parser(header).parse();
}

}  // namespace wasmops::oci
