;; run.wat - a module with no imports for `wasmrt compile` and `wasmrt run`
;; (object_test.sh): one function per value type, several results, and two
;; that trap. object_test.sh makes "another module" of the same shape by
;; changing the constant $seven returns.
(module
  (func (export "add") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.add)
  (func (export "div") (param i32 i32) (result i32)
    local.get 0
    local.get 1
    i32.div_s)
  (func (export "boom")
    unreachable)
  (func (export "sub64") (param i64 i64) (result i64)
    local.get 0
    local.get 1
    i64.sub)
  (func (export "halve") (param f64) (result f64)
    local.get 0
    f64.const 2
    f64.div)
  (func (export "third") (param f32) (result f32)
    local.get 0
    f32.const 3
    f32.div)
  (func (export "pair") (result i32 i64)
    i32.const -1
    i64.const 42)
  (func $seven (export "seven") (result i32)
    i32.const 7)
  (memory (export "memory") 1))
