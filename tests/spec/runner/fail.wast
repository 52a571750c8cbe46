;; fail.wast - commands written to fail, one way each; `wasmrt wast` must
;; print one line for each and exit with status 1
;; (tests/spec/runner/run_runner_test.sh). A command fails unless the line it
;; starts on says ";; expect: passed" (or another outcome).

(module ;; expect: passed
  (func (export "one") (result i32) (i32.const 1))
  (func (export "trap") (result i32) (unreachable))
  (func (export "arithmetic-nan") (result f32) (f32.const nan:0x200001))
  (func (export "negative-zero") (result f64) (f64.const -0))
  (func (export "externref") (param externref) (result externref) (local.get 0))
  (func (export "div") (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
  (global (export "g") i32 (i32.const 5))
)
(assert_return (invoke "one") (i32.const 2))
(assert_return (invoke "trap") (i32.const 1))
(assert_return (invoke "arithmetic-nan") (f32.const nan:canonical))
(assert_return (invoke "negative-zero") (f64.const 0))
(assert_return (invoke "externref" (ref.extern 1)) (ref.extern 2))
(assert_return (invoke "externref" (ref.extern 1)) (ref.null extern))
(assert_return (get "g") (i32.const 6))
(assert_return (get "one") (i32.const 1))
(assert_trap (invoke "one") "unreachable")
(assert_trap (invoke "trap") "integer overflow")
(assert_trap (invoke "div" (i32.const 0)) "integer overflow")
(assert_exhaustion (invoke "one") "call stack exhausted")
(assert_exhaustion (invoke "trap") "call stack exhausted")
(invoke "trap")
(assert_unlinkable (module (func)) "unknown import")
(assert_trap (module (func)) "unreachable")
(assert_trap (module (func $start unreachable) (start $start)) "out of bounds")
(assert_malformed (module binary "\00asm\01\00\00\00") "unexpected end")
(assert_invalid (module (func)) "type mismatch")

;; A module that fails, and everything that needs it.
(module $Broken (import "nowhere" "f" (func)) (func (export "f") (result i32) (i32.const 0)))
(assert_return (invoke "f") (i32.const 0))
(register "broken")
(module (import "broken" "f" (func (result i32))))
(assert_return (invoke $Broken "f") (i32.const 0))
