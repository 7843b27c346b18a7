#include "cli/Cli.h"

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>

#include "base/Error.h"
#include "base/Log.h"
#include "cli/Commands.h"
#include "wasmops/version.h"

namespace wasmops::cli {

int reportError(const Error& error) {
  std::fprintf(stderr, "wasmops: error: %s\n", error.format().c_str());
  return errorCodeExitStatus(error.code);
}

namespace {

// `run` passes every word after FILE to the guest unchanged, flags included
// (as wasmtime does), so those words must never reach the option parser.
// Returns the index of FILE in argv, or argc when this is not a `run` or
// FILE is missing (then the parser reports it).
int runFileIndex(int argc, char** argv, const CLI::App& app, const CLI::App& runCmd) {
  auto takesValue = [](const CLI::App& cmd, const std::string& word) {
    if (word.find('=') != std::string::npos) return false;  // --opt=value
    const CLI::Option* opt = cmd.get_option_no_throw(word);
    return opt && opt->get_items_expected_min() > 0;
  };
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; ++i)  // global options before the subcommand
    if (takesValue(app, argv[i])) ++i;
  if (i >= argc || std::string(argv[i]) != "run") return argc;
  for (++i; i < argc; ++i) {
    const std::string word = argv[i];
    if (word == "--") return i + 1 < argc ? i + 1 : argc;
    if (word.empty() || word[0] != '-' || word == "-") return i;
    if (takesValue(runCmd, word)) ++i;
  }
  return argc;
}

}  // namespace

