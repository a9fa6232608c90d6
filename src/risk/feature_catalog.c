/*
 * vigia's feature catalogue (vigia/features.h): the table behind vg_feature_catalog,
 * expanded from VG_FEATURE_CATALOG so that the enum, the names and the descriptions can
 * never disagree. What each feature means and how it is computed: docs/features.md.
 */
#include <vigia/features.h>

#include <string.h>

static const struct vg_feature_def catalog_defs[] = {
#define VG_FEATURE_DEF(id, fname, ftype, funit, ffeeds, fdesc)                                 \
    [VG_F_##id] = { .name = fname,                                                             \
                    .type = VG_FEATURE_##ftype,                                                \
                    .unit = funit,                                                             \
                    .feeds = ffeeds,                                                           \
                    .description = fdesc },
    VG_FEATURE_CATALOG(VG_FEATURE_DEF)
#undef VG_FEATURE_DEF
};

_Static_assert(sizeof(catalog_defs) / sizeof(catalog_defs[0]) == VG_F_COUNT,
               "the catalogue table and enum vg_feature_id disagree");

static const struct vg_feature_schema catalog = { catalog_defs, VG_F_COUNT };

const struct vg_feature_schema *vg_feature_catalog(void)
{
    return &catalog;
}

bool vg_feature_find(const struct vg_feature_schema *schema, struct vg_slice name,
                     size_t *index)
{
    /* A linear scan: schemas hold about a hundred names and lookups happen at compile
     * time only, never per record. */
    for (size_t i = 0; i < schema->count; i++) {
        const char *n = schema->defs[i].name;
        if (strlen(n) == name.len && memcmp(n, name.ptr, name.len) == 0) {
            *index = i;
            return true;
        }
    }
    return false;
}

static const char *const feed_names[VG_FEED_COUNT] = {
    "manifest", "declaration", "booking", "gate",     "terminal", "stowage", "status",
    "ais",      "watchlist",   "outcomes", "registry", "release",  "audit",
};

const char *vg_feed_name(unsigned feed)
{
    for (unsigned i = 0; i < VG_FEED_COUNT; i++) {
        if (feed == 1u << i) {
            return feed_names[i];
        }
    }
    return "unknown";
}
