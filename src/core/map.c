/* Byte-string hash map with linear probing (vigia/map.h). */
#include <vigia/alloc.h>
#include <vigia/map.h>

#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

/* Keys up to MAP_INLINE bytes (container numbers, the ingest's id and RUC keys) live in
 * the slot itself, so that a lookup that finds its key touches one place in memory, not
 * the slot and then a key elsewhere (two cache misses on a large map); longer keys are
 * copied into the map's arena. */
#define MAP_INLINE 32

struct vg_map_slot {
    uint64_t value;
    uint32_t len1;   /* key length + 1; 0 = empty */
    uint32_t hash32;
    union {
        const char *ptr;            /* len > MAP_INLINE */
        char bytes[MAP_INLINE];     /* len <= MAP_INLINE */
    } key;
};

static const char *slot_key(const struct vg_map_slot *s)
{
    return s->len1 - 1 <= MAP_INLINE ? s->key.bytes : s->key.ptr;
}

uint64_t vg_hash_bytes(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

void vg_map_init(struct vg_map *map)
{
    map->slots = NULL;
    map->cap = 0;
    map->count = 0;
    vg_arena_init(&map->keys, 64 * 1024, 0);
}

void vg_map_release(struct vg_map *map)
{
    if (map == NULL) {
        return;
    }
    vg_free(map->slots);
    map->slots = NULL;
    map->cap = 0;
    map->count = 0;
    vg_arena_release(&map->keys);
}

void vg_map_clear(struct vg_map *map)
{
    if (map->count > 0) {
        memset(map->slots, 0, map->cap * sizeof(*map->slots));
        map->count = 0;
        vg_arena_reset(&map->keys);
    }
}

static struct vg_map_slot *find_slot(struct vg_map_slot *slots, size_t cap, const void *key,
                                     size_t len, uint64_t h)
{
    size_t mask = cap - 1;
    size_t i = (size_t)h & mask;
    uint32_t h32 = (uint32_t)(h >> 32);
    uint32_t len1 = (uint32_t)len + 1;
    for (;;) {
        struct vg_map_slot *s = &slots[i];
        if (s->len1 == 0 ||
            (s->hash32 == h32 && s->len1 == len1 &&
             (len == 0 || memcmp(slot_key(s), key, len) == 0))) {
            return s;
        }
        i = (i + 1) & mask;
    }
}

bool vg_map_get(const struct vg_map *map, const void *key, size_t len, uint64_t *value)
{
    if (map->cap == 0 || len >= UINT32_MAX) {
        return false;
    }
    struct vg_map_slot *s = find_slot(map->slots, map->cap, key, len, vg_hash_bytes(key, len));
    if (s->len1 == 0) {
        return false;
    }
    if (value != NULL) {
        *value = s->value;
    }
    return true;
}

void vg_map_prefetch(const struct vg_map *map, const void *key, size_t len)
{
    if (map->cap == 0) {
        return;
    }
#if defined(__GNUC__) || defined(__clang__)
    const struct vg_map_slot *s = &map->slots[(size_t)vg_hash_bytes(key, len) & (map->cap - 1)];
    __builtin_prefetch(s);
    __builtin_prefetch((const char *)s + sizeof(*s) - 1); /* a slot may span two lines */
#else
    (void)key;
    (void)len;
#endif
}

/* Slot arrays of many megabytes (the ingest's container and trip maps hold millions of
 * keys, each lookup a random access) ask for transparent huge pages where the kernel
 * grants them on request: one TLB entry per 2 MiB instead of per 4 KiB. A hint; nothing
 * depends on it being taken. */
static void huge_pages(void *p, size_t len)
{
#ifdef MADV_HUGEPAGE
    const uintptr_t huge = (uintptr_t)2 << 20;
    if (len >= 4 * huge) {
        uintptr_t start = ((uintptr_t)p + huge - 1) & ~(huge - 1);
        uintptr_t end = ((uintptr_t)p + len) & ~(huge - 1);
        (void)madvise((void *)start, end - start, MADV_HUGEPAGE);
    }
#else
    (void)p;
    (void)len;
#endif
}

static enum vg_status grow(struct vg_map *map)
{
    size_t ncap = map->cap == 0 ? 64 : map->cap * 2;
    struct vg_map_slot *ns = vg_reallocarray(NULL, ncap, sizeof(*ns));
    if (ns == NULL) {
        return VG_ENOMEM;
    }
    huge_pages(ns, ncap * sizeof(*ns)); /* before the first touch, which the zeroing is */
    memset(ns, 0, ncap * sizeof(*ns));
    for (size_t i = 0; i < map->cap; i++) {
        struct vg_map_slot *s = &map->slots[i];
        if (s->len1 != 0) {
            /* The hash is recomputed (the slot keeps 32 of its bits). */
            uint64_t h = vg_hash_bytes(slot_key(s), s->len1 - 1);
            *find_slot(ns, ncap, slot_key(s), s->len1 - 1, h) = *s;
        }
    }
    vg_free(map->slots);
    map->slots = ns;
    map->cap = ncap;
    return VG_OK;
}

static enum vg_status map_insert(struct vg_map *map, const void *key, size_t len,
                                 uint64_t value, bool overwrite, bool *existed,
                                 uint64_t *value_out)
{
    if (len >= UINT32_MAX) {
        return VG_ELIMIT;
    }
    if ((map->count + 1) * 4 > map->cap * 3) {
        enum vg_status st = grow(map);
        if (st != VG_OK) {
            return st;
        }
    }
    uint64_t h = vg_hash_bytes(key, len);
    struct vg_map_slot *s = find_slot(map->slots, map->cap, key, len, h);
    if (s->len1 != 0) {
        if (existed != NULL) {
            *existed = true;
        }
        if (value_out != NULL) {
            *value_out = s->value;
        }
        if (overwrite) {
            s->value = value;
        }
        return VG_OK;
    }
    if (len <= MAP_INLINE) {
        if (len > 0) {
            memcpy(s->key.bytes, key, len);
        }
    } else {
        char *copy = vg_arena_strndup(&map->keys, key, len);
        if (copy == NULL) {
            return VG_ENOMEM;
        }
        s->key.ptr = copy;
    }
    s->len1 = (uint32_t)len + 1;
    s->hash32 = (uint32_t)(h >> 32);
    s->value = value;
    map->count++;
    if (existed != NULL) {
        *existed = false;
    }
    if (value_out != NULL) {
        *value_out = value;
    }
    return VG_OK;
}

enum vg_status vg_map_put(struct vg_map *map, const void *key, size_t len, uint64_t value,
                          bool *existed, uint64_t *value_out)
{
    return map_insert(map, key, len, value, false, existed, value_out);
}

enum vg_status vg_map_set(struct vg_map *map, const void *key, size_t len, uint64_t value)
{
    return map_insert(map, key, len, value, true, NULL, NULL);
}
