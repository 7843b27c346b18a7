#include "engine/Store.h"

#include <fmt/format.h>

#include "binary/CustomSections.h"
#include "engine/RuntimeObjects.h"

namespace wasmops::engine {

using binary::ExternKind;

std::optional<Extern> Instance::exported(const std::string& name) const {
  const auto& m = module_->module();
  for (const auto& e : m.exports) {
    if (e.name != name) continue;
    Extern x;
    x.kind = e.kind;
    switch (e.kind) {
      case ExternKind::Func:
        x.func = &funcs_[e.index];
        x.funcType = m.funcType(*m.functionTypeIndex(e.index));
        break;
      case ExternKind::Memory: x.memory = memoryObjects_[e.index]; break;
      case ExternKind::Table: x.table = tableObjects_[e.index]; break;
      case ExternKind::Global: x.global = globalObjects_[e.index]; break;
      case ExternKind::Tag: return std::nullopt;
    }
    return x;
  }
  return std::nullopt;
}

tl::expected<CallOutcome, std::string> Instance::call(const std::string& name, const std::vector<wasmops_val>& args) {
  const auto& m = module_->module();
  for (const auto& e : m.exports) {
    if (e.name != name || e.kind != ExternKind::Func) continue;
    const auto ti = *m.functionTypeIndex(e.index);
    const auto& ft = *m.funcType(ti);
    if (args.size() != ft.params.size())
      return tl::unexpected(fmt::format("{} takes {} arguments, got {}", name, ft.params.size(), args.size()));
    return store_->call(module_->desc()->entries[ti], funcs_[e.index], ft, args);
  }
  return tl::unexpected("no exported function named '" + name + "'");
}

std::span<std::uint8_t> Instance::memoryBytes(const std::string& name) const {
  const wasmops_memory* m = exportedMemory(name);
  if (!m) return {};
  return {m->base, static_cast<std::size_t>(m->size)};
}

wasmops_memory* Instance::exportedMemory(const std::string& name) const {
  auto ext = exported(name);
  if (!ext || ext->kind != ExternKind::Memory) return nullptr;
  return &ext->memory->m;
}

std::optional<std::uint32_t> Instance::functionAt(const void* pc) const {
  // The function with the greatest start address not above pc. Generated
  // code keeps each function contiguous (-fno-reorder-blocks-and-partition).
  const auto* desc = module_->desc();
  const auto addr = reinterpret_cast<std::uintptr_t>(pc);
  std::optional<std::uint32_t> best;
  std::uintptr_t bestStart = 0;
  for (std::uint32_t d = 0; d < desc->num_defined; ++d) {
    const auto start = reinterpret_cast<std::uintptr_t>(desc->defined[d]);
    if (start <= addr && start >= bestStart) {
      bestStart = start;
      best = module_->module().importedFunctions + d;
    }
  }
  // Each unit's end marker follows its functions under tcc (which lays code
  // out in source order and puts helpers it did not inline after them): a
  // marker between that start and pc means pc is in such a helper, and the
  // function is left unnamed rather than guessed. cc may place a marker
  // elsewhere, but never inside a function, and it inlines those helpers.
  for (std::uint32_t u = 0; best && u < desc->num_units; ++u) {
    const auto end = reinterpret_cast<std::uintptr_t>(desc->code_ends[u]);
    if (end > bestStart && end <= addr) best.reset();
  }
  return best;
}

std::string Instance::functionName(std::uint32_t index) const {
  const auto& m = module_->module();
  for (const auto& e : m.exports)
    if (e.kind == ExternKind::Func && e.index == index) return e.name;
  for (const auto& c : m.customs)
    if (c.name == "name") {
      auto names = binary::readNameSection(c);
      if (const auto* n = names.functionName(index)) return *n;
    }
  return fmt::format("func[{}]", index);
}

}  // namespace wasmops::engine
