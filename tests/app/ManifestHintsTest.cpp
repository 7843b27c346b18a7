#include "app/ManifestHints.h"

#include <gtest/gtest.h>

namespace wasmops::app {
namespace {

TEST(ManifestHints, SuggestsOnlyKeysAtMostTwoEditsAway) {
  EXPECT_EQ(editDistance("sorce", "source"), 1u);
  EXPECT_EQ(editDistance("", "abc"), 3u);
  EXPECT_EQ(suggestion("sorce", {"source", "files"}), "; did you mean \"source\"?");
  EXPECT_EQ(suggestion("enviroment", {"environment", "files"}), "; did you mean \"environment\"?");
  EXPECT_EQ(suggestion("colour", {"source", "files"}), "");
}

TEST(ManifestHints, NamesSourceLanguagesAndCargoOutputs) {
  EXPECT_EQ(sourceLanguage("src/metrics.rs"), "Rust");
  EXPECT_EQ(sourceLanguage("main.go"), "Go");
  EXPECT_EQ(sourceLanguage("app.wasm"), "");
  EXPECT_EQ(sourceLanguage("v1.0/app"), "");  // a dot in a folder name is no extension
  EXPECT_EQ(cargoOutputGuess("cargo build --target wasm32-wasip1 --release", "my-metrics"),
            "target/wasm32-wasip1/release/my_metrics.wasm");
  EXPECT_EQ(cargoOutputGuess("cargo build --target=wasm32-wasi", "a"), "target/wasm32-wasi/debug/a.wasm");
  EXPECT_EQ(cargoOutputGuess("make", "a"), "");
}

}  // namespace
}  // namespace wasmops::app
