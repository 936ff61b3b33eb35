/* fuzz_em4100.c — libFuzzer target for the em4100 decoder (see fuzz_decoder.h
 * for the input layout and the checks). */
#include "fuzz_decoder.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_decoder_run("em4100", data, size);
}
