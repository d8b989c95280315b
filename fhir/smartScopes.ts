// SMART on FHIR scopes (v1 "system/Encounter.read" and v2 "system/Encounter.rs"): parsed, intersected with what a
// client is allowed, and checked against what a route needs.
/** A SMART scope as context, resource type and the permissions it grants (c r u d s). */
interface Scope {
  readonly context: string;
  readonly resource: string;
  readonly permissions: string;
}

const V1_PERMISSIONS: Readonly<Record<string, string>> = { read: 'rs', write: 'cud', '*': 'cruds' };

/** "system/Encounter.read", "system/*.*", "system/Encounter.rs" (SMART v2); undefined for anything else. */
export function parseScope(text: string): Scope | undefined {
  const m = /^(patient|user|system)\/([A-Z][A-Za-z]*|\*)\.(read|write|\*|c?r?u?d?s?)(\?.*)?$/.exec(text);
  if (!m || m[3] === '' || m[4]) return undefined;
  return { context: m[1]!, resource: m[2]!, permissions: V1_PERMISSIONS[m[3]!] ?? m[3]! };
}

const formatScope = (s: Scope): string => `${s.context}/${s.resource}.${s.permissions}`;

/** What a requested scope leaves once limited to what the client is allowed: "system/*.*" asked by a client
 * allowed "system/*.read" gives "system/*.rs". */
export function intersectScopes(requested: readonly string[], allowed: readonly string[]): string[] {
  const out = new Set<string>();
  for (const r of requested.map(parseScope)) {
    if (!r) continue;
    for (const a of allowed.map(parseScope)) {
      if (!a || a.context !== r.context || (a.resource !== '*' && r.resource !== '*' && a.resource !== r.resource)) continue;
      const permissions = [...'cruds'].filter((p) => a.permissions.includes(p) && r.permissions.includes(p)).join('');
      if (permissions) out.add(formatScope({ context: r.context, resource: r.resource === '*' ? a.resource : r.resource, permissions }));
    }
  }
  return [...out].sort();
}

/** "system/Encounter.read" (every permission of it) is granted by itself, by "system/Encounter.*", "system/*.read",
 * "system/*.*", "system/Encounter.rs" … */
export function grants(scopes: readonly string[], needed: string): boolean {
  const want = parseScope(needed);
  if (!want) return false;
  return scopes
    .map(parseScope)
    .some(
      (s) =>
        !!s &&
        s.context === want.context &&
        (s.resource === '*' || s.resource === want.resource) &&
        [...want.permissions].every((p) => s.permissions.includes(p)),
    );
}
