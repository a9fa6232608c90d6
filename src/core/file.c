/* Read-only file mapping (vigia/file.h). */
#include <vigia/alloc.h>
#include <vigia/file.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static enum vg_status read_fd(int fd, const char *label, struct vg_file *out, struct vg_error *err)
{
    size_t cap = 1 << 16, len = 0;
    char *buf = vg_malloc(cap);
    if (buf == NULL) {
        return vg_error_set(err, VG_ENOMEM, "out of memory reading %s", label);
    }
    for (;;) {
        if (len == cap) {
            char *n = vg_realloc(buf, cap * 2);
            if (n == NULL) {
                vg_free(buf);
                return vg_error_set(err, VG_ENOMEM, "out of memory reading %s", label);
            }
            buf = n;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + len, cap - len);
        if (r < 0) {
            if (errno == EINTR) {
                continue;
            }
            vg_free(buf);
            return vg_error_set(err, VG_EIO, "cannot read %s: %s", label, strerror(errno));
        }
        if (r == 0) {
            break;
        }
        len += (size_t)r;
    }
    out->data = buf;
    out->len = len;
    out->mapped = VG_FILE_HEAP;
    return VG_OK;
}

enum vg_status vg_file_open(const char *path, struct vg_file *out, struct vg_error *err)
{
    memset(out, 0, sizeof(*out));
    vg_error_at(err, path, 0, 0, 0, 0);
    if (strcmp(path, "-") == 0) {
        return read_fd(STDIN_FILENO, "standard input", out, err);
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return vg_error_set(err, errno == ENOENT ? VG_ENOTFOUND : VG_EIO, "cannot open: %s",
                            strerror(errno));
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return vg_error_set(err, VG_EIO, "cannot stat: %s", strerror(e));
    }
    if (!S_ISREG(st.st_mode)) {
        enum vg_status s = read_fd(fd, path, out, err);
        close(fd);
        return s;
    }
    if (st.st_size == 0) {
        close(fd);
        out->data = "";
        out->len = 0;
        out->mapped = VG_FILE_STATIC;
        return VG_OK;
    }
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    int e = errno;
    close(fd);
    if (p == MAP_FAILED) {
        return vg_error_set(err, VG_EIO, "cannot map: %s", strerror(e));
    }
    madvise(p, (size_t)st.st_size, MADV_SEQUENTIAL);
    out->data = p;
    out->len = (size_t)st.st_size;
    out->mapped = VG_FILE_MMAP;
    return VG_OK;
}

void vg_file_close(struct vg_file *file)
{
    if (file == NULL) {
        return;
    }
    if (file->mapped == VG_FILE_MMAP) {
        munmap((void *)(uintptr_t)file->data, file->len);
    } else if (file->mapped == VG_FILE_HEAP) {
        vg_free((void *)(uintptr_t)file->data);
    }
    memset(file, 0, sizeof(*file));
}
