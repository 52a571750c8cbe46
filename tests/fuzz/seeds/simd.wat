;; 128-bit SIMD: constants, lane access, shuffles, integer and float lane arithmetic,
;; loads with splat and zero extension, lane loads and stores.
(module
  (memory 1)
  (func (export "simd") (param $p i32) (result i32) (local $v v128)
    (local.set $v (v128.const i32x4 1 2 3 4))
    (local.set $v (i32x4.add (local.get $v) (v128.load offset=16 (local.get $p))))
    (local.set $v (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23
                    (local.get $v) (v128.load32_splat (local.get $p))))
    (local.set $v (f32x4.mul (local.get $v) (f32x4.splat (f32.const 1.5))))
    (local.set $v (v128.load32_zero (local.get $p)))
    (v128.store64_lane 1 (local.get $p) (local.get $v))
    (local.set $v (v128.load8_lane 15 (local.get $p) (local.get $v)))
    (local.set $v (i16x8.replace_lane 3 (local.get $v) (i32.const 7)))
    (i32.add
      (i32x4.extract_lane 2 (local.get $v))
      (i32.add (v128.any_true (local.get $v)) (i8x16.bitmask (local.get $v))))))
