#include "oci/RegistryClient.h"

#include "base/Bytes.h"

#include <spdlog/spdlog.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <thread>

#include "oci/MediaTypes.h"
#include "oci/Reference.h"

namespace wasmops::oci {
namespace {

// "MANIFEST_UNKNOWN: manifest unknown" from the spec's error body, if any.
std::string registryErrorSummary(const std::string& body) {
  auto doc = nlohmann::json::parse(body, nullptr, false);
  if (!doc.is_object() || !doc.contains("errors") || !doc["errors"].is_array() || doc["errors"].empty()) return {};
  std::string out;
  for (const auto& e : doc["errors"]) {
    if (!e.is_object()) continue;
    std::string code = e.contains("code") && e["code"].is_string() ? e["code"].get<std::string>() : "";
    std::string message = e.contains("message") && e["message"].is_string() ? e["message"].get<std::string>() : "";
    if (!out.empty()) out += "; ";
    out += code.empty() ? message : (message.empty() ? code : code + ": " + message);
  }
  return out;
}

std::string withQuery(const std::string& url, const std::string& query) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + query;
}

}  // namespace

const char* blobActionName(BlobAction action) {
  switch (action) {
    case BlobAction::Exists: return "exists";
    case BlobAction::Mounted: return "mounted";
    case BlobAction::Uploaded: return "uploaded";
  }
  return "uploaded";
}

RegistryClient::RegistryClient(std::string registry, RegistryOptions options)
    : registry_(std::move(registry)),
      options_(std::move(options)),
      auth_(registry_, options_.credentials, !options_.insecure),
      rng_(std::random_device{}()) {}

HttpRequest RegistryClient::request(std::string method, const std::string& path) const {
  HttpRequest r;
  r.method = std::move(method);
  r.url = path.find("://") != std::string::npos ? path : base_ + path;
  r.verifyTls = !options_.insecure;
  return r;
}

void RegistryClient::sleepBeforeRetry(int attempt, const std::optional<std::string>& retryAfter) {
  auto wait = options_.retry.delay(attempt, rng_, retryAfter);
  spdlog::debug("{}: retrying in {} ms", registry_, wait.count());
  std::this_thread::sleep_for(wait);
}

Expected<void> RegistryClient::connect() {
  if (!base_.empty()) return {};
  std::string host = registryApiHost(registry_);
  std::vector<std::string> schemes = {"https"};
  if (options_.insecure || isLoopbackRegistry(registry_)) schemes.push_back("http");

  std::optional<Error> last;
  for (int attempt = 1; attempt <= options_.retry.maxAttempts; ++attempt) {
    for (const auto& scheme : schemes) {
      HttpRequest ping;
      ping.url = scheme + "://" + host + "/v2/";
      ping.verifyTls = !options_.insecure;
      ping.maxBufferedBody = 1u << 20;
      auto resp = http_.perform(ping);
      if (!resp) {
        // Only transport failures are worth retrying (libcurl missing is not).
        if (resp.error().code != ErrorCode::Network) return Unexpected(resp.error());
        spdlog::debug("{}: {}", registry_, resp.error().message);
        last = resp.error();
        continue;
      }
      if (RetryPolicy::isRetryableStatus(resp->status)) {
        last = Error(ErrorCode::Network, fmt::format("{} answered {} to GET /v2/", registry_, resp->status));
        last->url = ping.url;
        break;
      }
      if (resp->status == 401) {
        if (!auth_.learn(resp->headerAll("www-authenticate"))) {
          Error e(ErrorCode::Auth,
                  fmt::format("{} asks for authentication with a scheme wasmops does not support", registry_));
          e.url = ping.url;
          return Unexpected(std::move(e));
        }
      } else if (resp->status != 200) {
        Error e(ErrorCode::Network, fmt::format("{} does not serve the OCI distribution API (GET /v2/ answered {})",
                                                registry_, resp->status));
        e.url = ping.url;
        return Unexpected(std::move(e));
      }
      base_ = scheme + "://" + host + "/v2/";
      return {};
    }
    if (attempt < options_.retry.maxAttempts) sleepBeforeRetry(attempt, std::nullopt);
  }
  Error e = last.value_or(Error(ErrorCode::Network, "no answer"));
  e.code = ErrorCode::Network;
  e.message =
      fmt::format("cannot reach registry {} after {} attempts: {}{}", registry_, options_.retry.maxAttempts, e.message,
                  schemes.size() == 1 ? " (is it up? for a registry that speaks plain HTTP use --insecure)"
                                      : " (is the registry running?)");
  return Unexpected(std::move(e));
}

