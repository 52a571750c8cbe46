/*
 * cli.h - what the subcommands of the wasmrt command-line tool share.
 *
 * Each subcommand is one file (cmd_NAME.c) exporting cli_cmd_NAME, which gets
 * argv with argv[0] being the subcommand's name and returns the process exit
 * status. Exit statuses follow wasmtime: 0 success, 1 the input is bad (the
 * command ran and said no), 2 usage or I/O errors.
 */
#ifndef WASMRT_CLI_H
#define WASMRT_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { CLI_EXIT_OK = 0, CLI_EXIT_REJECTED = 1, CLI_EXIT_USAGE = 2 };

/* Read a whole regular file into a malloc'd buffer. On failure returns -1
 * and writes a one-line reason (without the path) into `why`. A file of
 * zero bytes is reported as an error ("file is empty"). */
int cli_read_file(const char *path, uint8_t **data_out, size_t *size_out, char *why,
                  size_t why_size);

int cli_cmd_validate(int argc, char **argv);
int cli_cmd_inspect(int argc, char **argv);
int cli_cmd_wast(int argc, char **argv);
int cli_cmd_compile(int argc, char **argv);
int cli_cmd_run(int argc, char **argv);

/* `wasmrt inspect` of a file that starts with the object magic
 * (inspect_object.c); returns the exit status. */
int cli_inspect_object(const char *path, const uint8_t *bytes, size_t size, bool json);

#endif
