// Go's int64 bounds, shared by the strconv and time emulations.

/** math.MaxInt64. */
export const MAX_INT64 = (1n << 63n) - 1n;
