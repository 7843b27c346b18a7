#include "wasi/BodyPipe.h"

#include <gtest/gtest.h>

#include <thread>

namespace wasmops::wasi {
namespace {

TEST(BodyPipeTest, TheWindowTellsTheWriterToWaitUntilTheReaderTakes) {
  auto pipe = BodyPipe::create(8);
  EXPECT_EQ(pipe->room(), 8u);
  EXPECT_TRUE(pipe->write("12345"));
  EXPECT_EQ(pipe->room(), 3u);
  EXPECT_TRUE(pipe->write("6789"));  // past the window: taken, room is advice
  EXPECT_EQ(pipe->room(), 0u);
  auto writable = pipe->writable();
  EXPECT_FALSE(writable->ready());
  int woken = 0;
  writable->whenReady([&] { ++woken; });
  EXPECT_EQ(woken, 0);
  EXPECT_EQ(pipe->take(1), "1");
  EXPECT_EQ(woken, 0);  // 8 bytes still held: the window is still full
  EXPECT_EQ(pipe->take(3), "234");
  EXPECT_EQ(woken, 1);
  EXPECT_EQ(pipe->room(), 3u);
  EXPECT_EQ(pipe->take(), "56789");
  EXPECT_TRUE(writable->ready());
  EXPECT_EQ(pipe->room(), 8u);
}

TEST(BodyPipeTest, TheReaderSeesBytesThenTheEndWithTrailers) {
  auto pipe = BodyPipe::create(BodyPipe::kUnlimited);
  auto readable = pipe->readable();
  EXPECT_FALSE(readable->ready());
  int woken = 0;
  readable->whenReady([&] { ++woken; });
  pipe->write("ab");
  EXPECT_EQ(woken, 1);
  pipe->finish({{"x-t", "1"}});
  EXPECT_TRUE(pipe->ended());
  EXPECT_EQ(pipe->state(), BodyPipe::State::Open);  // "ab" comes first
  EXPECT_EQ(pipe->take(1), "a");
  EXPECT_EQ(pipe->take(1), "b");
  EXPECT_EQ(pipe->take(), "");
  EXPECT_EQ(pipe->state(), BodyPipe::State::Finished);
  ASSERT_EQ(pipe->trailers().size(), 1u);
  EXPECT_EQ(pipe->trailers()[0].first, "x-t");
  EXPECT_FALSE(pipe->write("late"));
  EXPECT_EQ(pipe->totalWritten(), 2u);
}

TEST(BodyPipeTest, PastItsLimitTheBodyFailsAsTooLarge) {
  auto pipe = BodyPipe::create(BodyPipe::kUnlimited, 4);
  EXPECT_TRUE(pipe->write("1234"));
  EXPECT_FALSE(pipe->write("5"));
  EXPECT_TRUE(pipe->overflowed());
  EXPECT_EQ(pipe->take(), "1234");
  EXPECT_EQ(pipe->state(), BodyPipe::State::Failed);
  EXPECT_NE(pipe->failure().find("limit"), std::string::npos);

  auto lifted = BodyPipe::create(BodyPipe::kUnlimited, 4);
  lifted->setLimit(BodyPipe::kUnlimited);
  EXPECT_TRUE(lifted->write("12345"));
}

TEST(BodyPipeTest, AFailedBodyWakesTheReaderAndSaysWhy) {
  auto pipe = BodyPipe::create(16);
  int woken = 0;
  pipe->readable()->whenReady([&] { ++woken; });
  pipe->fail("the client went away");
  EXPECT_EQ(woken, 1);
  EXPECT_EQ(pipe->state(), BodyPipe::State::Failed);
  EXPECT_FALSE(pipe->overflowed());
  EXPECT_EQ(pipe->failure(), "the client went away");
  pipe->finish();  // the first end stays
  EXPECT_EQ(pipe->state(), BodyPipe::State::Failed);
}

TEST(BodyPipeTest, AReaderThatLeavesLetsTheWriterGoOnIntoNothing) {
  auto pipe = BodyPipe::create(4);
  pipe->write("1234");
  int woken = 0;
  pipe->writable()->whenReady([&] { ++woken; });
  pipe->closeReader();
  EXPECT_EQ(woken, 1);
  EXPECT_TRUE(pipe->readerGone());
  EXPECT_TRUE(pipe->write("more"));  // dropped, counted
  EXPECT_EQ(pipe->buffered(), 0u);
  EXPECT_EQ(pipe->totalWritten(), 8u);
  // The end still wakes whoever waits for it (future-trailers after incoming-body.finish).
  bool ended = false;
  pipe->readable()->whenReady([&] { ended = true; });
  EXPECT_FALSE(ended);
  pipe->finish();
  EXPECT_TRUE(ended);
}

TEST(BodyPipeTest, ANewWindowWakesAWaitingWriter) {
  auto pipe = BodyPipe::create(BodyPipe::kUnlimited);
  pipe->write(std::string(100, 'x'));
  pipe->setWindow(10);
  EXPECT_EQ(pipe->room(), 0u);
  int woken = 0;
  pipe->writable()->whenReady([&] { ++woken; });
  pipe->take(95);
  EXPECT_EQ(woken, 1);
  EXPECT_EQ(pipe->room(), 5u);
}

TEST(BodyPipeTest, AWholeBodyIsFinishedAlready) {
  auto pipe = BodyPipe::whole("data", {{"t", "v"}});
  EXPECT_TRUE(pipe->ended());
  EXPECT_TRUE(pipe->readable()->ready());
  EXPECT_EQ(pipe->take(), "data");
  EXPECT_EQ(pipe->state(), BodyPipe::State::Finished);
  EXPECT_EQ(pipe->trailers().size(), 1u);
}

TEST(BodyPipeTest, AWriterAndAReaderOnTwoThreadsPassEveryByteInOrder) {
  auto pipe = BodyPipe::create(1024);
  constexpr int kPieces = 2000;
  std::thread writer([&] {
    for (int i = 0; i < kPieces; ++i) {
      while (pipe->room() == 0) std::this_thread::yield();
      pipe->write(std::string(100, static_cast<char>('a' + i % 26)));
    }
    pipe->finish();
  });
  std::string got;
  while (pipe->state() != BodyPipe::State::Finished) got += pipe->take(333);
  writer.join();
  ASSERT_EQ(got.size(), 100u * kPieces);
  for (int i = 0; i < kPieces; ++i) ASSERT_EQ(got[static_cast<std::size_t>(i) * 100], static_cast<char>('a' + i % 26)) << i;
}

}  // namespace
}  // namespace wasmops::wasi
