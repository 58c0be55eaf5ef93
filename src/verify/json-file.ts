/**
 * Reading the JSON files `m2m verify` is given (`--claims`, `--outputs`, `--jwks`) and the JSON
 * an issuer answers with, so that an error says where and what was expected but never quotes the
 * text: a user who points at the wrong file (a token, a key, a secrets file) must not see a piece
 * of it printed, or logged by CI. JSON.parse's own messages quote the text around the error.
 */

import { readFileSync } from "node:fs";

/** Where a JSON text stops being JSON, and what was expected there. */
export interface JsonSyntaxProblem {
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units from the start of the line. */
  readonly column: number;
  readonly expected: string;
}

class Stop {
  constructor(
    readonly at: number,
    readonly expected: string,
  ) {}
}

const VALUE = "a JSON value (an object, array, string, number, true, false or null)";

/** The first place `text` is not JSON (RFC 8259), or undefined when it is JSON. */
export function jsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  let i = 0;
  const stop = (expected: string): never => {
    throw new Stop(i, expected);
  };
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text.charAt(i))) i++;
  };
  const digits = () => {
    const start = i;
    while (i < text.length && text.charAt(i) >= "0" && text.charAt(i) <= "9") i++;
    if (i === start) stop("a digit");
  };
  const string = () => {
    i++; // the opening quote
    for (;;) {
      if (i >= text.length) stop('a closing " (the string is not ended)');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) stop("no control character inside a string (written escaped, as \\n or \\u00XX)");
      if (c === 0x5c) {
        i++;
        const e = text.charAt(i);
        if (e === "u") {
          i++;
          for (let k = 0; k < 4; k++, i++) if (!/[0-9a-fA-F]/.test(text.charAt(i))) stop("four hex digits");
        } else if ('"\\/bfnrt'.includes(e) && e !== "") i++;
        else stop('an escape: \\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX');
      } else i++;
    }
  };
  const value = (): void => {
    space();
    const c = text.charAt(i);
    if (c === "{") {
      i++;
      space();
      if (text.charAt(i) === "}") {
        i++;
        return;
      }
      for (;;) {
        space();
        if (text.charAt(i) !== '"') stop("a property name in double quotes");
        string();
        space();
        if (text.charAt(i) !== ":") stop("':' after the property name");
        i++;
        value();
        space();
        if (text.charAt(i) === ",") i++;
        else if (text.charAt(i) === "}") {
          i++;
          return;
        } else stop("',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      space();
      if (text.charAt(i) === "]") {
        i++;
        return;
      }
      for (;;) {
        value();
        space();
        if (text.charAt(i) === ",") i++;
        else if (text.charAt(i) === "]") {
          i++;
          return;
        } else stop("',' or ']'");
      }
    }
    if (c === '"') {
      string();
      return;
    }
    if (c === "-" || (c >= "0" && c <= "9")) {
      if (c === "-") i++;
      if (text.charAt(i) === "0") i++;
      else digits();
      if (text.charAt(i) === ".") {
        i++;
        digits();
      }
      if (text.charAt(i) === "e" || text.charAt(i) === "E") {
        i++;
        if (text.charAt(i) === "+" || text.charAt(i) === "-") i++;
        digits();
      }
      return;
    }
    for (const literal of ["true", "false", "null"])
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return;
      }
    stop(VALUE);
  };
  try {
    space();
    if (i >= text.length) stop(`${VALUE}, but there is nothing`);
    value();
    space();
    if (i < text.length) stop("the end: JSON holds one value, and something follows it");
    return undefined;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    const before = text.slice(0, error.at);
    const lineStart = before.lastIndexOf("\n") + 1;
    return {
      line: before.split("\n").length,
      column: error.at - lineStart + 1,
      expected: error.expected,
    };
  }
}

/** A JSON syntax problem as a reason, without any of the text. */
export function describeJsonProblem(problem: JsonSyntaxProblem): string {
  return `line ${problem.line}, column ${problem.column}: expected ${problem.expected}`;
}

/** Whether `text` has the shape of a compact JWT (three base64url parts); nothing of it is shown. */
export function looksLikeJwt(text: string): boolean {
  return /^\s*[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\s*$/.test(text);
}

/**
 * Parses JSON text; on a syntax error throws what `fail` makes of the reason (line, column and
 * what was expected, never the text).
 */
export function parseJsonText(text: string, fail: (reason: string) => Error): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const problem = jsonSyntaxProblem(text);
    // JSON.parse and the scanner agree on RFC 8259; should they not, still quote nothing.
    throw fail(problem ? `not JSON: ${describeJsonProblem(problem)}` : "not JSON");
  }
}

/**
 * Reads and parses a JSON file given with `flag`. Errors (thrown as `make(message)`) name the
 * flag, the file, and where and why it is not JSON; never its content. `hint` is added to a
 * syntax error (what the file should be and how to make it).
 */
export function readJsonFile(
  flag: string,
  file: string,
  make: (message: string) => Error,
  hint?: string,
): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw make(`${flag} ${file} cannot be read (${code ?? message.split("\n")[0]})`);
  }
  return parseJsonText(text, (reason) => {
    const jwt = looksLikeJwt(text) ? "; it looks like a JWT: give a token with --token" : "";
    return make(`${flag} ${file} is ${reason}${jwt}${hint ? `; ${hint}` : ""}`);
  });
}
