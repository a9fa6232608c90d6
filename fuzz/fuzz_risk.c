/* Fuzz target: risk features and scoring over whatever the ingest path stores from
 * arbitrary bytes (manifests, events, EDIFACT). Every input is ingested into the shared
 * in-memory store, then every trip is assessed (a dry run on odd sizes, a written run on
 * even ones). Invariants: scoring never fails on stored data (only memory may run out), a
 * second run right after a written one adds nothing. */
#include "fuzz_ingest.h"

#include <vigia/risk.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_ingest_run("fuzz.input", (const char *)data, size, true);
    struct vg_risk_options o = { .as_of = 1735689600 /* 2025-01-01 */, .dry_run = size % 2 == 1 };
    struct vg_risk_report r;
    struct vg_error e;
    enum vg_status st = vg_risk_score(fuzz_store, &o, &r, &e);
    if (st != VG_OK && st != VG_ENOMEM) {
        fprintf(stderr, "score failed: %s\n", e.message);
        abort();
    }
    if (st == VG_OK && !o.dry_run) {
        st = vg_risk_score(fuzz_store, &o, &r, &e);
        if (st == VG_OK && r.assessed + r.rescored != 0) {
            fprintf(stderr, "a second run wrote %lld versions\n",
                    (long long)(r.assessed + r.rescored));
            abort();
        }
    }
    return 0;
}
