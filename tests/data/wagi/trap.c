// WAGI host tests: a guest that traps (`unreachable`): 500 with the request id, the host stays healthy (1,000 in a row).
//
// With `?partial=1` it first writes a complete-looking response to stdout
// (headers and part of a body), so a test can check that output written before
// a trap is never sent.
#include "cgi.h"

int main(void) {
  char arg[8];
  if (query_param("partial", arg, sizeof arg)) write_str(1, "Content-Type: text/plain\n\npartial body before the trap\n");
  __builtin_trap();
}
