/*
 * Geography for the vessel-behaviour rules: great-circle distance, distance from the
 * coast of western South America, the Amazon river zone, and night at sea.
 *
 * The coastline is a hand-drawn polyline (Colombia's Pacific coast to northern Chile,
 * about 60 vertices at headlands and ports), accurate to a few nautical miles: enough to
 * tell "near the coast" (under 30 nm) from "offshore" (over 50 nm), which is what the
 * rules ask. Far from this coast the distance is large and the near-shore rules are off.
 */
#include <math.h>
#include <vigia/maritime.h>

#define EARTH_KM  6371.0088
#define KM_PER_NM 1.852

static const double coast[][2] = {
    /* lat, lon: from Colombia (north) to Chile (south) */
    { 7.00, -77.70 },   { 6.20, -77.45 },   { 5.00, -77.40 },   { 3.90, -77.10 },
    { 3.00, -77.70 },   { 2.50, -78.20 },   { 1.80, -78.80 },   { 1.20, -79.00 },
    { 0.90, -79.70 },   { 0.40, -80.05 },   { 0.00, -80.10 },   { -0.60, -80.45 },
    { -1.00, -80.80 },  { -1.60, -80.85 },  { -2.20, -80.95 },  { -2.60, -80.40 },
    { -2.75, -80.25 },  { -3.20, -80.30 },  { -3.50, -80.40 },  { -3.80, -80.80 },
    { -4.10, -81.20 },  { -4.60, -81.30 },  { -5.08, -81.12 },  { -5.60, -81.00 },
    { -5.90, -81.15 },  { -6.40, -80.60 },  { -6.80, -79.95 },  { -7.30, -79.60 },
    { -7.70, -79.45 },  { -8.20, -79.00 },  { -8.60, -78.80 },  { -9.07, -78.60 },
    { -9.60, -78.40 },  { -10.10, -78.20 }, { -10.70, -77.85 }, { -11.10, -77.62 },
    { -11.58, -77.27 }, { -11.80, -77.20 }, { -12.05, -77.15 }, { -12.30, -76.90 },
    { -12.60, -76.70 }, { -13.10, -76.40 }, { -13.70, -76.25 }, { -14.20, -76.20 },
    { -14.80, -75.90 }, { -15.35, -75.20 }, { -15.80, -74.50 }, { -16.20, -73.70 },
    { -16.60, -72.70 }, { -17.00, -72.10 }, { -17.40, -71.60 }, { -17.70, -71.34 },
    { -18.10, -70.80 }, { -18.48, -70.33 }, { -19.20, -70.28 }, { -20.21, -70.15 },
    { -21.10, -70.10 }, { -22.10, -70.20 }, { -23.10, -70.45 }, { -23.65, -70.40 },
    { -24.50, -70.55 }, { -26.30, -70.65 }, { -27.40, -70.95 }, { -29.00, -71.45 },
    { -29.90, -71.35 }, { -31.00, -71.65 }, { -32.20, -71.50 }, { -33.00, -71.62 },
    { -33.59, -71.62 }, { -34.50, -72.00 },
};

double vg_geo_distance_km(double lat1, double lon1, double lat2, double lon2)
{
    double p1 = lat1 * M_PI / 180.0, p2 = lat2 * M_PI / 180.0;
    double dp = p2 - p1;
    double dl = (lon2 - lon1) * M_PI / 180.0;
    double a = sin(dp / 2) * sin(dp / 2) + cos(p1) * cos(p2) * sin(dl / 2) * sin(dl / 2);
    return 2 * EARTH_KM * asin(sqrt(a < 1 ? a : 1));
}

/* Distance from a point to a segment in a local equirectangular projection (km). */
static double segment_km(double lat, double lon, const double a[2], const double b[2])
{
    double k = cos(lat * M_PI / 180.0);
    double px = lon * k, py = lat;
    double ax = a[1] * k, ay = a[0], bx = b[1] * k, by = b[0];
    double dx = bx - ax, dy = by - ay;
    double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double cx = ax + t * dx, cy = ay + t * dy;
    double ex = px - cx, ey = py - cy;
    return sqrt(ex * ex + ey * ey) * 111.195;
}

double vg_geo_shore_distance_nm(double lat, double lon)
{
    /* Outside the covered stretch the answer is "far". */
    if (lat > 9.0 || lat < -36.0 || lon > -66.0 || lon < -95.0) {
        return 9999.0;
    }
    double best = 1e9;
    size_t n = sizeof(coast) / sizeof(coast[0]);
    for (size_t i = 0; i + 1 < n; i++) {
        double d = segment_km(lat, lon, coast[i], coast[i + 1]);
        if (d < best) {
            best = d;
        }
    }
    return best / KM_PER_NM;
}

bool vg_geo_in_river_zone(double lat, double lon)
{
    /* The Peruvian Amazon around Iquitos down to the tri-border (Caballococha, Leticia,
     * Tabatinga): the Marañón, Ucayali and Amazon rivers. */
    return lat > -6.5 && lat < -2.0 && lon > -77.0 && lon < -69.0;
}

bool vg_geo_is_night_at(int64_t t, double lon)
{
    int64_t local = t + (int64_t)(lon / 15.0 * 3600.0);
    int64_t sec = local % 86400;
    if (sec < 0) {
        sec += 86400;
    }
    int hour = (int)(sec / 3600);
    return hour >= 18 || hour < 6;
}
