/*
 * vigia/alloc.h - the library's single allocation path.
 *
 * Every allocation libvigia makes goes through vg_malloc / vg_calloc / vg_realloc /
 * vg_free, which call the installed allocator (the C library's by default). On failure
 * they return NULL and the caller returns VG_ENOMEM; the library never aborts on OOM.
 *
 * The allocator is process-wide, in the manner of uv_replace_allocator() and
 * sqlite3_config(SQLITE_CONFIG_MALLOC): install it before any other vigia call and do not
 * change it while objects allocated by the previous one are alive. Third-party libraries
 * (SQLite, jansson) keep their own allocators.
 */
#ifndef VIGIA_ALLOC_H
#define VIGIA_ALLOC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vg_allocator {
    void *(*malloc_fn)(void *user, size_t size);
    void *(*realloc_fn)(void *user, void *ptr, size_t size);
    void (*free_fn)(void *user, void *ptr);
    void *user;
};

/* Installs allocator (copied), or restores the C library's when allocator is NULL. */
void vg_allocator_set(const struct vg_allocator *allocator);

/* Allocates size bytes (size 0 allocates 1 byte). Returns NULL on failure. The memory
 * belongs to the caller, who releases it with vg_free. */
void *vg_malloc(size_t size);

/* Allocates count * size zeroed bytes; NULL on failure or when the product overflows. */
void *vg_calloc(size_t count, size_t size);

/* Resizes ptr (NULL allocates). On failure returns NULL and ptr is left untouched and
 * still owned by the caller. */
void *vg_realloc(void *ptr, size_t size);

/* Resizes ptr to count * size bytes, checking the product for overflow. */
void *vg_reallocarray(void *ptr, size_t count, size_t size);

/*
 * Makes arr (elements of elem bytes, *cap of them allocated) hold at least need: returns
 * arr itself when it does, else the grown (or, for NULL, first) array with *cap updated
 * (capacities double from 256), or NULL on out-of-memory or overflow with arr untouched
 * and still the caller's.
 */
void *vg_grow(void *arr, size_t *cap, size_t need, size_t elem);

/* Releases memory from the functions above. NULL is a no-op. */
void vg_free(void *ptr);

/* Copies len bytes of s into a new NUL-terminated string; NULL on failure. */
char *vg_strndup(const char *s, size_t len);

/* Copies a NUL-terminated string; NULL when s is NULL or on failure. */
char *vg_strdup(const char *s);

/*
 * Test hook: makes the nth allocation from now fail (1 = the next one), and every
 * allocation after it succeed again. n = 0 disables the hook. Used by the OOM tests, which
 * run an operation with n = 1, 2, ... until it succeeds, checking each time that it fails
 * cleanly with VG_ENOMEM and leaks nothing.
 */
void vg_alloc_fail_nth(unsigned long n);

/* Number of allocations made through the funnel since the process started (for tests). */
unsigned long vg_alloc_count(void);

#ifdef __cplusplus
}
#endif
#endif
