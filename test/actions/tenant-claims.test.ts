import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AWS_TAGS_CLAIM } from "../../src/model/contract/aws-session-tags.ts";
import { CLIENT_METADATA_KEYS, MANAGED_BY_VALUE } from "../../src/model/contract/claims.ts";
import { isTenantId, TENANT_ID_PATTERN } from "../../src/model/contract/tenant-id.ts";
import { parseEnvironment } from "../../src/model/environment/environment.ts";
import { EnvironmentError } from "../../src/model/environment/errors.ts";
import {
  CredentialsExchangeRuntime,
  type EventOverrides,
  type ExecutionResult,
  loadActionSource,
  loadProjectAction,
} from "../../src/runtime/index.ts";
import { validEnvironment } from "../fixtures/environment.ts";

const NAMESPACE = "https://claims.acme.example/";
const MANAGEMENT_AUDIENCE = "https://acme-test.eu.auth0.com/api/v2/";
const TENANT_CLAIM = `${NAMESPACE}tenant_id`;
const WORKLOAD_CLAIM = `${NAMESPACE}workload`;
const action = loadProjectAction("tenant-claims", {
  claimNamespace: NAMESPACE,
  managementAudience: MANAGEMENT_AUDIENCE,
});
const runtime = new CredentialsExchangeRuntime({ tenantDomain: "acme-test.eu.auth0.com" });
const RUNS = { numRuns: 1_000 };

const managed = (tenantId?: string, workload?: string): Record<string, string> => ({
  [CLIENT_METADATA_KEYS.managedBy]: MANAGED_BY_VALUE,
  ...(tenantId === undefined ? {} : { [CLIENT_METADATA_KEYS.tenantId]: tenantId }),
  ...(workload === undefined ? {} : { [CLIENT_METADATA_KEYS.workload]: workload }),
});

const execute = (metadata: Record<string, string>, event: EventOverrides = {}): Promise<ExecutionResult> =>
  runtime.execute([action], {
    event: { ...event, client: { metadata } },
    grantedScopes: ["orders:read", "orders:write"],
  });

/** Everything a caller controls in a request: body, requested scopes, client-side headers, IP. */
const callerControlled = fc.record({
  body: fc.dictionary(
    fc.oneof(fc.constantFrom("tenant_id", "workload", TENANT_CLAIM, "audience", "scope"), fc.string()),
    fc.oneof(fc.string(), fc.constantFrom("initech", "globex", "umbrella")),
  ),
  scopes: fc.subarray(["orders:read", "orders:write"]),
  user_agent: fc.string(),
  hostname: fc.domain(),
  ip: fc.ipV4(),
  language: fc.constantFrom("en", "de", "tenant_id=initech"),
});

const validId = fc.stringMatching(TENANT_ID_PATTERN);
const malformedId = fc.oneof(
  fc.string({ maxLength: 30 }).filter((s) => !isTenantId(s)),
  fc.constant(undefined),
);

