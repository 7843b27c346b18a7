#include "app/SpinManifest.h"

// toml++ header-only and without exceptions, in this one file: errors come
// back as parse_result values, and no shared library joins every start.
#define TOML_EXCEPTIONS 0
#define TOML_HEADER_ONLY 1
#define TOML_ENABLE_FORMATTERS 0
#include <toml++/toml.h>

#include <sys/stat.h>

#include <fmt/format.h>
#include <algorithm>
#include <map>
#include <set>

#include "base/AtomicFile.h"
#include "app/FileGlob.h"

namespace wasmops::app {
namespace {

constexpr std::size_t kMaxManifestBytes = 4u << 20;

using Entry = std::pair<const toml::key*, const toml::node*>;

// toml++ keeps tables sorted by key; Spin keeps document order (IndexMap).
std::vector<Entry> inDocumentOrder(const toml::table& t) {
  std::vector<Entry> out;
  for (const auto& [k, v] : t) out.emplace_back(&k, &v);
  std::stable_sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) {
    auto pa = a.first->source().begin, pb = b.first->source().begin;
    return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
  });
  return out;
}

std::string keyName(const toml::key& k) {
  return std::string(k.str());
}

bool isFile(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}
bool isFolder(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}
bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

// "/a/./b/" -> "a/b"; nullopt when a ".." would leave the root.
std::optional<std::string> normalizeRelative(std::string_view path) {
  std::string out;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    auto part = path.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (part == "..") return std::nullopt;
    if (!part.empty() && part != ".") {
      if (!out.empty()) out += '/';
      out += part;
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

std::string joinGuest(const std::string& dir, const std::string& rel) {
  return dir.empty() ? rel : dir + "/" + rel;
}

// The host part of an allowed_outbound_hosts entry ("http://x.spin.internal:80").
bool isServiceChainingHost(std::string_view pattern) {
  auto scheme = pattern.find("://");
  if (scheme != std::string_view::npos) pattern.remove_prefix(scheme + 3);
  auto end = pattern.find_first_of(":/");
  std::string_view host = pattern.substr(0, end);
  constexpr std::string_view kSuffix = ".spin.internal";
  return host.size() >= kSuffix.size() && host.substr(host.size() - kSuffix.size()) == kSuffix;
}

std::string formatDate(const toml::date& d) {
  return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day);
}
std::string formatTime(const toml::time& t) {
  std::string s = fmt::format("{:02}:{:02}:{:02}", t.hour, t.minute, t.second);
  if (t.nanosecond) s += fmt::format(".{:09}", t.nanosecond);
  return s;
}

// TOML values as JSON, as Spin converts toml::Table into serde_json::Value
// for trigger configs; dates become their TOML text.
SpinJson toJson(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::table: {
      SpinJson out = SpinJson::object();
      for (const auto& [k, v] : *n.as_table()) out[keyName(k)] = toJson(v);
      return out;
    }
    case toml::node_type::array: {
      SpinJson out = SpinJson::array();
      for (const auto& v : *n.as_array()) out.push_back(toJson(v));
      return out;
    }
    case toml::node_type::string: return n.as_string()->get();
    case toml::node_type::integer: return n.as_integer()->get();
    case toml::node_type::floating_point: return n.as_floating_point()->get();
    case toml::node_type::boolean: return n.as_boolean()->get();
    case toml::node_type::date: return formatDate(n.as_date()->get());
    case toml::node_type::time: return formatTime(n.as_time()->get());
    case toml::node_type::date_time: {
      const auto& dt = n.as_date_time()->get();
      std::string s = formatDate(dt.date) + "T" + formatTime(dt.time);
      if (dt.offset) {
        int m = dt.offset->minutes;
        s += m == 0 ? std::string("Z")
                    : fmt::format("{}{:02}:{:02}", m < 0 ? '-' : '+', std::abs(m) / 60, std::abs(m) % 60);
      }
      return s;
    }
    case toml::node_type::none: break;
  }
  return nullptr;
}

class ManifestParser {
 public:
  ManifestParser(std::string path, std::string root) : path_(std::move(path)), root_(std::move(root)) {}

