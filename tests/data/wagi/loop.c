// WAGI host tests: a guest that never ends (an infinite CPU loop, no calls, no output); the deadline answers 504 while other routes keep serving.
static volatile unsigned counter;

int main(void) {
  for (;;) counter = counter + 1;  // volatile: the loop stays, and nothing in it calls out
}
