#ifndef CImageCodecs_SHIM_H
#define CImageCodecs_SHIM_H
#include <turbojpeg.h>
#include <png.h>
#include <webp/decode.h>
#include <webp/encode.h>
#endif
