#include "app/LockedApp.h"

#include <fmt/format.h>

#include <set>

#include "base/Base64.h"

namespace wasmops::app {
namespace {

// Struct members in declaration order, as serde derives them.
using Ordered = nlohmann::ordered_json;

// Spin's ContentRef, flattened into its parent: source, inline, digest.
void putContent(Ordered& out, const ContentRef& c) {
  if (c.source) out["source"] = *c.source;
  if (c.inlined) {
    std::string b64 = base::base64Encode(*c.inlined);
    while (!b64.empty() && b64.back() == '=') b64.pop_back();  // BASE64_STANDARD_NO_PAD
    out["inline"] = b64;
  }
  if (c.digest) out["digest"] = c.digest->str();
}

Ordered stringMap(const std::map<std::string, std::string>& m) {
  Ordered out = Ordered::object();
  for (const auto& [k, v] : m) out[k] = v;
  return out;
}

Unexpected bad(const std::string& what, const std::string& message) {
  return Unexpected(Error(ErrorCode::Invalid, "locked application: " + message).inFile(what));
}
Unexpected unsupported(const std::string& what, const std::string& message) {
  return Unexpected(Error(ErrorCode::Unsupported, "locked application: " + message).inFile(what));
}

bool isId(std::string_view id, char delim, bool lowerOnly) {
  if (id.empty()) return false;
  std::size_t start = 0;
  while (start <= id.size()) {
    auto end = id.find(delim, start);
    auto word = id.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (word.empty()) return false;
    auto isUpper = [](char c) { return c >= 'A' && c <= 'Z'; };
    auto isLower = [](char c) { return c >= 'a' && c <= 'z'; };
    auto isDigit = [](char c) { return c >= '0' && c <= '9'; };
    char first = word.front();
    if (!isUpper(first) && !isLower(first)) return false;
    bool upper = isUpper(first);
    if (lowerOnly && upper) return false;
    for (char c : word.substr(1)) {
      if (isDigit(c)) continue;
      if (!isUpper(c) && !isLower(c)) return false;
      if (isUpper(c) != upper) return false;
    }
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return true;
}

const SpinJson* member(const SpinJson& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

Expected<std::optional<std::string>> optionalString(const SpinJson& obj, const char* key, const std::string& what,
                                                    const std::string& where) {
  const SpinJson* v = member(obj, key);
  if (!v || v->is_null()) return std::optional<std::string>();
  if (!v->is_string()) return bad(what, fmt::format("{}.{} is not a string", where, key));
  return std::optional<std::string>(v->get<std::string>());
}

Expected<std::map<std::string, std::string>> stringMapOf(const SpinJson& obj, const char* key, const std::string& what,
                                                         const std::string& where) {
  std::map<std::string, std::string> out;
  const SpinJson* v = member(obj, key);
  if (!v || v->is_null()) return out;
  if (!v->is_object()) return bad(what, fmt::format("{}.{} is not an object", where, key));
  for (const auto& [k, val] : v->items()) {
    if (!val.is_string()) return bad(what, fmt::format("{}.{}.{} is not a string", where, key, k));
    out[k] = val.get<std::string>();
  }
  return out;
}

Expected<SpinJson> objectOf(const SpinJson& obj, const char* key, const std::string& what, const std::string& where) {
  const SpinJson* v = member(obj, key);
  if (!v || v->is_null()) return SpinJson::object();
  if (!v->is_object()) return bad(what, fmt::format("{}.{} is not an object", where, key));
  return *v;
}

bool nonEmpty(const SpinJson* v) {
  return v && !v->is_null() && !v->empty();
}

Expected<ContentRef> readContent(const SpinJson& obj, const std::string& what, const std::string& where) {
  ContentRef c;
  WASMOPS_TRY_ASSIGN(c.source, optionalString(obj, "source", what, where));
  WASMOPS_TRY(auto inl, optionalString(obj, "inline", what, where));
  if (inl) {
    auto bytes = base::base64Decode(*inl);
    if (!bytes) return bad(what, fmt::format("{}.inline is not base64: {}", where, bytes.error().message));
    c.inlined = std::move(*bytes);
  }
  WASMOPS_TRY(auto digest, optionalString(obj, "digest", what, where));
  if (digest) {
    auto d = base::Digest::parse(*digest);
    if (!d) return bad(what, fmt::format("{}.digest: {}", where, d.error().message));
    c.digest = *d;
  }
  if (!c.inlined && !c.digest) {
    if (c.source)
      return unsupported(
          what, fmt::format("{} refers to \"{}\"; only content by digest or inline can be pulled", where, *c.source));
    return bad(what, fmt::format("{} has neither \"digest\" nor \"inline\" content", where));
  }
  if (c.inlined && c.digest && base::Digest::of(*c.inlined) != *c.digest)
    return Unexpected(Error(ErrorCode::Integrity, fmt::format("locked application: {}: inline content does not "
                                                              "match its digest {}",
                                                              where, c.digest->str()))
                          .inFile(what));
  return c;
}

Expected<LockedComponent> readComponent(const SpinJson& j, std::size_t index, const std::string& what) {
  std::string where = fmt::format("components[{}]", index);
  if (!j.is_object()) return bad(what, where + " is not an object");
  LockedComponent c;
  WASMOPS_TRY(auto id, optionalString(j, "id", what, where));
  if (!id) return bad(what, where + " has no \"id\"");
  if (!isKebabId(*id))
    return bad(what, fmt::format("{}: component id \"{}\" is not kebab-case (letters, digits and '-')", where, *id));
  c.id = *id;
  where = fmt::format("component \"{}\"", c.id);
  if (nonEmpty(member(j, "dependencies")))
    return unsupported(what, where +
                                 " has component dependencies; compose them before pushing (pull of "
                                 "dependencies is not implemented)");
  if (nonEmpty(member(j, "trigger_dependencies")))
    return unsupported(what, where + " has trigger dependencies (middleware), which wasmops does not handle yet");
  WASMOPS_TRY_ASSIGN(c.metadata, objectOf(j, "metadata", what, where));
  WASMOPS_TRY_ASSIGN(c.hostRequirements, objectOf(j, "host_requirements", what, where));
  const SpinJson* source = member(j, "source");
  if (!source || !source->is_object()) return bad(what, where + " has no \"source\" object");
  WASMOPS_TRY(auto contentType, optionalString(*source, "content_type", what, where + ".source"));
  if (contentType) c.contentType = *contentType;
  WASMOPS_TRY_ASSIGN(c.source, readContent(*source, what, where + ".source"));
  WASMOPS_TRY_ASSIGN(c.env, stringMapOf(j, "env", what, where));
  WASMOPS_TRY_ASSIGN(c.config, stringMapOf(j, "config", what, where));
  if (const SpinJson* files = member(j, "files"); files && !files->is_null()) {
    if (!files->is_array()) return bad(what, where + ".files is not a list");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < files->size(); ++i) {
      std::string fw = fmt::format("{}.files[{}]", where, i);
      const auto& f = (*files)[i];
      if (!f.is_object()) return bad(what, fw + " is not an object");
      WASMOPS_TRY(auto path, optionalString(f, "path", what, fw));
      if (!path) return bad(what, fw + " has no \"path\"");
      if (!isSafeRelativePath(*path))
        return bad(what, fmt::format("{}: path \"{}\" is not a plain relative path", fw, *path));
      if (!seen.insert(*path).second) return bad(what, fmt::format("{}: path \"{}\" appears twice", fw, *path));
      WASMOPS_TRY(auto content, readContent(f, what, fw));
      c.files.push_back({std::move(content), *path});
    }
  }
  return c;
}

Expected<LockedTrigger> readTrigger(const SpinJson& j, std::size_t index, const std::string& what) {
  std::string where = fmt::format("triggers[{}]", index);
  if (!j.is_object()) return bad(what, where + " is not an object");
  LockedTrigger t;
  WASMOPS_TRY(auto id, optionalString(j, "id", what, where));
  WASMOPS_TRY(auto type, optionalString(j, "trigger_type", what, where));
  if (!id || !type) return bad(what, where + " needs \"id\" and \"trigger_type\"");
  t.id = *id;
  t.type = *type;
  if (nonEmpty(member(j, "trigger_dependencies")))
    return unsupported(what, where + " has trigger dependencies (middleware), which wasmops does not handle yet");
  WASMOPS_TRY_ASSIGN(t.config, objectOf(j, "trigger_config", what, where));
  return t;
}

}  // namespace

bool isKebabId(std::string_view id) {
  return isId(id, '-', false);
}
bool isLowerSnakeId(std::string_view id) {
  return isId(id, '_', true);
}

bool isSafeRelativePath(std::string_view path) {
  if (path.empty() || path.front() == '/') return false;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    auto part = path.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (part.empty() || part == "." || part == ".." || part.find('\0') != std::string_view::npos) return false;
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return true;
}

std::string serializeLockedApp(const LockedApp& app) {
  Ordered out = Ordered::object();
  bool v1 = !app.mustUnderstand.empty() || !app.hostRequirements.empty();
  out["spin_lock_version"] = v1 ? 1 : 0;
  if (!app.mustUnderstand.empty()) out["must_understand"] = app.mustUnderstand;
  if (!app.metadata.empty()) out["metadata"] = Ordered(app.metadata);
  if (!app.hostRequirements.empty()) out["host_requirements"] = Ordered(app.hostRequirements);
  if (!app.variables.empty()) {
    Ordered vars = Ordered::object();
    for (const auto& [name, v] : app.variables) {
      Ordered var = Ordered::object();
      if (v.description) var["description"] = *v.description;
      if (v.defaultValue) var["default"] = *v.defaultValue;
      if (v.secret) var["secret"] = true;
      vars[name] = std::move(var);
    }
    out["variables"] = std::move(vars);
  }
  Ordered triggers = Ordered::array();
  for (const auto& t : app.triggers)
    triggers.push_back(Ordered{{"id", t.id}, {"trigger_type", t.type}, {"trigger_config", Ordered(t.config)}});
  out["triggers"] = std::move(triggers);
  Ordered components = Ordered::array();
  for (const auto& c : app.components) {
    Ordered comp = Ordered::object();
    comp["id"] = c.id;
    if (!c.metadata.empty()) comp["metadata"] = Ordered(c.metadata);
    Ordered source = {{"content_type", c.contentType}};
    putContent(source, c.source);
    comp["source"] = std::move(source);
    if (!c.env.empty()) comp["env"] = stringMap(c.env);
    if (!c.files.empty()) {
      Ordered files = Ordered::array();
      for (const auto& f : c.files) {
        Ordered file = Ordered::object();
        putContent(file, f.content);
        file["path"] = f.path;
        files.push_back(std::move(file));
      }
      comp["files"] = std::move(files);
    }
    if (!c.config.empty()) comp["config"] = stringMap(c.config);
    if (!c.hostRequirements.empty()) comp["host_requirements"] = Ordered(c.hostRequirements);
    components.push_back(std::move(comp));
  }
  out["components"] = std::move(components);
  // Strings come from TOML (valid UTF-8) and checked file names; `replace`
  // only keeps dump() from throwing should one slip through.
  return out.dump(-1, ' ', false, Ordered::error_handler_t::replace);
}

Expected<LockedApp> parseLockedApp(std::string_view json, const std::string& what) {
  auto doc = SpinJson::parse(json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return bad(what, "not a JSON object");
  const SpinJson* version = member(doc, "spin_lock_version");
  if (!version || !version->is_number_unsigned())
    return bad(what, "no \"spin_lock_version\" (is this a Spin application?)");
  if (version->get<std::uint64_t>() > 1)
    return unsupported(
        what, fmt::format("spin_lock_version {} is newer than wasmops knows (0 and 1)", version->get<std::uint64_t>()));
  LockedApp app;
  if (const SpinJson* mu = member(doc, "must_understand"); mu && !mu->is_null()) {
    if (!mu->is_array()) return bad(what, "must_understand is not a list");
    for (const auto& m : *mu) {
      if (!m.is_string()) return bad(what, "must_understand holds a non-string");
      auto s = m.get<std::string>();
      // The host must honour these; both are requirements wasmops records
      // (host_requirements), so it understands them.
      if (s != "host_requirements" && s != "component_host_requirements")
        return unsupported(what, fmt::format("must_understand names \"{}\", which wasmops does not know", s));
      app.mustUnderstand.push_back(s);
    }
  }
  WASMOPS_TRY_ASSIGN(app.metadata, objectOf(doc, "metadata", what, "app"));
  WASMOPS_TRY_ASSIGN(app.hostRequirements, objectOf(doc, "host_requirements", what, "app"));
  WASMOPS_TRY(auto vars, objectOf(doc, "variables", what, "app"));
  for (const auto& [name, v] : vars.items()) {
    std::string where = "variables." + name;
    if (!v.is_object()) return bad(what, where + " is not an object");
    LockedVariable var;
    WASMOPS_TRY_ASSIGN(var.description, optionalString(v, "description", what, where));
    WASMOPS_TRY_ASSIGN(var.defaultValue, optionalString(v, "default", what, where));
    if (const SpinJson* s = member(v, "secret"); s && !s->is_null()) {
      if (!s->is_boolean()) return bad(what, where + ".secret is not a boolean");
      var.secret = s->get<bool>();
    }
    app.variables[name] = std::move(var);
  }
  const SpinJson* triggers = member(doc, "triggers");
  if (!triggers || !triggers->is_array()) return bad(what, "no \"triggers\" list");
  for (std::size_t i = 0; i < triggers->size(); ++i) {
    WASMOPS_TRY(auto t, readTrigger((*triggers)[i], i, what));
    app.triggers.push_back(std::move(t));
  }
  const SpinJson* components = member(doc, "components");
  if (!components || !components->is_array()) return bad(what, "no \"components\" list");
  std::set<std::string> ids;
  for (std::size_t i = 0; i < components->size(); ++i) {
    WASMOPS_TRY(auto c, readComponent((*components)[i], i, what));
    if (!ids.insert(c.id).second) return bad(what, fmt::format("component id \"{}\" appears twice", c.id));
    app.components.push_back(std::move(c));
  }
  return app;
}

}  // namespace wasmops::app
