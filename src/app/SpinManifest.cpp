#include "app/SpinManifest.h"

#include "app/Toml.h"  // toml++, configured for this layer

#include <sys/stat.h>

#include <fmt/format.h>
#include <algorithm>
#include <map>
#include <set>

#include "base/FileKind.h"
#include "app/FileMounts.h"
#include "app/ManifestHints.h"
#include "app/OutboundHosts.h"
#include "app/Variables.h"
#include "base/AtomicFile.h"

namespace wasmops::app {
namespace {

constexpr std::size_t kMaxManifestBytes = 4u << 20;

using Entry = std::pair<const toml::key*, const toml::node*>;

// toml++ keeps tables sorted by key; Spin keeps document order (IndexMap).
std::vector<Entry> inDocumentOrder(const toml::table& t) {
  std::vector<Entry> out;
  for (const auto& [k, v] : t) out.emplace_back(&k, &v);
  // Keys of one table sit at distinct positions, so std::sort is stable here
  // (std::stable_sort does not build with clang 19 and libstdc++ 12: Diagnostic.h).
  std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) {
    auto pa = a.first->source().begin, pb = b.first->source().begin;
    if (pa.line != pb.line) return pa.line < pb.line;
    if (pa.column != pb.column) return pa.column < pb.column;
    return a.first < b.first;  // no two keys share a position; a total order all the same
  });
  return out;
}

std::string keyName(const toml::key& k) {
  return std::string(k.str());
}

using base::isDirectory;
using base::isRegularFile;
using base::pathExists;

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

toml::source_position positionOf(const toml::key& k) {
  return k.source().begin;
}

class ManifestParser {
 public:
  ManifestParser(std::string path, std::string root, ManifestOptions options)
      : path_(std::move(path)), root_(std::move(root)), options_(options) {}

  ManifestCheck check(std::string_view text) {
    ManifestCheck out;
    run(text);
    sortByPosition(diags_);
    if (!hasErrors(diags_)) {
      for (const auto& d : diags_) app_.warnings.push_back(d);
      out.app = std::move(app_);
    }
    out.diagnostics = std::move(diags_);
    return out;
  }

 private:
  void run(std::string_view text) {
    auto parsed = parseTomlDocument(text, path_, diags_);
    if (!parsed) return;
    const toml::table& doc = *parsed;
    if (!doc.contains("spin_manifest_version")) {
      if (const auto* old = doc.get("spin_version")) {
        keep(fail(*old, ErrorCode::Unsupported,
                  "Spin manifest version 1 (spin_version) is not supported; convert it to version 2 (`spin doctor` "
                  "does this) and write spin_manifest_version = 2"));
        return;  // a version 1 manifest would only add noise below
      }
    }
    keep(checkVersion(doc));
    app_.manifestPath = path_;
    for (const auto& [k, v] : inDocumentOrder(doc)) {
      std::string key = keyName(*k);
      if (key == "spin_manifest_version" || key == "application" || key == "variables" || key == "trigger" ||
          key == "component")
        continue;
      if (key == "name" || key == "version" || key == "description" || key == "authors")
        warn(*k, fmt::format("\"{}\" at the top level is ignored; it belongs in [application]", key));
      else
        warn(*k, fmt::format("unknown key \"{}\" at the top level is ignored{}", key,
                             suggestion(key, {"spin_manifest_version", "application", "variables", "trigger",
                                              "component"})));
    }
    keep(parseApplication(doc));
    keep(parseVariables(doc));
    if (const auto* comps = doc.get("component")) {
      if (const auto* table = comps->as_table()) {
        for (const auto& [k, v] : inDocumentOrder(*table)) {
          std::string id = keyName(*k);
          if (!isKebabId(id)) {
            keep(fail(*v, ErrorCode::Invalid,
                      fmt::format("component name \"{}\" must be kebab-case (lowercase words of letters and digits "
                                  "joined by '-', each starting with a letter)",
                                  id)));
            continue;
          }
          keep(parseComponent(id, *v));
        }
      } else {
        keep(fail(*comps, ErrorCode::Invalid, "\"component\" must be a table of [component.NAME] tables"));
      }
    }
    keep(parseTriggers(doc));
    bool chaining = false;
    for (const auto& c : app_.locked.components) chaining = chaining || !c.hostRequirements.empty();
    if (chaining) app_.locked.mustUnderstand.emplace_back("component_host_requirements");
  }

