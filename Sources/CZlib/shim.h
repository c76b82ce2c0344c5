#include <zlib.h>

/// inflateInit2 and deflateInit2 are macros (they pass the library's version and the stream's
/// size); these wrappers make them callable from Swift.
static inline int nk_inflate_init_raw(z_stream *s) { return inflateInit2(s, -MAX_WBITS); }
static inline int nk_deflate_init_raw(z_stream *s, int level) {
    return deflateInit2(s, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
}
