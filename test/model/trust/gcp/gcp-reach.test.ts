// What GCP workloads reach by resource containment, following impersonation: nothing of another
// tenant on the committed stacks, and every way a changed model could reach across is found.

import { describe, expect, it } from "vitest";
import { type Environment, parseEnvironment } from "../../../../src/model/environment/environment.ts";
import { gcpReachFindings, gcpWorkloadReach } from "../../../../src/model/trust/gcp/gcp-reach.ts";
import { readStackFile } from "../../../../src/stack/stack-file.ts";

const committed = (stack: string): Environment =>
  parseEnvironment(structuredClone(readStackFile(process.cwd(), stack).config["m2m:environment"]), stack);

/** A validated environment changed afterwards, as a hand-edited model or a bypassed rule would be. */
// biome-ignore lint/suspicious/noExplicitAny: the cases write into the parsed shape
function changed(edit: (env: any) => void): Environment {
  const env = structuredClone(committed("dev"));
  edit(env);
  return env;
}

describe("GCP reach", () => {
  describe("GIVEN the committed stacks", () => {
    for (const stack of ["dev", "staging", "prod"]) {
      it(`WHEN ${stack}'s reach is checked THEN no workload reaches another tenant and each reaches its own`, () => {
        expect(gcpReachFindings(committed(stack))).toEqual([]);
      });
    }

    it("WHEN dev's reach is listed THEN it shows each workload's own resources, through its service account too", () => {
      expect(gcpWorkloadReach(committed("dev"))).toEqual([
        {
          cloud: "gcp",
          tenantId: "initech",
          workload: "report-export",
          resource: "projects/_/buckets/acme-dev-initech_exports",
          access: "roles/storage.objectCreator",
        },
        {
          cloud: "gcp",
          tenantId: "initech",
          workload: "report-export",
          resource: "projects/acme-m2m-dev/datasets/dev_initech",
          access:
            "roles/bigquery.dataViewer via service account dev-initech@acme-m2m-dev.iam.gserviceaccount.com",
        },
        {
          cloud: "gcp",
          tenantId: "umbrella",
          workload: "analytics",
          resource: "projects/acme-m2m-dev/datasets/dev_umbrella",
          access: "roles/bigquery.dataViewer",
        },
      ]);
    });
  });

  describe("GIVEN a changed model", () => {
    it("WHEN umbrella holds a project-wide role THEN it reaches every other tenant's resources", () => {
      const env = changed((e) => {
        e.tenants[2].workloads[0].gcp.roles = [{ role: "roles/bigquery.jobUser" }];
      });
      const findings = gcpReachFindings(env);
      expect(findings).toContainEqual({
        kind: "tenant-reach",
        subject: "gcp principal of umbrella/analytics",
        message:
          "reaches dataset dev_initech (every resource of project acme-m2m-dev) of initech (roles/bigquery.jobUser)",
      });
      expect(findings.filter((f) => f.kind === "tenant-reach")).toHaveLength(4);
    });

    it("WHEN umbrella may mint tokens of every service account THEN it reaches initech's dataset through initech's account", () => {
      const env = changed((e) => {
        e.tenants[2].workloads[0].gcp.roles.push({
          role: "roles/iam.serviceAccountTokenCreator",
          project: true,
        });
      });
      expect(gcpReachFindings(env)).toContainEqual({
        kind: "tenant-reach",
        subject: "gcp principal of umbrella/analytics",
        message:
          "reaches projects/acme-m2m-dev/datasets/dev_initech of initech (roles/bigquery.dataViewer via service account dev-initech@acme-m2m-dev.iam.gserviceaccount.com)",
      });
    });

    it("WHEN a workload is bound on another tenant's bucket THEN that is reach of the owner", () => {
      const env = changed((e) => {
        e.tenants[2].workloads[0].gcp.roles = [
          { role: "roles/storage.objectViewer", bucket: "acme-dev-initech_exports" },
        ];
      });
      expect(gcpReachFindings(env)).toEqual([
        {
          kind: "tenant-reach",
          subject: "gcp principal of umbrella/analytics",
          message:
            "reaches projects/_/buckets/acme-dev-initech_exports of initech (roles/storage.objectViewer)",
        },
        {
          kind: "own-reach-unproven",
          subject: "gcp principal of umbrella/analytics",
          message:
            "none of its bindings reaches a resource its tenant declares (clouds.gcp.tenantResources) or its partition of a shared bucket",
        },
      ]);
    });

    it("WHEN a shared bucket has a prefix partition THEN each tenant reaches its prefix, marked shared; without one, every tenant's", () => {
      const share = (partition: unknown) =>
        changed((e) => {
          e.clouds.gcp.shared = [
            {
              name: "drop",
              bucket: "acme-dev-drop",
              roles: ["roles/storage.objectCreator"],
              partition,
              reason: "r",
            },
          ];
          e.tenants[2].workloads[0].gcp.roles.push({
            role: "roles/storage.objectCreator",
            bucket: "acme-dev-drop",
          });
        });
      const partitioned = share({ objectPrefix: true });
      expect(gcpReachFindings(partitioned)).toEqual([]);
      expect(gcpWorkloadReach(partitioned)).toContainEqual(
        expect.objectContaining({
          resource: "projects/_/buckets/acme-dev-drop/objects/umbrella/",
          shared: "drop",
        }),
      );
      expect(gcpReachFindings(share("none"))).toEqual([
        {
          kind: "tenant-reach",
          subject: "gcp principal of umbrella/analytics",
          message:
            "reaches projects/_/buckets/acme-dev-drop/objects/ of globex, initech (roles/storage.objectCreator, shared entry drop without a partition)",
        },
      ]);
    });
  });
});
