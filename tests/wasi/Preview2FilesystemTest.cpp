// wasi:filesystem@0.2 driven as a guest would: the host functions Preview2Host
// defines in a ComponentLinker, called with component Values. Covers the
// everyday operations, the sandbox (the escapes preview1's tests try, under
// both PathResolver implementations) and read-only preopens.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "component/ComponentLinker.h"
#include "support/TempDir.h"
#include "wasi/PathResolver.h"
#include "wasi/Preview2Fs.h"
#include "wasi/Preview2Host.h"

namespace wasmops::wasi {
namespace {

using component::Value;
using preview2::fs::Code;
namespace stdfs = std::filesystem;

constexpr const char* kTypes = "wasi:filesystem/types@0.2.12";
// descriptor-flags, open-flags, path-flags bits.
constexpr std::uint32_t Read = 1, Write = 2, Mutate = 32;
constexpr std::uint32_t Create = 1, Directory = 2, Exclusive = 4, Truncate = 8;
constexpr std::uint32_t Follow = 1, NoFollow = 0;
constexpr std::uint32_t kRegularFile = 6, kDirectoryType = 3, kSymlinkType = 5;
constexpr int kOk = -1;

void writeFile(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}
std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The error-code case of a result, or kOk.
int errorOf(const Value& result) {
  EXPECT_EQ(result.kind, component::ValueKind::Result);
  if (result.caseIndex() == 0) return kOk;
  return static_cast<int>(result.payload()->bits);
}
int code(Code c) { return static_cast<int>(c); }

Value str(std::string s) { return Value::string(std::move(s)); }
Value flags(std::uint32_t m) { return Value::flags(m); }
Value u64(std::uint64_t v) { return Value::u64(v); }
Value at(std::uint64_t sec) { return Value::variant(2, Value::record({Value::u64(sec), Value::u32(0)})); }
Value noChange() { return Value::variant(0); }

// One host over <tmp>/sandbox (preopened as "/") next to <tmp>/outside.
class Preview2Fs : public testing::Test {
 protected:
  void SetUp() override { build(false); }

  void build(bool readOnly) {
    ASSERT_FALSE(tmp_.path().empty());
    stdfs::create_directories(sandbox() + "/sub/deep");
    stdfs::create_directories(outside());
    stdfs::create_directories(sandbox() + "/emptydir");
    writeFile(outside() + "/secret.txt", "secret\n");
    writeFile(sandbox() + "/inner.txt", "inner\n");
    ::symlink((outside() + "/secret.txt").c_str(), (sandbox() + "/abs_link").c_str());
    ::symlink("../outside/secret.txt", (sandbox() + "/rel_link").c_str());
    ::symlink("../outside", (sandbox() + "/esc_dir").c_str());
    ::symlink("..", (sandbox() + "/dotdot_link").c_str());
    ::symlink("inner.txt", (sandbox() + "/inner_link").c_str());
    reopen(readOnly);
  }

  void reopen(bool readOnly) {
    embed::WasiConfig config;
    config.preopens.push_back({sandbox(), "/", readOnly});
    auto host = Preview2Host::create(config);
    ASSERT_TRUE(host) << host.error().message;
    host_ = std::move(*host);
    linker_ = component::ComponentLinker();
    ASSERT_TRUE(host_->define(linker_));
    const auto* get = linker_.function("wasi:filesystem/preopens@0.2.12", "get-directories");
    ASSERT_NE(get, nullptr);
    auto dirs = (*get)({});
    ASSERT_TRUE(dirs && *dirs);
    ASSERT_EQ((*dirs)->items.size(), 1u);
    EXPECT_EQ((*dirs)->items[0].items[1].text, "/");
    root_ = static_cast<std::uint32_t>((*dirs)->items[0].items[0].bits);
  }

  std::string sandbox() const { return tmp_.path() + "/sandbox"; }
  std::string outside() const { return tmp_.path() + "/outside"; }

