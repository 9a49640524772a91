#include "CCups.h"

#include <dlfcn.h>
#include <stdio.h>

int kiosk_cups_load(const char *library, struct kiosk_cups *table, char *error, size_t size) {
    void *handle = dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        const char *why = dlerror();
        snprintf(error, size, "%s", why != NULL ? why : library);
        return -1;
    }
    struct kiosk_cups loaded;
    void *symbol;
#define KIOSK_CUPS_RESOLVE(name)                                   \
    if ((symbol = dlsym(handle, #name)) == NULL) {                   \
        const char *why = dlerror();                                 \
        snprintf(error, size, "%s has no %s (%s)", library, #name,   \
                 why != NULL ? why : "a null symbol");               \
        dlclose(handle);                                             \
        return -1;                                                   \
    }                                                                \
    loaded.name = (__typeof__(loaded.name))symbol;
    KIOSK_CUPS_FUNCTIONS(KIOSK_CUPS_RESOLVE)
#undef KIOSK_CUPS_RESOLVE
    *table = loaded;
    return 0;
}
