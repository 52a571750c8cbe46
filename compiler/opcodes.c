/* opcodes.c - lookup tables expanded from the opcode table. */
#include "compiler/opcodes.h"

#include <stddef.h>

typedef struct wr_opcode_info {
  const char *name;
  uint8_t imm;
} wr_opcode_info;

static const wr_opcode_info wr_main_info[256] = {
#define WR_SIMPLE(code, name, text, sig) [code] = {text, WR_IMM_NONE},
#define WR_MEMOP(code, name, text, sig, align) [code] = {text, WR_IMM_MEMARG},
#define WR_SPECIAL(code, name, text, imm) [code] = {text, WR_IMM_##imm},
#include "compiler/opcodes_main.def"
};

static const wr_opcode_info wr_fc_info[256] = {
#define WR_SIMPLE(code, name, text, sig) [code] = {text, WR_IMM_NONE},
#define WR_MEMOP(code, name, text, sig, align) [code] = {text, WR_IMM_MEMARG},
#define WR_SPECIAL(code, name, text, imm) [code] = {text, WR_IMM_##imm},
#include "compiler/opcodes_fc.def"
};

static const wr_opcode_info wr_fd_info[256] = {
#define WR_SIMPLE(code, name, text, sig) [code] = {text, WR_IMM_NONE},
#define WR_MEMOP(code, name, text, sig, align) [code] = {text, WR_IMM_MEMARG},
#define WR_SPECIAL(code, name, text, imm) [code] = {text, WR_IMM_##imm},
#define WR_LANEOP(code, name, text, sig, lanes) [code] = {text, WR_IMM_LANE},
#define WR_MEMLANEOP(code, name, text, sig, align, lanes) [code] = {text, WR_IMM_MEMARG_LANE},
#include "compiler/opcodes_fd.def"
};

static const wr_opcode_info *wr_opcode_lookup(unsigned prefix, uint32_t code)
{
  if (code > 0xff)
    return NULL;
  switch (prefix) {
  case WR_PREFIX_NONE:
    return &wr_main_info[code];
  case WR_PREFIX_FC:
    return &wr_fc_info[code];
  case WR_PREFIX_FD:
    return &wr_fd_info[code];
  }
  return NULL;
}

wr_imm_kind wr_opcode_imm(unsigned prefix, uint32_t code)
{
  const wr_opcode_info *info = wr_opcode_lookup(prefix, code);
  return info ? (wr_imm_kind)info->imm : WR_IMM_UNKNOWN;
}

const char *wr_opcode_name(unsigned prefix, uint32_t code)
{
  const wr_opcode_info *info = wr_opcode_lookup(prefix, code);
  return info ? info->name : NULL;
}
