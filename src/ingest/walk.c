/*
 * The paths of a run: files handed over as they are met, folders walked in name order, and
 * what the file system says of each file (its status: how a file read whole before is
 * known without opening it).
 */
#include "ingest/session_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <vigia/alloc.h>

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A file changed this lately (ns) may change again within the same tick of the file
 * system's clock and keep its times (Linux stamps files with a clock of a few milliseconds'
 * ticks; some file systems keep whole seconds): its status is not trusted, as git does with
 * its racily clean entries. The file is read by its content, and a later run records it. */
#define FILE_STATUS_SETTLE_NS        100000000LL
#define FILE_STATUS_SETTLE_COARSE_NS 2000000000LL

/* What stat(2) said of a regular file (sb) into *fs (fs->path set by the caller), at now_ns
 * (the wall clock the file system stamps files with): valid unless it changed too lately to
 * be trusted. */
static void file_status(const struct stat *sb, int64_t now_ns, struct vg__file_stat *fs)
{
    fs->device = (int64_t)sb->st_dev;
    fs->inode = (int64_t)sb->st_ino;
    fs->size = (int64_t)sb->st_size;
    fs->mtime_ns = (int64_t)sb->st_mtim.tv_sec * 1000000000 + sb->st_mtim.tv_nsec;
    fs->ctime_ns = (int64_t)sb->st_ctim.tv_sec * 1000000000 + sb->st_ctim.tv_nsec;
    int64_t changed = fs->mtime_ns > fs->ctime_ns ? fs->mtime_ns : fs->ctime_ns;
    bool coarse = sb->st_mtim.tv_nsec == 0 && sb->st_ctim.tv_nsec == 0;
    fs->valid = now_ns - changed >= (coarse ? FILE_STATUS_SETTLE_COARSE_NS : FILE_STATUS_SETTLE_NS);
}

/* Whether a folder's entry is left out of the walk: hidden (. and .. too; rsync and scp
 * write into hidden temporary names), or named as a file still being transferred
 * (WinSCP's .filepart, browsers' .part, .partial and .crdownload): drop folders receive
 * files by SFTP, and a file read half-written would be refused in part or taken cut off.
 * Each is read once renamed to its final name. A path the run names itself is read. */
static bool in_transfer(const char *name)
{
    static const char *const suffixes[] = { ".filepart", ".part", ".partial", ".crdownload" };
    if (name[0] == '.') {
        return true;
    }
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        size_t k = strlen(suffixes[i]);
        if (n > k && strcasecmp(name + n - k, suffixes[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* Whether a file (its status fs, at now_ns) was written within the last min_age seconds
 * (0: never). Its modification time says: renaming it (a transfer ending under its final
 * name) or touching its mode does not count. */
static bool still_written(const struct vg__file_stat *fs, int64_t now_ns, int min_age)
{
    return min_age > 0 && now_ns - fs->mtime_ns < (int64_t)min_age * 1000000000;
}

/* vg__ing_walk, path at depth folders below the run's path. */
static enum vg_status walk(struct ing_session *s,
                           const char *path,
                           int depth,
                           ing_file_fn fn,
                           void *ctx,
                           struct vg_error *err)
{
    struct stat sb;
    if (strcmp(path, "-") != 0 && stat(path, &sb) != 0) {
        vg_error_at(err, path, 0, 0, 0, 0);
        return vg_error_set(err, errno == ENOENT ? VG_ENOTFOUND : VG_EIO, "cannot read: %s",
                            strerror(errno));
    }
    if (strcmp(path, "-") == 0 || !S_ISDIR(sb.st_mode)) {
        struct vg__file_stat fs = { false, 0, 0, 0, 0, 0, path };
        if (strcmp(path, "-") != 0 && S_ISREG(sb.st_mode)) {
            struct timespec now;
            clock_gettime(CLOCK_REALTIME, &now);
            int64_t now_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
            file_status(&sb, now_ns, &fs);
            if (depth > 0 && still_written(&fs, now_ns, s->opts.min_age_seconds)) {
                s->report->files_deferred++;
                return VG_OK;
            }
        }
        return fn(s, ctx, path, &fs, err);
    }
    if (depth > 32) {
        return VG_OK;
    }
    DIR *d = opendir(path);
    if (d == NULL) {
        vg_error_at(err, path, 0, 0, 0, 0);
        return vg_error_set(err, VG_EIO, "cannot read folder: %s", strerror(errno));
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    enum vg_status st = VG_OK;
    while ((e = readdir(d)) != NULL) {
        if (in_transfer(e->d_name)) {
            continue; /* read once renamed */
        }
        if (n == cap) {
            cap = cap == 0 ? 64 : cap * 2;
            char **nn = vg_reallocarray(names, cap, sizeof(char *));
            if (nn == NULL) {
                st = VG_ENOMEM;
                break;
            }
            names = nn;
        }
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        names[n] = vg_malloc(len);
        if (names[n] == NULL) {
            st = VG_ENOMEM;
            break;
        }
        snprintf(names[n], len, "%s/%s", path, e->d_name);
        n++;
    }
    closedir(d);
    if (st == VG_OK) {
        if (n > 1) { /* an empty folder has no array at all */
            qsort(names, n, sizeof(char *), name_cmp);
        }
        for (size_t i = 0; i < n && st == VG_OK; i++) {
            st = walk(s, names[i], depth + 1, fn, ctx, err);
        }
    } else {
        vg_error_set(err, st, "out of memory listing '%s'", path);
    }
    for (size_t i = 0; i < n; i++) {
        vg_free(names[i]);
    }
    vg_free(names);
    return st;
}

enum vg_status vg__ing_walk(
    struct ing_session *s, const char *path, ing_file_fn fn, void *ctx, struct vg_error *err)
{
    return walk(s, path, 0, fn, ctx, err);
}
