// `wasmops up`: serve a Spin application (docs/wagi.md). Loading (manifest,
// compile, link) finishes before "Serving" is printed, so no request pays
// for a compile; SIGINT/SIGTERM drain the server.
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstring>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/LockedApp.h"
#include "app/OutboundHosts.h"
#include "app/RuntimeConfig.h"
#include "app/SpinManifest.h"
#include "base/Process.h"
#include "base/UniqueFd.h"
#include "cli/Commands.h"
#include "cli/RegistrySettings.h"
#include "cli/SizeArgument.h"
#include "cli/WasiArguments.h"
#include "engine/ArtifactCache.h"
#include "http/AdminEndpoint.h"
#include "http/AppHost.h"
#include "http/HostTelemetry.h"
#include "oci/ContentStore.h"
#include "oci/Pull.h"
#include "ops/HostMetrics.h"
#include "ops/LogSink.h"
#include "wasmops/version.h"

namespace wasmops::cli {

namespace {

// The write end of the pipe the signal handler wakes the stopping thread
// through (a handler may only do async-signal-safe things).
std::atomic<int> gSignalPipe{-1};

extern "C" void onStopSignal(int sig) {
  const int fd = gSignalPipe.load();
  if (fd >= 0) {
    const unsigned char byte = static_cast<unsigned char>(sig);
    const int saved = errno;
    (void)!::write(fd, &byte, 1);
    errno = saved;
  }
}

// Installs the handlers for its lifetime; wait() returns the signal.
class StopSignals {
 public:
  static Expected<std::unique_ptr<StopSignals>> install() {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return makeError(ErrorCode::Io, fmt::format("pipe: {}", std::strerror(errno)));
    auto s = std::unique_ptr<StopSignals>(new StopSignals(UniqueFd(fds[0]), UniqueFd(fds[1])));
    gSignalPipe.store(s->write_.get());
    struct sigaction sa {};
    sa.sa_handler = onStopSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    ::sigaction(SIGINT, &sa, nullptr);
    ::sigaction(SIGTERM, &sa, nullptr);
    return s;
  }
  // The handlers stay, doing nothing: the server has stopped and the
  // process is on its way out, and a second SIGTERM (a supervisor that
  // repeats itself) must not kill it halfway through its exit with status
  // -15 instead of 0.
  ~StopSignals() { gSignalPipe.store(-1); }
  // Blocks until a signal arrives or wake() is called; returns the signal, or 0.
  int wait() {
    unsigned char byte = 0;
    while (::read(read_.get(), &byte, 1) < 0 && errno == EINTR) {
    }
    return byte;
  }
  void wake() {
    const unsigned char zero = 0;
    (void)!::write(write_.get(), &zero, 1);
  }

