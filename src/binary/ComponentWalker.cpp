#include "binary/ComponentWalker.h"

#include <fmt/format.h>

#include "binary/ByteReader.h"
#include "binary/Preamble.h"

namespace wasmops::binary {

const char* componentSectionName(std::uint8_t id) {
  static constexpr const char* kNames[] = {"custom", "core module", "core instance", "core type", "component",
                                           "instance", "alias", "type", "canon", "start", "import", "export",
                                           "value"};
  return id < std::size(kNames) ? kNames[id] : "unknown";
}

Expected<ComponentSummary> walkComponent(std::span<const std::uint8_t> bytes) {
  WASMOPS_TRY(auto preamble, readPreamble(bytes));
  if (preamble.kind != BinaryKind::Component)
    return makeErrorAt(ErrorCode::Unsupported, 4, "this is a core module, not a component");
  ComponentSummary out;
  out.version = preamble.version;
  ByteReader r(bytes.subspan(8), 8);
  while (!r.atEnd()) {
    SectionInfo info;
    info.offset = r.offset();
    WASMOPS_TRY_ASSIGN(info.id, r.u8());
    if (info.id > 12) return r.errorAt(info.offset, fmt::format("malformed component section id {}", info.id));
    const auto sizeAt = r.offset();
    WASMOPS_TRY(auto size, r.u32());
    if (size > r.remaining())
      return r.errorAt(sizeAt, fmt::format("unexpected end: section size {} is larger than the {} bytes left in the file", size,
                                           r.remaining()));
    info.payloadOffset = r.offset();
    info.size = size;
    info.name = componentSectionName(info.id);
    WASMOPS_TRY(auto payload, r.bytes(size));
    if (info.id == 0) {
      ByteReader cr(payload, info.payloadOffset);
      WASMOPS_TRY(auto name, cr.name());
      CustomSection c;
      c.name = std::string(name);
      c.offset = cr.offset();
      WASMOPS_TRY_ASSIGN(c.payload, cr.bytes(cr.remaining()));
      info.name = c.name;
      out.customs.push_back(std::move(c));
    } else if (info.id == 1) {
      ++out.coreModules;
    } else if (info.id == 4) {
      ++out.nestedComponents;
    }
    out.sections.push_back(std::move(info));
  }
  return out;
}

ComponentSummary summarize(const Component& component) {
  ComponentSummary out;
  out.version = component.version;
  out.sections = component.sections;
  out.customs = component.customs;
  out.coreModules = static_cast<std::uint32_t>(component.modules.size());
  out.nestedComponents = static_cast<std::uint32_t>(component.components.size());
  return out;
}

}  // namespace wasmops::binary
