(module
  (func $first (result i32) i32.const 1)
  (func $second (result i32) f64.const 1))
