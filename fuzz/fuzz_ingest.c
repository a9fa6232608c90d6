/* Fuzz target: the whole ingest path on arbitrary bytes (format detection, EDIFACT, CSV,
 * JSON readers and the writer). */
#include "fuzz_ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_ingest_run("fuzz.input", (const char *)data, size, (size & 1) != 0);
    return 0;
}
