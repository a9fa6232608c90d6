/*
 * SQLite's page cache in memory the kernel may back with transparent huge pages.
 *
 * An ingest fills up to cache_size (256 MiB) of 16 KiB pages, each malloc'd from the C
 * heap: four page faults per page as the cache grows (each fault is a trap, dearer under a
 * hypervisor), and one TLB entry per 4 KiB while the B-trees are walked. One reserved
 * region, asked for huge pages (MADV_HUGEPAGE: the kernel grants them on request in its
 * default "madvise" mode), given to SQLite as its page-cache buffer
 * (SQLITE_CONFIG_PAGECACHE), takes a fault per 2 MiB and one TLB entry per 2 MiB.
 * Measured with bench_ingest: see docs/ingest-speed.md.
 *
 * The cost is paid at start: SQLite links every slot of the buffer into its free list when
 * it initialises, which touches the whole region (about 280 MB resident, 0.3-0.4 s on the
 * development VM). A command that reads a few pages must not pay that (vigia kpi went from
 * 0.09 s and 18 MB to 0.47 s and 290 MB when every process did), so only a process that
 * opens its store with vg_store_options.bulk set asks for it (vigia ingest of a folder or
 * of large files, bench_ingest).
 *
 * Process-wide: SQLite takes this configuration only before it is initialised, so a
 * program that initialised SQLite itself keeps its own (this returns quietly). All
 * connections of the process share the slots; pages beyond them come from malloc as before.
 */
#include "store/store_int.h"

#include <stddef.h>
#include <sys/mman.h>

/* Slots for the writer's whole cache (STORE_CACHE_KIB of STORE_PAGE_SIZE pages, 16,384)
 * plus 1,024 for the smaller caches of the checkpoint and reader connections. */
#define PAGE_CACHE_PAGE  STORE_PAGE_SIZE
#define PAGE_CACHE_SLOTS ((size_t)STORE_CACHE_KIB * 1024 / STORE_PAGE_SIZE + 1024)

void vg__store_page_cache_setup(void)
{
#if defined(MADV_HUGEPAGE) && defined(MAP_NORESERVE) && defined(MAP_ANONYMOUS)
    int header = 0;
    if (sqlite3_config(SQLITE_CONFIG_PCACHE_HDRSZ, &header) != SQLITE_OK || header <= 0) {
        return;
    }
    size_t slot = ((size_t)PAGE_CACHE_PAGE + (size_t)header + 7) & ~(size_t)7;
    size_t len = slot * PAGE_CACHE_SLOTS;
    void *buf =
        mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (buf == MAP_FAILED) {
        return;
    }
    (void)madvise(buf, len, MADV_HUGEPAGE);
    if (sqlite3_config(SQLITE_CONFIG_PAGECACHE, buf, (int)slot, (int)PAGE_CACHE_SLOTS) !=
        SQLITE_OK) {
        (void)munmap(buf, len);
    }
    /* On success the region belongs to SQLite for the life of the process. */
#endif
}
