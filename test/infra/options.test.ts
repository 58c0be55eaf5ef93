import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { optionsFor } from "../../infra/options.ts";
import { mockStack } from "../support/mocked-stack.ts";

class Stand extends pulumi.CustomResource {
  constructor(name: string) {
    super("test:index:Stand", name, {});
  }
}

describe("optionsFor", () => {
  it("GIVEN a grant in production WHEN given its scopes and binding THEN it is protected and depends on both", async () => {
    await mockStack("prod", {});
    const scopes = new Stand("scopes");
    const binding = new Stand("binding");
    const options = optionsFor(
      "clientGrant",
      { production: true },
      {},
      { apiScopes: [scopes], triggerBinding: [binding] },
    );
    expect(options).toEqual({ protect: true, retainOnDelete: false, dependsOn: [scopes, binding] });
  });

  it("GIVEN a grant WHEN the caller forgets the trigger binding THEN it throws instead of dropping the order", async () => {
    await mockStack("dev", {});
    expect(() =>
      optionsFor("clientGrant", { production: false }, {}, { apiScopes: [new Stand("s")] }),
    ).toThrow(/clientGrant must follow triggerBinding, but no triggerBinding resource was given/);
  });

  it("GIVEN a kind with nothing to follow WHEN asked THEN the base options pass through without dependsOn", () => {
    const provider = { urn: "p" } as unknown as pulumi.ProviderResource;
    expect(optionsFor("client", { production: false }, { provider })).toEqual({
      provider,
      protect: false,
      retainOnDelete: false,
    });
  });
});
