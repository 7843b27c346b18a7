// clang-flags: -Os
// A WASI command using stdio and args: _start, wasi imports, name and producers sections.
#include <stdio.h>
#include <string.h>

int main(int argc, char** argv) {
  fputs("hello from ", stdout);
  puts(argc > 0 ? argv[0] : "?");
  return argc > 1 ? (int)strlen(argv[1]) : 0;
}
