#include "oci/ContentStore.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>
#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "base/UniqueFd.h"

namespace wasmops::oci {
namespace {

constexpr std::size_t kMaxSources = 64;

}  // namespace

std::string ContentStore::defaultRoot() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg == '/') return std::string(xdg) + "/wasmops/oci";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.cache/wasmops/oci";
}

Expected<ContentStore> ContentStore::open(const std::string& root) {
  ContentStore store(root);
  WASMOPS_TRY_VOID(base::makeDirectories(store.blobDir()));
  WASMOPS_TRY_VOID(base::makeDirectories(root + "/sources/sha256"));
  base::removeStalePartials(store.blobDir());
  return store;
}

std::string ContentStore::blobPath(const base::Digest& digest) const {
  return blobDir() + "/" + digest.hex();
}

bool ContentStore::has(const base::Digest& digest, std::uint64_t size) const {
  struct stat st {};
  std::string path = blobPath(digest);
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  if (static_cast<std::uint64_t>(st.st_size) == size) return true;
  ::unlink(path.c_str());
  return false;
}

bool ContentStore::has(const base::Digest& digest) const {
  struct stat st {};
  return ::stat(blobPath(digest).c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

Expected<std::string> ContentStore::readSmall(const base::Digest& digest, std::size_t maxBytes) const {
  WASMOPS_TRY(auto bytes, base::readSmallFile(blobPath(digest), maxBytes));
  if (base::Digest::of(bytes) != digest) {
    ::unlink(blobPath(digest).c_str());
    return Unexpected(Error(ErrorCode::Integrity, "stored blob does not match its digest (removed; pull again)")
                          .inFile(blobPath(digest)));
  }
  return bytes;
}

Expected<BlobWriter> ContentStore::begin(const base::Digest& digest, std::uint64_t size) const {
  WASMOPS_TRY(auto file, base::TempFile::create(blobDir(), 0644));
  return BlobWriter(std::move(file), digest, size, blobPath(digest));
}

Expected<void> ContentStore::put(const base::Digest& digest, std::string_view bytes) const {
  WASMOPS_TRY(auto writer, begin(digest, bytes.size()));
  WASMOPS_TRY_VOID(writer.write({reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()}));
  return writer.commit();
}

Expected<void> ContentStore::exportTo(const base::Digest& digest, const std::string& path, mode_t mode) const {
  std::string source = blobPath(digest);
  UniqueFd in(::open(source.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in)
    return Unexpected(
        Error(ErrorCode::NotFound, std::string("blob not in store: ") + std::strerror(errno)).inFile(source));
  auto slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  WASMOPS_TRY(auto out, base::TempFile::create(dir, mode));
  Sha256 hasher;
  std::vector<std::uint8_t> buf(1u << 20);
  for (;;) {
    ssize_t n = ::read(in.get(), buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Unexpected(Error(ErrorCode::Io, std::string("cannot read: ") + std::strerror(errno)).inFile(source));
    }
    if (n == 0) break;
    std::span<const std::uint8_t> chunk(buf.data(), static_cast<std::size_t>(n));
    hasher.update(chunk);
    WASMOPS_TRY_VOID(out.write(chunk));
  }
  if (hasher.finishHex() != digest.hex()) {
    ::unlink(source.c_str());
    return Unexpected(
        Error(ErrorCode::Integrity, "stored blob does not match its digest (removed; pull again)").inFile(source));
  }
  return out.commit(path);
}

void ContentStore::recordSource(const base::Digest& digest, const std::string& repository) const {
  auto known = sources(digest);
  for (const auto& s : known)
    if (s == repository) return;
  if (known.size() >= kMaxSources) known.erase(known.begin());
  known.push_back(repository);
  std::string text;
  for (const auto& s : known) text += s + "\n";
  // Best effort: losing this record only costs a mount later.
  (void)base::writeFileAtomically(root_ + "/sources/sha256/" + digest.hex(), text, 0644);
}

std::vector<std::string> ContentStore::sources(const base::Digest& digest) const {
  std::vector<std::string> out;
  auto text = base::readSmallFile(root_ + "/sources/sha256/" + digest.hex(), 64 * 1024);
  if (!text) return out;
  std::size_t pos = 0;
  while (pos < text->size()) {
    auto nl = text->find('\n', pos);
    if (nl == std::string::npos) nl = text->size();
    if (nl > pos) out.push_back(text->substr(pos, nl - pos));
    pos = nl + 1;
  }
  return out;
}

BlobWriter::BlobWriter(base::TempFile file, base::Digest expected, std::uint64_t size, std::string target)
    : file_(std::move(file)), expected_(std::move(expected)), size_(size), target_(std::move(target)) {}

Expected<void> BlobWriter::write(std::span<const std::uint8_t> bytes) {
  if (written_ + bytes.size() > size_)
    return makeError(ErrorCode::Integrity, fmt::format("blob {} is larger than the {} bytes its descriptor declares",
                                                       expected_.str(), size_));
  hasher_->update(bytes);
  written_ += bytes.size();
  return file_.write(bytes);
}

Expected<void> BlobWriter::commit() {
  if (written_ != size_)
    return makeError(ErrorCode::Integrity,
                     fmt::format("blob {} is truncated: {} of {} bytes", expected_.str(), written_, size_));
  auto actual = hasher_->finishHex();
  if (actual != expected_.hex())
    return makeError(ErrorCode::Integrity,
                     fmt::format("digest mismatch: expected {}, got sha256:{}", expected_.str(), actual));
  return file_.commit(target_);
}

}  // namespace wasmops::oci
