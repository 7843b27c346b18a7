// wasi::MemoryStream: a guest's stdin/stdout/stderr held in host memory.
// Input streams hand out their bytes in order across iovecs and calls, then
// 0 (end of file), and refuse writes; output streams keep every byte up to
// their limit and refuse (EFBIG, nothing stored) a write that would pass it.
#include "wasi/MemoryStream.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace wasmops::wasi {
namespace {

iovec io(char* p, std::size_t n) { return iovec{p, n}; }
iovec io(const std::string& s) { return iovec{const_cast<char*>(s.data()), s.size()}; }

TEST(MemoryStream, InputReadsEverythingInOrderThenEndOfFile) {
  auto in = MemoryStream::input("hello, world");
  EXPECT_TRUE(in->isInput());
  EXPECT_EQ(in->available(), 12u);
  char a[5], b[3];
  EXPECT_EQ(in->read({io(a, sizeof a), io(b, sizeof b)}), 8u);
  EXPECT_EQ(std::string(a, 5), "hello");
  EXPECT_EQ(std::string(b, 3), ", w");
  EXPECT_EQ(in->available(), 4u);
  char c[16];
  EXPECT_EQ(in->read({io(c, sizeof c)}), 4u);
  EXPECT_EQ(std::string(c, 4), "orld");
  EXPECT_EQ(in->available(), 0u);
  EXPECT_EQ(in->read({io(c, sizeof c)}), 0u);  // end of file, and it stays there
  EXPECT_EQ(in->read({io(c, sizeof c)}), 0u);
}

TEST(MemoryStream, ReadStopsAtTheEndOfTheDataInsideAnIovec) {
  auto in = MemoryStream::input("xyz");
  std::string a(2, '.'), b(8, '.');
  EXPECT_EQ(in->read({io(a.data(), a.size()), io(b.data(), b.size())}), 3u);
  EXPECT_EQ(a, "xy");
  EXPECT_EQ(b, "z.......");  // nothing written past the data
}

TEST(MemoryStream, EmptyIovecsAreSkippedNotTakenForTheEnd) {
  auto in = MemoryStream::input("abcdef");
  char a[2], b[4];
  // A zero-length buffer first (as wasi-libc's readv may pass): the bytes go to the next one.
  EXPECT_EQ(in->read({io(a, 0), io(a, sizeof a), io(b, 0), io(b, sizeof b)}), 6u);
  EXPECT_EQ(std::string(a, 2), "ab");
  EXPECT_EQ(std::string(b, 4), "cdef");
}

TEST(MemoryStream, NoIovecsReadNothingAndKeepThePosition) {
  auto in = MemoryStream::input("abc");
  EXPECT_EQ(in->read({}), 0u);
  EXPECT_EQ(in->available(), 3u);
}

TEST(MemoryStream, InputPassesBytesExactlyIncludingNul) {
  const std::string data("a\0b\r\n\xff", 6);
  auto in = MemoryStream::input(data);
  char buf[6];
  ASSERT_EQ(in->read({io(buf, sizeof buf)}), 6u);
  EXPECT_EQ(std::string(buf, 6), data);
}

TEST(MemoryStream, EmptyInputIsAtEndOfFileAtOnce) {
  auto in = MemoryStream::input("");
  char buf[4];
  EXPECT_EQ(in->available(), 0u);
  EXPECT_EQ(in->read({io(buf, sizeof buf)}), 0u);
}

TEST(MemoryStream, InputRefusesWritesAndKeepsItsData) {
  auto in = MemoryStream::input("data");
  const std::string more = "more";
  std::size_t written = 99;
  EXPECT_EQ(in->write({io(more)}, written), Errno::Badf);
  EXPECT_EQ(written, 0u);
  EXPECT_EQ(in->data(), "data");
  EXPECT_FALSE(in->overflowed());
}

TEST(MemoryStream, OutputKeepsWritesInOrderAcrossIovecsAndCalls) {
  auto out = MemoryStream::output(100);
  EXPECT_FALSE(out->isInput());
  const std::string a = "Content-Type: text/plain\n", b = "\n", c = std::string("body\0end", 8);
  std::size_t n = 0;
  ASSERT_EQ(out->write({io(a), io(b)}, n), Errno::Success);
  EXPECT_EQ(n, a.size() + b.size());
  ASSERT_EQ(out->write({io(c)}, n), Errno::Success);
  EXPECT_EQ(n, 8u);
  EXPECT_EQ(out->data(), a + b + c);
  EXPECT_EQ(out->available(), a.size() + b.size() + c.size());
  EXPECT_FALSE(out->overflowed());
}

TEST(MemoryStream, OutputUpToTheLimitExactlyIsAccepted) {
  auto out = MemoryStream::output(10);
  const std::string six = "123456", four = "7890";
  std::size_t n = 0;
  ASSERT_EQ(out->write({io(six)}, n), Errno::Success);
  ASSERT_EQ(out->write({io(four)}, n), Errno::Success);
  EXPECT_EQ(n, 4u);
  EXPECT_EQ(out->data(), "1234567890");
  EXPECT_FALSE(out->overflowed());
  // Full: an empty write still succeeds, one more byte does not.
  ASSERT_EQ(out->write({}, n), Errno::Success);
  EXPECT_EQ(n, 0u);
  const std::string one = "x";
  EXPECT_EQ(out->write({io(one)}, n), Errno::Fbig);
  EXPECT_EQ(n, 0u);
  EXPECT_TRUE(out->overflowed());
  EXPECT_EQ(out->data(), "1234567890");
}

TEST(MemoryStream, AWritePastTheLimitStoresNothingOfIt) {
  auto out = MemoryStream::output(8);
  const std::string a = "abc", b = "defghi";
  std::size_t n = 42;
  ASSERT_EQ(out->write({io(a)}, n), Errno::Success);
  // 3 + 6 > 8: refused whole, not cut to the 5 bytes that would fit.
  EXPECT_EQ(out->write({io(a), io(b)}, n), Errno::Fbig);
  EXPECT_EQ(n, 0u);
  EXPECT_EQ(out->data(), "abc");
  EXPECT_TRUE(out->overflowed());
  // The flag stays once set, even after a write that fits.
  ASSERT_EQ(out->write({io(a)}, n), Errno::Success);
  EXPECT_EQ(out->data(), "abcabc");
  EXPECT_TRUE(out->overflowed());
}

TEST(MemoryStream, ZeroLimitRefusesEveryNonEmptyWrite) {
  auto out = MemoryStream::output(0);  // the executor's /dev/null for a template instance
  const std::string x = "x";
  std::size_t n = 7;
  EXPECT_EQ(out->write({io(x)}, n), Errno::Fbig);
  EXPECT_EQ(n, 0u);
  EXPECT_TRUE(out->data().empty());
}

TEST(MemoryStream, OutputIsNotReadBack) {
  auto out = MemoryStream::output(16);
  const std::string s = "secret";
  std::size_t n = 0;
  ASSERT_EQ(out->write({io(s)}, n), Errno::Success);
  char buf[16] = {};
  EXPECT_EQ(out->read({io(buf, sizeof buf)}), 0u);
  EXPECT_EQ(buf[0], '\0');
  EXPECT_EQ(out->data(), "secret");
}

TEST(MemoryStream, TakeMovesTheOutputOut) {
  auto out = MemoryStream::output(1 << 20);
  const std::string big(100'000, 'q');
  std::size_t n = 0;
  ASSERT_EQ(out->write({io(big)}, n), Errno::Success);
  const std::string taken = out->take();
  EXPECT_EQ(taken, big);
}

}  // namespace
}  // namespace wasmops::wasi
