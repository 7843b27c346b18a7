#include "binary/ComponentDecoder.h"

#include <fmt/format.h>

#include "binary/ByteReader.h"
#include "binary/CanonReader.h"
#include "binary/ComponentTypeReader.h"
#include "binary/ComponentWalker.h"
#include "binary/Preamble.h"

namespace wasmops::binary {
namespace {

Unexpected withContext(Error e, const std::string& context) {
  e.message = context + ": " + e.message;
  return Unexpected(std::move(e));
}

// Errors of decoders that locate offsets from the start of their own bytes
// (a nested module, a nested preamble) are moved to file offsets.
Unexpected rebased(Error e, std::uint64_t base, const std::string& context) {
  if (e.offset) *e.offset += base;
  return withContext(std::move(e), context);
}

class Decoder {
 public:
  Decoder(const ComponentDecodeOptions& options, std::uint32_t depth) : options_(options), depth_(depth) {
    ctx_.limits = options.moduleOptions.limits;
    ctx_.maxNesting = options.maxNesting;
    ctx_.depth = depth;
  }

  // `bytes` is the whole component, preamble included, at file offset `base`.
  Expected<Component> run(std::span<const std::uint8_t> bytes, std::uint64_t base);

 private:
  Expected<void> section(std::uint8_t id, ByteReader& r, SectionInfo& info);

  // A section holding vec(item): each item read by `readOne`, errors located
  // by section and item index, and the section must end with its last item.
  template <typename T, typename ReadOne>
  Expected<void> items(ByteReader& r, SectionInfo& info, std::size_t minItemSize, std::vector<T>& out, ReadOne readOne) {
    auto n = r.count(minItemSize);
    if (!n) return withContext(std::move(n).error(), fmt::format("{} section", info.name));
    info.count = *n;
    if (out.size() + *n > options_.maxItemsPerKind)
      return makeErrorAt(ErrorCode::LimitExceeded, info.payloadOffset,
                         fmt::format("{} section: {} items would exceed the limit of {} per component", info.name,
                                     out.size() + *n, options_.maxItemsPerKind));
    // Grown as items decode: a decoded item is larger than the byte or two
    // that may encode it, so the count alone must not size the vector. Only
    // the first section of a kind reserves: reserving a little more for each
    // of many small sections would reallocate every time.
    if (out.empty()) out.reserve(initialCapacity(*n));
    for (std::uint32_t i = 0; i < *n; ++i) {
      auto item = readOne(r);
      if (!item) return withContext(std::move(item).error(), fmt::format("{} section, item {}", info.name, i));
      out.push_back(std::move(*item));
    }
    return endOfSection(r, info);
  }

  Expected<void> endOfSection(const ByteReader& r, const SectionInfo& info) {
    if (!r.atEnd())
      return r.error(fmt::format("{} section: {} bytes left after its last item (section size mismatch)", info.name,
                                 r.remaining()));
    return {};
  }

  Expected<CoreInstance> coreInstance(ByteReader& r);
  Expected<ComponentInstance> instance(ByteReader& r);
  Expected<ComponentStart> start(ByteReader& r);
  Expected<ComponentImport> import(ByteReader& r);
  Expected<ComponentExport> exportItem(ByteReader& r);
  Expected<ComponentValue> value(ByteReader& r);
  Expected<void> nestedModule(ByteReader& r, SectionInfo& info);
  Expected<void> nestedComponent(ByteReader& r, SectionInfo& info);

