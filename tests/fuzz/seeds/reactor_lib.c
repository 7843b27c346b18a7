// clang-flags: -O2 -mexec-model=reactor -Wl,--export=sort_ints -Wl,--export=checksum -Wl,--export=pick
// A WASI reactor library: exported functions, function pointers (table + element segment).
#include <stdint.h>
#include <stdlib.h>

static int ascending(const void* a, const void* b) { return *(const int*)a - *(const int*)b; }
static int descending(const void* a, const void* b) { return *(const int*)b - *(const int*)a; }

void sort_ints(int* values, size_t n, int down) { qsort(values, n, sizeof(int), down ? descending : ascending); }

uint32_t checksum(const uint8_t* p, size_t n) {
  uint32_t a = 1, b = 0;
  for (size_t i = 0; i < n; ++i) {
    a = (a + p[i]) % 65521;
    b = (b + a) % 65521;
  }
  return (b << 16) | a;
}

typedef double (*unary)(double);
static double twice(double x) { return 2 * x; }
static double half(double x) { return x / 2; }
static unary table[] = {twice, half};
double pick(int i, double x) { return table[i & 1](x); }
