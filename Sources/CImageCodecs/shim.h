#ifndef CImageCodecs_SHIM_H
#define CImageCodecs_SHIM_H
#include <turbojpeg.h>
#include <png.h>
#include <webp/decode.h>
#include <webp/encode.h>
#include <libdeflate.h>

/// WebPInitDecoderConfig is an inline wrapper around a versioned call; this keeps the ABI version in C.
static inline int sluice_webp_init_decoder_config(WebPDecoderConfig *config) {
    return WebPInitDecoderConfig(config);
}

/// WebPGetFeatures is an inline wrapper around a versioned call; this keeps the ABI version in C.
static inline int sluice_webp_get_features(const uint8_t *data, size_t size, WebPBitstreamFeatures *features) {
    return WebPGetFeatures(data, size, features) == VP8_STATUS_OK;
}

/// A fresh png_image for the simplified libpng API (version set, everything else zero).
static inline png_image sluice_png_image(void) {
    png_image image = {0};
    image.version = PNG_IMAGE_VERSION;
    return image;
}
#endif
