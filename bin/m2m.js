#!/usr/bin/env node
// The m2m command: loads its TypeScript sources through tsx (Node 22 or later).
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