  // Calls `function` of wasi:filesystem/types; the call itself must not trap.
  Value call(const std::string& function, std::vector<Value> args) {
    const auto* fn = linker_.function(kTypes, function);
    EXPECT_NE(fn, nullptr) << function;
    if (!fn) return Value::err(Value::enumCase(code(Code::Io)));
    auto r = (*fn)(args);
    EXPECT_TRUE(r) << function << ": " << (r ? "" : r.error().message);
    if (!r || !*r) return Value::err(Value::enumCase(code(Code::Io)));
    return **r;
  }
  Value method(const std::string& name, std::uint32_t self, std::vector<Value> args = {}) {
    args.insert(args.begin(), Value::borrow(self));
    return call("[method]descriptor." + name, std::move(args));
  }
  Value openAt(std::uint32_t dir, std::uint32_t pathFlags, const std::string& path, std::uint32_t oflags,
               std::uint32_t dflags) {
    return method("open-at", dir, {flags(pathFlags), str(path), flags(oflags), flags(dflags)});
  }
  // open-at that must succeed: the new descriptor's rep.
  std::uint32_t open(std::uint32_t dir, const std::string& path, std::uint32_t oflags, std::uint32_t dflags) {
    Value r = openAt(dir, Follow, path, oflags, dflags);
    EXPECT_EQ(errorOf(r), kOk) << path;
    return r.caseIndex() == 0 ? static_cast<std::uint32_t>(r.payload()->bits) : 0;
  }
  std::string readAll(std::uint32_t file) {
    Value r = method("read", file, {u64(1 << 16), u64(0)});
    EXPECT_EQ(errorOf(r), kOk);
    return r.payload()->items[0].listBytes().value_or("(not bytes)");
  }
  std::set<std::string> list(std::uint32_t dir) {
    Value r = method("read-directory", dir);
    EXPECT_EQ(errorOf(r), kOk);
    std::set<std::string> names;
    if (r.caseIndex() != 0) return names;
    const Value stream = Value::borrow(static_cast<std::uint32_t>(r.payload()->bits));
    for (;;) {
      Value e = call("[method]directory-entry-stream.read-directory-entry", {stream});
      EXPECT_EQ(errorOf(e), kOk);
      if (e.caseIndex() != 0 || e.payload()->caseIndex() == 0) break;
      names.insert(e.payload()->payload()->items[1].text);
    }
    return names;
  }

