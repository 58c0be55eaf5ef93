// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are written ${...} in plain strings
import { describe, expect, it } from "vitest";
import { evaluateCondition, requestContext } from "../../../../src/model/trust/evaluate/iam-condition.ts";
import { arnMatches, iamMatches } from "../../../../src/model/trust/evaluate/iam-pattern.ts";
import {
  deniesActionEverywhere,
  evaluatePolicy,
  mayAllowAction,
  parsePolicy,
} from "../../../../src/model/trust/evaluate/iam-policy.ts";
import { CONDITION_CASES, POLICY_CASES } from "./iam-cases.ts";

describe("IAM conditions, case by case from the IAM User Guide", () => {
  it.each(CONDITION_CASES.map((c) => [`${c.source}: ${c.what}`, c] as const))(
    "GIVEN %s WHEN evaluated THEN it holds as documented",
    (_, c) => {
      const result = evaluateCondition(c.condition, requestContext(c.request), true);
      expect(result.holds).toBe(c.holds);
      // A condition that fails always says why; one that holds has nothing to say.
      expect(result.reasons.length === 0).toBe(c.holds);
    },
  );
});

describe("IAM policies, case by case from the IAM User Guide", () => {
  it.each(POLICY_CASES.map((c) => [`${c.source}: ${c.what}`, c] as const))(
    "GIVEN %s WHEN evaluated THEN IAM's decision and findings follow",
    (_, c) => {
      const policy = parsePolicy(c.policy, c.kind);
      const result = evaluatePolicy(policy, {
        action: c.request.action,
        ...(c.request.resource ? { resource: c.request.resource } : {}),
        ...(c.request.principal ? { principal: c.request.principal } : {}),
        context: requestContext(c.request.keys ?? {}),
      });
      expect(result.decision).toBe(c.decision);
      if (c.finding) expect(result.findings).toContainEqual(expect.stringMatching(c.finding));
      else expect(result.findings).toEqual([]);
    },
  );

  it("GIVEN a policy whose second statement is malformed WHEN evaluated THEN the first still decides and the second is a finding, not a throw", () => {
    const policy = parsePolicy(
      {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: "s3:GetObject", Resource: "*" },
          { Effect: "Deny", Action: 42, Resource: "*" },
        ],
      },
      "identity",
    );
    const result = evaluatePolicy(policy, {
      action: "s3:GetObject",
      resource: "arn:aws:s3:::a/k",
      context: requestContext({}),
    });
    expect(result.decision).toBe("allow");
    expect(result.findings).toEqual(["Statement[1].Action: must be a string or a list of strings"]);
  });
});

describe("evaluating with part of the context unknown (may-hold)", () => {
  const policy = parsePolicy(
    {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Action: "iam:UpdateAssumeRolePolicy",
          Resource: "*",
          Condition: { StringEquals: { "aws:ResourceTag/team": "blue" } },
        },
        {
          Effect: "Deny",
          Action: "iam:*",
          Resource: "*",
          Condition: { StringNotEquals: { "aws:PrincipalAccount": "111111111111" } },
        },
      ],
    },
    "identity",
  );
  const request = (unknownKeys: "absent" | "may-hold") => ({
    action: "iam:UpdateAssumeRolePolicy",
    resource: "arn:aws:iam::111111111111:role/x",
    context: requestContext({}),
    unknownKeys,
  });

  it("GIVEN conditions on keys the checker did not supply WHEN read as absent THEN the Deny applies on the missing key and hides the Allow", () => {
    expect(evaluatePolicy(policy, request("absent")).decision).toBe("explicit-deny");
  });

  it("GIVEN the same WHEN read as may-hold THEN the Allow may apply and the Deny is not certain: allow, with the keys named", () => {
    const result = evaluatePolicy(policy, request("may-hold"));
    expect(result.decision).toBe("allow");
    expect(result.statements.map((s) => s.maybe)).toEqual([
      ["aws:ResourceTag/team"],
      ["aws:PrincipalAccount"],
    ]);
  });

  it("GIVEN a Resource with a variable the checker does not know WHEN read as may-hold THEN the Allow may apply", () => {
    const withVariable = parsePolicy(
      {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::*:role/${aws:username}" },
        ],
      },
      "identity",
    );
    expect(evaluatePolicy(withVariable, { ...request("may-hold"), action: "iam:PassRole" }).decision).toBe(
      "allow",
    );
    expect(evaluatePolicy(withVariable, { ...request("absent"), action: "iam:PassRole" }).decision).toBe(
      "implicit-deny",
    );
  });
});

