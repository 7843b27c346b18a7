#include "cli/InspectReport.h"

#include <fmt/format.h>

#include <algorithm>

#include "cli/TextTable.h"
#include "component/WitFromComponent.h"
#include "component/WitPrinter.h"

namespace wasmops::cli {

using binary::ExternKind;
using Json = nlohmann::ordered_json;

namespace {

Json typesJson(const std::vector<binary::ValType>& types) {
  Json out = Json::array();
  for (const auto& t : types) out.push_back(binary::toString(t));
  return out;
}

std::string hex(std::uint64_t v) { return fmt::format("0x{:x}", v); }

std::string importType(const binary::Module& m, const binary::Import& imp) {
  switch (imp.kind) {
    case ExternKind::Func:
    case ExternKind::Tag: {
      const auto* ft = m.funcType(imp.typeIndex);
      return ft ? fmt::format("type {} {}", imp.typeIndex, binary::toString(*ft)) : fmt::format("type {} (?)", imp.typeIndex);
    }
    case ExternKind::Table: return fmt::format("{} {}", binary::toString(imp.table.elem), binary::toString(imp.table.limits));
    case ExternKind::Memory: return binary::toString(imp.memory);
    case ExternKind::Global:
      return fmt::format("{}{}", imp.global.mutable_ ? "mut " : "", binary::toString(imp.global.type));
  }
  return "?";
}

Json limitsJson(const binary::Limits& l) {
  Json j;
  j["min"] = l.min;
  j["max"] = l.max ? Json(*l.max) : Json(nullptr);
  j["shared"] = l.shared;
  j["memory64"] = l.is64;
  return j;
}

struct SegmentTotals {
  std::uint64_t active = 0, passive = 0, declarative = 0, items = 0;
};

SegmentTotals dataTotals(const binary::Module& m) {
  SegmentTotals t;
  for (const auto& d : m.datas) {
    (d.mode == binary::SegmentMode::Active ? t.active : t.passive)++;
    t.items += d.size;
  }
  return t;
}

SegmentTotals elemTotals(const binary::Module& m) {
  SegmentTotals t;
  for (const auto& e : m.elems) {
    if (e.mode == binary::SegmentMode::Active) ++t.active;
    else if (e.mode == binary::SegmentMode::Passive) ++t.passive;
    else ++t.declarative;
    t.items += e.count;
  }
  return t;
}

Json producersJson(const binary::ProducersSection& p) {
  Json out = Json::object();
  for (const auto& f : p.fields) {
    Json values = Json::array();
    for (const auto& v : f.values) values.push_back({{"name", v.name}, {"version", v.version}});
    out[f.name] = values;
  }
  return out;
}

Json customSectionsJson(const std::vector<binary::SectionInfo>& sections) {
  Json out = Json::array();
  for (const auto& s : sections)
    if (s.id == 0) out.push_back({{"name", s.name}, {"offset", s.offset}, {"size", s.size}});
  return out;
}

// Counts of canon definitions by kind, in first-seen order ("lift", "lower", "resource.drop", "task.return", ...).
std::vector<std::pair<std::string, std::uint32_t>> canonCounts(const binary::Component& c) {
  std::vector<std::pair<std::string, std::uint32_t>> out;
  for (const auto& canon : c.canons) {
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.first == canon.builtin; });
    if (it == out.end()) out.emplace_back(canon.builtin, 1);
    else ++it->second;
  }
  return out;
}

Json interfaceJson(const binary::InterfaceName& n) {
  if (!n.interface) return nullptr;
  return {{"namespace", n.ns}, {"package", n.package}, {"name", n.name}, {"version", n.version}};
}

Json worldItemJson(const binary::WorldItem& item, bool isExport) {
  Json j = {{"name", item.name}, {"kind", item.kind}};
  if (isExport) j["index"] = item.index;
  j["type_index"] = item.typeIndex ? Json(*item.typeIndex) : Json(nullptr);
  if (!item.type.empty()) j["type"] = item.type;
  j["interface"] = interfaceJson(item.interfaceName);
  return j;
}

