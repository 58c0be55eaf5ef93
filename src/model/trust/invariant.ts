// What every invariant shares: the violation it reports, and the audience of a token minted elsewhere.

/** A broken invariant: which one, on what, and why. */
export interface Violation {
  readonly invariant:
    | "exact-subject"
    | "audience-condition"
    | "request-tag"
    | "no-oaud"
    | "gcp-condition"
    | "no-pool-wide-binding"
    | "azure-exact-match"
    | "tenant-isolation"
    | "cloud-audience"
    | "own-token"
    | "malformed-policy"
    | "foreign-principal"
    | "tenant-reach";
  readonly subject: string;
  readonly message: string;
}

/** An audience no cloud API has, for "a token minted for another API" checks. */
export const OTHER_API = "https://another-api.invalid";
