/*
 * Output files of the demo world: the directory layout, large stdio buffers (the output
 * is written once, sequentially), byte counts for the report, and the removal of an
 * earlier run's files when asked to overwrite. Only the files vigia sim writes are ever
 * removed; anything else in the directory is left alone and reported.
 */
#include "sim/sim_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vigia/alloc.h>

#define IOBUF_SIZE (1u << 20)

static const char *const subdirs[] = { "feeds/cuscar", "feeds/codeco", "feeds/coarri", "feeds/coprar",
                                       "feeds/baplie", "feeds/ais", "feeds" };
static const char *const top_files[] = { "outcomes.csv", "watchlist.csv", "truth.json" };

static enum vg_status mkdir_p(const char *path, struct vg_error *err)
{
    char buf[600];
    size_t len = strlen(path);
    if (len == 0 || len >= sizeof(buf)) {
        return vg_error_set(err, VG_EINVAL, "output directory name too long or empty");
    }
    memcpy(buf, path, len + 1);
    for (size_t i = 1; i <= len; i++) {
        if (buf[i] == '/' || buf[i] == '\0') {
            char c = buf[i];
            buf[i] = '\0';
            if (mkdir(buf, 0755) != 0 && errno != EEXIST) {
                return vg_error_set(err, VG_EIO, "cannot create directory '%s': %s", buf,
                                    strerror(errno));
            }
            buf[i] = c;
        }
    }
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        return vg_error_set(err, VG_EIO, "'%s' is not a directory", path);
    }
    return VG_OK;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Removes our files from dir/sub (those ending with suffix); counts what else is there. */
static enum vg_status clean_dir(const char *dir, const char *sub, const char *suffix,
                                int *others, struct vg_error *err)
{
    char path[600];
    snprintf(path, sizeof(path), "%s/%s", dir, sub);
    DIR *d = opendir(path);
    if (d == NULL) {
        return VG_OK;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
            continue;
        }
        char f[900];
        snprintf(f, sizeof(f), "%s/%s", path, e->d_name);
        struct stat sb;
        if (stat(f, &sb) == 0 && S_ISREG(sb.st_mode) && suffix != NULL && ends_with(f, suffix)) {
            if (unlink(f) != 0) {
                closedir(d);
                return vg_error_set(err, VG_EIO, "cannot remove '%s': %s", f, strerror(errno));
            }
        } else if (!(S_ISDIR(sb.st_mode) && suffix == NULL)) {
            (*others)++;
        }
    }
    closedir(d);
    return VG_OK;
}

static int count_entries(const char *path)
{
    DIR *d = opendir(path);
    if (d == NULL) {
        return 0;
    }
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    }
    closedir(d);
    return n;
}

enum vg_status vg__sim_out_prepare(struct sim_out *o, const char *dir, bool overwrite,
                                   struct vg_error *err)
{
    memset(o, 0, sizeof(*o));
    if (strlen(dir) >= sizeof(o->dir)) {
        return vg_error_set(err, VG_EINVAL, "output directory name too long");
    }
    memcpy(o->dir, dir, strlen(dir) + 1);
    enum vg_status st = mkdir_p(dir, err);
    if (st != VG_OK) {
        return st;
    }
    if (count_entries(dir) > 0) {
        if (!overwrite) {
            return vg_error_set(err, VG_ECONFLICT,
                                "output directory '%s' is not empty (use --force to replace an "
                                "earlier sim output)", dir);
        }
        int others = 0;
        static const char *const suffix[] = { ".edi", ".edi", ".edi", ".edi", ".edi", ".nmea", NULL };
        _Static_assert(sizeof(suffix) == sizeof(subdirs), "a suffix for every subdirectory");
        for (size_t i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]) && st == VG_OK; i++) {
            st = clean_dir(dir, subdirs[i], suffix[i], &others, err);
        }
        for (size_t i = 0; i < sizeof(top_files) / sizeof(top_files[0]); i++) {
            char f[600];
            snprintf(f, sizeof(f), "%s/%s", dir, top_files[i]);
            if (unlink(f) != 0 && errno != ENOENT) {
                return vg_error_set(err, VG_EIO, "cannot remove '%s': %s", f, strerror(errno));
            }
        }
        if (st != VG_OK) {
            return st;
        }
        /* Whatever is left besides our (now empty) directories is not ours. */
        DIR *d = opendir(dir);
        if (d != NULL) {
            struct dirent *e;
            while ((e = readdir(d)) != NULL) {
                if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
                    strcmp(e->d_name, "feeds") != 0) {
                    others++;
                }
            }
            closedir(d);
        }
        if (others > 0) {
            return vg_error_set(err, VG_ECONFLICT,
                                "output directory '%s' holds files vigia sim did not write", dir);
        }
    }
    for (size_t i = 0; i < sizeof(subdirs) / sizeof(subdirs[0]); i++) {
        char path[600];
        snprintf(path, sizeof(path), "%s/%s", dir, subdirs[i]);
        st = mkdir_p(path, err);
        if (st != VG_OK) {
            return st;
        }
    }
    return VG_OK;
}

enum vg_status vg__sim_file_open(struct sim_out *o, struct sim_file *f, const char *rel,
                                 struct vg_error *err)
{
    memset(f, 0, sizeof(*f));
    snprintf(f->rel, sizeof(f->rel), "%s", rel);
    snprintf(f->path, sizeof(f->path), "%s/%s", o->dir, rel);
    f->fp = fopen(f->path, "wb");
    if (f->fp == NULL) {
        return vg_error_set(err, VG_EIO, "cannot create '%s': %s", f->path, strerror(errno));
    }
    f->iobuf = vg_malloc(IOBUF_SIZE);
    if (f->iobuf != NULL) {
        setvbuf(f->fp, f->iobuf, _IOFBF, IOBUF_SIZE);
    }
    return VG_OK;
}

enum vg_status vg__sim_file_write(struct sim_file *f, const void *data, size_t len,
                                  struct vg_error *err)
{
    if (len > 0 && fwrite(data, 1, len, f->fp) != len) {
        return vg_error_set(err, VG_EIO, "cannot write '%s': %s", f->path, strerror(errno));
    }
    f->bytes += len;
    return VG_OK;
}

static enum vg_status finish(struct sim_out *o, struct sim_file *f, uint64_t keep,
                             struct vg_error *err)
{
    enum vg_status st = VG_OK;
    if (f->fp == NULL) {
        return VG_OK;
    }
    if (fflush(f->fp) != 0) {
        st = vg_error_set(err, VG_EIO, "cannot write '%s': %s", f->path, strerror(errno));
    }
    if (st == VG_OK && keep < f->bytes) {
        if (ftruncate(fileno(f->fp), (off_t)keep) != 0) {
            st = vg_error_set(err, VG_EIO, "cannot cut '%s': %s", f->path, strerror(errno));
        }
        f->bytes = keep;
    }
    if (fclose(f->fp) != 0 && st == VG_OK) {
        st = vg_error_set(err, VG_EIO, "cannot close '%s': %s", f->path, strerror(errno));
    }
    f->fp = NULL;
    vg_free(f->iobuf);
    f->iobuf = NULL;
    o->files++;
    o->bytes += f->bytes;
    return st;
}

enum vg_status vg__sim_file_close(struct sim_out *o, struct sim_file *f, struct vg_error *err)
{
    return finish(o, f, UINT64_MAX, err);
}

enum vg_status vg__sim_file_close_truncated(struct sim_out *o, struct sim_file *f,
                                            uint64_t keep, struct vg_error *err)
{
    return finish(o, f, keep, err);
}
