// clang-flags: -O2 -msimd128 -mbulk-memory -mnontrapping-fptoint -msign-ext -nostdlib -Wl,--no-entry -Wl,--export-dynamic
// No libc: auto-vectorised SIMD loops, memory.copy/fill from memcpy/memset, saturating truncation.
#include <stddef.h>
#include <stdint.h>

__attribute__((visibility("default"))) void* memcpy(void* d, const void* s, size_t n) {
  return __builtin_memcpy(d, s, n);
}
__attribute__((visibility("default"))) void* memset(void* d, int c, size_t n) { return __builtin_memset(d, c, n); }

static float in[256], out[256];
static uint8_t bytes[1024];

__attribute__((visibility("default"))) void scale(float k) {
  for (int i = 0; i < 256; ++i) out[i] = in[i] * k + 1.0f;
}
__attribute__((visibility("default"))) int to_int(float f) { return (int)f; }
__attribute__((visibility("default"))) int8_t narrow(int x) { return (int8_t)x; }
__attribute__((visibility("default"))) void clear(void) {
  memset(bytes, 0, sizeof bytes);
  memcpy(in, out, sizeof in);
}
__attribute__((visibility("default"))) uint32_t sum_bytes(void) {
  uint32_t s = 0;
  for (int i = 0; i < 1024; ++i) s += bytes[i];
  return s;
}
