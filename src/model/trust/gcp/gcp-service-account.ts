// A GCP service account is named in several ways: `projects/-/serviceAccounts/EMAIL`,
// `projects/PROJECT/serviceAccounts/EMAIL` or `.../UNIQUE_ID`, the bare email, and as a member
// `serviceAccount:EMAIL`. Attribution compares them only once normalised here.
// https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts/get

/** The email (lower case) or numeric unique id a reference names, or undefined if it names none. */
export function serviceAccountKey(reference: string): string | undefined {
  const value = reference
    .trim()
    .replace(/^serviceAccount:/, "")
    .replace(/^projects\/[^/]+\/serviceAccounts\//, "");
  if (/^\d{10,}$/.test(value)) return value;
  return /^[^/\s@]+@[^/\s@]+\.iam\.gserviceaccount\.com$/i.test(value) ||
    /^[^/\s@]+@[^/\s@]+\.gserviceaccount\.com$/i.test(value)
    ? value.toLowerCase()
    : undefined;
}
