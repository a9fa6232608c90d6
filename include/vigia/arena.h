/*
 * vigia/arena.h - bump allocator for objects that die together.
 *
 * An arena hands out memory from blocks obtained through vg_malloc and releases all of it
 * at once. Use one per parse of an interchange, per rule compilation, per request. The
 * arena has a hard cap (bytes in all blocks), so hostile input cannot grow it without
 * bound: an allocation past the cap returns NULL like an out-of-memory condition.
 *
 * struct vg_arena is caller storage: init it, use it, release it.
 */
#ifndef VIGIA_ARENA_H
#define VIGIA_ARENA_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vg_arena_block;

struct vg_arena {
    struct vg_arena_block *head; /* current block, newest first */
    size_t block_size;           /* size of ordinary blocks */
    size_t cap;                  /* maximum bytes over all blocks, 0 = unlimited */
    size_t used;                 /* bytes held in blocks */
};

/* Prepares an empty arena. block_size 0 picks 64 KiB; cap 0 means no cap. Allocates
 * nothing and cannot fail. */
void vg_arena_init(struct vg_arena *arena, size_t block_size, size_t cap);

/* Returns size bytes aligned for any type, or NULL on OOM or past the cap. The memory
 * lives until vg_arena_reset or vg_arena_release. */
void *vg_arena_alloc(struct vg_arena *arena, size_t size);

/* As vg_arena_alloc, zeroed. */
void *vg_arena_calloc(struct vg_arena *arena, size_t count, size_t size);

/* Copies len bytes and a NUL into the arena; NULL on failure. */
char *vg_arena_strndup(struct vg_arena *arena, const char *s, size_t len);

/* Forgets every allocation but keeps the first block for reuse. */
void vg_arena_reset(struct vg_arena *arena);

/* Frees every block; the arena is empty and may be used again. NULL-safe. */
void vg_arena_release(struct vg_arena *arena);

#ifdef __cplusplus
}
#endif
#endif
