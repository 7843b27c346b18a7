#include "oci/CredentialHelper.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "base/Process.h"

namespace wasmops::oci {
namespace {

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

Unexpected helperFailed(const std::string& program, const std::string& verb, const ProcessResult& r) {
  std::string detail = trimmed(r.err.empty() ? r.out : r.err);
  return makeError(ErrorCode::Auth, fmt::format("credential helper '{} {}' failed with status {}{}{}", program, verb,
                                                r.status(), detail.empty() ? "" : ": ", detail));
}

// One exchange with a docker-credential-* program: `input` on its stdin,
// its answer captured; one that hangs is killed after 30 s.
Expected<ProcessResult> runHelper(const std::string& program, const std::string& verb, const std::string& input) {
  ProcessSpec spec;
  spec.argv = {program, verb};
  spec.input = input;
  spec.limits.timeout = std::chrono::seconds(30);
  WASMOPS_TRY(auto r, runProcess(spec));
  if (r.timedOut)
    return makeError(ErrorCode::Io, fmt::format("credential helper '{} {}' did not finish within 30 s", program, verb));
  return r;
}

}  // namespace

Expected<std::optional<Credentials>> CredentialHelper::get(const std::string& serverUrl) const {
  WASMOPS_TRY(auto r, runHelper(program(), "get", serverUrl));
  if (r.status() != 0) {
    // The protocol's "not found" answer is this text on stdout with status 1.
    if (r.out.find("credentials not found") != std::string::npos) return std::optional<Credentials>{};
    return helperFailed(program(), "get", r);
  }
  auto doc = nlohmann::json::parse(r.out, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("Username") || !doc.contains("Secret") ||
      !doc["Username"].is_string() || !doc["Secret"].is_string())
    return makeError(
        ErrorCode::Auth,
        fmt::format("credential helper '{} get' printed no JSON object with Username and Secret", program()));
  return std::optional<Credentials>(Credentials{doc["Username"].get<std::string>(), doc["Secret"].get<std::string>()});
}

Expected<void> CredentialHelper::store(const std::string& serverUrl, const Credentials& credentials) const {
  nlohmann::json doc = {{"ServerURL", serverUrl}, {"Username", credentials.username}, {"Secret", credentials.password}};
  WASMOPS_TRY(auto r, runHelper(program(), "store", doc.dump()));
  if (r.status() != 0) return helperFailed(program(), "store", r);
  return {};
}

Expected<void> CredentialHelper::erase(const std::string& serverUrl) const {
  WASMOPS_TRY(auto r, runHelper(program(), "erase", serverUrl));
  if (r.status() != 0 && r.out.find("credentials not found") == std::string::npos)
    return helperFailed(program(), "erase", r);
  return {};
}

}  // namespace wasmops::oci