  const ComponentDecodeOptions& options_;
  std::uint32_t depth_ = 0;
  ComponentTypeContext ctx_;
  Component c_;
};

Expected<Component> Decoder::run(std::span<const std::uint8_t> bytes, std::uint64_t base) {
  auto preamble = readPreamble(bytes);
  if (!preamble) return rebased(std::move(preamble).error(), base, "component preamble");
  if (preamble->kind != BinaryKind::Component)
    return makeErrorAt(ErrorCode::Unsupported, base + 4, "this is a core module, not a component");
  if (preamble->version != kComponentVersion)
    return makeErrorAt(ErrorCode::Unsupported, base + 4,
                       fmt::format("component binary version 0x{:x} is not supported (this decoder reads 0x{:x})",
                                   preamble->version, kComponentVersion));
  c_.version = preamble->version;
  c_.offset = base;
  c_.size = bytes.size();
  ByteReader r(bytes.subspan(8), base + 8);
  while (!r.atEnd()) {
    SectionInfo info;
    info.offset = r.offset();
    WASMOPS_TRY_ASSIGN(info.id, r.u8());
    if (info.id > static_cast<std::uint8_t>(ComponentSectionId::Value))
      return r.errorAt(info.offset, fmt::format("malformed component section id {}", info.id));
    info.name = componentSectionName(info.id);
    const auto sizeAt = r.offset();
    auto size = r.u32();
    if (!size) return withContext(std::move(size).error(), fmt::format("{} section size", info.name));
    if (*size > r.remaining())
      return r.errorAt(sizeAt, fmt::format("unexpected end: {} section size {} is larger than the {} bytes left", info.name,
                                           *size, r.remaining()));
    info.payloadOffset = r.offset();
    info.size = *size;
    WASMOPS_TRY(auto payload, r.bytes(*size));
    ByteReader sr(payload, info.payloadOffset);
    WASMOPS_TRY_VOID(section(info.id, sr, info));
    c_.sections.push_back(std::move(info));
  }
  return std::move(c_);
}

Expected<void> Decoder::section(std::uint8_t id, ByteReader& r, SectionInfo& info) {
  switch (static_cast<ComponentSectionId>(id)) {
    case ComponentSectionId::Custom: {
      auto name = r.name();
      if (!name) return withContext(std::move(name).error(), "custom section name");
      CustomSection c;
      c.name = std::string(*name);
      c.offset = r.offset();
      WASMOPS_TRY_ASSIGN(c.payload, r.bytes(r.remaining()));
      info.name = c.name;
      c_.customs.push_back(std::move(c));
      return {};
    }
    case ComponentSectionId::CoreModule: return nestedModule(r, info);
    case ComponentSectionId::Component: return nestedComponent(r, info);
    case ComponentSectionId::CoreInstance:
      return items(r, info, 2, c_.coreInstances, [&](ByteReader& br) { return coreInstance(br); });
    case ComponentSectionId::CoreType:
      return items(r, info, 1, c_.coreTypes, [&](ByteReader& br) { return readCoreType(br, ctx_); });
    case ComponentSectionId::Instance:
      return items(r, info, 2, c_.instances, [&](ByteReader& br) { return instance(br); });
    case ComponentSectionId::Alias:
      return items(r, info, 3, c_.aliases, [&](ByteReader& br) { return readAlias(br); });
    case ComponentSectionId::Type:
      return items(r, info, 1, c_.types, [&](ByteReader& br) { return readComponentType(br, ctx_); });
    case ComponentSectionId::Canon:
      return items(r, info, 1, c_.canons, [&](ByteReader& br) { return readCanon(br, ctx_); });
    case ComponentSectionId::Start: {
      auto s = start(r);
      if (!s) return withContext(std::move(s).error(), "start section");
      info.count = 1;
      c_.starts.push_back(std::move(*s));
      return endOfSection(r, info);
    }
    case ComponentSectionId::Import:
      return items(r, info, 3, c_.imports, [&](ByteReader& br) { return import(br); });
    case ComponentSectionId::Export:
      return items(r, info, 4, c_.exports, [&](ByteReader& br) { return exportItem(br); });
    case ComponentSectionId::Value:
      return items(r, info, 2, c_.values, [&](ByteReader& br) { return value(br); });
  }
  return r.errorAt(info.offset, fmt::format("malformed component section id {}", id));
}

Expected<void> Decoder::nestedModule(ByteReader& r, SectionInfo& info) {
  NestedModule m;
  m.offset = info.payloadOffset;
  m.size = info.size;
  WASMOPS_TRY_ASSIGN(m.bytes, r.bytes(r.remaining()));
  const auto index = c_.modules.size();
  if (options_.decodeModules) {
    auto decoded = decodeModule(m.bytes, options_.moduleOptions);
    if (!decoded) return rebased(std::move(decoded).error(), m.offset, fmt::format("core module {}", index));
    m.module = std::move(*decoded);
  } else {
    auto preamble = readPreamble(m.bytes);
    if (!preamble) return rebased(std::move(preamble).error(), m.offset, fmt::format("core module {}", index));
    if (preamble->kind != BinaryKind::CoreModule)
      return makeErrorAt(ErrorCode::Malformed, m.offset + 4,
                         fmt::format("core module {}: this is a component, not a core module", index));
  }
  info.count = 1;
  c_.modules.push_back(std::move(m));
  return {};
}

Expected<void> Decoder::nestedComponent(ByteReader& r, SectionInfo& info) {
  const auto index = c_.components.size();
  if (depth_ + 1 > options_.maxNesting)
    return makeErrorAt(ErrorCode::LimitExceeded, info.offset,
                       fmt::format("component {}: components nested more than {} deep", index, options_.maxNesting));
  WASMOPS_TRY(auto bytes, r.bytes(r.remaining()));
  Decoder child(options_, depth_ + 1);
  auto nested = child.run(bytes, info.payloadOffset);
  if (!nested) return withContext(std::move(nested).error(), fmt::format("component {}", index));
  info.count = 1;
  c_.components.push_back(std::move(*nested));
  return {};
}

Expected<CoreInstance> Decoder::coreInstance(ByteReader& r) {
  CoreInstance ci;
  ci.offset = r.offset();
  WASMOPS_TRY(auto op, r.u8());
  if (op == 0x00) {
    WASMOPS_TRY_ASSIGN(ci.module, r.u32());
    WASMOPS_TRY(auto n, r.count(3));
    ci.args.reserve(initialCapacity(n));
    for (std::uint32_t i = 0; i < n; ++i) {
      CoreInstance::Arg a;
      WASMOPS_TRY(auto name, r.name());
      a.name = std::string(name);
      const auto kindAt = r.offset();
      WASMOPS_TRY(auto kind, r.u8());
      if (kind != 0x12)
        return r.errorAt(kindAt, fmt::format("malformed instantiation argument: expected the instance sort 0x12, found 0x{:02x}", kind));
      WASMOPS_TRY_ASSIGN(a.instance, r.u32());
      ci.args.push_back(std::move(a));
    }
    return ci;
  }
  if (op != 0x01) return r.errorAt(ci.offset, fmt::format("malformed core instance: unknown opcode 0x{:02x}", op));
  ci.instantiate = false;
  WASMOPS_TRY(auto n, r.count(3));
  ci.exports.reserve(initialCapacity(n));
  for (std::uint32_t i = 0; i < n; ++i) {
    CoreInstance::InlineExport e;
    WASMOPS_TRY(auto name, r.name());
    e.name = std::string(name);
    WASMOPS_TRY_ASSIGN(e.item.sort, readCoreSort(r));
    WASMOPS_TRY_ASSIGN(e.item.index, r.u32());
    ci.exports.push_back(std::move(e));
  }
  return ci;
}

Expected<ComponentInstance> Decoder::instance(ByteReader& r) {
  ComponentInstance ci;
  ci.offset = r.offset();
  WASMOPS_TRY(auto op, r.u8());
  if (op == 0x00) {
    WASMOPS_TRY_ASSIGN(ci.component, r.u32());
    WASMOPS_TRY(auto n, r.count(3));
    ci.args.reserve(initialCapacity(n));
    for (std::uint32_t i = 0; i < n; ++i) {
      ComponentInstance::Arg a;
      WASMOPS_TRY(auto name, r.name());
      a.name = std::string(name);
      WASMOPS_TRY_ASSIGN(a.item.sort, readSort(r));
      WASMOPS_TRY_ASSIGN(a.item.index, r.u32());
      ci.args.push_back(std::move(a));
    }
    return ci;
  }
  if (op != 0x01) return r.errorAt(ci.offset, fmt::format("malformed instance: unknown opcode 0x{:02x}", op));
  ci.instantiate = false;
  WASMOPS_TRY(auto n, r.count(4));
  ci.exports.reserve(initialCapacity(n));
  for (std::uint32_t i = 0; i < n; ++i) {
    ComponentInstance::InlineExport e;
    WASMOPS_TRY_ASSIGN(e.name, readExternName(r));
    WASMOPS_TRY_ASSIGN(e.item.sort, readSort(r));
    WASMOPS_TRY_ASSIGN(e.item.index, r.u32());
    ci.exports.push_back(std::move(e));
  }
  return ci;
}

Expected<ComponentStart> Decoder::start(ByteReader& r) {
  ComponentStart s;
  s.offset = r.offset();
  WASMOPS_TRY_ASSIGN(s.func, r.u32());
  WASMOPS_TRY(auto n, r.count(1));
  s.args.reserve(initialCapacity(n));
  for (std::uint32_t i = 0; i < n; ++i) {
    WASMOPS_TRY(auto v, r.u32());
    s.args.push_back(v);
  }
  WASMOPS_TRY_ASSIGN(s.results, r.u32());
  return s;
}

Expected<ComponentImport> Decoder::import(ByteReader& r) {
  ComponentImport imp;
  imp.offset = r.offset();
  WASMOPS_TRY_ASSIGN(imp.name, readExternName(r));
  WASMOPS_TRY_ASSIGN(imp.desc, readExternDesc(r));
  return imp;
}

Expected<ComponentExport> Decoder::exportItem(ByteReader& r) {
  ComponentExport e;
  e.offset = r.offset();
  WASMOPS_TRY_ASSIGN(e.name, readExternName(r));
  WASMOPS_TRY_ASSIGN(e.item.sort, readSort(r));
  WASMOPS_TRY_ASSIGN(e.item.index, r.u32());
  const auto at = r.offset();
  WASMOPS_TRY(auto hasType, r.u8());
  if (hasType == 0x01) {
    WASMOPS_TRY(auto d, readExternDesc(r));
    e.desc = d;
  } else if (hasType != 0x00) {
    return r.errorAt(at, fmt::format("malformed export type ascription: expected 0x00 or 0x01, found 0x{:02x}", hasType));
  }
  return e;
}

Expected<ComponentValue> Decoder::value(ByteReader& r) {
  ComponentValue v;
  v.offset = r.offset();
  WASMOPS_TRY_ASSIGN(v.type, readComponentValType(r));
  WASMOPS_TRY(auto len, r.u32());
  WASMOPS_TRY_ASSIGN(v.bytes, r.bytes(len));
  return v;
}

}  // namespace

Expected<Component> decodeComponent(std::span<const std::uint8_t> bytes, const ComponentDecodeOptions& options) {
  Decoder d(options, 0);
  return d.run(bytes, 0);
}

}  // namespace wasmops::binary
