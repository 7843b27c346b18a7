#include "engine/CompiledModule.h"

#include <dlfcn.h>

#include <map>
#include <mutex>

namespace wasmops::engine {

std::uint32_t canonicalTypeId(const binary::FuncType& type) {
  static std::mutex mu;
  static std::map<std::string, std::uint32_t> ids;
  std::string key = binary::toString(type);
  std::lock_guard lock(mu);
  auto [it, inserted] = ids.emplace(key, static_cast<std::uint32_t>(ids.size() + 1));
  return it->second;
}

std::shared_ptr<MemoryImage> CompiledModule::memoryImage() const {
  std::call_once(imageOnce_, [this] { image_ = MemoryImage::build(module_, bytes_); });
  return image_;
}

CompiledModule::~CompiledModule() {
  if (handle_) ::dlclose(handle_);
}

}  // namespace wasmops::engine
