#include "http/AdminEndpoint.h"

#include "ops/PrometheusText.h"

namespace wasmops::http {

void AdminEndpoint::handle(Request request, EventLoop&, std::function<void(Response)> respond) {
  if (request.method != "GET" && request.method != "HEAD") {
    Response r = Response::text(405, "Method Not Allowed");
    r.headers.emplace_back("Allow", "GET, HEAD");
    return respond(std::move(r));
  }
  if (request.path == "/healthz") return respond(Response::text(200, "ok\n"));
  if (request.path == "/readyz")
    return respond(ready_.load() ? Response::text(200, "ready\n") : Response::text(503, "not ready\n"));
  if (request.path == "/metrics") {
    Response r;
    r.status = 200;
    r.headers.emplace_back("Content-Type", std::string(ops::kPrometheusTextContentType));
    r.body = ops::renderPrometheusText(registry_);
    return respond(std::move(r));
  }
  respond(Response::text(404, "Not Found: the admin listener serves /healthz, /readyz and /metrics\n"));
}

}  // namespace wasmops::http
