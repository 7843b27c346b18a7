#include "engine/TrapHandling.h"

#include <execinfo.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <ucontext.h>

#include <mutex>

#include <sys/resource.h>
#include <unistd.h>

extern "C" void* __libc_stack_end;  // glibc: the top of the main thread's stack

namespace wasmops::engine {

thread_local TrapTarget* tlTrapTarget = nullptr;

namespace {

thread_local std::uintptr_t tlStackLimit = 0;
thread_local std::uintptr_t tlFiberStackLimit = 0;

// tcc keeps a frame pointer in every function: [fp] is the caller's fp and
// [fp + 8] the return address. Code compiled without frame pointers makes the
// chain end early or point elsewhere, so every step must stay inside this
// thread's stack between here and the host->guest entry (`high`), going up.
__attribute__((noinline)) int walkFramePointers(void** out, int max, std::uintptr_t high) {
  auto fp = reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
  int n = 0;
  while (n < max && fp % sizeof(void*) == 0 && fp + 2 * sizeof(void*) <= high) {
    const auto* frame = reinterpret_cast<const std::uintptr_t*>(fp);
    out[n++] = reinterpret_cast<void*>(frame[1]);
    if (frame[0] <= fp) break;
    fp = frame[0];
  }
  return n;
}

struct sigaction gPrevSegv {}, gPrevBus {};

std::uintptr_t faultingPc(const void* context) {
  const auto* uc = static_cast<const ucontext_t*>(context);
#if defined(__x86_64__)
  return static_cast<std::uintptr_t>(uc->uc_mcontext.gregs[REG_RIP]);
#elif defined(__aarch64__)
  return static_cast<std::uintptr_t>(uc->uc_mcontext.pc);
#else
#error "wasmops supports x86-64 and aarch64 hosts"
#endif
}

void onFault(int sig, siginfo_t* info, void* context) {
  TrapTarget* target = tlTrapTarget;
  const std::uintptr_t pc = faultingPc(context);
  if (target && target->owner && target->owner->ownsGuestFault(reinterpret_cast<std::uintptr_t>(info->si_addr), pc)) {
    target->ctx = nullptr;
    target->pc = reinterpret_cast<const void*>(pc);
    target->frameCount = 0;
    target->fpFrameCount = 0;
    target->code = WASMOPS_TRAP_MEMORY_OOB;
    siglongjmp(target->buf, 1);  // SA_NODEFER: the signal is not left blocked
  }
  const struct sigaction& prev = sig == SIGBUS ? gPrevBus : gPrevSegv;
  if (prev.sa_flags & SA_SIGINFO) {
    prev.sa_sigaction(sig, info, context);
  } else if (prev.sa_handler != SIG_DFL && prev.sa_handler != SIG_IGN) {
    prev.sa_handler(sig);
  } else {
    // Back to the default action; returning re-runs the faulting
    // instruction, which now ends the process as it would have.
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    ::sigaction(sig, &dfl, nullptr);
  }
}

// Frees this thread's alternate stack at its exit (after disabling it).
struct AltStack {
  bool checked = false;
  void* base = nullptr;  // ours to free; null when the thread had its own
  std::size_t size = 0;
  ~AltStack() {
    if (!base) return;
    stack_t off{};
    off.ss_flags = SS_DISABLE;
    ::sigaltstack(&off, nullptr);
    ::munmap(base, size);
  }
};
thread_local AltStack tlAltStack;

}  // namespace

void installFaultHandler() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa {};
    sa.sa_sigaction = onFault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGSEGV, &sa, &gPrevSegv);
    ::sigaction(SIGBUS, &sa, &gPrevBus);
  });
}

void ensureAltStack() {
  if (tlAltStack.checked) return;
  tlAltStack.checked = true;
  stack_t current{};
  if (::sigaltstack(nullptr, &current) == 0 && !(current.ss_flags & SS_DISABLE)) return;  // the thread has its own
  const std::size_t size = 64 * 1024;
  void* p = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return;
  stack_t ss{};
  ss.ss_sp = p;
  ss.ss_size = size;
  if (::sigaltstack(&ss, nullptr) != 0) {
    ::munmap(p, size);
    return;
  }
  tlAltStack.base = p;
  tlAltStack.size = size;
}

void captureTrapFrames(TrapTarget& target) {
  // Only the frames near the trap: an exhausted stack is deep, and the
  // unwinder stops by itself at code without unwind tables (tcc's).
  target.frameCount = ::backtrace(target.frames.data(), static_cast<int>(target.frames.size()));
  target.fpFrameCount = walkFramePointers(target.fpFrames.data(), static_cast<int>(target.fpFrames.size()),
                                          reinterpret_cast<std::uintptr_t>(&target));
}

void raiseTrap(int code) {
  tlTrapTarget->code = code;
  siglongjmp(tlTrapTarget->buf, 1);
}

void setFiberStackLimit(std::uintptr_t limit) { tlFiberStackLimit = limit; }
std::uintptr_t fiberStackLimit() { return tlFiberStackLimit; }

std::uintptr_t threadStackLimit() {
  if (tlFiberStackLimit) return tlFiberStackLimit;
  if (tlStackLimit) return tlStackLimit;
  // The main thread: its stack ends at __libc_stack_end and may grow down to
  // RLIMIT_STACK. pthread_getattr_np would parse /proc/self/maps for this,
  // milliseconds of every `wasmops run`.
  rlimit rl{};
  if (::getpid() == static_cast<pid_t>(::gettid()) && ::getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
      rl.rlim_cur < reinterpret_cast<std::uintptr_t>(__libc_stack_end)) {
    tlStackLimit = reinterpret_cast<std::uintptr_t>(__libc_stack_end) - rl.rlim_cur + 256 * 1024;
    return tlStackLimit;
  }
  pthread_attr_t attr;
  void* addr = nullptr;
  std::size_t size = 0;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    pthread_attr_getstack(&attr, &addr, &size);
    pthread_attr_destroy(&attr);
  }
  // Leave room below the limit for the trap path and host code.
  tlStackLimit = reinterpret_cast<std::uintptr_t>(addr) + 256 * 1024;
  return tlStackLimit;
}

}  // namespace wasmops::engine
