#ifndef CExif_SHIM_H
#define CExif_SHIM_H
#include <stddef.h>
#include <libexif/exif-data.h>
#include <libexif/exif-loader.h>
#include <libexif/exif-utils.h>

/* Swift cannot call C macros or index the fixed-size `ifd` array safely; these wrappers do it. */

/// The IFD `ifd` of `data`, or NULL when `ifd` is out of range.
static inline ExifContent *cexif_data_ifd(ExifData *data, ExifIfd ifd) {
    if (data == NULL || ifd < 0 || ifd >= EXIF_IFD_COUNT) return NULL;
    return data->ifd[ifd];
}

/// The entry for `tag` in one IFD, or NULL.
static inline ExifEntry *cexif_content_entry(ExifData *data, ExifIfd ifd, ExifTag tag) {
    ExifContent *content = cexif_data_ifd(data, ifd);
    return content ? exif_content_get_entry(content, tag) : NULL;
}

/// The `exif_data_get_entry` macro as a function: the entry for `tag` in the first IFD that has it.
static inline ExifEntry *cexif_data_get_entry(ExifData *data, ExifTag tag) {
    if (data == NULL) return NULL;
    return exif_data_get_entry(data, tag);
}

/// The number of entries in one IFD (0 when the IFD is missing).
static inline unsigned int cexif_content_count(ExifData *data, ExifIfd ifd) {
    ExifContent *content = cexif_data_ifd(data, ifd);
    return content ? content->count : 0;
}

#endif
