/*
 * runtime.h - the records behind the public handles of the runtime part of
 * libwasmrt, and what the runtime's files share (internal).
 *
 * Ownership: a store owns every object created in it, by the API or by an
 * instantiation (instances, functions, globals, tables, memories), and frees
 * them all in wasmrt_store_free. Nothing is freed earlier, because a funcref
 * written into a shared table (or a memory imported by another instance)
 * keeps the objects it reaches alive for as long as the store lives; the
 * one exception is what an instantiation made before it failed without
 * touching anything shared (wr_store_rollback).
 *
 * Values: a funcref value, a table element and wr_funcref* are all the same
 * pointer, a wasmrt_func*, because struct wasmrt_func starts with its
 * wr_funcref. Value cells (globals, 16 bytes) and stack slots (8 bytes) hold
 * i32/f32 in their low 4 bytes, i64/f64 in 8 bytes and references as
 * pointers (little-endian hosts only, as both targets are).
 */
#ifndef WASMRT_RUNTIME_RUNTIME_H
#define WASMRT_RUNTIME_RUNTIME_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "compiler/abi.h"
#include "compiler/errors.h"
#include "compiler/module.h"
#include "compiler/object.h"
#include "runtime/compiled.h"
#include "runtime/frames.h"
#include "wasmrt.h"

#define WR_PAGE_SIZE 65536u
#define WR_MAX_PAGES 65536u
/* Address space reserved per memory: base + 32-bit index + 32-bit offset +
 * access size can never leave it (DESIGN.md point 3). */
#define WR_MEMORY_RESERVATION (((size_t)8 << 30) + WR_PAGE_SIZE)
/* A limit of ours, not of the spec: larger tables are WASMRT_ERROR_LIMIT,
 * table.grow beyond it fails. */
#define WR_MAX_TABLE_ELEMS 10000000u
#define WR_STACK_DEFAULT_SIZE ((size_t)8 << 20)
/* Room below the stack limit for C helpers, host functions and signal
 * handling that run on the wasm stack (sanitizer frames are large). */
#define WR_STACK_HEADROOM ((size_t)256 << 10)

/* ---- errors (error.c) ---- */

/* Fills `err` (may be NULL): code, message; no section, function -1,
 * offset 0, no trap. Returns `code`. */

/* ---- a growable array of pointers (store.c) ---- */

typedef struct wr_ptrvec {
  void **items;
  uint32_t count, cap;
} wr_ptrvec;

bool wr_ptrvec_push(wr_ptrvec *v, void *item);

/* ---- canonical function signatures (types.c) ---- */

typedef struct wr_sig {
  uint32_t param_count, result_count;
  wasmrt_valtype *types; /* params then results; its own allocation, never moves */
  uint64_t hash;
} wr_sig;

/* Interns signatures to dense ids: equal signatures, equal ids. */
typedef struct wr_sigtab {
  wr_sig *sigs;
  uint32_t count, cap;
  uint32_t *buckets; /* open addressing: id + 1, 0 empty */
  uint32_t bucket_count;
} wr_sigtab;

/* `params` and `results` are value type bytes (as in a module's type
 * pool). False only when out of memory. */
bool wr_sigtab_intern(wr_sigtab *t, const uint8_t *params, uint32_t param_count,
                      const uint8_t *results, uint32_t result_count, uint32_t *id_out);
void wr_sigtab_free(wr_sigtab *t);
/* "[i32 i64] -> [f32]" into buf. */
void wr_sig_describe(const wr_sig *s, char *buf, size_t size);

/* ---- the store (store.c) ---- */

typedef void (*wr_suspend_hook)(void *env, const wr_stack_view *stack);

/* A compiled module whose code runs in the store: where its code is. */
typedef struct wr_code_region {
  const wasmrt_compiled *compiled;
  uintptr_t start, end;
} wr_code_region;

struct wasmrt_store {
  wr_ptrvec instances, funcs, globals, tables, memories;
  wr_code_region *code;
  uint32_t code_count, code_cap;
  wr_sigtab sigs;
  /* The context host functions are entered with: zeroed, mem_base NULL. */
  wr_vmctx *host_ctx;

  /* The wasm execution stack: [stack_base, stack_top) read/write with a
   * PROT_NONE guard page below; stack_limit = stack_base + headroom. */
  size_t stack_size;
  uint8_t *stack_map;
  size_t stack_map_size;
  uintptr_t stack_base, stack_top, stack_limit;
  /* Executions of this store in progress, and, while some are and the
   * thread runs on another store's stack, the position on this stack below
   * which nothing is in use (nested executions continue below it). */
  unsigned depth;
  uintptr_t host_sp;