Expected<bool> RegistryClient::checkLogin() {
  WASMOPS_TRY_VOID(connect());
  if (!auth_.knowsScheme()) return false;
  auto resp = sendAuthed(request("GET", ""), {});
  if (!resp) return Unexpected(resp.error());
  if (resp->status == 200) return true;
  if (resp->status == 401)
    return makeError(ErrorCode::Auth,
                     fmt::format("{} rejected the user name or password (401 Unauthorized)", registry_));
  return Unexpected(statusError(*resp, "check the login", ""));
}

Expected<HttpResponse> RegistryClient::sendAuthed(HttpRequest req, const std::vector<std::string>& scopes) {
  const auto baseHeaders = req.headers;
  for (int round = 0; round < 2; ++round) {
    req.headers = baseHeaders;
    WASMOPS_TRY(auto header, auth_.header(scopes, http_));
    if (header) req.headers.push_back(*header);
    WASMOPS_TRY(auto resp, http_.perform(req));
    spdlog::debug("{} {} -> {}", req.method, req.url, resp.status);
    if (resp.status != 401 || round == 1) return resp;
    // 401: learn the scheme (the first request may reveal it) or renew a
    // token that expired or lacks a scope; then try once more.
    bool hadScheme = auth_.knowsScheme();
    std::string before = auth_.scheme();
    if (!auth_.learn(resp.headerAll("www-authenticate"))) return resp;
    if (auth_.scheme() == "bearer") {
      auth_.forget(scopes);
    } else if (hadScheme && before == auth_.scheme()) {
      return resp;  // Basic credentials were already sent and refused
    }
    if (auth_.scheme() == "basic" && !auth_.hasCredentials()) return resp;
  }
  return makeError(ErrorCode::Internal, "unreachable");
}

Expected<HttpResponse> RegistryClient::send(const HttpRequest& req, const std::vector<std::string>& scopes) {
  WASMOPS_TRY_VOID(connect());
  for (int attempt = 1;; ++attempt) {
    auto resp = sendAuthed(req, scopes);
    bool last = attempt >= options_.retry.maxAttempts;
    if (!resp) {
      if (resp.error().code != ErrorCode::Network || last) {
        if (resp.error().code == ErrorCode::Network && attempt > 1)
          resp.error().message += fmt::format(" (after {} attempts)", attempt);
        return resp;
      }
      sleepBeforeRetry(attempt, std::nullopt);
      continue;
    }
    if (!RetryPolicy::isRetryableStatus(resp->status) || last) return resp;
    sleepBeforeRetry(attempt, resp->header("retry-after"));
  }
}

Error RegistryClient::statusError(const HttpResponse& resp, const std::string& action, const std::string& repo) const {
  std::string where = repo.empty() ? registry_ : registry_ + "/" + repo;
  std::string detail = registryErrorSummary(resp.body);
  if (!detail.empty()) detail = " [" + detail + "]";
  Error e;
  switch (resp.status) {
    case 401:
      e = Error(ErrorCode::Auth,
                auth_.hasCredentials()
                    ? fmt::format("{} rejected the stored credentials when trying to {} (401 Unauthorized){}; run "
                                  "`wasmops login {}` again",
                                  where, action, detail, registry_)
                    : fmt::format("{} needs authentication to {} (401 Unauthorized){}; run `wasmops login {}`", where,
                                  action, detail, registry_));
      break;
    case 403:
      e = Error(ErrorCode::Auth, fmt::format("{} refused to {} (403 Forbidden){}; the account lacks permission on this "
                                             "repository (check its name or ask for access)",
                                             where, action, detail));
      break;
    case 404:
      e = Error(ErrorCode::NotFound, fmt::format("{}: cannot {}: not found (404){}", where, action, detail));
      break;
    default:
      e = Error(ErrorCode::Network,
                fmt::format("{}: cannot {}: the registry answered {}{}{}", where, action, resp.status, detail,
                            RetryPolicy::isRetryableStatus(resp.status)
                                ? fmt::format(" after {} attempts", options_.retry.maxAttempts)
                                : ""));
  }
  e.url = resp.effectiveUrl;
  return e;
}

Expected<std::optional<std::uint64_t>> RegistryClient::blobSize(const std::string& repo, const base::Digest& digest) {
  WASMOPS_TRY_VOID(connect());
  WASMOPS_TRY(auto resp, send(request("HEAD", repo + "/blobs/" + digest.str()), {pullScope(repo)}));
  if (resp.status == 404) return std::optional<std::uint64_t>{};
  // A push to a new repository may not allow pull yet: treat as absent.
  if ((resp.status == 401 || resp.status == 403) && auth_.hasCredentials()) return std::optional<std::uint64_t>{};
  if (resp.status != 200) return Unexpected(statusError(resp, "check blob " + digest.str(), repo));
  std::uint64_t size = 0;
  if (auto len = resp.header("content-length")) size = std::strtoull(len->c_str(), nullptr, 10);
  return std::optional<std::uint64_t>(size);
}

Expected<std::string> RegistryClient::startUpload(const std::string& repo) {
  WASMOPS_TRY(auto resp, sendAuthed(request("POST", repo + "/blobs/uploads/"), {pushScope(repo)}));
  if (resp.status != 202) return Unexpected(statusError(resp, "start a blob upload", repo));
  auto location = resp.header("location");
  if (!location) return makeError(ErrorCode::Network, fmt::format("{}: upload started without a Location", registry_));
  return resolveUrl(base_, *location);
}

Expected<BlobAction> RegistryClient::pushBlob(const std::string& repo, const base::Digest& digest,
                                              std::span<const std::uint8_t> bytes,
                                              const std::vector<std::string>& mountFrom, std::uint64_t chunkSize,
                                              const ProgressFn& progress) {
  WASMOPS_TRY_VOID(connect());
  WASMOPS_TRY(auto existing, blobSize(repo, digest));
  if (existing && *existing == bytes.size()) return BlobAction::Exists;

  std::string location;
  for (const auto& from : mountFrom) {
    if (from == repo) continue;
    auto req = request("POST", repo + "/blobs/uploads/?mount=" + urlEncode(digest.str()) + "&from=" + urlEncode(from));
    auto resp = sendAuthed(req, {pushScope(repo), pullScope(from)});
    if (!resp) {
      spdlog::debug("{}: mount from {} failed: {}", registry_, from, resp.error().message);
      continue;
    }
    if (resp->status == 201) return BlobAction::Mounted;
    // 202: the registry could not mount but opened an upload session for us.
    if (resp->status == 202 && resp->header("location")) {
      location = resolveUrl(base_, *resp->header("location"));
      break;
    }
  }

  for (int attempt = 1;; ++attempt) {
    if (location.empty()) {
      auto started = startUpload(repo);
      if (started) location = *started;
      if (!started) {
        if (started.error().code != ErrorCode::Network || attempt >= options_.retry.maxAttempts)
          return Unexpected(started.error());
        sleepBeforeRetry(attempt, std::nullopt);
        continue;
      }
    }
    auto done = uploadOnce(repo, digest, bytes, location, chunkSize, progress);
    if (done) return BlobAction::Uploaded;
    // An upload that failed half way restarts from a new session.
    if (done.error().code != ErrorCode::Network || attempt >= options_.retry.maxAttempts)
      return Unexpected(done.error());
    location.clear();
    sleepBeforeRetry(attempt, std::nullopt);
  }
}

Expected<void> RegistryClient::uploadOnce(const std::string& repo, const base::Digest& digest,
                                          std::span<const std::uint8_t> bytes, std::string location,
                                          std::uint64_t chunkSize, const ProgressFn& progress) {
  const std::vector<std::string> scopes = {pushScope(repo)};
  std::span<const std::uint8_t> finalBody = bytes;
  if (chunkSize > 0 && bytes.size() > chunkSize) {
    for (std::size_t offset = 0; offset < bytes.size(); offset += chunkSize) {
      auto chunk = bytes.subspan(offset, std::min<std::size_t>(chunkSize, bytes.size() - offset));
      auto req = request("PATCH", location);
      req.body = chunk;
      req.headers = {"Content-Type: application/octet-stream",
                     fmt::format("Content-Range: {}-{}", offset, offset + chunk.size() - 1)};
      if (progress)
        req.progress = [&, offset](std::uint64_t done, std::uint64_t) { progress(offset + done, bytes.size()); };
      WASMOPS_TRY(auto resp, sendAuthed(req, scopes));
      if (resp.status != 202) return Unexpected(statusError(resp, "upload a chunk of " + digest.str(), repo));
      if (auto next = resp.header("location")) location = resolveUrl(base_, *next);
    }
    finalBody = {};
  }
  auto req = request("PUT", withQuery(location, "digest=" + urlEncode(digest.str())));
  req.body = finalBody;
  req.headers = {"Content-Type: application/octet-stream"};
  if (progress && !finalBody.empty())
    req.progress = [&](std::uint64_t done, std::uint64_t) { progress(done, bytes.size()); };
  WASMOPS_TRY(auto resp, sendAuthed(req, scopes));
  if (resp.status != 201 && resp.status != 204)
    return Unexpected(statusError(resp, "finish the upload of " + digest.str(), repo));
  if (progress) progress(bytes.size(), bytes.size());
  return {};
}

