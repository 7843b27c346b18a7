// The bundled example: a WASI preview1 command built with Debian's clang and
// wasi-libc (clang --target=wasm32-wasi). `make demo` inspects and validates it.
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char** argv) {
  const char* who = argc > 1 ? argv[1] : "world";
  const char* greeting = getenv("GREETING");
  printf("%s, %s!\n", greeting ? greeting : "Hello", who);
  return 0;
}
