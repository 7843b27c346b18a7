// wasi:filesystem/types: the descriptor methods that work on the descriptor
// itself (streams, read, write, sync, size, times, metadata, listing), and
// directory-entry-stream. Checks follow wasmtime-wasi: a file-only method on
// a directory is bad-descriptor, a directory-only one on a file is
// not-directory, and changes need a descriptor beneath a writable preopen.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <memory>
#include <string_view>
#include <variant>

#include "binary/ByteReader.h"
#include "wasi/Preview2Fs.h"

namespace wasmops::wasi::preview2::fs {
namespace {

// At most this much per read: a guest asking for 4 GiB gets less (allowed:
// read may return fewer bytes), and the host never allocates what it asked blindly.
constexpr std::uint64_t kMaxRead = 1u << 20;

bool isDirectory(const Descriptor& d) { return d.type == desctype::Directory; }

Expected<Value> newStream(Preview2State& st, const Descriptor& d, bool input, std::optional<std::uint64_t> offset) {
  StreamTarget t;
  t.fd = d.fd->get();
  t.file = d.fd;
  t.offset = offset;
  t.append = !input && !offset;
  if (input) {
    WASMOPS_TRY(std::uint32_t rep, st.inputs.add(InputStream{std::move(t)}));
    return Value::ok(Value::own(rep));
  }
  WASMOPS_TRY(std::uint32_t rep, st.outputs.add(OutputStream{std::move(t)}));
  return Value::ok(Value::own(rep));
}

// The entries of directory `fd` but "." and "..", read through a fresh open
// file description so the listing never moves an offset another user sees.
std::variant<DirectoryEntryStream, int> listDirectory(int fd) {
  const int own = ::openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (own < 0) return errno;
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::fdopendir(own), ::closedir);
  if (!dir) {
    const int err = errno;
    ::close(own);
    return err;
  }
  DirectoryEntryStream out;
  for (;;) {
    errno = 0;
    const dirent* e = ::readdir(dir.get());
    if (!e) {
      if (errno != 0) return errno;
      break;
    }
    const std::string_view name = e->d_name;
    if (name == "." || name == "..") continue;
    DirectoryEntry entry;
    entry.name = std::string(name);
    entry.invalidName = !binary::isValidUtf8(name);
    struct stat sb {};
    if (e->d_type != DT_UNKNOWN) entry.type = typeOf(DTTOIF(e->d_type));
    else if (::fstatat(::dirfd(dir.get()), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0) entry.type = typeOf(sb.st_mode);
    out.entries.push_back(std::move(entry));
  }
  return out;
}

}  // namespace

void defineDescriptorMethods(Preview2State& st, InterfaceDefiner& types) {
  StateRef s(&st);
  auto self = [s](Args a) { return descriptorOf(*s, a[0]); };

  types
      .function("[method]descriptor.read-via-stream", "borrow, u64",
                [s, self](Args a) -> Result {
                  WASMOPS_TRY(Descriptor * d, self(a));
                  if (isDirectory(*d)) return fail(Code::BadDescriptor);
                  if (!(d->flags & descflags::Read)) return fail(Code::BadDescriptor);
                  WASMOPS_TRY(Value v, newStream(*s, *d, true, a[1].bits));
                  return v;
                })
      .function("[method]descriptor.write-via-stream", "borrow, u64",
                [s, self](Args a) -> Result {
                  WASMOPS_TRY(Descriptor * d, self(a));
                  if (isDirectory(*d)) return fail(Code::BadDescriptor);
                  if (!(d->flags & descflags::Write)) return fail(Code::BadDescriptor);
                  WASMOPS_TRY(Value v, newStream(*s, *d, false, a[1].bits));
                  return v;
                })
      .function("[method]descriptor.append-via-stream", "borrow",
                [s, self](Args a) -> Result {
                  WASMOPS_TRY(Descriptor * d, self(a));
                  if (isDirectory(*d)) return fail(Code::BadDescriptor);
                  if (!(d->flags & descflags::Write)) return fail(Code::BadDescriptor);
                  WASMOPS_TRY(Value v, newStream(*s, *d, false, std::nullopt));
                  return v;
                })
      .function("[method]descriptor.advise", "borrow, u64, u64, enum<6>",
                [self](Args a) -> Result {
                  WASMOPS_TRY(Descriptor * d, self(a));
                  if (isDirectory(*d)) return fail(Code::BadDescriptor);
                  // advice cases in order: normal, sequential, random, will-need, dont-need, no-reuse.
                  static constexpr int kAdvice[] = {POSIX_FADV_NORMAL,   POSIX_FADV_SEQUENTIAL, POSIX_FADV_RANDOM,
                                                    POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED,   POSIX_FADV_NOREUSE};
                  const int rc = ::posix_fadvise(d->fd->get(), static_cast<off_t>(a[1].bits),
                                                 static_cast<off_t>(a[2].bits), kAdvice[a[3].caseIndex() % 6]);
                  if (rc != 0) return failErrno(rc);
                  return Value::ok();
                })
      .function("[method]descriptor.sync-data", "borrow",
                [self](Args a) -> Result {
                  WASMOPS_TRY(Descriptor * d, self(a));
                  if (::fdatasync(d->fd->get()) != 0) return failErrno(errno);
                  return Value::ok();
                })
      .function("[method]descriptor.sync", "borrow",
                [self](Args a) -> Result {
                  WASMOPS_TRY(Descriptor * d, self(a));
                  if (::fsync(d->fd->get()) != 0) return failErrno(errno);
                  return Value::ok();
                })
      .function("[method]descriptor.get-flags", "borrow",
                [self](Args a) -> Result {
                  WASMOPS_TRY(Descriptor * d, self(a));
                  return Value::ok(Value::flags(d->flags));
                })
      .function("[method]descriptor.get-type", "borrow",
                [self](Args a) -> Result {
                  WASMOPS_TRY(Descriptor * d, self(a));
                  return Value::ok(Value::enumCase(d->type));
                })
      .function("[method]descriptor.set-size", "borrow, u64",
                [self](Args a) -> Result {
                  WASMOPS_TRY(Descriptor * d, self(a));
                  if (isDirectory(*d)) return fail(Code::BadDescriptor);
                  if (!d->mayChange) return fail(Code::NotPermitted);
                  if (a[1].bits > static_cast<std::uint64_t>(INT64_MAX)) return fail(Code::FileTooLarge);
                  if (::ftruncate(d->fd->get(), static_cast<off_t>(a[1].bits)) != 0) return failErrno(errno);
                  return Value::ok();
                })
      .function("[method]descriptor.set-times", "borrow, variant<_,_,record<u64,u32>>, variant<_,_,record<u64,u32>>",
                [self](Args a) -> Result {
                  WASMOPS_TRY(Descriptor * d, self(a));
                  if (!d->mayChange) return fail(Code::NotPermitted);
                  const timespec times[2] = {timespecOf(a[1]), timespecOf(a[2])};
                  if (::futimens(d->fd->get(), times) != 0) return failErrno(errno);
                  return Value::ok();
                })
      .function("[method]descriptor.read", "borrow, u64, u64",
                [self](Args a) -> Result {
                  WASMOPS_TRY(Descriptor * d, self(a));
                  if (isDirectory(*d)) return fail(Code::BadDescriptor);
                  if (!(d->flags & descflags::Read)) return fail(Code::BadDescriptor);
                  if (a[2].bits > static_cast<std::uint64_t>(INT64_MAX)) return fail(Code::Invalid);
                  std::vector<std::uint8_t> buf(static_cast<std::size_t>(std::min(a[1].bits, kMaxRead)));
                  ssize_t n;
                  do n = ::pread(d->fd->get(), buf.data(), buf.size(), static_cast<off_t>(a[2].bits));
                  while (n < 0 && errno == EINTR);
                  if (n < 0) return failErrno(errno);
                  buf.resize(static_cast<std::size_t>(n));
                  // As wasmtime: end of file is a read that found nothing.
                  return Value::ok(Value::tuple({bytesValue(buf), Value::boolean(n == 0 && a[1].bits > 0)}));
                })
      .function("[method]descriptor.write", "borrow, list<u8>, u64",
                [self](Args a) -> Result {
                  WASMOPS_TRY(Descriptor * d, self(a));
                  if (isDirectory(*d)) return fail(Code::BadDescriptor);
                  if (!d->mayChange) return fail(Code::NotPermitted);
                  if (!(d->flags & descflags::Write)) return fail(Code::BadDescriptor);
                  std::string storage;
                  WASMOPS_TRY(std::span<const std::uint8_t> bytes, bytesOf(a[1], storage));
                  std::uint64_t at = a[2].bits;
                  std::size_t done = 0;
                  while (done < bytes.size()) {
                    if (at > static_cast<std::uint64_t>(INT64_MAX)) return fail(Code::FileTooLarge);
                    const ssize_t n = ::pwrite(d->fd->get(), bytes.data() + done, bytes.size() - done, static_cast<off_t>(at));
                    if (n < 0 && errno == EINTR) continue;
                    if (n < 0) {
                      if (done > 0) break;  // a short write: report what is on the disk
                      return failErrno(errno);
                    }
                    done += static_cast<std::size_t>(n);
                    at += static_cast<std::uint64_t>(n);
                  }
                  return Value::ok(Value::u64(done));
                })
      .function("[method]descriptor.read-directory", "borrow",
                [s, self](Args a) -> Result {
                  WASMOPS_TRY(Descriptor * d, self(a));
                  if (!isDirectory(*d)) return fail(Code::NotDirectory);
                  if (!(d->flags & descflags::Read)) return fail(Code::NotPermitted);
                  auto listed = listDirectory(d->fd->get());
                  if (const int* err = std::get_if<int>(&listed)) return failErrno(*err);
                  WASMOPS_TRY(std::uint32_t rep, s->directoryStreams.add(std::move(std::get<DirectoryEntryStream>(listed))));
                  return Value::ok(Value::own(rep));
                })
      .function("[method]descriptor.stat", "borrow",
                [self](Args a) -> Result {
                  WASMOPS_TRY(Descriptor * d, self(a));
                  struct stat sb {};
                  if (::fstat(d->fd->get(), &sb) != 0) return failErrno(errno);
                  return Value::ok(statValue(sb));
                })
      .function("[method]descriptor.is-same-object", "borrow, borrow",
                [s, self](Args a) -> Result {
                  WASMOPS_TRY(Descriptor * d, self(a));
                  WASMOPS_TRY(Descriptor * other, descriptorOf(*s, a[1]));
                  struct stat x {}, y {};
                  if (::fstat(d->fd->get(), &x) != 0 || ::fstat(other->fd->get(), &y) != 0) return Value::boolean(false);
                  return Value::boolean(x.st_dev == y.st_dev && x.st_ino == y.st_ino);
                })
      .function("[method]descriptor.metadata-hash", "borrow",
                [self](Args a) -> Result {
                  WASMOPS_TRY(Descriptor * d, self(a));
                  struct stat sb {};
                  if (::fstat(d->fd->get(), &sb) != 0) return failErrno(errno);
                  return Value::ok(metadataHash(sb));
                })
      .function("[method]directory-entry-stream.read-directory-entry", "borrow", [s](Args a) -> Result {
        WASMOPS_TRY(DirectoryEntryStream * ds, s->directoryStreams.get(static_cast<std::uint32_t>(a[0].bits)));
        if (ds->next >= ds->entries.size()) return Value::ok(Value::none());
        const DirectoryEntry& e = ds->entries[ds->next++];
        if (e.invalidName) return fail(Code::IllegalByteSequence);
        return Value::ok(Value::some(Value::record({Value::enumCase(e.type), Value::string(e.name)})));
      });
}

}  // namespace wasmops::wasi::preview2::fs
