/*
 * Test support shared by every test executable: cmocka set-up, paths to the repository,
 * the build and the third-party data in ../shared/data, and temporary directories.
 *
 * A test executable ends with VG_TEST_MAIN(tests). Run without arguments it runs every
 * case; with one argument it runs only the case of that function name (CTest registers
 * each case this way).
 */
#ifndef VIGIA_TEST_H
#define VIGIA_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <vigia/slice.h>
#include <vigia/status.h>

/* Runs the tests (all, or the one named in argv[1]); returns the process exit status:
 * 0 pass, 1 failure, 77 when cases were skipped for lack of shared data. */
int vg_test_run(const struct CMUnitTest *tests, size_t count, int argc, char **argv,
                const char *group);

#define VG_TEST_MAIN(tests)                                                                \
    int main(int argc, char **argv)                                                        \
    {                                                                                      \
        return vg_test_run(tests, sizeof(tests) / sizeof((tests)[0]), argc, argv, #tests); \
    }

/* Absolute path of a file under ../shared/data (static buffer, valid until the next
 * call). When the shared data directory is missing the current test is skipped. */
const char *vg_test_shared(const char *relative);

/* Absolute path of a file in the source tree (static buffer). */
const char *vg_test_source(const char *relative);

/* Creates a fresh empty temporary directory for the current test and returns its path
 * (static buffer). It is removed at process exit unless VIGIA_KEEP_TMP is set. */
const char *vg_test_tmpdir(void);

/* Joins the tmpdir and a file name (static rotating buffers, 4 at a time). */
const char *vg_test_tmpfile(const char *name);

/* Reads a whole file into a vg_malloc'd buffer (NUL-terminated); fails the test on error. */
char *vg_test_read_file(const char *path, size_t *len);

/* data[0..len) as one gzip member (zlib, level 6) in a new vg_malloc'd buffer of *out_len
 * bytes; fails the test on error. */
char *vg_test_gzip(const void *data, size_t len, size_t *out_len);

/* Writes data to path, failing the test on error. */
void vg_test_write_file(const char *path, const void *data, size_t len);

/* Asserts status == expected, printing both names and the error message. */
#define assert_status(st, expected, err) vg_test_assert_status((st), (expected), (err), __FILE__, __LINE__)
void vg_test_assert_status(enum vg_status st, enum vg_status expected, const struct vg_error *err,
                           const char *file, int line);

/*
 * OOM torture: runs op with the 1st, 2nd, ... allocation failing until it succeeds. Every
 * failing run must return VG_ENOMEM (any other status fails the test); cleanup (may be
 * NULL) runs after every attempt so that leaks show under ASan. Returns the number of
 * runs. max_steps bounds the loop.
 */
int vg_test_oom_loop(enum vg_status (*op)(void *ctx), void (*cleanup)(void *ctx), void *ctx,
                     unsigned long max_steps);

/* Marks the current test as skipped for lack of data (the process then exits 77). */
void vg_test_skip(const char *why);

#endif
