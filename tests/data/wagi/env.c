// WAGI host tests: exact checks of the CGI/Spin variables and argv a request produces (one `KEY=VALUE` line each).
//
// Answers 200 text/plain: every environment variable as `KEY=VALUE`, in the
// order the host passed them, then `argc=N` and `argv[I]=WORD` for each
// argument (names that cannot clash with a variable's).
#include <stdio.h>

extern char** environ;

int main(int argc, char** argv) {
  printf("Content-Type: text/plain\n\n");
  for (char** e = environ; e && *e; ++e) printf("%s\n", *e);
  printf("argc=%d\n", argc);
  for (int i = 0; i < argc; ++i) printf("argv[%d]=%s\n", i, argv[i]);
  return 0;
}
