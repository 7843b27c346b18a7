#include "engine/ModuleInput.h"

#include "base/Sha256.h"
#include "binary/ModuleDecoder.h"

namespace wasmops::engine {

const std::string& ModuleInput::digest() {
  if (!digest_) {
    digest_ = sha256Hex(bytes_);
    ++counts_.hashes;
  }
  return *digest_;
}

Expected<const binary::Module*> ModuleInput::sections() {
  if (!module_) {
    module_ = binary::decodeModule(bytes_, binary::DecodeOptions{.decodeBodies = false, .limits = {}});
    ++counts_.sectionDecodes;
  }
  if (!*module_) return Unexpected((*module_).error());
  return &**module_;
}

Expected<const binary::Module*> ModuleInput::decoded() {
  WASMOPS_TRY_VOID(sections());
  if (!bodiesDecoded_) {
    bodiesDecoded_ = true;
    ++counts_.bodyDecodes;
    if (auto done = binary::decodeFunctionBodies(**module_, bytes_); !done) bodyError_ = done.error();
  }
  if (bodyError_) return Unexpected(*bodyError_);
  return &**module_;
}

}  // namespace wasmops::engine
