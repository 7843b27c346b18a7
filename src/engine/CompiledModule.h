#pragma once
// A module compiled to native code and loaded: its decoded sections, its
// bytes (data segments are copied from them at instantiation) and the
// artifact's descriptor.
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "binary/Module.h"
#include "engine/MemoryImage.h"
#include "engine/rt/wasmops_rt.h"

namespace wasmops::engine {

// A canonical id per function signature for the whole process, so that
// call_indirect across modules compares types correctly.
std::uint32_t canonicalTypeId(const binary::FuncType& type);

class CompiledModule {
 public:
  ~CompiledModule();
  CompiledModule(const CompiledModule&) = delete;
  CompiledModule& operator=(const CompiledModule&) = delete;
  const binary::Module& module() const { return module_; }
  std::span<const std::uint8_t> bytes() const { return bytes_; }
  const wasmops_module_desc* desc() const { return desc_; }
  const std::vector<std::uint32_t>& typeIds() const { return typeIds_; }
  const std::string& artifactPath() const { return artifactPath_; }
  // Whether its code relies on guard pages instead of bounds checks.
  bool guardPages() const { return guardPages_; }
  // Whether `pc` lies in this module's native code (the fault handler asks).
  bool containsCode(std::uintptr_t pc) const { return pc >= codeBegin_ && pc < codeEnd_; }
  // The copy-on-write image of its memory, built at first use (null when
  // the module cannot have one: MemoryImage::build).
  std::shared_ptr<MemoryImage> memoryImage() const;

 private:
  friend class Engine;
  CompiledModule() = default;
  binary::Module module_;
  std::vector<std::uint8_t> bytes_;
  void* handle_ = nullptr;
  const wasmops_module_desc* desc_ = nullptr;
  std::vector<std::uint32_t> typeIds_;
  std::string artifactPath_;
  bool guardPages_ = false;
  std::uintptr_t codeBegin_ = 0, codeEnd_ = 0;
  mutable std::once_flag imageOnce_;
  mutable std::shared_ptr<MemoryImage> image_;
};

}  // namespace wasmops::engine
