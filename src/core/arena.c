/*
 * Bump allocator (vigia/arena.h). Blocks are chained newest first; an allocation larger
 * than the block size gets a block of its own. Alignment is that of max_align_t.
 */
#include <vigia/alloc.h>
#include <vigia/arena.h>

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct vg_arena_block {
    struct vg_arena_block *next;
    size_t size; /* usable bytes after the header */
    size_t used;
    alignas(max_align_t) unsigned char data[];
};

#define ARENA_ALIGN       (alignof(max_align_t))
#define ARENA_DEFAULT_BLK ((size_t)64 * 1024)

void vg_arena_init(struct vg_arena *arena, size_t block_size, size_t cap)
{
    arena->head = NULL;
    arena->block_size = block_size == 0 ? ARENA_DEFAULT_BLK : block_size;
    arena->cap = cap;
    arena->used = 0;
}

static struct vg_arena_block *arena_new_block(struct vg_arena *arena, size_t min_size)
{
    size_t size = min_size > arena->block_size ? min_size : arena->block_size;
    if (size > SIZE_MAX - sizeof(struct vg_arena_block)) {
        return NULL;
    }
    size_t total = sizeof(struct vg_arena_block) + size;
    if (arena->cap != 0 && (total > arena->cap || arena->used > arena->cap - total)) {
        return NULL;
    }
    struct vg_arena_block *b = vg_malloc(total);
    if (b == NULL) {
        return NULL;
    }
    b->size = size;
    b->used = 0;
    arena->used += total;
    return b;
}

void *vg_arena_alloc(struct vg_arena *arena, size_t size)
{
    if (size == 0) {
        size = 1;
    }
    if (size > SIZE_MAX - ARENA_ALIGN) {
        return NULL;
    }
    size_t rounded = (size + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
    struct vg_arena_block *b = arena->head;
    if (b != NULL && b->size - b->used >= rounded) {
        void *p = b->data + b->used;
        b->used += rounded;
        return p;
    }
    struct vg_arena_block *nb = arena_new_block(arena, rounded);
    if (nb == NULL) {
        return NULL;
    }
    nb->used = rounded;
    if (b != NULL && rounded > arena->block_size) {
        /* An oversized block goes behind the current one so that the current block's
         * free space stays usable for later small allocations. */
        nb->next = b->next;
        b->next = nb;
    } else {
        nb->next = b;
        arena->head = nb;
    }
    return nb->data;
}

void *vg_arena_calloc(struct vg_arena *arena, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size) {
        return NULL;
    }
    void *p = vg_arena_alloc(arena, count * size);
    if (p != NULL) {
        memset(p, 0, count * size);
    }
    return p;
}

char *vg_arena_strndup(struct vg_arena *arena, const char *s, size_t len)
{
    if (len == SIZE_MAX) {
        return NULL;
    }
    char *p = vg_arena_alloc(arena, len + 1);
    if (p == NULL) {
        return NULL;
    }
    if (len > 0) {
        memcpy(p, s, len);
    }
    p[len] = '\0';
    return p;
}

void vg_arena_reset(struct vg_arena *arena)
{
    struct vg_arena_block *b = arena->head;
    if (b == NULL) {
        return;
    }
    /* Keep the oldest ordinary-sized block, free the rest. */
    struct vg_arena_block *keep = NULL;
    while (b != NULL) {
        struct vg_arena_block *next = b->next;
        if (keep == NULL && b->size == arena->block_size && next == NULL) {
            keep = b;
        } else {
            arena->used -= sizeof(struct vg_arena_block) + b->size;
            vg_free(b);
        }
        b = next;
    }
    if (keep != NULL) {
        keep->used = 0;
        keep->next = NULL;
    }
    arena->head = keep;
}

void vg_arena_release(struct vg_arena *arena)
{
    if (arena == NULL) {
        return;
    }
    struct vg_arena_block *b = arena->head;
    while (b != NULL) {
        struct vg_arena_block *next = b->next;
        vg_free(b);
        b = next;
    }
    arena->head = NULL;
    arena->used = 0;
}