Expected<base::Digest> RegistryClient::putManifest(const std::string& repo, const std::string& selector,
                                             std::string_view mediaType, std::string_view bytes) {
  WASMOPS_TRY_VOID(connect());
  auto req = request("PUT", repo + "/manifests/" + selector);
  req.body = asBytes(bytes);
  req.headers = {"Content-Type: " + std::string(mediaType)};
  WASMOPS_TRY(auto resp, send(req, {pushScope(repo)}));
  if (resp.status != 201 && resp.status != 200 && resp.status != 204)
    return Unexpected(statusError(resp, "store manifest " + selector, repo));
  base::Digest digest = base::Digest::of(bytes);
  if (auto reported = resp.header("docker-content-digest"); reported && *reported != digest.str())
    return makeError(ErrorCode::Integrity, fmt::format("{}/{}: registry reports manifest digest {}, expected {}",
                                                       registry_, repo, *reported, digest.str()));
  return digest;
}

Expected<FetchedManifest> RegistryClient::getManifest(const std::string& repo, const std::string& selector) {
  WASMOPS_TRY_VOID(connect());
  auto req = request("GET", repo + "/manifests/" + selector);
  req.headers = {"Accept: " + std::string(media::kManifestAccept)};
  req.maxBufferedBody = kMaxManifestBytes;
  auto got = send(req, {pullScope(repo)});
  if (!got && got.error().code == ErrorCode::LimitExceeded)
    return makeError(ErrorCode::LimitExceeded,
                     fmt::format("{}/{}: manifest {} is larger than 4 MiB; refusing it", registry_, repo, selector));
  WASMOPS_TRY(auto resp, std::move(got));
  if (resp.status == 404) {
    bool byDigest = selector.rfind("sha256:", 0) == 0;
    Error e(ErrorCode::NotFound,
            fmt::format("{}/{}: {} {} not found (404 {}); check the reference (`skopeo list-tags` lists tags)",
                        registry_, repo, byDigest ? "manifest" : "tag", selector,
                        registryErrorSummary(resp.body).empty() ? "Not Found" : registryErrorSummary(resp.body)));
    e.url = resp.effectiveUrl;
    return Unexpected(std::move(e));
  }
  if (resp.status != 200) return Unexpected(statusError(resp, "fetch manifest " + selector, repo));

  FetchedManifest m;
  m.digest = base::Digest::of(resp.body);
  if (selector.rfind("sha256:", 0) == 0 && m.digest.str() != selector)
    return makeError(ErrorCode::Integrity, fmt::format("{}/{}: digest mismatch: asked for manifest {}, received {}",
                                                       registry_, repo, selector, m.digest.str()));
  if (auto reported = resp.header("docker-content-digest");
      reported && reported->rfind("sha256:", 0) == 0 && *reported != m.digest.str())
    return makeError(ErrorCode::Integrity, fmt::format("{}/{}: manifest {} hashes to {} but the registry says {}",
                                                       registry_, repo, selector, m.digest.str(), *reported));
  if (auto type = resp.header("content-type")) m.mediaType = type->substr(0, type->find(';'));
  m.bytes = std::move(resp.body);
  return m;
}

Expected<void> RegistryClient::getBlob(const std::string& repo, const base::Digest& digest, std::uint64_t size,
                                       const ContentStore& store, const ProgressFn& progress) {
  if (store.has(digest, size)) return {};
  WASMOPS_TRY_VOID(connect());
  for (int attempt = 1;; ++attempt) {
    auto done = downloadOnce(repo, digest, size, store, progress);
    if (done || done.error().code != ErrorCode::Network || attempt >= options_.retry.maxAttempts) return done;
    sleepBeforeRetry(attempt, std::nullopt);
  }
}

Expected<void> RegistryClient::downloadOnce(const std::string& repo, const base::Digest& digest, std::uint64_t size,
                                            const ContentStore& store, const ProgressFn& progress) {
  WASMOPS_TRY(auto writer, store.begin(digest, size));
  auto req = request("GET", repo + "/blobs/" + digest.str());
  req.sink = [&writer](std::span<const std::uint8_t> chunk) { return writer.write(chunk); };
  req.maxBufferedBody = 1u << 20;
  if (progress) req.progress = [&](std::uint64_t done, std::uint64_t) { progress(done, size); };
  WASMOPS_TRY(auto resp, sendAuthed(req, {pullScope(repo)}));
  if (resp.status != 200) return Unexpected(statusError(resp, "download blob " + digest.str(), repo));
  auto committed = writer.commit();
  if (!committed) {
    Error e = committed.error();
    e.message = fmt::format("{}/{}: {}; nothing was stored", registry_, repo, e.message);
    return Unexpected(std::move(e));
  }
  return {};
}

}  // namespace wasmops::oci