describe("tenant-claims through the faithful runtime", () => {
  it("GIVEN valid tenant metadata WHEN 1,000 generated requests run THEN each token carries exactly that tenant and workload", async () => {
    await fc.assert(
      fc.asyncProperty(validId, validId, callerControlled, async (tenantId, workload, caller) => {
        const result = await execute(managed(tenantId, workload), {
          request: {
            body: caller.body,
            user_agent: caller.user_agent,
            hostname: caller.hostname,
            ip: caller.ip,
          },
          transaction: { requested_scopes: caller.scopes },
        });
        expect(result.outcome).toBe("issued");
        expect(result.claims).toEqual({ [TENANT_CLAIM]: tenantId, [WORKLOAD_CLAIM]: workload });
      }),
      RUNS,
    );
  });

  it("GIVEN missing or malformed metadata WHEN 1,000 generated requests run THEN each is denied with invalid_request and no claim", async () => {
    const broken = fc.oneof(
      fc.tuple(malformedId, fc.oneof(validId, malformedId)),
      fc.tuple(validId, malformedId),
    );
    await fc.assert(
      fc.asyncProperty(broken, callerControlled, async ([tenantId, workload], caller) => {
        const result = await execute(managed(tenantId, workload), { request: { body: caller.body } });
        expect(result.outcome).toBe("denied");
        expect(result.denied).toEqual({
          action: "tenant-claims",
          code: "invalid_request",
          reason: expect.stringMatching(/missing or malformed/),
        });
        expect(result.claims).toEqual({});
      }),
      RUNS,
    );
  });

  it("GIVEN one managed client WHEN 1,000 generated bodies, scopes and headers name other tenants THEN the claim never changes", async () => {
    const metadata = managed("globex", "billing");
    await fc.assert(
      fc.asyncProperty(callerControlled, async (caller) => {
        const result = await execute(metadata, {
          request: {
            body: caller.body,
            user_agent: caller.user_agent,
            hostname: caller.hostname,
            ip: caller.ip,
            language: caller.language,
          },
          transaction: { requested_scopes: caller.scopes },
        });
        expect(result.claims).toEqual({ [TENANT_CLAIM]: "globex", [WORKLOAD_CLAIM]: "billing" });
      }),
      RUNS,
    );
  });

  describe("GIVEN a client this tool does not manage", () => {
    for (const [name, metadata] of [
      ["no metadata", {}],
      ["another tool's marker", { managed_by: "terraform", tenant_id: "globex", workload: "billing" }],
      ["tenant metadata but no marker", { tenant_id: "globex", workload: "billing" }],
    ] as [string, Record<string, string>][]) {
      it(`WHEN it has ${name} THEN its token is issued untouched`, async () => {
        expect(await execute(metadata)).toMatchObject({ outcome: "issued", claims: {}, diagnostics: [] });
      });
    }
  });

  describe("GIVEN a token for the tenant's Management API", () => {
    it("WHEN even a managed client with broken metadata asks THEN it is never denied", async () => {
      const result = await execute(managed(), { resource_server: { identifier: MANAGEMENT_AUDIENCE } });
      expect(result).toMatchObject({ outcome: "issued", claims: {} });
    });

    it("WHEN an API merely looks like a Management API (another host's /api/v2/) THEN the Action still fails closed", async () => {
      for (const identifier of [
        "https://orders.acme.example/api/v2/",
        "https://other-tenant.eu.auth0.com/api/v2/",
      ]) {
        const result = await execute(managed(), { resource_server: { identifier } });
        expect(result.denied?.code).toBe("invalid_request");
      }
    });
  });

  describe("GIVEN AWS is on for the environment", () => {
    const AWS_API = "https://aws.m2m.acme.example";
    const withAws = loadProjectAction("tenant-claims", {
      claimNamespace: NAMESPACE,
      managementAudience: MANAGEMENT_AUDIENCE,
      awsAudience: AWS_API,
      awsTransitiveTagKeys: ["tenant_id"],
    });
    const request = (audience: string) =>
      runtime.execute([withAws], {
        event: {
          client: { metadata: managed("globex", "billing") },
          resource_server: { identifier: audience },
        },
      });

    it("WHEN a managed client asks for the AWS API THEN the token carries the session tags of its tenant and workload", async () => {
      expect((await request(AWS_API)).claims).toEqual({
        [TENANT_CLAIM]: "globex",
        [WORKLOAD_CLAIM]: "billing",
        "https://aws.amazon.com/tags": {
          principal_tags: { tenant_id: ["globex"], workload: ["billing"] },
          transitive_tag_keys: ["tenant_id"],
        },
      });
    });

    it("WHEN it asks for any other API THEN there are no session tags, so the token cannot assume its role", async () => {
      expect(await request("https://orders.api.acme.example")).toMatchObject({
        outcome: "issued",
        claims: { [TENANT_CLAIM]: "globex", [WORKLOAD_CLAIM]: "billing" },
      });
      expect((await request("https://orders.api.acme.example")).claims).not.toHaveProperty([
        "https://aws.amazon.com/tags",
      ]);
    });
  });

  describe("GIVEN the Action built without a namespace", () => {
    it("WHEN a managed client asks THEN it fails closed with server_error", async () => {
      const blank = loadProjectAction("tenant-claims", {
        claimNamespace: "",
        managementAudience: MANAGEMENT_AUDIENCE,
      });
      const result = await runtime.execute([blank], {
        event: { client: { metadata: managed("globex", "billing") } },
      });
      expect(result).toMatchObject({ outcome: "denied", claims: {}, denied: { code: "server_error" } });
    });
  });

  describe("GIVEN an Action that forges tenant claims", () => {
    const AWS_API = "https://aws.m2m.acme.example";
    const withAws = loadProjectAction("tenant-claims", {
      claimNamespace: NAMESPACE,
      managementAudience: MANAGEMENT_AUDIENCE,
      awsAudience: AWS_API,
    });
    const forger = (claim: string, value: unknown) =>
      loadActionSource("test/fixtures/actions/claim-forger.ts", {
        name: "claim-forger",
        constants: { CLAIM: claim, VALUE: JSON.stringify(value) },
      });
    const initechTags = { principal_tags: { tenant_id: ["initech"], workload: ["exporter"] } };
    const FORGED: [string, unknown][] = [
      [TENANT_CLAIM, "initech"],
      [WORKLOAD_CLAIM, "exporter"],
      [`${NAMESPACE}role`, "admin"],
      [AWS_TAGS_CLAIM, initechTags],
    ];

    it("WHEN it is bound after tenant-claims THEN validation refuses the binding list, since there it would overwrite the tenant", async () => {
      const overwritten = await runtime.execute([action, forger(TENANT_CLAIM, "initech")], {
        event: { client: { metadata: managed("globex", "billing") } },
      });
      expect(overwritten.claims[TENANT_CLAIM]).toBe("initech");

      const raw = validEnvironment();
      raw.credentialsExchange = {
        bindings: [{ action: "tenant-claims" }, { id: "act_forger", displayName: "Claim forger" }],
      };
      const refused = (() => {
        try {
          parseEnvironment(raw, "dev");
        } catch (error) {
          return error;
        }
      })();
      expect(refused).toBeInstanceOf(EnvironmentError);
      expect((refused as EnvironmentError).issues).toEqual([
        {
          path: "credentialsExchange.bindings[0]",
          message: expect.stringMatching(
            /^"tenant-claims" must be the last binding, but "Claim forger" \(act_forger\) runs after it/,
          ),
        },
      ]);
    });

    for (const [claim, value] of FORGED) {
      it(`WHEN the token already carries ${claim} as tenant-claims runs THEN a managed client's token is denied with server_error naming it`, async () => {
        const result = await runtime.execute([withAws], {
          event: {
            client: { metadata: managed("globex", "billing") },
            resource_server: { identifier: AWS_API },
            accessToken: { customClaims: { [claim]: value } },
          },
        });
        expect(result).toMatchObject({
          outcome: "denied",
          claims: {},
          denied: {
            action: "tenant-claims",
            code: "server_error",
            reason: `claim ${claim} was set before tenant-claims ran: tenant claims come from tenant-claims alone; unbind the Action that sets it`,
          },
        });
      });
    }

    it("WHEN the token already carries a claim outside the namespace THEN the token is issued with it and the tenant claims", async () => {
      const result = await runtime.execute([action], {
        event: {
          client: { metadata: managed("globex", "billing") },
          accessToken: { customClaims: { "https://labels.example/label": "blue" } },
        },
      });
      expect(result).toMatchObject({ outcome: "issued", claims: { [TENANT_CLAIM]: "globex" } });
    });

    it("WHEN a client this tool does not manage carries a forged claim THEN tenant-claims leaves its token alone", async () => {
      const result = await runtime.execute([action], {
        event: { client: { metadata: {} }, accessToken: { customClaims: { [TENANT_CLAIM]: "initech" } } },
      });
      expect(result.outcome).toBe("issued");
    });

    it("WHEN it is bound before tenant-claims and sets tenant_id and workload THEN tenant-claims, bound last, sets the client's own over them", async () => {
      const result = await runtime.execute(
        [forger(TENANT_CLAIM, "initech"), forger(WORKLOAD_CLAIM, "exporter"), action],
        { event: { client: { metadata: managed("globex", "billing") } } },
      );
      expect(result).toMatchObject({
        outcome: "issued",
        claims: { [TENANT_CLAIM]: "globex", [WORKLOAD_CLAIM]: "billing" },
      });
    });

    // The stated limit: every Action sees the access token the trigger started with
    // (UNCONFIRMED.accessTokenFixed), so a claim an earlier Action sets only on a token tenant-claims
    // does not rewrite stays. Cloud trust still anchors on sub, so it cannot reach another tenant.
    it("WHEN it is bound before tenant-claims and sets the AWS tags claim on a token for another API THEN the claim stays (the limit the README states)", async () => {
      const result = await runtime.execute([forger(AWS_TAGS_CLAIM, initechTags), withAws], {
        event: {
          client: { metadata: managed("globex", "billing") },
          resource_server: { identifier: "https://orders.api.acme.example" },
        },
      });
      expect(result).toMatchObject({
        outcome: "issued",
        claims: { [AWS_TAGS_CLAIM]: initechTags, [TENANT_CLAIM]: "globex" },
      });
    });
  });
});
