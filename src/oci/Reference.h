#pragma once
// An image reference as Docker and the OCI tools write it:
//   [REGISTRY/]REPOSITORY[:TAG][@sha256:HEX]
// with Docker's rules: a first component containing '.' or ':', equal to
// "localhost" or holding an uppercase letter names a registry; otherwise the
// registry is docker.io, and a single-component repository there gets the
// "library/" prefix. Without tag and digest the tag is "latest".
#include <optional>
#include <string>
#include <string_view>

#include "base/Error.h"
#include "base/Digest.h"

namespace wasmops::oci {

inline constexpr std::string_view kDockerHub = "docker.io";

struct Reference {
  std::string registry;    // normalised: "docker.io", "ghcr.io", "localhost:5000"
  std::string repository;  // "library/hello", "org/app"
  std::string tag;         // empty only when a digest is given
  std::optional<base::Digest> digest;

  // Errors have code Invalid and name the offending character and its
  // 1-based position in `text`.
  static Expected<Reference> parse(std::string_view text);

  // The host that serves the distribution API: docker.io → registry-1.docker.io.
  std::string apiHost() const;
  // localhost, 127.0.0.1 or ::1 (any port): plain HTTP is allowed there.
  bool isLoopback() const;
  // The tag or, when present, the digest: what GET /v2/<repo>/manifests/<x> takes.
  std::string manifestSelector() const;
  // "registry/repository:tag", "registry/repository@sha256:..." or both.
  std::string str() const;
  // "registry/repository@<digest>": what push prints.
  std::string withDigest(const base::Digest& d) const;
  // Last path component of the repository ("app" for "org/app").
  std::string name() const;
};

// Normalises a registry name as `login`/`logout` and the credential store see
// it: "https://index.docker.io/v1/", "index.docker.io" and "docker.io" all
// become "docker.io"; a scheme and trailing path are dropped.
Expected<std::string> normaliseRegistry(std::string_view text);
// The API host for a normalised registry name.
std::string registryApiHost(const std::string& registry);
bool isLoopbackRegistry(const std::string& registry);

}  // namespace wasmops::oci
