/**
 * The `sub` of a client-credentials token: `{client_id}@clients`. Every cloud's trust matches
 * it exactly; it is the one claim of the token nobody can change short of creating a client.
 */
export function clientSubject(clientId: string): string {
  return `${clientId}@clients`;
}

/** The suffix every client-credentials subject has. */
export const CLIENT_SUBJECT_SUFFIX = "@clients";

/** The client id inside a client-credentials subject, or undefined for any other subject. */
export function clientIdOf(subject: string): string | undefined {
  return subject.endsWith(CLIENT_SUBJECT_SUFFIX)
    ? subject.slice(0, -CLIENT_SUBJECT_SUFFIX.length)
    : undefined;
}
