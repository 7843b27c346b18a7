;; wasm-flags: --enable-relaxed-simd
;; Relaxed SIMD (beyond 2.0).
(module
  (func (export "relaxed") (param v128 v128 v128) (result v128)
    (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2))
    (i8x16.relaxed_swizzle (local.get 1))
    (i32x4.relaxed_trunc_f32x4_s)
    (f64x2.relaxed_min (local.get 2)))
)
