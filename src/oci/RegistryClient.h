#pragma once
// The OCI distribution API (spec v1.1) for one registry: ping, blob
// existence, monolithic, chunked and mounted uploads, manifests by tag or
// digest, blob download into the content store. Every request goes through
// the auth flow (anonymous, Basic, Bearer tokens) and bounded retries with
// backoff on connection errors, 429 and 5xx; errors name the registry and
// repository and say what to do.
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "base/Error.h"
#include "oci/ContentStore.h"
#include "oci/Credentials.h"
#include "base/Digest.h"
#include "oci/HttpClient.h"
#include "oci/RegistryAuth.h"
#include "oci/RetryPolicy.h"

namespace wasmops::oci {

struct RegistryOptions {
  // Plain HTTP (and TLS without certificate checks) for a registry that is
  // not on the loopback interface, where HTTP is always allowed.
  bool insecure = false;
  std::optional<Credentials> credentials;
  RetryPolicy retry;
};

struct FetchedManifest {
  std::string bytes;
  std::string mediaType;  // from Content-Type, else the document's "mediaType"
  base::Digest digest;          // sha256 of `bytes`, checked against what was asked for
};

enum class BlobAction { Exists, Mounted, Uploaded };
const char* blobActionName(BlobAction action);

using ProgressFn = std::function<void(std::uint64_t done, std::uint64_t total)>;

inline constexpr std::size_t kMaxManifestBytes = 4u << 20;

class RegistryClient {
 public:
  RegistryClient(std::string registry, RegistryOptions options);

  const std::string& registry() const { return registry_; }
  // "https://host/v2/" once connected.
  const std::string& baseUrl() const { return base_; }

  // GET /v2/: picks https or (where allowed) http and learns the auth scheme.
  Expected<void> connect();
  // Proves the credentials: an authenticated GET /v2/ must answer 200.
  // Returns false when the registry needs no authentication at all.
  Expected<bool> checkLogin();

  // HEAD /v2/<repo>/blobs/<digest>: the size when present.
  Expected<std::optional<std::uint64_t>> blobSize(const std::string& repo, const base::Digest& digest);
  // Skips a blob the repository has, tries a cross-repository mount from
  // each of `mountFrom` (repositories of this registry), else uploads it,
  // in chunks of `chunkSize` when it is larger than that (0: monolithic).
  Expected<BlobAction> pushBlob(const std::string& repo, const base::Digest& digest, std::span<const std::uint8_t> bytes,
                                const std::vector<std::string>& mountFrom, std::uint64_t chunkSize,
                                const ProgressFn& progress);
  // PUT /v2/<repo>/manifests/<tag or digest>; returns the manifest digest.
  Expected<base::Digest> putManifest(const std::string& repo, const std::string& selector, std::string_view mediaType,
                               std::string_view bytes);
  // GET with Accept for OCI and Docker manifests and indexes; over 4 MiB
  // is refused; a manifest asked for by digest must hash to it.
  Expected<FetchedManifest> getManifest(const std::string& repo, const std::string& selector);
  // Streams a blob into `store`; verified (size and digest) before it
  // appears there. Already present: nothing is downloaded.
  Expected<void> getBlob(const std::string& repo, const base::Digest& digest, std::uint64_t size, const ContentStore& store,
                         const ProgressFn& progress);

 private:
  // One request with authentication (one retry after a 401 that taught us
  // a scheme or invalidated a token).
  Expected<HttpResponse> sendAuthed(HttpRequest request, const std::vector<std::string>& scopes);
  // sendAuthed with retries on connection errors and retryable statuses.
  Expected<HttpResponse> send(const HttpRequest& request, const std::vector<std::string>& scopes);
  Expected<void> uploadOnce(const std::string& repo, const base::Digest& digest, std::span<const std::uint8_t> bytes,
                            std::string location, std::uint64_t chunkSize, const ProgressFn& progress);
  Expected<void> downloadOnce(const std::string& repo, const base::Digest& digest, std::uint64_t size,
                              const ContentStore& store, const ProgressFn& progress);
  Expected<std::string> startUpload(const std::string& repo);
  // The error for an unexpected status, naming registry, repository and remedy.
  Error statusError(const HttpResponse& response, const std::string& action, const std::string& repo) const;
  void sleepBeforeRetry(int attempt, const std::optional<std::string>& retryAfter);
  HttpRequest request(std::string method, const std::string& path) const;
  static std::string pullScope(const std::string& repo) { return "repository:" + repo + ":pull"; }
  static std::string pushScope(const std::string& repo) { return "repository:" + repo + ":pull,push"; }

  std::string registry_;
  RegistryOptions options_;
  std::string base_;  // scheme://host/v2/
  HttpClient http_;
  RegistryAuth auth_;
  std::mt19937 rng_;
};

}  // namespace wasmops::oci
