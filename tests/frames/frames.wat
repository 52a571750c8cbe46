;; Frames read back at suspension points (tests/frames/test_frames.c).
;; "loop": the suspension is requested inside $inner's loop and taken at the
;; loop header on the back-edge; $run waits at its call of $inner.
;; "entry": requested just before $run calls $inner, taken at $inner's entry,
;; where only the parameters are live (the other locals read as zero).
(module
  (import "host" "request" (func $request))
  (func $inner (param $n i32) (param $f f64) (result i32)
    (local $i i64) (local $acc f32)
    (local.set $acc (f32.const 2.5))
    (i32.const 7)
    (block $done
      (loop $l
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (if (i64.eq (local.get $i) (i64.const 3)) (then (call $request)))
        (br_if $l (i64.lt_u (local.get $i) (i64.const 5)))))
    (local.get $n)
    (i32.add))
  (func $run (param $x i32) (param $early i32) (result i32) (local $y i64) (local $z i32)
    (local.set $y (i64.const -42))
    (i64.const 99)
    (i32.const 11)
    (if (local.get $early) (then (call $request)))
    (call $inner (local.get $x) (f64.const 1.5))
    (i32.add)
    (local.set $z)
    (drop)
    (local.get $z))
  (func (export "loop") (param $x i32) (result i32)
    (call $run (local.get $x) (i32.const 0)))
  (func (export "entry") (param $x i32) (result i32)
    (call $run (local.get $x) (i32.const 1))))
