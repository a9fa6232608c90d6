/* Test support (see vg_test.h). */
#include "vg_test.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vigia/alloc.h>
#include <vigia/log.h>
#include <zlib.h>

static bool skipped;
static char tmp_root[512];

static int remove_tree(const char *path)
{
    DIR *d = opendir(path);
    if (d == NULL) {
        return unlink(path);
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
            continue;
        }
        char child[1024];
        snprintf(child, sizeof(child), "%s/%s", path, e->d_name);
        remove_tree(child);
    }
    closedir(d);
    return rmdir(path);
}

static void cleanup_tmp(void)
{
    if (tmp_root[0] != '\0' && getenv("VIGIA_KEEP_TMP") == NULL) {
        remove_tree(tmp_root);
    }
}

void vg_test_skip(const char *why)
{
    fprintf(stderr, "SKIP: %s\n", why);
    skipped = true;
    skip();
}

const char *vg_test_shared(const char *relative)
{
    static char path[1024];
    const char *root = getenv("VIGIA_SHARED_DATA");
    if (root == NULL) {
        root = VIGIA_SHARED_DATA_DIR;
    }
    struct stat st;
    if (stat(root, &st) != 0) {
        vg_test_skip("shared test data directory not found (set VIGIA_SHARED_DATA)");
    }
    snprintf(path, sizeof(path), "%s/%s", root, relative);
    return path;
}

const char *vg_test_source(const char *relative)
{
    static char path[1024];
    snprintf(path, sizeof(path), "%s/%s", VIGIA_SOURCE_DIR, relative);
    return path;
}

const char *vg_test_tmpdir(void)
{
    static char dir[600];
    static unsigned seq;
    if (tmp_root[0] == '\0') {
        const char *base = getenv("TMPDIR");
        snprintf(tmp_root, sizeof(tmp_root), "%s/vigia-test-XXXXXX", base ? base : "/tmp");
        if (mkdtemp(tmp_root) == NULL) {
            fail_msg("mkdtemp: %s", strerror(errno));
        }
        atexit(cleanup_tmp);
    }
    snprintf(dir, sizeof(dir), "%s/t%u", tmp_root, seq++);
    if (mkdir(dir, 0700) != 0) {
        fail_msg("mkdir %s: %s", dir, strerror(errno));
    }
    return dir;
}

const char *vg_test_tmpfile(const char *name)
{
    static char bufs[4][700];
    static unsigned next;
    static char current_dir[600];
    if (current_dir[0] == '\0') {
        snprintf(current_dir, sizeof(current_dir), "%s", vg_test_tmpdir());
    }
    char *b = bufs[next++ % 4];
    snprintf(b, 700, "%s/%s", current_dir, name);
    return b;
}

char *vg_test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fail_msg("cannot open %s: %s", path, strerror(errno));
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = vg_malloc((size_t)n + 1);
    assert_non_null(buf);
    if (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fail_msg("cannot read %s", path);
    }
    buf[n] = '\0';
    fclose(f);
    if (len != NULL) {
        *len = (size_t)n;
    }
    return buf;
}

char *vg_test_gzip(const void *data, size_t len, size_t *out_len)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
    size_t cap = deflateBound(&z, (uLong)len) + 64;
    char *out = vg_malloc(cap);
    assert_non_null(out);
    z.next_in = (Bytef *)(uintptr_t)data;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
    *out_len = cap - z.avail_out;
    deflateEnd(&z);
    return out;
}

void vg_test_write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        fail_msg("cannot create %s: %s", path, strerror(errno));
    }
    if (len > 0 && fwrite(data, 1, len, f) != len) {
        fail_msg("cannot write %s", path);
    }
    fclose(f);
}

void vg_test_assert_status(enum vg_status st, enum vg_status expected, const struct vg_error *err,
                           const char *file, int line)
{
    if (st != expected) {
        char msg[700] = "";
        if (err != NULL) {
            vg_error_format(err, msg, sizeof(msg));
        }
        fail_msg("%s:%d: status %s, expected %s (%s)", file, line, vg_status_name(st),
                 vg_status_name(expected), msg);
    }
}

int vg_test_oom_loop(enum vg_status (*op)(void *ctx), void (*cleanup)(void *ctx), void *ctx,
                     unsigned long max_steps)
{
    for (unsigned long n = 1; n <= max_steps; n++) {
        vg_alloc_fail_nth(n);
        enum vg_status st = op(ctx);
        vg_alloc_fail_nth(0);
        if (cleanup != NULL) {
            cleanup(ctx);
        }
        if (st == VG_OK) {
            return (int)n;
        }
        if (st != VG_ENOMEM) {
            fail_msg("allocation %lu failed: expected VG_ENOMEM, got %s", n, vg_status_name(st));
        }
    }
    fail_msg("operation still failing after %lu injected failures", max_steps);
    return -1;
}

int vg_test_run(const struct CMUnitTest *tests, size_t count, int argc, char **argv,
                const char *group)
{
    const char *level = getenv("VIGIA_LOG");
    enum vg_log_level lv;
    if (level != NULL && vg_log_level_parse(level, &lv)) {
        vg_log_set_level(lv);
    }
    /* Tests never touch the user's audit key or export: both go to a temporary place
     * unless the caller chose one. */
    if (getenv("VIGIA_AUDIT_KEY") == NULL) {
        char key[700];
        snprintf(key, sizeof(key), "%s/audit.key", vg_test_tmpdir());
        setenv("VIGIA_AUDIT_KEY", key, 1);
    }
    if (argc > 1) {
        cmocka_set_test_filter(argv[1]);
    }
    int failed = _cmocka_run_group_tests(group, tests, count, NULL, NULL);
    if (failed != 0) {
        return 1;
    }
    return skipped ? 77 : 0;
}
