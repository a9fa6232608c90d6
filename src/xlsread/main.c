/*
 * vigia-xls: reads one Excel 97-2003 workbook (.xls) with FreeXL and writes its worksheets
 * as CSV text to standard output, in the form src/ingest/xls_proto.h describes, for the
 * ingest (src/ingest/xls.c), which runs it as a child process with a fresh memory image:
 * FreeXL 1.0.6 is not safe on hostile input (libFuzzer found a stack buffer underflow in
 * its code-page conversion within seconds), and a workbook is a file anyone along the supply
 * chain can craft, so it never runs inside the process that holds the store, its open files
 * and the audit key.
 *
 * Each worksheet becomes one line per sheet row, as the .xlsx and .ods readers make them:
 * texts as UTF-8 whatever the workbook's code page; integers and decimals as the shortest
 * decimal; dates and times as FreeXL reads them through the cell's format, in ISO 8601
 * (2024-05-03, 2024-05-03T22:00); rows past a sheet's last value left out. FreeXL 1.0 keeps
 * no number formats, so an HS code stored as the number 80440 with a format of zeros comes
 * out as 80440 (the ingest restores the zero against the nomenclature: validate.c).
 *
 * Before FreeXL sees a byte, the process confines itself (confine): with Landlock, where
 * the kernel has it, it may read only the workbook and what is beneath /usr (glibc's iconv
 * modules), so not the store, the audit key or anything of the user's; with a seccomp
 * filter, files may be opened for reading only, nothing may be written but its answer
 * (standard output) and standard error, and no socket, process or program may be made. So
 * code a crafted workbook gets to run can neither change nor read the store, reach the
 * network or start anything. A build with a sanitizer (make asan, make fuzz) is not
 * confined: its runtime needs more than this.
 *
 * Usage: vigia-xls FILE MAX_TEXT_BYTES. Exits 0 once it has written its answer (a refusal
 * is an answer), 2 on wrong arguments, 3 when it cannot confine itself.
 * vigia-xls --check-confinement confines itself, then tries what the filter refuses
 * (opening a file to write, a socket, a child process): exits 0 when all are refused, 1
 * when one is not, 4 in a sanitizer build (not confined). CTest runs it.
 */
#define _GNU_SOURCE /* O_PATH */
#include "ingest/ingest_int.h"
#include "ingest/xls_proto.h"
#include "ingest/zipxml.h"

#include <errno.h>
#include <fcntl.h>
#include <freexl.h>
#include <linux/landlock.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <vigia/alloc.h>

static const char *freexl_why(int rc)
{
    switch (rc) {
    case FREEXL_INVALID_CFBF_HEADER:
    case FREEXL_CFBF_INVALID_SIGNATURE:
    case FREEXL_CFBF_INVALID_SECTOR_SIZE:
        return "its compound-file header is damaged";
    case FREEXL_CFBF_READ_ERROR:
    case FREEXL_CFBF_SEEK_ERROR:
        return "it is cut off";
    case FREEXL_CFBF_EMPTY_FAT_CHAIN:
    case FREEXL_CFBF_ILLEGAL_FAT_ENTRY:
    case FREEXL_INVALID_MINI_STREAM:
    case FREEXL_CFBF_ILLEGAL_MINI_FAT_ENTRY:
        return "its allocation table is damaged";
    case FREEXL_BIFF_INVALID_BOF:
    case FREEXL_BIFF_INVALID_SST:
    case FREEXL_BIFF_ILLEGAL_SST_INDEX:
        return "its workbook stream is damaged";
    case FREEXL_INVALID_CHARACTER:
    case FREEXL_UNSUPPORTED_CHARSET:
        return "its text is not in the code page it declares";
    case FREEXL_ILLEGAL_RK_VALUE:
        return "a number in it is damaged";
    case FREEXL_CRAFTED_FILE:
        return "it is severely damaged (or crafted)";
    default:
        return "FreeXL cannot read it";
    }
}

/* A date and time as FreeXL writes it (2024-05-03 22:00:00) in ISO 8601 (2024-05-03T22:00). */
static void iso_datetime(const char *v, char *buf, size_t size)
{
    snprintf(buf, size, "%s", v);
    if (strlen(buf) == 19 && buf[10] == ' ') {
        buf[10] = 'T';
        if (strcmp(buf + 16, ":00") == 0) {
            buf[16] = '\0';
        }
    }
}