Json nestedModuleJson(std::size_t index, const binary::NestedModule& m) {
  Json j = {{"index", index}, {"offset", m.offset}, {"size", m.size}};
  if (m.module) {
    j["functions"] = {{"imported", m.module->importedFunctions}, {"defined", m.module->functions.size()}};
    j["imports"] = m.module->imports.size();
    j["exports"] = m.module->exports.size();
    for (const auto& c : m.module->customs)
      if (c.name == "producers") {
        auto p = binary::readProducersSection(c);
        if (!p.warning) j["producers"] = producersJson(p);
        break;
      }
  }
  return j;
}

// The component's world as WIT: the whole document, or only the root
// package (the world itself, as `jco wit` prints it).
Expected<std::string> componentWit(const binary::Component& c, bool rootOnly) {
  WASMOPS_TRY(auto doc, component::witOfComponent(c));
  if (rootOnly && doc.packages.size() > 1) doc.packages.resize(1);
  return component::printWit(doc);
}

std::string producersText(const binary::Module& m) {
  for (const auto& c : m.customs)
    if (c.name == "producers") {
      auto p = binary::readProducersSection(c);
      if (p.warning) return "";
      std::string out;
      for (const auto& f : p.fields)
        for (const auto& v : f.values) out += (out.empty() ? "" : ", ") + v.name + (v.version.empty() ? "" : " " + v.version);
      return out;
    }
  return "";
}

Json componentJson(const binary::Inspection& insp, Json j) {
  j["kind"] = "component";
  j["version"] = insp.component.version;
  j["layer"] = 1;
  Json sections = Json::array();
  for (const auto& s : insp.component.sections)
    sections.push_back({{"id", s.id}, {"name", s.name}, {"offset", s.offset}, {"size", s.size}});
  j["sections"] = sections;
  j["core_modules"] = insp.component.coreModules;
  j["nested_components"] = insp.component.nestedComponents;
  j["custom_sections"] = customSectionsJson(insp.component.sections);
  if (insp.producers) j["producers"] = producersJson(*insp.producers);
  if (insp.decoded) {
    const auto& c = *insp.decoded;
    Json imports = Json::array(), exports = Json::array(), modules = Json::array(), components = Json::array();
    for (const auto& item : insp.world.imports) imports.push_back(worldItemJson(item, false));
    for (const auto& item : insp.world.exports) exports.push_back(worldItemJson(item, true));
    for (std::size_t i = 0; i < c.modules.size(); ++i) modules.push_back(nestedModuleJson(i, c.modules[i]));
    for (std::size_t i = 0; i < c.components.size(); ++i) {
      const auto& n = c.components[i];
      components.push_back({{"index", i}, {"offset", n.offset}, {"size", n.size}, {"imports", n.imports.size()},
                            {"exports", n.exports.size()}});
    }
    j["imports"] = imports;
    j["exports"] = exports;
    j["modules"] = modules;
    j["components"] = components;
    Json canon = Json::object();
    for (const auto& [kind, n] : canonCounts(c)) canon[kind] = n;
    j["canon"] = canon;
    j["definitions"] = {{"core_instances", c.coreInstances.size()}, {"core_types", c.coreTypes.size()},
                        {"instances", c.instances.size()},          {"aliases", c.aliases.size()},
                        {"types", c.types.size()},                  {"canons", c.canons.size()},
                        {"starts", c.starts.size()},                {"values", c.values.size()}};
    auto wit = componentWit(c, false);
    j["wit"] = wit ? Json(*wit) : Json(nullptr);
    if (!wit) j["wit_error"] = wit.error().format();
  }
  j["warnings"] = insp.warnings;
  return j;
}

}  // namespace

