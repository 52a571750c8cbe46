/*
 * abi.h - the contract between generated code and the runtime.
 *
 * Compiled code reaches everything of its instance through one pointer, the
 * instance context (r14 on x86-64, x27 on AArch64), whose layout is fixed
 * here: a header of fixed fields, then a tail whose layout depends on the
 * module (wr_vmctx_layout). The runtime fills it at instantiation; both
 * backends address it with these offsets. Nothing here is architecture
 * specific.
 */
#ifndef WASMRT_COMPILER_ABI_H
#define WASMRT_COMPILER_ABI_H

#include <stddef.h>
#include <stdint.h>

#include "compiler/module.h"

/* A function reference: what a funcref value and a table element point at.
 * Calling one means: context := vmctx, then call `code` with the wasm
 * calling convention (docs/BACKEND.md). Host functions have code pointing at
 * the runtime's host thunk and vmctx at the store's host context. */
typedef struct wr_funcref {
  const void *code;
  struct wr_vmctx *vmctx;
  uint32_t type_id; /* canonical signature id within the store */
  uint32_t func_index;
  void *host; /* runtime's record for host functions, else NULL */
} wr_funcref;

#define WR_FUNCREF_CODE 0
#define WR_FUNCREF_VMCTX 8
#define WR_FUNCREF_TYPE_ID 16

/* A table: an array of element pointers (wr_funcref* or externref). */
typedef struct wr_table {
  void **elems;
  uint32_t size;
  uint32_t max;
  uint8_t elem_type;
} wr_table;

#define WR_TABLE_ELEMS 0
#define WR_TABLE_SIZE 8

/* A linear memory in its guard reservation. `base` never moves. */
typedef struct wr_memory {
  uint8_t *base;
  uint64_t pages;
  uint64_t max_pages;
  size_t reserved; /* bytes of address space reserved at base */
} wr_memory;

#define WR_MEMORY_PAGES 8

/* Runtime helpers compiled code calls with the host C calling convention:
 * uint64_t helper(wr_vmctx *ctx, uint64_t a, uint64_t b, uint64_t c,
 *                 uint64_t d, uint64_t e).
 * Each is a suspension point. Traps raise from inside the helper. */
typedef enum wr_helper {
  WR_HELPER_STACK_CHECK, /* (point): limit crossed at entry or loop */
  WR_HELPER_MEMORY_GROW, /* (mem, delta) -> old pages or -1 */
  WR_HELPER_MEMORY_FILL, /* (mem, dst, value, len) */
  WR_HELPER_MEMORY_COPY, /* (dst_mem, src_mem, dst, src, len) */
  WR_HELPER_MEMORY_INIT, /* (data, mem, dst, src, len) */
  WR_HELPER_DATA_DROP,   /* (data) */
  WR_HELPER_TABLE_GET,   /* (table, index) -> ref */
  WR_HELPER_TABLE_SET,   /* (table, index, ref) */
  WR_HELPER_TABLE_SIZE,  /* (table) */
  WR_HELPER_TABLE_GROW,  /* (table, init, delta) -> old size or -1 */
  WR_HELPER_TABLE_FILL,  /* (table, index, ref, len) */
  WR_HELPER_TABLE_COPY,  /* (dst_table, src_table, dst, src, len) */
  WR_HELPER_TABLE_INIT,  /* (elem, table, dst, src, len) */
  WR_HELPER_ELEM_DROP,   /* (elem) */
  WR_HELPER_COUNT
} wr_helper;

/*
 * The fixed header of an instance context. Generated code reads the fields
 * at the WR_VMCTX_* offsets below; keep them in step (abi.c checks).
 */
typedef struct wr_vmctx {
  uint8_t *mem_base;              /* memory 0's base, or NULL */
  wr_memory *memory;              /* memory 0, or NULL */
  volatile uintptr_t stack_limit; /* compared with the stack pointer */
  uintptr_t real_stack_limit;     /* the limit without a suspend request */
  const void *helpers[WR_HELPER_COUNT];
  /* Per-instance arrays, sized by the module (see wr_vmctx_layout). */
  wr_funcref **funcs;          /* function index space */
  wr_table **tables;           /* table index space */
  uint64_t **imported_globals; /* cells of imported globals */
  uint32_t *type_ids;          /* canonical id of each type index */
  void *runtime;               /* the runtime's instance record */
  /* Then the defined globals' cells, 16 bytes each (wr_vmctx_layout). */
} wr_vmctx;

#define WR_VMCTX_MEM_BASE 0
#define WR_VMCTX_MEMORY 8
#define WR_VMCTX_STACK_LIMIT 16
#define WR_VMCTX_HELPERS 32
#define WR_VMCTX_FUNCS (WR_VMCTX_HELPERS + 8 * WR_HELPER_COUNT)
#define WR_VMCTX_TABLES (WR_VMCTX_FUNCS + 8)
#define WR_VMCTX_IMPORTED_GLOBALS (WR_VMCTX_TABLES + 8)
#define WR_VMCTX_TYPE_IDS (WR_VMCTX_IMPORTED_GLOBALS + 8)
#define WR_VMCTX_HEADER_SIZE (WR_VMCTX_TYPE_IDS + 16)

/* Offset of a defined global's 16-byte cell from the context pointer. */
static inline int32_t wr_vmctx_global_offset(const wr_module *m, uint32_t global_index)
{
  return (int32_t)(WR_VMCTX_HEADER_SIZE + 16 * (global_index - m->imported_global_count));
}

static inline size_t wr_vmctx_size(const wr_module *m)
{
  return WR_VMCTX_HEADER_SIZE + 16 * (size_t)(m->global_count - m->imported_global_count);
}

/* Each wasm stack slot is 8 bytes (v128 will take two). */
#define WR_SLOT_SIZE 8

/*
 * The frame, the same on both targets. The frame pointer (rbp, x29) points
 * at the saved caller frame pointer; the return address is above it; above
 * that is the caller's outgoing area, which holds this function's
 * parameters on entry and its results on return (8 bytes per value,
 * max(params, results) values). Below the frame pointer: the saved context
 * pointer at fp-8, then the home slots of the other locals and of the
 * operand stack, then the outgoing area for this function's own calls.
 * Slot s is local s for s < local count, else operand depth s - locals.
 */
static inline int32_t wr_slot_fp_offset(uint32_t param_count, uint32_t slot)
{
  if (slot < param_count)
    return 16 + 8 * (int32_t)slot;
  return -16 - 8 * (int32_t)(slot - param_count);
}
#define WR_FP_SAVED_VMCTX (-8)

#endif
