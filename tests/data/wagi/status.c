// WAGI host tests: `Status:` and `Location:` handling (`?status=302&location=/x`), and a guest's own extra header.
//
// Answers with, in this order:
//   Status: STATUS         when `status` is given (percent-decoded, written as it is: `302`, `404 Not Found`)
//   Location: LOCATION     when `location` is given (percent-decoded, written as it is)
//   X-Custom: yes          always
//   Content-Type: TYPE     `type` (default text/plain); `?type=` (empty) leaves the line out
// then the body `status test\n`.
#include <stdio.h>

#include "cgi.h"

int main(void) {
  char status[256], location[1024], type[256];
  if (query_param("status", status, sizeof status)) printf("Status: %s\n", status);
  if (query_param("location", location, sizeof location)) printf("Location: %s\n", location);
  printf("X-Custom: yes\n");
  if (!query_param("type", type, sizeof type)) strcpy(type, "text/plain");
  if (*type) printf("Content-Type: %s\n", type);
  printf("\nstatus test\n");
  return 0;
}
