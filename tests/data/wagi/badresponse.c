// WAGI host tests: malformed CGI responses, each a 500 with the reason in the log (`?kind=KIND`, default noblank).
//
//   noblank     valid header lines, but no empty line ever ends the header section
//   nocolon     a header line without a colon, then a normal empty line and body
//   empty       nothing at all on stdout
//   noheaders   an empty line first: a body with no Content-Type, Location or Status
//   hugeheader  a 1 MiB header value (over any sane header-section limit), then a body
#include "cgi.h"

int main(void) {
  char kind[32];
  if (!query_param("kind", kind, sizeof kind) || !*kind) strcpy(kind, "noblank");
  if (!strcmp(kind, "noblank")) {
    write_str(1, "Content-Type: text/plain\nX-Note: no empty line follows\n");
  } else if (!strcmp(kind, "nocolon")) {
    write_str(1, "Content-Type: text/plain\nthis header line has no colon\n\nbody\n");
  } else if (!strcmp(kind, "empty")) {
    // nothing
  } else if (!strcmp(kind, "noheaders")) {
    write_str(1, "\nbody without headers\n");
  } else if (!strcmp(kind, "hugeheader")) {
    static char big[1 << 20];
    memset(big, 'x', sizeof big);
    write_str(1, "Content-Type: text/plain\nX-Big: ");
    write_all(1, big, sizeof big);
    write_str(1, "\n\nbody\n");
  } else {
    write_str(2, "badresponse: unknown kind\n");
    write_str(1, "Status: 400 Bad Request\nContent-Type: text/plain\n\nunknown kind\n");
  }
  return 0;
}
