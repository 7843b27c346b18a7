// libFuzzer target for the WASI preview1 host: everything a guest hands the
// host (pointers, lengths, iovec arrays, flags, rights, paths, cookies,
// subscriptions) goes through the calls of src/wasi/ as raw wasm arguments,
// exactly as the engine passes them (wasi::wasiCalls(), the table WasiHost
// defines its imports from).
//
// Input format (missing bytes read as 0, so every input is valid):
//   byte 0     setup: bit 0 resolve paths with the component walk instead of
//              openat2; bit 1 preopen 3 read-only; bit 2 preopen 4
//              read-write; bit 3 preopen 3 is named "." instead of "/"
//   bytes 1-2  N, u16 LE: the next N bytes are copied to guest memory at 0
//              (the rest of the 64 KiB is zero)
//   then up to kMaxOps operations, each one byte k, k % (calls + 1) picks:
//     call i   wasiCalls()[i], then one argument per parameter (i32 or i64
//              as its signature says), each a mode byte and its payload:
//                0: u8           1: u16 LE        2: 65536 - u8 (end of memory)
//                3: ~0 - u8      4: raw LE value (4 or 8 bytes)
//                5: sign bit + u8 (0x80000000 or 2^63, + u8)
//                6: u16 LE address: the u32/u64 guest memory holds there
//                   (fds, lengths and cookies earlier calls stored)
//                7: 1 << (u8 % 32 or 64) (one flag or right)
//     calls    a poke: u16 LE address, u8 length, then that many bytes
//              copied to guest memory there (clipped at its end)
// tests/fuzz/make-wasi-corpus.py writes inputs in this format.
//
// The guest's world: argv, environ, stdio on /dev/null, preopen 3 = a
// private sandbox directory ("/"), preopen 4 = its subdirectory "sub"
// ("/sub", read-only unless setup bit 2). The sandbox holds files, a
// subdirectory and symlinks, some of them pointing outside it: to the
// sibling directory "outside" (with a canary file), to its parent, to an
// absolute path, to themselves. A fresh WasiHost per input; the directory
// tree is recreated after every input that called something able to change
// it, so an input always runs against the same tree (reproducible).
//
// Oracles besides ASan/UBSan, each a __builtin_trap with a message:
//   - the canary outside the sandbox keeps its content, size, inode, link
//     count, mode, mtime and ctime; "outside" gets no new or lost entries
//     (and keeps its mtime); the private root holds only "outside" and
//     "sandbox";
//   - no host fd is left open once the input's WasiHost is gone.
// poll_oneoff never waits long: before each call every clock subscription's
// timeout in guest memory is set to 0 (fd subscriptions are on /dev/null,
// files or directories: always ready).
//
// Environment: FUZZ_WASI_TMPDIR (where the private root is made; default
// /dev/shm, else TMPDIR, else /tmp), FUZZ_WASI_TRACE=1 (print every call,
// its arguments and errno to stderr: for reading a reproducer).
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "wasi/CallTable.h"
#include "wasi/PathResolver.h"
#include "wasi/WasiHost.h"

namespace {

namespace fs = std::filesystem;
using namespace wasmops;

constexpr std::uint32_t kMemorySize = 64 * 1024;
constexpr std::size_t kMaxOps = 64;
// Files the guest writes, truncates or fallocates stay below this
// (RLIMIT_FSIZE; SIGXFSZ is ignored so the call gets EFBIG instead).
constexpr rlim_t kMaxFileSize = 16 << 20;

constexpr std::string_view kCanaryText = "canary: nothing inside the sandbox may change this file\n";

[[noreturn]] void setupFailed(const std::string& what) {
  std::fprintf(stderr, "fuzz_wasi: setup failed: %s\n", what.c_str());
  std::abort();
}

[[noreturn]] void violation(const std::string& what) {
  std::fprintf(stderr, "fuzz_wasi: VIOLATION: %s\n", what.c_str());
  __builtin_trap();
}

void writeFile(const fs::path& p, std::string_view text, mode_t mode = 0644) {
  const int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0 || ::write(fd, text.data(), text.size()) != static_cast<ssize_t>(text.size()))
    setupFailed("write " + p.string() + ": " + std::strerror(errno));
  ::close(fd);
}

void makeSymlink(const std::string& target, const fs::path& p) {
  if (::symlink(target.c_str(), p.c_str()) != 0) setupFailed("symlink " + p.string() + ": " + std::strerror(errno));
}

void makeDir(const fs::path& p) {
  if (::mkdir(p.c_str(), 0755) != 0) setupFailed("mkdir " + p.string() + ": " + std::strerror(errno));
}

std::set<std::string> listing(const fs::path& dir) {
  std::set<std::string> names;
  DIR* d = ::opendir(dir.c_str());
  if (!d) violation("cannot list " + dir.string() + ": " + std::strerror(errno));
  while (const dirent* e = ::readdir(d)) {
    if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) names.insert(e->d_name);
  }
  ::closedir(d);
  return names;
}

