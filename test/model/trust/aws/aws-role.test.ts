import { describe, expect, it } from "vitest";
import { parseEnvironment } from "../../../../src/model/environment/environment.ts";
import { awsRoleArn, awsRoleSessionName } from "../../../../src/model/trust/aws/aws-role.ts";
import { environmentWithClouds } from "../../../fixtures/environment.ts";

describe("the AWS role a workload assumes", () => {
  it("GIVEN a workload WHEN its role and session are derived THEN they are the role the program creates and {tenant}-{workload}", () => {
    const e = parseEnvironment(environmentWithClouds(["aws"]), "test");
    expect(awsRoleArn(e, "globex", "billing")).toBe("arn:aws:iam::123456789012:role/m2m-test-globex-billing");
    expect(awsRoleSessionName("globex", "billing")).toBe("globex-billing");
  });
});
