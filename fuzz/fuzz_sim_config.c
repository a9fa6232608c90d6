/* libFuzzer harness: the demo world's configuration reader (vg_sim_config_check), public
 * API only. Any input must give VG_OK, VG_EPARSE or VG_ENOMEM, never a crash. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <vigia/sim.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vg_error err;
    vg_error_clear(&err);
    enum vg_status st = vg_sim_config_check((const char *)data, size, "fuzz", &err);
    if (st != VG_OK && st != VG_EPARSE && st != VG_ENOMEM) {
        abort();
    }
    return 0;
}