/* The cell's value as a CSV field (nothing for an empty cell). */
static enum vg_status put_value(struct vg_buf *out, const FreeXL_CellValue *c)
{
    char buf[64];
    switch (c->type) {
    case FREEXL_CELL_INT:
        snprintf(buf, sizeof(buf), "%d", c->value.int_value);
        return vg__zx_put_field(out, buf, strlen(buf));
    case FREEXL_CELL_DOUBLE:
        vg__zx_format_number(c->value.double_value, buf, sizeof(buf));
        return vg__zx_put_field(out, buf, strlen(buf));
    case FREEXL_CELL_DATETIME:
        iso_datetime(c->value.text_value != NULL ? c->value.text_value : "", buf, sizeof(buf));
        return vg__zx_put_field(out, buf, strlen(buf));
    case FREEXL_CELL_TEXT:
    case FREEXL_CELL_SST_TEXT:
    case FREEXL_CELL_DATE:
    case FREEXL_CELL_TIME: {
        const char *t = c->value.text_value != NULL ? c->value.text_value : "";
        return vg__zx_put_field(out, t, strlen(t));
    }
    default:
        return VG_OK;
    }
}

/* The active worksheet of h into x->text; rows past its last cell with a value left out. */
static enum vg_status read_sheet(const void *h, struct ing_workbook *x, int *rc)
{
    unsigned int rows = 0;
    unsigned short cols = 0;
    if ((*rc = freexl_worksheet_dimensions(h, &rows, &cols)) != FREEXL_OK) {
        return VG_EFORMAT;
    }
    size_t kept = x->text.len; /* the text up to the last row with a value */
    for (unsigned int r = 0; r < rows; r++) {
        unsigned short last = 0; /* columns up to the last with a value */
        FreeXL_CellValue c;
        for (unsigned short k = 0; k < cols; k++) {
            if ((*rc = freexl_get_cell_value(h, r, k, &c)) != FREEXL_OK) {
                return VG_EFORMAT;
            }
            if (c.type != FREEXL_CELL_NULL) {
                last = (unsigned short)(k + 1);
            }
        }
        enum vg_status st = VG_OK;
        for (unsigned short k = 0; k < last && st == VG_OK; k++) {
            if ((*rc = freexl_get_cell_value(h, r, k, &c)) != FREEXL_OK) {
                return VG_EFORMAT;
            }
            st = k > 0 ? vg_buf_append_char(&x->text, ',') : VG_OK;
            if (st == VG_OK) {
                st = put_value(&x->text, &c);
            }
        }
        if (st == VG_OK) {
            st = vg_buf_append_char(&x->text, '\n');
        }
        if (st != VG_OK) {
            return st;
        }
        if (last > 0) {
            kept = x->text.len;
        }
    }
    x->text.len = kept;
    return VG_OK;
}

/* Every worksheet of h into x. */
static enum vg_status read_sheets(const void *h, struct ing_workbook *x, int *rc)
{
    unsigned int count = 0;
    if ((*rc = freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &count)) != FREEXL_OK) {
        return VG_EFORMAT;
    }
    if (count == 0) {
        return VG_OK;
    }
    x->sheets = vg_calloc(count, sizeof(*x->sheets));
    if (x->sheets == NULL) {
        return VG_ENOMEM;
    }
    for (unsigned int i = 0; i < count && i <= 0xFFFF; i++) {
        struct ing_sheet *sh = &x->sheets[x->nsheets];
        const char *name = NULL;
        if ((*rc = freexl_get_worksheet_name(h, (unsigned short)i, &name)) != FREEXL_OK ||
            (*rc = freexl_select_active_worksheet(h, (unsigned short)i)) != FREEXL_OK) {
            return VG_EFORMAT;
        }
        snprintf(sh->name, sizeof(sh->name), "%s", name != NULL ? name : "");
        sh->offset = x->text.len;
        enum vg_status st = read_sheet(h, x, rc);
        if (st != VG_OK) {
            return st;
        }
        sh->len = x->text.len - sh->offset;
        x->nsheets++;
    }
    return VG_OK;
}

/* The workbook at path into x (released with vg__ing_workbook_release); why says what went
 * wrong (the statuses of vg__ing_xls_read). */