  Expected<SpinApp> parse(std::string_view text) {
    auto parsed = toml::parse(text, std::string_view(path_));
    if (!parsed) {
      const auto& e = parsed.error();
      Error err(ErrorCode::Malformed, "TOML: " + std::string(e.description()));
      err.file = path_;
      err.line = e.source().begin.line;
      err.column = e.source().begin.column;
      return Unexpected(std::move(err));
    }
    const toml::table& doc = parsed.table();
    WASMOPS_TRY_VOID(checkVersion(doc));
    for (const auto& [k, v] : inDocumentOrder(doc)) {
      static const std::set<std::string> kKnown = {"spin_manifest_version", "application", "variables", "trigger",
                                                   "component"};
      if (!kKnown.count(keyName(*k)))
        return fail(*v, ErrorCode::Invalid, fmt::format("unknown key \"{}\" at the top level", keyName(*k)));
    }
    app_.manifestPath = path_;
    WASMOPS_TRY_VOID(parseApplication(doc));
    WASMOPS_TRY_VOID(parseVariables(doc));
    if (const auto* comps = doc.get("component")) {
      const auto* table = comps->as_table();
      if (!table) return fail(*comps, ErrorCode::Invalid, "\"component\" must be a table of [component.NAME] tables");
      for (const auto& [k, v] : inDocumentOrder(*table)) {
        std::string id = keyName(*k);
        if (!isKebabId(id))
          return fail(*v, ErrorCode::Invalid,
                      fmt::format("component name \"{}\" must be kebab-case (lowercase words of letters and digits "
                                  "joined by '-', each starting with a letter)",
                                  id));
        WASMOPS_TRY_VOID(parseComponent(id, *v));
      }
    }
    WASMOPS_TRY_VOID(parseTriggers(doc));
    bool chaining = false;
    for (const auto& c : app_.locked.components) chaining = chaining || !c.hostRequirements.empty();
    if (chaining) app_.locked.mustUnderstand.emplace_back("component_host_requirements");
    return std::move(app_);
  }

 private:
  Unexpected fail(const toml::node& n, ErrorCode code, std::string message) const {
    return failAt(n.source().begin, code, std::move(message));
  }
  Unexpected failAt(toml::source_position pos, ErrorCode code, std::string message) const {
    Error err(code, std::move(message));
    err.file = path_;
    if (pos) {
      err.line = pos.line;
      err.column = pos.column;
    }
    return Unexpected(std::move(err));
  }

  Expected<std::string> string(const toml::node& n, std::string_view what) const {
    if (const auto* s = n.as_string()) return s->get();
    return fail(n, ErrorCode::Invalid, fmt::format("{} must be a string", what));
  }
  Expected<bool> boolean(const toml::node& n, std::string_view what) const {
    if (const auto* b = n.as_boolean()) return b->get();
    return fail(n, ErrorCode::Invalid, fmt::format("{} must be true or false", what));
  }
  Expected<std::vector<std::string>> strings(const toml::node& n, std::string_view what) const {
    const auto* arr = n.as_array();
    if (!arr) return fail(n, ErrorCode::Invalid, fmt::format("{} must be a list of strings", what));
    std::vector<std::string> out;
    for (const auto& v : *arr) {
      WASMOPS_TRY(auto s, string(v, fmt::format("each entry of {}", what)));
      out.push_back(std::move(s));
    }
    return out;
  }
  Expected<std::map<std::string, std::string>> stringTable(const toml::node& n, std::string_view what) const {
    const auto* t = n.as_table();
    if (!t) return fail(n, ErrorCode::Invalid, fmt::format("{} must be a table of strings", what));
    std::map<std::string, std::string> out;
    for (const auto& [k, v] : *t) {
      WASMOPS_TRY(auto s, string(v, fmt::format("{}.{}", what, keyName(k))));
      out[keyName(k)] = std::move(s);
    }
    return out;
  }

  Expected<void> checkVersion(const toml::table& doc) const {
    const auto* v = doc.get("spin_manifest_version");
    if (!v) {
      if (const auto* old = doc.get("spin_version"))
        return fail(*old, ErrorCode::Unsupported,
                    "Spin manifest version 1 (spin_version) is not supported; convert it to version 2 (`spin doctor` "
                    "does this) and write spin_manifest_version = 2");
      return failAt({1, 1}, ErrorCode::Invalid,
                    "not a Spin application manifest: spin_manifest_version = 2 is missing");
    }
    bool two = (v->is_integer() && v->as_integer()->get() == 2) || (v->is_string() && v->as_string()->get() == "2");
    if (!two)
      return fail(*v, ErrorCode::Unsupported, "spin_manifest_version must be 2 (the only version wasmops reads)");
    return {};
  }

