/*
 * Excel 97-2003 workbooks (.xls, BIFF in an OLE2 compound file) into the text of their
 * worksheets, as the .xlsx and .ods readers make it, for the CSV reader (ingest.c). Many
 * systems in Peru still export .xls.
 *
 * The reading is done by vigia-xls (src/xlsread/main.c, with FreeXL), run as a child
 * process with a fresh memory image, no open files but a pipe and standard error on
 * /dev/null: FreeXL 1.0.6 is not safe on hostile input (libFuzzer found a stack buffer
 * underflow in its code-page conversion within seconds: fuzz/fuzz_xls.c) and leaks on
 * damaged files, and a workbook is a file anyone along the supply chain can craft, so it
 * never runs inside the process that holds the store, its open files and the audit key.
 * FreeXL opens files by path only: the bytes (which may come out of an archive or a
 * compressed file) go to a temporary file first, removed when the child has answered. A
 * child that dies or answers nonsense has the file refused as damaged or crafted; one that
 * does not answer within XLS_CHILD_SECONDS stops the run (the file is not refused: a re-run
 * reads it again).
 *
 * Where vigia-xls is: $VIGIA_XLS_READER, else beside the running program, else where the
 * build put it (VIGIA_XLS_READER_DEFAULT).
 */
#define _GNU_SOURCE /* posix_spawn_file_actions_addclosefrom_np, pipe2 */
#include "ingest/ingest_int.h"
#include "ingest/xls_proto.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vigia/alloc.h>

/* How long the child that reads a workbook may take (a workbook of 65,536 rows takes a
 * second or two). */
#define XLS_CHILD_SECONDS 120

bool vg__ing_ole2_magic(const char *data, size_t len)
{
    static const unsigned char ole2[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
    return len >= 8 && memcmp(data, ole2, 8) == 0;
}

bool vg__ing_write_all(int fd, const void *data, size_t len)
{
    const char *c = data;
    while (len > 0) {
        ssize_t n = write(fd, c, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        c += n;
        len -= (size_t)n;
    }
    return true;
}

/* Writes data to a new temporary file, whose name goes into path; false on failure. */
static bool temp_copy(const char *data, size_t len, char *path, size_t size)
{
    const char *dir = getenv("TMPDIR");
    snprintf(path, size, "%s/vigia-xls-XXXXXX", dir != NULL && dir[0] != '\0' ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0) {
        return false;
    }
    bool ok = vg__ing_write_all(fd, data, len);
    if (close(fd) != 0 || !ok) {
        unlink(path);
        return false;
    }
    return true;
}

/* The deadline of the child's answer, and whether it passed. */
struct xls_wait {
    time_t deadline;
    bool timed_out;
};

/* Reads n bytes from fd into p before the deadline; false on end, error or time out. */
static bool read_all(int fd, void *p, size_t n, struct xls_wait *wait)
{
    char *c = p;
    while (n > 0) {
        int left = (int)(wait->deadline - time(NULL));
        struct pollfd pfd = { fd, POLLIN, 0 };
        int ready = left > 0 ? poll(&pfd, 1, left * 1000) : 0;
        if (ready < 0 && errno == EINTR) {
            continue;
        }
        if (ready <= 0) {
            wait->timed_out = ready == 0;
            return false;
        }
        ssize_t r = read(fd, c, n);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            return false;
        }
        c += r;
        n -= (size_t)r;
    }
    return true;
}

/* What the child sent into x (its sheets checked against its text); false when it sent
 * less, more than max_text, or sheets outside its text. */
static bool take_result(int fd,
                        size_t max_text,
                        const struct xls_answer *h,
                        struct ing_workbook *x,
                        struct xls_wait *wait)
{
    if (h->text_len > max_text || h->nsheets > 0xFFFF) {
        return false;
    }
    if (h->nsheets > 0) {
        x->sheets = vg_calloc((size_t)h->nsheets, sizeof(*x->sheets));
        if (x->sheets == NULL ||
            !read_all(fd, x->sheets, (size_t)h->nsheets * sizeof(*x->sheets), wait)) {
            return false;
        }
        x->nsheets = (size_t)h->nsheets;
    }
    for (size_t i = 0; i < x->nsheets; i++) {
        const struct ing_sheet *sh = &x->sheets[i];
        x->sheets[i].name[sizeof(sh->name) - 1] = '\0';
        if (sh->offset > h->text_len || sh->len > h->text_len - sh->offset) {
            return false;
        }
    }
    if (h->text_len == 0) {
        return true;
    }
    char *text = vg_malloc((size_t)h->text_len + 1);
    if (text == NULL || !read_all(fd, text, (size_t)h->text_len, wait)) {
        vg_free(text);
        return false;
    }
    text[h->text_len] = '\0';
    vg_buf_release(&x->text);
    x->text = (struct vg_buf){ text, (size_t)h->text_len, (size_t)h->text_len + 1, max_text };
    return true;
}

/* The path of vigia-xls into out; false when none is found. */
static bool reader_path(char *out, size_t size)
{
    const char *env = getenv("VIGIA_XLS_READER");
    if (env != NULL && env[0] != '\0') {
        snprintf(out, size, "%s", env);
        return access(out, X_OK) == 0;
    }
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n > 0) {
        self[n] = '\0';
        char *slash = strrchr(self, '/');
        if (slash != NULL) {
            *slash = '\0';
            snprintf(out, size, "%s/vigia-xls", self);
            if (access(out, X_OK) == 0) {
                return true;
            }
        }
    }
#ifdef VIGIA_XLS_READER_DEFAULT
    snprintf(out, size, "%s", VIGIA_XLS_READER_DEFAULT);
    return access(out, X_OK) == 0;
#else
    return false;
#endif
}

