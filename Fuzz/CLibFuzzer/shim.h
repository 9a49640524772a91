// libFuzzer's entry point for a program with its own main (compiler-rt FuzzerInterface.h). SwiftPM links every
// executable with `main` pointing at the module's own entry, so kiosk-fuzz starts libFuzzer through this call
// instead of libFuzzer's main. The symbol comes with `-sanitize=fuzzer`; nothing else is linked.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));
