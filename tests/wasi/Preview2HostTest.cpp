// wasi::Preview2Host: the WASI 0.2 interfaces a component's imports link to,
// called here as a guest's lowered imports call them (component Values in,
// Values out), over memory stdio so every byte is visible. The filesystem
// interfaces have their own tests.
#include "wasi/Preview2Host.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "wasi/WasiHost.h"

namespace wasmops::wasi {
namespace {

using component::Value;

std::string iface(const char* name) { return std::string(name) + "@0.2.12"; }

class Preview2HostTest : public ::testing::Test {
 protected:
  void open(const std::string& input = "", std::size_t outputLimit = 1 << 20) {
    stdio_.in = MemoryStream::input(input);
    stdio_.out = MemoryStream::output(outputLimit);
    stdio_.err = MemoryStream::output(outputLimit);
    embed::WasiConfig config;
    config.args = {"prog.wasm", "--flag", "two words"};
    config.env = {"A=1", "EMPTY=", "EQ=x=y"};
    auto host = Preview2Host::create(config, stdio_);
    ASSERT_TRUE(host) << host.error().message;
    linker_ = component::ComponentLinker();  // the old host's functions go with it
    host_ = std::move(*host);
    auto defined = host_->define(linker_);
    ASSERT_TRUE(defined) << defined.error().message;
  }

  Expected<std::optional<Value>> call(const char* interface, const char* function, std::vector<Value> args = {}) {
    const component::HostFunction* fn = linker_.function(iface(interface), function);
    if (!fn) return makeError(ErrorCode::NotFound, std::string("no host function ") + function);
    return (*fn)(args);
  }
  // A call that must succeed and return a value.
  Value value(const char* interface, const char* function, std::vector<Value> args = {}) {
    auto r = call(interface, function, std::move(args));
    EXPECT_TRUE(r) << function << ": " << (r ? "" : r.error().message);
    if (!r || !*r) return Value::none();
    return **r;
  }
  static Value bytes(const std::string& s) {
    std::vector<Value> items;
    for (unsigned char c : s) items.push_back(Value::u8(c));
    return Value::list(std::move(items));
  }
  static std::string text(const Value& list) { return list.listBytes().value_or("(not bytes)"); }

