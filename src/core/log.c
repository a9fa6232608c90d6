/*
 * Leveled logging (vigia/log.h). The default handler writes one line per message to
 * stderr; programs may install their own.
 */
#include <vigia/log.h>

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

static atomic_int log_level = VG_LOG_WARN;
static vg_log_fn log_handler;
static void *log_user;

static const char *level_names[] = { "error", "warn", "info", "debug", "trace" };

static void stderr_handler(void *user, enum vg_log_level level, const char *module,
                           const char *message)
{
    (void)user;
    fprintf(stderr, "vigia: %s: %s: %s\n", level_names[level], module, message);
}

void vg_log_set_level(enum vg_log_level level)
{
    atomic_store(&log_level, (int)level);
}

enum vg_log_level vg_log_get_level(void)
{
    return (enum vg_log_level)atomic_load(&log_level);
}

void vg_log_set_handler(vg_log_fn fn, void *user)
{
    log_handler = fn;
    log_user = user;
}

bool vg_log_enabled(enum vg_log_level level)
{
    return (int)level <= atomic_load(&log_level);
}

void vg_log(enum vg_log_level level, const char *module, const char *fmt, ...)
{
    if (!vg_log_enabled(level)) {
        return;
    }
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    vg_log_fn fn = log_handler != NULL ? log_handler : stderr_handler;
    fn(log_user, level, module != NULL ? module : "vigia", msg);
}

bool vg_log_level_parse(const char *text, enum vg_log_level *out)
{
    for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++) {
        if (strcmp(text, level_names[i]) == 0) {
            *out = (enum vg_log_level)i;
            return true;
        }
    }
    if (strcmp(text, "warning") == 0) {
        *out = VG_LOG_WARN;
        return true;
    }
    return false;
}