  Expected<void> parseApplication(const toml::table& doc) {
    const auto* node = doc.get("application");
    if (!node) return failAt({1, 1}, ErrorCode::Invalid, "the [application] table is missing");
    const auto* t = node->as_table();
    if (!t) return fail(*node, ErrorCode::Invalid, "\"application\" must be a table");
    auto& meta = app_.locked.metadata;
    SpinJson globals = SpinJson::object();
    bool haveName = false;
    for (const auto& [k, v] : inDocumentOrder(*t)) {
      std::string key = keyName(*k);
      if (key == "name" || key == "version" || key == "description") {
        WASMOPS_TRY(auto s, string(*v, "application." + key));
        if (key == "name") haveName = true;
        if (!s.empty()) meta[key] = s;  // ValuesMapBuilder::string skips empty strings
      } else if (key == "authors") {
        WASMOPS_TRY(auto list, strings(*v, "application.authors"));
        if (!list.empty()) meta["authors"] = list;
      } else if (key == "trigger") {
        const auto* triggers = v->as_table();
        if (!triggers) return fail(*v, ErrorCode::Invalid, "application.trigger must be a table of trigger settings");
        for (const auto& [type, settings] : *triggers) {
          if (!settings.is_table())
            return fail(settings, ErrorCode::Invalid,
                        fmt::format("application.trigger.{} must be a table", keyName(type)));
          globals[keyName(type)] = toJson(settings);
        }
      } else if (key == "targets" || key == "tool") {
        // Build-time compatibility checks and tool settings: Spin does not
        // put them in the locked application either.
      } else {
        return fail(*v, ErrorCode::Invalid, fmt::format("unknown key \"{}\" in [application]", key));
      }
    }
    if (!haveName) return fail(*node, ErrorCode::Invalid, "[application] has no name");
    meta["triggers"] = globals;
    globals_ = std::move(globals);
    return {};
  }

  Expected<void> parseVariables(const toml::table& doc) {
    const auto* node = doc.get("variables");
    if (!node) return {};
    const auto* t = node->as_table();
    if (!t) return fail(*node, ErrorCode::Invalid, "\"variables\" must be a table");
    for (const auto& [k, v] : inDocumentOrder(*t)) {
      std::string name = keyName(*k);
      if (!isLowerSnakeId(name))
        return fail(*v, ErrorCode::Invalid, fmt::format("variable name \"{}\" must be lower snake_case", name));
      const auto* vt = v->as_table();
      if (!vt) return fail(*v, ErrorCode::Invalid, fmt::format("variables.{} must be a table", name));
      LockedVariable var;
      bool required = false;
      for (const auto& [fk, fv] : *vt) {
        std::string field = keyName(fk);
        std::string what = fmt::format("variables.{}.{}", name, field);
        if (field == "description") {
          WASMOPS_TRY_ASSIGN(var.description, string(fv, what));
        } else if (field == "default") {
          WASMOPS_TRY_ASSIGN(var.defaultValue, string(fv, what));
        } else if (field == "required") {
          WASMOPS_TRY_ASSIGN(required, boolean(fv, what));
        } else if (field == "secret") {
          WASMOPS_TRY_ASSIGN(var.secret, boolean(fv, what));
        } else {
          return fail(fv, ErrorCode::Invalid, fmt::format("unknown key \"{}\" in variables.{}", field, name));
        }
      }
      if (required == var.defaultValue.has_value())
        return fail(*v, ErrorCode::Invalid, fmt::format("variables.{} must be `required` OR have a `default`", name));
      app_.locked.variables[name] = std::move(var);
    }
    return {};
  }

