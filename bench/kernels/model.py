#!/usr/bin/env python3
"""model.py - python3 models of the kernels in this folder, the source of the expected values
in their bench_selftest() functions. A kernel changed on purpose needs its constants redone:

    python3 bench/kernels/model.py [KERNEL...]     # all kernels when none is named

prints, per kernel, the values its self-test compares with (hex, as in the C files). The
models use python integers, floats (IEEE double) and hashlib, written from the specifications
rather than translated line by line from the C, and check themselves against hashlib where
there is something to check against. Takes about 20 s in all (the Merkle model most of it).
"""
import hashlib
import struct
import sys

M64 = (1 << 64) - 1
M32 = (1 << 32) - 1
GOLDILOCKS = (1 << 64) - (1 << 32) + 1


def rotl64(x, n):
    n %= 64
    return ((x << n) | (x >> (64 - n))) & M64 if n else x


def splitmix64(state):
    """One step: returns (new state, output)."""
    state = (state + 0x9E3779B97F4A7C15) & M64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return state, z ^ (z >> 31)


def ntt():
    p, n_log = GOLDILOCKS, 16
    size = 1 << n_log
    w = pow(7, (p - 1) >> n_log, p)

    def dft(a):
        a = a[:]
        j = 0
        for i in range(1, size):
            bit = size >> 1
            while j & bit:
                j ^= bit
                bit >>= 1
            j ^= bit
            if i < j:
                a[i], a[j] = a[j], a[i]
        length = 2
        while length <= size:
            wl = pow(w, size // length, p)
            half = length // 2
            for i in range(0, size, length):
                x = 1
                for k in range(half):
                    u, v = a[i + k], a[i + k + half] * x % p
                    a[i + k], a[i + k + half] = (u + v) % p, (u - v) % p
                    x = x * wl % p
            length <<= 1
        return a

    def bench(n):
        checksum = 0
        for r in range(n):
            s, a = (0x6E7474 * (r + 1)) & M64, []
            for _ in range(size):
                s, x = splitmix64(s)
                a.append(x - p if x >= p else x)
            out = dft(a)
            assert out[1] == sum(a[j] * pow(w, j, p) for j in range(size)) % p
            for v in out:
                checksum = rotl64(checksum, 7) ^ v
        return checksum

    print(f"  (2^128 - 1) mod p = {(1 << 128) - 1 - ((1 << 128) - 1) // p * p:#x}")
    print(f"  bench_run(2) = {bench(2):#x}")


def montgomery():
    p = 0x30644E72E131A029B85045B68181585D97816A916871CA8D3C208C16D87CFD47

    def limbs(x):
        return ", ".join(f"{(x >> (64 * i)) & M64:#018x}" for i in range(4))

    def from_limbs(values):
        return sum(v << (64 * i) for i, v in enumerate(values))

    a = from_limbs([0x0123456789ABCDEF, 0xFEDCBA9876543210, 0x0F1E2D3C4B5A6978, 0x1122334455667788])
    b = from_limbs([0xFFFFFFFFFFFFFFFF, 1, 0x8000000000000000, 0x2FFFFFFFFFFFFFFF])
    e = from_limbs([0xDEADBEEFCAFEBABE, 0x0011223344556677, 0x8899AABBCCDDEEFF, 0xF0E1D2C3B4A59687])

    def bench(n):
        x, checksum = a, 0
        for _ in range(n):
            y = pow(x, p - 2, p)
            assert x * y % p == 1
            for k in range(4):
                checksum = rotl64(checksum, 13) ^ ((y >> (64 * k)) & M64)
            x = (x + y) % p
        return checksum

    print(f"  -p^-1 mod 2^64 = {-pow(p, -1, 1 << 64) % (1 << 64):#x}")
    print(f"  2^256 mod p = {{{limbs((1 << 256) % p)}}}")
    print(f"  2^512 mod p = {{{limbs((1 << 512) % p)}}}")
    print(f"  a * b mod p = {{{limbs(a * b % p)}}}")
    print(f"  a^e mod p = {{{limbs(pow(a, e, p))}}}")
    print(f"  bench_run(3) = {bench(3):#x}")


def sha256_buffer():
    x, buf = 12345, bytearray(1 << 20)
    for i in range(len(buf)):
        x = (x * 1103515245 + 12345) & M32
        buf[i] = x >> 24
    return bytes(buf)


def sha256():
    for message in (b"abc", b"", b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"):
        print(f"  SHA-256({message[:8]!r}...) = {hashlib.sha256(message).hexdigest()}")
    digest = hashlib.sha256(sha256_buffer()).digest()
    print(f"  SHA-256(buffer) = {digest.hex()}")
    for _ in range(1000):
        digest = hashlib.sha256(digest).digest()
    folded = 0
    for i in range(0, 32, 8):
        folded ^= int.from_bytes(digest[i:i + 8], "big")
    print(f"  bench_run(1000) = {folded:#x}")


# Keccak-f[1600], lanes A[x + 5y], from FIPS 202's step mappings.
KECCAK_RC = [
    0x0000000000000001, 0x0000000000008082, 0x800000000000808A, 0x8000000080008000,
    0x000000000000808B, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
    0x000000000000008A, 0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
    0x000000008000808B, 0x800000000000008B, 0x8000000000008089, 0x8000000000008003,
    0x8000000000008002, 0x8000000000000080, 0x000000000000800A, 0x800000008000000A,
    0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008]
KECCAK_ROT = [[0, 36, 3, 41, 18], [1, 44, 10, 45, 2], [62, 6, 43, 15, 61], [28, 55, 25, 21, 56],
              [27, 20, 39, 8, 14]]


def keccak_f(a):
    for rc in KECCAK_RC:
        c = [a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20] for x in range(5)]
        d = [c[(x - 1) % 5] ^ rotl64(c[(x + 1) % 5], 1) for x in range(5)]
        a = [a[i] ^ d[i % 5] for i in range(25)]
        b = [0] * 25
        for x in range(5):
            for y in range(5):
                b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl64(a[x + 5 * y], KECCAK_ROT[x][y])
        a = [b[x + 5 * y] ^ (~b[(x + 1) % 5 + 5 * y] & b[(x + 2) % 5 + 5 * y])
             for y in range(5) for x in range(5)]
        a[0] ^= rc
    return a


def keccak():
    def sha3_256(message):
        block = bytearray(message) + b"\x06"
        block += bytes(136 - len(block))
        block[135] |= 0x80
        lanes = [int.from_bytes(block[8 * i:8 * i + 8], "little") for i in range(17)] + [0] * 8
        out = keccak_f(lanes)
        return b"".join(out[i].to_bytes(8, "little") for i in range(4))

    for message in (b"abc", b""):
        digest = sha3_256(message)
        assert digest == hashlib.sha3_256(message).digest()
        lanes = ", ".join(f"{int.from_bytes(digest[8 * i:8 * i + 8], 'little'):#018x}"
                          for i in range(4))
        print(f"  SHA3-256({message!r}) lanes = {lanes}")
    zero = keccak_f([0] * 25)
    print(f"  Keccak-f(0) lanes 0-3 = {', '.join(f'{v:#018x}' for v in zero[:4])}")
    state = [((i + 1) * 0x0123456789ABCDEF) & M64 for i in range(25)]
    for _ in range(1000):
        state = keccak_f(state)
    checksum = 0
    for v in state:
        checksum = rotl64(checksum, 11) ^ v
    print(f"  bench_run(1000) = {checksum:#x}")


def poseidon():
    p, width, rounds = GOLDILOCKS, 12, 30
    circ = [17, 15, 41, 16, 2, 28, 13, 13, 39, 18, 34, 20]
    s, constants = 0x706F736569646F6E, []
    for _ in range(rounds * width):
        s, z = splitmix64(s)
        constants.append(z % p)

    def permute(state):
        for r in range(rounds):
            state = [(state[i] + constants[r * width + i]) % p for i in range(width)]
            if r < 4 or r >= 26:
                state = [pow(x, 7, p) for x in state]
            else:
                state[0] = pow(state[0], 7, p)
            state = [(sum(circ[i] * state[(i + row) % width] for i in range(width)) +
                      (8 * state[0] if row == 0 else 0)) % p for row in range(width)]
        return state

    print(f"  permute(0..11) = {', '.join(f'{v:#018x}' for v in permute(list(range(width))))}")
    state = list(range(width))
    for k in range(100):
        state[0] = (state[0] + k) % p
        state = permute(state)
    checksum = 0
    for v in state:
        checksum = rotl64(checksum, 9) ^ v
    print(f"  bench_run(100) = {checksum:#x}")


SHA256_K = [
    0x428A2F98, 0x71374491, 0xB5C0FBCF, 0xE9B5DBA5, 0x3956C25B, 0x59F111F1, 0x923F82A4, 0xAB1C5ED5,
    0xD807AA98, 0x12835B01, 0x243185BE, 0x550C7DC3, 0x72BE5D74, 0x80DEB1FE, 0x9BDC06A7, 0xC19BF174,
    0xE49B69C1, 0xEFBE4786, 0x0FC19DC6, 0x240CA1CC, 0x2DE92C6F, 0x4A7484AA, 0x5CB0A9DC, 0x76F988DA,
    0x983E5152, 0xA831C66D, 0xB00327C8, 0xBF597FC7, 0xC6E00BF3, 0xD5A79147, 0x06CA6351, 0x14292967,
    0x27B70A85, 0x2E1B2138, 0x4D2C6DFC, 0x53380D13, 0x650A7354, 0x766A0ABB, 0x81C2C92E, 0x92722C85,
    0xA2BFE8A1, 0xA81A664B, 0xC24B8B70, 0xC76C51A3, 0xD192E819, 0xD6990624, 0xF40E3585, 0x106AA070,
    0x19A4C116, 0x1E376C08, 0x2748774C, 0x34B0BCB5, 0x391C0CB3, 0x4ED8AA4A, 0x5B9CCA4F, 0x682E6FF3,
    0x748F82EE, 0x78A5636F, 0x84C87814, 0x8CC70208, 0x90BEFFFA, 0xA4506CEB, 0xBEF9A3F7, 0xC67178F2]
SHA256_IV = [0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A,
             0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19]


def sha256_compress(state, block):
    def rotr(x, n):
        return ((x >> n) | (x << (32 - n))) & M32

    w = list(block)
    for i in range(16, 64):
        s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
        s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
        w.append((w[i - 16] + s0 + w[i - 7] + s1) & M32)
    a, b, c, d, e, f, g, h = state
    for i in range(64):
        t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) +
              SHA256_K[i] + w[i]) & M32
        t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) & M32
        h, g, f, e, d, c, b, a = g, f, e, (d + t1) & M32, c, b, a, (t1 + t2) & M32
    return [(x + y) & M32 for x, y in zip(state, [a, b, c, d, e, f, g, h])]


