/**
 * Where a rule fired, in the accountant's (and support's) terms: the rules report an XPath written for
 * machines (`/*:Invoice[namespace-uri()='urn:…:Invoice-2'][1]/*:PayableAmount[…][1]` from the CEN skeleton,
 * `/Q{urn:…}Invoice[1]/Q{urn:…}PayableAmount[1]` from SchXslt). `readableLocation` writes it with the usual
 * UBL prefixes; `lineOf` finds the line of the element it points at in the file.
 */

const PREFIXES: Record<string, string> = {
  'urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2': 'cac',
  'urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2': 'cbc',
  'urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2': 'ext',
  'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2': '',
  'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2': '',
};

export interface PathStep {
  name: string;
  local: string;
  /** 1-based position among same-named siblings; 1 when the path does not say. */
  index: number;
  attribute: boolean;
}

/** The steps of an absolute location path as the rules write it (null when it is not one). */
export function pathSteps(location: string): PathStep[] | null {
  if (!location.startsWith('/')) return null;
  const steps: PathStep[] = [];
  // Q{uri}local[n] | *:local[namespace-uri()='uri'][n] | prefix:local[n] | @attr
  const step = /\/(?:(@)?Q\{([^}]*)\}([\w.-]+)|(@)?\*:([\w.-]+)(?:\[namespace-uri\(\)='([^']*)'\])?|(@)?(?:([\w.-]+):)?([\w.-]+))((?:\[\d+\])?)/y;
  let at = 0;
  while (at < location.length) {
    step.lastIndex = at;
    const m = step.exec(location);
    if (!m) return null;
    at = step.lastIndex;
    const attribute = !!(m[1] ?? m[4] ?? m[7]);
    const local = (m[3] ?? m[5] ?? m[9])!;
    const uri = m[2] ?? m[6];
    const prefix = uri !== undefined ? PREFIXES[uri] : m[8];
    const name = prefix ? `${prefix}:${local}` : local;
    steps.push({ name: attribute ? `@${name}` : name, local, index: m[10] ? Number(m[10].slice(1, -1)) : 1, attribute });
  }
  return steps;
}

export function readableLocation(location: string): string {
  const steps = pathSteps(location);
  if (!steps) return location;
  return steps.map((s) => (s.attribute ? `/${s.name}` : `/${s.name}[${s.index}]`)).join('');
}

/**
 * The 1-based line of the element a location points at (its start tag), by a scan of the markup that counts
 * same-named siblings (local names: UBL never puts two namespaces' same local name side by side). Undefined
 * when the path does not lead anywhere in this text.
 */
export function lineOf(xml: string, location: string): number | undefined {
  const steps = pathSteps(location)?.filter((s) => !s.attribute);
  if (!steps?.length) return undefined;
  let depth = 0; // elements open
  let matched = 0; // leading steps matched by the open elements
  const counts: Map<string, number>[] = [new Map()];
  let line = 1;
  let lineAt = 0;
  let at = 0;
  const lineAtOffset = (offset: number) => {
    for (let i = xml.indexOf('\n', lineAt); i >= 0 && i < offset; i = xml.indexOf('\n', i + 1)) {
      line++;
      lineAt = i + 1;
    }
    return line;
  };
  for (;;) {
    const lt = xml.indexOf('<', at);
    if (lt < 0) return undefined;
    const c = xml.charCodeAt(lt + 1);
    if (c === 33 /* ! */) {
      const end = xml.startsWith('<!--', lt) ? xml.indexOf('-->', lt + 4) + 3 : xml.startsWith('<![CDATA[', lt) ? xml.indexOf(']]>', lt) + 3 : xml.indexOf('>', lt) + 1;
      if (end <= 2) return undefined;
      at = end;
      continue;
    }
    if (c === 63 /* ? */) {
      const end = xml.indexOf('?>', lt);
      if (end < 0) return undefined;
      at = end + 2;
      continue;
    }
    let gt = lt + 1;
    let quote = 0;
    for (; gt < xml.length; gt++) {
      const ch = xml.charCodeAt(gt);
      if (quote) {
        if (ch === quote) quote = 0;
      } else if (ch === 34 || ch === 39) quote = ch;
      else if (ch === 62) break;
    }
    if (gt >= xml.length) return undefined;
    at = gt + 1;
    if (c === 47 /* / end tag */) {
      depth--;
      counts.pop();
      if (matched > depth) matched = depth;
      continue;
    }
    const head = xml.slice(lt + 1, gt);
    const name = /^[^\s/>]+/.exec(head)?.[0] ?? '';
    const local = name.slice(name.indexOf(':') + 1);
    const siblings = counts[depth]!;
    const n = (siblings.get(local) ?? 0) + 1;
    siblings.set(local, n);
    if (matched === depth && depth < steps.length && steps[depth]!.local === local && steps[depth]!.index === n) {
      matched++;
      if (matched === steps.length) return lineAtOffset(lt);
    }
    if (head.endsWith('/')) {
      if (matched > depth) matched = depth;
      continue;
    }
    depth++;
    counts.push(new Map());
  }
}
