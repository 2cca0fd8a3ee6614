#ifndef CZlib_SHIM_H
#define CZlib_SHIM_H
#include <zlib.h>
#include <libdeflate.h>

/// deflateInit2 is a macro; this starts a raw deflate stream (no zlib header), as zip entries store it.
static inline int sluice_deflate_init_raw(z_stream *stream, int level) {
    return deflateInit2(stream, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
}

/// inflateInit2 is a macro; this starts a raw inflate stream for a zip entry's deflated data.
static inline int sluice_inflate_init_raw(z_stream *stream) {
    return inflateInit2(stream, -MAX_WBITS);
}
#endif
