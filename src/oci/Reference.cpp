#include "oci/Reference.h"

#include <fmt/format.h>

#include <cctype>

namespace wasmops::oci {
namespace {

bool isLowerAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}
bool isWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

std::string describeChar(char c) {
  auto u = static_cast<unsigned char>(c);
  if (c == ' ') return "a space";
  if (u < 0x20 || u >= 0x7f) return fmt::format("byte 0x{:02x}", u);
  return fmt::format("'{}'", c);
}

Unexpected badChar(std::string_view text, std::size_t pos, std::string_view rule) {
  return makeError(ErrorCode::Invalid, fmt::format("invalid reference \"{}\": {} at position {}: {}", text,
                                                   describeChar(text[pos]), pos + 1, rule));
}

Unexpected badRef(std::string_view text, std::string_view what) {
  return makeError(ErrorCode::Invalid, fmt::format("invalid reference \"{}\": {}", text, what));
}

// Host: letters, digits, '-', '.'; or a bracketed IPv6 address; then an
// optional ":port".
Expected<void> checkRegistry(std::string_view text, std::size_t begin, std::size_t end) {
  std::size_t i = begin;
  if (i < end && text[i] == '[') {
    auto close = text.find(']', i);
    if (close == std::string_view::npos || close >= end) return badRef(text, "unterminated '[' in registry address");
    for (std::size_t j = i + 1; j < close; ++j)
      if (!std::isxdigit(static_cast<unsigned char>(text[j])) && text[j] != ':')
        return badChar(text, j, "an IPv6 registry address holds only hex digits and ':'");
    i = close + 1;
  } else {
    std::size_t hostBegin = i;
    while (i < end && text[i] != ':') {
      char c = text[i];
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.')
        return badChar(text, i, "registry host names allow only letters, digits, '-' and '.'");
      ++i;
    }
    if (i == hostBegin) return badRef(text, "empty registry host");
    if (text[hostBegin] == '-' || text[hostBegin] == '.')
      return badChar(text, hostBegin, "a registry host name must start with a letter or digit");
  }
  if (i < end) {
    if (text[i] != ':') return badChar(text, i, "expected ':PORT' after the registry address");
    if (i + 1 == end) return badRef(text, "empty port after ':' in registry");
    for (std::size_t j = i + 1; j < end; ++j)
      if (!std::isdigit(static_cast<unsigned char>(text[j])))
        return badChar(text, j, "a registry port holds only digits");
    if (end - (i + 1) > 5) return badRef(text, "registry port out of range");
  }
  return {};
}

// path-component := [a-z0-9]+ (separator [a-z0-9]+)*, separator := '.' | '_' | '__' | '-'+
Expected<void> checkRepository(std::string_view text, std::size_t begin, std::size_t end) {
  if (begin == end) return badRef(text, "empty repository name");
  std::size_t componentBegin = begin;
  for (std::size_t i = begin; i <= end; ++i) {
    if (i == end || text[i] == '/') {
      if (i == componentBegin)
        return i == end ? badRef(text, "repository name ends with '/'")
                        : badChar(text, i, "empty path component (two '/' in a row or a leading '/')");
      if (!isLowerAlnum(text[i - 1]))
        return badChar(text, i - 1, "a repository path component must end with a lowercase letter or digit");
      componentBegin = i + 1;
      continue;
    }
    char c = text[i];
    if (isLowerAlnum(c)) continue;
    if (c == '.' || c == '_' || c == '-') {
      if (i == componentBegin)
        return badChar(text, i, "a repository path component must start with a lowercase letter or digit");
      char prev = text[i - 1];
      bool ok = isLowerAlnum(prev) || (c == '-' && prev == '-') ||
                (c == '_' && prev == '_' && i >= componentBegin + 2 && isLowerAlnum(text[i - 2]));
      if (!ok) return badChar(text, i, "separators in repository names are '.', '_', '__' or a run of '-'");
      continue;
    }
    if (c >= 'A' && c <= 'Z') return badChar(text, i, "repository names must be lowercase");
    return badChar(text, i, "repository names allow only lowercase letters, digits, '.', '_', '-' and '/'");
  }
  return {};
}

Expected<void> checkTag(std::string_view text, std::size_t begin, std::size_t end) {
  if (begin == end) return badRef(text, "empty tag after ':'");
  if (end - begin > 128) return badRef(text, "tag longer than 128 characters");
  if (!isWordChar(text[begin])) return badChar(text, begin, "a tag must start with a letter, digit or '_'");
  for (std::size_t i = begin + 1; i < end; ++i)
    if (!isWordChar(text[i]) && text[i] != '.' && text[i] != '-')
      return badChar(text, i, "tags allow only letters, digits, '_', '.' and '-'");
  return {};
}

bool looksLikeRegistry(std::string_view first) {
  if (first == "localhost") return true;
  for (char c : first)
    if (c == '.' || c == ':' || (c >= 'A' && c <= 'Z')) return true;
  return false;
}

}  // namespace

