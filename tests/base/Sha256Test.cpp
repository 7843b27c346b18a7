#include "base/Sha256.h"

#include <gtest/gtest.h>

#include <string_view>

namespace wasmops {
namespace {

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256Hex({}), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  std::string_view abc = "abc";
  EXPECT_EQ(sha256Hex({reinterpret_cast<const std::uint8_t*>(abc.data()), abc.size()}),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace wasmops
