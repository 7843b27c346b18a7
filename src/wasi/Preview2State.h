#pragma once
// The host objects behind WASI 0.2's resources, one HostTable per resource
// type, over the services of a WasiContext (its stdio and preopens). The
// interface families (Preview2Cli.cpp, Preview2Io.cpp, ...) define their
// functions on these tables; Preview2Host ties them to a ComponentLinker.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/Error.h"
#include "base/UniqueFd.h"
#include "component/ComponentLinker.h"
#include "component/HostTable.h"
#include "component/Value.h"
#include "wasi/BodyPipe.h"
#include "wasi/HostSignal.h"
#include "wasi/MemoryStream.h"
#include "wasi/WasiContext.h"

namespace wasmops::wasi::preview2 {

// The version the host provides every interface at; an import of any 0.2.x
// links to it (ComponentLinker's semver rule).
inline constexpr std::string_view kVersion = "0.2.12";

// wasi:io/error: what went wrong, for to-debug-string and for
// wasi:filesystem's filesystem-error-code.
struct HostError {
  std::string message;
  std::optional<std::uint8_t> fsCode;  // wasi:filesystem/types.error-code case
};

// Where a stream's bytes come from or go: a host fd (stdio the context owns,
// or a file a descriptor opened, shared so the stream outlives a dropped
// descriptor) or a stream in host memory.
struct StreamTarget {
  int fd = -1;
  std::shared_ptr<UniqueFd> file;        // set for files: keeps `fd` open
  std::shared_ptr<MemoryStream> memory;  // set instead of fd
  std::shared_ptr<BodyPipe> pipe;        // or this: an HTTP body, a piece at a time
  std::optional<std::uint64_t> offset;   // files: the next pread/pwrite position
  bool append = false;                   // append-via-stream: writes go to the end
  bool closed = false;                   // end of input seen, or a write failed
};

struct InputStream {
  StreamTarget from;
};
struct OutputStream {
  StreamTarget to;
};

// wasi:io/poll pollable: ready at once, at a monotonic deadline, when a
// host fd is readable or writable, or when a signal the host completes on
// another thread is (an outbound HTTP response).
struct Pollable {
  enum class Kind { Ready, Deadline, Readable, Writable, Signal } kind = Kind::Ready;
  std::uint64_t deadline = 0;  // Kind::Deadline: CLOCK_MONOTONIC nanoseconds
  int fd = -1;
  std::shared_ptr<UniqueFd> file;  // keeps `fd` open
  std::shared_ptr<HostSignal> signal;
};

// wasi:filesystem descriptor-flags bits (read, write, file-integrity-sync,
// data-integrity-sync, requested-write-sync, mutate-directory).
namespace descflags {
inline constexpr std::uint32_t Read = 1, Write = 2, FileIntegritySync = 4, DataIntegritySync = 8,
                               RequestedWriteSync = 16, MutateDirectory = 32;
}

// wasi:filesystem/types.descriptor-type cases.
namespace desctype {
inline constexpr std::uint32_t Unknown = 0, BlockDevice = 1, CharacterDevice = 2, Directory = 3, Fifo = 4,
                               SymbolicLink = 5, RegularFile = 6, Socket = 7;
}

struct Descriptor {
  std::shared_ptr<UniqueFd> fd;
  // descflags: files: how it was opened (read, write, sync); directories:
  // read, and mutate-directory exactly when mayChange.
  std::uint32_t flags = 0;
  std::uint32_t type = desctype::Unknown;
  // Beneath a preopen that may change the disk (not `:ro`), as preview1's
  // inheriting rights: set-size, set-times, writes and every mutation of a
  // directory need it, and whatever is opened beneath inherits it.
  bool mayChange = false;
};

struct DirectoryEntry {
  std::uint32_t type = desctype::Unknown;
  std::string name;
  bool invalidName = false;  // not UTF-8: read-directory-entry reports illegal-byte-sequence
};
struct DirectoryEntryStream {
  std::vector<DirectoryEntry> entries;
  std::size_t next = 0;
};

struct Terminal {};

struct Preview2State {
  explicit Preview2State(WasiContext& context) : cx(context) {}
  WasiContext& cx;
  component::HostTable<HostError> errors{"error"};
  component::HostTable<Pollable> pollables{"pollable"};
  component::HostTable<InputStream> inputs{"input-stream"};
  component::HostTable<OutputStream> outputs{"output-stream"};
  component::HostTable<Descriptor> descriptors{"descriptor"};
  component::HostTable<DirectoryEntryStream> directoryStreams{"directory-entry-stream"};
  component::HostTable<Terminal> terminalInputs{"terminal-input"}, terminalOutputs{"terminal-output"};
  // Set while the guest, on an engine::GuestTask, is suspended in
  // pollable.block or poll (Preview2Host::waiting()).
  std::optional<GuestWait> waiting;
};

// The host objects of the instance whose guest calls a host function: those
// of the Preview2Host its store carries (engine::Store::setHostData), else
// those the functions were defined with. So a linker defined once serves
// every instance, each with its own objects (the HTTP host defines one per
// component and instantiates it per request).
template <typename State>
class StateRefOf {
 public:
  explicit StateRefOf(State* defined) : defined_(defined) {}
  State& operator*() const { return get(); }
  State* operator->() const { return &get(); }
  State& get() const;  // Preview2Host.cpp, for Preview2State and HttpState

