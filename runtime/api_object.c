/*
 * api_object.c - the public API for object files (include/wasmrt.h):
 * wasmrt_compiled_save and wasmrt_compiled_load on top of
 * compiler/object_file.c.
 *
 * Saving is atomic: the bytes go to a temporary file beside the destination,
 * which is fsync'd and renamed over it, and the directory is fsync'd. On any
 * failure the temporary file is removed, so a full disk or a crash never
 * leaves a partial object under the destination's name.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compiler/errors.h"
#include "compiler/object_file.h"
#include "runtime/compiled.h"
#include "wasmrt.h"

/* The process's umask, without changing it (umask() cannot be read without
 * setting it, and setting it races with other threads). 022 when
 * /proc/self/status does not say. */
static mode_t api_object_umask(void)
{
  mode_t mask = 022;
  FILE *f = fopen("/proc/self/status", "re");
  if (!f)
    return mask;
  char line[128];
  while (fgets(line, sizeof line, f)) {
    unsigned value;
    if (sscanf(line, "Umask: %o", &value) == 1) {
      mask = (mode_t)(value & 0777);
      break;
    }
  }
  fclose(f);
  return mask;
}

/* The directory part of `path` ("." when it has none), malloc'd. */
static char *api_object_dirname(const char *path)
{
  const char *slash = strrchr(path, '/');
  if (!slash)
    return strdup(".");
  size_t n = slash == path ? 1 : (size_t)(slash - path);
  char *dir = malloc(n + 1);
  if (dir) {
    memcpy(dir, path, n);
    dir[n] = '\0';
  }
  return dir;
}

static int api_object_write_all(int fd, const uint8_t *p, size_t size)
{
  while (size > 0) {
    ssize_t n = write(fd, p, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return -1;
    if (n == 0) {
      errno = EIO;
      return -1;
    }
    p += n;
    size -= (size_t)n;
  }
  return 0;
}

wasmrt_result wasmrt_compiled_save(const wasmrt_compiled *compiled, const char *path,
                                   wasmrt_error *error)
{
  if (!compiled || !compiled->object || !compiled->module || !path || !*path)
    return wr_error_set(error, WASMRT_ERROR_ARGUMENT,
                        "wasmrt_compiled_save needs a compiled module and a path");
  /* The module hash comes from the module itself, so a compiler that left
   * obj->module_hash unset still writes an object that loads. */
  wr_object obj = *compiled->object;
  wr_blake2b256(compiled->module->bytes, compiled->module->size, obj.module_hash);
  uint8_t *bytes = NULL;
  size_t size = 0;
  wasmrt_result r = wr_object_write(&obj, &bytes, &size, error);
  if (r != WASMRT_OK)
    return r;

  /* Refuse to write what would not load back: a bug in the compiler's
   * metadata shows here, at the writer, with the reader's message. */
  wr_object *check = NULL;
  wasmrt_error why;
  r = wr_object_read(bytes, size, compiled->module, &check, &why);
  wr_object_free(check);
  if (r != WASMRT_OK) {
    free(bytes);
    if (r == WASMRT_ERROR_NOMEM)
      return wr_error_set(error, r, "%s", why.message);
    return wr_error_set(error, WASMRT_ERROR_OBJECT,
                        "refusing to write an object that would not load: %s", why.message);
  }

  char *tmp = NULL, *dir = NULL;
  int fd = -1;
  const char *step = "cannot write";
  size_t path_len = strlen(path);
  tmp = malloc(path_len + sizeof ".tmp-XXXXXX");
  dir = api_object_dirname(path);
  if (!tmp || !dir) {
    free(tmp);
    free(dir);
    free(bytes);
    return wr_error_set(error, WASMRT_ERROR_NOMEM, "out of memory saving %s", path);
  }
  memcpy(tmp, path, path_len);
  memcpy(tmp + path_len, ".tmp-XXXXXX", sizeof ".tmp-XXXXXX");
  fd = mkostemp(tmp, O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    free(tmp);
    free(dir);
    free(bytes);
    return wr_error_set(error, WASMRT_ERROR_IO, "cannot create a temporary file beside %s: %s",
                        path, strerror(e));
  }
  /* mkstemp makes the file 0600; give it what creat() would have. */
  if (fchmod(fd, 0666 & ~api_object_umask()) != 0) {
    step = "cannot set the mode of";
    goto fail;
  }
  if (api_object_write_all(fd, bytes, size) != 0)
    goto fail;
  if (fsync(fd) != 0) {
    step = "cannot fsync";
    goto fail;
  }
  int closed = close(fd);
  fd = -1;
  if (closed != 0)
    goto fail;
  if (rename(tmp, path) != 0) {
    step = "cannot rename the temporary file to";
    goto fail;
  }
  free(tmp);
  tmp = NULL;
  free(bytes);
  bytes = NULL;
  /* The rename is durable once the directory is. Some file systems cannot
   * fsync a directory (EINVAL); the object is in place either way. */
  int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    int synced = fsync(dfd);
    int e = errno;
    close(dfd);
    if (synced != 0 && e != EINVAL && e != ENOTSUP) {
      free(dir);
      return wr_error_set(error, WASMRT_ERROR_IO, "cannot fsync the directory of %s: %s", path,
                          strerror(e));
    }
  }
  free(dir);
  return WASMRT_OK;

fail:;
  int e = errno;
  if (fd >= 0)
    close(fd);
  unlink(tmp);
  free(tmp);
  free(dir);
  free(bytes);
  return wr_error_set(error, WASMRT_ERROR_IO, "%s %s: %s", step, path, strerror(e));
}

wasmrt_result wasmrt_compiled_load(const wasmrt_module *module, const void *bytes, size_t size,
                                   wasmrt_compiled **compiled_out, wasmrt_error *error)
{
  if (compiled_out)
    *compiled_out = NULL;
  if (!module || !compiled_out || (!bytes && size))
    return wr_error_set(error, WASMRT_ERROR_ARGUMENT,
                        "wasmrt_compiled_load needs a module, the bytes and an output");
  wasmrt_compiled *compiled = calloc(1, sizeof *compiled);
  if (!compiled)
    return wr_error_set(error, WASMRT_ERROR_NOMEM, "out of memory loading an object");
  wasmrt_result r = wr_object_read(bytes, size, module->decoded, &compiled->object, error);
  if (r != WASMRT_OK) {
    free(compiled);
    return r;
  }
  compiled->module = module->decoded;
  compiled->exec = NULL;
  compiled->exec_size = 0;
  *compiled_out = compiled;
  return WASMRT_OK;
}
