// GCP tenant confinement by construction: tenant resource patterns, shared buckets, grant
// targets and roles as validation judges them, on the fixture and on the committed stacks.

import { describe, expect, it } from "vitest";
import { parseEnvironment } from "../../../../src/model/environment/environment.ts";
import { environmentWithClouds } from "../../../fixtures/environment.ts";
import { committedRaw, validationIssues } from "../../../support/validation.ts";

// biome-ignore lint/suspicious/noExplicitAny: the cases write into the raw, untyped shape
type Raw = any;

/** A fresh fixture: the fixture shares its cloud objects between calls. */
const gcpEnv = () => structuredClone(environmentWithClouds(["gcp"])) as Raw;

const issuesOf = validationIssues;

describe("GCP confinement", () => {
  describe("GIVEN the committed stacks", () => {
    for (const stack of ["dev", "staging", "prod"]) {
      it(`WHEN ${stack} is validated THEN it passes, BigQuery granted on each tenant's own dataset`, () => {
        const env = parseEnvironment(committedRaw(stack), stack);
        expect(env.tenants[1]?.gcp?.serviceAccountRoles).toEqual([
          { role: "roles/bigquery.dataViewer", dataset: `${stack}_initech` },
        ]);
        expect(env.tenants[2]?.workloads[0]?.gcp?.roles).toEqual([
          { role: "roles/bigquery.dataViewer", dataset: `${stack}_umbrella` },
        ]);
      });
    }

    it("WHEN umbrella's old project-wide BigQuery grant is put back THEN it is refused with what it would reach and the fix", () => {
      const raw = committedRaw("dev");
      raw.tenants[2].workloads[0].gcp.roles = [{ role: "roles/bigquery.jobUser" }];
      expect(issuesOf(raw, "dev")).toEqual([
        {
          path: "tenants[2].workloads[0].gcp.roles[0]",
          message:
            "roles/bigquery.jobUser for workload umbrella/analytics names no target, which means the whole project acme-m2m-dev: a project binding reaches every resource of the project, every other tenant's (globex: bucket acme-dev-globex_*, dataset dev_globex; initech: bucket acme-dev-initech_*, dataset dev_initech), and GCP has no tenant partition for it. Grant it on one of umbrella's own (bucket: acme-dev-umbrella_*, dataset: dev_umbrella), or on a bucket declared under clouds.gcp.shared with partition {objectPrefix: true}",
        },
      ]);
    });

    it("WHEN initech's old project-wide dataViewer is put back, even written project: true, THEN it is refused the same way", () => {
      const raw = committedRaw("prod");
      raw.tenants[1].gcp.serviceAccountRoles = [{ role: "roles/bigquery.dataViewer", project: true }];
      const [issue, ...rest] = issuesOf(raw, "prod");
      expect(rest).toEqual([]);
      expect(issue?.path).toBe("tenants[1].gcp.serviceAccountRoles[0]");
      expect(issue?.message).toMatch(
        /^roles\/bigquery\.dataViewer for service account of initech is on the whole project acme-m2m-prod: .*umbrella: bucket acme-prod-umbrella_\*, dataset prod_umbrella\).* Grant it on one of initech's own \(bucket: acme-prod-initech_\*, dataset: prod_initech\)/,
      );
    });
  });

  describe("GIVEN tenant resource patterns", () => {
    it("WHEN a pattern lets the tenant id run on THEN it is refused with the fix", () => {
      const raw = gcpEnv();
      raw.clouds.gcp.tenantResources.buckets = ["acme-{env}-{tenant}-exports"];
      expect(issuesOf(raw)).toContainEqual({
        path: "clouds.gcp.tenantResources.buckets[0]",
        message: expect.stringContaining('"{tenant}" is followed by "-"'),
      });
    });

    it("WHEN a pattern makes names the service refuses THEN each tenant's bad name is reported", () => {
      const raw = gcpEnv();
      raw.clouds.gcp.tenantResources.topics = ["goog.{tenant}"];
      expect(issuesOf(raw).map((i) => i.message)).toContainEqual(
        expect.stringMatching(/^goog\.globex .* is not a valid topic name: .*not with goog/),
      );
    });

    it("WHEN two patterns can name one bucket of two tenants THEN the overlap is refused", () => {
      const raw = gcpEnv();
      raw.tenants[0].id = "test-a";
      raw.tenants[1].id = "a";
      raw.clouds.gcp.tenantResources = { buckets: ["acme-{tenant}_x", "acme-test-{tenant}_x"] };
      expect(issuesOf(raw)).toContainEqual({
        path: "clouds.gcp.tenantResources.buckets",
        message: expect.stringMatching(/^acme-test-a_x .* and acme-test-a_x .* can name the same bucket/),
      });
    });
  });

  describe("GIVEN grants", () => {
    it("WHEN a workload is granted another tenant's bucket THEN it is refused, naming the owner", () => {
      const raw = gcpEnv();
      raw.tenants[1].workloads[0].gcp.roles = [
        { role: "roles/storage.objectViewer", bucket: "acme-test-globex_x" },
      ];
      expect(issuesOf(raw)).toEqual([
        {
          path: "tenants[1].workloads[0].gcp.roles[0].bucket",
          message: expect.stringMatching(
            /^bucket acme-test-globex_x is globex's \(acme-test-globex_\*, .*\): workload initech\/exporter would reach another tenant's resource/,
          ),
        },
      ]);
    });

    it("WHEN a bucket is nobody's THEN it is refused: nothing proves no other tenant uses it", () => {
      const raw = gcpEnv();
      raw.tenants[1].workloads[0].gcp.roles[0].bucket = "initech-exports";
      expect(issuesOf(raw)[0]?.message).toMatch(/^bucket initech-exports is neither initech's own/);
    });

    it("WHEN roles escape confinement THEN each is refused for the permission it carries", () => {
      const raw = gcpEnv();
      raw.tenants[1].workloads[0].gcp.roles = [
        { role: "roles/storage.admin", bucket: "acme-test-initech_a" },
        { role: "roles/iam.serviceAccountUser", bucket: "acme-test-initech_a" },
        { role: "roles/storage.hmacKeyAdmin", bucket: "acme-test-initech_a" },
      ];
      const messages = issuesOf(raw).map((i) => `${i.path}: ${i.message}`);
      expect(messages).toContainEqual(
        expect.stringMatching(
          /^tenants\[1\]\.workloads\[0\]\.gcp\.roles\[0\]\.role: roles\/storage\.admin carries storage\.buckets\.setIamPolicy/,
        ),
      );
      expect(messages).toContainEqual(
        expect.stringMatching(/roles\[1\]\.role: .* carries iam\.serviceAccounts\.actAs/),
      );
      expect(messages).toContainEqual(
        expect.stringMatching(/roles\[2\]\.role: .* carries storage\.hmacKeys\.create/),
      );
    });

    it("WHEN a custom role declares no permissions THEN it is refused; declared harmless ones pass", () => {
      const raw = gcpEnv();
      const custom = { role: "projects/acme-test/roles/exportReader", bucket: "acme-test-initech_a" };
      raw.tenants[1].workloads[0].gcp.roles = [custom];
      expect(issuesOf(raw)[0]?.message).toMatch(
        /is not in the snapshot of predefined roles \(\d{4}-\d\d-\d\d\)/,
      );
      raw.tenants[1].workloads[0].gcp.roles = [{ ...custom, permissions: ["storage.objects.get"] }];
      expect(issuesOf(raw)).toEqual([]);
      raw.tenants[1].workloads[0].gcp.roles = [{ ...custom, permissions: ["storage.buckets.setIamPolicy"] }];
      expect(issuesOf(raw)[0]?.message).toMatch(/carries storage\.buckets\.setIamPolicy/);
    });

    it("WHEN the pool admin role, or a custom role with a pool permission in GCP's host form, is granted THEN each is refused once, naming the permissions", () => {
      const raw = gcpEnv();
      raw.tenants[1].workloads[0].gcp.roles = [
        { role: "roles/iam.workloadIdentityPoolAdmin", bucket: "acme-test-initech_a" },
        {
          role: "projects/acme-test/roles/poolEditor",
          bucket: "acme-test-initech_a",
          permissions: ["iam.googleapis.com/workloadIdentityPoolProviders.update"],
        },
      ];
      const messages = issuesOf(raw).map((i) => `${i.path}: ${i.message}`);
      expect(messages.filter((m) => m.includes("administers workload identity pools"))).toEqual([
        expect.stringMatching(
          /^tenants\[1\]\.workloads\[0\]\.gcp\.roles\[0\]\.role: roles\/iam\.workloadIdentityPoolAdmin carries iam\.googleapis\.com\/workloadIdentityPoolProviderKeys\.create, .*iam\.googleapis\.com\/workloadIdentityPools\.update, .*, which administers workload identity pools/,
        ),
        expect.stringMatching(
          /roles\[1\]\.role: projects\/acme-test\/roles\/poolEditor carries iam\.googleapis\.com\/workloadIdentityPoolProviders\.update, which administers workload identity pools/,
        ),
      ]);
    });

    it("WHEN a grant names two targets THEN it is refused", () => {
      const raw = gcpEnv();
      raw.tenants[1].gcp.serviceAccountRoles[0].bucket = "acme-test-initech_a";
      expect(issuesOf(raw)[0]?.message).toMatch(/^names bucket and dataset: a grant has exactly one target/);
    });
  });

  describe("GIVEN a shared bucket", () => {
    const shared = (partition: unknown) => ({
      name: "drop",
      bucket: "acme-test-shared-drop",
      roles: ["roles/storage.objectCreator"],
      partition,
      reason: "one drop bucket for partner uploads",
    });

    it("WHEN it has a prefix partition THEN a tenant may be granted a shared role on it", () => {
      const raw = gcpEnv();
      raw.clouds.gcp.shared = [shared({ objectPrefix: true })];
      raw.tenants[1].workloads[0].gcp.roles.push({
        role: "roles/storage.objectCreator",
        bucket: "acme-test-shared-drop",
      });
      expect(issuesOf(raw)).toEqual([]);
    });

    it("WHEN it has no partition THEN it is reported as cross-tenant reach", () => {
      const raw = gcpEnv();
      raw.clouds.gcp.shared = [shared("none")];
      expect(issuesOf(raw)).toEqual([
        {
          path: "clouds.gcp.shared[0].partition",
          message: expect.stringContaining(
            "would reach every other tenant's objects in it (cross-tenant reach",
          ),
        },
      ]);
    });

    it("WHEN a role is not among the entry's THEN the grant is refused", () => {
      const raw = gcpEnv();
      raw.clouds.gcp.shared = [shared({ objectPrefix: true })];
      raw.tenants[1].workloads[0].gcp.roles = [
        { role: "roles/storage.objectViewer", bucket: "acme-test-shared-drop" },
      ];
      expect(issuesOf(raw)[0]?.message).toMatch(/is not among the roles shared entry drop allows/);
    });
  });
});