int run(int argc, char** argv) {
  CLI::App app{"wasmops: inspect, validate, compile, run, serve and ship WebAssembly", "wasmops"};
  app.set_version_flag("--version", std::string("wasmops ") + WASMOPS_VERSION_STRING);
  app.require_subcommand(1);
  std::string logFormat = "human";
  bool verbose = false;
  app.add_option("--log-format", logFormat, "Log format on stderr: human or json")->check(CLI::IsMember({"human", "json"}));
  app.add_flag("-v,--verbose", verbose, "Log debug details");

  InspectOptions inspect;
  auto* inspectCmd = app.add_subcommand("inspect", "Describe a module or component: sections, types, imports, exports, features");
  inspectCmd->add_option("FILE", inspect.file, "A .wasm file")->required();
  inspectCmd->add_flag("--json", inspect.json, "Print a JSON document (docs/inspect-json.md)");

  PrintOptions print;
  auto* printCmd = app.add_subcommand("print", "Print a core module as WebAssembly text");
  printCmd->add_option("FILE", print.file, "A .wasm file")->required();
  printCmd->add_option("-o,--output", print.output, "Write to this file instead of stdout");
  printCmd->add_flag("--fold-exprs", print.foldExprs, "Write folded (S-expression) instructions");
  printCmd->add_flag("--inline-exports", print.inlineExports, "Write exports inline with their definitions");

  ValidateOptions validate;
  WitOptions wit;
  auto* witCmd = app.add_subcommand("wit", "Print a component's world as WIT, or check a WIT package folder (--check)");
  witCmd->add_option("PATH", wit.file, "A component (.wasm), or with --check a folder of .wit files")->required();
  witCmd->add_flag("--check", wit.check, "Parse and resolve the WIT package folder PATH; report located errors");
  witCmd->add_flag("--json", wit.json, "With --check: print the diagnostics as JSON");

  auto* validateCmd = app.add_subcommand("validate", "Check that modules are well-formed and valid WebAssembly 2.0");
  validateCmd->add_option("FILE", validate.files, "One or more .wasm files")->required();
  validateCmd->add_flag("--json", validate.json, "Print a JSON document (docs/validate-json.md)");

  PushOptions push;
  auto* pushCmd =
      app.add_subcommand("push", "Push a module, component or Spin application to an OCI registry (docs/oci.md)");
  pushCmd->add_option("REF", push.reference, "Target, e.g. ghcr.io/org/app:1.0 or localhost:5000/app:dev")->required();
  auto* pushFile = pushCmd->add_option("FILE", push.file, "The .wasm file");
  auto* pushManifest =
      pushCmd->add_option("--manifest", push.manifest, "Push the application this Spin manifest (spin.toml) describes");
  pushFile->excludes(pushManifest);  // runPush requires one of them
  // One value per --annotation: FILE is optional now, so a greedy list
  // would swallow REF and FILE.
  pushCmd
      ->add_option("--annotation", push.annotations,
                   "KEY=VALUE manifest annotation (repeatable; KEY without a dot means org.opencontainers.image.KEY)")
      ->allow_extra_args(false);
  pushCmd->add_option("--chunk-size", push.chunkSize,
                      "Upload blobs larger than this in chunks of this many bytes (0: never)");
  pushCmd->add_flag("--insecure", push.insecure, "Allow plain HTTP and unverified TLS for this registry");
  pushCmd->add_flag("-q,--quiet", push.quiet, "No progress or summary; print only the digest reference");
  pushCmd->add_flag("--json", push.json, "Print a JSON summary with digests");

  PullOptions pull;
  auto* pullCmd =
      app.add_subcommand("pull", "Pull a module, component or Spin application from an OCI registry (docs/oci.md)");
  pullCmd->add_option("REF", pull.reference, "Source, e.g. ghcr.io/org/app:1.0 or REPO@sha256:...")->required();
  pullCmd->add_option("-o,--output", pull.outputDir,
                      "Folder for <name>.wasm (default: current folder), or the application folder "
                      "(default: ./<name>)");
  pullCmd->add_flag("--insecure", pull.insecure, "Allow plain HTTP and unverified TLS for this registry");
  pullCmd->add_flag("-q,--quiet", pull.quiet, "No progress or summary");
  pullCmd->add_flag("--json", pull.json, "Print a JSON summary with digests");

  LoginOptions login;
  auto* loginCmd = app.add_subcommand("login", "Check and store credentials for a registry in Docker's config.json");
  loginCmd->add_option("REGISTRY", login.registry, "Registry host, e.g. ghcr.io or localhost:5000")->required();
  loginCmd->add_option("-u,--username", login.username, "User name");
  loginCmd->add_flag("--password-stdin", login.passwordStdin, "Read the password or token from stdin");
  loginCmd->add_flag("--insecure", login.insecure, "Allow plain HTTP and unverified TLS for this registry");

  LogoutOptions logout;
  auto* logoutCmd = app.add_subcommand("logout", "Remove stored credentials for a registry");
  logoutCmd->add_option("REGISTRY", logout.registry, "Registry host")->required();

  CompileOptions compile;
  auto* compileCmd = app.add_subcommand("compile", "Compile a module ahead of time into the artifact cache");
  compileCmd->add_option("FILE", compile.file, "A .wasm file")->required();
  compileCmd->add_option("--tier", compile.tier, "fast (tcc) or optimized (cc -O2)")->check(CLI::IsMember({"fast", "optimized"}));
  compileCmd->add_option("-o,--output", compile.output, "Also copy the artifact (a shared object) here");
  compileCmd->add_option("--cache-dir", compile.cacheDir, "Artifact cache folder (default: $XDG_CACHE_HOME/wasmops/artifacts)");

  RunOptions runOpts;
  auto* runCmd = app.add_subcommand("run", "Run a module (a WASI command's _start) or a component (wasi:cli/run), or --invoke a function");
  runCmd->add_option("--invoke", runOpts.invoke,
                    "Exported function to call: a module's FUNC with ARGS as its parameters, or a component's 'name(args)' "
                    "in WAVE (@FILE: read the call from FILE)");
  runCmd->add_option("--tier", runOpts.tier, "fast (tcc) or optimized (cc -O2); default: optimized when cached, else fast now and optimized in the background")->check(CLI::IsMember({"fast", "optimized"}));
  runCmd->add_option("--max-memory", runOpts.maxMemory, "Limit for each linear memory, e.g. 64MiB");
  runCmd->add_option("--cache-dir", runOpts.cacheDir, "Artifact cache folder");
  runCmd->add_option("--dir", runOpts.dirs, "Give the guest a host directory: HOST[::GUEST][:ro]")->allow_extra_args(false);
  runCmd->add_option("--env", runOpts.env, "Set a guest environment variable: KEY=VALUE (KEY alone: the host's value)")->allow_extra_args(false);
  runCmd->add_flag("--env-inherit", runOpts.envInherit, "Give the guest the whole host environment");
  runCmd->add_option("--timeout", runOpts.timeout, "Stop the guest after this long, e.g. 500ms, 5s (exit 124)");
  runCmd->add_option("--listen", runOpts.listen, "Give the guest a listening TCP socket on HOST:PORT (for sock_accept)")->allow_extra_args(false);
  runCmd->add_option("FILE", runOpts.file, "A .wasm file; every word after it is an argument")->required();

  // The options `up` and `serve` share: how the host serves, limits, logs.
  auto addHostOptions = [](CLI::App* cmd, UpOptions& o) {
    cmd->add_option("--tls-cert", o.tlsCert, "Serve HTTPS with this certificate chain (PEM); needs --tls-key");
    cmd->add_option("--tls-key", o.tlsKey, "The certificate's private key (PEM)");
    cmd->add_option("--admin", o.admin, "Admin listener for /healthz, /readyz, /metrics; off to disable")->capture_default_str();
    cmd->add_option("--env", o.env, "Set an environment variable for every component: KEY=VALUE")->allow_extra_args(false);
    cmd->add_option("--runtime-config-file", o.runtimeConfigFile,
                    "Spin runtime config (TOML): [key_value_store.LABEL] type = \"spin\", path = \"...\"; state_dir");
    cmd->add_option("--tier", o.tier, "fast (tcc) or optimized (cc -O2); default: optimized when cached, else fast")->check(CLI::IsMember({"fast", "optimized"}));
    cmd->add_option("--cache-dir", o.cacheDir, "Artifact cache folder");
    cmd->add_option("--threads", o.threads, "Worker threads (event loops); default: one per core");
    cmd->add_option("--max-instances", o.maxInstances, "Guest instances running at once; further requests queue")->capture_default_str();
    cmd->add_option("--max-queued", o.maxQueued, "Requests waiting for an instance; past it: 503 with Retry-After")->capture_default_str();
    cmd->add_option("--max-connections", o.maxConnections, "Open connections; further ones are closed")->capture_default_str();
    cmd->add_option("--deadline", o.deadline, "Time limit per request, e.g. 30s (504 after it; default 30s)");
    cmd->add_option("--max-memory", o.maxMemory, "Linear memory per instance, e.g. 128MiB (500 past it; default 128MiB)");
    cmd->add_option("--max-body", o.maxBody, "Request body size, e.g. 16MiB (413 past it; default 16MiB)");
    cmd->add_option("--request-timeout", o.requestTimeout, "Time a client has to send a whole request, e.g. 10s (default 10s)");
    cmd->add_option("--idle-timeout", o.idleTimeout, "Keep-alive connections idle this long are closed, e.g. 60s (default 60s)");
    cmd->add_option("--drain-ms", o.drainMs, "On SIGTERM/SIGINT, how long requests in flight may finish")->capture_default_str();
    cmd->add_option("--access-log", o.accessLog, "JSON-lines access log: - (stdout), off, or a file")->capture_default_str();
    cmd->add_option("--guest-log", o.guestLog, "Guests' output as JSON lines: - (stderr), off, or a file")->capture_default_str();
    cmd->add_flag("-q,--quiet", o.quiet, "Do not report each component as it is prepared");
  };

  UpOptions up;
  auto* upCmd = app.add_subcommand("up", "Serve a Spin application over HTTP, a fresh instance per request (docs/serving.md)");
  upCmd->add_option("-f,--file", up.file, "The manifest (spin.toml, wasmops.toml) or its folder; default: the current folder");
  upCmd->add_option("--from", up.from, "Pull the application from an OCI registry and serve it");
  upCmd->add_flag("--insecure", up.insecure, "Use plain HTTP for --from's registry");
  upCmd->add_option("--listen", up.listen, "Address to serve on, HOST:PORT (port 0: any free port)")->capture_default_str();
  upCmd->add_flag("--build", up.build, "Run each component's build.command first");
  addHostOptions(upCmd, up);

  UpOptions serveOpts;
  serveOpts.listen = "0.0.0.0:8080";  // wasmtime serve's default
  serveOpts.admin = "off";
  auto* serveCmd = app.add_subcommand("serve", "Serve one wasi:http component on every path, a fresh instance per request (as `wasmtime serve`)");
  serveCmd->add_option("COMPONENT", serveOpts.component, "The component: a .wasm file or an OCI reference")->required();
  serveCmd->add_option("--addr,--listen", serveOpts.listen, "Address to serve on, HOST:PORT (port 0: any free port)")->capture_default_str();
  serveCmd->add_flag("--insecure", serveOpts.insecure, "Use plain HTTP for the reference's registry");
  serveCmd
      ->add_option("--allow-outbound", serveOpts.allowOutbound,
                   "Let the component send requests to URL-PATTERN (Spin's allowed_outbound_hosts syntax, e.g. "
                   "https://api.example.com, http://127.0.0.1:*; repeatable; default: none)")
      ->allow_extra_args(false);
  addHostOptions(serveCmd, serveOpts);

  CacheOptions cacheOpts;
  auto* cacheCmd = app.add_subcommand("cache", "Inspect or clear the artifact cache");
  cacheCmd->add_option("ACTION", cacheOpts.action, "ls, size or clear")->required()->check(CLI::IsMember({"ls", "size", "clear"}));
  cacheCmd->add_option("--cache-dir", cacheOpts.cacheDir, "Artifact cache folder");

  // CLI11 would only say "a subcommand is required" for a misspelt command.
  if (argc > 1 && argv[1][0] != '-') {
    std::string first = argv[1];
    bool known = false;
    for (const auto* sub : app.get_subcommands({})) known |= sub->get_name() == first;
    if (!known) {
      std::fprintf(stderr, "wasmops: error: unknown command '%s' (see wasmops --help)\n",
                   first.c_str());
      return 2;
    }
  }

  // Options come before FILE; the words after it go to the program.
  const int fileIndex = runFileIndex(argc, argv, app, *runCmd);
  std::vector<char*> parsed(argv, argv + std::min(argc, fileIndex + 1));
  for (int k = fileIndex + 1; k < argc; ++k) runOpts.args.emplace_back(argv[k]);
  // "--" before FILE only ends the options; the parser must not see it.
  if (fileIndex < argc && fileIndex > 0 && std::string(argv[fileIndex - 1]) == "--") parsed.erase(parsed.end() - 2);
  try {
    app.parse(static_cast<int>(parsed.size()), parsed.data());
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 2;
  }

  auto format = log::parseFormat(logFormat);
  log::setup(format ? *format : log::Format::Human, verbose);

  if (inspectCmd->parsed()) return runInspect(inspect);
  if (printCmd->parsed()) return runPrint(print);
  if (validateCmd->parsed()) return runValidate(validate);
  if (witCmd->parsed()) return runWit(wit);
  if (compileCmd->parsed()) return runCompile(compile);
  if (runCmd->parsed()) return runRun(runOpts);
  if (cacheCmd->parsed()) return runCache(cacheOpts);
  if (upCmd->parsed()) return runUp(up);
  if (serveCmd->parsed()) return runServe(serveOpts);
  if (pushCmd->parsed()) return runPush(push);
  if (pullCmd->parsed()) return runPull(pull);
  if (loginCmd->parsed()) return runLogin(login);
  if (logoutCmd->parsed()) return runLogout(logout);
  return 2;
}

}  // namespace wasmops::cli
