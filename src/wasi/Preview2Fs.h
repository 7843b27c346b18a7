#pragma once
// What the wasi:filesystem files share: error-code values, metadata as
// Values, and the two halves of the descriptor resource's methods
// (Preview2FsDescriptor.cpp: operations on the descriptor itself;
// Preview2FsPaths.cpp: operations on paths beneath a directory).
#include <sys/stat.h>

#include <cstdint>
#include <ctime>
#include <optional>
#include <span>

#include "component/Value.h"
#include "wasi/PathOps.h"
#include "wasi/Preview2State.h"

namespace wasmops::wasi::preview2::fs {

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

// A host errno as error-code. EXDEV is cross-device: only a PathStatus can
// say that it was the resolver's escape instead.
Code codeOf(int hostErrno);
// result<_, error-code>'s error case.
Value fail(Code c);
Value failErrno(int hostErrno);
// A path operation's failure: an escape from the sandbox is not-permitted,
// as the WIT says for paths that leave the base directory.
Value failPath(const PathStatus& s);

std::uint32_t typeOf(mode_t mode);
Value statValue(const struct stat& st);
Value metadataHash(const struct stat& st);
// A new-timestamp variant as a utimensat timespec (UTIME_OMIT, UTIME_NOW).
timespec timespecOf(const Value& newTimestamp);

// The descriptor behind a `self` or other borrow.
inline Expected<Descriptor*> descriptorOf(Preview2State& st, const Value& handle) {
  return st.descriptors.get(static_cast<std::uint32_t>(handle.bits));
}

void defineDescriptorMethods(Preview2State& st, InterfaceDefiner& types);
void definePathMethods(Preview2State& st, InterfaceDefiner& types);

}  // namespace wasmops::wasi::preview2::fs
