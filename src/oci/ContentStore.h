#pragma once
// The local content-addressed store: every manifest, config and layer that
// wasmops pulls or pushes, at <root>/blobs/sha256/<hex>. A blob enters the
// store only whole and verified: bytes go to a temporary file in the same
// folder and are renamed into place after their sha256 and size match, so a
// process killed at any point leaves no corrupt entry, and the next pull
// skips every blob already present (that is how a pull resumes).
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/Error.h"
#include "base/Sha256.h"
#include "base/AtomicFile.h"
#include "base/Digest.h"

namespace wasmops::oci {

class BlobWriter;

class ContentStore {
 public:
  // $XDG_CACHE_HOME/wasmops/oci, else ~/.cache/wasmops/oci.
  static std::string defaultRoot();
  // Creates the folders; removes temporaries left by processes that died.
  static Expected<ContentStore> open(const std::string& root);

  const std::string& root() const { return root_; }
  std::string blobPath(const base::Digest& digest) const;

  // True when the blob is present with `size` bytes. A present blob of
  // another size was damaged outside wasmops: it is removed and false returned.
  bool has(const base::Digest& digest, std::uint64_t size) const;
  bool has(const base::Digest& digest) const;
  // Reads a small blob (manifest, config), re-checking its digest.
  Expected<std::string> readSmall(const base::Digest& digest, std::size_t maxBytes) const;

  // Streams a blob of `size` bytes in; nothing is stored unless commit()
  // finds both the digest and the size right.
  Expected<BlobWriter> begin(const base::Digest& digest, std::uint64_t size) const;
  // Stores `bytes` after checking that they hash to `digest`.
  Expected<void> put(const base::Digest& digest, std::string_view bytes) const;

  // Copies a stored blob to `path` (atomically, `mode`), verifying it again
  // on the way; a blob found damaged is removed from the store.
  Expected<void> exportTo(const base::Digest& digest, const std::string& path, mode_t mode) const;

  // Where a blob is known to exist ("registry/repository"), best effort; push
  // uses it to ask a registry to mount instead of upload.
  void recordSource(const base::Digest& digest, const std::string& repository) const;
  std::vector<std::string> sources(const base::Digest& digest) const;

 private:
  explicit ContentStore(std::string root) : root_(std::move(root)) {}
  std::string blobDir() const { return root_ + "/blobs/sha256"; }
  std::string root_;
};

class BlobWriter {
 public:
  BlobWriter(base::TempFile file, base::Digest expected, std::uint64_t size, std::string target);
  BlobWriter(BlobWriter&&) noexcept = default;
  BlobWriter& operator=(BlobWriter&&) noexcept = default;

  // Integrity error as soon as more than the expected size arrives.
  Expected<void> write(std::span<const std::uint8_t> bytes);
  std::uint64_t written() const { return written_; }
  std::uint64_t expectedSize() const { return size_; }
  // Verifies size and digest, then renames into the store. On a mismatch
  // the temporary file is deleted and nothing is stored.
  Expected<void> commit();

 private:
  base::TempFile file_;
  std::unique_ptr<Sha256> hasher_ = std::make_unique<Sha256>();
  base::Digest expected_;
  std::uint64_t size_ = 0;
  std::uint64_t written_ = 0;
  std::string target_;
};

}  // namespace wasmops::oci
