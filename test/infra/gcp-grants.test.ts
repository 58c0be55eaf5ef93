// The GCP bindings the program registers: each on its one target, never on the project; on a
// shared bucket conditioned to the tenant's object prefix.

import { describe, expect, it } from "vitest";
import program from "../../infra/index.ts";
import { environmentWithClouds } from "../fixtures/environment.ts";
import { mockStack, settled, stackConfig } from "../support/mocked-stack.ts";

// biome-ignore lint/suspicious/noExplicitAny: the case writes into the raw, untyped shape
const raw: any = structuredClone(environmentWithClouds(["gcp"]));
raw.clouds.gcp.tenantResources = {
  buckets: ["acme-{env}-{tenant}_*"],
  datasets: ["{env}_{tenant}"],
  topics: ["{env}.{tenant}.events"],
  secrets: ["{env}_{tenant}_api-key"],
};
raw.clouds.gcp.shared = [
  {
    name: "drop",
    bucket: "acme-test-drop",
    roles: ["roles/storage.objectCreator"],
    partition: { objectPrefix: true },
    reason: "partner uploads",
  },
];
raw.tenants[1].workloads[0].gcp.roles.push(
  { role: "roles/pubsub.publisher", topic: "test.initech.events" },
  { role: "roles/secretmanager.secretAccessor", secret: "test_initech_api-key" },
  { role: "roles/storage.objectCreator", bucket: "acme-test-drop" },
);

describe("GCP bindings under mocks", () => {
  it("GIVEN initech's topic, secret and shared-bucket grants WHEN the program runs THEN each is bound on its target, the shared one conditioned to initech/", async () => {
    const resources = await mockStack("test", stackConfig(raw), ["m2m:auth0ClientSecret"]);
    await program();
    await settled();
    const input = (type: string, name: string) =>
      resources.find((r) => r.type === type && r.name === name)?.inputs;
    const member = expect.stringMatching(/^principal:\/\/.*\/subject\/initech-exporter-client-id@clients$/);
    expect(input("gcp:pubsub/topicIAMMember:TopicIAMMember", "initech-exporter-role-1")).toEqual({
      project: "acme-test",
      topic: "test.initech.events",
      role: "roles/pubsub.publisher",
      member,
    });
    expect(input("gcp:secretmanager/secretIamMember:SecretIamMember", "initech-exporter-role-2")).toEqual({
      project: "acme-test",
      secretId: "test_initech_api-key",
      role: "roles/secretmanager.secretAccessor",
      member,
    });
    expect(input("gcp:storage/bucketIAMMember:BucketIAMMember", "initech-exporter-role-3")).toEqual({
      bucket: "acme-test-drop",
      role: "roles/storage.objectCreator",
      member,
      condition: {
        title: "tenant initech objects only",
        description: "Objects of acme-test-drop under initech/: the tenant's partition of a shared bucket",
        expression: "resource.name.startsWith('projects/_/buckets/acme-test-drop/objects/initech/')",
      },
    });
    expect(resources.filter((r) => r.type === "gcp:projects/iAMMember:IAMMember")).toEqual([]);
  });
});