  wr_suspend_hook suspend_hook;
  void *suspend_env;
};

/* A mark of what a store holds, to drop what was created after it when an
 * instantiation fails before it changed anything shared. */
typedef struct wr_store_mark {
  uint32_t instances, funcs, globals, tables, memories;
} wr_store_mark;

/* Replaces the store's wasm stack by one of `size` bytes (whole pages, at
 * least twice the headroom); not while the store executes. */
wasmrt_result wr_store_set_stack_size(wasmrt_store *s, size_t size, wasmrt_error *err);

wr_store_mark wr_store_get_mark(const wasmrt_store *s);
void wr_store_rollback(wasmrt_store *s, const wr_store_mark *mark);
/* Adds the compiled module to the store's code regions (once). */
bool wr_store_add_code(wasmrt_store *s, const wasmrt_compiled *c);
/* The region holding native address `pc`, or NULL. Async-signal-safe. */
const wr_code_region *wr_store_find_code(const wasmrt_store *s, uintptr_t pc);
/* True when `addr` is inside the reservation of one of the store's
 * memories. Async-signal-safe. */
bool wr_store_owns_address(const wasmrt_store *s, uintptr_t addr);
/* Sets every vmctx's stack_limit of the store to `limit`. */
void wr_store_set_limits(wasmrt_store *s, uintptr_t limit);

/* ---- functions (func.c) ---- */

struct wasmrt_func {
  wr_funcref ref; /* first: wr_funcref* and wasmrt_func* convert by cast */
  wasmrt_store *store;
  /* Host functions only. */
  wasmrt_host_callback callback;
  void *env;
  /* Defined functions only: its instance. */
  struct wasmrt_instance *instance;
};

static inline wasmrt_func *wr_func_of(wr_funcref *r) { return (wasmrt_func *)r; }

const wr_sig *wr_func_sig(const wasmrt_func *f);
/* Calls a host function's callback with values converted from `slots`
 * (8 bytes per value) and writes its results back; on a trap message
 * raises a WASMRT_TRAP_HOST trap. Entered from the host thunk. */
void wr_host_dispatch(wr_funcref *f, uint64_t *slots);

/* ---- globals (global.c) ---- */

struct wasmrt_global {
  wasmrt_store *store;
  uint8_t type;
  bool mutable_;
  uint64_t *cell; /* 16 bytes; in a vmctx for an instance's global, else own */
  _Alignas(16) uint64_t own[2];
};

/* The value in a 16-byte cell or an 8-byte slot of value type `type`. */
wasmrt_val wr_val_load(uint8_t type, const uint64_t *cell);
/* Writes v (its own type) into a cell (16 bytes for v128, else 8). */
void wr_val_store(const wasmrt_val *v, uint64_t *cell);

/* ---- tables (table.c) ---- */

struct wasmrt_table {
  wr_table t; /* first: the vmctx points at it */
  wasmrt_store *store;
  bool has_max;
};

/* A new table in the store; elements start as NULL. */
wasmrt_result wr_table_create(wasmrt_store *s, uint8_t elem_type, uint64_t min, bool has_max,
                              uint64_t max, wasmrt_table **out, wasmrt_error *err);
/* The operations; each returns WASMRT_TRAP_NONE or the trap it raises,
 * having changed nothing when it traps. */
wasmrt_trap_kind wr_table_get(const wr_table *t, uint32_t i, void **out);
wasmrt_trap_kind wr_table_set(wr_table *t, uint32_t i, void *ref);
/* Old size, or -1 (all ones) when it cannot grow. */
uint64_t wr_table_grow(wr_table *t, void *init, uint32_t delta);
wasmrt_trap_kind wr_table_fill(wr_table *t, uint32_t i, void *ref, uint32_t n);
wasmrt_trap_kind wr_table_copy(wr_table *dst, const wr_table *src, uint32_t d, uint32_t s,
                               uint32_t n);
wasmrt_trap_kind wr_table_init(wr_table *t, void *const *items, uint32_t count, uint32_t d,
                               uint32_t s, uint32_t n);

/* ---- memories (memory.c) ---- */

struct wasmrt_memory {
  wr_memory m; /* first: the vmctx points at it */
  wasmrt_store *store;
  bool has_max;
};

wasmrt_result wr_memory_create(wasmrt_store *s, uint64_t min, bool has_max, uint64_t max,
                               wasmrt_memory **out, wasmrt_error *err);