std::size_t openFdCount() {
  DIR* d = ::opendir("/proc/self/fd");
  if (!d) return 0;  // no procfs: the fd-leak oracle is off
  std::size_t n = 0;
  while (const dirent* e = ::readdir(d)) n += e->d_name[0] != '.';
  ::closedir(d);
  return n;
}

bool sameTime(const timespec& a, const timespec& b) {
  return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec;
}

std::string readAll(const fs::path& p) {
  std::string out;
  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return "<cannot open: " + std::string(std::strerror(errno)) + ">";
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

// Reads the input front to back; past its end every byte is 0.
class Reader {
 public:
  Reader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  bool done() const { return pos_ >= size_; }
  std::uint8_t u8() { return pos_ < size_ ? data_[pos_++] : 0; }
  std::uint16_t u16() {
    const std::uint16_t lo = u8();
    return static_cast<std::uint16_t>(lo | u8() << 8);
  }
  std::uint64_t le(int bytes) {
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v |= static_cast<std::uint64_t>(u8()) << (8 * i);
    return v;
  }
  std::span<const std::uint8_t> take(std::size_t n) {
    n = std::min(n, size_ - std::min(pos_, size_));
    std::span<const std::uint8_t> s(data_ + pos_, n);
    pos_ += n;
    return s;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

struct Fixture {
  fs::path root, sandbox, outside, canary;
  int devNull[3] = {-1, -1, -1};
  std::unique_ptr<std::uint8_t[]> memory;  // exactly kMemorySize: ASan catches any host access past it
  wasmops_memory record{};
  std::span<const wasi::CallSpec> calls;
  std::vector<bool> mutating;  // per call: may change the directory tree
  std::size_t pollIndex = 0;
  bool trace = false;
  bool dirty = true;
  bool xfszIgnored = false;

  // What the oracles compare against.
  struct stat canaryStat {};
  struct stat outsideStat {};
  std::set<std::string> outsideNames, rootNames;

  void init();
  void resetSandbox();
  void snapshotOutside();
  void checkOutside();
};

Fixture* gFixture = nullptr;

void removeRoot() {
  if (!gFixture) return;
  std::error_code ec;
  fs::remove_all(gFixture->root, ec);
}

void Fixture::init() {
  // Bound what a guest can put on disk (fd_allocate, fd_filestat_set_size,
  // writes at huge offsets): past the limit the call fails with EFBIG.
  // SIGXFSZ is ignored in the first LLVMFuzzerTestOneInput, since libFuzzer
  // installs its own handler (-handle_xfsz) after LLVMFuzzerInitialize.
  rlimit lim{};
  if (::getrlimit(RLIMIT_FSIZE, &lim) == 0 && (lim.rlim_cur == RLIM_INFINITY || lim.rlim_cur > kMaxFileSize)) {
    lim.rlim_cur = kMaxFileSize;
    ::setrlimit(RLIMIT_FSIZE, &lim);
  }

  std::string base;
  if (const char* t = std::getenv("FUZZ_WASI_TMPDIR"); t && *t)
    base = t;
  else if (::access("/dev/shm", W_OK | X_OK) == 0)
    base = "/dev/shm";
  else if (const char* t2 = std::getenv("TMPDIR"); t2 && *t2)
    base = t2;
  else
    base = "/tmp";
  std::string tmpl = base + "/wasmops-fuzz-wasi.XXXXXX";
  if (!::mkdtemp(tmpl.data())) setupFailed("mkdtemp " + tmpl + ": " + std::strerror(errno));
  root = fs::path(tmpl);
  std::atexit(removeRoot);
  sandbox = root / "sandbox";
  outside = root / "outside";
  canary = outside / "canary.txt";
  makeDir(outside);
  writeFile(canary, kCanaryText);
  makeDir(outside / "dir");
  writeFile(outside / "dir" / "secret.txt", "secret\n");

  const int modes[3] = {O_RDONLY, O_WRONLY, O_WRONLY};
  for (int i = 0; i < 3; ++i) {
    devNull[i] = ::open("/dev/null", modes[i] | O_CLOEXEC);
    if (devNull[i] < 0) setupFailed(std::string("open /dev/null: ") + std::strerror(errno));
  }

  memory = std::make_unique<std::uint8_t[]>(kMemorySize);
  record.base = memory.get();
  record.size = kMemorySize;
  record.max_pages = 1;

  calls = wasi::wasiCalls();
  static const std::set<std::string_view> kMutating = {"fd_allocate",
                                                       "fd_filestat_set_size",
                                                       "fd_filestat_set_times",
                                                       "fd_pwrite",
                                                       "fd_write",
                                                       "path_create_directory",
                                                       "path_filestat_set_times",
                                                       "path_link",
                                                       "path_open",
                                                       "path_remove_directory",
                                                       "path_rename",
                                                       "path_symlink",
                                                       "path_unlink_file"};
  bool foundPoll = false;
  for (std::size_t i = 0; i < calls.size(); ++i) {
    mutating.push_back(kMutating.count(calls[i].name) != 0);
    if (std::string_view(calls[i].name) == "poll_oneoff") {
      pollIndex = i;
      foundPoll = true;
    }
  }
  if (!foundPoll) setupFailed("wasiCalls() has no poll_oneoff");
  const char* t = std::getenv("FUZZ_WASI_TRACE");
  trace = t && *t && *t != '0';

  resetSandbox();
  snapshotOutside();
}

// The sandbox tree every input starts from.
void Fixture::resetSandbox() {
  std::error_code ec;
  fs::remove_all(sandbox, ec);  // never follows symlinks
  if (ec) violation("cannot remove " + sandbox.string() + ": " + ec.message());
  makeDir(sandbox);
  writeFile(sandbox / "file.txt", "hello from the sandbox\n");
  writeFile(sandbox / "empty", "");
  writeFile(sandbox / "big.bin", std::string(5000, 'x'));
  writeFile(sandbox / "ro.txt", "read only\n", 0444);
  makeDir(sandbox / "sub");
  writeFile(sandbox / "sub" / "nested.txt", "nested\n");
  makeDir(sandbox / "sub" / "deeper");
  makeDir(sandbox / "emptydir");
  makeSymlink("file.txt", sandbox / "link_file");
  makeSymlink("sub", sandbox / "link_sub");
  makeSymlink("sub/deeper/../nested.txt", sandbox / "link_nested");
  makeSymlink("missing", sandbox / "dangling");
  makeSymlink("loop", sandbox / "loop");
  makeSymlink("../outside/canary.txt", sandbox / "escape_rel");
  makeSymlink("../outside", sandbox / "escape_dir");
  makeSymlink("..", sandbox / "escape_up");
  makeSymlink(canary.string(), sandbox / "escape_abs");
  makeSymlink("..", sandbox / "sub" / "up");
  makeSymlink("../../outside/canary.txt", sandbox / "sub" / "escape");
  makeSymlink("../link_sub/../../outside", sandbox / "sub" / "escape_via_link");
  dirty = false;
}

void Fixture::snapshotOutside() {
  if (::lstat(canary.c_str(), &canaryStat) != 0 || ::lstat(outside.c_str(), &outsideStat) != 0)
    setupFailed("stat outside: " + std::string(std::strerror(errno)));
  outsideNames = listing(outside);
  rootNames = listing(root);
}

void Fixture::checkOutside() {
  struct stat st {};
  if (::lstat(canary.c_str(), &st) != 0) violation("the canary " + canary.string() + " is gone");
  if (st.st_ino != canaryStat.st_ino || st.st_mode != canaryStat.st_mode || st.st_nlink != canaryStat.st_nlink ||
      st.st_size != canaryStat.st_size || !sameTime(st.st_mtim, canaryStat.st_mtim) ||
      !sameTime(st.st_ctim, canaryStat.st_ctim))
    violation("the canary " + canary.string() + " changed (inode, mode, links, size, mtime or ctime)");
  if (readAll(canary) != kCanaryText) violation("the canary's content changed");
  if (listing(outside) != outsideNames) violation("entries appeared in or vanished from " + outside.string());
  struct stat os {};
  if (::lstat(outside.c_str(), &os) != 0 || !sameTime(os.st_mtim, outsideStat.st_mtim))
    violation(outside.string() + " was modified");
  if (readAll(outside / "dir" / "secret.txt") != "secret\n") violation("outside/dir/secret.txt changed");
  if (listing(outside / "dir") != std::set<std::string>{"secret.txt"}) violation("outside/dir changed");
  if (listing(root) != rootNames) violation("entries appeared in or vanished from " + root.string());
}

std::uint64_t argument(Reader& in, bool wide, const std::uint8_t* mem) {
  const std::uint64_t allOnes = wide ? ~std::uint64_t{0} : 0xFFFF'FFFFull;
  const std::uint64_t sign = wide ? std::uint64_t{1} << 63 : std::uint64_t{1} << 31;
  switch (in.u8() & 7) {
    case 0: return in.u8();
    case 1: return in.u16();
    case 2: return kMemorySize - in.u8();
    case 3: return allOnes - in.u8();
    case 4: return in.le(wide ? 8 : 4);
    case 5: return sign + in.u8();
    case 6: {
      const std::uint32_t at = in.u16();
      const std::uint32_t n = wide ? 8 : 4;
      if (at + n > kMemorySize) return 0;
      std::uint64_t v = 0;
      std::memcpy(&v, mem + at, n);  // little-endian hosts only, as GuestMemory
      return v;
    }
    default: return std::uint64_t{1} << (in.u8() % (wide ? 64 : 32));
  }
}

// poll_oneoff(in, out, nsubscriptions, nevents): every clock subscription
// expires at once, so the call never sleeps.
void zeroClockTimeouts(std::uint8_t* mem, const wasmops_val* a) {
  const std::uint64_t in = a[0].i32, count = a[2].i32;
  if (count == 0 || in + count * wasi::layout::SubscriptionSize > kMemorySize) return;  // EFAULT/EINVAL before reading
  for (std::uint64_t i = 0; i < count; ++i) {
    std::uint8_t* sub = mem + in + i * wasi::layout::SubscriptionSize;
    if (sub[8] == wasi::eventtype::Clock) std::memset(sub + 24, 0, 8);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  static Fixture fixture;
  gFixture = &fixture;
  fixture.init();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Fixture& fx = *gFixture;
  if (!fx.xfszIgnored) {
    ::signal(SIGXFSZ, SIG_IGN);
    fx.xfszIgnored = true;
  }
  Reader in(data, size);
  const std::uint8_t setup = in.u8();
  wasi::setOpenat2ForTesting((setup & 1) == 0);

  std::uint8_t* mem = fx.memory.get();
  std::memset(mem, 0, kMemorySize);
  const auto image = in.take(std::min<std::size_t>(in.u16(), kMemorySize));
  if (!image.empty()) std::memcpy(mem, image.data(), image.size());

  if (fx.dirty) fx.resetSandbox();
  // fd_fdstat_set_flags on stdio changes the open file description the
  // host shares with these fds: start every input from the same flags.
  for (int fd : fx.devNull) ::fcntl(fd, F_SETFL, 0);
  const std::size_t fdsBefore = openFdCount();
  {
    embed::WasiConfig config;
    config.args = {"fuzz.wasm", "--flag", "", "\xc3\xa4rg with spaces"};
    config.env = {"HOME=/", "PATH=/bin:/usr/bin", "EMPTY=", "FUZZ=1"};
    config.stdinFd = fx.devNull[0];
    config.stdoutFd = fx.devNull[1];
    config.stderrFd = fx.devNull[2];
    config.preopens.push_back({fx.sandbox.string(), (setup & 8) ? "." : "/", (setup & 2) != 0});
    config.preopens.push_back({(fx.sandbox / "sub").string(), "/sub", (setup & 4) == 0});
    auto host = wasi::WasiHost::create(config);
    if (!host) violation("WasiHost::create failed: " + host.error().message);
    wasi::WasiContext& cx = (*host)->context();
    cx.memory = wasi::GuestMemory(&fx.record);

    const std::size_t ops = fx.calls.size() + 1;
    for (std::size_t done = 0; done < kMaxOps && !in.done();) {
      const std::size_t k = in.u8() % ops;
      if (k == fx.calls.size()) {  // poke
        const std::uint32_t at = in.u16();
        const std::size_t len = in.u8();
        const auto bytes = in.take(len);
        const std::size_t n = std::min<std::size_t>(bytes.size(), kMemorySize - at);
        if (n) std::memcpy(mem + at, bytes.data(), n);
        continue;
      }
      ++done;
      const wasi::CallSpec& call = fx.calls[k];
      wasmops_val args[16];
      std::size_t nargs = 0;
      for (const char* p = call.params; *p && nargs < 16; ++p, ++nargs) {
        args[nargs].i64 = 0;
        const std::uint64_t v = argument(in, *p == 'I', mem);
        if (*p == 'I')
          args[nargs].i64 = v;
        else
          args[nargs].i32 = static_cast<std::uint32_t>(v);
      }
      if (k == fx.pollIndex) zeroClockTimeouts(mem, args);
      if (fx.mutating[k]) fx.dirty = true;
      const wasi::Errno err = call.fn(cx, args);
      if (fx.trace) {
        std::fprintf(stderr, "%s(", call.name);
        for (std::size_t i = 0; i < nargs; ++i) {
          if (call.params[i] == 'I')
            std::fprintf(stderr, "%s0x%" PRIx64, i ? ", " : "", args[i].i64);
          else
            std::fprintf(stderr, "%s0x%" PRIx32, i ? ", " : "", args[i].i32);
        }
        std::fprintf(stderr, ") = %u\n", static_cast<unsigned>(err));
      }
    }
    if (cx.exitCode) violation("exitCode set, but proc_exit is never called");
  }
  const std::size_t fdsAfter = openFdCount();
  if (fdsAfter > fdsBefore)
    violation("host fds leaked: " + std::to_string(fdsBefore) + " open before the input, " + std::to_string(fdsAfter) +
              " after its WasiHost was destroyed");
  fx.checkOutside();
  return 0;
}
