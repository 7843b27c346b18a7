#include "binary/CustomSections.h"

#include <algorithm>
#include <numeric>
#include <tuple>

#include "binary/ByteReader.h"

namespace wasmops::binary {

const std::string* NameSection::functionName(std::uint32_t index) const {
  auto it = std::lower_bound(functionNames.begin(), functionNames.end(), index,
                             [](const auto& entry, std::uint32_t i) { return entry.first < i; });
  if (it != functionNames.end() && it->first == index) return &it->second;
  return nullptr;
}

namespace {

Expected<void> readNameMap(ByteReader& r, std::vector<std::pair<std::uint32_t, std::string>>& out) {
  WASMOPS_TRY(auto n, r.count(2));
  out.reserve(n);
  for (std::uint32_t i = 0; i < n; ++i) {
    WASMOPS_TRY(auto idx, r.u32());
    WASMOPS_TRY(auto name, r.name());
    out.emplace_back(idx, std::string(name));
  }
  return {};
}

// Sorts by index and keeps the file order of equal indices, as std::stable_sort
// would; that one does not build with clang 19 against libstdc++ 12 under
// -Werror (it instantiates the deprecated std::get_temporary_buffer).
void sortByIndex(std::vector<std::pair<std::uint32_t, std::string>>& names) {
  auto byIndex = [](const auto& a, const auto& b) { return a.first < b.first; };
  if (std::is_sorted(names.begin(), names.end(), byIndex)) return;
  std::vector<std::uint32_t> order(names.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(),
            [&](std::uint32_t a, std::uint32_t b) { return std::tie(names[a].first, a) < std::tie(names[b].first, b); });
  std::vector<std::pair<std::uint32_t, std::string>> sorted;
  sorted.reserve(names.size());
  for (auto i : order) sorted.push_back(std::move(names[i]));
  names = std::move(sorted);
}

Expected<void> parseNames(const CustomSection& section, NameSection& out) {
  ByteReader r(section.payload, section.offset);
  while (!r.atEnd()) {
    WASMOPS_TRY(auto id, r.u8());
    WASMOPS_TRY(auto size, r.u32());
    WASMOPS_TRY(auto payload, r.bytes(size));
    ByteReader sr(payload, r.offset() - size);
    switch (id) {
      case 0: {
        WASMOPS_TRY(auto name, sr.name());
        out.moduleName = std::string(name);
        break;
      }
      case 1:
        WASMOPS_TRY_VOID(readNameMap(sr, out.functionNames));
        sortByIndex(out.functionNames);
        break;
      case 2: {
        WASMOPS_TRY(auto n, sr.count(2));
        out.localNameCount = n;
        sr = ByteReader({}, 0);  // the local names themselves are not needed here
        break;
      }
      default:
        out.otherSubsections.push_back(id);
        sr = ByteReader({}, 0);
        break;
    }
    if (!sr.atEnd()) return sr.error("name subsection size mismatch");
  }
  return {};
}

Expected<void> parseProducers(const CustomSection& section, ProducersSection& out) {
  ByteReader r(section.payload, section.offset);
  WASMOPS_TRY(auto nfields, r.count(2));
  for (std::uint32_t i = 0; i < nfields; ++i) {
    ProducerField field;
    WASMOPS_TRY(auto fname, r.name());
    field.name = std::string(fname);
    WASMOPS_TRY(auto nvalues, r.count(2));
    for (std::uint32_t k = 0; k < nvalues; ++k) {
      ProducerValue v;
      WASMOPS_TRY(auto name, r.name());
      WASMOPS_TRY(auto version, r.name());
      v.name = std::string(name);
      v.version = std::string(version);
      field.values.push_back(std::move(v));
    }
    out.fields.push_back(std::move(field));
  }
  if (!r.atEnd()) return r.error("producers section has trailing bytes");
  return {};
}

Expected<void> parseTargetFeatures(const CustomSection& section, TargetFeaturesSection& out) {
  ByteReader r(section.payload, section.offset);
  WASMOPS_TRY(auto n, r.count(2));
  for (std::uint32_t i = 0; i < n; ++i) {
    TargetFeature f;
    const auto at = r.offset();
    WASMOPS_TRY(auto prefix, r.u8());
    if (prefix != '+' && prefix != '-' && prefix != '=') return r.errorAt(at, "unknown target feature prefix");
    f.prefix = static_cast<char>(prefix);
    WASMOPS_TRY(auto name, r.name());
    f.name = std::string(name);
    out.features.push_back(std::move(f));
  }
  if (!r.atEnd()) return r.error("target_features section has trailing bytes");
  return {};
}

template <typename Section, typename Parser>
Section readWith(const CustomSection& section, Parser parse) {
  Section out;
  if (auto ok = parse(section, out); !ok) out.warning = ok.error().format();
  return out;
}

}  // namespace

NameSection readNameSection(const CustomSection& section) { return readWith<NameSection>(section, parseNames); }
ProducersSection readProducersSection(const CustomSection& section) {
  return readWith<ProducersSection>(section, parseProducers);
}
TargetFeaturesSection readTargetFeaturesSection(const CustomSection& section) {
  return readWith<TargetFeaturesSection>(section, parseTargetFeatures);
}

}  // namespace wasmops::binary
