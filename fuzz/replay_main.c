/*
 * Stand-alone driver for the fuzz harnesses: feeds every file named on the command line
 * (directories are walked one level deep) to LLVMFuzzerTestOneInput once. Linked with
 * each harness instead of libFuzzer, so that gcc builds and the sanitizer CI pass replay
 * the corpora as regression tests. Missing paths are ignored (a corpus may be empty).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return 1;
    }
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    if (buf == NULL) {
        fclose(f);
        return 1;
    }
    size_t n;
    while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            uint8_t *nb = realloc(buf, cap * 2);
            if (nb == NULL) {
                free(buf);
                fclose(f);
                return 1;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    /* Copy to an exact-size buffer so that ASan sees reads past the end. */
    uint8_t *exact = malloc(len == 0 ? 1 : len);
    if (exact == NULL) {
        free(buf);
        return 1;
    }
    memcpy(exact, buf, len);
    free(buf);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    return 0;
}

int main(int argc, char **argv)
{
    unsigned files = 0;
    int errors = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) != 0) {
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            DIR *d = opendir(argv[i]);
            if (d == NULL) {
                continue;
            }
            struct dirent *e;
            while ((e = readdir(d)) != NULL) {
                if (e->d_name[0] == '.') {
                    continue;
                }
                char path[4096];
                snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
                struct stat cst;
                if (stat(path, &cst) == 0 && S_ISREG(cst.st_mode)) {
                    errors += run_file(path);
                    files++;
                }
            }
            closedir(d);
        } else {
            errors += run_file(argv[i]);
            files++;
        }
    }
    printf("replay: %u inputs\n", files);
    return errors != 0;
}
