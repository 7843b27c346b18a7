// Per-call cost of a cheap WASI call from guest code: N calls of
// clock_time_get (through wasi-libc's clock_gettime), timed by the guest.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char** argv) {
  const long n = argc > 1 ? atol(argv[1]) : 1000000;
  long long sink = 0;
  const long long start = now_ns();
  for (long i = 0; i < n; ++i) sink += now_ns() & 1;
  const long long end = now_ns();
  printf("%.1f ns per clock_time_get (%ld calls, checksum %lld)\n", (double)(end - start) / (double)n, n, sink);
  return 0;
}
