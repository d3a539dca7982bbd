// zot's garbage-collection time window (zot v2.1.19 pkg/api/config/gctimewindow.go).

/**
 * zot v2.1.19 pkg/api/config/gctimewindow.go: parseGCTimeWindow: "" (no window) or "HH:MM-HH:MM"
 * with each side trimmed and parsed by time.Parse("15:04", ...) (hour 1 or 2 digits, 0-23; minute
 * exactly 2 digits, 0-59), start ≠ end.
 */
export function parseGCTimeWindow(window: string): { start: number; end: number } | null | { error: string } {
  if (window === '') return null;
  const dash = window.indexOf('-');
  if (dash < 0) return { error: `invalid gcTimeWindow ${JSON.stringify(window)}, expected format "HH:MM-HH:MM"` };
  const side = (v: string): number | undefined => {
    const m = /^([0-9]{1,2}):([0-9]{2})$/.exec(v.trim());
    if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return undefined;
    return Number(m[1]) * 60 + Number(m[2]);
  };
  const start = side(window.slice(0, dash));
  const end = side(window.slice(dash + 1));
  if (start === undefined || end === undefined)
    return { error: `invalid gcTimeWindow ${JSON.stringify(window)}: invalid time, expected 24h format "HH:MM"` };
  if (start === end)
    return { error: `invalid gcTimeWindow ${JSON.stringify(window)}: start and end of the window cannot be equal` };
  return { start, end };
}
