/** The policy pack's entry: `pulumi preview --policy-pack policy`, `pulumi policy publish policy`. */
import { PolicyPack } from "@pulumi/policy";
import { m2mPolicies } from "./policies.ts";

new PolicyPack("auth0-m2m-federation", { policies: m2mPolicies });