  Expected<void> parseComponent(const std::string& id, const toml::node& node) {
    const auto* t = node.as_table();
    if (!t) return fail(node, ErrorCode::Invalid, fmt::format("component.{} must be a table", id));
    LockedComponent c;
    c.id = id;
    LocalComponent local;
    std::string where = "component." + id;
    const toml::node* files = nullptr;
    std::vector<std::string> excludes;
    std::vector<std::string> hosts;
    bool haveSource = false;
    for (const auto& [k, v] : inDocumentOrder(*t)) {
      std::string key = keyName(*k);
      std::string what = fmt::format("{}.{}", where, key);
      if (key == "source") {
        WASMOPS_TRY_ASSIGN(local.wasmPath, sourcePath(id, *v));
        haveSource = true;
      } else if (key == "description") {
        WASMOPS_TRY(auto s, string(*v, what));
        if (!s.empty()) c.metadata["description"] = s;
      } else if (key == "variables") {
        WASMOPS_TRY_ASSIGN(c.config, stringTable(*v, what));
        for (const auto& [name, value] : c.config)
          if (!isLowerSnakeId(name))
            return fail(*v, ErrorCode::Invalid,
                        fmt::format("{}: variable name \"{}\" must be lower snake_case", what, name));
      } else if (key == "environment") {
        WASMOPS_TRY_ASSIGN(c.env, stringTable(*v, what));
      } else if (key == "files") {
        if (!v->is_array()) return fail(*v, ErrorCode::Invalid, what + " must be a list");
        files = v;
      } else if (key == "exclude_files") {
        WASMOPS_TRY_ASSIGN(excludes, strings(*v, what));
      } else if (key == "allowed_outbound_hosts") {
        WASMOPS_TRY_ASSIGN(hosts, strings(*v, what));
      } else if (key == "allowed_http_hosts") {
        WASMOPS_TRY(auto list, strings(*v, what));
        if (!list.empty())
          return fail(*v, ErrorCode::Unsupported,
                      what +
                          " is deprecated and not supported; list the hosts in allowed_outbound_hosts "
                          "(e.g. \"https://example.com\")");
      } else if (key == "key_value_stores" || key == "sqlite_databases" || key == "ai_models") {
        WASMOPS_TRY(auto list, strings(*v, what));
        if (!list.empty()) c.metadata[key == "sqlite_databases" ? "databases" : key] = list;
      } else if (key == "build") {
        WASMOPS_TRY(auto build, buildConfig(*v, what));
        c.metadata["build"] = std::move(build);
      } else if (key == "dependencies") {
        const auto* deps = v->as_table();
        if (!deps) return fail(*v, ErrorCode::Invalid, what + " must be a table");
        if (!deps->empty())
          return fail(*v, ErrorCode::Unsupported,
                      what +
                          ": component dependencies are not supported yet; compose the component first "
                          "(e.g. with `wac plug`) and name the result as source");
      } else if (key == "targets" || key == "tool" || key == "profile" || key == "dependencies_inherit_configuration") {
        // Not part of the locked application (profiles apply only with
        // `spin build --profile`).
      } else {
        return fail(*v, ErrorCode::Invalid, fmt::format("unknown key \"{}\" in [{}]", key, where));
      }
    }
    if (!haveSource) return fail(node, ErrorCode::Invalid, fmt::format("[{}] has no source", where));
    if (!hosts.empty()) c.metadata["allowed_outbound_hosts"] = hosts;
    if (std::any_of(hosts.begin(), hosts.end(), isServiceChainingHost))
      c.hostRequirements["local_service_chaining"] = "required";
    if (files) WASMOPS_TRY_ASSIGN(local.files, resolveFiles(where, *files->as_array(), excludes));
    app_.locked.components.push_back(std::move(c));
    app_.local.push_back(std::move(local));
    return {};
  }

  Expected<std::string> sourcePath(const std::string& id, const toml::node& v) const {
    if (const auto* t = v.as_table()) {
      if (t->contains("url"))
        return fail(v, ErrorCode::Unsupported,
                    fmt::format("component \"{}\": URL sources are not supported yet; download the file (and "
                                "check its digest) and name the local path as source",
                                id));
      if (t->contains("package") || t->contains("registry"))
        return fail(v, ErrorCode::Unsupported,
                    fmt::format("component \"{}\": registry sources are not supported yet; fetch the component and "
                                "name the local path as source",
                                id));
      return fail(v, ErrorCode::Invalid, fmt::format("component \"{}\": source must be a path", id));
    }
    WASMOPS_TRY(auto rel, string(v, fmt::format("component.{}.source", id)));
    std::string path = !rel.empty() && rel.front() == '/' ? rel : root_ + "/" + rel;
    if (!exists(path))
      return fail(v, ErrorCode::NotFound, fmt::format("component \"{}\": source \"{}\" does not exist", id, rel));
    if (!isFile(path))
      return fail(v, ErrorCode::Invalid, fmt::format("component \"{}\": source \"{}\" is not a file", id, rel));
    return path;
  }

