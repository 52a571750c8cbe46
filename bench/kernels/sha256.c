/*
 * sha256.c - SHA-256 (FIPS 180-4).
 *
 * bench_run(n): fills a 1 MiB static buffer with a fixed pseudo-random pattern (a 32-bit LCG,
 * top byte of each step), hashes it, then hashes the 32-byte digest n times (each digest is
 * the message of the next hash: one compression each). Returns the final digest folded into
 * 64 bits: the XOR of its four big-endian 64-bit words. Work: O(n) + 16 Ki compressions.
 *
 * Self-contained: no libc, no allocation. bench_selftest() (native only: not exported to
 * WebAssembly) checks SHA-256("abc"), SHA-256(""), the digest of the buffer and bench_run(1000)
 * against python3's hashlib (model.py); returns 0, or the number of the first failing check.
 */
#include <stddef.h>
#include <stdint.h>

#define BUFFER_SIZE (1u << 20)

static uint8_t buffer[BUFFER_SIZE];

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

static inline uint32_t load_be32(const uint8_t *p)
{
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* SHA-256 of `size` bytes at `msg`; the digest as eight big-endian words. */
static void sha256(const uint8_t *msg, size_t size, uint32_t digest[8])
{
  uint32_t state[8], block[16];
  for (int i = 0; i < 8; i++)
    state[i] = IV[i];
  size_t full = size / 64;
  for (size_t b = 0; b < full; b++) {
    for (int i = 0; i < 16; i++)
      block[i] = load_be32(msg + 64 * b + 4 * i);
    compress(state, block);
  }
  /* The tail, 0x80, zeros and the bit length: one or two more blocks. */
  size_t rest = size - 64 * full;
  const uint8_t *tail = msg + 64 * full;
  for (int i = 0; i < 16; i++)
    block[i] = 0;
  for (size_t i = 0; i < rest; i++)
    block[i / 4] |= (uint32_t)tail[i] << (24 - 8 * (i % 4));
  block[rest / 4] |= 0x80u << (24 - 8 * (rest % 4));
  if (rest >= 56) {
    compress(state, block);
    for (int i = 0; i < 16; i++)
      block[i] = 0;
  }
  uint64_t bits = (uint64_t)size * 8;
  block[14] = (uint32_t)(bits >> 32);
  block[15] = (uint32_t)bits;
  compress(state, block);
  for (int i = 0; i < 8; i++)
    digest[i] = state[i];
}

/* SHA-256 of a 32-byte message (a digest): one block, padding included. */
static void sha256_of_digest(uint32_t digest[8])
{
  uint32_t block[16];
  for (int i = 0; i < 8; i++)
    block[i] = digest[i];
  block[8] = 0x80000000u;
  for (int i = 9; i < 15; i++)
    block[i] = 0;
  block[15] = 256;
  for (int i = 0; i < 8; i++)
    digest[i] = IV[i];
  compress(digest, block);
}

static uint64_t fold(const uint32_t digest[8])
{
  uint64_t r = 0;
  for (int i = 0; i < 8; i += 2)
    r ^= (uint64_t)digest[i] << 32 | digest[i + 1];
  return r;
}

static void fill_buffer(void)
{
  uint32_t x = 12345;
  for (uint32_t i = 0; i < BUFFER_SIZE; i++) {
    x = x * 1103515245u + 12345u;
    buffer[i] = (uint8_t)(x >> 24);
  }
}

uint64_t bench_run(uint32_t n);
uint64_t bench_run(uint32_t n)
{
  uint32_t digest[8];
  fill_buffer();
  sha256(buffer, BUFFER_SIZE, digest);
  for (uint32_t i = 0; i < n; i++)
    sha256_of_digest(digest);
  return fold(digest);
}

static int digest_is(const uint32_t digest[8], const uint32_t expect[8])
{
  uint32_t diff = 0;
  for (int i = 0; i < 8; i++)
    diff |= digest[i] ^ expect[i];
  return diff == 0;
}

int bench_selftest(void);
int bench_selftest(void)
{
  /* Expected values: python3 hashlib.sha256. */
  static const uint8_t abc[3] = {'a', 'b', 'c'};
  static const uint32_t abc_digest[8] = {0xba7816bf, 0x8f01cfea, 0x414140de, 0x5dae2223,
                                         0xb00361a3, 0x96177a9c, 0xb410ff61, 0xf20015ad};
  static const uint32_t empty_digest[8] = {0xe3b0c442, 0x98fc1c14, 0x9afbf4c8, 0x996fb924,
                                           0x27ae41e4, 0x649b934c, 0xa495991b, 0x7852b855};
  uint32_t digest[8];
  sha256(abc, 3, digest);
  if (!digest_is(digest, abc_digest))
    return 1;
  sha256(abc, 0, digest);
  if (!digest_is(digest, empty_digest))
    return 2;
  /* 56 bytes: the padding needs a second block. */
  static const char two[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  static const uint32_t two_digest[8] = {0x248d6a61, 0xd20638b8, 0xe5c02693, 0x0c3e6039,
                                         0xa33ce459, 0x64ff2167, 0xf6ecedd4, 0x19db06c1};
  sha256((const uint8_t *)two, 56, digest);
  if (!digest_is(digest, two_digest))
    return 3;
  fill_buffer();
  static const uint32_t buffer_digest[8] = {0xfc7cfb2b, 0xd116edf7, 0xd68c65c5, 0xf4bf1f7d,
                                            0x794d9c52, 0x259f2434, 0x0bc01028, 0x345c557f};
  sha256(buffer, BUFFER_SIZE, digest);
  if (!digest_is(digest, buffer_digest))
    return 4;
  if (bench_run(1000) != 0x2e36689268287f74ull)
    return 5;
  return 0;
}
