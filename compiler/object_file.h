/*
 * object_file.h - the .wrtobj file format (docs/OBJECT.md): a wr_object
 * written to bytes and read back.
 *
 * Reading treats the bytes as hostile: every count, size and offset is
 * checked against the bytes present and against the other tables before
 * anything is allocated or indexed, so a truncated, corrupt or crafted file
 * gives WASMRT_ERROR_OBJECT and never a crash. The checks make the
 * *metadata* safe to use; they do not make the native code trustworthy (an
 * object is code; a crafted one with a valid checksum runs what it says).
 */
#ifndef WASMRT_COMPILER_OBJECT_FILE_H
#define WASMRT_COMPILER_OBJECT_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compiler/module.h"
#include "compiler/object.h"
#include "wasmrt.h"

#define WR_OBJECT_MAGIC "\0wrtobj\n"
#define WR_OBJECT_MAGIC_SIZE 8
#define WR_OBJECT_FORMAT_VERSION 1u
#define WR_OBJECT_HASH_SIZE 32

/*
 * The revision of the contract between generated code and the runtime
 * (compiler/abi.h, docs/BACKEND.md). It goes into the compiler hash of every
 * object together with wasmrt_version_string(), so an object made by a
 * wasmrt whose generated code or runtime ABI differs is refused ("made by
 * another wasmrt version"). Bump it whenever the code generator's output or
 * abi.h changes in a way an old object would not survive, even between
 * releases.
 */
#define WR_OBJECT_ABI_REVISION 1u

/* BLAKE2b-256 (libsodium crypto_generichash, no key). */
void wr_blake2b256(const void *bytes, size_t size, uint8_t out[WR_OBJECT_HASH_SIZE]);

/* What an object's compiler hash must be for this wasmrt: BLAKE2b-256 of
 * "wasmrt VERSION abi REVISION". */
void wr_object_compiler_hash(uint8_t out[WR_OBJECT_HASH_SIZE]);

/* True when `bytes` start with the object magic (inspect's dispatch). */
bool wr_object_has_magic(const uint8_t *bytes, size_t size);

/* "x86_64", "arm64", or "unknown". */
const char *wr_object_target_name(wasmrt_target target);

/*
 * Serialize `obj` into a malloc'd buffer (*bytes_out, *size_out), taking
 * the module hash from obj->module_hash. Fails with WASMRT_ERROR_ARGUMENT
 * when obj cannot be represented (unknown target, code larger than 4 GiB)
 * and WASMRT_ERROR_NOMEM.
 */
wasmrt_result wr_object_write(const wr_object *obj, uint8_t **bytes_out, size_t *size_out,
                              wasmrt_error *err);

/*
 * Parse and check `size` bytes. With `module`, also refuse an object whose
 * module hash differs from the module's bytes, whose function count is not
 * the module's defined function count, whose functions' parameter and local
 * types are not the module's, or whose metadata names functions or wasm
 * offsets the module does not have. Without (inspect), only the checks that
 * need no module. An object for another target is accepted: see
 * wr_object_check_host. On failure *out is NULL and the result is
 * WASMRT_ERROR_OBJECT (or WASMRT_ERROR_NOMEM) with a one-line message.
 */
wasmrt_result wr_object_read(const uint8_t *bytes, size_t size, const wr_module *module,
                             wr_object **out, wasmrt_error *err);

/* WASMRT_OK when the object's code can run here, else WASMRT_ERROR_OBJECT
 * "object is for arm64, this host is x86_64". */
wasmrt_result wr_object_check_host(const wr_object *obj, wasmrt_error *err);

#endif
