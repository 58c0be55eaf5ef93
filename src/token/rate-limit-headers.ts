/**
 * Reading what Auth0 says when it will not issue a token now: `Retry-After` (seconds or an HTTP
 * date) and its M2M token quota headers.
 */
import type { QuotaBucket } from "./token-errors.ts";

/** Seconds to wait from `Retry-After`, or undefined when absent or unreadable. */
export function retryAfterSeconds(value: string | null | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** The buckets of a quota header (`b=per_hour;q=100;r=0;t=1200,b=per_day;...`). */
export function quotaBuckets(value: string | null | undefined): QuotaBucket[] | undefined {
  if (!value) return undefined;
  const buckets = value.split(",").flatMap((part) => {
    const fields = new Map(
      part.split(";").map((pair) => {
        const [key = "", raw = ""] = pair.split("=", 2);
        return [key.trim(), raw.trim()] as const;
      }),
    );
    const bucket = fields.get("b");
    if (!bucket) return [];
    const number = (key: string) => {
      const raw = fields.get(key);
      return raw !== undefined && /^\d+$/.test(raw) ? { [key]: Number(raw) } : {};
    };
    const q = number("q");
    const r = number("r");
    const t = number("t");
    return [
      {
        bucket,
        ...(q.q !== undefined ? { quota: q.q } : {}),
        ...(r.r !== undefined ? { remaining: r.r } : {}),
        ...(t.t !== undefined ? { resetAfterSeconds: t.t } : {}),
      },
    ];
  });
  return buckets.length > 0 ? buckets : undefined;
}

/** One line for a message: `per_hour 0/100 left, resets in 1200 s`. */
export function describeQuota(buckets: readonly QuotaBucket[]): string {
  return buckets
    .map(
      (b) =>
        `${b.bucket} ${b.remaining ?? "?"}/${b.quota ?? "?"} left${b.resetAfterSeconds !== undefined ? `, resets in ${b.resetAfterSeconds} s` : ""}`,
    )
    .join("; ");
}
