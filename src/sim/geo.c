/*
 * Small-scale geometry for the AIS tracks: distances and courses on the sphere (mean
 * Earth radius, nautical miles), and straight interpolation for the short legs of a
 * port approach, where the difference from a great circle is far below AIS precision.
 */
#include "sim/sim_int.h"

#include <math.h>

#define DEG (3.14159265358979323846 / 180.0)
#define EARTH_NM 3440.065

double vg__sim_nm(struct sim_pos a, struct sim_pos b)
{
    double p1 = a.lat * DEG, p2 = b.lat * DEG;
    double dp = p2 - p1, dl = (b.lon - a.lon) * DEG;
    double h = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);
    return 2 * EARTH_NM * asin(sqrt(h > 1 ? 1 : h));
}

double vg__sim_course(struct sim_pos a, struct sim_pos b)
{
    double p1 = a.lat * DEG, p2 = b.lat * DEG, dl = (b.lon - a.lon) * DEG;
    double y = sin(dl) * cos(p2);
    double x = cos(p1) * sin(p2) - sin(p1) * cos(p2) * cos(dl);
    double c = atan2(y, x) / DEG;
    return c < 0 ? c + 360 : c;
}

struct sim_pos vg__sim_toward(struct sim_pos a, struct sim_pos b, double d)
{
    double total = vg__sim_nm(a, b);
    if (total <= 1e-9) {
        return a;
    }
    double f = d / total;
    struct sim_pos p = { a.lat + (b.lat - a.lat) * f, a.lon + (b.lon - a.lon) * f };
    return p;
}

struct sim_pos vg__sim_offset(struct sim_pos a, double bearing, double d)
{
    double dlat = d * cos(bearing * DEG) / 60.0;
    double coslat = cos(a.lat * DEG);
    double dlon = coslat > 1e-6 ? d * sin(bearing * DEG) / (60.0 * coslat) : 0;
    struct sim_pos p = { a.lat + dlat, a.lon + dlon };
    return p;
}
