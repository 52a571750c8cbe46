/*
 * cmd_wast.c - `wasmrt wast [-v] FILE.json...`: run spec scripts converted by
 * wabt's wast2json, the way `wasmtime wast` runs the .wast files.
 *
 * Every command of a script lands in exactly one of four counts: passed,
 * failed, not run (this version cannot execute it: the compiler or the host
 * said WASMRT_ERROR_UNSUPPORTED, or it needs v128 values) or n/a (text) (it
 * is about the text format, which wasmrt does not read). Nothing is passed
 * that was not checked, and a command type this file does not know is a
 * failure, so new kinds of assertions in the suite cannot slip by unnoticed.
 * A command that needs a module that was not run is not run either; one that
 * needs a module that failed fails too.
 *
 * Each script gets its own store, with its own "spectest" module
 * (wast_spectest.c); modules are compiled for the host and instantiated with
 * their imports looked up by (module name, field name) among the modules
 * registered with "register" and "spectest". Values are read and compared by
 * wast_values.c.
 *
 * Every failed command prints one line "FILE.wast:LINE: TYPE: what was
 * expected, what happened"; with -v every command prints its outcome.
 *
 * A script that cannot be run as a whole (unreadable, not JSON, not shaped
 * like wast2json output, a module file missing) is abandoned with one line on
 * stderr saying what and where, and makes the exit status 2.
 */
#include "cli/cli.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/json.h"
#include "cli/wast.h"
#include "runtime/compiled.h"
#include "wasmrt.h"

typedef struct wast_counts {
  uint64_t passed;
  uint64_t failed;
  uint64_t not_run;
  uint64_t text;
  uint64_t known; /* failed as listed in a known-differences file */
} wast_counts;

/* One line of a known-differences file: "NAME.wast:LINE reason". */
typedef struct wast_known {
  char *file;
  uint64_t line;
  char *reason;
  bool file_run; /* a script converted from `file` was run */
  bool matched;  /* ...and this command failed as expected */
} wast_known;

typedef struct wast_known_list {
  wast_known *items;
  size_t count;
} wast_known_list;

/* What became of a module a script defined. */
typedef enum wast_module_state {
  /* Instantiated: `instance` is usable. */
  WAST_MODULE_READY,
  /* This version cannot run it (or it is in the text format); commands
   * that use it are not run. */
  WAST_MODULE_NOT_RUN,
  /* It should have instantiated and did not; commands that use it fail. */
  WAST_MODULE_FAILED,
} wast_module_state;

typedef struct wast_module {
  /* "$M" for a named module command, else NULL; in the JSON document. */
  const char *name;
  uint64_t line;
  wast_module_state state;
  wasmrt_module *module;
  wasmrt_compiled *compiled;
  wasmrt_instance *instance;
} wast_module;

/* A "register" command: `module`'s exports importable as module `as`. */
typedef struct wast_registered {
  json_text as;
  wast_module *module;
} wast_registered;

/* One script being run. */
typedef struct wast_script {
  const char *json_path;
  /* Directory of json_path with a trailing '/', or "" for the current one;
   * module file names in the script are relative to it. */
  char *directory;
  /* The .wast file the script was converted from, for failure lines. */
  const char *source;
  bool verbose;
  bool far; /* --far: the far branch and call forms forced */
  wast_known_list *known;
  wast_counts counts;

  /* Every module of the script, assertions' modules too, in order; freed
   * with the store. */
  wast_module **modules;
  size_t module_count;
  /* The latest module command's module; NULL before the first. */
  wast_module *current;
  wast_registered *registered;
  size_t registered_count;
  /* Made by the first module that compiles. */
  bool store_tried;
  wasmrt_result store_result;
  char store_message[WASMRT_ERROR_MESSAGE_SIZE];
  wasmrt_store *store;
  wast_spectest spectest;
  wast_refs refs;
} wast_script;

/* Size of the buffers that say what happened. */
#define WAST_WHY_SIZE 768

