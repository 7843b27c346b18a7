/* SIMD support for generated C, included after wasmops_rt.h by modules that
 * use v128. SIMDe (simde/wasm/simd128.h) gives wasm SIMD semantics in plain
 * C; the few operations below replace SIMDe functions whose portable
 * fallback (what tcc gets) loses NaN quieting, the sign of zero, or
 * saturation. They loop over lanes with the scalar helpers of wasmops_rt.h. */
#ifndef WASMOPS_SIMD_H
#define WASMOPS_SIMD_H
#include <simde/wasm/simd128.h>

/* v128 crosses function boundaries as a plain struct: one ABI for both tiers. */
typedef struct { uint8_t b[16]; } wasmops_v128;
WASMOPS_INLINE wasmops_v128 wasmops_v128_wrap(simde_v128_t v) { wasmops_v128 r; memcpy(&r, &v, 16); return r; }
WASMOPS_INLINE simde_v128_t wasmops_v128_unwrap(wasmops_v128 w) { simde_v128_t v; memcpy(&v, &w, 16); return v; }
WASMOPS_INLINE wasmops_v128 wasmops_v128_from_bytes(const uint8_t* b) { wasmops_v128 r; memcpy(&r, b, 16); return r; }

#define WASMOPS_LANES_UNOP(NAME, T, N, EXPR)                          \
  WASMOPS_INLINE simde_v128_t NAME(simde_v128_t v) {                  \
    T l[N];                                                           \
    int i;                                                            \
    memcpy(l, &v, 16);                                                \
    for (i = 0; i < N; ++i) { T a = l[i]; l[i] = (EXPR); }            \
    memcpy(&v, l, 16);                                                \
    return v;                                                         \
  }
#define WASMOPS_LANES_BINOP(NAME, T, N, EXPR)                         \
  WASMOPS_INLINE simde_v128_t NAME(simde_v128_t x, simde_v128_t y) {  \
    T l[N], m[N];                                                     \
    int i;                                                            \
    memcpy(l, &x, 16);                                                \
    memcpy(m, &y, 16);                                                \
    for (i = 0; i < N; ++i) { T a = l[i], b = m[i]; l[i] = (EXPR); }  \
    memcpy(&x, l, 16);                                                \
    return x;                                                         \
  }

WASMOPS_LANES_UNOP(wasmops_f32x4_abs, float, 4, wasmops_f32_abs(a))
WASMOPS_LANES_UNOP(wasmops_f32x4_neg, float, 4, wasmops_f32_neg(a))
WASMOPS_LANES_UNOP(wasmops_f32x4_sqrt, float, 4, sqrtf(a))
WASMOPS_LANES_UNOP(wasmops_f32x4_ceil, float, 4, ceilf(a))
WASMOPS_LANES_UNOP(wasmops_f32x4_floor, float, 4, floorf(a))
WASMOPS_LANES_UNOP(wasmops_f32x4_trunc, float, 4, truncf(a))
WASMOPS_LANES_UNOP(wasmops_f32x4_nearest, float, 4, wasmops_f32_nearest(a))
WASMOPS_LANES_BINOP(wasmops_f32x4_min, float, 4, wasmops_f32_min(a, b))
WASMOPS_LANES_BINOP(wasmops_f32x4_max, float, 4, wasmops_f32_max(a, b))
WASMOPS_LANES_UNOP(wasmops_f64x2_abs, double, 2, wasmops_f64_abs(a))
WASMOPS_LANES_UNOP(wasmops_f64x2_neg, double, 2, wasmops_f64_neg(a))
WASMOPS_LANES_UNOP(wasmops_f64x2_sqrt, double, 2, sqrt(a))
WASMOPS_LANES_UNOP(wasmops_f64x2_ceil, double, 2, ceil(a))
WASMOPS_LANES_UNOP(wasmops_f64x2_floor, double, 2, floor(a))
WASMOPS_LANES_UNOP(wasmops_f64x2_trunc, double, 2, trunc(a))
WASMOPS_LANES_UNOP(wasmops_f64x2_nearest, double, 2, wasmops_f64_nearest(a))
WASMOPS_LANES_BINOP(wasmops_f64x2_min, double, 2, wasmops_f64_min(a, b))
WASMOPS_LANES_BINOP(wasmops_f64x2_max, double, 2, wasmops_f64_max(a, b))

WASMOPS_INLINE simde_v128_t wasmops_i32x4_trunc_sat_f32x4_s(simde_v128_t v) {
  float f[4]; uint32_t r[4]; int i;
  memcpy(f, &v, 16);
  for (i = 0; i < 4; ++i) r[i] = wasmops_i32_trunc_f32_s_sat(f[i]);
  memcpy(&v, r, 16);
  return v;
}
WASMOPS_INLINE simde_v128_t wasmops_i32x4_trunc_sat_f32x4_u(simde_v128_t v) {
  float f[4]; uint32_t r[4]; int i;
  memcpy(f, &v, 16);
  for (i = 0; i < 4; ++i) r[i] = wasmops_i32_trunc_f32_u_sat(f[i]);
  memcpy(&v, r, 16);
  return v;
}
WASMOPS_INLINE simde_v128_t wasmops_i32x4_trunc_sat_f64x2_s_zero(simde_v128_t v) {
  double f[2]; uint32_t r[4] = {0, 0, 0, 0};
  memcpy(f, &v, 16);
  r[0] = wasmops_i32_trunc_f64_s_sat(f[0]);
  r[1] = wasmops_i32_trunc_f64_s_sat(f[1]);
  memcpy(&v, r, 16);
  return v;
}
WASMOPS_INLINE simde_v128_t wasmops_i32x4_trunc_sat_f64x2_u_zero(simde_v128_t v) {
  double f[2]; uint32_t r[4] = {0, 0, 0, 0};
  memcpy(f, &v, 16);
  r[0] = wasmops_i32_trunc_f64_u_sat(f[0]);
  r[1] = wasmops_i32_trunc_f64_u_sat(f[1]);
  memcpy(&v, r, 16);
  return v;
}
WASMOPS_INLINE simde_v128_t wasmops_f32x4_demote_f64x2_zero(simde_v128_t v) {
  double f[2]; float r[4] = {0, 0, 0, 0};
  memcpy(f, &v, 16);
  r[0] = wasmops_f32_demote(f[0]);
  r[1] = wasmops_f32_demote(f[1]);
  memcpy(&v, r, 16);
  return v;
}
WASMOPS_INLINE simde_v128_t wasmops_f64x2_promote_low_f32x4(simde_v128_t v) {
  float f[4]; double r[2];
  memcpy(f, &v, 16);
  r[0] = wasmops_f64_promote(f[0]);
  r[1] = wasmops_f64_promote(f[1]);
  memcpy(&v, r, 16);
  return v;
}
/* SIMDe's SSSE3 path (pmulhrsw) does not saturate -32768 * -32768. */
WASMOPS_INLINE simde_v128_t wasmops_i16x8_q15mulr_sat(simde_v128_t x, simde_v128_t y) {
  int16_t a[8], b[8];
  int i;
  memcpy(a, &x, 16);
  memcpy(b, &y, 16);
  for (i = 0; i < 8; ++i) {
    int32_t p = ((int32_t)a[i] * (int32_t)b[i] + 0x4000) >> 15;
    a[i] = (int16_t)(p > 32767 ? 32767 : p < -32768 ? -32768 : p);
  }
  memcpy(&x, a, 16);
  return x;
}
#endif