def merkle():
    abc = [0x61626380] + [0] * 14 + [24]
    digest = b"".join(struct.pack(">I", x) for x in sha256_compress(SHA256_IV, abc))
    assert digest == hashlib.sha256(b"abc").digest()
    leaves = 1 << 14

    def leaf(seed, index):
        s, block = (seed ^ (index << 32)) & M64, []
        for _ in range(8):
            s, z = splitmix64(s)
            block += [z >> 32, z & M32]
        return sha256_compress(SHA256_IV, block)

    checksum = 0
    for t in range(2):
        seed = 0x6D65726B6C65 + t
        nodes = [None] * (2 * leaves)
        for i in range(leaves):
            nodes[leaves + i] = leaf(seed, i)
        for i in range(leaves - 1, 0, -1):
            nodes[i] = sha256_compress(SHA256_IV, nodes[2 * i] + nodes[2 * i + 1])
        root = nodes[1]
        for i in range(0, 8, 2):
            checksum = rotl64(checksum, 17) ^ (root[i] << 32 | root[i + 1])
    print(f"  bench_run(2) = {checksum:#x}")


def matmul():
    dim, m31 = 200, (1 << 31) - 1
    checksum, r = 0, 0  # bench_run(1): the round r = 0 only
    fa = [[((i * 31 + k * 17 + r) % 101) / 7.0 - 7.0 for k in range(dim)] for i in range(dim)]
    fb = [[3.0 / float((i * 13 + k * 7 + 2 * r) % 97 + 1) for k in range(dim)] for i in range(dim)]
    ua, ub = [[0] * dim for _ in range(dim)], [[0] * dim for _ in range(dim)]
    for i in range(dim):
        for k in range(dim):
            x = ((i + 1) * 0x9E3779B1 + (k + 7) * 0x85EBCA6B + r) & M64
            ua[i][k] = ((x * x) & M64) % m31
            ub[i][k] = ((((x * 0xC2B2AE35) & M64) + (x >> 7)) & M64) % m31
    for i in range(dim):
        row = [fa[i][0] * fb[0][j] for j in range(dim)]  # summed in k order, as the C does
        for k in range(1, dim):
            a, bk = fa[i][k], fb[k]
            row = [row[j] + a * bk[j] for j in range(dim)]
        urow = [sum(ua[i][k] * ub[k][j] for k in range(dim)) % m31 for j in range(dim)]
        for j in range(dim):
            checksum = rotl64(checksum, 5) ^ struct.unpack("<Q", struct.pack("<d", row[j]))[0]
            checksum = rotl64(checksum, 3) ^ urow[j]
    print(f"  bench_run(1) = {checksum:#x}")


KERNELS = {"ntt": ntt, "montgomery": montgomery, "sha256": sha256, "keccak": keccak,
           "poseidon": poseidon, "merkle": merkle, "matmul": matmul}

if __name__ == "__main__":
    names = sys.argv[1:] or list(KERNELS)
    for name in names:
        if name not in KERNELS:
            sys.exit(f"model.py: no kernel {name} (have: {', '.join(KERNELS)})")
    for name in names:
        print(f"{name}:")
        KERNELS[name]()
