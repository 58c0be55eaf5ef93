/**
 * Bundles the policy pack into policy/dist/index.js: one CommonJS file holding the project's
 * invariants, so `pulumi policy publish`, which packages policy/ alone, needs nothing else but
 * the pack's own dependencies (@pulumi/policy and @pulumi/pulumi, left external).
 * Run `npm run build:policy`; a test fails while the committed bundle is stale.
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildSync } from "esbuild";

/** The bundle's text, built fresh. */
export function buildPolicyPack(): string {
  const result = buildSync({
    entryPoints: [fileURLToPath(new URL("./src/index.ts", import.meta.url))],
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node22",
    external: ["@pulumi/policy", "@pulumi/pulumi"],
    write: false,
    legalComments: "none",
    logLevel: "silent",
  });
  return result.outputFiles[0]?.text ?? "";
}

/** Where the bundle lives. */
export const POLICY_BUNDLE = fileURLToPath(new URL("./dist/index.js", import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(POLICY_BUNDLE, buildPolicyPack());
  console.log(`wrote ${POLICY_BUNDLE}`);
}
