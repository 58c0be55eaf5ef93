/**
 * A token credential file: an absolute path of letters, digits and `._-/+@,:=`. It is written
 * unquoted into the command line of the workload's GCP credential configuration (`m2m token
 * --format gcp-executable ... --credential-file <path>`), so whitespace, quotes and shell characters
 * (`;|&$*?<>()` ...) would split it or run something else.
 */
export const TOKEN_CREDENTIAL_FILE = /^\/[A-Za-z0-9._/+@,:=-]{1,1023}$/;
