/* fuzz_line.c — libFuzzer target for the line decoder (see fuzz_decoder.h
 * for the input layout and the checks). */
#include "fuzz_decoder.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_decoder_run("line", data, size);
}
