/*
 * vigia/log.h - leveled logging.
 *
 * The library reports progress and diagnostics through vg_log. By default messages at or
 * above the set level go to stderr as "vigia: level: module: message"; a program may
 * install its own handler. The level and handler are process-wide; set them at start-up.
 */
#ifndef VIGIA_LOG_H
#define VIGIA_LOG_H

#include <stdbool.h>

#include <vigia/status.h>

#ifdef __cplusplus
extern "C" {
#endif

enum vg_log_level {
    VG_LOG_ERROR = 0,
    VG_LOG_WARN = 1,
    VG_LOG_INFO = 2,
    VG_LOG_DEBUG = 3,
    VG_LOG_TRACE = 4,
};

typedef void (*vg_log_fn)(void *user, enum vg_log_level level, const char *module,
                          const char *message);

/* Messages above level are dropped. Default VG_LOG_WARN. */
void vg_log_set_level(enum vg_log_level level);

/* The current level. */
enum vg_log_level vg_log_get_level(void);

/* Installs fn (NULL restores the stderr handler). */
void vg_log_set_handler(vg_log_fn fn, void *user);

/* True when a message at level would be emitted (to skip costly formatting). */
bool vg_log_enabled(enum vg_log_level level);

/* Emits a message; module is a short lowercase word ("store", "edifact"). */
void vg_log(enum vg_log_level level, const char *module, const char *fmt, ...) VG_PRINTF(3, 4);

/* Parses "error", "warn", "info", "debug", "trace". Returns false on anything else. */
bool vg_log_level_parse(const char *text, enum vg_log_level *out);

#ifdef __cplusplus
}
#endif
#endif