Json inspectionToJson(const binary::Inspection& insp, const std::string& file) {
  Json j;
  j["file"] = file;
  j["size"] = insp.fileSize;
  j["sha256"] = insp.sha256;
  if (insp.kind == binary::BinaryKind::Component) return componentJson(insp, std::move(j));

  const auto& m = insp.module;
  j["kind"] = "module";
  j["version"] = 1;
  j["classification"] = {{"kind", binary::toString(insp.classification.kind)},
                         {"reason", insp.classification.reason}};
  j["features"] = m.features.names();
  Json sections = Json::array();
  for (const auto& s : m.sections) {
    Json sj = {{"id", s.id}, {"name", s.name}, {"offset", s.offset}, {"size", s.size}};
    if (s.id != 0 && s.id != 8) sj["count"] = s.count;
    sections.push_back(sj);
  }
  j["sections"] = sections;

  Json types = Json::array();
  for (std::size_t i = 0; i < m.types.size(); ++i) {
    const auto& t = m.types[i];
    Json tj = {{"index", i}};
    if (t.kind == binary::CompositeKind::Func) {
      tj["kind"] = "func";
      tj["params"] = typesJson(t.func.params);
      tj["results"] = typesJson(t.func.results);
    } else {
      tj["kind"] = t.kind == binary::CompositeKind::Struct ? "struct" : "array";
    }
    tj["text"] = binary::toString(t);
    types.push_back(tj);
  }
  j["types"] = types;

  Json imports = Json::array();
  for (const auto& imp : m.imports) {
    Json ij = {{"module", imp.module}, {"name", imp.name}, {"kind", binary::toString(imp.kind)}};
    if (imp.kind == ExternKind::Func || imp.kind == ExternKind::Tag) ij["type_index"] = imp.typeIndex;
    ij["type"] = importType(m, imp);
    imports.push_back(ij);
  }
  j["imports"] = imports;

  Json exports = Json::array();
  for (const auto& e : m.exports) {
    Json ej = {{"name", e.name}, {"kind", binary::toString(e.kind)}, {"index", e.index}};
    if (e.kind == ExternKind::Func)
      if (auto ti = m.functionTypeIndex(e.index))
        if (const auto* ft = m.funcType(*ti)) ej["type"] = binary::toString(*ft);
    exports.push_back(ej);
  }
  j["exports"] = exports;

  j["functions"] = {{"imported", m.importedFunctions}, {"defined", m.functions.size()}};

  Json tables = Json::array();
  std::uint32_t index = 0;
  auto addTable = [&](const binary::TableType& t, bool imported) {
    Json tj = {{"index", index++}, {"imported", imported}, {"element", binary::toString(t.elem)}, {"min", t.limits.min}};
    tj["max"] = t.limits.max ? Json(*t.limits.max) : Json(nullptr);
    tables.push_back(tj);
  };
  for (const auto& imp : m.imports)
    if (imp.kind == ExternKind::Table) addTable(imp.table, true);
  for (const auto& tab : m.tables) addTable(tab.type, false);
  j["tables"] = tables;

  Json memories = Json::array();
  index = 0;
  auto addMemory = [&](const binary::Limits& l, bool imported) {
    Json mj = {{"index", index++}, {"imported", imported}};
    mj.update(limitsJson(l));
    memories.push_back(mj);
  };
  for (const auto& imp : m.imports)
    if (imp.kind == ExternKind::Memory) addMemory(imp.memory, true);
  for (const auto& mem : m.memories) addMemory(mem, false);
  j["memories"] = memories;

  Json globals = Json::array();
  index = 0;
  for (const auto& imp : m.imports)
    if (imp.kind == ExternKind::Global)
      globals.push_back({{"index", index++}, {"imported", true}, {"type", binary::toString(imp.global.type)},
                         {"mutable", imp.global.mutable_}});
  for (const auto& g : m.globals)
    globals.push_back({{"index", index++}, {"imported", false}, {"type", binary::toString(g.type.type)},
                       {"mutable", g.type.mutable_}});
  j["globals"] = globals;

  j["tags"] = m.tags.size() + m.importedTags;
  if (m.start) {
    j["start"] = {{"index", *m.start}, {"name", binary::functionDisplayName(insp, *m.start)}};
  } else {
    j["start"] = nullptr;
  }
  auto dt = dataTotals(m);
  j["data_segments"] = {{"count", m.datas.size()}, {"active", dt.active}, {"passive", dt.passive}, {"bytes", dt.items}};
  if (m.dataCount) j["data_segments"]["data_count"] = *m.dataCount;
  auto et = elemTotals(m);
  j["element_segments"] = {{"count", m.elems.size()},
                           {"active", et.active},
                           {"passive", et.passive},
                           {"declarative", et.declarative},
                           {"elements", et.items}};
  std::uint64_t codeBytes = 0;
  for (const auto& b : m.code) codeBytes += b.size;
  j["code"] = {{"bodies", m.code.size()}, {"bytes", codeBytes}, {"instructions", m.instructionCount}};
  j["custom_sections"] = customSectionsJson(m.sections);
  if (insp.names) {
    Json nj;
    nj["module"] = insp.names->moduleName ? Json(*insp.names->moduleName) : Json(nullptr);
    nj["function_names"] = insp.names->functionNames.size();
    nj["local_names"] = insp.names->localNameCount;
    j["name_section"] = nj;
  } else {
    j["name_section"] = nullptr;
  }
  j["producers"] = insp.producers ? producersJson(*insp.producers) : Json(nullptr);
  if (insp.targetFeatures) {
    Json tf = Json::array();
    for (const auto& f : insp.targetFeatures->features) tf.push_back({{"prefix", std::string(1, f.prefix)}, {"name", f.name}});
    j["target_features"] = tf;
  } else {
    j["target_features"] = nullptr;
  }
  j["warnings"] = insp.warnings;
  return j;
}