  MemoryStdio stdio_;
  std::unique_ptr<Preview2Host> host_;
  component::ComponentLinker linker_;
};

TEST_F(Preview2HostTest, StdoutAndStderrWritesReachTheHostStreams) {
  open();
  Value out = value("wasi:cli/stdout", "get-stdout");
  Value err = value("wasi:cli/stderr", "get-stderr");
  EXPECT_EQ(out.kind, component::ValueKind::Own);
  Value permit = value("wasi:io/streams", "[method]output-stream.check-write", {Value::borrow(out.bits)});
  ASSERT_EQ(permit.caseIndex(), 0u);
  EXPECT_GT(permit.payload()->bits, 0u);
  EXPECT_EQ(value("wasi:io/streams", "[method]output-stream.write", {Value::borrow(out.bits), bytes("hello, ")}), Value::ok());
  EXPECT_EQ(value("wasi:io/streams", "[method]output-stream.blocking-write-and-flush", {Value::borrow(out.bits), bytes("world\n")}),
            Value::ok());
  EXPECT_EQ(value("wasi:io/streams", "[method]output-stream.blocking-flush", {Value::borrow(out.bits)}), Value::ok());
  EXPECT_EQ(value("wasi:io/streams", "[method]output-stream.write-zeroes", {Value::borrow(err.bits), Value::u64(2)}), Value::ok());
  EXPECT_EQ(stdio_.out->data(), "hello, world\n");
  EXPECT_EQ(stdio_.err->data(), std::string(2, '\0'));
}

TEST_F(Preview2HostTest, StdinReadsInPiecesThenReportsClosed) {
  open("abc");
  Value in = value("wasi:cli/stdin", "get-stdin");
  Value first = value("wasi:io/streams", "[method]input-stream.read", {Value::borrow(in.bits), Value::u64(2)});
  ASSERT_EQ(first.caseIndex(), 0u);
  EXPECT_EQ(text(*first.payload()), "ab");
  Value rest = value("wasi:io/streams", "[method]input-stream.blocking-read", {Value::borrow(in.bits), Value::u64(100)});
  ASSERT_EQ(rest.caseIndex(), 0u);
  EXPECT_EQ(text(*rest.payload()), "c");
  Value end = value("wasi:io/streams", "[method]input-stream.read", {Value::borrow(in.bits), Value::u64(1)});
  EXPECT_EQ(end, Value::err(Value::variant(1)));  // stream-error.closed
  // A read of 0 bytes is not the end.
  open("xyz");
  in = value("wasi:cli/stdin", "get-stdin");
  Value none = value("wasi:io/streams", "[method]input-stream.read", {Value::borrow(in.bits), Value::u64(0)});
  EXPECT_EQ(none, Value::ok(Value::list({})));
  Value skipped = value("wasi:io/streams", "[method]input-stream.skip", {Value::borrow(in.bits), Value::u64(2)});
  EXPECT_EQ(skipped, Value::ok(Value::u64(2)));
}

TEST_F(Preview2HostTest, AWriteOverTheOutputLimitFailsWithAnErrorResource) {
  open("", 4);
  Value out = value("wasi:cli/stdout", "get-stdout");
  Value failed = value("wasi:io/streams", "[method]output-stream.write", {Value::borrow(out.bits), bytes("12345")});
  ASSERT_EQ(failed.caseIndex(), 1u);
  const Value& streamError = *failed.payload();
  ASSERT_EQ(streamError.caseIndex(), 0u);  // last-operation-failed(error)
  const std::uint32_t error = static_cast<std::uint32_t>(streamError.payload()->bits);
  Value message = value("wasi:io/error", "[method]error.to-debug-string", {Value::borrow(error)});
  EXPECT_NE(message.text.find("limit"), std::string::npos) << message.text;
  EXPECT_EQ(stdio_.out->data(), "");  // nothing of the failed write
  // The stream is closed from then on.
  EXPECT_EQ(value("wasi:io/streams", "[method]output-stream.check-write", {Value::borrow(out.bits)}), Value::err(Value::variant(1)));
  // filesystem-error-code of a stream error is none.
  EXPECT_EQ(value("wasi:filesystem/types", "filesystem-error-code", {Value::borrow(error)}), Value::none());
}

TEST_F(Preview2HostTest, ArgumentsAndEnvironmentAsTheGuestSeesThem) {
  open();
  Value args = value("wasi:cli/environment", "get-arguments");
  ASSERT_EQ(args.items.size(), 3u);
  EXPECT_EQ(args.items[0].text, "prog.wasm");
  EXPECT_EQ(args.items[2].text, "two words");
  Value env = value("wasi:cli/environment", "get-environment");
  ASSERT_EQ(env.items.size(), 3u);
  EXPECT_EQ(env.items[0], Value::tuple({Value::string("A"), Value::string("1")}));
  EXPECT_EQ(env.items[1], Value::tuple({Value::string("EMPTY"), Value::string("")}));
  EXPECT_EQ(env.items[2], Value::tuple({Value::string("EQ"), Value::string("x=y")}));  // split at the first '='
  EXPECT_EQ(value("wasi:cli/environment", "initial-cwd"), Value::none());
}

TEST_F(Preview2HostTest, ExitUnwindsWithTheStatus) {
  open();
  auto ok = call("wasi:cli/exit", "exit", {Value::ok()});
  ASSERT_FALSE(ok);
  EXPECT_EQ(ok.error().message, kExitMessage);
  EXPECT_EQ(host_->exitCode(), 0u);
  open();
  auto failed = call("wasi:cli/exit", "exit", {Value::err()});
  ASSERT_FALSE(failed);
  EXPECT_EQ(host_->exitCode(), 1u);
  open();
  ASSERT_FALSE(call("wasi:cli/exit", "exit-with-code", {Value::u8(42)}));
  EXPECT_EQ(host_->exitCode(), 42u);
}

TEST_F(Preview2HostTest, MemoryStdioIsNotATerminal) {
  open();
  EXPECT_EQ(value("wasi:cli/terminal-stdin", "get-terminal-stdin"), Value::none());
  EXPECT_EQ(value("wasi:cli/terminal-stdout", "get-terminal-stdout"), Value::none());
  EXPECT_EQ(value("wasi:cli/terminal-stderr", "get-terminal-stderr"), Value::none());
}

TEST_F(Preview2HostTest, ClocksAndPollables) {
  open();
  const std::uint64_t t0 = value("wasi:clocks/monotonic-clock", "now").bits;
  EXPECT_GT(value("wasi:clocks/monotonic-clock", "resolution").bits, 0u);
  Value wall = value("wasi:clocks/wall-clock", "now");
  ASSERT_EQ(wall.items.size(), 2u);
  EXPECT_GT(wall.items[0].bits, 1700000000u);  // seconds since 1970: after 2023
  EXPECT_LT(wall.items[1].bits, 1000000000u);

  Value soon = value("wasi:clocks/monotonic-clock", "subscribe-duration", {Value::u64(0)});
  Value later = value("wasi:clocks/monotonic-clock", "subscribe-duration", {Value::u64(30'000'000)});  // 30 ms
  EXPECT_EQ(value("wasi:io/poll", "[method]pollable.ready", {Value::borrow(soon.bits)}), Value::boolean(true));
  EXPECT_EQ(value("wasi:io/poll", "[method]pollable.ready", {Value::borrow(later.bits)}), Value::boolean(false));
  // poll returns the ready ones only, by index in the list.
  Value ready = value("wasi:io/poll", "poll", {Value::list({Value::borrow(later.bits), Value::borrow(soon.bits)})});
  EXPECT_EQ(ready, Value::list({Value::u32(1)}));
  // block waits for the deadline.
  value("wasi:io/poll", "[method]pollable.block", {Value::borrow(later.bits)});
  EXPECT_GE(value("wasi:clocks/monotonic-clock", "now").bits - t0, 30'000'000u);
  EXPECT_EQ(value("wasi:io/poll", "[method]pollable.ready", {Value::borrow(later.bits)}), Value::boolean(true));
  // An instant in the past is ready; an empty poll list is a trap.
  Value past = value("wasi:clocks/monotonic-clock", "subscribe-instant", {Value::u64(t0)});
  EXPECT_EQ(value("wasi:io/poll", "[method]pollable.ready", {Value::borrow(past.bits)}), Value::boolean(true));
  auto empty = call("wasi:io/poll", "poll", {Value::list({})});
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().message.rfind("trap: ", 0), 0u);
  // A duration that would overflow the clock saturates instead of wrapping into the past.
  Value never = value("wasi:clocks/monotonic-clock", "subscribe-duration", {Value::u64(~0ull)});
  EXPECT_EQ(value("wasi:io/poll", "[method]pollable.ready", {Value::borrow(never.bits)}), Value::boolean(false));
}

TEST_F(Preview2HostTest, RandomBytesAreFreshAndBounded) {
  open();
  Value a = value("wasi:random/random", "get-random-bytes", {Value::u64(32)});
  Value b = value("wasi:random/random", "get-random-bytes", {Value::u64(32)});
  EXPECT_EQ(a.listSize(), 32u);
  EXPECT_NE(a, b);
  EXPECT_EQ(value("wasi:random/insecure", "get-insecure-random-bytes", {Value::u64(0)}), Value::list({}));
  EXPECT_EQ(value("wasi:random/insecure-seed", "insecure-seed").items.size(), 2u);
  auto huge = call("wasi:random/random", "get-random-bytes", {Value::u64(1ull << 40)});
  ASSERT_FALSE(huge);  // a trap, not a terabyte allocation
  EXPECT_EQ(huge.error().message.rfind("trap: ", 0), 0u);
}

TEST_F(Preview2HostTest, DroppedResourcesAreGoneAndCannotBeDroppedTwice) {
  open();
  Value out = value("wasi:cli/stdout", "get-stdout");
  const component::HostDestructor* drop = linker_.resource(iface("wasi:io/streams"), "output-stream");
  ASSERT_NE(drop, nullptr);
  ASSERT_TRUE((*drop)(static_cast<std::uint32_t>(out.bits)));
  EXPECT_FALSE((*drop)(static_cast<std::uint32_t>(out.bits)));
  auto stale = call("wasi:io/streams", "[method]output-stream.check-write", {Value::borrow(out.bits)});
  ASSERT_FALSE(stale);
  EXPECT_EQ(stale.error().message.rfind("trap: ", 0), 0u);
}

TEST_F(Preview2HostTest, EveryZeroPointTwoVersionLinks) {
  open();
  for (const char* version : {"0.2.0", "0.2.3", "0.2.6", "0.2.12"}) {
    EXPECT_EQ(linker_.interfaceFor(std::string("wasi:cli/environment@") + version), iface("wasi:cli/environment")) << version;
    EXPECT_EQ(linker_.interfaceFor(std::string("wasi:io/streams@") + version), iface("wasi:io/streams")) << version;
  }
  EXPECT_EQ(linker_.interfaceFor("wasi:cli/environment@0.3.0"), std::nullopt);
  EXPECT_EQ(linker_.interfaceFor("wasi:cli/environment@1.0.0"), std::nullopt);
}

}  // namespace
}  // namespace wasmops::wasi