  // Spin's ComponentBuildConfig: command (string or list), workdir, watch;
  // serialized without an absent workdir or an empty watch list.
  Expected<SpinJson> buildConfig(const toml::node& v, const std::string& what) const {
    const auto* t = v.as_table();
    if (!t) return fail(v, ErrorCode::Invalid, what + " must be a table");
    SpinJson out = SpinJson::object();
    for (const auto& [k, val] : *t) {
      std::string key = keyName(k);
      if (key == "command") {
        if (val.is_string()) {
          out["command"] = val.as_string()->get();
        } else {
          WASMOPS_TRY(auto list, strings(val, what + ".command"));
          out["command"] = list;
        }
      } else if (key == "workdir") {
        WASMOPS_TRY(auto s, string(val, what + ".workdir"));
        out["workdir"] = s;
      } else if (key == "watch") {
        WASMOPS_TRY(auto list, strings(val, what + ".watch"));
        if (!list.empty()) out["watch"] = list;
      } else {
        return fail(val, ErrorCode::Invalid, fmt::format("unknown key \"{}\" in {}", key, what));
      }
    }
    if (!out.contains("command")) return fail(v, ErrorCode::Invalid, what + " has no command");
    return out;
  }

  // Spin's copy_file_mounts, without copying: which host file appears at
  // which guest path.
  Expected<std::vector<LocalFile>> resolveFiles(const std::string& where, const toml::array& mounts,
                                                const std::vector<std::string>& excludes) const {
    std::map<std::string, std::string> byGuest;  // guest -> host
    auto excluded = [&](const std::string& appRelative) {
      return std::any_of(excludes.begin(), excludes.end(),
                         [&](const std::string& p) { return excludePatternMatches(p, appRelative); });
    };
    for (const auto& mount : mounts) {
      std::vector<std::pair<std::string, std::string>> found;  // guest, app-relative host path
      if (const auto* s = mount.as_string()) {
        WASMOPS_TRY_ASSIGN(found, patternFiles(where, mount, s->get(), excluded));
      } else if (const auto* t = mount.as_table()) {
        WASMOPS_TRY_ASSIGN(found, placementFiles(where, mount, *t, excluded));
      } else {
        return fail(mount, ErrorCode::Invalid,
                    where + ".files entries must be paths or { source = \"...\", destination = \"...\" } tables");
      }
      for (auto& [guest, host] : found) {
        auto [it, inserted] = byGuest.emplace(guest, host);
        if (!inserted && it->second != host)
          return fail(
              mount, ErrorCode::Invalid,
              fmt::format("{}.files: \"/{}\" would hold both \"{}\" and \"{}\"", where, guest, it->second, host));
      }
    }
    std::vector<LocalFile> out;
    out.reserve(byGuest.size());
    for (const auto& [guest, host] : byGuest) out.push_back({fmt::format("{}/{}", root_, host), guest});
    return out;
  }

  template <typename Excluded>
  Expected<std::vector<std::pair<std::string, std::string>>> patternFiles(const std::string& where,
                                                                          const toml::node& node,
                                                                          const std::string& pattern,
                                                                          const Excluded& excluded) const {
    std::string_view p = pattern;
    if (p == "." || p == ".." || p.ends_with("/.") || p.ends_with("/.."))
      return fail(node, ErrorCode::Invalid,
                  fmt::format("{}.files: a file pattern cannot end in \".\" or \"..\" (\"{}\"); to include a folder "
                              "use {{ source = \"DIR\", destination = \"/\" }} or a pattern ending in **/*",
                              where, pattern));
    auto rel = normalizeRelative(p);
    if (!rel || (!p.empty() && p.front() == '/'))
      return fail(node, ErrorCode::Invalid,
                  fmt::format("{}.files: \"{}\" is outside the application folder", where, pattern));
    std::vector<std::pair<std::string, std::string>> out;
    std::string host = root_ + "/" + *rel;
    if (!rel->empty() && exists(host)) {
      if (isFolder(host)) {
        // Spin's documented rule (spinframework/spin#1488): "dir" is
        // mounted at /dir, as { source = "dir", destination = "dir" }.
        WASMOPS_TRY(auto list, listFilesRecursively(host));
        for (const auto& f : list)
          if (!excluded(*rel + "/" + f)) out.emplace_back(*rel + "/" + f, *rel + "/" + f);
      } else {
        out.emplace_back(*rel, *rel);
      }
      return out;
    }
    if (!looksLikeGlob(p))
      return fail(node, ErrorCode::NotFound,
                  fmt::format("{}.files: \"{}\" does not exist and is not a glob pattern", where, pattern));
    auto list = expandGlob(root_, p);
    if (!list) return fail(node, list.error().code, where + ".files: " + list.error().message);
    for (const auto& f : *list)
      if (!excluded(f)) out.emplace_back(f, f);
    return out;
  }