extern char **environ;

/* Starts reader on the file at path, its answer bounded by max_text, standard output into
 * *out_fd; the child's pid into *pid. false (errno set) when it could not be started. */
static bool
start_reader(const char *reader, const char *path, size_t max_text, pid_t *pid, int *out_fd)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        return false;
    }
    char max[32];
    snprintf(max, sizeof(max), "%zu", max_text);
    char *argv[] = { (char *)"vigia-xls", (char *)path, max, NULL };
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addclosefrom_np(&fa, STDERR_FILENO + 1);
    int rc = posix_spawn(pid, reader, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        errno = rc;
        return false;
    }
    *out_fd = fds[0];
    return true;
}

enum vg_status vg__ing_xls_read(
    const char *data, size_t len, size_t max_text, struct ing_workbook *x, struct vg_error *why)
{
    memset(x, 0, sizeof(*x));
    vg_buf_init(&x->text, max_text);
    char reader[PATH_MAX];
    if (!reader_path(reader, sizeof(reader))) {
        return vg_error_set(why, VG_EUNSUPPORTED,
                            "the .xls reader vigia-xls is not installed beside vigia (or set "
                            "VIGIA_XLS_READER)");
    }
    char path[512];
    if (!temp_copy(data, len, path, sizeof(path))) {
        return vg_error_set(why, VG_EIO,
                            "cannot write a temporary copy of the workbook (TMPDIR): %s",
                            strerror(errno));
    }
    pid_t pid = 0;
    int fd = -1;
    if (!start_reader(reader, path, max_text, &pid, &fd)) {
        enum vg_status st =
            vg_error_set(why, VG_EIO, "cannot start %s: %s", reader, strerror(errno));
        unlink(path);
        return st;
    }
    struct xls_wait wait = { time(NULL) + XLS_CHILD_SECONDS, false };
    struct xls_answer a;
    bool got = read_all(fd, &a, sizeof(a), &wait) &&
               memcmp(a.magic, XLS_ANSWER_MAGIC, sizeof(a.magic)) == 0;
    a.message[sizeof(a.message) - 1] = '\0';
    bool whole = got && (a.status != VG_OK || take_result(fd, max_text, &a, x, &wait));
    close(fd);
    if (!whole) {
        kill(pid, SIGKILL);
    }
    int wstatus = 0;
    while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
    }
    unlink(path);
    if (wait.timed_out) {
        vg__ing_workbook_release(x);
        return vg_error_set(why, VG_EIO, "the .xls reader did not finish in %d s",
                            XLS_CHILD_SECONDS);
    }
    if (!whole || !WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
        vg__ing_workbook_release(x);
        return vg_error_set(why, VG_EFORMAT,
                            "the .xls workbook cannot be read: its reader failed on it "
                            "(damaged or crafted)");
    }
    if (a.status != VG_OK) {
        vg__ing_workbook_release(x);
        return vg_error_set(why, (enum vg_status)a.status, "%s", a.message);
    }
    return VG_OK;
}