namespace {

void field(std::string& out, const std::string& key, const std::string& value) {
  out += fmt::format("{:<12}{}\n", key, value);
}

std::string componentText(const binary::Inspection& insp, const std::string& file) {
  std::string out;
  field(out, "file", file);
  field(out, "size", fmt::format("{} bytes", insp.fileSize));
  field(out, "sha256", insp.sha256);
  field(out, "kind", fmt::format("component (version 0x{:x}, layer 1)", insp.component.version));
  field(out, "contents", fmt::format("{} core modules, {} nested components", insp.component.coreModules,
                                     insp.component.nestedComponents));
  if (insp.decoded) {
    std::string canon;
    for (const auto& [kind, n] : canonCounts(*insp.decoded)) canon += fmt::format("{}{} {}", canon.empty() ? "" : ", ", n, kind);
    field(out, "canon", canon.empty() ? "none" : canon);
    field(out, "world", fmt::format("{} imports, {} exports", insp.world.imports.size(), insp.world.exports.size()));
  }
  out += "\nSections\n";
  TextTable t({"id", "name", "offset", "size"});
  for (const auto& s : insp.component.sections) t.add({std::to_string(s.id), s.name, hex(s.offset), std::to_string(s.size)});
  out += t.render();
  if (!insp.world.imports.empty()) {
    out += fmt::format("\nImports ({})\n", insp.world.imports.size());
    TextTable it({"name", "kind", "type"});
    for (const auto& i : insp.world.imports)
      it.add({i.name, i.kind, !i.type.empty() ? i.type : i.typeIndex ? fmt::format("type {}", *i.typeIndex) : ""});
    out += it.render();
  }
  if (!insp.world.exports.empty()) {
    out += fmt::format("\nExports ({})\n", insp.world.exports.size());
    TextTable et({"name", "kind", "index", "type"});
    for (const auto& e : insp.world.exports)
      et.add({e.name, e.kind, std::to_string(e.index), !e.type.empty() ? e.type : e.typeIndex ? fmt::format("type {}", *e.typeIndex) : ""});
    out += et.render();
  }
  if (insp.decoded) {
    auto wit = componentWit(*insp.decoded, true);
    out += "\nWorld (WIT; `wasmops wit` adds the interfaces)\n";
    out += wit ? *wit : "cannot be described in WIT: " + wit.error().format() + "\n";
  }
  if (insp.decoded && !insp.decoded->modules.empty()) {
    out += fmt::format("\nCore modules ({})\n", insp.decoded->modules.size());
    TextTable mt({"index", "offset", "size", "functions", "imports", "exports", "producers"});
    for (std::size_t i = 0; i < insp.decoded->modules.size(); ++i) {
      const auto& m = insp.decoded->modules[i];
      if (m.module)
        mt.add({std::to_string(i), hex(m.offset), std::to_string(m.size), std::to_string(m.module->totalFunctions()),
                std::to_string(m.module->imports.size()), std::to_string(m.module->exports.size()),
                producersText(*m.module)});
      else
        mt.add({std::to_string(i), hex(m.offset), std::to_string(m.size), "", "", "", ""});
    }
    out += mt.render();
  }
  if (insp.decoded && !insp.decoded->components.empty()) {
    out += fmt::format("\nNested components ({})\n", insp.decoded->components.size());
    TextTable ct({"index", "offset", "size", "imports", "exports"});
    for (std::size_t i = 0; i < insp.decoded->components.size(); ++i) {
      const auto& n = insp.decoded->components[i];
      ct.add({std::to_string(i), hex(n.offset), std::to_string(n.size), std::to_string(n.imports.size()),
              std::to_string(n.exports.size())});
    }
    out += ct.render();
  }
  if (insp.producers && !insp.producers->fields.empty()) {
    out += "\nProducers\n";
    TextTable pt({"field", "name", "version"});
    for (const auto& f : insp.producers->fields)
      for (const auto& v : f.values) pt.add({f.name, v.name, v.version});
    out += pt.render();
  }
  for (const auto& w : insp.warnings) out += "\nwarning: " + w + "\n";
  return out;
}

}  // namespace

