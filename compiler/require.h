/*
 * require.h - checks for misuse of an internal interface by wasmrt's own
 * code (a wrong register class passed to an encoder, say). As in
 * libsodium, misuse aborts loudly in every build, release included, while
 * bad input data always travels as an error value instead.
 */
#ifndef WASMRT_COMPILER_REQUIRE_H
#define WASMRT_COMPILER_REQUIRE_H

_Noreturn void wr_misuse(const char *file, int line, const char *condition);

#define WR_REQUIRE(condition)                                                                      \
  do {                                                                                             \
    if (__builtin_expect(!(condition), 0))                                                         \
      wr_misuse(__FILE__, __LINE__, #condition);                                                   \
  } while (0)

#endif
