#pragma once
// The "what to write instead" parts of manifest diagnostics.
#include <initializer_list>
#include <string>
#include <string_view>

namespace wasmops::app {

// Levenshtein distance between two keys.
std::size_t editDistance(std::string_view a, std::string_view b);

// "; did you mean \"KEY\"?" for the closest known key at most two edits
// away, else "".
std::string suggestion(std::string_view key, std::initializer_list<std::string_view> known);

// The language of a source file named by mistake as a component's `source`
// ("Rust" for "src/main.rs"), by extension; "" when it is not one.
std::string_view sourceLanguage(std::string_view path);

// For a cargo build command, the module it writes
// ("target/wasm32-wasip1/release/<crate>.wasm", the crate named after the
// component id with '-' as '_'); "" for other commands.
std::string cargoOutputGuess(std::string_view command, const std::string& id);

}  // namespace wasmops::app