static enum vg_status
read_workbook(const char *path, size_t max_text, struct ing_workbook *x, struct vg_error *why)
{
    memset(x, 0, sizeof(*x));
    vg_buf_init(&x->text, max_text);
    const void *h = NULL;
    int rc = freexl_open(path, &h);
    enum vg_status st = VG_OK;
    unsigned int password = FREEXL_BIFF_PLAIN;
    if (rc == FREEXL_BIFF_WORKBOOK_NOT_FOUND) {
        st = vg_error_set(why, VG_ENOTFOUND, "an Office file that holds no Excel workbook");
    } else if (rc == FREEXL_INSUFFICIENT_MEMORY) {
        st = vg_error_set(why, VG_ENOMEM, "out of memory reading the workbook");
    } else if (rc != FREEXL_OK) {
        st = vg_error_set(why, VG_EFORMAT, "the .xls workbook cannot be read: %s", freexl_why(rc));
    } else if (freexl_get_info(h, FREEXL_BIFF_PASSWORD, &password) == FREEXL_OK &&
               password == FREEXL_BIFF_OBFUSCATED) {
        st = vg_error_set(why, VG_EDENIED, "a workbook protected by a password");
    } else {
        st = read_sheets(h, x, &rc);
        if (st == VG_EFORMAT) {
            vg_error_set(why, st, "the .xls workbook cannot be read: %s", freexl_why(rc));
        } else if (st == VG_ELIMIT) {
            vg_error_set(why, st, "the workbook makes more than %zu bytes of text", max_text);
        } else if (st == VG_ENOMEM) {
            vg_error_set(why, st, "out of memory reading the workbook");
        }
    }
    freexl_close(h);
    if (st != VG_OK) {
        vg__ing_workbook_release(x);
    }
    return st;
}


#if defined(__SANITIZE_ADDRESS__)
# define XLS_SANITIZED 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer)
#  define XLS_SANITIZED 1
# endif
#endif

#ifndef XLS_SANITIZED
/* Where the kernel has Landlock, what this process may read from now on: the file and what is
 * beneath /usr; it may write, create or remove nothing. Returns 1 when so restricted, 0
 * when the kernel has no Landlock (reads stay as they were), -1 when the rules could not be
 * set. */
static int restrict_reads(const char *file)
{
    long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    if (abi < 1) {
        return 0;
    }
    struct landlock_ruleset_attr attr = {
        .handled_access_fs = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |
                             LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR |
                             LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |
                             LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR |
                             LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK |
                             LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |
                             LANDLOCK_ACCESS_FS_MAKE_SYM |
                             (abi >= 2 ? LANDLOCK_ACCESS_FS_REFER : 0),
    };
    int rs = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
    if (rs < 0) {
        return -1;
    }
    const char *paths[2] = { "/usr", file };
    bool ok = true;
    for (size_t i = 0; ok && i < 2; i++) {
        int fd = open(paths[i], O_PATH | O_CLOEXEC);
        struct landlock_path_beneath_attr rule = {
            .allowed_access =
                LANDLOCK_ACCESS_FS_READ_FILE | (i == 0 ? LANDLOCK_ACCESS_FS_READ_DIR : 0),
            .parent_fd = fd,
        };
        ok = fd >= 0 &&
             syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH, &rule, 0) == 0;
        if (fd >= 0) {
            close(fd);
        }
    }
    ok = ok && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0 &&
         syscall(SYS_landlock_restrict_self, rs, 0) == 0;
    close(rs);
    return ok ? 1 : -1;
}
#endif

/* The system calls reading a workbook takes (strace of FreeXL on real files: the file, the
 * character-set modules glibc's iconv loads, memory), all else refused with EPERM; writes
 * only to standard output and error; opening only for reading (no creating, no
 * truncating). false when the filter cannot be loaded. */