  void keep(const Expected<void>& r) {
    if (r) return;
    const Error& e = r.error();
    diags_.push_back({Severity::Error, e.code, e.message, e.line.value_or(0), e.column.value_or(0)});
  }
  void warn(const toml::key& k, std::string message) {
    auto pos = positionOf(k);
    diags_.push_back({Severity::Warning, ErrorCode::Invalid, std::move(message), pos.line, pos.column});
  }
  void warn(const toml::node& n, std::string message) {
    auto pos = n.source().begin;
    diags_.push_back({Severity::Warning, ErrorCode::Invalid, std::move(message), pos.line, pos.column});
  }

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
    if (!v)
      return failAt({1, 1}, ErrorCode::Invalid,
                    "spin_manifest_version = 2 is missing: wasmops reads Spin manifest version 2 (spin.toml and "
                    "wasmops.toml share its schema; version 1 is not supported); add spin_manifest_version = 2 "
                    "as the first line");
    bool two = (v->is_integer() && v->as_integer()->get() == 2) || (v->is_string() && v->as_string()->get() == "2");
    if (!two)
      return fail(*v, ErrorCode::Unsupported,
                  "spin_manifest_version must be 2: it is the only manifest version wasmops reads");
    return {};
  }

  Expected<void> parseApplication(const toml::table& doc) {
    const auto* node = doc.get("application");
    if (!node)
      return failAt({1, 1}, ErrorCode::Invalid, "the [application] table is missing (it needs at least a name)");
    const auto* t = node->as_table();
    if (!t) return fail(*node, ErrorCode::Invalid, "\"application\" must be a table");
    auto& meta = app_.locked.metadata;
    SpinJson globals = SpinJson::object();
    bool haveName = false;
    for (const auto& [k, v] : inDocumentOrder(*t)) {
      std::string key = keyName(*k);
      if (key == "name" || key == "version" || key == "description") {
        auto s = string(*v, "application." + key);
        if (!s) {
          keep(Unexpected(s.error()));
          continue;
        }
        if (key == "name") haveName = true;
        if (!s->empty()) meta[key] = *s;  // ValuesMapBuilder::string skips empty strings
      } else if (key == "authors") {
        auto list = strings(*v, "application.authors");
        if (!list) keep(Unexpected(list.error()));
        else if (!list->empty()) meta["authors"] = *list;
      } else if (key == "trigger") {
        keep(parseAppTriggers(doc, *v, globals));
      } else if (key == "targets" || key == "tool") {
        // Build-time compatibility checks and tool settings: Spin does not
        // put them in the locked application either.
        warn(*k, fmt::format("application.{} is not supported by wasmops yet and is ignored", key));
      } else {
        warn(*k, fmt::format("unknown key \"{}\" in [application] is ignored{}", key,
                             suggestion(key, {"name", "version", "description", "authors", "trigger"})));
      }
    }
    if (!haveName) keep(fail(*node, ErrorCode::Invalid, "[application] has no name (e.g. name = \"my-app\")"));
    meta["triggers"] = globals;
    globals_ = std::move(globals);
    return {};
  }

  // [application.trigger.TYPE]: settings shared by all triggers of a type;
  // for http only `base` (Spin's AppTriggerConfig for the HTTP trigger).
  Expected<void> parseAppTriggers(const toml::table& doc, const toml::node& v, SpinJson& globals) {
    const auto* triggers = v.as_table();
    if (!triggers) return fail(v, ErrorCode::Invalid, "application.trigger must be a table of trigger settings");
    for (const auto& [type, settings] : *triggers) {
      std::string name = keyName(type);
      const auto* st = settings.as_table();
      if (!st) {
        keep(fail(settings, ErrorCode::Invalid, fmt::format("application.trigger.{} must be a table", name)));
        continue;
      }
      globals[name] = toJson(settings);
      if (name != "http") continue;
      for (const auto& [sk, sv] : *st) {
        std::string key = keyName(sk);
        if (key == "base") {
          auto base = string(sv, "application.trigger.http.base");
          if (!base) keep(Unexpected(base.error()));
          else if (base->empty() || base->front() != '/')
            keep(fail(sv, ErrorCode::Invalid,
                      fmt::format("application.trigger.http.base \"{}\" must start with '/'", *base)));
          else app_.httpBase = *base;
        } else if (key == "route" || key == "component" || key == "executor") {
          keep(fail(sv, ErrorCode::Invalid,
                    fmt::format("\"{}\" does not belong in [application.trigger.http], which holds only settings "
                                "shared by every HTTP trigger (base); routes go in [[trigger.http]] tables, one per "
                                "route, e.g. [[trigger.http]] route = {} component = \"{}\"",
                                key, key == "route" && sv.is_string() ? tomlQuoted(sv.as_string()->get()) : "\"/...\"",
                                onlyComponent(doc))));
        } else {
          warn(sk, fmt::format("unknown key \"{}\" in [application.trigger.http] is ignored (only base is "
                               "supported){}",
                               key, suggestion(key, {"base"})));
        }
      }
    }
    return {};
  }

  static std::string tomlQuoted(const std::string& s) {
    return "\"" + s + "\"";
  }

  // The one component's id, for examples in hints; "NAME" when there are
  // several or none.
  static std::string onlyComponent(const toml::table& doc) {
    const auto* comps = doc.get("component");
    if (comps && comps->is_table() && comps->as_table()->size() == 1)
      return keyName(comps->as_table()->begin()->first);
    return "NAME";
  }

  Expected<void> parseVariables(const toml::table& doc) {
    const auto* node = doc.get("variables");
    if (!node) return {};
    const auto* t = node->as_table();
    if (!t) return fail(*node, ErrorCode::Invalid, "\"variables\" must be a table");
    for (const auto& [k, v] : inDocumentOrder(*t)) keep(parseVariable(*k, *v));
    return {};
  }

  Expected<void> parseVariable(const toml::key& k, const toml::node& v) {
    std::string name = keyName(k);
    if (auto ok = checkVariableName(name); !ok) return fail(v, ErrorCode::Invalid, ok.error().message);
    const auto* vt = v.as_table();
    if (!vt)
      return fail(v, ErrorCode::Invalid,
                  fmt::format("variables.{} must be a table, e.g. {} = {{ default = \"...\" }} or {} = {{ required = "
                              "true }}",
                              name, name, name));
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
        warn(fk, fmt::format("unknown key \"{}\" in variables.{} is ignored{}", field, name,
                             suggestion(field, {"description", "default", "required", "secret"})));
      }
    }
    if (required == var.defaultValue.has_value())
      return fail(v, ErrorCode::Invalid,
                  fmt::format("variables.{} must be `required` OR have a `default` (exactly one of the two)", name));
    app_.locked.variables[name] = std::move(var);
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
    const toml::node* sourceNode = nullptr;
    std::vector<std::string> excludes;
    std::vector<std::string> hosts;
    std::string buildCommand;
    for (const auto& [k, v] : inDocumentOrder(*t)) {
      std::string key = keyName(*k);
      std::string what = fmt::format("{}.{}", where, key);
      auto one = [&]() -> Expected<void> {
        if (key == "source") {
          sourceNode = v;
        } else if (key == "description") {
          WASMOPS_TRY(auto s, string(*v, what));
          if (!s.empty()) c.metadata["description"] = s;
        } else if (key == "variables") {
          WASMOPS_TRY_ASSIGN(c.config, stringTable(*v, what));
          for (const auto& [name, value] : *v->as_table()) {
            if (auto ok = checkVariableName(keyName(name)); !ok)
              keep(fail(value, ErrorCode::Invalid, what + ": " + ok.error().message));
            else
              keep(checkTemplate(id, keyName(name), value));
          }
        } else if (key == "config") {
          // Show the move with the table's own first entry.
          std::string name = "NAME", value = "...";
          if (const auto* ct = v->as_table(); ct && !ct->empty()) {
            auto first = inDocumentOrder(*ct).front();
            name = keyName(*first.first);
            if (const auto* str = first.second->as_string()) value = str->get();
          }
          return fail(*v, ErrorCode::Invalid,
                      fmt::format("[{0}.config] is Spin manifest version 1's component configuration; version 2 "
                                  "calls it [{0}.variables], and each name used there must be declared in the "
                                  "application's [variables] table: [variables] {1} = {{ default = \"{2}\" }} and "
                                  "[{0}.variables] {1} = \"{{{{ {1} }}}}\"",
                                  where, name, value));
        } else if (key == "environment") {
          WASMOPS_TRY_ASSIGN(c.env, stringTable(*v, what));
        } else if (key == "files") {
          if (!v->is_array()) return fail(*v, ErrorCode::Invalid, what + " must be a list");
          files = v;
        } else if (key == "exclude_files") {
          WASMOPS_TRY_ASSIGN(excludes, strings(*v, what));
        } else if (key == "allowed_outbound_hosts") {
          WASMOPS_TRY_ASSIGN(hosts, strings(*v, what));
          for (const auto& entry : *v->as_array())
            if (auto ok = checkAllowedOutboundHost(entry.as_string()->get()); !ok)
              keep(fail(entry, ErrorCode::Invalid, fmt::format("component \"{}\": {}", id, ok.error().message)));
        } else if (key == "allowed_http_hosts") {
          WASMOPS_TRY(auto list, strings(*v, what));
          if (!list.empty())
            return fail(*v, ErrorCode::Unsupported,
                        what +
                            " is deprecated and not supported; list the hosts in allowed_outbound_hosts "
                            "(e.g. \"https://example.com\")");
        } else if (key == "key_value_stores" || key == "sqlite_databases" || key == "ai_models") {
          WASMOPS_TRY(auto list, strings(*v, what));
          // Store and database labels: kebab-case or snake_case (Spin's kebab_or_snake_case).
          if (key != "ai_models")
            for (const auto& entry : *v->as_array())
              if (const auto& label = entry.as_string()->get(); !isKebabId(label) && !isLowerSnakeId(label))
                keep(fail(entry, ErrorCode::Invalid,
                          fmt::format("{}: label \"{}\" must be kebab-case or snake_case (e.g. \"default\", "
                                      "\"my-store\", \"my_store\")",
                                      what, label)));
          if (!list.empty()) c.metadata[key == "sqlite_databases" ? "databases" : key] = list;
        } else if (key == "build") {
          WASMOPS_TRY(auto build, buildConfig(*v, what));
          if (build.contains("command") && build["command"].is_string())
            buildCommand = build["command"].get<std::string>();
          c.metadata["build"] = std::move(build);
        } else if (key == "dependencies") {
          const auto* deps = v->as_table();
          if (!deps) return fail(*v, ErrorCode::Invalid, what + " must be a table");
          if (!deps->empty())
            return fail(*v, ErrorCode::Unsupported,
                        what +
                            ": component dependencies are not supported yet; compose the component first "
                            "(e.g. with `wac plug`) and name the result as source");
        } else if (key == "targets" || key == "tool" || key == "profile" ||
                   key == "dependencies_inherit_configuration") {
          // Not part of the locked application (profiles apply only with
          // `spin build --profile`).
          warn(*k, fmt::format("{} is not supported by wasmops yet and is ignored", what));
        } else {
          warn(*k, fmt::format("unknown key \"{}\" in [{}] is ignored{}", key, where,
                               suggestion(key, {"source", "description", "files", "exclude_files", "environment",
                                                "variables", "allowed_outbound_hosts", "key_value_stores",
                                                "sqlite_databases", "ai_models", "build", "dependencies"})));
        }
        return {};
      };
      keep(one());
    }
    if (!sourceNode) {
      keep(fail(node, ErrorCode::Invalid,
                fmt::format("[{}] has no source (the component's .wasm file, e.g. source = \"{}.wasm\")", where, id)));
    } else {
      auto source = componentSource(id, *sourceNode, buildCommand);
      if (source) local = std::move(*source);
      else keep(Unexpected(source.error()));
    }
    if (!hosts.empty()) c.metadata["allowed_outbound_hosts"] = hosts;
    if (std::any_of(hosts.begin(), hosts.end(), isServiceChainingHost))
      c.hostRequirements["local_service_chaining"] = "required";
    if (files) local.files = resolveFiles(where, *files->as_array(), excludes);
    // Kept even when something above failed, so triggers naming it do not
    // add "not defined" errors on top.
    app_.locked.components.push_back(std::move(c));
    app_.local.push_back(std::move(local));
    return {};
  }

  // `{{ name }}` in a component variable must name an application variable.
  Expected<void> checkTemplate(const std::string& id, const std::string& name, const toml::node& value) {
    const auto* s = value.as_string();
    if (!s) return {};  // stringTable reported it
    auto parts = parseTemplate(s->get());
    if (!parts)
      return fail(value, ErrorCode::Invalid,
                  fmt::format("component \"{}\": variable \"{}\": {}", id, name, parts.error().message));
    for (const auto& p : *parts) {
      if (!p.expression || app_.locked.variables.count(p.text)) continue;
      return fail(value, ErrorCode::Invalid,
                  fmt::format("component \"{}\": variable \"{}\" uses {{{{ {} }}}}, which is not declared in "
                              "[variables]; add {} = {{ default = \"...\" }} or {} = {{ required = true }} there",
                              id, name, p.text, p.text, p.text));
    }
    return {};
  }

  Expected<LocalComponent> componentSource(const std::string& id, const toml::node& v,
                                           const std::string& buildCommand) const {
    LocalComponent out;
    if (const auto* t = v.as_table()) {
      std::string what = fmt::format("component.{}.source", id);
      if (const auto* url = t->get("url")) {
        out.source.kind = ComponentSource::Kind::Url;
        WASMOPS_TRY_ASSIGN(out.source.url, string(*url, what + ".url"));
        if (!out.source.url.starts_with("https://") && !out.source.url.starts_with("http://"))
          return fail(*url, ErrorCode::Invalid, fmt::format("{}.url \"{}\" must be an http(s) URL", what, out.source.url));
        const auto* digest = t->get("digest");
        if (!digest)
          return fail(v, ErrorCode::Invalid,
                      fmt::format("{} has a url but no digest; add digest = \"sha256:<64 hex digits>\" so the "
                                  "download can be checked",
                                  what));
        WASMOPS_TRY(auto text, string(*digest, what + ".digest"));
        auto d = base::Digest::parse(text);
        if (!d) return fail(*digest, d.error().code, fmt::format("{}.digest: {}", what, d.error().message));
        out.source.digest = *d;
        return out;
      }
      if (t->contains("package") || t->contains("registry") || t->contains("version")) {
        out.source.kind = ComponentSource::Kind::Registry;
        const auto* package = t->get("package");
        const auto* version = t->get("version");
        if (!package || !version)
          return fail(v, ErrorCode::Invalid,
                      fmt::format("{} from a registry needs package and version, e.g. {{ package = "
                                  "\"example:hello\", version = \"1.0.0\" }}",
                                  what));
        WASMOPS_TRY_ASSIGN(out.source.package, string(*package, what + ".package"));
        WASMOPS_TRY_ASSIGN(out.source.version, string(*version, what + ".version"));
        if (const auto* registry = t->get("registry"))
          WASMOPS_TRY_ASSIGN(out.source.registry, string(*registry, what + ".registry"));
        return out;
      }
      return fail(v, ErrorCode::Invalid,
                  fmt::format("{} must be a path, {{ url, digest }} or {{ registry, package, version }}", what));
    }
    WASMOPS_TRY(auto rel, string(v, fmt::format("component.{}.source", id)));
    if (rel.find("://") != std::string::npos)
      return fail(v, ErrorCode::Invalid,
                  fmt::format("component \"{}\": source \"{}\" is a URL; write source = {{ url = \"{}\", digest = "
                              "\"sha256:...\" }}",
                              id, rel, rel));
    if (auto language = sourceLanguage(rel); !language.empty()) {
      std::string message = fmt::format(
          "component \"{}\": source \"{}\" is a {} file, but source must be the compiled WebAssembly file (.wasm)",
          id, rel, language);
      if (!buildCommand.empty()) {
        std::string guess = cargoOutputGuess(buildCommand, id);
        message += fmt::format("; name the file that [component.{}.build] command (`{}`) writes{}", id, buildCommand,
                               guess.empty() ? "" : fmt::format(", e.g. source = \"{}\"", guess));
      } else {
        message += fmt::format("; build it first, and add [component.{}.build] command = \"...\" to record how", id);
      }
      return fail(v, ErrorCode::Invalid, std::move(message));
    }
    std::string path = !rel.empty() && rel.front() == '/' ? rel : root_ + "/" + rel;
    const bool exists = pathExists(path);
    if (!exists && options_.sourcesMustExist)
      return fail(v, ErrorCode::NotFound, fmt::format("component \"{}\": source \"{}\" does not exist", id, rel));
    if (exists && !isRegularFile(path))
      return fail(v, ErrorCode::Invalid, fmt::format("component \"{}\": source \"{}\" is not a file", id, rel));
    out.wasmPath = path;
    return out;
  }

  // Spin's ComponentBuildConfig: command (string or list), workdir, watch;
  // serialized without an absent workdir or an empty watch list.
  Expected<SpinJson> buildConfig(const toml::node& v, const std::string& what) {
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
        warn(k, fmt::format("unknown key \"{}\" in {} is ignored{}", key, what,
                            suggestion(key, {"command", "workdir", "watch"})));
      }
    }
    if (!out.contains("command")) return fail(v, ErrorCode::Invalid, what + " has no command");
    return out;
  }
  // Each entry on its own, so one bad entry does not hide the next.
  std::vector<LocalFile> resolveFiles(const std::string& where, const toml::array& entries,
                                      std::vector<std::string> excludes) {
    FileMounts mounts(root_, where, std::move(excludes));
    for (const auto& entry : entries) {
      const toml::node* source = nullptr;
      const toml::node* destination = nullptr;
      MountResult added;
      if (const auto* pattern = entry.as_string()) {
        added = mounts.addPattern(pattern->get());
      } else if (const auto* t = entry.as_table()) {
        source = t->get("source");
        destination = t->get("destination");
        if (!source || !destination || t->size() != 2) {
          keep(fail(entry, ErrorCode::Invalid,
                    where + ".files: a mount table has exactly the keys source and destination"));
          continue;
        }
        auto src = string(*source, where + ".files source");
        auto dst = string(*destination, where + ".files destination");
        if (!src || !dst) {
          keep(src ? Expected<void>() : Unexpected(src.error()));
          keep(dst ? Expected<void>() : Unexpected(dst.error()));
          continue;
        }
        added = mounts.addPlacement(*src, *dst);
      } else {
        keep(fail(entry, ErrorCode::Invalid,
                  where + ".files entries must be paths or { source = \"...\", destination = \"...\" } tables"));
        continue;
      }
      if (added) continue;
      const toml::node* at = added.error().part == MountPart::Source        ? source
                             : added.error().part == MountPart::Destination ? destination
                                                                             : &entry;
      keep(fail(at ? *at : entry, added.error().error.code, added.error().error.message));
    }
    return mounts.files();
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
    if (!node)
      return failAt({1, 1}, ErrorCode::Invalid,
                    "the application has no triggers: add a [[trigger.http]] table with route and component for "
                    "each route it serves");
    const auto* t = node->as_table();
    if (!t) return fail(*node, ErrorCode::Invalid, "\"trigger\" must be a table of [[trigger.TYPE]] lists");
    std::vector<PendingTrigger> pending;
    std::set<std::string> ids;
    for (const auto& [k, v] : inDocumentOrder(*t)) {
      std::string type = keyName(*k);
      const auto* arr = v->as_array();
      if (!arr || !arr->is_array_of_tables()) {
        keep(fail(*v, ErrorCode::Invalid,
                  fmt::format("trigger.{} must be a list of tables: write [[trigger.{}]]", type, type)));
        continue;
      }
      for (std::size_t i = 0; i < arr->size(); ++i) {
        const auto* tt = (*arr)[i].as_table();
        PendingTrigger p{type, tt, i, {}, {}};
        if (const auto* id = tt->get("id")) {
          auto s = string(*id, fmt::format("trigger.{}[{}].id", type, i));
          if (!s) {
            keep(Unexpected(s.error()));
          } else if (!s->empty() && !ids.insert(*s).second) {
            keep(fail(*id, ErrorCode::Invalid, fmt::format("trigger id \"{}\" is used twice", *s)));
          } else {
            p.id = *s;
          }
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
    std::vector<bool> usable(pending.size(), true);
    for (std::size_t i = 0; i < pending.size(); ++i) {
      auto& p = pending[i];
      std::string where = fmt::format("trigger.{}[{}]", p.type, p.index);
      const auto* c = p.table->get("component");
      if (!c) {
        keep(fail(*p.table, ErrorCode::Invalid,
                  where + " names no component (component = \"ID\" of a [component.ID] table, or an inline table)"));
        usable[i] = false;
        continue;
      }
      if (c->is_table()) {
        std::string id = p.id + "-component";
        if (!isKebabId(id) || hasComponent(id)) {
          for (;; ++inlineCounter) {
            id = "inline-component" + std::to_string(inlineCounter);
            if (!hasComponent(id)) break;
          }
        }
        keep(parseComponent(id, *c));
        p.component = id;
        continue;
      }
      auto name = string(*c, where + ".component");
      if (!name) {
        keep(Unexpected(name.error()));
        usable[i] = false;
        continue;
      }
      p.component = *name;
      if (!hasComponent(p.component)) {
        std::string known;
        for (const auto& comp : app_.locked.components) known += (known.empty() ? "" : ", ") + comp.id;
        keep(fail(*c, ErrorCode::Invalid,
                  fmt::format("{}: component \"{}\" is not defined ({})", where, p.component,
                              known.empty() ? "the manifest has no [component.NAME] tables"
                                            : "components: " + known)));
        usable[i] = false;
      }
    }
    std::set<std::string> types;
    for (std::size_t i = 0; i < pending.size(); ++i) {
      const auto& p = pending[i];
      std::string where = fmt::format("trigger.{}[{}]", p.type, p.index);
      LockedTrigger lt;
      lt.id = p.id;
      lt.type = p.type;
      for (const auto& [k, v] : *p.table) {
        std::string key = keyName(k);
        if (key == "components" || key == "dependencies") {
          keep(fail(v, ErrorCode::Unsupported,
                    fmt::format("{}.{} (trigger-specific extra components or middleware) is not supported yet", where,
                                key)));
          continue;
        }
        if (key == "id" || key == "component") continue;
        lt.config[key] = toJson(v);
      }
      lt.config["component"] = p.component;
      types.insert(p.type);
      if (p.type == "http" && usable[i]) keep(parseHttpTrigger(p, where));
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

  // The keys of Spin's HttpTriggerConfig: route (a path, or
  // { private = true }) and executor.
  Expected<void> parseHttpTrigger(const PendingTrigger& p, const std::string& where) {
    HttpTrigger h;
    h.id = p.id;
    h.component = p.component;
    for (const auto& [k, v] : *p.table) {
      std::string key = keyName(k);
      if (key == "id" || key == "component" || key == "route" || key == "components" || key == "dependencies")
        continue;
      if (key == "executor") {
        keep(parseExecutor(v, where + ".executor", h.executor));
        continue;
      }
      warn(k, fmt::format("unknown key \"{}\" in [[trigger.http]] is ignored{}", key,
                          suggestion(key, {"route", "component", "executor", "id"})));
    }
    const auto* route = p.table->get("route");
    if (!route) return fail(*p.table, ErrorCode::Invalid, where + " has no route (e.g. route = \"/...\")");
    if (const auto* rt = route->as_table()) {
      const auto* priv = rt->get("private");
      if (!priv || rt->size() != 1)
        return fail(*route, ErrorCode::Invalid,
                    where + ".route must be a path such as \"/api/...\" or { private = true }");
      WASMOPS_TRY(bool isPrivate, boolean(*priv, where + ".route.private"));
      if (!isPrivate)
        return fail(*priv, ErrorCode::Invalid,
                    fmt::format("{}: route must be a path or {{ private = true }}; component \"{}\" has {{ private = "
                                "false }}",
                                where, p.component));
    } else {
      WASMOPS_TRY(auto text, string(*route, where + ".route"));
      auto parsed = parseRoute(app_.httpBase, text);
      if (!parsed) return fail(*route, ErrorCode::Invalid, where + ": " + parsed.error().message);
      // Spin's WELL_KNOWN_PREFIX: the runtime answers these itself
      // (crates/trigger-http, "Routes under ... will never be reached").
      if (parsed->based.starts_with("/.well-known/spin/"))
        warn(*route, fmt::format("{}: routes under /.well-known/spin/ are handled by the host and never reach "
                                 "component \"{}\"",
                                 where, p.component));
      if (auto added = app_.routes.add(*parsed, p.component, p.id); !added)
        return fail(*route, ErrorCode::Invalid, where + ": " + added.error().message);
      h.route = std::move(*parsed);
    }
    app_.http.push_back(std::move(h));
    return {};
  }

  Expected<void> parseExecutor(const toml::node& v, const std::string& what, HttpExecutor& out) {
    const auto* t = v.as_table();
    if (!t) return fail(v, ErrorCode::Invalid, what + " must be a table, e.g. { type = \"wagi\" }");
    const auto* type = t->get("type");
    if (!type) return fail(v, ErrorCode::Invalid, what + " has no type (\"spin\" or \"wagi\")");
    WASMOPS_TRY(auto name, string(*type, what + ".type"));
    if (name == "spin" || name == "http") {
      out.type = HttpExecutor::Type::Spin;
    } else if (name == "wagi") {
      out.type = HttpExecutor::Type::Wagi;
    } else {
      return fail(*type, ErrorCode::Unsupported,
                  fmt::format("{}.type \"{}\" is not supported: \"spin\" (the default) or \"wagi\"", what, name));
    }
    for (const auto& [k, val] : *t) {
      std::string key = keyName(k);
      if (key == "type") continue;
      if (out.type == HttpExecutor::Type::Wagi && key == "argv") {
        WASMOPS_TRY_ASSIGN(out.argv, string(val, what + ".argv"));
      } else if (out.type == HttpExecutor::Type::Wagi && key == "entrypoint") {
        WASMOPS_TRY_ASSIGN(out.entrypoint, string(val, what + ".entrypoint"));
      } else {
        warn(k, fmt::format("unknown key \"{}\" in {} is ignored{}", key, what,
                            out.type == HttpExecutor::Type::Wagi ? suggestion(key, {"argv", "entrypoint"})
                                                                 : std::string(" (only WAGI takes settings)")));
      }
    }
    return {};
  }

  bool hasComponent(const std::string& id) const {
    return std::any_of(app_.locked.components.begin(), app_.locked.components.end(),
                       [&](const LockedComponent& c) { return c.id == id; });
  }

  std::string path_;
  std::string root_;
  ManifestOptions options_;
  SpinApp app_;
  SpinJson globals_ = SpinJson::object();
  std::vector<Diagnostic> diags_;
};

std::string folderOf(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
}

}  // namespace

ManifestCheck checkManifest(std::string_view text, const std::string& path, const std::string& root,
                            ManifestOptions options) {
  return ManifestParser(path, root, options).check(text);
}

Expected<SpinApp> parseSpinManifest(std::string_view text, const std::string& path, const std::string& root,
                                    ManifestOptions options) {
  auto checked = checkManifest(text, path, root, options);
  if (!checked.app) return Unexpected(combineErrors(path, checked.diagnostics));
  return std::move(*checked.app);
}

Expected<SpinApp> loadSpinManifest(const std::string& path, ManifestOptions options) {
  WASMOPS_TRY(auto text, base::readSmallFile(path, kMaxManifestBytes));
  return parseSpinManifest(text, path, folderOf(path), options);
}

Expected<std::string> locateManifest(const std::string& fileOrFolder) {
  if (!isDirectory(fileOrFolder)) {
    if (!pathExists(fileOrFolder))
      return Unexpected(Error(ErrorCode::NotFound, "no such manifest file or folder").inFile(fileOrFolder));
    return fileOrFolder;
  }
  for (const char* name : {"wasmops.toml", "spin.toml"}) {
    std::string candidate = fileOrFolder + "/" + name;
    if (isRegularFile(candidate)) return candidate;
  }
  return Unexpected(
      Error(ErrorCode::NotFound, "the folder has no wasmops.toml or spin.toml").inFile(fileOrFolder));
}

}  // namespace wasmops::app
