/* Fuzz target: reading a stored feature record back as JSON (vg_risk_record_text). The
 * store has scored one trip, so it names the catalogue's features; the input is taken as
 * the stored value, packed or JSON. Invariants: never a crash; either VG_OK with the output
 * starting with '{' and ending with '}', or VG_EPARSE with the output left as it was. */
#include "fuzz_ingest.h"

#include <vigia/risk.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_ingest_setup();
    static struct vg_store *named;
    if (named != fuzz_store) {
        /* A new store: one trip (a bill and a gate-in) scored, so that feature_names holds
         * the catalogue (ids 1..N in catalogue order, as the seeds expect). */
        static const char trip[] =
            "{\"type\":\"manifest\",\"sender\":\"MSC-PE\",\"document_number\":\"CUS-1\","
            "\"function\":\"original\",\"prepared_at\":\"2024-06-03T12:00:00Z\","
            "\"voyage\":{\"vessel\":{\"name\":\"MSC ANNA\",\"imo\":\"9074729\"},"
            "\"voyage\":\"024W\",\"carrier\":\"MSC\",\"port\":\"PECLL\",\"etd\":"
            "\"2024-06-05T22:00:00Z\"},\"consignments\":[{\"bill_of_lading\":\"BL1\","
            "\"places\":{\"loading\":\"PECLL\",\"discharge\":\"NLRTM\"},\"parties\":["
            "{\"role\":\"shipper\",\"name\":\"Agro Norte S.A.C.\",\"country\":\"PE\"}],"
            "\"equipment\":[{\"container\":\"MSCU1000017\",\"size_type\":\"45R1\"}],"
            "\"goods\":[{\"hs_code\":\"080440\",\"description\":\"AVOCADOS\",\"packages\":"
            "1800,\"package_type\":\"BOXES\",\"gross_kg\":21600,\"containers\":"
            "[\"MSCU1000017\"]}]}]}\n"
            "{\"type\":\"event\",\"sender\":\"DPW\",\"container\":\"MSCU1000017\","
            "\"event\":\"gate_in\",\"time\":\"2024-06-03T03:00:00Z\",\"port\":\"PECLL\","
            "\"terminal\":\"DPW\",\"seals\":[\"SL100\"],\"seal_party\":\"SH\"}\n";
        fuzz_ingest_run("trip.json", trip, sizeof(trip) - 1, true);
        struct vg_risk_options o = { .as_of = 1735689600 };
        struct vg_risk_report r;
        struct vg_error e;
        if (vg_risk_score(fuzz_store, &o, &r, &e) != VG_OK || r.assessed != 1) {
            fprintf(stderr, "the trip was not scored\n");
            abort();
        }
        named = fuzz_store; /* after fuzz_ingest_run, which may renew the store */
    }
    struct vg_buf out;
    vg_buf_init(&out, 1u << 24);
    if (vg_buf_append(&out, "x", 1) != VG_OK) {
        abort();
    }
    struct vg_error e;
    enum vg_status st = vg_risk_record_text(fuzz_store, data, size, &out, &e);
    if (st == VG_OK && size > 0 &&
        (out.len < 3 || out.data[1] != '{' || out.data[out.len - 1] != '}') && data[0] != '{') {
        fprintf(stderr, "not a JSON object: %.*s\n", (int)out.len, out.data);
        abort();
    }
    if (st == VG_EPARSE && out.len != 1) {
        fprintf(stderr, "out changed on VG_EPARSE\n");
        abort();
    }
    if (st != VG_OK && st != VG_EPARSE && st != VG_ENOMEM && st != VG_ELIMIT) {
        fprintf(stderr, "unexpected: %s\n", e.message);
        abort();
    }
    vg_buf_release(&out);
    return 0;
}