std::string inspectionToText(const binary::Inspection& insp, const std::string& file) {
  if (insp.kind == binary::BinaryKind::Component) return componentText(insp, file);
  const auto& m = insp.module;
  std::string out;
  field(out, "file", file);
  field(out, "size", fmt::format("{} bytes", insp.fileSize));
  field(out, "sha256", insp.sha256);
  field(out, "kind", "core module (version 1)");
  std::string cls = binary::toString(insp.classification.kind);
  if (!insp.classification.reason.empty()) cls += " (" + insp.classification.reason + ")";
  field(out, "class", cls);
  auto features = m.features.names();
  field(out, "features", features.empty() ? "none beyond the MVP" : fmt::format("{}", fmt::join(features, ", ")));
  field(out, "functions", fmt::format("{} imported, {} defined", m.importedFunctions, m.functions.size()));
  field(out, "start", m.start ? fmt::format("{} ({})", *m.start, binary::functionDisplayName(insp, *m.start)) : "none");
  auto dt = dataTotals(m);
  field(out, "data", fmt::format("{} segments ({} active, {} passive), {} bytes", m.datas.size(), dt.active, dt.passive, dt.items));
  auto et = elemTotals(m);
  field(out, "elements", fmt::format("{} segments ({} active, {} passive, {} declarative), {} entries", m.elems.size(),
                                     et.active, et.passive, et.declarative, et.items));

  out += "\nSections\n";
  TextTable sections({"id", "name", "offset", "size", "count"});
  for (const auto& s : m.sections)
    sections.add({std::to_string(s.id), s.name, hex(s.offset), std::to_string(s.size), s.id == 0 || s.id == 8 ? "" : std::to_string(s.count)});
  out += sections.render();

  if (!m.types.empty()) {
    out += fmt::format("\nTypes ({})\n", m.types.size());
    TextTable t({"index", "type"});
    for (std::size_t i = 0; i < m.types.size(); ++i) t.add({std::to_string(i), binary::toString(m.types[i])});
    out += t.render();
  }
  if (!m.imports.empty()) {
    out += fmt::format("\nImports ({})\n", m.imports.size());
    TextTable t({"module", "name", "kind", "type"});
    for (const auto& imp : m.imports) t.add({imp.module, imp.name, binary::toString(imp.kind), importType(m, imp)});
    out += t.render();
  }
  if (!m.exports.empty()) {
    out += fmt::format("\nExports ({})\n", m.exports.size());
    TextTable t({"name", "kind", "index", "type"});
    for (const auto& e : m.exports) {
      std::string type;
      if (e.kind == ExternKind::Func)
        if (auto ti = m.functionTypeIndex(e.index))
          if (const auto* ft = m.funcType(*ti)) type = binary::toString(*ft);
      t.add({e.name, binary::toString(e.kind), std::to_string(e.index), type});
    }
    out += t.render();
  }
  if (m.importedMemories + m.memories.size() + m.importedTables + m.tables.size() + m.importedGlobals + m.globals.size() > 0) {
    out += "\nMemories, tables, globals\n";
    TextTable t({"kind", "index", "imported", "type"});
    std::uint32_t mi = 0, ti = 0, gi = 0;
    for (const auto& imp : m.imports) {
      if (imp.kind == ExternKind::Memory) t.add({"memory", std::to_string(mi++), "yes", binary::toString(imp.memory)});
      if (imp.kind == ExternKind::Table)
        t.add({"table", std::to_string(ti++), "yes", binary::toString(imp.table.elem) + " " + binary::toString(imp.table.limits)});
      if (imp.kind == ExternKind::Global)
        t.add({"global", std::to_string(gi++), "yes", (imp.global.mutable_ ? "mut " : "") + binary::toString(imp.global.type)});
    }
    for (const auto& mem : m.memories) t.add({"memory", std::to_string(mi++), "no", binary::toString(mem)});
    for (const auto& tab : m.tables)
      t.add({"table", std::to_string(ti++), "no", binary::toString(tab.type.elem) + " " + binary::toString(tab.type.limits)});
    for (const auto& g : m.globals)
      t.add({"global", std::to_string(gi++), "no", (g.type.mutable_ ? "mut " : "") + binary::toString(g.type.type)});
    out += t.render();
  }
  if (!m.customs.empty()) {
    out += fmt::format("\nCustom sections ({})\n", m.customs.size());
    TextTable t({"name", "offset", "size"});
    for (const auto& s : m.sections)
      if (s.id == 0) t.add({s.name, hex(s.offset), std::to_string(s.size)});
    out += t.render();
  }
  if (insp.names) {
    out += fmt::format("\nName section: module {}, {} function names, {} functions with local names\n",
                       insp.names->moduleName ? "\"" + *insp.names->moduleName + "\"" : "unnamed",
                       insp.names->functionNames.size(), insp.names->localNameCount);
  }
  if (insp.producers && !insp.producers->fields.empty()) {
    out += "\nProducers\n";
    TextTable t({"field", "name", "version"});
    for (const auto& f : insp.producers->fields)
      for (const auto& v : f.values) t.add({f.name, v.name, v.version});
    out += t.render();
  }
  if (insp.targetFeatures && !insp.targetFeatures->features.empty()) {
    std::string list;
    for (const auto& f : insp.targetFeatures->features) list += fmt::format("{}{}{}", list.empty() ? "" : " ", f.prefix, f.name);
    out += "\nTarget features: " + list + "\n";
  }
  for (const auto& w : insp.warnings) out += "\nwarning: " + w + "\n";
  return out;
}

}  // namespace wasmops::cli
