#pragma once
// The wasi_snapshot_preview1 ABI: constants and struct layouts, as
// witx/typenames.witx defines them (sizes and offsets for wasm32).
#include <cstdint>

namespace wasmops::wasi {

// errno values (a u16 on the wire, returned as i32).
enum class Errno : std::uint16_t {
  Success = 0, TooBig = 1, Acces = 2, AddrInUse = 3, AddrNotAvail = 4, AfNoSupport = 5, Again = 6, Already = 7,
  Badf = 8, BadMsg = 9, Busy = 10, Canceled = 11, Child = 12, ConnAborted = 13, ConnRefused = 14, ConnReset = 15,
  Deadlk = 16, DestAddrReq = 17, Dom = 18, Dquot = 19, Exist = 20, Fault = 21, Fbig = 22, HostUnreach = 23,
  Idrm = 24, Ilseq = 25, InProgress = 26, Intr = 27, Inval = 28, Io = 29, IsConn = 30, IsDir = 31, Loop = 32,
  Mfile = 33, Mlink = 34, MsgSize = 35, Multihop = 36, NameTooLong = 37, NetDown = 38, NetReset = 39,
  NetUnreach = 40, Nfile = 41, NoBufs = 42, NoDev = 43, NoEnt = 44, NoExec = 45, NoLck = 46, NoLink = 47,
  NoMem = 48, NoMsg = 49, NoProtoOpt = 50, NoSpc = 51, NoSys = 52, NotConn = 53, NotDir = 54, NotEmpty = 55,
  NotRecoverable = 56, NotSock = 57, NotSup = 58, NoTty = 59, Nxio = 60, Overflow = 61, OwnerDead = 62, Perm = 63,
  Pipe = 64, Proto = 65, ProtoNoSupport = 66, ProtoType = 67, Range = 68, Rofs = 69, Spipe = 70, Srch = 71,
  Stale = 72, TimedOut = 73, TxtBsy = 74, Xdev = 75, NotCapable = 76,
};

// Maps a host errno to WASI's (EXDEV, our marker for "leaves the sandbox",
// becomes NotCapable).
Errno fromHostErrno(int hostErrno);

namespace filetype {
inline constexpr std::uint8_t Unknown = 0, BlockDevice = 1, CharacterDevice = 2, Directory = 3, RegularFile = 4,
                              SocketDgram = 5, SocketStream = 6, SymbolicLink = 7;
}

namespace fdflags {
inline constexpr std::uint16_t Append = 1, Dsync = 2, Nonblock = 4, Rsync = 8, Sync = 16;
}

namespace oflags {
inline constexpr std::uint16_t Creat = 1, Directory = 2, Excl = 4, Trunc = 8;
}

namespace lookupflags {
inline constexpr std::uint32_t SymlinkFollow = 1;
}

namespace fstflags {
inline constexpr std::uint16_t Atim = 1, AtimNow = 2, Mtim = 4, MtimNow = 8;
}

namespace rights {
inline constexpr std::uint64_t FdDatasync = 1ull << 0, FdRead = 1ull << 1, FdSeek = 1ull << 2,
                               FdFdstatSetFlags = 1ull << 3, FdSync = 1ull << 4, FdTell = 1ull << 5,
                               FdWrite = 1ull << 6, FdAdvise = 1ull << 7, FdAllocate = 1ull << 8,
                               PathCreateDirectory = 1ull << 9, PathCreateFile = 1ull << 10,
                               PathLinkSource = 1ull << 11, PathLinkTarget = 1ull << 12, PathOpen = 1ull << 13,
                               FdReaddir = 1ull << 14, PathReadlink = 1ull << 15, PathRenameSource = 1ull << 16,
                               PathRenameTarget = 1ull << 17, PathFilestatGet = 1ull << 18,
                               PathFilestatSetSize = 1ull << 19, PathFilestatSetTimes = 1ull << 20,
                               FdFilestatGet = 1ull << 21, FdFilestatSetSize = 1ull << 22,
                               FdFilestatSetTimes = 1ull << 23, PathSymlink = 1ull << 24,
                               PathRemoveDirectory = 1ull << 25, PathUnlinkFile = 1ull << 26,
                               PollFdReadwrite = 1ull << 27, SockShutdown = 1ull << 28, SockAccept = 1ull << 29;
inline constexpr std::uint64_t All = (1ull << 30) - 1;
// What a regular file can do; the rest only makes sense on a directory.
inline constexpr std::uint64_t File = FdDatasync | FdRead | FdSeek | FdFdstatSetFlags | FdSync | FdTell | FdWrite |
                                      FdAdvise | FdAllocate | FdFilestatGet | FdFilestatSetSize |
                                      FdFilestatSetTimes | PollFdReadwrite;
inline constexpr std::uint64_t Directory = FdFdstatSetFlags | FdSync | FdDatasync | PathCreateDirectory |
                                           PathCreateFile | PathLinkSource | PathLinkTarget | PathOpen | FdReaddir |
                                           PathReadlink | PathRenameSource | PathRenameTarget | PathFilestatGet |
                                           PathFilestatSetSize | PathFilestatSetTimes | FdFilestatGet |
                                           FdFilestatSetTimes | PathSymlink | PathRemoveDirectory | PathUnlinkFile;
// Rights that change something on disk; a read-only preopen never grants them.
inline constexpr std::uint64_t Mutating = FdDatasync | FdWrite | FdAllocate | PathCreateDirectory | PathCreateFile |
                                          PathLinkSource | PathLinkTarget | PathRenameSource | PathRenameTarget |
                                          PathFilestatSetSize | PathFilestatSetTimes | FdFilestatSetSize |
                                          FdFilestatSetTimes | PathSymlink | PathRemoveDirectory | PathUnlinkFile;
inline constexpr std::uint64_t Socket = FdRead | FdWrite | FdFdstatSetFlags | FdFilestatGet | PollFdReadwrite |
                                        SockShutdown | SockAccept;
}  // namespace rights

namespace clockid {
inline constexpr std::uint32_t Realtime = 0, Monotonic = 1, ProcessCputime = 2, ThreadCputime = 3;
}

namespace whence {
inline constexpr std::uint8_t Set = 0, Cur = 1, End = 2;
}

namespace eventtype {
inline constexpr std::uint8_t Clock = 0, FdRead = 1, FdWrite = 2;
}

inline constexpr std::uint16_t kSubclockAbstime = 1;
inline constexpr std::uint16_t kEventFdReadwriteHangup = 1;
inline constexpr std::uint16_t kRiRecvPeek = 1, kRiRecvWaitall = 2;
inline constexpr std::uint16_t kRoRecvDataTruncated = 1;
inline constexpr std::uint8_t kSdRd = 1, kSdWr = 2;
inline constexpr std::uint8_t kPreopenTypeDir = 0;

// Struct sizes and field offsets (wasm32).
namespace layout {
inline constexpr std::uint32_t IovecSize = 8;       // buf u32 @0, len u32 @4
inline constexpr std::uint32_t FdstatSize = 24;     // filetype u8 @0, flags u16 @2, base u64 @8, inheriting u64 @16
inline constexpr std::uint32_t FilestatSize = 64;   // dev @0 ino @8 filetype u8 @16 nlink @24 size @32 atim @40 mtim @48 ctim @56
inline constexpr std::uint32_t DirentSize = 24;     // next u64 @0, ino u64 @8, namlen u32 @16, type u8 @20
inline constexpr std::uint32_t PrestatSize = 8;     // tag u8 @0, name_len u32 @4
inline constexpr std::uint32_t SubscriptionSize = 48;
inline constexpr std::uint32_t EventSize = 32;
}  // namespace layout

}  // namespace wasmops::wasi
