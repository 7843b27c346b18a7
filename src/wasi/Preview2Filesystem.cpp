// wasi:filesystem (types, preopens) over the context's preopens, with
// preview1's capability rules: every path goes through PathResolver (via
// PathOps), and a read-only preopen's descriptors never get write or
// mutate-directory. This file: error codes, metadata values, the resources,
// filesystem-error-code and preopens; the methods live in
// Preview2FsDescriptor.cpp and Preview2FsPaths.cpp.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "wasi/Preview2Fs.h"

namespace wasmops::wasi::preview2 {
namespace fs {

Code codeOf(int hostErrno) {
  switch (hostErrno) {
    case EACCES: return Code::Access;
    case EAGAIN: return Code::WouldBlock;
    case EALREADY: return Code::Already;
    case EBADF: return Code::BadDescriptor;
    case EBUSY: return Code::Busy;
    case EDEADLK: return Code::Deadlock;
    case EDQUOT: return Code::Quota;
    case EEXIST: return Code::Exist;
    case EFBIG: return Code::FileTooLarge;
    case EILSEQ: return Code::IllegalByteSequence;
    case EINPROGRESS: return Code::InProgress;
    case EINTR: return Code::Interrupted;
    case EINVAL: return Code::Invalid;
    case EIO: return Code::Io;
    case EISDIR: return Code::IsDirectory;
    case ELOOP: return Code::Loop;
    case EMLINK: return Code::TooManyLinks;
    case EMSGSIZE: return Code::MessageSize;
    case ENAMETOOLONG: return Code::NameTooLong;
    case ENODEV: return Code::NoDevice;
    case ENOENT: return Code::NoEntry;
    case ENOLCK: return Code::NoLock;
    case ENOMEM: return Code::InsufficientMemory;
    case ENOSPC: return Code::InsufficientSpace;
    case ENOTDIR: return Code::NotDirectory;
    case ENOTEMPTY: return Code::NotEmpty;
    case ENOTRECOVERABLE: return Code::NotRecoverable;
    case ENOTSUP: return Code::Unsupported;
    case ENOTTY: return Code::NoTty;
    case ENXIO: return Code::NoSuchDevice;
    case EOVERFLOW: return Code::Overflow;
    case EPERM: return Code::NotPermitted;
    case EPIPE: return Code::Pipe;
    case EROFS: return Code::ReadOnly;
    case ESPIPE: return Code::InvalidSeek;
    case ETXTBSY: return Code::TextFileBusy;
    case EXDEV: return Code::CrossDevice;
    default: return Code::Io;
  }
}

Value fail(Code c) { return Value::err(Value::enumCase(static_cast<std::uint32_t>(c))); }
Value failErrno(int hostErrno) { return fail(codeOf(hostErrno)); }
Value failPath(const PathStatus& s) { return s.escape ? fail(Code::NotPermitted) : failErrno(s.err); }

std::uint32_t typeOf(mode_t mode) {
  if (S_ISREG(mode)) return desctype::RegularFile;
  if (S_ISDIR(mode)) return desctype::Directory;
  if (S_ISLNK(mode)) return desctype::SymbolicLink;
  if (S_ISCHR(mode)) return desctype::CharacterDevice;
  if (S_ISBLK(mode)) return desctype::BlockDevice;
  if (S_ISFIFO(mode)) return desctype::Fifo;
  if (S_ISSOCK(mode)) return desctype::Socket;
  return desctype::Unknown;
}

namespace {
Value datetime(const timespec& ts) {
  return Value::record({Value::u64(static_cast<std::uint64_t>(ts.tv_sec)), Value::u32(static_cast<std::uint32_t>(ts.tv_nsec))});
}
}  // namespace

Value statValue(const struct stat& st) {
  return Value::record({Value::enumCase(typeOf(st.st_mode)), Value::u64(st.st_nlink), Value::u64(static_cast<std::uint64_t>(st.st_size)),
                        Value::some(datetime(st.st_atim)), Value::some(datetime(st.st_mtim)), Value::some(datetime(st.st_ctim))});
}

Value metadataHash(const struct stat& st) {
  // device and inode name the object; two rounds of splitmix64 spread them
  // over 128 bits (any hash will do: the guest only compares them).
  auto mix = [](std::uint64_t z) {
    z += 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  };
  const std::uint64_t lower = mix(mix(static_cast<std::uint64_t>(st.st_dev)) ^ static_cast<std::uint64_t>(st.st_ino));
  const std::uint64_t upper = mix(lower ^ static_cast<std::uint64_t>(st.st_dev));
  return Value::record({Value::u64(lower), Value::u64(upper)});
}

timespec timespecOf(const Value& newTimestamp) {
  timespec ts{};
  switch (newTimestamp.caseIndex()) {
    case 0: ts.tv_nsec = UTIME_OMIT; break;  // no-change
    case 1: ts.tv_nsec = UTIME_NOW; break;   // now
    default: {                               // timestamp(datetime)
      const Value& dt = *newTimestamp.payload();
      ts.tv_sec = static_cast<time_t>(dt.items[0].bits);
      ts.tv_nsec = static_cast<long>(dt.items[1].bits);
    }
  }
  return ts;
}

}  // namespace fs

std::uint8_t filesystemErrorCode(int hostErrno) { return static_cast<std::uint8_t>(fs::codeOf(hostErrno)); }

Expected<void> defineFilesystem(Preview2State& st, component::ComponentLinker& linker) {
  using fs::Args;
  using fs::Result;
  using fs::Value;
  StateRef s(&st);

  InterfaceDefiner types(linker, "wasi:filesystem/types");
  types.resource("descriptor", s, &Preview2State::descriptors)
      .resource("directory-entry-stream", s, &Preview2State::directoryStreams)
      .function("filesystem-error-code", "borrow", [s](Args a) -> Result {
        WASMOPS_TRY(HostError * e, s->errors.get(a[0].bits));
        if (!e->fsCode) return Value::none();
        return Value::some(Value::enumCase(*e->fsCode));
      });
  fs::defineDescriptorMethods(st, types);
  fs::definePathMethods(st, types);
  WASMOPS_TRY_VOID(types.finish());

  InterfaceDefiner preopens(linker, "wasi:filesystem/preopens");
  preopens.function("get-directories", "", [s](Args) -> Result {
    std::vector<Value> out;
    for (std::uint32_t fd = 3; fd < FdTable::kMaxFds; ++fd) {
      FdEntry* e = s->cx.fds.get(fd);
      if (!e) break;
      if (!e->preopenName) continue;
      const int dup = ::fcntl(e->host.get(), F_DUPFD_CLOEXEC, 3);
      if (dup < 0) return makeError(ErrorCode::Io, fmt::format("trap: preopen {}: {}", *e->preopenName, std::strerror(errno)));
      Descriptor d;
      d.fd = std::make_shared<UniqueFd>(dup);
      d.type = desctype::Directory;
      d.flags = descflags::Read;
      // A `:ro` preopen holds no mutating right (openWasiContext), so its
      // descriptor, and all that is opened beneath it, never may change.
      d.mayChange = e->has(rights::PathCreateFile);
      if (d.mayChange) d.flags |= descflags::MutateDirectory;
      WASMOPS_TRY(std::uint32_t rep, s->descriptors.add(std::move(d)));
      out.push_back(Value::tuple({Value::own(rep), Value::string(*e->preopenName)}));
    }
    return Value::list(std::move(out));
  });
  return preopens.finish();
}

}  // namespace wasmops::wasi::preview2
