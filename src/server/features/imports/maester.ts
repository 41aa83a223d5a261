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
import {
  cut,
  helpUrlOf,
  keyRepeatedIds,
  maesterSeverity,
  maesterStatus,
  plainText,
  splitMaesterName,
  TEXT_MAX,
  TITLE_MAX,
  timeSpanMs,
} from './rules.ts';

/**
 * docs/rules.md "Imports", Maester `TestResults-*.json` (ConvertTo-MtMaesterResult) and its merged form
 * `{"Tenants": [...]}` (Merge-MtMaesterResult). Only these fields are built while reading; ScriptBlock,
 * ErrorRecord, Block, Tag and the rest are dropped as they stream past.
 */
const TEST: Keep = {
  keys: {
    id: true,
    title: true,
    name: true,
    result: true,
    severity: true,
    helpurl: true,
    resultdetail: { keys: { testdescription: true, testresult: true, severity: true } },
  },
};
export const MAESTER_ONE: Keep = {
  keys: { tenantid: true, executedat: true, totalduration: true, tests: { items: TEST } },
};
export const MAESTER_KEEP: Keep = { keys: { ...MAESTER_ONE.keys, tenants: { items: MAESTER_ONE } } };

function readTest(test: JsonObject, path: string, problems: Problems): Check | null {
  const result = requiredString(test.result, `${path}.Result`, problems);
  const detail = isObject(test.resultdetail) ? test.resultdetail : null;
  let id = optionalString(test.id, `${path}.Id`, problems)?.trim() || null;
  let title = optionalString(test.title, `${path}.Title`, problems)?.trim() || null;
  if (id === null) {
    // Before Maester 1.1 a test had no Id or Title: its Name is "<Id>: <Title>".
    const name = requiredString(test.name, `${path}.Name`, problems);
    if (name === null) return null;
    ({ id, title } = splitMaesterName(name));
  }
  title ??= optionalString(test.name, `${path}.Name`, problems) ?? id;
  if (result === null) return null;
  // Maester writes an empty Severity on the test when Add-MtTestResultDetail set it in ResultDetail.
  const given = typeof test.severity === 'string' && test.severity.trim() !== '' ? test.severity : null;
  const severity = given ?? detail?.severity ?? null;
  const description = detail
    ? optionalString(detail.testdescription, `${path}.ResultDetail.TestDescription`, problems)
    : null;
  const evidence = detail
    ? optionalString(detail.testresult, `${path}.ResultDetail.TestResult`, problems)
    : null;
  return {
    checkId: cut(withoutNul(id), 200),
    title: cut(withoutNul(plainText(title)) || id, TITLE_MAX),
    severity: maesterSeverity(severity),
    status: maesterStatus(result),
    description: description === null ? null : cut(withoutNul(description), TEXT_MAX),
    evidence: evidence === null ? null : cut(withoutNul(evidence), TEXT_MAX),
    helpUrl: helpUrlOf(test.helpurl),
  };
}

/** One tenant's Maester result object at `path`. */
export function readMaesterResult(result: JsonObject, path: string, problems: Problems): Assessment | null {
  const tenantId = requiredString(result.tenantid, `${path}.TenantId`, problems);
  const executedAt = requiredDate(result.executedat, `${path}.ExecutedAt`, problems);
  const tests = requiredArray(result.tests, `${path}.Tests`, problems);
  const checks: Check[] = [];
  let errors = false;
  tests.forEach((test, index) => {
    const at = `${path}.Tests[${index}]`;
    if (!isObject(test)) {
      problems.add(at, 'must be an object');
      return;
    }
    const check = readTest(test, at, problems);
    if (check) checks.push(check);
    if (typeof test.result === 'string' && test.result.trim().toLowerCase() === 'error') errors = true;
  });
  if (tenantId === null || executedAt === null) return null;
  const duration = timeSpanMs(result.totalduration) ?? 0;
  return {
    path,
    tool: 'maester',
    runType: 'maester',
    directoryId: normalizeDirectoryId(tenantId),
    directoryPath: `${path}.TenantId`,
    // The text as written: a re-export of the same run keeps it to the microsecond.
    assessmentKey: String(result.executedat).trim(),
    startedAt: executedAt,
    completedAt: new Date(executedAt.getTime() + duration),
    toolReportedErrors: errors,
    checks: keyRepeatedIds(checks),
  };
}

/** A Maester file: one result, or the merged form with one result per tenant. */
export function readMaester(root: JsonObject, problems: Problems): Assessment[] {
  if (root.tenants === undefined) {
    const one = readMaesterResult(root, '$', problems);
    return one ? [one] : [];
  }
  const tenants = requiredArray(root.tenants, '$.Tenants', problems);
  if (tenants.length === 0) problems.add('$.Tenants', 'must name at least one tenant');
  return tenants.flatMap((tenant, index) => {
    const path = `$.Tenants[${index}]`;
    if (!isObject(tenant)) {
      problems.add(path, 'must be an object');
      return [];
    }
    const one = readMaesterResult(tenant, path, problems);
    return one ? [one] : [];
  });
}
