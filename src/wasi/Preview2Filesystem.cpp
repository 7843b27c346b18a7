// wasi:filesystem (types, preopens) over the context's preopens, with
// preview1's capability rules: every path goes through PathResolver, and a
// read-only preopen's descriptors never get write or mutate-directory.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "wasi/PathResolver.h"
#include "wasi/Preview2State.h"

namespace wasmops::wasi::preview2 {
namespace {

using component::Value;
using Args = std::span<const Value>;
using Result = Expected<std::optional<Value>>;

// wasi:filesystem/types.error-code cases, in declaration order.
enum class Code : std::uint8_t {
  Access, WouldBlock, Already, BadDescriptor, Busy, Deadlock, Quota, Exist, FileTooLarge, IllegalByteSequence,
  InProgress, Interrupted, Invalid, Io, IsDirectory, Loop, TooManyLinks, MessageSize, NameTooLong, NoDevice, NoEntry,
  NoLock, InsufficientMemory, InsufficientSpace, NotDirectory, NotEmpty, NotRecoverable, Unsupported, NoTty,
  NoSuchDevice, Overflow, NotPermitted, Pipe, ReadOnly, InvalidSeek, TextFileBusy, CrossDevice,
};

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

Value datetime(const timespec& ts) {
  return Value::record({Value::u64(static_cast<std::uint64_t>(ts.tv_sec)), Value::u32(static_cast<std::uint32_t>(ts.tv_nsec))});
}

Value statValue(const struct stat& st) {
  return Value::record({Value::enumCase(typeOf(st.st_mode)), Value::u64(st.st_nlink), Value::u64(static_cast<std::uint64_t>(st.st_size)),
                        Value::some(datetime(st.st_atim)), Value::some(datetime(st.st_mtim)), Value::some(datetime(st.st_ctim))});
}

}  // namespace

Expected<void> defineFilesystem(Preview2State& st, component::ComponentLinker& linker) {
  Preview2State* s = &st;
  auto descriptor = [s](const Value& self) -> Expected<Descriptor*> { return s->descriptors.get(self.bits); };

  InterfaceDefiner types(linker, "wasi:filesystem/types");
  types.resource("descriptor", st.descriptors)
      .resource("directory-entry-stream", st.directoryStreams)
      .function("[method]descriptor.get-type",
                [descriptor](Args a) -> Result {
                  WASMOPS_TRY(Descriptor * d, descriptor(a[0]));
                  return Value::ok(Value::enumCase(d->type));
                })
      .function("[method]descriptor.get-flags",
                [descriptor](Args a) -> Result {
                  WASMOPS_TRY(Descriptor * d, descriptor(a[0]));
                  return Value::ok(Value::flags(d->flags));
                })
      .function("[method]descriptor.stat",
                [descriptor](Args a) -> Result {
                  WASMOPS_TRY(Descriptor * d, descriptor(a[0]));
                  struct stat sb {};
                  if (::fstat(d->fd->get(), &sb) != 0) return failErrno(errno);
                  return Value::ok(statValue(sb));
                })
      .function("[method]descriptor.read-via-stream",
                [s, descriptor](Args a) -> Result {
                  WASMOPS_TRY(Descriptor * d, descriptor(a[0]));
                  if (!(d->flags & descflags::Read)) return fail(Code::BadDescriptor);
                  if (d->type == desctype::Directory) return fail(Code::IsDirectory);
                  StreamTarget t;
                  t.fd = d->fd->get();
                  t.file = d->fd;
                  t.offset = a[1].bits;
                  WASMOPS_TRY(std::uint32_t rep, s->inputs.add(InputStream{std::move(t)}));
                  return Value::ok(Value::own(rep));
                })
      .function("[method]descriptor.write-via-stream",
                [s, descriptor](Args a) -> Result {
                  WASMOPS_TRY(Descriptor * d, descriptor(a[0]));
                  if (!(d->flags & descflags::Write)) return fail(Code::BadDescriptor);
                  if (d->type == desctype::Directory) return fail(Code::IsDirectory);
                  StreamTarget t;
                  t.fd = d->fd->get();
                  t.file = d->fd;
                  t.offset = a[1].bits;
                  WASMOPS_TRY(std::uint32_t rep, s->outputs.add(OutputStream{std::move(t)}));
                  return Value::ok(Value::own(rep));
                })
      .function("[method]descriptor.append-via-stream",
                [s, descriptor](Args a) -> Result {
                  WASMOPS_TRY(Descriptor * d, descriptor(a[0]));
                  if (!(d->flags & descflags::Write)) return fail(Code::BadDescriptor);
                  if (d->type == desctype::Directory) return fail(Code::IsDirectory);
                  StreamTarget t;
                  t.fd = d->fd->get();
                  t.file = d->fd;
                  t.append = true;
                  WASMOPS_TRY(std::uint32_t rep, s->outputs.add(OutputStream{std::move(t)}));
                  return Value::ok(Value::own(rep));
                })
      .function("filesystem-error-code", [s](Args a) -> Result {
        WASMOPS_TRY(HostError * e, s->errors.get(a[0].bits));
        if (!e->fsCode) return Value::none();
        return Value::some(Value::enumCase(*e->fsCode));
      });
  WASMOPS_TRY_VOID(types.finish());

  InterfaceDefiner preopens(linker, "wasi:filesystem/preopens");
  preopens.function("get-directories", [s](Args) -> Result {
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
      if (e->has(rights::PathCreateFile)) d.flags |= descflags::MutateDirectory;
      WASMOPS_TRY(std::uint32_t rep, s->descriptors.add(std::move(d)));
      out.push_back(Value::tuple({Value::own(rep), Value::string(*e->preopenName)}));
    }
    return Value::list(std::move(out));
  });
  return preopens.finish();
}

}  // namespace wasmops::wasi::preview2
