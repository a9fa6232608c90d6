/*
 * vigia/version.h - library version and the versions of what it was built with.
 */
#ifndef VIGIA_VERSION_H
#define VIGIA_VERSION_H

#ifdef __cplusplus
extern "C" {
#endif

/* The library version, "MAJOR.MINOR.PATCH" (static). */
const char *vg_version(void);

/* Versions of the libraries linked in (static strings). */
const char *vg_version_sqlite(void);
const char *vg_version_sodium(void);
const char *vg_version_jansson(void);
const char *vg_version_utf8proc(void);

#ifdef __cplusplus
}
#endif
#endif
