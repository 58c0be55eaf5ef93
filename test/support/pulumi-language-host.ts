/**
 * Starts the Pulumi program the way the Pulumi CLI's Node.js language host does, under mocks:
 * this file runs with the `nodeargs` of Pulumi.yaml (so the same loader), resolves `main` from
 * Pulumi.yaml, and, the package being an ES module, imports it and calls its default export, as
 * @pulumi/pulumi's cmd/run does. Prints the registered resources as JSON on stdout.
 *
 * Usage: node <nodeargs from Pulumi.yaml> test/support/pulumi-language-host.ts <stack>
 */
import { realpathSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parse } from "yaml";
import { committedEnvironment, mockStack, settled, stackConfig } from "./mocked-stack.ts";

const stack = process.argv[2] ?? "dev";
const project = parse(await readFile("Pulumi.yaml", "utf8")) as { main?: string };
const packageJson = JSON.parse(await readFile("package.json", "utf8")) as { type?: string };
if (packageJson.type !== "module") throw new Error("this host mirrors the SDK's ES module path only");

const resources = await mockStack(stack, stackConfig(committedEnvironment(stack)), ["m2m:auth0ClientSecret"]);
const main = realpathSync(path.resolve(project.main ?? "."));
const programExport = (await import(pathToFileURL(main).href)) as { default?: unknown };
const entry = programExport.default ?? programExport;
const outputs = await (typeof entry === "function" ? entry() : entry);
await settled();
process.stdout.write(
  JSON.stringify({ outputs: Object.keys(outputs as object), types: resources.map((r) => r.type) }),
);
