// Schema problems and rule problems of one value are reported together (README "### Validation").

import { describe, expect, it } from "vitest";
import { parseEnvironment } from "../../../src/model/environment/environment.ts";
import { EnvironmentError } from "../../../src/model/environment/errors.ts";
import { environmentWithClouds, validEnvironment } from "../../fixtures/environment.ts";

// biome-ignore lint/suspicious/noExplicitAny: the cases write deliberately wrong shapes
type Raw = any;

function refusal(raw: unknown, stack = "dev"): EnvironmentError {
  try {
    parseEnvironment(raw, stack);
  } catch (error) {
    if (error instanceof EnvironmentError) return error;
    throw error;
  }
  throw new Error("expected the environment to be rejected");
}

const worker = (name: string, scopes = ["orders:read"]) => ({ name, grants: [{ api: "orders", scopes }] });

describe("validation reports schema and rule problems at once", () => {
  it("GIVEN a bad tenant id and an unknown scope in that tenant WHEN validated THEN both are reported, each at its path with its fix", () => {
    const raw: Raw = validEnvironment();
    raw.tenants[1].id = "Initech";
    raw.tenants[1].workloads[0].grants[0].scopes.push("orders:delete");
    expect(refusal(raw).issues).toEqual([
      {
        path: "tenants[1].id",
        message:
          "tenant id \"Initech\" must be 3 to 20 characters of a-z, 0-9 and '-', starting with a letter and not ending with '-'",
      },
      {
        path: "tenants[1].workloads[0].grants[0].scopes[1]",
        message:
          'scope "orders:delete" does not exist on API "orders": add it to that API\'s scopes or remove it from the grant',
      },
    ]);
  });

  it("GIVEN a misspelt key, a wildcard scope and a duplicate tenant id WHEN validated THEN all three are reported", () => {
    const raw: Raw = validEnvironment();
    raw.auth0.domian = "acme.eu.auth0.com";
    raw.apis[0].scopes.push({ value: "orders:*" });
    raw.tenants[1].id = "globex";
    expect(refusal(raw).issues.map((i) => i.path)).toEqual([
      "auth0",
      "apis[0].scopes[2].value",
      "tenants[1].id",
    ]);
  });

  it("GIVEN a tenant whose value has the wrong shape WHEN validated THEN it is reported, and the rules still check the other tenants under their own indexes", () => {
    const raw: Raw = validEnvironment();
    raw.tenants = [
      { id: "acme", workloads: [{ name: "worker", grants: "orders" }] },
      { id: "globex", workloads: [worker("billing")] },
      { id: "hooli", workloads: [worker("sync", ["orders:delete"])] },
    ];
    expect(refusal(raw).issues).toEqual([
      { path: "tenants[0].workloads[0].grants", message: 'must be an array, not "orders"' },
      {
        path: "tenants[2].workloads[0].grants[0].scopes[0]",
        message: expect.stringMatching(/^scope "orders:delete" does not exist on API "orders"/),
      },
    ]);
  });

  it("GIVEN a tenant of the wrong shape before one a rule refuses WHEN validated THEN the tenant index in the rule's message is the value's too", () => {
    const raw: Raw = environmentWithClouds(["gcp"]);
    raw.tenants.unshift({ id: "acme", workloads: "worker" });
    delete raw.tenants[2].gcp;
    expect(refusal(raw, "test").issues).toEqual([
      { path: "tenants[0].workloads", message: 'must be an array, not "worker"' },
      {
        path: "tenants[2].workloads[0].gcp.impersonateServiceAccount",
        message: expect.stringContaining("add tenants[2].gcp.serviceAccountRoles or drop impersonation"),
      },
    ]);
  });

  it("GIVEN no binding list and a grant to an unknown API WHEN validated THEN both are reported, and no binding rule guesses at the missing list", () => {
    const raw: Raw = validEnvironment();
    delete raw.credentialsExchange;
    raw.tenants[0].workloads[0].grants[0].api = "billing";
    expect(refusal(raw).issues).toEqual([
      {
        path: "credentialsExchange",
        message: expect.stringMatching(/^is required: list the credentials-exchange/),
      },
      {
        path: "tenants[0].workloads[0].grants[0].api",
        message: 'unknown API "billing": use one of the keys under apis (orders, reports)',
      },
    ]);
  });

  it("GIVEN no Auth0 domain and two APIs with one identifier WHEN validated THEN both are reported", () => {
    const raw: Raw = validEnvironment();
    delete raw.auth0.domain;
    raw.apis[1].identifier = raw.apis[0].identifier;
    expect(refusal(raw).issues.map((i) => i.path)).toEqual(["auth0.domain", "apis[1].identifier"]);
  });

  it("GIVEN an API of the wrong shape WHEN validated THEN no rule that reads the APIs runs, so none reports a grant to it as unknown", () => {
    const raw: Raw = validEnvironment();
    raw.apis[0].scopes = "orders:read";
    raw.credentialsExchange.bindings.push({ action: "tenant-claims" });
    expect(refusal(raw).issues).toEqual([
      { path: "apis[0].scopes", message: 'must be an array, not "orders:read"' },
      {
        path: "credentialsExchange.bindings",
        message: 'Action "tenant-claims" is bound twice (binding 2 of this project\'s): bind it once',
      },
    ]);
  });

  it("GIVEN a stack name with '-' and an unknown scope WHEN validated THEN both are reported, without composed-name findings that repeat the name's", () => {
    const raw: Raw = validEnvironment();
    raw.tenants[0].workloads[0].grants[0].scopes.push("orders:delete");
    expect(refusal(raw, "dev-prod").issues.map((i) => i.path)).toEqual([
      "(stack name)",
      "tenants[0].workloads[0].grants[0].scopes[2]",
    ]);
  });

  it("GIVEN a value that is no object WHEN validated THEN the one problem is reported, as a message without a stack trace", () => {
    const error = refusal(["tenants"]);
    expect(error.issues).toEqual([{ path: "", message: "must be an object, not a list" }]);
    expect(error.message).toBe(
      'The environment of stack "dev" (config key m2m:environment) has 1 problem; nothing was created or changed:\n  - (root): must be an object, not a list',
    );
  });
});