  template <typename Excluded>
  Expected<std::vector<std::pair<std::string, std::string>>> placementFiles(const std::string& where,
                                                                            const toml::node& node,
                                                                            const toml::table& t,
                                                                            const Excluded& excluded) const {
    const auto* srcNode = t.get("source");
    const auto* dstNode = t.get("destination");
    if (!srcNode || !dstNode || t.size() != 2)
      return fail(node, ErrorCode::Invalid,
                  where + ".files: a mount table has exactly the keys source and destination");
    WASMOPS_TRY(auto source, string(*srcNode, where + ".files source"));
    WASMOPS_TRY(auto destination, string(*dstNode, where + ".files destination"));
    auto src = normalizeRelative(source);
    if (!src || (!source.empty() && source.front() == '/'))
      return fail(*srcNode, ErrorCode::Invalid,
                  fmt::format("{}.files: source \"{}\" is outside the application folder", where, source));
    auto dst = normalizeRelative(destination);
    if (!dst)
      return fail(*dstNode, ErrorCode::Invalid,
                  fmt::format("{}.files: destination \"{}\" leaves the component's root", where, destination));
    std::string host = src->empty() ? root_ : root_ + "/" + *src;
    if (!exists(host))
      return fail(*srcNode, ErrorCode::NotFound,
                  fmt::format("{}.files: file or folder \"{}\" does not exist", where, source));
    std::vector<std::pair<std::string, std::string>> out;
    if (isFolder(host)) {
      WASMOPS_TRY(auto list, listFilesRecursively(host));
      for (const auto& f : list) {
        std::string appRelative = src->empty() ? f : *src + "/" + f;
        if (!excluded(appRelative)) out.emplace_back(joinGuest(*dst, f), appRelative);
      }
      return out;
    }
    std::string_view d = destination;
    if (dst->empty() || d.ends_with("/") || d.ends_with("."))
      return fail(*dstNode, ErrorCode::Invalid,
                  fmt::format("{}.files: \"{}\" is not a valid destination file name for the file \"{}\"", where,
                              destination, source));
    out.emplace_back(*dst, *src);
    return out;
  }

  struct PendingTrigger {
    std::string type;
    const toml::table* table;
    std::size_t index;
    std::string id;
    std::string component;
  };

