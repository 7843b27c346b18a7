;; SIMD: loads, stores, splat/zero/extend loads, lane loads and stores, conversions.
(module
  (memory 1)
  (func (export "mem") (param $p i32) (result v128) (local $v v128)
    (v128.store offset=16 (local.get $p) (v128.load align=1 (local.get $p)))
    (v128.store8_lane 15 (local.get $p) (v128.load8_splat (local.get $p)))
    (v128.store16_lane 7 (local.get $p) (v128.load16_splat (local.get $p)))
    (v128.store32_lane 3 (local.get $p) (v128.load32_zero (local.get $p)))
    (v128.store64_lane 1 (local.get $p) (v128.load64_zero (local.get $p)))
    (drop (v128.load8x8_s (local.get $p)))
    (drop (v128.load16x4_u (local.get $p)))
    (drop (v128.load32x2_s offset=8 (local.get $p)))
    (drop (v128.load32_splat (local.get $p)))
    (drop (v128.load64_splat (local.get $p)))
    (local.set $v (v128.load8_lane 0 (local.get $p) (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)))
    (local.set $v (v128.load16_lane 1 (local.get $p) (local.get $v)))
    (local.set $v (v128.load32_lane 2 (local.get $p) (local.get $v)))
    (local.set $v (v128.load64_lane 1 (local.get $p) (local.get $v)))
    local.get $v
    i32x4.trunc_sat_f32x4_s f32x4.convert_i32x4_u
    f64x2.promote_low_f32x4 f32x4.demote_f64x2_zero
    f64x2.promote_low_f32x4 i32x4.trunc_sat_f64x2_s_zero f64x2.convert_low_i32x4_u f32x4.demote_f64x2_zero
    i32x4.trunc_sat_f32x4_u
    (v128.const i8x16 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16) i16x8.extmul_low_i8x16_s
    (v128.const i16x8 1 1 1 1 1 1 1 1) i32x4.dot_i16x8_s
    (v128.const i32x4 0 0 0 0) i16x8.narrow_i32x4_s
    i32x4.extend_high_i16x8_u
    i64x2.extend_low_i32x4_s
    i64x2.abs i64x2.neg i8x16.popcnt
    (v128.const i16x8 2 2 2 2 2 2 2 2) i16x8.q15mulr_sat_s
    i32x4.extadd_pairwise_i16x8_u
    f32x4.nearest (v128.const f32x4 1 2 3 4) f32x4.pmin
    (i32.const 3) i8x16.shl (i32.const 1) i64x2.shr_s
    (v128.const i32x4 1 2 3 4) i32x4.eq
    (f64x2.sqrt (v128.const f64x2 4 9)) f64x2.add)
)
