#include "http/AppHost.h"

#include <fmt/format.h>

#include <mutex>

namespace wasmops::http {

using Clock = std::chrono::steady_clock;

// One request on its way through the host.
struct AppHost::Exchange {
  Request request;
  EventLoop* loop = nullptr;
  std::function<void(Response)> respond;
  Clock::time_point arrived;
  std::size_t bytesIn = 0;
  std::optional<Application::Target> target;
  std::unique_ptr<GuestRun> run;
  bool admitted = false;
  int sentStatus = 0;  // a streamed response's, once its head went out
  std::shared_ptr<wasi::BodyPipe> bodyIn;  // the request body as it came, for its size
};

AppHost::AppHost(std::shared_ptr<const Application> app, HostOptions options, HostObserver& observer)
    : app_(std::move(app)), options_(options), observer_(observer), admission_(options.maxActive, options.maxQueued) {}

void AppHost::handle(Request request, EventLoop& loop, std::function<void(Response)> respond) {
  auto x = std::make_shared<Exchange>();
  x->arrived = Clock::now();
  x->bytesIn = request.body.size();
  x->bodyIn = request.bodyStream;
  x->request = std::move(request);
  x->loop = &loop;
  x->respond = std::move(respond);
  x->target = app_->route(x->request.path);
  if (!x->target) {
    observer_.rejected(Rejection::NoRoute);
    return finish(*x, Response::text(404, "Not Found"), nullptr);
  }
  if (x->request.bodyStream && !x->target->component->streamsRequestBody()) return readWholeBody(std::move(x));
  admit(std::move(x));
}

// For an executor that wants the body whole (WAGI's stdin): read it all
// before the request waits for a guest, within the server's --max-body.
void AppHost::readWholeBody(std::shared_ptr<Exchange> x) {
  wasi::BodyPipe& body = *x->request.bodyStream;
  x->request.body += body.take();
  switch (body.state()) {
    case wasi::BodyPipe::State::Open:
      return body.readable()->whenReady([this, x] { x->loop->post([this, x] { readWholeBody(x); }); });
    case wasi::BodyPipe::State::Failed:
      if (body.overflowed()) return finish(*x, Response::text(413, "request body too large"), nullptr);
      return finish(*x, Response::text(400, "bad request: " + body.failure()), nullptr);
    case wasi::BodyPipe::State::Finished: break;
  }
  x->request.bodyStream.reset();
  admit(std::move(x));
}

void AppHost::admit(std::shared_ptr<Exchange> x) {
  const auto verdict = admission_.admit([this, x] {
    // A slot freed up on another loop: continue on this request's own.
    x->loop->post([this, x] { runGuest(x); });
  });
  observer_.queueChanged(admission_.active(), admission_.queued());
  if (verdict == Admission::Verdict::Rejected) {
    observer_.rejected(Rejection::QueueFull);
    Response r = Response::text(503, fmt::format("Service Unavailable: too many requests in flight (request id {})",
                                                 x->request.requestId));
    r.headers.emplace_back("Retry-After", "1");
    return finish(*x, std::move(r), nullptr);
  }
  if (verdict == Admission::Verdict::Run) runGuest(x);
}

void AppHost::runGuest(std::shared_ptr<Exchange> x) {
  x->admitted = true;
  auto run = x->target->component->start(x->request, x->target->match, options_.limits);
  if (!run) {
    GuestOutcome failed;
    failed.kind = GuestOutcome::Kind::StartFailed;
    failed.detail = run.error().message;
    failed.response = Response::text(500, fmt::format("Internal Server Error (request id {})", x->request.requestId));
    return finish(*x, failed.response, &failed);
  }
  x->run = std::move(*run);
  stepGuest(std::move(x));
}

// A waiting guest's next step, posted once: by its wake (any thread) or by
// the loop's timer, whichever comes first. When the loop goes away with the
// timer pending (the server stopped), the timer's guard disarms it under
// the same lock, so a late wake never posts to a loop that is gone.
struct AppHost::Resumption {
  std::mutex mu;
  AppHost* host = nullptr;
  std::shared_ptr<Exchange> x;  // null once posted or disarmed
  // Cancels the loop's timer (on the loop's thread): a guest woken early
  // does not leave its timer and Exchange waiting until the deadline.
  std::function<void()> cancelTimer;
  bool fired = false;

  void fire() {
    std::lock_guard lock(mu);
    fired = true;
    if (!x) return;
    EventLoop* loop = x->loop;
    loop->post([h = host, ex = std::move(x), cancel = std::move(cancelTimer)]() mutable {
      if (cancel) cancel();
      h->stepGuest(std::move(ex));
    });
    x.reset();
  }
  // The timer's cancel, once set: run now (on the loop's thread, where this
  // is called) if the wake came first.
  void setTimer(std::function<void()> cancel) {
    std::unique_lock lock(mu);
    if (!fired) {
      cancelTimer = std::move(cancel);
      return;
    }
    lock.unlock();
    cancel();
  }
  void disarm() {
    std::shared_ptr<Exchange> dropped;
    std::lock_guard lock(mu);
    dropped = std::move(x);
    x.reset();
  }
  struct Guard {
    std::shared_ptr<Resumption> r;
    ~Guard() {
      if (r) r->disarm();
    }
  };
};

// One slice now; the rest behind whatever else this loop has to do, or,
// for a guest that waits (an outbound response, a clock), once what it
// waits for is there.
void AppHost::stepGuest(std::shared_ptr<Exchange> x) {
  if (!x->run->step()) {
    if (x->sentStatus == 0)
      if (auto head = x->run->streamingResponse()) {
        x->sentStatus = head->status;
        x->respond(std::move(*head));
      }
    EventLoop* loop = x->loop;
    auto next = std::make_shared<Resumption>();
    next->host = this;
    next->x = x;
    const auto until = x->run->waitingUntil([next] { next->fire(); });
    if (!until) return next->fire();
    auto guard = std::make_shared<Resumption::Guard>();
    guard->r = std::move(next);
    auto cancel = loop->postAt(*until, [guard] { guard->r->fire(); });
    return guard->r->setTimer(std::move(cancel));
  }
  GuestOutcome outcome = x->run->finish();
  x->run.reset();  // the instance goes before the response is written
  Response r = std::move(outcome.response);
  finish(*x, std::move(r), &outcome);
}

// `response` goes out unless a streamed one did already (its status is
// the one recorded then).
void AppHost::finish(Exchange& x, Response response, const GuestOutcome* outcome) {
  if (x.admitted) {
    x.admitted = false;
    admission_.release();
    observer_.queueChanged(admission_.active(), admission_.queued());
  }
  RequestRecord rec;
  rec.request = &x.request;
  if (x.target) {
    rec.route = x.target->match.entry->route.raw;
    rec.component = x.target->match.entry->component;
  }
  rec.status = x.sentStatus ? x.sentStatus : response.status;
  rec.duration = Clock::now() - x.arrived;
  rec.bytesIn = x.bodyIn ? static_cast<std::size_t>(x.bodyIn->totalWritten()) : x.bytesIn;
  rec.bytesOut = response.stream ? static_cast<std::size_t>(response.stream->totalWritten()) : response.body.size();
  rec.guest = outcome;
  observer_.completed(rec);
  if (x.sentStatus == 0) x.respond(std::move(response));
}

}  // namespace wasmops::http
