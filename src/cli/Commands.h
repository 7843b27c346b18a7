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

// Prints a located error to stderr ("wasmops: FILE:0x1a: message").
int reportError(const Error& error);

}  // namespace wasmops::cli
