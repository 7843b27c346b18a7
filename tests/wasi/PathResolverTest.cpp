// Escape attempts against the WASI path resolver, run through both implementations (openat2 and the component
// walk). Each attempt must fail with the expected errno and leave ../outside untouched: same secret content, mtime
// and (where the filesystem updates it) atime, same listing.
#include "wasi/PathResolver.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <map>
#include <ostream>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

namespace wasmops::wasi {
namespace {

namespace fs = std::filesystem;
using namespace std::string_literals;

constexpr char kSecret[] = "top secret\n";
// Old enough that a read under relatime would move atime (atime <= mtime).
constexpr timespec kOldTime{1'600'000'000, 0};

enum class Impl { Openat2, Walk };

std::string implName(Impl impl) {
  return impl == Impl::Openat2 ? "Openat2" : "Walk";
}
std::string implParamName(const testing::TestParamInfo<Impl>& param) {
  return implName(param.param);
}

std::string errnoName(int err) {
  if (err == 0) return "success";
  const char* name = ::strerrorname_np(err);
  return name ? name : std::to_string(err);
}

struct FileId {
  dev_t dev = 0;
  ino_t ino = 0;
  bool operator==(const FileId&) const = default;
  bool operator<(const FileId& o) const { return std::tie(dev, ino) < std::tie(o.dev, o.ino); }
};

FileId idOf(int fd) {
  struct stat st {};
  EXPECT_EQ(::fstat(fd, &st), 0);
  return {st.st_dev, st.st_ino};
}

FileId idOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return {st.st_dev, st.st_ino};
}

std::string readAll(int fd) {
  std::string out;
  char buf[4096];
  for (off_t off = 0;;) {
    const ssize_t n = ::pread(fd, buf, sizeof buf, off);
    if (n <= 0) return out;
    out.append(buf, static_cast<size_t>(n));
    off += n;
  }
}

void writeFile(const std::string& path, const std::string& content) {
  const UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  ASSERT_TRUE(fd) << path;
  ASSERT_EQ(::write(fd.get(), content.data(), content.size()), static_cast<ssize_t>(content.size()));
}

void makeSymlink(const std::string& target, const std::string& link) {
  ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0) << link << ": " << std::strerror(errno);
}

std::set<std::string> listDir(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.insert(entry.path().filename().string());
  return names;
}

class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string templ = std::string(base && *base ? base : "/tmp") + "/wasmops-wasi-test-XXXXXX";
    path_ = ::mkdtemp(templ.data()) ? templ : std::string();
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Outcome of one openBeneath: the fd (closed at scope exit) or the errno.
struct Opened {
  UniqueFd fd;
  int err = 0;
};

Opened openIn(int dirfd, std::string_view path, int flags, bool follow = true) {
  const int r = openBeneath(dirfd, path, OpenRequest{.flags = flags, .mode = 0644, .followFinalSymlink = follow});
  Opened out;
  if (r >= 0) {
    out.fd.reset(r);
  } else {
    out.err = -r;
  }
  return out;
}

// Records ../outside once and checks later that nothing there moved.
class OutsideGuard {
 public:
  void arm(const std::string& outsideDir, const std::string& probeFile) {
    dir_ = outsideDir;
    secret_ = outsideDir + "/secret.txt";
    atimeMeasurable_ = readUpdatesAtime(probeFile);
    listing_ = listDir(dir_);
    struct stat st {};
    ASSERT_EQ(::stat(secret_.c_str(), &st), 0);
    mtime_ = st.st_mtim;
    atime_ = st.st_atim;
    id_ = {st.st_dev, st.st_ino};
  }

  void expectUntouched(const std::string& what) const {
    struct stat st {};
    ASSERT_EQ(::stat(secret_.c_str(), &st), 0) << what;
    EXPECT_EQ(st.st_mtim.tv_sec, mtime_.tv_sec) << what;
    EXPECT_EQ(st.st_mtim.tv_nsec, mtime_.tv_nsec) << what;
    if (atimeMeasurable_) {
      EXPECT_EQ(st.st_atim.tv_sec, atime_.tv_sec) << what << ": the secret was read";
      EXPECT_EQ(st.st_atim.tv_nsec, atime_.tv_nsec) << what << ": the secret was read";
    }
    EXPECT_EQ(readSecret(), kSecret) << what;
    EXPECT_EQ(listDir(dir_), listing_) << what << ": something was created or removed outside";
  }

  FileId secretId() const { return id_; }
  bool atimeMeasurable() const { return atimeMeasurable_; }

 private:
  // noatime mounts never update atime; relatime does when atime <= mtime, which is how the times are set.
  static bool readUpdatesAtime(const std::string& probe) {
    writeFile(probe, "probe");
    const timespec times[2] = {kOldTime, kOldTime};
    if (::utimensat(AT_FDCWD, probe.c_str(), times, 0) != 0) return false;
    const UniqueFd fd(::open(probe.c_str(), O_RDONLY | O_CLOEXEC));
    char c = 0;
    if (!fd || ::read(fd.get(), &c, 1) != 1) return false;
    struct stat st {};
    return ::stat(probe.c_str(), &st) == 0 && st.st_atim.tv_sec != kOldTime.tv_sec;
  }

