import { existsSync } from "node:fs";
import path from "node:path";

// What the repository's layering tests read of a source file: every module it names, however
// written. Quotes of any kind (template strings included), comments before the specifier,
// import attributes, `require`, and vitest's module functions (`vi.mock`, `vi.doMock`,
// `vi.importActual<...>`).
const FORMS = [
  /\bfrom\s*(["'`])([^"'`]+)\1/g,
  /\bimport\s*(["'`])([^"'`]+)\1/g,
  /\bimport\s*\(\s*(?:\/\*[\s\S]*?\*\/\s*|\/\/[^\n]*\n\s*)*(["'`])([^"'`]+)\1/g,
  /\brequire\s*\(\s*(["'`])([^"'`]+)\1/g,
  /\bvi\.\w+\s*(?:<[^>]*>)?\s*\(\s*(["'`])([^"'`]+)\1/g,
];

/** Every module specifier `source` names, in no particular order. */
export function moduleSpecifiers(source: string): string[] {
  return FORMS.flatMap((form) => [...source.matchAll(form)].map((match) => match[2] as string));
}

/**
 * The file a relative specifier of `fromFile` loads, as tsx and esbuild resolve it: as written,
 * `.js` standing for `.ts`, no extension meaning `.ts` or a folder's `index.ts`. Relative to the
 * working directory; undefined for a package or a file that does not exist.
 */
export function resolvedModule(fromFile: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const target = path.resolve(path.dirname(fromFile), specifier);
  const candidates = [
    target,
    target.replace(/\.(m?)js$/, ".$1ts"),
    `${target}.ts`,
    path.join(target, "index.ts"),
  ];
  const found = candidates.find((candidate) => existsSync(candidate) && path.extname(candidate) !== "");
  return found === undefined ? undefined : path.relative(process.cwd(), found);
}
