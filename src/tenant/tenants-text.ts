/**
 * Text edits of the `tenants:` list in a stack file that touch no other byte: comments, blank
 * lines, quoting, flow lists and aligned comments elsewhere stay exactly as written, so a review
 * of the change shows only the tenant. The yaml package's Document API finds where things are
 * (its nodes and source tokens give the offsets); the edit then splices lines of text, since
 * re-printing the whole document would reformat what the user wrote.
 *
 * Each edit takes the text and, optionally, the Document already parsed from it (with its source
 * tokens kept: stackDocumentOf), so a large file's Document is built once.
 *
 * What is refused, with how to fix it: a tenants list or tenant written in flow style (`[...]`,
 * `{...}`) that the edit would have to rewrite.
 */

import {
  Document,
  isMap,
  isScalar,
  isSeq,
  type Node,
  parseDocument,
  visit,
  type YAMLMap,
  type YAMLSeq,
} from "yaml";
import { ENVIRONMENT_CONFIG_KEY } from "../model/environment/environment.ts";

/** An edit the stack file's layout does not allow; the message says how to rewrite it. */
export class TenantsTextError extends Error {
  override readonly name = "TenantsTextError";
}

/** One line of the text: where it starts and ends (after its newline), its indentation and kind. */
interface Line {
  readonly start: number;
  readonly end: number;
  readonly indent: number;
  readonly kind: "blank" | "comment" | "content";
}

function linesOf(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf("\n", start);
    const end = newline === -1 ? text.length : newline + 1;
    const body = text.slice(start, end).replace(/\r?\n$/, "");
    const indent = body.length - body.trimStart().length;
    const rest = body.slice(indent);
    lines.push({
      start,
      end,
      indent,
      kind: rest === "" ? "blank" : rest.startsWith("#") ? "comment" : "content",
    });
    start = end;
  }
  return lines;
}

/** The index of the line holding `offset`. */
function lineAt(lines: readonly Line[], offset: number): number {
  const index = lines.findIndex((line) => offset >= line.start && offset < line.end);
  return index === -1 ? lines.length - 1 : index;
}

/**
 * The end of the block item whose `-` is on line `dashLine` at `column`: its last line that is
 * content or comment indented deeper than the dash. Blank lines after it, and comments at the
 * dash's column or less (about what follows), are not part of it.
 */
function itemEnd(lines: readonly Line[], dashLine: number, column: number): number {
  let last = dashLine;
  for (let i = dashLine + 1; i < lines.length; i++) {
    const line = lines[i] as Line;
    if (line.kind === "blank") continue;
    if (line.indent <= column) break;
    last = i;
  }
  return (lines[last] as Line).end;
}

/** Where the environment's tenants are written. */
interface TenantsPlace {
  readonly text: string;
  readonly lines: readonly Line[];
  readonly environment: YAMLMap;
  /** The `tenants` value, if the key is there. */
  readonly tenants?: YAMLSeq;
  /** Where the `tenants` key starts, and the offset just after its colon, if the key is there. */
  readonly keyStart?: number;
  readonly afterColon?: number;
}

function placeOf(text: string, parsed?: Document.Parsed): TenantsPlace {
  const doc = parsed ?? parseDocument(text, { keepSourceTokens: true });
  const environment = doc.getIn(["config", ENVIRONMENT_CONFIG_KEY], true);
  if (!isMap(environment) || environment.flow)
    throw new TenantsTextError(
      `config.${ENVIRONMENT_CONFIG_KEY} is not written as a block mapping (one key per line): rewrite it so, then run again`,
    );
  const pair = environment.items.find((p) => isScalar(p.key) && p.key.value === "tenants");
  if (!pair) return { text, lines: linesOf(text), environment };
  const [keyStart = 0, keyEnd = 0] = (pair.key as Node).range ?? [];
  const afterColon = text.indexOf(":", keyEnd) + 1;
  if (!isSeq(pair.value))
    throw new TenantsTextError("tenants is not a list: write it as `tenants:` followed by `- id: ...` items");
  return { text, lines: linesOf(text), environment, tenants: pair.value, keyStart, afterColon };
}

/** Offsets of each item's `-` in a block sequence, from the parser's source tokens. */
function dashOffsets(seq: YAMLSeq): number[] {
  const token = seq.srcToken;
  if (token?.type !== "block-seq") return [];
  return token.items.flatMap((item) =>
    item.start.filter((t) => t.type === "seq-item-ind").map((t) => t.offset),
  );
}

function column(place: TenantsPlace, offset: number): number {
  return offset - (place.lines[lineAt(place.lines, offset)] as Line).start;
}

/** Whether the file indents a list under its key (`key:\n  - a`) or not (`key:\n- a`). */
function indentsLists(place: TenantsPlace): boolean {
  for (const pair of place.environment.items) {
    if (!isSeq(pair.value) || pair.value.flow) continue;
    const [dash] = dashOffsets(pair.value);
    const keyStart = (pair.key as Node).range?.[0];
    if (dash !== undefined && keyStart !== undefined) return column(place, dash) > column(place, keyStart);
  }
  return true;
}

/** The tenant as a block list item starting at `col`, lists of plain values in flow style as the committed stacks write them. */
function renderItem(tenant: unknown, col: number, indentSeq: boolean): string {
  const doc = new Document([tenant]);
  visit(doc, {
    Seq(_, node) {
      if (
        node !== doc.contents &&
        node.items.every((item) => isScalar(item) && !String(item.value).includes("\n"))
      )
        node.flow = true;
    },
  });
  const text = doc.toString({
    indent: 2,
    indentSeq,
    lineWidth: 0,
    blockQuote: "literal",
    flowCollectionPadding: false,
  });
  const pad = " ".repeat(col);
  return text
    .split("\n")
    .map((line) => (line === "" ? line : pad + line))
    .join("\n");
}

/** `text` with `tenant` appended to the environment's tenants, every other byte unchanged. */
export function appendTenant(text: string, tenant: unknown, doc?: Document.Parsed): string {
  const place = placeOf(text, doc);
  const indentSeq = indentsLists(place);
  const { tenants } = place;
  if (!tenants) {
    // No tenants key yet: it goes after the environment's last line.
    const firstKey = (place.environment.items[0]?.key as Node | undefined)?.range?.[0];
    if (firstKey === undefined) throw new TenantsTextError(`config.${ENVIRONMENT_CONFIG_KEY} is empty`);
    const col = column(place, firstKey);
    const end = itemEnd(place.lines, lineAt(place.lines, firstKey), col - 1);
    const block = `${" ".repeat(col)}tenants:\n${renderItem(tenant, indentSeq ? col + 2 : col, indentSeq)}`;
    return spliceLines(text, end, block);
  }
  if (tenants.flow) {
    if (tenants.items.length > 0)
      throw new TenantsTextError(
        "tenants is written in flow style ([...]): write it as a block list, one `- id: ...` item per line, then run again",
      );
    // `tenants: []` becomes `tenants:` and the item on the next lines.
    const colon = place.afterColon ?? 0;
    const keyCol = column(place, place.keyStart ?? 0);
    const withoutFlow = text.slice(0, colon) + text.slice(tenants.range?.[1] ?? colon);
    const lines = linesOf(withoutFlow);
    const lineEnd = (lines[lineAt(lines, colon)] as Line).end;
    return spliceLines(withoutFlow, lineEnd, renderItem(tenant, indentSeq ? keyCol + 2 : keyCol, indentSeq));
  }
  const dashes = dashOffsets(tenants);
  const lastDash = dashes.at(-1);
  if (lastDash === undefined) throw new TenantsTextError("tenants has no `- ` items to add after");
  const col = column(place, lastDash);
  const lastLine = lineAt(place.lines, lastDash);
  const end = itemEnd(place.lines, lastLine, col);
  // Tenants written apart by blank lines get the new one written apart too.
  const apart = place.lines[ownFirstLine(place.lines, lastLine, col) - 1]?.kind === "blank";
  return spliceLines(text, end, `${apart ? "\n" : ""}${renderItem(tenant, col, indentSeq)}`);
}

/** The first line of the item on `dashLine`: the comment lines right above it at its column are its own. */
function ownFirstLine(lines: readonly Line[], dashLine: number, col: number): number {
  let first = dashLine;
  while (first > 0 && lines[first - 1]?.kind === "comment" && lines[first - 1]?.indent === col) first--;
  return first;
}

/**
 * Inserts whole lines at `offset` (a line start, or the end of a text without a final newline),
 * with the text's own line ends (CRLF stays CRLF).
 */
function spliceLines(text: string, offset: number, block: string): string {
  const before = text.slice(0, offset);
  const lead = before === "" || before.endsWith("\n") ? "" : "\n";
  const lines = `${lead}${block.endsWith("\n") ? block : `${block}\n`}`;
  return `${before}${text.includes("\r\n") ? lines.replace(/\r?\n/g, "\r\n") : lines}${text.slice(offset)}`;
}

/** The index of tenant `id` in the list and the offset of its `-`. */
function findTenant(place: TenantsPlace, id: string): { index: number; dash: number; node: unknown } {
  const tenants = place.tenants;
  const index = tenants?.items.findIndex((item) => isMap(item) && item.get("id") === id) ?? -1;
  if (!tenants || index === -1) throw new TenantsTextError(`there is no tenant "${id}"`);
  if (tenants.flow)
    throw new TenantsTextError(
      "tenants is written in flow style ([...]): write it as a block list, one `- id: ...` item per line, then run again",
    );
  const dash = dashOffsets(tenants)[index];
  if (dash === undefined) throw new TenantsTextError(`tenant "${id}" is not a block list item`);
  return { index, dash, node: tenants.items[index] };
}

/**
 * `text` without tenant `id`: its lines, and the comment lines right above it at its dash's
 * column (its own comments; a comment separated from it by a blank line stays). Removing the
 * only tenant leaves `tenants: []`.
 */
export function removeTenantText(text: string, id: string, doc?: Document.Parsed): string {
  const place = placeOf(text, doc);
  const { dash } = findTenant(place, id);
  const { lines } = place;
  const col = column(place, dash);
  const dashLine = lineAt(lines, dash);
  let first = ownFirstLine(lines, dashLine, col);
  let end = itemEnd(lines, dashLine, col);
  // Tenants written apart by blank lines stay apart by as many: the blank lines after the
  // tenant go with it, or, where none follow (the last one), those before it.
  if (first > 0 && lines[first - 1]?.kind === "blank") {
    if (lines[lineAt(lines, end)]?.kind === "blank" && end < text.length) {
      for (let next = lineAt(lines, end); lines[next]?.kind === "blank"; next++)
        end = (lines[next] as Line).end;
    } else {
      while (first > 0 && lines[first - 1]?.kind === "blank") first--;
    }
  }
  const start = (lines[first] as Line).start;
  const remaining = text.slice(0, start) + text.slice(end);
  if ((place.tenants?.items.length ?? 0) > 1) return remaining;
  const colon = place.afterColon ?? 0;
  return `${remaining.slice(0, colon)} []${remaining.slice(colon)}`;
}

/**
 * `text` with `decommissioned: true` on tenant `id`: a `decommissioned: false` is turned to
 * true, or the line is added right after the tenant's `id`.
 */
export function decommissionTenantText(text: string, id: string, doc?: Document.Parsed): string {
  const place = placeOf(text, doc);
  const { node } = findTenant(place, id);
  const tenant = node as YAMLMap;
  if (tenant.flow)
    throw new TenantsTextError(
      `tenant "${id}" is written in flow style ({...}): write it as a block mapping, one key per line, then run again`,
    );
  const existing = tenant.items.find((p) => isScalar(p.key) && p.key.value === "decommissioned");
  if (existing) {
    if (!isScalar(existing.value) || !existing.value.range)
      throw new TenantsTextError(`tenant "${id}": decommissioned must be true or false`);
    const [start, end] = existing.value.range;
    return `${text.slice(0, start)}true${text.slice(end)}`;
  }
  const idPair = tenant.items.find((p) => isScalar(p.key) && p.key.value === "id");
  const idEnd = (idPair?.value as Node | undefined)?.range?.[1];
  const keyStart = (idPair?.key as Node | undefined)?.range?.[0];
  if (idEnd === undefined || keyStart === undefined)
    throw new TenantsTextError(`tenant "${id}" has no id key`);
  const after = (place.lines[lineAt(place.lines, idEnd)] as Line).end;
  return spliceLines(text, after, `${" ".repeat(column(place, keyStart))}decommissioned: true`);
}
