#include "engine/CompiledModule.h"

#include <dlfcn.h>

#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>

namespace wasmops::engine {

std::uint32_t canonicalTypeId(const binary::FuncType& type) {
  // Called for every host function of every instance: the key is the
  // types' bytes (no formatting), and lookups share the lock.
  std::string key;
  key.reserve((type.params.size() + type.results.size() + 1) * sizeof(binary::ValType));
  auto append = [&key](const binary::ValType& v) {
    key.push_back(static_cast<char>(v.kind));
    if (v.kind != binary::ValKind::Ref) return;  // nullable and heap mean nothing for the others
    key.push_back(v.nullable ? 1 : 0);
    key.append(reinterpret_cast<const char*>(&v.heap), sizeof v.heap);
  };
  for (const auto& v : type.params) append(v);
  key.push_back('>');
  for (const auto& v : type.results) append(v);
  static std::shared_mutex mu;
  static std::unordered_map<std::string, std::uint32_t> ids;
  {
    std::shared_lock read(mu);
    if (auto it = ids.find(key); it != ids.end()) return it->second;
  }
  std::unique_lock write(mu);
  auto [it, inserted] = ids.emplace(std::move(key), static_cast<std::uint32_t>(ids.size() + 1));
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
