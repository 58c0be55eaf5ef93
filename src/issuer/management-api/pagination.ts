import { MANAGEMENT_ERRORS } from "./errors.ts";

/** The query string as Fastify parses it. */
export type Query = Readonly<Record<string, string | string[] | undefined>>;

/** Auth0's page size: 50 unless asked, at most 100. */
const DEFAULT_PER_PAGE = 50;
const MAX_PER_PAGE = 100;

function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) throw MANAGEMENT_ERRORS.invalidQuery(`${name} given more than once`);
  return value;
}

function integer(query: Query, name: string, min: number, max: number, fallback: number): number {
  const text = single(query, name);
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    throw MANAGEMENT_ERRORS.invalidQuery(`${name} must be an integer from ${min} to ${max}`);
  return value;
}

/** A boolean query parameter ("true"/"false"). */
export function flag(query: Query, name: string, fallback: boolean): boolean {
  const text = single(query, name);
  if (text === undefined || text === "") return fallback;
  if (text !== "true" && text !== "false")
    throw MANAGEMENT_ERRORS.invalidQuery(`${name} must be true or false`);
  return text === "true";
}

/** A string query parameter. */
export function text(query: Query, name: string): string | undefined {
  const value = single(query, name);
  return value === "" ? undefined : value;
}

/** `fields` and `include_fields`: which fields of each object to return. */
export function project<T extends object>(items: readonly T[], query: Query): object[] {
  const fields = text(query, "fields");
  if (!fields) return [...items];
  const names = new Set(fields.split(",").map((f) => f.trim()));
  const include = flag(query, "include_fields", true);
  return items.map((item) =>
    Object.fromEntries(Object.entries(item).filter(([k]) => names.has(k) === include)),
  );
}

/**
 * Auth0's offset pages: `page` (from 0) of `per_page`; with `include_totals=true` the body is
 * `{start, limit, length, total, <key>: [...]}`, else the bare list.
 */
export function offsetPage(
  items: readonly object[],
  key: string,
  query: Query,
  totalsByDefault = false,
): unknown {
  const perPage = integer(query, "per_page", 1, MAX_PER_PAGE, DEFAULT_PER_PAGE);
  const page = integer(query, "page", 0, 1_000_000, 0);
  const start = page * perPage;
  const slice = items.slice(start, start + perPage);
  if (!flag(query, "include_totals", totalsByDefault)) return slice;
  return { start, limit: perPage, length: slice.length, total: items.length, [key]: slice };
}

/** The Actions API's pages: always `{total, page, per_page, <key>: [...]}`. */
export function actionsPage(items: readonly object[], key: string, query: Query): unknown {
  const perPage = integer(query, "per_page", 1, MAX_PER_PAGE, DEFAULT_PER_PAGE);
  const page = integer(query, "page", 0, 1_000_000, 0);
  return {
    total: items.length,
    page,
    per_page: perPage,
    [key]: items.slice(page * perPage, (page + 1) * perPage),
  };
}

/**
 * Auth0's checkpoint pages, used when `take` or `from` is given: `take` items (50 unless asked,
 * at most 100) from the opaque `from`, as `{<key>: [...], next}`; `next` is absent on the last
 * page. Without them, offset pages as above.
 */
export function checkpointPage(
  items: readonly (object & { id: string })[],
  key: string,
  query: Query,
): unknown {
  const from = text(query, "from");
  if (from === undefined && text(query, "take") === undefined) return offsetPage(items, key, query);
  const take = integer(query, "take", 1, MAX_PER_PAGE, DEFAULT_PER_PAGE);
  let start = 0;
  if (from !== undefined) {
    const id = Buffer.from(from, "base64url").toString("utf8");
    start = items.findIndex((item) => item.id === id);
    if (start < 0) throw MANAGEMENT_ERRORS.invalidQuery("from is not a checkpoint of this list");
  }
  const slice = items.slice(start, start + take);
  const following = items[start + take];
  return {
    [key]: slice,
    ...(following ? { next: Buffer.from(following.id, "utf8").toString("base64url") } : {}),
  };
}
