/*
 * vigia/map.h - a hash map from byte strings to 64-bit values.
 *
 * Open addressing with linear probing; keys are copied into the map's arena, so callers
 * may pass transient slices. Used for de-duplication and resolution caches on hot paths
 * (codes seen in an import, parties by key, containers by number).
 */
#ifndef VIGIA_MAP_H
#define VIGIA_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vigia/arena.h>
#include <vigia/status.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vg_map_slot;

struct vg_map {
    struct vg_map_slot *slots;
    size_t cap;   /* power of two, 0 before the first insert */
    size_t count;
    struct vg_arena keys;
};

/* Prepares an empty map. Cannot fail. */
void vg_map_init(struct vg_map *map);

/* Frees everything; the map is empty and reusable. NULL-safe. */
void vg_map_release(struct vg_map *map);

/* Empties the map and keeps its slot array for reuse (a map refilled many times over, such
 * as one per document, allocates once). Cannot fail. */
void vg_map_clear(struct vg_map *map);

/* Looks key up: true and *value set when present. */
bool vg_map_get(const struct vg_map *map, const void *key, size_t len, uint64_t *value);

/* Asks the processor to fetch the slot where key's lookup begins, so that a lookup of it a
 * little later (the next record's) finds it in cache instead of waiting for memory. A hint:
 * changes nothing in the map; costs a hash. */
void vg_map_prefetch(const struct vg_map *map, const void *key, size_t len);

/*
 * Inserts key with value unless present. *existed (may be NULL) tells which; when the key
 * existed its value is left unchanged and *value_out (may be NULL) gets it. VG_ENOMEM
 * leaves the map unchanged.
 */
VG_NODISCARD enum vg_status vg_map_put(struct vg_map *map, const void *key, size_t len,
                                       uint64_t value, bool *existed, uint64_t *value_out);

/* Sets key to value, inserting or overwriting. */
VG_NODISCARD enum vg_status vg_map_set(struct vg_map *map, const void *key, size_t len,
                                       uint64_t value);

/* 64-bit hash of bytes (FNV-1a mixed), exposed for callers that shard. */
uint64_t vg_hash_bytes(const void *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif
