#pragma once
// The Authorization header for a registry request: nothing (anonymous),
// Basic with stored credentials, or a bearer token fetched from the realm a
// `WWW-Authenticate: Bearer` challenge names (Docker's token protocol), with
// or without credentials. Tokens are cached per scope set until they expire
// or a 401 says they are no longer good.
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/Error.h"
#include "oci/AuthChallenge.h"
#include "oci/Credentials.h"
#include "oci/HttpClient.h"

namespace wasmops::oci {

class RegistryAuth {
 public:
  RegistryAuth(std::string registry, std::optional<Credentials> credentials, bool verifyTls)
      : registry_(std::move(registry)), credentials_(std::move(credentials)), verifyTls_(verifyTls) {}

  bool hasCredentials() const { return credentials_.has_value(); }
  // Learns the scheme from a 401's WWW-Authenticate headers. False when
  // there is none we can answer.
  bool learn(const std::vector<std::string>& wwwAuthenticate);
  bool knowsScheme() const { return !scheme_.empty(); }
  const std::string& scheme() const { return scheme_; }

  // The header for a request needing `scopes` ("repository:a/b:pull,push"),
  // or nullopt when the request goes anonymously.
  Expected<std::optional<std::string>> header(const std::vector<std::string>& scopes, HttpClient& http);
  // Drops the cached token for `scopes` (after a 401 with it).
  void forget(const std::vector<std::string>& scopes);

 private:
  Expected<std::string> fetchToken(const std::vector<std::string>& scopes, HttpClient& http);
  std::string basicHeader() const;

  struct Token {
    std::string value;
    std::chrono::steady_clock::time_point expires;
  };
  std::string registry_;
  std::optional<Credentials> credentials_;
  bool verifyTls_;
  std::string scheme_;  // "", "basic" or "bearer"
  AuthChallenge challenge_;
  std::map<std::string, Token> tokens_;  // key: scopes joined by ' '
};

}  // namespace wasmops::oci