static const char *wast_base_name(const char *path)
{
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

static wast_known *wast_find_known(wast_script *script, uint64_t line)
{
  const char *name = wast_base_name(script->source);
  for (size_t i = 0; script->known && i < script->known->count; i++) {
    wast_known *k = &script->known->items[i];
    if (k->line == line && strcmp(k->file, name) == 0)
      return k;
  }
  return NULL;
}

/* snprintf that may cut its output short on purpose: messages are
 * truncated, never overflowed. */
static void wast_format(char *out, size_t size, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static void wast_format(char *out, size_t size, const char *format, ...)
{
  va_list ap;
  va_start(ap, format);
  vsnprintf(out, size, format, ap);
  va_end(ap);
}

/* ---- Outcomes: each command calls exactly one of these once. ---- */

static void wast_passed(wast_script *script, uint64_t line, const char *type)
{
  script->counts.passed++;
  if (script->verbose)
    printf("%s:%llu: %s: passed\n", script->source, (unsigned long long)line, type);
}

static void wast_not_run(wast_script *script, uint64_t line, const char *type, const char *why)
{
  script->counts.not_run++;
  if (script->verbose)
    printf("%s:%llu: %s: not run: %s\n", script->source, (unsigned long long)line, type, why);
}

static void wast_text(wast_script *script, uint64_t line, const char *type)
{
  script->counts.text++;
  if (script->verbose)
    printf("%s:%llu: %s: n/a (text)\n", script->source, (unsigned long long)line, type);
}

/* Count a failed command and say why on one line. `details` (what the
 * library said) and `spec_text` (the message the suite expects from a
 * reference engine) may be NULL. A command listed in the known-differences
 * file is counted apart and printed only with -v. */
static void wast_report_failure(wast_script *script, uint64_t line, const char *type,
                                const char *what, const char *details, const char *spec_text)
{
  wast_known *known = wast_find_known(script, line);
  if (known) {
    known->matched = true;
    script->counts.known++;
    if (script->verbose)
      printf("%s:%llu: %s: known difference: %s\n", script->source, (unsigned long long)line, type,
             known->reason);
    return;
  }
  script->counts.failed++;
  printf("%s:%llu: %s: %s", script->source, (unsigned long long)line, type, what);
  if (details && details[0] != '\0')
    printf(": %s", details);
  if (spec_text)
    printf(" (spec: \"%s\")", spec_text);
  putchar('\n');
  /* So that the lines before a crash are not lost. */
  fflush(stdout);
}

/* ---- Reading modules. ---- */

/* Like cli_read_file, but an empty file is an empty module: the spec suite
 * has assertions about zero-byte binaries. */
static int wast_read_module(const char *path, uint8_t **bytes_out, size_t *size_out, char *why,
                            size_t why_size)
{
  if (cli_read_file(path, bytes_out, size_out, why, why_size) == 0)
    return 0;
  struct stat st;
  if (stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0) {
    *bytes_out = NULL;
    *size_out = 0;
    return 0;
  }
  return -1;
}

typedef enum wast_module_type {
  WAST_BINARY,
  WAST_TEXT,
  /* Neither; the failure is counted. */
  WAST_UNKNOWN_TYPE,
} wast_module_type;

/* The "module_type" of a command that carries a module ("binary" when
 * absent, as on module commands). */
static wast_module_type wast_get_module_type(wast_script *script, const json_value *command,
                                             uint64_t line, const char *type)
{
  const json_value *module_type = json_object_get(command, "module_type");
  if (!module_type)
    return WAST_BINARY;
  const char *name = json_string(module_type);
  if (name && strcmp(name, "text") == 0)
    return WAST_TEXT;
  if (name && strcmp(name, "binary") == 0)
    return WAST_BINARY;
  wast_report_failure(script, line, type, "unknown module_type", name, NULL);
  return WAST_UNKNOWN_TYPE;
}

/* Read the module file of a command. Returns CLI_EXIT_OK, or CLI_EXIT_USAGE
 * after printing why when the script is broken (no file name, module file
 * unreadable). */
static int wast_read_command_module(wast_script *script, const json_value *command, uint64_t line,
                                    const char *type, uint8_t **bytes_out, size_t *size_out)
{
  *bytes_out = NULL;
  *size_out = 0;
  const char *filename = json_string(json_object_get(command, "filename"));
  if (!filename) {
    fprintf(stderr, "%s:%zu:%zu: %s command without a \"filename\" string\n", script->json_path,
            command->line, command->column, type);
    return CLI_EXIT_USAGE;
  }
  const char *directory = filename[0] == '/' ? "" : script->directory;
  size_t path_size = strlen(directory) + strlen(filename) + 1;
  char *path = malloc(path_size);
  if (!path) {
    fprintf(stderr, "%s: out of memory\n", script->json_path);
    return CLI_EXIT_USAGE;
  }
  snprintf(path, path_size, "%s%s", directory, filename);
  char why[256];
  int status = CLI_EXIT_OK;
  if (wast_read_module(path, bytes_out, size_out, why, sizeof why) != 0) {
    fprintf(stderr, "%s:%zu:%zu: %s of line %llu: cannot read %s: %s\n", script->json_path,
            command->line, command->column, type, (unsigned long long)line, path, why);
    status = CLI_EXIT_USAGE;
  }
  free(path);
  return status;
}

/* ---- assert_malformed and assert_invalid: validation only. ---- */

static int wast_check_rejected(wast_script *script, const json_value *command, uint64_t line,
                               const char *type, wasmrt_result expected)
{
  switch (wast_get_module_type(script, command, line, type)) {
  case WAST_BINARY:
    break;
  case WAST_TEXT:
    wast_text(script, line, type);
    return CLI_EXIT_OK;
  case WAST_UNKNOWN_TYPE:
    return CLI_EXIT_OK;
  }
  uint8_t *bytes;
  size_t size;
  if (wast_read_command_module(script, command, line, type, &bytes, &size) != CLI_EXIT_OK)
    return CLI_EXIT_USAGE;
  wasmrt_error error = {.code = WASMRT_OK};
  wasmrt_result result = wasmrt_validate(bytes, size, &error);
  free(bytes);
  if (result == expected) {
    wast_passed(script, line, type);
    return CLI_EXIT_OK;
  }
  char what[64];
  snprintf(what, sizeof what, "expected %s, got %s", wasmrt_errname(expected),
           result == WASMRT_OK ? "valid" : wasmrt_errname(result));
  wast_report_failure(script, line, type, what, result == WASMRT_OK ? NULL : error.message,
                      json_string(json_object_get(command, "text")));
  return CLI_EXIT_OK;
}

static int wast_cmd_malformed(wast_script *script, const json_value *command, uint64_t line,
                              const char *type)
{
  return wast_check_rejected(script, command, line, type, WASMRT_ERROR_MALFORMED);
}

static int wast_cmd_invalid(wast_script *script, const json_value *command, uint64_t line,
                            const char *type)
{
  return wast_check_rejected(script, command, line, type, WASMRT_ERROR_INVALID);
}

/* ---- Making modules run: decode, compile, link, instantiate. ---- */

/* A new module of the script, owned by it; NULL (after saying so) when out
 * of memory. */
static wast_module *wast_new_module(wast_script *script, uint64_t line)
{
  wast_module **grown =
      realloc(script->modules, (script->module_count + 1) * sizeof *script->modules);
  wast_module *module = calloc(1, sizeof *module);
  if (!grown || !module) {
    free(module);
    if (grown)
      script->modules = grown;
    fprintf(stderr, "%s: out of memory\n", script->json_path);
    return NULL;
  }
  script->modules = grown;
  script->modules[script->module_count++] = module;
  module->line = line;
  module->state = WAST_MODULE_NOT_RUN;
  return module;
}

/* The module a command names ("$M"), or the current one when `name` is
 * NULL; NULL when there is none. */
static wast_module *wast_find_module(const wast_script *script, const char *name)
{
  if (!name)
    return script->current;
  for (size_t i = script->module_count; i-- > 0;) {
    wast_module *module = script->modules[i];
    if (module->name && strcmp(module->name, name) == 0)
      return module;
  }
  return NULL;
}

static const wast_registered *wast_find_registered(const wast_script *script, const char *name,
                                                   size_t size)
{
  for (size_t i = script->registered_count; i-- > 0;) {
    const wast_registered *r = &script->registered[i];
    if (r->as.size == size && memcmp(r->as.text, name, size) == 0)
      return r;
  }
  return NULL;
}

/* The store of the script, made with its spectest module on first use. */
static wasmrt_result wast_store(wast_script *script, wasmrt_error *error)
{
  if (!script->store_tried) {
    script->store_tried = true;
    wasmrt_error e = {.code = WASMRT_OK};
    script->store_result = wasmrt_store_new(&script->store, &e);
    if (script->store_result != WASMRT_OK) {
      script->store = NULL;
      wast_format(script->store_message, sizeof script->store_message, "creating the store: %s",
                  e.message);
    } else {
      script->store_result =
          wast_spectest_init(&script->spectest, script->store, script->verbose, &e);
      if (script->store_result != WASMRT_OK)
        wast_format(script->store_message, sizeof script->store_message,
                    "creating the spectest module: %s", e.message);
    }
  }
  if (script->store_result != WASMRT_OK) {
    error->code = script->store_result;
    snprintf(error->message, sizeof error->message, "%s", script->store_message);
  }
  return script->store_result;
}

typedef enum wast_load_status {
  /* Instantiated. */
  WAST_LOAD_READY,
  /* This version cannot run it; error.message says why. */
  WAST_LOAD_NOT_RUN,
  /* The library said no: `stage` returned `result`, error says why. An
   * import the script has no provider for is a WASMRT_ERROR_LINK of stage
   * "link", as wasmtime's linker reports it. */
  WAST_LOAD_ERROR,
  /* An import comes from a module that failed; error.message says which. */
  WAST_LOAD_DEPENDENCY,
} wast_load_status;

typedef struct wast_load {
  wast_load_status status;
  const char *stage; /* "decode", "compile", "store", "link", "instantiate" */
  wasmrt_result result;
  wasmrt_error error;
} wast_load;

static void wast_load_set(wast_load *load, wast_load_status status, const char *stage,
                          wasmrt_result result)
{
  load->status = status;
  load->stage = stage;
  load->result = result;
}

/* A stage that returned `result`: unsupported means not run. */
static void wast_load_failed(wast_load *load, const char *stage, wasmrt_result result)
{
  if (result == WASMRT_ERROR_UNSUPPORTED) {
    char message[WASMRT_ERROR_MESSAGE_SIZE];
    snprintf(message, sizeof message, "%s", load->error.message);
    wast_format(load->error.message, sizeof load->error.message, "%s: %s", stage,
                message[0] ? message : "unsupported");
    wast_load_set(load, WAST_LOAD_NOT_RUN, stage, result);
  } else {
    wast_load_set(load, WAST_LOAD_ERROR, stage, result);
  }
}

/*
 * Find the imports of `module` in the module's order. Unknown imports win
 * over providers that failed, which win over providers that were not run:
 * an unknown import is unlinkable whatever the others would have done.
 * Returns false with `load` filled when the imports cannot all be had.
 */
static bool wast_resolve_imports(wast_script *script, const wasmrt_module *module,
                                 wasmrt_extern *imports, size_t count, wast_load *load)
{
  const wast_module *failed = NULL;
  const wast_module *not_run = NULL;
  for (size_t i = 0; i < count; i++) {
    wasmrt_import_info info;
    if (wasmrt_module_import(module, i, &info) != WASMRT_OK) {
      snprintf(load->error.message, sizeof load->error.message, "cannot read import %zu", i);
      wast_load_set(load, WAST_LOAD_ERROR, "link", WASMRT_ERROR_ARGUMENT);
      return false;
    }
    const wast_registered *r = wast_find_registered(script, info.module.data, info.module.size);
    bool found = false;
    if (r) {
      if (r->module->state == WAST_MODULE_FAILED) {
        failed = failed ? failed : r->module;
        continue;
      }
      if (r->module->state == WAST_MODULE_NOT_RUN) {
        not_run = not_run ? not_run : r->module;
        continue;
      }
      found = wasmrt_instance_export(r->module->instance, info.name.data, info.name.size,
                                     &imports[i]) == WASMRT_OK;
    } else if (info.module.size == 8 && memcmp(info.module.data, "spectest", 8) == 0) {
      found = wast_spectest_find(&script->spectest, info.name.data, info.name.size, &imports[i]);
    }
    if (!found) {
      snprintf(load->error.message, sizeof load->error.message, "unknown import \"%.*s\" \"%.*s\"",
               (int)info.module.size, info.module.data, (int)info.name.size, info.name.data);
      wast_load_set(load, WAST_LOAD_ERROR, "link", WASMRT_ERROR_LINK);
      return false;
    }
  }
  if (failed) {
    snprintf(load->error.message, sizeof load->error.message,
             "imports from the module of line %llu, which did not instantiate",
             (unsigned long long)failed->line);
    wast_load_set(load, WAST_LOAD_DEPENDENCY, "link", WASMRT_OK);
    return false;
  }
  if (not_run) {
    snprintf(load->error.message, sizeof load->error.message,
             "imports from the module of line %llu, which was not run",
             (unsigned long long)not_run->line);
    wast_load_set(load, WAST_LOAD_NOT_RUN, "link", WASMRT_OK);
    return false;
  }
  return true;
}

/*
 * Decode, compile, link and instantiate the module of a command into a new
 * module of the script (*module_out, whose state says how it went; `load`
 * says why). Returns CLI_EXIT_OK, or CLI_EXIT_USAGE after saying why when
 * the script is broken.
 */
static int wast_load_module(wast_script *script, const json_value *command, uint64_t line,
                            const char *type, wast_module **module_out, wast_load *load)
{
  memset(load, 0, sizeof *load);
  wast_module *m = wast_new_module(script, line);
  *module_out = m;
  if (!m)
    return CLI_EXIT_USAGE;
  uint8_t *bytes;
  size_t size;
  if (wast_read_command_module(script, command, line, type, &bytes, &size) != CLI_EXIT_OK)
    return CLI_EXIT_USAGE;
  wasmrt_result result = wasmrt_module_decode(bytes, size, &m->module, &load->error);
  free(bytes);
  if (result != WASMRT_OK) {
    m->module = NULL;
    wast_load_failed(load, "decode", result);
    goto done;
  }
  wr_compile_options options = {script->far, script->far};
  result = wr_compile_with(m->module, WASMRT_TARGET_HOST, &options, &m->compiled, &load->error);
  if (result != WASMRT_OK) {
    m->compiled = NULL;
    wast_load_failed(load, "compile", result);
    goto done;
  }
  result = wast_store(script, &load->error);
  if (result != WASMRT_OK) {
    wast_load_failed(load, "store", result);
    goto done;
  }
  size_t count = wasmrt_module_import_count(m->module);
  wasmrt_extern *imports = calloc(count ? count : 1, sizeof *imports);
  if (!imports) {
    fprintf(stderr, "%s: out of memory\n", script->json_path);
    return CLI_EXIT_USAGE;
  }
  if (wast_resolve_imports(script, m->module, imports, count, load)) {
    result =
        wasmrt_instantiate(script->store, m->compiled, imports, count, &m->instance, &load->error);
    if (result == WASMRT_OK)
      wast_load_set(load, WAST_LOAD_READY, "instantiate", result);
    else
      wast_load_failed(load, "instantiate", result);
  }
  free(imports);
done:
  if (load->status != WAST_LOAD_READY)
    m->instance = NULL;
  m->state = load->status == WAST_LOAD_READY     ? WAST_MODULE_READY
             : load->status == WAST_LOAD_NOT_RUN ? WAST_MODULE_NOT_RUN
                                                 : WAST_MODULE_FAILED;
  return CLI_EXIT_OK;
}

/* What the library said, for the end of a failure line: NULL when it adds
 * nothing to the trap message already printed. */
static const char *wast_details(wasmrt_result result, const wasmrt_error *error)
{
  if (result == WASMRT_ERROR_TRAP && strcmp(error->message, wasmrt_trap_message(error->trap)) == 0)
    return NULL;
  return error->message;
}

/* "EXPECTED, got unlinkable at link" and the like, for a load that failed. */
static void wast_load_what(const wast_load *load, const char *expected, char *what, size_t size)
{
  if (load->status == WAST_LOAD_DEPENDENCY)
    wast_format(what, size, "%s, but it cannot be linked", expected);
  else if (load->result == WASMRT_ERROR_TRAP)
    wast_format(what, size, "%s, got a trap \"%s\" at %s", expected,
                wasmrt_trap_message(load->error.trap), load->stage);
  else
    wast_format(what, size, "%s, got %s at %s", expected, wasmrt_errname(load->result),
                load->stage);
}

/* Whether a trap message says what the suite expects, as wasmtime judges
 * it: the message contains the expected text, or the expected text is the
 * message followed by an element index ("uninitialized element 2"), which
 * wasmrt does not report. */
static bool wast_trap_text_matches(const char *actual, const char *expected)
{
  if (!actual || !expected)
    return false;
  if (strstr(actual, expected))
    return true;
  size_t n = strlen(actual);
  if (n == 0 || strncmp(expected, actual, n) != 0 || expected[n] != ' ' || expected[n + 1] == '\0')
    return false;
  for (const char *p = expected + n + 1; *p; p++)
    if (*p < '0' || *p > '9')
      return false;
  return true;
}

static int wast_cmd_module(wast_script *script, const json_value *command, uint64_t line,
                           const char *type)
{
  const char *name = json_string(json_object_get(command, "name"));
  wast_module_type module_type = wast_get_module_type(script, command, line, type);
  if (module_type != WAST_BINARY) {
    /* Still the current module: what follows cannot run against an older
     * one. */
    wast_module *m = wast_new_module(script, line);
    if (!m)
      return CLI_EXIT_USAGE;
    m->name = name;
    m->state = module_type == WAST_TEXT ? WAST_MODULE_NOT_RUN : WAST_MODULE_FAILED;
    script->current = m;
    if (module_type == WAST_TEXT)
      wast_text(script, line, type);
    return CLI_EXIT_OK;
  }
  wast_module *m;
  wast_load load;
  if (wast_load_module(script, command, line, type, &m, &load) != CLI_EXIT_OK)
    return CLI_EXIT_USAGE;
  m->name = name;
  script->current = m;
  char what[WAST_WHY_SIZE];
  switch (load.status) {
  case WAST_LOAD_READY:
    wast_passed(script, line, type);
    break;
  case WAST_LOAD_NOT_RUN:
    wast_not_run(script, line, type, load.error.message);
    break;
  case WAST_LOAD_ERROR:
    if (strcmp(load.stage, "decode") == 0)
      snprintf(what, sizeof what, "expected valid, got %s", wasmrt_errname(load.result));
    else
      wast_load_what(&load, "expected the module to instantiate", what, sizeof what);
    wast_report_failure(script, line, type, what, wast_details(load.result, &load.error), NULL);
    break;
  case WAST_LOAD_DEPENDENCY:
    wast_load_what(&load, "expected the module to instantiate", what, sizeof what);
    wast_report_failure(script, line, type, what, load.error.message, NULL);
    break;
  }
  return CLI_EXIT_OK;
}

/* The module of assert_unlinkable/assert_uninstantiable: a text module is
 * counted as n/a and an unknown module type as failed (returning false with
 * *status CLI_EXIT_OK), a file that cannot be read stops the script
 * (*status CLI_EXIT_USAGE); otherwise the module is loaded into *load. */
static bool wast_load_asserted_module(wast_script *script, const json_value *command, uint64_t line,
                                      const char *type, wast_load *load, int *status)
{
  *status = CLI_EXIT_OK;
  switch (wast_get_module_type(script, command, line, type)) {
  case WAST_BINARY:
    break;
  case WAST_TEXT:
    wast_text(script, line, type);
    return false;
  case WAST_UNKNOWN_TYPE:
    return false;
  }
  wast_module *m;
  if (wast_load_module(script, command, line, type, &m, load) != CLI_EXIT_OK) {
    *status = CLI_EXIT_USAGE;
    return false;
  }
  return true;
}

/* assert_unlinkable: the module must validate and then fail to link. */
static int wast_cmd_unlinkable(wast_script *script, const json_value *command, uint64_t line,
                               const char *type)
{
  const char *spec_text = json_string(json_object_get(command, "text"));
  wast_load load;
  int status;
  if (!wast_load_asserted_module(script, command, line, type, &load, &status))
    return status;
  char what[WAST_WHY_SIZE];
  switch (load.status) {
  case WAST_LOAD_READY:
    wast_report_failure(script, line, type, "expected a link error, but the module instantiated",
                        NULL, spec_text);
    break;
  case WAST_LOAD_NOT_RUN:
    wast_not_run(script, line, type, load.error.message);
    break;
  case WAST_LOAD_ERROR:
    if (load.result == WASMRT_ERROR_LINK && strcmp(load.stage, "decode") != 0) {
      script->counts.passed++;
      if (script->verbose)
        printf("%s:%llu: %s: passed: %s\n", script->source, (unsigned long long)line, type,
               load.error.message);
      break;
    }
    /* fall through */
  case WAST_LOAD_DEPENDENCY:
    wast_load_what(&load, "expected a link error", what, sizeof what);
    wast_report_failure(script, line, type, what, wast_details(load.result, &load.error),
                        spec_text);
    break;
  }
  return CLI_EXIT_OK;
}

/* assert_uninstantiable, and assert_trap on a module: the module must link
 * and then trap while initializing, with the expected message. */
static int wast_cmd_uninstantiable(wast_script *script, const json_value *command, uint64_t line,
                                   const char *type)
{
  const char *spec_text = json_string(json_object_get(command, "text"));
  wast_load load;
  int status;
  if (!wast_load_asserted_module(script, command, line, type, &load, &status))
    return status;
  char what[WAST_WHY_SIZE];
  char expected[WAST_WHY_SIZE];
  switch (load.status) {
  case WAST_LOAD_READY:
    wast_report_failure(script, line, type, "expected a trap, but the module instantiated", NULL,
                        spec_text);
    break;
  case WAST_LOAD_NOT_RUN:
    wast_not_run(script, line, type, load.error.message);
    break;
  case WAST_LOAD_ERROR:
    if (load.result == WASMRT_ERROR_TRAP && strcmp(load.stage, "instantiate") == 0 &&
        wast_trap_text_matches(wasmrt_trap_message(load.error.trap), spec_text)) {
      wast_passed(script, line, type);
      break;
    }
    /* fall through */
  case WAST_LOAD_DEPENDENCY:
    wast_format(expected, sizeof expected, "expected a trap \"%s\" at instantiate",
                spec_text ? spec_text : "");
    wast_load_what(&load, expected, what, sizeof what);
    wast_report_failure(script, line, type, what, wast_details(load.result, &load.error), NULL);
    break;
  }
  return CLI_EXIT_OK;
}

static int wast_cmd_register(wast_script *script, const json_value *command, uint64_t line,
                             const char *type)
{
  const json_value *as = json_object_get(command, "as");
  if (!json_string(as)) {
    fprintf(stderr, "%s:%zu:%zu: register command without an \"as\" string\n", script->json_path,
            command->line, command->column);
    return CLI_EXIT_USAGE;
  }
  const char *name = json_string(json_object_get(command, "name"));
  wast_module *module = wast_find_module(script, name);
  if (!module) {
    char what[WAST_WHY_SIZE];
    snprintf(what, sizeof what, "no module %s%s to register", name ? "named " : "defined yet",
             name ? name : "");
    wast_report_failure(script, line, type, what, NULL, NULL);
    return CLI_EXIT_OK;
  }
  wast_registered *grown =
      realloc(script->registered, (script->registered_count + 1) * sizeof *grown);
  if (!grown) {
    fprintf(stderr, "%s: out of memory\n", script->json_path);
    return CLI_EXIT_USAGE;
  }
  script->registered = grown;
  /* Registered whatever its state, so that importers learn it. */
  script->registered[script->registered_count++] = (wast_registered){as->as.text, module};
  char why[WAST_WHY_SIZE];
  switch (module->state) {
  case WAST_MODULE_READY:
    wast_passed(script, line, type);
    break;
  case WAST_MODULE_NOT_RUN:
    snprintf(why, sizeof why, "its module (line %llu) was not run",
             (unsigned long long)module->line);
    wast_not_run(script, line, type, why);
    break;
  case WAST_MODULE_FAILED:
    snprintf(why, sizeof why, "its module (line %llu) did not instantiate",
             (unsigned long long)module->line);
    wast_report_failure(script, line, type, why, NULL, NULL);
    break;
  }
  return CLI_EXIT_OK;
}

/* ---- Actions: invoke and get. ---- */

typedef enum wast_action_status {
  /* Values came back: results[0..result_count). */
  WAST_ACTION_RETURNED,
  /* The library said no (a trap, most often): result and error. */
  WAST_ACTION_ERROR,
  /* This version cannot run it; why says why. */
  WAST_ACTION_NOT_RUN,
  /* It could not be tried (no such module or export, wrong arguments, its
   * module failed); why says what. */
  WAST_ACTION_FAILED,
} wast_action_status;

typedef struct wast_action {
  wast_action_status status;
  wasmrt_result result;
  wasmrt_error error;
  char why[WAST_WHY_SIZE];
  wasmrt_val *results;
  size_t result_count;
} wast_action;

/* Whether an array of values holds a v128. */
static bool wast_has_v128(const json_value *values)
{
  if (!values || values->kind != JSON_ARRAY)
    return false;
  for (size_t i = 0; i < values->as.array.count; i++) {
    const char *t = json_string(json_object_get(&values->as.array.items[i], "type"));
    if (t && strcmp(t, "v128") == 0)
      return true;
  }
  return false;
}

static void wast_action_set(wast_action *action, wast_action_status status, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

static void wast_action_set(wast_action *action, wast_action_status status, const char *format, ...)
{
  action->status = status;
  va_list ap;
  va_start(ap, format);
  vsnprintf(action->why, sizeof action->why, format, ap);
  va_end(ap);
}

/* Read the arguments of an invoke into `args` (allocated, *count values). */
static bool wast_read_args(wast_script *script, const json_value *list, wasmrt_val **args_out,
                           size_t *count_out, wast_action *action)
{
  size_t count = list ? list->as.array.count : 0;
  wasmrt_val *args = calloc(count ? count : 1, sizeof *args);
  *args_out = args;
  *count_out = count;
  if (!args) {
    wast_action_set(action, WAST_ACTION_FAILED, "out of memory");
    return false;
  }
  for (size_t i = 0; i < count; i++) {
    wast_value value;
    char why[256];
    switch (wast_value_read(&list->as.array.items[i], &script->refs, &value, why, sizeof why)) {
    case WAST_VALUE_OK:
      break;
    case WAST_VALUE_V128:
      wast_action_set(action, WAST_ACTION_NOT_RUN, "v128 values are not run in this version");
      return false;
    case WAST_VALUE_BAD:
      wast_action_set(action, WAST_ACTION_FAILED, "argument %zu: %s", i + 1, why);
      return false;
    }
    if (value.expect == WAST_EXPECT_NON_NULL) {
      wast_action_set(action, WAST_ACTION_NOT_RUN,
                      "argument %zu: a non-null %s cannot be passed from a script", i + 1,
                      wasmrt_valtype_name(value.val.type));
      return false;
    }
    if (value.expect != WAST_EXPECT_EXACT) {
      wast_action_set(action, WAST_ACTION_FAILED, "argument %zu: a NaN pattern is not a value",
                      i + 1);
      return false;
    }
    args[i] = value.val;
  }
  return true;
}

/* "(i32 i64)" */
static void wast_format_types(const wasmrt_valtype *types, size_t count, char *out, size_t size)
{
  int used = snprintf(out, size, "(");
  for (size_t i = 0; i < count && used > 0 && (size_t)used < size; i++)
    used += snprintf(out + used, size - (size_t)used, "%s%s", i ? " " : "",
                     wasmrt_valtype_name(types[i]));
  if (used > 0 && (size_t)used < size)
    snprintf(out + used, size - (size_t)used, ")");
}

static void wast_invoke(wast_script *script, const wast_module *module, json_text field,
                        const json_value *arg_list, wast_action *action)
{
  wasmrt_val *args = NULL;
  size_t arg_count;
  if (!wast_read_args(script, arg_list, &args, &arg_count, action))
    goto done;
  wasmrt_extern export;
  if (wasmrt_instance_export(module->instance, field.text, field.size, &export) != WASMRT_OK) {
    wast_action_set(action, WAST_ACTION_FAILED, "no export \"%s\"", field.text);
    goto done;
  }
  if (export.kind != WASMRT_EXTERN_FUNC) {
    wast_action_set(action, WAST_ACTION_FAILED, "export \"%s\" is not a function", field.text);
    goto done;
  }
  const wasmrt_valtype *params, *results;
  size_t param_count, result_count;
  wasmrt_func_type(export.of.func, &params, &param_count, &results, &result_count);
  bool types_match = param_count == arg_count;
  for (size_t i = 0; types_match && i < arg_count; i++)
    types_match = params[i] == args[i].type;
  if (!types_match) {
    wasmrt_valtype *given = malloc((arg_count ? arg_count : 1) * sizeof *given);
    char takes[256] = "", passes[256] = "";
    if (given) {
      for (size_t i = 0; i < arg_count; i++)
        given[i] = args[i].type;
      wast_format_types(given, arg_count, passes, sizeof passes);
      free(given);
    }
    wast_format_types(params, param_count, takes, sizeof takes);
    wast_action_set(action, WAST_ACTION_FAILED, "\"%s\" takes %s, the script passes %s", field.text,
                    takes, passes);
    goto done;
  }
  action->results = calloc(result_count ? result_count : 1, sizeof *action->results);
  if (!action->results) {
    wast_action_set(action, WAST_ACTION_FAILED, "out of memory");
    goto done;
  }
  action->result_count = result_count;
  for (size_t i = 0; i < result_count; i++)
    action->results[i].type = results[i];
  if (script->verbose)
    fflush(stdout); /* what the call prints comes after what came before */
  action->result = wasmrt_func_call(script->store, export.of.func, args, arg_count, action->results,
                                    result_count, &action->error);
  if (action->result == WASMRT_OK)
    action->status = WAST_ACTION_RETURNED;
  else if (action->result == WASMRT_ERROR_UNSUPPORTED)
    wast_action_set(action, WAST_ACTION_NOT_RUN, "call: %s", action->error.message);
  else
    action->status = WAST_ACTION_ERROR;
done:
  free(args);
}

static void wast_get(const wast_module *module, json_text field, wast_action *action)
{
  wasmrt_extern export;
  if (wasmrt_instance_export(module->instance, field.text, field.size, &export) != WASMRT_OK) {
    wast_action_set(action, WAST_ACTION_FAILED, "no export \"%s\"", field.text);
    return;
  }
  if (export.kind != WASMRT_EXTERN_GLOBAL) {
    wast_action_set(action, WAST_ACTION_FAILED, "export \"%s\" is not a global", field.text);
    return;
  }
  action->results = malloc(sizeof *action->results);
  if (!action->results) {
    wast_action_set(action, WAST_ACTION_FAILED, "out of memory");
    return;
  }
  action->results[0] = wasmrt_global_get(export.of.global);
  action->result_count = 1;
  action->status = WAST_ACTION_RETURNED;
}

/*
 * Run the "action" of a command. `expected`, the command's expected values
 * or NULL, only matters for v128s (which make the command not run). Returns
 * CLI_EXIT_OK with `action` filled, or CLI_EXIT_USAGE after saying why when
 * the script is broken.
 */
static int wast_run_action(wast_script *script, const json_value *command,
                           const json_value *expected, wast_action *action)
{
  memset(action, 0, sizeof *action);
  const json_value *object = json_object_get(command, "action");
  const char *action_type = json_string(json_object_get(object, "type"));
  const json_value *field = json_object_get(object, "field");
  const json_value *args = json_object_get(object, "args");
  if (!action_type || !json_string(field) || (args && args->kind != JSON_ARRAY)) {
    fprintf(stderr,
            "%s:%zu:%zu: expected an \"action\" object with \"type\" and \"field\" "
            "strings and an optional \"args\" array\n",
            script->json_path, command->line, command->column);
    return CLI_EXIT_USAGE;
  }
  bool invoke = strcmp(action_type, "invoke") == 0;
  if (!invoke && strcmp(action_type, "get") != 0) {
    wast_action_set(action, WAST_ACTION_FAILED, "unknown action type \"%s\"", action_type);
    return CLI_EXIT_OK;
  }
  if (wast_has_v128(args) || wast_has_v128(expected)) {
    wast_action_set(action, WAST_ACTION_NOT_RUN, "v128 values are not run in this version");
    return CLI_EXIT_OK;
  }
  const char *name = json_string(json_object_get(object, "module"));
  const wast_module *module = wast_find_module(script, name);
  if (!module) {
    wast_action_set(action, WAST_ACTION_FAILED, "no module %s%s", name ? "named " : "defined yet",
                    name ? name : "");
    return CLI_EXIT_OK;
  }
  if (module->state == WAST_MODULE_NOT_RUN) {
    wast_action_set(action, WAST_ACTION_NOT_RUN, "its module (line %llu) was not run",
                    (unsigned long long)module->line);
    return CLI_EXIT_OK;
  }
  if (module->state == WAST_MODULE_FAILED) {
    wast_action_set(action, WAST_ACTION_FAILED, "its module (line %llu) did not instantiate",
                    (unsigned long long)module->line);
    return CLI_EXIT_OK;
  }
  if (invoke)
    wast_invoke(script, module, field->as.text, args, action);
  else
    wast_get(module, field->as.text, action);
  return CLI_EXIT_OK;
}

/* "(i32 1, f32 0x3f800000 (1))" */
static void wast_format_results(const wast_script *script, const wast_action *action, char *out,
                                size_t size)
{
  int used = snprintf(out, size, "(");
  for (size_t i = 0; i < action->result_count && used > 0 && (size_t)used < size; i++) {
    char one[128];
    wast_val_format(&action->results[i], &script->refs, one, sizeof one);
    used += snprintf(out + used, size - (size_t)used, "%s%s", i ? ", " : "", one);
  }
  if (used > 0 && (size_t)used < size)
    snprintf(out + used, size - (size_t)used, ")");
}

/* "EXPECTED, got a trap "integer overflow"" or "EXPECTED, got argument",
 * for an action that did not return. */
static void wast_action_what(const wast_action *action, const char *expected, char *what,
                             size_t size)
{
  if (action->result == WASMRT_ERROR_TRAP)
    wast_format(what, size, "%s, got a trap \"%s\"", expected,
                wasmrt_trap_message(action->error.trap));
  else
    wast_format(what, size, "%s, got %s", expected, wasmrt_errname(action->result));
}

/* Count the commands whose action could not be run; true when done. */
static bool wast_action_settled(wast_script *script, uint64_t line, const char *type,
                                const wast_action *action, const char *spec_text)
{
  if (action->status == WAST_ACTION_NOT_RUN) {
    wast_not_run(script, line, type, action->why);
    return true;
  }
  if (action->status == WAST_ACTION_FAILED) {
    wast_report_failure(script, line, type, action->why, NULL, spec_text);
    return true;
  }
  return false;
}

static int wast_cmd_action(wast_script *script, const json_value *command, uint64_t line,
                           const char *type)
{
  wast_action action;
  if (wast_run_action(script, command, NULL, &action) != CLI_EXIT_OK)
    return CLI_EXIT_USAGE;
  if (!wast_action_settled(script, line, type, &action, NULL)) {
    if (action.status == WAST_ACTION_RETURNED) {
      wast_passed(script, line, type);
    } else {
      char what[WAST_WHY_SIZE];
      wast_action_what(&action, "expected the action to return", what, sizeof what);
      wast_report_failure(script, line, type, what, wast_details(action.result, &action.error),
                          NULL);
    }
  }
  free(action.results);
  return CLI_EXIT_OK;
}

static int wast_cmd_return(wast_script *script, const json_value *command, uint64_t line,
                           const char *type)
{
  const json_value *expected = json_object_get(command, "expected");
  if (!expected || expected->kind != JSON_ARRAY) {
    fprintf(stderr, "%s:%zu:%zu: %s command without an \"expected\" array\n", script->json_path,
            command->line, command->column, type);
    return CLI_EXIT_USAGE;
  }
  wast_action action;
  if (wast_run_action(script, command, expected, &action) != CLI_EXIT_OK)
    return CLI_EXIT_USAGE;
  if (wast_action_settled(script, line, type, &action, NULL))
    goto done;
  /* What is expected, for messages, and whether the results are that. */
  size_t count = expected->as.array.count;
  char want[WAST_WHY_SIZE];
  int used = snprintf(want, sizeof want, "expected (");
  bool match = action.status == WAST_ACTION_RETURNED && action.result_count == count;
  for (size_t i = 0; i < count; i++) {
    wast_value value;
    char why[256];
    if (wast_value_read(&expected->as.array.items[i], &script->refs, &value, why, sizeof why) !=
        WAST_VALUE_OK) {
      char what[WAST_WHY_SIZE];
      snprintf(what, sizeof what, "expected value %zu: %s", i + 1, why);
      wast_report_failure(script, line, type, what, NULL, NULL);
      goto done;
    }
    if (match && !wast_value_matches(&value, &action.results[i]))
      match = false;
    char one[128];
    wast_value_format(&value, &script->refs, one, sizeof one);
    if (used > 0 && (size_t)used < sizeof want)
      used += snprintf(want + used, sizeof want - (size_t)used, "%s%s", i ? ", " : "", one);
  }
  if (used > 0 && (size_t)used < sizeof want)
    snprintf(want + used, sizeof want - (size_t)used, ")");
  if (match) {
    wast_passed(script, line, type);
    goto done;
  }
  char what[2 * WAST_WHY_SIZE];
  if (action.status == WAST_ACTION_RETURNED) {
    char got[WAST_WHY_SIZE];
    wast_format_results(script, &action, got, sizeof got);
    wast_format(what, sizeof what, "%s, got %s", want, got);
    wast_report_failure(script, line, type, what, NULL, NULL);
  } else {
    wast_action_what(&action, want, what, sizeof what);
    wast_report_failure(script, line, type, what, wast_details(action.result, &action.error), NULL);
  }
done:
  free(action.results);
  return CLI_EXIT_OK;
}

/* assert_trap and assert_exhaustion on an action. */
static int wast_check_trap(wast_script *script, const json_value *command, uint64_t line,
                           const char *type, bool exhaustion)
{
  const char *spec_text = json_string(json_object_get(command, "text"));
  if (!spec_text) {
    fprintf(stderr, "%s:%zu:%zu: %s command without a \"text\" string\n", script->json_path,
            command->line, command->column, type);
    return CLI_EXIT_USAGE;
  }
  wast_action action;
  if (wast_run_action(script, command, json_object_get(command, "expected"), &action) !=
      CLI_EXIT_OK)
    return CLI_EXIT_USAGE;
  if (wast_action_settled(script, line, type, &action, spec_text))
    goto done;
  char what[2 * WAST_WHY_SIZE];
  if (action.status == WAST_ACTION_RETURNED) {
    char got[WAST_WHY_SIZE];
    wast_format_results(script, &action, got, sizeof got);
    wast_format(what, sizeof what, "expected a trap \"%s\", returned %s", spec_text, got);
    wast_report_failure(script, line, type, what, NULL, NULL);
    goto done;
  }
  bool passed =
      action.result == WASMRT_ERROR_TRAP &&
      (exhaustion ? action.error.trap == WASMRT_TRAP_STACK_EXHAUSTED
                  : wast_trap_text_matches(wasmrt_trap_message(action.error.trap), spec_text));
  if (passed) {
    wast_passed(script, line, type);
  } else {
    char expected[WAST_WHY_SIZE];
    wast_format(expected, sizeof expected, "expected a trap \"%s\"", spec_text);
    wast_action_what(&action, expected, what, sizeof what);
    wast_report_failure(script, line, type, what, wast_details(action.result, &action.error), NULL);
  }
done:
  free(action.results);
  return CLI_EXIT_OK;
}

static int wast_cmd_trap(wast_script *script, const json_value *command, uint64_t line,
                         const char *type)
{
  /* wast2json writes (assert_trap (module ...)) as assert_uninstantiable;
   * take the module form here too in case another version does not. */
  if (!json_object_get(command, "action") && json_object_get(command, "filename"))
    return wast_cmd_uninstantiable(script, command, line, type);
  return wast_check_trap(script, command, line, type, false);
}

static int wast_cmd_exhaustion(wast_script *script, const json_value *command, uint64_t line,
                               const char *type)
{
  return wast_check_trap(script, command, line, type, true);
}

static int wast_cmd_exception(wast_script *script, const json_value *command, uint64_t line,
                              const char *type)
{
  wast_not_run(script, line, type, "exception handling is not supported");
  return CLI_EXIT_OK;
}

/* The command types of wast2json (wabt 1.0.32) and what runs each. */
static const struct {
  const char *type;
  int (*run)(wast_script *script, const json_value *command, uint64_t line, const char *type);
} wast_commands[] = {
    {"module", wast_cmd_module},
    {"register", wast_cmd_register},
    {"action", wast_cmd_action},
    {"assert_return", wast_cmd_return},
    {"assert_trap", wast_cmd_trap},
    {"assert_exhaustion", wast_cmd_exhaustion},
    {"assert_malformed", wast_cmd_malformed},
    {"assert_invalid", wast_cmd_invalid},
    {"assert_unlinkable", wast_cmd_unlinkable},
    {"assert_uninstantiable", wast_cmd_uninstantiable},
    {"assert_exception", wast_cmd_exception},
};

#define WAST_COMMAND_COUNT (sizeof wast_commands / sizeof wast_commands[0])

/* Run one command; CLI_EXIT_USAGE when the script is broken (already said). */
static int wast_run_command(wast_script *script, const json_value *command)
{
  const char *type = json_string(json_object_get(command, "type"));
  uint64_t line;
  if (!type || json_uint64(json_object_get(command, "line"), &line) != 0) {
    fprintf(stderr,
            "%s:%zu:%zu: a command must be an object with a \"type\" string and a "
            "\"line\" number\n",
            script->json_path, command->line, command->column);
    return CLI_EXIT_USAGE;
  }
  for (size_t i = 0; i < WAST_COMMAND_COUNT; i++)
    if (strcmp(wast_commands[i].type, type) == 0)
      return wast_commands[i].run(script, command, line, type);
  wast_report_failure(script, line, type, "unknown command type, not checked", NULL, NULL);
  return CLI_EXIT_OK;
}

static char *wast_directory_of(const char *path)
{
  const char *slash = strrchr(path, '/');
  size_t length = slash ? (size_t)(slash - path) + 1 : 0;
  char *directory = malloc(length + 1);
  if (!directory)
    return NULL;
  memcpy(directory, path, length);
  directory[length] = '\0';
  return directory;
}

static void wast_print_counts(const char *name, const wast_counts *counts)
{
  printf("%s: %llu passed, %llu failed, %llu not run, %llu n/a (text), %llu known differences\n",
         name, (unsigned long long)counts->passed, (unsigned long long)counts->failed,
         (unsigned long long)counts->not_run, (unsigned long long)counts->text,
         (unsigned long long)counts->known);
}

/* Release what running the script made: the store (with every instance and
 * host object), then the compiled code and modules the instances used. */
static void wast_script_free(wast_script *script)
{
  wasmrt_store_free(script->store);
  script->store = NULL;
  for (size_t i = 0; i < script->module_count; i++) {
    wasmrt_compiled_free(script->modules[i]->compiled);
    wasmrt_module_free(script->modules[i]->module);
    free(script->modules[i]);
  }
  free(script->modules);
  free(script->registered);
  wast_refs_free(&script->refs);
  free(script->directory);
}

/*
 * Run every command of one script, print its line and add its counts to
 * *total. Returns CLI_EXIT_OK when every command ran (failed or not), or
 * CLI_EXIT_USAGE when the script could not be run, after saying why.
 */
static int wast_run_script(const char *json_path, bool verbose, bool far, wast_known_list *known,
                           wast_counts *total)
{
  wast_script script = {.json_path = json_path, .verbose = verbose, .far = far, .known = known};
  uint8_t *text = NULL;
  json_document *document = NULL;
  size_t size;
  char why[256];
  if (cli_read_file(json_path, &text, &size, why, sizeof why) != 0) {
    fprintf(stderr, "%s: %s\n", json_path, why);
    goto fail;
  }
  json_error error;
  if (json_parse((const char *)text, size, JSON_DEFAULT_MAX_DEPTH, &document, &error) != JSON_OK) {
    fprintf(stderr, "%s:%zu:%zu: malformed JSON: %s\n", json_path, error.line, error.column,
            error.message);
    goto fail;
  }
  const json_value *root = json_document_root(document);
  script.source = json_string(json_object_get(root, "source_filename"));
  const json_value *commands = json_object_get(root, "commands");
  if (!script.source || !commands || commands->kind != JSON_ARRAY) {
    fprintf(stderr,
            "%s:%zu:%zu: not a wast2json script: expected an object with "
            "\"source_filename\" and a \"commands\" array\n",
            json_path, root->line, root->column);
    goto fail;
  }
  script.directory = wast_directory_of(json_path);
  if (!script.directory) {
    fprintf(stderr, "%s: out of memory\n", json_path);
    goto fail;
  }
  for (size_t i = 0; i < known->count; i++)
    if (strcmp(known->items[i].file, wast_base_name(script.source)) == 0)
      known->items[i].file_run = true;
  for (size_t i = 0; i < commands->as.array.count; i++) {
    if (wast_run_command(&script, &commands->as.array.items[i]) != CLI_EXIT_OK)
      goto fail;
    if (verbose)
      fflush(stdout);
  }
  /* A listed difference that no longer happens is stale: fail, so the list
   * cannot hide anything. */
  for (size_t i = 0; i < known->count; i++) {
    wast_known *k = &known->items[i];
    if (k->file_run && !k->matched && strcmp(k->file, wast_base_name(script.source)) == 0) {
      script.counts.failed++;
      printf("%s:%llu: listed as a known difference but did not fail; remove it from the list\n",
             script.source, (unsigned long long)k->line);
      k->matched = true;
    }
  }
  wast_print_counts(wast_base_name(script.source), &script.counts);
  total->passed += script.counts.passed;
  total->failed += script.counts.failed;
  total->not_run += script.counts.not_run;
  total->text += script.counts.text;
  total->known += script.counts.known;
  wast_script_free(&script);
  json_document_free(document);
  free(text);
  return CLI_EXIT_OK;
fail:
  wast_script_free(&script);
  json_document_free(document);
  free(text);
  return CLI_EXIT_USAGE;
}

static void wast_known_free(wast_known_list *list)
{
  for (size_t i = 0; i < list->count; i++) {
    free(list->items[i].file);
    free(list->items[i].reason);
  }
  free(list->items);
  list->items = NULL;
  list->count = 0;
}

/* Reads "NAME.wast:LINE reason" lines; '#' starts a comment line. A line
 * without a reason is an error: every difference must say why. */
static int wast_known_load(const char *path, wast_known_list *list)
{
  uint8_t *text = NULL;
  size_t size;
  char why[256];
  if (cli_read_file(path, &text, &size, why, sizeof why) != 0) {
    fprintf(stderr, "%s: %s\n", path, why);
    return CLI_EXIT_USAGE;
  }
  size_t line_number = 0;
  char *cursor = (char *)text;
  char *end = cursor + size;
  while (cursor < end) {
    char *newline = memchr(cursor, '\n', (size_t)(end - cursor));
    char *line_end = newline ? newline : end;
    line_number++;
    size_t length = (size_t)(line_end - cursor);
    char *line = cursor;
    cursor = newline ? newline + 1 : end;
    while (length && (line[length - 1] == ' ' || line[length - 1] == '\r'))
      length--;
    if (length == 0 || line[0] == '#')
      continue;
    char *colon = memchr(line, ':', length);
    char *space = memchr(line, ' ', length);
    char *number_end = NULL;
    unsigned long long number = 0;
    if (colon && space && colon < space) {
      number = strtoull(colon + 1, &number_end, 10);
    }
    if (!colon || !space || number_end != space || number == 0) {
      fprintf(stderr, "%s:%zu: expected \"NAME.wast:LINE reason\"\n", path, line_number);
      goto fail;
    }
    wast_known *grown = realloc(list->items, (list->count + 1) * sizeof *grown);
    if (!grown)
      goto nomem;
    list->items = grown;
    wast_known *k = &list->items[list->count];
    memset(k, 0, sizeof *k);
    k->file = strndup(line, (size_t)(colon - line));
    k->reason = strndup(space + 1, length - (size_t)(space + 1 - line));
    list->count++;
    k->line = number;
    if (!k->file || !k->reason)
      goto nomem;
  }
  free(text);
  return CLI_EXIT_OK;
nomem:
  fprintf(stderr, "%s: out of memory\n", path);
fail:
  free(text);
  wast_known_free(list);
  return CLI_EXIT_USAGE;
}

int cli_cmd_wast(int argc, char **argv)
{
  bool verbose = false;
  bool far = false;
  bool options_done = false;
  int file_count = 0;
  const char *known_path = NULL;
  /* Options may come anywhere before "--"; collect them first so that -v
   * applies to files named before it too. */
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (options_done || arg[0] != '-' || arg[1] == '\0') {
      file_count++;
    } else if (strcmp(arg, "--") == 0) {
      options_done = true;
    } else if (strcmp(arg, "-v") == 0 || strcmp(arg, "--verbose") == 0) {
      verbose = true;
    } else if (strcmp(arg, "--far") == 0) {
      far = true;
    } else if (strcmp(arg, "--known-differences") == 0 && i + 1 < argc) {
      known_path = argv[++i];
    } else {
      fprintf(stderr, "wasmrt wast: unknown option '%s' (see 'wasmrt help wast')\n", arg);
      return CLI_EXIT_USAGE;
    }
  }
  if (file_count == 0) {
    fprintf(stderr, "wasmrt wast: no input files (see 'wasmrt help wast')\n");
    return CLI_EXIT_USAGE;
  }
  wast_known_list known = {NULL, 0};
  if (known_path && wast_known_load(known_path, &known) != CLI_EXIT_OK)
    return CLI_EXIT_USAGE;
  wast_counts total = {0, 0, 0, 0, 0};
  bool broken = false;
  options_done = false;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (!options_done && arg[0] == '-' && arg[1] != '\0') {
      if (strcmp(arg, "--known-differences") == 0)
        i++;
      options_done = strcmp(arg, "--") == 0;
      continue;
    }
    if (wast_run_script(arg, verbose, far, &known, &total) != CLI_EXIT_OK)
      broken = true;
  }
  wast_known_free(&known);
  if (file_count > 1)
    wast_print_counts("total", &total);
  if (broken)
    return CLI_EXIT_USAGE;
  return total.failed > 0 ? CLI_EXIT_REJECTED : CLI_EXIT_OK;
}