 private:
  StopSignals(UniqueFd r, UniqueFd w) : read_(std::move(r)), write_(std::move(w)) {}
  UniqueFd read_, write_;
};

// `--build`: each component's build.command, in its workdir (relative to
// the manifest's folder), before anything is loaded.
Expected<void> runBuilds(const app::SpinApp& spinApp) {
  const std::filesystem::path root = std::filesystem::path(spinApp.manifestPath).parent_path();
  for (const auto& c : spinApp.locked.components) {
    if (!c.metadata.contains("build")) continue;
    const auto& build = c.metadata["build"];
    if (!build.contains("command") || !build["command"].is_string()) continue;
    const std::string command = build["command"].get<std::string>();
    std::string workdir = root.empty() ? "." : root.string();
    if (build.contains("workdir") && build["workdir"].is_string())
      workdir = (std::filesystem::path(workdir) / build["workdir"].get<std::string>()).string();
    std::fprintf(stderr, "Building component %s with `%s`\n", c.id.c_str(), command.c_str());
    ProcessSpec spec;
    spec.argv = {"sh", "-c", "cd \"$1\" && eval \"$2\"", "sh", workdir, command};
    spec.maxCapture = 8u << 20;
    WASMOPS_TRY(auto result, runProcess(spec));
    std::fwrite(result.out.data(), 1, result.out.size(), stderr);
    std::fwrite(result.err.data(), 1, result.err.size(), stderr);
    if (!result.ok())
      return makeError(ErrorCode::Io, fmt::format("component '{}': build command `{}` failed (status {})", c.id,
                                                      command, result.status()));
  }
  return {};
}

// `--from REF`: the application pulled (digest-verified) into the local
// store's folder for that manifest digest, which later runs reuse.
Expected<std::string> pullApplication(const UpOptions& options) {
  WASMOPS_TRY(auto ref, parseReferenceArgument(options.from));
  WASMOPS_TRY(auto registry, registryOptionsFor(ref.registry, options.insecure));
  WASMOPS_TRY(auto store, oci::ContentStore::open(oci::ContentStore::defaultRoot()));
  oci::PullOptions pull;
  pull.registry = std::move(registry);
  const std::string apps = engine::defaultCacheRoot() + "/apps";
  pull.outputDir = apps;
  // One folder per reference; a later pull of it replaces the folder's contents.
  std::string folder = ref.str();
  for (char& ch : folder)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '.' && ch != '-') ch = '_';
  pull.appDir = apps + "/" + folder;
  std::error_code ec;
  std::filesystem::create_directories(apps, ec);
  WASMOPS_TRY(auto result, oci::pullArtifact(ref, store, pull));
  if (!result.application)
    return makeError(ErrorCode::Invalid, fmt::format("{} is a single wasm file, not an application; run it with "
                                                     "`wasmops run {}`",
                                                     options.from, result.file));
  std::fprintf(stderr, "Pulled %s\n", result.digestReference.c_str());
  return result.file;
}

Expected<http::ServerOptions> serverOptions(const UpOptions& options, const std::string& listen) {
  http::ServerOptions s;
  s.listen = listen;
  s.tlsCert = options.tlsCert;
  s.tlsKey = options.tlsKey;
  s.threads = options.threads;
  if (!options.maxBody.empty()) WASMOPS_TRY_ASSIGN(s.maxBodyBytes, parseSize(options.maxBody));
  s.maxConnections = options.maxConnections;
  if (!options.requestTimeout.empty()) WASMOPS_TRY_ASSIGN(s.requestTimeout, parseDuration(options.requestTimeout));
  if (!options.idleTimeout.empty()) WASMOPS_TRY_ASSIGN(s.idleTimeout, parseDuration(options.idleTimeout));
  return s;
}

Expected<http::HostOptions> hostOptions(const UpOptions& options) {
  http::HostOptions h;
  if (!options.deadline.empty()) WASMOPS_TRY_ASSIGN(h.limits.deadline, parseDuration(options.deadline));
  if (!options.maxMemory.empty()) WASMOPS_TRY_ASSIGN(h.limits.maxMemoryBytes, parseSize(options.maxMemory));
  h.maxActive = options.maxInstances;
  h.maxQueued = options.maxQueued;
  if (h.maxActive == 0) return makeError(ErrorCode::Usage, "--max-instances must be at least 1");
  return h;
}

Expected<std::optional<ops::LogSink>> openLog(const std::string& where, bool standardOutput) {
  if (where == "off") return std::optional<ops::LogSink>();
  if (where.empty() || where == "-")
    return std::optional<ops::LogSink>(standardOutput ? ops::LogSink::standardOutput() : ops::LogSink::standardError());
  WASMOPS_TRY(auto sink, ops::LogSink::openFile(where));
  return std::optional<ops::LogSink>(std::move(sink));
}

// The manifest `up` serves: a file, a folder's, or one pulled with --from.
Expected<app::SpinApp> manifestApplication(const UpOptions& options) {
  std::string manifest;
  if (!options.from.empty()) {
    WASMOPS_TRY_ASSIGN(manifest, pullApplication(options));
  } else {
    WASMOPS_TRY_ASSIGN(manifest, app::locateManifest(options.file.empty() ? "." : options.file));
  }
  if (options.build) {
    // The sources are what the build writes: they need not exist yet.
    WASMOPS_TRY(auto plan, app::loadSpinManifest(manifest, {.sourcesMustExist = false}));
    WASMOPS_TRY_VOID(runBuilds(plan));
  }
  return app::loadSpinManifest(manifest);
}

// `--allow-outbound` entries, checked as a manifest's allowed_outbound_hosts
// are, but named after the flag: `serve` has no manifest to point into.
Expected<void> checkAllowOutbound(const std::vector<std::string>& entries) {
  for (const auto& entry : entries) {
    if (entry.find("{{") != std::string::npos)
      return makeError(ErrorCode::Usage,
                       fmt::format("--allow-outbound {}: `serve` has no application variables to fill a template "
                                   "with; write the URL pattern itself",
                                   entry));
    if (auto ok = app::checkAllowedOutboundHost(entry); !ok)
      return makeError(ErrorCode::Usage, fmt::format("--allow-outbound {}: {}", entry, ok.error().message));
  }
  return {};
}

// `serve`'s component as an application of one component on every path,
// as `wasmtime serve` serves it. A reference is pulled first. The component
// may open "default" and every store the runtime config defines (the one who
// wrote that file meant them for it; there is no manifest to list them), and
// send requests only where --allow-outbound says.
Expected<app::SpinApp> componentApplication(const UpOptions& options, const app::RuntimeConfig* runtimeConfig) {
  WASMOPS_TRY_VOID(checkAllowOutbound(options.allowOutbound));
  std::string file = options.component;
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    auto ref = parseReferenceArgument(file);
    if (!ref) return makeError(ErrorCode::NotFound, fmt::format("{}: no such file (nor an OCI reference: {})", file, ref.error().message));
    WASMOPS_TRY(auto registry, registryOptionsFor(ref->registry, options.insecure));
    WASMOPS_TRY(auto store, oci::ContentStore::open(oci::ContentStore::defaultRoot()));
    oci::PullOptions pull;
    pull.registry = std::move(registry);
    pull.outputDir = engine::defaultCacheRoot() + "/components";
    std::filesystem::create_directories(pull.outputDir, ec);
    WASMOPS_TRY(auto result, oci::pullArtifact(*ref, store, pull));
    if (result.application)
      return makeError(ErrorCode::Invalid, fmt::format("{} is a Spin application, not one component; serve it with "
                                                       "`wasmops up --from {}`", file, file));
    std::fprintf(stderr, "Pulled %s\n", result.digestReference.c_str());
    file = result.file;
  }
  const std::filesystem::path path = std::filesystem::absolute(file, ec);
  // A component id Spin accepts: lower-case words and digits joined by '-'.
  std::string id;
  for (char ch : path.stem().string()) {
    const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (std::isalnum(static_cast<unsigned char>(c))) id += c;
    else if (!id.empty() && id.back() != '-') id += '-';
  }
  while (!id.empty() && id.back() == '-') id.pop_back();
  if (id.empty() || !std::isalpha(static_cast<unsigned char>(id.front()))) id = "component-" + id;
  if (id.back() == '-') id.pop_back();
  // A JSON string (and an array of them) is a TOML basic string (array).
  nlohmann::json source = path.string();
  nlohmann::json stores = nlohmann::json::array({"default"});
  if (runtimeConfig)
    for (const auto& [label, store] : runtimeConfig->keyValueStores) {
      if (label == "default") continue;
      // A label no manifest could list (Spin's kebab_or_snake_case) is
      // skipped, said of the runtime config rather than of a manifest the
      // user never wrote.
      if (!app::isKebabId(label) && !app::isLowerSnakeId(label)) {
        std::fprintf(stderr,
                     "wasmops: warning: %s:%u:%u: [key_value_store.%s] is not granted to the component: a label "
                     "a component can use is kebab-case or snake_case\n",
                     runtimeConfig->path.c_str(), store.line, store.column, label.c_str());
        continue;
      }
      stores.push_back(label);
    }
  nlohmann::json outbound = options.allowOutbound;
  const std::string text = fmt::format(
      "spin_manifest_version = 2\n[application]\nname = \"{0}\"\n[[trigger.http]]\nroute = \"/...\"\n"
      "component = \"{0}\"\n[component.{0}]\nsource = {1}\nkey_value_stores = {2}\n"
      "allowed_outbound_hosts = {3}\n",
      id, source.dump(), stores.dump(), outbound.dump());
  return app::parseSpinManifest(text, path.string(), path.parent_path().string());
}

