/*
 * keccak.c - the Keccak-f[1600] permutation (FIPS 202), 24 rounds over 25 64-bit lanes.
 *
 * bench_run(n): starts from a fixed state (lane i = (i + 1) * 0x0123456789abcdef) and applies
 * the permutation n times in a row. Returns the final state folded into 64 bits (each lane
 * XORed in after rotating the running value). Work: O(n) permutations.
 *
 * Self-contained: no libc, no allocation. bench_selftest() (native only: not exported to
 * WebAssembly) checks the permutation of the all-zero state (the first lanes of the Keccak
 * team's known answer), SHA3-256("abc") and SHA3-256("") built on the permutation, and
 * bench_run(1000), against the python3 model in model.py (checked there against hashlib);
 * returns 0, or the number of the first failing check.
 */
#include <stddef.h>
#include <stdint.h>

static const uint64_t RC[24] = {
    0x0000000000000001ull, 0x0000000000008082ull, 0x800000000000808aull, 0x8000000080008000ull,
    0x000000000000808bull, 0x0000000080000001ull, 0x8000000080008081ull, 0x8000000000008009ull,
    0x000000000000008aull, 0x0000000000000088ull, 0x0000000080008009ull, 0x000000008000000aull,
    0x000000008000808bull, 0x800000000000008bull, 0x8000000000008089ull, 0x8000000000008003ull,
    0x8000000000008002ull, 0x8000000000000080ull, 0x000000000000800aull, 0x800000008000000aull,
    0x8000000080008081ull, 0x8000000000008080ull, 0x0000000080000001ull, 0x8000000080008008ull};

static inline uint64_t rotl(uint64_t x, int n) { return (x << n) | (x >> ((64 - n) & 63)); }

/*
 * Lane a[x + 5y] lives in the local a<x+5y>; the round is written out lane by lane (generated
 * from the specification's formulas), as optimized implementations do, so that the state
 * stays in registers (or locals) whatever a compiler's unrolling heuristics.
 */
static void keccak_f(uint64_t st[25])
{
  uint64_t a0 = st[0], a1 = st[1], a2 = st[2], a3 = st[3], a4 = st[4];
  uint64_t a5 = st[5], a6 = st[6], a7 = st[7], a8 = st[8], a9 = st[9];
  uint64_t a10 = st[10], a11 = st[11], a12 = st[12], a13 = st[13], a14 = st[14];
  uint64_t a15 = st[15], a16 = st[16], a17 = st[17], a18 = st[18], a19 = st[19];
  uint64_t a20 = st[20], a21 = st[21], a22 = st[22], a23 = st[23], a24 = st[24];
  for (int round = 0; round < 24; round++) {
    uint64_t c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20, c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21;
    uint64_t c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22, c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23;
    uint64_t c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24;
    uint64_t d0 = c4 ^ rotl(c1, 1), d1 = c0 ^ rotl(c2, 1), d2 = c1 ^ rotl(c3, 1);
    uint64_t d3 = c2 ^ rotl(c4, 1), d4 = c3 ^ rotl(c0, 1);
    /* theta applied, rho, pi: b[y + 5 * ((2x + 3y) % 5)] = rotl(a[x + 5y] ^ d[x], r[x][y]) */
    uint64_t b0 = a0 ^ d0, b1 = rotl(a6 ^ d1, 44), b2 = rotl(a12 ^ d2, 43);
    uint64_t b3 = rotl(a18 ^ d3, 21), b4 = rotl(a24 ^ d4, 14), b5 = rotl(a3 ^ d3, 28);
    uint64_t b6 = rotl(a9 ^ d4, 20), b7 = rotl(a10 ^ d0, 3), b8 = rotl(a16 ^ d1, 45);
    uint64_t b9 = rotl(a22 ^ d2, 61), b10 = rotl(a1 ^ d1, 1), b11 = rotl(a7 ^ d2, 6);
    uint64_t b12 = rotl(a13 ^ d3, 25), b13 = rotl(a19 ^ d4, 8), b14 = rotl(a20 ^ d0, 18);
    uint64_t b15 = rotl(a4 ^ d4, 27), b16 = rotl(a5 ^ d0, 36), b17 = rotl(a11 ^ d1, 10);
    uint64_t b18 = rotl(a17 ^ d2, 15), b19 = rotl(a23 ^ d3, 56), b20 = rotl(a2 ^ d2, 62);
    uint64_t b21 = rotl(a8 ^ d3, 55), b22 = rotl(a14 ^ d4, 39), b23 = rotl(a15 ^ d0, 41);
    uint64_t b24 = rotl(a21 ^ d1, 2);
    /* chi; iota */
    a0 = b0 ^ (~b1 & b2);
    a1 = b1 ^ (~b2 & b3);
    a2 = b2 ^ (~b3 & b4);
    a3 = b3 ^ (~b4 & b0);
    a4 = b4 ^ (~b0 & b1);
    a5 = b5 ^ (~b6 & b7);
    a6 = b6 ^ (~b7 & b8);
    a7 = b7 ^ (~b8 & b9);
    a8 = b8 ^ (~b9 & b5);
    a9 = b9 ^ (~b5 & b6);
    a10 = b10 ^ (~b11 & b12);
    a11 = b11 ^ (~b12 & b13);
    a12 = b12 ^ (~b13 & b14);
    a13 = b13 ^ (~b14 & b10);
    a14 = b14 ^ (~b10 & b11);
    a15 = b15 ^ (~b16 & b17);
    a16 = b16 ^ (~b17 & b18);
    a17 = b17 ^ (~b18 & b19);
    a18 = b18 ^ (~b19 & b15);
    a19 = b19 ^ (~b15 & b16);
    a20 = b20 ^ (~b21 & b22);
    a21 = b21 ^ (~b22 & b23);
    a22 = b22 ^ (~b23 & b24);
    a23 = b23 ^ (~b24 & b20);
    a24 = b24 ^ (~b20 & b21);
    a0 ^= RC[round];
  }
  st[0] = a0;
  st[1] = a1;
  st[2] = a2;
  st[3] = a3;
  st[4] = a4;
  st[5] = a5;
  st[6] = a6;
  st[7] = a7;
  st[8] = a8;
  st[9] = a9;
  st[10] = a10;
  st[11] = a11;
  st[12] = a12;
  st[13] = a13;
  st[14] = a14;
  st[15] = a15;
  st[16] = a16;
  st[17] = a17;
  st[18] = a18;
  st[19] = a19;
  st[20] = a20;
  st[21] = a21;
  st[22] = a22;
  st[23] = a23;
  st[24] = a24;
}

