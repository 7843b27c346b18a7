// Prints its arguments, one per line as "argv[N] = WORD", so tests can see
// exactly which words reached the guest.
#include <stdio.h>

int main(int argc, char** argv) {
  for (int i = 0; i < argc; ++i) printf("argv[%d] = %s\n", i, argv[i]);
  return 0;
}