int serve(const UpOptions& options) {
  // The runtime config first: a mistake in it is found before anything is
  // pulled, built or compiled.
  std::optional<app::RuntimeConfig> runtimeConfig;
  if (!options.runtimeConfigFile.empty()) {
    auto loaded = app::loadRuntimeConfig(options.runtimeConfigFile);
    if (!loaded) return reportError(loaded.error());
    for (const auto& w : loaded->warnings)
      std::fprintf(stderr, "wasmops: warning: %s\n", w.format(options.runtimeConfigFile).c_str());
    runtimeConfig = std::move(*loaded);
  }
  const app::RuntimeConfig* config = runtimeConfig ? &*runtimeConfig : nullptr;
  auto spinApp = options.component.empty() ? manifestApplication(options) : componentApplication(options, config);
  if (!spinApp) return reportError(spinApp.error());
  const std::string& manifest = spinApp->manifestPath;
  for (const auto& w : spinApp->warnings) std::fprintf(stderr, "wasmops: warning: %s\n", w.format(manifest).c_str());

  http::LoadOptions load;
  if (!options.tier.empty()) {
    auto tier = engine::parseTier(options.tier);
    if (!tier) return reportError(tier.error());
    load.tier = *tier;
  }
  load.cacheDir = options.cacheDir;
  load.env = options.env;
  load.runtimeConfig = config;
  // `serve`'s "default" store lives in ./.spin: the component's own folder
  // may be the artifact cache (a pulled reference) or read-only.
  if (!options.component.empty()) {
    std::error_code ec;
    load.stateBase = std::filesystem::current_path(ec).string();
    if (ec) return reportError(Error(ErrorCode::Io, fmt::format("the working folder: {}", ec.message())));
  }
  if (!options.quiet) load.progress = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
  auto application = http::Application::load(*spinApp, load);
  if (!application) return reportError(application.error());
  std::shared_ptr<const http::Application> app = std::move(*application);
  if (app->componentCount() == 0)
    return reportError(Error(ErrorCode::Invalid, fmt::format("{}: the application has no HTTP routes to serve", manifest)));

  auto hostOpts = hostOptions(options);
  if (!hostOpts) return reportError(hostOpts.error());
  auto serverOpts = serverOptions(options, options.listen);
  if (!serverOpts) return reportError(serverOpts.error());

  ops::MetricsRegistry registry;
  auto metrics = ops::HostMetrics::create(registry, WASMOPS_VERSION_STRING);
  if (!metrics) return reportError(metrics.error());
  auto accessSink = openLog(options.accessLog, true);
  if (!accessSink) return reportError(accessSink.error());
  auto guestSink = openLog(options.guestLog, false);
  if (!guestSink) return reportError(guestSink.error());
  http::HostTelemetry telemetry(*metrics, *accessSink ? &**accessSink : nullptr, *guestSink ? &**guestSink : nullptr);
  http::AppHost host(app, *hostOpts, telemetry);

  auto server = http::Server::create(*serverOpts, host);
  if (!server) return reportError(server.error());
  std::atomic<bool> ready{false};
  http::AdminEndpoint adminHandler(registry, ready);
  std::unique_ptr<http::Server> admin;
  if (options.admin != "off") {
    http::ServerOptions a;
    a.listen = options.admin;
    a.threads = 1;
    a.maxConnections = 64;
    auto created = http::Server::create(a, adminHandler);
    if (!created) return reportError(created.error());
    admin = std::move(*created);
  }
  auto signals = StopSignals::install();
  if (!signals) return reportError(signals.error());

  std::thread adminThread;
  if (admin) adminThread = std::thread([&] { admin->run(); });
  std::thread stopper([&] {
    const int sig = (*signals)->wait();
    ready.store(false);
    if (sig != 0)
      std::fprintf(stderr, "Stopping (signal %d): draining requests in flight for up to %lld ms\n", sig,
                   static_cast<long long>(options.drainMs));
    (*server)->stop(std::chrono::milliseconds(options.drainMs));
  });
  ready.store(true);
  std::printf("Serving %s://%s\n", (*server)->tls() ? "https" : "http", (*server)->boundAddress().c_str());
  for (const auto& entry : app->routes().entries())
    std::printf("  %s -> %s\n", entry.route.raw.c_str(), entry.component.c_str());
  if (admin) std::printf("Admin: http://%s (/healthz /readyz /metrics)\n", admin->boundAddress().c_str());
  std::fflush(stdout);

  (*server)->run();
  (*signals)->wake();  // run() may also end on its own
  stopper.join();
  if (admin) {
    admin->stop(std::chrono::milliseconds(0));
    adminThread.join();
  }
  std::fprintf(stderr, "Stopped\n");
  return 0;
}

}  // namespace

int runUp(const UpOptions& options) { return serve(options); }

int runServe(const UpOptions& options) { return serve(options); }

}  // namespace wasmops::cli
