#include "oci/CurlLibrary.h"

#include <dlfcn.h>
#include <openssl/conf.h>

#include <fmt/format.h>
#include <cstdlib>
#include <optional>
#include <string>

namespace wasmops::oci {
namespace {

// The soname of libcurl's ABI 4, whichever TLS flavour provides it.
constexpr const char* kLibcurl = "libcurl.so.4";

struct Loaded {
  CurlApi api;
  std::optional<Error> error;
};

Error unavailable(const char* reason) {
  return {ErrorCode::Unsupported, fmt::format("push, pull and login need libcurl (Debian package libcurl4): {}",
                                              reason ? reason : "unknown dlopen error")};
}

template <typename Fn>
bool resolve(void* library, const char* name, Fn& slot) {
  (void)dlerror();  // clear a stale error
  void* symbol = dlsym(library, name);
  if (!symbol) return false;
  slot = reinterpret_cast<Fn>(symbol);
  return true;
}

Loaded load() {
  Loaded loaded;
  // Never closed: libcurl and its TLS library stay until exit.
  void* library = dlopen(kLibcurl, RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    loaded.error = unavailable(dlerror());
    return loaded;
  }
  CurlApi& api = loaded.api;
  bool ok = resolve(library, "curl_global_init", api.global_init) &&
            resolve(library, "curl_easy_init", api.easy_init) &&
            resolve(library, "curl_easy_cleanup", api.easy_cleanup) &&
            resolve(library, "curl_easy_reset", api.easy_reset) &&
            resolve(library, "curl_easy_perform", api.easy_perform) &&
            resolve(library, "curl_easy_setopt", api.easy_setopt) &&
            resolve(library, "curl_easy_getinfo", api.easy_getinfo) &&
            resolve(library, "curl_easy_strerror", api.easy_strerror) &&
            resolve(library, "curl_slist_append", api.slist_append) &&
            resolve(library, "curl_slist_free_all", api.slist_free_all);
  if (!ok) {
    loaded.error = unavailable(dlerror());
    return loaded;
  }
  // base/Sha256 initialises OpenSSL without its configuration file (it costs
  // every start milliseconds); TLS should honour the system's policy, so load
  // openssl.cnf explicitly before libcurl sets up its OpenSSL.
  CONF_modules_load_file(nullptr, nullptr, CONF_MFLAGS_IGNORE_MISSING_FILE | CONF_MFLAGS_IGNORE_RETURN_CODES);
  if (CURLcode rc = api.global_init(CURL_GLOBAL_DEFAULT); rc != CURLE_OK) {
    loaded.error = Error(ErrorCode::Internal, fmt::format("libcurl failed to initialise: {}", api.easy_strerror(rc)));
  }
  return loaded;
}

const Loaded& loaded() {
  static const Loaded once = load();  // thread-safe one-time initialisation
  return once;
}

}  // namespace

Expected<const CurlApi*> loadCurl() {
  const Loaded& l = loaded();
  if (l.error) return Unexpected(*l.error);
  return &l.api;
}

const CurlApi& curlApi() {
  const Loaded& l = loaded();
  if (l.error) std::abort();  // a caller skipped loadCurl(): a bug, not a user error
  return l.api;
}

}  // namespace wasmops::oci
