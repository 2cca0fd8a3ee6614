#ifndef CLINUX_SHIM_H
#define CLINUX_SHIM_H
// Linux headers Glibc's Swift module leaves out: statfs(2) and inotify(7).
#include <sys/vfs.h>
#include <sys/inotify.h>
#include <sys/file.h>

/// statfs(2)'s f_type for a path (the struct and the function share a name, which Swift cannot call).
static inline int sluice_statfs_type(const char *path, long *type) {
    struct statfs info;
    int result = statfs(path, &info);
    if (result == 0) *type = (long)info.f_type;
    return result;
}

/// syncfs(2): flushes every file system containing `fd` (glibc declares it only under _GNU_SOURCE).
extern int syncfs(int fd);
static inline int sluice_syncfs(int fd) { return syncfs(fd); }
#endif
