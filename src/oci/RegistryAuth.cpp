#include "oci/RegistryAuth.h"

#include <spdlog/spdlog.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/Base64.h"

namespace wasmops::oci {
namespace {

std::string scopeKey(const std::vector<std::string>& scopes) {
  std::string key;
  for (const auto& s : scopes) key += (key.empty() ? "" : " ") + s;
  return key;
}

}  // namespace

bool RegistryAuth::learn(const std::vector<std::string>& wwwAuthenticate) {
  for (const auto& value : wwwAuthenticate) {
    auto challenges = parseAuthChallenges(value);
    if (!challenges) {
      spdlog::debug("{}: {}", registry_, challenges.error().message);
      continue;
    }
    for (auto& c : *challenges) {
      if (c.scheme == "bearer" && !c.param("realm").empty()) {
        scheme_ = "bearer";
        challenge_ = std::move(c);
        return true;
      }
      if (c.scheme == "basic" && scheme_.empty()) {
        scheme_ = "basic";
        challenge_ = c;
      }
    }
  }
  return !scheme_.empty();
}

std::string RegistryAuth::basicHeader() const {
  return "Authorization: Basic " + base::base64Encode(credentials_->username + ":" + credentials_->password);
}

Expected<std::optional<std::string>> RegistryAuth::header(const std::vector<std::string>& scopes, HttpClient& http) {
  if (scheme_ == "basic") {
    if (!credentials_) return std::optional<std::string>{};
    return std::optional<std::string>(basicHeader());
  }
  if (scheme_ != "bearer") return std::optional<std::string>{};
  auto it = tokens_.find(scopeKey(scopes));
  if (it != tokens_.end() && std::chrono::steady_clock::now() < it->second.expires)
    return std::optional<std::string>("Authorization: Bearer " + it->second.value);
  WASMOPS_TRY(auto token, fetchToken(scopes, http));  // also caches it
  return std::optional<std::string>("Authorization: Bearer " + token);
}

void RegistryAuth::forget(const std::vector<std::string>& scopes) {
  tokens_.erase(scopeKey(scopes));
}

Expected<std::string> RegistryAuth::fetchToken(const std::vector<std::string>& scopes, HttpClient& http) {
  std::string url = challenge_.param("realm");
  std::string query;
  if (auto service = challenge_.param("service"); !service.empty()) query += "service=" + urlEncode(service);
  for (const auto& s : scopes) query += (query.empty() ? "" : "&") + ("scope=" + urlEncode(s));
  if (!query.empty()) url += (url.find('?') == std::string::npos ? "?" : "&") + query;

  HttpRequest req;
  req.url = url;
  req.verifyTls = verifyTls_;
  req.maxBufferedBody = 1u << 20;
  if (credentials_) req.headers.push_back(basicHeader());
  WASMOPS_TRY(auto resp, http.perform(req));
  if (resp.status == 401 || resp.status == 403) {
    Error e(ErrorCode::Auth,
            credentials_ ? fmt::format("{} rejected the credentials stored for it (token service answered {}); run "
                                       "`wasmops login {}` again",
                                       registry_, resp.status, registry_)
                         : fmt::format("{} refused an anonymous token (status {}); run `wasmops login {}`", registry_,
                                       resp.status, registry_));
    e.url = challenge_.param("realm");
    return Unexpected(std::move(e));
  }
  if (resp.status != 200) {
    Error e(ErrorCode::Network, fmt::format("token service of {} answered {}", registry_, resp.status));
    e.url = challenge_.param("realm");
    return Unexpected(std::move(e));
  }
  auto doc = nlohmann::json::parse(resp.body, nullptr, false);
  std::string token;
  if (doc.is_object()) {
    if (doc.contains("token") && doc["token"].is_string()) token = doc["token"].get<std::string>();
    if (token.empty() && doc.contains("access_token") && doc["access_token"].is_string())
      token = doc["access_token"].get<std::string>();
  }
  if (token.empty()) {
    Error e(ErrorCode::Network, fmt::format("token service of {} returned no token", registry_));
    e.url = challenge_.param("realm");
    return Unexpected(std::move(e));
  }
  // The spec's default lifetime is 60 s; renew a little early.
  long seconds = 60;
  if (doc.contains("expires_in") && doc["expires_in"].is_number_integer()) seconds = doc["expires_in"].get<long>();
  auto lifetime = std::chrono::seconds(std::max(seconds - 10, 5L));
  tokens_[scopeKey(scopes)] = Token{token, std::chrono::steady_clock::now() + lifetime};
  return token;
}

}  // namespace wasmops::oci
