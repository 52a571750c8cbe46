/*
 * poseidon.c - a Poseidon-like permutation over the Goldilocks field p = 2^64 - 2^32 + 1,
 * shaped as Plonky2's: width 12, S-box x^7, 4 + 4 full rounds around 22 partial rounds (S-box
 * on the first element only), each round adding 12 round constants and multiplying by a
 * 12x12 MDS matrix (Plonky2's circulant first row 17, 15, 41, 16, 2, 28, 13, 13, 39, 18, 34,
 * 20, plus 8 on the diagonal's first entry). The round constants are not Plonky2's: they come
 * from a fixed splitmix64 stream reduced mod p, so the outputs are this kernel's own.
 *
 * bench_run(n): starts from the state 0, 1, ..., 11; n times adds the counter to element 0 and
 * permutes. Returns the final state folded into 64 bits. Work: O(n) permutations, each
 * (8 * 12 + 22) S-boxes of 4 products and 30 matrix products of 144 small multiplications.
 *
 * The 64x64 -> 128-bit products are built from 32-bit limbs: clang lowers `unsigned __int128`
 * multiplication for wasm32 to a call of __multi3 (compiler-rt), which would make the module
 * import it. Every engine, native included, runs the same limb code. Reductions are
 * branch-free (masks).
 *
 * Self-contained: no libc, no allocation. bench_selftest() (native only: not exported to
 * WebAssembly) checks one permutation and bench_run(100) against the python3 model in
 * model.py; returns 0, or the number of the first failing check.
 */
#include <stddef.h>
#include <stdint.h>

#define WIDTH 12
#define HALF_FULL_ROUNDS 4
#define PARTIAL_ROUNDS 22
#define ROUNDS (2 * HALF_FULL_ROUNDS + PARTIAL_ROUNDS)

static const uint64_t P = 0xffffffff00000001ull;
static const uint64_t EPSILON = 0xffffffffull; /* 2^64 mod p */

static const uint64_t MDS_CIRC[WIDTH] = {17, 15, 41, 16, 2, 28, 13, 13, 39, 18, 34, 20};
static const uint64_t MDS_DIAG0 = 8;

static uint64_t round_constants[ROUNDS * WIDTH];

