#pragma once
// libcurl, loaded with dlopen on first use. Linking it would make every
// start of wasmops (run, inspect, compile...) load its ~30 shared libraries
// (TLS, Kerberos, LDAP, SSH...), about 4 ms, although only push, pull and
// login use the network. Types and constants still come from <curl/curl.h>;
// the functions are called through the table below.
#include <curl/curl.h>

#include "base/Error.h"

namespace wasmops::oci {

// The libcurl functions the oci layer uses; the signatures are the header's
// own (setopt and getinfo stay variadic).
struct CurlApi {
  decltype(&::curl_global_init) global_init = nullptr;
  decltype(&::curl_easy_init) easy_init = nullptr;
  decltype(&::curl_easy_cleanup) easy_cleanup = nullptr;
  decltype(&::curl_easy_reset) easy_reset = nullptr;
  decltype(&::curl_easy_perform) easy_perform = nullptr;
  decltype(&::curl_easy_setopt) easy_setopt = nullptr;
  decltype(&::curl_easy_getinfo) easy_getinfo = nullptr;
  decltype(&::curl_easy_strerror) easy_strerror = nullptr;
  decltype(&::curl_slist_append) slist_append = nullptr;
  decltype(&::curl_slist_free_all) slist_free_all = nullptr;
};

// Loads libcurl.so.4, resolves the table and runs curl_global_init, once
// per process (thread-safe); later calls return the same table or the same
// error (Unsupported, naming the package to install and dlerror's reason).
Expected<const CurlApi*> loadCurl();

// The table, for code that runs only after loadCurl() succeeded (callbacks,
// handles created from it).
const CurlApi& curlApi();

}  // namespace wasmops::oci
