/*
 * Fuzz target: the vigia watch-list CSV parser (vigia/screen.h) over arbitrary bytes, and
 * the screening index built from whatever entries it hands over. Checked: every entry has
 * its strings, every reject has a position inside the input, no crash or leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/screen.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct ctx {
    struct vg_screen_index *idx;
    size_t size;
};

static enum vg_status on_entry(void *user, const struct vg_watch_entry *e)
{
    struct ctx *c = user;
    if (e->name == NULL || e->name[0] == '\0' || e->external_id == NULL || e->countries == NULL ||
        e->identifiers == NULL || e->aliases == NULL || e->note == NULL || e->source == NULL ||
        e->type == VG_WATCH_ANY) {
        abort();
    }
    uint8_t digest[32];
    vg_watch_entry_digest(e, digest);
    return vg_screen_index_add(c->idx, "fuzz", 0, e) == VG_ENOMEM ? VG_ENOMEM : VG_OK;
}

static enum vg_status
on_reject(void *user, const struct vg_error *reason, const char *excerpt, size_t len)
{
    struct ctx *c = user;
    if (reason->offset > c->size || (excerpt == NULL && len != 0) || len > 512) {
        abort();
    }
    return VG_OK;
}

static enum vg_status
on_flag(void *user, const struct vg_error *reason, const char *field, const char *value)
{
    (void)user;
    if (reason->message[0] == '\0' || field == NULL || value == NULL) {
        abort();
    }
    return VG_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ctx c = { NULL, size };
    if (vg_screen_index_new(&c.idx) != VG_OK) {
        return 0;
    }
    struct vg_watch_sink sink = { on_entry, on_reject, on_flag, &c };
    struct vg_error err;
    enum vg_status st = vg_watchlist_parse_csv((const char *)data, size, "fuzz.csv", &sink, &err);
    if (st != VG_OK && st != VG_EFORMAT && st != VG_ENOMEM) {
        abort();
    }
    if (vg_screen_index_finish(c.idx) == VG_OK) {
        struct vg_screener *s = NULL;
        if (vg_screener_new(c.idx, &s) == VG_OK) {
            struct vg_screen_query q = { .name = "INVERSIONES AGRO NORTE SAC", .country = "PE" };
            const struct vg_screen_hit *hits;
            size_t n;
            if (vg_screen(s, &q, NULL, &hits, &n, NULL) == VG_OK && n > VG_SCREEN_LIMIT) {
                abort();
            }
            vg_screener_free(s);
        }
    }
    vg_screen_index_free(c.idx);
    return 0;
}