static bool confine(const char *file)
{
#ifdef XLS_SANITIZED
    (void)file;
    return true;
#else
    if (restrict_reads(file) < 0) {
        return false;
    }
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
    if (ctx == NULL) {
        return false;
    }
    static const int plain[] = {
        SCMP_SYS(read),   SCMP_SYS(pread64),    SCMP_SYS(readv),        SCMP_SYS(lseek),
        SCMP_SYS(fstat),  SCMP_SYS(newfstatat), SCMP_SYS(statx),        SCMP_SYS(close),
        SCMP_SYS(mmap),   SCMP_SYS(munmap),     SCMP_SYS(mremap),       SCMP_SYS(mprotect),
        SCMP_SYS(brk),    SCMP_SYS(madvise),    SCMP_SYS(futex),        SCMP_SYS(getrandom),
        SCMP_SYS(exit),   SCMP_SYS(exit_group), SCMP_SYS(rt_sigreturn), SCMP_SYS(rt_sigprocmask),
        SCMP_SYS(getpid), SCMP_SYS(gettid),     SCMP_SYS(tgkill),       SCMP_SYS(fcntl),
    };
    bool ok = true;
    for (size_t i = 0; ok && i < sizeof(plain) / sizeof(plain[0]); i++) {
        ok = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, plain[i], 0) == 0;
    }
    for (int fd = STDOUT_FILENO; ok && fd <= STDERR_FILENO; fd++) {
        ok = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 1,
                              SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)fd)) == 0 &&
             seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(writev), 1,
                              SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)fd)) == 0;
    }
    const scmp_datum_t no_write = O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND;
    ok = ok &&
         seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(openat), 1,
                          SCMP_A2(SCMP_CMP_MASKED_EQ, no_write, O_RDONLY)) == 0 &&
         seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(open), 1,
                          SCMP_A1(SCMP_CMP_MASKED_EQ, no_write, O_RDONLY)) == 0 &&
         seccomp_load(ctx) == 0;
    seccomp_release(ctx);
    return ok;
#endif
}

/* --check-confinement. */
static int check_confinement(void)
{
#ifdef XLS_SANITIZED
    fprintf(stderr, "vigia-xls: not confined in a sanitizer build\n");
    return 4;
#else
    if (!confine("/dev/null")) {
        return 3;
    }
    long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
    int other = open("/etc/passwd", O_RDONLY);
    bool read_refused = other < 0 && errno == EACCES;
    int fd = open("/dev/null", O_WRONLY);
    bool write_refused = fd < 0 && errno == EPERM;
    int sock = socket(AF_INET, SOCK_STREAM, 0);
    bool socket_refused = sock < 0 && errno == EPERM;
    pid_t pid = fork();
    if (pid == 0) {
        _exit(0);
    }
    bool fork_refused = pid < 0 && errno == EPERM;
    /* Without Landlock in the kernel reads stay open (the filter alone holds). */
    bool reads_ok = read_refused || abi < 1;
    fprintf(stderr, "vigia-xls: reading another file %s, open for writing %s, socket %s, fork %s\n",
            read_refused ? "refused"
            : abi < 1    ? "allowed (kernel without Landlock)"
                         : "ALLOWED",
            write_refused ? "refused" : "ALLOWED", socket_refused ? "refused" : "ALLOWED",
            fork_refused ? "refused" : "ALLOWED");
    return reads_ok && write_refused && socket_refused && fork_refused ? 0 : 1;
#endif
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--check-confinement") == 0) {
        return check_confinement();
    }
    if (argc != 3) {
        fprintf(stderr, "usage: vigia-xls FILE MAX_TEXT_BYTES\n");
        return 2;
    }
    char *end = NULL;
    unsigned long long max = strtoull(argv[2], &end, 10);
    if (end == argv[2] || *end != '\0' || max == 0) {
        fprintf(stderr, "vigia-xls: MAX_TEXT_BYTES must be a positive number\n");
        return 2;
    }
    if (!confine(argv[1])) {
        fprintf(stderr, "vigia-xls: cannot confine itself (Landlock rules, seccomp filter)\n");
        return 3;
    }
    struct ing_workbook x;
    struct vg_error why;
    vg_error_clear(&why);
    struct xls_answer a;
    memset(&a, 0, sizeof(a));
    memcpy(a.magic, XLS_ANSWER_MAGIC, sizeof(a.magic));
    a.status = (int32_t)read_workbook(argv[1], (size_t)max, &x, &why);
    snprintf(a.message, sizeof(a.message), "%s", why.message);
    if (a.status == VG_OK) {
        a.nsheets = x.nsheets;
        a.text_len = x.text.len;
    }
    bool ok = vg__ing_write_all(STDOUT_FILENO, &a, sizeof(a)) &&
              (a.status != VG_OK ||
               (vg__ing_write_all(STDOUT_FILENO, x.sheets, x.nsheets * sizeof(*x.sheets)) &&
                vg__ing_write_all(STDOUT_FILENO, x.text.data, x.text.len)));
    /* No exit handlers: nothing to flush, and FreeXL's leaks on damaged files are this
     * process's end, not a report of a sanitizer build. */
    _exit(ok ? 0 : 1);
}
