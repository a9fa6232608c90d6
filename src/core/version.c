/* Versions (vigia/version.h). */
#include <vigia/version.h>

#include <jansson.h>
#include <sodium.h>
#include <sqlite3.h>
#include <utf8proc.h>

#ifndef VIGIA_VERSION
# define VIGIA_VERSION "0.0.0"
#endif

const char *vg_version(void)
{
    return VIGIA_VERSION;
}

const char *vg_version_sqlite(void)
{
    return sqlite3_libversion();
}

const char *vg_version_sodium(void)
{
    return sodium_version_string();
}

const char *vg_version_jansson(void)
{
    return JANSSON_VERSION;
}

const char *vg_version_utf8proc(void)
{
    return utf8proc_version();
}