  // Checking the content must not itself move atime: O_NOATIME (we own the file).
  std::string readSecret() const {
    const UniqueFd fd(::open(secret_.c_str(), O_RDONLY | O_NOATIME | O_CLOEXEC));
    return fd ? readAll(fd.get()) : "<unreadable>";
  }

  std::string dir_, secret_;
  std::set<std::string> listing_;
  timespec mtime_{}, atime_{};
  FileId id_;
  bool atimeMeasurable_ = false;
};

// <tmp>/outside/secret.txt, <tmp>/sandbox/... with escaping and harmless symlinks; `root` is the sandbox's fd.
class Sandbox {
 public:
  void build() {
    ASSERT_FALSE(tmp_.path().empty());
    const std::string& t = tmp_.path();
    const std::string s = sandbox();
    for (const char* dir : {"/outside", "/sandbox", "/sandbox/dir", "/sandbox/dir/nested", "/sandbox/sub"}) {
      ASSERT_EQ(::mkdir((t + dir).c_str(), 0755), 0) << dir;
    }
    writeFile(outside() + "/secret.txt", kSecret);
    const timespec times[2] = {kOldTime, kOldTime};
    ASSERT_EQ(::utimensat(AT_FDCWD, (outside() + "/secret.txt").c_str(), times, 0), 0);
    writeFile(s + "/inside.txt", "inside\n");
    writeFile(s + "/dir/nested/deep.txt", "deep\n");

    // Ways out.
    makeSymlink(outside() + "/secret.txt", s + "/abs_link");
    makeSymlink(outside(), s + "/abs_dir");
    makeSymlink(outside() + "/new.txt", s + "/abs_dangling");
    makeSymlink("../outside/secret.txt", s + "/rel_escape");
    makeSymlink("chain_b", s + "/chain_a");
    makeSymlink("chain_c", s + "/chain_b");
    makeSymlink("../outside/secret.txt", s + "/chain_c");
    makeSymlink("chain_dir_b", s + "/chain_dir_a");
    makeSymlink("../outside", s + "/chain_dir_b");
    makeSymlink("../outside", s + "/esc_dir");
    makeSymlink("..", s + "/dotdot_link");
    makeSymlink("../sandbox/inside.txt", s + "/up_and_back");
    makeSymlink("../../../outside/secret.txt", s + "/dir/nested/climb");
    makeSymlink("../outside/new.txt", s + "/dangling_out");
    makeSymlink("/proc/self/root", s + "/proc_link");
    makeSymlink("loop_y", s + "/loop_x");
    makeSymlink("loop_x", s + "/loop_y");
    makeSymlink("self_loop", s + "/self_loop");

    // Ways that stay inside.
    makeSymlink("inside.txt", s + "/good_link");
    makeSymlink("dir/nested", s + "/good_dir_link");
    makeSymlink("dir/nested/../../inside.txt", s + "/deep_rel");
    makeSymlink("chain_in_b", s + "/chain_in_a");
    makeSymlink("good_link", s + "/chain_in_b");
    makeSymlink("created.txt", s + "/dangling_in");
    makeSymlink("dir/", s + "/slash_link");
    makeSymlink("..", s + "/dir/up");

    root_.reset(::open(s.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    ASSERT_TRUE(root_);
    guard_.arm(outside(), t + "/atime-probe");
  }

  std::string sandbox() const { return tmp_.path() + "/sandbox"; }
  std::string outside() const { return tmp_.path() + "/outside"; }
  int root() const { return root_.get(); }
  const OutsideGuard& guard() const { return guard_; }

  // Every directory inside the sandbox (symlinks not followed): where a resolved parent may be.
  std::set<FileId> insideDirectories() const {
    std::set<FileId> ids{idOf(sandbox())};
    for (const auto& entry : fs::recursive_directory_iterator(sandbox())) {
      if (fs::is_directory(entry.symlink_status())) ids.insert(idOf(entry.path().string()));
    }
    return ids;
  }

 private:
  TempDir tmp_;
  UniqueFd root_;
  OutsideGuard guard_;
};

// Runs the test under one implementation, and puts the default back afterwards.
void selectImpl(Impl impl) {
  if (impl == Impl::Openat2 && !openat2Supported()) GTEST_SKIP() << "this kernel has no usable openat2";
  setOpenat2ForTesting(impl == Impl::Openat2);
}

// ---------------------------------------------------------------------------------------------------------------
// Escape attempts

constexpr int X = kEscapeErrno;

struct EscapeCase {
  const char* label;
  std::string path;  // "@OUT" stands for the absolute path of ../outside
  int open;          // errno for every open that follows the last symlink
  int noFollow;      // errno with followFinalSymlink=false
  int parent;        // resolveParent's errno; 0: it succeeds and the parent must be inside
  int create = -1;   // errno for O_CREAT opens when it differs from `open`
};

// For gtest's failure messages: the label, not the bytes.
void PrintTo(const EscapeCase& c, std::ostream* os) {
  *os << c.label;
}

std::vector<EscapeCase> escapeCases() {
  return {
      {"AbsoluteSystemPath", "/etc/passwd", X, X, X},
      {"AbsolutePathToSecret", "@OUT/secret.txt", X, X, X},
      {"DoubleSlashRoot", "//etc/passwd", X, X, X},
      {"DotDotToSibling", "../outside/secret.txt", X, X, X},
      {"DotDotAlone", "..", X, X, X},
      {"DotDotSlash", "../", X, X, X},
      {"DotDotThenBackInside", "../sandbox/inside.txt", X, X, X},
      {"SubDirDotDotEscape", "sub/../../outside/secret.txt", X, X, X},
      {"SubDirDotDotDotDot", "sub/../..", X, X, X},
      {"DeepDotDotEscape", "dir/nested/../../../outside/secret.txt", X, X, X},
      {"RepeatedSlashDotDot", "sub//..//..//outside//secret.txt", X, X, X},
      {"AbsoluteFileSymlink", "abs_link", X, ELOOP, 0},
      {"AbsoluteDirSymlink", "abs_dir/secret.txt", X, X, X},
      {"AbsoluteDanglingSymlink", "abs_dangling", X, ELOOP, 0},
      {"RelativeFileSymlink", "rel_escape", X, ELOOP, 0},
      {"SymlinkChain", "chain_a", X, ELOOP, 0},
      {"SymlinkChainToDir", "chain_dir_a/secret.txt", X, X, X},
      {"EscapingDirSymlink", "esc_dir/secret.txt", X, X, X},
      {"EscapingDirSymlinkItself", "esc_dir", X, ELOOP, 0},
      {"EscapingDirSymlinkSlash", "esc_dir/", X, X, 0, EISDIR},
      {"EscapingDirSymlinkDotDot", "esc_dir/..", X, X, X},
      {"CreateThroughEscapingDir", "esc_dir/new.txt", X, X, X},
      {"DotDotSymlink", "dotdot_link/outside/secret.txt", X, X, X},
      {"DotDotSymlinkItself", "dotdot_link", X, ELOOP, 0},
      {"SymlinkOutAndBack", "up_and_back", X, ELOOP, 0},
      {"DeepClimbingSymlink", "dir/nested/climb", X, ELOOP, 0},
      {"InsideSymlinkThenClimb", "good_dir_link/../../../outside/secret.txt", X, X, X},
      {"UpLinkThenDotDot", "dir/up/../outside/secret.txt", X, X, X},
      {"DanglingSymlinkOut", "dangling_out", X, ELOOP, 0},
      {"ProcSelfRoot", "proc_link/etc/passwd", X, X, X},
      {"SymlinkLoop", "loop_x", ELOOP, ELOOP, 0},
      {"SymlinkLoopIntermediate", "loop_x/secret.txt", ELOOP, ELOOP, ELOOP},
      {"SelfLoop", "self_loop", ELOOP, ELOOP, 0},
      {"NulThenDotDot", "inside.txt\0/../../outside/secret.txt"s, EINVAL, EINVAL, EINVAL},
      {"NulThenAbsolute", "\0/etc/passwd"s, EINVAL, EINVAL, EINVAL},
      {"Empty", "", ENOENT, ENOENT, ENOENT},
  };
}

struct OpenMode {
  const char* name;
  int flags;
  bool follow;
};

constexpr OpenMode kOpenModes[] = {
    {"read", O_RDONLY, true},
    {"write", O_WRONLY, true},
    {"create", O_WRONLY | O_CREAT, true},
    {"truncate", O_RDWR | O_TRUNC, true},
    {"create+truncate", O_WRONLY | O_CREAT | O_TRUNC, true},
    {"create+append", O_WRONLY | O_CREAT | O_APPEND, true},
    {"directory", O_RDONLY | O_DIRECTORY, true},
    {"path", O_PATH, true},
    {"nofollow read", O_RDONLY, false},
    {"nofollow create", O_WRONLY | O_CREAT, false},
    {"O_NOFOLLOW flag", O_RDONLY | O_NOFOLLOW, true},
};

int expectedErrno(const EscapeCase& c, const OpenMode& mode) {
  const bool follow = mode.follow && (mode.flags & O_NOFOLLOW) == 0;
  if ((mode.flags & O_CREAT) != 0 && c.create >= 0) return c.create;
  return follow ? c.open : c.noFollow;
}

class EscapeTest : public testing::TestWithParam<std::tuple<Impl, EscapeCase>> {
 protected:
  void SetUp() override {
    selectImpl(std::get<0>(GetParam()));
    if (IsSkipped()) return;
    box_.build();
    const std::string& raw = std::get<1>(GetParam()).path;
    path_ = raw.starts_with("@OUT") ? box_.outside() + raw.substr(4) : raw;
  }
  void TearDown() override { setOpenat2ForTesting(true); }

  Sandbox box_;
  std::string path_;
};

TEST_P(EscapeTest, OpenFailsAndOutsideIsUntouched) {
  const EscapeCase& c = std::get<1>(GetParam());
  for (const OpenMode& mode : kOpenModes) {
    const std::string what = "openBeneath(\"" + path_ + "\", " + mode.name + ")";
    const Opened r = openIn(box_.root(), path_, mode.flags, mode.follow);
    EXPECT_EQ(errnoName(r.err), errnoName(expectedErrno(c, mode))) << what;
    if (r.fd) {
      EXPECT_NE(idOf(r.fd.get()), box_.guard().secretId()) << what << " opened the outside secret";
    }
    box_.guard().expectUntouched(what);
  }
}

TEST_P(EscapeTest, ResolveParentFailsOrStaysInside) {
  const EscapeCase& c = std::get<1>(GetParam());
  ParentAndName out;
  const int err = resolveParent(box_.root(), path_, out);
  EXPECT_EQ(errnoName(err), errnoName(c.parent));
  if (err == 0) {
    EXPECT_TRUE(box_.insideDirectories().contains(idOf(out.parent.get()))) << "parent is outside the sandbox";
    EXPECT_EQ(out.name.find('/'), std::string::npos);
    EXPECT_NE(out.name, "..");
  } else {
    EXPECT_FALSE(out.parent) << "out must be untouched on failure";
  }
  box_.guard().expectUntouched("resolveParent(\"" + path_ + "\")");
}

std::vector<std::tuple<Impl, EscapeCase>> escapeParams() {
  std::vector<std::tuple<Impl, EscapeCase>> params;
  for (Impl impl : {Impl::Openat2, Impl::Walk}) {
    for (EscapeCase& c : escapeCases()) params.emplace_back(impl, std::move(c));
  }
  return params;
}

// Named functions, not lambdas: the macro's own parameter is called `info` too (-Wshadow).
std::string escapeParamName(const testing::TestParamInfo<EscapeTest::ParamType>& param) {
  return implName(std::get<0>(param.param)) + "_" + std::get<1>(param.param).label;
}

INSTANTIATE_TEST_SUITE_P(Attempts, EscapeTest, testing::ValuesIn(escapeParams()), escapeParamName);

// ---------------------------------------------------------------------------------------------------------------
// Ordinary resolution: what must keep working

class ResolverTest : public testing::TestWithParam<Impl> {
 protected:
  void SetUp() override {
    selectImpl(GetParam());
    if (IsSkipped()) return;
    box_.build();
  }
  void TearDown() override {
    setOpenat2ForTesting(true);
    if (!IsSkipped()) box_.guard().expectUntouched("after the test");
  }

  std::string contentOf(std::string_view path, bool follow = true) {
    const Opened r = openIn(box_.root(), path, O_RDONLY, follow);
    if (r.fd) return readAll(r.fd.get());
    std::string failed = "<";  // appended, not operator+: GCC 12's -Wrestrict misfires on "<" + std::string&&
    return failed.append(errnoName(r.err)).append(">");
  }
  int errnoOf(std::string_view path, int flags, bool follow = true) {
    return openIn(box_.root(), path, flags, follow).err;
  }
  FileId idIn(std::string_view path, int flags = O_RDONLY, bool follow = true) {
    const Opened r = openIn(box_.root(), path, flags, follow);
    EXPECT_TRUE(r.fd) << path << ": " << errnoName(r.err);
    return r.fd ? idOf(r.fd.get()) : FileId{};
  }
  std::string in(const std::string& rel) const { return box_.sandbox() + "/" + rel; }

  Sandbox box_;
};

#define EXPECT_ERRNO(expected, actual) EXPECT_EQ(errnoName(actual), errnoName(expected))

TEST_P(ResolverTest, OpensNestedPaths) {
  EXPECT_EQ(contentOf("inside.txt"), "inside\n");
  EXPECT_EQ(contentOf("dir/nested/deep.txt"), "deep\n");
  EXPECT_EQ(contentOf("dir//nested///deep.txt"), "deep\n");
  EXPECT_EQ(contentOf("./dir/./nested/./deep.txt"), "deep\n");
}

TEST_P(ResolverTest, DotDotInsideStaysInside) {
  EXPECT_EQ(contentOf("dir/../inside.txt"), "inside\n");
  EXPECT_EQ(contentOf("dir/nested/../../inside.txt"), "inside\n");
  EXPECT_EQ(contentOf("sub/../dir/nested/deep.txt"), "deep\n");
  EXPECT_EQ(contentOf("dir/nested/../nested/deep.txt"), "deep\n");
}

TEST_P(ResolverTest, DotAndDotDotOpenTheRoot) {
  const FileId root = idOf(box_.sandbox());
  for (const char* path : {".", "./", "dir/..", "dir/nested/../..", "sub/../.", "dir/up", "dir/up/"}) {
    EXPECT_EQ(idIn(path), root) << path;
  }
}

TEST_P(ResolverTest, FollowsSymlinksThatStayInside) {
  EXPECT_EQ(contentOf("good_link"), "inside\n");
  EXPECT_EQ(contentOf("deep_rel"), "inside\n");
  EXPECT_EQ(contentOf("chain_in_a"), "inside\n");
  EXPECT_EQ(contentOf("good_dir_link/deep.txt"), "deep\n");
  EXPECT_EQ(contentOf("good_dir_link/../../inside.txt"), "inside\n");  // ".." of the target, not of the link
  EXPECT_EQ(contentOf("dir/up/inside.txt"), "inside\n");
  EXPECT_EQ(contentOf("dir/up/dir/up/dir/nested/deep.txt"), "deep\n");
  EXPECT_EQ(contentOf("slash_link/nested/deep.txt"), "deep\n");
}

TEST_P(ResolverTest, TrailingSlashMeansDirectory) {
  EXPECT_EQ(idIn("dir/"), idOf(in("dir")));
  EXPECT_EQ(idIn("dir//", O_RDONLY | O_DIRECTORY), idOf(in("dir")));
  EXPECT_EQ(idIn("slash_link"), idOf(in("dir")));
  // A trailing slash follows the symlink, O_NOFOLLOW notwithstanding (as Linux).
  EXPECT_EQ(idIn("good_dir_link/", O_RDONLY, false), idOf(in("dir/nested")));
  EXPECT_ERRNO(ENOTDIR, errnoOf("inside.txt/", O_RDONLY));
  EXPECT_ERRNO(ENOTDIR, errnoOf("good_link/", O_RDONLY));
  EXPECT_ERRNO(ENOENT, errnoOf("missing/", O_RDONLY));
  EXPECT_ERRNO(ENOENT, errnoOf("dangling_in/", O_RDONLY));
  EXPECT_ERRNO(EISDIR, errnoOf("dir/", O_WRONLY));
  // O_CREAT with a trailing slash never creates anything.
  EXPECT_ERRNO(EISDIR, errnoOf("missing/", O_WRONLY | O_CREAT));
  EXPECT_ERRNO(EISDIR, errnoOf("inside.txt/", O_WRONLY | O_CREAT));
  EXPECT_ERRNO(EISDIR, errnoOf("dangling_in/", O_WRONLY | O_CREAT));
  EXPECT_ERRNO(EISDIR, errnoOf("slash_link", O_WRONLY | O_CREAT));
  EXPECT_FALSE(fs::exists(in("missing")));
  EXPECT_FALSE(fs::exists(in("created.txt")));
}

TEST_P(ResolverTest, CreateExclusive) {
  const mode_t mask = ::umask(0);
  ::umask(mask);
  const int r = openBeneath(box_.root(), "dir/new.txt", {.flags = O_WRONLY | O_CREAT | O_EXCL, .mode = 0600});
  ASSERT_GE(r, 0) << errnoName(-r);
  const UniqueFd fd(r);
  EXPECT_NE(::fcntl(fd.get(), F_GETFD) & FD_CLOEXEC, 0);
  struct stat st {};
  ASSERT_EQ(::stat(in("dir/new.txt").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600 & ~mask);
  EXPECT_ERRNO(EEXIST, errnoOf("dir/new.txt", O_WRONLY | O_CREAT | O_EXCL));
  // O_EXCL never follows a symlink: the link itself exists.
  EXPECT_ERRNO(EEXIST, errnoOf("abs_link", O_WRONLY | O_CREAT | O_EXCL));
  EXPECT_ERRNO(EEXIST, errnoOf("dangling_out", O_WRONLY | O_CREAT | O_EXCL));
  EXPECT_ERRNO(EEXIST, errnoOf("dangling_in", O_WRONLY | O_CREAT | O_EXCL));
  EXPECT_FALSE(fs::exists(in("created.txt")));
}

TEST_P(ResolverTest, CreateFollowsDanglingSymlinkInside) {
  EXPECT_ERRNO(ELOOP, errnoOf("dangling_in", O_WRONLY | O_CREAT, false));
  EXPECT_FALSE(fs::exists(in("created.txt")));
  EXPECT_ERRNO(0, errnoOf("dangling_in", O_WRONLY | O_CREAT));
  EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(in("created.txt"))));
}

TEST_P(ResolverTest, TruncatesInside) {
  writeFile(in("sub/t.txt"), "0123456789");
  EXPECT_ERRNO(0, errnoOf("sub/t.txt", O_RDWR | O_TRUNC));
  EXPECT_EQ(fs::file_size(in("sub/t.txt")), 0u);
}

TEST_P(ResolverTest, MissingAndNotDirectory) {
  EXPECT_ERRNO(ENOENT, errnoOf("missing.txt", O_RDONLY));
  EXPECT_ERRNO(ENOENT, errnoOf("missing/x", O_RDONLY));
  EXPECT_ERRNO(ENOENT, errnoOf("missing/x", O_WRONLY | O_CREAT));
  EXPECT_ERRNO(ENOENT, errnoOf("dangling_in/x", O_RDONLY));
  EXPECT_ERRNO(ENOENT, errnoOf("missing/..", O_RDONLY));  // no lexical shortcut: "missing" must exist
  EXPECT_ERRNO(ENOTDIR, errnoOf("inside.txt/x", O_RDONLY));
  EXPECT_ERRNO(ENOTDIR, errnoOf("good_link/x", O_RDONLY));
  EXPECT_ERRNO(ENOTDIR, errnoOf("inside.txt/.", O_RDONLY));
  EXPECT_ERRNO(ENOTDIR, errnoOf("inside.txt/..", O_RDONLY));
  EXPECT_ERRNO(ENOTDIR, errnoOf("inside.txt", O_RDONLY | O_DIRECTORY));
  EXPECT_ERRNO(EINVAL, errnoOf("dir", O_RDONLY | O_CREAT | O_DIRECTORY));  // Linux >= 6.4 refuses the pair
}

TEST_P(ResolverTest, UnfollowedFinalSymlinkIsLoop) {
  EXPECT_ERRNO(ELOOP, errnoOf("good_link", O_RDONLY, false));
  EXPECT_ERRNO(ELOOP, errnoOf("good_link", O_RDONLY | O_NOFOLLOW));
  EXPECT_ERRNO(ELOOP, errnoOf("good_link", O_WRONLY | O_TRUNC, false));
  // Linux says ENOTDIR here; WASI wants ELOOP.
  EXPECT_ERRNO(ELOOP, errnoOf("good_dir_link", O_RDONLY | O_DIRECTORY, false));
  EXPECT_ERRNO(ELOOP, errnoOf("good_link", O_RDONLY | O_DIRECTORY, false));
  EXPECT_ERRNO(ENOTDIR, errnoOf("inside.txt", O_RDONLY | O_DIRECTORY, false));  // not a symlink: stays ENOTDIR
  // Only the last component is affected.
  EXPECT_EQ(contentOf("good_dir_link/deep.txt", false), "deep\n");
  EXPECT_EQ(contentOf("inside.txt", false), "inside\n");
}

TEST_P(ResolverTest, PathOpensFollowOrNot) {
  EXPECT_EQ(idIn("good_link", O_PATH), idOf(in("inside.txt")));
  EXPECT_EQ(idIn("chain_in_a", O_PATH), idOf(in("inside.txt")));
  // O_PATH|O_NOFOLLOW opens the link itself (as Linux).
  EXPECT_EQ(idIn("good_link", O_PATH, false), idOf(in("good_link")));
  EXPECT_ERRNO(X, errnoOf("abs_link", O_PATH));
}

std::string linkName(int i) {
  return std::string("l").append(std::to_string(i));
}

TEST_P(ResolverTest, SymlinkLimitIsLinuxs) {
  // sub/lN -> sub/l(N-1) -> ... -> sub/l0 -> ../inside.txt: opening sub/lN follows N+1 symlinks.
  for (int i = 0; i <= 40; ++i) {
    makeSymlink(i == 0 ? std::string("../inside.txt") : linkName(i - 1), in("sub/" + linkName(i)));
  }
  EXPECT_EQ(contentOf("sub/l39"), "inside\n");
  EXPECT_ERRNO(ELOOP, errnoOf("sub/l40", O_RDONLY));
}

TEST_P(ResolverTest, MalformedPaths) {
  EXPECT_ERRNO(ENOENT, errnoOf("", O_RDONLY));
  EXPECT_ERRNO(EINVAL, errnoOf("inside.txt\0"s, O_RDONLY));
  EXPECT_ERRNO(EINVAL, errnoOf("dir\0/nested"s, O_WRONLY | O_CREAT));
  EXPECT_ERRNO(X, errnoOf("/", O_RDONLY));
}

TEST_P(ResolverTest, WorksFromPathAndNestedDirfds) {
  const UniqueFd pathRoot(::open(box_.sandbox().c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  ASSERT_TRUE(pathRoot);
  EXPECT_EQ(openIn(pathRoot.get(), "dir/nested/deep.txt", O_RDONLY).err, 0);
  EXPECT_ERRNO(X, openIn(pathRoot.get(), "rel_escape", O_RDONLY).err);
  // A dirfd deeper down is its own sandbox: ".." out of it is an escape even though it is still in ours.
  const UniqueFd dir(::open(in("dir").c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  EXPECT_ERRNO(X, openIn(dir.get(), "../inside.txt", O_RDONLY).err);
  EXPECT_ERRNO(X, openIn(dir.get(), "up/inside.txt", O_RDONLY).err);
  EXPECT_EQ(openIn(dir.get(), "nested/deep.txt", O_RDONLY).err, 0);
  // A file as dirfd.
  const UniqueFd file(::open(in("inside.txt").c_str(), O_RDONLY | O_CLOEXEC));
  EXPECT_ERRNO(ENOTDIR, openIn(file.get(), "x", O_RDONLY).err);
}

// ---------------------------------------------------------------------------------------------------------------
// resolveParent

struct Parent {
  int err = 0;
  FileId dir;
  std::string name;
  bool trailingSlash = false;
};

class ResolveParentTest : public ResolverTest {
 protected:
  Parent parentOf(std::string_view path) {
    ParentAndName out;
    Parent p;
    p.err = resolveParent(box_.root(), path, out);
    if (p.err == 0) {
      struct stat st {};
      EXPECT_EQ(::fstat(out.parent.get(), &st), 0);
      EXPECT_TRUE(S_ISDIR(st.st_mode));
      p.dir = {st.st_dev, st.st_ino};
      p.name = out.name;
      p.trailingSlash = out.trailingSlash;
    }
    return p;
  }
  void expectParent(std::string_view path, const std::string& dir, const std::string& name, bool slash = false) {
    const Parent p = parentOf(path);
    ASSERT_EQ(errnoName(p.err), "success") << path;
    EXPECT_EQ(p.dir, idOf(dir.empty() ? box_.sandbox() : in(dir))) << path;
    EXPECT_EQ(p.name, name) << path;
    EXPECT_EQ(p.trailingSlash, slash) << path;
  }
};

TEST_P(ResolveParentTest, PlainNames) {
  expectParent("x", "", "x");
  expectParent("./x", "", "x");
  expectParent("inside.txt", "", "inside.txt");
  expectParent("dir/nested/deep.txt", "dir/nested", "deep.txt");
  expectParent("dir//nested//deep.txt", "dir/nested", "deep.txt");
  expectParent("dir/nested/../new", "dir", "new");
}

TEST_P(ResolveParentTest, TrailingSlash) {
  expectParent("dir/nested/", "dir", "nested", true);
  expectParent("dir/nested//", "dir", "nested", true);
  expectParent("newdir/", "", "newdir", true);
}

TEST_P(ResolveParentTest, LastSymlinkIsNotFollowedIntermediateOnesAre) {
  expectParent("abs_link", "", "abs_link");
  expectParent("esc_dir", "", "esc_dir");
  expectParent("esc_dir/", "", "esc_dir", true);
  expectParent("loop_x", "", "loop_x");
  expectParent("good_dir_link/deep.txt", "dir/nested", "deep.txt");
  expectParent("good_dir_link/climb", "dir/nested", "climb");
  expectParent("dir/up/dir/x", "dir", "x");
}

TEST_P(ResolveParentTest, DotAndDotDotBecomeTheDirectoryItself) {
  expectParent(".", "", ".");
  expectParent("./", "", ".", true);
  expectParent("dir/..", "", ".");
  expectParent("dir/.", "dir", ".");
  expectParent("dir/nested/..", "dir", ".");
  expectParent("dir/nested/../", "dir", ".", true);
  expectParent("good_dir_link/..", "dir", ".");  // ".." of the link's target
}

TEST_P(ResolveParentTest, Errors) {
  EXPECT_ERRNO(X, parentOf("..").err);
  EXPECT_ERRNO(X, parentOf("../").err);
  EXPECT_ERRNO(X, parentOf("../x").err);
  EXPECT_ERRNO(X, parentOf("dir/../..").err);
  EXPECT_ERRNO(X, parentOf("/x").err);
  EXPECT_ERRNO(X, parentOf("esc_dir/x").err);
  EXPECT_ERRNO(X, parentOf("dir/up/..").err);
  EXPECT_ERRNO(ELOOP, parentOf("loop_x/x").err);
  EXPECT_ERRNO(ENOENT, parentOf("missing/x").err);
  EXPECT_ERRNO(ENOENT, parentOf("").err);
  EXPECT_ERRNO(ENOTDIR, parentOf("inside.txt/x").err);
  EXPECT_ERRNO(ENOTDIR, parentOf("good_link/x").err);
  EXPECT_ERRNO(EINVAL, parentOf("x\0y"s).err);
}

INSTANTIATE_TEST_SUITE_P(BothImpls, ResolverTest, testing::Values(Impl::Openat2, Impl::Walk), implParamName);
INSTANTIATE_TEST_SUITE_P(BothImpls, ResolveParentTest, testing::Values(Impl::Openat2, Impl::Walk), implParamName);

// ---------------------------------------------------------------------------------------------------------------
// Races: the filesystem changes under the resolver

constexpr int kRaceIterations = 2000;
// Past kRaceIterations the loop goes on until both outcomes (opened inside, refused) were seen kEachOutcome times,
// up to kMaxRaceIterations: on a loaded machine the threads run in bursts and one state can last thousands of calls.
constexpr int kMaxRaceIterations = 50000;
constexpr int kEachOutcome = 100;
// The attack windows are a few syscalls wide: more tries than the minimum (each race then takes about 0.1 s).
constexpr int kWindowIterations = 10000;

// Calls `flip` over and over on its own thread until stopped or until it returns false. After each call it pauses
// a pseudo-random while, so that its timing drifts against the resolver's instead of falling into lockstep (without
// the pause, every resolution tended to see the same state).
class Flipper {
 public:
  explicit Flipper(std::function<bool()> flip) : flip_(std::move(flip)) {
    thread_ = std::thread([this] { loop(); });
    // Race only once the flipper really runs; a quick main loop could otherwise finish before it starts.
    while (flips_ == 0 && !stop_) std::this_thread::yield();
  }
  ~Flipper() { stop(); }
  Flipper(const Flipper&) = delete;
  Flipper& operator=(const Flipper&) = delete;

  // Stops and returns how many flips were done; -1 if a flip failed.
  long stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    return failed_ ? -1 : flips_.load();
  }

 private:
  void loop() {
    std::uint32_t seed = 12345;
    while (!stop_) {
      if (!flip_()) {
        failed_ = true;
        stop_ = true;
        return;
      }
      ++flips_;
      seed = seed * 1664525u + 1013904223u;
      for (std::uint32_t spin = (seed >> 8) % 65536; spin > 0 && !stop_; --spin) {
      }
    }
  }

  std::function<bool()> flip_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> failed_{false};
  std::atomic<long> flips_{0};
  std::thread thread_;
};

// Outcomes of the racing calls, by errno name ("success" for an fd).
class Tally {
 public:
  void add(int err) { ++counts_[errnoName(err)]; }
  // At least `n` opens and `n` refusals.
  bool sawBoth(int n = 1) const {
    int refused = 0;
    for (const auto& [name, count] : counts_) refused += name == "success" ? 0 : count;
    return refused >= n && counts_.contains("success") && counts_.at("success") >= n;
  }
  std::string str() const {
    std::string out;
    for (const auto& [name, n] : counts_) out.append(name).append("=").append(std::to_string(n)).append(" ");
    return out;
  }

 private:
  std::map<std::string, int> counts_;
};

class RaceTest : public ResolverTest {
 protected:
  // Runs `attempt(i)` `iterations` times, then on until the tally has enough of both outcomes (bounded).
  template <typename Attempt>
  void race(Flipper& flipper, Tally& tally, Attempt attempt, int iterations = kRaceIterations) {
    for (int i = 0; i < kMaxRaceIterations && (i < iterations || !tally.sawBoth(kEachOutcome)); ++i) {
      attempt(i);
      if (HasFatalFailure()) break;
    }
    const long flips = flipper.stop();
    ASSERT_GT(flips, 0) << "the flipping thread failed";
    std::printf("[   race   ] %s: %s(%ld flips)\n", implName(GetParam()).c_str(), tally.str().c_str(), flips);
    EXPECT_TRUE(tally.sawBoth()) << "the race never hit one of the two states: " << tally.str();
  }
};

// sandbox/swap is a real directory one moment and a symlink to ../outside the next (RENAME_EXCHANGE with a
// prepared sandbox/swap_alt, so the name always exists). "swap/..." must never reach outside/.
TEST_P(RaceTest, DirectorySwappedForEscapingSymlink) {
  ASSERT_EQ(::mkdir(in("swap").c_str(), 0755), 0);
  writeFile(in("swap/secret.txt"), "decoy\n");
  makeSymlink("../outside", in("swap_alt"));
  const FileId outsideDir = idOf(box_.outside());
  const FileId secret = box_.guard().secretId();
  const std::string a = in("swap"), b = in("swap_alt");
  auto exchange = [&] { return ::renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE) == 0; };
  // RENAME_EXCHANGE needs filesystem support (ext4, xfs, btrfs, tmpfs have it). Twice: back to the start.
  if (!exchange() || !exchange()) GTEST_SKIP() << "no RENAME_EXCHANGE here: " << std::strerror(errno);

  Tally tally;
  Flipper flipper(exchange);
  auto attempt = [&](int i) {
    // Alternately read the secret and create a file, which must never appear in outside/.
    const bool create = i % 2 != 0;
    const Opened r =
        openIn(box_.root(), create ? "swap/created.txt" : "swap/secret.txt", create ? O_WRONLY | O_CREAT : O_RDONLY);
    tally.add(r.err);
    if (r.fd) {
      ASSERT_NE(idOf(r.fd.get()), secret) << "iteration " << i << " opened the outside secret";
    }
    EXPECT_TRUE(r.err == 0 || r.err == kEscapeErrno) << errnoName(r.err);
    ParentAndName parent;
    if (resolveParent(box_.root(), "swap/secret.txt", parent) == 0) {
      ASSERT_NE(idOf(parent.parent.get()), outsideDir) << "iteration " << i << ": parent is outside/";
    }
  };
  race(flipper, tally, attempt, kWindowIterations);
  EXPECT_FALSE(fs::exists(box_.outside() + "/created.txt"));
}

// The classic ".." attack: while the resolver stands deep inside sandbox/mv, mv is renamed into outside/, so the
// physical ".." chain back up ends in outside/. "mv/d/d/d/d/d/d/../../../../../../../secret.txt" must be the
// sandbox's decoy or fail. The depth widens the window. A walk that trusted the kernel's ".." (with a lexical depth
// check) failed this test in about half the runs when tried; the exact rate depends on scheduling.
TEST_P(RaceTest, DirectoryMovedOutMidWalk) {
  std::string dirs = "mv", path = "mv";
  ASSERT_EQ(::mkdir(in(dirs).c_str(), 0755), 0);
  for (int depth = 0; depth < 6; ++depth) {
    ASSERT_EQ(::mkdir(in(dirs.append("/d")).c_str(), 0755), 0);
    path.append("/d");
  }
  for (int depth = 0; depth < 7; ++depth) path.append("/..");
  path.append("/secret.txt");
  writeFile(in("secret.txt"), "decoy\n");
  const std::string home = in("mv"), parked = box_.outside() + "/mv";
  const FileId outsideDir = idOf(box_.outside());
  const FileId secret = box_.guard().secretId();

  Tally tally;
  {
    bool out = false;  // only the flipper thread touches it
    Flipper flipper([&] {
      out = !out;
      return ::rename(out ? home.c_str() : parked.c_str(), out ? parked.c_str() : home.c_str()) == 0;
    });
    auto attempt = [&](int i) {
      const Opened r = openIn(box_.root(), path, O_RDONLY);
      tally.add(r.err);
      if (r.fd) {
        ASSERT_NE(idOf(r.fd.get()), secret) << "iteration " << i << " opened the outside secret";
      }
      EXPECT_TRUE(r.err == 0 || r.err == ENOENT || r.err == kEscapeErrno) << errnoName(r.err);
      ParentAndName parent;
      if (resolveParent(box_.root(), path, parent) == 0) {
        ASSERT_NE(idOf(parent.parent.get()), outsideDir) << "iteration " << i << ": parent is outside/";
      }
    };
    race(flipper, tally, attempt, kWindowIterations);
    // Put mv back home so that outside/ lists as before.
    if (out) {
      ASSERT_EQ(::rename(parked.c_str(), home.c_str()), 0);
    }
  }
  ASSERT_TRUE(fs::is_directory(home));
}

INSTANTIATE_TEST_SUITE_P(BothImpls, RaceTest, testing::Values(Impl::Openat2, Impl::Walk), implParamName);

}  // namespace
}  // namespace wasmops::wasi