  test::TempDir tmp_;
  std::unique_ptr<Preview2Host> host_;
  component::ComponentLinker linker_;
  std::uint32_t root_ = 0;
};

TEST_F(Preview2Fs, CreateWriteReadStat) {
  EXPECT_EQ(method("get-flags", root_).payload()->bits, Read | Mutate);
  const std::uint32_t f = open(root_, "new.txt", Create | Exclusive, Read | Write);
  Value w = method("write", f, {preview2::bytesValue(std::vector<std::uint8_t>{'h', 'e', 'l', 'l', 'o'}), u64(0)});
  ASSERT_EQ(errorOf(w), kOk);
  EXPECT_EQ(w.payload()->bits, 5u);
  EXPECT_EQ(readAll(f), "hello");
  EXPECT_EQ(readFile(sandbox() + "/new.txt"), "hello");
  // Reading at the end says so.
  Value end = method("read", f, {u64(10), u64(5)});
  ASSERT_EQ(errorOf(end), kOk);
  EXPECT_TRUE(end.payload()->items[1].bits);

  Value st = method("stat", f);
  ASSERT_EQ(errorOf(st), kOk);
  EXPECT_EQ(st.payload()->items[0].bits, kRegularFile);
  EXPECT_EQ(st.payload()->items[2].bits, 5u);
  EXPECT_EQ(method("get-type", f).payload()->bits, kRegularFile);
  EXPECT_EQ(method("get-flags", f).payload()->bits, Read | Write);

  EXPECT_EQ(errorOf(method("set-size", f, {u64(2)})), kOk);
  EXPECT_EQ(readFile(sandbox() + "/new.txt"), "he");
  EXPECT_EQ(errorOf(method("set-times", f, {at(1000), at(2000)})), kOk);
  Value st2 = method("stat-at", root_, {flags(NoFollow), str("new.txt")});
  ASSERT_EQ(errorOf(st2), kOk);
  EXPECT_EQ(st2.payload()->items[4].payload()->items[0].bits, 2000u);  // data-modification-timestamp
  EXPECT_EQ(errorOf(method("set-times-at", root_, {flags(Follow), str("new.txt"), noChange(), at(3000)})), kOk);
  struct stat sb {};
  ASSERT_EQ(::stat((sandbox() + "/new.txt").c_str(), &sb), 0);
  EXPECT_EQ(sb.st_mtime, 3000);
  EXPECT_EQ(sb.st_atime, 1000);

  // create without exclusive reopens; exclusive refuses an existing file.
  EXPECT_EQ(errorOf(openAt(root_, Follow, "new.txt", Create | Exclusive, Write)), code(Code::Exist));
  const std::uint32_t t = open(root_, "new.txt", Truncate, Write);
  EXPECT_EQ(readFile(sandbox() + "/new.txt"), "");
  EXPECT_EQ(errorOf(method("read", t, {u64(1), u64(0)})), code(Code::BadDescriptor));  // opened write-only
  EXPECT_EQ(errorOf(method("sync", t)), kOk);
  EXPECT_EQ(errorOf(method("sync-data", t)), kOk);
  EXPECT_EQ(errorOf(method("advise", t, {u64(0), u64(0), Value::enumCase(1)})), kOk);
}

// The streams a descriptor hands out read and write the file at their offsets (wasi:io/streams).
TEST_F(Preview2Fs, StreamsReadWriteAppend) {
  auto io = [&](const std::string& function, std::vector<Value> args) {
    const auto* fn = linker_.function("wasi:io/streams@0.2.12", function);
    EXPECT_NE(fn, nullptr) << function;
    auto r = (*fn)(args);
    EXPECT_TRUE(r && *r) << function;
    return **r;
  };
  const std::uint32_t f = open(root_, "stream.txt", Create, Read | Write);
  Value out = method("write-via-stream", f, {u64(2)});
  ASSERT_EQ(errorOf(out), kOk);
  const Value outBorrow = Value::borrow(static_cast<std::uint32_t>(out.payload()->bits));
  EXPECT_EQ(io("[method]output-stream.blocking-write-and-flush",
               {outBorrow, preview2::bytesValue(std::vector<std::uint8_t>{'a', 'b'})})
                .caseIndex(),
            0u);
  Value app = method("append-via-stream", f);
  ASSERT_EQ(errorOf(app), kOk);
  EXPECT_EQ(io("[method]output-stream.blocking-write-and-flush",
               {Value::borrow(static_cast<std::uint32_t>(app.payload()->bits)),
                preview2::bytesValue(std::vector<std::uint8_t>{'z'})})
                .caseIndex(),
            0u);
  EXPECT_EQ(readFile(sandbox() + "/stream.txt"), std::string("\0\0abz", 5));

  Value in = method("read-via-stream", f, {u64(2)});
  ASSERT_EQ(errorOf(in), kOk);
  const Value inBorrow = Value::borrow(static_cast<std::uint32_t>(in.payload()->bits));
  Value got = io("[method]input-stream.blocking-read", {inBorrow, u64(100)});
  ASSERT_EQ(got.caseIndex(), 0u);
  EXPECT_EQ(got.payload()->listSize(), 3u);
  EXPECT_EQ(io("[method]input-stream.blocking-read", {inBorrow, u64(100)}).caseIndex(), 1u);  // closed: end of file
}

TEST_F(Preview2Fs, OpenChecks) {
  EXPECT_EQ(errorOf(openAt(root_, Follow, "missing.txt", 0, Read)), code(Code::NoEntry));
  EXPECT_EQ(errorOf(openAt(root_, Follow, "inner.txt", Directory, Read)), code(Code::NotDirectory));
  EXPECT_EQ(errorOf(openAt(root_, Follow, "sub", Directory | Create, Read)), code(Code::Invalid));
  EXPECT_EQ(errorOf(openAt(root_, Follow, "sub", 0, Read | Write)), code(Code::IsDirectory));
  EXPECT_EQ(errorOf(openAt(root_, NoFollow, "inner_link", 0, Read)), code(Code::Loop));
  const std::uint32_t viaLink = open(root_, "inner_link", 0, Read);
  EXPECT_EQ(readAll(viaLink), "inner\n");
  EXPECT_EQ(errorOf(openAt(root_, Follow, "", 0, Read)), code(Code::NoEntry));

  // A directory opened beneath passes on what its parent has.
  const std::uint32_t sub = open(root_, "sub", Directory, Read);
  EXPECT_EQ(method("get-type", sub).payload()->bits, kDirectoryType);
  EXPECT_EQ(method("get-flags", sub).payload()->bits, Read | Mutate);
  EXPECT_EQ(errorOf(method("create-directory-at", sub, {str("made")})), kOk);
  EXPECT_TRUE(stdfs::is_directory(sandbox() + "/sub/made"));
  // Path methods need a directory; descriptor methods on a directory a file.
  const std::uint32_t file = open(root_, "inner.txt", 0, Read);
  EXPECT_EQ(errorOf(method("stat-at", file, {flags(0), str("x")})), code(Code::NotDirectory));
  EXPECT_EQ(errorOf(method("read-directory", file)), code(Code::NotDirectory));
  EXPECT_EQ(errorOf(method("read", sub, {u64(1), u64(0)})), code(Code::BadDescriptor));
  EXPECT_EQ(errorOf(method("read-via-stream", sub, {u64(0)})), code(Code::BadDescriptor));
  EXPECT_EQ(errorOf(method("write-via-stream", file, {u64(0)})), code(Code::BadDescriptor));  // opened read-only
  EXPECT_EQ(errorOf(method("read-via-stream", file, {u64(0)})), kOk);
}

TEST_F(Preview2Fs, ReadDirectoryRenameUnlinkLinks) {
  EXPECT_EQ(list(root_), (std::set<std::string>{"abs_link", "dotdot_link", "emptydir", "esc_dir", "inner.txt",
                                                  "inner_link", "rel_link", "sub"}));
  Value entry = call("[method]directory-entry-stream.read-directory-entry",
                     {Value::borrow(static_cast<std::uint32_t>(method("read-directory", root_).payload()->bits))});
  ASSERT_EQ(errorOf(entry), kOk);

  EXPECT_EQ(errorOf(method("rename-at", root_, {str("inner.txt"), Value::borrow(root_), str("sub/moved.txt")})), kOk);
  EXPECT_EQ(readFile(sandbox() + "/sub/moved.txt"), "inner\n");
  EXPECT_EQ(errorOf(method("symlink-at", root_, {str("sub/moved.txt"), str("link")})), kOk);
  Value target = method("readlink-at", root_, {str("link")});
  ASSERT_EQ(errorOf(target), kOk);
  EXPECT_EQ(target.payload()->text, "sub/moved.txt");
  EXPECT_EQ(method("stat-at", root_, {flags(NoFollow), str("link")}).payload()->items[0].bits, kSymlinkType);
  EXPECT_EQ(method("stat-at", root_, {flags(Follow), str("link")}).payload()->items[0].bits, kRegularFile);
  EXPECT_EQ(errorOf(method("symlink-at", root_, {str("/etc/passwd"), str("abs")})), code(Code::NotPermitted));
  EXPECT_EQ(errorOf(method("link-at", root_, {flags(0), str("sub/moved.txt"), Value::borrow(root_), str("hard")})), kOk);
  EXPECT_EQ(errorOf(method("link-at", root_, {flags(Follow), str("link"), Value::borrow(root_), str("hard2")})),
            code(Code::Invalid));

  // Same object, same hash; another object, another hash.
  const std::uint32_t a = open(root_, "hard", 0, Read), b = open(root_, "sub/moved.txt", 0, Read);
  EXPECT_TRUE(method("is-same-object", a, {Value::borrow(b)}).bits);
  EXPECT_FALSE(method("is-same-object", a, {Value::borrow(root_)}).bits);
  EXPECT_EQ(method("metadata-hash", a), method("metadata-hash", b));
  EXPECT_EQ(method("metadata-hash", a), method("metadata-hash-at", root_, {flags(Follow), str("link")}));
  EXPECT_NE(method("metadata-hash", a), method("metadata-hash", root_));

  EXPECT_EQ(errorOf(method("unlink-file-at", root_, {str("hard")})), kOk);
  EXPECT_EQ(errorOf(method("unlink-file-at", root_, {str("sub")})), code(Code::IsDirectory));
  EXPECT_EQ(errorOf(method("remove-directory-at", root_, {str("sub")})), code(Code::NotEmpty));
  EXPECT_EQ(errorOf(method("remove-directory-at", root_, {str("emptydir")})), kOk);
  EXPECT_FALSE(stdfs::exists(sandbox() + "/emptydir"));
  EXPECT_FALSE(stdfs::exists(sandbox() + "/hard"));
}

// ---------------------------------------------------------------------------------------------------------------
// The sandbox, under both resolver implementations.

enum class Impl { Openat2, Walk };

class Preview2FsEscape : public Preview2Fs, public testing::WithParamInterface<Impl> {
 protected:
  void SetUp() override {
    if (GetParam() == Impl::Openat2 && !openat2Supported()) GTEST_SKIP() << "this kernel has no usable openat2";
    setOpenat2ForTesting(GetParam() == Impl::Openat2);
    Preview2Fs::SetUp();
  }
  void TearDown() override { setOpenat2ForTesting(true); }

