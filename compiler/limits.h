/*
 * limits.h - wasmrt's implementation limits on what a module may declare.
 *
 * A hostile module chooses every count and size; these bound the memory and
 * time the decoder (and later the compiler) spend on it. Values follow the
 * limits V8 and SpiderMonkey agree on ("JS API" limits), so that a module
 * accepted by browsers is accepted here. Exceeding one is WASMRT_ERROR_LIMIT,
 * never "invalid". docs/LIMITS.md lists them for users; keep both in step.
 */
#ifndef WASMRT_COMPILER_LIMITS_H
#define WASMRT_COMPILER_LIMITS_H

#define WR_MAX_MODULE_SIZE (1024u * 1024u * 1024u) /* bytes */
#define WR_MAX_TYPES 1000000u
#define WR_MAX_FUNCTIONS 1000000u /* imported + defined */
#define WR_MAX_IMPORTS 100000u
#define WR_MAX_EXPORTS 100000u
#define WR_MAX_GLOBALS 1000000u /* imported + defined */
#define WR_MAX_TABLES 100000u   /* imported + defined */
#define WR_MAX_DATA_SEGMENTS 100000u
#define WR_MAX_ELEM_SEGMENTS 10000000u
#define WR_MAX_ELEM_ENTRIES 10000000u /* summed over all element segments */
#define WR_MAX_PARAMS 1000u
#define WR_MAX_RESULTS 1000u
#define WR_MAX_FUNCTION_SIZE 7654321u /* bytes of one code section body */
#define WR_MAX_LOCALS 50000u          /* params + declared locals of one function */
#define WR_MAX_BR_TABLE_SIZE 65520u   /* targets of one br_table, default excluded */
#define WR_MAX_NESTING 10000u         /* open blocks, loops and ifs in one function */
#define WR_MAX_OPERAND_STACK 65536u   /* values on one function's operand stack */

#endif
