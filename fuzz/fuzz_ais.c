/*
 * libFuzzer harness for the AIS reader (lines, TAG blocks, wrappers, reassembly), the
 * sentence parser, the payload decoder and the JSON/CSV writers, through the public API.
 *
 * Invariants checked: no crash or sanitizer report; every JSON object the writer produces
 * parses (jansson) and ends with a line end; every CSV record has the header's number of
 * columns outside quotes; the reader terminates and its counts add up.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include <vigia/ais.h>
#include <vigia/time.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t csv_columns(const char *s, size_t n)
{
    size_t cols = 1;
    int quoted = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') {
            quoted = !quoted;
        } else if (s[i] == ',' && !quoted) {
            cols++;
        }
    }
    return cols;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;

    /* One sentence at the start, and the input as a bare payload. */
    struct vg_ais_sentence snt;
    size_t used = 0;
    struct vg_error err;
    vg_ais_sentence_parse(text, size, &snt, &used, &err);
    if (used > size) {
        abort();
    }
    struct vg_ais_msg msg;
    if (size > 0) {
        vg_ais_decode(text + 1, size - 1, data[0] % 8u, &msg, &err);
    }

    /* The whole input as a recording, with a tiny reassembly table. */
    struct vg_ais_reader_options opts = { .max_pending = 3, .max_age = 12 };
    struct vg_ais_reader *r = NULL;
    if (vg_ais_reader_new(&opts, &r) != VG_OK) {
        return 0;
    }
    struct vg_ais_json w;
    vg_ais_json_init(&w, "fuzz");
    size_t header_cols = csv_columns(vg_ais_csv_header(), strlen(vg_ais_csv_header()));
    static char buf[VG_AIS_TEXT_MAX];
    uint64_t events = 0;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 0) {
            vg_ais_reader_input(r, "fuzz", text, size);
        } else {
            vg_ais_reader_finish(r);
        }
        for (;;) {
            enum vg_status st = vg_ais_reader_next(r, &msg, &err);
            if (st == VG_ENOTFOUND) {
                break;
            }
            events++;
            if (st != VG_OK) {
                continue;
            }
            size_t n = 0;
            if (vg_ais_json_write(&w, &msg, buf, sizeof(buf), &n) != VG_OK || n == 0 ||
                buf[n - 1] != '\n') {
                abort();
            }
            json_error_t je;
            json_t *o = json_loadb(buf, n, 0, &je);
            if (o == NULL) {
                abort();
            }
            json_decref(o);
            if (vg_ais_csv_write(&msg, buf, sizeof(buf), &n) != VG_OK || n < 2) {
                abort();
            }
            if (csv_columns(buf, n - 2) != header_cols) {
                abort();
            }
        }
    }
    const struct vg_ais_counts *c = vg_ais_reader_counts(r);
    if (c->messages + c->rejected != events) {
        abort();
    }
    vg_ais_reader_free(r);
    return 0;
}
