// WAGI host tests: time slicing: busy-computes for the milliseconds in the query string (`?ms=50` or `?50`), then answers.
//
// The loop only reads the monotonic clock (clock_time_get) and computes; it
// never blocks, so only the host's epoch time slicing lets other requests run
// meanwhile. Answers 200 text/plain `busy MS ms\n`; without a number, 10 ms.
#include <stdio.h>
#include <time.h>

#include "cgi.h"

static volatile unsigned sink;

static long long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(void) {
  char arg[32];
  long ms = 10;
  if (query_param("ms", arg, sizeof arg) && *arg) {
    ms = strtol(arg, NULL, 10);
  } else {
    const char* q = getenv("QUERY_STRING");
    if (q && *q >= '0' && *q <= '9') ms = strtol(q, NULL, 10);
  }
  if (ms < 0) ms = 0;
  long long until = now_ns() + (long long)ms * 1000000LL;
  while (now_ns() < until)
    for (unsigned i = 0; i < 1000; ++i) sink = sink * 31 + i;  // some work between clock reads
  printf("Content-Type: text/plain\n\nbusy %ld ms\n", ms);
  return 0;
}
