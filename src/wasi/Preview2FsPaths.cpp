// wasi:filesystem/types: the descriptor methods on paths beneath a
// directory (open-at and the other *-at methods). Every path goes through
// PathOps (PathResolver), exactly as preview1's path_* calls do; the checks
// before it follow wasmtime-wasi: the descriptor must be a directory
// (not-directory), reading needs read, and every change needs
// mutate-directory, which a `:ro` preopen and all beneath it never hold.
#include <fcntl.h>
#include <sys/stat.h>

#include <cerrno>
#include <climits>
#include <string_view>

#include "binary/ByteReader.h"
#include "wasi/Preview2Fs.h"

namespace wasmops::wasi::preview2::fs {
namespace {

// open-flags bits.
namespace openflags {
inline constexpr std::uint32_t Create = 1, Directory = 2, Exclusive = 4, Truncate = 8;
}
constexpr std::uint32_t kSymlinkFollow = 1;  // path-flags
constexpr std::uint32_t kSyncFlags = descflags::FileIntegritySync | descflags::DataIntegritySync |
                                     descflags::RequestedWriteSync;

// The directory a path method works beneath, with `needed` descriptor
// flags; the failure Value otherwise.
std::optional<Value> checkDirectory(const Descriptor& d, std::uint32_t needed) {
  if (d.type != desctype::Directory) return fail(Code::NotDirectory);
  if ((d.flags & needed) != needed) return fail(Code::NotPermitted);
  return std::nullopt;
}

// The resolver holds a directory fd per level of the path: bound the depth
// (preview1 bounds guest paths the same way).
std::optional<Value> checkPath(std::string_view path) {
  if (path.size() > PATH_MAX) return fail(Code::NameTooLong);
  return std::nullopt;
}

Value done(const PathStatus& s) { return s.ok() ? Value::ok() : failPath(s); }

// A directory method: looks up self, checks `needed` and the path, then runs `op`.
template <typename Op>
Result atPath(Preview2State& st, Args a, std::uint32_t needed, std::string_view path, Op op) {
  WASMOPS_TRY(Descriptor * d, descriptorOf(st, a[0]));
  if (auto bad = checkDirectory(*d, needed)) return *bad;
  if (auto bad = checkPath(path)) return *bad;
  return op(*d);
}

Result openAt(Preview2State& st, Args a) {
  WASMOPS_TRY(Descriptor * d, descriptorOf(st, a[0]));
  const bool follow = a[1].bits & kSymlinkFollow;
  const std::string_view path = a[2].text;
  const auto oflags = static_cast<std::uint32_t>(a[3].bits);
  const auto flags = static_cast<std::uint32_t>(a[4].bits);
  if (auto bad = checkDirectory(*d, descflags::Read)) return *bad;
  // What is opened gets at most what the directory has: without
  // mutate-directory nothing beneath may be created, truncated or written.
  const bool changes = (oflags & (openflags::Create | openflags::Truncate)) ||
                       (flags & (descflags::Write | descflags::MutateDirectory));
  if (changes && !(d->flags & descflags::MutateDirectory)) return fail(Code::NotPermitted);
  if ((oflags & openflags::Directory) && (oflags & (openflags::Create | openflags::Exclusive | openflags::Truncate)))
    return fail(Code::Invalid);
  if (auto bad = checkPath(path)) return *bad;

  // As wasmtime: create and truncate open for writing; a descriptor not
  // opened for writing is opened for reading, so the kernel lets it open.
  const bool write = (flags & descflags::Write) || (oflags & (openflags::Create | openflags::Truncate));
  const bool read = (flags & descflags::Read) || !write;
  OpenRequest req;
  req.flags = write ? (read ? O_RDWR : O_WRONLY) : O_RDONLY;
  if (oflags & openflags::Create) req.flags |= O_CREAT;
  if ((oflags & openflags::Create) && (oflags & openflags::Exclusive)) req.flags |= O_EXCL;
  if (oflags & openflags::Truncate) req.flags |= O_TRUNC;
  if (oflags & openflags::Directory) req.flags |= O_DIRECTORY;
  if (flags & descflags::FileIntegritySync) req.flags |= O_SYNC;
  if (flags & descflags::DataIntegritySync) req.flags |= O_DSYNC;
  if (flags & descflags::RequestedWriteSync) req.flags |= O_RSYNC;
  req.mode = 0666;
  req.followFinalSymlink = follow;
  // A directory opened for writing fails here with EISDIR (is-directory).
  const int rc = openBeneath(d->fd->get(), path, req);
  if (rc < 0) return failPath(resolverStatus(-rc));
  auto fd = std::make_shared<UniqueFd>(rc);

  struct stat sb {};
  if (::fstat(fd->get(), &sb) != 0) return failErrno(errno);
  Descriptor opened;
  opened.fd = std::move(fd);
  opened.type = typeOf(sb.st_mode);
  opened.mayChange = d->mayChange;
  if (opened.type == desctype::Directory) {
    opened.flags = d->flags & (descflags::Read | descflags::MutateDirectory);
  } else {
    opened.flags = (read ? descflags::Read : 0) | (write ? descflags::Write : 0) | (flags & kSyncFlags);
  }
  WASMOPS_TRY(std::uint32_t rep, st.descriptors.add(std::move(opened)));
  return Value::ok(Value::own(rep));
}

}  // namespace

void definePathMethods(Preview2State& st, InterfaceDefiner& types) {
  StateRef s(&st);
  constexpr std::uint32_t Read = descflags::Read, Mutate = descflags::MutateDirectory;

  types
      .function("[method]descriptor.open-at", "borrow, flags<1>, string, flags<4>, flags<6>", [s](Args a) -> Result { return openAt(*s, a); })
      .function("[method]descriptor.create-directory-at", "borrow, string",
                [s](Args a) -> Result {
                  return atPath(*s, a, Mutate, a[1].text,
                                [&](Descriptor& d) -> Result { return done(createDirectoryAt(d.fd->get(), a[1].text)); });
                })
      .function("[method]descriptor.stat-at", "borrow, flags<1>, string",
                [s](Args a) -> Result {
                  return atPath(*s, a, Read, a[2].text, [&](Descriptor& d) -> Result {
                    struct stat sb {};
                    const PathStatus r = statAt(d.fd->get(), a[2].text, a[1].bits & kSymlinkFollow, sb);
                    if (!r.ok()) return failPath(r);
                    return Value::ok(statValue(sb));
                  });
                })
      .function("[method]descriptor.metadata-hash-at", "borrow, flags<1>, string",
                [s](Args a) -> Result {
                  // As wasmtime: no flag needed, as for stat on an open descriptor.
                  return atPath(*s, a, 0, a[2].text, [&](Descriptor& d) -> Result {
                    struct stat sb {};
                    const PathStatus r = statAt(d.fd->get(), a[2].text, a[1].bits & kSymlinkFollow, sb);
                    if (!r.ok()) return failPath(r);
                    return Value::ok(metadataHash(sb));
                  });
                })
      .function("[method]descriptor.set-times-at", "borrow, flags<1>, string, variant<_,_,record<u64,u32>>, variant<_,_,record<u64,u32>>",
                [s](Args a) -> Result {
                  return atPath(*s, a, Mutate, a[2].text, [&](Descriptor& d) -> Result {
                    const timespec times[2] = {timespecOf(a[3]), timespecOf(a[4])};
                    return done(setTimesAt(d.fd->get(), a[2].text, a[1].bits & kSymlinkFollow, times));
                  });
                })
      .function("[method]descriptor.link-at", "borrow, flags<1>, string, borrow, string",
                [s](Args a) -> Result {
                  return atPath(*s, a, Mutate, a[2].text, [&](Descriptor& from) -> Result {
                    WASMOPS_TRY(Descriptor * to, descriptorOf(*s, a[3]));
                    if (auto bad = checkDirectory(*to, Mutate)) return *bad;
                    if (auto bad = checkPath(a[4].text)) return *bad;
                    // As wasmtime: a hard link to what a symlink names is not offered.
                    if (a[1].bits & kSymlinkFollow) return fail(Code::Invalid);
                    return done(linkAt(from.fd->get(), a[2].text, false, to->fd->get(), a[4].text));
                  });
                })
      .function("[method]descriptor.readlink-at", "borrow, string",
                [s](Args a) -> Result {
                  return atPath(*s, a, Read, a[1].text, [&](Descriptor& d) -> Result {
                    std::string target;
                    const PathStatus r = readlinkAt(d.fd->get(), a[1].text, target);
                    if (!r.ok()) return failPath(r);
                    if (!binary::isValidUtf8(target)) return fail(Code::IllegalByteSequence);
                    return Value::ok(Value::string(std::move(target)));
                  });
                })
      .function("[method]descriptor.remove-directory-at", "borrow, string",
                [s](Args a) -> Result {
                  return atPath(*s, a, Mutate, a[1].text,
                                [&](Descriptor& d) -> Result { return done(removeDirectoryAt(d.fd->get(), a[1].text)); });
                })
      .function("[method]descriptor.rename-at", "borrow, string, borrow, string",
                [s](Args a) -> Result {
                  return atPath(*s, a, Mutate, a[1].text, [&](Descriptor& from) -> Result {
                    WASMOPS_TRY(Descriptor * to, descriptorOf(*s, a[2]));
                    if (auto bad = checkDirectory(*to, Mutate)) return *bad;
                    if (auto bad = checkPath(a[3].text)) return *bad;
                    return done(renameAt(from.fd->get(), a[1].text, to->fd->get(), a[3].text));
                  });
                })
      .function("[method]descriptor.symlink-at", "borrow, string, string",
                [s](Args a) -> Result {
                  return atPath(*s, a, Mutate, a[2].text,
                                [&](Descriptor& d) -> Result { return done(symlinkAt(a[1].text, d.fd->get(), a[2].text)); });
                })
      .function("[method]descriptor.unlink-file-at", "borrow, string", [s](Args a) -> Result {
        return atPath(*s, a, Mutate, a[1].text,
                      [&](Descriptor& d) -> Result { return done(unlinkFileAt(d.fd->get(), a[1].text)); });
      });
}

}  // namespace wasmops::wasi::preview2::fs
