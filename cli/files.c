/* files.c - reading input files for the CLI, with one-line reasons on failure. */
#include "cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cli_read_file(const char *path, uint8_t **data_out, size_t *size_out, char *why,
                  size_t why_size)
{
  uint8_t *data = NULL;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    snprintf(why, why_size, "cannot open: %s", strerror(errno));
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    snprintf(why, why_size, "cannot stat: %s", strerror(errno));
    goto fail;
  }
  if (S_ISDIR(st.st_mode)) {
    snprintf(why, why_size, "is a directory");
    goto fail;
  }
  if (!S_ISREG(st.st_mode)) {
    snprintf(why, why_size, "not a regular file");
    goto fail;
  }
  if (st.st_size == 0) {
    snprintf(why, why_size, "file is empty");
    goto fail;
  }
  size_t size = (size_t)st.st_size;
  data = malloc(size);
  if (!data) {
    snprintf(why, why_size, "out of memory reading %zu bytes", size);
    goto fail;
  }
  size_t done = 0;
  while (done < size) {
    ssize_t n = read(fd, data + done, size - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      snprintf(why, why_size, "read failed: %s", strerror(errno));
      goto fail;
    }
    if (n == 0) {
      snprintf(why, why_size, "file shrank while reading (%zu of %zu bytes)", done, size);
      goto fail;
    }
    done += (size_t)n;
  }
  close(fd);
  *data_out = data;
  *size_out = size;
  return 0;
fail:
  free(data);
  close(fd);
  return -1;
}
