#ifndef CFUZZERDRIVER_SHIM_H
#define CFUZZERDRIVER_SHIM_H
// libFuzzer's driver entry (compiler-rt FuzzerInterface.h). SwiftPM links a debug executable's entry point as
// main=<module>_main, which displaces libFuzzer's own main(), so each target calls the driver itself.
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
#endif
