/**
 * Sanity limits checked on the declared header, before any pixel buffer is allocated.
 * The largest whole-body matrix in clinical use is 1024 × 2048 (zoomed acquisitions); 4096 leaves room.
 */
export const MAX_MATRIX_DIMENSION = 4096;
/** A planar whole-body object holds one view or both (anterior + posterior). */
export const MAX_FRAMES = 2;
/** Deflated datasets are inflated at most to this size, so a zip bomb cannot exhaust memory. */
export const MAX_INFLATED_BYTES = 256 * 1024 * 1024;
