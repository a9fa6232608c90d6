/* TEMPORARY (removed when the AIS reader lands): no file is taken as NMEA yet. */
#include "ingest/ingest_int.h"

bool vg__ing_nmea_sniff(const char *data, size_t len);
enum vg_status vg__ing_read_nmea(struct ing_session *s, const struct ing_file *f,
                                 struct vg_error *err);

bool vg__ing_nmea_sniff(const char *data, size_t len)
{
    (void)data;
    (void)len;
    return false;
}

enum vg_status vg__ing_read_nmea(struct ing_session *s, const struct ing_file *f,
                                 struct vg_error *err)
{
    (void)s;
    (void)f;
    return vg_error_set(err, VG_EUNSUPPORTED, "NMEA reader not built");
}