Expected<Reference> Reference::parse(std::string_view text) {
  if (text.empty()) return makeError(ErrorCode::Invalid, "invalid reference: empty");
  if (text.size() > 1024) return makeError(ErrorCode::Invalid, "invalid reference: longer than 1024 characters");
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto u = static_cast<unsigned char>(text[i]);
    if (u <= 0x20 || u >= 0x7f) return badChar(text, i, "references hold only printable ASCII without spaces");
  }

  Reference ref;
  std::size_t nameEnd = text.size();
  if (auto at = text.find('@'); at != std::string_view::npos) {
    auto digest = base::Digest::parse(text.substr(at + 1));
    if (!digest) return badRef(text, digest.error().message);
    ref.digest = *digest;
    nameEnd = at;
  }

  // The registry is everything before the first '/', if it looks like one.
  std::size_t slash = text.find('/');
  std::size_t repoBegin = 0;
  if (slash != std::string_view::npos && slash < nameEnd && looksLikeRegistry(text.substr(0, slash))) {
    WASMOPS_TRY_VOID(checkRegistry(text, 0, slash));
    ref.registry = std::string(text.substr(0, slash));
    repoBegin = slash + 1;
  } else {
    ref.registry = std::string(kDockerHub);
  }
  if (ref.registry == "index.docker.io") ref.registry = std::string(kDockerHub);

  // A ':' after the last '/' starts the tag (a ':' in the registry is a port).
  std::size_t repoEnd = nameEnd;
  auto lastSlash = text.substr(0, nameEnd).rfind('/');
  auto colon = text.substr(0, nameEnd).rfind(':');
  if (colon != std::string_view::npos && colon >= repoBegin &&
      (lastSlash == std::string_view::npos || colon > lastSlash)) {
    WASMOPS_TRY_VOID(checkTag(text, colon + 1, nameEnd));
    ref.tag = std::string(text.substr(colon + 1, nameEnd - colon - 1));
    repoEnd = colon;
  }
  WASMOPS_TRY_VOID(checkRepository(text, repoBegin, repoEnd));
  ref.repository = std::string(text.substr(repoBegin, repoEnd - repoBegin));
  if (ref.registry == kDockerHub && ref.repository.find('/') == std::string::npos)
    ref.repository = "library/" + ref.repository;
  if (ref.registry.size() + 1 + ref.repository.size() > 255)
    return badRef(text, "repository name longer than 255 characters");
  if (ref.tag.empty() && !ref.digest) ref.tag = "latest";
  return ref;
}

std::string registryApiHost(const std::string& registry) {
  return registry == kDockerHub ? std::string("registry-1.docker.io") : registry;
}

bool isLoopbackRegistry(const std::string& registry) {
  std::string host = registry;
  if (!host.empty() && host[0] == '[') {
    host = host.substr(1, host.find(']') - 1);
  } else if (auto c = host.rfind(':'); c != std::string::npos) {
    host = host.substr(0, c);
  }
  return host == "localhost" || host == "127.0.0.1" || host == "::1";
}

std::string Reference::apiHost() const {
  return registryApiHost(registry);
}
bool Reference::isLoopback() const {
  return isLoopbackRegistry(registry);
}
std::string Reference::manifestSelector() const {
  return digest ? digest->str() : tag;
}

std::string Reference::str() const {
  // Appends rather than "x" + y: GCC 12 warns falsely (-Wrestrict) on the latter.
  std::string out = registry;
  out.append("/").append(repository);
  if (!tag.empty()) out.append(":").append(tag);
  if (digest) out.append("@").append(digest->str());
  return out;
}

std::string Reference::withDigest(const base::Digest& d) const {
  return registry + "/" + repository + "@" + d.str();
}

std::string Reference::name() const {
  auto slash = repository.rfind('/');
  return slash == std::string::npos ? repository : repository.substr(slash + 1);
}

Expected<std::string> normaliseRegistry(std::string_view text) {
  std::string_view s = text;
  if (auto scheme = s.find("://"); scheme != std::string_view::npos) s = s.substr(scheme + 3);
  if (auto slash = s.find('/'); slash != std::string_view::npos) s = s.substr(0, slash);
  if (s.empty()) return makeError(ErrorCode::Invalid, fmt::format("invalid registry \"{}\": empty host", text));
  WASMOPS_TRY_VOID(checkRegistry(s, 0, s.size()));
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (out == "index.docker.io" || out == "registry-1.docker.io") out = std::string(kDockerHub);
  return out;
}

}  // namespace wasmops::oci
