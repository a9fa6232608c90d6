/*
 * The single allocation funnel (vigia/alloc.h). All library allocations pass through
 * here so that tests can replace the allocator, count allocations and make the nth one
 * fail (the OOM torture of curl and SQLite).
 */
#include <vigia/alloc.h>

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void *libc_malloc(void *user, size_t size)
{
    (void)user;
    return malloc(size);
}

static void *libc_realloc(void *user, void *ptr, size_t size)
{
    (void)user;
    return realloc(ptr, size);
}

static void libc_free(void *user, void *ptr)
{
    (void)user;
    free(ptr);
}

static struct vg_allocator current = { libc_malloc, libc_realloc, libc_free, NULL };
static atomic_ulong fail_countdown;
static atomic_ulong alloc_count;

void vg_allocator_set(const struct vg_allocator *allocator)
{
    if (allocator == NULL) {
        current = (struct vg_allocator){ libc_malloc, libc_realloc, libc_free, NULL };
    } else {
        current = *allocator;
    }
}

void vg_alloc_fail_nth(unsigned long n)
{
    atomic_store(&fail_countdown, n);
}

unsigned long vg_alloc_count(void)
{
    return atomic_load(&alloc_count);
}

/* True when the test hook says this allocation must fail. */
static int injected_failure(void)
{
    atomic_fetch_add(&alloc_count, 1);
    unsigned long c = atomic_load(&fail_countdown);
    while (c > 0) {
        if (atomic_compare_exchange_weak(&fail_countdown, &c, c - 1)) {
            return c == 1;
        }
    }
    return 0;
}

void *vg_malloc(size_t size)
{
    if (injected_failure()) {
        return NULL;
    }
    return current.malloc_fn(current.user, size == 0 ? 1 : size);
}

void *vg_calloc(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size) {
        return NULL;
    }
    size_t total = count * size;
    void *p = vg_malloc(total);
    if (p != NULL) {
        memset(p, 0, total == 0 ? 1 : total);
    }
    return p;
}

void *vg_realloc(void *ptr, size_t size)
{
    if (injected_failure()) {
        return NULL;
    }
    return current.realloc_fn(current.user, ptr, size == 0 ? 1 : size);
}

void *vg_reallocarray(void *ptr, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size) {
        return NULL;
    }
    return vg_realloc(ptr, count * size);
}

void *vg_grow(void *arr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap && arr != NULL) {
        return arr;
    }
    size_t c = *cap == 0 ? 256 : *cap;
    while (c < need) {
        c = c > SIZE_MAX / 2 ? need : c * 2;
    }
    void *n = vg_reallocarray(arr, c, elem);
    if (n != NULL) {
        *cap = c;
    }
    return n;
}

void vg_free(void *ptr)
{
    if (ptr != NULL) {
        current.free_fn(current.user, ptr);
    }
}

char *vg_strndup(const char *s, size_t len)
{
    if (len == SIZE_MAX) {
        return NULL;
    }
    char *p = vg_malloc(len + 1);
    if (p == NULL) {
        return NULL;
    }
    if (len > 0) {
        memcpy(p, s, len);
    }
    p[len] = '\0';
    return p;
}

char *vg_strdup(const char *s)
{
    if (s == NULL) {
        return NULL;
    }
    return vg_strndup(s, strlen(s));
}
