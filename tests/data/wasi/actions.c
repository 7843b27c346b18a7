// One guest behaviour per run, for the `wasmops run` golden cases:
//   exit N     proc_exit(N) (through exit(), as a C program does)
//   trap       executes `unreachable`
//   spin       loops forever without calling anything
//   sleep S    sleep(S): blocks in poll_oneoff on a clock
//   print W..  prints the words, then returns 0 from main
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile unsigned counter;

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: actions exit N | trap | spin | sleep S | print WORDS...\n");
    return 2;
  }
  const char* op = argv[1];
  if (!strcmp(op, "exit") && argc == 3) exit(atoi(argv[2]));
  if (!strcmp(op, "trap")) __builtin_trap();
  if (!strcmp(op, "spin"))
    for (;;) counter = counter + 1;  // volatile: the loop stays, and no call in it
  if (!strcmp(op, "sleep") && argc == 3) {
    sleep((unsigned)atoi(argv[2]));
    printf("woke up\n");
    return 0;
  }
  if (!strcmp(op, "print")) {
    for (int i = 2; i < argc; ++i) printf("%s\n", argv[i]);
    return 0;
  }
  fprintf(stderr, "actions: unknown operation '%s'\n", op);
  return 2;
}
