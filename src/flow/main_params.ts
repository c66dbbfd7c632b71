// Parameter names of a loaded step's `main`, read from the function's own (transpiled) text, so
// the local engine never compiles Windmill's signature parser (swc in WebAssembly: about 25 MB kept
// and 35 MB more at its peak while V8 optimises it, in a process that otherwise idles at ~120 MB).
// Only a list of plain identifiers, with or without defaults, is read here; anything else (rest or
// destructured parameters, comments, template literals, regexes) returns null and the caller asks
// the Windmill parser (script_signature.ts). tests/unit/main_params.test.ts holds both to the same names.

/** `main`'s parameter names from its source text, or null when the list is not plain identifiers. */
export function plainParamNames(source: string): string[] | null {
  const open = source.indexOf("(");
  if (open < 0 || !/^(?:async\s+)?(?:function\b\s*[\w$]*\s*|[\w$]+\s*)?\($/.test(source.slice(0, open + 1))) return null;
  const names: string[] = [];
  let depth = 0;
  let from = open + 1;
  for (let i = from; i < source.length; i++) {
    const c = source[i];
    if (c === '"' || c === "'") {
      i = endOfString(source, i);
      if (i < 0) return null;
    } else if (c === "`" || c === "/") {
      return null;
    } else if (c === "(" || c === "[" || c === "{") {
      depth++;
    } else if (c === ")" || c === "]" || c === "}") {
      if (depth > 0) {
        depth--;
        continue;
      }
      if (c !== ")") return null;
      const last = source.slice(from, i).trim();
      if (last !== "") {
        const name = paramName(last);
        if (name === null) return null;
        names.push(name);
      }
      return names;
    } else if (c === "," && depth === 0) {
      const name = paramName(source.slice(from, i).trim());
      if (name === null) return null;
      names.push(name);
      from = i + 1;
    }
  }
  return null;
}

/** `name` or `name = default`; null for anything else. */
function paramName(param: string): string | null {
  const m = /^([A-Za-z_$][\w$]*)\s*(?:=[^]*)?$/.exec(param);
  return m ? m[1] : null;
}

/** Index of the quote closing the string literal that opens at `at`, or -1. */
function endOfString(s: string, at: number): number {
  const q = s[at];
  for (let i = at + 1; i < s.length; i++) {
    if (s[i] === "\\") i++;
    else if (s[i] === q) return i;
    else if (s[i] === "\n") return -1;
  }
  return -1;
}
