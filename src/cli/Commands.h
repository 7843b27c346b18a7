#pragma once
// One function per command; each prints its own output and returns the exit
// status (0 ok, 1 failure, 2 usage; see docs/errors.md).
#include <cstdint>
#include <string>
#include <vector>

#include "base/Error.h"

namespace wasmops::cli {

struct InspectOptions {
  std::string file;
  bool json = false;
};
int runInspect(const InspectOptions& options);

struct PrintOptions {
  std::string file;
  std::string output;  // empty: stdout
  bool foldExprs = false;
  bool inlineExports = false;
};
int runPrint(const PrintOptions& options);

// `wit FILE` prints a component's WIT; `wit --check DIR` parses and
// resolves a WIT package folder (docs/wit.md).
struct WitOptions {
  std::string file;   // FILE, or DIR with --check
  bool check = false;
  bool json = false;  // --check: diagnostics as JSON
};
int runWit(const WitOptions& options);
int runWitPrint(const WitOptions& options);  // cli/WitPrintCommand.cpp
int runWitCheck(const WitOptions& options);  // cli/WitCheckCommand.cpp

struct ValidateOptions {
  std::vector<std::string> files;
  bool json = false;
};
int runValidate(const ValidateOptions& options);

// OCI distribution (docs/oci.md).
struct PushOptions {
  std::string reference;
  std::string file;      // a .wasm, or
  std::string manifest;  // a Spin application manifest (spin.toml)
  std::vector<std::string> annotations;  // KEY=VALUE
  std::uint64_t chunkSize = 16u << 20;   // 0: monolithic uploads only
  bool insecure = false;
  bool quiet = false;
  bool json = false;
};
int runPush(const PushOptions& options);

struct PullOptions {
  std::string reference;
  std::string outputDir;  // empty: current folder
  bool insecure = false;
  bool quiet = false;
  bool json = false;
};
int runPull(const PullOptions& options);

struct LoginOptions {
  std::string registry;
  std::string username;
  bool passwordStdin = false;
  bool insecure = false;
};
int runLogin(const LoginOptions& options);

struct LogoutOptions {
  std::string registry;
};
int runLogout(const LogoutOptions& options);

struct CompileOptions {
  std::string file;
  std::string tier = "fast";
  std::string output;    // copy of the artifact
  std::string cacheDir;  // empty: default
};
int runCompile(const CompileOptions& options);

struct RunOptions {
  std::string file;
  std::string invoke;
  std::string tier;  // empty: the optimized artifact if cached, else fast now and optimized in the background
  std::string maxMemory;
  std::string cacheDir;
  std::vector<std::string> dirs;    // HOST[::GUEST][:ro]
  std::vector<std::string> env;     // KEY=VALUE or KEY
  bool envInherit = false;
  std::string timeout;
  std::vector<std::string> listen;  // HOST:PORT
  std::vector<std::string> args;  // everything after FILE
};
int runRun(const RunOptions& options);

struct CacheOptions {
  std::string action;  // ls, size, clear
  std::string cacheDir;
};
int runCache(const CacheOptions& options);

// `wasmops up` (docs/wagi.md).
struct UpOptions {
  std::string file;                        // manifest or its folder; empty: the current folder
  std::string from;                        // or an OCI reference to pull
  std::string component;                   // `serve`: one component file or reference, on every path
  bool insecure = false;                   // plain HTTP to that registry
  std::string listen = "127.0.0.1:3000";
  std::string tlsCert, tlsKey;             // PEM; both: serve HTTPS
  std::string admin = "127.0.0.1:9090";    // "off": no admin listener
  std::vector<std::string> env;            // KEY=VALUE for every component
  std::string runtimeConfigFile;           // Spin's runtime config (key-value stores); empty: none
  std::vector<std::string> allowOutbound;  // `serve`: the component's allowed_outbound_hosts
  bool build = false;
  std::string tier;
  std::string cacheDir;
  unsigned threads = 0;                    // 0: one per core
  std::size_t maxInstances = 1000;
  std::size_t maxQueued = 1000;
  std::size_t maxConnections = 10'000;
  std::string deadline;                    // per request, e.g. 30s
  std::string maxMemory;                   // per instance, e.g. 128MiB
  std::string maxBody;                     // per request body, e.g. 16MiB
  std::string requestTimeout;              // to receive one request (slow clients), e.g. 10s
  std::string idleTimeout;                 // a keep-alive connection with no request, e.g. 60s
  long long drainMs = 10'000;
  std::string accessLog = "-";             // "-": stdout; "off"; or a file
  std::string guestLog = "-";              // "-": stderr; "off"; or a file
  bool quiet = false;
};
int runUp(const UpOptions& options);
// `serve FILE|REF`: `up` for one component (UpOptions::component).
int runServe(const UpOptions& options);

// Prints a located error to stderr ("wasmops: FILE:0x1a: message").
int reportError(const Error& error);

}  // namespace wasmops::cli