describe("IAM patterns", () => {
  it("GIVEN wildcards WHEN matched THEN * spans any run, ? one character, and case follows the caller", () => {
    expect(iamMatches("sts:Assume*", "sts:AssumeRoleWithWebIdentity")).toBe(true);
    expect(iamMatches("STS:ASSUME*", "sts:AssumeRole", true)).toBe(true);
    expect(iamMatches("STS:ASSUME*", "sts:AssumeRole")).toBe(false);
    expect(iamMatches("a?c", "abbc")).toBe(false);
    expect(iamMatches("a.c", "abc")).toBe(false);
  });

  it("GIVEN a pattern built to make a backtracking matcher take forever WHEN matched THEN it answers (a linear matcher)", () => {
    expect(iamMatches(`${"*?".repeat(30)}#`, "a".repeat(80))).toBe(false);
    expect(iamMatches(`${"*?".repeat(30)}#`, `${"a".repeat(80)}#`)).toBe(true);
  });

  it("GIVEN ARN patterns WHEN matched THEN each part matches alone and the resource part keeps its colons", () => {
    expect(arnMatches("arn:aws:iam::*:role/m2m-*", "arn:aws:iam::123:role/m2m-dev-a")).toBe(true);
    expect(arnMatches("arn:aws:iam::*", "arn:aws:iam::123:role/x")).toBe(false);
    expect(
      arnMatches("arn:aws:logs:*:*:log-group:a:*", "arn:aws:logs:eu-west-1:1:log-group:a:log-stream:s"),
    ).toBe(true);
    expect(arnMatches("*", "arn:aws:s3:::anything")).toBe(true);
  });
});

describe("actions a policy can never allow, whatever the resource", () => {
  const policy = parsePolicy(
    {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: "s3:Get*", Resource: "arn:aws:s3:::a/*" },
        { Effect: "Allow", NotAction: "iam:*", Resource: "*" },
        { Effect: "Deny", Action: "iam:PassRole", Resource: "*" },
        {
          Effect: "Deny",
          Action: "iam:TagRole",
          Resource: "*",
          Condition: { StringEquals: { "aws:RequestTag/x": "y" } },
        },
        { Effect: "Deny", Action: "sts:AssumeRole", Resource: "arn:aws:iam::*:role/a" },
      ],
    },
    "identity",
  );

  it("GIVEN Allows by Action and by NotAction WHEN asked whether an action may be allowed THEN only actions some Allow covers may be", () => {
    expect(mayAllowAction(policy, "s3:GetObject")).toBe(true);
    expect(mayAllowAction(policy, "sqs:SendMessage")).toBe(true);
    expect(mayAllowAction(policy, "iam:PassRole")).toBe(false);
  });

  it("GIVEN Denies on every resource, with a condition, and on one resource WHEN asked whether an action is denied everywhere THEN only the unconditioned Deny on * is", () => {
    expect(deniesActionEverywhere(policy, "iam:PassRole")).toBe(true);
    expect(deniesActionEverywhere(policy, "iam:TagRole")).toBe(false);
    expect(deniesActionEverywhere(policy, "sts:AssumeRole")).toBe(false);
    // What the shortcut claims, the evaluator confirms for any resource.
    const context = requestContext({});
    for (const resource of ["arn:aws:iam::1:role/a", "arn:aws:iam::1:role/b"])
      expect(evaluatePolicy(policy, { action: "iam:PassRole", resource, context }).decision).toBe(
        "explicit-deny",
      );
  });
});