  void expectOutsideUntouched() {
    EXPECT_EQ(readFile(outside() + "/secret.txt"), "secret\n");
    std::set<std::string> names;
    for (const auto& e : stdfs::directory_iterator(outside())) names.insert(e.path().filename().string());
    EXPECT_EQ(names, std::set<std::string>{"secret.txt"});
  }
};

// Paths whose resolution leaves the sandbox before the last component: every operation refuses them.
std::vector<std::string> parentEscapes(const std::string& outside) {
  return {"..",
          "../outside/secret.txt",
          "/etc/passwd",
          "/inner.txt",
          outside + "/secret.txt",
          "sub/../../outside/secret.txt",
          "sub/deep/../../../outside/secret.txt",
          "../sandbox/inner.txt",
          "esc_dir/secret.txt",
          "esc_dir/..",
          "dotdot_link/outside/secret.txt"};
}

TEST_P(Preview2FsEscape, EveryPathMethodIsNotPermitted) {
  const int denied = code(Code::NotPermitted);
  const Value root = Value::borrow(root_);
  for (const std::string& p : parentEscapes(outside())) {
    SCOPED_TRACE(p);
    EXPECT_EQ(errorOf(openAt(root_, Follow, p, 0, Read)), denied);
    EXPECT_EQ(errorOf(openAt(root_, NoFollow, p, 0, Read)), denied);
    EXPECT_EQ(errorOf(openAt(root_, Follow, p, Create, Write)), denied);
    EXPECT_EQ(errorOf(openAt(root_, Follow, p, Truncate, Write)), denied);
    EXPECT_EQ(errorOf(method("stat-at", root_, {flags(Follow), str(p)})), denied);
    EXPECT_EQ(errorOf(method("stat-at", root_, {flags(NoFollow), str(p)})), denied);
    EXPECT_EQ(errorOf(method("metadata-hash-at", root_, {flags(NoFollow), str(p)})), denied);
    EXPECT_EQ(errorOf(method("set-times-at", root_, {flags(Follow), str(p), at(1), at(1)})), denied);
    EXPECT_EQ(errorOf(method("create-directory-at", root_, {str(p + "/new")})), denied);
    EXPECT_EQ(errorOf(method("unlink-file-at", root_, {str(p)})), denied);
    EXPECT_EQ(errorOf(method("remove-directory-at", root_, {str(p)})), denied);
    EXPECT_EQ(errorOf(method("readlink-at", root_, {str(p)})), denied);
    EXPECT_EQ(errorOf(method("symlink-at", root_, {str("inner.txt"), str(p + "/new")})), denied);
    EXPECT_EQ(errorOf(method("rename-at", root_, {str(p), root, str("stolen.txt")})), denied);
    EXPECT_EQ(errorOf(method("rename-at", root_, {str("inner_link"), root, str(p + "/new")})), denied);
    EXPECT_EQ(errorOf(method("link-at", root_, {flags(0), str(p), root, str("stolen.txt")})), denied);
    EXPECT_EQ(errorOf(method("link-at", root_, {flags(0), str("inner.txt"), root, str(p + "/new")})), denied);
  }
  expectOutsideUntouched();
  EXPECT_TRUE(stdfs::exists(sandbox() + "/inner.txt"));
  EXPECT_FALSE(stdfs::exists(sandbox() + "/stolen.txt"));
}

TEST_P(Preview2FsEscape, SymlinksPointingOutAreNotFollowed) {
  const int denied = code(Code::NotPermitted);
  for (const std::string p : {"abs_link", "rel_link", "esc_dir", "dotdot_link"}) {
    SCOPED_TRACE(p);
    EXPECT_EQ(errorOf(openAt(root_, Follow, p, 0, Read)), denied);
    EXPECT_EQ(errorOf(openAt(root_, Follow, p, Create | Truncate, Write)), denied);
    EXPECT_EQ(errorOf(openAt(root_, NoFollow, p, 0, Read)), code(Code::Loop));
    EXPECT_EQ(errorOf(method("stat-at", root_, {flags(Follow), str(p)})), denied);
    EXPECT_EQ(errorOf(method("set-times-at", root_, {flags(Follow), str(p), at(1), at(1)})), denied);
    // Without following, the link itself is what the operation sees.
    EXPECT_EQ(method("stat-at", root_, {flags(NoFollow), str(p)}).payload()->items[0].bits, kSymlinkType);
  }
  // A directory opened beneath cannot climb out either, even into the sandbox.
  const std::uint32_t sub = open(root_, "sub", Directory, Read);
  EXPECT_EQ(errorOf(openAt(sub, Follow, "../inner.txt", 0, Read)), denied);
  EXPECT_EQ(errorOf(method("rename-at", root_, {str("inner.txt"), Value::borrow(sub), str("../../x")})), denied);
  expectOutsideUntouched();
}

INSTANTIATE_TEST_SUITE_P(Resolvers, Preview2FsEscape, testing::Values(Impl::Openat2, Impl::Walk),
                         [](const testing::TestParamInfo<Impl>& i) {
                           return std::string(i.param == Impl::Openat2 ? "Openat2" : "ComponentWalk");
                         });

// A real rename across filesystems stays cross-device: only the resolver's EXDEV means "escapes".
TEST_F(Preview2Fs, RenameAcrossFilesystemsIsCrossDevice) {
  struct stat shm {}, here {};
  if (::stat("/dev/shm", &shm) != 0 || ::stat(sandbox().c_str(), &here) != 0 || shm.st_dev == here.st_dev)
    GTEST_SKIP() << "no second filesystem at /dev/shm";
  char templ[] = "/dev/shm/wasmops-p2-XXXXXX";
  if (!::mkdtemp(templ)) GTEST_SKIP() << "cannot write /dev/shm";
  const std::string other = templ;
  embed::WasiConfig config;
  config.preopens = {{sandbox(), "/", false}, {other, "/shm", false}};
  auto host = Preview2Host::create(config);
  ASSERT_TRUE(host);
  component::ComponentLinker linker;
  ASSERT_TRUE((*host)->define(linker));
  auto dirs = (*linker.function("wasi:filesystem/preopens@0.2.12", "get-directories"))({});
  ASSERT_TRUE(dirs && *dirs);
  ASSERT_EQ((*dirs)->items.size(), 2u);
  const auto here_ = static_cast<std::uint32_t>((*dirs)->items[0].items[0].bits);
  const auto there = static_cast<std::uint32_t>((*dirs)->items[1].items[0].bits);
  const auto* rename = linker.function(kTypes, "[method]descriptor.rename-at");
  auto r = (*rename)(std::vector<Value>{Value::borrow(here_), str("inner.txt"), Value::borrow(there), str("inner.txt")});
  ASSERT_TRUE(r && *r);
  EXPECT_EQ(errorOf(**r), code(Code::CrossDevice));
  std::error_code ec;
  stdfs::remove_all(other, ec);
}

// ---------------------------------------------------------------------------------------------------------------
// Read-only preopens: nothing beneath them changes.

class Preview2FsReadOnly : public Preview2Fs {
 protected:
  void SetUp() override { build(true); }
};

TEST_F(Preview2FsReadOnly, ReadsWorkChangesAreNotPermitted) {
  const int denied = code(Code::NotPermitted);
  const Value root = Value::borrow(root_);
  EXPECT_EQ(method("get-flags", root_).payload()->bits, Read);
  const std::uint32_t f = open(root_, "inner.txt", 0, Read);
  EXPECT_EQ(readAll(f), "inner\n");
  EXPECT_EQ(list(root_).count("inner.txt"), 1u);
  EXPECT_EQ(errorOf(method("stat-at", root_, {flags(Follow), str("inner.txt")})), kOk);
  EXPECT_EQ(method("readlink-at", root_, {str("rel_link")}).payload()->text, "../outside/secret.txt");

  for (std::uint32_t oflags : {Create, Create | Exclusive, Truncate})
    EXPECT_EQ(errorOf(openAt(root_, Follow, "inner.txt", oflags, Read)), denied) << oflags;
  EXPECT_EQ(errorOf(openAt(root_, Follow, "new.txt", Create, Read)), denied);
  EXPECT_EQ(errorOf(openAt(root_, Follow, "inner.txt", 0, Read | Write)), denied);
  EXPECT_EQ(errorOf(openAt(root_, Follow, "sub", Directory, Read | Mutate)), denied);
  EXPECT_EQ(errorOf(method("create-directory-at", root_, {str("newdir")})), denied);
  EXPECT_EQ(errorOf(method("remove-directory-at", root_, {str("emptydir")})), denied);
  EXPECT_EQ(errorOf(method("unlink-file-at", root_, {str("inner.txt")})), denied);
  EXPECT_EQ(errorOf(method("unlink-file-at", root_, {str("rel_link")})), denied);
  EXPECT_EQ(errorOf(method("rename-at", root_, {str("inner.txt"), root, str("moved.txt")})), denied);
  EXPECT_EQ(errorOf(method("symlink-at", root_, {str("inner.txt"), str("newlink")})), denied);
  EXPECT_EQ(errorOf(method("link-at", root_, {flags(0), str("inner.txt"), root, str("hard")})), denied);
  EXPECT_EQ(errorOf(method("set-times-at", root_, {flags(Follow), str("inner.txt"), at(1), at(1)})), denied);
  EXPECT_EQ(errorOf(method("set-times", root_, {at(1), at(1)})), denied);

  // A file opened there can neither grow, shrink, be written nor be touched.
  EXPECT_EQ(errorOf(method("set-size", f, {u64(0)})), denied);
  EXPECT_EQ(errorOf(method("set-times", f, {at(1), at(1)})), denied);
  EXPECT_EQ(errorOf(method("write", f, {preview2::bytesValue(std::vector<std::uint8_t>{'x'}), u64(0)})), denied);
  EXPECT_EQ(errorOf(method("write-via-stream", f, {u64(0)})), code(Code::BadDescriptor));
  EXPECT_EQ(errorOf(method("append-via-stream", f)), code(Code::BadDescriptor));

  // A directory opened beneath is read-only too.
  const std::uint32_t sub = open(root_, "sub", Directory, Read);
  EXPECT_EQ(method("get-flags", sub).payload()->bits, Read);
  EXPECT_EQ(errorOf(openAt(sub, Follow, "new.txt", Create, Write)), denied);
  EXPECT_EQ(errorOf(method("create-directory-at", sub, {str("newdir")})), denied);

  EXPECT_EQ(readFile(sandbox() + "/inner.txt"), "inner\n");
  EXPECT_FALSE(stdfs::exists(sandbox() + "/new.txt"));
  EXPECT_FALSE(stdfs::exists(sandbox() + "/newdir"));
  EXPECT_FALSE(stdfs::exists(sandbox() + "/sub/new.txt"));
  EXPECT_TRUE(stdfs::exists(sandbox() + "/emptydir"));
  struct stat sb {};
  ASSERT_EQ(::stat((sandbox() + "/inner.txt").c_str(), &sb), 0);
  EXPECT_NE(sb.st_mtime, 1);
}

}  // namespace
}  // namespace wasmops::wasi
