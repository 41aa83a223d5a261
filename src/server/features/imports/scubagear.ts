import {
  type Assessment,
  type Check,
  isObject,
  normalizeDirectoryId,
  optionalString,
  type Problems,
  requiredArray,
  requiredDate,
  requiredString,
  withoutNul,
} from './fields.ts';
import type { JsonObject, Keep } from './read-json.ts';
import { cut, helpUrlOf, plainText, scubaSeverity, scubaStatus, TEXT_MAX, TITLE_MAX } from './rules.ts';

/**
 * docs/rules.md "Imports", ScubaGear's combined `ScubaResults_*.json`: `MetaData`, `Summary`,
 * `AnnotatedFailedPolicies`, `Results.<product>[].Controls[]` and `Raw` (the provider export, often most of
 * the file). Only MetaData and the controls are built while reading; `Raw` streams past unbuilt. ScubaGear is
 * read by PowerShell, which compares names case-insensitively, and so does this reader.
 */
const CONTROL: Keep = {
  keys: { 'control id': true, requirement: true, result: true, criticality: true, details: true },
};
export const SCUBA_KEEP: Keep = {
  keys: {
    metadata: {
      keys: { tenantid: true, displayname: true, domainname: true, reportuuid: true, timestampzulu: true },
    },
    results: {
      anyKey: { items: { keys: { groupname: true, groupreferenceurl: true, controls: { items: CONTROL } } } },
    },
  },
};

function readControl(control: JsonObject, path: string, group: JsonObject, problems: Problems): Check | null {
  const id = requiredString(control['control id'], `${path}["Control ID"]`, problems);
  const requirement = optionalString(control.requirement, `${path}.Requirement`, problems) ?? '';
  const result = requiredString(control.result, `${path}.Result`, problems);
  const criticality = optionalString(control.criticality, `${path}.Criticality`, problems);
  const details = optionalString(control.details, `${path}.Details`, problems);
  if (id === null || result === null) return null;
  const text = withoutNul(plainText(requirement));
  const groupName = typeof group.groupname === 'string' ? plainText(group.groupname) : null;
  return {
    checkId: cut(withoutNul(id), 200),
    title: cut(text || id, TITLE_MAX),
    severity: scubaSeverity(criticality),
    status: scubaStatus(result),
    description:
      cut([groupName ? `**${groupName}**` : null, text].filter(Boolean).join('\n\n'), TEXT_MAX) || null,
    evidence: details === null ? null : cut(withoutNul(plainText(details)), TEXT_MAX) || null,
    helpUrl: helpUrlOf(group.groupreferenceurl),
  };
}

function readProduct(groups: JsonObject[], at: string, problems: Problems, found: { errors: boolean }) {
  const checks: Check[] = [];
  groups.forEach((group, index) => {
    const controls = requiredArray(group.controls, `${at}[${index}].Controls`, problems);
    controls.forEach((control, c) => {
      const path = `${at}[${index}].Controls[${c}]`;
      if (!isObject(control)) {
        problems.add(path, 'must be an object');
        return;
      }
      const check = readControl(control, path, group, problems);
      if (check) checks.push(check);
      if (typeof control.result === 'string' && control.result.trim().toLowerCase() === 'error') {
        found.errors = true;
      }
    });
  });
  return checks;
}

/** A ScubaGear results file: one tenant, one assessment (its ReportUUID). */
export function readScubaGear(root: JsonObject, problems: Problems): Assessment[] {
  const meta = isObject(root.metadata) ? root.metadata : null;
  if (!meta) problems.add('$.MetaData', 'must be an object');
  const tenantId = requiredString(meta?.tenantid, '$.MetaData.TenantId', problems);
  const uuid = requiredString(meta?.reportuuid, '$.MetaData.ReportUUID', problems);
  const at = requiredDate(meta?.timestampzulu, '$.MetaData.TimestampZulu', problems);
  const results = isObject(root.results) ? root.results : null;
  if (!results) problems.add('$.Results', 'must be an object with one array of groups per product');
  const checks: Check[] = [];
  const found = { errors: false };
  for (const [product, groups] of Object.entries(results ?? {})) {
    const path = `$.Results.${product}`;
    const list = requiredArray(groups, path, problems);
    const objects = list.filter((group, index): group is JsonObject => {
      if (!isObject(group)) problems.add(`${path}[${index}]`, 'must be an object');
      return isObject(group);
    });
    checks.push(...readProduct(objects, path, problems, found));
  }
  const seen = new Set<string>();
  for (const check of checks) {
    if (seen.has(check.checkId.toLowerCase()))
      problems.add('$.Results', `names control ${check.checkId} twice`);
    seen.add(check.checkId.toLowerCase());
  }
  if (tenantId === null || uuid === null || at === null) return [];
  return [
    {
      path: '$',
      tool: 'scubagear',
      runType: 'scubagear',
      directoryId: normalizeDirectoryId(tenantId),
      directoryPath: '$.MetaData.TenantId',
      assessmentKey: uuid.toLowerCase(),
      startedAt: at,
      completedAt: at,
      toolReportedErrors: found.errors,
      checks,
    },
  ];
}
