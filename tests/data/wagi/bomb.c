// WAGI host tests: a memory bomb: allocates 1 MiB chunks, touching every byte, until the instance's memory limit stops it (500).
//
// When an allocation fails (memory.grow returned -1 at the limit) it says so on
// stderr and aborts (a trap), as a C program out of memory does; with
// `?on_fail=retry` it keeps trying forever instead, so only the deadline (504)
// or a host that ends the instance at the limit stops it. Never answers.
#include <stdio.h>

#include "cgi.h"

static void* volatile head;  // every chunk stays reachable, so no allocation or store can be optimized away

int main(void) {
  char mode[16];
  int retry = query_param("on_fail", mode, sizeof mode) && !strcmp(mode, "retry");
  unsigned long mib = 0;
  for (;;) {
    char* p = malloc(1 << 20);
    if (!p) {
      if (retry) continue;
      fprintf(stderr, "bomb: allocation refused after %lu MiB\n", mib);
      abort();
    }
    memset(p, (int)(mib & 0xff) | 1, 1 << 20);  // touch every page
    *(void**)p = head;
    head = p;
    ++mib;
  }
}
