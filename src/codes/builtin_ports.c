/*
 * The small built-in table of ports the demo world uses (vigia/codes.h): Peru's
 * container and river ports and their usual partners on the routes to Europe, Asia and
 * North America. Positions are the container terminals' approximate centre, in decimal
 * degrees, from public nautical references. Imported code lists take precedence.
 */
#include "codes/codes_int.h"

#include <stdio.h>
#include <string.h>

struct builtin_port {
    const char *locode;
    const char *name;
    double lat, lon;
};

static const struct builtin_port builtin_ports[] = {
    /* Peru */
    { "PECLL", "Callao", -12.0500, -77.1450 },
    { "PECHY", "Chancay", -11.5850, -77.2750 },
    { "PEPAI", "Paita", -5.0830, -81.1100 },
    { "PEMRI", "Matarani", -17.0000, -72.1080 },
    { "PEIQT", "Iquitos", -3.7300, -73.2400 },
    /* Transhipment hubs and the Pacific coast */
    { "PABLB", "Balboa", 8.9500, -79.5650 },
    { "PAMIT", "Manzanillo (Colon)", 9.3600, -79.8800 },
    { "COCTG", "Cartagena", 10.3900, -75.5200 },
    { "COBUN", "Buenaventura", 3.8900, -77.0700 },
    { "ECGYE", "Guayaquil", -2.2800, -79.9100 },
    { "ECPSJ", "Posorja", -2.7000, -80.2500 },
    { "CLSAI", "San Antonio", -33.5900, -71.6200 },
    { "CLVAP", "Valparaiso", -33.0300, -71.6300 },
    { "CLARI", "Arica", -18.4800, -70.3300 },
    { "MXZLO", "Manzanillo", 19.0600, -104.3100 },
    { "MXLZC", "Lazaro Cardenas", 17.9400, -102.1800 },
    /* North America */
    { "USLGB", "Long Beach", 33.7500, -118.2200 },
    { "USLAX", "Los Angeles", 33.7300, -118.2600 },
    { "USOAK", "Oakland", 37.8000, -122.3200 },
    { "USPHL", "Philadelphia", 39.9000, -75.1400 },
    { "USSAV", "Savannah", 32.0800, -81.0900 },
    /* Europe */
    { "BEANR", "Antwerp", 51.2800, 4.3300 },
    { "NLRTM", "Rotterdam", 51.9500, 4.0500 },
    { "ESVLC", "Valencia", 39.4400, -0.3200 },
    { "ESALG", "Algeciras", 36.1300, -5.4400 },
    { "DEHAM", "Hamburg", 53.5400, 9.9700 },
    { "FRLEH", "Le Havre", 49.4800, 0.1100 },
    { "GBFXT", "Felixstowe", 51.9500, 1.3200 },
    { "ITGIT", "Gioia Tauro", 38.4400, 15.9000 },
    { "ROCND", "Constanta", 44.1700, 28.6500 },
    /* Asia */
    { "CNSHA", "Shanghai", 30.6300, 122.0700 },
    { "CNNGB", "Ningbo", 29.9300, 121.8500 },
    { "CNSHK", "Shekou", 22.4800, 113.9000 },
    { "HKHKG", "Hong Kong", 22.3300, 114.1300 },
    { "KRPUS", "Busan", 35.1000, 129.0400 },
    { "JPYOK", "Yokohama", 35.4500, 139.6600 },
    { "SGSIN", "Singapore", 1.2600, 103.8400 },
};

static void fill(const struct builtin_port *p, struct vg_port_info *out)
{
    memset(out, 0, sizeof(*out));
    memcpy(out->locode, p->locode, 6);
    memcpy(out->country, p->locode, 2);
    snprintf(out->name, sizeof(out->name), "%s", p->name);
    out->lat = p->lat;
    out->lon = p->lon;
    memcpy(out->source, "builtin", 8);
}

bool vg__builtin_port(const char *locode, struct vg_port_info *out)
{
    for (size_t i = 0; i < sizeof(builtin_ports) / sizeof(builtin_ports[0]); i++) {
        if (strcmp(builtin_ports[i].locode, locode) == 0) {
            fill(&builtin_ports[i], out);
            return true;
        }
    }
    return false;
}

void vg_codes_builtin_ports(void (*fn)(void *user, const struct vg_port_info *port), void *user)
{
    for (size_t i = 0; i < sizeof(builtin_ports) / sizeof(builtin_ports[0]); i++) {
        struct vg_port_info info;
        fill(&builtin_ports[i], &info);
        fn(user, &info);
    }
}
