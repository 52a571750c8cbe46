/* error.c - the runtime's errors as values: one-line messages in a
 * wasmrt_error, and the spec's wording for each trap. */
#include <stdio.h>

#include "runtime/runtime.h"

const char *wasmrt_trap_message(wasmrt_trap_kind kind)
{
  switch (kind) {
  case WASMRT_TRAP_NONE:
    return "no trap";
  case WASMRT_TRAP_UNREACHABLE:
    return "unreachable";
  case WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS:
    return "out of bounds memory access";
  case WASMRT_TRAP_TABLE_OUT_OF_BOUNDS:
    return "out of bounds table access";
  case WASMRT_TRAP_UNDEFINED_ELEMENT:
    return "undefined element";
  case WASMRT_TRAP_UNINITIALIZED_ELEMENT:
    return "uninitialized element";
  case WASMRT_TRAP_INDIRECT_CALL_TYPE:
    return "indirect call type mismatch";
  case WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO:
    return "integer divide by zero";
  case WASMRT_TRAP_INTEGER_OVERFLOW:
    return "integer overflow";
  case WASMRT_TRAP_INVALID_CONVERSION:
    return "invalid conversion to integer";
  case WASMRT_TRAP_STACK_EXHAUSTED:
    return "call stack exhausted";
  case WASMRT_TRAP_HOST:
    return "host function trapped";
  case WASMRT_TRAP_KIND_COUNT:
    break;
  }
  return "unknown trap";
}
