/*
 * hello.c - the bundled example: SHA-256 digests, the kind of work a prover task does.
 *
 *   hello                 prints the SHA-256 of standard input, like `sha256sum -`
 *   hello STRING...       prints the SHA-256 of each STRING (without a newline)
 *   hello --self-test     checks the FIPS 180-4 test vectors, exit status 1 on a mismatch
 *
 * Plain C11 with only stdio, so it builds for wasm32-wasi (scripts/example.sh) as well as
 * natively, and the two must print the same digests:
 *   clang --target=wasm32-wasi -O2 -c hello.c -o hello.o && clang --target=wasm32-wasi hello.o -o
 * hello.wasm
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct sha256 {
  uint32_t state[8];
  uint64_t length; /* bytes hashed so far */
  uint8_t block[64];
  size_t used; /* bytes waiting in block */
} sha256;

static const uint32_t sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t rotr(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }

static void sha256_init(sha256 *h)
{
  static const uint32_t initial[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  memcpy(h->state, initial, sizeof initial);
  h->length = 0;
  h->used = 0;
}

static void sha256_compress(uint32_t state[8], const uint8_t block[64])
{
  uint32_t w[64];
  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t)block[4 * i] << 24 | (uint32_t)block[4 * i + 1] << 16 |
           (uint32_t)block[4 * i + 2] << 8 | block[4 * i + 3];
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
  uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
  for (int i = 0; i < 64; i++) {
    uint32_t t1 =
        h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + sha256_k[i] + w[i];
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

static void sha256_update(sha256 *h, const void *data, size_t size)
{
  const uint8_t *p = data;
  h->length += size;
  while (size > 0) {
    size_t n = 64 - h->used < size ? 64 - h->used : size;
    memcpy(h->block + h->used, p, n);
    h->used += n;
    p += n;
    size -= n;
    if (h->used == 64) {
      sha256_compress(h->state, h->block);
      h->used = 0;
    }
  }
}

static void sha256_final(sha256 *h, uint8_t digest[32])
{
  uint64_t bits = h->length * 8;
  uint8_t pad = 0x80;
  sha256_update(h, &pad, 1);
  pad = 0;
  while (h->used != 56)
    sha256_update(h, &pad, 1);
  uint8_t length[8];
  for (int i = 0; i < 8; i++)
    length[i] = (uint8_t)(bits >> (56 - 8 * i));
  sha256_update(h, length, 8);
  for (int i = 0; i < 8; i++)
    for (int k = 0; k < 4; k++)
      digest[4 * i + k] = (uint8_t)(h->state[i] >> (24 - 8 * k));
}

static void hex(const uint8_t digest[32], char out[65])
{
  static const char digits[] = "0123456789abcdef";
  for (int i = 0; i < 32; i++) {
    out[2 * i] = digits[digest[i] >> 4];
    out[2 * i + 1] = digits[digest[i] & 15];
  }
  out[64] = '\0';
}

static void digest_of(const void *data, size_t size, char out[65])
{
  sha256 h;
  uint8_t digest[32];
  sha256_init(&h);
  sha256_update(&h, data, size);
  sha256_final(&h, digest);
  hex(digest, out);
}

static int self_test(void)
{
  static const struct {
    const char *input;
    const char *digest;
  } vectors[] = {
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
  };
  int failures = 0;
  char out[65];
  for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
    digest_of(vectors[i].input, strlen(vectors[i].input), out);
    if (strcmp(out, vectors[i].digest) != 0) {
      printf("FAIL \"%s\": %s, expected %s\n", vectors[i].input, out, vectors[i].digest);
      failures++;
    }
  }
  /* One million 'a', fed in uneven pieces to exercise the block buffering. */
  sha256 h;
  uint8_t digest[32];
  static char a[1000];
  memset(a, 'a', sizeof a);
  sha256_init(&h);
  for (size_t done = 0, piece = 1; done < 1000000; done += piece, piece = piece % 997 + 1)
    sha256_update(&h, a, done + piece > 1000000 ? 1000000 - done : piece);
  sha256_final(&h, digest);
  hex(digest, out);
  if (strcmp(out, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0") != 0) {
    printf("FAIL one million 'a': %s\n", out);
    failures++;
  }
  printf("self-test: %s\n", failures ? "FAILED" : "ok");
  return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
  char out[65];
  if (argc == 2 && strcmp(argv[1], "--self-test") == 0)
    return self_test();
  if (argc > 1) {
    for (int i = 1; i < argc; i++) {
      digest_of(argv[i], strlen(argv[i]), out);
      printf("%s  \"%s\"\n", out, argv[i]);
    }
    return 0;
  }
  sha256 h;
  uint8_t digest[32];
  uint8_t buffer[4096];
  size_t n;
  sha256_init(&h);
  while ((n = fread(buffer, 1, sizeof buffer, stdin)) > 0)
    sha256_update(&h, buffer, n);
  if (ferror(stdin)) {
    perror("hello: reading standard input");
    return 2;
  }
  sha256_final(&h, digest);
  hex(digest, out);
  printf("%s  -\n", out);
  return 0;
}
