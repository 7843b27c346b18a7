// A WASI command for the component run tests: its argv, one environment
// variable, stdin upper-cased to stdout, a line on stderr, and the exit
// status given as its first argument.
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) printf("arg %d: %s\n", i, argv[i]);
  const char* who = getenv("WHO");
  printf("WHO=%s\n", who ? who : "(unset)");
  int c;
  while ((c = getchar()) != EOF) putchar(toupper(c));
  fprintf(stderr, "to stderr\n");
  return argc > 1 ? atoi(argv[1]) : 0;
}
