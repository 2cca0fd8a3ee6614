#ifndef CLINUX_SHIM_H
#define CLINUX_SHIM_H
// Linux headers Glibc's Swift module leaves out: statfs(2) and inotify(7).
#include <sys/vfs.h>
#include <sys/inotify.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <linux/fs.h>
#include <unistd.h>

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
/// ioctl(FICLONE): share the source's extents with the destination (btrfs, XFS, bcachefs); FICLONE is a macro.
static inline int sluice_ficlone(int destination, int source) { return ioctl(destination, FICLONE, source); }

/// sync_file_range(2) with SYNC_FILE_RANGE_WRITE over the whole file: starts writing its dirty pages back without
/// waiting, so a later fsync finds most of them on disk already (glibc declares it only under _GNU_SOURCE).
extern int sync_file_range(int fd, long long offset, long long nbytes, unsigned int flags);
static inline int sluice_start_writeback(int fd) { return sync_file_range(fd, 0, 0, 2 /* SYNC_FILE_RANGE_WRITE */); }

/// copy_file_range(2) without offsets (both files' positions advance).
static inline long sluice_copy_file_range(int source, int destination, unsigned long length) {
    return (long)copy_file_range(source, NULL, destination, NULL, length, 0);
}
#endif