/* 64x64 -> 128-bit product from four 32x32 -> 64-bit products. */
static inline void mul_wide(uint64_t a, uint64_t b, uint64_t *lo, uint64_t *hi)
{
  uint64_t a0 = (uint32_t)a, a1 = a >> 32, b0 = (uint32_t)b, b1 = b >> 32;
  uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  uint64_t mid = (p00 >> 32) + (uint32_t)p01 + (uint32_t)p10;
  *lo = (mid << 32) | (uint32_t)p00;
  *hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

/* hi * 2^64 + lo mod p, canonical (< p). */
static inline uint64_t reduce128(uint64_t lo, uint64_t hi)
{
  uint64_t hi_hi = hi >> 32, hi_lo = hi & EPSILON;
  uint64_t t0 = lo - hi_hi; /* 2^96 = -1 mod p */
  t0 -= EPSILON & -(uint64_t)(lo < hi_hi);
  uint64_t t1 = hi_lo * EPSILON; /* 2^64 = 2^32 - 1 mod p */
  uint64_t r = t0 + t1;
  r += EPSILON & -(uint64_t)(r < t1);
  return r - (P & -(uint64_t)(r >= P));
}

static inline uint64_t fmul(uint64_t a, uint64_t b)
{
  uint64_t lo, hi;
  mul_wide(a, b, &lo, &hi);
  return reduce128(lo, hi);
}

static inline uint64_t fadd(uint64_t a, uint64_t b)
{
  uint64_t s = a + b;
  s += EPSILON & -(uint64_t)(s < a);
  return s - (P & -(uint64_t)(s >= P));
}

static inline uint64_t sbox(uint64_t x)
{
  uint64_t x2 = fmul(x, x);
  uint64_t x3 = fmul(x2, x);
  uint64_t x4 = fmul(x2, x2);
  return fmul(x3, x4);
}

/* out = M in, M circulant plus a diagonal; coefficients below 2^6, so each row's sum is
 * accumulated exactly from the 32-bit halves of the elements. */
static void mds(const uint64_t in[WIDTH], uint64_t out[WIDTH])
{
  for (int r = 0; r < WIDTH; r++) {
    uint64_t sum_lo = 0, sum_hi = 0;
    for (int i = 0; i < WIDTH; i++) {
      uint64_t x = in[(i + r) % WIDTH];
      sum_lo += MDS_CIRC[i] * (x & EPSILON);
      sum_hi += MDS_CIRC[i] * (x >> 32);
    }
    if (r == 0) {
      sum_lo += MDS_DIAG0 * (in[0] & EPSILON);
      sum_hi += MDS_DIAG0 * (in[0] >> 32);
    }
    /* sum_lo + sum_hi * 2^32, both below 2^41: a 128-bit value. */
    uint64_t lo = sum_lo + (sum_hi << 32);
    uint64_t hi = (sum_hi >> 32) + (lo < sum_lo);
    out[r] = reduce128(lo, hi);
  }
}

_Static_assert(ROUNDS % 2 == 0, "permute() relies on an even number of rounds");

/* Each round's matrix product goes to the other buffer (no copies); after an even number of
 * rounds the result is back in `state`. */
static void permute(uint64_t state[WIDTH])
{
  uint64_t scratch[WIDTH];
  uint64_t *s = state, *t = scratch;
  for (int round = 0; round < ROUNDS; round++) {
    const uint64_t *rc = round_constants + round * WIDTH;
    for (int i = 0; i < WIDTH; i++)
      s[i] = fadd(s[i], rc[i]);
    if (round < HALF_FULL_ROUNDS || round >= HALF_FULL_ROUNDS + PARTIAL_ROUNDS) {
      for (int i = 0; i < WIDTH; i++)
        s[i] = sbox(s[i]);
    } else {
      s[0] = sbox(s[0]);
    }
    mds(s, t);
    uint64_t *swap = s;
    s = t;
    t = swap;
  }
}

static void init_constants(void)
{
  uint64_t s = 0x706f736569646f6eull; /* "poseidon" */
  for (int i = 0; i < ROUNDS * WIDTH; i++) {
    uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    round_constants[i] = z - (P & -(uint64_t)(z >= P));
  }
}

static uint64_t state[WIDTH];

uint64_t bench_run(uint32_t n);
uint64_t bench_run(uint32_t n)
{
  init_constants();
  for (int i = 0; i < WIDTH; i++)
    state[i] = (uint64_t)i;
  for (uint32_t k = 0; k < n; k++) {
    state[0] = fadd(state[0], k);
    permute(state);
  }
  uint64_t checksum = 0;
  for (int i = 0; i < WIDTH; i++)
    checksum = ((checksum << 9) | (checksum >> 55)) ^ state[i];
  return checksum;
}

int bench_selftest(void);
int bench_selftest(void)
{
  /* Expected values: a python3 model (model.py) of the same permutation (integers, % p). */
  static const uint64_t expect[WIDTH] = {
      0xf6ffc09932999f9bull, 0x226892ff0ee22d1full, 0xa241c12ed50c4aceull, 0x54b89cdbe5f83c5bull,
      0x95e6bf5fade7e3d9ull, 0xea651185727ea3deull, 0xac32c216f7cdccd6ull, 0xd0cbe5b5e8a9c7deull,
      0xa47d32d32d01c6b4ull, 0xd0b1d7c172cb0ee6ull, 0xf7d679bd77e3c78bull, 0xc4acea691fb9834bull};
  init_constants();
  for (int i = 0; i < WIDTH; i++)
    state[i] = (uint64_t)i;
  permute(state);
  for (int i = 0; i < WIDTH; i++)
    if (state[i] != expect[i])
      return 1;
  if (bench_run(100) != 0xa0326cbde1e6a4c9ull)
    return 2;
  return 0;
}
