/*
 * opcodes.h - opcode numbers, immediate kinds and names, all expanded from
 * the one opcode table (opcodes_main.def, opcodes_fc.def, opcodes_fd.def).
 */
#ifndef WASMRT_COMPILER_OPCODES_H
#define WASMRT_COMPILER_OPCODES_H

#include <stdint.h>

enum {
  WR_PREFIX_NONE = 0x00,
  WR_PREFIX_FC = 0xfc, /* saturating conversions, bulk memory, tables */
  WR_PREFIX_FD = 0xfd, /* vector instructions */
};

/* What follows an opcode in the binary, for decoders that only skip. */
typedef enum wr_imm_kind {
  WR_IMM_UNKNOWN = 0, /* not an opcode of WebAssembly 2.0 */
  WR_IMM_NONE,
  WR_IMM_BLOCKTYPE,
  WR_IMM_U32,
  WR_IMM_U32_U32,
  WR_IMM_BR_TABLE,
  WR_IMM_VALTYPES,
  WR_IMM_MEMARG,
  WR_IMM_ZERO_BYTE,
  WR_IMM_TWO_ZERO_BYTES,
  WR_IMM_U32_ZERO_BYTE,
  WR_IMM_S32,
  WR_IMM_S64,
  WR_IMM_BYTES4,
  WR_IMM_BYTES8,
  WR_IMM_BYTES16,
  WR_IMM_SHUFFLE,
  WR_IMM_REFTYPE,
  WR_IMM_LANE,
  WR_IMM_MEMARG_LANE,
} wr_imm_kind;

#define WR_SIMPLE(code, name, text, sig) WR_OP_##name = code,
#define WR_MEMOP(code, name, text, sig, align) WR_OP_##name = code,
#define WR_SPECIAL(code, name, text, imm) WR_OP_##name = code,
enum wr_opcode_main {
#include "compiler/opcodes_main.def"
};
#define WR_SIMPLE(code, name, text, sig) WR_OPFC_##name = code,
#define WR_MEMOP(code, name, text, sig, align) WR_OPFC_##name = code,
#define WR_SPECIAL(code, name, text, imm) WR_OPFC_##name = code,
enum wr_opcode_fc {
#include "compiler/opcodes_fc.def"
};
#define WR_SIMPLE(code, name, text, sig) WR_OPFD_##name = code,
#define WR_MEMOP(code, name, text, sig, align) WR_OPFD_##name = code,
#define WR_SPECIAL(code, name, text, imm) WR_OPFD_##name = code,
#define WR_LANEOP(code, name, text, sig, lanes) WR_OPFD_##name = code,
#define WR_MEMLANEOP(code, name, text, sig, align, lanes) WR_OPFD_##name = code,
enum wr_opcode_fd {
#include "compiler/opcodes_fd.def"
};

/* Immediate kind of an opcode; WR_IMM_UNKNOWN for codes 2.0 does not define.
 * `prefix` is WR_PREFIX_NONE, WR_PREFIX_FC or WR_PREFIX_FD. */
wr_imm_kind wr_opcode_imm(unsigned prefix, uint32_t code);

/* Text-format name ("i32.add"), or NULL for unknown opcodes. */
const char *wr_opcode_name(unsigned prefix, uint32_t code);

#endif
