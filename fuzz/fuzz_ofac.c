/*
 * Fuzz target: the OFAC SDN parser (vigia/screen.h). The input is split at the first two
 * form feeds (0x0C) into sdn.csv, alt.csv and add.csv parts (missing parts are absent
 * files). Checked: entries carry their strings and a type, rejects point inside their
 * file, the statistics add up, no crash or leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/screen.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enum vg_status on_entry(void *user, const struct vg_watch_entry *e)
{
    int64_t *n = user;
    if (e->name[0] == '\0' || e->external_id[0] == '\0' || e->type == VG_WATCH_ANY ||
        e->aliases == NULL || e->weak_aliases == NULL || e->identifiers == NULL) {
        abort();
    }
    (*n)++;
    return VG_OK;
}

static enum vg_status
on_reject(void *user, const struct vg_error *reason, const char *excerpt, size_t len)
{
    (void)user;
    (void)excerpt;
    if (reason->source[0] == '\0' || len > 512) {
        abort();
    }
    return VG_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    struct vg_watch_file files[3] = { { p, size, "sdn.csv" },
                                      { NULL, 0, "alt.csv" },
                                      { NULL, 0, "add.csv" } };
    for (int i = 0; i < 2; i++) {
        const char *ff = memchr(files[i].data, '\f', files[i].len);
        if (ff == NULL) {
            break;
        }
        files[i + 1].data = ff + 1;
        files[i + 1].len = (size_t)(files[i].data + files[i].len - (ff + 1));
        files[i].len = (size_t)(ff - files[i].data);
    }
    int64_t n = 0;
    struct vg_watch_sink sink = { on_entry, on_reject, NULL, &n };
    struct vg_ofac_stats stats;
    struct vg_error err;
    if (vg_watchlist_parse_ofac(&files[0], &files[1], &files[2], &sink, &stats, &err) == VG_OK) {
        if (stats.entries != n || stats.aliases < 0 || stats.orphan_aliases < 0) {
            abort();
        }
    }
    return 0;
}
