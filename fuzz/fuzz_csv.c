/* Fuzz target: the RFC 4180 CSV reader. Reads every record, touches every field, checks
 * that fields stay inside the input or the reader's scratch memory and that reading
 * always terminates. The first byte picks the delimiter. */
#include <stdint.h>
#include <string.h>

#include <vigia/csv.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    char delim = (data[0] & 1) ? ';' : ',';
    struct vg_csv_reader r;
    vg_csv_init(&r, (const char *)data + 1, size - 1, delim);
    size_t records = 0;
    volatile size_t sum = 0;
    for (;;) {
        struct vg_error e;
        enum vg_status st = vg_csv_next(&r, &e);
        if (st == VG_ENOTFOUND || st == VG_ENOMEM) {
            break;
        }
        records++;
        if (records > size + 1) {
            __builtin_trap(); /* must always progress */
        }
        if (st != VG_OK) {
            continue;
        }
        for (size_t i = 0; i < r.nfields; i++) {
            struct vg_slice f = vg_csv_field(&r, i);
            for (size_t k = 0; k < f.len; k++) {
                sum += (unsigned char)f.ptr[k];
            }
        }
        (void)vg_csv_find_column(&r, "name");
    }
    vg_csv_release(&r);
    (void)sum; /* read: the fields were touched for the sanitizers, not for a result */
    return 0;
}