 private:
  State* defined_;
};
template <>
Preview2State& StateRefOf<Preview2State>::get() const;
using StateRef = StateRefOf<Preview2State>;

// Defines the functions and resources of one interface (`wasi:pkg/name`
// at kVersion); the first error is kept and returned by finish().
class InterfaceDefiner {
 public:
  InterfaceDefiner(component::ComponentLinker& linker, std::string_view packageAndName);
  // `params`: the parameter shapes `fn` reads (component/TypeShape.h); the
  // linker refuses an import declaring others.
  InterfaceDefiner& function(std::string name, std::string params, component::HostFunction fn);
  // A resource whose objects are `table` of the calling instance's state
  // (`ref`: a StateRef or HttpStateRef).
  template <typename Ref, typename State, typename T>
  InterfaceDefiner& resource(std::string name, Ref ref, component::HostTable<T> State::*table) {
    return resource(std::move(name), [ref, table](std::uint32_t rep) { return ((*ref).*table).remove(rep); });
  }
  InterfaceDefiner& resource(std::string name, component::HostDestructor destructor);
  Expected<void> finish() const { return status_; }

 private:
  component::ComponentLinker& linker_;
  std::string interface_;
  Expected<void> status_;
};

// Each family defines its interfaces in `linker` (Preview2*.cpp).
Expected<void> defineCli(Preview2State& st, component::ComponentLinker& linker);
Expected<void> defineIo(Preview2State& st, component::ComponentLinker& linker);
Expected<void> defineClocksAndRandom(Preview2State& st, component::ComponentLinker& linker);
Expected<void> defineFilesystem(Preview2State& st, component::ComponentLinker& linker);

// Shared by the families: stream results and byte lists as Values.
component::Value bytesValue(std::span<const std::uint8_t> bytes);
// A list<u8> argument's bytes: a view of a packed list (what lifting makes,
// no copy), else of a copy of the u8 items kept in `storage`.
Expected<std::span<const std::uint8_t>> bytesOf(const component::Value& list, std::string& storage);
// result<_, stream-error> / result<T, stream-error> failures. A failure
// with a host errno carries it as wasi:filesystem's error-code, which
// filesystem-error-code reports (as wasmtime-wasi does for I/O errors).
component::Value streamClosed();
Expected<component::Value> streamFailed(Preview2State& st, std::string message,
                                        std::optional<int> hostErrno = std::nullopt);
// wasi:filesystem/types.error-code's case for a host errno (Preview2Filesystem.cpp).
std::uint8_t filesystemErrorCode(int hostErrno);
// Creates a pollable and returns Value::own of it.
Expected<component::Value> newPollable(Preview2State& st, Pollable p);

}  // namespace wasmops::wasi::preview2