static uint64_t state[25];

uint64_t bench_run(uint32_t n);
uint64_t bench_run(uint32_t n)
{
  for (int i = 0; i < 25; i++)
    state[i] = (uint64_t)(i + 1) * 0x0123456789abcdefull;
  for (uint32_t k = 0; k < n; k++)
    keccak_f(state);
  uint64_t checksum = 0;
  for (int i = 0; i < 25; i++)
    checksum = rotl(checksum, 11) ^ state[i];
  return checksum;
}

/* SHA3-256 of a message shorter than the rate (136 bytes): one absorbed block. */
static void sha3_256_short(const uint8_t *msg, size_t size, uint64_t out[4])
{
  for (int i = 0; i < 25; i++)
    state[i] = 0;
  for (size_t i = 0; i < size; i++)
    state[i / 8] ^= (uint64_t)msg[i] << (8 * (i % 8));
  state[size / 8] ^= (uint64_t)0x06 << (8 * (size % 8));
  state[135 / 8] ^= (uint64_t)0x80 << (8 * (135 % 8));
  keccak_f(state);
  for (int i = 0; i < 4; i++)
    out[i] = state[i]; /* little-endian lanes: byte 0 of the digest is the low byte of out[0] */
}

int bench_selftest(void);
int bench_selftest(void)
{
  for (int i = 0; i < 25; i++)
    state[i] = 0;
  keccak_f(state);
  static const uint64_t zero_f[4] = {0xf1258f7940e1dde7ull, 0x84d5ccf933c0478aull,
                                     0xd598261ea65aa9eeull, 0xbd1547306f80494dull};
  for (int i = 0; i < 4; i++)
    if (state[i] != zero_f[i])
      return 1;
  uint64_t out[4];
  static const uint8_t abc[3] = {'a', 'b', 'c'};
  static const uint64_t abc_digest[4] = {0xb225e24fa75d983aull, 0xbd90d36b2d175c04ull,
                                         0x5b529d3e6e085f85ull, 0x3215431145e2bf46ull};
  sha3_256_short(abc, 3, out);
  for (int i = 0; i < 4; i++)
    if (out[i] != abc_digest[i])
      return 2;
  static const uint64_t empty_digest[4] = {0x66d71ebff8c6ffa7ull, 0x62d661a05647c151ull,
                                           0xfa493be44dff80f5ull, 0x4a43f8804b0ad882ull};
  sha3_256_short(abc, 0, out);
  for (int i = 0; i < 4; i++)
    if (out[i] != empty_digest[i])
      return 3;
  if (bench_run(1000) != 0xce315dca0246043aull) /* the python3 model (model.py) */
    return 4;
  return 0;
}