  Expected<void> parseTriggers(const toml::table& doc) {
    const auto* node = doc.get("trigger");
    if (!node) return failAt({1, 1}, ErrorCode::Invalid, "the application has no triggers ([[trigger.http]])");
    const auto* t = node->as_table();
    if (!t) return fail(*node, ErrorCode::Invalid, "\"trigger\" must be a table of [[trigger.TYPE]] lists");
    std::vector<PendingTrigger> pending;
    std::set<std::string> ids;
    for (const auto& [k, v] : inDocumentOrder(*t)) {
      std::string type = keyName(*k);
      const auto* arr = v->as_array();
      if (!arr || !arr->is_array_of_tables())
        return fail(*v, ErrorCode::Invalid,
                    fmt::format("trigger.{} must be a list of tables: write [[trigger.{}]]", type, type));
      for (std::size_t i = 0; i < arr->size(); ++i) {
        const auto* tt = (*arr)[i].as_table();
        PendingTrigger p{type, tt, i, {}, {}};
        if (const auto* id = tt->get("id")) {
          WASMOPS_TRY_ASSIGN(p.id, string(*id, fmt::format("trigger.{}[{}].id", type, i)));
          if (!p.id.empty() && !ids.insert(p.id).second)
            return fail(*id, ErrorCode::Invalid, fmt::format("trigger id \"{}\" is used twice", p.id));
        }
        pending.push_back(std::move(p));
      }
    }
    // normalize_trigger_ids: "<component>-<type>-trigger", else
    // "<type>-trigger<N>".
    std::map<std::string, int> counters;
    for (auto& p : pending) {
      if (!p.id.empty()) continue;
      if (const auto* c = p.table->get("component"); c && c->is_string()) {
        std::string candidate = c->as_string()->get() + "-" + p.type + "-trigger";
        if (ids.insert(candidate).second) {
          p.id = candidate;
          continue;
        }
      }
      int& counter = counters.try_emplace(p.type, 1).first->second;
      for (;; ++counter) {
        std::string candidate = p.type + "-trigger" + std::to_string(counter);
        if (ids.insert(candidate).second) {
          p.id = candidate;
          break;
        }
      }
    }
    // normalize_inline_components: "<trigger id>-component", else
    // "inline-componentN"; appended after the named components.
    int inlineCounter = 1;
    for (auto& p : pending) {
      std::string where = fmt::format("trigger.{}[{}]", p.type, p.index);
      const auto* c = p.table->get("component");
      if (!c) return fail(*p.table, ErrorCode::Invalid, where + " names no component");
      if (c->is_table()) {
        std::string id = p.id + "-component";
        if (!isKebabId(id) || hasComponent(id)) {
          for (;; ++inlineCounter) {
            id = "inline-component" + std::to_string(inlineCounter);
            if (!hasComponent(id)) break;
          }
        }
        WASMOPS_TRY_VOID(parseComponent(id, *c));
        p.component = id;
      } else {
        WASMOPS_TRY_ASSIGN(p.component, string(*c, where + ".component"));
        if (!hasComponent(p.component)) {
          std::string known;
          for (const auto& comp : app_.locked.components) known += (known.empty() ? "" : ", ") + comp.id;
          return fail(
              *c, ErrorCode::Invalid,
              fmt::format("{}: component \"{}\" is not defined ({})", where, p.component,
                          known.empty() ? "the manifest has no [component.NAME] tables" : "components: " + known));
        }
      }
    }
    std::set<std::string> types;
    for (const auto& p : pending) {
      std::string where = fmt::format("trigger.{}[{}]", p.type, p.index);
      LockedTrigger lt;
      lt.id = p.id;
      lt.type = p.type;
      for (const auto& [k, v] : *p.table) {
        std::string key = keyName(k);
        if (key == "components" || key == "dependencies")
          return fail(
              v, ErrorCode::Unsupported,
              fmt::format("{}.{} (trigger-specific extra components or middleware) is not supported yet", where, key));
        if (key == "id" || key == "component") continue;
        lt.config[key] = toJson(v);
      }
      lt.config["component"] = p.component;
      if (p.type == "http" && !p.table->contains("route"))
        return fail(*p.table, ErrorCode::Invalid, where + " has no route (e.g. route = \"/...\")");
      types.insert(p.type);
      app_.locked.triggers.push_back(std::move(lt));
    }
    // Spin keeps a single trigger type's global settings also under
    // "trigger" with its "type", for older hosts.
    if (types.size() == 1) {
      const std::string& type = *types.begin();
      SpinJson single = globals_.contains(type) ? globals_[type] : SpinJson::object();
      single["type"] = type;
      app_.locked.metadata["trigger"] = single;
    }
    return {};
  }

  bool hasComponent(const std::string& id) const {
    return std::any_of(app_.locked.components.begin(), app_.locked.components.end(),
                       [&](const LockedComponent& c) { return c.id == id; });
  }

  std::string path_;
  std::string root_;
  SpinApp app_;
  SpinJson globals_ = SpinJson::object();
};

}  // namespace

Expected<SpinApp> parseSpinManifest(std::string_view text, const std::string& path, const std::string& root) {
  return ManifestParser(path, root).parse(text);
}

Expected<SpinApp> loadSpinManifest(const std::string& path) {
  WASMOPS_TRY(auto text, base::readSmallFile(path, kMaxManifestBytes));
  auto slash = path.rfind('/');
  std::string root = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  return parseSpinManifest(text, path, root);
}

}  // namespace wasmops::app
