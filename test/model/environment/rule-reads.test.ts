// Each rule reads only the parts it declares: on a refused value, a rule runs exactly when those
// parts had their shape, so a rule reading an undeclared part could read a wrong shape.

import { describe, expect, it } from "vitest";
import { parseEnvironment } from "../../../src/model/environment/environment.ts";
import type { Rule } from "../../../src/model/environment/rule.ts";
import { RULES } from "../../../src/model/environment/rules.ts";
import type { EnvironmentConfig } from "../../../src/model/environment/schema.ts";
import { environmentWithClouds } from "../../fixtures/environment.ts";

// biome-ignore lint/suspicious/noExplicitAny: the cases write deliberately wrong shapes
type Raw = any;

/** `target` seen through `reads`: reading a part outside them throws, naming it. */
function guarded<T extends object>(target: T, reads: readonly string[], at = ""): T {
  return new Proxy(target, {
    get(object, key, receiver) {
      const value: unknown = Reflect.get(object, key, receiver);
      if (typeof key === "symbol") return value;
      const path = at ? `${at}.${key}` : key;
      if (reads.some((part) => path === part || path.startsWith(`${part}.`))) return value;
      if (reads.some((part) => part.startsWith(`${path}.`))) return guarded(value as object, reads, path);
      throw new Error(`the rule reads ${path}, which its reads do not list`);
    },
  });
}

/** A config exercising every rule: all clouds, every authentication method, found problems too. */
function configs(): EnvironmentConfig[] {
  const valid = environmentWithClouds(["aws", "gcp", "azure"]) as Raw;
  valid.credentialsExchange.bindings.unshift({ id: "act_1", displayName: "Security team" });
  const env = parseEnvironment(valid, "test");
  const broken = structuredClone(env) as Raw;
  broken.auth0.customDomain = broken.auth0.domain;
  broken.apis[0].identifier = `https://${broken.auth0.domain}/api/v2/`;
  broken.tenants[0].workloads[0].grants[0].api = "nope";
  broken.tenants[1].workloads[1].metadata = { tenant_id: "x" };
  broken.credentialsExchange.bindings.push({ action: "tenant-claims" });
  return [env, broken];
}

describe("Rule.reads", () => {
  const rules: readonly Rule[] = RULES;
  for (const rule of rules) {
    it(`GIVEN the rule ${rule.check.name} WHEN it checks configs with and without problems THEN it reads only ${rule.reads.join(", ")}`, () => {
      for (const config of configs()) {
        expect(() => rule.check(guarded(config, rule.reads), "test")).not.toThrow();
      }
    });
  }

  it("GIVEN a rule that reads an undeclared part WHEN guarded THEN the guard names the part", () => {
    const [config] = configs();
    const rule = RULES.find((r) => r.check.name === "auth0Domains");
    expect(() => rule?.check(guarded(config as EnvironmentConfig, ["auth0.domain"]), "test")).toThrow(
      /reads auth0\.(customDomain|tokenDomain), which its reads do not list/,
    );
  });
});
