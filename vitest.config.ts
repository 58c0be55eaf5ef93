import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    // Pulumi's mocks keep process-wide state: run test files in separate processes.
    pool: "forks",
  },
});
