/*
 * Fuzz target: the outcomes CSV parser (vigia/outcome.h) over arbitrary bytes. Checked:
 * every outcome has a normalised container, a UN/LOCODE port, a known result and found_at,
 * kg absent or non-negative (and none with a negative result), strings no longer than the
 * limit; every reject has a position inside the input; no crash or leak.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/outcome.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_text(const char *s)
{
    if (s != NULL && (s[0] == '\0' || strlen(s) > VG_OUTCOME_TEXT_MAX)) {
        abort();
    }
}

static enum vg_status on_outcome(void *user, const struct vg_outcome *o)
{
    size_t size = *(const size_t *)user;
    if (o->container[0] == '\0' || strlen(o->port) != 5 || o->result > VG_RESULT_OTHER ||
        o->found_at > VG_FOUND_DESTINATION || o->offset > size ||
        (!isnan(o->kg) && (o->kg < 0 || (o->result == VG_RESULT_NEGATIVE && o->kg > 0))) ||
        (o->destination_port[0] != '\0' && strlen(o->destination_port) != 5)) {
        abort();
    }
    check_text(o->bill_of_lading);
    check_text(o->substance);
    check_text(o->concealment);
    check_text(o->method);
    check_text(o->detection);
    check_text(o->seal_state);
    check_text(o->selection);
    return VG_OK;
}

static enum vg_status
on_reject(void *user, const struct vg_error *reason, const char *excerpt, size_t len)
{
    size_t size = *(const size_t *)user;
    if (reason->offset > size || reason->line == 0 || reason->message[0] == '\0' ||
        (excerpt == NULL && len != 0) || len > 512) {
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
    struct vg_outcome_sink sink = { on_outcome, on_reject, on_flag, &size };
    struct vg_error err;
    enum vg_status st = vg_outcomes_parse_csv((const char *)data, size, "fuzz.csv", &sink, &err);
    if (st != VG_OK && st != VG_EFORMAT && st != VG_ENOMEM) {
        abort();
    }
    return 0;
}
