/* TEMPORARY (removed when the EDIFACT and AIS readers land): no file is taken as EDIFACT
 * or NMEA yet. */
#include "ingest/ingest_int.h"

bool vg__ing_edifact_sniff(const char *data, size_t len);
enum vg_status vg__ing_read_edifact(struct ing_session *s, const struct ing_file *f,
                                    struct vg_error *err);
bool vg__ing_nmea_sniff(const char *data, size_t len);
enum vg_status vg__ing_read_nmea(struct ing_session *s, const struct ing_file *f,
                                 struct vg_error *err);

bool vg__ing_edifact_sniff(const char *data, size_t len)
{
    (void)data;
    (void)len;
    return false;
}

enum vg_status vg__ing_read_edifact(struct ing_session *s, const struct ing_file *f,
                                    struct vg_error *err)
{
    (void)s;
    (void)f;
    return vg_error_set(err, VG_EUNSUPPORTED, "EDIFACT reader not built");
}

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
