#ifndef CExif_SHIM_H
#define CExif_SHIM_H
#include <libexif/exif-data.h>
#include <libexif/exif-loader.h>
#endif