void wr_memory_destroy(wasmrt_memory *mem);
/* Old size in pages, or -1 (all ones) when it cannot grow. */
uint64_t wr_memory_grow(wr_memory *m, uint32_t delta);
wasmrt_trap_kind wr_memory_fill(wr_memory *m, uint32_t d, uint8_t value, uint32_t n);
wasmrt_trap_kind wr_memory_copy(wr_memory *dst, const wr_memory *src, uint32_t d, uint32_t s,
                                uint32_t n);
wasmrt_trap_kind wr_memory_init(wr_memory *m, const uint8_t *bytes, uint32_t size, uint32_t d,
                                uint32_t s, uint32_t n);

/* ---- instances (instance.c, link.c) ---- */

/* A passive element segment's references; count 0 once dropped. */
typedef struct wr_elem_items {
  void **items;
  uint32_t count;
} wr_elem_items;

struct wasmrt_instance {
  wasmrt_store *store;
  const wasmrt_compiled *compiled;
  const wr_module *module;
  wr_vmctx *vmctx;
  wasmrt_func *defined_funcs; /* module's defined functions, in order */
  wr_funcref **funcs;         /* function index space (vmctx->funcs) */
  wasmrt_table **tables;      /* table index space */
  wr_table **table_ptrs;      /* the same, as the vmctx sees them */
  wasmrt_memory **memories;   /* memory index space */
  wasmrt_global **globals;    /* global index space */
  wasmrt_global *defined_globals;
  uint64_t **imported_cells; /* vmctx->imported_globals */
  uint32_t *type_ids;        /* vmctx->type_ids */
  bool *data_dropped;
  wr_elem_items *elems;
};

void wr_instance_destroy(wasmrt_instance *inst);
/* Checks `imports` against the module's import descriptors; type ids of
 * the module's types must be in `type_ids`. */
wasmrt_result wr_link_check(wasmrt_store *s, const wr_module *m, const uint32_t *type_ids,
                            const wasmrt_extern *imports, size_t import_count, wasmrt_error *err);

/* ---- compiled code (code.c) ---- */

/* Maps the compiled code read+execute on first use (compiled->exec). */
wasmrt_result wr_code_map(const wasmrt_compiled *c, wasmrt_error *err);

/* ---- execution (call.c, traps.c) ---- */

/*
 * One entry into compiled code (wasmrt_func_call, a start function). The
 * innermost one of the thread is wr_current_exec; a trap records itself in
 * it and siglongjmps to `jmp`.
 */
typedef struct wr_exec {
  struct wr_exec *prev;
  wasmrt_store *store;
  sigjmp_buf jmp;
  wasmrt_trap_kind trap;
  int64_t trap_function;
  uint64_t trap_offset;
  char host_message[WASMRT_ERROR_MESSAGE_SIZE]; /* copied: the callback's frame is gone */
} wr_exec;

/* The innermost execution on this thread, or NULL. The only mutable state
 * outside a store: the signal handler has nothing else to find it by. */
extern _Thread_local wr_exec *wr_current_exec;

/* Calls `f` with `args`, results into `results` (types checked by the
 * caller). */
wasmrt_result wr_call(wasmrt_store *s, wasmrt_func *f, const wasmrt_val *args, wasmrt_val *results,
                      wasmrt_error *err);

/* Installs the process-wide signal handlers (once) and this thread's
 * alternate signal stack (once per thread). */
wasmrt_result wr_traps_prepare_thread(wasmrt_error *err);
/* Installs the handlers again where something replaced them since (a test
 * harness, an embedder's own handlers), chaining to what it finds. */
void wr_traps_reinstall(void);
/* Traps from a runtime helper: `retaddr` is the helper's return address
 * into compiled code; names the function and wasm offset by the frame
 * point there. Does not return. */
_Noreturn void wr_trap_raise(wasmrt_trap_kind kind, const void *retaddr);
/* A host function's trap with its message. Does not return. */
_Noreturn void wr_trap_raise_host(const char *message);
/* frames.c: a requested suspension reached a point (the stack-check
 * helper): restores the limits and calls the store's hook. */
void wr_suspend_reached(wasmrt_store *s, uintptr_t retaddr, uintptr_t fp);
/* helpers.c: copied into every vmctx, indexed by wr_helper. */
extern const void *const wr_helper_table[WR_HELPER_COUNT];
/* Fills err from a trapped execution. */
wasmrt_result wr_trap_report(const wr_exec *e, wasmrt_error *err);

#endif
