#include "cli/WasiArguments.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

namespace wasmops::cli {

Expected<embed::WasiPreopen> parseDirArgument(const std::string& text) {
  embed::WasiPreopen p;
  std::string spec = text;
  if (spec.size() > 3 && spec.ends_with(":ro")) {
    p.readOnly = true;
    spec.resize(spec.size() - 3);
  }
  const auto sep = spec.find("::");
  p.hostPath = spec.substr(0, sep);
  p.guestPath = sep == std::string::npos ? spec : spec.substr(sep + 2);
  if (p.hostPath.empty() || p.guestPath.empty())
    return makeError(ErrorCode::Usage, fmt::format("--dir '{}': expected HOST[::GUEST][:ro]", text));
  return p;
}

Expected<std::string> parseEnvArgument(const std::string& text) {
  const auto eq = text.find('=');
  if (eq == 0 || text.empty()) return makeError(ErrorCode::Usage, fmt::format("--env '{}': expected KEY=VALUE", text));
  if (eq != std::string::npos) return text;
  const char* v = std::getenv(text.c_str());
  if (!v) return std::string();  // not set on the host: nothing to pass
  return text + "=" + v;
}

Expected<std::chrono::milliseconds> parseDuration(const std::string& text) {
  char* end = nullptr;
  errno = 0;
  const double n = std::strtod(text.c_str(), &end);
  const std::string unit(end ? end : "");
  double ms = -1;
  if (unit.empty() || unit == "s") ms = n * 1000;
  else if (unit == "ms") ms = n;
  else if (unit == "m") ms = n * 60000;
  else if (unit == "h") ms = n * 3600000;
  if (errno || text.empty() || end == text.c_str() || !(ms > 0) || !std::isfinite(ms) || ms > 1e12)
    return makeError(ErrorCode::Usage, fmt::format("duration '{}': expected e.g. 500ms, 5s, 2m", text));
  return std::chrono::milliseconds(static_cast<long long>(std::ceil(ms)));
}

Expected<UniqueFd> listenOn(const std::string& address) {
  std::string host, port;
  if (!address.empty() && address.front() == '[') {
    const auto close = address.find("]:");
    if (close != std::string::npos) {
      host = address.substr(1, close - 1);
      port = address.substr(close + 2);
    }
  } else if (const auto colon = address.rfind(':'); colon != std::string::npos) {
    host = address.substr(0, colon);
    port = address.substr(colon + 1);
  }
  if (host.empty() || port.empty())
    return makeError(ErrorCode::Usage, fmt::format("--listen '{}': expected HOST:PORT", address));
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* res = nullptr;
  if (int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &res); rc != 0)
    return makeError(ErrorCode::Usage, fmt::format("--listen '{}': {}", address, ::gai_strerror(rc)));
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> guard(res, ::freeaddrinfo);
  UniqueFd fd(::socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return makeError(ErrorCode::Io, fmt::format("--listen '{}': {}", address, std::strerror(errno)));
  const int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd.get(), res->ai_addr, res->ai_addrlen) != 0 || ::listen(fd.get(), SOMAXCONN) != 0)
    return makeError(ErrorCode::Io, fmt::format("--listen '{}': {}", address, std::strerror(errno)));
  return fd;
}

}  // namespace wasmops::cli
