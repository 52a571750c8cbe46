/*
 * merkle.c - Merkle tree commitment over 2^14 leaves with SHA-256's compression function as
 * the 2-to-1 hash, as a prover commits to the rows of a trace.
 *
 * Each leaf is a row of 8 64-bit words from a splitmix64 stream seeded by the tree number;
 * its digest is one compression of those 64 bytes from SHA-256's initial state (no padding:
 * a fixed-size input). An inner node is one compression of left || right digests. The nodes
 * live in one static array in heap order (root at 1, leaves from 2^14).
 *
 * bench_run(n): builds n trees; folds each root into the checksum and checks the opening
 * (authentication path) of one leaf per tree against the root (a failure adds a large
 * constant to the checksum). Work: O(n * 2^15) compressions.
 *
 * Self-contained: no libc, no allocation. bench_selftest() (native only: not exported to
 * WebAssembly) checks the compression function through SHA-256("abc") against python3's
 * hashlib and bench_run(2) against the python3 model in model.py; returns 0, or the number of
 * the first failing check.
 */
#include <stddef.h>
#include <stdint.h>

#define LOG_LEAVES 14
#define LEAVES (1u << LOG_LEAVES)

static uint32_t nodes[2 * LEAVES][8];

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static const uint32_t IV[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

static inline uint32_t rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

/* One compression: state += F(state, w[0..15]). */
static void compress(uint32_t state[8], const uint32_t block[16])
{
  uint32_t w[64];
  for (int i = 0; i < 16; i++)
    w[i] = block[i];
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
  uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
    uint32_t t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    h = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
  state[4] += e;
  state[5] += f;
  state[6] += g;
  state[7] += h;
}

static void hash_leaf(uint64_t seed, uint32_t index, uint32_t digest[8])
{
  uint32_t block[16];
  uint64_t s = seed ^ ((uint64_t)index << 32);
  for (int i = 0; i < 8; i++) {
    uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    block[2 * i] = (uint32_t)(z >> 32);
    block[2 * i + 1] = (uint32_t)z;
  }
  for (int i = 0; i < 8; i++)
    digest[i] = IV[i];
  compress(digest, block);
}

static void hash_pair(const uint32_t left[8], const uint32_t right[8], uint32_t digest[8])
{
  uint32_t block[16];
  for (int i = 0; i < 8; i++) {
    block[i] = left[i];
    block[8 + i] = right[i];
  }
  for (int i = 0; i < 8; i++)
    digest[i] = IV[i];
  compress(digest, block);
}

static void build(uint64_t seed)
{
  for (uint32_t i = 0; i < LEAVES; i++)
    hash_leaf(seed, i, nodes[LEAVES + i]);
  for (uint32_t i = LEAVES - 1; i >= 1; i--)
    hash_pair(nodes[2 * i], nodes[2 * i + 1], nodes[i]);
}

/* Recomputes the root from leaf `index`'s data and its siblings; 1 when it matches. */
static int verify_opening(uint64_t seed, uint32_t index)
{
  uint32_t digest[8], next[8];
  hash_leaf(seed, index, digest);
  for (uint32_t node = LEAVES + index; node > 1; node >>= 1) {
    const uint32_t *sibling = nodes[node ^ 1];
    if (node & 1)
      hash_pair(sibling, digest, next);
    else
      hash_pair(digest, sibling, next);
    for (int i = 0; i < 8; i++)
      digest[i] = next[i];
  }
  uint32_t diff = 0;
  for (int i = 0; i < 8; i++)
    diff |= digest[i] ^ nodes[1][i];
  return diff == 0;
}

uint64_t bench_run(uint32_t n);
uint64_t bench_run(uint32_t n)
{
  uint64_t checksum = 0;
  for (uint32_t t = 0; t < n; t++) {
    uint64_t seed = 0x6d65726b6c65ull + t; /* "merkle" */
    build(seed);
    for (int i = 0; i < 8; i += 2) {
      uint64_t word = (uint64_t)nodes[1][i] << 32 | nodes[1][i + 1];
      checksum = ((checksum << 17) | (checksum >> 47)) ^ word;
    }
    if (!verify_opening(seed, (t * 7919u + 1u) % LEAVES))
      checksum += 0x1000000000001ull;
  }
  return checksum;
}

int bench_selftest(void);
int bench_selftest(void)
{
  /* SHA-256("abc"): one block, padding written out; expected value from python3 hashlib. */
  uint32_t block[16] = {0x61626380u, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 24};
  static const uint32_t abc_digest[8] = {0xba7816bf, 0x8f01cfea, 0x414140de, 0x5dae2223,
                                         0xb00361a3, 0x96177a9c, 0xb410ff61, 0xf20015ad};
  uint32_t digest[8];
  for (int i = 0; i < 8; i++)
    digest[i] = IV[i];
  compress(digest, block);
  for (int i = 0; i < 8; i++)
    if (digest[i] != abc_digest[i])
      return 1;
  if (bench_run(2) != 0x8bacf04c23987b4full)
    return 2;
  return 0;
}
