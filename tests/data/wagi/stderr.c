// WAGI host tests: guest stderr goes to the host's log (per component, with the request id), never into the response.
//
// Writes three lines to stderr (`stderr line 1 of 3` ... `3 of 3`), then
// answers 200 text/plain `ok\n`.
#include <stdio.h>

int main(void) {
  for (int i = 1; i <= 3; ++i) fprintf(stderr, "stderr line %d of 3\n", i);
  printf("Content-Type: text/plain\n\nok\n");
  return 0;
}
