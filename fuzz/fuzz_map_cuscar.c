/* Fuzz target: the CUSCAR mapper. The input is the message body (the segments between UNH
 * and UNT); it is wrapped in a valid envelope and ingested. */
#include "fuzz_ingest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_ingest_message("CUSCAR", data, size);
    return 0;
}
