/**
 * A JSON Schema (draft-07) validator for the keywords speedscope's file
 * format schema uses: $ref (local #/definitions), anyOf, const, enum,
 * items, properties, required, type. An unknown keyword throws, so a newer
 * schema cannot pass for want of a check. Iterative over the document; only
 * anyOf starts a nested run per branch (as deep as the schema nests anyOf).
 */
type Schema = Record<string, unknown>;

const KNOWN = new Set(['$schema', '$ref', 'anyOf', 'const', 'definitions', 'enum', 'items', 'properties', 'required', 'title', 'type']);

export function validateJson(document: unknown, root: Schema): string[] {
  const errors: string[] = [];
  const work: Array<[unknown, Schema, string]> = [[document, root, '$']];
  while (work.length > 0) {
    const [value, schema, at] = work.pop()!;
    for (const key of Object.keys(schema)) if (!KNOWN.has(key)) throw new Error(`validator does not know keyword ${key}`);
    if (typeof schema.$ref === 'string') {
      work.push([value, resolve(root, schema.$ref), at]);
      continue;
    }
    if (Array.isArray(schema.anyOf)) {
      const branches = schema.anyOf as Schema[];
      if (!branches.some((branch) => validateJson(value, { ...branch, definitions: root.definitions }).length === 0)) {
        errors.push(`${at}: matches none of ${branches.length} alternatives`);
      }
    }
    if (schema.type !== undefined && !hasType(value, schema.type as string)) {
      errors.push(`${at}: expected ${String(schema.type)}, got ${JSON.stringify(value)?.slice(0, 40)}`);
      continue;
    }
    if ('const' in schema && value !== schema.const) errors.push(`${at}: expected ${JSON.stringify(schema.const)}`);
    if (Array.isArray(schema.enum) && !schema.enum.includes(value)) errors.push(`${at}: not one of ${JSON.stringify(schema.enum)}`);
    if (isObject(value)) {
      for (const name of (schema.required as string[] | undefined) ?? []) {
        if (!(name in value)) errors.push(`${at}: missing ${name}`);
      }
      const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
      for (const [name, propertySchema] of Object.entries(properties)) {
        if (name in value) work.push([value[name], propertySchema, `${at}.${name}`]);
      }
    }
    if (Array.isArray(value) && schema.items !== undefined) {
      value.forEach((item, index) => work.push([item, schema.items as Schema, `${at}[${index}]`]));
    }
  }
  return errors;
}

function resolve(root: Schema, ref: string): Schema {
  const prefix = '#/definitions/';
  if (!ref.startsWith(prefix)) throw new Error(`validator resolves only local definitions, not ${ref}`);
  const target = (root.definitions as Record<string, Schema> | undefined)?.[ref.slice(prefix.length)];
  if (target === undefined) throw new Error(`no definition ${ref}`);
  return target;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object': return isObject(value);
    case 'array': return Array.isArray(value);
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'integer': return Number.isInteger(value);
    case 'boolean': return typeof value === 'boolean';
    case 'null': return value === null;
    default: throw new Error(`validator does not know type ${type}`);
  }
}
